"""What `chatforge run` shows: a live stage list on a terminal, plain lines otherwise, and a final summary table.

The live view (rich Live, on stderr) lists every stage with its state and time; under it,
the running stage's bar: elapsed against the duration of its previous run (the ETA), and
the child's last stderr line. Stages run with `--json`, so they draw no bars of their own.
When stderr is not a terminal (CI, a log file) each change is one plain line instead.
"""

from __future__ import annotations

import os
import platform
import shlex
import threading
import time

from rich import box
from rich.console import Group
from rich.live import Live
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from chatforge.output import last_progress, stderr
from chatforge.pipeline.child import shown_argv

STYLE = {
    "pending": "dim",
    "running": "bold yellow",
    "cached": "cyan",
    "done": "green",
    "failed": "bold red",
    "serving": "bold green",
    "stopped": "green",
    "not selected": "dim",
    "would run": "yellow",
}


def _secs(s: float | None) -> str:
    if s is None:
        return ""
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"


def stage_table(runner, final: bool = False) -> Table:
    """Every stage's state and time; `final` adds the command and the reports, the live one stays one line a stage."""
    title = f"pipeline {runner.pipeline.spec.name} · profile {runner.pipeline.profile or 'default'} · {runner.out}"
    table = Table(title=title, title_justify="left", expand=False, box=box.HEAVY_HEAD if final else box.SIMPLE)
    table.add_column("stage")
    if final:
        table.add_column("command", style="dim")
    table.add_column("state")
    table.add_column("time", justify="right")
    if final:
        table.add_column("note, reports", overflow="fold")
    else:
        table.add_column("note", no_wrap=True, overflow="ellipsis", max_width=50)
    hidden = 0
    for r in runner.runs.values():
        if not final and r.state == "not selected":
            hidden += 1
            continue
        style = STYLE.get(r.state, "")
        state = f"[{style}]{r.state}[/{style}]" if style else r.state
        took = _secs(time.time() - r.started) if r.state == "running" and r.started else _secs(r.seconds)
        extra = "\n".join(([r.note] if r.note else []) + (r.reports if final else []))
        table.add_row(r.name, *([r.uses] if final else []), state, took, escape(extra))
    for name in runner.pipeline.disabled if final else []:
        table.add_row(name, runner.pipeline.spec.stages[name].uses, "[dim]disabled[/dim]", "", "")
    if hidden:
        table.caption = f"{hidden} stage(s) not selected"
    return table


class LiveView:
    """Stage list + the running stage's bar, redrawn in place on the terminal."""

    def __init__(self):
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("[dim]{task.fields[line]}"),
            console=stderr,
        )
        self.task = None
        self.current: str | None = None  # set once the bar shows the stage's own progress
        self.live: Live | None = None
        self.runner = None
        self.lock = threading.RLock()  # the Live refresh thread, the stderr reader and the runner all touch the bar

    def _render(self):
        with self.lock:
            self.tick()
        return Group(self.bar, stage_table(self.runner))  # the bar first: a short terminal crops the bottom

    def start(self, runner) -> None:
        self.runner = runner
        self.live = Live(
            self._render(), console=stderr, refresh_per_second=4, transient=True, get_renderable=self._render
        )
        self.live.start()

    def update(self, runner, run) -> None:
        with self.lock:
            self._update(run)

    def _update(self, run) -> None:
        if run.state == "running":
            if self.task is not None:
                self.bar.remove_task(self.task)
            # without a previous duration the bar only counts elapsed time (total unknown)
            self.task = self.bar.add_task(run.name, total=run.expected, line="")
            self.current = None
        elif self.task is not None and run.state in ("done", "failed"):
            self.bar.remove_task(self.task)
            self.task = None

    def line(self, runner, run, line: str) -> None:
        with self.lock:
            if self.task is not None:
                self.bar.update(self.task, line=escape(line[-70:]))

    def tick(self) -> None:
        """Redraw the running stage's bar: its own progress when it reports some, else time against its last run."""
        run = next((r for r in self.runner.runs.values() if r.state == "running"), None) if self.runner else None
        if run is None or self.task is None:
            return
        reported = last_progress(run.progress_file)
        if reported and reported.get("total"):
            # descriptions carry live numbers (a loss), so a new phase (the next eval variant) shows as a new
            # total or a count going back; it gets a fresh bar, hence a fresh rate and ETA
            task = self.bar.tasks[-1] if self.bar.tasks else None
            if (
                self.current is None
                or task is None
                or task.total != reported["total"]
                or task.completed > reported["completed"]
            ):
                self.bar.remove_task(self.task)
                self.task = self.bar.add_task(run.name, total=reported["total"], line="")
                self.current = reported["task"]
            self.bar.update(
                self.task, completed=reported["completed"], description=f"{run.name}: {reported['task']}"[:40]
            )
        elif run.expected and self.current is None:
            self.bar.update(self.task, completed=min(time.time() - run.started, run.expected * 0.99))

    def serving(self, runner, run) -> None:
        self.stop(runner)

    def stop(self, runner) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


