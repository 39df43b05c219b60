"""Judgements to training data: rm / dpo pairs from rankings, sft from corrections and approvals, kto from flags.

    chatforge annotate export --name NAME --format rm|dpo|sft|kto --out FILE.jsonl [--set ties=both]

Per item, the ranking used is the reviewer's settled one when present, else the consensus of the
annotators: answers ordered by mean rank (ties where means are equal) — or, with
`aggregate: each`, every annotator's own ranking (agreeing annotators then weigh more).
Flags likewise: the settled flags, else a flag an answer received from at least `flag_quorum`
of its annotators.
Rows use the shapes the trainers read (chatforge/train/preferences.py, serve/feedback.py):
- rm, dpo: `{"prompt": [...], "chosen": [answer], "rejected": [answer]}` for every pair of answers
  in different tie groups; tied answers give no pair (`ties: skip`) or a pair each way
  (`ties: both`); a pair whose chosen answer is flagged is dropped (`drop_flagged_chosen`). rm
  rows also carry `margin`: how many places apart the two answers are (mean ranks);
- sft: `{"messages": prompt + [answer]}` for every correction, and for every top-ranked answer
  no one flagged (an approval);
- kto: `{"prompt", "completion", "label"}`: flagged answers false, corrections and top-ranked
  unflagged answers true.
Each row keeps `item_id` (and `topic` when the item has one) for tracing and the bias audit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import Field
from sqlalchemy import select

from chatforge.config import StageConfig
from chatforge.errors import UserError
from chatforge.store.annotation import FLAG_KINDS, Answer, Campaign, Item, Judgement, ranks
from chatforge.store.database import Store

FORMATS = ("rm", "dpo", "sft", "kto")


class ExportConfig(StageConfig):
    ties: Literal["skip", "both"] = Field(
        "skip", description="Tied answers: no pair (skip) or one pair each way (both)."
    )
    aggregate: Literal["consensus", "each"] = Field(
        "consensus", description="Pairs from the mean-rank consensus per item, or from each annotator's ranking."
    )
    flag_quorum: float = Field(
        0.5, gt=0, le=1, description="Share of an answer's annotators who must flag it for the flag to count."
    )
    drop_flagged_chosen: bool = Field(True, description="Drop pairs whose preferred answer is flagged unsafe or wrong.")
    topics: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Bias audit: topic -> keywords, for items without a topic field (first match wins).",
    )


class ExportError(UserError, ValueError):
    pass


def consensus(rankings: list[list[list[str]]]) -> tuple[list[list[str]], dict[str, float]]:
    """(tie groups by mean rank, best first; label -> mean rank) of several rankings of the same labels."""
    total: dict[str, float] = defaultdict(float)
    for r in rankings:
        for label, rank in ranks(r).items():
            total[label] += rank / len(rankings)
    groups: dict[float, list[str]] = defaultdict(list)
    for label, mean in total.items():
        groups[round(mean, 9)].append(label)
    return [sorted(groups[m]) for m in sorted(groups)], dict(total)


def ranking_pairs(ranking: list[list[str]], ties: str = "skip") -> list[tuple[str, str]]:
    """(chosen, rejected) labels: every answer beats every answer in a later group; ties as configured."""
    pairs = []
    for i, group in enumerate(ranking):
        for worse in ranking[i + 1 :]:
            pairs += [(a, b) for a in group for b in worse]
        if ties == "both":
            pairs += [(a, b) for a in group for b in group if a != b]
    return pairs


def item_flags(judgements: list[Judgement], quorum: float) -> dict[str, set[str]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for j in judgements:
        for label, kinds in (j.flags or {}).items():
            for kind in kinds:
                counts[label][kind] += 1
    return {
        label: {k for k, n in by_kind.items() if n / len(judgements) >= quorum and k in FLAG_KINDS}
        for label, by_kind in counts.items()
    }


def _reply(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


def _judged_items(store: Store, name: str):
    with store.session() as s:
        camp = s.scalar(select(Campaign).where(Campaign.name == name))
        if camp is None:
            raise ExportError(f"no campaign named {name!r}")
        items = list(s.scalars(select(Item).where(Item.campaign_id == camp.id).order_by(Item.position)))
        answers: dict[int, dict[str, Answer]] = defaultdict(dict)
        for a in s.scalars(select(Answer).join(Item, Item.id == Answer.item_id).where(Item.campaign_id == camp.id)):
            answers[a.item_id][a.label] = a
        judgements: dict[int, list[Judgement]] = defaultdict(list)
        for j in s.scalars(
            select(Judgement)
            .join(Item, Item.id == Judgement.item_id)
            .where(Item.campaign_id == camp.id)
            .order_by(Judgement.id)
        ):
            judgements[j.item_id].append(j)
    for it in items:
        if judgements[it.id] or it.settled:
            yield it, answers[it.id], judgements[it.id]


def export(store: Store, name: str, fmt: str, cfg: ExportConfig | None = None) -> list[dict]:
    """Training rows of `fmt` from the campaign's judgements (settled rankings first)."""
    cfg = cfg or ExportConfig()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    out: list[dict] = []
    for it, answers, js in _judged_items(store, name):
        tag = {"item_id": it.id, **({"topic": it.meta["topic"]} if (it.meta or {}).get("topic") else {})}
        if it.settled:
            rankings, top = [it.settled], it.settled
        else:
            top = consensus([j.ranking for j in js])[0]
            rankings = [j.ranking for j in js] if cfg.aggregate == "each" else [top]
        flags = (
            {k: set(v) for k, v in it.settled_flags.items()}
            if it.settled and it.settled_flags is not None
            else item_flags(js, cfg.flag_quorum)
            if js
            else {}
        )
        flagged = {label for label, kinds in flags.items() if kinds}
        approved = [label for label in top[0] if label not in flagged]
        if fmt in ("rm", "dpo"):
            for ranking in rankings:
                place = ranks(ranking)
                for c, r in ranking_pairs(ranking, cfg.ties):
                    if (cfg.drop_flagged_chosen and c in flagged) or answers[c].content == answers[r].content:
                        continue
                    row = {
                        "prompt": it.prompt,
                        "chosen": _reply(answers[c].content),
                        "rejected": _reply(answers[r].content),
                    }
                    if fmt == "rm":
                        row["margin"] = place[r] - place[c]
                    out.append({**row, "chosen_label": c, "rejected_label": r, **tag})
        elif fmt == "sft":
            texts = [answers[label].content for label in approved] + [j.correction for j in js if j.correction]
            for text in dict.fromkeys(texts):  # one row per distinct text, order kept
                out.append({"messages": it.prompt + _reply(text), **tag})
        else:
            rows = [(answers[label].content, False) for label in sorted(flagged)]
            rows += [(answers[label].content, True) for label in approved]
            rows += [(j.correction, True) for j in js if j.correction]
            for text, label in dict.fromkeys(rows):
                out.append({"prompt": it.prompt, "completion": _reply(text), "label": label, **tag})
    return out
