"""Decode speed of the default model: chatforge (transformers, dequantised fp32) vs llama-cpp-python on the same GGUF.

    .venv/bin/python benchmarks/generate_speed.py [--new-tokens 64] [--threads 2]

Reports decode tokens/s and time to first token for each side, in the same run, and
chatforge's peak RSS against `chatforge models recommend`'s inference estimate for the
same prompt length. llama-cpp-python is optional (`pip install -e '.[gguf]'`, a ~6 min
source build): without it, that side is skipped with the reason and the ratio is null.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time

PROMPT = ("Hirondelle Air is a regional airline based in Nantes. It flies to Lyon, Nice, Toulouse and Brest. "
          "Write a short note for passengers about checked baggage:")


def run_chatforge(args) -> dict:
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model, load_model_config
    from chatforge.models.memory import estimate, shape_from_config

    model, tok = load_model("default")
    list(stream(model, tok, prompt="Warm-up", max_new_tokens=2))
    stats: dict = {}
    text = "".join(stream(model, tok, prompt=PROMPT, max_new_tokens=args.new_tokens, stats=stats))
    shape = shape_from_config(load_model_config("default"))
    est = estimate(shape, batch=1, seq=stats["prompt_tokens"] + stats["new_tokens"], w=4)["inference"]["total"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {"tokens_per_s": stats["tokens_per_s"], "ttft_s": stats["ttft_s"], "prompt_tokens": stats["prompt_tokens"],
            "new_tokens": stats["new_tokens"],
            "peak_rss_mib": round(peak / 2**20), "estimate_mib": round(est / 2**20),
            "rss_vs_estimate": round(peak / est, 3), "sample": text[:80]}


def run_llama_cpp(args) -> dict:
    try:
        from llama_cpp import Llama
    except ImportError:
        return {"skipped": "llama-cpp-python is not installed (optional extra: pip install -e '.[gguf]')"}
    from chatforge.models.gguf_cache import packaged_default_gguf

    path, _ = packaged_default_gguf()
    llm = Llama(model_path=str(path), n_threads=args.threads, n_ctx=512, verbose=False)
    llm("Warm-up", max_tokens=2)
    start = time.perf_counter()
    first, n = None, 0
    for _ in llm(PROMPT, max_tokens=args.new_tokens, temperature=0.0, stream=True):
        n += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    return {"tokens_per_s": round((n - 1) / (end - first), 2) if n > 1 else None,
            "ttft_s": round(first - start, 4) if first else None, "new_tokens": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    ours = run_chatforge(args)
    other = run_llama_cpp(args)
    print(json.dumps({"chatforge": ours, "llama_cpp": other}, ensure_ascii=False))
    base = other.get("tokens_per_s")
    print(json.dumps({
        "benchmark": "generate_speed", "metric": "decode_tokens_per_s_default_model",
        "value": ours["tokens_per_s"], "baseline": base, "baseline_is": "llama-cpp-python, same GGUF file",
        "ratio": round(ours["tokens_per_s"] / base, 3) if base else None,
        "skipped": other.get("skipped"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, torch CPU, Python {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
