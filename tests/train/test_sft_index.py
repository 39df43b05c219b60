"""`chatforge train sft --index IDX`: the conversations go through the reader-data builder (the served grounded
prompt over the index, test questions left out) into OUT/reader-data, and SFT trains on that set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.train.results import SFTResult

DOCS = {
    "bagages.md": "# Bagages cabine\n\nLe bagage cabine ne doit pas dépasser 55 x 35 x 25 cm et 8 kg par passager.\n",
    "velo.md": "# Vélo\n\nUn vélo voyage en soute dans une housse, pour 50 euros par vol et par trajet.\n",
    "retard.md": "# Retard\n\nEn cas de retard de plus de 3 heures à l'arrivée, l'indemnisation est de 250 euros.\n",
    "checkin.md": "# Online check-in\n\nOnline check-in opens 30 hours before departure and closes 1 hour before.\n",
}
QA = [
    (
        "Quelle taille maximum pour le bagage cabine ?",
        "Le bagage cabine ne dépasse pas 55 x 35 x 25 cm et 8 kg.",
        "bagages.md",
    ),
    ("Combien coûte le transport d'un vélo en soute ?", "Un vélo voyage en soute pour 50 euros par vol.", "velo.md"),
    ("Quelle indemnisation pour un retard de 3 heures ?", "L'indemnisation est de 250 euros.", "retard.md"),
    ("When does online check-in open?", "Online check-in opens 30 hours before departure.", "checkin.md"),
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> dict:
    from chatforge.models.tiny import build_tiny_model
    from chatforge.rag.ingest import IngestConfig, ingest

    root = tmp_path_factory.mktemp("sft-index")
    docs = root / "kb"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    summary = ingest([docs], root / "idx", IngestConfig(default_roles=["public"]), progress=False)
    assert summary["chunks"] >= len(DOCS)
    data = root / "qa.jsonl"
    data.write_text(
        "".join(
            json.dumps(
                {
                    "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}],
                    "doc_id": doc,
                    "lang": "en" if doc == "checkin.md" else "fr",
                },
                ensure_ascii=False,
            )
            + "\n"
            for q, a, doc in QA
        ),
        encoding="utf-8",
    )
    testset = root / "testset.jsonl"
    testset.write_text(json.dumps({"question": QA[1][0]}, ensure_ascii=False) + "\n", encoding="utf-8")
    base = build_tiny_model(root / "base", list(DOCS.values()) * 3, n_layer=1, n_embd=32, n_head=4, context_length=1024)
    return {"root": root, "idx": root / "idx", "data": data, "testset": testset, "base": base}


def _sft(setup: dict, out: Path, *extra: str):
    args = ["train", "sft", "--model", str(setup["base"]), "--data", str(setup["data"]), "--out", str(out)]
    args += ["--method", "full", "--max-steps", "1", "--max-seq-len", "1024", "--set", "mlflow=false"]
    args += ["--set", "batch_size=2", "--json", *extra]
    return CliRunner().invoke(app, args)


def test_sft_with_an_index_trains_on_the_grounded_reader_set(setup, tmp_path):
    out = tmp_path / "sft"
    res = _sft(
        setup,
        out,
        "--index",
        str(setup["idx"]),
        "--testset",
        str(setup["testset"]),
        "--reader-set",
        "retrieval.k=2",
        "--reader-set",
        "val_ratio=0.3",
    )
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout.strip().splitlines()[-1])
    SFTResult.model_validate(s)
    reader = s["reader_data"]
    assert reader["out"] == str(out / "reader-data") and reader["skipped"]["testset"] == 1
    train_file = out / "reader-data" / "train.jsonl"
    assert reader["paths"]["train"] == str(train_file)
    # SFT read the reader set, not --data
    inputs = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["inputs"]
    assert str(train_file) in inputs and str(setup["data"]) not in inputs
    rows = [json.loads(line) for line in train_file.read_text(encoding="utf-8").splitlines()]
    rows += [json.loads(line) for line in (out / "reader-data" / "val.jsonl").read_text(encoding="utf-8").splitlines()]
    assert s["train_examples"] + s["val_examples"] == len(rows) > 0
    for row in rows:
        user = row["messages"][-2]["content"]
        assert '<passage n="1"' in user and '<passage n="2"' in user  # the grounded prompt, numbered passages
        assert "vélo en soute" not in user.split("<question>")[1]  # the test-set question is not trained on
    assert any(r["kind"] == "grounded" and "[" in r["messages"][-1]["content"] for r in rows)


def test_reader_options_without_an_index_are_refused(setup, tmp_path):
    res = _sft(setup, tmp_path / "o", "--testset", str(setup["testset"]))
    assert res.exit_code == 2 and "--index" in json.loads(res.stdout.strip().splitlines()[-1])["error"]
    assert not (tmp_path / "o").exists()