class PlainView:
    """One line per change, for logs and pipes."""

    def start(self, runner) -> None:
        stderr.print(
            f"pipeline {runner.pipeline.spec.name} (profile {runner.pipeline.profile or 'default'}) -> {runner.out}",
            highlight=False,
        )

    def update(self, runner, run) -> None:
        n = list(runner.runs).index(run.name) + 1
        if run.state == "running":
            eta = f", last time {_secs(run.expected)}" if run.expected else ""
            stderr.print(
                f"[{n}/{len(runner.runs)}] {run.name}: running `chatforge {' '.join(shown_argv(run.argv[:3]))} ...`"
                f"{' (' + run.note + ')' if run.note else ''}{eta}",
                highlight=False,
            )
        else:
            stderr.print(
                f"[{n}/{len(runner.runs)}] {run.name}: {run.state}"
                + (f" in {_secs(run.seconds)}" if run.state == "done" else "")
                + (f" ({run.note})" if run.note else ""),
                highlight=False,
            )

    def line(self, runner, run, line: str) -> None:
        pass  # the full stderr is in the stage log

    def serving(self, runner, run) -> None:
        pass

    def stop(self, runner) -> None:
        pass


def make_view(live: bool | None = None):
    if live is None:
        live = stderr.is_terminal
    return LiveView() if live else PlainView()


def print_summary(runner) -> None:
    stderr.print(stage_table(runner, final=True))
    failed = [r for r in runner.runs.values() if r.state == "failed"]
    for r in failed:
        stderr.print(f"[red]{r.name} failed[/red]: log {runner.state_dir / (r.name + '.log')}", highlight=False)


def print_serving(runner, run) -> None:
    """The last words of a pipeline that ends serving: where, and a key to try it (from its 0600 file)."""
    url = (run.summary or {}).get("url", "")
    model = next(iter(((run.summary or {}).get("models") or {"a": "a"}).values()))
    key, key_file = runner.created_key()
    took = _secs(time.time() - runner.t0)
    stderr.print(
        f"\n[bold green]chatbot served[/bold green] at {url}/  (API {url}/v1, schema {url}/openapi.json)"
        f" — pipeline took {took} on {platform.machine()}, {os.cpu_count()} cores",
        highlight=False,
    )
    bearer = None
    if key_file:  # the key itself stays in the file: stderr may be a log
        stderr.print(
            f"API key: in {escape(key_file)} (mode 0600, readable by you only)", highlight=False, soft_wrap=True
        )
        bearer = f"$(cat {shlex.quote(key_file)})"
    elif key and stderr.is_terminal:
        stderr.print(f"API key (shown once): [bold]{key}[/bold]", highlight=False, soft_wrap=True)
        bearer = key
    elif key:
        stderr.print(
            "API key: not shown, stderr is not a terminal; give the keys stage a `key-file:` to keep it",
            highlight=False,
        )
    if bearer:
        stderr.print(
            f'try it:  curl -s {url}/v1/chat/completions -H "Authorization: Bearer {escape(bearer)}" '
            f'-H \'Content-Type: application/json\' -d \'{{"model": "{model}", "messages": '
            f'[{{"role": "user", "content": "Combien coûte un bagage en soute ?"}}]}}\'',
            highlight=False,
            soft_wrap=True,
        )  # one line: it must paste as typed
    stderr.print("Ctrl-C stops the server.", highlight=False)
