"""`chatforge models ...`, `generate` and `chat`: parse, load the typed config, call the stage.

    chatforge models inspect default --json
    chatforge models recommend default --batch 1 --seq 512 --json
    chatforge models recommend --params 7e9 --json
    chatforge generate --model default --prompt "Les bagages en soute" [--json]
    chatforge chat --model default

Each takes `--json`; `recommend`, `generate` and `chat` also `--config FILE.yaml`, repeated
`--set key=value` and `--show-config` (chatforge/command.py). `pretrain` is a train command,
`eval perplexity` an eval command.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer
from pydantic import Field

from chatforge.command import Invocation, command
from chatforge.config import StageConfig
from chatforge.errors import ConfigError
from chatforge.output import stderr

app = typer.Typer(help="Base models: inspect, size for this machine.", no_args_is_help=True)

ModelOpt = typer.Option(
    None, "--model", help="Hugging Face id, model folder, .gguf file, or 'default' (packaged Gemma 3 270M)."
)


class RecommendConfig(StageConfig):
    """Sizes `models recommend` estimates memory for."""

    batch: int = Field(1, ge=1, description="Sequences per step for the activation estimate.")
    seq: int = Field(512, ge=1, description="Tokens per sequence for the activation and KV-cache estimates.")
    lora_r: int = Field(16, ge=1, description="LoRA rank for the LoRA / QLoRA estimates.")


class GenerateConfig(StageConfig):
    """The config of `generate` and `chat`."""

    model: str = Field("default", description="Model: Hugging Face id, folder, .gguf file, or 'default'.")
    max_new_tokens: int = Field(128, ge=1, description="Tokens to generate at most.")
    temperature: float = Field(0.0, ge=0, description="Sampling temperature; 0 is greedy.")
    top_p: float = Field(1.0, gt=0, le=1, description="Nucleus sampling mass when temperature > 0.")
    seed: int | None = Field(None, description="Sampling seed.")
    system: str | None = Field(None, description="System prompt (chat, or generate with --chat-template).")
    device: str | None = Field(None, description="cpu or cuda; default: cuda when available.")


def quiet_transformers() -> None:
    """No transformers warnings or download bars: the command's own progress and summary only."""
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


@command(app, "inspect", result="chatforge.models.results:InspectResult")
def inspect_cmd(
    model: str = typer.Argument(..., help="Hugging Face id, model folder, .gguf file, or 'default'."),
    cmd: Invocation = None,
) -> None:
    """Name, parameters, architecture, context length, vocabulary, chat template, size on disk."""
    from chatforge.models.inspect import inspect

    quiet_transformers()
    info = inspect(model)
    human = (
        f"{info['name']}: {info['architecture']} ({info['model_type']}), {info['parameters']:,} parameters, "
        f"context {info['context_length']}, vocabulary {info['vocab_size']}, "
        f"chat template {'yes' if info['chat_template'] else 'no (family template: ' + info['template_used'] + ')'}, "
        f"{info['disk_bytes'] / 2**20:.0f} MiB on disk"
    )
    cmd.emit({"ok": True, **info}, human)


