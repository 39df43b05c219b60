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
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from chatforge.serve.auth import Principal, admin, principal
from chatforge.serve.store import Conversation, Feedback, Message, Store

FORMATS = ("sft", "dpo", "kto")


class FeedbackIn(BaseModel):
    kind: Literal["thumb", "rating", "pick", "survey", "comment"] = Field(description="What the user gave.")
    message_id: int | None = Field(None, description="The answer concerned (thumb, rating, pick: the chosen one).")
    other_message_id: int | None = Field(None, description="pick: the answer not chosen.")
    conversation_id: int | None = Field(None, description="survey: the conversation rated.")
    value: int | None = Field(None, description="thumb: 1 or -1; rating and survey: 1 to 5.")
    comment: str | None = Field(None, max_length=4000, description="Free text.")

    @model_validator(mode="after")
    def _check(self):
        if self.kind == "thumb" and self.value not in (1, -1):
            raise ValueError("thumb needs value 1 or -1")
        if self.kind in ("rating", "survey") and not (self.value is not None and 1 <= self.value <= 5):
            raise ValueError(f"{self.kind} needs a value from 1 to 5")
        if self.kind in ("thumb", "rating", "pick", "comment") and self.message_id is None and not (
                self.kind == "comment" and self.conversation_id):
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
        if fb.other_message_id is not None:
            other = s.get(Message, fb.other_message_id)
            if other is None or other.conversation_id != conv.id or other.role != "assistant":
                raise HTTPException(404, detail="other_message_id is not an answer in the same conversation")
    return store.add_feedback(user_id=who.user_id, conversation_id=conv.id, message_id=fb.message_id,
                              kind=fb.kind, value=fb.value, other_message_id=fb.other_message_id, comment=fb.comment)


def _answer(msg: Message) -> list[dict]:
    return [{"role": "assistant", "content": msg.content}]


def export(store: Store, fmt: str) -> list[dict]:
    """Training rows of `fmt` (sft, dpo or kto) from the stored feedback."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    with store.session() as s:
        rows = s.execute(select(Feedback, Message).join(Message, Message.id == Feedback.message_id)
                         .order_by(Feedback.id)).all()
        messages = {m.id: m for m in s.scalars(select(Message).where(Message.role == "assistant"))}
    latest: dict[tuple[int, str], Feedback] = {}  # the user's last word on an answer counts
    picks = []
    for fb, msg in rows:
        if fb.kind in ("thumb", "rating"):
            latest[(msg.id, fb.kind)] = fb
        elif fb.kind == "pick" and fb.other_message_id in messages:
            picks.append((msg, messages[fb.other_message_id]))
    thumbs = {mid: fb.value for (mid, kind), fb in latest.items() if kind == "thumb"}
    out: list[dict] = []
    if fmt == "sft":
        for mid, value in thumbs.items():
            if value > 0 and messages[mid].prompt:
                out.append({"messages": messages[mid].prompt + _answer(messages[mid]), "message_id": mid})
    elif fmt == "kto":
        for mid, value in thumbs.items():
            if messages[mid].prompt:
                out.append({"prompt": messages[mid].prompt, "completion": _answer(messages[mid]), "label": value > 0,
                            "message_id": mid})
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
                out.append({"prompt": c.prompt, "chosen": _answer(c), "rejected": _answer(r),
                            "chosen_id": chosen, "rejected_id": rejected})
    return out


def write_jsonl(rows: list[dict], out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(out)
    return out


router = APIRouter()


@router.post("/v1/feedback", tags=["feedback"])
def post_feedback(fb: FeedbackIn, request: Request, who: Principal = Depends(principal)) -> dict:
    row = record(request.app.state.store, who, fb)
    return {"id": row.id, "kind": row.kind, "stored": True}


@router.get("/v1/admin/feedback/export", tags=["admin"])
def export_feedback(request: Request, format: Literal["sft", "dpo", "kto"] = "sft", _: Principal = Depends(admin)) -> dict:
    rows = export(request.app.state.store, format)
    return {"format": format, "count": len(rows), "data": rows}
