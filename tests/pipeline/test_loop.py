"""A simulated feedback round: real server on loopback, feedback through the API, `chatforge loop`, promoted or refused."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import openai
import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import TransformersEngine
from chatforge.serve.model_watch import RegistryEngine
from chatforge.store.database import Store
from tests.conftest import write_jsonl
from tests.pipeline.tiny_versions import fresh_registry, tiny_version
from tests.serve.conftest import LiveServer

QUESTIONS = [
    "Combien coûte un bagage en soute ?",
    "Puis-je changer mon vol ?",
    "Où part le vol pour Nice ?",
    "Le bagage cabine est-il gratuit ?",
    "À quelle heure part le vol de 7 h 40 ?",
    "Les vélos voyagent-ils en soute ?",
]
TINY_SETS = [
    "sft.max_steps=8",
    "sft.batch_size=2",
    "sft.learning_rate=0.005",
    "sft.mlflow=false",
    "sft.eval_every=4",
    "sft.max_seq_len=96",
    "sft.general_text=[]",
    "dpo.max_steps=2",
    "dpo.batch_size=2",
    "dpo.mlflow=false",
    "dpo.max_seq_len=96",
    "kto.max_steps=2",
    "kto.batch_size=2",
    "kto.mlflow=false",
    "kto.max_seq_len=96",
    "eval.suites=[]",
    "eval.semantic_model=null",
    "eval.max_new_tokens=8",
    "eval.bootstrap_resamples=100",
]
TINY = [arg for item in TINY_SETS for arg in ("--set", item)] + ["--min-feedback", "6"]


def last_json(res) -> dict:
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def feedback_round(tmp_path_factory):
    """Production v1 served from the registry; two users ask, regenerate, pick and thumb through the API."""
    import torch

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("round")
    reg = fresh_registry(root / "registry")
    v1 = reg.register("m", tiny_version(root / "v1", seed=1), gate={"token_f1": 0.5})
    reg.promote("m", v1.version, force=True, reason="first version, no evaluation yet")
    watched = RegistryEngine(
        "registry:m@production", lambda p: TransformersEngine(p, max_batch=4, queue_size=16), registry=reg, watch=False
    )
    store = Store(str(root / "serve.db"))
    server = LiveServer(create_app(ServeConfig(db=str(root / "serve.db")), store=store, engines={"A": watched}))
    approved = []
    try:
        for user, questions in (("ana", QUESTIONS[:3]), ("ben", QUESTIONS[3:])):
            key, _ = store.create_key(user, ["public"])
            client = openai.OpenAI(base_url=server.url + "/v1", api_key=key)
            auth = {"Authorization": f"Bearer {key}"}
            for q in questions:
                msgs = [{"role": "user", "content": q}]
                first = client.chat.completions.create(model="m", messages=msgs, max_tokens=12)
                assert first.model == "m:1"
                extra = {
                    "conversation_id": first.model_extra["conversation_id"],
                    "regenerate_of": first.model_extra["message_id"],
                }
                again = client.chat.completions.create(
                    model="m", messages=msgs, max_tokens=12, temperature=1.5, seed=1, extra_body=extra
                )
                a, b = first.model_extra["message_id"], again.model_extra["message_id"]
                for fb in (
                    {"kind": "pick", "message_id": b, "other_message_id": a},
                    {"kind": "thumb", "message_id": b, "value": 1},
                    {"kind": "thumb", "message_id": a, "value": -1},
                ):
                    r = httpx.post(server.url + "/v1/feedback", json=fb, headers=auth)
                    assert r.status_code == 200 and r.json()["stored"]
                approved.append((q, again.choices[0].message.content, first.choices[0].message.content))
        yield {
            "root": root,
            "registry": reg,
            "engine": watched,
            "server": server,
            "store": store,
            "approved": approved,
            "db": str(root / "serve.db"),
            "key": key,
        }
    finally:
        server.stop()
        store.close()
        watched.close()


@pytest.fixture(scope="module")
def testset(feedback_round) -> Path:
    # held-out questions whose expected answers are the ones users approved: a model tuned on the approvals
    # must find them likelier (perplexity), while no 1-layer random model reaches a token F1 of 0.5
    rows = [
        {"id": f"t{k}", "question": f"Et pour la question {k} ?", "answer": good}
        for k, (_, good, _) in enumerate(feedback_round["approved"])
    ]
    return write_jsonl(feedback_round["root"] / "testset.jsonl", rows)


def test_dry_run_shows_the_plan_and_changes_nothing(feedback_round, testset):
    reg, root = feedback_round["registry"], feedback_round["root"]
    before = [(v.version, v.aliases) for v in reg.versions("m")]
    common = [
        "loop",
        "--name",
        "m",
        "--db",
        feedback_round["db"],
        "--testset",
        str(testset),
        "--out",
        str(root / "dry"),
        "--registry",
        str(reg.root),
        "--json",
    ]
    res = CliRunner().invoke(app, common + ["--dry-run"] + TINY)
    assert res.exit_code == 0, res.output
    p = last_json(res)
    distinct = sum(good != bad for _, good, bad in feedback_round["approved"])
    assert p["dry_run"] and p["production"] == 1 and p["gate"] == {"token_f1": 0.5}
    assert p["feedback"]["rows"] == {"sft": 6, "kto": 12, "dpo": distinct}
    assert [t["method"] for t in p["trainings"]] == ["sft", "dpo", "kto"] and p["trainings"][0]["from"] == "m@1"
    assert p["eval"]["items"] == 6 and not (root / "dry").exists()
    assert [(v.version, v.aliases) for v in reg.versions("m")] == before

    res = CliRunner().invoke(app, common + ["--dry-run", "--min-feedback", "100"])
    assert res.exit_code == 2 and "too little feedback" in last_json(res)["error"]


def test_a_round_worse_than_the_gate_is_registered_and_refused_with_the_failing_metric(feedback_round, testset):
    reg, root = feedback_round["registry"], feedback_round["root"]
    out = root / "round-1"
    res = CliRunner().invoke(
        app,
        [
            "loop",
            "--name",
            "m",
            "--db",
            feedback_round["db"],
            "--testset",
            str(testset),
            "--out",
            str(out),
            "--registry",
            str(reg.root),
            "--json",
        ]
        + TINY,
    )
    assert res.exit_code == 1, res.output
    s = last_json(res)
    assert s["outcome"] == "refused" and not s["promoted"] and s["ok"] is False
    assert s["reason"].startswith("gate failed: token_f1 (plain)") and "needs at least 0.5" in s["reason"]
    assert s["steps"]["export"]["sft"]["rows"] == 6 and {"sft", "dpo", "kto", "eval"} <= set(s["steps"])
    v2 = reg.get("m", s["candidate"]["version"])
    assert v2.version == 2 and v2.lineage["parent"] == {"name": "m", "version": 1, "base": "tiny-base"}
    assert set(v2.lineage["data"]) == {str(out / "feedback" / f"{m}.jsonl") for m in ("sft", "dpo", "kto")}
    assert reg.get("m", "production").version == 1
    assert json.loads((out / "loop.json").read_text())["outcome"] == "refused"
    assert (out / "eval" / "report.json").is_file() and (out / "config.yaml").is_file()


def test_a_round_that_beats_production_is_promoted_and_served(feedback_round, testset):
    from chatforge.config import load_config
    from chatforge.pipeline.loop import LoopConfig, run_loop

    reg, root = feedback_round["registry"], feedback_round["root"]
    cfg = load_config(LoopConfig, None, TINY_SETS, methods=["sft"], min_feedback=6, gate={"perplexity": 1e9})
    res = run_loop("m", feedback_round["db"], testset, root / "round-2", cfg, reg, progress=False)
    assert res["outcome"] == "promoted", res["reason"]
    rows = {r["metric"]: r for r in res["comparison"]}
    assert (
        rows["perplexity"]["verdict"] == "better" and rows["perplexity"]["candidate"] < rows["perplexity"]["production"]
    )
    prod = reg.get("m", "production")
    assert prod.version == res["candidate"]["version"] > 1 and prod.lineage["parent"]["version"] == 1
    assert prod.promotion["previous"] == 1 and not prod.promotion["forced"]

    watched = feedback_round["engine"]  # the running server follows the alias
    assert watched.check_now() and watched.name == f"m:{prod.version}"
    client = openai.OpenAI(base_url=feedback_round["server"].url + "/v1", api_key=feedback_round["key"])
    reply = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": QUESTIONS[0]}], max_tokens=4
    )
    assert reply.model == f"m:{prod.version}"


def test_ab_share_makes_the_candidate_the_b_model_instead_of_promoting_it(feedback_round, testset, monkeypatch):
    from chatforge.config import load_config
    from chatforge.pipeline.loop import LoopConfig, run_loop
    from chatforge.serve.model_watch import registry_b_share

    reg, root = feedback_round["registry"], feedback_round["root"]
    production = reg.get("m", "production").version
    cfg = load_config(
        LoopConfig, None, TINY_SETS, methods=["sft"], min_feedback=6, gate={"perplexity": 1e9}, ab_share=0.25
    )
    res = run_loop("m", feedback_round["db"], testset, root / "round-ab", cfg, reg, progress=False)
    assert res["outcome"] == "ab_started" and res["ab_share"] == 0.25 and not res["promoted"]
    assert reg.get("m", "candidate").version == res["candidate"]["version"] != production
    assert reg.get("m", "production").version == production  # promotion waits for the A/B result
    monkeypatch.setenv("CHATFORGE_REGISTRY", str(reg.root))
    assert registry_b_share("registry:m@candidate") == 0.25  # what `chatforge serve --model-b` picks up

    # the same folder again: refused without a flag; --resume reuses the training, the generations and the version
    with pytest.raises(ValueError, match="already holds a round"):
        run_loop("m", feedback_round["db"], testset, root / "round-ab", cfg, reg, progress=False)
    sft_metrics = (root / "round-ab" / "train" / "sft" / "metrics.json").stat().st_mtime_ns
    again = run_loop("m", feedback_round["db"], testset, root / "round-ab", cfg, reg, progress=False, resume=True)
    assert again["steps"]["sft"]["reused"] and again["outcome"] == "ab_started"
    assert again["candidate"]["version"] == res["candidate"]["version"] == reg.versions("m")[-1].version
    assert (root / "round-ab" / "train" / "sft" / "metrics.json").stat().st_mtime_ns == sft_metrics
    assert again["steps"]["eval"]["candidate"] == res["steps"]["eval"]["candidate"]

    # the A/B went well: promoting the candidate ends the test (no candidate alias, no share)
    assert reg.promote("m", res["candidate"]["version"], force=True, reason="won the A/B")["promoted"]
    assert reg.get("m", "production").version == res["candidate"]["version"] and reg.ab_share("m") is None
    with pytest.raises(ValueError, match="no candidate version"):
        reg.get("m", "candidate")
