"""What produced an output folder: input hashes, library versions, resolved config."""

from __future__ import annotations

import hashlib
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
