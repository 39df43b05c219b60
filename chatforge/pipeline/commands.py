"""`chatforge registry ...` and `chatforge loop`: parse options, call registry.py / loop.py, print the result.

    chatforge registry register NAME --model DIR [--eval REPORT_JSON] [--parent REF] [--base SPEC] [--data PATH ...]
                                     [--config FILE] [--run-id ID] [--gate metric=value,...] [--no-copy] [--json]
    chatforge registry promote NAME VERSION [--gate ...] [--tolerance T] [--force --reason TEXT] [--json]
    chatforge registry rollback NAME [--to VERSION] [--reason TEXT] [--db SERVE_DB]   (audited in the serving database)
    chatforge registry set-gate NAME metric=value,...
    chatforge registry list [NAME] | chatforge registry show NAME@REF
    chatforge loop --name NAME --db SERVE_DB --testset FILE --out DIR [--methods dpo,kto,sft] [--ab-share S]
                   [--dry-run] [--resume | --overwrite] [--json]

Every command takes `--registry URI` (default `$CHATFORGE_REGISTRY`, else runs/registry) and
`--json` (chatforge/command.py; `loop` also `--config`, `--set` and `--show-config`); each summary is a typed
result (registry/results.py, pipeline/results.py). Exit status: 0 done (promoted, A/B started), 2 bad input, and a refused promotion:
2 for `registry promote`, 1 for `loop` (which did its work; the candidate is registered).
The reason and the comparison are in the JSON summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.output import stderr

app = typer.Typer(
    help="Model registry: register versions with lineage and metrics, promote through the gate.", no_args_is_help=True
)

RegistryOpt = typer.Option(
    None, "--registry", help="Registry folder or MLflow URI (default: $CHATFORGE_REGISTRY or runs/registry)."
)
GateOpt = typer.Option(
    None, "--gate", help="Gate: metric=value,... (report.json names; lower-is-better ones: at most)."
)


def _registry(uri: Optional[str], create: bool = False):
    """The registry; only `register` and `set-gate` create one where there is none."""
    from chatforge.registry.versions import Registry

    return Registry(uri, create=create)


def _gate(text: Optional[str]) -> dict[str, float]:
    from chatforge.eval.gate import GateError, parse_fail_under

    try:
        return parse_fail_under(text)
    except GateError as exc:
        raise GateError(str(exc).replace("--fail-under", "--gate")) from None


def _errors():
    """What a registry command reports on one line besides the builder's user errors: MLflow refusing (an
    unreachable tracking server, a name it rejects); anything else is a bug (chatforge/command.py)."""
    from mlflow.exceptions import MlflowException

    return (MlflowException,)


@command(app, "register", result="chatforge.registry.results:VersionResult")
def register_cmd(
    name: str = typer.Argument(..., help="Registered model name, e.g. hirondelle."),
    model: Path = typer.Option(..., "--model", help="Model folder (save_pretrained output, merged export or adapter)."),
    eval_report: Optional[Path] = typer.Option(
        None, "--eval", help="report.json of `chatforge eval` whose last --model is this one."
    ),
    parent: Optional[str] = typer.Option(
        None, "--parent", help="The version it was trained from: NAME@REF, or a REF of NAME."
    ),
    base: Optional[str] = typer.Option(
        None, "--base", help="Base model spec (default: the `model` of the folder's config.yaml)."
    ),
    data: Optional[list[Path]] = typer.Option(
        None, "--data", help="Training data file or folder, hashed (repeatable; default: metrics.json inputs)."
    ),
    config: Optional[Path] = typer.Option(
        None, "--config", help="Resolved training config (default: the folder's config.yaml)."
    ),
    run_id: Optional[str] = typer.Option(
        None, "--run-id", help="MLflow run that produced it (default: found in the folder's mlflow.db)."
    ),
    gate: Optional[str] = GateOpt,
    copy: bool = typer.Option(
        True, "--copy/--no-copy", help="Copy the files into a folder registry (default) or point at them."
    ),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """Register a model folder as a new version, with lineage (base, data, config, parent, run) and metrics."""
    thresholds = _gate(gate)
    try:
        v = _registry(registry, create=True).register(
            name,
            model,
            eval_report=eval_report,
            parent=parent,
            base=base,
            data=[str(d) for d in data] if data else None,
            config=config,
            run_id=run_id,
            gate=thresholds or None,
            copy=copy,
        )
    except _errors() as exc:
        cmd.fail(str(exc))
    headline = {k: (v.metrics.get("variants") or {}).get("plain", {}).get(k) for k in ("token_f1", "hallucination")}
    human = (
        f"registered {v.ref} from {model}\n  files: {v.path}\n  base: {v.lineage['base']}, parent: "
        f"{v.lineage['parent'] and '{name}@{version}'.format(**v.lineage['parent'])}, run: {v.lineage['run_id']}\n"
        f"  metrics: " + (", ".join(f"{k} {x:.3f}" for k, x in headline.items() if x is not None) or "none (no --eval)")
    )
    cmd.emit({"ok": True, **v.to_dict()}, human)


@command(app, "promote", result="chatforge.registry.results:PromoteResult")
def promote_cmd(
    name: str = typer.Argument(..., help="Registered model name."),
    version: str = typer.Argument(..., help="Version number (or candidate / latest)."),
    gate: Optional[str] = GateOpt,
    tolerance: float = typer.Option(
        0.0, "--tolerance", help="Differences up to this count as equal (neither better nor worse)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Promote even if the rule refuses; who, when and why are recorded."
    ),
    reason: Optional[str] = typer.Option(
        None, "--reason", help="Why (recorded with the promotion; expected with --force)."
    ),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """Move `production` to VERSION if its evaluation passes the gate and beats production (see registry/promotion.py)."""
    from chatforge.registry.promotion import comparison_table

    thresholds = _gate(gate)
    try:
        reg = _registry(registry)
        ref = reg.get(name, version).version
        res = reg.promote(name, ref, gate=thresholds or None, force=force, reason=reason, tolerance=tolerance)
    except _errors() as exc:
        cmd.fail(str(exc))
    table = comparison_table(res["comparison"])
    for w in res.get("warnings", []):
        stderr.print(f"[yellow]warning:[/yellow] {w}", highlight=False)
    if not res["promoted"]:
        stderr.print(
            f"[red]refused:[/red] {name}@{ref}: {res['reason']}" + (f"\n{table}" if table else ""), highlight=False
        )
        if cmd.as_json:
            cmd.emit({"ok": False, "error": f"promotion refused: {res['reason']}", **res})
        raise typer.Exit(2)
    verb = "FORCED to production" if res["forced"] else "promoted to production"
    cmd.emit(
        {"ok": True, **res},
        f"{name}@{ref} {verb} (was {res['previous']}): {res['reason']}" + (f"\n{table}" if table else ""),
    )


@command(app, "rollback", result="chatforge.registry.results:RollbackResult")
def rollback_cmd(
    name: str = typer.Argument(..., help="Registered model name."),
    to: Optional[int] = typer.Option(
        None, "--to", min=1, help="Version to put back in production (default: the one production replaced)."
    ),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why (recorded with the promotion and the audit)."),
    db: Optional[str] = typer.Option(
        None,
        "--db",
        help="Serving database whose audit log records the roll back (default: runs/serve/chatforge.db if it exists).",
    ),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """Put production back on an earlier version, past the gate, as the console's roll back button does."""
    from chatforge.serve.commands import DEFAULT_DB
    from chatforge.store import audit
    from chatforge.store.opening import open_database, sqlite_file

    # the database is opened first: a --db that cannot be opened stops the roll back before it changes anything
    given = db is not None or sqlite_file(DEFAULT_DB).is_file()
    store = open_database(db or DEFAULT_DB, create=False) if given else None
    try:
        try:
            res = _registry(registry).rollback(name, to, reason=reason, via="cli")
        except _errors() as exc:
            cmd.fail(str(exc))
        recorded = (res.pop("record", None) or {}).get("reason", res["reason"])
        entry = None
        if store is not None:
            detail = {"from": res["previous"], "promoted": res["promoted"], "reason": reason}
            entry = audit.record_cli(store, "rollback", f"{name}@{res['version']}", detail)
    finally:
        if store is not None:
            store.close()
    if entry is None:
        stderr.print(f"no serving database at {DEFAULT_DB}: the roll back is not in an audit log (give --db)")
    cmd.emit(
        {
            "ok": True,
            "name": name,
            "version": res["version"],
            "previous": res["previous"],
            "forced": res["forced"],
            "reason": recorded,
            "audit_id": entry and entry["id"],
        },
        f"{name}@{res['version']} back in production (was {res['previous']})"
        + ("" if entry is None else f"; audit entry {entry['id']}"),
    )


