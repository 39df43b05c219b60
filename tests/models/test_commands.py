"""The CLI commands, in process (typer's CliRunner), on tiny models."""

import json
from pathlib import Path

from typer.testing import CliRunner

from chatforge.cli import app

runner = CliRunner()


def last_json(res) -> dict:
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_inspect_and_recommend(tiny_dir: Path):
    res = runner.invoke(app, ["models", "inspect", str(tiny_dir), "--json"])
    assert res.exit_code == 0, res.output
    info = last_json(res)
    assert info["architecture"] == "LlamaForCausalLM" and info["vocab_size"] == 384 and info["context_length"] == 128
    assert info["chat_template"] is False and info["template_used"] == "generic" and info["disk_bytes"] > 0
    res = runner.invoke(app, ["models", "recommend", str(tiny_dir), "--batch", "2", "--set", "seq=64", "--json"])
    assert res.exit_code == 0, res.output
    r = last_json(res)
    assert r["shape"]["params"] == info["parameters"] and r["batch"] == 2 and r["seq"] == 64
    assert set(r["methods"]) == {"inference", "full", "lora", "qlora"}
    full = r["methods"]["full"]
    assert full["weights"] + full["gradients"] + full["optimizer"] == 16 * info["parameters"]
    res = runner.invoke(app, ["models", "recommend", "--params", "7e9", "--json"])
    assert last_json(res)["methods"]["full"]["total_gib"] > 100


def test_recommend_needs_exactly_one_of_model_or_params(tiny_dir: Path):
    res = runner.invoke(app, ["models", "recommend", "--json"])
    assert res.exit_code == 2 and "either a MODEL or --params" in last_json(res)["error"]


def test_missing_model_is_a_clear_error():
    res = runner.invoke(app, ["models", "inspect", "./no/such/model", "--json"])
    assert res.exit_code == 2 and "model path not found: ./no/such/model" in last_json(res)["error"]


def test_generate_pretrain_and_perplexity(tiny_dir: Path, tmp_path: Path):
    res = runner.invoke(
        app, ["generate", "--model", str(tiny_dir), "--prompt", "Hirondelle", "--max-new-tokens", "5", "--json"]
    )
    assert res.exit_code == 0, res.output
    g = last_json(res)
    assert 1 <= g["new_tokens"] <= 5 and isinstance(g["text"], str)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(json.dumps({"text": f"Le vol {i} part de Nantes a {i % 24} h pour Nice."}) for i in range(150)),
        encoding="utf-8",
    )
    res = runner.invoke(
        app,
        [
            "pretrain",
            str(corpus),
            "--out",
            str(tmp_path / "pt"),
            "--max-steps",
            "12",
            "--set",
            "n_layer=1",
            "--set",
            "n_embd=32",
            "--set",
            "vocab_size=300",
            "--set",
            "context_length=32",
            "--set",
            "eval_every=6",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    p = last_json(res)
    assert p["mode"] == "scratch" and p["val_perplexity"] < p["initial_val_perplexity"]
    res = runner.invoke(
        app,
        [
            "eval",
            "perplexity",
            "--model",
            str(tmp_path / "pt"),
            "--data",
            str(corpus),
            "--set",
            "context_length=32",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert last_json(res)["perplexity"] < p["initial_val_perplexity"]
    res = runner.invoke(app, ["pretrain", str(tmp_path / "nothing.txt"), "--out", str(tmp_path / "x"), "--json"])
    assert res.exit_code == 2 and "corpus file not found" in last_json(res)["error"]
