"""An annotator's queue and a reviewer's settling, as committed database operations (the router calls these).

- `next_item`: the caller's oldest pending assignment, else a new one claimed on demand (an item
  with fewer than N live assignments that the caller never had); prompt and labelled answers only,
  never the model, never anyone's judgement.
- `submit`: the judgement and the assignment's `done` status in one transaction, committed before
  the caller is answered; a second submission of the same item is refused (409).
- `disagreements` / `settle`: items judged at least twice, least agreement first, with each
  annotator's judgement; the reviewer's final ranking (and flags) overrides them in the export.

Each takes the caller's key roles: a campaign is seen only by its members (or, when it lists
none, by every key of the role), and an item only by callers whose roles may read every
document its answers quote (tables.readable). Unset roles mean the user's active keys' roles.
An item or campaign the caller may not see is a 404, as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from chatforge.annotate.agreement import item_tau
from chatforge.store.annotation import (
    FLAG_KINDS,
    Answer,
    Assignment,
    Campaign,
    Item,
    Judgement,
    is_member,
    key_roles,
    readable,
    readable_meta,
)
from chatforge.store.auth import ADMIN_ROLE
from chatforge.store.database import Store, User


class WorkspaceError(Exception):
    """An HTTP-shaped refusal: `status` (404, 409, 422) and a message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class JudgementIn(BaseModel):
    ranking: list[list[str]] = Field(default_factory=list, description="Tie groups of answer labels, best first.")
    flags: dict[str, list[str]] = Field(default_factory=dict, description="Answer label -> flag kinds (unsafe, wrong).")
    correction: str | None = Field(None, max_length=20000, description="A corrected answer.")
    comment: str | None = Field(None, max_length=4000, description="Free text.")
    skip: bool = Field(False, description="Pass on this item (it goes to someone else).")


