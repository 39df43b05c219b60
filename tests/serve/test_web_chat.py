"""The web chat in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright for Python)."""

from pathlib import Path

from chatforge.store.database import Feedback, Message

ARTIFACTS = Path(__file__).resolve().parents[2] / "runs" / "test-artifacts"


def test_login_ask_stream_sources_thumbs_up_regenerate_pick_survey(browser, serve, long_engine, grounding):
    # temperature 1: the untrained tiny model then writes visible text instead of greedy newlines
    server, store = serve(engines={"A": long_engine}, grounding=grounding, temperature=1.0, default_max_tokens=24)
    key, _ = store.create_key("sam", ["support"])
    page = browser.new_page()
    page.goto(server.url + "/")
    page.fill("#key", "cf_wrong")
    page.click("#login-form button")
    page.wait_for_selector("#login-error:has-text('401')")
    page.fill("#key", key)
    page.click("#login-form button")
    page.wait_for_selector("#who:has-text('sam')")

    page.fill("#input", "Que faire si mon vélo est abîmé ?")
    page.click("#send")
    answer = page.locator(".msg.assistant").first
    answer.locator(".actions").wait_for()  # shown once the stream's last chunk (with the message id) arrived
    text = answer.locator(".bubble").inner_text()
    assert text.strip()
    sources = answer.locator(".sources li").all_inner_texts()
    assert any("support.md" in s for s in sources) and not any("fin.md" in s for s in sources)
    answer.locator(".thumb-up").click()
    page.wait_for_selector(".thumb-up.chosen")

    answer.locator(".regenerate").click()
    page.locator(".msg.assistant").nth(1).locator(".keep").wait_for()
    page.locator(".msg.assistant").nth(1).locator(".keep").click()
    page.click("#survey [data-score='5']")
    page.wait_for_selector("#survey-done:visible")
    assert page.locator("#conversations li").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-web-chat.png"), full_page=True)
    page.close()

    with store.session() as s:
        answers = s.query(Message).filter(Message.role == "assistant").order_by(Message.id).all()
        feedback = [
            (f.kind, f.value, f.message_id, f.other_message_id) for f in s.query(Feedback).order_by(Feedback.id)
        ]
    assert len(answers) == 2 and answers[0].content == text and answers[1].regenerates == answers[0].id
    assert feedback == [
        ("thumb", 1, answers[0].id, None),
        ("pick", None, answers[1].id, answers[0].id),
        ("survey", 5, None, None),
    ]
