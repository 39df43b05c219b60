"""`chatforge serve`, `keys`, `feedback export` and `ab report`: parse, load the typed config, call the stage.

    chatforge serve --model MODEL [--model-b M --b-share 0.2] [--index IDX] [--db URL] [--port P] \
                    [--engine auto|transformers|llamacpp] [--backend-url URL]
    chatforge serve --model registry:NAME@production [--model-b registry:NAME@candidate]   (hot swap: model_watch.py)
    chatforge serve --model default --index IDX   (a base without chat tuning: behind the verifier and gate, base_model.py)
    chatforge keys create --user alice --roles support,admin [--db URL]   # prints the key once
    chatforge keys create --user alice --roles admin --key-file admin.key   # or writes it to a 0600 file
    chatforge keys list [--db URL] | chatforge keys revoke ID [--db URL]
    chatforge keys roles ID --roles support,manager [--db URL]     # or --user alice: every active key of alice
    chatforge feedback export --db URL --format sft|dpo|kto --out FILE.jsonl
    chatforge ab report --db URL --json

Each takes `--json` (last stdout line is one JSON object, a typed result of serve/results.py); `serve` and
`feedback export` also `--config`, `--set` and `--show-config` (chatforge/command.py).
A database that cannot be opened (PostgreSQL unreachable, a sqlite:/// URL in a missing folder) is a
one-line error naming the URL with its password masked (`store.opening.open_database`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.errors import ConfigError, UserError
from chatforge.output import redact_url
from chatforge.store.opening import open_database

DEFAULT_DB = "runs/serve/chatforge.db"
DbOpt = typer.Option(DEFAULT_DB, "--db", help="SQLite file (WAL) or postgresql:// URL.")
RESULTS = "chatforge.serve.results:"

keys_app = typer.Typer(
    help="API keys: create (shown once, stored hashed), list, revoke, change roles.", no_args_is_help=True
)
feedback_app = typer.Typer(help="Feedback collected while serving: export as training data.", no_args_is_help=True)
ab_app = typer.Typer(help="A/B tests between served models.", no_args_is_help=True)


class KeyFileError(UserError):
    """The key file could not be written; the key was revoked (exit 1: the cause may be passing)."""

    exit_code = 1


class UnknownKey(UserError, ValueError):
    """No active key matches the key id or user given (exit 2)."""


def serve_cmd(
    model: Optional[str] = typer.Option(
        None,
        "--model",
        help="Model A: Hugging Face id, folder, .gguf file, 'default', or registry:NAME@production (follows promotions).",
    ),
    model_b: Optional[str] = typer.Option(None, "--model-b", help="Model B for A/B testing."),
    b_share: Optional[float] = typer.Option(
        None, "--b-share", help="Share of users sent to model B (sticky per user)."
    ),
    index: Optional[Path] = typer.Option(
        None, "--index", help="RAG index: answers grounded under the key's roles, with sources."
    ),
    db: Optional[str] = typer.Option(None, "--db", help="SQLite file (WAL) or postgresql:// URL."),
    host: Optional[str] = typer.Option(None, "--host", help="Interface to listen on."),
    port: Optional[int] = typer.Option(None, "--port", help="TCP port."),
    engine: Optional[str] = typer.Option(None, "--engine", help="auto, transformers or llamacpp."),
    backend_url: Optional[str] = typer.Option(
        None, "--backend-url", help="Forward generation to an OpenAI-compatible server."
    ),
    allow_base_model: Optional[bool] = typer.Option(
        None,
        "--allow-base-model",
        help="Serve a pretrained base without chat tuning even without --index (it continues text rather than answering).",
    ),
    cmd: Invocation = None,
) -> None:
    """Serve the OpenAI-compatible API and the web chat (Ctrl-C stops)."""
    from chatforge.serve.base_model import guard

    cfg = cmd.config(
        model=model,
        model_b=model_b,
        b_share=b_share,
        index=index,
        db=db,
        host=host,
        port=port,
        engine=engine,
        backend_url=backend_url,
        allow_base_model=allow_base_model,
    )
    warnings = guard(cfg)  # before any weights load: a base model without an index is refused here
    for line in warnings:
        typer.echo(line, err=True)
    if (
        "b_share" not in cfg.model_fields_set
    ):  # `chatforge loop --ab-share` stored the candidate's share in the registry
        from chatforge.serve.model_watch import registry_b_share

        cfg.b_share = registry_b_share(cfg.model_b) or cfg.b_share
    import uvicorn

    from chatforge.serve.app import create_app

    store = open_database(cfg.db)  # before the model loads: a wrong --db fails at once
    try:
        app = create_app(cfg, store=store)
    except BaseException:
        store.close()
        raise
    url = f"http://{cfg.host}:{cfg.port}"
    cmd.emit(
        {
            "ok": True,
            "url": url,
            "models": {v: e.name for v, e in app.state.engines.items()},
            "engines": {v: e.kind for v, e in app.state.engines.items()},
            "rag": cfg.index is not None,
            "db": redact_url(str(cfg.db)),
        },
        f"chatforge serving on {url}  (web chat: {url}/ · API: {url}/v1 · "
        f"{'docs: ' + url + '/docs' if cfg.api_docs else 'schema: ' + url + '/openapi.json'})",
    )
    uvicorn.run(app, host=cfg.host, port=cfg.port, log_level="warning")


@command(keys_app, "create", result=RESULTS + "KeyCreateResult")
def keys_create(
    user: str = typer.Option(..., "--user", help="User name (created on first key)."),
    roles: str = typer.Option("public", "--roles", help="Comma-separated roles, e.g. support,admin."),
    db: str = DbOpt,
    key_file: Optional[Path] = typer.Option(
        None,
        "--key-file",
        help="Write the key to this file (created with mode 0600) instead of printing it; the summary names the file.",
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing --key-file."),
    cmd: Invocation = None,
) -> None:
    """Create a key; it is printed once (or written to --key-file) and only its hash is stored."""
    from chatforge.output import stderr

    role_list = [r.strip() for r in roles.split(",") if r.strip()]
    if not role_list:
        raise ConfigError("--roles: give at least one role")
    if key_file is not None and key_file.exists() and not overwrite:
        raise ConfigError(f"--key-file {key_file}: the file exists; pass --overwrite to replace it")
    if key_file is not None and not key_file.parent.is_dir():
        raise ConfigError(f"--key-file {key_file}: no such folder {key_file.parent}")
    store = open_database(db)
    try:
        key, row = store.create_key(user, role_list)
        done = {"ok": True, "id": row.id, "user": user, "roles": role_list}
        if key_file is not None:
            try:
                _write_private(key_file, key + "\n")
            except OSError as exc:  # a key nobody holds must not stay valid
                store.revoke_key(row.id)
                raise KeyFileError(
                    f"--key-file {key_file}: cannot write it ({exc.strerror or exc}); the key was revoked"
                ) from None
    finally:
        store.close()
    if key_file is not None:
        return cmd.emit(
            {**done, "key_file": str(key_file)},
            f"key {row.id} for {user} (roles: {', '.join(role_list)}) written to {key_file} (mode 0600)",
        )
    # the key goes to the caller's stdout; on stderr only when it is a terminal (a captured stderr is a log)
    human = (
        f"key for {user} (roles: {', '.join(role_list)}), shown once — store it now:\n{key}"
        if not cmd.as_json or stderr.is_terminal
        else f"key {row.id} for {user} (roles: {', '.join(role_list)}) created: it is in the JSON summary on stdout"
    )
    cmd.emit({**done, "key": key}, human)


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a file only its owner can read (0600 from creation, replaced atomically)."""
    import os

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@command(keys_app, "list", result=RESULTS + "KeysListResult")
def keys_list(db: str = DbOpt, cmd: Invocation = None) -> None:
    """List keys (id, user, prefix, roles, revoked); never the keys themselves."""
    store = open_database(db, create=False)  # a mistyped --db is an error, not a new empty database
    try:
        rows = store.list_keys()
    finally:
        store.close()
    human = (
        "\n".join(
            f"{r['id']:>4}  {r['user']:<20} {r['prefix']}…  {','.join(r['roles']):<24} "
            f"{'revoked ' + str(r['revoked']) if r['revoked'] else 'active'}"
            for r in rows
        )
        or "no keys"
    )
    cmd.emit({"ok": True, "keys": rows}, human)


