"""What users type never leaves the store unredacted, nor reaches a log: feedback export (CLI, admin API, every
format), the loop's export, annotation items built from feedback; and the feedback guards (answers only, ids bounded,
unusable rows skipped and counted). On SQLite and PostgreSQL, through a real server on loopback."""

from __future__ import annotations

import json
import logging
import uuid

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.data.pii import luhn_ok
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import Generation
from chatforge.store.annotation import Answer, Item
from chatforge.store.database import Feedback, Message, Store
from tests.serve.conftest import LiveServer

try:  # the fixture starting PostgreSQL on loopback (or skipping), unless conftest.py already provides it
    from tests.serve.test_store_pg import pg_url  # noqa: F401
except ImportError:
    pass

CARD, IBAN, EMAIL = "4970 1012 3456 7893", "FR76 3000 6000 0112 3456 7890 189", "jeanne.martin@example.fr"
CANARY = "zorglub-canary-7731"  # not personal data by any pattern: it shows where raw text travels
QUESTION = f"Remboursez ma carte {CARD} sur l'IBAN {IBAN}, écrivez à {EMAIL} ({CANARY})"
PERSONAL = (CARD, CARD.replace(" ", ""), IBAN, IBAN.replace(" ", ""), EMAIL)


class EchoEngine:
    """Each answer repeats the question (so answers hold the personal data too), numbered so regenerations differ."""

    name = kind = "echo"
    queue_depth = active = 0

    def __init__(self):
        self.n = 0

    def submit(self, messages, max_tokens, temperature, top_p):
        self.n += 1
        gen = Generation(1, max_tokens, temperature, top_p, messages)
        gen.completion_tokens, gen.finish_reason = 1, "stop"
        gen.push(f"Réponse {self.n} : vous avez écrit {messages[-1]['content']}")
        gen.push(None)
        return gen


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """A fresh database URL: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "serve.db")
    url = request.getfixturevalue("pg_url")
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def _clean(text: str, what: str) -> None:
    for value in PERSONAL:
        assert value not in text, f"{value!r} found in {what}"


def test_exports_annotation_and_logs_hold_no_personal_data(db, tmp_path, caplog, capfd):
    assert luhn_ok(CARD.replace(" ", ""))  # a real card number for the check, so the redaction must catch it
    caplog.set_level(logging.DEBUG)  # every logger, at its most talkative
    store = Store(db)
    server = LiveServer(create_app(ServeConfig(db=db), store=store, engines={"A": EchoEngine()}))
    try:
        key, _ = store.create_key("jeanne", ["public"])
        admin, _ = store.create_key("boss", ["admin"])
        h, ha = {"Authorization": f"Bearer {key}"}, {"Authorization": f"Bearer {admin}"}

        def chat(**extra):
            return httpx.post(
                f"{server.url}/v1/chat/completions",
                headers=h,
                timeout=30,
                json={
                    "model": "echo",
                    "messages": [{"role": "user", "content": QUESTION}],
                    **extra,
                },
            )

        first = chat().json()
        second = chat(conversation_id=first["conversation_id"], regenerate_of=first["message_id"]).json()
        a1, a2 = first["message_id"], second["message_id"]
        assert CARD in first["choices"][0]["message"]["content"]  # the user gets the answer made from the original
        post = lambda body: httpx.post(f"{server.url}/v1/feedback", json=body, headers=h)  # noqa: E731
        for body in (
            {"kind": "pick", "message_id": a2, "other_message_id": a1},
            {"kind": "thumb", "message_id": a2, "value": 1, "comment": f"merci, {EMAIL} {CANARY}"},
            {"kind": "thumb", "message_id": a1, "value": -1},
        ):
            assert post(body).status_code == 200
        question_id = store.message(a1).parent_id
        on_question = post({"kind": "thumb", "message_id": question_id, "value": 1})
        assert on_question.status_code == 422 and "assistant" in on_question.json()["detail"]  # answers only
        assert post({"kind": "thumb", "message_id": 2**63, "value": 1}).status_code == 422  # not a 500
        assert chat(temperature=f"hot {CANARY}").status_code == 422

        # a thumb on a question, as older versions stored them: the export skips it and says why
        store.add_feedback(
            user_id=store.verify_key(key)[0].id,
            conversation_id=first["conversation_id"],
            message_id=question_id,
            kind="thumb",
            value=1,
        )
        for fmt, n in (("sft", 1), ("dpo", 1), ("kto", 2)):
            r = httpx.get(f"{server.url}/v1/admin/feedback/export", params={"format": fmt}, headers=ha)
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["count"] == n and body["skipped"] == 1 and "not an answer" in body["skipped_rows"][0]["reason"]
            assert body["redacted"]["CARD"] >= 1 and body["redacted"]["IBAN"] >= 1 and body["redacted"]["EMAIL"] >= 1
            _clean(json.dumps(body, ensure_ascii=False), f"admin export {fmt}")
            assert "[CARD]" in json.dumps(body["data"], ensure_ascii=False)
    finally:
        server.stop()

    runner = CliRunner()  # click >= 8.2: result.stdout and result.stderr apart, result.output both
    for fmt in ("sft", "dpo", "kto"):
        out = tmp_path / f"{fmt}.jsonl"
        res = runner.invoke(cli, ["feedback", "export", "--db", db, "--format", fmt, "--out", str(out), "--json"])
        assert res.exit_code == 0, res.output
        summary = json.loads(res.stdout.strip().splitlines()[-1])
        assert summary["skipped"] == 1 and summary["redacted"]["IBAN"] >= 1 and summary["count"] >= 1
        _clean(out.read_text(encoding="utf-8"), f"{fmt}.jsonl")
        _clean(res.output, f"feedback export {fmt} output")
        assert CANARY not in res.output

    from chatforge.pipeline.loop import _feedback_report, read_feedback

    exports = read_feedback(db)  # what `chatforge loop` writes to OUT/feedback/ and counts in loop.json
    for fmt, e in exports.items():
        _clean(json.dumps(e.rows, ensure_ascii=False), f"loop {fmt} rows")
    report = json.dumps(_feedback_report(exports), ensure_ascii=False)
    assert CANARY not in report and '"skipped"' in report
    _clean(report, "loop report")

    res = runner.invoke(
        cli, ["annotate", "create", "--db", db, "--name", "fb", "--from-feedback", "--annotators", "ann", "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout.strip().splitlines()[-1])["redacted"]["CARD"] >= 1
    with store.session() as s:
        items = [
            (it.prompt, [a.content for a in s.scalars(select(Answer).where(Answer.item_id == it.id))])
            for it in s.scalars(select(Item))
        ]
        assert s.scalar(select(Feedback).where(Feedback.message_id == question_id)) is not None
        assert CARD in s.get(Message, a1).content  # stored as typed (redaction at rest is a separate option)
    assert items and CANARY in json.dumps(items, ensure_ascii=False)
    _clean(json.dumps(items, ensure_ascii=False), "annotation items")
    store.close()

    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    assert caplog.records  # the loggers did speak
    _clean(logs, "logs and output")
    assert CANARY not in logs, "message text reached a log"


def test_a_failed_statement_never_shows_what_users_wrote(db, capfd):
    from sqlalchemy.exc import IntegrityError

    store = Store(db)
    with pytest.raises(IntegrityError) as failed:  # no such conversation: the foreign key refuses the row
        store.add_message(conversation_id=10**9, role="user", content=QUESTION)
    assert CANARY not in str(failed.value) and EMAIL not in str(failed.value)
    server = LiveServer(create_app(ServeConfig(db=db), store=store, engines={"A": EchoEngine()}))
    try:  # a NUL character: PostgreSQL refuses it at the insert; the error logged must not quote the message
        key, _ = store.create_key("jeanne", ["public"])
        r = httpx.post(
            f"{server.url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
            json={"model": "echo", "messages": [{"role": "user", "content": f"a\x00b {QUESTION}"}]},
        )
        assert r.status_code == 422 and "NUL" in r.text  # refused before any insert, on SQLite as on PostgreSQL
        ok = httpx.post(
            f"{server.url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
            json={"model": "echo", "messages": [{"role": "user", "content": "bonjour"}]},
        ).json()
        r = httpx.post(
            f"{server.url}/v1/feedback",
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
            json={"kind": "thumb", "value": -1, "message_id": ok["message_id"], "comment": f"x\x00 {QUESTION}"},
        )
        assert r.status_code == 422 and "NUL" in r.text
    finally:
        server.stop()
        store.close()
    captured = capfd.readouterr()
    assert CANARY not in captured.out + captured.err and EMAIL not in captured.err
