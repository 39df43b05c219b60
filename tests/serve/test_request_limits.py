"""Request limits on the chat path, against a real server: body size before parsing, characters, context before
retrieval, 422s that render, cancel on disconnect, and no rows left by a refused or abandoned request."""

import json
import socket
import threading
import time

import httpx
import psutil

from chatforge.store.database import Conversation, Message

Q = [{"role": "user", "content": "Combien coûte un bagage en soute ?"}]
BIG = 20 * 1024 * 1024  # a 20 MB request body


def rows(store) -> tuple[int, int]:
    with store.session() as s:
        return s.query(Conversation).count(), s.query(Message).count()


def wait_for(cond, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def _chat_body_pieces(size: int, piece: bytes = b"a" * 65536):
    """A chat request of `size` bytes whose content is one long message, yielded in 64 KB pieces (never held whole)."""
    head, tail = b'{"model": "m", "messages": [{"role": "user", "content": "', b'"}]}'
    yield head
    left = size - len(head) - len(tail)
    while left > 0:
        yield piece[:left]
        left -= len(piece)
    yield tail


def test_a_20mb_body_is_refused_before_it_is_read_and_healthz_stays_fast(serve):
    server, store = serve()
    key, _ = store.create_key("big", ["public"])
    h = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    before_rows, rss_before = rows(store), psutil.Process().memory_info().rss
    results: dict = {}

    def send_big(name: str, headers: dict) -> None:
        t0 = time.perf_counter()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            r = http.post("/v1/chat/completions", headers=headers, content=_chat_body_pieces(BIG))
        results[name] = (r.status_code, r.json(), time.perf_counter() - t0)

    declared = threading.Thread(target=send_big, args=("declared", {**h, "Content-Length": str(BIG)}))
    chunked = threading.Thread(target=send_big, args=("chunked", h))  # no Content-Length: counted as it arrives
    declared.start()
    chunked.start()
    health = []
    with httpx.Client(base_url=server.url, timeout=10) as http:
        while declared.is_alive() or chunked.is_alive() or len(health) < 5:
            t0 = time.perf_counter()
            assert http.get("/healthz").status_code == 200
            health.append(time.perf_counter() - t0)
    declared.join()
    chunked.join()
    for name in ("declared", "chunked"):
        code, body, seconds = results[name]
        assert code == 413 and "max_body_bytes" in body["detail"] and seconds < 10, (name, code, body, seconds)
    assert max(health) < 1.0, f"/healthz took {max(health):.2f} s while the big requests were refused"
    assert rows(store) == before_rows  # nothing stored
    grown = (psutil.Process().memory_info().rss - rss_before) / 2**20
    assert grown < 15, f"the server grew by {grown:.0f} MB refusing two 20 MB bodies"


def test_character_limits_refuse_long_messages_before_anything_is_stored(serve):
    server, store = serve(max_message_chars=1000, max_total_chars=1500)
    key, _ = store.create_key("long", ["public"])
    before = rows(store)
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        one = [{"role": "system", "content": "court"}, {"role": "user", "content": "x" * 1001}]
        r = http.post("/v1/chat/completions", json={"model": "m", "messages": one})
        assert r.status_code == 413
        assert (
            r.json()["detail"].startswith("messages[1].content: 1001 characters")
            and "max_message_chars" in r.json()["detail"]
        )
        many = [
            {"role": "user", "content": "x" * 800},
            {"role": "assistant", "content": "y" * 800},
            {"role": "user", "content": "bagage ?"},
        ]
        r = http.post("/v1/chat/completions", json={"model": "m", "messages": many, "stream": True})
        assert (
            r.status_code == 413
            and "1608 characters in all" in r.json()["detail"]
            and "max_total_chars" in r.json()["detail"]
        )
        parts = [{"role": "user", "content": [{"type": "text", "text": "z" * 1200}]}]  # OpenAI content parts count too
        assert http.post("/v1/chat/completions", json={"model": "m", "messages": parts}).status_code == 413
        assert http.post("/v1/chat/completions", json={"model": "m", "messages": Q, "max_tokens": 2}).status_code == 200
    assert rows(store) == (before[0] + 1, before[1] + 2)  # only the accepted request was stored


class CountingGrounding:
    """The real grounding, counting the retrievals it ran."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def ground(self, *args):
        self.calls += 1
        return self.inner.ground(*args)

    def __getattr__(self, name):  # finish, verify_cfg: the real grounding's
        return getattr(self.inner, name)

    def close(self) -> None:
        pass


def test_context_too_long_is_refused_before_retrieval_or_storage(serve, grounding):
    spy = CountingGrounding(grounding)
    server, store = serve(grounding=spy)
    key, _ = store.create_key("ctx", ["public"])
    before = rows(store)
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        too_long = [{"role": "user", "content": "bagage " * 400}]
        for stream in (False, True):
            r = http.post("/v1/chat/completions", json={"model": "m", "messages": too_long, "stream": stream})
            assert r.status_code == 400 and "context limit is 256 tokens" in r.json()["detail"]
        r = http.post("/v1/chat/completions", json={"model": "m", "messages": Q, "max_tokens": 250})
        assert r.status_code == 400  # the question fits, the answer it asks for does not
    assert spy.calls == 0 and rows(store) == before


def test_nan_infinity_surrogates_and_huge_ids_are_422_that_render(serve):
    server, store = serve()
    key, _ = store.create_key("odd", ["public"])
    h = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    msgs = json.dumps(Q)
    bad = [  # (the field named, raw JSON): Python's json accepts NaN, Infinity and lone surrogates: the server gets them
        ("temperature", f'{{"model": "m", "messages": {msgs}, "temperature": NaN}}'),
        ("top_p", f'{{"model": "m", "messages": {msgs}, "top_p": -Infinity}}'),
        ("content", '{"model": "m", "messages": [{"role": "user", "content": "bagage \\ud800 soute"}]}'),
        ("content", '{"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "\\udfff"}]}]}'),
        ("content", '{"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": 7}]}]}'),
        ("conversation_id", f'{{"model": "m", "messages": {msgs}, "conversation_id": {2**63}}}'),
        ("regenerate_of", f'{{"model": "m", "messages": {msgs}, "conversation_id": 1, "regenerate_of": {2**64}}}'),
    ]
    before = rows(store)
    with httpx.Client(base_url=server.url, headers=h, timeout=30) as http:
        for field, body in bad:
            r = http.post("/v1/chat/completions", content=body.encode())
            assert r.status_code == 422, (field, r.status_code, r.text)
            assert field in json.dumps(r.json()["detail"][0]["loc"]), (field, r.json())
            assert r.headers.get("connection") != "close"  # the keep-alive connection survives
        r = http.post(
            "/v1/chat/completions", content=f'{{"model": "m", "messages": {msgs}, "conversation_id": {2**63 - 1}}}'
        )
        assert r.status_code == 404  # the largest id is valid, just not there
    assert rows(store) == before


def open_stream(http, body: dict):
    """Open a stream and read its first chunk: (the open response context, its line reader, the conversation id)."""
    cm = http.stream("POST", "/v1/chat/completions", json=body)
    resp = cm.__enter__()
    assert resp.status_code == 200
    lines = resp.iter_lines()  # kept by the caller: dropping the reader would close the connection
    for line in lines:
        if '"role"' in line:
            return cm, lines, json.loads(line[5:])["conversation_id"]


def test_refused_and_abandoned_requests_leave_no_rows(serve, long_engine):
    server, store = serve(engines={"A": long_engine}, max_tokens_cap=4000)
    key, _ = store.create_key("orphans", ["public"])
    other, _ = store.create_key("someone", ["public"])
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        first = http.post("/v1/chat/completions", json={"model": "m", "messages": Q, "max_tokens": 2}).json()
        conv = first["conversation_id"]
        base = rows(store)
        assert base == (1, 2)
        refused = [  # (body, status)
            ({"model": "m", "messages": Q, "conversation_id": conv, "regenerate_of": 999_999}, 404),
            ({"model": "m", "messages": Q, "regenerate_of": first["message_id"]}, 404),  # no conversation named
            ({"model": "m", "messages": Q, "conversation_id": conv, "regenerate_of": first["message_id"] - 1}, 404),
            ({"model": "m", "messages": [{"role": "user", "content": "bagage " * 3000}]}, 400),
        ]
        for body, status in refused:
            for stream in (False, True):
                r = http.post("/v1/chat/completions", json={**body, "stream": stream})
                assert r.status_code == status, (body, stream, r.text)
                assert rows(store) == base, (body, stream)
        r = httpx.post(
            server.url + "/v1/chat/completions",
            headers={"Authorization": f"Bearer {other}"},
            json={"model": "m", "messages": Q, "conversation_id": conv},
        )
        assert r.status_code == 404 and rows(store) == base  # someone else's conversation

        # the only slot busy (max_batch 1) and the queue full (queue_size 1): a third request is a 503 that writes nothing
        long = {"model": "m", "messages": Q, "max_tokens": 3000, "stream": True}
        decoding, _reader1, new_conv = open_stream(http, long)
        wait_for(lambda: long_engine.active and not long_engine.queue_depth, 10, "the first stream did not start")
        waiting, _reader2, same_conv = open_stream(http, {**long, "conversation_id": conv})
        assert same_conv == conv and rows(store) == (base[0] + 1, base[1] + 2)  # both streams named their rows
        wait_for(lambda: long_engine.queue_depth == 1, 10, "the second stream did not queue")
        for stream in (False, True):
            r = http.post("/v1/chat/completions", json={**long, "stream": stream})
            assert r.status_code == 503 and "retry-after" in r.headers
            assert rows(store) == (base[0] + 1, base[1] + 2)
        waiting.__exit__(None, None, None)  # both clients hang up before their answers
        decoding.__exit__(None, None, None)
        wait_for(lambda: not long_engine.active and not long_engine.queue_depth, 10, "generation kept running")
        wait_for(lambda: rows(store) == base, 5, "the abandoned streams left rows")
        assert [m.role for m in store.messages(conv)] == ["user", "assistant"]  # the earlier turn is untouched
        assert all(c["id"] != new_conv for c in store.conversations())


def test_a_json_request_stops_generating_when_its_client_leaves(serve, long_engine):
    server, store = serve(engines={"A": long_engine}, max_tokens_cap=4000)
    key, _ = store.create_key("leaver", ["public"])
    body = json.dumps({"model": "m", "messages": Q, "max_tokens": 3000}).encode()
    before = rows(store)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer "
            + key.encode()
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )
        wait_for(lambda: long_engine.active, 10, "generation did not start")
        t0 = time.perf_counter()
    # the socket is closed: the slot frees within a poll and a decode step, not after 3000 tokens (3 s or more here)
    wait_for(lambda: not long_engine.active, 10, "generation kept running after the client left")
    freed_after = time.perf_counter() - t0
    assert freed_after < 2, f"the generation ran {freed_after:.1f} s after its client left"
    time.sleep(0.3)
    assert rows(store) == before  # nothing of the abandoned turn is kept, as for an abandoned stream
    r = httpx.post(
        server.url + "/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": "m", "messages": Q, "max_tokens": 2},
        timeout=30,
    )
    assert r.status_code == 200  # the single slot serves the next request
