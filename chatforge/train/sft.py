"""Supervised fine-tuning on conversations: full, freeze, LoRA, DoRA or QLoRA, on TRL's SFTTrainer.

    chatforge train sft --model default --data runs/data --out runs/sft                 # LoRA
    chatforge train sft --model default --data runs/data --out runs/sft --method full
    chatforge train sft ... --replay examples/hirondelle-air/general/general_chat.jsonl --replay-ratio 0.2
    chatforge train sft ... --resume            # after a crash or Ctrl-C
    chatforge train sft ... --search 8          # Optuna: best lr, epochs, rank, batch size (search.py)

The loss counts assistant tokens only: the chat template (models/templates.py)
wraps each reply in `{% generation %}` markers and TRL's `assistant_only_loss`
masks everything else. The trainer evaluates validation loss and token accuracy
every `eval_every` steps, can stop early on validation loss, and writes a checkpoint
every `checkpoint_every` steps (committed atomically, checkpoint.py); `--resume`
restores weights or adapters, optimizer, scheduler, RNG and data position from the
last complete one. Before and after training the perplexity on general held-out text
is measured: `forgetting` = after / before - 1 (0.10 = 10 % worse on general text).

The output folder holds the model (an adapter for LoRA/DoRA/QLoRA, a full model
otherwise) with its tokenizer, `metrics.json`, `config.yaml`, `checkpoints/` and the
MLflow store `mlflow.db` (tracking.py).
"""

from __future__ import annotations

import resource
import shutil
import sys
from pathlib import Path
from typing import Literal

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.errors import ConfigError, UserError
from chatforge.models.allocator import release_freed_memory
from chatforge.output import stderr
from chatforge.train import peft_setup
from chatforge.train.chat_data import load_chat_data, mix_replay, read_chats, token_lengths, truncated_share
from chatforge.train.trainer_run import trainer_args, trainer_run


class SFTConfig(StageConfig):
    model: str = Field("default", description="Base model: Hugging Face id, folder, .gguf file, or 'default'.")
    method: Literal["full", "freeze", "lora", "dora", "qlora"] = Field(
        "lora",
        description="Which weights train: all, the last trainable_layers blocks, or LoRA / DoRA / QLoRA adapters.",
    )
    lora_r: int = Field(16, ge=1, description="LoRA rank.")
    lora_alpha: int = Field(32, ge=1, description="LoRA scaling numerator (update scaled by lora_alpha / lora_r).")
    lora_dropout: float = Field(0.05, ge=0, lt=1, description="Dropout on the LoRA input.")
    target_modules: list[str] | None = Field(
        None,
        description="Module names LoRA adapts; default per family (peft_setup.LORA_TARGETS), else all linear layers.",
    )
    trainable_layers: int = Field(2, ge=1, description="freeze: train only this many last transformer blocks.")
    learning_rate: float | None = Field(
        None, gt=0, description="Peak learning rate; default 2e-4 for adapters, 2e-5 for full / freeze."
    )
    epochs: float = Field(3.0, gt=0, description="Passes over the training data (ignored when max_steps is set).")
    max_steps: int | None = Field(None, ge=1, description="Optimizer steps; overrides epochs.")
    batch_size: int = Field(4, ge=1, description="Conversations (or packed windows) per device per micro-batch.")
    grad_accum: int = Field(
        1, ge=1, description="Micro-batches per optimizer step (effective batch = batch_size x grad_accum x devices)."
    )
    max_seq_len: int = Field(
        512, ge=8, description="Tokens per example; longer ones are truncated (the share is warned about)."
    )
    packing: bool = Field(False, description="Pack several conversations per window (best-fit decreasing), no padding.")
    padding_free: bool = Field(
        False,
        description="Flatten each batch into one sequence without padding (needs FlashAttention; on with packing).",
    )
    group_by_length: bool = Field(
        True,
        description="Batch conversations of similar length together (less padding, faster; order stays seeded-random across batches). Ignored with packing.",
    )
    scheduler: Literal["constant", "linear", "cosine"] = Field(
        "cosine", description="Learning-rate schedule after warm-up."
    )
    warmup_steps: int = Field(0, ge=0, description="Linear warm-up steps.")
    weight_decay: float = Field(0.0, ge=0, description="AdamW weight decay.")
    max_grad_norm: float = Field(1.0, ge=0, description="Clip the gradient norm to this (0: off).")
    eval_every: int = Field(50, ge=1, description="Validation loss and token accuracy every this many steps.")
    early_stopping_patience: int | None = Field(
        None, ge=1, description="Stop after this many evaluations without a better validation loss (None: off)."
    )
    early_stopping_threshold: float = Field(
        0.0, ge=0, description="Improvement in validation loss that counts as better."
    )
    checkpoint_every: int = Field(50, ge=1, description="Write a checkpoint every this many steps.")
    keep_checkpoints: int = Field(2, ge=1, description="Complete checkpoints kept on disk.")
    log_every: int = Field(10, ge=1, description="Log training loss, lr and token accuracy every this many steps.")
    val_fraction: float = Field(
        0.1, gt=0, lt=0.5, description="Share held out for validation when the data has no val.jsonl."
    )
    replay: str | None = Field(
        None, description="General conversations (JSONL) mixed into training against forgetting."
    )
    replay_ratio: float = Field(0.0, ge=0, lt=1, description="Share of the training mix drawn from replay.")
    general_text: list[str] = Field(
        default_factory=list,
        description="General held-out text (.txt/.md/.jsonl) for before/after perplexity; default: bundled sample.",
    )
    gradient_checkpointing: bool = Field(
        True,
        description="Recompute activations in the backward pass: a fraction of their memory (the default model at 8 x 512 tokens: 2.9 instead of 4.2 GB peak), about 25 % slower. TRL's default too.",
    )
    mlflow: bool = Field(True, description="Log the run to MLflow (OUT/mlflow.db unless MLFLOW_TRACKING_URI is set).")
    experiment: str = Field("chatforge-sft", description="MLflow experiment name.")
    seed: int = Field(42, description="Seed for initialisation, data order and dropout.")
    device: str | None = Field(None, description="cpu or cuda; default: cuda when available.")


