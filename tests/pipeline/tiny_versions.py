"""Helpers for the registry and loop tests: distinguishable tiny models and crafted evaluation reports."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from chatforge.models.tiny import SAMPLE_TEXT, llama_config, train_bpe_tokenizer


def tiny_version(folder: Path, seed: int, base: str = "tiny-base", context_length: int = 256) -> Path:
    """A tiny Llama (same tokenizer, weights from `seed`) with the config.yaml a training stage would leave.

    The output head is not tied to the embeddings: a tied random model just repeats the prompt's
    last token, so every seed would answer alike; untied, each seed answers differently.
    """
    import torch
    from transformers import LlamaForCausalLM

    tokenizer = train_bpe_tokenizer([SAMPLE_TEXT] * 20, 384)
    torch.manual_seed(seed)
    cfg = llama_config(
        len(tokenizer),
        1,
        32,
        4,
        context_length,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
    )
    LlamaForCausalLM(cfg).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / "config.yaml").write_text(
        yaml.safe_dump({"model": base, "method": "lora", "seed": seed}), encoding="utf-8"
    )
    return folder


def crafted_report(
    path: Path, candidate: str, testset_sha: str = "t" * 64, rag: bool = False, **metrics: float
) -> Path:
    """A report.json in runner.py's shape: the last model is the candidate, mean metrics as {value, ci, n}."""

    def section(shift: float = 0.0) -> dict:
        out = {}
        for name, v in metrics.items():
            node = {"value": v + shift, "ci": [v - 0.05, v + 0.05], "n": 10}
            parts = name.split(".")
            target = out
            for p in parts[:-1]:
                target = target.setdefault(p, {})
            target[parts[-1]] = node
        out["items"] = [{"id": "q1", "answer": "x", "token_f1": 0.1}]
        return out

    results = {"baseline": section(-0.1), candidate: section()}
    if rag:
        results[candidate + "+rag"] = section(0.05)
    report = {
        "models": ["baseline", candidate],
        "variants": list(results),
        "results": results,
        "testset": {"path": "testset.jsonl", "sha256": testset_sha, "items": 10},
        "paths": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


_TEMPLATE: list[Path] = []


def fresh_registry(folder: Path):
    """A new, empty folder registry. Creating MLflow's tables takes seconds, so the first empty store is copied."""
    import shutil
    import tempfile

    from chatforge.registry.versions import Registry

    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="cf-registry-template-"))
        Registry(template)
        _TEMPLATE.append(template / "mlflow.db")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(_TEMPLATE[0], folder / "mlflow.db")
    return Registry(folder)
