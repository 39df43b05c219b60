"""How commands speak: rich progress and messages on stderr, and with `--json` one JSON summary as the last stdout line."""

from __future__ import annotations

import json
import sys
from typing import NoReturn

import typer

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

stderr = Console(stderr=True)


def progress_bar(disable: bool = False) -> Progress:
    """Items done / total, rate through the bar, elapsed and ETA, on stderr."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
        console=stderr, disable=disable, transient=False,
    )


def emit(summary: dict, as_json: bool, human: str | None = None) -> None:
    """Print the human line(s) and, when asked, the JSON summary as the final stdout line."""
    if human:
        (stderr if as_json else Console()).print(human)
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()


def fail(message: str, as_json: bool, code: int = 2) -> NoReturn:
    """A clear error on stderr (and as the JSON summary with `--json`), then exit with `code` (2: bad input)."""
    stderr.print(f"[red]error:[/red] {message}", highlight=False)
    if as_json:
        emit({"ok": False, "error": message}, True)
    raise typer.Exit(code)
