"""The operator console in a real Chromium (Debian's, driven by Playwright): promote, refusal, keys, reports, inbox.

Screenshots of each tab go to runs/test-artifacts/console/, or to $CHATFORGE_CONSOLE_SCREENSHOTS
(docs/console/ for the documentation: `CHATFORGE_CONSOLE_SCREENSHOTS=docs/console pytest tests/serve/test_console_browser.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from tests.serve import test_console as base

built_registry, console_app, report = base.built_registry, base.console_app, base.report  # the API tests' fixtures

SHOTS = Path(
    os.environ.get("CHATFORGE_CONSOLE_SCREENSHOTS")
    or Path(__file__).resolve().parents[2] / "runs" / "test-artifacts" / "console"
)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, url: str, key: str) -> None:
    page.goto(url + "/console")
    page.fill("#key", key)
    page.click("#login-form button")


def watch_errors(page) -> list[str]:
    """Script errors and console errors (a CSP refusal is one), HTTP error statuses left out (403 is tested)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and "Failed to load resource" not in msg.text else None
        ),
    )
    return errors


def models(server, key: str) -> list[str]:
    return [
        m["id"] for m in httpx.get(server.url + "/v1/models", headers={"Authorization": f"Bearer {key}"}).json()["data"]
    ]


def test_admin_sets_the_gate_sees_a_refusal_promotes_and_the_server_follows_then_manages_keys(browser, console_app):
    server, store, reg, key = console_app
    user_key, _ = store.create_key("eve", ["support"])
    page = browser.new_page()
    errors = watch_errors(page)
    sign_in(page, server.url, user_key)
    page.wait_for_selector("#login-error:has-text('403')")
    sign_in(page, server.url, key)
    page.wait_for_selector(".model[data-model='hs'] h2:has-text('production: 1')")
    assert page.locator("#serving").inner_text() == "A: hs:1"
    assert "base tiny-base" in page.locator("tr[data-version='3'] .lineage").inner_text()

    page.fill(".gate-input", "token_f1=0.3")
    page.click(".gate-form button")
    page.wait_for_selector("#flash:has-text('gate set')")
    page.wait_for_selector("tr[data-version='3'] .fail:has-text('token_f1 (plain) 0.2 at least 0.3')")
    page.click("tr[data-version='3'] .promote")
    page.wait_for_selector("#decision-title:has-text('refused: hs@3')")
    assert (
        page.locator("#decision-reason")
        .inner_text()
        .startswith("gate failed: token_f1 (plain) = 0.2 needs at least 0.3")
    )
    assert page.locator("#decision-table tbody tr").all_inner_texts() == ["token_f1\tplain\t0.4\t0.2\t-0.2\tworse"]
    assert models(server, key) == ["hs:1"] and reg.get("hs", "production").version == 1
    shot(page, "registry-refused")

    page.click("tr[data-version='2'] .promote")
    page.wait_for_selector("#decision-title:has-text('hs@2 promoted to production (was 1)')")
    page.wait_for_selector(".model[data-model='hs'] h2:has-text('production: 2')")
    assert page.locator("#serving").inner_text() == "A: hs:2"
    assert models(server, key) == ["hs:2"]
    assert page.locator("tr[data-version='2'] .tag.production").count() == 1
    shot(page, "registry")

    page.click("#tabs [data-tab='keys']")
    page.fill("#key-user", "bob")
    page.fill("#key-roles", "support,annotator")
    page.click("#key-form button")
    page.wait_for_selector("#new-key:visible")
    new_key = page.locator("#new-key-value").inner_text()
    bob = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {new_key}"})
    assert bob.get("/v1/me").json() == {"user": "bob", "roles": ["support", "annotator"], "admin": False}
    row = page.locator("#keys tr[data-user='bob']")
    row.locator(".roles-input").fill("reviewer")
    row.locator(".set-roles").click()
    page.wait_for_selector("#flash:has-text('roles reviewer')")
    assert bob.get("/v1/me").json()["roles"] == ["reviewer"]
    shot(page, "keys")
    page.locator("#keys tr[data-user='bob'] .revoke").click()
    page.wait_for_selector("#keys tr[data-user='bob'] td:has-text('revoked')")
    assert bob.get("/v1/me").status_code == 401

    page.click("#tabs [data-tab='audit']")
    page.wait_for_selector("#audit tbody tr")
    actions = [r.split("\t")[2] for r in page.locator("#audit tbody tr").all_inner_texts()]
    assert actions == ["key-revoke", "key-roles", "key-create", "promote", "promote-refused", "set-gate"]
    assert new_key not in page.content()  # the audit never shows a key
    shot(page, "audit")
    page.close()
    assert errors == []  # no script error, nothing refused by the Content-Security-Policy


def test_admin_compares_two_evaluations_and_sends_inbox_answers_to_annotation(browser, console_app, tmp_path):
    server, store, _, key = console_app
    a = report(tmp_path / "runs" / "eval-a" / "report.json", ["Oui, 50 euros.", "Non."], 0.3, [[], ["loop"]])
    report(tmp_path / "runs" / "eval-b" / "report.json", ["Oui, 50 euros.", "Je ne sais pas."], 0.6, [[], []])
    sam = store.create_key("sam", ["public"])[1].user_id
    store.create_key("ann", ["annotator"])
    conv, down = store.record_turn(
        sam,
        None,
        "Combien coûte un vélo ?",
        content="Peut-être 20 euros.",
        model="hs:1",
        variant="A",
        prompt=[{"role": "user", "content": "Combien coûte un vélo ?"}],
        grounding={"abstained": False, "support": 0.2},
    )
    store.add_feedback(user_id=sam, conversation_id=conv.id, message_id=down.id, kind="thumb", value=-1)
    page = browser.new_page()
    errors = watch_errors(page)
    sign_in(page, server.url, key)
    page.wait_for_selector(".model[data-model='hs']")

    page.click("#tabs [data-tab='reports']")
    page.wait_for_selector("#rep-a option", state="attached")
    page.select_option("#rep-a", str(a))
    page.select_option("#var-a", "m")
    page.select_option("#rep-b", str(tmp_path / "runs" / "eval-b" / "report.json"))
    page.select_option("#var-b", "m+rag")
    page.click("#compare-form button")
    page.wait_for_selector("#metric-deltas tbody tr")
    rows = {r.split("\t")[0]: r.split("\t") for r in page.locator("#metric-deltas tbody tr").all_inner_texts()}
    assert rows["token_f1"][1:] == ["0.3", "[0.2, 0.4]", "0.6", "[0.5, 0.7]", "0.3"]
    assert page.locator("#metric-deltas tbody tr", has_text="token_f1").locator(".verdict-better").count() == 1
    diff = page.locator("#item-diff tbody tr")
    assert diff.count() == 1 and "loop" in diff.inner_text() and "abstained" in diff.inner_text()
    assert "support 0.75" in diff.inner_text() and "removed: Une phrase retirée." in diff.inner_text()
    shot(page, "reports")

    page.click("#tabs [data-tab='live']")
    page.wait_for_selector("#inbox tbody tr")
    assert "not enough data" in page.locator("#ab-verdict").inner_text()
    first = page.locator("#inbox tbody tr").first
    assert "thumbs down, low support" in first.inner_text() and "Peut-être 20 euros." in first.inner_text()
    first.locator(".pick").check()
    page.fill("#campaign-name", "review-console")
    page.fill("#campaign-annotators", "ann")
    page.click("#campaign-form button")
    page.wait_for_selector("#flash:has-text('campaign review-console: 1 items, 1 answers, 1 assignments')")
    shot(page, "live")
    page.close()
    assert errors == []
