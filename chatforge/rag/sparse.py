"""BM25 sparse vectors for the lexical branch of hybrid search, computed with Qdrant's own BM25.

`qdrant_edge.Bm25` turns text into term-frequency sparse vectors (documents) or one-hot term
vectors (queries); the index stores them under the IDF modifier, so the engine supplies the
inverse document frequencies over the live corpus. The same vectors go to Qdrant Edge and to
a Qdrant server, so both paths rank alike. The tokenizer's language sets stopwords and the
stemmer: "french" suits the shipped example; "english" is the engine's default.
"""

from __future__ import annotations

from pydantic import Field

from chatforge.config import StageConfig


class Bm25Config(StageConfig):
    language: str = Field("english", description="Stopwords and stemmer language for BM25 (english, french, german, ...); fixed at index creation.")
    ascii_folding: bool = Field(True, description="Fold accents (é -> e) so 'reserve' matches 'réservé'.")
    k: float = Field(1.2, ge=0, description="BM25 term-frequency saturation.")
    b: float = Field(0.75, ge=0, le=1, description="BM25 length normalisation (0 none, 1 full).")
    avg_len: float = Field(60.0, gt=0, description="Expected chunk length in tokens, for length normalisation.")


class SparseEncoder:
    """Text -> (indices, values) with one BM25 configuration."""

    def __init__(self, cfg: Bm25Config | None = None):
        import qdrant_edge as q

        self.cfg = cfg or Bm25Config()
        self.model = q.Bm25(q.Bm25Config(k=self.cfg.k, b=self.cfg.b, avg_len=self.cfg.avg_len,
                                         language=self.cfg.language, ascii_folding=self.cfg.ascii_folding))

    def document(self, text: str) -> tuple[list[int], list[float]]:
        v = self.model.embed_document(text)
        return list(v.indices), list(v.values)

    def query(self, text: str) -> tuple[list[int], list[float]]:
        v = self.model.embed_query(text)
        return list(v.indices), list(v.values)