@command(app, "recommend", config=RecommendConfig, result="chatforge.models.results:RecommendResult")
def recommend_cmd(
    model: Optional[str] = typer.Argument(None, help="Model to size (or use --params)."),
    params: Optional[float] = typer.Option(None, "--params", help="Parameter count, e.g. 7e9, when no model is given."),
    batch: Optional[int] = typer.Option(None, "--batch", help="Batch size."),
    seq: Optional[int] = typer.Option(None, "--seq", help="Sequence length."),
    cmd: Invocation = None,
) -> None:
    """Memory for inference, full fine-tuning, LoRA and QLoRA, with a verdict for this machine."""
    from chatforge.models.memory import GiB, recommend, shape_from_config, shape_from_params

    quiet_transformers()
    cfg = cmd.config(batch=batch, seq=seq)
    if (model is None) == (params is None):
        raise ConfigError("give either a MODEL or --params N")
    if model is not None:
        from chatforge.models.load import load_model_config

        shape = shape_from_config(load_model_config(model), name=model)
    else:
        shape = shape_from_params(params)
    r = recommend(shape, cfg.batch, cfg.seq, cfg.lora_r)
    hw = r["hardware"]
    lines = [
        f"{r['model']}: {shape.params:,} parameters; batch {cfg.batch}, seq {cfg.seq}; "
        f"RAM {hw['ram_available'] / GiB:.1f}/{hw['ram_total'] / GiB:.1f} GiB free"
        + (f", GPU {hw['gpu']['name']} {hw['gpu']['memory_total'] / GiB:.0f} GiB" if hw["gpu"] else ", no GPU")
    ]
    for method, m in r["methods"].items():
        lines.append(f"  {method:<9} {m['total_gib']:>8.2f} GiB on {m['device']}: {m['verdict']}")
    cmd.emit({"ok": True, **r}, "\n".join(lines))


def generate_cmd(
    prompt: str = typer.Option(..., "--prompt", help="Text to continue (raw, no chat template)."),
    model: Optional[str] = ModelOpt,
    max_new_tokens: Optional[int] = typer.Option(None, "--max-new-tokens", help="Tokens to generate at most."),
    temperature: Optional[float] = typer.Option(None, "--temperature", help="0 = greedy."),
    chat_template: bool = typer.Option(
        False, "--chat-template", help="Send the prompt as a user turn through the chat template."
    ),
    cmd: Invocation = None,
) -> None:
    """Stream a continuation of --prompt (or a chat reply with --chat-template)."""
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model

    quiet_transformers()
    cfg = cmd.config(model=model, max_new_tokens=max_new_tokens, temperature=temperature)
    lm, tok = load_model(cfg.model, device=cfg.device)
    messages = None
    if chat_template:
        messages = ([{"role": "system", "content": cfg.system}] if cfg.system else []) + [
            {"role": "user", "content": prompt}
        ]
    out = sys.stderr if cmd.as_json else sys.stdout
    stats: dict = {}
    text = ""
    for piece in stream(
        lm,
        tok,
        prompt=None if messages else prompt,
        messages=messages,
        max_new_tokens=cfg.max_new_tokens,
        temperature=cfg.temperature,
        top_p=cfg.top_p,
        seed=cfg.seed,
        stats=stats,
    ):
        text += piece
        out.write(piece)
        out.flush()
    out.write("\n")
    cmd.emit({"ok": True, "model": cfg.model, "text": text, **stats})


def chat_cmd(
    model: Optional[str] = ModelOpt,
    system: Optional[str] = typer.Option(None, "--system", help="System prompt."),
    cmd: Invocation = None,
) -> None:
    """A terminal chat with the model; /reset clears the conversation, /exit (or Ctrl-D) leaves."""
    from chatforge.models.generate import chat_loop
    from chatforge.models.load import load_model

    quiet_transformers()
    cfg = cmd.config(model=model, system=system)
    lm, tok = load_model(cfg.model, device=cfg.device)

    def read() -> str | None:
        try:
            return input("> ")
        except EOFError:
            return None

    def write(piece: str) -> None:
        sys.stdout.write(piece)
        sys.stdout.flush()

    stderr.print(f"chatting with {cfg.model} (/reset, /exit)")
    chat_loop(
        lm,
        tok,
        read,
        write,
        system=cfg.system,
        max_new_tokens=cfg.max_new_tokens,
        temperature=cfg.temperature,
        top_p=cfg.top_p,
        seed=cfg.seed,
    )
    cmd.emit({"ok": True, "model": cfg.model})


def register(root: typer.Typer) -> None:
    """Add `models`, `generate` and `chat` to the root app."""
    root.add_typer(app, name="models")
    command(root, "generate", config=GenerateConfig, result="chatforge.models.results:GenerateResult")(generate_cmd)
    command(root, "chat", config=GenerateConfig, result="chatforge.models.results:ChatResult")(chat_cmd)
