"""The console's Runs section: pipeline runs in the runs folder, read from the files `chatforge run` writes.

    GET  /v1/admin/console/runs                          every run: stages with state, time, progress
    GET  /v1/admin/console/runs/log?out=DIR&stage=NAME   the end of a stage's log
    POST /v1/admin/console/runs/start {pipeline, profile, sets, out}
    POST /v1/admin/console/runs/stop {out} | POST /v1/admin/console/runs/resume {out}

A run is a folder of the runs folder (`app.state.console_runs`, default `runs/`; up to 3 levels down) holding the
runner's state folder `.pipeline/`: `pipeline.yaml` (the pipeline as run), `<stage>.json` (a
finished stage: seconds, note, reports), `<stage>.running` (a stage under way, interrupted, or
failed: its log then ends with `[exit N]`), `<stage>.progress` (JSON lines `{"task", "completed", "total"}` the stage
writes) and `<stage>.log`. They are read here as files: serve sits below the pipeline layer.

`start` runs `chatforge run PIPELINE --plain --json --out OUT [--profile P] [--set k=v ...]` as a
child process in its own session (process group), never inside the server; its output goes to
`OUT/console-run.log` (0600). `stop` sends SIGTERM to that group (the runner stops the stage as
Ctrl-C does, leaving what resume needs); `resume` starts the same command again: finished stages
are cached and an interrupted one resumes. A run started by another server or by hand can be
watched, and resumed from its `pipeline.yaml` (file, profile and `--set` items; a run whose `--set` held a secret,
kept masked there, is refused with a 409 naming it: resume it from a shell).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from chatforge.output import last_progress
from chatforge.serve.console import PREFIX, act
from chatforge.store.auth import Principal, admin

STATE = ".pipeline"
REF_HEAD = re.compile(r"\$\{([A-Za-z0-9_-]+)[.}]")  # ${stage.out}: the referenced stage (spec.py's references)
LOG_TAIL = 64 * 1024
MAX_DEPTH = 3  # run folders are looked for this deep under the runs folder (runs/NAME, runs/GROUP/NAME...)
EXIT = re.compile(r"\[exit (-?\d+)\]\s*$")
router = APIRouter(tags=["console"])


def runs_root(request: Request) -> Path:
    return Path(getattr(request.app.state, "console_runs", None) or "runs").resolve()


def _procs(request: Request) -> dict[str, dict]:
    procs = getattr(request.app.state, "console_procs", None)
    if procs is None:
        request.app.state.console_procs = procs = {}
    return procs


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def logged_exit(log: Path) -> int | None:
    """The exit status the runner appends to a stage's log once the stage ended (`[exit N]`); None if cut short."""
    try:
        with open(log, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - 256))
            found = EXIT.search(fh.read().decode("utf-8", "replace"))
    except OSError:
        return None
    return int(found.group(1)) if found else None


