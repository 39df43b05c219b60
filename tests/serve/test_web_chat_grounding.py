"""The web chat shows an answer the documents do not hold as "Not found in the documents", with what was searched."""

from tests.serve.test_grounded_answers import ScriptedEngine


def test_not_found_in_the_documents_is_shown_apart_with_the_sources(browser, serve, grounding):
    replies = iter(
        [
            "Un piano voyage gratuitement en cabine, 3 par passager.",
            "Un vélo voyage en soute pour 50 euros par vol. Le pilote offre 2 croissants.",
        ]
    )
    server, store = serve(engines={"A": ScriptedEngine(lambda m: next(replies))}, grounding=grounding)
    key, _ = store.create_key("pat", ["public"])
    errors = []
    page = browser.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    page.fill("#key", key)
    page.click("#login-form button")
    page.wait_for_selector("#who:has-text('pat')")

    page.fill("#input", "Puis-je emmener mon piano à queue ?")
    page.click("#send")
    first = page.locator(".msg.assistant").first
    first.locator(".actions").wait_for()
    assert first.locator(".not-found").inner_text() == "Not found in the documents"
    assert "abstained" in first.get_attribute("class")
    assert first.locator(".bubble").inner_text() == "Je n'ai pas d'information à ce sujet dans les documents."
    searched = first.locator(".sources li").all_inner_texts()
    assert searched[0] == "Searched:" and any("pub.md" in s for s in searched[1:])

    page.fill("#input", "Combien coûte un vélo en soute ?")
    page.click("#send")
    second = page.locator(".msg.assistant").nth(1)
    second.locator(".actions").wait_for()
    assert second.locator(".not-found").count() == 0 and "50 euros" in second.locator(".bubble").inner_text()
    assert "croissants" not in second.locator(".bubble").inner_text()
    assert second.locator(".removed").inner_text() == "1 unsupported sentence removed (not in the documents)"
    assert second.locator(".sources li.cited").count() >= 1
    page.reload()  # a stored conversation shows the same
    page.locator("#conversations li").first.click()
    page.locator(".msg.assistant .not-found").wait_for()
    assert not errors
    page.close()
