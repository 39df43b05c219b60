"""How commands speak: rich progress and messages on stderr, and with `--json` one JSON summary as the last stdout line."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

stderr = Console(stderr=True)


PROGRESS_FILE_ENV = "CHATFORGE_PROGRESS_FILE"

# scheme://user:PASSWORD@host (greedy up to the authority's last `@`: a raw `@` in a password stays hidden)
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*):[^/\s]*@")
_QUERY_PASSWORD = re.compile(r"([?&](?:password|passwd|pwd)=)[^&\s]*", re.I)
# field names whose values are secrets: a created API key, a backend key, passwords and tokens
_SECRET_NAME = re.compile(r"^key$|(^|_)(api_?key|backend_key|password|passwd|secret|token)$")


def redact_url(url: str) -> str:
    """`url` (or any text holding URLs) as it may be printed or stored: passwords replaced by ***."""
    return _QUERY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", str(url)))


def is_secret_name(name: str) -> bool:
    """True for a field or option named like a secret (`key`, `backend_key`, `--api-key`, `QDRANT_API_KEY`)."""
    return bool(_SECRET_NAME.search(str(name).lstrip("-").lower().replace("-", "_")))


def mask_secrets(value):
    """A copy of a summary, config or param tree fit for logs and state files: secret-named fields become
    "***" and passwords in URLs are masked, at any depth."""
    if isinstance(value, dict):
        return {k: ("***" if is_secret_name(k) and v not in (None, "") else mask_secrets(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_secrets(v) for v in value]
    if isinstance(value, str):
        return redact_url(value)
    return value


class ReportingProgress(Progress):
    """A rich Progress that also appends `{"task", "completed", "total"}` lines to $CHATFORGE_PROGRESS_FILE, at
    most twice a second: `chatforge run` shows a stage's progress from it while the stage runs with --json (no bars)."""

    def __init__(self, *columns, report_to: str | None = None, **kwargs):
        super().__init__(*columns, **kwargs)
        self._report_to, self._reported = report_to, 0.0

    def update(self, task_id, **kwargs) -> None:
        super().update(task_id, **kwargs)
        self._report(task_id)

    def advance(self, task_id, advance: float = 1) -> None:
        super().advance(task_id, advance)
        self._report(task_id)

    def _report(self, task_id) -> None:
        now = time.monotonic()
        if not self._report_to or task_id not in self._tasks:
            return
        task = self._tasks[task_id]
        if now - self._reported < 0.5 and not task.finished:
            return
        self._reported = now
        try:
            with open(self._report_to, "a", encoding="utf-8") as fh:
                fh.write(
                    json.dumps({"task": str(task.description), "completed": task.completed, "total": task.total}) + "\n"
                )
        except OSError:
            self._report_to = None  # progress reporting never fails a stage


def progress_bar(disable: bool = False) -> Progress:
    """Items done / total, rate through the bar, elapsed and ETA, on stderr."""
    return ReportingProgress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=stderr,
        disable=disable,
        transient=False,
        report_to=os.environ.get(PROGRESS_FILE_ENV),
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
    stderr.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)  # one line, whatever the width
    if as_json:
        emit({"ok": False, "error": message}, True)
    raise typer.Exit(code)
