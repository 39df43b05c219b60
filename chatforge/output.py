"""How commands speak: progress (a rich bar on a terminal, plain lines otherwise) and messages on stderr, and with
`--json` one JSON summary as the last stdout line."""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from pathlib import Path
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


def duration(seconds: float) -> str:
    """A duration for a progress line: "42 s", "3 min 05 s", "2.5 h"."""
    s = int(round(seconds))
    return f"{s} s" if s < 90 else f"{s // 60} min {s % 60:02d} s" if s < 5400 else f"{s / 3600:.1f} h"


def _count(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:.1f}"


class PlainLines:
    """The plain progress lines of one task, for stderr off a terminal (a log file, CI, `chatforge run`).

    A line is due after the first advance (its time gives the first ETA), then at every further `every_share`
    of the total or every `every_s` seconds, whichever comes first, when the total is reached, and at the end
    if the count moved since. It reads `label: done/total unit (pct%) · detail · rate, eta D` (`done in D` once
    the total is reached). The ETA is the mean time per item made so far times the items left; the items a
    resumed task started with do not count in the rate."""

    def __init__(self, label: str, unit: str = "", done: float = 0, every_s: float = 30.0, every_share: float = 0.1):
        self.label, self.unit, self.every_s, self.every_share = label, unit, every_s, every_share
        self.first = self.last_done = done
        self.start = self.last_time = time.monotonic()

    def due(self, done: float, total: float | None, now: float) -> bool:
        if done <= self.last_done:
            return False
        step = max(1, math.ceil((total or 0) * self.every_share))
        return (
            self.last_done == self.first
            or done - self.last_done >= step
            or now - self.last_time >= self.every_s
            or (total is not None and done >= total)
        )

    def eta(self, done: float, total: float | None, now: float) -> float | None:
        made = done - self.first
        if made <= 0 or total is None:
            return None
        return (now - self.start) / made * max(total - done, 0)

    def line(self, done: float, total: float | None, detail: str = "", now: float | None = None) -> str:
        """The line for `done` items of `total` (None: unknown), and the schedule moved on to it."""
        now = time.monotonic() if now is None else now
        self.last_done, self.last_time = done, now
        head = f"{self.label}: {_count(done)}" + (f"/{_count(total)}" if total is not None else "")
        head += (f" {self.unit}" if self.unit else "") + (f" ({int(100 * done // total)}%)" if total else "")
        each = (now - self.start) / max(done - self.first, 1)
        rate = f"{each:.1f} s each" if each >= 0.1 else f"{1 / max(each, 1e-9):.0f} per s"
        left = self.eta(done, total, now)
        if left is not None:
            rate += f", eta {duration(left)}" if done < total else f", done in {duration(now - self.start)}"
        return " · ".join(part for part in (head, detail, rate) if part)


class ReportingProgress(Progress):
    """A rich Progress that also appends `{"task", "completed", "total"}` lines to $CHATFORGE_PROGRESS_FILE, at
    most twice a second: `chatforge run` shows a stage's progress from it while the stage runs with --json.

    With `plain=True` (stderr not a terminal) it draws no bar and prints PlainLines instead, one schedule a
    task. A line names the task by its description when added, and shows what a later description adds to
    that (`ingest` then `ingest doc.md`: `ingest: 3/10 documents · doc.md · ...`); a task's `unit` field
    (`add_task("ingest", total=n, unit="documents")`) names what is counted."""

    def __init__(
        self,
        *columns,
        report_to: str | None = None,
        plain: bool = False,
        every_s: float = 30.0,
        every_share: float = 0.1,
        **kwargs,
    ):
        if plain:
            kwargs["disable"] = True
        super().__init__(*columns, **kwargs)
        self._report_to, self._reported = report_to, 0.0
        self._plain: dict | None = {} if plain else None
        self._every = (every_s, every_share)

    def add_task(self, description: str, *args, **kwargs):
        task_id = super().add_task(description, *args, **kwargs)
        if self._plain is not None:
            task = self._tasks[task_id]
            unit = str(task.fields.get("unit", ""))
            self._plain[task_id] = PlainLines(str(description), unit, task.completed, *self._every)
        return task_id

    def update(self, task_id, **kwargs) -> None:
        super().update(task_id, **kwargs)
        self._report(task_id)

    def advance(self, task_id, advance: float = 1) -> None:
        super().advance(task_id, advance)
        self._report(task_id)

    def stop(self) -> None:
        """The last plain line of each task whose count moved since its previous line, and the bar stopped."""
        for task_id, lines in (self._plain or {}).items():
            if task_id in self._tasks and self._tasks[task_id].completed != lines.last_done:
                self._say(task_id, lines, time.monotonic())
        super().stop()

    def _say(self, task_id, lines: PlainLines, now: float) -> None:
        task = self._tasks[task_id]
        described = str(task.description)
        detail = described[len(lines.label) :].strip() if described.startswith(lines.label) else described
        stderr.print(lines.line(task.completed, task.total, detail, now), markup=False, highlight=False, soft_wrap=True)

    def _report(self, task_id) -> None:
        now = time.monotonic()
        if task_id not in self._tasks:
            return
        task = self._tasks[task_id]
        lines = (self._plain or {}).get(task_id)
        if lines is not None and lines.due(task.completed, task.total, now):
            self._say(task_id, lines, now)
        if not self._report_to or (now - self._reported < 0.5 and not task.finished):
            return
        self._reported = now
        try:
            with open(self._report_to, "a", encoding="utf-8") as fh:
                fh.write(
                    json.dumps({"task": str(task.description), "completed": task.completed, "total": task.total}) + "\n"
                )
        except OSError:
            self._report_to = None  # progress reporting never fails a stage


def last_progress(path: str | Path | None) -> dict | None:
    """The last `{"task", "completed", "total"}` line ReportingProgress wrote to a progress file (read from its end:
    the file grows by at most two lines a second); None when there is none yet or it cannot be read."""
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 2048))
            lines = fh.read().decode("utf-8", "replace").splitlines()
        return json.loads(lines[-1]) if lines else None
    except (OSError, ValueError):
        return None


def progress_bar(disable: bool = False, every_s: float = 30.0, every_share: float = 0.1) -> ReportingProgress:
    """Items done / total, rate through the bar, elapsed and ETA, on stderr: a rich bar on a terminal, plain lines
    otherwise (PlainLines, at most every `every_s` seconds or `every_share` of the total); `disable`: neither (the
    progress file still gets the counts)."""
    plain = not disable and not stderr.is_terminal
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
        plain=plain,
        every_s=every_s,
        every_share=every_share,
    )


class Tracker:
    """One counted job on stderr (a rich bar on a terminal, plain lines otherwise) and in the progress file:

        with Tracker("ingest", total=len(files), unit="documents") as t:
            for f in files:
                t.describe(f.name)
                ...
                t.advance()

    `show=False` keeps stderr quiet; the progress file still gets the counts."""

    def __init__(self, label: str, total: float | None, unit: str = "", show: bool = True, done: float = 0, **every):
        self.label, self.total, self.unit, self.done = label, total, unit, done
        self.bar = progress_bar(disable=not show, **every)

    def open(self):
        self.bar.start()
        self.task = self.bar.add_task(self.label, total=self.total, completed=self.done, unit=self.unit)
        return self

    def close(self) -> None:
        self.bar.stop()

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def describe(self, detail: str) -> None:
        """Say what is being worked on now (after the label, in the bar and the lines)."""
        self.bar.update(self.task, description=f"{self.label} {detail}".rstrip())

    def advance(self, n: float = 1) -> None:
        self.done += n
        self.bar.advance(self.task, n)


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
