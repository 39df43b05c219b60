"""The audit log of the operator console: who did what, when, on the serving database.

    GET /v1/admin/console/audit       (chatforge serve; the console's "Audit" list)

Every console action (promote, roll back, set a gate, create / revoke a key, change its roles,
send conversations to a campaign, start or stop a run) writes one row: the caller's user name
and key id, the action, its target and a small JSON detail (versions, roles, counts: never a key
and never what users wrote). The table joins the serving database's metadata, so a `Store`
creates it with the others; `record` also creates it on a database made before it existed.

Commands that make the same changes from a shell (`chatforge keys roles`, `chatforge registry rollback`)
write the same rows through `record_cli`: user "cli", no key id, the login name in the detail.

`set_key_roles` is the one writer of a key's roles after creation (the console's "roles" action and
`chatforge keys roles`).
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from chatforge.store.database import ApiKey, Base, Store

CLI_ACTOR = "cli"  # the user of an entry written by a command rather than the console


def _now() -> datetime:
    return datetime.now(timezone.utc)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    user: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(300))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


_READY: set[int] = set()


def _ensure(store: Store) -> None:
    if id(store.engine) not in _READY:
        AuditEntry.__table__.create(store.engine, checkfirst=True)
        _READY.add(id(store.engine))


def record(store: Store, user: str, key_id: int | None, action: str, target: str, detail: dict | None = None) -> dict:
    """Write one entry (committed before returning) and return it as a dict."""
    _ensure(store)
    with store.session() as s:
        row = AuditEntry(user=user, key_id=key_id, action=action, target=str(target)[:300], detail=detail or {})
        s.add(row)
        s.commit()
        return _as_dict(row)


def record_cli(store: Store, action: str, target: str, detail: dict | None = None) -> dict:
    """The entry of a change made by a chatforge command: actor "cli", the OS login name in `detail["login"]`."""
    import getpass

    try:
        login = os.environ.get("CHATFORGE_USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        login = "unknown"
    return record(store, CLI_ACTOR, None, action, target, {"login": login, **(detail or {})})


def entries(store: Store, limit: int = 200, action: str | None = None) -> list[dict]:
    """The newest entries first (optionally of one action)."""
    _ensure(store)
    with store.session() as s:
        q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if action:
            q = q.where(AuditEntry.action == action)
        return [_as_dict(r) for r in s.scalars(q)]


def _as_dict(r: AuditEntry) -> dict:
    at = r.at.replace(tzinfo=timezone.utc) if r.at and r.at.tzinfo is None else r.at  # SQLite returns it naive
    return {
        "id": r.id,
        "at": at.isoformat() if at else None,
        "user": r.user,
        "key_id": r.key_id,
        "action": r.action,
        "target": r.target,
        "detail": r.detail,
    }


def set_key_roles(store: Store, key_id: int, roles: list[str]) -> list[str] | None:
    """Replace the roles of an active key; None when there is no active key `key_id`."""
    with store.session() as s:
        row = s.get(ApiKey, key_id)
        if row is None or row.revoked is not None:
            return None
        before = list(row.roles or [])
        row.roles = list(roles)
        s.commit()
        return before
