"""BM25 sparse vectors for the lexical branch of hybrid search, computed with Qdrant's own BM25.

`qdrant_edge.Bm25` turns text into term-frequency sparse vectors (documents) or one-hot term
vectors (queries); the index stores them under the IDF modifier, so the engine supplies the
inverse document frequencies over the live corpus. The same vectors go to Qdrant Edge and to
a Qdrant server, so both paths rank alike. The tokenizer's language sets stopwords and the
stemmer. The default `auto` picks it when the index is created, from the language most of
the documents are written in (py3langid), and the index keeps that choice.
"""

from __future__ import annotations

from pydantic import Field

from chatforge.config import StageConfig


class Bm25Config(StageConfig):
    language: str = Field(
        "auto",
        description="Stopwords and stemmer language for BM25 (english, french, german, ...), or auto = the documents' majority language; fixed at index creation.",
    )
    ascii_folding: bool = Field(True, description="Fold accents (é -> e) so 'reserve' matches 'réservé'.")
    k: float = Field(1.2, ge=0, description="BM25 term-frequency saturation.")
    b: float = Field(0.75, ge=0, le=1, description="BM25 length normalisation (0 none, 1 full).")
    avg_len: float = Field(60.0, gt=0, description="Expected chunk length in tokens, for length normalisation.")


# ISO 639-1 (py3langid) -> the engine's stemmer names; anything else falls back to english.
STEMMERS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}


def majority_language(texts: list[str]) -> str:
    """The stemmer language most of `texts` are written in (english when undecided)."""
    from collections import Counter

    from chatforge.data.filters import detect_language

    votes = Counter(STEMMERS.get(detect_language(t[:2000]), "") for t in texts)
    votes.pop("", None)
    return votes.most_common(1)[0][0] if votes else "english"


class SparseEncoder:
    """Text -> (indices, values) with one BM25 configuration."""

    def __init__(self, cfg: Bm25Config | None = None):
        import qdrant_edge as q

        self.cfg = cfg or Bm25Config()
        self.model = q.Bm25(
            q.Bm25Config(
                k=self.cfg.k,
                b=self.cfg.b,
                avg_len=self.cfg.avg_len,
                language=self.cfg.language,
                ascii_folding=self.cfg.ascii_folding,
            )
        )

    def document(self, text: str) -> tuple[list[int], list[float]]:
        v = self.model.embed_document(text)
        return list(v.indices), list(v.values)

    def query(self, text: str) -> tuple[list[int], list[float]]:
        v = self.model.embed_query(text)
        return list(v.indices), list(v.values)
