"""The promotion gate: `--fail-under metric=value,...` turns an evaluation into a pass / fail check.

    chatforge eval --model BASE --model CANDIDATE --testset FILE --out DIR --fail-under token_f1=0.4,hallucination=0.2

Each threshold is checked on every variant of the last `--model` (the candidate; with
`--index`, both `CANDIDATE` and `CANDIDATE+rag`). Names are the report.json names, dotted to
reach inside a suite: `answer_correct`, `abstention_recall`, `false_abstention`, `supported`,
`citation_accuracy`, `degenerate`, `token_f1`, `hallucination`, `retrieval.recall@5`,
`classification.f1.macro`, `resources.latency_p95_s`. A suite name alone means its `value`.
For higher-is-better metrics the check fails when the value is under the threshold; for
lower-is-better ones (`LOWER_IS_BETTER`: hallucination, false_abstention, degenerate, perplexity,
robustness drop, bias divergence, error rate, latencies, memory...) it fails when the value is over it. A metric
that is missing from the report fails: a gate must not pass on what it did not measure.
"""

from __future__ import annotations

from chatforge.errors import UserError

LOWER_IS_BETTER = {
    "hallucination",
    "perplexity",
    "robustness",
    "bias",
    "errors",
    "contradiction_rate",
    "rate",
    "drop",
    "score_gap",
    "answer_divergence",
    "abstained_on_answerable",
    "loss",
    "peak_memory_mib",
    "false_abstention",
    "degenerate",
    "latency_p50_s",
    "latency_p95_s",
    "ttft_p50_s",
    "ttft_p95_s",
}


class GateError(UserError, ValueError):
    """A --fail-under value that cannot be parsed."""


def parse_fail_under(text: str | None) -> dict[str, float]:
    """ "token_f1=0.4,hallucination=0.2" -> {"token_f1": 0.4, "hallucination": 0.2}."""
    out: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            out[name.strip()] = float(raw)
        except ValueError:
            raise GateError(f"--fail-under {part.strip()!r}: expected metric=number") from None
    return out


def metric_value(section: dict, name: str) -> float | None:
    node = section
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        node = node.get("value")
    return float(node) if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def lower_is_better(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in LOWER_IS_BETTER or parts[-1] in LOWER_IS_BETTER


def check(variants: dict[str, dict], thresholds: dict[str, float], gated: list[str]) -> dict:
    """{"passed", "checks": [{variant, metric, value, threshold, direction, passed}]}."""
    checks = []
    for vname in gated:
        for metric, threshold in thresholds.items():
            value = metric_value(variants[vname], metric)
            low = lower_is_better(metric)
            ok = value is not None and (value <= threshold if low else value >= threshold)
            checks.append(
                {
                    "variant": vname,
                    "metric": metric,
                    "value": value,
                    "threshold": threshold,
                    "direction": "at most" if low else "at least",
                    "passed": ok,
                }
            )
    return {"passed": all(c["passed"] for c in checks), "checks": checks}
