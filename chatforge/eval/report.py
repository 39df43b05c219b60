"""The evaluation report: `report.json` for machines, `report.html` for people, and an MLflow run.

    chatforge eval --model A [--model B ...] --testset FILE --out DIR   (writes DIR/report.json, DIR/report.html)

report.json: `results[variant]` holds every metric under its issue name (answer_correct,
facts_recall, abstention_precision, abstention_recall, false_abstention, supported,
citation_accuracy, degenerate, exact_match,
token_precision, token_recall, token_f1 (echo-proof), token_f1_raw, rouge_l, bleu, semantic_similarity, perplexity,
retrieval, groundedness, hallucination, consistency, robustness, bias, resources, errors,
classification); mean metrics are `{"value", "ci": [low, high], "n"}`; `ab[variant]` compares
it with the first variant; plus the gate, the config, the test set hash and library versions.
report.html: a summary table with confidence intervals, bar charts per metric and variant
(matplotlib, PNG embedded), A/B rates, error buckets with examples, configuration and hashes.
MLflow: one run per evaluation, metrics named `<variant>.<metric>`, both reports as artifacts.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from pathlib import Path

import yaml

from chatforge.eval.gate import metric_value

SUMMARY = [
    "answer_correct",
    "facts_recall",
    "abstention_precision",
    "abstention_recall",
    "false_abstention",
    "supported",
    "citation_accuracy",
    "degenerate",
    "exact_match",
    "token_f1",
    "token_f1_raw",
    "rouge_l",
    "bleu",
    "semantic_similarity",
    "groundedness",
    "hallucination",
    "hallucination.contradiction_rate",
    "consistency",
    "robustness",
    "bias",
    "retrieval.recall@5",
    "retrieval.mrr",
    "classification.f1.macro",
    "perplexity",
    "resources.latency_p50_s",
    "resources.tokens_per_s",
    "errors.rate",
]
CHARTS = [
    "answer_correct",
    "abstention_recall",
    "false_abstention",
    "supported",
    "degenerate",
    "exact_match",
    "token_f1",
    "rouge_l",
    "bleu",
    "semantic_similarity",
    "groundedness",
    "hallucination",
    "consistency",
    "robustness",
    "bias",
]


def _ci(section: dict, name: str):
    node = section.get(name) if "." not in name else None
    return node.get("ci") if isinstance(node, dict) else None


def _fmt(value, ci=None) -> str:
    if value is None:
        return "—"
    text = f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return text + (f" <small>[{ci[0]:.3f}, {ci[1]:.3f}]</small>" if ci else "")


def bar_charts_png(results: dict) -> str:
    """One bar chart per metric (bars = variants, whiskers = CI), as a base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [m for m in CHARTS if any(metric_value(s, m) is not None for s in results.values())]
    variants = list(results)
    cols = 4
    rows = max(1, (len(names) + cols - 1) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    for ax in axes.flat[len(names) :]:
        ax.axis("off")
    for ax, metric in zip(axes.flat, names):
        vals = [metric_value(results[v], metric) or 0.0 for v in variants]
        err = [[0.0] * len(variants), [0.0] * len(variants)]
        for k, v in enumerate(variants):
            ci = _ci(results[v], metric)
            if ci:
                err[0][k], err[1][k] = max(vals[k] - ci[0], 0), max(ci[1] - vals[k], 0)
        ax.bar(range(len(variants)), vals, yerr=err, capsize=3, color=[f"C{k}" for k in range(len(variants))])
        ax.set_xticks(range(len(variants)), [v[-18:] for v in variants], rotation=30, ha="right", fontsize=7)
        ax.set_title(metric, fontsize=9)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def render_html(report: dict) -> str:
    e = html.escape
    results = report["results"]
    parts = [
        "<!doctype html><meta charset='utf-8'><title>chatforge eval</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;vertical-align:top}small{color:#666}"
        ".fail{color:#b00}.pass{color:#070}</style>",
        f"<h1>Evaluation: {e(', '.join(report['variants']))}</h1>",
        f"<p>Test set {e(report['testset']['path'])} ({report['testset']['items']} items, sha256 "
        f"<code>{report['testset']['sha256'][:16]}</code>); intervals: {report['config']['confidence']:.0%} bootstrap.</p>",
    ]
    if report.get("index"):
        parts.append(f"<p>Retrieval roles: {e(', '.join(report['index']['roles']))}</p>")
    parts += [f"<p class='fail'>Warning: {e(w)}</p>" for w in report.get("warnings") or []]
    gate = report.get("gate")
    if gate and gate["checks"]:
        parts.append(
            f"<h2>Gate: <span class='{'pass' if gate['passed'] else 'fail'}'>{'passed' if gate['passed'] else 'FAILED'}</span></h2><table>"
            "<tr><th>variant</th><th>metric</th><th>value</th><th>threshold</th><th></th></tr>"
        )
        for c in gate["checks"]:
            parts.append(
                f"<tr><td>{e(c['variant'])}</td><td>{e(c['metric'])}</td><td>{_fmt(c['value'])}</td>"
                f"<td>{c['direction']} {c['threshold']}</td><td class='{'pass' if c['passed'] else 'fail'}'>"
                f"{'ok' if c['passed'] else 'fail'}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2>Summary</h2><table><tr><th>metric</th>" + "".join(f"<th>{e(v)}</th>" for v in results) + "</tr>")
    for metric in SUMMARY:
        if all(metric_value(s, metric) is None for s in results.values()):
            continue
        parts.append(
            f"<tr><td>{e(metric)}</td>"
            + "".join(f"<td>{_fmt(metric_value(s, metric), _ci(s, metric))}</td>" for s in results.values())
            + "</tr>"
        )
    parts.append("</table>")
    parts.append(
        f"<h2>Charts</h2><img alt='bar charts per metric' src='data:image/png;base64,{bar_charts_png(results)}'>"
    )
    if report.get("ab"):
        parts.append(
            "<h2>A/B against the baseline</h2><table><tr><th>variant</th><th>baseline</th><th>judge</th>"
            "<th>win</th><th>tie</th><th>loss</th><th>mean score delta</th><th>token F1 delta</th></tr>"
        )
        for v, ab in report["ab"].items():
            parts.append(
                f"<tr><td>{e(v)}</td><td>{e(ab['baseline'])}</td><td>{e(ab['judge'])}</td>"
                + "".join(
                    f"<td>{_fmt(ab[k]['value'], ab[k]['ci'])}</td>" if k in ab else "<td>—</td>"
                    for k in ("win", "tie", "loss", "mean_score_delta", "token_f1_delta")
                )
                + "</tr>"
            )
        parts.append("</table>")
    parts.append("<h2>Errors</h2>")
    for v, s in results.items():
        errs = s.get("errors")
        if not errs:
            continue
        deg = s.get("degenerate") or {}
        if deg.get("flagged"):
            parts.append(
                f"<p>{e(v)}: degenerate output on {deg['flagged']} item(s): "
                + ", ".join(f"{e(k)} {n}" for k, n in deg["counts"].items() if n)
                + "</p>"
            )
        parts.append(
            f"<h3>{e(v)}: {errs['failed']} failed ({_fmt(errs['rate'])})</h3><table>"
            "<tr><th>bucket</th><th>count</th><th>examples (question → answer | reference)</th></tr>"
        )
        for b, n in errs["counts"].items():
            ex = "<br>".join(
                f"<b>{e(x['question'])}</b> → {e(x['answer'][:200])} <small>| {e(str(x['reference'])[:200])}</small>"
                for x in errs["examples"][b]
            )
            parts.append(f"<tr><td>{e(b)}</td><td>{n}</td><td>{ex}</td></tr>")
        parts.append("</table>")
    parts.append(
        "<h2>Configuration and provenance</h2><pre>"
        + e(
            yaml.safe_dump(
                {
                    "models": report["model_specs"],
                    "index": report.get("index"),
                    "testset": report["testset"],
                    "config": report["config"],
                    "versions": report["versions"],
                },
                sort_keys=False,
                allow_unicode=True,
            )
        )
        + "</pre>"
    )
    return "\n".join(parts)


def flat_metrics(results: dict, ab: dict) -> dict[str, float]:
    """`<variant>.<metric>` -> number, for MLflow (names limited to its allowed characters)."""
    out = {}
    for v, s in results.items():
        for metric in SUMMARY + ["token_precision", "token_recall"]:
            value = metric_value(s, metric)
            if value is not None:
                out[f"{v}.{metric}"] = value
    for v, a in ab.items():
        for k in ("win", "tie", "loss"):
            out[f"{v}.ab.{k}"] = a[k]["value"]
    return {re.sub(r"[^A-Za-z0-9_\-.]", "_", k): float(x) for k, x in out.items() if x is not None}


def log_mlflow(report: dict, out: Path, paths: list[Path]) -> str:
    """One MLflow run: params (models, test set hash), metrics, reports as artifacts; returns the run id.

    Uses an explicit MlflowClient, not mlflow's process-global tracking URI and active run, so
    an evaluation inside another stage's process (serve, a training run) leaves its MLflow state alone.
    """
    import logging
    import os
    import time

    from mlflow.entities import Metric, Param
    from mlflow.tracking import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    remote = os.environ.get("MLFLOW_TRACKING_URI")
    client = MlflowClient(tracking_uri=remote or f"sqlite:///{out.resolve() / 'mlflow.db'}")
    name = report["config"]["experiment"]
    exp = client.get_experiment_by_name(name)
    # a local store keeps its artifacts under OUT too (MLflow's default would be ./mlruns in the cwd)
    exp_id = (
        exp.experiment_id
        if exp is not None
        else client.create_experiment(
            name, artifact_location=None if remote else (out.resolve() / "mlartifacts").as_uri()
        )
    )
    run = client.create_run(exp_id, run_name="eval " + " vs ".join(report["models"])[:200])
    run_id = run.info.run_id
    params = {
        "models": ",".join(report["models"])[:500],
        "testset_sha256": report["testset"]["sha256"],
        "items": str(report["testset"]["items"]),
        "index": str((report.get("index") or {}).get("path")),
    }
    now = int(time.time() * 1000)
    client.log_batch(
        run_id,
        metrics=[Metric(k, v, now, 0) for k, v in flat_metrics(report["results"], report.get("ab") or {}).items()],
        params=[Param(k, v) for k, v in params.items()],
    )
    for p in paths:
        client.log_artifact(run_id, str(p))
    client.set_terminated(run_id)
    return run_id


def write_report(report: dict, out: Path) -> dict[str, str]:
    """Write report.json and report.html (and log to MLflow when configured); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "report.json", out / "report.html"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    html_path.write_text(render_html(report), encoding="utf-8")
    paths = {"report_json": str(json_path), "report_html": str(html_path)}
    if report["config"].get("mlflow"):
        paths["mlflow_run"] = log_mlflow(report, out, [json_path, html_path])
    return paths
