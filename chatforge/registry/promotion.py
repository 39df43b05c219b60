"""The promotion rule: a version goes to production only when its evaluation passes the gate and beats production.

    chatforge registry promote NAME VERSION [--gate token_f1=0.3,hallucination=0.2] [--tolerance 0.0] [--force]

Metrics come from an evaluation `report.json` (chatforge/eval/runner.py): the candidate is the
last `--model` of that evaluation, stored as the variant `plain` and, when the evaluation had
an index, `rag` (the `CANDIDATE+rag` variant). Names are the report's, dotted to reach inside
a suite (`retrieval.recall@5`, `resources.latency_p95_s`), as for `chatforge eval --fail-under`;
which way is better comes from chatforge/eval/gate.py (`LOWER_IS_BETTER`).

The rule, for every gate metric on every variant both versions have:
1. the gate passes on the candidate's own metrics (a missing metric fails it);
2. the candidate is not worse than production by more than `tolerance` on any gate metric;
3. it is better by more than `tolerance` on at least one of them.
With no production yet, the gate alone decides. Metrics measured on different test sets
are still compared, with a warning in the result: compare like with like when you can.
"""

from __future__ import annotations

from chatforge.errors import ConfigError
from chatforge.eval.gate import lower_is_better

VARIANTS = ("plain", "rag")


