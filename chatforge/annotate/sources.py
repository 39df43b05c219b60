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

From the feedback store, each item carries the roles of the documents the answers (and the
earlier answers of the conversation, which the prompt shows) quote: their source labels are
looked up in the index the server answered from (`--index IDX`, its role payloads), and the
queue gives the item only to annotators who may read every one of them (tables.readable). An
answer quoting a document no longer in the index is left out and reported, never shown with
unknown roles. The text goes through the personal-data redaction of `data prepare` (data/pii.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from chatforge.data.pii import Redactor
from chatforge.data.records import Rejection
from chatforge.errors import InputError


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
    try:
        with path.open(encoding="utf-8") as fh:
            for n, raw in enumerate(fh, 1):
                if raw.strip():
                    yield n, raw
    except UnicodeDecodeError:
        data = path.read_bytes()  # decoded whole, the error's offset gives the line
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(f"{path}: line {line} is not UTF-8 text ({exc.reason}); save the file as UTF-8") from None
        raise


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
            texts = [
                t[-1].get("content") if isinstance(t, list) and t and isinstance(t[-1], dict) else t for t in texts
            ]
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


def index_doc_roles(index_dir: str | Path, lock_timeout: float = 30.0) -> dict[str, list[str]]:
    """doc_id -> roles, from the role payloads of a RAG index (rag/ingest.py labels every chunk with its document's roles)."""
    from chatforge.rag.index import IndexUnavailable
    from chatforge.rag.store import index_lock, open_index, read_meta

    meta = read_meta(index_dir)
    if meta is None:
        raise InputError(
            f"{index_dir}: no chatforge index here (give the index `chatforge serve --index` answers from)"
        )
    try:
        lock = index_lock(index_dir, lock_timeout)
    except IndexUnavailable as exc:
        raise InputError(str(exc)) from None
    try:
        index = open_index(index_dir, qdrant_url=meta.get("qdrant_url"), collection=meta.get("collection"))
        try:
            roles: dict[str, set[str]] = {}
            for p in index.scroll_payloads(["doc_id", "roles"]):
                roles.setdefault(p.get("doc_id"), set()).update(p.get("roles") or [])
        finally:
            index.close()
    except IndexUnavailable as exc:
        raise InputError(str(exc)) from None
    finally:
        lock.release()
    return {d: sorted(r) for d, r in roles.items() if d}


def quoted_doc(label: str, docs) -> str | None:
    """The document id in a served source label `[n] doc_id[, p. N][ — heading]` (rag/prompt.py), among `docs`."""
    rest = label.split("] ", 1)[1] if label.startswith("[") and "] " in label else label
    found = [d for d in docs if rest == d or rest.startswith(d + ", p. ") or rest.startswith(d + " — ")]
    return max(found, key=len) if found else None


def read_feedback_store(
    store,
    limit: int | None = None,
    min_answers: int = 1,
    doc_roles: dict | None = None,
    redactor: Redactor | None = None,
    rejected: list | None = None,
) -> list[Source]:
    """Served conversations: each user message with the answers given to it (originals, regenerations, A/B).

    `doc_roles` (index_doc_roles) gives each item the roles of the documents quoted; it is required
    when an answer quotes any. `redactor` redacts prompts and answers; `rejected` collects the items
    left out (a quoted document no longer in the index), by user message id and reason, never text.
    """
    from chatforge.store.database import Message

    with store.session() as s:
        answers = list(s.scalars(select(Message).where(Message.role == "assistant").order_by(Message.id)))
    quoting = sum(1 for m in answers if m.sources)
    if quoting and doc_roles is None:
        raise InputError(
            f"{quoting} served answers quote documents: pass --index IDX (the index the server answers "
            "from) so each item carries the roles of its sources"
        )
    by_conv: dict[int, list] = {}
    for m in answers:
        by_conv.setdefault(m.conversation_id, []).append(m)
    grouped: dict[int, Source] = {}
    unknown: dict[int, str] = {}
    for m in answers:
        if m.parent_id is None or not m.prompt or not m.content.strip():
            continue
        src = grouped.get(m.parent_id)
        if src is None:
            src = grouped[m.parent_id] = Source(m.prompt, meta={"id": f"message:{m.parent_id}", "sources": []})
            # the prompt shows the earlier answers of the conversation: their sources count too
            for earlier in by_conv[m.conversation_id]:
                if earlier.id < m.parent_id:
                    src.meta["sources"] += earlier.sources or []
        src.meta["sources"] += m.sources or []
        src.answers.append(
            {"content": m.content, "model": m.model or f"variant:{m.variant}", "origin": f"feedback:{m.id}"}
        )
    out = []
    for parent_id, src in grouped.items():
        if len(src.answers) < min_answers:
            continue
        docs = []
        for label in src.meta.pop("sources"):
            doc = quoted_doc(label, doc_roles or {})
            if doc is None:
                unknown[parent_id] = "an answer quotes a document that is not in the index: its roles are unknown"
                break
            docs.append(doc)
        if parent_id in unknown:
            if rejected is not None:
                rejected.append(Rejection("feedback store", f"user message {parent_id}: {unknown[parent_id]}"))
            continue
        docs = sorted(set(docs))
        src.meta.update({"documents": docs, "source_roles": [doc_roles[d] for d in docs]})
        out.append(src)
    out = out[:limit] if limit else out
    if redactor is not None:
        for src in out:
            src.prompt = redactor.row(src.prompt, "prompt")
            for a in src.answers:
                a["content"] = redactor.text(a["content"])
    return out
