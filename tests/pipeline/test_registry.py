"""The model registry on a real MLflow SQLite store: lineage, the promotion rule, --force, registry: model specs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.registry.versions import Registry, RegistryError
from tests.pipeline.tiny_versions import crafted_report, fresh_registry, tiny_version

GATE = "token_f1=0.3,hallucination=0.2"


def last_json(res) -> dict:
    return json.loads(res.stdout.strip().splitlines()[-1])


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("versions")
    out = {k: tiny_version(root / f"v{k}", seed=k) for k in (1, 2, 3)}
    out["reports"] = {
        1: crafted_report(root / "r1.json", "v1", token_f1=0.40, hallucination=0.10),
        2: crafted_report(root / "r2.json", "v2", token_f1=0.55, hallucination=0.15),  # better F1, more hallucination
        3: crafted_report(root / "r3.json", "v3", token_f1=0.45, hallucination=0.08),
    }
    return out


@pytest.fixture(scope="module")
def promoted(models, tmp_path_factory) -> dict:
    """v1 and v2 registered through the CLI, v1 promoted (no production yet), v2 refused: the CLI outputs."""
    reg_dir = fresh_registry(tmp_path_factory.mktemp("reg") / "registry").root
    data_dir = tmp_path_factory.mktemp("data")
    (data_dir / "train.jsonl").write_text('{"messages": []}\n', encoding="utf-8")
    (data_dir / "sub").mkdir()
    (data_dir / "sub" / "val.jsonl").write_text("{}\n", encoding="utf-8")
    extra = data_dir.parent / "extra.jsonl"
    extra.write_text("extra\n", encoding="utf-8")
    runner = CliRunner()
    common = ["--registry", str(reg_dir), "--json"]
    out = {"dir": reg_dir, "data": data_dir, "extra": extra}
    res = runner.invoke(
        app,
        [
            "registry",
            "register",
            "hirondelle",
            "--model",
            str(models[1]),
            "--eval",
            str(models["reports"][1]),
            "--data",
            str(data_dir),
            "--data",
            str(extra),
            "--gate",
            GATE,
            "--run-id",
            "run-abc",
        ]
        + common,
    )
    assert res.exit_code == 0, res.output
    out["v1"] = last_json(res)
    res = runner.invoke(app, ["registry", "promote", "hirondelle", "1"] + common)
    assert res.exit_code == 0, res.output
    out["promote1"] = last_json(res)
    res = runner.invoke(
        app,
        [
            "registry",
            "register",
            "hirondelle",
            "--model",
            str(models[2]),
            "--eval",
            str(models["reports"][2]),
            "--parent",
            "production",
        ]
        + common,
    )
    assert res.exit_code == 0, res.output
    out["v2"] = last_json(res)
    res = runner.invoke(app, ["registry", "promote", "hirondelle", "2"] + common)
    out["refused"] = (res.exit_code, last_json(res))
    return out


def test_register_records_lineage_with_independent_hashes(models, promoted):
    v1 = promoted["v1"]
    assert {"name", "version", "path", "lineage", "metrics"} <= set(v1) and v1["version"] == 1
    lin = v1["lineage"]
    data = promoted["data"]
    files = {"sub/val.jsonl": sha(b"{}\n"), "train.jsonl": sha(b'{"messages": []}\n')}
    assert lin["data"][str(data)]["file_hashes"] == files
    assert lin["data"][str(data)]["sha256"] == sha("".join(f"{k}:{v}\n" for k, v in sorted(files.items())).encode())
    assert lin["data"][str(promoted["extra"])]["sha256"] == sha(b"extra\n")
    assert lin["base"] == "tiny-base" and lin["config"]["seed"] == 1 and lin["run_id"] == "run-abc"
    assert lin["parent"] is None and lin["created"].endswith("Z")
    # the files were copied into the registry, byte for byte, under a folder named by their digest
    path = Path(v1["path"])
    assert path.is_relative_to(promoted["dir"]) and path.name == lin["model_sha256"][:16]
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        assert sha((path / name).read_bytes()) == sha((models[1] / name).read_bytes())
    assert v1["metrics"]["variants"]["plain"]["token_f1"] == pytest.approx(0.40)
    assert v1["metrics"]["testset"]["sha256"] == "t" * 64
    v2 = promoted["v2"]
    assert v2["lineage"]["parent"]["name"] == "hirondelle" and v2["lineage"]["parent"]["version"] == 1
    assert v2["lineage"]["model_sha256"] != lin["model_sha256"]


def test_first_promotion_is_decided_by_the_gate_alone(promoted):
    p = promoted["promote1"]
    assert p["promoted"] and p["previous"] is None and p["comparison"] == []
    assert p["gate"]["passed"] and {c["metric"] for c in p["gate"]["checks"]} == {"token_f1", "hallucination"}
    assert Registry(promoted["dir"]).get("hirondelle", "production").version == 1


def test_a_version_worse_on_one_gate_metric_is_refused_with_the_comparison(promoted):
    code, s = promoted["refused"]
    assert code == 2 and s["ok"] is False and s["promoted"] is False
    assert "hallucination" in s["reason"] and "worse than production" in s["reason"]
    rows = {r["metric"]: r for r in s["comparison"]}
    assert rows["hallucination"]["verdict"] == "worse" and rows["hallucination"]["delta"] == pytest.approx(0.05)
    assert rows["token_f1"]["verdict"] == "better" and rows["token_f1"]["production"] == pytest.approx(0.40)
    assert Registry(promoted["dir"]).get("hirondelle", "production").version == 1


def test_force_promotes_and_records_who_when_why(promoted, monkeypatch):
    monkeypatch.setenv("CHATFORGE_USER", "alice")
    res = CliRunner().invoke(
        app,
        [
            "registry",
            "promote",
            "hirondelle",
            "2",
            "--force",
            "--reason",
            "hotfix for a FAQ",
            "--registry",
            str(promoted["dir"]),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    s = last_json(res)
    assert s["promoted"] and s["forced"] and s["previous"] == 1
    reg = Registry(promoted["dir"])
    prod = reg.get("hirondelle", "production")
    assert prod.version == 2
    assert (
        prod.promotion["forced"] and prod.promotion["by"] == "alice" and prod.promotion["reason"] == "hotfix for a FAQ"
    )
    assert "hallucination" in prod.promotion["rule_reason"]
    tags = reg.client.get_model_version("hirondelle", "2").tags
    assert (
        tags["promotion_forced_by"] == "alice" and "demoted_at" in reg.client.get_model_version("hirondelle", "1").tags
    )


def test_better_on_every_gate_metric_is_promoted_and_specs_resolve_through_the_loader(models, promoted, monkeypatch):
    from chatforge.errors import ModelError
    from chatforge.models.load import load_model, resolve

    reg = Registry(promoted["dir"])
    v3 = reg.register("hirondelle", models[3], eval_report=models["reports"][3], parent="hirondelle@1")
    prod = reg.get("hirondelle", "production").version  # 2 after the forced promotion; v3 is compared with it
    res = reg.promote("hirondelle", v3.version)
    assert not res["promoted"] and "token_f1" in res["reason"]  # 0.45 < 0.55: worse than the forced v2
    res = reg.promote("hirondelle", v3.version, baseline=reg.get("hirondelle", 1).metrics)
    assert res["promoted"] and res["previous"] == prod
    assert {r["verdict"] for r in res["comparison"]} == {"better"}

    monkeypatch.setenv("CHATFORGE_REGISTRY", str(promoted["dir"]))
    assert resolve("registry:hirondelle@production").source == v3.path
    assert resolve("registry:hirondelle@1").source == promoted["v1"]["path"]
    assert resolve("registry:hirondelle@latest").source == v3.path
    model, _ = load_model("registry:hirondelle@2")
    assert model.config.hidden_size == 32
    with pytest.raises(ModelError, match="no candidate version"):
        resolve("registry:hirondelle@candidate")
    with pytest.raises(ModelError, match="no registered model"):
        resolve("registry:nobody@production")
    monkeypatch.setenv("CHATFORGE_REGISTRY", str(promoted["dir"].parent / "typo"))
    with pytest.raises(ModelError, match="no registry at"):
        resolve("registry:hirondelle@production")
    assert not (promoted["dir"].parent / "typo").exists()


def test_gate_failure_and_missing_metrics_refuse(models, tmp_path):
    reg = fresh_registry(tmp_path / "reg")
    v = reg.register("m", models[1], eval_report=models["reports"][1])
    res = reg.promote("m", v.version, gate={"token_f1": 0.5})
    assert not res["promoted"] and "token_f1 (plain) = 0.4 needs at least 0.5" in res["reason"]
    res = reg.promote("m", v.version, gate={"retrieval.recall@5": 0.5})
    assert not res["promoted"] and "retrieval.recall@5" in res["reason"]
    assert reg.production("m") is None
    with pytest.raises(RegistryError, match="no gate"):
        raise RegistryError(reg.promote("m", v.version)["reason"])
    with pytest.raises(RegistryError, match="not a model folder"):
        reg.register("m", tmp_path)


def test_list_and_show(promoted):
    runner = CliRunner()
    res = runner.invoke(app, ["registry", "list", "--registry", str(promoted["dir"]), "--json"])
    assert res.exit_code == 0, res.output
    versions = last_json(res)["models"]["hirondelle"]["versions"]
    assert [v["version"] for v in versions][:2] == [1, 2] and versions[0]["token_f1"] == pytest.approx(0.40)
    prod = Registry(promoted["dir"]).get("hirondelle", "production").version
    assert [v["aliases"] for v in versions if v["version"] == prod] == [["production"]]
    assert last_json(res)["models"]["hirondelle"]["gate"] == {"token_f1": 0.3, "hallucination": 0.2}
    res = runner.invoke(
        app, ["registry", "show", "hirondelle@production", "--registry", str(promoted["dir"]), "--json"]
    )
    assert res.exit_code == 0 and last_json(res)["version"] == prod and "production" in last_json(res)["aliases"]
    res = runner.invoke(app, ["registry", "show", "hirondelle@9", "--registry", str(promoted["dir"]), "--json"])
    assert res.exit_code == 2 and "no version 9" in last_json(res)["error"]


def test_the_run_id_is_found_in_the_training_folders_own_mlflow_store(models, tmp_path):
    import shutil

    from mlflow.tracking import MlflowClient

    from chatforge.registry.lineage import recorded_run_id

    reg = fresh_registry(tmp_path / "reg")
    run_dir = tmp_path / "dpo-run"
    shutil.copytree(models[1], run_dir)
    shutil.copy(reg.root / "mlflow.db", run_dir / "mlflow.db")  # an empty store, as a training stage starts one
    client = MlflowClient(tracking_uri=f"sqlite:///{run_dir / 'mlflow.db'}")
    exp = client.create_experiment("chatforge-dpo", artifact_location=(tmp_path / "art").as_uri())
    client.create_run(exp, run_name="other")
    run = client.create_run(exp, run_name="dpo-run")  # the stages name the run after the output folder
    assert recorded_run_id(run_dir) == run.info.run_id
    v = reg.register("m", run_dir)
    assert v.lineage["run_id"] == run.info.run_id and not (Path(v.path) / "mlflow.db").exists()


def test_the_rule_needs_a_metric_measured_on_both(tmp_path):
    from chatforge.registry.promotion import decide

    plain = {"variants": {"plain": {"token_f1": 0.5}}}
    rag_only = {"variants": {"rag": {"token_f1": 0.9}}}
    d = decide(rag_only, plain, {"token_f1": 0.1})
    assert not d["promote"] and "measured on both" in d["reason"]
    d = decide({"variants": {"plain": {"token_f1": 0.52}}}, plain, {"token_f1": 0.1}, tolerance=0.05)
    assert not d["promote"] and d["comparison"][0]["verdict"] == "equal" and "tolerance 0.05" in d["reason"]
    d = decide(
        {"variants": {"plain": {"token_f1": 0.6, "hallucination": 0.1}}},
        {"variants": {"plain": {"token_f1": 0.5, "hallucination": 0.1}}},
        {"token_f1": 0.1, "hallucination": 0.3},
    )
    assert d["promote"] and [r["verdict"] for r in d["comparison"]] == ["better", "equal"]


def test_an_mlflow_uri_registry_keeps_the_files_where_they_are(models, tmp_path):
    import shutil

    template = fresh_registry(tmp_path / "template").root / "mlflow.db"
    shutil.copy(template, tmp_path / "team.db")
    reg = Registry(f"sqlite:///{tmp_path / 'team.db'}")
    assert reg.root is None
    v = reg.register("m", models[2], eval_report=models["reports"][2])
    assert v.path == str(models[2].resolve()) and reg.resolve("registry:m@latest").version == v.version
