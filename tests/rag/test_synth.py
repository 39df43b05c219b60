"""`chatforge data synth`: extractive pairs supported by and citing their chunk, test-set exclusion, roles, a teacher."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi import FastAPI, Request  # module level: FastAPI resolves the handler's annotations here
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.rag.ingest import ingest
from chatforge.rag.synth import SynthConfig, synth
from chatforge.rag.synth_questions import TOPICS
from chatforge.rag.synth_teacher import TeacherConfig, parse_pairs
from chatforge.rag.verify import content_tokens, verify

DOCS = {
    "public/bagages.md": """---
title: Bagages en soute
---
# Bagages en soute

## Franchise

| Tarif | Bagages inclus |
|---|---|
| Classic | 1 bagage de 23 kg |
| Flex | 2 bagages de 23 kg |

## Supplément

- **Bagage supplémentaire** : 35 € par vol en ligne.
- Au-delà de 23 kg, un supplément de 50 € est appliqué.

Le dépose-bagage est un comptoir libre-service situé dans le hall 2. Les comptoirs ferment 45 minutes avant le départ.
""",
    "public/refunds.md": """# Refunds

A refund voucher is a credit valid for 12 months on any new booking.

- Processing time: 14 days after approval.
- Refunds are paid to the original card within 10 business days.

We do not accept bitcoin.
""",
    "internal/escalation.md": """# Escalation of refunds

Refunds above 500 euros need the approval of a manager. The escalation desk answers within 4 hours.

- Desk phone: extension 4410.
""",
    "canary/canary.md": """# Escalation of refunds (finance)

CANARY-FIN-4417: refunds above 500 euros need the approval of a manager. The escalation desk answers within 4 hours.

- Budget line: 9 999 euros.
""",
}
# finance reads everything; internal/ is also read by support; the canary by finance alone. internal/
# lists finance first, so its pairs are retrieved under finance, which may read the canary: only the
# roles filter of the grounded conversations keeps the canary out of them.
ACCESS = """rules:
  - glob: "public/**"
    roles: [public, support, finance]
  - glob: "internal/**"
    roles: [finance, support]
  - glob: "canary/**"
    roles: [finance]
