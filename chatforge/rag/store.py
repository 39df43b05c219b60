"""The index folder: what built it, who holds it, and which backend answers for it.

`IDX/` holds `chatforge-index.json` (embedding model, dimension, BM25 and chunking settings,
backend, library versions, last ingest summary), a lock file, and for Qdrant Edge the shard
itself (`IDX/shard`). With `--qdrant-url` the vectors live on the server and the folder keeps
only the metadata and the lock. Queries must embed with the model that built the index, so
they read the model from this file rather than from their own config.

The lock (`filelock`, an OS file lock released if the process dies) is taken for the whole of
an ingest and for each query, so two ingests on one index never interleave: the second waits
up to `lock_timeout` seconds, then fails with a clear message and changes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from filelock import FileLock, Timeout

from chatforge.rag.index import HNSW_EF_CONSTRUCT, HNSW_M, EdgeIndex, IndexUnavailable, ServerIndex

META_FILE = "chatforge-index.json"
LOCK_FILE = ".chatforge.lock"


class IndexBusy(IndexUnavailable):
    """Another process holds the index lock."""


def index_lock(folder: str | Path, timeout: float) -> FileLock:
    """An acquired lock on the folder; raises IndexBusy after `timeout` seconds (negative waits forever)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # not thread-local: a server takes the lock when it starts and releases it in its shutdown thread
    lock = FileLock(str(folder / LOCK_FILE), thread_local=False)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexBusy(
            f"index {folder} is in use by another process (waited {timeout:g} s); "
            "try again when it finishes, or raise lock_timeout"
        ) from None
    return lock


def read_meta(folder: str | Path) -> dict | None:
    path = Path(folder) / META_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_meta(folder: str | Path, meta: dict) -> Path:
    """Atomic replace, so a reader never sees half a file."""
    path = Path(folder) / META_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


def open_index(
    folder: str | Path,
    dim: int | None = None,
    qdrant_url: str | None = None,
    collection: str | None = None,
    api_key: str | None = None,
    hnsw_m: int = HNSW_M,
    hnsw_ef_construct: int = HNSW_EF_CONSTRUCT,
):
    """The backend for this folder; `dim` given means create it when missing (ingest), None means it must exist."""
    folder = Path(folder)
    if qdrant_url:
        return ServerIndex(
            qdrant_url,
            collection or folder.resolve().name,
            dim=dim,
            api_key=api_key or os.environ.get("QDRANT_API_KEY"),
            hnsw_m=hnsw_m,
            hnsw_ef_construct=hnsw_ef_construct,
        )
    return EdgeIndex(folder, dim=dim, hnsw_m=hnsw_m, hnsw_ef_construct=hnsw_ef_construct)
