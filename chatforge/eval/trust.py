"""Trust metrics: what a user feels of an answer. Key facts, honest abstention, support, citations, sane output.

    chatforge eval --model A --testset FILE --out DIR [--index IDX]
    (report.json: answer_correct, facts_recall, abstention_precision, abstention_recall, false_abstention,
     supported, citation_accuracy, degenerate)

- Abstention: the answer's `grounding.abstained` flag when it carries one (answers through the
  grounding path), or the French / English abstention-phrase detectors of rag/verify.py
  (`is_abstention`: "je ne sais pas", "ne figure pas dans les documents", "I don't know", ...) and
  hallucination.py (`abstains`: "ne mentionnent pas", ...).
- `abstention_precision`: of the answers that abstain, the share on unanswerable items
  (`answerable: false`); `abstention_recall`: of the unanswerable items, the share abstained on;
  `false_abstention`: of the answerable items, the share abstained on.
- `answer_correct` / `facts_recall` (facts.py): over answerable items with `facts`; an answer flagged
  degenerate as an echo or a loop (degenerate.py) is never correct, whatever facts it repeats.
- `supported` (with passages): per answer that does not abstain, the share of its sentences
  (`split_sentences`) that the passages support (`sentence_support` >= the verifier's `min_support`),
  the same measure the verifier applies before an answer leaves; averaged over answers.
- `citation_accuracy` (facts.py): the share of citations [n], in answers to answerable items with
  facts, whose passage n holds one of the item's facts.
Mean metrics are `{"value", "ci", "n"}` (bootstrap.py); rates of counts are `{"value", "n"}`.
"""

from __future__ import annotations

from chatforge.eval.bootstrap import mean_with_ci
from chatforge.eval.facts import citation_hits, fact_scores
from chatforge.eval.hallucination import abstains as says_abstain
from chatforge.rag.verify import CITATION, is_abstention, sentence_support, split_sentences

NEVER_CORRECT = ("echo", "loop")


def abstained(answer: str, stats: dict | None = None) -> bool:
    """The grounding flag when the answer carries it, or an abstention phrase."""
    grounding = (stats or {}).get("grounding")
    if isinstance(grounding, dict) and grounding.get("abstained") is True:
        return True
    return is_abstention(answer) or says_abstain(answer)


def _rate(hits: int, n: int) -> dict:
    return {"value": round(hits / n, 4) if n else None, "n": n}


def abstention_metrics(items: list[dict], abstains: list[bool]) -> dict[str, dict]:
    unans = [a for it, a in zip(items, abstains) if not it.get("answerable", True)]
    ans = [a for it, a in zip(items, abstains) if it.get("answerable", True)]
    said = sum(abstains)
    return {
        "abstention_precision": _rate(sum(unans), said),
        "abstention_recall": _rate(sum(unans), len(unans)),
        "false_abstention": _rate(sum(ans), len(ans)),
    }


def answer_support(answer: str, passages: list[dict], min_support: float) -> float | None:
    """Share of the answer's sentences the passages support; None for an answer with no sentence."""
    sentences = [CITATION.sub("", s).strip() for s in split_sentences(answer)]
    sentences = [s for s in sentences if s]
    if not sentences:
        return None
    return sum(1 for s in sentences if sentence_support(s, passages) >= min_support) / len(sentences)


def trust_metrics(
    items: list[dict],
    answers: list[str],
    abstains: list[bool],
    flags: list[list[str]],
    passages: list[list[dict]] | None,
    min_support: float = 0.5,
    ci: dict | None = None,
) -> dict:
    """Every trust metric of one variant, by its report name, plus per-item values for `items`."""
    ci = ci or {}
    correct, recall, per_item = [], [], []
    for it, a, ab, f in zip(items, answers, abstains, flags):
        row: dict = {"abstained": ab}
        s = fact_scores(a, it) if it.get("answerable", True) else None
        if s is not None:
            ok = s[0] if not (ab or set(f) & set(NEVER_CORRECT)) else 0.0
            rec = s[1] if not ab else 0.0
            correct.append(ok)
            recall.append(rec)
            row.update(answer_correct=ok, facts_recall=round(rec, 4))
        per_item.append(row)
    out: dict = {
        "answer_correct": mean_with_ci(correct, **ci) if correct else None,
        "facts_recall": mean_with_ci(recall, **ci) if recall else None,
        **abstention_metrics(items, abstains),
    }
    if passages is not None:
        sup = [answer_support(a, p, min_support) for a, p, ab in zip(answers, passages, abstains) if not ab]
        sup = [x for x in sup if x is not None]
        out["supported"] = mean_with_ci(sup, **ci) if sup else None
        hits = [
            h
            for it, a, p in zip(items, answers, passages)
            if it.get("answerable", True)
            for h in citation_hits(a, it, p)
        ]
        out["citation_accuracy"] = {"value": round(sum(hits) / len(hits), 4), "n": len(hits)} if hits else None
    else:
        out["supported"] = out["citation_accuracy"] = None
    return {"metrics": out, "items": per_item}