class RunExistsError(UserError, ValueError):
    """The output folder holds another run."""


def _check_out(out: Path, resume: bool, overwrite: bool) -> None:
    used = out.is_dir() and any(
        (out / n).exists() for n in ("metrics.json", "checkpoints", "adapter_config.json", "config.json")
    )
    if not used or resume:
        return
    if overwrite:
        shutil.rmtree(out)
        return
    raise RunExistsError(
        f"{out} already holds a run: pass --resume to continue it, --overwrite to replace it, or choose another --out"
    )


def _load(cfg: SFTConfig):
    """(model, tokenizer) for training, on the chosen device; 4-bit for QLoRA."""
    from chatforge.models.load import load_model, load_tokenizer, resolve

    if cfg.method != "qlora":
        model, tokenizer = load_model(cfg.model, device=cfg.device)
        return model, tokenizer
    from peft import prepare_model_for_kbit_training
    from transformers import AutoModelForCausalLM

    source = resolve(cfg.model).source
    model = AutoModelForCausalLM.from_pretrained(
        source, quantization_config=peft_setup.quantization_config(), device_map={"": 0}
    )
    return prepare_model_for_kbit_training(model, cfg.gradient_checkpointing), load_tokenizer(source)


def _check_template(tokenizer) -> None:
    from trl.chat_template_utils import get_training_chat_template, has_generation_markers

    if has_generation_markers(tokenizer.chat_template):
        return
    try:
        patched = get_training_chat_template(tokenizer)
    except ValueError:
        patched = None
    if patched is None:
        raise ConfigError(
            "the model's chat template does not mark assistant tokens ({% generation %} ... "
            "{% endgeneration %}), so the loss cannot be restricted to replies. Remove the tokenizer's "
            "chat_template to use chatforge's family template, or add the markers"
        )


def _general_texts(cfg: SFTConfig) -> list[str]:
    from chatforge.train.corpus import read_texts
    from chatforge.train.general_text import GENERAL_SAMPLE

    return read_texts(cfg.general_text) if cfg.general_text else GENERAL_SAMPLE


def _general_loss(model, tokenizer, texts: list[str], cfg: SFTConfig) -> dict:
    from chatforge.models.perplexity import perplexity

    context = min(cfg.max_seq_len, getattr(model.config, "max_position_embeddings", cfg.max_seq_len) or cfg.max_seq_len)
    # two windows at a time: every position goes through the LM head here, and after training this pass would
    # otherwise set the stage's peak memory
    return perplexity(model, tokenizer, texts, context=context, batch_size=min(cfg.batch_size, 2))


def trl_config(cfg: SFTConfig, ckpt_dir: Path, on_cuda: bool):
    """TRL SFTConfig for our typed config: the one place our names meet the trainer's."""
    from trl import SFTConfig as TrlSFTConfig

    lr = 2e-4 if cfg.method in peft_setup.ADAPTER_METHODS else 2e-5  # when the config sets none
    early = cfg.early_stopping_patience is not None
    return TrlSFTConfig(
        **trainer_args(cfg, ckpt_dir, on_cuda, lr),
        weight_decay=cfg.weight_decay,
        packing=cfg.packing,
        padding_free=cfg.padding_free,
        # Padding to the longest row of a random batch wastes much of the compute on short FAQ turns.
        train_sampling_strategy="group_by_length" if cfg.group_by_length and not cfg.packing else "random",
        assistant_only_loss=True,
        metric_for_best_model="eval_loss" if early else None,
        greater_is_better=False if early else None,
    )


