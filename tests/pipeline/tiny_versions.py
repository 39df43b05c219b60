"""Helpers for the registry and loop tests: distinguishable tiny models and crafted evaluation reports."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from chatforge.models.tiny import build_tiny_model


def tiny_version(folder: Path, seed: int, base: str = "tiny-base") -> Path:
    """A tiny Llama (same tokenizer, weights from `seed`) with the config.yaml a training stage would leave."""
    build_tiny_model(folder, n_layer=1, n_embd=32, n_head=4, context_length=256, seed=seed)
    (folder / "config.yaml").write_text(yaml.safe_dump({"model": base, "method": "lora", "seed": seed}), encoding="utf-8")
    return folder


def crafted_report(path: Path, candidate: str, testset_sha: str = "t" * 64, rag: bool = False, **metrics: float) -> Path:
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
    report = {"models": ["baseline", candidate], "variants": list(results), "results": results,
              "testset": {"path": "testset.jsonl", "sha256": testset_sha, "items": 10}, "paths": {}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report), encoding="utf-8")
    return path
