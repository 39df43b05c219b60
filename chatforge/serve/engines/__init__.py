"""Generation engines behind `chatforge serve --engine transformers|llamacpp|auto [--backend-url URL]`.

- `base`: the `Engine` protocol every engine keeps, `Generation` (one request's streamed output),
  `QueuedEngine` (chat template, context check and bounded queue of the in-process engines) and the errors.
- `transformers_engine`: `TransformersEngine`, any model `chatforge.models.load` accepts, batched.
- `llamacpp_engine`: `LlamaCppEngine`, a GGUF file (or a folder's cached GGUF export) run by llama-cpp-python.
- `remote`: `RemoteEngine`, forwarding to an OpenAI-compatible server (vLLM, Ollama, another chatforge).

`make_engine` picks one from the serve options.
"""

from __future__ import annotations

from chatforge.serve.engines.base import (
    ContextTooLong,
    Engine,
    EngineError,
    EngineUnavailable,
    Generation,
    QueuedEngine,
    QueueFull,
)
from chatforge.serve.engines.llamacpp_engine import LlamaCppEngine, llamacpp_available
from chatforge.serve.engines.remote import RemoteEngine
from chatforge.serve.engines.transformers_engine import TransformersEngine

__all__ = [
    "ContextTooLong",
    "Engine",
    "EngineError",
    "EngineUnavailable",
    "Generation",
    "LlamaCppEngine",
    "QueueFull",
    "QueuedEngine",
    "RemoteEngine",
    "TransformersEngine",
    "has_gguf",
    "llamacpp_available",
    "make_engine",
]


def make_engine(
    spec: str,
    engine: str = "auto",
    backend_url: str | None = None,
    backend_key: str | None = None,
    max_batch: int = 8,
    queue_size: int = 32,
    device: str | None = None,
) -> Engine:
    """The engine for a model: remote when `backend_url`, else llama.cpp when asked, or under `auto` on CPU when
    llama-cpp-python is installed and the model has a GGUF or can be exported to one (cached); else transformers."""
    if backend_url:
        return RemoteEngine(backend_url, backend_key, model=spec)
    if engine == "auto":
        have = llamacpp_available()  # before torch: the OpenMP runtime they share loads with llama.cpp's settings
        import torch

        on_cpu = (device or ("cuda" if torch.cuda.is_available() else "cpu")) == "cpu"
        engine = "llamacpp" if on_cpu and have and has_gguf(spec) else "transformers"
    if engine == "llamacpp":
        return LlamaCppEngine(spec, queue_size=queue_size)
    if engine == "transformers":
        return TransformersEngine(spec, max_batch=max_batch, queue_size=queue_size, device=device)
    raise EngineUnavailable(f"unknown engine {engine!r}: transformers, llamacpp or auto")


def has_gguf(spec: str) -> bool:
    """Whether llama.cpp can run `spec`: its own GGUF, or one exported from its folder now or before (models/gguf_export.py)."""
    from chatforge.errors import ModelError
    from chatforge.models.gguf_export import gguf_for
    from chatforge.output import stderr

    try:
        gguf_for(spec)
    except ModelError as exc:
        stderr.print(f"serve: {spec} runs on the transformers engine ({exc})")
        return False
    return True
