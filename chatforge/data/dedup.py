"""Exact and near-duplicate detection: content hashes, then MinHash LSH over character shingles.

Near-duplicate search is sub-quadratic: each record is hashed into LSH bands once and
compared only with the records that share a band (datasketch's `MinHashLSH`). Records
that are near-duplicates of one another form a group (union-find); the split keeps a
group in one split, and `near_action="remove"` keeps only the group's first record.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash, MinHashLSH

_NON_WORD = re.compile(r"[\W_]+", re.U)
_COMBINING = re.compile("[\u0300-\u036f]")
_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def dedup_key(text: str) -> str:
    """Normalised form used for comparison: lower case, no accents, no punctuation, single spaces."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))
    return _NON_WORD.sub(" ", text).strip()


def exact_hash(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def shingles(key: str, size: int) -> set[bytes]:
    if len(key) <= size:
        return {key.encode("utf-8")}
    return {key[i : i + size].encode("utf-8") for i in range(len(key) - size + 1)}


def shingle_hashes(key: str, size: int) -> list[int]:
    """32-bit hashes of the character `size`-grams of `key`, computed with numpy (a rolling polynomial hash).

    Same shingles as `shingles()`, hashed in one vectorised pass instead of one
    SHA-1 call per shingle: this is the hot loop of near-duplicate detection.
    """
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - size + 1
    if n <= 1:
        n, size = 1, len(codes)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrap-around modulo 2**64 is the intent
        for j in range(size):
            h = h * _PRIME + codes[j : j + n]
        h ^= h >> np.uint64(29)
        h *= _MIX
    return np.unique(h >> np.uint64(32)).tolist()


class NearDuplicateIndex:
    """Incremental MinHash LSH: `add(key)` returns the group id of the record (its own index if new)."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 5, seed: int = 1):
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"dedup.near_threshold must be in (0, 1), got {threshold}")
        self.threshold, self.num_perm, self.shingle_size, self.seed = threshold, num_perm, shingle_size, seed
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._parent: list[int] = []
        self._sigs: list[MinHash] = []
        template = MinHash(num_perm=num_perm, seed=seed, hashfunc=int)
        self._perms, self._scheme = template.permutations, template.scheme  # shared: building them per record is costly

    def signature(self, key: str) -> MinHash:
        m = MinHash(num_perm=self.num_perm, seed=self.seed, hashfunc=int, permutations=self._perms, scheme=self._scheme)
        m.update_batch(shingle_hashes(key, self.shingle_size))
        return m

    def _find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def add(self, key: str, signature: MinHash | None = None) -> tuple[int, int | None]:
        """Insert a record; returns (its index, index of the earliest near-duplicate or None).

        A candidate from LSH counts only if its estimated Jaccard similarity reaches the
        threshold, so band collisions below it are not merged.
        """
        sig = signature if signature is not None else self.signature(key)
        idx = len(self._parent)
        self._parent.append(idx)
        self._sigs.append(sig)
        roots = {self._find(c) for c in self.lsh.query(sig) if sig.jaccard(self._sigs[c]) >= self.threshold}
        match = min(roots) if roots else None
        for root in roots:
            self._parent[root] = match
        if match is not None:
            self._parent[idx] = match
        self.lsh.insert(idx, sig)
        return idx, match

    def group(self, idx: int) -> int:
        return self._find(idx)


def jaccard(a: str, b: str, shingle_size: int = 5) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for tests and reports)."""
    sa, sb = shingles(dedup_key(a), shingle_size), shingles(dedup_key(b), shingle_size)
    return len(sa & sb) / max(1, len(sa | sb))


__all__ = ["NearDuplicateIndex", "dedup_key", "exact_hash", "jaccard", "shingle_hashes"]