class SettleIn(BaseModel):
    ranking: list[list[str]] = Field(description="The final ranking: tie groups of labels, best first.")
    flags: dict[str, list[str]] | None = Field(None, description="The final flags; unset = the annotators' majority.")
    comment: str | None = Field(None, max_length=4000, description="Why.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes


def _roles(s, user_id: int, roles) -> set[str]:
    return set(roles) if roles is not None else key_roles(s, user_id)


def _member(s, camp: Campaign, user_id: int, roles: set[str], role: str) -> bool:
    return ADMIN_ROLE in roles or is_member(s, camp, user_id, role)


def _campaign(
    s, name: str, user_id: int | None = None, roles: set[str] | None = None, role: str = "annotator"
) -> Campaign:
    camp = s.scalar(select(Campaign).where(Campaign.name == name))
    if camp is None or camp.status != "open" or (user_id is not None and not _member(s, camp, user_id, roles, role)):
        raise WorkspaceError(404, f"no open campaign named {name!r}")
    return camp


def _answers(s, item_id: int) -> list[Answer]:
    return list(s.scalars(select(Answer).where(Answer.item_id == item_id).order_by(Answer.label)))


def check_ranking(ranking: list[list[str]], labels: list[str]) -> None:
    flat = [x for group in ranking for x in group]
    if sorted(flat) != sorted(labels) or any(not g for g in ranking):
        raise WorkspaceError(422, f"the ranking must place every answer ({', '.join(labels)}) exactly once")


def check_flags(flags: dict[str, list[str]], labels: list[str]) -> dict[str, list[str]]:
    for label, kinds in flags.items():
        if label not in labels or any(k not in FLAG_KINDS for k in kinds):
            raise WorkspaceError(422, f"flags: labels among {labels}, kinds among {list(FLAG_KINDS)}")
    return {label: sorted(set(kinds)) for label, kinds in flags.items() if kinds}


def _open_items(s, camp: Campaign, user_id: int, roles: set[str]) -> list[int]:
    """Ids of the items the caller may still claim, in queue order: fewer than N live assignments, never had, readable."""
    live = (
        select(Assignment.item_id)
        .where(Assignment.status != "skipped")
        .group_by(Assignment.item_id)
        .having(func.count() >= camp.annotators_per_item)
    )
    had = select(Assignment.item_id).where(Assignment.user_id == user_id)
    rows = s.execute(
        select(Item.id, Item.meta)
        .where(Item.campaign_id == camp.id, Item.id.not_in(live), Item.id.not_in(had))
        .order_by(Item.position)
    ).all()
    return [item_id for item_id, meta in rows if readable_meta(meta, camp.mode, roles)]


def progress(s, camp: Campaign, user_id: int, roles: set[str] | None = None) -> dict:
    """done / total for one annotator: judged, plus pending, plus items still open to them."""
    mine = dict(
        s.execute(
            select(Assignment.status, func.count())
            .join(Item, Item.id == Assignment.item_id)
            .where(Item.campaign_id == camp.id, Assignment.user_id == user_id)
            .group_by(Assignment.status)
        ).all()
    )
    open_ = len(_open_items(s, camp, user_id, _roles(s, user_id, roles)))
    done = mine.get("done", 0)
    return {"done": done, "total": done + mine.get("pending", 0) + open_, "skipped": mine.get("skipped", 0)}


def campaigns(store: Store, user_id: int, roles=None) -> list[dict]:
    """Open campaigns the caller takes part in (as annotator or reviewer, by key role and membership)."""
    with store.session() as s:
        roles = _roles(s, user_id, roles)
        rows = list(s.scalars(select(Campaign).where(Campaign.status == "open").order_by(Campaign.id)))
        part = [
            c
            for c in rows
            if ADMIN_ROLE in roles
            or any(role in roles and is_member(s, c, user_id, role) for role in ("annotator", "reviewer"))
        ]
        return [
            {
                "name": c.name,
                "mode": c.mode,
                "annotators_per_item": c.annotators_per_item,
                "progress": progress(s, c, user_id, roles),
            }
            for c in part
        ]


def _view(s, camp: Campaign, it: Item, user_id: int, roles: set[str]) -> dict:
    return {
        "campaign": camp.name,
        "item_id": it.id,
        "prompt": it.prompt,
        "answers": [{"label": a.label, "content": a.content} for a in _answers(s, it.id)],
        "progress": progress(s, camp, user_id, roles),
    }


def next_item(store: Store, name: str, user_id: int, roles=None) -> dict:
    for _attempt in range(5):  # a claim can race another annotator's for the last slot: try the next item
        with store.session() as s:
            mine_roles = _roles(s, user_id, roles)
            camp = _campaign(s, name, user_id, mine_roles)
            pending = [
                (asg, it)
                for asg, it in s.execute(
                    select(Assignment, Item)
                    .join(Item, Item.id == Assignment.item_id)
                    .where(Item.campaign_id == camp.id, Assignment.user_id == user_id, Assignment.status == "pending")
                    .order_by(Item.position)
                ).all()
                if readable(it, camp.mode, mine_roles)
            ]
            if pending:
                asg, it = pending[0]
                if asg.served is None:
                    asg.served = _now()
                    s.commit()
                return _view(s, camp, it, user_id, mine_roles)
            candidates = _open_items(s, camp, user_id, mine_roles)
            it = s.get(Item, candidates[0]) if candidates else None
            if it is None:
                return {"campaign": camp.name, "done": True, "progress": progress(s, camp, user_id, mine_roles)}
            mine = Assignment(item_id=it.id, user_id=user_id, served=_now())
            s.add(mine)
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                continue
            # two annotators may have read "one slot left" at once: the later claims beyond N give theirs back
            first = list(
                s.scalars(
                    select(Assignment.id)
                    .where(Assignment.item_id == it.id, Assignment.status != "skipped")
                    .order_by(Assignment.id)
                    .limit(camp.annotators_per_item)
                )
            )
            if mine.id not in first:
                s.delete(mine)
                s.commit()
                continue
            return _view(s, camp, it, user_id, mine_roles)
    raise WorkspaceError(409, "could not claim an item, try again")


def _may_read_item(s, it: Item | None, user_id: int, roles: set[str], role: str) -> bool:
    camp = s.get(Campaign, it.campaign_id) if it is not None else None
    return camp is not None and _member(s, camp, user_id, roles, role) and readable(it, camp.mode, roles)


def submit(store: Store, item_id: int, user_id: int, body: JudgementIn, roles=None) -> dict:
    """Store the caller's judgement of an item assigned to them; returns once committed."""
    with store.session() as s:
        asg = s.scalar(select(Assignment).where(Assignment.item_id == item_id, Assignment.user_id == user_id))
        if asg is None or not _may_read_item(s, s.get(Item, item_id), user_id, _roles(s, user_id, roles), "annotator"):
            raise WorkspaceError(404, "this item is not assigned to you")
        if asg.status != "pending":
            raise WorkspaceError(409, f"already {asg.status}")
        now = _now()
        if body.skip:
            asg.status = "skipped"
            s.commit()
            return {"item_id": item_id, "stored": True, "skipped": True}
        labels = [a.label for a in _answers(s, item_id)]
        check_ranking(body.ranking, labels)
        flags = check_flags(body.flags, labels)
        seconds = (now - _aware(asg.served)).total_seconds() if asg.served else None
        row = Judgement(
            item_id=item_id,
            user_id=user_id,
            ranking=body.ranking,
            flags=flags,
            correction=(body.correction or "").strip() or None,
            comment=(body.comment or "").strip() or None,
            seconds=seconds,
            created=now,
        )
        s.add(row)
        asg.status = "done"
        s.commit()  # with SQLite synchronous=FULL the judgement is on disk before the 200 goes out
        return {"item_id": item_id, "judgement_id": row.id, "stored": True}


def disagreements(
    store: Store, name: str, limit: int = 50, everything: bool = False, user_id: int | None = None, roles=None
) -> list[dict]:
    """Items judged twice or more where rankings or flags differ (or already settled; `everything`: all of them),
    least agreement first: mean tau, flag conflicts, every judgement. With `user_id`: only a campaign that reviewer
    takes part in, and only the items their roles may read."""
    with store.session() as s:
        mine_roles = _roles(s, user_id, roles) if user_id is not None else None
        camp = _campaign(s, name, user_id, mine_roles, "reviewer")
        rows = s.execute(
            select(Judgement, User.name, Item)
            .join(User, User.id == Judgement.user_id)
            .join(Item, Item.id == Judgement.item_id)
            .where(Item.campaign_id == camp.id)
            .order_by(Judgement.id)
        ).all()
        by_item: dict[int, list] = {}
        items: dict[int, Item] = {}
        for j, user, it in rows:
            by_item.setdefault(it.id, []).append((j, user))
            items[it.id] = it
        out = []
        for item_id, js in by_item.items():
            if len(js) < 2:
                continue
            answers = _answers(s, item_id)
            labels = [a.label for a in answers]
            tau = item_tau([j.ranking for j, _ in js], labels)
            conflicts = sum(
                1
                for label in labels
                for kind in FLAG_KINDS
                if len({kind in (j.flags.get(label) or []) for j, _ in js}) > 1
            )
            it = items[item_id]
            if mine_roles is not None and not readable(it, camp.mode, mine_roles):
                continue
            if not everything and it.settled is None and conflicts == 0 and tau is not None and tau >= 1 - 1e-9:
                continue  # full agreement: nothing to settle
            out.append(
                {
                    "item_id": item_id,
                    "prompt": it.prompt,
                    "tau": None if tau is None else round(tau, 4),
                    "flag_conflicts": conflicts,
                    "answers": [{"label": a.label, "content": a.content} for a in answers],
                    "judgements": [
                        {
                            "user": u,
                            "ranking": j.ranking,
                            "flags": j.flags,
                            "correction": j.correction,
                            "comment": j.comment,
                        }
                        for j, u in js
                    ],
                    "settled": it.settled,
                    "settled_flags": it.settled_flags,
                    "settled_comment": it.settled_comment,
                }
            )
        out.sort(
            key=lambda d: (d["settled"] is not None, d["tau"] if d["tau"] is not None else 1.0, -d["flag_conflicts"])
        )
        return out[:limit]


def settle(store: Store, item_id: int, reviewer_id: int, body: SettleIn, roles=None) -> dict:
    with store.session() as s:
        it = s.get(Item, item_id)
        if it is None or not _may_read_item(s, it, reviewer_id, _roles(s, reviewer_id, roles), "reviewer"):
            raise WorkspaceError(404, "no such item")
        labels = [a.label for a in _answers(s, item_id)]
        check_ranking(body.ranking, labels)
        it.settled = body.ranking
        it.settled_flags = check_flags(body.flags, labels) if body.flags is not None else None
        it.settled_by = reviewer_id
        it.settled_comment = (body.comment or "").strip() or None
        s.commit()
        return {"item_id": item_id, "settled": body.ranking, "stored": True}
