"""The data report: `report.json` for machines, `report.html` (with a token-length histogram) for people."""

from __future__ import annotations

import base64
import html
import io
import json
import re
from pathlib import Path
from typing import Callable

import numpy as np

_WORDS = re.compile(r"\w+|[^\w\s]")


def token_counter(tokenizer: str | None) -> Callable[[str], int]:
    """A function text -> token count.

    None counts words and punctuation marks (close to, usually below, a subword
    tokenizer's count). A `tokenizer.json` path or a folder holding one is loaded with
    `tokenizers`; anything else goes to transformers' AutoTokenizer (a hub id needs
    internet).
    """
    if tokenizer is None:
        return lambda text: len(_WORDS.findall(text))
    p = Path(tokenizer)
    file = p if p.is_file() else p / "tokenizer.json"
    if file.is_file():
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(file))
        return lambda text: len(tok.encode(text).ids)
    from transformers import AutoTokenizer  # heavy and optional here

    auto = AutoTokenizer.from_pretrained(tokenizer)
    return lambda text: len(auto(text)["input_ids"])


def length_stats(lengths: list[int]) -> dict:
    if not lengths:
        return {"count": 0}
    a = np.asarray(lengths)
    return {
        "count": int(a.size),
        "min": int(a.min()),
        "mean": round(float(a.mean()), 1),
        "p50": int(np.percentile(a, 50)),
        "p95": int(np.percentile(a, 95)),
        "max": int(a.max()),
    }


def _histogram_png(lengths: list[int], tokenizer: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
    ax.hist(lengths or [0], bins=min(40, max(5, len(set(lengths)))), color="#3b6ea8", edgecolor="white")
    ax.set_xlabel(f"tokens per conversation ({tokenizer})")
    ax.set_ylabel("conversations")
    ax.set_title("Token length distribution (all splits)")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _table(rows: dict, header: tuple[str, str]) -> str:
    body = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows.items())
    return f"<table><tr><th>{header[0]}</th><th>{header[1]}</th></tr>{body}</table>"


def write_report(report: dict, lengths: list[int], out_dir: Path, tokenizer: str) -> dict:
    """Add length statistics to `report`, write report.json and report.html; return their paths."""
    report["token_lengths"] = length_stats(lengths) | {"tokenizer": tokenizer}
    json_path, html_path = out_dir / "report.json", out_dir / "report.html"
    paths = {"report_json": str(json_path), "report_html": str(html_path)}
    report["paths"] = {**report.get("paths", {}), **paths}
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    rejected = report["rejected"]
    rej_rows = "".join(
        f"<tr><td>{html.escape(r['source'])}</td><td>{r.get('line') or ''}</td><td>{r.get('page') or ''}</td>"
        f"<td>{html.escape(r['reason'])}</td></tr>"
        for r in rejected[:500]
    )
    more = f"<p>… and {len(rejected) - 500} more in report.json</p>" if len(rejected) > 500 else ""
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in report.get("warnings", []))
    summary = {
        k: report[k]
        for k in ("records_in", "records_out", "pii_redacted", "documents", "augmented", "duration_s", "records_per_s")
    }
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chatforge data report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:0.5em 0 1.5em}}td,th{{border:1px solid #ccc;padding:4px 10px;text-align:left}}
th{{background:#f2f4f7}}h2{{margin-top:1.6em}}</style></head><body>
<h1>Data preparation report</h1>
{f"<h2>Warnings</h2><ul>{warnings}</ul>" if warnings else ""}
<h2>Summary</h2>{_table(summary, ("measure", "value"))}
<h2>Splits</h2>{_table(report["splits"], ("split", "conversations"))}
<h2>Removed by filter</h2>{_table(report["removed"], ("filter", "records"))}
<h2>Personal data redacted</h2>{_table(report["pii_by_type"] or {"none": 0}, ("type", "count"))}
<h2>Languages</h2>{_table(report["languages"], ("language", "records"))}
<h2>Token lengths</h2>{_table(report["token_lengths"], ("statistic", "value"))}
<img alt="token length histogram" src="data:image/png;base64,{_histogram_png(lengths, tokenizer)}">
<h2>Rejected input ({len(rejected)})</h2>
<table><tr><th>source</th><th>line</th><th>page</th><th>reason</th></tr>{rej_rows}</table>{more}
<h2>Per file</h2>{_table({k: ", ".join(f"{a}={b}" for a, b in v.items()) for k, v in report["per_file"].items()}, ("file", "counts"))}
</body></html>"""
    html_path.write_text(page, encoding="utf-8")
    return paths
