"""Generation engines behind `chatforge serve --engine transformers|llamacpp|auto [--backend-url URL]`.

- `base`: the `Engine` protocol every engine keeps, `Generation` (one request's streamed output),
  `QueuedEngine` (chat template, context check and bounded queue of the in-process engines) and the errors.
- `transformers_engine`: `TransformersEngine`, any model `chatforge.models.load` accepts, batched.
- `llamacpp_engine`: `LlamaCppEngine`, a GGUF file run by llama-cpp-python (optional package).
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

__all__ = ["ContextTooLong", "Engine", "EngineError", "EngineUnavailable", "Generation", "LlamaCppEngine", "QueueFull",
           "QueuedEngine", "RemoteEngine", "TransformersEngine", "llamacpp_available", "make_engine"]


def make_engine(spec: str, engine: str = "auto", backend_url: str | None = None, backend_key: str | None = None,
                max_batch: int = 8, queue_size: int = 32, device: str | None = None) -> Engine:
    """The engine for a model: remote when `backend_url`, else llama.cpp when asked (or `auto` on CPU with a GGUF)."""
    if backend_url:
        return RemoteEngine(backend_url, backend_key, model=spec)
    if engine == "auto":
        import torch

        from chatforge.models.load import resolve

        on_cpu = (device or ("cuda" if torch.cuda.is_available() else "cpu")) == "cpu"
        engine = "llamacpp" if on_cpu and llamacpp_available() and resolve(spec).gguf is not None else "transformers"
    if engine == "llamacpp":
        return LlamaCppEngine(spec, queue_size=queue_size)
    if engine == "transformers":
        return TransformersEngine(spec, max_batch=max_batch, queue_size=queue_size, device=device)
    raise EngineUnavailable(f"unknown engine {engine!r}: transformers, llamacpp or auto")
