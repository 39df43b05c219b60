"""The operator console's API on a real server: admin only, the CLI's promotion gate, keys, reports, inbox, audit."""

from __future__ import annotations

import json
import shutil

import httpx
import openai
import pytest

from chatforge.eval.generations import GenerationLog
from chatforge.registry.versions import Registry
from chatforge.serve import console, console_reports, console_runs
from chatforge.serve.engines import TransformersEngine
from chatforge.serve.model_watch import RegistryEngine
from chatforge.store.annotation import Campaign, Item
from tests.conftest import write_jsonl
from tests.pipeline.tiny_versions import crafted_report, fresh_registry, tiny_version

API = console.PREFIX
F1 = {1: 0.4, 2: 0.5, 3: 0.2}  # version -> token_f1 of its evaluation: 2 beats 1, 3 fails a 0.3 gate


@pytest.fixture(scope="module")
def built_registry(tmp_path_factory):
    """Three registered versions of `hs` (version 1 in production) and their evaluations, made once per module."""
    root = tmp_path_factory.mktemp("console")
    reg = fresh_registry(root / "registry")
    for v, f1 in F1.items():
        report = crafted_report(root / "runs" / f"eval-v{v}" / "report.json", f"hs-v{v}", token_f1=f1)
        reg.register("hs", tiny_version(root / f"m{v}", seed=v), eval_report=report)
    reg.promote("hs", 1, force=True, reason="first version")
    return root


@pytest.fixture
def console_app(serve, tmp_path, built_registry):
    """A server on registry:hs@production (a fresh copy of the registry), an admin key, an empty runs folder."""
    shutil.copytree(built_registry / "registry", tmp_path / "registry")  # versions' files stay in the original
    reg = Registry(tmp_path / "registry", create=False)
    watched = RegistryEngine(
        "registry:hs@production", lambda p: TransformersEngine(p, max_batch=2, queue_size=4), registry=reg, poll_s=0
    )  # no watcher: the console makes the server re-read the alias
    server, store = serve(engines={"A": watched})
    server.app.state.console_runs = str(tmp_path / "runs")
    key, _ = store.create_key("root", ["admin"])
    yield server, store, reg, key
    watched.close()


def client(server, key: str | None) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"} if key else {}, timeout=60)


def console_routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the console's routers, with ids filled in."""
    out = []
    for r in [*console.router.routes, *console_reports.router.routes, *console_runs.router.routes]:
        path = r.path.replace("{name}", "hs").replace("{key_id}", "1")
        out += [(m, path) for m in sorted(r.methods - {"HEAD"})]
    return out


def test_every_console_route_is_refused_to_a_non_admin_key_and_the_api_to_no_key(console_app):
    server, store, _, admin_key = console_app
    user_key, _ = store.create_key("eve", ["support", "annotator", "reviewer"])
    routes = console_routes()
    assert {p for _, p in routes} >= {
        "/console",
        f"{API}/registry",
        f"{API}/keys",
        f"{API}/registry/hs/promote",
        f"{API}/reports/compare",
        f"{API}/inbox",
        f"{API}/campaigns",
        f"{API}/audit",
        f"{API}/runs",
        f"{API}/runs/start",
        f"{API}/runs/stop",
        f"{API}/runs/log",
    }
    with client(server, user_key) as eve, client(server, None) as anon, client(server, admin_key) as root:
        for method, path in routes:
            assert eve.request(method, path, json={}).status_code == 403, (method, path)
            if path.startswith(API):
                assert anon.request(method, path, json={}).status_code == 401, (method, path)
        assert eve.get("/console/static/console.js").status_code == 403
        page = anon.get("/console")  # the sign-in page itself holds no data
        assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
        assert root.get("/console").status_code == 200 and root.get("/console/static/console.js").status_code == 200
        assert root.get("/console/static/..%2Fapp.js").status_code == 404
        assert root.get(f"{API}/audit").json()["data"] == []  # nothing eve tried was done


