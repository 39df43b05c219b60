import json

import httpx
import openai
from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.serve.ab import assign, bucket, report
from chatforge.store.database import Feedback, Message

Q = [{"role": "user", "content": "Puis-je changer mon vol ?"}]


def test_ab_share_respected_and_sticky(tmp_path, serve, engine_a, engine_b):
    server, store = serve(b_share=0.5, engines={"A": engine_a, "B": engine_b})
    with store.session() as s:
        ids = [(store.user(f"user{i}", s).id, f"user{i}") for i in range(400)]
        s.commit()
    first = [assign(store, uid, name, 0.2) for uid, name in ids]
    share = first.count("B") / len(first)
    assert 0.15 < share < 0.25, share
    assert [assign(store, uid, name, 0.9) for uid, name in ids] == first  # sticky, even if the share changes

    # through the API: each user's answers all come from their variant's model, recorded per answer
    seen = {}
    for name in ("ann", "ben", "cat", "dan", "eve", "fay"):
        key, _ = store.create_key(name, ["public"])
        client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
        for _ in range(2):
            reply = client.chat.completions.create(model="any", messages=Q, max_tokens=2)
            seen.setdefault(name, set()).add((reply.model, reply.model_extra["variant"]))
    expected = {name: {("tiny-b", "B")} if bucket(name) < 0.5 else {("tiny-a", "A")} for name in seen}
    assert seen == expected and len({v for s in seen.values() for v in s}) == 2  # both arms used, each user stuck
    with store.session() as s:
        stored = {(m.model, m.variant) for m in s.query(Message).filter(Message.role == "assistant")}
    assert stored == {("tiny-a", "A"), ("tiny-b", "B")}


def test_feedback_stored_checked_and_exported(tmp_path, serve):
    server, store = serve()
    key, _ = store.create_key("fred", ["public"])
    other, _ = store.create_key("mallory", ["public"])
    client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
    first = client.chat.completions.create(model="m", messages=Q, max_tokens=6, temperature=1.5)
    conv, a1 = first.model_extra["conversation_id"], first.model_extra["message_id"]
    second = client.chat.completions.create(
        model="m", messages=Q, max_tokens=6, temperature=1.5, extra_body={"conversation_id": conv, "regenerate_of": a1}
    )
    a2 = second.model_extra["message_id"]
    assert second.model_extra["conversation_id"] == conv
    h = {"Authorization": f"Bearer {key}"}
    posts = [
        {"kind": "pick", "message_id": a2, "other_message_id": a1},
        {"kind": "thumb", "message_id": a2, "value": 1, "comment": "clear"},
        {"kind": "thumb", "message_id": a1, "value": -1},
        {"kind": "survey", "conversation_id": conv, "value": 4},
    ]
    for body in posts:
        r = httpx.post(server.url + "/v1/feedback", json=body, headers=h)
        assert r.status_code == 200 and r.json()["stored"], r.text
    stranger = httpx.post(server.url + "/v1/feedback", json=posts[1], headers={"Authorization": f"Bearer {other}"})
    assert stranger.status_code == 404  # nobody rates someone else's answers
    bad = httpx.post(server.url + "/v1/feedback", json={"kind": "thumb", "message_id": a1, "value": 5}, headers=h)
    assert bad.status_code == 422
    with store.session() as s:
        assert [f.kind for f in s.query(Feedback).order_by(Feedback.id)] == ["pick", "thumb", "thumb", "survey"]
        assert s.get(Message, a2).regenerates == a1 and s.get(Message, a2).parent_id == s.get(Message, a1).parent_id

    runner = CliRunner()
    db = str(tmp_path / "serve.db")
    out = {}
    for fmt in ("sft", "dpo", "kto"):
        res = runner.invoke(
            cli, ["feedback", "export", "--db", db, "--format", fmt, "--out", str(tmp_path / f"{fmt}.jsonl"), "--json"]
        )
        assert res.exit_code == 0, res.output
        out[fmt] = [json.loads(line) for line in (tmp_path / f"{fmt}.jsonl").read_text().splitlines()]
    answer2 = second.choices[0].message.content
    assert out["sft"] == [{"messages": Q + [{"role": "assistant", "content": answer2}], "message_id": a2}]
    assert answer2 != first.choices[0].message.content  # sampled at temperature 1.5
    assert [(r["chosen_id"], r["rejected_id"]) for r in out["dpo"]] == [(a2, a1)]
    assert out["dpo"][0]["prompt"] == Q and out["dpo"][0]["chosen"][0]["content"] == answer2
    assert sorted((r["message_id"], r["label"]) for r in out["kto"]) == [(a1, False), (a2, True)]

    rep = report(store)
    assert rep["variants"]["A"]["thumbs"] == 2 and rep["variants"]["A"]["thumbs_up_rate"] == 0.5
    assert rep["variants"]["A"]["survey_mean"] == 4 and rep["variants"]["A"]["regenerate_rate"] == 0.5
    admin_key, _ = store.create_key("boss", ["admin"])
    r = httpx.get(
        server.url + "/v1/admin/feedback/export",
        params={"format": "kto"},
        headers={"Authorization": f"Bearer {admin_key}"},
    )
    assert r.json()["count"] == 2
    res = runner.invoke(cli, ["ab", "report", "--db", db, "--json"])
    assert json.loads(res.output.strip().splitlines()[-1])["verdict"].startswith("not enough data")
