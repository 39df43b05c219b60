"""eval's generation engines (eval/engines.py): llama.cpp answers as transformers does on a tiny Llama exported to
GGUF once and reused, and --engine llamacpp without llama-cpp-python is a one-line error."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.eval.engines import MIN_AGREEMENT
from chatforge.eval.runner import EvalConfig, evaluate
from chatforge.models.gguf_export import export_root
from chatforge.models.tiny import build_tiny_model

FAST = dict(
    max_items=4,
    max_new_tokens=12,
    suites=["hallucination"],
    mlflow=False,
    semantic_model=None,
    perplexity=False,
    bootstrap_resamples=100,
)


def varied_tiny(folder, seed: int = 0):
    """A tiny Llama whose matrices are drawn wide (std 0.15): untrained at init scale it repeats one token, this one
    writes varied text (noise, but every answer differs, so agreement between engines means something)."""
    import torch
    from transformers import AutoModelForCausalLM

    build_tiny_model(folder, context_length=1024, n_layer=2, n_embd=64)
    model = AutoModelForCausalLM.from_pretrained(folder)
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.15)
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return varied_tiny(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATFORGE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def answers(report: dict) -> list[str]:
    return [r["answer"] for r in report["results"]["model"]["items"]]


def test_llamacpp_answers_like_transformers_and_exports_the_gguf_once(tiny, cache, testset, tmp_path):
    pytest.importorskip("llama_cpp")
    fast = evaluate([str(tiny)], testset, tmp_path / "a", EvalConfig(engine="llamacpp", **FAST), progress=False)
    info = fast["results"]["model"]["engine"]
    assert info["engine"] == "llamacpp" and info["gguf_source"] == "exported"
    gguf = export_root() / next(p.name for p in export_root().iterdir()) / "model.gguf"
    assert info["gguf"] == str(gguf) and gguf.is_file()
    check = info["check"]
    assert check["items"] == 3 and check["agreement_token_f1"] >= MIN_AGREEMENT and not check["cached"]
    slow = evaluate([str(tiny)], testset, tmp_path / "b", EvalConfig(engine="transformers", **FAST), progress=False)
    assert slow["results"]["model"]["engine"]["engine"] == "transformers"
    same = sum(a == b for a, b in zip(answers(fast), answers(slow)))
    assert same >= 3, (answers(fast), answers(slow))  # f16 GGUF against fp32: greedy answers agree
    assert len(set(answers(slow))) >= 3  # varied answers, not one repeated token

    mtime = gguf.stat().st_mtime_ns
    again = evaluate([str(tiny)], testset, tmp_path / "c", EvalConfig(engine="auto", **FAST), progress=False)
    info = again["results"]["model"]["engine"]
    assert info["engine"] == "llamacpp" and info["gguf_source"] == "cached" and info["check"]["cached"]
    assert gguf.stat().st_mtime_ns == mtime and len(list(export_root().iterdir())) == 1  # no second export
    assert answers(again) == answers(fast)


def test_a_changed_model_is_exported_again(tiny, cache, tmp_path):
    pytest.importorskip("llama_cpp")
    from chatforge.models.gguf_export import gguf_for

    first = gguf_for(str(tiny))
    other = varied_tiny(tmp_path / "other", seed=1)
    second = gguf_for(str(other))
    assert (first.how, second.how) == ("exported", "exported") and first.path != second.path
    assert gguf_for(str(tiny)).how == "cached"


def test_engine_llamacpp_without_the_package_is_one_clear_line(tiny, cache, testset, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # `import llama_cpp` raises ImportError
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--model",
            str(tiny),
            "--testset",
            str(testset),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "llamacpp",
            "--max-items",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert (
        summary["ok"] is False
        and "llama-cpp-python" in summary["error"]
        and "--engine transformers" in summary["error"]
    )
    assert not any(p.stat().st_size for p in (tmp_path / "out").rglob("*.jsonl"))  # refused before any generation