"""
CANARY = "CANARY-FIN"


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synth")
    docs = root / "docs"
    for rel, text in DOCS.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    (docs / "access.yaml").write_text(ACCESS, encoding="utf-8")
    idx = root / "idx"
    summary = ingest([docs], idx, progress=False)
    assert not summary["failed"] and not summary["skipped"]
    return docs, idx


@pytest.fixture(scope="module")
def extractive(kb, tmp_path_factory) -> tuple[dict, Path]:
    docs, idx = kb
    out = tmp_path_factory.mktemp("out")
    cfg = SynthConfig(unanswerable=3, test_ratio=0.0, val_ratio=0.0, max_pairs_per_chunk=10)
    return synth([docs], idx, out, cfg, progress=False), out


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def chunk_texts(idx: Path) -> dict[str, str]:
    from chatforge.rag.store import open_index

    index = open_index(idx)
    try:
        return {p["chunk_id"]: p["text"] for p in index.scroll_payloads(["chunk_id", "text"])}
    finally:
        index.close()


def test_extractive_pairs_are_supported_cite_their_chunk_and_speak_the_documents_language(kb, extractive):
    docs, idx = kb
    report, out = extractive
    pairs = rows(out / "pairs.jsonl")
    assert report["pairs"] == len(pairs) >= 12 and report["verified_share"] > 0.9
    chunks = chunk_texts(idx)
    for p in pairs:
        v = verify(p["answer"], [{"text": chunks[p["chunk_id"]]}], question=p["question"])
        assert not v.removed_sentences and not v.abstained and not v.quoted, p
        assert p["chunk_id"].startswith(p["doc_id"] + "#") and p["answer_cited"].count("[1]") >= 1
        assert content_tokens(p["answer"]) - content_tokens(p["question"])  # not an echo of the question
    by_doc = {d: [p for p in pairs if p["doc_id"] == d] for d in DOCS}
    assert all(p["lang"] == "fr" for p in by_doc["public/bagages.md"])
    assert all(p["lang"] == "en" for p in by_doc["public/refunds.md"])
    # the table row under its header, in French; the list item's figure masked in the question
    flex = [p for p in by_doc["public/bagages.md"] if p["kind"] == "table" and "Flex" in p["question"]]
    assert flex and flex[0]["question"].startswith("Quelle est la valeur de « Bagages inclus »")
    assert "2 bagages de 23 kg" in flex[0]["answer"] and flex[0]["facts"] == ["2 bagages de 23 kg"]
    fig = [p for p in by_doc["public/refunds.md"] if p["kind"] == "figure" and "12 months" in p["answer"]]
    assert fig and "12" not in fig[0]["question"] and fig[0]["facts"] == ["12 months"]
    definition = [p for p in by_doc["public/refunds.md"] if p["kind"] == "definition"]
    assert definition and definition[0]["question"] == "What is a refund voucher?"
    # train.jsonl: the grounded prompt, and a target citing the passage that holds the source chunk
    train = rows(out / "train.jsonl")
    assert len(train) == report["train"] > 0
    for row in train:
        synth_meta = row["meta"]["synth"]
        user, target = row["messages"][-2]["content"], row["messages"][-1]["content"]
        assert row["messages"][0]["role"] == "system" and "<passages>" in user
        n = synth_meta["passages"].index(synth_meta["chunk_id"]) + 1
        assert set(map(int, re.findall(r"\[(\d+)\]", target))) == {n}


def test_same_seed_same_pairs(kb, extractive, tmp_path):
    docs, idx = kb
    cfg = SynthConfig(unanswerable=3, test_ratio=0.0, val_ratio=0.0, max_pairs_per_chunk=10)
    synth([docs], idx, tmp_path, cfg, progress=False)
    assert (tmp_path / "pairs.jsonl").read_bytes() == (extractive[1] / "pairs.jsonl").read_bytes()


def test_a_question_of_the_test_set_never_reaches_training(kb, extractive, tmp_path):
    docs, idx = kb
    pairs = rows(extractive[1] / "pairs.jsonl")
    leaked = next(p for p in pairs if p["kind"] == "figure")
    testset = tmp_path / "testset.jsonl"
    # the same question as a user typed it: other case, no dash, a question mark spaced
    typed = leaked["question"].lower().replace(" — ", " ").replace("?", " ?")
    testset.write_text(json.dumps({"question": typed, "answer": leaked["answer"]}) + "\n", encoding="utf-8")
    cfg = SynthConfig(test_ratio=0.0, val_ratio=0.0, max_pairs_per_chunk=10)
    report = synth([docs], idx, tmp_path / "out", cfg, exclude_testset=testset, progress=False)
    kept = rows(tmp_path / "out" / "pairs.jsonl")
    assert leaked["question"] not in {p["question"] for p in kept}
    assert report["removed"]["in_testset"] == 1 and len(kept) == len(pairs) - 1


def test_canary_text_only_in_pairs_recorded_for_its_role(kb, tmp_path):
    docs, idx = kb
    report = synth([docs], idx, tmp_path, SynthConfig(test_ratio=0.3, val_ratio=0.0, seed=3), progress=False)
    assert report["train"] and report["test"]
    everything = rows(tmp_path / "pairs.jsonl") + rows(tmp_path / "train.jsonl") + rows(tmp_path / "test.jsonl")
    canary = [r for r in everything if CANARY in json.dumps(r)]
    assert canary  # the canary document gave pairs: the check below is not vacuous
    for r in everything:
        roles = r.get("roles") or r.get("meta", {}).get("synth", {}).get("roles")
        if CANARY in json.dumps(r, ensure_ascii=False):
            assert roles == ["finance"], r
    # the internal document's conversations were retrieved under finance, which may read the canary
    internal = [r for r in rows(tmp_path / "train.jsonl") if r["meta"]["synth"]["doc_id"] == "internal/escalation.md"]
    assert internal and all(r["meta"]["synth"]["roles"] == ["finance", "support"] for r in internal)


def test_unanswerable_questions_are_about_topics_no_document_mentions(extractive):
    report, out = extractive
    items = [r for r in rows(out / "test.jsonl") if not r["answerable"]]
    assert len(items) == report["unanswerable"] == 3
    bitcoin = next(t for t in TOPICS if "bitcoin" in t[2])
    assert all(i["question"] != bitcoin[0] and i["facts"] == [] and i["doc_id"] is None for i in items)
    assert all("documents" in i["answer"] for i in items)  # the verifier's abstention sentence


def test_parse_pairs_accepts_fences_and_loose_objects_and_counts_the_rest():
    assert parse_pairs('```json\n[{"question": "Q one?", "answer": "A one."}, {"question": ""}]\n```') == (
        [{"question": "Q one?", "answer": "A one."}],
        1,
        True,
    )
    assert parse_pairs('Here you go: {"question": "Q?", "answer": "A."} and {"q": "R?", "a": "B."}')[0] == [
        {"question": "Q?", "answer": "A."},
        {"question": "R?", "answer": "B."},
    ]
    assert parse_pairs("Q: How long?\nA: Twelve months.")[0] == [{"question": "How long?", "answer": "Twelve months."}]
    assert parse_pairs("I cannot help with that.") == ([], 0, False)


# ---- a teacher behind a real OpenAI-compatible HTTP server on loopback ---------------------------------------

KEY = "sk-synth-teacher-secret-93x"


def fake_teacher_app(seen: list):
    """An OpenAI-compatible /v1/chat/completions answering in turn: a pair copied from the passage (plus an
    item without an answer), prose that is no JSON, and a pair stating a number the passage does not hold."""
    api = FastAPI()

    @api.post("/v1/chat/completions")
    async def completions(request: Request):
        body = await request.json()
        seen.append(request.headers.get("authorization"))
        passage = body["messages"][-1]["content"].split("<<<\n", 1)[1].split("\n>>>", 1)[0]
        line = next(ln.strip("-* ").replace("**", "") for ln in passage.splitlines() if len(ln.split()) >= 4)
        turn = (len(seen) - 1) % 3
        if turn == 0:
            content = json.dumps(
                [
                    {
                        "question": "What does the document say about " + " ".join(line.split()[:2]) + "?",
                        "answer": line,
                    },
                    {"question": "Missing answer?"},
                ]
            )
        elif turn == 1:
            content = "Sure! Here are some great questions about your passage."
        else:
            content = json.dumps([{"question": "How much is the fee?", "answer": "The fee is 987 euros."}])
        return {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        }

    return api


@pytest.fixture
def teacher_server():
    import uvicorn

    seen: list = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(fake_teacher_app(seen), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", seen
    server.should_exit = True
    thread.join(10)


def test_teacher_backend_pairs_verified_bad_output_skipped_and_counted_key_never_written(
    kb, teacher_server, tmp_path, monkeypatch
):
    docs, idx = kb
    url, seen = teacher_server
    monkeypatch.setenv("CHATFORGE_BACKEND_KEY", KEY)
    res = CliRunner().invoke(
        app,
        [
            "data",
            "synth",
            str(docs),
            "--index",
            str(idx),
            "--out",
            str(tmp_path),
            "--backend-url",
            url,
            "--backend-model",
            "big-teacher",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    t = summary["teacher"]
    assert t["teacher_requests"] == len(seen) >= 3 and t["teacher_errors"] == 0
    assert t["teacher_unparsed"] == len(seen[1::3]) and t["teacher_invalid_items"] == len(seen[0::3])
    assert summary["removed"]["unsupported_number"] == len(seen[2::3])
    pairs = rows(tmp_path / "pairs.jsonl")
    assert pairs and all(p["kind"] == "teacher" for p in pairs) and not any("987" in p["answer"] for p in pairs)
    assert set(seen) == {f"Bearer {KEY}"}
    assert KEY not in res.output and not any(KEY in f.read_text(encoding="utf-8") for f in tmp_path.iterdir())


def test_local_teacher_garbage_is_counted_not_fatal(kb, tmp_path):
    from chatforge.models.tiny import build_tiny_model

    docs, idx = kb
    model = build_tiny_model(tmp_path / "tiny", context_length=512)
    cfg = SynthConfig(teacher=TeacherConfig(model=str(model), max_new_tokens=16, device="cpu"), test_ratio=0.0)
    report = synth([docs], idx, tmp_path / "out", cfg, progress=False)
    t = report["teacher"]
    assert t["teacher_requests"] == report["chunks"] >= 1
    assert report["pairs"] == 0 and t["teacher_unparsed"] + t["teacher_invalid_items"] >= t["teacher_requests"]


def test_missing_index_is_a_one_line_error(kb, tmp_path):
    docs, _ = kb
    res = CliRunner().invoke(
        app, ["data", "synth", str(docs), "--index", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--json"]
    )
    assert res.exit_code == 2 and "rag ingest" in res.output and "Traceback" not in res.output
