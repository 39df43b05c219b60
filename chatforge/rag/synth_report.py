"""The `data synth` report: report.json for machines, report.html for people (like `data prepare`'s).

    chatforge data synth DOCS --index IDX --out DIR     (DIR/report.json, DIR/report.html)

It accounts for every candidate pair (kept, or removed by a named check), every document (used or
rejected with the reason), and shows counts by kind, language and roles, token lengths of the training
conversations, and a sample of the pairs with their source chunk.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from chatforge.data.report import length_stats, token_counter

SAMPLE = 30


def _table(rows: dict, header: tuple[str, str]) -> str:
    body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows.items())
    return f"<table><tr><th>{header[0]}</th><th>{header[1]}</th></tr>{body}</table>"


def write_synth_report(report: dict, pairs: list[dict], rows: dict, out: Path, tokenizer: str | None) -> dict:
    """Add token-length statistics to `report`, write report.json and report.html; return their paths."""
    count = token_counter(tokenizer)
    lengths = [count("\n".join(m["content"] for m in r["messages"])) for split in rows.values() for r in split]
    report["token_lengths"] = length_stats(lengths) | {"tokenizer": tokenizer or "words"}
    json_path, html_path = Path(out) / "report.json", Path(out) / "report.html"
    paths = {"report_json": str(json_path), "report_html": str(html_path)}
    report["paths"] = {**report.get("paths", {}), **paths}
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    summary = {
        k: report[k]
        for k in (
            "documents",
            "chunks",
            "candidates",
            "verified",
            "verified_share",
            "pairs",
            "train",
            "val",
            "test",
            "unanswerable",
            "seconds",
        )
    }
    rejected = "".join(
        f"<tr><td>{html.escape(r['source'])}</td><td>{html.escape(r['reason'])}</td></tr>" for r in report["rejected"]
    )
    sample = "".join(
        f"<tr><td>{html.escape(p['question'])}</td><td>{html.escape(p['answer'])}</td>"
        f"<td>{html.escape(', '.join(p['facts']))}</td><td>{html.escape(p['kind'])}</td>"
        f"<td>{html.escape(p['chunk_id'])}</td><td>{html.escape(', '.join(p['roles']))}</td></tr>"
        for p in pairs[:: max(1, len(pairs) // SAMPLE)][:SAMPLE]
    )
    teacher = f"<h2>Teacher</h2>{_table(report['teacher'], ('measure', 'value'))}" if report.get("teacher") else ""
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chatforge data synth report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:0.5em 0 1.5em}}td,th{{border:1px solid #ccc;padding:4px 10px;text-align:left;vertical-align:top}}
th{{background:#f2f4f7}}h2{{margin-top:1.6em}}</style></head><body>
<h1>Synthesised pairs report</h1>
<h2>Summary</h2>{_table(summary, ("measure", "value"))}
<h2>Removed by check</h2>{_table(report["removed"] or {"none": 0}, ("check", "pairs"))}
<h2>Kinds</h2>{_table(report["kinds"], ("kind", "pairs"))}
<h2>Languages</h2>{_table(report["languages"], ("language", "pairs"))}
<h2>Roles</h2>{_table(report["roles"], ("roles", "pairs"))}
{teacher}
<h2>Token lengths (train and val conversations)</h2>{_table(report["token_lengths"], ("statistic", "value"))}
<h2>Rejected documents ({len(report["rejected"])})</h2>
<table><tr><th>source</th><th>reason</th></tr>{rejected}</table>
<h2>Sample pairs</h2>
<table><tr><th>question</th><th>answer</th><th>facts</th><th>kind</th><th>source chunk</th><th>roles</th></tr>{sample}</table>
</body></html>"""
    html_path.write_text(page, encoding="utf-8")
    return paths
