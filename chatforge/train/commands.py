"""`chatforge train ...` (sft, rm, dpo, kto, rl), `chatforge pretrain` and `chatforge export`: parse, load the typed config, call the stage.

    chatforge train sft --model default --data runs/data --out runs/sft [--method lora] [--resume] [--json]
    chatforge train sft --model default --data runs/data --out runs/sft-search --search 8
    chatforge train sft --model default --data runs/data --index runs/index --testset testset.jsonl --out runs/reader
    chatforge train rm  --model default --data preferences/ranked.jsonl --out runs/rm [--json]
    chatforge train dpo --model runs/sft --data preferences/ranked.jsonl --out runs/dpo [--beta 0.1]
    chatforge train kto --model runs/sft --data preferences/thumbs.jsonl --out runs/kto [--beta 0.1]
    chatforge train rl  --model runs/sft --reward-model runs/rm --data preferences/ranked.jsonl --out runs/rl
    chatforge pretrain runs/data/corpus.jsonl --out runs/pretrain [--from MODEL] [--resume] [--json]
    chatforge export --model runs/sft --out runs/sft-merged --merge [--gguf] [--json]

Each takes `--config FILE.yaml`, repeated `--set key=value`, `--show-config` and `--json` (chatforge/command.py);
`export` takes `--json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.output import stderr

app = typer.Typer(
    help="Fine-tune models: sft (full, freeze, LoRA, DoRA, QLoRA); preference alignment: rm, dpo, kto, rl.",
    no_args_is_help=True,
)


def _quiet() -> None:
    import warnings

    import datasets
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    warnings.filterwarnings("ignore", category=FutureWarning)


@command(app, "sft", config="chatforge.train.sft:SFTConfig", result="chatforge.train.results:SFTResult")
def sft_cmd(
    data: Path = typer.Option(
        ..., "--data", help="Folder from `chatforge data prepare` (train.jsonl, val.jsonl) or one chat file."
    ),
    out: Path = typer.Option(
        ..., "--out", help="Output folder: model or adapter, metrics.json, checkpoints/, mlflow.db."
    ),
    model: Optional[str] = typer.Option(
        None, "--model", help="Base model: Hugging Face id, folder, .gguf file, or 'default'."
    ),
    method: Optional[str] = typer.Option(None, "--method", help="full, freeze, lora, dora or qlora."),
    epochs: Optional[float] = typer.Option(None, "--epochs", help="Passes over the training data."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Optimizer steps (overrides --epochs)."),
    learning_rate: Optional[float] = typer.Option(None, "--lr", help="Peak learning rate."),
    max_seq_len: Optional[int] = typer.Option(None, "--max-seq-len", help="Tokens per example."),
    replay: Optional[Path] = typer.Option(
        None, "--replay", help="General conversations (JSONL) mixed in against forgetting."
    ),
    replay_ratio: Optional[float] = typer.Option(
        None, "--replay-ratio", help="Share of the training mix from --replay."
    ),
    general_text: Optional[list[Path]] = typer.Option(
        None, "--general-text", help="General held-out text for before/after perplexity (repeatable)."
    ),
    search_trials: Optional[int] = typer.Option(
        None, "--search", help="Run N Optuna trials instead of one run; save the best config."
    ),
    index: Optional[Path] = typer.Option(
        None,
        "--index",
        help="Train the reader: first ask --data's questions through the grounded prompt over this index "
        "(rag reader-data, into OUT/reader-data), then train on that.",
    ),
    testset: Optional[Path] = typer.Option(
        None, "--testset", help="With --index: test set JSONL whose questions are never trained on."
    ),
    unanswerable: Optional[Path] = typer.Option(
        None, "--unanswerable", help="With --index: JSONL of questions the documents cannot answer."
    ),
    reader_config: Optional[Path] = typer.Option(
        None, "--reader-config", help="With --index: YAML of `rag reader-data`'s config (prompt, retrieval, shares)."
    ),
    reader_set: Optional[list[str]] = typer.Option(
        None, "--reader-set", help="With --index: override a `rag reader-data` field, key=value (retrieval.k=3)."
    ),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last complete checkpoint in --out."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace a previous run in --out."),
    cmd: Invocation = None,
) -> None:
    """Supervised fine-tuning on conversations, loss on assistant tokens only (with --index: on them grounded)."""
    from chatforge.train.sft import sft

    _quiet()
    cfg = cmd.config(
        model=model,
        method=method,
        epochs=epochs,
        max_steps=max_steps,
        learning_rate=learning_rate,
        max_seq_len=max_seq_len,
        replay=str(replay) if replay else None,
        replay_ratio=replay_ratio,
        general_text=[str(p) for p in general_text] if general_text else None,
    )
    reader = None
    if index is not None:
        reader = _reader_data(data, index, out, testset, unanswerable, reader_config, reader_set, resume, overwrite)
        data = Path(reader["out"])
    elif testset or unanswerable or reader_config or reader_set:
        cmd.fail("--testset, --unanswerable, --reader-config and --reader-set go with --index (the reader set)")
    if search_trials:
        from chatforge.train.search import search

        s = search(data, out, cfg, search_trials)  # progress on stderr, --json or not
        human = (
            f"best eval_loss {s['best_eval_loss']:.4f} with {s['best_params']} over {len(s['trials'])} trials\n"
            f"best config: {s['paths']['best_config']} (use with --config)"
        )
        from chatforge.train.results import SearchResult

        return cmd.emit({"ok": True, **s}, human, result=SearchResult)
    m = sft(data, out, cfg, resume=resume, overwrite=overwrite)  # progress on stderr, --json or not
    summary = {k: v for k, v in m.items() if k not in ("history", "versions", "inputs")}
    if reader is not None:
        summary["reader_data"] = reader
    human = (
        "" if reader is None else f"reader set: {reader['examples']['train']} conversations, {reader['out']}\n"
    ) + (
        f"{m['method']}: {m['steps']} steps, train loss {m['train_loss_first']:.4f} -> {m['train_loss']:.4f}, "
        f"eval loss {m['eval_loss_before']:.4f} -> {m['eval_loss']:.4f}, "
        f"{m['trainable_params']:,} / {m['total_params']:,} parameters trained, {m['tokens_per_s']} tokens/s\n"
        f"general perplexity {m['general_perplexity']['before']:.2f} -> {m['general_perplexity']['after']:.2f} "
        f"(forgetting {m['forgetting']:+.1%})\nmodel: {out}"
    )
    cmd.emit({"ok": True, **summary}, human)


def _reader_data(data, index, out, testset, unanswerable, reader_config, reader_set, resume, overwrite) -> dict:
    """`train sft --index`: --data's questions asked through the grounded prompt over the index (`rag reader-data`,
    same config), written to OUT/reader-data; returns its summary. Deterministic, so a --resume rebuilds the same set."""
    from chatforge.config import load_config
    from chatforge.rag.reader_data import ReaderDataConfig, reader_data
    from chatforge.train.sft import _check_out

    _check_out(out, resume, overwrite)  # before writing into OUT: --overwrite empties it, a used OUT is refused
    rcfg = load_config(
        ReaderDataConfig,
        reader_config,
        reader_set,
        testset=str(testset) if testset else None,
        unanswerable=str(unanswerable) if unanswerable else None,
    )
    return reader_data([data], index, out / "reader-data", rcfg)  # progress on stderr, --json or not


PrefData = typer.Option(
    ..., "--data", help="Preference JSONL: ranked answers, thumbs, or a `chatforge feedback export`."
)
PrefOut = typer.Option(..., "--out", help="Output folder: adapter or model, metrics.json, checkpoints/, mlflow.db.")
PrefModel = typer.Option(
    None, "--model", help="Starting model: SFT output folder, Hugging Face id, folder, .gguf or 'default'."
)
PrefMethod = typer.Option(None, "--method", help="lora (default) or full.")
PrefSteps = typer.Option(None, "--max-steps", help="Optimizer steps (overrides epochs).")
PrefLr = typer.Option(None, "--lr", help="Peak learning rate.")
BetaOpt = typer.Option(None, "--beta", help="Strength of the pull towards the reference (SFT) model.")
ResumeOpt = typer.Option(False, "--resume", help="Continue from the last complete checkpoint in --out.")
OverwriteOpt = typer.Option(False, "--overwrite", help="Replace a previous run in --out.")


def _preference_stage(
    stage: str, data: Path, out: Path, cmd: Invocation, resume: bool, overwrite: bool, **options
) -> None:
    if stage == "rm":
        from chatforge.train.reward import train_rm as train
    elif stage == "dpo":
        from chatforge.train.dpo import dpo as train
    elif stage == "rl":
        from chatforge.train.rl import rl as train
    else:
        from chatforge.train.kto import kto as train
    _quiet()
    cfg = cmd.config(**options)
    m = train(data, out, cfg, resume=resume, overwrite=overwrite)  # progress on stderr, --json or not
    summary = {k: v for k, v in m.items() if k not in ("history", "versions", "inputs", "eval_before")}
    if stage == "rm":
        result = (
            f"held-out pairwise accuracy {m['val_pairwise_accuracy_before']:.3f} -> {m['val_pairwise_accuracy']:.3f}"
        )
    elif stage == "rl":
        result = (
            f"reward {m['reward_first']:.3f} -> {m['reward_last']:.3f}, max KL {m['kl_max'] or 0:.3f} "
            f"(bound {m['max_kl']}{', exceeded at step ' + str(m['kl_exceeded_at']) if m['kl_exceeded_at'] else ''})\n"
            f"curves: {m['plot']}"
        )
    elif stage == "dpo":
        result = (
            f"chosen-rejected log-prob margin (held out) {m['logp_margin_before']['val']:.3f} -> "
            f"{m['logp_margin']['val']:.3f}"
        )
    else:
        shift = m["logp_shift"]["val"]
        result = (
            f"held-out log-prob shift: desirable {shift['desirable']:+.3f}, undesirable {shift['undesirable']:+.3f}"
        )
    human = (
        f"{stage} {m['method']}: {m['steps']} steps, train loss {m['train_loss_first']:.4f} -> {m['train_loss']:.4f}, "
        f"{m['rejected']} items rejected\n{result}\nmodel: {out}"
    )
    cmd.emit({"ok": True, **summary}, human)


@command(app, "rm", config="chatforge.train.reward:RMConfig", result="chatforge.train.results:RMResult")
def rm_cmd(
    data: Path = PrefData,
    out: Path = PrefOut,
    model: Optional[str] = PrefModel,
    method: Optional[str] = PrefMethod,
    max_steps: Optional[int] = PrefSteps,
    learning_rate: Optional[float] = PrefLr,
    resume: bool = ResumeOpt,
    overwrite: bool = OverwriteOpt,
    cmd: Invocation = None,
) -> None:
    """Reward model (scalar head, Bradley-Terry loss) from ranked answers or pairs; held-out pairwise accuracy."""
    _preference_stage(
        "rm",
        data,
        out,
        cmd,
        resume,
        overwrite,
        model=model,
        method=method,
        max_steps=max_steps,
        learning_rate=learning_rate,
    )


@command(app, "dpo", config="chatforge.train.dpo:DPOConfig", result="chatforge.train.results:DPOResult")
def dpo_cmd(
    data: Path = PrefData,
    out: Path = PrefOut,
    model: Optional[str] = PrefModel,
    method: Optional[str] = PrefMethod,
    beta: Optional[float] = BetaOpt,
    max_steps: Optional[int] = PrefSteps,
    learning_rate: Optional[float] = PrefLr,
    resume: bool = ResumeOpt,
    overwrite: bool = OverwriteOpt,
    cmd: Invocation = None,
) -> None:
    """Direct preference optimisation from pairs, the starting (SFT) model as reference."""
    _preference_stage(
        "dpo",
        data,
        out,
        cmd,
        resume,
        overwrite,
        model=model,
        method=method,
        beta=beta,
        max_steps=max_steps,
        learning_rate=learning_rate,
    )


@command(app, "kto", config="chatforge.train.kto:KTOConfig", result="chatforge.train.results:KTOResult")
def kto_cmd(
    data: Path = PrefData,
    out: Path = PrefOut,
    model: Optional[str] = PrefModel,
    method: Optional[str] = PrefMethod,
    beta: Optional[float] = BetaOpt,
    max_steps: Optional[int] = PrefSteps,
    learning_rate: Optional[float] = PrefLr,
    resume: bool = ResumeOpt,
    overwrite: bool = OverwriteOpt,
    cmd: Invocation = None,
) -> None:
    """KTO from thumbs up / down on single answers, the starting (SFT) model as reference."""
    _preference_stage(
        "kto",
        data,
        out,
        cmd,
        resume,
        overwrite,
        model=model,
        method=method,
        beta=beta,
        max_steps=max_steps,
        learning_rate=learning_rate,
    )


@command(app, "rl", config="chatforge.train.rl:RLConfig", result="chatforge.train.results:RLResult")
def rl_cmd(
    data: Path = typer.Option(..., "--data", help="Preference JSONL whose prompts are sampled (answers unused)."),
    out: Path = PrefOut,
    model: Optional[str] = PrefModel,
    reward_model: Optional[Path] = typer.Option(None, "--reward-model", help="Output folder of `chatforge train rm`."),
    method: Optional[str] = PrefMethod,
    kl_coef: Optional[float] = typer.Option(None, "--kl-coef", help="Weight of the KL penalty to the SFT policy."),
    max_kl: Optional[float] = typer.Option(None, "--max-kl", help="Bound on the per-token KL: warn / stop above it."),
    max_steps: Optional[int] = PrefSteps,
    learning_rate: Optional[float] = PrefLr,
    resume: bool = ResumeOpt,
    overwrite: bool = OverwriteOpt,
    cmd: Invocation = None,
) -> None:
    """Online RL (GRPO, clipped objective, KL penalty) of the SFT policy against the reward model."""
    _preference_stage(
        "rl",
        data,
        out,
        cmd,
        resume,
        overwrite,
        model=model,
        reward_model=str(reward_model) if reward_model else None,
        method=method,
        kl_coef=kl_coef,
        max_kl=max_kl,
        max_steps=max_steps,
        learning_rate=learning_rate,
    )


def pretrain_cmd(
    inputs: list[Path] = typer.Argument(
        None, help="corpus.jsonl from data prepare, .txt/.md files, JSONL with a text field, or folders."
    ),
    out: Path = typer.Option(..., "--out", help="Output model folder (with checkpoints/ and metrics.json)."),
    from_model: Optional[str] = typer.Option(
        None, "--from", help="Continue pretraining this model instead of starting from scratch."
    ),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last complete checkpoint in --out."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Optimizer steps."),
    cmd: Invocation = None,
) -> None:
    """Train a tokenizer and a small Llama from scratch, or continue pretraining a model, on plain text."""
    from chatforge.train.pretrain import pretrain

    _quiet()
    cfg = cmd.config(from_model=from_model, max_steps=max_steps)
    m = pretrain(inputs or [], out, cfg, resume=resume)  # progress on stderr, --json or not
    summary = {k: v for k, v in m.items() if k not in ("history", "versions", "inputs")}
    human = (
        f"{m['mode']}: {m['steps']} steps, final loss {m['final_loss']:.4f}, validation perplexity "
        f"{m['initial_val_perplexity']:.1f} -> {m['val_perplexity']:.1f}"
    )
    if "perplexity" in m:
        p = m["perplexity"]
        human += (
            f"\ndomain perplexity {p['domain']['before']:.1f} -> {p['domain']['after']:.1f}, "
            f"general {p['general']['before']:.1f} -> {p['general']['after']:.1f}"
        )
    cmd.emit({"ok": True, "out": str(out), **summary}, human + f"\nmodel: {out}")


def export_cmd(
    model: Path = typer.Option(..., "--model", help="Output folder of `chatforge train sft` (adapter or full model)."),
    out: Path = typer.Option(..., "--out", help="Folder for the standalone safetensors model."),
    merge: bool = typer.Option(False, "--merge", help="Merge a LoRA / DoRA adapter into its base."),
    gguf: bool = typer.Option(
        False, "--gguf", help="Also write model.gguf (Llama models: built in; others: llama.cpp's converter)."
    ),
    gguf_type: str = typer.Option("f16", "--gguf-type", help="GGUF tensor type: f16, f32 or q8_0."),
    cmd: Invocation = None,
) -> None:
    """Save a fine-tuned model as a standalone folder (adapters merged), optionally GGUF."""
    from chatforge.models.export import export

    _quiet()
    s = export(model, out, merge=merge, gguf=gguf, gguf_type=gguf_type)
    if s.get("gguf_skipped"):
        stderr.print(f"[yellow]gguf skipped:[/yellow] {s['gguf_skipped']}", highlight=False)
    cmd.emit(
        {"ok": True, **s},
        f"{'merged' if s['merged'] else 'saved'} model ({s['parameters']:,} parameters): {out}"
        + (f"\ngguf: {s['gguf']}" if s["gguf"] else ""),
    )


def register(root: typer.Typer) -> None:
    """Add `train`, `pretrain` and `export` to the root app."""
    root.add_typer(app, name="train")
    command(
        root,
        "pretrain",
        config="chatforge.train.pretrain:PretrainConfig",
        result="chatforge.train.results:PretrainResult",
    )(pretrain_cmd)
    command(root, "export", result="chatforge.train.results:ExportResult")(export_cmd)
