"""Who sees which annotation item: campaign members only, and only items whose quoted documents their key roles may read.

Real parts: a role-labelled index, a real server grounding answers under each key's roles (an echo engine, so the
answer quotes the passages it was given), `annotate create --from-feedback` through the CLI, and the annotation
router on loopback with keys of different roles.
"""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select
from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import Generation
from chatforge.store.annotation import Item, readable
from tests.serve.conftest import LiveServer, role_index  # noqa: F401  (role_index: the fixture)

CARD, EMAIL = "4970 1012 3456 7893", "jeanne.martin@example.fr"


class EchoEngine:
    """Answers with the grounded question it was given: the answer quotes every passage the caller could read."""

    name = kind = "echo"
    queue_depth = active = 0

    def submit(self, messages, max_tokens, temperature, top_p):
        gen = Generation(1, max_tokens, temperature, top_p, messages)
        gen.completion_tokens, gen.finish_reason = 1, "stop"
        gen.push("Vous avez écrit : " + messages[-1]["content"])
        gen.push(None)
        return gen


def _ask(url: str, key: str, question: str) -> dict:
    r = httpx.post(
        f"{url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
        json={"model": "echo", "messages": [{"role": "user", "content": question}]},
    )
    assert r.status_code == 200, r.text
    return r.json()


def _served_conversations(store, role_index):  # noqa: F811  (the fixture imported above)
    """A finance question, a support question (each grounded under its key's roles), and one answered without RAG."""
    from chatforge.rag.grounding import GroundingBuilder

    grounding = GroundingBuilder.open(role_index)
    server = LiveServer(
        create_app(ServeConfig(db=store.url), store=store, engines={"A": EchoEngine()}, grounding=grounding)
    )
    try:
        fin = _ask(
            server.url,
            store.create_key("fiona", ["finance"])[0],
            f"Quel est le budget vélo interne ? Ma carte {CARD}, écrivez à {EMAIL}",
        )
        sup = _ask(server.url, store.create_key("sam", ["support"])[0], "Mon vélo est abîmé, que faire ?")
    finally:
        server.stop()
        grounding.close()  # releases the index lock: the campaign reads the roles from the index
    assert any("fin.md" in s for s in fin["sources"]) and any("support.md" in s for s in sup["sources"])
    with store.session() as s:
        uid = store.user("paul", s).id
        s.commit()
    conv = store.conversation(uid, None, "Bonjour")
    q = store.add_message(conversation_id=conv.id, role="user", content="Bonjour, un vélo voyage-t-il en soute ?")
    store.add_message(
        conversation_id=conv.id,
        role="assistant",
        content="Oui, pour 50 euros.",
        model="m",
        variant="A",
        parent_id=q.id,
        prompt=[{"role": "user", "content": "Bonjour, un vélo voyage-t-il en soute ?"}],
    )
    return fin, sup


