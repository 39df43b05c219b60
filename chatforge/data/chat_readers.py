"""Readers for conversational data: JSONL / JSON in four shapes, and CSV with a column mapping.

Shapes (auto-detected per file from its first records, or forced):
- `messages`: OpenAI chat, `{"messages": [{"role": "user", "content": ...}, ...]}`
- `sharegpt`: `{"conversations": [{"from": "human", "value": ...}, {"from": "gpt", ...}]}`
- `alpaca`: `{"instruction": ..., "input": ..., "output": ...}`
- `prompt_completion`: `{"prompt": ..., "completion": ...}` (prompt may be a message list)
- `qa`: `{"question": ..., "answer": ...}`

A record that does not fit its file's shape becomes a `Rejection` with the file and
line; the rest of the file is read on. So does a line that is not JSON, not text (bytes no
configured encoding reads), a number too long to convert or out of range, or a value nested deeper than
`MAX_DEPTH` levels (10,000 `[` would otherwise exhaust Python's recursion limit).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import Iterator

from chatforge.data.decode import UndecodableError, decode_bytes, iter_lines
from chatforge.data.records import ROLES, Record, Rejection
from chatforge.errors import InputError, UserError

SHAPES = ("messages", "sharegpt", "alpaca", "prompt_completion", "qa")
_SHAPE_KEYS = {
    "messages": {"messages"},
    "sharegpt": {"conversations"},
    "alpaca": {"instruction", "output"},
    "prompt_completion": {"prompt", "completion"},
    "qa": {"question", "answer"},
}
# Keys consumed by a shape; anything else on a record is kept in `meta`.
_CONSUMED = {
    "messages": {"messages"},
    "sharegpt": {"conversations"},
    "alpaca": {"instruction", "input", "output", "system"},
    "prompt_completion": {"prompt", "completion"},
    "qa": {"question", "answer"},
}
_SHAREGPT_ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "bot": "assistant",
    "model": "assistant",
    "system": "system",
}
MAX_DEPTH = 64  # levels of nested lists/objects in one record; a chat record needs 3 or 4
CSV_DEFAULT_COLUMNS = [
    ("question", "answer"),
    ("prompt", "completion"),
    ("instruction", "output"),
    ("user", "assistant"),
    ("input", "output"),
]


class RecordError(UserError, ValueError):
    """A record that cannot become a conversation; the message is the rejection reason."""


def nesting_depth(value, limit: int = MAX_DEPTH) -> int:
    """Levels of nested lists / objects in a parsed JSON value, counted without recursion (stops past `limit`)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (list, dict)):
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: written back out it would be `Infinity`, which is not JSON
        raise ValueError(f"number out of range: {text[:40]}")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str) -> object:
    """`json.loads`, with every way a hostile value fails turned into a RecordError naming the reason."""
    try:
        value = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise RecordError(f"malformed JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise RecordError(f"JSON nested too deeply (more than {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # an integer of more than 4300 digits, 1e999, NaN
        raise RecordError(f"unreadable JSON value: {str(exc).split(';')[0]}") from None
    if nesting_depth(value) > MAX_DEPTH:
        raise RecordError(f"JSON nested too deeply (more than {MAX_DEPTH} levels)")
    return value


def detect_shape(obj: dict) -> str | None:
    keys = set(obj)
    for shape, needed in _SHAPE_KEYS.items():
        if needed <= keys:
            return shape
    return None


def _check_messages(messages) -> list[dict]:
    if not isinstance(messages, list) or not messages:
        raise RecordError("'messages' must be a non-empty list")
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise RecordError(f"message {i} is not an object")
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            raise RecordError(f"message {i} has unknown role {role!r}")
        if not isinstance(content, str):
            raise RecordError(f"message {i} has no text content")
        if not content.strip() and role != "system":
            raise RecordError(f"message {i} ({role}) is empty")
        out.append({"role": role, "content": content})
    roles = {m["role"] for m in out}
    if "user" not in roles or "assistant" not in roles:
        raise RecordError("conversation needs at least one user and one assistant message")
    return out


def _require_str(obj: dict, key: str) -> str:
    if key not in obj:
        raise RecordError(f"missing field '{key}'")
    value = obj[key]
    if not isinstance(value, str):
        raise RecordError(f"field '{key}' is not a string")
    return value


def to_messages(obj, shape: str) -> list[dict]:
    """Convert one parsed record of `shape` to a validated message list."""
    if not isinstance(obj, dict):
        raise RecordError(f"record is a {type(obj).__name__}, not an object")
    if shape == "messages":
        if "messages" not in obj:
            raise RecordError("missing field 'messages'")
        return _check_messages(obj["messages"])
    if shape == "sharegpt":
        turns = obj.get("conversations")
        if not isinstance(turns, list):
            raise RecordError("missing field 'conversations'")
        msgs = []
        for i, t in enumerate(turns):
            if not isinstance(t, dict) or t.get("from") not in _SHAREGPT_ROLES:
                raise RecordError(f"turn {i} has no known 'from'")
            msgs.append({"role": _SHAREGPT_ROLES[t["from"]], "content": t.get("value")})
        return _check_messages(msgs)
    if shape == "alpaca":
        instruction, output = _require_str(obj, "instruction"), _require_str(obj, "output")
        extra = obj.get("input") or ""
        user = f"{instruction}\n\n{extra}" if extra else instruction
        msgs = [{"role": "system", "content": obj["system"]}] if isinstance(obj.get("system"), str) else []
        return _check_messages(msgs + [{"role": "user", "content": user}, {"role": "assistant", "content": output}])
    if shape == "prompt_completion":
        if "prompt" not in obj:
            raise RecordError("missing field 'prompt'")
        completion = _require_str(obj, "completion")
        prompt = obj["prompt"]
        head = prompt if isinstance(prompt, list) else [{"role": "user", "content": prompt}]
        return _check_messages(head + [{"role": "assistant", "content": completion}])
    if shape == "qa":
        return _check_messages(
            [
                {"role": "user", "content": _require_str(obj, "question")},
                {"role": "assistant", "content": _require_str(obj, "answer")},
            ]
        )
    raise InputError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")


def _record(obj: dict, shape: str, source: str, line: int) -> Record:
    messages = to_messages(obj, shape)
    meta = {k: v for k, v in obj.items() if k not in _CONSUMED[shape]}
    rid = meta.pop("id", None)
    return Record(messages=messages, source=source, line=line, id=str(rid) if rid is not None else None, meta=meta)


def _majority_shape(objs: list, source: str) -> str:
    votes = Counter(s for s in (detect_shape(o) for o in objs if isinstance(o, dict)) if s)
    if not votes:
        raise InputError(
            f"{source}: cannot recognise the record shape (expected keys of one of: "
            + "; ".join(f"{s}={sorted(k)}" for s, k in _SHAPE_KEYS.items())
            + "); force one with --format"
        )
    return votes.most_common(1)[0][0]


def read_jsonl(path: Path, shape: str | None, fallbacks) -> Iterator[Record | Rejection]:
    source = str(path)
    parsed: list[tuple[int, object]] = []  # (line, obj or Rejection) — kept in order
    for number, text, _enc in iter_lines(path, fallbacks):
        if isinstance(text, UndecodableError):
            parsed.append((number, Rejection(source, f"undecodable line: {text}", line=number)))
            continue
        if not text.strip():
            continue
        try:
            parsed.append((number, parse_json(text)))
        except RecordError as exc:
            parsed.append((number, Rejection(source, str(exc), line=number)))
    objs = [o for _, o in parsed if not isinstance(o, Rejection)]
    if not objs and not parsed:
        return
    shape = shape or (_majority_shape(objs[:50], source) if objs else "messages")
    for number, obj in parsed:
        if isinstance(obj, Rejection):
            yield obj
            continue
        try:
            yield _record(obj, shape, source, number)
        except RecordError as exc:
            yield Rejection(source, str(exc), line=number)


def read_json(path: Path, shape: str | None, fallbacks) -> Iterator[Record | Rejection]:
    """A JSON file holding a list of records (or an object with one list value)."""
    source = str(path)
    try:
        data = json.loads(decode_bytes(path.read_bytes(), fallbacks)[0])
    except (UndecodableError, ValueError) as exc:  # ValueError: malformed JSON, or an integer too long to convert
        yield Rejection(source, f"unreadable JSON file: {str(exc).split(';')[0]}")
        return
    except RecursionError:  # one list of records: a single too-deep item makes the whole file unreadable
        yield Rejection(source, "unreadable JSON file: nested too deeply (a JSONL file keeps the other records)")
        return
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list):
        yield Rejection(source, "JSON file holds neither a list of records nor an object")
        return
    shape = shape or _majority_shape(data[:50], source)
    for index, obj in enumerate(data, start=1):
        if nesting_depth(obj) > MAX_DEPTH:
            yield Rejection(source, f"JSON nested too deeply (more than {MAX_DEPTH} levels) (item {index})", line=index)
            continue
        try:
            json.dumps(obj, allow_nan=False)  # 1e999 / NaN parse as inf / nan, which cannot be written back as JSON
        except ValueError:
            yield Rejection(source, f"unreadable JSON value: a number out of range or NaN (item {index})", line=index)
            continue
        try:
            yield _record(obj, shape, source, index)
        except RecordError as exc:
            yield Rejection(source, f"{exc} (item {index})", line=index)


def csv_columns(
    header: list[str], user_column: str | None, assistant_column: str | None, source: str
) -> tuple[str, str]:
    """Pick the (user, assistant) columns: the configured ones, or a known pair of names."""
    lower = {h.strip().lower(): h for h in header}
    if user_column or assistant_column:
        missing = [c for c in (user_column, assistant_column) if not c or c not in header]
        if missing:
            raise InputError(f"{source}: column(s) {missing} not in CSV header {header}")
        return user_column, assistant_column  # type: ignore[return-value]
    for u, a in CSV_DEFAULT_COLUMNS:
        if u in lower and a in lower:
            return lower[u], lower[a]
    raise InputError(
        f"{source}: cannot tell which CSV columns hold the question and the answer "
        f"(header: {header}); set csv.user_column and csv.assistant_column"
    )


def read_csv(
    path: Path, fallbacks, user_column: str | None, assistant_column: str | None, system_column: str | None = None
) -> Iterator[Record | Rejection]:
    source = str(path)
    try:
        text, _ = decode_bytes(path.read_bytes(), fallbacks)
    except UndecodableError as exc:
        yield Rejection(source, f"undecodable file: {exc}")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        yield Rejection(source, "empty CSV (no header)")
        return
    ucol, acol = csv_columns(reader.fieldnames, user_column, assistant_column, source)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Rejection(source, f"malformed CSV: {exc}", line=start)
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        user, answer = row.get(ucol), row.get(acol)
        if not user or not answer:
            yield Rejection(source, f"empty '{ucol if not user else acol}' column", line=line)
            continue
        msgs = []
        if system_column and row.get(system_column):
            msgs.append({"role": "system", "content": row[system_column]})
        msgs += [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
        meta = {k: v for k, v in row.items() if k not in (ucol, acol, system_column) and k is not None}
        rid = meta.pop("id", None)
        yield Record(messages=msgs, source=source, line=line, id=rid, meta=meta)
