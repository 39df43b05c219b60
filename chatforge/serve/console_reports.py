"""The console's Reports and Live traffic sections: eval reports side by side, A/B status, feedback inbox.

    GET  /v1/admin/console/reports                                   report.json files found
    GET  /v1/admin/console/reports/compare?a=PATH&va=VAR&b=PATH&vb=VAR  metric deltas with intervals, per-item diff
    GET  /v1/admin/console/ab                                        `chatforge ab report` (serve/ab.py)
    GET  /v1/admin/console/inbox?model=NAME                          answers to look at first
    POST /v1/admin/console/campaigns {name, annotators, conversations}  a review campaign of those conversations

Reports are the `report.json` files of `chatforge eval` under the runs folder (`app.state.console_runs`,
default `runs/` of the server's working directory, up to 4 levels down) and those the registry's versions were
registered with; only those can be read. The per-item diff leaves out (and counts in `hidden`) every item about
or quoting a document the caller's roles may not read: its test row's `doc_id` and its `sources`, by the inbox's
rule below; an item whose test set cannot be read is left out too. The inbox lists assistant answers, worst first:
thumbs down, regenerated, abstained, then low support (below `LOW_SUPPORT`). An answer quoting
documents shows its question and text only when the caller's roles may read every quoted
document (the role payloads of the server's index; unknown roles fail closed), as in the
annotation queue. A campaign is built as `chatforge annotate create --from-feedback` builds one
(annotate/sources.py, annotate/campaign.py), from the chosen conversations only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from chatforge.errors import UserError
from chatforge.serve import ab
from chatforge.serve.console import PREFIX, act, registry_of
from chatforge.store.auth import Principal, admin
from chatforge.store.database import Feedback, Message

LOW_SUPPORT = 0.5
MAX_REPORTS = 500
MAX_DEPTH = 4  # report.json files are looked for this deep under the runs folder (runs/RUN/eval/report.json...)
router = APIRouter(tags=["console"])


# ---- reports ----------------------------------------------------------------------------------


def _runs_root(request: Request) -> Path:
    return Path(getattr(request.app.state, "console_runs", None) or "runs").resolve()


def report_paths(request: Request) -> list[Path]:
    """report.json files under the runs folder and those of registered versions (newest first)."""
    root = _runs_root(request)
    found = {p.resolve() for depth in range(1, MAX_DEPTH + 1) for p in root.glob("*/" * depth + "report.json")}
    found = set(sorted(found)[:MAX_REPORTS])
    try:
        reg = registry_of(request)
        for name in reg.names():
            for v in reg.versions(name):
                path = (v.metrics or {}).get("report")
                if path and Path(path).is_file():
                    found.add(Path(path).resolve())
    except UserError:
        pass
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _load(request: Request, path: str) -> dict:
    try:
        target = Path(path).resolve()
    except (OSError, ValueError):  # a NUL byte, a loop of links
        target = None
    if target is None or target not in report_paths(request):  # only listed reports: the API reads no other file
        raise HTTPException(404, detail=f"{path}: not a report.json of the runs folder or the registry")
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise HTTPException(400, detail=f"{path}: unreadable report ({exc})") from None


@router.get(f"{PREFIX}/reports")
def list_reports(request: Request, _: Principal = Depends(admin)) -> dict:
    out, root = [], _runs_root(request)
    for p in report_paths(request):
        try:
            rep = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        label = str(p.relative_to(root)) if p.is_relative_to(root) else str(p)
        out.append(
            {
                "path": str(p),
                "label": label,
                "models": rep.get("models"),
                "variants": list(rep.get("results", {})),
                "testset": rep.get("testset"),
            }
        )
    return {"root": str(root), "data": out}


def metric_nodes(section: dict, prefix: str = "") -> dict[str, dict]:
    """Dotted metric name -> {value, ci, n} of a variant's section (items and examples left out)."""
    out: dict[str, dict] = {}
    for key, node in section.items():
        if key in ("items", "examples", "ci", "n", "seconds") or isinstance(node, bool):
            continue
        name = f"{prefix}{key}"
        if isinstance(node, (int, float)):
            out[name] = {"value": node, "ci": None, "n": None}
        elif isinstance(node, dict):
            if isinstance(node.get("value"), (int, float)) and not isinstance(node.get("value"), bool):
                out[name] = {"value": node["value"], "ci": node.get("ci"), "n": node.get("n")}
            out.update(metric_nodes({k: v for k, v in node.items() if k != "value"}, name + "."))
    return out


