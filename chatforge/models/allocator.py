"""The C allocator of a training or evaluation process: memory a phase frees goes back to the system.

    from chatforge.models.allocator import return_freed_memory
    return_freed_memory()        # once, before loading: idempotent, a no-op off glibc

PyTorch's CPU tensors come from glibc's malloc. glibc serves a large block with its own mmap, and gives
it back to the system when it is freed, but each such free raises the size from which it does so (the
"dynamic mmap threshold", up to 32 MB). After a first phase (a perplexity pass, an evaluation, the first
step), the activation tensors of later steps, a few MB each, come from the heap instead, and the heap
keeps what they free: a LoRA SFT of the default model then held 1.9 GB more between steps than TRL's
trainer in a fresh process, and its peak RSS was that much higher (benchmarks/sft_throughput.py).
Setting the threshold explicitly turns the adjustment off, so freed activations return at once; the cost
is a page fault per fresh page of such a block, a few per cent of a training step on CPU.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

# mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# glibc's own initial threshold: blocks from 128 KiB are mapped, and unmapped when freed
MMAP_THRESHOLD = 128 * 1024

_done = False


def return_freed_memory(threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap and trim thresholds at `threshold` bytes; True when set (now or before), False off glibc."""
    global _done
    if _done:
        return True
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name)
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    # mallopt returns 1 on success
    _done = bool(mallopt(_M_MMAP_THRESHOLD, threshold)) and bool(mallopt(_M_TRIM_THRESHOLD, 2 * threshold))
    return _done
