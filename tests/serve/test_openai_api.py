import httpx
import openai

from chatforge.store.database import Message

Q = [{"role": "user", "content": "Combien coûte un bagage en soute ?"}]


def test_openai_client_non_streaming_and_streaming_with_usage(serve, engine_a):
    server, store = serve()
    key, _ = store.create_key("alice", ["public"])
    client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
    assert [m.id for m in client.models.list().data] == ["tiny-a"]
    n_prompt = len(engine_a.encode(Q))

    reply = client.chat.completions.create(model="tiny-a", messages=Q, max_tokens=7)
    assert reply.object == "chat.completion" and reply.choices[0].message.role == "assistant"
    assert reply.usage.prompt_tokens == n_prompt
    assert 1 <= reply.usage.completion_tokens <= 7
    assert reply.usage.total_tokens == n_prompt + reply.usage.completion_tokens
    assert reply.choices[0].finish_reason in ("stop", "length")

    chunks = list(
        client.chat.completions.create(
            model="tiny-a", messages=Q, max_tokens=5, stream=True, stream_options={"include_usage": True}
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes in (["length"], ["stop"])
    assert chunks[-1].choices == [] and chunks[-1].usage.prompt_tokens == n_prompt
    assert 1 <= chunks[-1].usage.completion_tokens <= 5
    assert text == reply.choices[0].message.content[: len(text)]  # greedy: the stream is a prefix of the longer answer

    with store.session() as s:  # both questions and both answers are in the database
        rows = s.query(Message).order_by(Message.id).all()
    assert [m.role for m in rows] == ["user", "assistant", "user", "assistant"]
    assert rows[3].content == text and rows[3].completion_tokens == chunks[-1].usage.completion_tokens
    assert rows[1].model == "tiny-a" and rows[1].variant == "A"


def test_auth_401_403_and_validation(serve):
    server, store = serve()
    user_key, _ = store.create_key("bob", ["support"])
    admin_key, _ = store.create_key("root", ["admin"])
    with httpx.Client(base_url=server.url) as http:
        assert http.get("/v1/models").status_code == 401
        assert http.get("/v1/models", headers={"Authorization": "Bearer cf_wrong"}).status_code == 401
        r = http.post("/v1/chat/completions", json={"model": "x", "messages": Q})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        h = {"Authorization": f"Bearer {user_key}"}
        for path in ("/v1/admin/conversations", "/v1/admin/ab", "/v1/admin/feedback/export"):
            assert http.get(path, headers=h).status_code == 403
            assert http.get(path, headers={"Authorization": f"Bearer {admin_key}"}).status_code == 200
        r = http.post("/v1/chat/completions", headers=h, json={"model": "x", "messages": "nope"})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "messages"]
        r = http.post("/v1/chat/completions", headers=h, content=b"{not json")
        assert r.status_code == 422
        too_long = [{"role": "user", "content": "bagage " * 400}]
        r = http.post("/v1/chat/completions", headers=h, json={"model": "x", "messages": too_long})
        assert r.status_code == 400 and "context limit is 256 tokens" in r.json()["detail"]
        assert http.get("/healthz").json()["ok"] is True
        assert "/v1/chat/completions" in http.get("/openapi.json").json()["paths"]
    # a revoked key stops working
    key_id = store.list_keys()[0]["id"]
    assert store.revoke_key(key_id)
    with httpx.Client(base_url=server.url) as http:
        assert http.get("/v1/models", headers={"Authorization": f"Bearer {user_key}"}).status_code == 401


def test_max_tokens_capped_and_metrics_count_requests(serve):
    server, store = serve(max_tokens_cap=3, public_metrics=True)  # /metrics read without a key
    key, _ = store.create_key("carol", ["public"])
    client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
    for _ in range(2):
        reply = client.chat.completions.create(model="tiny-a", messages=Q, max_tokens=50)
        assert reply.usage.completion_tokens <= 3
    text = httpx.get(server.url + "/metrics").text
    assert 'chatforge_requests_total{code="200",endpoint="/v1/chat/completions"} 2.0' in text
    assert "chatforge_time_to_first_token_seconds_count" in text and "chatforge_queue_depth" in text
    assert 'chatforge_generated_tokens_total{model="tiny-a",variant="A"}' in text
    httpx.get(server.url + "/v1/models")
    assert 'chatforge_errors_total{code="401"} 1.0' in httpx.get(server.url + "/metrics").text


def test_rate_limit_answers_429_with_retry_after(serve):
    server, store = serve(rate_limit_per_minute=2)
    key, _ = store.create_key("dave", ["public"])
    h = {"Authorization": f"Bearer {key}"}
    codes = [httpx.get(server.url + "/v1/models", headers=h) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429] and int(codes[2].headers["retry-after"]) >= 1