def run_view(out: Path, alive: bool) -> dict:
    """The stages of the run in `out` (file order), each with needs, state, seconds, progress and note."""
    state = out / STATE
    spec = {}
    try:
        spec = yaml.safe_load((state / "pipeline.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        pass
    stages = spec.get("stages") if isinstance(spec, dict) else None
    # a stage that is not a mapping (a state file written by an older runner masked a stage named `key`) still shows
    stages = (
        {n: (s if isinstance(s, dict) else {}) for n, s in (stages or {}).items()} if isinstance(stages, dict) else {}
    )
    names = [n for n, s in stages.items() if s.get("enabled", True)]
    view = []
    for name in names:
        s = stages[name]
        refs = {m for m in REF_HEAD.findall(json.dumps({k: s.get(k) for k in ("with", "args")})) if m in names}
        done, marker = _read_json(state / f"{name}.json"), _read_json(state / f"{name}.running")
        row = {
            "name": name,
            "uses": s.get("uses"),
            "needs": sorted(set(s.get("needs") or []) | refs - {name}),
            "state": "pending",
            "seconds": None,
            "progress": None,
            "note": None,
            "reports": [],
            "log": (state / f"{name}.log").is_file(),
        }
        if marker is not None:
            code = None if alive else logged_exit(state / f"{name}.log")
            row["state"] = "running" if alive else "interrupted" if code is None else "failed"
            row["note"] = f"exit {code}" if code is not None else None
            row["seconds"] = round(time.time() - marker.get("started", time.time()), 1) if alive else None
            row["progress"] = last_progress(state / f"{name}.progress")
        elif done is not None:
            row.update(
                state="done",
                seconds=done.get("seconds"),
                note=done.get("note") or None,
                reports=done.get("reports") or [],
            )
        elif alive and (state / f"{name}.log").is_file() and not (state / f"{name}.json").exists():
            row["state"] = "running"  # stages that keep no marker (serve) while their process lives
        view.append(row)
    return {
        "out": str(out),
        "name": spec.get("name"),
        "profile": spec.get("profile") or "default",
        "file": spec.get("file"),
        "stages": view,
    }


@router.get(f"{PREFIX}/runs")
def list_runs(request: Request, _: Principal = Depends(admin)) -> dict:
    root, procs = runs_root(request), _procs(request)
    found = {p.parent for depth in range(1, MAX_DEPTH + 1) for p in root.glob("*/" * depth + STATE)}
    outs = sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
    outs += [Path(o) for o in procs if Path(o) not in outs]
    data = []
    for out in outs:
        proc = procs.get(str(out))
        code = proc["popen"].poll() if proc else None
        alive = proc is not None and code is None
        data.append(
            {
                **run_view(out, alive),
                "process": None
                if proc is None
                else {"pid": proc["popen"].pid, "alive": alive, "exit": code, "argv": proc["shown"]},
            }
        )
    return {"root": str(root), "data": data}


def _run_dir(request: Request, out: str) -> Path:
    root = runs_root(request)
    try:
        target = Path(out).expanduser()
        target = (target if target.is_absolute() else root / target).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, an unknown ~user, a loop of links
        target = root
    if not target.is_relative_to(root) or target == root:
        raise HTTPException(400, detail=f"{out}: a run folder must be inside the runs folder {root}")
    return target


@router.get(f"{PREFIX}/runs/log")
def stage_log(request: Request, out: str, stage: str, _: Principal = Depends(admin)) -> dict:
    folder = _run_dir(request, out)
    path = folder / STATE / f"{stage}.log"
    if "/" in stage or stage.startswith(".") or not path.is_file():
        raise HTTPException(404, detail=f"no log for stage {stage!r} in {folder}")
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - LOG_TAIL))
        text = fh.read().decode("utf-8", "replace")
    return {"out": str(folder), "stage": stage, "bytes": size, "truncated": size > LOG_TAIL, "text": text}


class StartIn(BaseModel):
    pipeline: str = Field(..., min_length=1, max_length=1000, description="Pipeline file (YAML) on the server.")
    profile: str | None = Field(None, max_length=100, description="Profile of the file to apply.")
    sets: list[str] = Field(default_factory=list, max_length=100, description="--set overrides, key=value each.")
    out: str = Field(..., min_length=1, max_length=1000, description="Run folder, inside the runs folder.")


class OutIn(BaseModel):
    out: str = Field(..., min_length=1, max_length=1000)


def _spawn(request: Request, argv: list[str], out: Path, shown: list[str]) -> dict:
    procs = _procs(request)
    old = procs.get(str(out))
    if old is not None and old["popen"].poll() is None:
        raise HTTPException(409, detail=f"{out}: a run is already going (pid {old['popen'].pid}); stop it first")
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / "console-run.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as log:
        popen = subprocess.Popen(
            [sys.executable, "-m", "chatforge.cli", *argv],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=os.getcwd(),
        )
    procs[str(out)] = {"popen": popen, "argv": argv, "shown": shown}
    return {"out": str(out), "pid": popen.pid, "argv": shown}


