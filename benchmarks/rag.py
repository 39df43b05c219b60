"""RAG benchmark: ingest throughput, query latency at 10k / 100k chunks (hybrid vs dense-only), HNSW recall.

    .venv/bin/python benchmarks/rag.py [--sizes 10000 100000] [--queries 200]

1. Ingest: `chatforge rag ingest` of the example knowledge base into a fresh index (chunk,
   embed with the packaged MiniLM, BM25, upsert): chunks per second, end to end.
2. Synthetic corpora of N chunks (384-d clustered unit vectors, BM25 vectors of random
   French-like word strings, one of 4 roles each) in Qdrant Edge, HNSW built. Query latency
   p50 / p95 with the role filter, excluding query embedding and generation: hybrid
   (dense + BM25, RRF) against dense-only in the same run.
3. Recall@10 of the HNSW search against exact search on the same filtered queries.

The last line is the JSON summary: hybrid p95 at the largest size, with dense-only as baseline.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatforge.rag.index import EdgeIndex, IndexPoint, SearchSpec  # noqa: E402
from chatforge.rag.retrieve import RetrieveConfig  # noqa: E402
from chatforge.rag.sparse import Bm25Config, SparseEncoder  # noqa: E402

HNSW_EF = RetrieveConfig().hnsw_ef  # what `chatforge rag query` uses by default

ROLES = ["public", "support", "finance", "maintenance"]
DIM = 384


def machine() -> str:
    import os

    return f"{platform.machine()} {os.cpu_count()} cpu, {platform.system()}"


def bench_ingest(tmp: Path) -> dict:
    from chatforge.rag.ingest import IngestConfig, ingest

    kb = ROOT / "examples" / "hirondelle-air" / "knowledge"
    t = time.perf_counter()
    s = ingest([kb], tmp / "example", IngestConfig(bm25=Bm25Config(language="french")), progress=False)
    total = time.perf_counter() - t
    return {"chunks": s["chunks"], "seconds": round(total, 2), "chunks_per_s": round(s["chunks"] / total, 1),
            "embed_chunks_per_s": s["chunks_per_s"]}


def synthetic(n: int, rng: np.random.Generator, sparse: SparseEncoder, words: list[str]):
    centers = rng.normal(size=(max(n // 100, 10), DIM)).astype(np.float32)
    labels = rng.integers(0, len(centers), n)
    vecs = centers[labels] + 0.6 * rng.normal(size=(n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    for i in range(n):
        text = " ".join(rng.choice(words, 30))
        yield IndexPoint(f"doc{i // 10}#{i % 10}", vecs[i], sparse.document(text),
                         {"doc_id": f"doc{i // 10}", "chunk_id": f"doc{i // 10}#{i % 10}", "roles": [ROLES[i % 4]], "text": text}), text


def bench_size(tmp: Path, n: int, n_queries: int, rng: np.random.Generator) -> dict:
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
        queries.append((list(noisy / np.linalg.norm(noisy)), sparse.query(" ".join(text.split()[:4])), [ROLES[rng.integers(0, 4)]]))

    def timed(make) -> tuple[list[float], list[list[str]]]:
        lat, ids = [], []
        for q in queries[:5]:
            index.search(make(q))  # warm-up
        for q in queries:
            t0 = time.perf_counter()
            hits = index.search(make(q))
            lat.append((time.perf_counter() - t0) * 1000)
            ids.append([h[1]["chunk_id"] for h in hits])
        return lat, ids

    fields = ["chunk_id", "doc_id", "text", "roles"]
    hybrid, _ = timed(lambda q: SearchSpec(roles=q[2], limit=10, dense=q[0], sparse=q[1], payload=fields, hnsw_ef=HNSW_EF))
    dense, approx = timed(lambda q: SearchSpec(roles=q[2], limit=10, dense=q[0], payload=fields, hnsw_ef=HNSW_EF))
    _, exact = timed(lambda q: SearchSpec(roles=q[2], limit=10, dense=q[0], exact=True, payload=fields))
    recall = np.mean([len(set(a) & set(e)) / max(len(e), 1) for a, e in zip(approx, exact)])
    count = index.count()
    index.close()
    pct = lambda xs, p: round(float(np.percentile(xs, p)), 3)  # noqa: E731
    return {"chunks": count, "upsert_points_per_s": round(n / upsert_s, 1), "hnsw_build_s": round(build_s, 1),
            "queries": len(queries), "hybrid_p50_ms": pct(hybrid, 50), "hybrid_p95_ms": pct(hybrid, 95),
            "dense_p50_ms": pct(dense, 50), "dense_p95_ms": pct(dense, 95), "recall@10_hnsw_vs_exact": round(float(recall), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    tmp = Path(tempfile.mkdtemp(prefix="chatforge-bench-rag-"))
    results: dict = {"machine": machine()}
    try:
        if not args.skip_ingest:
            results["ingest"] = bench_ingest(tmp)
            print(json.dumps({"ingest": results["ingest"]}), flush=True)
        for n in args.sizes:
            results[str(n)] = bench_size(tmp, n, args.queries, rng)
            print(json.dumps({str(n): results[str(n)]}), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    big = results[str(max(args.sizes))]
    print(json.dumps({"benchmark": "rag", "metric": f"hybrid_query_p95_ms_at_{big['chunks']}",
                      "value": big["hybrid_p95_ms"], "baseline": big["dense_p95_ms"],
                      "ratio": round(big["hybrid_p95_ms"] / big["dense_p95_ms"], 3), "machine": results["machine"],
                      "details": results}))


if __name__ == "__main__":
    main()
