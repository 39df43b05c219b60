"""The operator console at `/console` (admin role only): registry, keys, reports, live traffic, runs, audit.

    chatforge serve --model registry:NAME@production --db serve.db     # then open http://HOST:PORT/console

The page (static/console/, plain HTML/JS, no build step, same security headers as the web chat)
signs in with an admin key and calls the JSON API under `/v1/admin/console/...`: 401 without a
key, 403 for a key without the `admin` role. `/console` and its assets hold no data; asked with a
non-admin key they answer 403 as well. Every action calls what the CLI calls (`Registry.promote`,
`rollback` and `set_gate` as `chatforge registry`, `Store.create_key` / `revoke_key` and
`audit.set_key_roles` as `chatforge keys`) and writes an audit entry (store/audit.py).

    GET  /v1/admin/console/registry                       models, versions with lineage, gate checks, serving
    POST /v1/admin/console/registry/{name}/promote        {version, tolerance, force, reason}: the CLI's gate
    POST /v1/admin/console/registry/{name}/rollback       {version?}: production back to the previous version
    POST /v1/admin/console/registry/{name}/gate           {gate: "metric=value,..."}
    GET  /v1/admin/console/keys | POST .../keys {user, roles} | POST .../keys/{id}/revoke | .../keys/{id}/roles
    GET  /v1/admin/console/audit

Reports and live traffic: console_reports.py; pipeline runs: console_runs.py. The registry is the one the server's `registry:` models follow, else `$CHATFORGE_REGISTRY` or
runs/registry (`app.state.console_registry` overrides it). After a promotion or roll back the
server's `registry:` engines re-read their alias at once instead of at the next poll; the answer
names what they serve once the new version is loaded (or after FOLLOW_WAIT_S, still loading).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from chatforge.errors import UserError
from chatforge.store import audit
from chatforge.store.auth import Principal, admin

STATIC = Path(__file__).parent / "static" / "console"
PREFIX = "/v1/admin/console"
FOLLOW_WAIT_S = 30.0  # how long an action waits for the serving engines to load the version it promoted
KEY_ID = PathParam(ge=1, le=2**63 - 1, description="API key id.")


def page_guard(request: Request) -> None:
    """The page holds no data and opens without a key; a request carrying a non-admin key is still a 403."""
    if request.headers.get("authorization"):
        admin(request)


def act(request: Request, who: Principal, action: str, target: str, detail: dict | None = None) -> dict:
    """The audit entry of a console action."""
    return audit.record(request.app.state.store, who.user, who.key_id, action, target, detail)


def user_error(exc: Exception) -> HTTPException:
    return HTTPException(400, detail=str(exc))


router = APIRouter(tags=["console"])


@router.get("/console", include_in_schema=False, dependencies=[Depends(page_guard)])
def console_page():
    return FileResponse(STATIC / "console.html")


@router.get("/console/static/{name}", include_in_schema=False, dependencies=[Depends(page_guard)])
def console_asset(name: str):
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(404, detail="no such file")
    return FileResponse(path)


# ---- registry ---------------------------------------------------------------------------------


def registry_of(request: Request):
    """The registry the console acts on (see the module docstring), one client per app."""
    from chatforge.registry.versions import Registry, default_uri

    st = request.app.state
    uri = getattr(st, "console_registry", None)
    if uri is None:
        followed = [
            e.registry
            for e in st.engines.values()
            if getattr(e, "registry", None) is not None and hasattr(e, "check_now")
        ]
        if followed:
            return followed[0]
        uri = default_uri()
    cache = getattr(st, "console_registries", None)
    if cache is None:
        st.console_registries = cache = {}
    if str(uri) not in cache:
        cache[str(uri)] = Registry(uri, create=False)
    return cache[str(uri)]


def _serving(request: Request) -> dict:
    return {v: {"name": e.name, "follows": getattr(e, "spec", None)} for v, e in request.app.state.engines.items()}


def _follow(request: Request, name: str) -> list[str]:
    """Engines serving `registry:NAME@...` re-read their alias now; the names they serve after at most
    FOLLOW_WAIT_S (a large model still loading goes on in its thread and is swapped in when ready)."""
    engines = [
        e
        for e in request.app.state.engines.values()
        if getattr(e, "registered", None) == name and hasattr(e, "check_now")
    ]
    threads = [threading.Thread(target=e.check_now, name=f"console-follow-{name}", daemon=True) for e in engines]
    for t in threads:
        t.start()
    deadline = time.monotonic() + FOLLOW_WAIT_S
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return [e.name for e in engines]


@router.get(f"{PREFIX}/registry")
def registry_view(request: Request, _: Principal = Depends(admin)) -> dict:
    from chatforge.registry.promotion import gate_check

    try:
        reg = registry_of(request)
    except UserError as exc:
        return {"uri": None, "error": str(exc), "models": [], "serving": _serving(request)}
    models = []
    for name in reg.names():
        gate = reg.gate(name)
        versions = []
        for v in reg.versions(name):
            versions.append({**v.to_dict(), "gate_check": gate_check(v.metrics, gate) if gate else None})
        prod = next((v["version"] for v in versions if "production" in v["aliases"]), None)
        cand = next((v["version"] for v in versions if "candidate" in v["aliases"]), None)
        models.append(
            {
                "name": name,
                "gate": gate,
                "production": prod,
                "candidate": cand,
                "ab_share": reg.ab_share(name),
                "versions": versions[::-1],
            }
        )
    return {"uri": reg.uri, "models": models, "serving": _serving(request)}


class PromoteIn(BaseModel):
    version: int = Field(..., ge=1, description="Version number to promote.")
    tolerance: float = Field(0.0, ge=0, description="Differences up to this count as equal.")
    force: bool = Field(False, description="Promote even if the rule refuses (a reason is required).")
    reason: str | None = Field(None, max_length=500, description="Why; recorded with the promotion.")


@router.post(f"{PREFIX}/registry/{{name}}/promote")
def promote(name: str, body: PromoteIn, request: Request, who: Principal = Depends(admin)) -> dict:
    if body.force and not (body.reason or "").strip():
        raise HTTPException(400, detail="a forced promotion needs a reason")
    try:
        reg = registry_of(request)
        res = reg.promote(
            name,
            body.version,
            force=body.force,
            tolerance=body.tolerance,
            reason=body.reason and f"{body.reason} (console: {who.user})",
        )
    except UserError as exc:
        raise user_error(exc) from None
    act(
        request,
        who,
        "promote" if res["promoted"] else "promote-refused",
        f"{name}@{body.version}",
        {"previous": res.get("previous"), "forced": res.get("forced"), "reason": res["reason"]},
    )
    res.pop("record", None)
    return {**res, "serving": _follow(request, name) if res["promoted"] else []}


class RollbackIn(BaseModel):
    version: int | None = Field(None, ge=1, description="Version to go back to (default: the one production replaced).")
    reason: str | None = Field(None, max_length=500)


@router.post(f"{PREFIX}/registry/{{name}}/rollback")
def rollback(name: str, body: RollbackIn, request: Request, who: Principal = Depends(admin)) -> dict:
    try:
        res = registry_of(request).rollback(name, body.version, reason=body.reason, via=f"console: {who.user}")
    except UserError as exc:
        raise user_error(exc) from None
    act(request, who, "rollback", f"{name}@{res['version']}", {"from": res["previous"], "promoted": res["promoted"]})
    res.pop("record", None)
    return {**res, "serving": _follow(request, name) if res["promoted"] else []}


class GateIn(BaseModel):
    gate: str = Field(..., max_length=2000, description="metric=value,... as `chatforge registry set-gate`.")


@router.post(f"{PREFIX}/registry/{{name}}/gate")
def set_gate(name: str, body: GateIn, request: Request, who: Principal = Depends(admin)) -> dict:
    from chatforge.eval.gate import parse_fail_under

    try:
        thresholds = parse_fail_under(body.gate)
        if not thresholds:
            raise HTTPException(400, detail="give at least one metric=value")
        registry_of(request).set_gate(name, thresholds)
    except UserError as exc:
        raise user_error(str(exc).replace("--fail-under", "gate")) from None
    act(request, who, "set-gate", name, {"gate": thresholds})
    return {"name": name, "gate": thresholds}


# ---- keys -------------------------------------------------------------------------------------


def _roles(text: str | list[str]) -> list[str]:
    roles = [r.strip() for r in (text.split(",") if isinstance(text, str) else text) if r.strip()]
    if not roles:
        raise HTTPException(400, detail="give at least one role")
    return roles


class KeyIn(BaseModel):
    user: str = Field(..., min_length=1, max_length=200, description="User name (created on first key).")
    roles: str = Field("public", max_length=1000, description="Comma-separated roles.")


class RolesIn(BaseModel):
    roles: str = Field(..., max_length=1000, description="Comma-separated roles (replace the key's roles).")


@router.get(f"{PREFIX}/keys")
def list_keys(request: Request, _: Principal = Depends(admin)) -> dict:
    return {"data": request.app.state.store.list_keys()}


@router.post(f"{PREFIX}/keys")
def create_key(body: KeyIn, request: Request, who: Principal = Depends(admin)) -> dict:
    roles = _roles(body.roles)
    key, row = request.app.state.store.create_key(body.user.strip(), roles)
    act(request, who, "key-create", f"key {row.id}", {"user": body.user.strip(), "roles": roles})
    return {"id": row.id, "user": body.user.strip(), "roles": roles, "key": key}  # shown once, never stored in clear


def not_own_key(who: Principal, key_id: int) -> None:
    """The key signed in cannot revoke or re-role itself: an admin never locks the console out by a click."""
    if key_id == who.key_id:
        raise HTTPException(
            409,
            detail=f"key {key_id} is the key this console is signed in with: "
            "change it from another admin key (or `chatforge keys revoke`)",
        )


@router.post(f"{PREFIX}/keys/{{key_id}}/revoke")
def revoke_key(request: Request, key_id: int = KEY_ID, who: Principal = Depends(admin)) -> dict:
    not_own_key(who, key_id)
    if not request.app.state.store.revoke_key(key_id):
        raise HTTPException(404, detail=f"no active key with id {key_id}")
    act(request, who, "key-revoke", f"key {key_id}")
    return {"revoked": key_id}


@router.post(f"{PREFIX}/keys/{{key_id}}/roles")
def key_roles(body: RolesIn, request: Request, key_id: int = KEY_ID, who: Principal = Depends(admin)) -> dict:
    roles = _roles(body.roles)
    not_own_key(who, key_id)
    before = audit.set_key_roles(request.app.state.store, key_id, roles)
    if before is None:
        raise HTTPException(404, detail=f"no active key with id {key_id}")
    act(request, who, "key-roles", f"key {key_id}", {"before": before, "after": roles})
    return {"id": key_id, "roles": roles}


@router.get(f"{PREFIX}/audit")
def audit_log(request: Request, _: Principal = Depends(admin)) -> dict:
    return {"data": audit.entries(request.app.state.store)}


def mount(app) -> None:
    """Add the console's page and API to the serving app (and the other console sections)."""
    from chatforge.serve import console_reports, console_runs

    app.include_router(router)
    app.include_router(console_reports.router)
    app.include_router(console_runs.router)
