"""`chatforge eval`: the full evaluation report, next to `chatforge eval perplexity`.

    chatforge eval --model A [--model B ...] --testset FILE --out DIR [--index IDX --role R]
                   [--fail-under token_f1=0.4,hallucination=0.2] [--judge RM] [--json]
    chatforge eval perplexity --model M --data FILE      (models/commands.py)

`eval` is one Typer group: called with options and no subcommand it runs the evaluation
(runner.py), so the issue's form `chatforge eval --model A ...` works while
`chatforge eval perplexity ...` stays a subcommand. Exit status: 0 when done and the gate
passed, 1 when a `--fail-under` threshold failed, 2 for bad input or configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.config import ConfigError, config_help, load_config
from chatforge.output import emit, fail as _fail

HEADLINE = ("exact_match", "token_f1", "rouge_l", "bleu", "semantic_similarity", "hallucination", "consistency",
            "robustness", "bias")


def eval_callback(
    ctx: typer.Context,
    model: Optional[list[str]] = typer.Option(None, "--model", help="Model to evaluate (repeatable; the first is the A/B baseline): folder, .gguf, hub id or 'default'."),
    testset: Optional[Path] = typer.Option(None, "--testset", help="JSONL with question, answer and optionally id, doc_id, answerable, paraphrase_group, lang, intent."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder for report.json, report.html, generations/ and mlflow.db."),
    index: Optional[Path] = typer.Option(None, "--index", help="RAG index: evaluate every model with and without retrieval."),
    role: Optional[list[str]] = typer.Option(None, "--role", help="Role(s) retrieval runs under (repeatable; default: public)."),
    fail_under: Optional[str] = typer.Option(None, "--fail-under", help="Gate: metric=value,... ; exit 1 if the last model misses one (lower-is-better metrics: at most)."),
    judge: Optional[str] = typer.Option(None, "--judge", help="Reward model folder judging A/B; default: reference-based."),
    max_items: Optional[int] = typer.Option(None, "--max-items", help="Evaluate only N test items (the first N, or spread over the file with --set sample=spread)."),
    show_config: bool = typer.Option(False, "--show-config", help="List every config field with its default and help, then exit."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file with the stage config."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Override one config field: key=value (repeatable, dotted keys)."),
    as_json: bool = typer.Option(False, "--json", help="Print a one-line JSON summary as the last stdout line."),
) -> None:
    """Evaluate models on a held-out set (RAG on/off): metrics, suites, A/B, report, gate. Subcommands: perplexity."""
    if ctx.invoked_subcommand is not None:
        return
    from chatforge.data.records import InputError
    from chatforge.eval.gate import GateError, parse_fail_under
    from chatforge.eval.runner import EvalConfig, evaluate
    from chatforge.models.gguf_cache import ModelError

    if show_config:
        for name, default, help_text in config_help(EvalConfig):
            typer.echo(f"{name} = {default}\n    {help_text}")
        return
    try:
        if not model or testset is None or out is None:
            raise ConfigError("chatforge eval needs --model (one or more), --testset and --out")
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        cfg = load_config(EvalConfig, config, set_, roles=role or None, judge=judge, max_items=max_items,
                          fail_under=parse_fail_under(fail_under) or None)
        report = evaluate(model, testset, out, cfg, index=index, progress=not as_json)
    except (ConfigError, GateError, InputError, ModelError, ValueError, OSError) as exc:
        return _fail(str(exc), as_json)
    gate = report["gate"]
    summary = {"ok": gate["passed"], "variants": report["variants"], "items": report["testset"]["items"],
               "paths": report["paths"], "gate": gate, "seconds": report["seconds"], "items_per_s": report["items_per_s"],
               "metrics": {v: {k: (s[k] or {}).get("value") for k in HEADLINE if isinstance(s.get(k), dict)}
                           for v, s in report["results"].items()}}
    lines = [f"{len(report['variants'])} variant(s) x {report['testset']['items']} items in {report['seconds']:.0f} s"]
    for v, metrics in summary["metrics"].items():
        lines.append(f"  {v}: " + ", ".join(f"{k} {x:.3f}" for k, x in metrics.items() if x is not None))
    for c in gate["checks"]:
        if not c["passed"]:
            lines.append(f"  gate failed: {c['variant']} {c['metric']} = {c['value']} (needs {c['direction']} {c['threshold']})")
    lines.append(f"report: {report['paths']['report_html']}")
    emit(summary, as_json, "\n".join(lines))
    if not gate["passed"]:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    """Make `chatforge eval` run the evaluation, keeping the `eval` group (and its `perplexity`) if one exists."""
    group = next((g.typer_instance for g in root.registered_groups if g.name == "eval"), None)
    if group is None:
        group = typer.Typer(help="Evaluate models.")
        root.add_typer(group, name="eval")
    group.info.no_args_is_help = True
    group.info.help = "Evaluate models: the full report (options below) or a subcommand (perplexity)."
    group.callback(invoke_without_command=True)(eval_callback)
