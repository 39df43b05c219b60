"""Hyper-parameter search for SFT with Optuna: learning rate, epochs, LoRA rank and batch size, scored on validation loss.

    chatforge train sft --model default --data runs/data --out runs/sft-search --search 8
    chatforge train sft --model default --data runs/data --out runs/sft --config runs/sft-search/best_config.yaml

Each trial is a full `sft` run that writes nothing (no model, no checkpoint, no MLflow
run); the TPE sampler (seeded) proposes the next values from the finished trials. The
best config is printed and saved as `best_config.yaml`, a complete SFT config file, and
every trial goes to `search.json`. `storage` (an Optuna RDB URL) shares a study between
machines.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from chatforge.output import Tracker, stderr
from chatforge.train.peft_setup import ADAPTER_METHODS
from chatforge.train.sft import SFTConfig, sft

EPOCHS = [1.0, 2.0, 3.0]
LORA_RANKS = [4, 8, 16, 32]
BATCH_SIZES = [2, 4, 8]


def suggest(trial, base: SFTConfig) -> dict:
    """Trial values: lr log-uniform over a decade either side of the method's default, the rest categorical."""
    default_lr = base.learning_rate or (2e-4 if base.method in ADAPTER_METHODS else 2e-5)
    values = {
        "learning_rate": trial.suggest_float("learning_rate", default_lr / 10, default_lr * 10, log=True),
        "batch_size": trial.suggest_categorical("batch_size", BATCH_SIZES),
    }
    if base.max_steps is None:  # with a fixed step budget epochs mean nothing
        values["epochs"] = trial.suggest_categorical("epochs", EPOCHS)
    if base.method in ADAPTER_METHODS:
        values["lora_r"] = trial.suggest_categorical("lora_r", LORA_RANKS)
        values["lora_alpha"] = 2 * values["lora_r"]  # keep the usual alpha = 2r scaling
    return values


def search(
    data: str | Path, out: str | Path, base: SFTConfig, n_trials: int, storage: str | None = None, progress: bool = True
) -> dict:
    """Run `n_trials` trials; write best_config.yaml and search.json into `out`; return the summary."""
    import optuna
    import yaml

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    study = optuna.create_study(
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=base.seed),
        storage=storage,
        study_name="chatforge-sft",
        load_if_exists=storage is not None,
    )

    def objective(trial) -> float:
        values = suggest(trial, base)
        cfg = base.model_copy(update=values)
        with tempfile.TemporaryDirectory(prefix=f"trial-{trial.number}-") as scratch:  # the trainer wants a folder
            m = sft(data, scratch, cfg, progress=False, write_outputs=False)
        stderr.print(f"trial {trial.number}: eval_loss {m['eval_loss']:.4f} with {values}", highlight=False)
        return m["eval_loss"]

    with Tracker("search", n_trials, unit="trials", show=progress) as tracker:  # each trial is a whole SFT run
        study.optimize(objective, n_trials=n_trials, callbacks=[lambda study, trial: tracker.advance()])
    best = base.model_copy(
        update={
            **study.best_params,
            **({"lora_alpha": 2 * study.best_params["lora_r"]} if "lora_r" in study.best_params else {}),
        }
    )
    best_path = out / "best_config.yaml"
    best_path.write_text(
        yaml.safe_dump(best.model_dump(mode="json"), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    trials = [
        {"number": t.number, "params": t.params, "eval_loss": t.value, "state": t.state.name} for t in study.trials
    ]
    summary = {
        "best_eval_loss": study.best_value,
        "best_params": study.best_params,
        "trials": trials,
        "paths": {"best_config": str(best_path), "search": str(out / "search.json")},
    }
    (out / "search.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary
