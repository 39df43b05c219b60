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

from datasketch import MinHash, MinHashLSH

_NON_WORD = re.compile(r"[\W_]+", re.U)


def dedup_key(text: str) -> str:
    """Normalised form used for comparison: lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def exact_hash(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def shingles(key: str, size: int) -> set[bytes]:
    if len(key) <= size:
        return {key.encode("utf-8")}
    return {key[i:i + size].encode("utf-8") for i in range(len(key) - size + 1)}


class NearDuplicateIndex:
    """Incremental MinHash LSH: `add(key)` returns the group id of the record (its own index if new)."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 5, seed: int = 1):
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"dedup.near_threshold must be in (0, 1), got {threshold}")
        self.threshold, self.num_perm, self.shingle_size, self.seed = threshold, num_perm, shingle_size, seed
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._parent: list[int] = []
        self._sigs: list[MinHash] = []

    def signature(self, key: str) -> MinHash:
        m = MinHash(num_perm=self.num_perm, seed=self.seed)
        m.update_batch(list(shingles(key, self.shingle_size)))
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


def signatures(keys: list[str], num_perm: int, shingle_size: int, seed: int = 1) -> list[MinHash]:
    """MinHash signatures for many keys at once (vectorised over permutations by datasketch)."""
    sets = [list(shingles(k, shingle_size)) for k in keys]
    return list(MinHash.bulk(sets, num_perm=num_perm, seed=seed)) if sets else []


def jaccard(a: str, b: str, shingle_size: int = 5) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for tests and reports)."""
    sa, sb = shingles(dedup_key(a), shingle_size), shingles(dedup_key(b), shingle_size)
    return len(sa & sb) / max(1, len(sa | sb))


__all__ = ["NearDuplicateIndex", "dedup_key", "exact_hash", "jaccard", "signatures"]
