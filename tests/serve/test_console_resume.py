"""The console resumes a run it did not start with the pipeline file, profile and `--set` items the run was started
with (kept in its `.pipeline/pipeline.yaml`), and refuses, naming it, a `--set` whose secret value is kept masked."""

from __future__ import annotations

import subprocess
import sys

import httpx
import yaml

from chatforge.pipeline.run import masked_set
from chatforge.serve.console import PREFIX as API
from chatforge.store.database import Store
from tests.serve.test_console_runs import PIPELINE, wait_run


def admin(server, store) -> httpx.Client:
    key, _ = store.create_key("root", ["admin"])
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=120)


def test_a_run_started_by_hand_is_resumed_with_its_set_values(serve, tmp_path):
    file = tmp_path / "pipeline.yaml"
    file.write_text(yaml.safe_dump(PIPELINE), encoding="utf-8")
    out = (tmp_path / "runs" / "by-hand").resolve()
    argv = ["run", str(file), "--plain", "--json", "--out", str(out), "--set", "vars.who=alice", "--until", "first"]
    res = subprocess.run([sys.executable, "-m", "chatforge.cli", *argv], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    state = yaml.safe_load((out / ".pipeline" / "pipeline.yaml").read_text(encoding="utf-8"))
    assert state["sets"] == ["vars.who=alice"] and state["file"] == str(file)

    server, store = serve()
    server.app.state.console_runs = str(tmp_path / "runs")
    with admin(server, store) as root:
        before = wait_run(root, str(out), lambda r: r["process"] is None)
        assert [s["state"] for s in before["stages"]] == ["done", "pending"]
        started = root.post(f"{API}/runs/resume", json={"out": str(out)}).json()
        assert started["argv"][-2:] == ["--set", "vars.who=…"]  # the value stays out of listings and the audit
        done = wait_run(root, str(out), lambda r: not r["process"]["alive"])
    assert done["process"]["exit"] == 0, (out / "console-run.log").read_text()[-3000:]
    assert [s["state"] for s in done["stages"]] == ["done", "done"]
    second = Store(out / "demo.key.db")  # the second stage's user is ${vars.who}: the --set reached it
    assert [k["user"] for k in second.list_keys()] == ["alice"]
    second.close()


def test_a_set_holding_a_secret_is_stored_masked_and_resume_refuses_it_by_name(serve, tmp_path):
    assert masked_set("vars.who=alice") == "vars.who=alice"
    assert masked_set("stages.key.with.user=bob") == "stages.key.with.user=bob"  # a stage named `key` is no secret
    assert masked_set("vars.api_key=sk-live-123") == "vars.api_key=***"
    assert masked_set("stages.eval.with.db=postgresql://u:pw@host/db") == "stages.eval.with.db=***"
    assert masked_set("vars.backend={url: x, backend_key: k}") == "vars.backend=***"
    file = tmp_path / "pipeline.yaml"
    file.write_text(yaml.safe_dump(PIPELINE), encoding="utf-8")
    out = (tmp_path / "runs" / "secret").resolve()
    (out / ".pipeline").mkdir(parents=True)
    sets = [masked_set("vars.who=alice"), masked_set("vars.api_key=sk-live-123")]
    state = {"file": str(file), "profile": None, "sets": sets, **PIPELINE, "out": str(out)}
    (out / ".pipeline" / "pipeline.yaml").write_text(yaml.safe_dump(state), encoding="utf-8")

    server, store = serve()
    server.app.state.console_runs = str(tmp_path / "runs")
    with admin(server, store) as root:
        res = root.post(f"{API}/runs/resume", json={"out": str(out)})
        audit = root.get(f"{API}/audit").json()["data"]
    assert res.status_code == 409 and "--set vars.api_key was a secret" in res.json()["detail"]
    assert "***" not in res.json()["detail"] and audit == []
    assert not getattr(server.app.state, "console_procs", {})  # nothing started with the mask