def _section(rep: dict, variant: str, path: str) -> dict:
    section = rep.get("results", {}).get(variant)
    if section is None:
        raise HTTPException(404, detail=f"{path}: no variant {variant!r} (it has {', '.join(rep.get('results', {}))})")
    return section


def _item_view(it: dict | None) -> dict | None:
    if it is None:
        return None
    return {
        k: it.get(k)
        for k in (
            "answer",
            "token_f1",
            "answer_correct",
            "facts_recall",
            "abstained",
            "degenerate",
            "grounding",
            "sources",
        )
        if k in it
    }


def item_key(item: dict, position: int) -> str:
    """An item's id, or its position in the test set when it has none (as the report lists items)."""
    return str(item["id"]) if item.get("id") is not None else f"#{position + 1}"


def testset_rows(rep: dict) -> dict[str, dict] | None:
    """Item id -> its row of the report's test set (a relative path read from the working folder); None if unreadable."""
    testset = Path(str((rep.get("testset") or {}).get("path") or ""))
    if not testset.is_absolute():
        testset = Path.cwd() / testset
    try:
        rows = [json.loads(line) for line in testset.read_text(encoding="utf-8").splitlines() if line.strip()]
        return {item_key(row, i): row for i, row in enumerate(rows)}
    except (OSError, ValueError, AttributeError, TypeError):
        return None


def item_documents(item: dict | None, row: dict | None) -> list[str]:
    """The documents an item's answer is about or quotes: its test row's `doc_id` (one or a list), its sources."""
    docs = (row or {}).get("doc_id")
    docs = [docs] if isinstance(docs, str) else [str(d) for d in docs] if isinstance(docs, list) else []
    return docs + [str(s) for s in (item or {}).get("sources") or []]


def groundings(path: Path, rep: dict, variant: str, items: dict[str, dict]) -> dict[str, dict]:
    """Item id -> the grounding its answer carried (support, citations, removed sentences), from the evaluation's
    generation log `generations/<variant>.jsonl` next to the report, matched on the test set's questions."""
    from chatforge.eval.generations import GenerationLog
    from chatforge.eval.runner import slug

    log = path.parent / "generations" / f"{slug(variant)}.jsonl"
    rows: dict[str, dict] = {}
    try:
        for line in log.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if isinstance(row, dict) and row.get("task") == "answer" and "key" in row:
                rows[row["key"]] = row
    except (OSError, ValueError):
        return {}
    rows_t = testset_rows(rep)
    if rows_t is None:
        return {}
    questions = {key: row.get("question", "") for key, row in rows_t.items()}
    out = {}
    for key, it in items.items():
        row = rows.get(GenerationLog.key("answer", questions.get(key, "")))
        grounding = ((row or {}).get("stats") or {}).get("grounding")
        if isinstance(grounding, dict) and row.get("text") == it.get("answer"):
            out[key] = grounding
    return out


