"""RAG benchmark: ingest throughput, query latency at 10k / 100k chunks (hybrid vs dense-only), HNSW recall.

    .venv/bin/python benchmarks/rag.py [--sizes 10000 100000] [--queries 200] [--skip-ingest] [--repeats 3]

1. Ingest: `chatforge rag ingest` of the example knowledge base into a fresh index (chunk,
   embed with the packaged MiniLM, BM25, upsert): chunks per second, end to end.
2. Synthetic corpora of N chunks (384-d clustered unit vectors, BM25 vectors of random
   French-like word strings, one of 4 roles each) in Qdrant Edge, HNSW built. Query latency
   p50 / p95 with the role filter, excluding query embedding and generation: hybrid
   (dense + BM25, RRF) against dense-only on the same index, in turn, `--repeats` passes each.
3. Recall@10 of the HNSW search against exact search on the same filtered queries.

The last line is the JSON summary: hybrid p95 at the largest size, with dense-only as baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

from chatforge.rag.index import EdgeIndex, IndexPoint, SearchSpec  # noqa: E402
from chatforge.rag.retrieve import RetrieveConfig  # noqa: E402
from chatforge.rag.sparse import Bm25Config, SparseEncoder  # noqa: E402

HNSW_EF = RetrieveConfig().hnsw_ef  # what `chatforge rag query` uses by default

ROLES = ["public", "support", "finance", "maintenance"]
DIM = 384


def bench_ingest(tmp: Path) -> dict:
    from chatforge.rag.ingest import IngestConfig, ingest

    kb = ROOT / "examples" / "hirondelle-air" / "knowledge"
    t = time.perf_counter()
    s = ingest([kb], tmp / "example", IngestConfig(bm25=Bm25Config(language="french")), progress=False)
    total = time.perf_counter() - t
    return {
        "chunks": s["chunks"],
        "seconds": round(total, 2),
        "chunks_per_s": round(s["chunks"] / total, 1),
        "embed_chunks_per_s": s["chunks_per_s"],
    }


def synthetic(n: int, rng: np.random.Generator, sparse: SparseEncoder, words: list[str]):
    centers = rng.normal(size=(max(n // 100, 10), DIM)).astype(np.float32)
    labels = rng.integers(0, len(centers), n)
    vecs = centers[labels] + 0.6 * rng.normal(size=(n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    for i in range(n):
        text = " ".join(rng.choice(words, 30))
        yield (
            IndexPoint(
                f"doc{i // 10}#{i % 10}",
                vecs[i],
                sparse.document(text),
                {
                    "doc_id": f"doc{i // 10}",
                    "chunk_id": f"doc{i // 10}#{i % 10}",
                    "roles": [ROLES[i % 4]],
                    "text": text,
                },
            ),
            text,
        )


def build_index(tmp: Path, n: int, n_queries: int, rng: np.random.Generator) -> dict:
    """A synthetic index of n chunks, HNSW built, and `n_queries` noisy queries drawn from it."""
    sparse = SparseEncoder(Bm25Config(language="french"))
    words = [f"mot{i}" for i in range(5000)]
    index = EdgeIndex(tmp / f"syn{n}", dim=DIM)
    t = time.perf_counter()
    batch, sample = [], []
    for p, text in synthetic(n, rng, sparse, words):
        p.dense = p.dense.tolist()
        batch.append(p)
        if len(sample) < n_queries and rng.random() < min(1.0, 2 * n_queries / n):
            sample.append((p.dense, text))
        if len(batch) == 1000:
            index.upsert(batch)
            batch = []
    if batch:
        index.upsert(batch)
    upsert_s = time.perf_counter() - t
    t = time.perf_counter()
    index.optimize()  # build HNSW and payload indexes now, not during the timed queries
    build_s = time.perf_counter() - t
    queries = []
    for dense, text in sample[:n_queries]:
        noisy = np.asarray(dense) + 0.3 * rng.normal(size=DIM) / np.sqrt(DIM)
        queries.append(
            (list(noisy / np.linalg.norm(noisy)), sparse.query(" ".join(text.split()[:4])), [ROLES[rng.integers(0, 4)]])
        )
    return {
        "index": index,
        "queries": queries,
        "info": {
            "chunks": index.count(),
            "upsert_points_per_s": round(n / upsert_s, 1),
            "hnsw_build_s": round(build_s, 1),
            "queries": len(queries),
        },
    }


FIELDS = ["chunk_id", "doc_id", "text", "roles"]
SPECS = {
    "hybrid": lambda q: SearchSpec(roles=q[2], limit=10, dense=q[0], sparse=q[1], payload=FIELDS, hnsw_ef=HNSW_EF),
    "dense": lambda q: SearchSpec(roles=q[2], limit=10, dense=q[0], payload=FIELDS, hnsw_ef=HNSW_EF),
    "exact": lambda q: SearchSpec(roles=q[2], limit=10, dense=q[0], exact=True, payload=FIELDS),
}


def _search_all(built: dict, kind: str) -> tuple[list[float], list[list[str]]]:
    index, make = built["index"], SPECS[kind]
    lat, ids = [], []
    for q in built["queries"][:5]:
        index.search(make(q))  # warm-up
    for q in built["queries"]:
        t0 = time.perf_counter()
        hits = index.search(make(q))
        lat.append((time.perf_counter() - t0) * 1000)
        ids.append([h[1]["chunk_id"] for h in hits])
    return lat, ids


def time_queries(built: dict, kind: str) -> dict:
    """p50 / p95 latency in ms of every query, role filter on, as `kind` (hybrid or dense)."""
    lat, _ = _search_all(built, kind)
    return {"p50_ms": float(np.percentile(lat, 50)), "p95_ms": float(np.percentile(lat, 95))}


def recall(built: dict) -> float:
    """Recall@10 of the HNSW dense search against exact search on the same filtered queries."""
    _, approx = _search_all(built, "dense")
    _, exact = _search_all(built, "exact")
    return round(float(np.mean([len(set(a) & set(e)) / max(len(e), 1) for a, e in zip(approx, exact)])), 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--skip-ingest", action="store_true")
    add_repeats(ap)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    tmp = Path(tempfile.mkdtemp(prefix="chatforge-bench-rag-"))
    results: dict = {}
    try:
        if not args.skip_ingest:
            results["ingest"] = bench_ingest(tmp)
            print(json.dumps({"ingest": results["ingest"]}), file=sys.stderr, flush=True)
        for n in args.sizes:
            index = build_index(tmp, n, args.queries, rng)
            # hybrid (ours) and dense-only (baseline) queries in turn on the same index, --repeats passes each
            runs = interleave(
                {
                    "hybrid": lambda index=index: time_queries(index, "hybrid"),
                    "dense": lambda index=index: time_queries(index, "dense"),
                },
                args.repeats,
            )
            results[str(n)] = {**index["info"], "recall@10_hnsw_vs_exact": recall(index), "runs": runs}
            index["index"].close()
            print(
                json.dumps({str(n): {k: v for k, v in results[str(n)].items() if k != "runs"}}),
                file=sys.stderr,
                flush=True,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    big = results[str(max(args.sizes))]
    emit(
        summary(
            "rag",
            f"hybrid_query_p95_ms_at_{big['chunks']}",
            big["runs"],
            value="p95_ms",
            ours="hybrid",
            baseline="dense",
            baseline_is="dense-only query (one HNSW search, no BM25 branch, no fusion) on the "
            f"same index, hnsw_ef={HNSW_EF}",
            ratio_is="hybrid p95 / dense p95",
            recall_at_10=big["recall@10_hnsw_vs_exact"],
            hnsw_build_s=big["hnsw_build_s"],
            ingest=results.get("ingest"),
            sizes={k: {kk: vv for kk, vv in v.items() if kk != "runs"} for k, v in results.items() if k != "ingest"},
        )
    )


if __name__ == "__main__":
    main()
