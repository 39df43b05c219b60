"""Hot swap: a server on `registry:NAME@production` picks up a promotion without dropping the stream in flight."""

from __future__ import annotations

import threading
import time

import openai
import pytest

from chatforge.registry.versions import Registry
from chatforge.serve.engines import TransformersEngine
from chatforge.serve.model_watch import RegistryEngine
from chatforge.store.database import Message
from tests.pipeline.tiny_versions import fresh_registry, tiny_version

Q = [{"role": "user", "content": "Combien coûte un bagage en soute ?"}]


@pytest.fixture
def registry(tmp_path) -> Registry:
    reg = fresh_registry(tmp_path / "registry")
    for seed in (1, 2):  # same tokenizer, different weights: different greedy answers
        reg.register("hs", tiny_version(tmp_path / f"v{seed}", seed=seed))
    reg.promote("hs", 1, force=True, reason="first version")
    return reg


def wait_for(cond, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_promotion_is_picked_up_while_a_stream_in_flight_completes_on_the_old_version(serve, registry):
    # version 1's engine holds each request 2 s in its queue (batch_wait_s) before decoding: the stream is
    # certainly unfinished when version 2, loaded within ~0.1-0.5 s of the promotion, is swapped in
    engines: list[TransformersEngine] = []

    def make(path):
        engines.append(TransformersEngine(path, max_batch=4, queue_size=8, batch_wait_s=2.0 if not engines else 0.01))
        return engines[-1]

    watched = RegistryEngine("registry:hs@production", make, registry=registry, poll_s=0.1)
    try:
        server, store = serve(engines={"A": watched})
        key, _ = store.create_key("alice", ["public"])
        client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
        assert [m.id for m in client.models.list().data] == ["hs:1"]
        before = client.chat.completions.create(model="hs", messages=Q, max_tokens=12)
        assert before.model == "hs:1"

        first_chunk, result = threading.Event(), {}

        def stream():
            chunks = []
            for c in client.chat.completions.create(model="hs", messages=Q, max_tokens=12, stream=True):
                chunks.append(c)
                first_chunk.set()
            result["chunks"] = chunks

        t = threading.Thread(target=stream)
        t.start()
        assert first_chunk.wait(30)  # the request is on version 1's engine
        registry.promote("hs", 2, force=True, reason="hot swap test")
        wait_for(lambda: watched.version == 2)
        swap = watched.swaps[-1]
        assert swap["from"] == 1 and swap["to"] == 2 and swap["in_flight"] >= 1
        t.join(30)

        chunks = result["chunks"]
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert chunks[-1].choices[0].finish_reason in ("stop", "length")
        assert text == before.choices[0].message.content and {c.model for c in chunks} == {"hs:1"}

        after = client.chat.completions.create(model="hs", messages=Q, max_tokens=12)
        assert after.model == "hs:2" and after.choices[0].message.content != text
        assert [m.id for m in client.models.list().data] == ["hs:2"]
        with store.session() as s:
            answers = s.query(Message).filter(Message.role == "assistant").order_by(Message.id).all()
        assert [m.model for m in answers] == ["hs:1", "hs:1", "hs:2"]
        assert watched.wait_drained(10) and engines[0]._closed and not engines[1]._closed
    finally:
        watched.close()


def test_an_unreadable_alias_keeps_the_current_version_serving(registry):
    made = []
    watched = RegistryEngine(
        "registry:hs@production", lambda p: made.append(p) or _Fake(), registry=registry, watch=False
    )
    registry.client.delete_registered_model_alias("hs", "production")
    assert watched.check_now() is False and watched.version == 1 and watched.name == "hs:1" and len(made) == 1
    registry.set_alias("hs", "production", 2)
    assert watched.check_now() is True and watched.name == "hs:2" and made[-1] == registry.get("hs", 2).path


class _Fake:
    """Stands in for an engine where only the swap bookkeeping is under test (no generation)."""

    kind, queue_depth, active = "fake", 0, 0

    def close(self):
        self.closed = True
