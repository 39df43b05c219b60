"""Erasing one user's data (the GDPR right to erasure) from the serving database, and its admin API route.

    chatforge users erase --user NAME --db URL [--registry URI] [--json]   (pipeline/privacy_commands.py)
    POST /v1/admin/users/{name}/erase                                     (admin key)

In one transaction: the user's conversations, every message in them, the feedback on them or
given by the user, the user's A/B assignment, and the annotation items built from those
messages (`annotate create --from-feedback`) with their answers, assignments and judgements
are deleted; the user's keys are revoked (a request with one is then a 401). An `erasures`
row records who erased, when, and how many rows per table, with the erased ids (message ids
and annotation item ids, never content) so that `chatforge users erasures` can name the
registry versions whose training data held those rows. The `users` row stays (the revoked
keys point at it); it holds the name and nothing the user wrote.

This lives at the annotate layer because it is the lowest one that sees both the serving
tables and the annotation tables.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import delete, select, update

from chatforge.errors import UserError
from chatforge.store.annotation import Answer, Assignment as AnnotationAssignment, Item, Judgement
from chatforge.store.auth import Principal, admin
from chatforge.store.database import ApiKey, Assignment, Conversation, Erasure, Feedback, Message, Store, User

CHUNK = 500  # ids per IN list: SQLite's bound-parameter limit is far above, PostgreSQL's too


class UnknownUser(UserError, LookupError):
    """No user with that name in the database."""


def operator() -> str:
    """Who runs a CLI erasure: $CHATFORGE_USER, else the login name."""
    try:
        return os.environ.get("CHATFORGE_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def erase_user(store: Store, name: str, by: str) -> dict:
    """Erase `name`'s data (see the module docstring); returns the erasure record. UnknownUser if there is no such user."""
    with store.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise UnknownUser(f"no user {name!r} in this database")
        conversations = select(Conversation.id).where(Conversation.user_id == user.id)
        message_ids = sorted(s.scalars(select(Message.id).where(Message.conversation_id.in_(conversations))))
        item_ids: set[int] = set()
        for chunk in _chunks(message_ids):
            origins = [f"feedback:{m}" for m in chunk]
            item_ids.update(s.scalars(select(Answer.item_id).where(Answer.origin.in_(origins))))
        items = sorted(item_ids)
        counts = {
            "annotation_judgements": 0,
            "annotation_assignments": 0,
            "annotation_answers": 0,
            "annotation_items": 0,
        }
        for chunk in _chunks(items):
            counts["annotation_judgements"] += s.execute(delete(Judgement).where(Judgement.item_id.in_(chunk))).rowcount
            counts["annotation_assignments"] += s.execute(
                delete(AnnotationAssignment).where(AnnotationAssignment.item_id.in_(chunk))
            ).rowcount
            counts["annotation_answers"] += s.execute(delete(Answer).where(Answer.item_id.in_(chunk))).rowcount
            counts["annotation_items"] += s.execute(delete(Item).where(Item.id.in_(chunk))).rowcount
        counts["feedback"] = s.execute(
            delete(Feedback).where((Feedback.user_id == user.id) | Feedback.conversation_id.in_(conversations))
        ).rowcount
        counts["messages"] = s.execute(delete(Message).where(Message.conversation_id.in_(conversations))).rowcount
        counts["conversations"] = s.execute(delete(Conversation).where(Conversation.user_id == user.id)).rowcount
        counts["ab_assignments"] = s.execute(delete(Assignment).where(Assignment.user_id == user.id)).rowcount
        now = datetime.now(timezone.utc)
        counts["keys_revoked"] = s.execute(
            update(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked.is_(None)).values(revoked=now)
        ).rowcount
        record = Erasure(user_id=user.id, by=by, at=now, counts=counts, message_ids=message_ids, item_ids=items)
        s.add(record)
        s.commit()
        return describe(record, name)


def describe(record: Erasure, user: str | None = None) -> dict:
    """An erasure record as reported: counts, not the erased ids (they are kept for the registry check)."""
    return {
        "erasure_id": record.id,
        "user": user,
        "user_id": record.user_id,
        "by": record.by,
        "at": record.at.isoformat() if record.at else None,
        "deleted": dict(record.counts),
        "messages_erased": len(record.message_ids or []),
        "annotation_items_erased": len(record.item_ids or []),
    }


def erasures(store: Store) -> list[Erasure]:
    """Every erasure record, oldest first."""
    with store.session() as s:
        return list(s.scalars(select(Erasure).order_by(Erasure.id)))


def user_names(store: Store, user_ids: list[int]) -> dict[int, str]:
    with store.session() as s:
        return dict(s.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()) if user_ids else {}


router = APIRouter()


@router.post("/v1/admin/users/{name}/erase", tags=["admin"])
def erase_route(name: str, request: Request, who: Principal = Depends(admin)) -> dict:
    """Erase a user's conversations, messages, feedback, A/B assignment and annotation data; revoke the user's keys."""
    try:
        record = erase_user(request.app.state.store, name, by=who.user)
    except UnknownUser as exc:
        raise HTTPException(404, detail=str(exc)) from None
    return {
        **record,
        "registry": "not checked by the server: `chatforge users erasures --db DB --registry URI` names "
        "the registry versions trained on the erased feedback",
    }
