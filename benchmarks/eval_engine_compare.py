"""Eval's two generation engines on the same items: llama.cpp (GGUF) against transformers (fp32), speed and answers.

    .venv/bin/python benchmarks/eval_speed.py --engine-compare [--model default] [--items 12] [--max-new-tokens 64]
    .venv/bin/python benchmarks/eval_engine_compare.py --model default       # the same

The first N items of the example test set (spread over the file) are answered, greedy, with eval's
bare prompt (its system prompt and the question, under the model's chat template), by the two
answerers `chatforge eval` builds (eval/engines.py): `HFAnswerer` (transformers, fp32 on CPU, the KV
cache on, all cores: what eval used before) and `LlamaCppAnswerer` (llama.cpp on the model's GGUF,
all cores). The model is `default` (the packaged Gemma 3 270M: llama.cpp runs its Q4_K_M file,
transformers the same weights dequantised), a folder or .gguf, or `tiny` (a tiny Llama built here,
exported to GGUF by chatforge's writer). Each engine runs `--repeats` times, interleaved.

Value: llama.cpp's generated tokens per second of wall time (prompt processing included); baseline:
transformers'; `ratio_llamacpp_vs_transformers` is their per-repeat ratio's median (target >= 2.5).
`ratio_per_cpu_second` is the same ratio over the CPU seconds the process used (all its threads): on a
machine busy with other work, where wall time mostly says how the scheduler shared the cores.
`token_f1_diff` is llama.cpp's mean answer token F1 against the references minus transformers' (eval's
echo-proof F1; target within 0.02), and `agreement_token_f1` the mean F1 between the two engines' answers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

from chatforge.models.gguf_export import import_llama_cpp  # noqa: E402

import_llama_cpp()  # before torch, as `chatforge eval` does: the OpenMP runtime both use is set up by the first to load
from chatforge.eval.answerers import HFAnswerer  # noqa: E402
from chatforge.eval.engines import LlamaCppAnswerer  # noqa: E402
from chatforge.eval.metrics import answer_f1  # noqa: E402
from chatforge.eval.runner import pick_rows  # noqa: E402
from chatforge.models.gguf_export import gguf_for  # noqa: E402, I001
from chatforge.text_metrics import token_f1  # noqa: E402

TESTSET = ROOT / "examples" / "hirondelle-air" / "testset.jsonl"


def run_engine(answerer, items: list[dict], generate) -> dict:
    texts, tokens, seconds = [], 0, 0.0
    cpu = time.process_time()  # CPU seconds of every thread of this process: the work done, whatever else runs
    for it in items:
        messages = [{"role": "system", "content": answerer.system}, {"role": "user", "content": it["question"]}]
        gen = generate(messages, answerer.max_new_tokens)
        texts.append(gen.text)
        tokens += int(gen.stats.get("new_tokens") or 0)
        seconds += float(gen.stats.get("seconds") or 0.0)
    cpu = time.process_time() - cpu
    f1 = sum(answer_f1(t, it["answer"], it["question"]) for t, it in zip(texts, items)) / len(items)
    return {
        "tokens_per_s": tokens / seconds if seconds else None,
        "tokens_per_cpu_s": tokens / cpu if cpu else None,
        "items_per_s": len(items) / seconds if seconds else None,
        "new_tokens": tokens,
        "seconds": seconds,
        "token_f1": f1,
        "answers": texts,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine-compare", action="store_true", help="(the flag eval_speed.py dispatches on)")
    ap.add_argument("--model", default="default", help="default, tiny, a model folder or a .gguf")
    ap.add_argument("--items", type=int, default=12)
    ap.add_argument("--max-new-tokens", type=int, default=64)
    add_repeats(ap, default=2)
    args = ap.parse_args(argv)
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    rows = [json.loads(line) for line in TESTSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = pick_rows(rows, args.items, "spread")
    with tempfile.TemporaryDirectory() as tmp:
        spec = args.model
        if spec == "tiny":
            from chatforge.models.tiny import build_tiny_model

            spec = str(build_tiny_model(Path(tmp) / "tiny", context_length=1024, n_layer=4, n_embd=128))
        gguf = gguf_for(spec)
        fast = LlamaCppAnswerer(spec, gguf, max_new_tokens=args.max_new_tokens, device="cpu")
        slow = HFAnswerer(spec, args.max_new_tokens, model=fast.model, tokenizer=fast.tokenizer)
        runs = interleave(
            {
                "llamacpp": lambda: run_engine(fast, items, fast._generate),
                "transformers": lambda: run_engine(slow, items, slow._generate),
            },
            args.repeats,
        )
        fast.close()
    a, b = runs["llamacpp"][-1]["answers"], runs["transformers"][-1]["answers"]
    for side in runs.values():
        for r in side:
            r.pop("answers")
    f1_fast = runs["llamacpp"][-1]["token_f1"]
    f1_slow = runs["transformers"][-1]["token_f1"]
    record = summary(
        "eval_engine_compare",
        "tokens_per_s",
        runs,
        value="tokens_per_s",
        ours="llamacpp",
        baseline="transformers",
        ratio_is="llama.cpp / transformers generated tokens per second (target >= 2.5)",
        baseline_is="transformers fp32 on CPU, KV cache, all cores (eval's generation before llama.cpp)",
        model=args.model,
        gguf=gguf.path.name,
        items=len(items),
        max_new_tokens=args.max_new_tokens,
        threads=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        token_f1_llamacpp=round(f1_fast, 4),
        token_f1_transformers=round(f1_slow, 4),
        token_f1_diff=round(f1_fast - f1_slow, 4),
        identical_answers=sum(x == y for x, y in zip(a, b)),
        agreement_token_f1=round(sum(1.0 if x == y else token_f1(x, y) for x, y in zip(a, b)) / len(a), 4),
    )
    record["ratio_llamacpp_vs_transformers"] = record["ratio"]
    per_cpu = [
        a["tokens_per_cpu_s"] / b["tokens_per_cpu_s"]
        for a, b in zip(runs["llamacpp"], runs["transformers"])
        if a.get("tokens_per_cpu_s") and b.get("tokens_per_cpu_s")
    ]
    # on a machine shared with other work, wall time says how the scheduler split the cores; CPU time, the work
    record["ratio_per_cpu_second"] = round(statistics.median(per_cpu), 4) if per_cpu else None
    emit(record)


if __name__ == "__main__":
    main()
