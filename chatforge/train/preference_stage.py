"""What `chatforge train rm|dpo|kto` share: the typed config fields, the policy loader, and the run around a TRL trainer.

The run around the trainer is the same as SFT's (sft.py): rich progress, checkpoints
committed atomically (checkpoint.py) and `--resume` from the last complete one,
evaluation before and after, MLflow (tracking.py), and an output folder holding the
model or adapter, its tokenizer, `config.yaml` and `metrics.json` with input hashes
and library versions. Each stage adds its own fields and metrics.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Literal

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.output import stderr
from chatforge.train import peft_setup
from chatforge.train.trainer_run import trainer_run


class PreferenceConfig(StageConfig):
    model: str = Field(
        "default",
        description="Starting model: SFT output folder (adapter or full), Hugging Face id, folder, .gguf, or 'default'.",
    )
    method: Literal["full", "lora"] = Field("lora", description="Train all weights or LoRA adapters.")
    lora_r: int = Field(16, ge=1, description="LoRA rank.")
    lora_alpha: int = Field(32, ge=1, description="LoRA scaling numerator (update scaled by lora_alpha / lora_r).")
    lora_dropout: float = Field(0.05, ge=0, lt=1, description="Dropout on the LoRA input.")
    target_modules: list[str] | None = Field(
        None, description="Module names LoRA adapts; default per family (peft_setup.LORA_TARGETS)."
    )
    learning_rate: float | None = Field(None, gt=0, description="Peak learning rate; default per stage and method.")
    epochs: float = Field(1.0, gt=0, description="Passes over the training data (ignored when max_steps is set).")
    max_steps: int | None = Field(None, ge=1, description="Optimizer steps; overrides epochs.")
    batch_size: int = Field(4, ge=1, description="Pairs (or thumbs) per device per micro-batch.")
    grad_accum: int = Field(1, ge=1, description="Micro-batches per optimizer step.")
    max_seq_len: int = Field(512, ge=8, description="Tokens per prompt + answer.")
    scheduler: Literal["constant", "linear", "cosine"] = Field(
        "cosine", description="Learning-rate schedule after warm-up."
    )
    warmup_steps: int = Field(0, ge=0, description="Linear warm-up steps.")
    max_grad_norm: float = Field(1.0, ge=0, description="Clip the gradient norm to this (0: off).")
    eval_every: int = Field(50, ge=1, description="Evaluate on the held-out prompts every this many steps.")
    checkpoint_every: int = Field(50, ge=1, description="Write a checkpoint every this many steps.")
    keep_checkpoints: int = Field(2, ge=1, description="Complete checkpoints kept on disk.")
    log_every: int = Field(10, ge=1, description="Log training metrics every this many steps.")
    val_fraction: float = Field(0.15, gt=0, lt=0.5, description="Share of prompts held out for evaluation.")
    allow_ties: bool = Field(
        False, description="Rankings with identical answers: drop only the tied pairs instead of the whole item."
    )
    system: str | None = Field(
        None,
        description=(
            "System message put first in every prompt that has none: the one the SFT data and the served bot use, so "
            "the stage trains on the conversation the bot will see (none: prompts as in the file)."
        ),
    )
    mlflow: bool = Field(True, description="Log the run to MLflow (OUT/mlflow.db unless MLFLOW_TRACKING_URI is set).")
    gradient_checkpointing: bool = Field(
        True,
        description="Recompute activations in the backward pass: a fraction of their memory, about 25 % slower (TRL's default too).",
    )
    seed: int = Field(42, description="Seed for initialisation, data order and dropout.")
    device: str | None = Field(None, description="cpu or cuda; default: cuda when available.")


def report_rejected(rejected) -> None:
    for r in rejected:
        stderr.print(f"[yellow]rejected[/yellow] {r.source}:{r.line}: {r.reason}", highlight=False, soft_wrap=True)


def load_policy(spec: str, device: str | None = None):
    """(model, tokenizer): an SFT adapter folder is merged into its base, so training starts from the SFT model."""
    from chatforge.models.load import load_model, pick_device

    if (Path(spec) / "adapter_config.json").is_file():
        from chatforge.models.export import load_merged

        model, tokenizer = load_merged(spec, merge=True)
        dev, dtype = pick_device(device)
        return model.to(dev, dtype), tokenizer
    return load_model(spec, device=device)


def lora(cfg: PreferenceConfig, model_type: str | None, task_type: str = "CAUSAL_LM"):
    if cfg.method != "lora":
        return None
    config = peft_setup.lora_config(
        "lora", model_type, cfg.lora_r, cfg.lora_alpha, cfg.lora_dropout, cfg.target_modules
    )
    config.task_type = task_type  # SEQ_CLS also trains (modules_to_save) the reward model's new score head
    return config


def run(
    trainer,
    cfg: PreferenceConfig,
    out: Path,
    stage: str,
    inputs: list[Path],
    counts: dict,
    finish: Callable[[object], dict] | None = None,
    resume: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
) -> dict:
    """Train with progress, committed checkpoints, resume and MLflow (trainer_run.py); save; return and write the metrics.

    `finish(trainer)` adds the stage's own measurements after training (held-out accuracy, margins).
    """
    from chatforge.train.tracking import numeric

    tracking = (f"chatforge-{stage}", cfg.model_dump()) if cfg.mlflow else None
    with trainer_run(
        trainer, out, f"{stage} {cfg.method}", cfg.keep_checkpoints, resume, progress, callbacks, tracking
    ) as done:
        metrics = {
            "stage": stage,
            "method": cfg.method,
            "model": cfg.model,
            **done.common(),
            "eval_before": numeric(done.eval_before),
            "eval": numeric(done.eval_after),
            **counts,
        }
        if finish is not None:
            metrics.update(finish(trainer))
        metrics["history"] = trainer.state.log_history

        def final(m: dict) -> dict:
            flat = {k: v for k, v in m.items() if k not in ("steps", "max_steps")}
            flat.update({f"eval_{k.removeprefix('eval_')}": v for k, v in m["eval"].items()})
            return numeric(flat)

        return done.save(cfg, metrics, inputs, final)
