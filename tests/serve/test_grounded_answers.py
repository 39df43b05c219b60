"""The grounding path through rag ask, the server and eval; verified answers and the gate as served.

Real parts: a role-labelled index, uvicorn on loopback with the app building its own grounding from
its config, the openai client, SQLite. The "model" is a scripted engine (the layer above generation),
so a test states exactly what the model said: a copy of the passage, an invented number.
"""

from __future__ import annotations

import json
import sqlite3

import openai
import pytest

from chatforge.rag.answer import AskConfig, ask
from chatforge.rag.gate import fit_from_questions
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import Generation
from chatforge.store.database import Store
from tests.serve.conftest import LiveServer

BIKE = "A bicycle travels in the hold for 50 euros per flight."
DOCS = {
    "bike.md": ("public", f"# Bicycles\n\n{BIKE} It must be packed in a bicycle box.\n"),
    "pets.md": ("public", "# Pets\n\nA cat or a small dog may travel in the cabin in a bag of at most 8 kg.\n"),
    "cabin.md": ("public", "# Cabin baggage\n\nCabin baggage must not exceed 55 x 35 x 25 cm and 10 kg.\n"),
    "refund.md": (
        "public",
        "# Refunds\n\nA cancelled flight is refunded within 7 days to the card used for the booking.\n",
    ),
    "checkin.md": (
        "public",
        "# Check-in\n\nOnline check-in opens 30 hours before departure and closes 2 hours before.\n",
    ),
    "budget.md": ("finance", "# Bicycle budget\n\nThe internal bicycle budget is 90 000 euros.\n"),
}
FAQ = [
    ("How much does it cost to bring my bike?", "A bicycle costs 50 euros per flight.", "bike.md"),
    ("Can my cat come with me?", "Yes, in the cabin in a bag of up to 8 kg.", "pets.md"),
    ("What is the bicycle budget?", "It is 90 000 euros.", "budget.md"),
    ("How big can my cabin bag be?", "55 x 35 x 25 cm and 10 kg.", "cabin.md"),
]


@pytest.fixture(scope="module")
def kb_index(tmp_path_factory):
    from chatforge.rag.ingest import ingest

    kb = tmp_path_factory.mktemp("kb")
    rules = ["rules:"]
    for name, (role, text) in DOCS.items():
        (kb / name).write_text(text, encoding="utf-8")
        rules += [f'  - glob: "{name}"', f"    roles: [{role}]"]
    (kb / "access.yaml").write_text("\n".join(rules) + "\n", encoding="utf-8")
    idx = tmp_path_factory.mktemp("idx") / "idx"
    ingest([kb], idx, progress=False)
    faq = kb.parent / "faq.jsonl"
    faq.write_text(
        "".join(
            json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}], "doc_id": d})
            + "\n"
            for q, a, d in FAQ
        ),
        encoding="utf-8",
    )
    return idx, faq


class ScriptedEngine:
    """Says what `reply(messages)` returns, and records the messages it was given."""

    name = kind = "scripted"
    queue_depth = active = 0

    def __init__(self, reply):
        self.reply, self.seen = reply, []

    def submit(self, messages, max_tokens, temperature, top_p):
        self.seen.append(messages)
        gen = Generation(1, max_tokens, temperature, top_p, messages)
        text = self.reply(messages)
        gen.completion_tokens, gen.finish_reason = len(text.split()), "stop"
        for word in text.split(" "):
            gen.push(word + " ")
        gen.push(None)
        return gen


def _server(tmp_path, idx, engine, **rag):
    cfg = ServeConfig(db=str(tmp_path / "serve.db"), index=idx, rag=AskConfig(**rag))
    store = Store(cfg.db)
    return LiveServer(create_app(cfg, store=store, engines={"A": engine})), store


