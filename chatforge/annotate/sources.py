"""Where a campaign's prompts and answers come from: a prompts file, a file of existing answers, or the feedback store.

    chatforge annotate create --prompts prompts.jsonl --model M ...   # answers generated
    chatforge annotate create --answers sft.jsonl ...                 # review mode: answers from a file
    chatforge annotate create --from-feedback ...                     # real conversations of `chatforge serve`

Prompts file (JSONL or TXT, one prompt a line): `{"prompt": str | messages}`, `{"messages": [...]}`
(the turns before the last assistant reply), `{"question": str}` (an eval test set), or plain text.
Answers file: a prepared SFT file (`{"messages": [..., assistant]}`, records with the same prompt
become one item with several answers), `{"prompt", "answers": [...]}`, `{"prompt", "chosen",
"rejected"}` or `{"prompt", "answer"}`; a `model` field names where the answer came from.
`id`, `topic` or `category` fields are kept as the item's metadata (the bias audit counts topics).
Bad lines are reported with file, line and reason, never dropped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from chatforge.data.records import InputError, Rejection


@dataclass
class Source:
    """One future item: the prompt messages and the answers already known."""

    prompt: list[dict]
    answers: list[dict] = field(default_factory=list)  # {"content", "model", "origin"}
    meta: dict = field(default_factory=dict)


def _messages(value) -> list[dict]:
    if isinstance(value, str) and value.strip():
        return [{"role": "user", "content": value.strip()}]
    if isinstance(value, list) and value and all(isinstance(m, dict) and m.get("content") for m in value):
        return [{"role": m.get("role", "user"), "content": m["content"]} for m in value]
    raise ValueError("prompt is missing or empty")


def _meta(row: dict) -> dict:
    meta = {k: row[k] for k in ("id", "topic") if row.get(k) is not None}
    if "topic" not in meta and row.get("category"):
        meta["topic"] = row["category"]
    return meta


def _split_conversation(messages: list[dict]) -> tuple[list[dict], str | None]:
    """(turns before the last assistant reply, that reply) of a chat record."""
    msgs = _messages(messages)
    if msgs[-1]["role"] == "assistant":
        return msgs[:-1] or _messages(""), msgs[-1]["content"]
    return msgs, None


def _lines(path: Path):
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if raw.strip():
                yield n, raw


def read_prompts(path: str | Path) -> tuple[list[Source], list[Rejection]]:
    path = Path(path)
    out, bad = [], []
    for n, raw in _lines(path):
        try:
            if path.suffix.lower() in (".txt", ".md"):
                out.append(Source(_messages(raw)))
                continue
            row = json.loads(raw)
            if isinstance(row, str):
                out.append(Source(_messages(row)))
            elif not isinstance(row, dict):
                raise ValueError("a line must be a JSON object or string")
            elif "messages" in row:
                out.append(Source(_split_conversation(row["messages"])[0], meta=_meta(row)))
            else:
                out.append(Source(_messages(row.get("prompt", row.get("question"))), meta=_meta(row)))
        except (ValueError, TypeError) as exc:
            bad.append(Rejection(str(path), str(exc), n))
    return out, bad


def read_answers(path: str | Path) -> tuple[list[Source], list[Rejection]]:
    """Items with their existing answers; records sharing a prompt are merged into one item."""
    path = Path(path)
    by_prompt: dict[str, Source] = {}
    bad = []
    for n, raw in _lines(path):
        try:
            row = json.loads(raw)
            if not isinstance(row, dict):
                raise ValueError("a line must be a JSON object")
            if "messages" in row:
                prompt, reply = _split_conversation(row["messages"])
                texts = [reply] if reply else []
            else:
                prompt = _messages(row.get("prompt"))
                texts = row.get("answers") or [row.get(k) for k in ("answer", "chosen", "rejected") if row.get(k)]
            if not isinstance(texts, list):
                raise ValueError("answers must be a list")
            texts = [t[-1].get("content") if isinstance(t, list) and t and isinstance(t[-1], dict) else t for t in texts]
            if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
                raise ValueError("no answer, or an empty one")
            key = json.dumps(prompt, ensure_ascii=False, sort_keys=True)
            src = by_prompt.setdefault(key, Source(prompt, meta=_meta(row)))
            model = str(row.get("model") or f"file:{path.name}")
            for t in texts:
                if all(a["content"] != t for a in src.answers):  # the same answer twice is one answer
                    src.answers.append({"content": t, "model": model, "origin": f"file:{n}"})
        except (ValueError, TypeError, KeyError) as exc:
            bad.append(Rejection(str(path), str(exc), n))
    return list(by_prompt.values()), bad


def read_feedback_store(store, limit: int | None = None, min_answers: int = 1) -> list[Source]:
    """Served conversations: each user message with the answers given to it (originals, regenerations, A/B)."""
    from chatforge.serve.store import Message

    with store.session() as s:
        answers = list(s.scalars(select(Message).where(Message.role == "assistant", Message.parent_id.is_not(None))
                                 .order_by(Message.id)))
    grouped: dict[int, Source] = {}
    for m in answers:
        if not m.prompt or not m.content.strip():
            continue
        src = grouped.setdefault(m.parent_id, Source(m.prompt, meta={"id": f"message:{m.parent_id}"}))
        src.answers.append({"content": m.content, "model": m.model or f"variant:{m.variant}", "origin": f"feedback:{m.id}"})
    out = [src for src in grouped.values() if len(src.answers) >= min_answers]
    return out[:limit] if limit else out
