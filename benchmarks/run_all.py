"""Run every benchmark (or the quick set) and record each one's final JSON line in benchmarks/results.json.

    make bench                 # .venv/bin/python benchmarks/run_all.py --set full
    make bench BENCH=quick     # the quick set: small sizes and tiny models, 6 min 18 s on 2 cores (2026-12-03)
    make bench BENCH=trust     # benchmarks/trust.py alone: trust of grounded answers on both example domains
    .venv/bin/python benchmarks/run_all.py --set quick --only serve_throughput rag

Each benchmark runs in its own process with the command listed in `SETS`; its stderr (progress, the
median / min / max table) passes through, and its last stdout line, one JSON object, is stored in
results.json under its name (`NAME` for the full set, `NAME (quick)` for the quick one) with the
command, the date, the machine and the wall time. Entries of benchmarks not run this time are kept.
Then scripts/gen_bench_readme.py writes benchmarks/README.md from results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"

# name -> arguments; every benchmark repeats 3 times (its --repeats default) unless said here
SETS: dict[str, dict[str, list[str]]] = {
    "full": {
        "data_prepare": [],
        "rag": [],
        "verify_latency": [],
        "pretrain_throughput": [],
        "sft_throughput": [
            "--model",
            "default",
            "--steps",
            "6",
            "--contenders",
            "chatforge",
            "trl_defaults",
            "trl_grouped",
        ],
        "rl_step": [],
        "lm_head": [],
        "eval_speed": [],
        "eval_engine_compare": [],
        "generate_speed": [],
        "decode_step": ["--model", "default"],
        "serve_throughput": ["--model", "default"],
        "serve_load": [],
    },
    "quick": {
        "data_prepare": ["--sizes", "2000", "20000"],
        "rag": ["--sizes", "10000", "--queries", "100", "--skip-ingest"],
        "verify_latency": ["--questions", "20"],
        "pretrain_throughput": ["--steps", "10"],
        "sft_throughput": ["--steps", "6"],
        "rl_step": ["--steps", "2"],
        "eval_speed": ["--items", "6"],
        "eval_engine_compare": ["--model", "tiny", "--items", "6"],
        "generate_speed": ["--new-tokens", "32"],
        "decode_step": ["--model", "default", "--steps", "4"],
        "serve_throughput": ["--model", "tiny", "--tokens", "32"],
        "serve_load": ["--levels", "1,4,16", "--requests", "2"],
    },
    # issue 17's trust targets for the untrained base: both example domains, full test sets, RAG, verifier and gate
    # (about an hour on 2 cores); not in `full` or `quick`
    "trust": {
        "trust": ["--models", "default"],
    },
}


def entry_name(name: str, which: str) -> str:
    return name if which in ("full", name) else f"{name} ({which})"  # the trust set's one entry: `trust`


def run_one(name: str, args: list[str]) -> dict:
    """Run benchmarks/NAME.py ARGS in its own process; its last stdout line, with the command and wall time."""
    command = [sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), *args]
    shown = " ".join([".venv/bin/python", f"benchmarks/{name}.py", *args])
    print(f"== {shown}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    seconds = round(time.perf_counter() - start, 1)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    entry = {
        "command": shown,
        "seconds": seconds,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    try:
        record = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        record = None
    if proc.returncode != 0 or not isinstance(record, dict):
        return {**entry, "error": f"exit status {proc.returncode}; last line: {(lines or [''])[-1][:300]}"}
    return {
        **entry,
        "date": record.get("machine", {}).get("date", entry["date"]),
        "machine": record.get("machine"),
        "result": record,
    }


def read_results(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"benchmarks": {}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="which", choices=sorted(SETS), default="full")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks of the set")
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()
    chosen = SETS[args.which]
    unknown = sorted(set(args.only or []) - set(chosen))
    if unknown:
        ap.error(f"no benchmark named {', '.join(unknown)} (known: {', '.join(chosen)})")
    failed = []
    for i, (name, bench_args) in enumerate(chosen.items(), 1):
        if args.only and name not in args.only:
            continue
        print(f"[{i}/{len(chosen)}] {name}", file=sys.stderr, flush=True)
        entry = run_one(name, bench_args)
        if "error" in entry:
            failed.append(name)
            print(f"{name} failed: {entry['error']}", file=sys.stderr)
            continue  # a failed run keeps the last good entry
        results = read_results(args.results)  # read again: entries written meanwhile by another run are kept
        results["benchmarks"][entry_name(name, args.which)] = entry
        args.results.write_text(
            json.dumps(results, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gen_bench_readme.py"),
            "--results",
            str(args.results),
            "--out",
            str(args.results.parent / "README.md"),
        ],
        check=True,
    )
    print(
        json.dumps(
            {
                "results": str(args.results),
                "ran": [n for n in chosen if not args.only or n in args.only],
                "failed": failed,
            }
        )
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
