"""`eval` says which retrieval role it used, and warns about a role no document carries."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from chatforge.cli import app
from tests.conftest import write_jsonl

from .conftest import ROOT, load_items

KNOWLEDGE = ROOT / "examples" / "hirondelle-air" / "knowledge" / "public"


def test_eval_names_its_default_role_and_warns_on_a_role_without_documents(tmp_path):
    from chatforge.models.tiny import build_tiny_model
    from chatforge.rag.ingest import ingest

    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(KNOWLEDGE / "bagages-cabine.md", kb / "bagages-cabine.md")
    (kb / "access.yaml").write_text('rules:\n  - glob: "*.md"\n    roles: [public]\n', encoding="utf-8")
    ingest([kb], tmp_path / "idx", progress=False)
    testset = write_jsonl(tmp_path / "test.jsonl", load_items(2))
    model = build_tiny_model(tmp_path / "m", context_length=1024)
    common = [
        "eval",
        "--model",
        str(model),
        "--testset",
        str(testset),
        "--index",
        str(tmp_path / "idx"),
        "--set",
        "max_new_tokens=2",
        "--set",
        "perplexity=false",
        "--set",
        "semantic_model=null",
        "--set",
        "suites=[errors]",
        "--set",
        "mlflow=false",
        "--set",
        "bootstrap_resamples=100",
        "--json",
    ]
    runner = CliRunner()
    plain = runner.invoke(app, common + ["--out", str(tmp_path / "a")])
    assert plain.exit_code == 0, plain.output
    assert "role(s) public (default" in plain.stderr
    summary = json.loads(plain.stdout.strip().splitlines()[-1])
    assert summary["roles"] == ["public"] and summary["warnings"] == []
    report = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    assert report["index"]["roles_source"] == "default"

    odd = runner.invoke(app, common + ["--out", str(tmp_path / "b"), "--role", "nobody"])
    assert odd.exit_code == 0, odd.output
    assert "role 'nobody' is carried by no document" in odd.stderr and "role(s)" not in odd.stderr
    summary = json.loads(odd.stdout.strip().splitlines()[-1])
    assert len(summary["warnings"]) == 1 and "public" in summary["warnings"][0]
    assert "carried by no document" in (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
