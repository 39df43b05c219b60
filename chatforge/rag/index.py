"""The vector store behind one small interface: Qdrant Edge in a folder, or a Qdrant server by URL.

Both keep, per chunk, a dense vector `dense` (cosine), a sparse BM25 vector `bm25` (with
Qdrant's IDF modifier, so term weights are computed by the engine over the live corpus) and
the chunk's payload, with keyword payload indexes on `roles` and `doc_id`. A hybrid query is
one request: two prefetch branches (dense, BM25), each carrying the role filter, fused with
weighted reciprocal-rank fusion; the filter is applied inside each search, never to a
trimmed top-k.

- `EdgeIndex` (default): Qdrant Edge (`qdrant-edge-py`), Qdrant's engine in process; the
  index is the folder `IDX/shard`. Only one process may hold it open at a time.
- `ServerIndex`: a Qdrant server or cluster through `qdrant-client` (`--qdrant-url`); the
  collection is created on first ingest. No server runs on the development machines, so
  its request building is tested against a recording HTTP stub, not a live server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from chatforge.errors import UserError

DENSE, SPARSE = "dense", "bm25"
INDEXED_FIELDS = ("roles", "doc_id")


class IndexUnavailable(UserError, RuntimeError):
    """The index cannot be opened or reached (server down, folder held by another process)."""


@dataclass
class IndexPoint:
    """One chunk as stored: dense vector, BM25 sparse vector (indices, values) and payload."""

    chunk_id: str
    dense: list[float]
    sparse: tuple[list[int], list[float]]
    payload: dict

    @property
    def id(self) -> str:
        return point_id(self.chunk_id)


@dataclass
class SearchSpec:
    """One retrieval request; `dense` or `sparse` may be None to search one branch only."""

    roles: list[str]
    limit: int
    dense: list[float] | None = None
    sparse: tuple[list[int], list[float]] | None = None
    prefetch_limit: int = 50
    weights: tuple[float, float] = (1.0, 1.0)  # (dense, sparse) in the RRF sum
    rrf_k: int = 60
    hnsw_ef: int | None = None
    exact: bool = False
    payload: list[str] | bool = True
    extra: dict = field(default_factory=dict)


# HNSW graph defaults, set when an index is created. Measured on benchmarks/rag.py (100k clustered 384-d
# chunks, role-filtered queries, hnsw_ef=128): m=16/ef_construct=100 gave recall@10 0.905 against exact
# search; m=32/ef_construct=256 gives 0.96 for a 3.5x longer build and +0.4 ms p95.
HNSW_M = 32
HNSW_EF_CONSTRUCT = 256


def point_id(chunk_id: str) -> str:
    """Stable UUID for a chunk id: re-ingesting the same chunk overwrites the same point."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"chatforge:{chunk_id}"))


def _check_roles(roles: list[str]) -> None:
    if not roles or not all(isinstance(r, str) and r for r in roles):
        raise PermissionError("a search needs at least one role: access fails closed")


