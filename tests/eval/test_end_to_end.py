"""End to end through the CLI: two tiny Llamas, a tiny RAG index, every suite, MLflow, and the gate."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from chatforge.cli import app
from tests.conftest import write_jsonl

from .conftest import ROOT, load_items

KNOWLEDGE = ROOT / "examples" / "hirondelle-air" / "knowledge" / "public"


def test_eval_two_tiny_models_with_and_without_rag(tmp_path):
    from chatforge.models.tiny import build_tiny_model
    from chatforge.rag.ingest import ingest

    kb = tmp_path / "kb"
    kb.mkdir()
    for name in ("bagages-cabine.md", "animaux.md"):
        shutil.copy(KNOWLEDGE / name, kb / name)
    (kb / "access.yaml").write_text('rules:\n  - glob: "*.md"\n    roles: [public]\n', encoding="utf-8")
    ingest([kb], tmp_path / "idx", progress=False)
    rows = load_items()
    rows = [r for r in rows if r["paraphrase_group"] == "pg-001"][:3] + [r for r in rows if not r["answerable"]][:2]
    testset = write_jsonl(
        tmp_path / "test.jsonl", [{**r, "doc_id": "bagages-cabine.md" if r["doc_id"] else None} for r in rows]
    )
    base = build_tiny_model(tmp_path / "base", context_length=1024)
    tuned = build_tiny_model(tmp_path / "tuned", context_length=1024, seed=1)
    out = tmp_path / "eval"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--model",
            str(base),
            "--model",
            str(tuned),
            "--testset",
            str(testset),
            "--out",
            str(out),
            "--index",
            str(tmp_path / "idx"),
            "--role",
            "public",
            "--fail-under",
            "token_f1=0.9,hallucination=0.5",
            "--suites",
            "full",
            "--set",
            "max_new_tokens=6",
            "--set",
            "robustness_items=2",
            "--set",
            "robustness_kinds=[typos,english]",
            "--set",
            "bias_items=1",
            "--set",
            "retrieval.k=2",
            "--set",
            "prompt.max_passage_chars=200",
            "--set",
            "bootstrap_resamples=100",
            "--json",
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output  # an untrained model cannot reach token F1 0.9: the gate fails
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    variants = ["base", "base+rag", "tuned", "tuned+rag"]
    assert summary["variants"] == variants + ["extractive+rag"] and summary["ok"] is False
    assert summary["roles"] == ["public"] and summary["warnings"] == []
    assert {c["variant"] for c in summary["gate"]["checks"]} == {"tuned", "tuned+rag"}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    cost = report["cost"]  # the estimate printed before starting: every model generation the logs hold, no more
    made = sum(1 for v in variants for _ in (out / "generations" / f"{v}.jsonl").open(encoding="utf-8"))
    assert cost["total"] == cost["made"] == made and cost["baseline"] > 0 and summary["cost"] == cost
    rag = report["results"]["base+rag"]
    assert rag["retrieval"]["recall@3"] == 1.0 and rag["retrieval"]["mrr"] >= 0.5 and rag["retrieval"]["questions"] == 3
    assert report["results"]["base"]["retrieval"] is None
    assert rag["groundedness"] is not None or all(i["answer"] == "" for i in rag["items"])
    for v in variants:
        s = report["results"][v]
        assert s["perplexity"] > 1 and s["resources"]["generations"] == 5
        assert 0 < s["resources"]["new_tokens"] <= 5 * 6 and s["resources"]["latency_p95_s"] > 0
        assert set(s["robustness"]["per_kind"]) <= {"typos", "no_accents", "upper_case", "english", "whitespace"}
        assert s["classification"]["task"] == "intent"
        assert sum(s["errors"]["counts"].values()) == s["errors"]["failed"]
    assert set(report["ab"]) == set(variants[1:]) and all(a["baseline"] == "base" for a in report["ab"].values())
    ext = report["results"]["extractive+rag"]  # the baseline, on the same passages, cites what it quotes
    assert ext["retrieval"] == rag["retrieval"] and ext["perplexity"] is None
    assert all(i["answer"].endswith("]") or i["abstained"] for i in ext["items"])
    for v in variants + ["extractive+rag"]:
        s = report["results"][v]
        assert s["abstention_recall"]["n"] == 2 and s["false_abstention"]["n"] == 3 and "degenerate" in s
    assert (out / "report.html").stat().st_size > 10_000 and (out / "mlflow.db").is_file()
    assert len((out / "generations" / "base+rag.jsonl").read_text().splitlines()) >= 5  # the resume log
    assert report["model_specs"] == [str(base), str(tuned)]


def test_mlflow_run_logged_without_touching_global_state(tmp_path):
    import mlflow
    from mlflow.tracking import MlflowClient

    from chatforge.eval.report import log_mlflow

    before = mlflow.get_tracking_uri()
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    report = {
        "config": {"experiment": "t"},
        "models": ["a"],
        "testset": {"sha256": "x", "items": 1},
        "index": None,
        "results": {"a": {"token_f1": {"value": 0.5}}},
        "ab": {},
    }
    run_id = log_mlflow(report, tmp_path, [tmp_path / "r.json"])
    assert mlflow.get_tracking_uri() == before
    run = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}").get_run(run_id)
    assert run.data.metrics["a.token_f1"] == 0.5 and run.data.params["testset_sha256"] == "x"
    assert list((tmp_path / "mlartifacts").rglob("r.json"))  # artifacts under OUT, not ./mlruns
