"""Plain text for language modelling: `corpus.jsonl` from `chatforge data prepare`, JSONL with a text field, `.txt`/`.md`.

Folders are read recursively. Problems name the file (and line) and say what to do:
an unreadable byte sequence, a JSON line without the field, an empty corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from chatforge.errors import UserError

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}


class CorpusError(UserError, ValueError):
    """A corpus the run cannot use; the message names the file and the fix."""


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(
            f"{path}: not valid UTF-8 (byte {exc.start}, line {line}). Convert it first, e.g. "
            f"`iconv -f cp1252 -t utf-8 {path.name}`, or run it through `chatforge data prepare`, "
            f"which repairs encodings"
        ) from None


def expand(paths: list[str | Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES))
        elif p.is_file():
            files.append(p)
        else:
            raise CorpusError(f"corpus file not found: {p}")
    return files


def read_texts(paths: list[str | Path], text_field: str = "text") -> list[str]:
    """One string per document. JSONL lines without `text_field` are errors, not silent drops."""
    texts: list[str] = []
    files = expand(paths)
    for path in files:
        if path.suffix.lower() in JSONL_SUFFIXES:
            for n, line in enumerate(_decode(path).splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorpusError(f"{path}:{n}: invalid JSON ({exc.msg})") from None
                if not isinstance(row, dict) or not isinstance(row.get(text_field), str):
                    hint = (
                        " (chat records: pretraining wants documents; use corpus.jsonl)"
                        if isinstance(row, dict) and "messages" in row
                        else ""
                    )
                    raise CorpusError(
                        f"{path}:{n}: no string field {text_field!r}{hint}; set text_field to the field holding the text"
                    )
                texts.append(row[text_field])
        elif path.suffix.lower() in TEXT_SUFFIXES:
            texts.append(_decode(path))
        else:
            raise CorpusError(
                f"{path}: unsupported corpus format {path.suffix!r}; use .jsonl (with {text_field!r}), .txt or .md"
            )
    texts = [t for t in texts if t.strip()]
    if not texts:
        where = ", ".join(map(str, paths)) or "(no input given)"
        raise CorpusError(
            f"empty corpus: no text in {where}. Pass corpus.jsonl from `chatforge data prepare`, "
            f".txt files, or JSONL with a {text_field!r} field"
        )
    return texts


def split_texts(texts: list[str], val_fraction: float) -> tuple[list[str], list[str]]:
    """Hold out the last documents (about `val_fraction` of the characters); a lone document is cut in two."""
    total = sum(len(t) for t in texts)
    want = max(1, int(total * val_fraction))
    val: list[str] = []
    held = 0
    train = list(texts)
    while train and held < want and len(train) > 1:
        doc = train.pop()
        val.insert(0, doc)
        held += len(doc)
    if held < want:  # one document left: take its tail, at a whitespace boundary
        doc = train.pop()
        cut = len(doc) - (want - held)
        space = doc.rfind(" ", 0, cut)
        cut = space if space > 0 else cut
        train.append(doc[:cut])
        val.insert(0, doc[cut:])
    return train, val
