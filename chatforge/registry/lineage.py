"""Where a registered model comes from: base, data hashes, config, parent, run, model hash.

    chatforge registry register NAME --model runs/dpo [--data runs/data] [--config cfg.yaml] [--base default]

Read by `Registry.register` (versions.py). What a command did not say is taken from the
model folder's own provenance, as the training stages write it: `config.yaml` (the
resolved config; its `model` field is the starting model), `metrics.json` (its `inputs`
are the sha256 of the training files) and `mlflow.db` (the MLflow run named after the
folder). Hashes are sha256 of file contents; a folder hashes each of its files and then
the sorted list of `relative path:hash` lines, so renaming the folder keeps its hash.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import yaml

from chatforge.provenance import file_sha256

# bulky or volatile parts of a run folder that are not the model itself
SKIP_IN_MODEL = {"checkpoints", "mlflow.db", "mlartifacts", "mlruns", "generations", "__pycache__"}


def files_of(folder: Path, skip: set[str] | None = None) -> list[Path]:
    """Every file under `folder` (sorted, relative order stable), leaving out `skip` names at any depth."""
    skip = skip or set()
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not any(part in skip for part in p.relative_to(folder).parts)
    )


def folder_digest(folder: Path, skip: set[str] | None = None) -> tuple[str, dict[str, str]]:
    """(sha256 over `relpath:sha256` lines, {relpath: sha256}) for the files of a folder."""
    hashes = {p.relative_to(folder).as_posix(): file_sha256(p) for p in files_of(folder, skip)}
    h = hashlib.sha256("".join(f"{k}:{v}\n" for k, v in hashes.items()).encode())
    return h.hexdigest(), hashes


def data_hashes(paths: list[str | Path]) -> dict[str, dict]:
    """{path: {"sha256", "files"}}: a file's own hash, or a folder's digest with each file's hash."""
    out: dict[str, dict] = {}
    for p in map(Path, paths):
        if p.is_file():
            out[str(p)] = {"sha256": file_sha256(p), "files": 1}
        elif p.is_dir():
            digest, files = folder_digest(p)
            out[str(p)] = {"sha256": digest, "files": len(files), "file_hashes": files}
        else:
            raise FileNotFoundError(f"--data {p}: no such file or folder")
    return out


def read_config(model_dir: Path, config: str | Path | None) -> tuple[dict | None, str | None]:
    """(resolved config, where it was read): --config first, else the model folder's config.yaml."""
    path = Path(config) if config else model_dir / "config.yaml"
    if not path.is_file():
        if config:
            raise FileNotFoundError(f"--config {path}: no such file")
        return None, None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return (data if isinstance(data, dict) else {"value": data}), str(path)


def training_inputs(model_dir: Path) -> dict[str, dict]:
    """The data hashes a training stage recorded in metrics.json (`inputs`: {path: sha256})."""
    path = model_dir / "metrics.json"
    if not path.is_file():
        return {}
    try:
        inputs = json.loads(path.read_text(encoding="utf-8")).get("inputs") or {}
    except (json.JSONDecodeError, AttributeError):
        return {}
    return {str(k): {"sha256": v, "files": 1, "from": "metrics.json"} for k, v in inputs.items() if isinstance(v, str)}


def recorded_run_id(model_dir: Path) -> str | None:
    """The MLflow run a training stage logged into the folder's own store (run name = folder name), if any."""
    db = model_dir / "mlflow.db"
    if not db.is_file():
        return None
    import logging

    from mlflow.tracking import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        client = MlflowClient(tracking_uri=f"sqlite:///{db.resolve()}")
        ids = [e.experiment_id for e in client.search_experiments()]
        runs = (
            client.search_runs(
                ids,
                filter_string=f"tags.`mlflow.runName` = '{model_dir.name}'",
                order_by=["attributes.start_time DESC"],
                max_results=1,
            )
            if ids
            else []
        )
    except Exception:  # an unreadable or foreign store: lineage says "unknown" rather than failing registration
        return None
    return runs[0].info.run_id if runs else None


def lineage(
    model_dir: Path,
    *,
    base: str | None = None,
    data: list | None = None,
    config: str | Path | None = None,
    parent: dict | None = None,
    run_id: str | None = None,
) -> dict:
    """Everything known about how `model_dir` was made; see the module docstring for where each field comes from."""
    cfg, cfg_path = read_config(model_dir, config)
    model_sha, model_files = folder_digest(model_dir, SKIP_IN_MODEL)
    return {
        "base": base or (cfg or {}).get("model") or (parent or {}).get("base"),
        "data": data_hashes(data) if data else training_inputs(model_dir),
        "config": cfg,
        "config_path": cfg_path,
        "parent": parent,
        "run_id": run_id or recorded_run_id(model_dir),
        "model_sha256": model_sha,
        "model_files": len(model_files),
        "source_path": str(model_dir.resolve()),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