def test_same_messages_through_rag_ask_the_server_and_eval_with_faq_few_shot(tmp_path, kb_index, monkeypatch):
    from chatforge.eval.answerers import HFAnswerer
    from chatforge.eval.runner import EvalConfig, evaluate
    from chatforge.models.tiny import build_tiny_model

    idx, faq = kb_index
    question = "How much is a bicycle in the hold?"
    rag = dict(prompt={"faq": str(faq), "few_shot": 2, "template": "grounded-v1"}, retrieval={"k": 2})
    seen_ask = []
    ask(question, "unused", idx, ["public"], AskConfig(**rag), generate=lambda m: seen_ask.append(m) or BIKE)

    engine = ScriptedEngine(lambda m: BIKE)
    server, store = _server(tmp_path, idx, engine, **rag)
    try:
        key, _ = store.create_key("pat", ["public"])
        openai.OpenAI(base_url=server.url + "/v1", api_key=key).chat.completions.create(
            model="m", messages=[{"role": "user", "content": question}]
        )
    finally:
        server.stop()
        store.close()

    seen_eval = []
    real = HFAnswerer._generate
    monkeypatch.setattr(HFAnswerer, "_generate", lambda self, m, n: seen_eval.append(m) or real(self, m, n))
    testset = tmp_path / "test.jsonl"
    testset.write_text(json.dumps({"question": question, "answer": BIKE, "doc_id": "bike.md"}) + "\n", encoding="utf-8")
    model = build_tiny_model(tmp_path / "tiny", context_length=2048)
    evaluate(
        [str(model)],
        testset,
        tmp_path / "eval",
        EvalConfig(
            roles=["public"],
            perplexity=False,
            semantic_model=None,
            mlflow=False,
            suites=[],
            max_new_tokens=2,
            engine="transformers",  # the spied HFAnswerer generates (auto would pick llama.cpp on CPU)
            **rag,
        ),
        index=idx,
        progress=False,
    )
    rag_calls = [m for m in seen_eval if m[0]["role"] == "system" and "<passages>" in m[-1]["content"]]

    assert len(seen_ask) == 1 and len(engine.seen) == 1 and len(rag_calls) == 1
    as_bytes = [json.dumps(m, ensure_ascii=False).encode() for m in (seen_ask[0], engine.seen[0], rag_calls[0])]
    assert as_bytes[0] == as_bytes[1] == as_bytes[2]
    msgs = seen_ask[0]
    assert len(msgs) == 1 + 2 * 2 + 1  # system, two FAQ turns, the grounded question
    shots = " ".join(m["content"] for m in msgs[1:-1])
    assert "bike" in shots and "budget" not in shots  # the finance FAQ pair never reaches a public caller


def test_served_answers_are_verified_json_and_stream_alike(tmp_path, kb_index):
    idx, _ = kb_index
    replies = {
        "copy": f"{BIKE} [1]",
        "invented": f"{BIKE} [1] Every passenger also pays a 35 euros bicycle fee. [1]",
        "unrelated": "Our pilots love croissants and jazz music.",
    }
    mode = {"now": "copy"}
    engine = ScriptedEngine(lambda m: replies[mode["now"]])
    server, store = _server(tmp_path, idx, engine, retrieval={"k": 2})
    try:
        key, _ = store.create_key("pat", ["public"])
        client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
        got = {}
        for mode["now"] in replies:
            q = [{"role": "user", "content": "How much is a bicycle in the hold?"}]
            one = client.chat.completions.create(model="m", messages=q)
            chunks = list(client.chat.completions.create(model="m", messages=q, stream=True))
            streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            assert streamed == one.choices[0].message.content  # verify then stream: the same text
            assert chunks[-1].model_extra["grounding"] == one.model_extra["grounding"]
            got[mode["now"]] = (
                one.choices[0].message.content,
                one.model_extra["grounding"],
                one.model_extra["message_id"],
            )
    finally:
        server.stop()
    text, g, mid = got["copy"]  # a reader that copies its passage passes untouched
    assert text == f"{BIKE} [1]" and g == {
        "abstained": False,
        "verified": True,
        "support": 1.0,
        "citations": [1],
        "removed_sentences": [],
    }
    text, g, _ = got["invented"]  # the invented fee goes, the copied sentence stays
    assert (
        "35" not in text
        and BIKE in text
        and g["removed_sentences"] == ["Every passenger also pays a 35 euros bicycle fee. [1]"]
    )
    text, g, _ = got["unrelated"]  # nothing supported: the passage sentence that answers, quoted with its citation
    assert g["removed_sentences"] == [replies["unrelated"]] and BIKE in text and "[1]" in text
    stored = store.message(mid)
    assert stored.grounding["verified"] and stored.content == f"{BIKE} [1]"
    store.close()


