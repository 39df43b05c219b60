"""Consistency: do paraphrases of one question get the same answer?

    chatforge eval --model A --testset FILE --out DIR   (report.json: consistency)

Items sharing a `paraphrase_group` ask the same thing in different words. For each group of
two or more, agreement is the mean token F1 (metrics.py normalisation) over every pair of
answers, so identical answers give 1.0 and answers with no word in common give 0.0. The
suite's `value` is the mean over groups; `exact_agreement` is the share of groups whose
normalised answers are all identical.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from chatforge.text_metrics import normalize, token_f1


def group_agreement(answers: list[str]) -> float:
    pairs = list(combinations(answers, 2))
    return sum(token_f1(a, b) for a, b in pairs) / len(pairs) if pairs else 1.0


def consistency_suite(items: list[dict], answers: list[str], max_examples: int = 3) -> dict:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.get("paraphrase_group"):
            groups[it["paraphrase_group"]].append(i)
    scored = {g: group_agreement([answers[i] for i in idx]) for g, idx in groups.items() if len(idx) > 1}
    if not scored:
        return {"value": None, "groups": 0}
    identical = sum(1 for g in scored if len({normalize(answers[i]) for i in groups[g]}) == 1)
    worst = sorted(scored, key=scored.get)[:max_examples]
    return {"value": round(sum(scored.values()) / len(scored), 4), "groups": len(scored),
            "exact_agreement": round(identical / len(scored), 4),
            "per_group": {g: round(v, 4) for g, v in sorted(scored.items())},
            "examples": [{"group": g, "agreement": round(scored[g], 4),
                          "answers": [{"question": items[i]["question"], "answer": answers[i]} for i in groups[g]]}
                         for g in worst]}