def test_promotion_goes_through_the_cli_gate_moves_serving_and_is_audited(console_app):
    server, store, reg, key = console_app
    models = openai.OpenAI(base_url=server.url + "/v1", api_key=key).models
    assert [m.id for m in models.list().data] == ["hs:1"]
    with client(server, key) as root:
        assert root.post(f"{API}/registry/hs/gate", json={"gate": "token_f1=oops"}).status_code == 400
        assert root.post(f"{API}/registry/hs/gate", json={"gate": "token_f1=0.3"}).json()["gate"] == {"token_f1": 0.3}
        view = root.get(f"{API}/registry").json()
        hs = view["models"][0]
        assert hs["production"] == 1 and [v["version"] for v in hs["versions"]] == [3, 2, 1]
        v3 = hs["versions"][0]
        assert v3["lineage"]["base"] == "tiny-base" and v3["gate_check"]["passed"] is False
        assert view["serving"]["A"]["name"] == "hs:1"

        refused = root.post(f"{API}/registry/hs/promote", json={"version": 3}).json()
        assert refused["promoted"] is False and refused["reason"].startswith("gate failed: token_f1 (plain) = 0.2")
        assert refused["comparison"] == [
            {
                "variant": "plain",
                "metric": "token_f1",
                "production": 0.4,
                "candidate": 0.2,
                "delta": -0.2,
                "verdict": "worse",
            }
        ]
        assert reg.get("hs", "production").version == 1 and [m.id for m in models.list().data] == ["hs:1"]

        done = root.post(f"{API}/registry/hs/promote", json={"version": 2}).json()
        assert done["promoted"] and done["serving"] == ["hs:2"] and done["previous"] == 1
        assert Registry(reg.uri).get("hs", "production").version == 2
        assert [m.id for m in models.list().data] == ["hs:2"]
        assert httpx.get(server.url + "/healthz").json()["models"]["A"] == "hs:2"

        back = root.post(f"{API}/registry/hs/rollback", json={}).json()
        assert back["promoted"] and back["version"] == 1 and back["forced"]
        assert [m.id for m in models.list().data] == ["hs:1"]
        assert "console: root" in reg.get("hs", 1).promotion["reason"]
        log = root.get(f"{API}/audit").json()["data"]
    assert [(e["action"], e["target"], e["user"]) for e in log] == [
        ("rollback", "hs@1", "root"),
        ("promote", "hs@2", "root"),
        ("promote-refused", "hs@3", "root"),
        ("set-gate", "hs", "root"),
    ]


def test_keys_created_once_roles_changed_revoked_and_audited_without_the_key(console_app):
    server, store, _, key = console_app
    with client(server, key) as root:
        made = root.post(f"{API}/keys", json={"user": "bob", "roles": "support, annotator"}).json()
        assert made["roles"] == ["support", "annotator"] and made["key"].startswith("cf_")
        listed = {k["id"]: k for k in root.get(f"{API}/keys").json()["data"]}
        assert "key" not in listed[made["id"]] and listed[made["id"]]["prefix"] == made["key"][:10]
        with client(server, made["key"]) as bob:
            assert bob.get("/v1/me").json()["roles"] == ["support", "annotator"]
            assert root.post(f"{API}/keys/{made['id']}/roles", json={"roles": "reviewer"}).status_code == 200
            assert bob.get("/v1/me").json()["roles"] == ["reviewer"]
            assert root.post(f"{API}/keys/{made['id']}/revoke", json={}).json() == {"revoked": made["id"]}
            assert bob.get("/v1/me").status_code == 401
        assert root.post(f"{API}/keys/{made['id']}/revoke", json={}).status_code == 404
        assert root.post(f"{API}/keys", json={"user": "x", "roles": " , "}).status_code == 400
        own = store.verify_key(key)[1].id  # the signed-in key cannot lock the console out
        assert root.post(f"{API}/keys/{own}/revoke", json={}).status_code == 409
        assert root.post(f"{API}/keys/{own}/roles", json={"roles": "public"}).status_code == 409
        assert root.get("/v1/me").json()["roles"] == ["admin"]
        log = root.get(f"{API}/audit").json()["data"]
    assert [e["action"] for e in log] == ["key-revoke", "key-roles", "key-create"]
    assert log[1]["detail"] == {"before": ["support", "annotator"], "after": ["reviewer"]}
    assert made["key"] not in json.dumps(log)


def report(path, answers: list[str], f1: float, flags: list[list[str]]):
    items = [
        {"id": f"q{i}", "answer": a, "token_f1": f1, "abstained": a == "Je ne sais pas.", "degenerate": fl}
        for i, (a, fl) in enumerate(zip(answers, flags))
    ]
    section = {
        "token_f1": {"value": f1, "ci": [f1 - 0.1, f1 + 0.1], "n": len(items)},
        "hallucination": {"value": 0.3 - f1 / 2, "ci": [0.0, 0.4], "n": len(items)},
        "degenerate": {"rate": {"value": sum(map(bool, flags)) / len(flags)}},
        "items": items,
    }
    path.parent.mkdir(parents=True)
    testset = write_jsonl(
        path.parent / "testset.jsonl", [{"id": f"q{i}", "question": f"Question {i} ?"} for i in range(len(answers))]
    )
    rep = {"models": ["m"], "results": {"m": section, "m+rag": section}, "testset": {"path": str(testset)}}
    path.write_text(json.dumps(rep), encoding="utf-8")
    # the RAG variant's generation log, as eval writes it: the grounding of each answer
    (path.parent / "generations").mkdir()
    write_jsonl(
        path.parent / "generations" / "m+rag.jsonl",
        [
            {
                "key": GenerationLog.key("answer", f"Question {i} ?"),
                "task": "answer",
                "question": f"Question {i} ?",
                "text": a,
                "stats": {
                    "grounding": {
                        "abstained": a == "Je ne sais pas.",
                        "verified": True,
                        "support": 0.5 + i / 4,
                        "citations": [1],
                        "removed_sentences": ["Une phrase retirée."] * i,
                    }
                },
            }
            for i, a in enumerate(answers)
        ],
    )
    return path


