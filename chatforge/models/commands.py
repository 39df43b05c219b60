"""`chatforge models ...`, `generate`, `chat`, `pretrain` and `eval perplexity`: parse, load the typed config, call the stage.

    chatforge models inspect default --json
    chatforge models recommend default --batch 1 --seq 512 --json
    chatforge models recommend --params 7e9 --json
    chatforge generate --model default --prompt "Les bagages en soute" [--json]
    chatforge chat --model default
    chatforge pretrain runs/data/corpus.jsonl --out runs/pretrain [--from MODEL] [--resume] [--json]
    chatforge eval perplexity --model runs/pretrain --data runs/data/corpus.jsonl --json

Each takes `--config FILE.yaml`, repeated `--set key=value` and `--json`, like every stage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from pydantic import Field

from chatforge.config import ConfigError, StageConfig, config_help, load_config
from chatforge.output import emit, stderr, fail as _fail

app = typer.Typer(help="Base models: inspect, size for this machine.", no_args_is_help=True)

ConfigOpt = typer.Option(None, "--config", help="YAML file with the stage config.")
SetOpt = typer.Option(None, "--set", help="Override one config field: key=value (repeatable, dotted keys).")
JsonOpt = typer.Option(False, "--json", help="Print a one-line JSON summary as the last stdout line.")
ShowOpt = typer.Option(False, "--show-config", help="List every config field with its default and help, then exit.")
ModelOpt = typer.Option(None, "--model", help="Hugging Face id, model folder, .gguf file, or 'default' (packaged Gemma 3 270M).")


class RecommendConfig(StageConfig):
    batch: int = Field(1, ge=1, description="Sequences per step for the activation estimate.")
    seq: int = Field(512, ge=1, description="Tokens per sequence for the activation and KV-cache estimates.")
    lora_r: int = Field(16, ge=1, description="LoRA rank for the LoRA / QLoRA estimates.")


class GenerateConfig(StageConfig):
    model: str = Field("default", description="Model: Hugging Face id, folder, .gguf file, or 'default'.")
    max_new_tokens: int = Field(128, ge=1, description="Tokens to generate at most.")
    temperature: float = Field(0.0, ge=0, description="Sampling temperature; 0 is greedy.")
    top_p: float = Field(1.0, gt=0, le=1, description="Nucleus sampling mass when temperature > 0.")
    seed: int | None = Field(None, description="Sampling seed.")
    system: str | None = Field(None, description="System prompt (chat, or generate with --chat-template).")
    device: str | None = Field(None, description="cpu or cuda; default: cuda when available.")


class PerplexityConfig(StageConfig):
    context_length: int | None = Field(None, ge=2, description="Window in tokens; default: the model's context, at most 1024.")
    batch_size: int = Field(8, ge=1, description="Windows per forward pass.")
    max_windows: int | None = Field(None, ge=1, description="Stop after this many windows (None: all the text).")
    text_field: str = Field("text", description="Field holding the text in JSONL inputs.")


def _errors():
    from chatforge.data.records import InputError
    from chatforge.models.gguf_cache import ModelError
    from chatforge.train.corpus import CorpusError

    return (ConfigError, InputError, ModelError, CorpusError)


def _show(cls) -> None:
    for name, default, help_text in config_help(cls):
        typer.echo(f"{name} = {default}\n    {help_text}")


def _quiet_transformers() -> None:
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


@app.command("inspect")
def inspect_cmd(model: str = typer.Argument(..., help="Hugging Face id, model folder, .gguf file, or 'default'."),
                config: Optional[Path] = ConfigOpt, set_: Optional[list[str]] = SetOpt, as_json: bool = JsonOpt) -> None:
    """Name, parameters, architecture, context length, vocabulary, chat template, size on disk."""
    from chatforge.models.inspect import inspect

    _quiet_transformers()
    try:
        info = inspect(model)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    human = (f"{info['name']}: {info['architecture']} ({info['model_type']}), {info['parameters']:,} parameters, "
             f"context {info['context_length']}, vocabulary {info['vocab_size']}, "
             f"chat template {'yes' if info['chat_template'] else 'no (family template: ' + info['template_used'] + ')'}, "
             f"{info['disk_bytes'] / 2**20:.0f} MiB on disk")
    emit({"ok": True, **info}, as_json, human)


@app.command("recommend")
def recommend_cmd(model: Optional[str] = typer.Argument(None, help="Model to size (or use --params)."),
                  params: Optional[float] = typer.Option(None, "--params", help="Parameter count, e.g. 7e9, when no model is given."),
                  batch: Optional[int] = typer.Option(None, "--batch", help="Batch size."),
                  seq: Optional[int] = typer.Option(None, "--seq", help="Sequence length."),
                  show_config: bool = ShowOpt, config: Optional[Path] = ConfigOpt,
                  set_: Optional[list[str]] = SetOpt, as_json: bool = JsonOpt) -> None:
    """Memory for inference, full fine-tuning, LoRA and QLoRA, with a verdict for this machine."""
    from chatforge.models.memory import GiB, recommend, shape_from_config, shape_from_params

    if show_config:
        return _show(RecommendConfig)
    _quiet_transformers()
    try:
        cfg = load_config(RecommendConfig, config, set_, batch=batch, seq=seq)
        if (model is None) == (params is None):
            raise ConfigError("give either a MODEL or --params N")
        if model is not None:
            from chatforge.models.load import load_model_config

            shape = shape_from_config(load_model_config(model), name=model)
        else:
            shape = shape_from_params(params)
        r = recommend(shape, cfg.batch, cfg.seq, cfg.lora_r)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    hw = r["hardware"]
    lines = [f"{r['model']}: {shape.params:,} parameters; batch {cfg.batch}, seq {cfg.seq}; "
             f"RAM {hw['ram_available'] / GiB:.1f}/{hw['ram_total'] / GiB:.1f} GiB free"
             + (f", GPU {hw['gpu']['name']} {hw['gpu']['memory_total'] / GiB:.0f} GiB" if hw["gpu"] else ", no GPU")]
    for method, m in r["methods"].items():
        lines.append(f"  {method:<9} {m['total_gib']:>8.2f} GiB on {m['device']}: {m['verdict']}")
    emit({"ok": True, **r}, as_json, "\n".join(lines))


def generate_cmd(prompt: str = typer.Option(..., "--prompt", help="Text to continue (raw, no chat template)."),
                 model: Optional[str] = ModelOpt,
                 max_new_tokens: Optional[int] = typer.Option(None, "--max-new-tokens", help="Tokens to generate at most."),
                 temperature: Optional[float] = typer.Option(None, "--temperature", help="0 = greedy."),
                 chat_template: bool = typer.Option(False, "--chat-template", help="Send the prompt as a user turn through the chat template."),
                 show_config: bool = ShowOpt, config: Optional[Path] = ConfigOpt,
                 set_: Optional[list[str]] = SetOpt, as_json: bool = JsonOpt) -> None:
    """Stream a continuation of --prompt (or a chat reply with --chat-template)."""
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model

    if show_config:
        return _show(GenerateConfig)
    _quiet_transformers()
    try:
        cfg = load_config(GenerateConfig, config, set_, model=model, max_new_tokens=max_new_tokens, temperature=temperature)
        lm, tok = load_model(cfg.model, device=cfg.device)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    messages = None
    if chat_template:
        messages = ([{"role": "system", "content": cfg.system}] if cfg.system else []) + [{"role": "user", "content": prompt}]
    out = sys.stderr if as_json else sys.stdout
    stats: dict = {}
    text = ""
    for piece in stream(lm, tok, prompt=None if messages else prompt, messages=messages, max_new_tokens=cfg.max_new_tokens,
                        temperature=cfg.temperature, top_p=cfg.top_p, seed=cfg.seed, stats=stats):
        text += piece
        out.write(piece)
        out.flush()
    out.write("\n")
    emit({"ok": True, "model": cfg.model, "text": text, **stats}, as_json)


def chat_cmd(model: Optional[str] = ModelOpt,
             system: Optional[str] = typer.Option(None, "--system", help="System prompt."),
             show_config: bool = ShowOpt, config: Optional[Path] = ConfigOpt,
             set_: Optional[list[str]] = SetOpt) -> None:
    """A terminal chat with the model; /reset clears the conversation, /exit (or Ctrl-D) leaves."""
    from chatforge.models.generate import chat_loop
    from chatforge.models.load import load_model

    if show_config:
        return _show(GenerateConfig)
    _quiet_transformers()
    try:
        cfg = load_config(GenerateConfig, config, set_, model=model, system=system)
        lm, tok = load_model(cfg.model, device=cfg.device)
    except _errors() as exc:
        return _fail(str(exc), False)

    def read() -> str | None:
        try:
            return input("> ")
        except EOFError:
            return None

    def write(piece: str) -> None:
        sys.stdout.write(piece)
        sys.stdout.flush()

    stderr.print(f"chatting with {cfg.model} (/reset, /exit)")
    chat_loop(lm, tok, read, write, system=cfg.system, max_new_tokens=cfg.max_new_tokens,
              temperature=cfg.temperature, top_p=cfg.top_p, seed=cfg.seed)


def pretrain_cmd(inputs: list[Path] = typer.Argument(None, help="corpus.jsonl from data prepare, .txt/.md files, JSONL with a text field, or folders."),
                 out: Path = typer.Option(..., "--out", help="Output model folder (with checkpoints/ and metrics.json)."),
                 from_model: Optional[str] = typer.Option(None, "--from", help="Continue pretraining this model instead of starting from scratch."),
                 resume: bool = typer.Option(False, "--resume", help="Continue from the last complete checkpoint in --out."),
                 max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Optimizer steps."),
                 show_config: bool = ShowOpt, config: Optional[Path] = ConfigOpt,
                 set_: Optional[list[str]] = SetOpt, as_json: bool = JsonOpt) -> None:
    """Train a tokenizer and a small Llama from scratch, or continue pretraining a model, on plain text."""
    from chatforge.train.pretrain import PretrainConfig, pretrain

    if show_config:
        return _show(PretrainConfig)
    _quiet_transformers()
    try:
        cfg = load_config(PretrainConfig, config, set_, from_model=from_model, max_steps=max_steps)
        m = pretrain(inputs or [], out, cfg, resume=resume, progress=not as_json)
    except (*_errors(), ValueError) as exc:
        return _fail(str(exc), as_json)
    summary = {k: v for k, v in m.items() if k not in ("history", "versions", "inputs")}
    human = (f"{m['mode']}: {m['steps']} steps, final loss {m['final_loss']:.4f}, validation perplexity "
             f"{m['initial_val_perplexity']:.1f} -> {m['val_perplexity']:.1f}")
    if "perplexity" in m:
        p = m["perplexity"]
        human += (f"\ndomain perplexity {p['domain']['before']:.1f} -> {p['domain']['after']:.1f}, "
                  f"general {p['general']['before']:.1f} -> {p['general']['after']:.1f}")
    emit({"ok": True, "out": str(out), **summary}, as_json, human + f"\nmodel: {out}")


eval_app = typer.Typer(help="Evaluate models.", no_args_is_help=True)


@eval_app.command("perplexity")
def perplexity_cmd(model: str = typer.Option(..., "--model", help="Model: Hugging Face id, folder, .gguf file, or 'default'."),
                   data: list[Path] = typer.Option(..., "--data", help="Text: corpus.jsonl, .txt/.md, JSONL with a text field (repeatable)."),
                   show_config: bool = ShowOpt, config: Optional[Path] = ConfigOpt,
                   set_: Optional[list[str]] = SetOpt, as_json: bool = JsonOpt) -> None:
    """Perplexity of MODEL on held-out text (exp of the mean next-token loss)."""
    from chatforge.models.load import load_model
    from chatforge.models.perplexity import perplexity
    from chatforge.train.corpus import read_texts

    if show_config:
        return _show(PerplexityConfig)
    _quiet_transformers()
    try:
        cfg = load_config(PerplexityConfig, config, set_)
        texts = read_texts(data, cfg.text_field)
        lm, tok = load_model(model)
        r = perplexity(lm, tok, texts, cfg.context_length, cfg.batch_size, cfg.max_windows)
    except (*_errors(), ValueError) as exc:
        return _fail(str(exc), as_json)
    emit({"ok": True, "model": model, "documents": len(texts), **r}, as_json,
         f"{model}: perplexity {r['perplexity']:.2f} over {r['tokens']:,} tokens ({len(texts)} documents)")


def register(root: typer.Typer) -> None:
    """Add `models`, `generate`, `chat`, `pretrain` and `eval perplexity` to the root app."""
    root.add_typer(app, name="models")
    root.command("generate")(generate_cmd)
    root.command("chat")(chat_cmd)
    root.command("pretrain")(pretrain_cmd)
    root.add_typer(eval_app, name="eval")
