"""Grounded preference pairs: the reader's own grounded prompt, its verified answer against a typical reader mistake.

    chatforge rag reader-data runs/data --index IDX --out runs/reader        # also writes runs/reader/preferences/
    chatforge train dpo --model runs/sft --data runs/reader/preferences/train.jsonl --out runs/dpo

`rag reader-data` (rag/reader_data.py) writes, beside each split's conversations, OUT/preferences/train.jsonl and
val.jsonl in the conversational shape `train dpo` reads (train/preferences.py): `{"prompt": [system, user],
"chosen": [assistant], "rejected": [assistant]}`, plus `kind`, `id`, `roles`, `doc_id`. The prompt is exactly the
conversation the reader is trained on (same GroundingBuilder prompt: system, numbered passages, question); the
chosen answer is that conversation's target. One pair per conversation, its rejected answer drawn by the seed among
the kinds that apply:

- `wrong_number` (answered questions): the cited target with one figure changed to a value no passage holds, a
  sentence rag/verify.py removes (unsupported number);
- `abstain_answerable` (answered questions): the abstention sentence although the passages hold the answer;
- `wrong_citation` (answered questions, two passages or more): the target citing `[n]` of a passage that supports
  none of its sentences;
- `answer_no_gold` (gold-removed and distractor-only conversations, whose target is the abstention): the cited
  answer stated although no passage holds it.

Unanswerable questions give no pair (there is no answer to state). The draws use their own seeded generator, so
switching pairs on or off (`preferences`) leaves the conversations unchanged; `max_pairs` caps each split.
"""

from __future__ import annotations

import random
import re

from chatforge.rag.verify import (
    CITATION,
    VerifyConfig,
    citations,
    content_tokens,
    numbers,
    passage_supports,
    split_sentences,
    unsupported_numbers,
    verify,
)

PAIR_KINDS = ("wrong_number", "abstain_answerable", "answer_no_gold", "wrong_citation")
_FIGURE = re.compile(r"(?<![\d.,])\d+(?![\d])")


def _text(p) -> str:
    return str(p.get("text", "")) if isinstance(p, dict) else str(p)


def wrong_number(target: str, passages: list[dict], cfg: VerifyConfig, rng: random.Random) -> str | None:
    """`target` with one figure changed to a value no passage states, which `verify` removes; None without one."""
    held = set().union(*(numbers(_text(p)) for p in passages)) if passages else set()
    cited = [m.span() for m in CITATION.finditer(target)]
    figures = [
        m
        for m in _FIGURE.finditer(target)
        if not any(a <= m.start() < b for a, b in cited) and not (m.group().startswith("0") and len(m.group()) > 1)
    ]
    rng.shuffle(figures)
    for m in figures:
        n = int(m.group())
        values = list(dict.fromkeys(v for v in (n + 1, n * 2, n + 5, n * 3, n + 10, n + 100) if v != n))
        rng.shuffle(values)
        for v in values:
            changed = target[: m.start()] + str(v) + target[m.end() :]
            if str(v) in held:
                continue
            sentence = next((s for s in split_sentences(changed) if str(v) in s), "")
            if (
                unsupported_numbers(CITATION.sub("", sentence), held)
                and verify(changed, passages, cfg).removed_sentences
            ):
                return changed
    return None


def wrong_citation(target: str, passages: list[dict], cfg: VerifyConfig, rng: random.Random) -> str | None:
    """`target` with its citations pointing at a passage that supports none of its sentences; None without one."""
    bodies = [b for b in (CITATION.sub("", s).strip() for s in split_sentences(target)) if content_tokens(b)]
    cited = set(citations(target))
    if not bodies or not cited:
        return None
    wrong = [
        n
        for n in range(1, len(passages) + 1)
        if n not in cited and all(passage_supports(b, [passages[n - 1]])[0] < cfg.passage_min_support for b in bodies)
    ]
    if not wrong:
        return None
    n = rng.choice(wrong)
    return CITATION.sub(f" [{n}]", target)


def _pair(row: dict, kind: str, rejected: str) -> dict:
    return {
        "prompt": row["messages"][:-1],
        "chosen": [row["messages"][-1]],
        "rejected": [{"role": "assistant", "content": rejected}],
        "kind": kind,
        "id": f"{row['id']}#{kind}",
        "roles": row["roles"],
        "doc_id": row.get("doc_id"),
    }


def question_pairs(
    rows: list[dict], passages: list[dict], answer: str, abstain: str, cfg: VerifyConfig, rng: random.Random
) -> list[dict]:
    """One pair per conversation of an answered question: `rows` are its conversations (grounded first),
    `passages` the grounded one's in prompt order, `answer` its cited target, `abstain` the abstention sentence."""
    pairs = []
    for row in rows:
        if row["kind"] == "grounded":
            options = {"abstain_answerable": abstain}
            for kind, make in (("wrong_number", wrong_number), ("wrong_citation", wrong_citation)):
                rejected = make(answer, passages, cfg, rng)
                if rejected is not None:
                    options[kind] = rejected
            kind = rng.choice([k for k in PAIR_KINDS if k in options])
            pairs.append(_pair(row, kind, options[kind]))
        elif row["kind"] in ("abstain_no_gold", "distractor_only"):
            pairs.append(_pair(row, "answer_no_gold", answer))
    return pairs


def cap_pairs(pairs: list[dict], max_pairs: int | None, seed: int, split: str) -> list[dict]:
    """At most `max_pairs` of a split (a seeded sample, kinds interleaved), shuffled for training."""
    rng = random.Random(f"{seed}:pairs:{split}")
    out = list(pairs)
    rng.shuffle(out)
    return out[:max_pairs] if max_pairs else out


def count_kinds(pairs: list[dict]) -> dict[str, int]:
    return {k: sum(p["kind"] == k for p in pairs) for k in PAIR_KINDS}
