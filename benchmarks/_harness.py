"""The benchmarks' shared harness: repeats interleaved A, B, A, B, medians, and the machine a figure came from.

Every script in `benchmarks/` measures chatforge and its baseline through this module:

    ap = argparse.ArgumentParser(); add_repeats(ap)            # --repeats N (default 3)
    runs = interleave({"chatforge": ours, "baseline": theirs}, args.repeats)   # A, B, A, B, ...
    emit(summary("name", "metric", runs, value="tokens_per_s", ...))

`interleave` calls each contender once per repeat, in turn, so slow drift of the machine's load hits
both sides alike; `repeat` does the same for a measurement that already runs both sides inside one
call. `summary` gives the median, min and max of every numeric figure and of the per-repeat ratio;
`ratio` (kept for the existing readers) is the median. `machine()` says where it ran: CPU model,
cores, load average at start, torch threads, versions, date and git commit. `emit` prints a short
table on stderr and, last on stdout, the one JSON line that `benchmarks/run_all.py` records.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOAD_AT_START = os.getloadavg() if hasattr(os, "getloadavg") else None  # before this process adds its own load
VERSION_OF = ("torch", "transformers", "trl", "peft", "chatforge")


def add_repeats(parser: argparse.ArgumentParser, default: int = 3) -> None:
    parser.add_argument(
        "--repeats",
        type=int,
        default=default,
        help="times each side is measured, interleaved A, B, A, B (median, min and max reported)",
    )


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return (out.stdout.strip() + ("+dirty" if dirty else "")) or None
    except (OSError, subprocess.SubprocessError):
        return None


def machine() -> dict:
    """Where the figures were taken: CPU, cores, load at start, threads, versions, date, commit."""
    versions = {"python": platform.python_version()}
    for name in VERSION_OF:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    threads = None
    if "torch" in sys.modules:
        threads = sys.modules["torch"].get_num_threads()
    return {
        "cpu": cpu_model(),
        "arch": platform.machine(),
        "cores": os.cpu_count(),
        "load_avg_at_start": [round(x, 2) for x in LOAD_AT_START] if LOAD_AT_START else None,
        "torch_threads": threads,
        "versions": versions,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "git_commit": git_commit(),
    }


def _timed(fn: Callable[[], dict]) -> dict:
    start = time.perf_counter()
    out = dict(fn())
    out.setdefault("wall_s", round(time.perf_counter() - start, 3))
    return out


def interleave(contenders: dict[str, Callable[[], dict]], repeats: int) -> dict[str, list[dict]]:
    """Each contender (a name -> a function returning its figures) measured `repeats` times, A, B, A, B, ..."""
    runs: dict[str, list[dict]] = {name: [] for name in contenders}
    for r in range(repeats):
        for name, fn in contenders.items():
            runs[name].append(_timed(fn))
            print(f"[{r + 1}/{repeats}] {name}: {_short(runs[name][-1])}", file=sys.stderr, flush=True)
    return runs


def repeat(fn: Callable[[], dict], repeats: int, name: str = "run") -> list[dict]:
    """A measurement that runs both sides itself (e.g. concurrent then one at a time), `repeats` times."""
    return interleave({name: fn}, repeats)[name]


def spread(values: list) -> dict | None:
    """median, min, max of the numbers among `values` (None when there are none)."""
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not nums:
        return None
    return {
        "median": _round(statistics.median(nums)),
        "min": _round(min(nums)),
        "max": _round(max(nums)),
        "n": len(nums),
    }


def figures(runs: list[dict]) -> dict:
    """The spread of every numeric figure the runs share (one level deep)."""
    keys = [k for k in runs[0] if all(k in r for r in runs)]
    out = {}
    for k in keys:
        s = spread([r[k] for r in runs])
        if s is not None:
            out[k] = s
    return out


def summary(
    benchmark: str,
    metric: str,
    runs: dict[str, list[dict]],
    value: str,
    ours: str = "chatforge",
    baseline: str | None = "baseline",
    baseline_is: str = "",
    ratio: Callable[[dict, dict], float] | None = None,
    ratio_is: str = "",
    **extra,
) -> dict:
    """The benchmark's JSON record: value and baseline as medians, the ratio's median, min and max over the repeats.

    With `baseline` None, each run of `ours` carries its own ratio under the key "ratio" (both sides measured in one
    call); otherwise ratio(ours_run, baseline_run) per repeat, by default ours[value] / baseline[value]."""
    mine = runs[ours]
    if baseline is None:
        theirs = None
        ratios = [r.get("ratio") for r in mine]
    else:
        theirs = runs[baseline]
        fn = ratio or (lambda a, b: a[value] / b[value] if a.get(value) is not None and b.get(value) else None)
        ratios = [fn(a, b) for a, b in zip(mine, theirs)]
    rs = spread(ratios)
    base_key = extra.pop("baseline_value", None)
    if theirs is not None:
        bs = spread([r.get(base_key or value) for r in theirs])
    else:
        bs = spread([r.get(base_key) for r in mine]) if base_key else None
    vs = spread([r.get(value) for r in mine])
    record = {
        "benchmark": benchmark,
        "metric": metric,
        "value": vs and vs["median"],
        "baseline": bs and bs["median"],
        "baseline_is": baseline_is,
        "ratio": rs and rs["median"],
        "ratio_median": rs and rs["median"],
        "ratio_min": rs and rs["min"],
        "ratio_max": rs and rs["max"],
        "ratio_is": ratio_is or (f"{ours} / {baseline}" if baseline else ""),
        "repeats": len(mine),
        "ratios": [_round(x) if isinstance(x, (int, float)) else x for x in ratios],
        "figures": {name: figures(rs_) for name, rs_ in runs.items() if rs_},
    }
    record.update(extra)
    record["machine"] = machine()
    return record


def emit(record: dict) -> None:
    """A human table on stderr, then the record as the last line of stdout."""
    for name, figs in record.get("figures", {}).items():
        for key, s in figs.items():
            print(f"  {name:>14} {key:<32} median {s['median']:<12} min {s['min']:<12} max {s['max']}", file=sys.stderr)
    if record.get("ratio_median") is not None:
        print(
            f"  ratio ({record.get('ratio_is')}): median {record['ratio_median']}, min {record['ratio_min']}, "
            f"max {record['ratio_max']} over {record['repeats']} repeats",
            file=sys.stderr,
        )
    m = record["machine"]
    print(
        f"  machine: {m['cpu']}, {m['cores']} cores, load {m['load_avg_at_start']} at start, "
        f"{m['torch_threads']} torch thread(s), {m['date']}, commit {m['git_commit']}",
        file=sys.stderr,
        flush=True,
    )
    print(json.dumps(record, ensure_ascii=False), flush=True)


def _round(x: float) -> float:
    if isinstance(x, int):
        return x
    return round(x, 4) if abs(x) < 100 else round(x, 1)


def _short(run: dict) -> str:
    return ", ".join(
        f"{k} {_round(v)}" for k, v in run.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
    )
