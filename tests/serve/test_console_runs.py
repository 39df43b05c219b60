"""The console's Runs section: `chatforge run` started as its own process, watched from its files, stopped, resumed."""

from __future__ import annotations

import time

import httpx
import yaml

from chatforge.serve.console import PREFIX as API
from chatforge.store.database import Store

PIPELINE = {
    "name": "console-demo",
    "stages": {
        "first": {
            "uses": "keys create",
            "with": {"user": "demo", "roles": "public", "db": "${out}/serve.db", "key-file": "${out}/demo.key"},
        },
        "second": {
            "uses": "keys create",
            "with": {
                "user": "${vars.who}",
                "roles": "public",
                "db": "${first.summary.key_file}.db",
                "key-file": "${out}/second.key",
            },
        },
    },
    "vars": {"who": "nobody"},
}


def wait_run(root: httpx.Client, out: str, cond, timeout: float = 180.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        run = next((r for r in root.get(f"{API}/runs").json()["data"] if r["out"] == out), None)
        if run is not None and cond(run):
            return run
        assert time.monotonic() < deadline, f"timed out: {run}"
        time.sleep(0.3)


def test_start_watch_stop_resume_a_pipeline_run_from_the_console(serve, tmp_path):
    server, store = serve()
    server.app.state.console_runs = str(tmp_path / "runs")
    key, _ = store.create_key("root", ["admin"])
    file = tmp_path / "pipeline.yaml"
    file.write_text(yaml.safe_dump(PIPELINE), encoding="utf-8")
    out = str((tmp_path / "runs" / "demo").resolve())
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as root:
        assert root.post(f"{API}/runs/start", json={"pipeline": str(file), "out": "../elsewhere"}).status_code == 400
        started = root.post(
            f"{API}/runs/start", json={"pipeline": str(file), "out": "demo", "sets": ["vars.who=alice"]}
        ).json()
        assert started["argv"][-2:] == ["--set", "vars.who=…"]  # --set values stay out of listings and the audit
        running = wait_run(root, out, lambda r: any(s["state"] == "running" for s in r["stages"]))
        assert running["process"]["alive"] and running["stages"][0]["state"] == "running"
        stopped = root.post(f"{API}/runs/stop", json={"out": out}).json()
        assert stopped["exit"] != 0
        after = wait_run(root, out, lambda r: not r["process"]["alive"])
        assert [s["state"] for s in after["stages"]] == ["interrupted", "pending"]
        assert after["stages"][1]["needs"] == ["first"]  # from the ${first...} reference

        root.post(f"{API}/runs/resume", json={"out": out}).raise_for_status()
        done = wait_run(root, out, lambda r: not r["process"]["alive"])
        assert done["process"]["exit"] == 0, (tmp_path / "runs" / "demo" / "console-run.log").read_text()[-3000:]
        assert [s["state"] for s in done["stages"]] == ["done", "done"]
        assert all(s["seconds"] > 0 for s in done["stages"]) and done["name"] == "console-demo"
        log = root.get(f"{API}/runs/log", params={"out": out, "stage": "second"}).json()
        assert log["bytes"] > 0 and not log["truncated"]
        assert root.get(f"{API}/runs/log", params={"out": out, "stage": "../x"}).status_code == 404
        audit = [(e["action"], e["detail"].get("argv", [])[-1:]) for e in root.get(f"{API}/audit").json()["data"]]
    assert audit == [("run-resume", ["vars.who=…"]), ("run-stop", []), ("run-start", ["vars.who=…"])]
    assert store.list_keys()[-1]["user"] == "root"  # the run wrote its keys to its own databases
    other = Store(tmp_path / "runs" / "demo" / "demo.key.db")
    assert [k["user"] for k in other.list_keys()] == ["alice"]  # the --set override reached the stage
    other.close()


def test_an_admin_starts_a_run_from_the_page_and_watches_it_finish(browser, serve, tmp_path):
    from tests.serve.test_console_browser import shot

    server, store = serve()
    server.app.state.console_runs = str(tmp_path / "runs")
    key, _ = store.create_key("root", ["admin"])
    file = tmp_path / "pipeline.yaml"
    file.write_text(yaml.safe_dump(PIPELINE), encoding="utf-8")
    page = browser.new_page()
    page.goto(server.url + "/console")
    page.fill("#key", key)
    page.click("#login-form button")
    page.click("#tabs [data-tab='runs']")
    page.wait_for_selector("#runs-note:has-text('no pipeline run')")
    page.fill("#run-pipeline", str(file))
    page.fill("#run-out", "demo")
    page.fill("#run-sets", "vars.who=alice")
    page.click("#run-form button")
    page.wait_for_selector("#flash:has-text('started')")
    # the page polls every 2 s: a quick first stage may be done before a poll sees it running
    page.wait_for_selector(".stage[data-stage='first'].running, .stage[data-stage='first'].done", timeout=120_000)
    page.wait_for_selector(".run .run-status:has-text('exited 0')", timeout=180_000)
    assert page.locator(".stage.done").count() == 2
    assert "after first" in page.locator(".stage[data-stage='second']").inner_text()
    page.click(".stage[data-stage='first'] .show-log")
    page.wait_for_selector("#log-box:visible")
    assert page.locator("#log-title").inner_text().startswith("first · ")
    shot(page, "runs")
    page.close()


def test_a_failed_stage_is_shown_failed_with_its_exit_status_not_interrupted(serve, tmp_path):
    server, store = serve()
    server.app.state.console_runs = str(tmp_path / "runs")
    key, _ = store.create_key("root", ["admin"])
    file = tmp_path / "pipeline.yaml"
    stage = {
        "uses": "keys create",
        "with": {
            "user": "demo",
            "roles": "public",
            "db": "${out}/no/such/folder/x.db",
            "key-file": "${out}/no/such/folder/demo.key",
        },
    }
    file.write_text(yaml.safe_dump({"name": "failing", "stages": {"only": stage}}), encoding="utf-8")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as root:
        root.post(f"{API}/runs/start", json={"pipeline": str(file), "out": "bad"}).raise_for_status()
        run = wait_run(root, str((tmp_path / "runs" / "bad").resolve()), lambda r: not r["process"]["alive"])
    assert run["process"]["exit"] == 1
    assert run["stages"][0]["state"] == "failed" and run["stages"][0]["note"].startswith("exit ")
