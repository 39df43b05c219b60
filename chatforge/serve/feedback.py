"""What users say about answers, and how it becomes training data.

    POST /v1/feedback  {"message_id": 12, "kind": "thumb", "value": 1, "comment": "clear"}
    chatforge feedback export --db serve.db --format sft|dpo|kto --out FILE.jsonl

Kinds: `thumb` (value +1 / -1, optional comment), `rating` (1-5 on one answer), `pick` (after a
regenerate, the answer the user kept is `message_id`, the other `other_message_id`), `survey`
(1-5 for the whole conversation), `comment` (text only). Each is committed before the 200.

Export, in the conversational formats TRL's trainers read (and so our training stages):
- sft: `{"messages": [...prompt, answer]}` for every thumbs-up answer;
- dpo: `{"prompt": [...], "chosen": [answer], "rejected": [answer]}` from regenerate picks and
  from answers to the same prompt ranked by thumbs / ratings;
- kto: `{"prompt": [...], "completion": [answer], "label": true|false}` for every thumb.
The prompt is the user-visible conversation the answer replied to (never the RAG passages).

Every exported row goes through the personal-data redaction of `data prepare` (data/pii.py:
e-mail, phone, IBAN, card, custom patterns, allow-list); the report counts what was replaced,
by type. A stored feedback row the export cannot use (a thumb on a user message, an answer with
no stored prompt, a pick whose other answer is gone) is skipped and reported with its id and
the reason, never a crash. Feedback is only accepted on assistant messages (422 otherwise).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from chatforge.config import StageConfig
from chatforge.data.pii import PIIConfig, Redactor
from chatforge.errors import ConfigError
from chatforge.serve.limits import utf8_text
from chatforge.store.auth import Principal, admin, principal
from chatforge.store.database import Conversation, Feedback, Message, Store

FORMATS = ("sft", "dpo", "kto")
ID = dict(ge=1, le=2**63 - 1)  # database ids are signed 64-bit: a larger one is a 422, not a failed query
USES = {"sft": ("thumb",), "kto": ("thumb",), "dpo": ("thumb", "rating", "pick")}  # feedback kinds each format reads


class FeedbackExportConfig(StageConfig):
    pii: PIIConfig = Field(
        default_factory=PIIConfig, description="Personal-data redaction of the exported text (as data prepare)."
    )


class FeedbackIn(BaseModel):
    kind: Literal["thumb", "rating", "pick", "survey", "comment"] = Field(description="What the user gave.")
    message_id: int | None = Field(
        None, **ID, description="The answer concerned (thumb, rating, pick: the chosen one)."
    )
    other_message_id: int | None = Field(None, **ID, description="pick: the answer not chosen.")
    conversation_id: int | None = Field(None, **ID, description="survey: the conversation rated.")
    value: int | None = Field(None, description="thumb: 1 or -1; rating and survey: 1 to 5.")
    comment: str | None = Field(None, max_length=4000, description="Free text.")

    @model_validator(mode="after")
    def _check(self):
        if self.comment is not None:
            utf8_text(self.comment)  # a lone surrogate or a NUL cannot be stored: 422, not a failed insert
        if self.kind == "thumb" and self.value not in (1, -1):
            raise ValueError("thumb needs value 1 or -1")
        if self.kind in ("rating", "survey") and not (self.value is not None and 1 <= self.value <= 5):
            raise ValueError(f"{self.kind} needs a value from 1 to 5")
        if (
            self.kind in ("thumb", "rating", "pick", "comment")
            and self.message_id is None
            and not (self.kind == "comment" and self.conversation_id)
        ):
            raise ValueError(f"{self.kind} needs message_id")
        if self.kind == "pick" and self.other_message_id is None:
            raise ValueError("pick needs other_message_id (the answer not chosen)")
        if self.kind == "survey" and self.conversation_id is None:
            raise ValueError("survey needs conversation_id")
        return self


def record(store: Store, who: Principal, fb: FeedbackIn) -> Feedback:
    """Check the caller owns what it rates, then commit; a stranger's message is a 404, not a 403 (no probing)."""
    with store.session() as s:
        msg = s.get(Message, fb.message_id) if fb.message_id is not None else None
        conv_id = msg.conversation_id if msg else fb.conversation_id
        conv = s.get(Conversation, conv_id) if conv_id is not None else None
        if conv is None or conv.user_id != who.user_id or (fb.message_id is not None and msg is None):
            raise HTTPException(404, detail="no such message or conversation for this user")
        if msg is not None and msg.role != "assistant":  # a thumb on a question would make a training row of it
            raise HTTPException(
                422,
                detail=f"message_id {msg.id} is a {msg.role} message: feedback goes on an "
                "answer (an assistant message)",
            )
        if fb.other_message_id is not None:
            other = s.get(Message, fb.other_message_id)
            if other is None or other.conversation_id != conv.id or other.role != "assistant":
                raise HTTPException(404, detail="other_message_id is not an answer in the same conversation")
    return store.add_feedback(
        user_id=who.user_id,
        conversation_id=conv.id,
        message_id=fb.message_id,
        kind=fb.kind,
        value=fb.value,
        other_message_id=fb.other_message_id,
        comment=fb.comment,
    )


