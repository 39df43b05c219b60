"""The llamacpp engine: a clear start-up error without llama-cpp-python, `auto` falling back, and its queue / stream /
usage accounting, against a stand-in for `llama_cpp.Llama` (always) and the real library (when installed)."""

import asyncio
import sys
import threading
import types

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.serve.engines import (
    EngineUnavailable,
    LlamaCppEngine,
    QueueFull,
    TransformersEngine,
    llamacpp_available,
    make_engine,
)
from tests.models.gguf_fixture import write_llama_gguf


@pytest.fixture(scope="module")
def tiny_gguf(tiny_dir, tmp_path_factory):
    from chatforge.models.load import load_model

    model, tok = load_model(str(tiny_dir), device="cpu")
    return write_llama_gguf(model, tok, tmp_path_factory.mktemp("gguf") / "tiny-f32.gguf")


@pytest.fixture
def gguf_cache(tmp_path_factory, monkeypatch):
    # resolve() dequantises a .gguf once into this cache (shared by the module's tests, keyed by content hash)
    monkeypatch.setenv("CHATFORGE_CACHE", str(tmp_path_factory.getbasetemp() / "gguf-cache"))


class StandInLlama:
    """Stands in for `llama_cpp.Llama`: the answer is "w0 w1 w2 " then a token whose text is held back, streamed as
    llama-cpp-python's `create_completion` does (one chunk per token, an empty one where text is held back, then a
    finish chunk). Each token waits for a permit from `tokens`, so a test decides when decoding advances."""

    ANSWER = ["w0 ", "w1 ", "w2 ", ""]

    def __init__(self, model_path, n_ctx, verbose):
        self.model_path, self.n_ctx = model_path, n_ctx
        self.tokens = threading.Semaphore(0)
        self.prompts = []
        self.running = self.most_running = 0
        self.closed_streams = 0

    def create_completion(self, prompt, max_tokens, temperature, top_p, top_k, min_p, stream):
        assert stream and isinstance(prompt, list)
        self.prompts.append(prompt)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            for text in self.ANSWER[:max_tokens]:
                assert self.tokens.acquire(timeout=10)
                yield {"choices": [{"index": 0, "text": text, "finish_reason": None}]}
            finish = "length" if len(self.ANSWER) > max_tokens else "stop"
            yield {"choices": [{"index": 0, "text": "", "finish_reason": finish}]}
        finally:
            self.running -= 1
            self.closed_streams += 1

    def close(self):
        pass


@pytest.fixture
def stand_in(monkeypatch, gguf_cache):
    monkeypatch.setitem(sys.modules, "llama_cpp", types.SimpleNamespace(Llama=StandInLlama))


@pytest.fixture
def no_llama_cpp(monkeypatch, gguf_cache):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # `import llama_cpp` raises ImportError


def test_missing_package_fails_fast_naming_the_extra(no_llama_cpp, tiny_gguf, tmp_path):
    result = CliRunner().invoke(
        app, ["serve", "--model", str(tiny_gguf), "--engine", "llamacpp", "--db", str(tmp_path / "s.db"), "--json"]
    )
    assert result.exit_code != 0
    assert "pip install chatforge[gguf]" in result.output and '"ok": false' in result.output


def test_auto_falls_back_to_transformers_for_a_gguf_without_the_package(no_llama_cpp, tiny_gguf):
    engine = make_engine(str(tiny_gguf), engine="auto", device="cpu")
    try:
        assert isinstance(engine, TransformersEngine)

        async def ask():
            gen = engine.submit([{"role": "user", "content": "Bonjour"}], 4)
            return "".join([p async for p in gen]), gen

        text, gen = asyncio.run(ask())
        assert gen.completion_tokens >= 1 and gen.finish_reason in ("stop", "length")
    finally:
        engine.close()


def test_auto_picks_llamacpp_for_a_gguf_when_the_package_is_there(stand_in, tiny_gguf):
    engine = make_engine(str(tiny_gguf), engine="auto", device="cpu")
    try:
        assert isinstance(engine, LlamaCppEngine) and engine.llm.model_path == str(tiny_gguf)
    finally:
        engine.close()


