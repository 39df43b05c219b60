"""Deterministic train / val / test split by group hash.

A record's split depends only on the seed and its group key (its near-duplicate
group), so near-duplicates always land together and adding records never moves the
existing ones between splits.
"""

from __future__ import annotations

import hashlib


def assign_split(group_key: str, seed: int, val_ratio: float, test_ratio: float) -> str:
    digest = hashlib.blake2b(f"{seed}:{group_key}".encode("utf-8"), digest_size=8).digest()
    u = int.from_bytes(digest, "big") / 2**64
    if u < test_ratio:
        return "test"
    if u < test_ratio + val_ratio:
        return "val"
    return "train"