@command(keys_app, "revoke", result=RESULTS + "KeyRevokeResult")
def keys_revoke(
    key_id: int = typer.Argument(..., help="Key id from `chatforge keys list`."),
    db: str = DbOpt,
    cmd: Invocation = None,
) -> None:
    """Revoke a key: the next request with it gets a 401."""
    store = open_database(db, create=False)
    try:
        ok = store.revoke_key(key_id)
    finally:
        store.close()
    if not ok:
        cmd.fail(f"no active key with id {key_id}", 1)
    cmd.emit({"ok": True, "revoked": key_id}, f"key {key_id} revoked")


@command(keys_app, "roles", result=RESULTS + "KeyRolesResult")
def keys_roles(
    key_id: Optional[int] = typer.Argument(None, help="Key id from `chatforge keys list` (or --user)."),
    roles: str = typer.Option(..., "--roles", help="Comma-separated roles replacing the key's roles, e.g. support."),
    user: Optional[str] = typer.Option(None, "--user", help="Change every active key of this user instead of one id."),
    db: str = DbOpt,
    cmd: Invocation = None,
) -> None:
    """Replace the roles of a key (or of a user's active keys), as the console does; written to the audit log."""
    from chatforge.store import audit

    role_list = [r.strip() for r in roles.split(",") if r.strip()]
    if not role_list:
        raise ConfigError("--roles: give at least one role")
    if (key_id is None) == (user is None):
        raise ConfigError("give a key id or --user NAME (one of them)")
    store = open_database(db, create=False)
    try:
        if user is not None:
            ids = [k["id"] for k in store.list_keys() if k["user"] == user and not k["revoked"]]
            if not ids:
                raise UnknownKey(f"--user {user}: no active key for this user (`chatforge keys list`)")
        else:
            ids = [key_id]
        changed = []
        for kid in ids:
            before = audit.set_key_roles(store, kid, role_list)
            if before is None:
                raise UnknownKey(f"key {kid}: no active key with this id (`chatforge keys list`)")
            audit.record_cli(store, "key-roles", f"key {kid}", {"before": before, "after": role_list})
            changed.append({"id": kid, "before": before})
    finally:
        store.close()
    human = "\n".join(f"key {c['id']}: roles {','.join(c['before'])} -> {','.join(role_list)}" for c in changed)
    cmd.emit({"ok": True, "roles": role_list, "keys": changed}, human)


