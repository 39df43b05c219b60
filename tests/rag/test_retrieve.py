import json

import pytest

from chatforge.rag.ingest import ingest
from chatforge.rag.retrieve import RetrieveConfig, Retriever, retrieve
from tests.rag.conftest import ROLES, TESTSET


def _allowed(doc_id: str) -> set[str]:
    """Roles per document, derived from the folder layout, independently of the index payloads."""
    if doc_id.startswith("canary-"):
        return {doc_id.removeprefix("canary-").removesuffix(".md")}
    top = doc_id.split("/")[0]
    return set(ROLES) if top == "public" else {top}


def test_canary_leak_count_is_zero(example_index):
    if not TESTSET.is_file():
        pytest.skip("example testset not present")
    questions = [
        json.loads(line)["question"] for line in TESTSET.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    questions += ["CANARY", "canary finance 7731", "Quel est le code CANARY-SUPPORT ?"]
    leaks, seen_canary = [], set()
    with Retriever(example_index, RetrieveConfig(k=10)) as r:
        asked = [(role, q) for role in ROLES + ["intruder"] for q in questions]
        results = r.search_many([q for _, q in asked], [[role] for role, _ in asked])
        for (role, q), hits in zip(asked, results):
            if True:
                for h in hits:
                    if role not in _allowed(h["doc_id"]):
                        leaks.append((role, q, h["doc_id"]))
                    if h["doc_id"].startswith("canary-"):
                        seen_canary.add((role, h["doc_id"]))
                assert role != "intruder" or hits == []
    assert leaks == []
    # the canaries are findable by their owners, so the zero above is not an empty-result artefact
    assert {(role, f"canary-{role}.md") for role in ROLES} <= seen_canary


def test_role_filter_runs_inside_the_search(tmp_path):
    kb = tmp_path / "kb"
    (kb / "public").mkdir(parents=True)
    (kb / "finance").mkdir()
    (kb / "access.yaml").write_text(
        'rules:\n  - glob: "public/**"\n    roles: [public]\n  - glob: "finance/**"\n    roles: [finance]\n',
        encoding="utf-8",
    )
    for i in range(12):
        (kb / "public" / f"p{i}.md").write_text(
            f"# Bagages {i}\n\nLe bagage cabine pèse 8 kg, variante {i}.\n", encoding="utf-8"
        )
    (kb / "finance" / "f.md").write_text("# Budget\n\nLe budget carburant 2026 est couvert à 65 %.\n", encoding="utf-8")
    ingest([kb], tmp_path / "idx", progress=False)
    # The 12 public chunks outrank the finance one for this query; a filter applied after a
    # top-3 cut would leave the finance caller with nothing.
    hits = retrieve(tmp_path / "idx", "poids du bagage cabine", ["finance"], RetrieveConfig(k=3, prefetch_k=3))
    assert [h["doc_id"] for h in hits] == ["finance/f.md"]
    public = retrieve(tmp_path / "idx", "poids du bagage cabine", ["public"], RetrieveConfig(k=3, prefetch_k=3))
    assert len(public) == 3 and all(h["doc_id"].startswith("public/") for h in public)
    assert set(public[0]) >= {"doc_id", "chunk_id", "score", "text", "source", "page"}


def test_no_role_is_refused(example_index):
    with pytest.raises(PermissionError):
        retrieve(example_index, "bagage", [])


def test_hybrid_modes_and_weights(example_index):
    q = "Combien coûte un vélo en soute ?"
    with Retriever(example_index, RetrieveConfig(k=5)) as r:
        hybrid = r.search(q, ["public"])
    with Retriever(example_index, RetrieveConfig(k=5, mode="dense")) as r:
        dense = r.search(q, ["public"])
    with Retriever(example_index, RetrieveConfig(k=5, mode="sparse")) as r:
        sparse = r.search(q, ["public"])
    # RRF scores are sums of w / (rrf_k + rank): bounded by 2 / (20 + 1) with two unit weights
    assert all(0 < h["score"] <= 2 / 21 + 1e-6 for h in hybrid)
    assert dense[0]["score"] > 0.3  # cosine
    assert hybrid[0]["doc_id"] == "public/equipements-sportifs.md"
    assert {h["chunk_id"] for h in hybrid} <= {h["chunk_id"] for h in dense} | {h["chunk_id"] for h in sparse} | {
        h["chunk_id"] for h in hybrid
    }
    with Retriever(example_index, RetrieveConfig(k=5, dense_weight=1.0, sparse_weight=0.0)) as r:
        dense_only_by_weight = r.search(q, ["public"])
    assert [h["chunk_id"] for h in dense_only_by_weight] == [h["chunk_id"] for h in dense]


def test_cross_encoder_rerank_reorders(example_index, tmp_path):
    # A cross-encoder built from the packaged MiniLM (untrained head): the test checks plumbing,
    # that results come back ordered by the cross-encoder's own scores, not its quality.
    from sentence_transformers import CrossEncoder

    from chatforge.rag.embed import packaged_model_path

    folder = tmp_path / "ce"
    CrossEncoder(str(packaged_model_path()), num_labels=1, local_files_only=True).save(str(folder))
    with Retriever(example_index, RetrieveConfig(k=4, rerank_model=str(folder), rerank_candidates=8)) as r:
        hits = r.search("bagage cabine", ["public"])
        direct = r.reranker.predict([("bagage cabine", h["text"]) for h in hits])
    assert len(hits) == 4
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert [round(float(s), 5) for s in direct] == [round(h["score"], 5) for h in hits]


def test_eval_recall_at_5_on_example(example_index):
    if not TESTSET.is_file():
        pytest.skip("example testset not present")
    from chatforge.rag.evaluate import EvalConfig, evaluate

    report = evaluate(example_index, TESTSET, EvalConfig())
    assert report["questions"] >= 50 and report["documents_missing_from_index"] == []
    assert report["metrics"]["recall@5"] >= 0.9, report["misses"]
    assert 0 < report["metrics"]["mrr"] <= report["metrics"]["recall@10"]
