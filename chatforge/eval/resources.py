"""Resources: latency, time to first token, generation speed and peak memory of a model under evaluation.

    chatforge eval --model A --testset FILE --out DIR   (report.json: resources)

Taken from the streaming statistics of every generation of the main test set
(models/generate.py): `latency_p50_s` / `latency_p95_s` (whole answer, seconds),
`ttft_p50_s` / `ttft_p95_s` (first text piece), `tokens_per_s` (new tokens over decoding
time, summed over items), and `peak_memory_mib`: on CUDA the allocator's peak for this model
(reset before it runs); on CPU the process's peak resident set (ru_maxrss), which also counts
what was loaded before, so compare it between models of one run only.
"""

from __future__ import annotations

import resource
import sys

import numpy as np


def reset_peak_memory() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()


def peak_memory_mib() -> float:
    import torch

    if torch.cuda.is_available():
        return round(torch.cuda.max_memory_allocated() / 2**20, 1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(rss / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 4) if values else None


def resource_summary(stats: list[dict], peak_mib: float | None = None) -> dict:
    """Summary of per-generation stats dicts (seconds, ttft_s, new_tokens); missing fields are skipped."""
    lat = [s["seconds"] for s in stats if s.get("seconds") is not None]
    ttft = [s["ttft_s"] for s in stats if s.get("ttft_s") is not None]
    new = sum(int(s.get("new_tokens") or 0) for s in stats)
    decode = sum(max(s["seconds"] - (s.get("ttft_s") or 0.0), 0.0) for s in stats if s.get("seconds") is not None)
    tokens_after_first = sum(max(int(s.get("new_tokens") or 0) - 1, 0) for s in stats)
    return {
        "generations": len(stats),
        "latency_p50_s": _pct(lat, 50),
        "latency_p95_s": _pct(lat, 95),
        "ttft_p50_s": _pct(ttft, 50),
        "ttft_p95_s": _pct(ttft, 95),
        "tokens_per_s": round(tokens_after_first / decode, 2) if decode > 0 and tokens_after_first else None,
        "new_tokens": new,
        "peak_memory_mib": peak_mib,
    }