def test_reports_side_by_side_with_deltas_intervals_and_item_diff(console_app, tmp_path):
    server, _, _, key = console_app
    a = report(tmp_path / "runs" / "eval-a" / "report.json", ["Oui, 50 euros.", "Non."], 0.3, [[], ["loop"]])
    b = report(tmp_path / "runs" / "eval-b" / "report.json", ["Oui, 50 euros.", "Je ne sais pas."], 0.6, [[], []])
    with client(server, key) as root:
        listed = {r["path"] for r in root.get(f"{API}/reports").json()["data"]}
        assert {str(a), str(b)} <= listed and len(listed) == 5  # the three registered evaluations too
        res = root.get(f"{API}/reports/compare", params={"a": str(a), "va": "m", "b": str(b), "vb": "m+rag"}).json()
        outside = root.get(f"{API}/reports/compare", params={"a": "/etc/passwd", "va": "m", "b": str(b), "vb": "m"})
        wrong = root.get(f"{API}/reports/compare", params={"a": str(a), "va": "zz", "b": str(b), "vb": "m"})
    metrics = {m["metric"]: m for m in res["metrics"]}
    assert metrics["token_f1"]["delta"] == pytest.approx(0.3) and metrics["token_f1"]["a"]["ci"] == pytest.approx(
        [0.2, 0.4]
    )
    assert metrics["token_f1"]["intervals_overlap"] is False and metrics["hallucination"]["lower_is_better"]
    assert metrics["degenerate.rate"]["delta"] == pytest.approx(-0.5)
    assert [i["id"] for i in res["items"] if i["differ"]] == ["q1"]
    assert res["items"][1]["a"]["degenerate"] == ["loop"] and res["items"][1]["b"]["abstained"] is True
    assert "grounding" not in res["items"][1]["a"]  # variant m had no retrieval: no grounding logged
    assert res["items"][1]["b"]["grounding"]["support"] == 0.75
    assert res["items"][1]["b"]["grounding"]["removed_sentences"] == ["Une phrase retirée."]
    assert outside.status_code == 404 and wrong.status_code == 404 and "has m, m+rag" in wrong.json()["detail"]


def test_inbox_puts_bad_answers_first_hides_restricted_sources_and_feeds_a_campaign(serve, grounding):
    server, store = serve(grounding=grounding)
    root_key, _ = store.create_key("root", ["admin"])
    sup_key, _ = store.create_key("sup", ["admin", "support"])
    sam = store.create_key("sam", ["support"])[1].user_id
    store.create_key("ann", ["annotator"])

    def turn(q, a, sources=None, support=1.0, abstained=False, model="tiny-a"):
        conv, msg = store.record_turn(
            sam,
            None,
            q,
            content=a,
            model=model,
            variant="A",
            sources=sources,
            prompt=[{"role": "user", "content": q}],
            grounding={"abstained": abstained, "support": support},
        )
        return conv.id, msg

    c_ok, _ = turn("Prix du vélo ?", "50 euros [1].", ["[1] pub.md — Vélo"])
    c_down, down = turn("Vélo abîmé ?", "Au comptoir [1].", ["[1] support.md — Vélo support"])
    store.add_feedback(user_id=sam, conversation_id=c_down, message_id=down.id, kind="thumb", value=-1)
    c_low, _ = turn("Bagage ?", "Peut-être 20 kg.", support=0.2, model="tiny-b")
    c_abs, _ = turn("Météo ?", "Je ne sais pas.", abstained=True, support=0.0)
    with client(server, root_key) as root, client(server, sup_key) as sup:
        rows = root.get(f"{API}/inbox").json()
        by_model = root.get(f"{API}/inbox", params={"model": "tiny-b"}).json()["data"]
        readable = {r["conversation_id"]: r for r in sup.get(f"{API}/inbox").json()["data"]}
        made = root.post(
            f"{API}/campaigns", json={"name": "review-1", "annotators": "ann", "conversations": [c_low, c_abs]}
        ).json()
        again = root.post(f"{API}/campaigns", json={"name": "review-2", "annotators": "ann", "conversations": [c_ok]})
        log = root.get(f"{API}/audit").json()["data"]
    assert [(r["conversation_id"], r["why"]) for r in rows["data"]] == [
        (c_down, ["thumbs down"]),
        (c_abs, ["abstained", "low support"]),
        (c_low, ["low support"]),
    ]
    assert rows["models"] == ["tiny-a", "tiny-b"] and [r["conversation_id"] for r in by_model] == [c_low]
    restricted = rows["data"][0]
    assert restricted["restricted"] and restricted["answer"] is None and restricted["question"] is None
    assert readable[c_down]["answer"] == "Au comptoir [1]." and not readable[c_down]["restricted"]
    assert made["items"] == 2 and made["answers"] == 2 and made["assigned"] == 2
    with store.session() as s:
        camp = s.query(Campaign).filter_by(name="review-1").one()
        prompts = sorted(i.prompt[-1]["content"] for i in s.query(Item).filter_by(campaign_id=camp.id))
    assert camp.mode == "feedback" and prompts == ["Bagage ?", "Météo ?"]
    assert again.status_code == 200 and again.json()["items"] == 1
    assert log[-1]["action"] == "campaign-create" and log[-1]["detail"]["conversations"] == [c_low, c_abs]