class EdgeIndex:
    """Qdrant Edge shard in `folder/shard`."""

    def __init__(
        self,
        folder: str | Path,
        dim: int | None = None,
        hnsw_m: int = HNSW_M,
        hnsw_ef_construct: int = HNSW_EF_CONSTRUCT,
    ):
        import qdrant_edge as q

        self.q, self.path = q, Path(folder) / "shard"
        try:
            if (self.path / "edge_config.json").exists():
                self.shard = q.EdgeShard.load(str(self.path))
            elif dim is None:
                raise IndexUnavailable(f"{folder}: no index here (run `chatforge rag ingest` first)")
            else:
                cfg = q.EdgeConfig(
                    vectors={DENSE: q.EdgeVectorParams(size=dim, distance=q.Distance.Cosine)},
                    sparse_vectors={SPARSE: q.EdgeSparseVectorParams(modifier=q.Modifier.Idf)},
                    hnsw_config=q.HnswIndexConfig(m=hnsw_m, ef_construct=hnsw_ef_construct, full_scan_threshold=10_000),
                )
                self.shard = q.EdgeShard.create(str(self.path), cfg)
                for name in INDEXED_FIELDS:
                    self.shard.update(q.UpdateOperation.create_field_index(name, q.PayloadSchemaType.Keyword))
        except IndexUnavailable:
            raise
        except Exception as exc:  # the engine reports a held WAL as a runtime error
            raise IndexUnavailable(f"cannot open Qdrant Edge index {self.path}: {exc}") from exc

    def _doc_filter(self, doc_id: str):
        q = self.q
        return q.Filter(must=[q.FieldCondition(key="doc_id", match=q.MatchValue(doc_id))])

    def role_filter(self, roles: list[str]):
        _check_roles(roles)
        q = self.q
        return q.Filter(must=[q.FieldCondition(key="roles", match=q.MatchAny(any=list(roles)))])

    def upsert(self, points: list[IndexPoint]) -> None:
        q = self.q
        self.shard.update(
            q.UpdateOperation.upsert_points(
                [
                    q.Point(
                        p.id,
                        {
                            DENSE: list(map(float, p.dense)),
                            SPARSE: q.SparseVector(list(p.sparse[0]), list(p.sparse[1])),
                        },
                        p.payload,
                    )
                    for p in points
                ]
            )
        )

    def delete_doc(self, doc_id: str) -> None:
        self.shard.update(self.q.UpdateOperation.delete_points_by_filter(self._doc_filter(doc_id)))

    def scroll_payloads(self, fields: list[str], batch: int = 2048):
        """Yield the chosen payload fields of every point."""
        offset = None
        while True:
            records, offset = self.shard.scroll(self.q.ScrollRequest(offset=offset, limit=batch, with_payload=fields))
            for r in records:
                yield r.payload or {}
            if offset is None:
                return

    def count(self) -> int:
        return int(self.shard.count(self.q.CountRequest(exact=True)))

    def build_query(self, spec: SearchSpec):
        q = self.q
        flt = self.role_filter(spec.roles)
        params = q.SearchParams(hnsw_ef=spec.hnsw_ef, exact=spec.exact) if (spec.hnsw_ef or spec.exact) else None
        branches = []
        if spec.dense is not None:
            branches.append((q.Query.Nearest(list(map(float, spec.dense)), using=DENSE), spec.weights[0]))
        if spec.sparse is not None:
            branches.append(
                (
                    q.Query.Nearest(q.SparseVector(list(spec.sparse[0]), list(spec.sparse[1])), using=SPARSE),
                    spec.weights[1],
                )
            )
        if not branches:
            raise ValueError("a search needs a dense or a sparse query")
        if len(branches) == 1:
            return q.QueryRequest(
                limit=spec.limit, query=branches[0][0], filter=flt, params=params, with_payload=spec.payload
            )
        prefetches = [
            q.Prefetch(limit=spec.prefetch_limit, query=query, filter=flt, params=params) for query, _ in branches
        ]
        return q.QueryRequest(
            limit=spec.limit,
            prefetches=prefetches,
            filter=flt,
            with_payload=spec.payload,
            query=q.Fusion.Rrf(k=spec.rrf_k, weights=[w for _, w in branches]),
        )

    def search(self, spec: SearchSpec) -> list[tuple[float, dict]]:
        return [(float(p.score), p.payload or {}) for p in self.shard.query(self.build_query(spec))]

    def search_batch(self, specs: list[SearchSpec]) -> list[list[tuple[float, dict]]]:
        res = self.shard.query_batch(self.q.QueryBatchRequest([self.build_query(s) for s in specs]))
        return [[(float(p.score), p.payload or {}) for p in hits] for hits in res]

    def optimize(self) -> None:
        self.shard.optimize()

    def flush(self) -> None:
        self.shard.flush()

    def close(self) -> None:
        self.shard.flush()
        self.shard.close()


