"""One run of a Hugging Face / TRL trainer, shared by SFT and the preference stages (rm, DPO, KTO, RL).

    with trainer_run(trainer, out, "sft lora", keep_checkpoints=2, resume=resume,
                     tracking=("chatforge-sft", params)) as run:
        metrics = {**run.common(), "eval_loss": run.eval_after["eval_loss"]}
        run.save(cfg, metrics, inputs, final=lambda m: numeric(m))

Before training: progress on stderr (a bar on a terminal, plain lines otherwise) instead of the trainer's
printers, committed checkpoints (checkpoint.py), the stage's own callbacks, the newest committed checkpoint to
resume from, and a first evaluation. Training runs inside an MLflow run (tracking.py) when `tracking` is
given, on the main process only (under `accelerate launch` only rank 0 writes and tracks). `save` writes the
model, its tokenizer and the run record (provenance.record_run), and logs the final metrics and files to
MLflow. With `write_outputs=False` (hyper-parameter search trials) nothing is written.
"""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from chatforge.models.allocator import release_freed_memory
from chatforge.models.label_logits import score_labelled_only
from chatforge.provenance import record_run
from chatforge.train import peft_setup
from chatforge.train.checkpoint import CommitCheckpoints, last_committed
from chatforge.train.trainer_hooks import TrainProgress, final_eval

LIBRARIES = ["torch", "transformers", "trl", "peft", "datasets", "mlflow"]


@dataclass
class TrainerRun:
    """A finished `trainer.train()` and what the stages report about it."""

    trainer: Any
    out: Path
    ckpt_dir: Path
    resume_from: Path | None
    eval_before: dict
    trainable: int
    total: int
    main: bool
    write_outputs: bool
    tracker: Any = None
    result: Any = None
    seconds: float = 0.0
    eval_after: dict = field(default_factory=dict)

    def common(self) -> dict:
        """The metrics every trainer stage reports: steps, losses, parameters, time."""
        state = self.trainer.state
        train_logs = [h for h in state.log_history if "loss" in h]
        return {
            "steps": state.global_step,
            "max_steps": state.max_steps,
            "resumed_from": self.resume_from.name if self.resume_from else None,
            "train_loss_first": train_logs[0]["loss"] if train_logs else None,
            "train_loss": train_logs[-1]["loss"] if train_logs else None,
            "train_loss_mean": self.result.training_loss,
            "trainable_params": self.trainable,
            "total_params": self.total,
            "train_seconds": round(self.seconds, 2),
        }

    def save(self, cfg, metrics: dict, inputs: list[Path], final: Callable[[dict], dict] | None = None) -> dict:
        """Save the model and tokenizer, write the run record, log `final(metrics)` to MLflow; returns `metrics`."""
        if not self.write_outputs:
            return metrics
        out = self.out
        self.trainer.save_model(str(out))  # adapter only for LoRA / DoRA / QLoRA
        if not self.main:
            return metrics
        self.trainer.processing_class.save_pretrained(str(out))
        metrics["paths"] = {
            "model": str(out),
            "metrics": str(out / "metrics.json"),
            "config": str(out / "config.yaml"),
            "checkpoints": str(self.ckpt_dir),
        }
        if self.tracker is not None:
            metrics["paths"]["mlflow"] = self.tracker.get_tracking_uri()
        record_run(out, cfg, metrics, inputs, LIBRARIES)
        if self.tracker is not None:
            if final is not None:
                self.tracker.log_metrics({f"final_{k}": v for k, v in final(metrics).items()})
            self.tracker.log_artifact(str(out / "metrics.json"))
            self.tracker.log_artifact(str(out / "config.yaml"))
        return metrics


def trainer_args(cfg, ckpt_dir: Path, on_cuda: bool, lr: float) -> dict:
    """The TrainingArguments SFT and every preference trainer take alike from their typed configs (SFTConfig,
    PreferenceConfig): seeds, schedule, batch, length, checkpoint / evaluation / log cadence and device; `lr` is the
    stage's default learning rate, used when the config sets none. Checkpoints are kept by CommitCheckpoints and
    progress shown by TrainProgress, hence no save limit and no tqdm."""
    scheduler = {"constant": "constant_with_warmup" if cfg.warmup_steps else "constant"}.get(
        cfg.scheduler, cfg.scheduler
    )
    return dict(
        output_dir=str(ckpt_dir),
        seed=cfg.seed,
        data_seed=cfg.seed,
        learning_rate=cfg.learning_rate or lr,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps or -1,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.grad_accum,
        lr_scheduler_type=scheduler,
        warmup_steps=cfg.warmup_steps,
        max_grad_norm=cfg.max_grad_norm,
        max_length=cfg.max_seq_len,
        gradient_checkpointing=cfg.gradient_checkpointing,
        eval_strategy="steps",
        eval_steps=cfg.eval_every,
        save_strategy="steps",
        save_steps=cfg.checkpoint_every,
        save_total_limit=None,
        logging_steps=cfg.log_every,
        logging_first_step=True,
        report_to=[],
        disable_tqdm=True,
        bf16=on_cuda,
        fp16=False,
        use_cpu=not on_cuda,
        dataloader_num_workers=0,
    )


@contextmanager
def trainer_run(
    trainer,
    out: Path,
    label: str,
    keep_checkpoints: int,
    resume: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
    tracking: tuple[str, dict] | None = None,
    write_outputs: bool = True,
) -> Iterator[TrainerRun]:
    """Train `trainer` (see the module docstring) and yield the finished run; `tracking` = (experiment, params)."""
    from transformers import set_seed
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    out = Path(out)
    ckpt_dir = out / "checkpoints"
    score_labelled_only(next(trainer.model.parameters()).device.type)  # TRL's fused LM head: labelled positions only
    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(TrainProgress(label, disable=not progress))
    if write_outputs:
        trainer.add_callback(CommitCheckpoints(ckpt_dir, keep_checkpoints))
    for cb in callbacks or []:
        trainer.add_callback(cb)
    trainable, total = peft_setup.count_parameters(trainer.model)
    resume_from = last_committed(ckpt_dir) if resume else None
    run = TrainerRun(
        trainer,
        out,
        ckpt_dir,
        resume_from,
        trainer.evaluate(),
        trainable,
        total,
        main=trainer.is_world_process_zero(),
        write_outputs=write_outputs,
    )
    with ExitStack() as stack:
        if write_outputs and tracking is not None and run.main:
            from chatforge.train.tracking import MlflowLogCallback, mlflow_run

            experiment, params = tracking
            run.tracker = stack.enter_context(mlflow_run(out, experiment, out.name, params))
            trainer.add_callback(MlflowLogCallback(run.tracker))
        # The evaluation above may draw from the global RNG (accelerate seeds its loaders from it), and the
        # length-grouped sampler orders the batches from it: seeding again makes the batch order the seed's alone
        set_seed(trainer.args.seed)
        release_freed_memory()  # what the evaluation freed, before the training's peak (models/allocator.py)
        t0 = time.perf_counter()
        run.result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
        run.seconds = time.perf_counter() - t0
        release_freed_memory()  # what the training freed, before the final evaluation and perplexity
        run.eval_after = final_eval(trainer)
        yield run