@router.get(f"{PREFIX}/reports/compare")
def compare_reports(request: Request, a: str, va: str, b: str, vb: str, who: Principal = Depends(admin)) -> dict:
    """Metric deltas (B - A) with each side's interval, and the answers item by item (`hidden`: items left out
    because they are about or quote a document the caller's roles may not read)."""
    from chatforge.eval.gate import lower_is_better

    ra, rb = _load(request, a), _load(request, b)
    sa, sb = _section(ra, va, a), _section(rb, vb, b)
    ma, mb = metric_nodes(sa), metric_nodes(sb)
    metrics = []
    for name in [n for n in ma if n in mb] + [n for n in mb if n not in ma]:
        x, y = ma.get(name), mb.get(name)
        delta = y["value"] - x["value"] if x and y else None
        overlap = None
        if x and y and x.get("ci") and y.get("ci"):
            overlap = not (x["ci"][1] < y["ci"][0] or y["ci"][1] < x["ci"][0])
        metrics.append(
            {
                "metric": name,
                "a": x,
                "b": y,
                "delta": None if delta is None else round(delta, 6),
                "lower_is_better": lower_is_better(name),
                "intervals_overlap": overlap,
            }
        )
    items_a = {item_key(it, i): it for i, it in enumerate(sa.get("items") or [])}
    items_b = {item_key(it, i): it for i, it in enumerate(sb.get("items") or [])}
    for items, rep, path, variant in ((items_a, ra, a, va), (items_b, rb, b, vb)):
        for key, grounding in groundings(Path(path), rep, variant, items).items():
            items[key] = {**items[key], "grounding": grounding}
    # the inbox's rule: an item shows only when the caller's roles may read every document it is about or quotes
    rows_a, rows_b = testset_rows(ra), testset_rows(rb)
    docs: list = []  # the index's document roles, read once and only if an item names a document
    items, hidden = [], 0
    for k in list(items_a) + [k for k in items_b if k not in items_a]:
        x, y = items_a.get(k), items_b.get(k)
        if (x is not None and rows_a is None) or (y is not None and rows_b is None):
            hidden += 1  # a test set that cannot be read names no documents: fail closed
            continue
        named = item_documents(x, (rows_a or {}).get(k)) + item_documents(y, (rows_b or {}).get(k))
        if named and not docs:
            docs.append(doc_roles(request))
        if named and not may_read(named, docs[0], who.roles):
            hidden += 1
            continue
        differ = (x or {}).get("answer") != (y or {}).get("answer")
        items.append({"id": k, "a": _item_view(x), "b": _item_view(y), "differ": differ})
    return {
        "a": {"path": a, "variant": va},
        "b": {"path": b, "variant": vb},
        "metrics": metrics,
        "items": items,
        "hidden": hidden,
        "degenerate": {"a": sa.get("degenerate"), "b": sb.get("degenerate")},
    }


# ---- live traffic -----------------------------------------------------------------------------


@router.get(f"{PREFIX}/ab")
def ab_status(request: Request, _: Principal = Depends(admin)) -> dict:
    return ab.report(request.app.state.store)


def doc_roles(request: Request) -> dict[str, list[str]] | None:
    """doc_id -> roles from the server's own index (its open retriever), None without an index."""
    grounding = request.app.state.grounding
    if grounding is None:
        return None
    roles: dict[str, set[str]] = {}
    for p in grounding.retriever.index.scroll_payloads(["doc_id", "roles"]):
        roles.setdefault(p.get("doc_id"), set()).update(p.get("roles") or [])
    return {d: sorted(r) for d, r in roles.items() if d}


def may_read(sources: list | None, docs: dict | None, roles) -> bool:
    """Every document an answer quotes is readable by one of `roles`; unknown documents fail closed."""
    from chatforge.annotate.sources import quoted_doc

    mine = set(roles)
    for label in sources or []:
        doc = quoted_doc(label, docs or {})
        if doc is None or not mine & set(docs[doc]):
            return False
    return True


def _why(m: Message, thumbs: dict[int, int], regenerated: set[int]) -> list[str]:
    g = m.grounding or {}
    why = []
    if thumbs.get(m.id, 0) < 0:
        why.append("thumbs down")
    if m.id in regenerated:
        why.append("regenerated")
    if g.get("abstained"):
        why.append("abstained")
    if isinstance(g.get("support"), (int, float)) and g["support"] < LOW_SUPPORT:
        why.append("low support")
    return why


