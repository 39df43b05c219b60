"""llama.cpp as serve's CPU default: a model folder is exported to GGUF once and served by the real llama-cpp-python
(`--engine auto`), answering over HTTP what the transformers engine answers; without the package auto stays on
transformers."""

from __future__ import annotations

import sys

import httpx
import pytest

from chatforge.models.gguf_export import export_root
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import LlamaCppEngine, TransformersEngine, make_engine
from chatforge.store.database import Store
from tests.serve.conftest import LiveServer

ASK = [{"role": "user", "content": "Combien coute un bagage en soute ?"}]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATFORGE_CACHE", str(tmp_path / "cache"))


def answer(server: LiveServer, key: str) -> str:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as http:
        reply = http.post(
            "/v1/chat/completions", json={"model": "model", "max_tokens": 8, "temperature": 0, "messages": ASK}
        )
    assert reply.status_code == 200, reply.text
    return reply.json()["choices"][0]["message"]["content"]


def test_auto_serves_a_model_folder_through_llamacpp_as_transformers_does(tiny_dir, cache, tmp_path):
    pytest.importorskip("llama_cpp")
    texts = {}
    for engine in ("auto", "transformers"):
        cfg = ServeConfig(model=str(tiny_dir), db=str(tmp_path / f"{engine}.db"), engine=engine, device="cpu")
        store = Store(cfg.db)
        key, _ = store.create_key("root", ["admin"])
        app = create_app(cfg, store=store)
        server = LiveServer(app)
        try:
            assert app.state.engines["A"].kind == ("llamacpp" if engine == "auto" else "transformers")
            texts[engine] = answer(server, key)
        finally:
            server.stop()
            store.close()
    assert texts["auto"] == texts["transformers"]
    assert len(list(export_root().glob("*/model.gguf"))) == 1  # exported once into the cache


def test_auto_stays_on_transformers_without_the_package(tiny_dir, cache, monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # `import llama_cpp` raises ImportError
    engine = make_engine(str(tiny_dir), engine="auto", device="cpu")
    try:
        assert isinstance(engine, TransformersEngine) and not isinstance(engine, LlamaCppEngine)
    finally:
        engine.close()
    assert not export_root().exists()  # nothing exported for an engine that cannot run it
