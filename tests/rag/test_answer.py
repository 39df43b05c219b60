from chatforge.models.tiny import build_tiny_model
from chatforge.rag.answer import AskConfig, ask
from chatforge.rag.ingest import ingest


def test_ask_retrieves_under_role_prompts_and_generates(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "access.yaml").write_text(
        'rules:\n  - glob: "pub.md"\n    roles: [public]\n  - glob: "fin.md"\n    roles: [finance]\n', encoding="utf-8"
    )
    (kb / "pub.md").write_text("# Vélo\n\nUn vélo voyage en soute pour 50 euros par vol.\n", encoding="utf-8")
    (kb / "fin.md").write_text("# Vélo budget\n\nLe budget vélo interne est de 90 000 euros.\n", encoding="utf-8")
    ingest([kb], tmp_path / "idx", progress=False)
    model_dir = build_tiny_model(tmp_path / "tiny", context_length=1024)
    cfg = AskConfig(max_new_tokens=8)
    cfg.retrieval.k = 3
    result = ask("Combien coûte un vélo ?", str(model_dir), tmp_path / "idx", ["public"], cfg)
    assert [p["doc_id"] for p in result["passages"]] == ["pub.md"]  # the finance document never reaches the prompt
    assert result["sources"] == ["[1] pub.md — Vélo"] and result["prompt_template"] == "grounded-v1"
    assert 0 < result["generation"]["new_tokens"] <= 8 and isinstance(result["answer"], str)
