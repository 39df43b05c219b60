"""`chatforge store purge`, `chatforge users erase` and `chatforge users erasures`: retention and erasure from the CLI.

    chatforge store purge --db URL --retention-days 90 [--json]        # or --config serve.yaml (store.retention_days)
    chatforge users erase --user NAME --db URL [--registry URI] [--json]
    chatforge users erasures --db URL [--registry URI] [--json]

The work is done by store/retention.py (purge), annotate/erasure.py (erase) and
registry/erasure.py (the registry versions trained on erased feedback). These commands sit at
the pipeline layer because naming registry versions reads the registry, which serve must not
import. All three refuse a database that does not exist, and take `--json` from the one command builder
(chatforge/command.py); `store purge --config` is a serve config (its db and store.retention_days). Exit status: 0 done, 2 bad input.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.errors import ConfigError

store_app = typer.Typer(
    help="The serving database: purge what is older than the retention period.", no_args_is_help=True
)
users_app = typer.Typer(
    help="Users of the served bot: erase one user's data (right to erasure), list erasures.", no_args_is_help=True
)

DbOpt = typer.Option(
    None, "--db", help="SQLite file or postgresql:// URL of the serving database (default: runs/serve/chatforge.db)."
)
RegistryOpt = typer.Option(
    None, "--registry", help="Registry folder or MLflow URI to check (default: $CHATFORGE_REGISTRY or runs/registry)."
)
DEFAULT_DB = "runs/serve/chatforge.db"


def shown(uri: str) -> str:
    """A URL as it may be printed: the password replaced by ***."""
    return re.sub(r"(://[^/:@]+):[^/@]*@", r"\1:***@", str(uri))


def _open(db: str):
    from chatforge.store.opening import open_database

    return open_database(db, create=False)


def _registry_check(registry: Optional[str], message_ids: list[int], item_ids: list[int]) -> dict:
    """The affected versions, or why the registry could not be read (the erasure itself stands either way)."""
    from chatforge.registry.erasure import affected_versions
    from chatforge.registry.versions import Registry, RegistryError

    try:
        result = affected_versions(Registry(registry, create=False), message_ids, item_ids)
    except RegistryError as exc:
        return {"registry": None, "checked": False, "reason": str(exc), "affected": [], "unverified": []}
    return {**result, "registry": shown(result["registry"]), "checked": True}


def _versions_text(check: dict) -> str:
    if not check["checked"]:
        return f"registry not checked: {check['reason']}"
    lines = [
        f"retrain: {a['ref']}{' (' + ', '.join(a['aliases']) + ')' if a['aliases'] else ''} — {a['reason']}"
        for a in check["affected"]
    ]
    lines += [f"unverified: {u['ref']} — {'; '.join(u['reasons'])}" for u in check["unverified"]]
    return "\n".join(lines) or f"no registry version in {check['registry']} was trained on this user's feedback"


@command(store_app, "purge", result="chatforge.pipeline.results:PurgeResult")
def purge_cmd(
    db: Optional[str] = DbOpt,
    retention_days: Optional[float] = typer.Option(
        None,
        "--retention-days",
        help="Delete conversations inactive for longer than this (default: store.retention_days of --config).",
    ),
    config: Optional[Path] = typer.Option(
        None, "--config", help="A serve config YAML (its db and store.retention_days)."
    ),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Override one serve config field: key=value."),
    cmd: Invocation = None,
) -> None:
    """Delete conversations, messages, feedback and survey answers older than the retention period; print counts."""
    from chatforge.config import load_config
    from chatforge.store.retention import StoreConfig, purge

    data = load_config(StoreConfig, None, None, retention_days=retention_days)
    if config or set_:
        from chatforge.serve.app import ServeConfig

        serve_cfg = load_config(ServeConfig, config, set_, db=db, **{"store.retention_days": retention_days})
        data, db = serve_cfg.store, serve_cfg.db
    if not data.retention_days:
        raise ConfigError("no retention period: pass --retention-days N (days) or set store.retention_days in --config")
    store = _open(db or DEFAULT_DB)
    try:
        result = purge(store, data.retention_days)
    finally:
        store.close()
    d = result["deleted"]
    cmd.emit(
        {"ok": True, "db": shown(db or DEFAULT_DB), **result},
        f"purged what was inactive since {result['cutoff']}: {d['conversations']} conversations, {d['messages']} "
        f"messages, {d['feedback']} feedback rows (of which {d['survey_answers']} survey answers)",
    )


@command(users_app, "erase", result="chatforge.pipeline.results:EraseResult")
def erase_cmd(
    user: str = typer.Option(..., "--user", help="The user name whose data is erased."),
    db: Optional[str] = DbOpt,
    registry: Optional[str] = RegistryOpt,
    cmd: Invocation = None,
) -> None:
    """Erase a user's conversations, messages, feedback, A/B assignment and annotation data; revoke the keys;
    name the registry versions trained on that user's feedback."""
    from chatforge.annotate.erasure import UnknownUser, erase_user, erasures, operator

    store = _open(db or DEFAULT_DB)
    try:
        try:
            record = erase_user(store, user, by=operator())
        except UnknownUser as exc:
            cmd.fail(f"--user: {exc}")
        row = next(e for e in erasures(store) if e.id == record["erasure_id"])
        message_ids, item_ids = list(row.message_ids or []), list(row.item_ids or [])
    finally:
        store.close()
    check = _registry_check(registry, message_ids, item_ids)
    counts = ", ".join(f"{k} {v}" for k, v in record["deleted"].items())
    cmd.emit(
        {"ok": True, **record, "versions": check},
        f"erased {user} (erasure {record['erasure_id']}): {counts}\n{_versions_text(check)}",
    )


@command(users_app, "erasures", result="chatforge.pipeline.results:ErasuresResult")
def erasures_cmd(db: Optional[str] = DbOpt, registry: Optional[str] = RegistryOpt, cmd: Invocation = None) -> None:
    """Every erasure recorded (who, when, counts), with the registry versions trained on the erased feedback."""
    from chatforge.annotate.erasure import describe, erasures, user_names

    store = _open(db or DEFAULT_DB)
    try:
        rows = erasures(store)
        names = user_names(store, [r.user_id for r in rows])
    finally:
        store.close()
    out, lines = [], []
    for r in rows:
        check = _registry_check(registry, list(r.message_ids or []), list(r.item_ids or []))
        out.append({**describe(r, names.get(r.user_id)), "versions": check})
        lines.append(
            f"{r.id}: {names.get(r.user_id, r.user_id)} erased by {r.by} at {r.at}\n  "
            + _versions_text(check).replace("\n", "\n  ")
        )
    cmd.emit({"ok": True, "erasures": out}, "\n".join(lines) or "no erasure recorded")


def register(root: typer.Typer) -> None:
    """Add `store` and `users` to the root app."""
    root.add_typer(store_app, name="store")
    root.add_typer(users_app, name="users")
