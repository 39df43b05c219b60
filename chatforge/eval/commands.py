"""`chatforge eval`: the full evaluation report, next to `chatforge eval perplexity`.

    chatforge eval --model A [--model B ...] --testset FILE --out DIR [--index IDX --role R]
                   [--fail-under token_f1=0.4,hallucination=0.2] [--judge RM] [--json]
    chatforge eval perplexity --model M --data FILE [--json]

`eval` is one Typer group: called with options and no subcommand it runs the evaluation
(runner.py), so the issue's form `chatforge eval --model A ...` works while
`chatforge eval perplexity ...` stays a subcommand. Exit status: 0 when done and the gate
passed, 1 when a `--fail-under` threshold failed, 2 for bad input or configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from pydantic import Field

from chatforge.command import Invocation, command
from chatforge.config import StageConfig
from chatforge.errors import ConfigError

HEADLINE = (
    "answer_correct",
    "abstention_recall",
    "false_abstention",
    "supported",
    "degenerate",
    "exact_match",
    "token_f1",
    "rouge_l",
    "bleu",
    "semantic_similarity",
    "hallucination",
    "consistency",
    "robustness",
    "bias",
)


def eval_callback(
    ctx: typer.Context,
    model: Optional[list[str]] = typer.Option(
        None,
        "--model",
        help="Model to evaluate (repeatable; the first is the A/B baseline): folder, .gguf, hub id or 'default'.",
    ),
    testset: Optional[Path] = typer.Option(
        None,
        "--testset",
        help="JSONL with question, answer and optionally id, doc_id, answerable, paraphrase_group, lang, intent.",
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Output folder for report.json, report.html, generations/ and mlflow.db."
    ),
    index: Optional[Path] = typer.Option(
        None, "--index", help="RAG index: evaluate every model with and without retrieval."
    ),
    role: Optional[list[str]] = typer.Option(
        None, "--role", help="Role(s) retrieval runs under (repeatable; default: public)."
    ),
    fail_under: Optional[str] = typer.Option(
        None,
        "--fail-under",
        help="Gate: metric=value,... ; exit 1 if the last model misses one (lower-is-better metrics: at most).",
    ),
    judge: Optional[str] = typer.Option(
        None, "--judge", help="Reward model folder judging A/B; default: reference-based."
    ),
    max_items: Optional[int] = typer.Option(
        None,
        "--max-items",
        help="Evaluate only N test items (the first N, or spread over the file with --set sample=spread).",
    ),
    suites: Optional[str] = typer.Option(
        None,
        "--suites",
        help="quick, standard (default) or full, or suites by name: hallucination,robustness,... (docs/evaluation.md).",
    ),
    engine: Optional[str] = typer.Option(
        None,
        "--engine",
        help="auto (default: llama.cpp on CPU when installed, checked against transformers), transformers or llamacpp.",
    ),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Print the generations each suite would make (per variant) and stop: no model loaded, nothing written.",
    ),
    cmd: Invocation = None,
) -> None:
    """Evaluate models on a held-out set (RAG on/off): metrics, suites, A/B, report, gate. Subcommands: perplexity."""
    if ctx.invoked_subcommand is not None:
        return
    if (
        engine != "transformers"
    ):  # llama.cpp's OpenMP runtime loads before torch's: one runtime, set passive (engines.py)
        from chatforge.eval.engines import llamacpp_importable

        llamacpp_importable()
    from chatforge.eval.gate import parse_fail_under
    from chatforge.eval.runner import EvalConfig, evaluate
    from chatforge.models.commands import quiet_transformers
    from chatforge.output import stderr

    if not model or testset is None or out is None:
        raise ConfigError("chatforge eval needs --model (one or more), --testset and --out")
    quiet_transformers()
    cfg = cmd.config(
        roles=role or None,
        judge=judge,
        max_items=max_items,
        suites=suites,
        engine=engine,
        fail_under=parse_fail_under(fail_under) or None,
    )
    roles_source = "--role" if role else "default" if cfg.roles == EvalConfig().roles else "config"
    if index is not None and not role:  # say which role the answers were read under
        stderr.print(f"eval: retrieval runs under role(s) {', '.join(cfg.roles)} ({roles_source}; choose with --role)")
    if dry_run:
        from chatforge.eval.profiles import describe
        from chatforge.eval.results import EvalCostResult
        from chatforge.eval.runner import estimate_cost

        cost = estimate_cost(model, testset, out, cfg, index=index)
        cmd.emit({"ok": True, "cost": cost}, describe(cost), result=EvalCostResult)
        return
    # progress and the cost estimate go to stderr with --json too: a plain line every 10 % or 30 s off a terminal
    report = evaluate(model, testset, out, cfg, index=index, progress=True, roles_source=roles_source)
    gate = report["gate"]
    summary = {
        "ok": gate["passed"],
        "variants": report["variants"],
        "items": report["testset"]["items"],
        "paths": report["paths"],
        "gate": gate,
        "roles": report["roles"],
        "warnings": report["warnings"],
        "seconds": report["seconds"],
        "items_per_s": report["items_per_s"],
        "cost": report["cost"],
        "metrics": {
            v: {k: (s[k] or {}).get("value") for k in HEADLINE if isinstance(s.get(k), dict)}
            for v, s in report["results"].items()
        },
    }
    lines = [f"{len(report['variants'])} variant(s) x {report['testset']['items']} items in {report['seconds']:.0f} s"]
    for v, metrics in summary["metrics"].items():
        lines.append(f"  {v}: " + ", ".join(f"{k} {x:.3f}" for k, x in metrics.items() if x is not None))
    for c in gate["checks"]:
        if not c["passed"]:
            lines.append(
                f"  gate failed: {c['variant']} {c['metric']} = {c['value']} (needs {c['direction']} {c['threshold']})"
            )
    lines.append(f"report: {report['paths']['report_html']}")
    cmd.emit(summary, "\n".join(lines))
    if not gate["passed"]:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    """Add `eval`: the evaluation when called with options, and its subcommand `perplexity`."""
    group = typer.Typer(
        help="Evaluate models: the full report (options below) or a subcommand (perplexity).", no_args_is_help=True
    )
    root.add_typer(group, name="eval")
    command(
        group,
        callback=True,
        config="chatforge.eval.runner:EvalConfig",
        result="chatforge.eval.results:EvalResult",
        invoke_without_command=True,
    )(eval_callback)
    command(group, "perplexity", config=PerplexityConfig, result="chatforge.eval.results:PerplexityResult")(
        perplexity_cmd
    )


class PerplexityConfig(StageConfig):
    """The config of `eval perplexity`."""

    context_length: int | None = Field(
        None, ge=2, description="Window in tokens; default: the model's context, at most 1024."
    )
    batch_size: int = Field(8, ge=1, description="Windows per forward pass.")
    max_windows: int | None = Field(None, ge=1, description="Stop after this many windows (None: all the text).")
    text_field: str = Field("text", description="Field holding the text in JSONL inputs.")


def perplexity_cmd(
    model: str = typer.Option(..., "--model", help="Model: Hugging Face id, folder, .gguf file, or 'default'."),
    data: list[Path] = typer.Option(
        ..., "--data", help="Text: corpus.jsonl, .txt/.md, JSONL with a text field (repeatable)."
    ),
    cmd: Invocation = None,
) -> None:
    """Perplexity of MODEL on held-out text (exp of the mean next-token loss)."""
    from chatforge.models.commands import quiet_transformers
    from chatforge.models.load import load_model
    from chatforge.models.perplexity import perplexity
    from chatforge.train.corpus import read_texts

    quiet_transformers()
    cfg = cmd.config()
    texts = read_texts(data, cfg.text_field)
    lm, tok = load_model(model)
    r = perplexity(lm, tok, texts, cfg.context_length, cfg.batch_size, cfg.max_windows)
    cmd.emit(
        {"ok": True, "model": model, "documents": len(texts), **r},
        f"{model}: perplexity {r['perplexity']:.2f} over {r['tokens']:,} tokens ({len(texts)} documents)",
    )
