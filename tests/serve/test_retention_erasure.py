"""Retention purge, user erasure and redaction at rest, on SQLite and on PostgreSQL, counted row by row."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from chatforge.annotate.erasure import erase_user
from chatforge.serve import ab
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import Generation
from chatforge.store.annotation import Answer, Assignment as ItemAssignment, Item, Judgement
from chatforge.store.database import ApiKey, Assignment, Conversation, Erasure, Feedback, Message, Store, User
from chatforge.store.retention import purge, table_counts
from tests.serve.conftest import LiveServer

try:  # the fixture starting PostgreSQL on loopback (or skipping), unless conftest.py already provides it
    from tests.serve.test_store_pg import pg_url  # noqa: F401
except ImportError:
    pass

NOW = datetime.now(timezone.utc)
OLD, RECENT = NOW - timedelta(days=200), NOW - timedelta(days=1)
CARD, IBAN, EMAIL = "4111 1111 1111 1111", "FR76 3000 6000 0112 3456 7890 189", "jeanne.martin@example.fr"
SECRET_TEXT = f"Ma carte {CARD}, mon IBAN {IBAN}, écrivez à {EMAIL}"


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


def _conversation(store: Store, user_id: int, created: datetime, label: str, last: datetime | None = None) -> dict:
    """A conversation with a question, an answer, a thumb and a survey; `last`: a later message (still active)."""
    with store.session() as s:
        conv = Conversation(user_id=user_id, title=label, created=created)
        s.add(conv)
        s.commit()
    q = store.add_message(conversation_id=conv.id, role="user", content=f"{label} question", created=created)
    prompt = [{"role": "user", "content": f"{label} question"}]
    a = store.add_message(
        conversation_id=conv.id,
        role="assistant",
        content=f"{label} answer",
        model="m",
        variant="A",
        parent_id=q.id,
        prompt=prompt,
        created=created,
    )
    store.add_feedback(
        user_id=user_id, conversation_id=conv.id, message_id=a.id, kind="thumb", value=1, created=created
    )
    store.add_feedback(user_id=user_id, conversation_id=conv.id, kind="survey", value=4, created=created)
    ids = {"conversation": conv.id, "messages": [q.id, a.id]}
    if last is not None:
        ids["messages"].append(
            store.add_message(conversation_id=conv.id, role="user", content="again", created=last).id
        )
    return ids


def populate(store: Store) -> dict:
    """alice and bob: each an old conversation, a recent one, an old one still active; keys, A/B, annotation judgements."""
    from chatforge.annotate.campaign import CampaignConfig, assign, finalize, open_campaign
    from chatforge.annotate.sources import read_feedback_store

    out = {}
    for name in ("alice", "bob"):
        key, _ = store.create_key(name, ["public"])
        uid = store.verify_key(key)[0].id
        ab.assign(store, uid, name, 0.5)
        out[name] = {
            "id": uid,
            "key": key,
            "old": _conversation(store, uid, OLD, f"{name} old"),
            "new": _conversation(store, uid, RECENT, f"{name} new"),
            "active": _conversation(store, uid, OLD, f"{name} active", last=RECENT),
        }
    annotator_key, _ = store.create_key("annie", ["annotator"])
    annie = store.verify_key(annotator_key)[0].id
    camp = open_campaign(
        store,
        CampaignConfig(name="fb", answers_per_prompt=0, annotators_per_item=1, seed=0),
        "feedback",
        read_feedback_store(store),
        {"source": "feedback"},
    )
    finalize(store, camp)
    assert assign(store, "fb", ["annie"]) == 6  # one item per user message with answers: 3 per user
    with store.session() as s:
        for item in s.scalars(select(Item).where(Item.campaign_id == camp.id)):
            s.add(Judgement(item_id=item.id, user_id=annie, ranking=[["A"]], flags={}))
        s.commit()
    return out


def snapshot(store: Store) -> dict[str, set]:
    """Primary keys (or whole rows where the row is the point) of every table erasure or purge touches."""
    with store.session() as s:
        return {
            "conversations": set(s.scalars(select(Conversation.id))),
            "messages": set(s.scalars(select(Message.id))),
            "feedback": set(s.scalars(select(Feedback.id))),
            "ab": set(s.scalars(select(Assignment.user_id))),
            "items": set(s.scalars(select(Item.id))),
            "answers": set(s.scalars(select(Answer.id))),
            "judgements": set(s.scalars(select(Judgement.id))),
            "item_assignments": set(s.scalars(select(ItemAssignment.id))),
            "active_keys": set(s.scalars(select(ApiKey.id).where(ApiKey.revoked.is_(None)))),
        }


def owned(store: Store, user_id: int) -> dict[str, set]:
    """The same ids restricted to what belongs to one user (annotation items: built from that user's messages)."""
    with store.session() as s:
        convs = set(s.scalars(select(Conversation.id).where(Conversation.user_id == user_id)))
        msgs = set(s.scalars(select(Message.id).where(Message.conversation_id.in_(convs))))
        answers = {a.id: a for a in s.scalars(select(Answer)) if int(a.origin.split(":")[1]) in msgs}
        items = {a.item_id for a in answers.values()}
        return {
            "conversations": convs,
            "messages": msgs,
            "feedback": set(s.scalars(select(Feedback.id).where(Feedback.conversation_id.in_(convs)))),
            "ab": {user_id} & set(s.scalars(select(Assignment.user_id))),
            "items": items,
            "answers": set(s.scalars(select(Answer.id).where(Answer.item_id.in_(items)))),
            "judgements": set(s.scalars(select(Judgement.id).where(Judgement.item_id.in_(items)))),
            "item_assignments": set(s.scalars(select(ItemAssignment.id).where(ItemAssignment.item_id.in_(items)))),
            "active_keys": set(s.scalars(select(ApiKey.id).where(ApiKey.user_id == user_id, ApiKey.revoked.is_(None)))),
        }


def test_purge_deletes_exactly_the_expired_conversations(db):
    store = Store(db)
    people = populate(store)
    before, counts_before = snapshot(store), table_counts(store)
    expired = [people[n]["old"] for n in ("alice", "bob")]
    result = purge(store, 30)
    after = snapshot(store)
    gone_convs = {c["conversation"] for c in expired}
    gone_msgs = {m for c in expired for m in c["messages"]}
    assert result["deleted"] == {"conversations": 2, "messages": 4, "feedback": 4, "survey_answers": 2}
    assert before["conversations"] - after["conversations"] == gone_convs
    assert before["messages"] - after["messages"] == gone_msgs
    assert len(before["feedback"] - after["feedback"]) == 4
    for table in ("ab", "items", "answers", "judgements", "item_assignments", "active_keys"):  # not aged by retention
        assert after[table] == before[table]
    counts_after = table_counts(store)
    assert {k: counts_before[k] - counts_after[k] for k in counts_before} == result["deleted"]
    # old conversations still in use stay whole, recent ones stay
    for n in ("alice", "bob"):
        assert {people[n]["new"]["conversation"], people[n]["active"]["conversation"]} <= after["conversations"]
        assert set(people[n]["active"]["messages"]) <= after["messages"]
    assert purge(store, 30)["deleted"]["conversations"] == 0  # nothing left to expire
    store.close()


def test_erase_removes_one_users_data_and_nothing_else(db):
    store = Store(db)
    people = populate(store)
    alice, bob = people["alice"]["id"], people["bob"]["id"]
    before, alice_rows, bob_rows = snapshot(store), owned(store, alice), owned(store, bob)
    assert all(alice_rows[t] for t in alice_rows) and all(bob_rows[t] for t in bob_rows)  # something to erase
    record = erase_user(store, "alice", by="dpo-officer")
    after = snapshot(store)
    for table, rows in alice_rows.items():
        assert before[table] - after[table] == rows, table
    assert owned(store, alice) == {t: set() for t in alice_rows}
    assert owned(store, bob) == bob_rows
    assert record["deleted"] == {
        "annotation_judgements": 3,
        "annotation_assignments": 3,
        "annotation_answers": 3,
        "annotation_items": 3,
        "feedback": 6,
        "messages": 7,
        "conversations": 3,
        "ab_assignments": 1,
        "keys_revoked": 1,
    }
    assert store.verify_key(people["alice"]["key"]) is None and store.verify_key(people["bob"]["key"]) is not None
    with store.session() as s:
        row = s.scalar(select(Erasure))
        assert (
            row.by == "dpo-officer"
            and row.user_id == alice
            and sorted(row.message_ids) == sorted(alice_rows["messages"])
        )
    with store.engine.connect() as conn:
        stored = str(conn.execute(text("SELECT * FROM erasures")).all())
    assert "alice" not in stored and " question" not in stored and " answer" not in stored  # no content, no name
    with store.session() as s:
        assert s.scalar(select(User).where(User.name == "alice")) is not None  # the row the revoked keys point at
    store.close()


class EchoEngine:
    """Answers with the text it was given: what it returns proves what generation saw."""

    name = kind = "echo"
    queue_depth = active = 0

    def __init__(self):
        self.seen: list[list[dict]] = []

    def submit(self, messages, max_tokens, temperature, top_p):
        self.seen.append(messages)
        gen = Generation(1, max_tokens, temperature, top_p, messages)
        gen.completion_tokens, gen.finish_reason = 1, "stop"
        gen.push("Vous avez écrit : " + messages[-1]["content"])
        gen.push(None)
        return gen


def _raw_text(store: Store) -> str:
    """Every text and JSON column of the tables holding what users wrote, read with plain SQL."""
    with store.engine.connect() as conn:
        parts = [
            str(r)
            for q in (
                "SELECT content, prompt FROM messages",
                "SELECT title FROM conversations",
                "SELECT comment FROM feedback",
            )
            for r in conn.execute(text(q)).all()
        ]
    return "\n".join(parts)


def _digits(value: str) -> str:
    return value.replace(" ", "")


def test_redact_at_rest_stores_no_personal_data_and_answers_from_the_original(db):
    store = Store(db)
    key, _ = store.create_key("carla", ["public"])
    engine = EchoEngine()
    cfg = ServeConfig(db=db, store={"redact_at_rest": True, "pii": {"allow": ["contact@hirondelle.example"]}})
    server = LiveServer(create_app(cfg, store=store, engines={"A": engine}))
    try:
        auth = {"Authorization": f"Bearer {key}"}
        r = httpx.post(
            f"{server.url}/v1/chat/completions",
            headers=auth,
            timeout=30,
            json={"model": "echo", "messages": [{"role": "user", "content": SECRET_TEXT}]},
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert engine.seen[-1][-1]["content"] == SECRET_TEXT  # generated from the original
        assert CARD in body["choices"][0]["message"]["content"]  # and the caller got the answer to it
        cut = "Bonjour, question sur le remboursement du billet, voici ma carte : " + CARD  # card across char 80
        assert cut[:80].endswith(CARD[:13])  # a title cut before redaction would keep 11 of its digits
        r2 = httpx.post(
            f"{server.url}/v1/chat/completions",
            headers=auth,
            timeout=30,
            json={"model": "echo", "messages": [{"role": "user", "content": cut}]},
        )
        assert r2.status_code == 200 and CARD in r2.json()["choices"][0]["message"]["content"]
        fb = httpx.post(
            f"{server.url}/v1/feedback",
            headers=auth,
            timeout=30,
            json={
                "kind": "thumb",
                "value": 1,
                "message_id": body["message_id"],
                "comment": f"mail {EMAIL}, copie à contact@hirondelle.example",
            },
        )
        assert fb.status_code == 200, fb.text
    finally:
        server.stop()
    raw = _raw_text(store)
    for secret in (CARD, _digits(CARD), IBAN, _digits(IBAN), EMAIL, CARD[:9]):  # CARD[:9]: no half number in a title
        assert secret not in raw
    assert "[CARD]" in raw and "[IBAN]" in raw and "[EMAIL]" in raw
    assert "contact@hirondelle.example" in raw  # store.pii.allow: the organisation's own address stays
    store.close()
    if "://" not in db:  # the SQLite file and its WAL, byte for byte
        from pathlib import Path

        data = b"".join(Path(p).read_bytes() for p in (db, db + "-wal") if Path(p).exists())
        for secret in (CARD, _digits(CARD), IBAN, EMAIL):
            assert secret.encode() not in data


def test_without_redact_at_rest_the_text_is_stored_as_typed(tmp_path):
    """The control: the same request without the option stores the card number (so the test above can fail)."""
    db = str(tmp_path / "serve.db")
    store = Store(db)
    key, _ = store.create_key("carla", ["public"])
    server = LiveServer(create_app(ServeConfig(db=db), store=store, engines={"A": EchoEngine()}))
    try:
        r = httpx.post(
            f"{server.url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
            json={"model": "echo", "messages": [{"role": "user", "content": SECRET_TEXT}]},
        )
        assert r.status_code == 200
    finally:
        server.stop()
    assert CARD in _raw_text(store)
    store.close()


def test_erased_users_key_gets_401_from_a_real_server(tmp_path):
    db = str(tmp_path / "serve.db")
    store = Store(db)
    user_key, _ = store.create_key("dora", ["public"])
    admin_key, _ = store.create_key("ops", ["admin"])
    server = LiveServer(create_app(ServeConfig(db=db), store=store, engines={"A": EchoEngine()}))
    try:
        as_user, as_admin = {"Authorization": f"Bearer {user_key}"}, {"Authorization": f"Bearer {admin_key}"}
        chat = {"model": "echo", "messages": [{"role": "user", "content": "Bonjour"}]}
        assert (
            httpx.post(f"{server.url}/v1/chat/completions", headers=as_user, json=chat, timeout=30).status_code == 200
        )
        assert httpx.post(f"{server.url}/v1/admin/users/dora/erase", headers=as_user, timeout=30).status_code == 403
        r = httpx.post(f"{server.url}/v1/admin/users/dora/erase", headers=as_admin, timeout=30)
        assert r.status_code == 200, r.text
        assert (
            r.json()["deleted"]["messages"] == 2
            and r.json()["by"] == "ops"
            and r.json()["deleted"]["keys_revoked"] == 1
        )
        assert httpx.get(f"{server.url}/v1/me", headers=as_user, timeout=30).status_code == 401
        assert (
            httpx.post(f"{server.url}/v1/chat/completions", headers=as_user, json=chat, timeout=30).status_code == 401
        )
        assert httpx.get(f"{server.url}/v1/me", headers=as_admin, timeout=30).status_code == 200
        assert httpx.post(f"{server.url}/v1/admin/users/nobody/erase", headers=as_admin, timeout=30).status_code == 404
    finally:
        server.stop()
        store.close()


def test_server_purges_at_start_and_then_on_its_interval(tmp_path):
    db = str(tmp_path / "serve.db")
    store = Store(db)
    key, _ = store.create_key("eve", ["public"])
    uid = store.verify_key(key)[0].id
    first = _conversation(store, uid, OLD, "first")
    cfg = ServeConfig(db=db, store={"retention_days": 30, "purge_interval_s": 0.2})
    server = LiveServer(create_app(cfg, store=store, engines={}))
    try:
        deadline = time.monotonic() + 10
        while first["conversation"] in snapshot(store)["conversations"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first["conversation"] not in snapshot(store)["conversations"]
        second = _conversation(store, uid, OLD, "second")  # arrives after the first purge: the next one takes it
        kept = _conversation(store, uid, RECENT, "kept")
        while second["conversation"] in snapshot(store)["conversations"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert snapshot(store)["conversations"] == {kept["conversation"]}
        assert server.app.state.last_purge["retention_days"] == 30
    finally:
        server.stop()
        store.close()


def test_cli_purge_and_erase_refuse_a_missing_database_and_print_counts(tmp_path):
    from chatforge.cli import app

    runner = CliRunner()
    missing = tmp_path / "nope" / "serve.db"
    for args in (
        ["store", "purge", "--db", str(missing), "--retention-days", "30", "--json"],
        ["users", "erase", "--user", "x", "--db", str(missing), "--json"],
    ):
        res = runner.invoke(app, args)
        assert (
            res.exit_code == 2 and "no such database file" in json.loads(res.stdout.strip().splitlines()[-1])["error"]
        )
    assert not missing.exists() and not missing.parent.exists()
    db = str(tmp_path / "serve.db")
    store = Store(db)
    populate(store)
    store.close()
    res = runner.invoke(app, ["store", "purge", "--db", db, "--json"])
    assert res.exit_code == 2 and "no retention period" in res.stdout
    res = runner.invoke(app, ["store", "purge", "--db", db, "--retention-days", "30", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout.strip().splitlines()[-1])["deleted"] == {
        "conversations": 2,
        "messages": 4,
        "feedback": 4,
        "survey_answers": 2,
    }
    res = runner.invoke(app, ["users", "erase", "--user", "nobody", "--db", db, "--json"])
    assert res.exit_code == 2 and "no user 'nobody'" in res.stdout
