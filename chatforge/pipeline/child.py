"""One stage as a child process: `python -m chatforge.cli <stage> ... --json`, its stderr streamed, its summary read.

Used by run.py. A child process per stage isolates the stages (a model's memory is
given back when its stage ends; a crash or a kill leaves the runner's state intact)
and runs exactly what a person would type. The child's stderr goes line by line to the
stage log (`OUT/.pipeline/<stage>.log`, mode 0600) and to the live view, with passwords in
URLs masked; its last stdout line is the JSON summary every command prints with `--json`
(kept in memory: run.py stores it masked). The logged command line masks secret options too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path

from chatforge.output import is_secret_name, redact_url


class StageFailed(RuntimeError):
    """A stage exited non-zero or printed no summary; the message holds the end of its stderr."""


def summary_line(text: str) -> dict | None:
    """The JSON object on the last stdout line that holds one."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


def shown_argv(argv: list[str]) -> list[str]:
    """A command line as it may be logged or stored: the value of a secret-named option (`--api-key K`,
    `--set backend_key=K`) is "***", and passwords in URLs are masked."""
    out: list[str] = []
    for i, token in enumerate(argv):
        prev = argv[i - 1] if i else ""
        name, eq, _ = token.partition("=")
        if prev.startswith("--") and prev != "--set" and is_secret_name(prev):
            token = "***"
        elif eq and (token.startswith("--") or prev == "--set") and is_secret_name(name.rsplit(".", 1)[-1]):
            token = f"{name}=***"
        out.append(redact_url(token))
    return out


def run_child(
    argv: list[str],
    log: Path,
    env: dict[str, str],
    on_line: Callable[[str], None],
    on_summary: Callable[[dict], None] | None = None,
    ok_exit: tuple[int, ...] = (0,),
) -> tuple[dict, int]:
    """Run `chatforge ARGV --json`; return its summary. `on_summary` is called as soon as the summary
    line appears (a server prints it before it starts serving), then the child is waited for."""
    cmd = [sys.executable, "-m", "chatforge.cli", *argv, "--json"]
    log.parent.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=25)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)  # a log left by an older version was 0644
    with os.fdopen(fd, "a", encoding="utf-8") as log_fh:
        log_fh.write("$ chatforge " + " ".join(shown_argv(argv)) + " --json\n")
        log_fh.flush()
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        )

        def pump_stderr() -> None:
            for line in proc.stderr:
                line = redact_url(line)
                log_fh.write(line)
                log_fh.flush()
                line = line.rstrip()
                if line.strip():
                    tail.append(line)
                    on_line(line)

        reader = threading.Thread(target=pump_stderr, daemon=True)
        reader.start()
        out_lines, summary = [], None
        try:
            for line in proc.stdout:
                out_lines.append(line)
                if on_summary is not None and summary is None and line.lstrip().startswith("{"):
                    summary = summary_line(line)
                    if summary is not None:
                        on_summary(summary)
            proc.wait()
        except BaseException:
            stop(proc)
            raise
        finally:
            reader.join(timeout=5)
        log_fh.write(f"[exit {proc.returncode}]\n")
    summary = summary_line("".join(out_lines)) or summary
    if proc.returncode not in ok_exit or summary is None:
        if (summary or {}).get("error"):
            raise StageFailed(
                f"`chatforge {' '.join(argv[:2])} ...` failed: {redact_url(summary['error'])}\nlog: {log}"
            )
        raise StageFailed(
            f"`chatforge {' '.join(argv[:2])} ...` failed (exit status {proc.returncode}); log: {log}\n"
            + "\n".join(tail)
        )
    return summary, proc.returncode


def stop(proc: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Interrupt the child like Ctrl-C would (it closes its files and checkpoints), then kill it if it lingers."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
