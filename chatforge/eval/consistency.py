"""Consistency: do paraphrases of one question get the same answer?

    chatforge eval --model A --testset FILE --out DIR   (report.json: consistency)

Items sharing a `paraphrase_group` ask the same thing in different words. For each group of
two or more, agreement is the mean token F1 (metrics.py normalisation) over every pair of
answers, so identical answers give 1.0 and answers with no word in common give 0.0. The
suite's `value` is the mean over groups; `exact_agreement` is the share of groups whose
normalised answers are all identical.

Agreement is about paraphrases of the SAME question: an answer that is also given (identical or
near-identical) to a different question with a different reference (degenerate.py's
`shared_answers`: one answer for everything) agrees with nothing, so every pair it is in counts
0.0. Forty-two identical answers to distinct questions score 0, not 1. Abstentions are exempt
(the same "not in the documents" to two unanswerable questions is right). `generic_answers` counts
the answers discounted.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from chatforge.eval.degenerate import shared_answers
from chatforge.rag.verify import is_abstention
from chatforge.text_metrics import normalize, token_f1


def group_agreement(answers: list[str], generic: list[bool] | None = None) -> float:
    """Mean pairwise token F1; a pair with a generic answer (given to other questions too) scores 0."""
    generic = generic or [False] * len(answers)
    pairs = list(combinations(range(len(answers)), 2))
    if not pairs:
        return 1.0
    return sum(0.0 if generic[i] or generic[j] else token_f1(answers[i], answers[j]) for i, j in pairs) / len(pairs)


def consistency_suite(
    items: list[dict], answers: list[str], max_examples: int = 3, abstained: list[bool] | None = None
) -> dict:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.get("paraphrase_group"):
            groups[it["paraphrase_group"]].append(i)
    abstained = abstained if abstained is not None else [is_abstention(a) for a in answers]
    generic = shared_answers(items, answers, abstained)
    scored = {
        g: group_agreement([answers[i] for i in idx], [generic[i] for i in idx])
        for g, idx in groups.items()
        if len(idx) > 1
    }
    if not scored:
        return {"value": None, "groups": 0, "generic_answers": sum(generic)}
    identical = sum(
        1
        for g in scored
        if len({normalize(answers[i]) for i in groups[g]}) == 1 and not any(generic[i] for i in groups[g])
    )
    worst = sorted(scored, key=scored.get)[:max_examples]
    return {
        "value": round(sum(scored.values()) / len(scored), 4),
        "groups": len(scored),
        "exact_agreement": round(identical / len(scored), 4),
        "generic_answers": sum(generic),
        "per_group": {g: round(v, 4) for g, v in sorted(scored.items())},
        "examples": [
            {
                "group": g,
                "agreement": round(scored[g], 4),
                "answers": [{"question": items[i]["question"], "answer": answers[i]} for i in groups[g]],
            }
            for g in worst
        ],
    }