def test_an_unanswerable_question_abstains_through_the_gate_without_generating(tmp_path, kb_index):
    idx, _ = kb_index
    rows = [
        ("How much is a bicycle in the hold?", True),
        ("How do I pack my bike?", True),
        ("Can my cat travel in the cabin?", True),
        ("How heavy may the pet bag be?", True),
        ("What size is cabin baggage?", True),
        ("How fast is a cancelled flight refunded?", True),
        ("When does online check-in open?", True),
        ("When does check-in close?", True),
        ("Who won the football world cup in 1998?", False),
        ("What is the capital of Australia?", False),
        ("How do volcanoes erupt under the ocean?", False),
        ("Recommend a good chocolate cake recipe.", False),
        ("Which telescope discovered distant galaxies?", False),
        ("How tall is the tallest giraffe?", False),
    ]
    val = tmp_path / "val.jsonl"
    val.write_text("".join(json.dumps({"question": q, "answerable": a}) + "\n" for q, a in rows), encoding="utf-8")
    gate, summary = fit_from_questions(idx, val, ["public"], target_precision=0.9)
    assert summary["reached"] and (idx / "gate.json").is_file()
    engine = ScriptedEngine(lambda m: "Paris is the capital, with 12 million people.")
    server, store = _server(tmp_path, idx, engine)
    try:
        key, _ = store.create_key("pat", ["public"])
        client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
        q = [{"role": "user", "content": "What is the population of the planet Mars?"}]
        one = client.chat.completions.create(model="m", messages=q)
        chunks = list(client.chat.completions.create(model="m", messages=q, stream=True))
        fr = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "Quelle est la population de la planète Mars ?"}]
        )
    finally:
        server.stop()
        (idx / "gate.json").unlink()  # the other tests of the module run without a gate
    assert engine.seen == []  # the gate decided before any generation
    assert (
        one.model_extra["grounding"]["abstained"]
        and one.choices[0].message.content == "I don't have information about this in the documents."
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == one.choices[0].message.content
    assert fr.choices[0].message.content == "Je n'ai pas d'information à ce sujet dans les documents."
    assert store.message(one.model_extra["message_id"]).grounding["abstained"]
    store.close()


def test_an_older_database_gets_the_grounding_column(tmp_path):
    db = tmp_path / "old.db"
    Store(str(db)).close()
    con = sqlite3.connect(db)  # the schema as chatforge created it before answers carried their grounding
    con.execute("ALTER TABLE messages DROP COLUMN grounding")
    con.execute("INSERT INTO conversations (user_id, title, created) VALUES (1, 't', '2026-01-01')")
    con.execute(
        "INSERT INTO messages (conversation_id, role, content, created) VALUES (1, 'user', 'hello', '2026-01-01')"
    )
    con.commit()
    con.close()
    store = Store(str(db))
    try:
        assert store.message(1).content == "hello" and store.message(1).grounding is None
        conv = store.conversation(1, 1, "")
        msg = store.add_message(conversation_id=conv.id, role="assistant", content="hi", grounding={"abstained": True})
        assert store.message(msg.id).grounding == {"abstained": True}
    finally:
        store.close()
