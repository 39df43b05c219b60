import asyncio
import time

import httpx
import openai
import pytest

from chatforge.serve.engines import QueueFull, RemoteEngine


def _q(i: int) -> list[dict]:
    return [{"role": "user", "content": f"question {i}: " + "bagage " * (i + 1)}]


async def _collect(gen) -> str:
    return "".join([piece async for piece in gen])


def test_concurrent_requests_are_batched_and_match_one_at_a_time(engine_a):
    async def run():
        before = sum(n for size, n in engine_a.batch_sizes.items() if size > 1)
        gens = [engine_a.submit(_q(i), 12) for i in range(6)]
        together = await asyncio.gather(*[_collect(g) for g in gens])
        batched = sum(n for size, n in engine_a.batch_sizes.items() if size > 1) - before
        alone = [await _collect(engine_a.submit(_q(i), 12)) for i in range(6)]
        return together, alone, batched, [g.prompt_tokens for g in gens]

    together, alone, batched, prompts = asyncio.run(run())
    assert batched >= 1  # at least one multi-row batch ran
    assert together == alone  # left padding + attention mask: batching does not change greedy answers
    assert prompts == sorted(prompts) and len(set(prompts)) == 6


def test_cancel_frees_the_slot_and_full_queue_is_refused(long_engine):
    async def run():
        t0 = time.perf_counter()
        gen = long_engine.submit(_q(1), 3000)
        async for _ in gen:  # decoding has started: gen holds the only slot (max_batch 1)
            break
        waiting = long_engine.submit(_q(2), 3000)  # queue_size 1: this one waits
        with pytest.raises(QueueFull):
            long_engine.submit(_q(3), 5)
        gen.cancel()
        waiting.cancel()
        rest = await _collect(gen)
        await _collect(waiting)
        return gen, waiting, time.perf_counter() - t0, rest

    gen, waiting, seconds, _ = asyncio.run(run())
    assert gen.finish_reason == "cancelled" and gen.completion_tokens < 3000
    assert waiting.finish_reason == "cancelled" and waiting.completion_tokens == 0
    deadline = time.monotonic() + 5
    while long_engine.active or long_engine.queue_depth:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_client_disconnect_mid_stream_cancels_generation(serve, long_engine):
    server, store = serve(engines={"A": long_engine}, max_tokens_cap=4000)
    key, _ = store.create_key("quitter", ["public"])
    body = {"model": "m", "messages": _q(0), "max_tokens": 3000, "stream": True}
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        with http.stream("POST", "/v1/chat/completions", json=body) as resp:
            assert resp.status_code == 200
            for line in resp.iter_lines():
                if '"content"' in line and '"role"' not in line:
                    break  # one generated piece received: hang up
        deadline = time.monotonic() + 5
        while long_engine.active:  # the slot frees within a few decode steps, not after 3000 tokens
            assert time.monotonic() < deadline, "generation kept running after the client left"
            time.sleep(0.01)
        r = http.post("/v1/chat/completions", json={"model": "m", "messages": _q(0), "max_tokens": 2})
        assert r.status_code == 200  # the single slot serves the next request
    with store.session() as s:
        from chatforge.store.database import Message

        answers = s.query(Message).filter(Message.role == "assistant").all()
    assert len(answers) == 1 and answers[0].completion_tokens <= 2  # the abandoned answer was never acknowledged


def test_backend_url_forwards_to_an_openai_compatible_server(serve, tmp_path, engine_a):
    backend, backend_store = serve()
    backend_key, _ = backend_store.create_key("gateway", ["public"])
    front, front_store = serve(
        engines={"A": RemoteEngine(backend.url, backend_key, model="tiny-a")}, db=str(tmp_path / "front.db")
    )
    key, _ = front_store.create_key("alice", ["public"])
    client = openai.OpenAI(base_url=front.url + "/v1", api_key=key)
    direct = openai.OpenAI(base_url=backend.url + "/v1", api_key=backend_key)
    q = [{"role": "user", "content": "Bonjour"}]
    want = direct.chat.completions.create(model="tiny-a", messages=q, max_tokens=6)
    got = client.chat.completions.create(model="tiny-a", messages=q, max_tokens=6)
    assert got.choices[0].message.content == want.choices[0].message.content
    assert (
        got.usage.prompt_tokens == want.usage.prompt_tokens
        and got.usage.completion_tokens == want.usage.completion_tokens
    )
    chunks = list(
        client.chat.completions.create(
            model="tiny-a", messages=q, max_tokens=6, stream=True, stream_options={"include_usage": True}
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == want.choices[0].message.content
    assert chunks[-1].usage.total_tokens == want.usage.total_tokens
    assert len(front_store.conversations()) == 2  # chatforge keeps its own records in front of the backend


def test_serve_cli_with_backend_url_generates_on_another_chatforge(serve, tmp_path):
    """The scale-out recipe `chatforge serve --backend-url URL`, run as a real process, in front of a chatforge server."""
    import json
    import subprocess
    import sys

    from chatforge.store.database import Store
    from tests.serve.conftest import free_port

    backend, backend_store = serve()
    backend_key, _ = backend_store.create_key("gateway", ["public"])
    front_db = tmp_path / "front.db"
    front_store = Store(str(front_db))
    key, _ = front_store.create_key("alice", ["public"])
    front_store.close()
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "serve",
            "--backend-url",
            backend.url + "/v1",
            "--model",
            "tiny-a",
            "--port",
            str(port),
            "--db",
            str(front_db),
            "--set",
            f"backend_key={backend_key}",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "front.log").open("w"),
        text=True,
    )
    try:
        started = json.loads(proc.stdout.readline())  # --json: the first line, before uvicorn starts
        assert started["ok"] and started["engines"] == {"A": "remote"}
        front = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=key, max_retries=0)
        direct = openai.OpenAI(base_url=backend.url + "/v1", api_key=backend_key, max_retries=0)
        deadline = time.monotonic() + 30
        while True:
            try:
                assert [m.id for m in front.models.list().data] == ["tiny-a"]
                break
            except openai.APIConnectionError:
                assert time.monotonic() < deadline and proc.poll() is None, "front server did not start"
                time.sleep(0.2)
        q = [{"role": "user", "content": "Bagage en soute ?"}]
        want = direct.chat.completions.create(model="tiny-a", messages=q, max_tokens=7)
        got = front.chat.completions.create(model="tiny-a", messages=q, max_tokens=7)
        chunks = list(
            front.chat.completions.create(
                model="tiny-a", messages=q, max_tokens=7, stream=True, stream_options={"include_usage": True}
            )
        )
    finally:
        proc.terminate()
        proc.wait(20)
    assert got.choices[0].message.content == want.choices[0].message.content
    assert (got.usage.prompt_tokens, got.usage.completion_tokens) == (
        want.usage.prompt_tokens,
        want.usage.completion_tokens,
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == want.choices[0].message.content
    assert sum(len(c.choices) > 0 and bool(c.choices[0].delta.content) for c in chunks) >= 2  # streamed piece by piece
    assert chunks[-1].usage.total_tokens == want.usage.total_tokens
    # the backend generated the front's 2 answers (under the gateway's key, besides the direct one); the front kept its own
    assert len(backend_store.conversations()) == 3
    front_store = Store(str(front_db))
    assert [c["user"] for c in front_store.conversations()] == ["alice", "alice"]
    front_store.close()
