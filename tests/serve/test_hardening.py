"""Serving hardening on real uvicorn servers: security headers, docs off, no model paths, /metrics for admins,
64-bit id and limit bounds (422, never 500), and one-line errors for a database that cannot be opened."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.models.tiny import build_tiny_model
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.exposure import public_name
from chatforge.store.database import Store
from tests.serve.conftest import LiveServer

TOO_BIG = 2**63  # one past the largest signed 64-bit database id


def _auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_pages_and_api_carry_security_headers_and_docs_are_off(serve):
    server, _ = serve()
    with httpx.Client(base_url=server.url) as http:
        for path in ("/", "/static/app.js", "/annotate", "/annotate/static/annotate.js", "/healthz", "/v1/models"):
            h = http.get(path).headers
            csp = h["content-security-policy"]
            assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, path
            assert "unsafe-inline" not in csp and "http" not in csp, path  # no inline script, no CDN
            assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff", path
            assert h["referrer-policy"] == "no-referrer", path
        assert http.get("/docs").status_code == 404 and http.get("/redoc").status_code == 404
        assert "/v1/chat/completions" in http.get("/openapi.json").json()["paths"]


def test_api_docs_on_demand_get_their_own_policy(serve):
    server, _ = serve(api_docs=True)
    docs = httpx.get(server.url + "/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    assert "cdn.jsdelivr.net" not in httpx.get(server.url + "/").headers["content-security-policy"]


def test_public_name_keeps_ids_and_drops_paths(tmp_path):
    folder = tmp_path / "weights"
    folder.mkdir()
    assert public_name(str(folder)) == "weights" and public_name(str(folder) + "/") == "weights"
    assert public_name("/srv/models/sft-v3/model.gguf") == "model.gguf"
    assert public_name("./runs/sft") == "sft" and public_name("~/models/m") == "m"
    assert public_name("C:\\models\\sft") == "sft"
    for spec in ("default", "tiny-a", "HuggingFaceTB/SmolLM2-135M-Instruct", "registry:hirondelle@production", "bot:3"):
        assert public_name(spec) == spec


def test_healthz_models_and_answers_never_show_the_model_path(tmp_path):
    model_dir = build_tiny_model(tmp_path / "private-models-7f3a" / "sft", context_length=256)
    cfg = ServeConfig(model=str(model_dir), db=str(tmp_path / "serve.db"), engine="transformers", device="cpu")
    store = Store(cfg.db)
    key, _ = store.create_key("root", ["admin"])
    server = LiveServer(create_app(cfg, store=store))  # the app loads the model itself, as `chatforge serve` does
    try:
        with httpx.Client(base_url=server.url, headers=_auth(key), timeout=60) as http:
            health, models = http.get("/healthz"), http.get("/v1/models")
            reply = http.post(
                "/v1/chat/completions",
                json={"model": "sft", "max_tokens": 2, "messages": [{"role": "user", "content": "Bonjour"}]},
            )
            metrics = http.get("/metrics")
    finally:
        server.stop()
    assert health.json()["models"] == {"A": "sft"} and [m["id"] for m in models.json()["data"]] == ["sft"]
    assert reply.status_code == 200 and reply.json()["model"] == "sft"
    for response in (health, models, reply, metrics):
        assert str(tmp_path) not in response.text and "private-models-7f3a" not in response.text


def test_metrics_need_an_admin_key_unless_public(serve):
    server, store = serve()
    user_key, _ = store.create_key("bob", ["support"])
    admin_key, _ = store.create_key("root", ["admin"])
    url = server.url + "/metrics"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers=_auth(user_key)).status_code == 403
    ok = httpx.get(url, headers=_auth(admin_key))
    assert ok.status_code == 200 and "chatforge_requests_total" in ok.text
    public, _ = serve(public_metrics=True)
    assert httpx.get(public.url + "/metrics").status_code == 200


def test_ids_and_limits_past_64_bits_are_422_not_500(serve):
    server, store = serve()
    keys = {
        u: store.create_key(u, roles)[0]
        for u, roles in [
            ("root", ["admin"]),
            ("ann", ["annotator"]),
            ("rev", ["reviewer"]),
            ("ann-rev", ["annotator", "reviewer"]),
        ]
    }
    with httpx.Client(base_url=server.url) as http:
        admin_h, ann_h, rev_h = _auth(keys["root"]), _auth(keys["ann"]), _auth(keys["rev"])
        for bad in (TOO_BIG, 0, -1):
            assert http.get(f"/v1/conversations/{bad}", headers=admin_h).status_code == 422, bad
            assert http.get(f"/v1/admin/conversations?limit={bad}", headers=admin_h).status_code == 422, bad
            assert (
                http.post(
                    f"/v1/annotate/items/{bad}/judgement", headers=ann_h, json={"ranking": [["A"], ["B"]]}
                ).status_code
                == 422
            ), bad
            assert (
                http.post(
                    f"/v1/annotate/items/{bad}/settle", headers=rev_h, json={"ranking": [["A"], ["B"]]}
                ).status_code
                == 422
            ), bad
            r = http.get(f"/v1/annotate/campaigns/x/disagreements?limit={bad}", headers=rev_h)
            assert r.status_code == 422, bad
        assert http.get("/v1/admin/conversations?limit=10000", headers=admin_h).status_code == 200
        assert http.get(f"/v1/conversations/{2**63 - 1}", headers=admin_h).status_code == 404
        assert (
            http.post(
                f"/v1/annotate/items/{2**63 - 1}/judgement", headers=ann_h, json={"ranking": [["A"], ["B"]]}
            ).status_code
            == 404
        )


def test_unreachable_postgresql_at_serve_start_is_one_line_without_the_password():
    # a real `chatforge serve` process; port 1 refuses connections at once
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "serve",
            "--db",
            "postgresql://bot:s3cr3t-pw@127.0.0.1:1/chat",
            "--backend-url",
            "http://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    assert "s3cr3t-pw" not in res.stderr + res.stdout
    assert lines[0].startswith("error: --db postgresql://bot:***@127.0.0.1:1/chat: cannot open the database")


@pytest.mark.parametrize(
    "argv", [["keys", "create", "--user", "a"], ["keys", "list"], ["ab", "report"], ["annotate", "list"]]
)
def test_store_commands_report_a_database_they_cannot_open(tmp_path, argv):
    missing = f"sqlite:///{tmp_path}/no-such-folder/serve.db"
    res = CliRunner().invoke(cli, [*argv, "--db", missing, "--json"])
    if argv[1] == "create":  # a command that creates the database: the folder is missing
        assert res.exit_code == 1
        assert res.output.strip().splitlines()[-1] == (
            '{"ok": false, "error": "--db ' + missing + ": no such folder " + str(tmp_path / "no-such-folder") + '"}'
        )
    else:  # a command that only reads: there is no database there (exit 2, nothing created)
        assert res.exit_code == 2 and "--db " + missing + ": no such database file" in res.output
    pg = CliRunner().invoke(cli, [*argv, "--db", "postgresql://bot:s3cr3t-pw@127.0.0.1:1/chat", "--json"])
    assert pg.exit_code == 1 and "s3cr3t-pw" not in pg.output and "postgresql://bot:***@127.0.0.1:1/chat" in pg.output


def test_pages_work_in_chromium_under_the_policy_and_refuse_framing(serve, tmp_path):
    import shutil

    if not shutil.which("/usr/bin/chromium"):
        pytest.skip("/usr/bin/chromium not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    server, store = serve()
    key, _ = store.create_key("ann", ["annotator", "support"])
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            violations = []
            for path in ("/", "/annotate"):
                page = browser.new_context().new_page()
                page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
                page.goto(server.url + path)
                page.fill("#key", key)
                page.click("#login-form button")  # the page's own script signs in: scripts run under the policy
                page.wait_for_selector("#who:has-text('ann')")
            assert violations == []
            # another site framing the chat: the browser refuses to render it
            (tmp_path / "frame.html").write_text(f'<iframe id="f" src="{server.url}/"></iframe>', encoding="utf-8")
            page = browser.new_page()
            page.goto((tmp_path / "frame.html").as_uri())
            page.wait_for_timeout(500)
            frame = page.frame_locator("#f")
            assert frame.locator("#login-form").count() == 0
        finally:
            browser.close()
