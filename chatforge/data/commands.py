"""`chatforge data prepare`: parse, load the typed config, call the data stage (prepare.py).

    chatforge data prepare FILES_OR_FOLDERS... --out runs/data [--format messages] [--augment 2] [--strict] [--json]

Exit status: 0 done, 1 with --strict when an input item was rejected, 2 bad input or configuration.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.output import stderr

app = typer.Typer(
    help="Prepare training data: clean, de-duplicate, redact, filter, split, format.", no_args_is_help=True
)


@command(app, "prepare", config="chatforge.data.prepare:PrepareConfig", result="chatforge.data.results:PrepareResult")
def data_prepare(
    inputs: list[Path] = typer.Argument(None, help="Files or folders: JSONL, JSON, CSV, TXT, MD, HTML, PDF, DOCX."),
    out: Path = typer.Option(..., "--out", help="Output folder for train/val/test.jsonl, corpus.jsonl and the report."),
    format: Optional[str] = typer.Option(
        None,
        "--format",
        help="Force the record shape of JSON/JSONL inputs: messages, sharegpt, alpaca, prompt_completion, qa.",
    ),
    augment: Optional[int] = typer.Option(
        None, "--augment", help="Rule-based paraphrase variants per training question."
    ),
    strict: Optional[bool] = typer.Option(
        None, "--strict/--no-strict", help="Exit non-zero if any input item is rejected."
    ),
    seed: Optional[int] = typer.Option(None, "--seed", help="Split seed."),
    cmd: Invocation = None,
) -> None:
    """Clean, de-duplicate, redact, filter and split conversations and documents."""
    from chatforge.data.prepare import prepare

    cfg = cmd.config(format=format, augment=augment, strict=strict, **{"split.seed": seed})
    report = prepare(inputs or [], out, cfg)  # progress on stderr, --json or not
    summary = {
        k: report[k]
        for k in (
            "records_in",
            "records_out",
            "removed",
            "pii_redacted",
            "languages",
            "splits",
            "documents",
            "augmented",
            "records_per_s",
        )
    }
    summary["rejected"] = len(report["rejected"])
    summary["warnings"] = report["warnings"]  # empty input files, by name
    summary["paths"] = report["paths"]
    summary["ok"] = not (cfg.strict and report["rejected"])
    human = (
        f"{report['records_in']} records in, {report['records_out']} out "
        f"(train {report['splits']['train']}, val {report['splits']['val']}, test {report['splits']['test']}, "
        f"documents {report['documents']}); removed {sum(report['removed'].values())}, "
        f"rejected {len(report['rejected'])}, PII redacted {report['pii_redacted']}\n"
        f"report: {report['paths']['report_html']}"
    )
    for warning in report["warnings"]:
        stderr.print(f"warning: {warning}", style="yellow", markup=False, highlight=False, soft_wrap=True)
    cmd.emit(summary, human)
    if cfg.strict and report["rejected"]:
        stderr.print(f"[red]strict:[/red] {len(report['rejected'])} input item(s) rejected (see report.json)")
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    """Add `data` (prepare) to the root app."""
    root.add_typer(app, name="data")
