"""Hallucination and groundedness: abstention on unanswerable questions, contradictions, support by passages.

    chatforge eval --model A --testset FILE --out DIR [--index IDX]   (report.json: hallucination, groundedness)

- Abstention is recognised by phrases (normalised text, French and English) such as
  "je n'ai pas d'information", "je ne dispose pas", "ne figure pas dans les documents",
  "I don't have information", "I don't know": `chatforge.rag.verify.ABSTAIN_PATTERNS`, the one list
  the verifier uses too.
- `hallucination` (the gated value) is the share of unanswerable questions (`answerable:
  false`) the model answers instead of abstaining.
- `contradiction_rate`: on answerable questions, the share of answers that state a number the
  reference does not contain while the reference has numbers of its own (a fare, a weight, a
  delay stated wrongly). It is a cheap, precise-but-incomplete signal: a wrong fact without a
  number is not counted here (it lands in the `errors` buckets through its low score).
- `groundedness`: with retrieval, the share of the answer's content tokens (normalised,
  longer than 3 characters, or numbers) found in the retrieved passages; averaged over answers
  that are not abstentions.
"""

from __future__ import annotations

import re

from chatforge.rag.verify import ABSTAIN_PATTERNS, is_abstention  # noqa: F401  (re-exported)
from chatforge.text_metrics import normalize, tokens

_NUMBER = re.compile(r"\d+")


def abstains(answer: str) -> bool:
    """True when the answer declines to answer (or is empty): rag/verify.py's one list of phrasings."""
    return is_abstention(answer)


def numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(normalize(text)))


def contradicts(answer: str, reference: str) -> bool:
    """The answer states a number absent from a reference that has numbers."""
    ref = numbers(reference)
    return bool(ref) and bool(numbers(answer) - ref)


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if len(t) > 3 or t.isdigit()]


def groundedness(answer: str, passages: list[dict]) -> float | None:
    """Share of the answer's content tokens present in the passages; None for an answer with none."""
    words = content_tokens(answer)
    if not words:
        return None
    support = set(tokens(" ".join(str(p.get("text", "")) for p in passages)))
    return sum(1 for w in words if w in support) / len(words)


def hallucination_suite(items: list[dict], answers: list[str], max_examples: int = 5) -> dict:
    """{value (non-abstention rate on unanswerable), contradiction_rate, counts, examples}."""
    unanswerable = [(it, a) for it, a in zip(items, answers) if not it.get("answerable", True)]
    answerable = [(it, a) for it, a in zip(items, answers) if it.get("answerable", True)]
    answered = [(it, a) for it, a in unanswerable if not abstains(a)]
    contradicting = [(it, a) for it, a in answerable if contradicts(a, it.get("answer", ""))]
    refused = [(it, a) for it, a in answerable if abstains(a)]
    return {
        "value": round(len(answered) / len(unanswerable), 4) if unanswerable else None,
        "unanswerable": len(unanswerable),
        "not_abstained": len(answered),
        "contradiction_rate": round(len(contradicting) / len(answerable), 4) if answerable else None,
        "contradictions": len(contradicting),
        "abstained_on_answerable": round(len(refused) / len(answerable), 4) if answerable else None,
        "examples": [
            {"id": it.get("id"), "question": it["question"], "answer": a, "kind": kind}
            for kind, rows in (("answered_unanswerable", answered), ("contradiction", contradicting))
            for it, a in rows[:max_examples]
        ],
    }