def test_queue_stream_cancel_and_usage_against_the_stand_in(stand_in, tiny_gguf):
    engine = LlamaCppEngine(str(tiny_gguf), n_ctx=256, queue_size=1)
    llm = engine.llm
    ask = [{"role": "user", "content": "un deux trois quatre"}]

    async def run():
        first = engine.submit(ask, 3)
        while not llm.running:  # the worker took the first one
            await asyncio.sleep(0.005)
        second = engine.submit(ask, 10)  # waits: queue_size counts waiting requests only
        with pytest.raises(QueueFull):
            engine.submit(ask, 10)
        assert (engine.active, engine.queue_depth) == (1, 1)
        it = first.__aiter__()
        llm.tokens.release()
        assert await it.__anext__() == "w0 "  # streamed before the next token is allowed
        assert first.finish_reason is None
        llm.tokens.release(2)
        rest = [p async for p in it]
        llm.tokens.release()
        got = await second.__aiter__().__anext__()
        second.cancel()
        llm.tokens.release()  # the stand-in yields one more chunk; the engine sees the cancel and closes the stream
        await asyncio.wait_for(_drain(second), 10)
        third = engine.submit(ask, 10)
        llm.tokens.release(4)
        third_text = "".join([p async for p in third])
        fourth = engine.submit(ask, 10)  # holds the worker: no permit yet
        while not llm.running:
            await asyncio.sleep(0.005)
        fifth = engine.submit(ask, 10)
        closing = asyncio.get_running_loop().run_in_executor(None, engine.close)
        while not engine._closed:  # close() has begun (it then waits for the running request)
            await asyncio.sleep(0.005)
        llm.tokens.release(4)  # the running request finishes; the waiting one is told the engine closed
        await closing
        fourth_text = "".join([p async for p in fourth])
        with pytest.raises(EngineUnavailable):
            await asyncio.wait_for(_drain(fifth), 10)
        return first, rest, second, got, third, third_text, fourth_text

    try:
        first, rest, second, got, third, third_text, fourth_text = asyncio.run(run())
    finally:
        engine.close()
    # the prompt is the transformers engine's: chatforge's chat template over the GGUF's own vocabulary
    assert llm.prompts[0] == engine.encode(ask) and first.prompt_tokens == len(engine.encode(ask))
    assert rest == ["w1 ", "w2 "] and first.finish_reason == "length" and first.completion_tokens == 3
    assert got == "w0 " and second.finish_reason == "cancelled" and second.completion_tokens <= 2
    # "w0 w1 w2 " then a token with no text yet: four tokens
    assert third_text == fourth_text == "w0 w1 w2 " and third.completion_tokens == 4 and third.finish_reason == "stop"
    assert llm.most_running == 1 and llm.running == 0 and llm.closed_streams == 4


async def _drain(gen):
    return [p async for p in gen]


@pytest.mark.skipif(not llamacpp_available(), reason="llama-cpp-python is not installed (pip install chatforge[gguf])")
def test_real_llama_cpp_streams_and_counts_every_token(gguf_cache, tiny_gguf):
    engine = LlamaCppEngine(str(tiny_gguf), n_ctx=256, queue_size=4)

    async def run():
        gens = [engine.submit([{"role": "user", "content": f"Bonjour {i}"}], 8) for i in range(2)]
        return [await _drain(g) for g in gens], gens

    try:
        pieces, gens = asyncio.run(run())
    finally:
        engine.close()
    for i, (gen, parts) in enumerate(zip(gens, pieces)):
        assert parts and gen.prompt_tokens == len(engine.encode([{"role": "user", "content": f"Bonjour {i}"}]))
        # every generated token counted, including those whose text llama.cpp held back (empty chunks)
        assert gen.finish_reason == "stop" or (gen.finish_reason == "length" and gen.completion_tokens == 8)
