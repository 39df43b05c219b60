"""`chatforge users erase` names the registry versions whose training data held the erased user's feedback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.data.jsonl import write_jsonl
from chatforge.registry.versions import Registry
from chatforge.serve.feedback import export
from chatforge.store.database import Store


def _chat(store: Store, user: str, question: str, answer: str) -> int:
    key, _ = store.create_key(user, ["public"])
    uid = store.verify_key(key)[0].id
    conv = store.conversation(uid, None, question)
    q = store.add_message(conversation_id=conv.id, role="user", content=question)
    a = store.add_message(
        conversation_id=conv.id,
        role="assistant",
        content=answer,
        parent_id=q.id,
        prompt=[{"role": "user", "content": question}],
        model="m",
        variant="A",
    )
    store.add_feedback(user_id=uid, conversation_id=conv.id, message_id=a.id, kind="thumb", value=1)
    return a.id


def _model(folder: Path, seed: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"seed": seed}), encoding="utf-8")
    return folder


def test_users_erase_names_versions_trained_on_the_users_feedback(tmp_path):
    db = str(tmp_path / "serve.db")
    store = Store(db)
    _chat(store, "alice", "Bagage cabine ?", "10 kg.")
    bob_answer = _chat(store, "bob", "Animaux ?", "En soute.")
    rows = export(store, "sft")
    store.close()
    both = write_jsonl(rows, tmp_path / "data" / "both.jsonl")
    bob_only = write_jsonl([r for r in rows if r["message_id"] == bob_answer], tmp_path / "data" / "bob.jsonl")
    later = write_jsonl(rows, tmp_path / "data" / "later.jsonl")
    reg = Registry(tmp_path / "registry")
    reg.register("m", _model(tmp_path / "v1", 1), data=[both], copy=False)  # trained on alice's feedback
    reg.register("m", _model(tmp_path / "v2", 2), data=[bob_only], parent="m@1", copy=False)  # on top of v1
    reg.register("m", _model(tmp_path / "v3", 3), data=[bob_only], copy=False)  # bob's only
    reg.register("m", _model(tmp_path / "v4", 4), data=[later], copy=False)
    later.write_text("{}\n", encoding="utf-8")  # changed since registration: cannot be checked any more

    res = CliRunner().invoke(
        app, ["users", "erase", "--user", "alice", "--db", db, "--registry", str(tmp_path / "registry"), "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    versions = summary["versions"]
    assert versions["checked"] is True
    assert {a["ref"]: a["reason"] for a in versions["affected"]} == {
        "m@1": "trained on erased feedback",
        "m@2": "trained from m@1",
    }
    assert versions["affected"][0]["files"] == [{"file": str(both), "rows": 1}]
    assert [u["ref"] for u in versions["unverified"]] == ["m@4"]
    assert "changed since registration" in versions["unverified"][0]["reasons"][0]
    assert summary["deleted"]["messages"] == 2 and summary["deleted"]["keys_revoked"] == 1

    listed = CliRunner().invoke(
        app, ["users", "erasures", "--db", db, "--registry", str(tmp_path / "registry"), "--json"]
    )
    assert listed.exit_code == 0, listed.output
    erasures = json.loads(listed.stdout.strip().splitlines()[-1])["erasures"]
    assert len(erasures) == 1 and erasures[0]["user"] == "alice"
    assert {a["ref"] for a in erasures[0]["versions"]["affected"]} == {"m@1", "m@2"}

    no_registry = CliRunner().invoke(
        app, ["users", "erasures", "--db", db, "--registry", str(tmp_path / "none"), "--json"]
    )
    assert no_registry.exit_code == 0
    assert json.loads(no_registry.stdout.strip().splitlines()[-1])["erasures"][0]["versions"]["checked"] is False
    assert not (tmp_path / "none").exists()
