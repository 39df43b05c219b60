from chatforge.data.records import Document
from chatforge.rag.chunk import ChunkConfig, chunk_document

MD = """# Bagages

Intro sur les bagages.

## Cabine

Un bagage de 8 kg.

Un accessoire sous le siège.

## Soute
### Excédent

Au-delà de 23 kg : 50 €.
"""


def test_chunks_follow_headings_and_keep_spans():
    doc = Document("kb/bagages.md", "Bagages", "markdown", [MD])
    chunks = chunk_document(doc, "bagages.md")
    assert [c.heading for c in chunks] == ["Bagages", "Bagages > Cabine", "Bagages > Soute > Excédent"]
    # the two paragraphs of one section share a chunk; headings never end up inside a chunk's text
    assert "8 kg" in chunks[1].text and "accessoire" in chunks[1].text and "#" not in chunks[1].text
    for c in chunks:
        assert MD[c.start : c.end] == c.text and c.page == 1 and c.doc_id == "bagages.md" and c.title == "Bagages"
    assert [c.chunk_id for c in chunks] == ["bagages.md#0", "bagages.md#1", "bagages.md#2"]
    assert chunks[2].embedding_text().startswith("Bagages > Bagages > Soute > Excédent\n")


def test_pdf_pages_are_kept_and_headings_carry_over():
    pages = ["# Conditions\n\nArticle 1 : le billet.", "Article 2 : les bagages.", "", "Article 3 : les retards."]
    chunks = chunk_document(Document("cgt.pdf", "CGT", "pdf", pages), "cgt.pdf")
    assert [(c.page, c.heading) for c in chunks] == [(1, "Conditions"), (2, "Conditions"), (4, "Conditions")]
    assert all(pages[c.page - 1][c.start : c.end] == c.text for c in chunks)


def test_long_paragraph_is_windowed_with_overlap():
    words = [f"w{i}" for i in range(100)]
    text = "# T\n\n" + " ".join(words)
    chunks = chunk_document(
        Document("t.md", "T", "markdown", [text]), "t", ChunkConfig(max_tokens=30, overlap_tokens=10)
    )
    assert len(chunks) == 5  # windows start at tokens 0, 20, 40, 60, 80
    for a, b in zip(chunks, chunks[1:]):
        shared = set(a.text.split()) & set(b.text.split())
        assert len(shared) == 10
    assert all(len(c.text.split()) <= 30 for c in chunks)
    assert chunks[-1].text.endswith("w99") and all(text[c.start : c.end] == c.text for c in chunks)


def test_overlap_must_be_smaller_than_window():
    import pytest

    from chatforge.config import load_config
    from chatforge.errors import ConfigError

    with pytest.raises(ConfigError):
        load_config(ChunkConfig, None, ["max_tokens=20", "overlap_tokens=20"])
