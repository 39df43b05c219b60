"""The stage graph at run time: references resolved, caching, resume after a kill, one child process per stage.

    chatforge run examples/hirondelle-air/pipeline.yaml [--profile tiny] [--from STAGE] [--until STAGE] [--force STAGE]

For each enabled stage, in topological order:
1. its options are resolved (`${prepare.out}`, `${rm.summary.paths.model}`, `${vars.x}`, `${out}`);
2. its cache key is computed: the command line (with the output folder written `${out}`, so a
   moved run folder keeps its keys), the pipeline's `env`, the content hash of every file or
   folder it names outside the output folder (data, configs), and the result of every upstream
   stage (its key and summary, so a rerun upstream reruns what depends on it);
3. a stage whose recorded result (`OUT/.pipeline/<stage>.json`) has the same key, and whose
   `--out` still exists, is skipped as cached;
4. otherwise a marker `OUT/.pipeline/<stage>.running` (with the key) is written and the stage
   runs as `chatforge <stage> ... --json`. If a marker with the same key is found, the stage was
   interrupted with the same inputs: training stages get `--resume` (last committed checkpoint),
   the others rerun and pick up their own work (`rag ingest` skips unchanged files, `eval`
   reuses its generations). A fresh run gets `--overwrite` where the command has it; otherwise
   its `--out` under the output folder is removed first, so nothing stale is reused;
5. the JSON summary is written atomically to `OUT/.pipeline/<stage>.json` and the marker removed
   (`OUT/.pipeline/pipeline.yaml` keeps the pipeline as run: profile and `--set` applied, and `file`,
   `profile` and `sets`, the command line's items with secret values masked, for the console's resume).

Secrets stay out of the state folder (0700, its files 0600): command lines, summaries and the
pipeline copy are stored with passwords in URLs and secret-named fields (`key`, `backend_key`,
`--api-key` ...) masked, and a `keys create` stage writes its key to the `key-file` it names.

`--force STAGE` reruns a stage afresh (its dependants follow, since its result changed);
`--from STAGE` takes the stages outside STAGE's descendants as recorded and reruns STAGE;
`--until STAGE` runs only STAGE and what it needs. A `serve` stage always runs, last, in the
foreground: the runner reports the URL (and the key file of a `keys create` stage) once it is up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chatforge.errors import ConfigError
from chatforge.output import PROGRESS_FILE_ENV, is_secret_name, mask_secrets, redact_url
from chatforge.pipeline.child import StageFailed, run_child, shown_argv
from chatforge.pipeline.spec import REF, Pipeline, Stage, option_of, takes
from chatforge.provenance import file_sha256

STATE = ".pipeline"


@dataclass
class StageRun:
    """What happened (or will happen) to one stage in this run."""

    name: str
    uses: str
    state: str = "pending"  # pending, running, cached, done, failed, serving, not selected, disabled
    note: str = ""
    seconds: float | None = None
    expected: float | None = None  # the previous run's duration, for the ETA
    started: float | None = None
    key: str = ""
    argv: list[str] = field(default_factory=list)
    summary: dict | None = None
    reports: list[str] = field(default_factory=list)
    progress_file: Path | None = None  # where the stage reports its own progress (output.ReportingProgress)


def _private_write(path: Path, text: str) -> None:
    """Write a state file atomically, readable by its owner only (0600 from creation)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _atomic_write(path: Path, data: dict) -> None:
    _private_write(path, json.dumps(data, ensure_ascii=False, indent=1, default=str))


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def masked_set(item: str) -> str:
    """A `--set key=value` fit for the state folder: the whole value is `***` when its field is named like a
    secret or it holds one (a URL password, a secret-named field of a mapping); a resume refuses such an item."""
    key, _, raw = item.partition("=")
    try:
        value = yaml.safe_load(raw) if raw.strip() else raw
    except yaml.YAMLError:
        value = raw
    secret = is_secret_name(key.strip().split(".")[-1]) and raw.strip()
    return f"{key}=***" if secret or mask_secrets(value) != value or redact_url(raw) != raw else item


