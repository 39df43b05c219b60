"""Two annotators rank the same items in a real Chromium (keyboard and drag), a reviewer settles one, the export follows."""

import json
from pathlib import Path

from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.store.annotation import Answer, Item, Judgement
from chatforge.store.database import User

ARTIFACTS = Path(__file__).resolve().parents[2] / "runs" / "test-artifacts"


def _sign_in(browser, url, key):
    page = browser.new_context().new_page()  # own context: localStorage (the key) is per user
    page.goto(url + "/annotate")
    page.fill("#key", key)
    page.click("#login-form button")
    return page


def test_two_annotators_and_a_reviewer(browser, store, review_campaign, live, tmp_path):
    review_campaign(n=2)
    server = live()
    alice, bob, rita = (
        store.create_key(u, r)[0] for u, r in [("alice", ["annotator"]), ("bob", ["annotator"]), ("rita", ["reviewer"])]
    )

    # alice: keyboard only. 1, 2 puts A first and B second (C follows by itself); on the first item she also
    # flags B as wrong (w then 2) and writes a correction (c, type, Escape), then submits with Enter.
    page = _sign_in(browser, server.url, alice)
    page.wait_for_selector("#progress:has-text('0 / 3 done')")
    for n in range(3):
        page.wait_for_selector(f"#progress:has-text('{n} / 3 done')")
        page.keyboard.press("1")
        page.keyboard.press("2")
        assert page.locator("#ranking li").all_inner_texts() == ["A", "B", "C"]
        if n == 0:
            page.keyboard.press("w")
            page.keyboard.press("2")
            page.wait_for_selector(".card[data-label='B'] .flag.on:has-text('wrong')")
            page.keyboard.press("c")
            page.keyboard.type("Une réponse corrigée.")
            page.keyboard.press("Escape")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#progress:has-text('{n + 1} / 3 done')")
        assert "Saved" in page.inner_text("#status")  # shown only after the server's 200
    page.wait_for_selector("#queue-empty:visible")
    page.close()

    # bob: drags C onto A on his first item (C > A > B), types 1 2 on the others (A > B > C), submits with the button
    page = _sign_in(browser, server.url, bob)
    for n in range(3):
        page.wait_for_selector(f"#progress:has-text('{n} / 3 done')")
        if n == 0:
            page.locator("#ranking li[data-label='C']").drag_to(page.locator("#ranking li[data-label='A']"))
            assert page.locator("#ranking li").all_inner_texts() == ["C", "A", "B"]
        else:
            page.keyboard.press("1")
            page.keyboard.press("2")
        page.click("#submit")
        page.wait_for_selector(f"#progress:has-text('{n + 1} / 3 done')")
    page.close()

    with store.session() as s:
        first = s.query(Item).order_by(Item.position).first().id
        rows = {(j.item_id, s.get(User, j.user_id).name): j for j in s.query(Judgement)}
        text = {(a.item_id, a.label): a.content for a in s.query(Answer)}
        items = [it.id for it in s.query(Item).order_by(Item.position)]
    assert len(rows) == 6
    assert rows[(first, "alice")].ranking == [["A"], ["B"], ["C"]] and rows[(first, "alice")].flags == {"B": ["wrong"]}
    assert rows[(first, "alice")].correction == "Une réponse corrigée."
    assert rows[(first, "bob")].ranking == [["C"], ["A"], ["B"]]
    assert all(rows[(i, u)].ranking == [["A"], ["B"], ["C"]] for i in items[1:] for u in ("alice", "bob"))

    # rita settles the disagreement (listed first: tau -1/3) as A > B = C
    page = _sign_in(browser, server.url, rita)
    page.wait_for_selector(".dis")
    top = page.locator(".dis").first
    assert top.get_attribute("data-item") == str(first)
    assert "alice" in top.inner_text() and "bob" in top.inner_text() and "Une réponse corrigée." in top.inner_text()
    top.locator(".settle-ranking").fill("A > B = C")
    top.locator(".settle").click()
    top.locator(".settled-note:has-text('settled: A > B = C')").wait_for()
    assert page.locator(".dis").count() == 1  # the two items alice and bob ranked alike are not listed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annotate-review.png"), full_page=True)
    page.close()

    out = tmp_path / "dpo.jsonl"
    res = CliRunner().invoke(
        cli,
        [
            "annotate",
            "export",
            "--db",
            str(tmp_path / "serve.db"),
            "--name",
            "review",
            "--format",
            "dpo",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    got = sorted(
        (r["item_id"], r["chosen"][0]["content"], r["rejected"][0]["content"])
        for r in map(json.loads, out.read_text().splitlines())
    )
    # settled item: A beats B and C, B = C tied (skipped); the two agreed items: A>B, A>C, B>C each
    expected = [(first, "A", "B"), (first, "A", "C")] + [
        (i, c, r) for i in items[1:] for c, r in (("A", "B"), ("A", "C"), ("B", "C"))
    ]
    assert got == sorted((i, text[(i, c)], text[(i, r)]) for i, c, r in expected)