def _answer(msg: Message) -> list[dict]:
    return [{"role": "assistant", "content": msg.content}]


@dataclass
class Export:
    """Training rows of one format, the feedback rows skipped (id and reason) and the redactions made, by type."""

    format: str
    rows: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    redacted: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "format": self.format,
            "count": len(self.rows),
            "skipped": len(self.skipped),
            "skipped_rows": self.skipped,
            "redacted": self.redacted,
        }


def _unusable(fb: Feedback, msg: Message | None, messages: dict[int, Message]) -> str | None:
    """Why a thumb, rating or pick row cannot become training data (old or hand-written rows), or None."""
    if msg is None:
        return f"message {fb.message_id} no longer exists"
    if msg.role != "assistant":
        return f"message {msg.id} is a {msg.role} message, not an answer"
    if not msg.prompt:
        return f"answer {msg.id} has no stored prompt"
    if fb.kind == "thumb" and fb.value not in (1, -1):
        return f"thumb value {fb.value!r} is not 1 or -1"
    if fb.kind == "rating" and not (isinstance(fb.value, int) and 1 <= fb.value <= 5):
        return f"rating value {fb.value!r} is not 1 to 5"
    if fb.kind == "pick" and fb.other_message_id not in messages:
        return f"pick: other message {fb.other_message_id} is not a stored answer"
    return None


def export_report(store: Store, fmt: str, pii: PIIConfig | None = None) -> Export:
    """Training rows of `fmt` (sft, dpo or kto) from the stored feedback, redacted with `pii` (default: on)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    with store.session() as s:
        rows = s.execute(
            select(Feedback, Message)
            .outerjoin(Message, Message.id == Feedback.message_id)
            .where(Feedback.kind.in_(USES[fmt]))
            .order_by(Feedback.id)
        ).all()
        messages = {m.id: m for m in s.scalars(select(Message).where(Message.role == "assistant"))}
    result = Export(fmt)
    latest: dict[tuple[int, str], Feedback] = {}  # the user's last word on an answer counts
    picks = []
    for fb, msg in rows:
        why = _unusable(fb, msg, messages)
        if why is not None:
            result.skipped.append({"feedback_id": fb.id, "kind": fb.kind, "reason": why})
        elif fb.kind in ("thumb", "rating"):
            latest[(msg.id, fb.kind)] = fb
        else:
            picks.append((msg, messages[fb.other_message_id]))
    thumbs = {mid: fb.value for (mid, kind), fb in latest.items() if kind == "thumb"}
    out = result.rows
    if fmt == "sft":
        for mid, value in thumbs.items():
            if value > 0:
                out.append({"messages": messages[mid].prompt + _answer(messages[mid]), "message_id": mid})
    elif fmt == "kto":
        for mid, value in thumbs.items():
            out.append(
                {
                    "prompt": messages[mid].prompt,
                    "completion": _answer(messages[mid]),
                    "label": value > 0,
                    "message_id": mid,
                }
            )
    else:
        pairs = {(c.id, r.id) for c, r in picks}
        # ranked pairs: answers to the same user message, a higher score beats a lower one
        score: dict[int, float] = defaultdict(float)
        for (mid, kind), fb in latest.items():
            score[mid] += fb.value if kind == "thumb" else (fb.value - 3) / 2
        by_parent: dict[int, list[int]] = defaultdict(list)
        for mid in score:
            if messages[mid].parent_id is not None:
                by_parent[messages[mid].parent_id].append(mid)
        for mids in by_parent.values():
            for a in mids:
                for b in mids:
                    if score[a] > score[b] and (b, a) not in pairs:
                        pairs.add((a, b))
        for chosen, rejected in sorted(pairs):
            c, r = messages[chosen], messages[rejected]
            if c.prompt and c.content != r.content:
                out.append(
                    {
                        "prompt": c.prompt,
                        "chosen": _answer(c),
                        "rejected": _answer(r),
                        "chosen_id": chosen,
                        "rejected_id": rejected,
                    }
                )
    redactor = Redactor.from_config(pii)
    if redactor is not None:
        result.rows = [redactor.row(r) for r in out]
        result.redacted = redactor.summary()
    return result


def export(store: Store, fmt: str, pii: PIIConfig | None = None) -> list[dict]:
    """The rows of `export_report` alone."""
    return export_report(store, fmt, pii).rows


router = APIRouter()


@router.post("/v1/feedback", tags=["feedback"])
def post_feedback(fb: FeedbackIn, request: Request, who: Principal = Depends(principal)) -> dict:
    row = record(request.app.state.store, who, fb)
    return {"id": row.id, "kind": row.kind, "stored": True}


@router.get("/v1/admin/feedback/export", tags=["admin"])
def export_feedback(
    request: Request, format: Literal["sft", "dpo", "kto"] = "sft", _: Principal = Depends(admin)
) -> dict:
    result = export_report(request.app.state.store, format)
    return {**result.summary(), "data": result.rows}
