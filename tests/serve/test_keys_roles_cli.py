"""`chatforge keys roles`: a key's roles replaced from a shell through the console's store function, audited as
"cli"; an unknown key or user is one line with exit 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.store import audit
from chatforge.store.database import Store


@pytest.fixture
def db(tmp_path):
    store = Store(tmp_path / "serve.db")
    keys = {
        "bob1": store.create_key("bob", ["support"]),
        "bob2": store.create_key("bob", ["public"]),
        "ann": store.create_key("ann", ["annotator"]),
    }
    yield store, str(tmp_path / "serve.db"), keys
    store.close()


def invoke(*argv: str):
    res = CliRunner().invoke(app, ["keys", "roles", *argv, "--json"])
    return res.exit_code, json.loads(res.stdout.strip().splitlines()[-1]), res


def roles_of(store: Store, key: str) -> list[str]:
    return store.verify_key(key)[1].roles


def test_roles_of_one_key_then_of_every_key_of_a_user_are_replaced_and_audited(db):
    store, path, keys = db
    (bob1, row1), (bob2, row2), (ann, _) = keys["bob1"], keys["bob2"], keys["ann"]
    code, out, res = invoke(str(row1.id), "--roles", "support, manager", "--db", path)
    assert code == 0, res.output
    assert out == {"ok": True, "roles": ["support", "manager"], "keys": [{"id": row1.id, "before": ["support"]}]}
    assert roles_of(store, bob1) == ["support", "manager"] and roles_of(store, bob2) == ["public"]

    code, out, _ = invoke("--user", "bob", "--roles", "reviewer", "--db", path)
    assert code == 0 and [k["id"] for k in out["keys"]] == [row1.id, row2.id]
    assert roles_of(store, bob1) == roles_of(store, bob2) == ["reviewer"] and roles_of(store, ann) == ["annotator"]

    log = audit.entries(store)
    assert [(e["user"], e["action"], e["target"]) for e in log] == [
        ("cli", "key-roles", f"key {row2.id}"),
        ("cli", "key-roles", f"key {row1.id}"),
        ("cli", "key-roles", f"key {row1.id}"),
    ]
    assert log[2]["detail"]["before"] == ["support"] and log[2]["detail"]["after"] == ["support", "manager"]
    assert not any(k in json.dumps(log) for k in (bob1, bob2, ann))  # never a key in the audit


def test_unknown_or_revoked_keys_and_users_are_refused_on_one_line(db):
    store, path, keys = db
    revoked = keys["bob2"][1].id
    store.revoke_key(revoked)
    cases = [
        (["999", "--roles", "x"], "key 999: no active key with this id (`chatforge keys list`)"),
        ([str(revoked), "--roles", "x"], f"key {revoked}: no active key with this id (`chatforge keys list`)"),
        (["--user", "nobody", "--roles", "x"], "--user nobody: no active key for this user (`chatforge keys list`)"),
        (["--roles", "x"], "give a key id or --user NAME (one of them)"),
        ([str(keys["ann"][1].id), "--user", "ann", "--roles", "x"], "give a key id or --user NAME (one of them)"),
        ([str(keys["ann"][1].id), "--roles", " , "], "--roles: give at least one role"),
    ]
    for argv, message in cases:
        code, out, res = invoke(*argv, "--db", path)
        assert code == 2 and out == {"ok": False, "error": message}, res.output
    assert roles_of(store, keys["ann"][0]) == ["annotator"] and audit.entries(store) == []
    code, out, _ = invoke("1", "--roles", "x", "--db", path + ".missing")
    assert code == 2 and "no such database file" in out["error"]
