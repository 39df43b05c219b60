"""benchmarks/README.md is generated from benchmarks/results.json (scripts/gen_bench_readme.py), and the harness
every benchmark uses interleaves its contenders and reports medians, min and max with the machine."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load(ROOT / "scripts" / "gen_bench_readme.py", "gen_bench_readme")
harness = _load(ROOT / "benchmarks" / "_harness.py", "_harness")

FIXTURE = {
    "benchmarks": {
        "serve_throughput": {
            "command": ".venv/bin/python benchmarks/serve_throughput.py --model default",
            "date": "2026-12-01 10:00 UTC",
            "seconds": 600.0,
            "machine": {
                "cpu": "Test CPU 9000",
                "cores": 2,
                "load_avg_at_start": [0.5, 0.4, 0.3],
                "torch_threads": 1,
                "git_commit": "abc1234",
            },
            "result": {
                "benchmark": "serve_throughput",
                "metric": "tokens/s at 8 clients",
                "value": 33.3,
                "baseline": 10.1,
                "baseline_is": "one request at a time",
                "ratio": 3.21,
                "ratio_median": 3.21,
                "ratio_min": 3.05,
                "ratio_max": 3.4,
                "ratio_is": "8 together / one at a time",
                "repeats": 3,
                "staggered_ratio": 2.61,
            },
        },
        "rag (quick)": {
            "command": ".venv/bin/python benchmarks/rag.py --sizes 10000",
            "date": "2026-12-02 11:00 UTC",
            "machine": {
                "cpu": "Other CPU",
                "cores": 16,
                "load_avg_at_start": [1.0, 1.0, 1.0],
                "torch_threads": None,
                "git_commit": "def5678",
            },
            "result": {
                "metric": "p95",
                "value": 2.0,
                "baseline": 1.0,
                "baseline_is": "dense-only",
                "ratio_median": 2.0,
                "ratio_min": 1.9,
                "ratio_max": 2.2,
                "repeats": 3,
                "recall_at_10": 0.97,
            },
        },
    }
}


def test_render_gives_every_figure_its_date_machine_and_command():
    page = gen.render(FIXTURE)
    rows = {line.split("|")[1].strip(): line for line in page.splitlines() if line.startswith("| `")}
    serve = rows["`serve_throughput`"]
    for text in (
        "33.3 vs 10.1",
        "ratio **3.21** (min 3.05, max 3.4, 3 repeats",
        "staggered_ratio 2.61",
        "2026-12-01 10:00 UTC",
        "Test CPU 9000, 2 cores, load 0.5 at start, 1 torch thread(s), commit abc1234",
        "`.venv/bin/python benchmarks/serve_throughput.py --model default`",
        "one request at a time",
    ):
        assert text in serve, text
    assert "recall_at_10 0.97" in rows["`rag (quick)`"] and "2026-12-02 11:00 UTC" in rows["`rag (quick)`"]
    assert page.index("`rag (quick)`") < page.index("`serve_throughput`")  # the benchmarks' order, not the file's
    assert "### serve_throughput" in page and "Where the time goes" in page  # the serving profile notes


def test_committed_readme_is_rendered_from_committed_results():
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8") == gen.render(results), (
        "benchmarks/README.md is stale: run .venv/bin/python scripts/gen_bench_readme.py"
    )


def test_harness_interleaves_and_reports_spread_and_machine():
    order, a, b = [], iter([10.0, 30.0, 20.0]), iter([5.0, 5.0, 10.0])

    def ours():
        order.append("A")
        return {"rate": next(a)}

    def theirs():
        order.append("B")
        return {"rate": next(b)}

    runs = harness.interleave({"chatforge": ours, "baseline": theirs}, 3)
    assert order == ["A", "B", "A", "B", "A", "B"]
    record = harness.summary("x", "rate", runs, value="rate")
    assert (record["value"], record["baseline"]) == (20.0, 5.0)
    assert record["ratios"] == [2.0, 6.0, 2.0]
    assert (record["ratio"], record["ratio_median"], record["ratio_min"], record["ratio_max"]) == (2.0, 2.0, 2.0, 6.0)
    assert record["repeats"] == 3 and record["figures"]["chatforge"]["rate"]["max"] == 30.0
    m = record["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["date"].endswith("UTC") and len(m["load_avg_at_start"]) == 3