@command(app, "set-gate", result="chatforge.registry.results:SetGateResult")
def set_gate_cmd(
    name: str = typer.Argument(..., help="Registered model name."),
    gate: str = typer.Argument(..., help="metric=value,... (replaces the stored gate)."),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """Store the gate `promote` uses when no --gate is given."""
    thresholds = _gate(gate)
    if not thresholds:
        cmd.fail("give at least one metric=value")
    try:
        _registry(registry, create=True).set_gate(name, thresholds)
    except _errors() as exc:
        cmd.fail(str(exc))
    cmd.emit({"ok": True, "name": name, "gate": thresholds}, f"{name}: gate {thresholds}")


@command(app, "list", result="chatforge.registry.results:RegistryListResult")
def list_cmd(
    name: Optional[str] = typer.Argument(None, help="One registered model (default: every one)."),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """Registered models and their versions, aliases and headline metrics."""
    try:
        reg = _registry(registry)
        names = [name] if name else reg.names()
        models = {
            n: {
                "gate": reg.gate(n),
                "versions": [
                    {
                        "version": v.version,
                        "aliases": v.aliases,
                        "path": v.path,
                        "created": v.lineage.get("created"),
                        "parent": v.lineage.get("parent"),
                        "token_f1": (v.metrics.get("variants") or {}).get("plain", {}).get("token_f1"),
                    }
                    for v in reg.versions(n)
                ],
            }
            for n in names
        }
    except _errors() as exc:
        cmd.fail(str(exc))
    lines = []
    for n, m in models.items():
        lines.append(f"{n}  (gate: {m['gate'] or 'none'})")
        for v in m["versions"]:
            f1 = f"token_f1 {v['token_f1']:.3f}" if v["token_f1"] is not None else "no metrics"
            lines.append(f"  v{v['version']:<4} {','.join(v['aliases']) or '-':<22} {v['created'] or ''}  {f1}")
    cmd.emit({"ok": True, "registry": reg.uri, "models": models}, "\n".join(lines) or f"no models in {reg.uri}")


@command(app, "show", result="chatforge.registry.results:VersionResult")
def show_cmd(
    ref: str = typer.Argument(..., help="NAME@REF: a version number, production, candidate or latest."),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """One version: files, aliases, lineage, metrics and promotion record."""
    import json

    try:
        v = _registry(registry).resolve(ref)
    except _errors() as exc:
        cmd.fail(str(exc))
    lin = {k: val for k, val in v.lineage.items() if k != "config"}
    cmd.emit(
        {"ok": True, **v.to_dict()},
        f"{v.ref} ({', '.join(v.aliases) or 'no alias'})\n  files: {v.path}\n  lineage: {json.dumps(lin, default=str)}\n"
        f"  metrics: {json.dumps((v.metrics.get('variants') or {}), default=str)[:600]}\n  promotion: {v.promotion}",
    )


def loop_cmd(
    name: Optional[str] = typer.Option(
        None, "--name", help="Registered model whose production version the round improves."
    ),
    db: Optional[str] = typer.Option(
        None, "--db", help="The serve database (SQLite file or postgresql:// URL) holding the feedback."
    ),
    testset: Optional[Path] = typer.Option(
        None, "--testset", help="Held-out test set (JSONL: question, answer, ...) for production vs candidate."
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Folder for this round: feedback/, train/, models/, candidate/, eval/, loop.json."
    ),
    methods: Optional[str] = typer.Option(
        None, "--methods", help="Comma-separated trainings among sft,dpo,kto (default: all three)."
    ),
    ab_share: Optional[float] = typer.Option(
        None, "--ab-share", help="Start an A/B test of the candidate at this share instead of promoting it."
    ),
    gate: Optional[str] = GateOpt,
    tolerance: Optional[float] = typer.Option(None, "--tolerance", help="Metric differences up to this are ties."),
    min_feedback: Optional[int] = typer.Option(None, "--min-feedback", help="Fewest feedback rows worth a round."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what the round would do; change nothing."),
    resume: bool = typer.Option(
        False, "--resume", help="Continue the round in --out, reusing what it already trained."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Redo the round in --out from scratch."),
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """One round from real use: export feedback, train (SFT, DPO, KTO) from production, evaluate, promote or refuse."""
    from chatforge.errors import ConfigError
    from chatforge.pipeline.loop import plan, run_loop
    from chatforge.pipeline.results import LoopPlanResult

    thresholds = _gate(gate)
    try:
        if not (name and db and testset and out):
            raise ConfigError("chatforge loop needs --name, --db, --testset and --out")
        cfg = cmd.config(
            ab_share=ab_share,
            tolerance=tolerance,
            min_feedback=min_feedback,
            gate=thresholds or None,
            methods=[m.strip() for m in methods.split(",") if m.strip()] if methods else None,
        )
        reg = _registry(registry)
        if dry_run:
            p = plan(name, db, testset, out, cfg, reg)
            lines = [
                f"dry run: nothing is written. Round for {name}@{p['production']} (registry {p['registry']})",
                "  feedback rows: " + ", ".join(f"{k} {v}" for k, v in p["feedback"]["rows"].items()),
            ]
            lines += [
                f"  train {t['method']} on {t['rows']} rows from {t['from']} -> {t['out']}" for t in p["trainings"]
            ]
            lines += [f"  skip {s['method']}: {s['reason']}" for s in p["skipped"]]
            lines += [
                f"  evaluate production vs candidate on {p['eval']['items']} items of {p['eval']['testset']}",
                f"  gate {p['gate']} (tolerance {p['tolerance']}); then {p['action']}",
            ]
            return cmd.emit({"ok": True, "dry_run": True, **p}, "\n".join(lines), result=LoopPlanResult)
        _quiet_training()
        res = run_loop(name, db, testset, out, cfg, reg, resume=resume, overwrite=overwrite)  # progress on stderr
    except _errors() as exc:
        cmd.fail(str(exc))
    from chatforge.registry.promotion import comparison_table

    table = comparison_table(res.get("comparison") or [])
    head = {
        "promoted": f"{name}@{res['candidate']['version']} promoted to production (was {res['plan']['production']})",
        "ab_started": f"{name}@{res['candidate']['version']} is the A/B candidate at share {res.get('ab_share')}",
        "refused": f"{name}@{res['candidate']['version']} registered, not promoted",
    }[res["outcome"]]
    summary = {"ok": res["outcome"] != "refused", **{k: v for k, v in res.items() if k != "versions"}}
    cmd.emit(summary, f"{head}: {res['reason']}" + (f"\n{table}" if table else "") + f"\nround: {out}/loop.json")
    if res["outcome"] == "refused":
        raise typer.Exit(1)


def _quiet_training() -> None:
    import warnings

    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    warnings.filterwarnings("ignore", category=FutureWarning)


def register(root: typer.Typer) -> None:
    """Add `registry` (sub-commands) and `loop` to the root app."""
    root.add_typer(app, name="registry")
    command(root, "loop", config="chatforge.pipeline.loop:LoopConfig", result="chatforge.pipeline.results:LoopResult")(
        loop_cmd
    )
