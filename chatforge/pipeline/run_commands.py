"""`chatforge run PIPELINE.yaml`: the whole stage graph in one command, cached and resumable.

    chatforge run examples/hirondelle-air/pipeline.yaml                    # make demo
    chatforge run examples/hirondelle-air/pipeline.yaml --profile tiny     # same graph, tiny model, minutes
    chatforge run PIPELINE.yaml --until eval | --from sft | --force sft --force rm | --dry-run | --json
    chatforge run PIPELINE.yaml --set stages.serve.with.port=8123 --set stages.sft.with.max-steps=50

Secrets stay out of OUT/.pipeline (0700; logs and records 0600, URL passwords masked): a
`keys create` stage writes its key to the `key-file` it names (0600), and the runner names that file.

Exit status: 0 done (or a served pipeline stopped with Ctrl-C), 1 a stage failed
(its log is named), 2 the pipeline file or the options are invalid (nothing ran).
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.errors import ConfigError
from chatforge.output import stderr


def _interrupt(signum, frame) -> None:
    """SIGTERM (a supervisor, `kill`) stops the running stage as Ctrl-C does, so it can leave a clean checkpoint."""
    raise KeyboardInterrupt


def run_cmd(
    ctx: typer.Context,
    pipeline: Path = typer.Argument(..., help="Pipeline file (YAML): stages, options, references, profiles."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Profile of the file to apply (e.g. tiny)."),
    from_stage: Optional[str] = typer.Option(
        None, "--from", help="Rerun from this stage on; earlier stages as recorded."
    ),
    until: Optional[str] = typer.Option(None, "--until", help="Run only this stage and the stages it needs."),
    force: Optional[list[str]] = typer.Option(None, "--force", help="Rerun this stage even if cached (repeatable)."),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Output folder (default: the file's `out`, else runs/NAME)."
    ),
    set_: Optional[list[str]] = typer.Option(
        None, "--set", help="Override a field of the file after the profile: stages.serve.with.port=8123 (repeatable)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would run or be skipped, run nothing."),
    live: Optional[bool] = typer.Option(
        None, "--live/--plain", help="Live view or plain lines (default: live on a terminal)."
    ),
    cmd: Invocation = None,
) -> None:
    """Run a pipeline: each stage once, cached on its inputs, resumed after a kill; ends serving if it has a serve stage."""
    from chatforge.pipeline.child import StageFailed
    from chatforge.pipeline.progress import make_view, print_serving, print_summary
    from chatforge.pipeline.run import Runner
    from chatforge.pipeline.spec import load_pipeline

    # the command line this command runs in: stages are checked against it (pipeline cannot import the cli)
    spec = load_pipeline(pipeline, profile, set_, commands=ctx.find_root().command)
    view = make_view(live)
    runner = Runner(spec, out=out, force=force, from_stage=from_stage, until=until, view=view, dry_run=dry_run)

    def serving(runner_, run) -> None:
        view.stop(runner_)
        print_summary(runner_)
        print_serving(runner_, run)
        cmd.emit(runner_.summary())

    view.serving = serving  # the serve stage blocks: report everything as soon as the server is up
    signal.signal(signal.SIGTERM, _interrupt)
    code = 0
    try:
        runner.run()
    except StageFailed as exc:
        stderr.print(f"[red]error:[/red] {exc}", highlight=False)
        code = 1
    except ConfigError as exc:
        stderr.print(f"[red]error:[/red] {exc}", highlight=False)
        code = 2
    except KeyboardInterrupt:
        served = any(r.state == "serving" for r in runner.runs.values())
        stderr.print(
            "server stopped" if served else "[yellow]interrupted[/yellow]: run the same command again to resume",
            highlight=False,
        )
        code = 0 if served else 130
    served = any(r.state in ("serving", "stopped") for r in runner.runs.values())
    if not served:
        print_summary(runner)
        cmd.emit(runner.summary())
    if code:
        raise typer.Exit(code)


def register(root: typer.Typer) -> None:
    """Add the top-level `run`."""
    command(root, "run")(run_cmd)
