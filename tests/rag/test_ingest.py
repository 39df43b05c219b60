import threading
from pathlib import Path

import pytest

from chatforge.rag.embed import Embedder
from chatforge.rag.index import EdgeIndex, IndexPoint
from chatforge.rag.ingest import IngestConfig, ingest
from chatforge.rag.store import IndexBusy, index_lock


def _kb(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    (kb / "public").mkdir(parents=True)
    (kb / "access.yaml").write_text('rules:\n  - glob: "public/**"\n    roles: [public]\n', encoding="utf-8")
    (kb / "public" / "a.md").write_text("# Tarifs\n\nLe tarif Flex coûte 30 euros de frais.\n", encoding="utf-8")
    (kb / "public" / "b.md").write_text("# Animaux\n\nLes chats voyagent en cabine jusqu'à 8 kg.\n", encoding="utf-8")
    return kb


def _texts(idx: Path) -> dict[str, list[str]]:
    index = EdgeIndex(idx)
    try:
        out: dict[str, list[str]] = {}
        for p in index.scroll_payloads(["doc_id", "text"]):
            out.setdefault(p["doc_id"], []).append(p["text"])
        return out
    finally:
        index.close()


def test_reingest_unchanged_does_no_work_and_changes_replace_chunks(tmp_path, monkeypatch):
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    first = ingest([kb], idx, progress=False)
    assert sorted(first["ingested"]) == ["public/a.md", "public/b.md"] and first["chunks_total"] == 2

    calls = []
    real = Embedder.encode
    monkeypatch.setattr(Embedder, "encode", lambda self, texts: calls.append(len(texts)) or real(self, texts))
    again = ingest([kb], idx, progress=False)
    assert again["ingested"] == [] and again["unchanged"] == 2 and calls == []

    (kb / "public" / "a.md").write_text(
        "# Tarifs\n\nLe tarif Flex coûte désormais 35 euros.\n\n## Liberté\n\nRemboursement intégral.\n",
        encoding="utf-8",
    )
    changed = ingest([kb], idx, progress=False)
    assert changed["ingested"] == ["public/a.md"] and changed["unchanged"] == 1 and calls == [2]
    texts = _texts(idx)
    assert sorted(texts["public/a.md"]) == ["Le tarif Flex coûte désormais 35 euros.", "Remboursement intégral."]
    assert changed["chunks_total"] == 3


def test_prune_removes_files_that_are_gone(tmp_path):
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    ingest([kb], idx, progress=False)
    (kb / "public" / "b.md").unlink()
    kept = ingest([kb], idx, progress=False)
    assert kept["pruned"] == [] and "public/b.md" in _texts(idx)  # without --prune nothing is deleted
    pruned = ingest([kb], idx, IngestConfig(prune=True), progress=False)
    assert pruned["pruned"] == ["public/b.md"] and set(_texts(idx)) == {"public/a.md"} and pruned["chunks_total"] == 1


def test_bad_input_is_reported_not_fatal_and_unlabelled_refused(tmp_path):
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    (kb / "public" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (kb / "public" / "empty.md").write_text("   \n", encoding="utf-8")
    (kb / "public" / "data.xyz").write_text("?", encoding="utf-8")
    (kb / "hr.md").write_text("# Salaires\n\nConfidentiel.\n", encoding="utf-8")
    s = ingest([kb], idx, progress=False)
    failed = {Path(f["source"]).name: f["reason"] for f in s["failed"]}
    skipped = {Path(f["source"]).name: f["reason"] for f in s["skipped"]}
    assert "unreadable PDF" in failed["broken.pdf"] and "empty" in failed["empty.md"]
    assert "unknown extension" in skipped["data.xyz"] and "no access label" in skipped["hr.md"]
    assert sorted(s["ingested"]) == ["public/a.md", "public/b.md"] and "hr.md" not in _texts(idx)

    s2 = ingest([kb], idx, IngestConfig(default_roles=["staff"]), progress=False)
    assert s2["ingested"] == ["hr.md"]
    index = EdgeIndex(idx)
    roles = {p["doc_id"]: p["roles"] for p in index.scroll_payloads(["doc_id", "roles"])}
    index.close()
    assert roles["hr.md"] == ["staff"] and roles["public/a.md"] == ["public"]


def test_second_ingest_waits_or_fails_cleanly(tmp_path):
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    ingest([kb], idx, progress=False)
    (kb / "public" / "c.md").write_text("# Retards\n\n250 euros au-delà de 3 h.\n", encoding="utf-8")
    held = index_lock(idx, timeout=1)
    try:
        with pytest.raises(IndexBusy):
            ingest([kb], idx, IngestConfig(lock_timeout=0.2), progress=False)
    finally:
        held.release()
    assert set(_texts(idx)) == {"public/a.md", "public/b.md"}  # the refused run changed nothing

    results, errors = [], []

    def run():
        try:
            results.append(ingest([kb], idx, IngestConfig(lock_timeout=60), progress=False))
        except Exception as exc:  # pragma: no cover - reported through the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(len(r["ingested"]) for r in results) == [0, 1]
    assert set(_texts(idx)) == {"public/a.md", "public/b.md", "public/c.md"} and results[-1]["chunks_total"] == 3


def test_interrupted_document_is_redone(tmp_path):
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    ingest([kb], idx, progress=False)
    index = EdgeIndex(idx)  # simulate a crash that left a document with a chunk missing
    p = next(p for p in index.scroll_payloads(["doc_id", "chunk_id", "fingerprint"]) if p["doc_id"] == "public/a.md")
    index.upsert(
        [
            IndexPoint(
                "public/a.md#9",
                [0.0] * 383 + [1.0],
                ([1], [1.0]),
                {
                    "doc_id": "public/a.md",
                    "fingerprint": p["fingerprint"],
                    "n_chunks": 1,
                    "roles": ["public"],
                    "text": "stale",
                },
            )
        ]
    )
    index.close()
    s = ingest([kb], idx, progress=False)
    assert s["ingested"] == ["public/a.md"] and "stale" not in _texts(idx)["public/a.md"]


def test_small_documents_share_one_embedding_call_and_batches_split_at_the_limit(tmp_path, monkeypatch):
    kb = _kb(tmp_path)
    for i in range(3):
        (kb / "public" / f"c{i}.md").write_text(f"# Note {i}\n\nLe vol {i} part à l'heure.\n", encoding="utf-8")
    calls = []
    real = Embedder.encode
    monkeypatch.setattr(Embedder, "encode", lambda self, texts: calls.append(len(texts)) or real(self, texts))
    s = ingest([kb], tmp_path / "idx", progress=False)
    assert calls == [5] and s["chunks_total"] == 5  # five one-chunk files, one forward pass
    calls.clear()
    s = ingest([kb], tmp_path / "idx2", IngestConfig(embed_batch_chunks=2), progress=False)
    assert calls == [2, 2, 1] and s["chunks_total"] == 5 and len(_texts(tmp_path / "idx2")) == 5


def test_document_emptied_of_text_loses_its_old_chunks(tmp_path):
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    ingest([kb], idx, progress=False)
    (kb / "public" / "a.md").write_text("# Tarifs\n", encoding="utf-8")  # only a heading: nothing to chunk
    s = ingest([kb], idx, progress=False)
    assert [x["reason"] for x in s["skipped"]] == ["no text left after chunking"]
    assert "public/a.md" not in _texts(idx) and s["chunks_total"] == 1


def test_bm25_language_follows_the_documents_and_stays_with_the_index(tmp_path):
    from chatforge.rag.store import read_meta

    kb = _kb(tmp_path)
    ingest([kb], tmp_path / "fr", progress=False)  # default bm25.language = auto
    assert read_meta(tmp_path / "fr")["bm25"]["language"] == "french"
    en = tmp_path / "en" / "public"
    en.mkdir(parents=True)
    (en.parent / "access.yaml").write_text('rules:\n  - glob: "public/**"\n    roles: [public]\n', encoding="utf-8")
    (en / "bags.md").write_text(
        "# Baggage\n\nEvery passenger may bring one cabin bag weighing up to eight kilograms "
        "on board, plus a small personal item under the seat.\n",
        encoding="utf-8",
    )
    ingest([en.parent], tmp_path / "en-idx", progress=False)
    assert read_meta(tmp_path / "en-idx")["bm25"]["language"] == "english"
    # the index keeps its language: adding English text to the French index does not switch its stemmer
    ingest([kb, en.parent], tmp_path / "fr", progress=False)
    assert read_meta(tmp_path / "fr")["bm25"]["language"] == "french"


def test_unreadable_front_matter_refuses_the_document_instead_of_dropping_its_roles(tmp_path):
    # The roles live in the front matter: a broken block once fell back to `--default-roles`, making a
    # manager-only document public.
    kb, idx = _kb(tmp_path), tmp_path / "idx"
    (kb / "salaires.md").write_text(
        "---\nroles: [manager\ntitle: Grille\n---\n# Salaires\n\nLe plafond est 9 000 euros.\n", encoding="utf-8"
    )
    (kb / "liste.md").write_text("---\n- manager\n---\n# Primes\n\nPrime annuelle 1 200 euros.\n", encoding="utf-8")
    s = ingest([kb], idx, IngestConfig(default_roles=["public"]), progress=False)
    failed = {Path(f["source"]).name: f["reason"] for f in s["failed"]}
    assert "front matter is not valid YAML" in failed["salaires.md"]
    assert "front matter must be a mapping" in failed["liste.md"]
    texts = " ".join(t for ts in _texts(idx).values() for t in ts)
    assert "9 000" not in texts and "1 200" not in texts
    assert sorted(s["ingested"]) == ["public/a.md", "public/b.md"]
