"""MLflow tracking for training runs: params, per-step metrics and artefacts, in a local store by default.

Used by `chatforge train sft`. The store is `sqlite:///OUT/mlflow.db` (browse it with
`mlflow ui --backend-store-uri sqlite:///OUT/mlflow.db`, artefacts in
OUT/mlartifacts/) unless `MLFLOW_TRACKING_URI`
points elsewhere, e.g. a team's MLflow server. Params are our typed config (not the
hundred TrainingArguments), with secret-named fields and passwords in URLs masked; metrics
are what the trainer logs, keyed by optimizer step.
"""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from pathlib import Path

from transformers import TrainerCallback

from chatforge.output import mask_secrets


def user_tracking_uri() -> str | None:
    return os.environ.get("MLFLOW_TRACKING_URI")


def tracking_uri(out: Path) -> str:
    return user_tracking_uri() or f"sqlite:///{Path(out).resolve() / 'mlflow.db'}"


@contextmanager
def mlflow_run(out: Path, experiment: str, run_name: str, params: dict):
    """An active MLflow run for the duration of the block; yields the mlflow module."""
    import logging

    import mlflow

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    local = user_tracking_uri() is None
    uri = tracking_uri(out)
    mlflow.set_tracking_uri(uri)  # also exports MLFLOW_TRACKING_URI: restored below, so the next run gets its own store
    if mlflow.get_experiment_by_name(experiment) is None:
        # artefacts beside the local store, not in ./mlruns of whatever folder the command ran from
        location = (Path(out).resolve() / "mlartifacts").as_uri() if local else None
        mlflow.create_experiment(experiment, artifact_location=location)
    mlflow.set_experiment(experiment)
    try:
        with mlflow.start_run(run_name=run_name):
            # a field holding a key, or a URL with a password, is masked: params are readable by whoever reads the store
            mlflow.log_params({k: ("" if v is None else str(v))[:500] for k, v in mask_secrets(params).items()})
            yield mlflow
    finally:
        if local:
            os.environ.pop("MLFLOW_TRACKING_URI", None)


def numeric(metrics: dict) -> dict[str, float]:
    return {
        k: float(v)
        for k, v in metrics.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    }


class MlflowLogCallback(TrainerCallback):
    """Send every trainer log (loss, lr, eval_loss, token accuracy...) to the active MLflow run."""

    def __init__(self, mlflow):
        self.mlflow = mlflow

    def on_log(self, args, state, control, logs=None, **kwargs):
        values = numeric(logs or {})
        if values:
            self.mlflow.log_metrics(values, step=state.global_step)
