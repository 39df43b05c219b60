from chatforge.data.clean import clean_text, html_document_to_text


def test_html_fragment_unicode_and_whitespace():
    raw = "<p>Votre r\u00c3\u00a9servation&nbsp;est <b>confirm&eacute;e</b></p><br>Merci\u200b  \t !"
    text, had_html = clean_text(raw)
    assert had_html
    assert text == "Votre réservation est confirmée\n\nMerci !"


def test_nfc_normalisation():
    decomposed = "cafe\u0301"
    text, _ = clean_text(decomposed)
    assert text == "café" and len(text) == 4


def test_html_page_keeps_structure_drops_boilerplate():
    page = """<html><head><title>Bagages</title><style>p{}</style></head><body>
    <nav><a href='/'>Accueil</a></nav><main><h1>Bagages</h1><p>Un bagage cabine de 8 kg.</p>
    <h2>Soute</h2><ul><li>25 € en ligne</li><li>45 € à l'aéroport</li></ul>
    <table><tr><th>Tarif</th><th>Soute</th></tr><tr><td>Flex</td><td>1</td></tr></table></main>
    <footer>© Hirondelle Air</footer></body></html>"""
    title, text = html_document_to_text(page)
    assert title == "Bagages"
    assert text.splitlines()[0] == "# Bagages"
    assert "## Soute" in text and "- 25 € en ligne" in text and "Flex | 1" in text
    assert "Accueil" not in text and "©" not in text
