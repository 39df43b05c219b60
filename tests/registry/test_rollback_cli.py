"""`chatforge registry rollback`: production back on an earlier version through the console's Registry.rollback,
audited in the serving database with actor "cli", refusals on one line with exit 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.registry.versions import Registry
from chatforge.store import audit
from chatforge.store.database import Store
from tests.pipeline.tiny_versions import crafted_report, fresh_registry, tiny_version


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("rollback")
    return {
        v: (tiny_version(root / f"m{v}", seed=v), crafted_report(root / f"r{v}.json", f"m{v}", token_f1=f1))
        for v, f1 in ((1, 0.4), (2, 0.5))
    }


@pytest.fixture
def setup(tmp_path, versions):
    """`hs` with version 1 then 2 promoted (2 replaced 1), and a serving database."""
    reg = fresh_registry(tmp_path / "registry")
    for v, (model, report) in versions.items():
        reg.register("hs", model, eval_report=report, gate={"token_f1": 0.3})
        assert reg.promote("hs", v)["promoted"]
    store = Store(tmp_path / "serve.db")
    store.create_key("root", ["admin"])
    yield reg, store, tmp_path / "serve.db"
    store.close()


def invoke(*argv: str):
    res = CliRunner().invoke(app, ["registry", "rollback", *argv, "--json"])
    return res.exit_code, json.loads(res.stdout.strip().splitlines()[-1]), res


def test_rollback_puts_the_replaced_version_back_and_is_audited_as_cli(setup):
    reg, store, db = setup
    code, out, res = invoke("hs", "--registry", str(reg.root), "--db", str(db), "--reason", "answers got worse")
    assert code == 0, res.output
    assert out["version"] == 1 and out["previous"] == 2 and out["forced"] is True  # the gate alone prefers 2
    assert out["reason"] == "roll back from 2 (cli): answers got worse"
    assert Registry(reg.root, create=False).get("hs", "production").version == 1
    entry = audit.entries(store)[0]
    assert entry["id"] == out["audit_id"] and entry["user"] == "cli" and entry["key_id"] is None
    assert entry["action"] == "rollback" and entry["target"] == "hs@1"
    assert entry["detail"]["from"] == 2 and entry["detail"]["login"]

    code, out, _ = invoke("hs", "--to", "2", "--registry", str(reg.root), "--db", str(db))
    assert code == 0 and out["version"] == 2 and out["previous"] == 1
    assert [e["target"] for e in audit.entries(store)] == ["hs@2", "hs@1"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["hs", "--to", "2"], "hs@2 is already production: nothing to roll back"),
        (["hs", "--to", "9"], "hs has no version 9"),
        (["nope"], "no registered model 'nope'"),
    ],
)
def test_refusals_are_one_line_exit_2_and_change_nothing(setup, argv, message):
    reg, store, db = setup
    code, out, res = invoke(*argv, "--registry", str(reg.root), "--db", str(db))
    assert code == 2 and out["ok"] is False and message in out["error"], res.output
    assert "Traceback" not in res.output
    assert reg.get("hs", "production").version == 2 and audit.entries(store) == []


def test_a_first_production_has_nothing_to_go_back_to_and_a_missing_db_stops_the_rollback(tmp_path, versions):
    reg = fresh_registry(tmp_path / "registry")
    for model, report in versions.values():
        reg.register("hs", model, eval_report=report, gate={"token_f1": 0.3})
    assert reg.promote("hs", 1)["promoted"]
    code, out, _ = invoke("hs", "--registry", str(reg.root), "--db", str(tmp_path / "serve.db"))
    assert code == 2 and "--db" in out["error"] and "no such database file" in out["error"]
    assert reg.get("hs", "production").version == 1 and not (tmp_path / "serve.db").exists()
    Store(tmp_path / "serve.db").close()
    code, out, _ = invoke("hs", "--registry", str(reg.root), "--db", str(tmp_path / "serve.db"))
    assert code == 2 and out["error"] == "hs@1 replaced no earlier version: name the version to roll back to"
    code, out, _ = invoke("hs", "--to", "2", "--registry", str(reg.root), "--db", str(tmp_path / "serve.db"))
    assert code == 0 and out["version"] == 2 and out["forced"] is False  # 2 passes the rule on its own