@command(
    feedback_app,
    "export",
    config="chatforge.serve.feedback:FeedbackExportConfig",
    result=RESULTS + "FeedbackExportResult",
)
def feedback_export(
    db: str = DbOpt,
    format: str = typer.Option(
        ..., "--format", help="sft (thumbs-up answers), dpo (picks and ranked pairs) or kto (thumbs)."
    ),
    out: Path = typer.Option(..., "--out", help="JSONL file to write."),
    cmd: Invocation = None,
) -> None:
    """Turn stored feedback into training data the train stages read, personal data redacted (config: pii, as data prepare)."""
    from chatforge.data.jsonl import write_jsonl
    from chatforge.serve.feedback import export_report

    cfg = cmd.config()
    store = open_database(db, create=False)  # a mistyped --db is an error, not an empty export of a new database
    try:
        result = export_report(store, format, cfg.pii)
    finally:
        store.close()
    path = write_jsonl(result.rows, out)
    for row in result.skipped:  # ids and reasons only: never the text of a message
        typer.echo(f"skipped feedback {row['feedback_id']} ({row['kind']}): {row['reason']}", err=True)
    redacted = ", ".join(f"{k} {v}" for k, v in result.redacted.items()) or "nothing"
    cmd.emit(
        {"ok": True, **result.summary(), "path": str(path)},
        f"{len(result.rows)} {format} rows written to {path}; skipped {len(result.skipped)}; redacted {redacted}",
    )


@command(ab_app, "report", result=RESULTS + "ABReportResult")
def ab_report_cmd(
    db: str = DbOpt, alpha: float = typer.Option(0.05, "--alpha", help="Significance level."), cmd: Invocation = None
) -> None:
    """Per variant: thumbs-up rate, survey mean, regenerate rate, tests, and a verdict in plain words."""
    from chatforge.serve.ab import report

    store = open_database(db, create=False)
    try:
        rep = report(store, alpha)
    finally:
        store.close()
    lines = [
        f"{v}: users {r['users']}, answers {r['answers']}, thumbs-up {r['thumbs_up']}/{r['thumbs']}, "
        f"regenerate rate {r['regenerate_rate'] if r['regenerate_rate'] is not None else '-'}, "
        f"survey mean {r['survey_mean'] if r['survey_mean'] is not None else '-'}"
        for v, r in rep["variants"].items()
    ]
    cmd.emit({"ok": True, **rep}, "\n".join(lines + [rep["verdict"]]))


def register(root: typer.Typer) -> None:
    """Add `serve`, `keys`, `feedback` and `ab` to the root CLI."""
    command(root, "serve", config="chatforge.serve.app:ServeConfig", result=RESULTS + "ServeResult")(serve_cmd)
    root.add_typer(keys_app, name="keys")
    root.add_typer(feedback_app, name="feedback")
    root.add_typer(ab_app, name="ab")