def sft(
    data: str | Path,
    out: str | Path,
    cfg: SFTConfig | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
    write_outputs: bool = True,
) -> dict:
    """Fine-tune, evaluate, save; return the metrics (also written to OUT/metrics.json).

    `callbacks` are extra transformers TrainerCallbacks (tests use one to interrupt a run).
    With `write_outputs=False` (hyper-parameter search trials) no model, checkpoint or MLflow run is written.
    """
    import torch
    from datasets import Dataset
    from transformers import EarlyStoppingCallback
    from trl import SFTTrainer

    cfg = cfg or SFTConfig()
    out = Path(out)
    if not progress:
        import datasets

        datasets.disable_progress_bars()
    peft_setup.check_method(cfg.method)  # before any loading: QLoRA on CPU fails here
    if write_outputs:
        _check_out(out, resume, overwrite)
    chats = load_chat_data(data, cfg.val_fraction)
    for r in chats.rejected:
        stderr.print(f"[yellow]rejected[/yellow] {r.source}:{r.line}: {r.reason}", highlight=False, soft_wrap=True)
    train = chats.train
    input_files = list(chats.files)
    if cfg.replay and cfg.replay_ratio > 0:
        replay, _ = read_chats(Path(cfg.replay))
        train = mix_replay(train, replay, cfg.replay_ratio, cfg.seed)
        input_files.append(Path(cfg.replay))

    model, tokenizer = _load(cfg)
    _check_template(tokenizer)
    lengths = token_lengths(tokenizer, train)
    truncated = truncated_share(lengths, cfg.max_seq_len)
    if truncated > 0:
        stderr.print(
            f"[yellow]warning:[/yellow] {truncated:.0%} of training conversations exceed max_seq_len="
            f"{cfg.max_seq_len} tokens and are truncated (longest {max(lengths)}); raise --max-seq-len",
            highlight=False,
            soft_wrap=True,
        )
    general_texts = _general_texts(cfg)
    general_before = _general_loss(model, tokenizer, general_texts, cfg)
    release_freed_memory()  # the perplexity pass's freed memory, before the training's peak

    peft_config = None
    if cfg.method in peft_setup.ADAPTER_METHODS:
        peft_config = peft_setup.lora_config(
            cfg.method, model.config.model_type, cfg.lora_r, cfg.lora_alpha, cfg.lora_dropout, cfg.target_modules
        )
    elif cfg.method == "freeze":
        peft_setup.freeze_all_but_last(model, cfg.trainable_layers)

    ckpt_dir = out / "checkpoints"
    on_cuda = next(model.parameters()).device.type == "cuda"
    args = trl_config(cfg, ckpt_dir, on_cuda)
    if not write_outputs:
        args.save_strategy = "no"
    torch.manual_seed(cfg.seed)  # LoRA initialisation
    trainer = SFTTrainer(
        model=model,
        args=args,
        processing_class=tokenizer,
        peft_config=peft_config,
        train_dataset=Dataset.from_list([{"messages": c} for c in train]),
        eval_dataset=Dataset.from_list([{"messages": c} for c in chats.val]),
    )
    extra = list(callbacks or [])
    if cfg.early_stopping_patience is not None:
        extra.insert(0, EarlyStoppingCallback(cfg.early_stopping_patience, cfg.early_stopping_threshold))
    tracking = (cfg.experiment, {**cfg.model_dump(), "data": str(data)}) if cfg.mlflow else None
    with trainer_run(
        trainer, out, f"sft {cfg.method}", cfg.keep_checkpoints, resume, progress, extra, tracking, write_outputs
    ) as done:
        general_after = _general_loss(trainer.model, tokenizer, general_texts, cfg)
        tokens = getattr(trainer, "_total_train_tokens", 0)  # counted by TRL over this process's steps only
        seconds = done.seconds
        metrics = {
            "method": cfg.method,
            "model": cfg.model,
            **done.common(),
            "stopped_early": trainer.state.global_step < trainer.state.max_steps,
            "eval_loss_before": done.eval_before["eval_loss"],
            "eval_loss": done.eval_after["eval_loss"],
            "eval_token_accuracy": done.eval_after.get("eval_mean_token_accuracy"),
            "train_examples": len(train),
            "val_examples": len(chats.val),
            "rejected": len(chats.rejected),
            "truncated_share": round(truncated, 4),
            "replay": {"file": cfg.replay, "ratio": cfg.replay_ratio, "examples": len(train) - len(chats.train)}
            if cfg.replay
            else None,
            "general_perplexity": {"before": general_before["perplexity"], "after": general_after["perplexity"]},
            "forgetting": general_after["perplexity"] / general_before["perplexity"] - 1,
            "tokens_per_s": round(tokens / seconds, 1) if seconds > 0 else None,
            "peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 2**20), 1
            ),
            "history": trainer.state.log_history,
        }
        if on_cuda:
            metrics["peak_cuda_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
        return done.save(cfg, metrics, input_files, _scalars)


def _scalars(metrics: dict) -> dict[str, float]:
    from chatforge.train.tracking import numeric

    return numeric({k: v for k, v in metrics.items() if k not in ("steps", "max_steps")})
