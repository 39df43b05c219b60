"""What produced an output folder: input hashes, library versions, resolved config, and the one writer of a run record.

    record_run(out, cfg, metrics, inputs=[data], libraries=["torch", "transformers"])
    # out/config.yaml: the resolved config (secrets masked); out/metrics.json: metrics + inputs (sha256) + versions

Every training stage writes its folder's record through `record_run`; the registry's lineage
(registry/lineage.py) and `models/chat_tuning.py` read it back.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from importlib import metadata
from pathlib import Path

import yaml
from pydantic import BaseModel

from chatforge.output import mask_secrets


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def library_versions(names: list[str]) -> dict[str, str]:
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in ["chatforge", *names]:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_resolved_config(config: BaseModel, out_dir: Path) -> Path:
    path = out_dir / "config.yaml"
    resolved = mask_secrets(config.model_dump(mode="json"))  # a backend key or a URL's password is not provenance
    path.write_text(yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def input_hashes(paths) -> dict[str, str]:
    """{path: sha256} of each input file."""
    return {str(p): file_sha256(p) for p in paths}


def write_metrics(metrics: dict, out_dir: Path, name: str = "metrics.json") -> Path:
    """`metrics` as indented UTF-8 JSON in `out_dir`, written to a temporary file and renamed into place."""
    path = Path(out_dir) / name
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(metrics, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(path)
    return path


def record_run(out_dir: Path, config: BaseModel, metrics: dict, inputs=(), libraries=()) -> dict:
    """The record of a run in `out_dir`: config.yaml (resolved config), and metrics.json holding `metrics` with
    `inputs` (sha256 of each input file) and `versions` (of Python, chatforge and `libraries`) added to it.
    Returns `metrics`, completed as written."""
    write_resolved_config(config, Path(out_dir))
    metrics["inputs"] = input_hashes(inputs)
    metrics["versions"] = library_versions(list(libraries))
    write_metrics(metrics, Path(out_dir))
    return metrics