RANK = {"thumbs down": 0, "regenerated": 1, "abstained": 2, "low support": 3}


@router.get(f"{PREFIX}/inbox")
def inbox(
    request: Request, model: str | None = None, limit: int = Query(200, ge=1, le=5000), who: Principal = Depends(admin)
) -> dict:
    store = request.app.state.store
    with store.session() as s:
        answers = list(s.scalars(select(Message).where(Message.role == "assistant").order_by(Message.id.desc())))
        thumbs = {
            mid: v
            for mid, v in s.execute(select(Feedback.message_id, Feedback.value).where(Feedback.kind == "thumb")).all()
            if mid
        }
        questions = {m.id: m.content for m in s.scalars(select(Message).where(Message.role == "user"))}
    regenerated = {m.regenerates for m in answers if m.regenerates}
    docs = doc_roles(request) if any(m.sources for m in answers) else None
    models = sorted({m.model for m in answers if m.model})
    rows = []
    for m in answers:
        if model and m.model != model:
            continue
        why = _why(m, thumbs, regenerated)
        if not why:
            continue
        readable = may_read(m.sources, docs, who.roles)
        rows.append(
            {
                "message_id": m.id,
                "conversation_id": m.conversation_id,
                "model": m.model,
                "variant": m.variant,
                "why": why,
                "support": (m.grounding or {}).get("support"),
                "restricted": not readable,
                "question": questions.get(m.parent_id) if readable else None,
                "answer": m.content if readable else None,
                "sources": m.sources if readable else None,
                "created": m.created,
            }
        )
    rows.sort(key=lambda r: (min(RANK[w] for w in r["why"]), -r["message_id"]))
    return {"models": models, "data": rows[:limit]}


class CampaignIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200, description="New campaign name.")
    annotators: str = Field(..., min_length=1, max_length=2000, description="Comma-separated annotator user names.")
    conversations: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        ..., min_length=1, max_length=10_000, description="Conversation ids to review."
    )


@router.post(f"{PREFIX}/campaigns")
def send_to_campaign(body: CampaignIn, request: Request, who: Principal = Depends(admin)) -> dict:
    """A `feedback` campaign of the chosen conversations' answers, assigned to `annotators`."""
    from chatforge.annotate.campaign import CampaignConfig, assign, finalize, open_campaign
    from chatforge.annotate.sources import read_feedback_store
    from chatforge.data.pii import Redactor

    store = request.app.state.store
    users = [u.strip() for u in body.annotators.split(",") if u.strip()]
    if not users:
        raise HTTPException(400, detail="name the campaign's annotators: it shows what users typed")
    with store.session() as s:
        parents = set(
            s.scalars(select(Message.id).where(Message.role == "user", Message.conversation_id.in_(body.conversations)))
        )
    try:
        cfg = CampaignConfig(name=body.name, answers_per_prompt=0, annotators_per_item=min(len(users), 20))
        rejected: list = []
        redactor = Redactor.from_config(cfg.pii)
        sources = read_feedback_store(store, doc_roles=doc_roles(request), redactor=redactor, rejected=rejected)
        sources = [src for src in sources if int(src.meta["id"].split(":", 1)[1]) in parents]
        camp = open_campaign(
            store, cfg, "feedback", sources, {"feedback_store": True, "conversations": sorted(body.conversations)}
        )
        counts = finalize(store, camp)
        assigned = assign(store, cfg.name, users)
    except (UserError, ValueError) as exc:
        raise HTTPException(400, detail=str(exc)) from None
    act(
        request,
        who,
        "campaign-create",
        body.name,
        {"conversations": sorted(body.conversations), **counts, "assigned": assigned, "annotators": users},
    )
    return {"name": body.name, **counts, "assigned": assigned, "rejected": [r.to_dict() for r in rejected]}