def path_digest(path: Path) -> str:
    """sha256 of a file, or of a folder's sorted `relpath:sha256` lines (renaming the folder keeps it)."""
    if path.is_file():
        return file_sha256(path)
    h = hashlib.sha256()
    for p in sorted(q for q in path.rglob("*") if q.is_file()):
        h.update(f"{p.relative_to(path).as_posix()}:{file_sha256(p)}\n".encode())
    return h.hexdigest()


def _dig(summary: dict, dotted: str, where: str) -> Any:
    node: Any = summary
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            fields = ", ".join(node) if isinstance(node, dict) else type(node).__name__
            raise ConfigError(f"{where}: the summary has no field {dotted!r} (at {part!r}; fields: {fields})")
        node = node[part]
    return node


def reports_of(summary: dict, out: str | None) -> list[str]:
    """Report files a stage wrote: HTML / JSON paths in its summary, then `metrics.json` in its output folder."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, str) and node.endswith((".html", ".json", ".png")) and Path(node).is_file():
            found.append(node)

    walk(summary.get("paths", {}))
    for name in ("report_html", "report", "plot", "path"):
        walk(summary.get(name))
    if out and (Path(out) / "metrics.json").is_file():
        found.append(str(Path(out) / "metrics.json"))
    if out and out.endswith(".json") and Path(out).is_file():
        found.append(out)
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda p: (not p.endswith(".html"), p))[:4]


class Runner:
    """Runs a loaded pipeline into an output folder, reporting to a view (progress.py)."""

    def __init__(
        self,
        pipeline: Pipeline,
        out: str | Path | None = None,
        force: list[str] | None = None,
        from_stage: str | None = None,
        until: str | None = None,
        view=None,
        dry_run: bool = False,
    ):
        spec = pipeline.spec
        for flag, names in (
            ("--force", force or []),
            ("--from", [from_stage] if from_stage else []),
            ("--until", [until] if until else []),
        ):
            for n in names:
                if n not in pipeline.stages:
                    disabled = " (disabled in this profile)" if n in pipeline.disabled else ""
                    raise ConfigError(f"{flag} {n}: no such stage{disabled} (stages: {', '.join(pipeline.order)})")
        self.pipeline, self.view, self.dry_run = pipeline, view, dry_run
        self.force, self.from_stage, self.until = set(force or []), from_stage, until
        builtins = {"here": pipeline.here, "profile": pipeline.profile or "default", "name": spec.name}
        self.out = str(out) if out else self._substitute(spec.out or f"runs/{spec.name}", builtins, "out")
        builtins["out"] = self.out
        self.builtins = builtins
        self.vars: dict = {}
        self.vars = {k: self._substitute(v, builtins, f"vars.{k}") for k, v in spec.vars.items()}
        self.env = {
            k: str(self._substitute(v, {**builtins, **{f"vars.{n}": x for n, x in self.vars.items()}}, f"env.{k}"))
            for k, v in spec.env.items()
        }
        self.state_dir = Path(self.out) / STATE
        self.options: dict[str, dict] = {}  # resolved `with` per stage
        self.results: dict[str, dict] = {}  # recorded result per stage: key, summary
        self.runs = {n: StageRun(n, pipeline.stages[n].spec.uses) for n in pipeline.order}
        selected = set(pipeline.order) if until is None else pipeline.upstream(until)
        for n, r in self.runs.items():
            if n not in selected:
                r.state, r.note = "not selected", f"not needed by --until {until}"

    # -- references -----------------------------------------------------------------------------------------
    def _lookup(self, ref: str, names: dict, where: str) -> Any:
        if ref in names:
            return names[ref]
        head, _, rest = ref.partition(".")
        if head == "vars":
            return self.vars[rest]
        if head in self.options:
            if rest == "summary" or rest.startswith("summary."):
                summary = self.results[head]["summary"]
                return summary if rest == "summary" else _dig(summary, rest[len("summary.") :], f"{where}: ${{{ref}}}")
            return next(v for k, v in self.options[head].items() if k.replace("-", "_") == rest.replace("-", "_"))
        raise ConfigError(f"{where}: ${{{ref}}} cannot be resolved here")

    def _substitute(self, value: Any, names: dict, where: str) -> Any:
        """Replace `${...}`; a value that is one reference keeps the referenced type (a list stays a list)."""
        if isinstance(value, list):
            return [self._substitute(v, names, where) for v in value]
        if isinstance(value, dict):
            return {k: self._substitute(v, names, f"{where}.{k}") for k, v in value.items()}
        if not isinstance(value, str):
            return value
        whole = REF.fullmatch(value.strip())
        if whole:
            return self._lookup(whole.group(1), names, where)
        return REF.sub(lambda m: str(self._lookup(m.group(1), names, where)), value)

    # -- command line and cache key -------------------------------------------------------------------------
    def argv_of(self, stage: Stage, args: list, options: dict) -> list[str]:
        argv = [*stage.spec.uses.split(), *(str(a) for a in args)]
        for key, value in options.items():
            opt = option_of(stage.command, key)
            flag = next(o for o in opt.opts if o.startswith("--"))
            if opt.name == "set_":
                items = _flatten(value) if isinstance(value, dict) else [tuple(str(v).split("=", 1)) for v in value]
                for k, v in items:
                    argv += ["--set", f"{k}={v if isinstance(v, str) else json.dumps(v)}"]
            elif opt.is_flag:
                if value:
                    argv.append(flag)
                elif opt.secondary_opts:
                    argv.append(opt.secondary_opts[0])
            elif value is None:
                continue
            else:
                for v in value if isinstance(value, list) else [value]:
                    argv += [flag, str(v)]
        return argv

    def key_of(self, stage: Stage, argv: list[str]) -> str:
        out_abs = Path(self.out).resolve()
        inputs = {}
        for token in argv:
            for candidate in {token, token.split("=", 1)[-1]}:
                p = Path(candidate)
                if candidate and len(candidate) < 4096 and p.exists() and not p.resolve().is_relative_to(out_abs):
                    inputs[candidate] = path_digest(p)
        material = {
            "uses": stage.spec.uses,
            "argv": [t.replace(self.out, "${out}") for t in argv],
            "env": {k: v.replace(self.out, "${out}") for k, v in self.env.items()},
            "inputs": inputs,
            "upstream": {
                n: hashlib.sha256(json.dumps(self.results[n], sort_keys=True, default=str).encode()).hexdigest()
                for n in stage.needs
            },
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    # -- running --------------------------------------------------------------------------------------------
    def run(self) -> dict[str, StageRun]:
        """Run (or skip) every selected stage; raise StageFailed / ConfigError on the first failure."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir.chmod(0o700)  # logs and records of the stages: the owner's only
        self.t0 = time.time()
        if not self.dry_run:  # what produced the folder: the file as run, profile and --set applied
            resolved = {
                "file": str(self.pipeline.file),
                "profile": self.pipeline.profile,
                "sets": [masked_set(item) for item in self.pipeline.overrides],  # what a resume passes again
                **self.pipeline.spec.model_dump(mode="json", by_alias=True, exclude={"profiles"}),
                "out": self.out,
            }
            masked = mask_secrets(resolved)
            # stage names are names, not secrets: a stage called `key` keeps its mapping, its secret fields masked
            masked["stages"] = {name: mask_secrets(stage) for name, stage in (resolved.get("stages") or {}).items()}
            _private_write(
                self.state_dir / "pipeline.yaml",
                yaml.safe_dump(masked, sort_keys=False, allow_unicode=True),
            )
        if self.view:
            self.view.start(self)
        try:
            for name in self.pipeline.order:
                self._stage(name)
        finally:
            if self.view:
                self.view.stop(self)
        return self.runs

    def _stage(self, name: str) -> None:
        stage, run = self.pipeline.stages[name], self.runs[name]
        if run.state == "not selected":
            return
        where = f"stage {name}"
        names = {**self.builtins, **{f"vars.{k}": v for k, v in self.vars.items()}}
        waiting = [n for n in stage.needs if n not in self.results]
        if waiting:  # an upstream stage did not run (dry run): so this one would run too
            run.state, run.note = "would run", f"after {', '.join(waiting)}"
            return self.view and self.view.update(self, run)
        options = {k: self._substitute(v, names, f"{where}: with.{k}") for k, v in stage.spec.with_.items()}
        args = self._substitute(stage.spec.args, names, f"{where}: args")
        self.options[name] = options
        run.argv = self.argv_of(stage, args if isinstance(args, list) else [args], options)
        run.key = self.key_of(stage, run.argv)
        state_file, marker_file = self.state_dir / f"{name}.json", self.state_dir / f"{name}.running"
        prev, marker = _read(state_file), _read(marker_file)
        out = options.get("out")
        out_under = out is not None and Path(str(out)).resolve().is_relative_to(Path(self.out).resolve())
        serve = stage.spec.uses == "serve"

        if self.from_stage and name not in self.pipeline.downstream(self.from_stage):
            if prev is None:
                raise ConfigError(
                    f"--from {self.from_stage}: stage {name} has no recorded result in {self.state_dir}; "
                    f"run the pipeline without --from first"
                )
            return self._cached(run, prev, f"before --from {self.from_stage}", str(out) if out else None)
        forced = name in self.force or name == self.from_stage
        # what a stage writes must still be there for its record to stand (a deleted index is rebuilt)
        written = [
            options[k]
            for k in ("out", "index", "key-file", "key_file")
            if isinstance(options.get(k), str) and Path(options[k]).resolve().is_relative_to(Path(self.out).resolve())
        ]
        if (
            prev
            and prev.get("key") == run.key
            and not forced
            and stage.spec.cache
            and not serve
            and all(Path(p).exists() for p in written)
        ):
            return self._cached(run, prev, "inputs unchanged", str(out) if out else None)
        resume = bool(marker and marker.get("key") == run.key and not forced)
        run.expected = (prev or {}).get("seconds") or (marker or {}).get("expected")
        if self.dry_run:
            run.state = "would run"
            run.note = (
                "resume"
                if resume
                else "forced"
                if forced
                else "not cached"
                if not stage.spec.cache
                else "inputs changed"
                if prev
                else "no recorded result"
            )
            return self.view and self.view.update(self, run)
        argv = list(run.argv)
        if resume and takes(stage.command, "--resume"):
            argv.append("--resume")
        elif not resume and takes(stage.command, "--overwrite"):
            argv.append("--overwrite")
        elif not resume and out_under and Path(str(out)).exists():
            # a fresh run must not pick up an earlier run's work (eval would reuse stale generations)
            shutil.rmtree(out) if Path(str(out)).is_dir() else Path(str(out)).unlink()
        state_file.unlink(missing_ok=True)
        if not serve:
            _atomic_write(
                marker_file,
                {"key": run.key, "started": time.time(), "argv": shown_argv(argv), "expected": run.expected},
            )
        run.state, run.started = "running", time.time()
        run.note = "resuming an interrupted run" if resume else ""
        if self.view:
            self.view.update(self, run)
        on_line = (lambda line: self.view.line(self, run, line)) if self.view else (lambda line: None)
        on_summary = (lambda s: self._serving(run, s)) if serve else None
        run.progress_file = self.state_dir / f"{name}.progress"
        _private_write(run.progress_file, "")  # emptied, and 0600 like every file here (the stage appends to it)
        env = {**self.env, PROGRESS_FILE_ENV: str(run.progress_file)}  # the stage's bars, for the live view
        try:
            summary, status = run_child(
                argv, self.state_dir / f"{name}.log", env, on_line, on_summary, tuple(stage.spec.ok_exit)
            )
        except StageFailed:
            run.state, run.seconds = "failed", time.time() - run.started
            if self.view:
                self.view.update(self, run)
            raise
        run.seconds = time.time() - run.started
        if serve:
            run.state = "stopped"
            return
        run.summary = summary
        run.state = "done"
        if status != 0:  # an accepted refusal (promotion refused: production keeps serving)
            run.note = redact_url(f"exit {status}: {summary.get('reason') or summary.get('error') or ''}")[:200]
        elif summary.get("resumed_from"):
            run.note = f"resumed from {summary['resumed_from']}"
        elif resume:
            run.note = "rerun after an interruption"
        run.reports = reports_of(summary, str(out) if out else None)
        kept = mask_secrets(summary)  # a key printed on the child's stdout (no key-file) lives in memory only
        self.results[name] = {"key": run.key, "summary": kept}
        _atomic_write(
            state_file,
            {
                "stage": name,
                "uses": stage.spec.uses,
                "key": run.key,
                "argv": shown_argv(argv),
                "summary": kept,
                "seconds": round(run.seconds, 2),
                "finished": time.time(),
                "note": run.note,
                "reports": run.reports,
            },
        )
        marker_file.unlink(missing_ok=True)
        if self.view:
            self.view.update(self, run)

    def _cached(self, run: StageRun, prev: dict, why: str, out: str | None) -> None:
        run.state, run.note = "cached", why
        run.summary, run.seconds = prev["summary"], prev.get("seconds")
        run.reports = prev.get("reports") or reports_of(prev["summary"], out)
        run.key = prev.get("key", run.key)
        self.results[run.name] = {"key": prev["key"], "summary": prev["summary"]}
        if self.view:
            self.view.update(self, run)

    def _serving(self, run: StageRun, summary: dict) -> None:
        run.summary, run.state = summary, "serving"
        run.seconds = time.time() - (run.started or time.time())
        if self.view:
            self.view.serving(self, run)

    def created_key(self) -> tuple[str | None, str | None]:
        """(key, key file) of a `keys create` stage: the file it wrote (0600), or, without `key-file`, the key
        it printed in this run (in memory only: the state files hold "***")."""
        for r in self.runs.values():
            if r.uses.startswith("keys create") and r.state in ("done", "cached") and r.summary:
                key_file = r.summary.get("key_file")
                if key_file and Path(key_file).is_file():
                    return None, key_file
                if r.state == "done" and r.summary.get("key") not in (None, "***"):
                    return r.summary["key"], None
        return None, None

    def summary(self) -> dict:
        return {
            "ok": all(r.state not in ("failed", "pending", "running") for r in self.runs.values()),
            "pipeline": self.pipeline.spec.name,
            "profile": self.pipeline.profile or "default",
            "out": self.out,
            "stages": {
                n: {
                    "state": r.state,
                    "note": r.note,
                    "seconds": None if r.seconds is None else round(r.seconds, 2),
                    "reports": r.reports,
                    "summary": str(self.state_dir / f"{n}.json") if r.summary else None,
                }
                for n, r in self.runs.items()
            },
            "disabled": self.pipeline.disabled,
        }


def _flatten(tree: dict, prefix: str = "") -> list[tuple[str, Any]]:
    """`{retrieval: {k: 3}}` -> [("retrieval.k", 3)]: --set takes dotted keys."""
    items: list[tuple[str, Any]] = []
    for k, v in tree.items():
        if isinstance(v, dict) and v:
            items.extend(_flatten(v, f"{prefix}{k}."))
        else:
            items.append((f"{prefix}{k}", v))
    return items
