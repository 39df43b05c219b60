"""The annotation tables, in the serving database: on the same SQLAlchemy metadata as store/database.py, whose
`Store` creates them with its own tables.

A campaign holds items (one prompt each) with their answers; an assignment gives an item to
one annotator; a judgement is that annotator's ranking, flags, correction and comment. The
answer's model is stored but never sent to annotators. Rankings are lists of tie groups of
answer labels, best first: `[["B"], ["A", "C"]]` = B, then A and C tied.

Who sees what. A campaign lists its annotators and reviewers (`Member`); a campaign without
listed annotators (or reviewers) is open to every key of that role, except a campaign built from
served conversations (mode `feedback`), which only its members see. An item built from served
answers carries the roles of the documents they quote (`meta["source_roles"]`, one list per
document); a caller may read the item only if, for each document, one of the caller's roles
may read it: the rule of the RAG role filter (rag/access.py). Admin keys see every campaign
but read items under the same rule.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from chatforge.store.database import ApiKey, Base, User

FLAG_KINDS = ("unsafe", "wrong")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Campaign(Base):
    __tablename__ = "annotation_campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    mode: Mapped[str] = mapped_column(String(16))  # generate | review | feedback
    status: Mapped[str] = mapped_column(String(16), default="building")  # building (answers being made) | open
    annotators_per_item: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict] = mapped_column(JSON)  # models, sampling settings, seed, source file and hash
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Item(Base):
    __tablename__ = "annotation_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("annotation_campaigns.id"), index=True)
    source_index: Mapped[int] = mapped_column(Integer)  # line of the prompt in its source, for resume and audit
    position: Mapped[int] = mapped_column(Integer)  # seeded shuffle: the queue serves items in this order
    prompt: Mapped[list] = mapped_column(JSON)  # chat messages the answers reply to
    meta: Mapped[dict] = mapped_column(JSON, default=dict)  # topic, source id
    settled: Mapped[list | None] = mapped_column(JSON, nullable=True)  # the reviewer's final ranking
    settled_flags: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # label -> flag kinds, when settled
    settled_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    settled_comment: Mapped[str | None] = mapped_column(Text, nullable=True)


class Answer(Base):
    __tablename__ = "annotation_answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("annotation_items.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)  # index in the item before shuffling (resume key)
    label: Mapped[str | None] = mapped_column(String(4), nullable=True)  # A, B, C... after the shuffle
    content: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(300))  # hidden from annotators
    origin: Mapped[str] = mapped_column(String(32))  # generated | file | feedback:<message id>
    sampling: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # temperature, top_p, max_new_tokens, seed


class Member(Base):
    __tablename__ = "annotation_members"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("annotation_campaigns.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # annotator | reviewer
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Assignment(Base):
    __tablename__ = "annotation_assignments"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)  # an annotator never gets an item twice
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("annotation_items.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | skipped
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    served: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # first shown


class Judgement(Base):
    __tablename__ = "annotation_judgements"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("annotation_items.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    ranking: Mapped[list] = mapped_column(JSON)  # tie groups of labels, best first
    flags: Mapped[dict] = mapped_column(JSON, default=dict)  # label -> list of FLAG_KINDS
    correction: Mapped[str | None] = mapped_column(Text, nullable=True)  # a better answer written by the annotator
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)  # from first shown to submitted
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


def readable(item: Item, mode: str, roles) -> bool:
    """May a caller with `roles` read this item? Every quoted document needs one of the caller's roles.

    An item of a `feedback` campaign that does not carry its sources' roles (made before they were
    recorded) is readable by nobody: access fails closed, as in the RAG role filter."""
    return readable_meta(item.meta, mode, roles)


def readable_meta(meta: dict | None, mode: str, roles) -> bool:
    """`readable` on an item's `meta` alone (queries that need not load prompts)."""
    source_roles = (meta or {}).get("source_roles")
    if source_roles is None:
        return mode != "feedback"
    mine = set(roles or ())
    return all(mine & set(r or ()) for r in source_roles)


def key_roles(s, user_id: int) -> set[str]:
    """The roles of a user's active keys, together (for work handed out by name, outside a request)."""
    return {
        r
        for roles in s.scalars(select(ApiKey.roles).where(ApiKey.user_id == user_id, ApiKey.revoked.is_(None)))
        for r in roles or ()
    }


def members(s, campaign_id: int) -> dict[str, list[str]]:
    """{"annotators": [names], "reviewers": [names]} of a campaign."""
    out: dict[str, list[str]] = {"annotators": [], "reviewers": []}
    for role, name in s.execute(
        select(Member.role, User.name)
        .join(User, User.id == Member.user_id)
        .where(Member.campaign_id == campaign_id)
        .order_by(User.name)
    ).all():
        out[role + "s"].append(name)
    return out


def is_member(s, camp: Campaign, user_id: int, role: str) -> bool:
    """Listed as `role` (annotator / reviewer), or the campaign lists nobody in that role and is not built from served
    conversations (then every key with the role may take part)."""
    listed = set(s.scalars(select(Member.user_id).where(Member.campaign_id == camp.id, Member.role == role)))
    return user_id in listed if listed or camp.mode == "feedback" else True


def add_members(s, camp: Campaign, user_ids: list[int], role: str) -> int:
    """List these users as the campaign's `role`s (annotator / reviewer); returns how many were new."""
    have = set(s.scalars(select(Member.user_id).where(Member.campaign_id == camp.id, Member.role == role)))
    new = [u for u in dict.fromkeys(user_ids) if u not in have]
    for uid in new:
        s.add(Member(campaign_id=camp.id, user_id=uid, role=role))
    return len(new)


def labels(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def ranks(ranking: list[list[str]]) -> dict[str, float]:
    """label -> rank (1 = best), tied labels sharing the mean of the places they cover (as scipy's rankdata)."""
    out, place = {}, 1
    for group in ranking:
        mean = place + (len(group) - 1) / 2
        for label in group:
            out[label] = mean
        place += len(group)
    return out
