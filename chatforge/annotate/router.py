"""The annotation API under `/v1/annotate/...` and the page at `/annotate`, mounted by `chatforge serve`.

    GET  /v1/annotate/campaigns                          open campaigns with the caller's progress
    GET  /v1/annotate/campaigns/{name}/next              the caller's next item (claimed on demand)
    POST /v1/annotate/items/{id}/judgement               ranking, flags, correction, comment (or skip)
    GET  /v1/annotate/campaigns/{name}/disagreements     reviewer: least agreement first (?all=true: agreed too)
    POST /v1/annotate/items/{id}/settle                  reviewer: the final ranking
    GET  /v1/annotate/campaigns/{name}/report            reviewer: the campaign report (report.py)

Roles are plain key roles: `annotator` for the queue, `reviewer` for disagreements, settling
and the report; `admin` may do both.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from chatforge.annotate import queue
from chatforge.store.auth import ADMIN_ROLE, Principal, principal

STATIC = Path(__file__).parent / "static"
ANNOTATOR, REVIEWER = "annotator", "reviewer"
ITEM_ID = PathParam(
    ge=1, le=2**63 - 1, description="Annotation item id."
)  # signed 64-bit in the database: larger is a 422


def _role(*roles: str):
    def dependency(request: Request) -> Principal:
        who = principal(request)
        if ADMIN_ROLE not in who.roles and not set(roles) & set(who.roles):
            raise HTTPException(403, detail=f"this endpoint needs the role {' or '.join(map(repr, roles))}")
        return who

    return dependency


annotator, reviewer, anyone = _role(ANNOTATOR), _role(REVIEWER), _role(ANNOTATOR, REVIEWER)


def _call(fn, *args):
    try:
        return fn(*args)
    except queue.WorkspaceError as exc:
        raise HTTPException(exc.status, detail=str(exc)) from None


router = APIRouter(tags=["annotate"])


@router.get("/v1/annotate/campaigns")
def list_campaigns(request: Request, who: Principal = Depends(anyone)) -> dict:
    return {"data": queue.campaigns(request.app.state.store, who.user_id, who.roles)}


@router.get("/v1/annotate/campaigns/{name}/next")
def next_item(name: str, request: Request, who: Principal = Depends(annotator)) -> dict:
    return _call(queue.next_item, request.app.state.store, name, who.user_id, who.roles)


@router.post("/v1/annotate/items/{item_id}/judgement")
def post_judgement(
    body: queue.JudgementIn, request: Request, item_id: int = ITEM_ID, who: Principal = Depends(annotator)
) -> dict:
    return _call(queue.submit, request.app.state.store, item_id, who.user_id, body, who.roles)


@router.get("/v1/annotate/campaigns/{name}/disagreements")
def get_disagreements(
    name: str,
    request: Request,
    limit: int = Query(50, ge=1, le=10_000),
    all: bool = False,
    who: Principal = Depends(reviewer),
) -> dict:
    return {"data": _call(queue.disagreements, request.app.state.store, name, limit, all, who.user_id, who.roles)}


@router.post("/v1/annotate/items/{item_id}/settle")
def post_settle(
    body: queue.SettleIn, request: Request, item_id: int = ITEM_ID, who: Principal = Depends(reviewer)
) -> dict:
    return _call(queue.settle, request.app.state.store, item_id, who.user_id, body, who.roles)


@router.get("/v1/annotate/campaigns/{name}/report")
def get_report(name: str, request: Request, who: Principal = Depends(reviewer)) -> dict:
    from chatforge.annotate.report import ReportError, build_report

    try:
        return build_report(request.app.state.store, name, viewer=(who.user_id, who.roles))
    except ReportError as exc:
        raise HTTPException(404, detail=str(exc)) from None


@router.get("/annotate", include_in_schema=False)
def annotate_page():
    return FileResponse(STATIC / "annotate.html")


def mount(app) -> None:
    """Add the API, the page and its static files to the serving app."""
    app.include_router(router)
    app.mount("/annotate/static", StaticFiles(directory=STATIC), name="annotate-static")
