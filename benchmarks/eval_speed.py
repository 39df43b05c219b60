"""Evaluation speed: items/s of the full `chatforge eval` suite against a plain loop that only generates.

    .venv/bin/python benchmarks/eval_speed.py [--items 24] [--max-new-tokens 32] [--repeats 3]
    .venv/bin/python benchmarks/eval_speed.py --engine-compare [--model default]   # llama.cpp vs transformers

A tiny Llama (models/tiny.py, trained on nothing: the text it writes is noise, the work is
real) answers the first N items of the example test set through `chatforge.eval.evaluate`
with every suite (robustness, bias, intent classification, A/B off since one model,
semantic similarity with the packaged MiniLM, perplexity, report, MLflow). The baseline then
makes exactly the same generations (same prompts, read back from the suite's generation
log) in a plain `models.generate.stream` loop with nothing else. Both are items/s over the N
test items; ratio = suite / plain, so 1.0 means no overhead and the issue's target (suite
overhead under 30%) is ratio >= 0.77. The fixed costs (loading MiniLM, MLflow's store) are
inside the suite's time: with few items or a tiny model they dominate. Suite and plain loop run in
turn, `--repeats` times each.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

from chatforge.eval.answerers import HFAnswerer  # noqa: E402
from chatforge.eval.runner import EvalConfig, evaluate  # noqa: E402
from chatforge.models.load import load_model  # noqa: E402
from chatforge.models.tiny import build_tiny_model  # noqa: E402

TESTSET = ROOT / "examples" / "hirondelle-air" / "testset.jsonl"


def main() -> None:
    if "--engine-compare" in sys.argv[1:]:  # llama.cpp against transformers on the same items: eval_engine_compare.py
        from eval_engine_compare import main as engine_compare

        return engine_compare()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=24)
    ap.add_argument("--max-new-tokens", type=int, default=32)
    add_repeats(ap)
    args = ap.parse_args()
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    labels = sorted(
        {json.loads(line)["intent"] for line in TESTSET.read_text(encoding="utf-8").splitlines() if line.strip()}
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = build_tiny_model(Path(tmp) / "tiny", context_length=1024, n_layer=4, n_embd=128)
        model, tok = load_model(folder)
        cfg = EvalConfig(max_items=args.items, max_new_tokens=args.max_new_tokens)
        rows: list[dict] = []

        def suite() -> dict:
            out = Path(tempfile.mkdtemp(dir=tmp, prefix="eval-"))
            start = time.perf_counter()
            evaluate(
                [("tiny", HFAnswerer("tiny", args.max_new_tokens, model=model, tokenizer=tok))],
                TESTSET,
                out,
                cfg,
                progress=False,
            )
            seconds = time.perf_counter() - start
            if not rows:  # the plain loop replays the first suite run's generations
                rows.extend(
                    json.loads(line)
                    for line in (out / "generations" / "tiny.jsonl").read_text(encoding="utf-8").splitlines()
                )
            return {"items_per_s": args.items / seconds, "seconds": seconds}

        def plain() -> dict:
            answerer = HFAnswerer("tiny", args.max_new_tokens, model=model, tokenizer=tok)
            start = time.perf_counter()
            for row in rows:
                answerer.classify(row["question"], labels) if row["task"] == "intent" else answerer(row["question"])
            seconds = time.perf_counter() - start
            return {"items_per_s": args.items / seconds, "seconds": seconds}

        runs = interleave({"suite": suite, "plain": plain}, args.repeats)
    emit(
        summary(
            "eval_speed",
            "items_per_s",
            runs,
            value="items_per_s",
            ours="suite",
            baseline="plain",
            baseline_is="a plain models.generate loop making the same generations (nothing else)",
            ratio_is="suite / plain (1.0 = no overhead; target >= 0.77)",
            items=args.items,
            generations=len(rows),
        )
    )


if __name__ == "__main__":
    main()
