"""`eval --index --set bare=false` answers only through retrieval: no bare variant, no bare generation."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from chatforge.cli import app
from tests.conftest import write_jsonl

from .conftest import ROOT, load_items

KNOWLEDGE = ROOT / "examples" / "hirondelle-air" / "knowledge" / "public"


def test_rag_only_eval_skips_the_bare_variant_and_its_generations(tmp_path):
    from chatforge.models.tiny import build_tiny_model
    from chatforge.rag.ingest import ingest

    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(KNOWLEDGE / "bagages-cabine.md", kb / "bagages-cabine.md")
    (kb / "access.yaml").write_text('rules:\n  - glob: "*.md"\n    roles: [public]\n', encoding="utf-8")
    ingest([kb], tmp_path / "idx", progress=False)
    testset = write_jsonl(tmp_path / "test.jsonl", load_items(3))
    model = build_tiny_model(tmp_path / "m", context_length=1024)
    common = ["eval", "--model", str(model), "--testset", str(testset), "--index", str(tmp_path / "idx")]
    common += ["--engine", "transformers", "--suites", "errors", "--json"]
    for setting in ("max_new_tokens=2", "perplexity=false", "semantic_model=null", "mlflow=false"):
        common += ["--set", setting]
    runner = CliRunner()

    both = runner.invoke(app, common + ["--out", str(tmp_path / "both")])
    assert both.exit_code == 0, both.output
    summary = json.loads(both.stdout.strip().splitlines()[-1])
    assert summary["variants"] == ["m", "m+rag", "extractive+rag"]
    assert summary["cost"]["made"] == 6

    rag_only = runner.invoke(app, common + ["--out", str(tmp_path / "rag"), "--set", "bare=false"])
    assert rag_only.exit_code == 0, rag_only.output
    summary = json.loads(rag_only.stdout.strip().splitlines()[-1])
    assert summary["variants"] == ["m+rag", "extractive+rag"]
    assert summary["cost"]["made"] == summary["cost"]["total"] == 3
    assert sorted(p.name for p in (tmp_path / "rag" / "generations").iterdir()) == [
        "extractive+rag.jsonl",
        "m+rag.jsonl",
    ]
    report = json.loads((tmp_path / "rag" / "report.json").read_text(encoding="utf-8"))
    assert report["config"]["bare"] is False and report["results"]["m+rag"]["abstention_recall"] is not None