def test_feedback_campaign_items_follow_members_and_source_roles(store, tmp_path, role_index, live):  # noqa: F811
    _served_conversations(store, role_index)
    keys = {
        u: store.create_key(u, roles)[0]
        for u, roles in [
            ("ann_fin", ["annotator", "finance"]),
            ("ann_fin2", ["annotator", "finance"]),
            ("ann_sup", ["annotator", "support"]),
            ("ann_pub", ["annotator", "public"]),
            ("outsider", ["annotator", "finance", "support", "public"]),
            ("rev_sup", ["reviewer", "support"]),
            ("rev_fin", ["reviewer", "finance"]),
            ("rev_out", ["reviewer", "finance"]),
        ]
    }
    db = str(tmp_path / "serve.db")
    base = ["annotate", "create", "--db", db, "--name", "fb", "--from-feedback", "--annotators-per-item", "4", "--json"]
    runner = CliRunner()
    res = runner.invoke(cli, base)
    assert res.exit_code == 2 and "--annotators" in json.loads(res.output.strip().splitlines()[-1])["error"]
    members = ["--annotators", "ann_fin,ann_fin2,ann_sup,ann_pub", "--reviewers", "rev_sup,rev_fin"]
    res = runner.invoke(cli, base + members)
    assert res.exit_code == 2 and "--index" in json.loads(res.output.strip().splitlines()[-1])["error"]
    res = runner.invoke(cli, base + members + ["--index", str(role_index)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output.strip().splitlines()[-1])
    assert summary["items"] == 3 and summary["redacted"]["CARD"] >= 1 and summary["redacted"]["EMAIL"] >= 1
    assert summary["annotators"] == ["ann_fin", "ann_fin2", "ann_sup", "ann_pub"] and summary["reviewers"] == [
        "rev_sup",
        "rev_fin",
    ]

    with store.session() as s:
        items = {it.id: it for it in s.scalars(select(Item))}
    kind = {
        i: ("fin" if "fin.md" in it.meta["documents"] else "sup" if "support.md" in it.meta["documents"] else "plain")
        for i, it in items.items()
    }
    assert sorted(kind.values()) == ["fin", "plain", "sup"]
    fin_item = next(i for i, k in kind.items() if k == "fin")
    assert ["finance"] in items[fin_item].meta["source_roles"]  # each item carries its sources' roles

    server = live()
    url = server.url + "/v1/annotate"
    h = lambda u: {"Authorization": f"Bearer {keys[u]}"}  # noqa: E731
    assert httpx.get(f"{url}/campaigns", headers=h("outsider")).json()["data"] == []  # not a member: not even listed
    assert httpx.get(f"{url}/campaigns/fb/next", headers=h("outsider")).status_code == 404
    seen = {}
    for user in ("ann_fin", "ann_fin2", "ann_sup", "ann_pub"):
        assert [c["name"] for c in httpx.get(f"{url}/campaigns", headers=h(user)).json()["data"]] == ["fb"]
        seen[user] = []
        while not (nxt := httpx.get(f"{url}/campaigns/fb/next", headers=h(user)).json()).get("done"):
            text = json.dumps(nxt, ensure_ascii=False)
            assert CARD not in text and CARD.replace(" ", "") not in text and EMAIL not in text  # redacted
            seen[user].append(kind[nxt["item_id"]])
            labels = [[a["label"]] for a in nxt["answers"]]
            assert (
                httpx.post(
                    f"{url}/items/{nxt['item_id']}/judgement", json={"ranking": labels}, headers=h(user)
                ).status_code
                == 200
            )
    assert {u: sorted(v) for u, v in seen.items()} == {
        "ann_fin": ["fin", "plain"],
        "ann_fin2": ["fin", "plain"],
        "ann_sup": ["plain", "sup"],
        "ann_pub": ["plain"],
    }
    r = httpx.post(f"{url}/items/{fin_item}/judgement", json={"ranking": [["A"]]}, headers=h("ann_pub"))
    assert r.status_code == 404

    dis = lambda u: httpx.get(f"{url}/campaigns/fb/disagreements", params={"all": "true"}, headers=h(u))  # noqa: E731
    assert sorted(kind[d["item_id"]] for d in dis("rev_fin").json()["data"]) == ["fin", "plain"]
    assert [kind[d["item_id"]] for d in dis("rev_sup").json()["data"]] == ["plain"]  # judged twice, but finance-only
    assert (
        dis("rev_out").status_code == 404 and httpx.get(f"{url}/campaigns", headers=h("rev_out")).json()["data"] == []
    )
    settle = lambda u, i: httpx.post(f"{url}/items/{i}/settle", json={"ranking": [["A"]]}, headers=h(u))  # noqa: E731
    assert settle("rev_sup", fin_item).status_code == 404 and settle("rev_fin", fin_item).status_code == 200
    most = httpx.get(f"{url}/campaigns/fb/report", headers=h("rev_sup")).json()["most_disagreement"]
    assert {kind[d["item_id"]]: d["prompt"] is None for d in most} == {"fin": True, "plain": False}
    assert httpx.get(f"{url}/campaigns/fb/report", headers=h("rev_out")).status_code == 404

    listed = runner.invoke(cli, ["annotate", "list", "--db", db, "--json"])
    camp = json.loads(listed.output.strip().splitlines()[-1])["campaigns"][0]
    assert camp["annotators"] == ["ann_fin", "ann_fin2", "ann_pub", "ann_sup"] and camp["reviewers"] == [
        "rev_fin",
        "rev_sup",
    ]


def test_listed_annotators_close_a_campaign_and_old_feedback_items_fail_closed(store, review_campaign, live):
    review_campaign(n=2)
    keys = {u: store.create_key(u, ["annotator"])[0] for u in ("alice", "bob")}
    server = live()

    def names(u):
        return [
            c["name"]
            for c in httpx.get(
                server.url + "/v1/annotate/campaigns", headers={"Authorization": f"Bearer {keys[u]}"}
            ).json()["data"]
        ]

    assert names("bob") == ["review"]  # no annotator listed: open to every annotator key
    from chatforge.annotate.campaign import assign

    assign(store, "review", ["alice"])
    assert names("alice") == ["review"] and names("bob") == []

    old = Item(campaign_id=1, source_index=0, position=0, prompt=[], meta={"id": "message:3"})  # made before roles
    assert not readable(old, "feedback", ["admin", "finance"]) and readable(old, "review", [])
    assert readable(Item(meta={"source_roles": [["finance"], ["public", "finance"]]}), "feedback", ["finance"])
    assert not readable(Item(meta={"source_roles": [["finance"], ["public"]]}), "feedback", ["public"])
