"""`chatforge train ...` (sft; later rm, dpo, kto, rl) and `chatforge export`: parse, load the typed config, call the stage.

    chatforge train sft --model default --data runs/data --out runs/sft [--method lora] [--resume] [--json]
    chatforge train sft --model default --data runs/data --out runs/sft-search --search 8
    chatforge export --model runs/sft --out runs/sft-merged --merge [--gguf] [--json]

Each takes `--config FILE.yaml`, repeated `--set key=value` and `--json`, like every stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.config import ConfigError, config_help, load_config
from chatforge.output import emit, stderr

app = typer.Typer(help="Fine-tune models: sft (full, freeze, LoRA, DoRA, QLoRA).", no_args_is_help=True)

ConfigOpt = typer.Option(None, "--config", help="YAML file with the stage config.")
SetOpt = typer.Option(None, "--set", help="Override one config field: key=value (repeatable, dotted keys).")
JsonOpt = typer.Option(False, "--json", help="Print a one-line JSON summary as the last stdout line.")
ShowOpt = typer.Option(False, "--show-config", help="List every config field with its default and help, then exit.")


def _errors():
    from chatforge.data.records import InputError
    from chatforge.models.gguf_cache import ModelError
    from chatforge.train.corpus import CorpusError

    return (ConfigError, InputError, ModelError, CorpusError, ValueError)


def _fail(message: str, as_json: bool, code: int = 2) -> None:
    stderr.print(f"[red]error:[/red] {message}", highlight=False)
    if as_json:
        emit({"ok": False, "error": message}, True)
    raise typer.Exit(code)


def _quiet() -> None:
    import warnings

    import datasets
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    warnings.filterwarnings("ignore", category=FutureWarning)


@app.command("sft")
def sft_cmd(
    data: Path = typer.Option(..., "--data", help="Folder from `chatforge data prepare` (train.jsonl, val.jsonl) or one chat file."),
    out: Path = typer.Option(..., "--out", help="Output folder: model or adapter, metrics.json, checkpoints/, mlflow.db."),
    model: Optional[str] = typer.Option(None, "--model", help="Base model: Hugging Face id, folder, .gguf file, or 'default'."),
    method: Optional[str] = typer.Option(None, "--method", help="full, freeze, lora, dora or qlora."),
    epochs: Optional[float] = typer.Option(None, "--epochs", help="Passes over the training data."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Optimizer steps (overrides --epochs)."),
    learning_rate: Optional[float] = typer.Option(None, "--lr", help="Peak learning rate."),
    max_seq_len: Optional[int] = typer.Option(None, "--max-seq-len", help="Tokens per example."),
    replay: Optional[Path] = typer.Option(None, "--replay", help="General conversations (JSONL) mixed in against forgetting."),
    replay_ratio: Optional[float] = typer.Option(None, "--replay-ratio", help="Share of the training mix from --replay."),
    general_text: Optional[list[Path]] = typer.Option(None, "--general-text", help="General held-out text for before/after perplexity (repeatable)."),
    search_trials: Optional[int] = typer.Option(None, "--search", help="Run N Optuna trials instead of one run; save the best config."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last complete checkpoint in --out."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace a previous run in --out."),
    show_config: bool = ShowOpt, config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt, as_json: bool = JsonOpt,
) -> None:
    """Supervised fine-tuning on conversations, loss on assistant tokens only."""
    from chatforge.train.peft_setup import MethodError
    from chatforge.train.sft import SFTConfig, sft

    if show_config:
        for name, default, help_text in config_help(SFTConfig):
            typer.echo(f"{name} = {default}\n    {help_text}")
        return
    _quiet()
    try:
        cfg = load_config(SFTConfig, config, set_, model=model, method=method, epochs=epochs, max_steps=max_steps,
                          learning_rate=learning_rate, max_seq_len=max_seq_len,
                          replay=str(replay) if replay else None, replay_ratio=replay_ratio,
                          general_text=[str(p) for p in general_text] if general_text else None)
        if search_trials:
            from chatforge.train.search import search

            s = search(data, out, cfg, search_trials, progress=not as_json)
            human = (f"best eval_loss {s['best_eval_loss']:.4f} with {s['best_params']} over {len(s['trials'])} trials\n"
                     f"best config: {s['paths']['best_config']} (use with --config)")
            return emit({"ok": True, **s}, as_json, human)
        m = sft(data, out, cfg, resume=resume, overwrite=overwrite, progress=not as_json)
    except (*_errors(), MethodError) as exc:
        return _fail(str(exc), as_json)
    summary = {k: v for k, v in m.items() if k not in ("history", "versions", "inputs")}
    human = (f"{m['method']}: {m['steps']} steps, train loss {m['train_loss_first']:.4f} -> {m['train_loss']:.4f}, "
             f"eval loss {m['eval_loss_before']:.4f} -> {m['eval_loss']:.4f}, "
             f"{m['trainable_params']:,} / {m['total_params']:,} parameters trained, {m['tokens_per_s']} tokens/s\n"
             f"general perplexity {m['general_perplexity']['before']:.2f} -> {m['general_perplexity']['after']:.2f} "
             f"(forgetting {m['forgetting']:+.1%})\nmodel: {out}")
    emit({"ok": True, **summary}, as_json, human)


def export_cmd(model: Path = typer.Option(..., "--model", help="Output folder of `chatforge train sft` (adapter or full model)."),
               out: Path = typer.Option(..., "--out", help="Folder for the standalone safetensors model."),
               merge: bool = typer.Option(False, "--merge", help="Merge a LoRA / DoRA adapter into its base."),
               gguf: bool = typer.Option(False, "--gguf", help="Also write model.gguf (needs llama.cpp's converter)."),
               as_json: bool = JsonOpt) -> None:
    """Save a fine-tuned model as a standalone folder (adapters merged), optionally GGUF."""
    from chatforge.models.export import export

    _quiet()
    try:
        s = export(model, out, merge=merge, gguf=gguf)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    if s.get("gguf_skipped"):
        stderr.print(f"[yellow]gguf skipped:[/yellow] {s['gguf_skipped']}", highlight=False)
    emit({"ok": True, **s}, as_json, f"{'merged' if s['merged'] else 'saved'} model ({s['parameters']:,} parameters): {out}"
         + (f"\ngguf: {s['gguf']}" if s["gguf"] else ""))


def register(root: typer.Typer) -> None:
    """Add `train` and `export` to the root app."""
    root.add_typer(app, name="train")
    root.command("export")(export_cmd)
