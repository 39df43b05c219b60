"""Decode speed of the default model: chatforge (transformers, dequantised fp32) vs llama-cpp-python on the same GGUF.

    .venv/bin/python benchmarks/generate_speed.py [--new-tokens 64] [--threads 2] [--repeats 3]

Reports decode tokens/s and time to first token for each side, in the same run, and
chatforge's peak RSS against `chatforge models recommend`'s inference estimate for the
same prompt length. llama-cpp-python is optional (`pip install -e '.[gguf]'`, a ~6 min
source build): without it, that side is skipped with the reason and the ratio is null. Both sides
use `--threads` threads (default: all cores) and are measured in turn, `--repeats` times each.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

PROMPT = (
    "Hirondelle Air is a regional airline based in Nantes. It flies to Lyon, Nice, Toulouse and Brest. "
    "Write a short note for passengers about checked baggage:"
)


def chatforge_side(args):
    """Load the default model once; return the measurement (one generation of the prompt) and the memory check."""
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model, load_model_config
    from chatforge.models.memory import estimate, shape_from_config

    model, tok = load_model("default")
    list(stream(model, tok, prompt="Warm-up", max_new_tokens=2))

    def measure() -> dict:
        stats: dict = {}
        "".join(stream(model, tok, prompt=PROMPT, max_new_tokens=args.new_tokens, stats=stats))
        return {
            "tokens_per_s": stats["tokens_per_s"],
            "ttft_s": stats["ttft_s"],
            "new_tokens": stats["new_tokens"],
            "prompt_tokens": stats["prompt_tokens"],
        }

    def memory(first: dict) -> dict:
        shape = shape_from_config(load_model_config("default"))
        est = estimate(shape, batch=1, seq=first["prompt_tokens"] + first["new_tokens"], w=4)["inference"]["total"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
        return {
            "peak_rss_mib": round(peak / 2**20),
            "estimate_mib": round(est / 2**20),
            "rss_vs_estimate": round(peak / est, 3),
        }

    return measure, memory


def llama_cpp_side(args):
    """llama-cpp-python on the same GGUF with `--threads` threads (its best on this machine: all the cores), or the
    reason it is skipped."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return "llama-cpp-python is not installed (make setup installs it)"
    from chatforge.models.gguf_cache import packaged_default_gguf
    from chatforge.models.gguf_export import open_llama

    path, _ = packaged_default_gguf()
    # opened as eval and serve open it (llama.cpp's extra buffer types off: 0.3.36 crashes on Q4_K with them on AMX CPUs)
    llm = open_llama(path, n_threads=args.threads, n_ctx=512)
    llm("Warm-up", max_tokens=2)

    def measure() -> dict:
        start = time.perf_counter()
        first, n = None, 0
        for _ in llm(PROMPT, max_tokens=args.new_tokens, temperature=0.0, stream=True):
            n += 1
            if first is None:
                first = time.perf_counter()
        end = time.perf_counter()
        return {
            "tokens_per_s": round((n - 1) / (end - first), 2) if n > 1 else None,
            "ttft_s": round(first - start, 4) if first else None,
            "new_tokens": n,
        }

    return measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    add_repeats(parser)
    args = parser.parse_args()
    try:  # llama_cpp before torch: torch's wheel ships its own libgomp.so.1, and loading it first crashes llama.cpp
        import llama_cpp  # noqa: F401
    except ImportError:
        pass
    import torch
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    torch.set_num_threads(args.threads)
    ours, memory = chatforge_side(args)
    other = llama_cpp_side(args)
    contenders = {"chatforge": ours} if isinstance(other, str) else {"chatforge": ours, "llama_cpp": other}
    runs = interleave(contenders, args.repeats)
    emit(
        summary(
            "generate_speed",
            "decode_tokens_per_s_default_model",
            runs,
            value="tokens_per_s",
            baseline=None if isinstance(other, str) else "llama_cpp",
            baseline_is=f"llama-cpp-python, same GGUF file, n_threads={args.threads} (all cores, its fastest here)",
            skipped=other if isinstance(other, str) else None,
            threads=args.threads,
            new_tokens=args.new_tokens,
            **memory(runs["chatforge"][0]),
        )
    )


if __name__ == "__main__":
    main()
