"""One Engine protocol: every engine offers what the API and metrics use, and the in-process ones share one queue."""

import inspect

from chatforge.serve.engines import (
    ContextTooLong,
    Engine,
    LlamaCppEngine,
    QueuedEngine,
    RemoteEngine,
    TransformersEngine,
)
from chatforge.serve.model_watch import RegistryEngine

MEMBERS = ("kind", "name", "active", "queue_depth", "submit", "close")


def test_every_engine_keeps_the_protocol(engine_a):
    remote = RemoteEngine("http://127.0.0.1:9/v1", model="m")
    for engine in (engine_a, remote):
        assert isinstance(engine, Engine)  # runtime check of the protocol's members
        assert all(hasattr(engine, m) for m in MEMBERS)
    for cls in (TransformersEngine, LlamaCppEngine, RemoteEngine, RegistryEngine):
        assert all(callable(getattr(cls, m, None)) for m in ("submit", "close")), cls
        params = list(inspect.signature(cls.submit).parameters)
        assert params[:5] == ["self", "messages", "max_tokens", "temperature", "top_p"], cls


def test_in_process_engines_share_the_queued_front(engine_a):
    assert issubclass(TransformersEngine, QueuedEngine) and issubclass(LlamaCppEngine, QueuedEngine)
    for cls in (TransformersEngine, LlamaCppEngine):  # encode / submit / queue_depth are the shared ones
        assert all(m not in vars(cls) for m in ("encode", "submit", "queue_depth")), cls
    ids = engine_a.encode([{"role": "user", "content": "Bonjour"}])
    assert ids and all(isinstance(i, int) for i in ids)
    try:
        engine_a.submit([{"role": "user", "content": "Bonjour"}], max_tokens=10**6)
    except ContextTooLong as exc:
        assert "context limit" in str(exc) and exc.status == 400
    else:
        raise AssertionError("a request over the context limit was queued")