class ServerIndex:
    """A collection on a Qdrant server, same operations through `qdrant-client`'s REST API."""

    def __init__(
        self,
        url: str,
        collection: str,
        dim: int | None = None,
        api_key: str | None = None,
        timeout: int = 10,
        client=None,
        hnsw_m: int = HNSW_M,
        hnsw_ef_construct: int = HNSW_EF_CONSTRUCT,
    ):
        from qdrant_client import QdrantClient, models

        self.models, self.collection = models, collection
        self.client = client or QdrantClient(url=url, api_key=api_key, timeout=timeout, check_compatibility=False)
        try:
            exists = self.client.collection_exists(collection)
        except Exception as exc:  # connection refused, DNS, TLS, auth: the same answer for the user
            raise IndexUnavailable(f"Qdrant server {url} unreachable: {type(exc).__name__}: {exc}") from exc
        if not exists:
            if dim is None:
                raise IndexUnavailable(
                    f"collection {collection!r} not found on {url} (run `chatforge rag ingest` first)"
                )
            self.client.create_collection(
                collection,
                vectors_config={DENSE: models.VectorParams(size=dim, distance=models.Distance.COSINE)},
                sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
                hnsw_config=models.HnswConfigDiff(m=hnsw_m, ef_construct=hnsw_ef_construct),
            )
            for name in INDEXED_FIELDS:
                self.client.create_payload_index(collection, name, models.PayloadSchemaType.KEYWORD, wait=True)

    def role_filter(self, roles: list[str]):
        _check_roles(roles)
        m = self.models
        return m.Filter(must=[m.FieldCondition(key="roles", match=m.MatchAny(any=list(roles)))])

    def upsert(self, points: list[IndexPoint]) -> None:
        m = self.models
        self.client.upsert(
            self.collection,
            wait=True,
            points=[
                m.PointStruct(
                    id=p.id,
                    payload=p.payload,
                    vector={
                        DENSE: list(map(float, p.dense)),
                        SPARSE: m.SparseVector(indices=list(p.sparse[0]), values=list(p.sparse[1])),
                    },
                )
                for p in points
            ],
        )

    def delete_doc(self, doc_id: str) -> None:
        m = self.models
        self.client.delete(
            self.collection,
            wait=True,
            points_selector=m.FilterSelector(
                filter=m.Filter(must=[m.FieldCondition(key="doc_id", match=m.MatchValue(value=doc_id))])
            ),
        )

    def scroll_payloads(self, fields: list[str], batch: int = 2048):
        offset = None
        while True:
            records, offset = self.client.scroll(self.collection, limit=batch, offset=offset, with_payload=fields)
            for r in records:
                yield r.payload or {}
            if offset is None:
                return

    def count(self) -> int:
        return int(self.client.count(self.collection, exact=True).count)

    def build_query(self, spec: SearchSpec):
        m = self.models
        flt = self.role_filter(spec.roles)
        params = m.SearchParams(hnsw_ef=spec.hnsw_ef, exact=spec.exact) if (spec.hnsw_ef or spec.exact) else None
        branches = []
        if spec.dense is not None:
            branches.append((list(map(float, spec.dense)), DENSE, spec.weights[0]))
        if spec.sparse is not None:
            branches.append(
                (m.SparseVector(indices=list(spec.sparse[0]), values=list(spec.sparse[1])), SPARSE, spec.weights[1])
            )
        if not branches:
            raise ValueError("a search needs a dense or a sparse query")
        if len(branches) == 1:
            vector, using, _ = branches[0]
            return m.QueryRequest(
                query=vector, using=using, filter=flt, params=params, limit=spec.limit, with_payload=spec.payload
            )
        return m.QueryRequest(
            prefetch=[
                m.Prefetch(query=v, using=u, filter=flt, params=params, limit=spec.prefetch_limit)
                for v, u, _ in branches
            ],
            query=m.RrfQuery(rrf=m.Rrf(k=spec.rrf_k, weights=[w for _, _, w in branches])),
            filter=flt,
            limit=spec.limit,
            with_payload=spec.payload,
        )

    def search_batch(self, specs: list[SearchSpec]) -> list[list[tuple[float, dict]]]:
        res = self.client.query_batch_points(self.collection, requests=[self.build_query(s) for s in specs])
        return [[(float(p.score), p.payload or {}) for p in r.points] for r in res]

    def search(self, spec: SearchSpec) -> list[tuple[float, dict]]:
        return self.search_batch([spec])[0]

    def optimize(self) -> None:
        """The server optimises in the background."""

    def flush(self) -> None:
        """Writes use wait=True; nothing is buffered client-side."""

    def close(self) -> None:
        self.client.close()