def flatten(section: dict, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a report section under dotted names; a `{"value", "ci", "n"}` node is its value."""
    out: dict[str, float] = {}
    for key, node in section.items():
        name = f"{prefix}{key}"
        if isinstance(node, bool) or key in ("items", "ci", "n", "seconds", "examples"):
            continue
        if isinstance(node, (int, float)):
            out[name] = float(node)
        elif isinstance(node, dict):
            value = node.get("value")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[name] = float(value)
            out.update(flatten({k: v for k, v in node.items() if k != "value"}, name + "."))
    return out


def metrics_from_report(report: dict, report_path: str | None = None, model: str | None = None) -> dict:
    """{"variants": {"plain": {...}, "rag": {...}}, "testset": {...}, "report": path, "model": label} for the candidate.

    The candidate is the report's last model unless `model` names another of its labels.
    """
    candidate = model or report["models"][-1]
    variants = {}
    for kind, vname in (("plain", candidate), ("rag", candidate + "+rag")):
        if vname in report.get("results", {}):
            variants[kind] = flatten(report["results"][vname])
    if not variants:
        raise ConfigError(f"{report_path or 'report'}: no results for the candidate {candidate!r}")
    return {
        "variants": variants,
        "testset": report.get("testset"),
        "report": report_path,
        "model": candidate,
        "eval_run_id": (report.get("paths") or {}).get("mlflow_run"),
    }


def value(flat: dict[str, float], name: str) -> float | None:
    return flat.get(name, flat.get(f"{name}.value"))


def gate_check(metrics: dict | None, gate: dict[str, float]) -> dict:
    """{"passed", "checks": [{variant, metric, value, threshold, direction, passed}]} on a version's metrics."""
    variants = (metrics or {}).get("variants") or {}
    checks = []
    for kind in [v for v in VARIANTS if v in variants] or ["plain"]:
        for metric, threshold in gate.items():
            val = value(variants.get(kind, {}), metric)
            low = lower_is_better(metric)
            ok = val is not None and (val <= threshold if low else val >= threshold)
            checks.append(
                {
                    "variant": kind,
                    "metric": metric,
                    "value": val,
                    "threshold": threshold,
                    "direction": "at most" if low else "at least",
                    "passed": ok,
                }
            )
    return {"passed": bool(checks) and all(c["passed"] for c in checks), "checks": checks}


def compare(candidate: dict | None, production: dict | None, metrics: list[str], tolerance: float = 0.0) -> list[dict]:
    """One row per (variant, gate metric) both have: production, candidate, delta, verdict better|worse|equal."""
    cand = (candidate or {}).get("variants") or {}
    prod = (production or {}).get("variants") or {}
    rows = []
    for kind in [v for v in VARIANTS if v in cand and v in prod]:
        for metric in metrics:
            c, p = value(cand[kind], metric), value(prod[kind], metric)
            if c is None or p is None:
                verdict, delta = ("missing" if c is None else "new"), None
            else:
                delta = c - p
                gain = -delta if lower_is_better(metric) else delta
                verdict = "better" if gain > tolerance else "worse" if gain < -tolerance else "equal"
            rows.append(
                {
                    "variant": kind,
                    "metric": metric,
                    "production": p,
                    "candidate": c,
                    "delta": None if delta is None else round(delta, 6),
                    "verdict": verdict,
                }
            )
    return rows


def decide(candidate: dict | None, production: dict | None, gate: dict[str, float], tolerance: float = 0.0) -> dict:
    """{"promote": bool, "reason": str, "gate": ..., "comparison": [...], "warnings": [...]} (the rule above)."""
    if not gate:
        return {
            "promote": False,
            "reason": "no gate: set one with --gate metric=value,... or `registry set-gate`",
            "gate": {"passed": False, "checks": []},
            "comparison": [],
            "warnings": [],
        }
    checked = gate_check(candidate, gate)
    warnings = []
    if not (candidate or {}).get("variants"):
        warnings.append("the candidate has no evaluation metrics (register it with --eval REPORT_JSON)")
    comparison = compare(candidate, production, list(gate), tolerance) if production is not None else []
    if production is not None:
        ts_c, ts_p = ((m or {}).get("testset") or {} for m in (candidate, production))
        if ts_c.get("sha256") != ts_p.get("sha256"):
            warnings.append("candidate and production were evaluated on different test sets")
    if not checked["passed"]:
        failed = [
            f"{c['metric']} ({c['variant']}) = {c['value']} needs {c['direction']} {c['threshold']}"
            for c in checked["checks"]
            if not c["passed"]
        ]
        return {
            "promote": False,
            "reason": "gate failed: " + "; ".join(failed),
            "gate": checked,
            "comparison": comparison,
            "warnings": warnings,
        }
    if production is None:
        return {
            "promote": True,
            "reason": "gate passed; no production version yet",
            "gate": checked,
            "comparison": [],
            "warnings": warnings,
        }
    if not any(r["verdict"] in ("better", "worse", "equal") for r in comparison):
        return {
            "promote": False,
            "gate": checked,
            "comparison": comparison,
            "warnings": warnings,
            "reason": "no gate metric was measured on both production and the candidate (same variant: "
            "plain or rag); evaluate them together, e.g. with `chatforge loop` or one `chatforge eval`",
        }
    worse = [r for r in comparison if r["verdict"] == "worse"]
    if worse:
        return {
            "promote": False,
            "gate": checked,
            "comparison": comparison,
            "warnings": warnings,
            "reason": "worse than production on "
            + "; ".join(
                f"{r['metric']} ({r['variant']}): {r['candidate']:.4g} vs {r['production']:.4g}" for r in worse
            ),
        }
    if not any(r["verdict"] == "better" for r in comparison):
        return {
            "promote": False,
            "gate": checked,
            "comparison": comparison,
            "warnings": warnings,
            "reason": f"not better than production on any gate metric ({', '.join(gate)}; tolerance {tolerance})",
        }
    better = [f"{r['metric']} ({r['variant']})" for r in comparison if r["verdict"] == "better"]
    return {
        "promote": True,
        "reason": "gate passed and better than production on " + ", ".join(better),
        "gate": checked,
        "comparison": comparison,
        "warnings": warnings,
    }


def comparison_table(rows: list[dict]) -> str:
    """The comparison as aligned text for people."""
    if not rows:
        return ""
    fmt = lambda x: "—" if x is None else f"{x:.4g}"  # noqa: E731
    lines = [f"{'metric':<28} {'variant':<6} {'production':>11} {'candidate':>11} {'delta':>10}  verdict"]
    for r in rows:
        lines.append(
            f"{r['metric']:<28} {r['variant']:<6} {fmt(r['production']):>11} {fmt(r['candidate']):>11} "
            f"{fmt(r['delta']):>10}  {r['verdict']}"
        )
    return "\n".join(lines)
