"""The console through the example's tiny pipeline, in a real Chromium: an admin starts the run, watches it finish,
compares two variants of its evaluation, promotes the version it registered and sees the server follow.

The console's server follows `registry:hirondelle-air@production` in the run's own registry (the pipeline's
`CHATFORGE_REGISTRY=${out}/registry`), seeded with a first version in production, as a server that already serves
one. The run leaves out promote, key and serve (the admin promotes by hand; nothing serves a second port) and
the stages register does not need (rl, export_rl, align, retrieval), through the console's --set field.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from chatforge.serve.console import PREFIX as API
from chatforge.serve.engines import TransformersEngine
from chatforge.serve.model_watch import RegistryEngine
from tests.pipeline.tiny_versions import crafted_report, fresh_registry, tiny_version
from tests.serve.test_console_browser import models, shot, sign_in, watch_errors

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "examples" / "hirondelle-air" / "pipeline.yaml"
NAME = "hirondelle-air"  # the pipeline's vars.model_name
LEFT_OUT = ["promote", "key", "serve", "rl", "export_rl", "align", "retrieval"]
SETS = [f"stages.{s}.enabled=false" for s in LEFT_OUT] + ["stages.register.needs=[]"]  # register needs align


def test_admin_runs_the_tiny_pipeline_compares_its_eval_variants_promotes_and_the_server_follows(
    browser, serve, tmp_path
):
    out = (tmp_path / "runs" / "tiny").resolve()
    reg = fresh_registry(out / "registry")
    # production before the run: a version whose evaluation scored below anything a real one can (token_f1 -1)
    seed = crafted_report(tmp_path / "seed" / "report.json", "seed", rag=True, token_f1=-1.0)
    reg.register(NAME, tiny_version(tmp_path / "seed" / "model", seed=1), eval_report=seed)
    reg.promote(NAME, 1, force=True, reason="the version served before the run")
    watched = RegistryEngine(
        f"registry:{NAME}@production",
        lambda p: TransformersEngine(p, max_batch=1, queue_size=2),
        registry=reg,
        poll_s=0,
    )
    server, store = serve(engines={"A": watched})
    server.app.state.console_runs = str(tmp_path / "runs")
    key, _ = store.create_key("root", ["admin"])
    assert models(server, key) == [f"{NAME}:1"]
    page = browser.new_page()
    errors = watch_errors(page)
    sign_in(page, server.url, key)
    page.wait_for_selector(f".model[data-model='{NAME}'] h2:has-text('production: 1')")

    # 1. start the tiny profile from the Runs tab and watch it to the end
    page.click("#tabs [data-tab='runs']")
    page.fill("#run-pipeline", str(PIPELINE))
    page.fill("#run-profile", "tiny")
    page.fill("#run-out", "tiny")
    page.fill("#run-sets", ", ".join(SETS))
    page.click("#run-form button")
    page.wait_for_selector("#flash:has-text('started')")
    page.wait_for_selector(".stage[data-stage='sft'].running, .stage[data-stage='sft'].done", timeout=900_000)
    page.wait_for_selector(".run .run-status:has-text('exited')", timeout=900_000)
    status = page.locator(".run .run-status").inner_text()
    assert status == "exited 0", (out / "console-run.log").read_text(encoding="utf-8")[-4000:]
    stages = ["prepare", "pretrain", "ingest", "reader", "sft", "rm", "dpo", "export", "eval", "register"]
    assert page.locator(".stage.done").count() == len(stages)
    assert all(page.locator(f".stage[data-stage='{s}'].done").count() == 1 for s in stages)
    assert "profile tiny" in page.locator(".run h3").inner_text()
    shot(page, "runs-tiny")

    # 2. compare two variants of the run's evaluation: the untrained base against the candidate with RAG
    report = out / "eval" / "report.json"
    variants = list(json.loads(report.read_text(encoding="utf-8"))["results"])
    a, b = variants[0], variants[-1]
    assert b.endswith("+rag") and a != b, variants
    page.click("#tabs [data-tab='reports']")
    page.wait_for_selector(f"#rep-a option[value='{report}']", state="attached")
    page.select_option("#rep-a", str(report))
    page.select_option("#var-a", a)
    page.select_option("#rep-b", str(report))
    page.select_option("#var-b", b)
    page.click("#compare-form button")
    page.wait_for_selector("#metric-deltas tbody tr")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as root:
        compared = root.get(
            f"{API}/reports/compare", params={"a": str(report), "va": a, "b": str(report), "vb": b}
        ).json()
    rows = {r.split("\t")[0]: r.split("\t") for r in page.locator("#metric-deltas tbody tr").all_inner_texts()}
    assert set(rows) == {m["metric"] for m in compared["metrics"]} and "token_f1" in rows
    f1 = next(m for m in compared["metrics"] if m["metric"] == "token_f1")
    assert abs(f1["delta"] - (f1["b"]["value"] - f1["a"]["value"])) < 1e-9  # the delta is b minus a
    assert rows["token_f1"][-1] != "" and page.locator("#metric-deltas tbody tr").count() > 1
    shot(page, "reports-tiny")

    # 3. the run registered version 2; the admin sets the tiny profile's gate and promotes it: the server follows
    page.click("#tabs [data-tab='registry']")
    model = page.locator(f".model[data-model='{NAME}']")
    page.wait_for_selector(f".model[data-model='{NAME}'] tr[data-version='2']")
    assert models(server, key) == [f"{NAME}:1"]  # registering alone changes nothing served
    model.locator(".gate-input").fill("token_f1=0")
    model.locator(".gate-form button").click()
    page.wait_for_selector("#flash:has-text('gate set')")
    model.locator("tr[data-version='2'] .promote").click()
    page.wait_for_selector(f"#decision-title:has-text('{NAME}@2 promoted to production (was 1)')")
    page.wait_for_selector(f".model[data-model='{NAME}'] h2:has-text('production: 2')")
    assert page.locator("#serving").inner_text() == f"A: {NAME}:2"
    assert models(server, key) == [f"{NAME}:2"]
    assert httpx.get(server.url + "/healthz").json()["models"]["A"] == f"{NAME}:2"
    assert reg.get(NAME, "production").version == 2
    assert Path(reg.get(NAME, 2).metrics["report"]).resolve() == report  # the run's evaluation
    shot(page, "registry-tiny")
    page.close()
    watched.close()
    assert errors == []
