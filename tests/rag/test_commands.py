import json

from typer.testing import CliRunner

from chatforge.cli import app


def test_rag_cli_ingest_query_eval_json(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a.md").write_text(
        "---\nroles: [public]\n---\n# Animaux\n\nLes chats voyagent en cabine jusqu'à 8 kg.\n", encoding="utf-8"
    )
    (kb / "b.md").write_text("# Budget\n\nBudget carburant secret.\n", encoding="utf-8")
    (tmp_path / "t.jsonl").write_text(
        json.dumps({"question": "chat en cabine ?", "doc_id": "a.md"}) + "\n", encoding="utf-8"
    )
    runner, idx = CliRunner(), str(tmp_path / "idx")
    res = runner.invoke(app, ["rag", "ingest", str(kb), "--index", idx, "--json"])
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert res.exit_code == 0 and out["ingested"] == 1 and out["skipped"][0]["source"].endswith("b.md")
    res = runner.invoke(
        app, ["rag", "query", "chat en cabine", "--index", idx, "--role", "public", "--k", "3", "--json"]
    )
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert res.exit_code == 0 and [r["doc_id"] for r in out["results"]] == ["a.md"] and out["results"][0]["page"] == 1
    res = runner.invoke(app, ["rag", "query", "chat", "--index", idx, "--json"])
    assert res.exit_code == 2 and json.loads(res.stdout.strip().splitlines()[-1])["ok"] is False
    res = runner.invoke(app, ["rag", "eval", "--index", idx, "--testset", str(tmp_path / "t.jsonl"), "--json"])
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert res.exit_code == 0 and out["metrics"]["recall@1"] == 1.0