def _argv(pipeline: str, profile: str | None, sets: list[str], out: Path) -> tuple[list[str], list[str]]:
    argv = ["run", pipeline, "--plain", "--json", "--out", str(out), *(["--profile", profile] if profile else [])]
    for s in sets:
        if "=" not in s:
            raise HTTPException(400, detail=f"--set {s!r}: expected key=value")
        argv += ["--set", s]
    shown = [a if i == 0 or argv[i - 1] != "--set" else a.split("=", 1)[0] + "=…" for i, a in enumerate(argv)]
    return argv, shown  # `shown` (listed, audited) leaves --set values out: one may be a secret


@router.post(f"{PREFIX}/runs/start")
def start_run(body: StartIn, request: Request, who: Principal = Depends(admin)) -> dict:
    pipeline = Path(body.pipeline).expanduser()
    if pipeline.suffix not in (".yaml", ".yml") or not pipeline.is_file():
        raise HTTPException(400, detail=f"{body.pipeline}: no such pipeline file (.yaml)")
    out = _run_dir(request, body.out)
    argv, shown = _argv(str(pipeline.resolve()), body.profile, body.sets, out)
    started = _spawn(request, argv, out, shown)
    act(request, who, "run-start", str(out), {"argv": shown, "pid": started["pid"]})
    return started


@router.post(f"{PREFIX}/runs/stop")
def stop_run(body: OutIn, request: Request, who: Principal = Depends(admin)) -> dict:
    out = _run_dir(request, body.out)
    proc = _procs(request).get(str(out))
    if proc is None or proc["popen"].poll() is not None:
        raise HTTPException(404, detail=f"{out}: no run started from this console is going")
    os.killpg(proc["popen"].pid, signal.SIGTERM)  # its own session: the runner and its stage, nothing else
    try:
        code = proc["popen"].wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(proc["popen"].pid, signal.SIGKILL)
        code = proc["popen"].wait(10)
    act(request, who, "run-stop", str(out), {"pid": proc["popen"].pid, "exit": code})
    return {"out": str(out), "exit": code}


def recorded_sets(out: Path) -> list[str]:
    """The `--set` items the run in `out` was started with (`sets` of its pipeline.yaml, written by pipeline/run.py);
    a 409 naming the first whose value was masked as a secret: the run cannot be resumed from here with it."""
    try:
        spec = yaml.safe_load((out / STATE / "pipeline.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        spec = {}
    sets = spec.get("sets") if isinstance(spec, dict) else None
    sets = [str(s) for s in sets] if isinstance(sets, list) else []
    for item in sets:
        key, _, value = item.partition("=")
        if value == "***":
            raise HTTPException(
                409,
                detail=f"{out}: --set {key} was a secret and is kept masked: resume this run from a shell "
                f"(`chatforge run {spec.get('file')} --out {out}"
                + (f" --profile {spec['profile']}" if spec.get("profile") else "")
                + f" --set {key}=...` and its other --set items)",
            )
    return sets


@router.post(f"{PREFIX}/runs/resume")
def resume_run(body: OutIn, request: Request, who: Principal = Depends(admin)) -> dict:
    out = _run_dir(request, body.out)
    proc = _procs(request).get(str(out))
    if proc is not None:
        argv, shown = proc["argv"], proc["shown"]
    else:
        spec = run_view(out, False)
        if not spec.get("file"):
            raise HTTPException(404, detail=f"{out}: no run here to resume ({STATE}/pipeline.yaml missing)")
        profile = None if spec["profile"] == "default" else spec["profile"]
        argv, shown = _argv(spec["file"], profile, recorded_sets(out), out)
    started = _spawn(request, argv, out, shown)
    act(request, who, "run-resume", str(out), {"argv": shown, "pid": started["pid"]})
    return started
