"""Error analysis: every failed item in one bucket, with examples.

    chatforge eval --model A --testset FILE --out DIR   (report.json: errors)

An answerable item fails when its token F1 is under `fail_below` or it contradicts the
reference (hallucination.py); an unanswerable one fails when the model does not abstain.
Buckets, checked in this order:
- `degenerate`: an answer that is not one (degenerate.py: prompt echo, the same answer to
  different questions, a repetition loop, the token limit reached), whatever its overlap with the
  reference; the kinds are listed in each example;
- `hallucinated`: an unanswerable question answered anyway, or (with retrieval) an answer
  whose content is mostly absent from the retrieved passages (groundedness < 0.5);
- `no_answer`: empty output;
- `refused_wrongly`: an abstention on an answerable question;
- `off_topic`: the answer is unrelated to the question and reference (embedding cosine to
  the reference < `off_topic_below`, or, without embeddings, no content word shared with
  either);
- `wrong_fact`: everything else: on topic, but the facts do not match.
"""

from __future__ import annotations

from chatforge.eval.hallucination import abstains, content_tokens, contradicts, groundedness

BUCKETS = ("wrong_fact", "no_answer", "off_topic", "hallucinated", "refused_wrongly", "degenerate")


def bucket(
    item: dict,
    answer: str,
    f1: float,
    similarity: float | None = None,
    passages: list[dict] | None = None,
    fail_below: float = 0.5,
    off_topic_below: float = 0.3,
) -> str | None:
    """The bucket of a failed item, or None when the item passed."""
    reference = item.get("answer", "")
    if not item.get("answerable", True):
        return None if abstains(answer) else "hallucinated"
    if f1 >= fail_below and not contradicts(answer, reference):
        return None
    if not answer.strip():
        return "no_answer"
    if abstains(answer):
        return "refused_wrongly"
    if passages is not None:
        g = groundedness(answer, passages)
        if g is not None and g < 0.5:
            return "hallucinated"
    if similarity is not None:
        if similarity < off_topic_below:
            return "off_topic"
    elif not set(content_tokens(answer)) & set(content_tokens(reference + " " + item["question"])):
        return "off_topic"
    return "wrong_fact"


def error_buckets(
    items: list[dict],
    answers: list[str],
    f1s: list[float],
    similarities: list[float] | None = None,
    passages: list[list[dict]] | None = None,
    fail_below: float = 0.5,
    off_topic_below: float = 0.3,
    max_examples: int = 5,
    flags: list[list[str]] | None = None,
) -> dict:
    """{"failed", "rate", "counts": {bucket: n}, "examples": {bucket: [...]}}."""
    counts = {b: 0 for b in BUCKETS}
    examples: dict[str, list[dict]] = {b: [] for b in BUCKETS}
    for i, (it, ans, f1) in enumerate(zip(items, answers, f1s)):
        sim = similarities[i] if similarities is not None else None
        kinds = flags[i] if flags is not None else []
        b = (
            "degenerate"
            if kinds
            else bucket(it, ans, f1, sim, passages[i] if passages is not None else None, fail_below, off_topic_below)
        )
        if b is None:
            continue
        counts[b] += 1
        if len(examples[b]) < max_examples:
            examples[b].append(
                {
                    "id": it.get("id"),
                    "question": it["question"],
                    "reference": it.get("answer"),
                    "answer": ans,
                    "token_f1": round(f1, 4),
                    **({"kinds": kinds} if kinds else {}),
                }
            )
    failed = sum(counts.values())
    return {
        "failed": failed,
        "rate": round(failed / len(items), 4) if items else None,
        "counts": counts,
        "examples": examples,
    }
