"""The data-preparation stage: inputs in, clean chat splits and a report out.

    chatforge data prepare examples/hirondelle-air/faq.jsonl examples/hirondelle-air/logs/*.jsonl \\
        examples/hirondelle-air/knowledge --out runs/data

Conversations (JSONL, JSON, CSV) become `train.jsonl`, `val.jsonl`, `test.jsonl`, one
`{"messages": [...]}` per line. Documents (text, Markdown, HTML, PDF, DOCX) become
`corpus.jsonl` (`{"text": ...}`), the domain text for continued pretraining. Both go
through the same cleaning, redaction and de-duplication. `report.json` /
`report.html` account for every input item: written, removed by a named filter, or
rejected with its file and line (or page). An empty input file (0 bytes or blank lines only)
is a warning naming it; when every input is empty the stage stops with an error.
"""

from __future__ import annotations

import fnmatch
import time
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.data.augment import paraphrase
from chatforge.data.chat_readers import SHAPES, read_csv, read_json, read_jsonl
from chatforge.data.clean import clean_text, fix_unicode, normalise_whitespace
from chatforge.data.dedup import NearDuplicateIndex, dedup_key, exact_hash
from chatforge.data.documents import DOCUMENT_FORMATS, read_document
from chatforge.data.filters import UNDETERMINED, detect_language, length_rule, quality_rule
from chatforge.data.jsonl import write_jsonl
from chatforge.data.pii import PIIConfig, Redactor
from chatforge.data.records import Document, Record, Rejection
from chatforge.data.report import token_counter, write_report
from chatforge.data.split import assign_split
from chatforge.errors import InputError
from chatforge.output import progress_bar
from chatforge.provenance import input_hashes, library_versions, write_resolved_config

CHAT_SUFFIXES = {".jsonl", ".json", ".csv"}
SUPPORTED_SUFFIXES = CHAT_SUFFIXES | set(DOCUMENT_FORMATS)


class DedupConfig(StageConfig):
    exact: bool = Field(
        True, description="Remove records whose normalised text (case, accents, punctuation ignored) is identical."
    )
    near: bool = Field(True, description="Detect near-duplicates with MinHash LSH.")
    near_threshold: float = Field(
        0.8,
        gt=0.0,
        lt=1.0,
        description="Estimated Jaccard similarity of character shingles above which two records are near-duplicates.",
    )
    near_action: Literal["remove", "keep"] = Field(
        "remove",
        description="remove: keep only the first of a near-duplicate group; keep: keep all, but in the same split.",
    )
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations (more = more precise, slower).")
    shingle_size: int = Field(5, ge=2, le=20, description="Character shingle length for near-duplicate detection.")


class FilterConfig(StageConfig):
    min_chars: int = Field(12, ge=0, description="Drop conversations shorter than this many characters in total.")
    max_chars: int = Field(20000, gt=0, description="Drop conversations longer than this many characters in total.")
    min_answer_chars: int = Field(
        2, ge=0, description="Drop conversations whose shortest assistant answer is shorter than this."
    )
    min_words: int = Field(
        2,
        ge=0,
        description="Drop conversations with a user or assistant turn of fewer words than this ('ok', '???', 'merci').",
    )
    min_letter_ratio: float = Field(
        0.4, ge=0.0, le=1.0, description="Drop text whose share of letters is below this (gibberish, numbers only)."
    )
    languages: list[str] | None = Field(
        None,
        description="Keep only these detected languages (ISO 639-1, e.g. [fr, en]); undetermined short texts are kept. None keeps all.",
    )


class SplitConfig(StageConfig):
    val_ratio: float = Field(0.1, ge=0.0, lt=1.0, description="Share of conversation groups in val.jsonl.")
    test_ratio: float = Field(0.1, ge=0.0, lt=1.0, description="Share of conversation groups in test.jsonl.")
    seed: int = Field(42, description="Seed of the split hash; the same seed gives the same split.")


class CSVConfig(StageConfig):
    user_column: str | None = Field(
        None, description="CSV column holding the user message (auto: question, prompt, instruction, user, input)."
    )
    assistant_column: str | None = Field(
        None, description="CSV column holding the answer (auto: answer, completion, output, assistant)."
    )
    system_column: str | None = Field(None, description="Optional CSV column holding a system prompt.")


class PrepareConfig(StageConfig):
    format: Literal["auto", "messages", "sharegpt", "alpaca", "prompt_completion", "qa"] = Field(
        "auto", description="Record shape of JSON/JSONL inputs; auto detects it per file."
    )
    formats: dict[str, str] = Field(
        default_factory=dict, description="Per-file shape overrides: glob -> shape (first match wins)."
    )
    encoding_fallbacks: list[str] = Field(["cp1252"], description="Encodings tried, per line, when UTF-8 fails.")
    strip_html: bool = Field(True, description="Turn HTML fragments in messages into text.")
    repair_unicode: bool = Field(True, description="Repair mojibake with ftfy and normalise to NFC.")
    detect_languages: list[str] = Field(
        ["fr", "en", "de", "es", "it", "pt", "nl"],
        description="Candidate languages for detection (a short list is more accurate on short texts).",
    )
    system_prompt: str | None = Field(None, description="System message added to conversations that have none.")
    augment: int = Field(
        0, ge=0, le=20, description="Rule-based paraphrase variants added per training question (flagged augmented)."
    )
    tokenizer: str | None = Field(
        None,
        description="Tokenizer for length statistics: a tokenizer.json, a model folder or hub id; default counts words and punctuation.",
    )
    strict: bool = Field(False, description="Exit non-zero if any input item is rejected.")
    dedup: DedupConfig = Field(default_factory=DedupConfig, description="De-duplication.")
    pii: PIIConfig = Field(default_factory=PIIConfig, description="Personal-data redaction.")
    filters: FilterConfig = Field(default_factory=FilterConfig, description="Length, quality and language filters.")
    split: SplitConfig = Field(default_factory=SplitConfig, description="Train / val / test split.")
    csv: CSVConfig = Field(default_factory=CSVConfig, description="CSV column mapping.")


def expand_inputs(inputs: list[str | Path]) -> list[Path]:
    """Files named directly, and supported files found under folders (sorted). Clear errors otherwise."""
    if not inputs:
        raise InputError("no input given: pass files or folders (JSONL, JSON, CSV, TXT, MD, HTML, PDF, DOCX)")
    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                raise InputError(f"{p}: folder holds no supported file ({', '.join(sorted(SUPPORTED_SUFFIXES))})")
            files.extend(found)
        elif p.is_file():
            if p.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise InputError(
                    f"{p}: unknown format '{p.suffix or '(no extension)'}'; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"
                )
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return list(dict.fromkeys(files))


def is_blank_file(path: Path, chunk: int = 1 << 16) -> bool:
    """True for a file of 0 bytes or only whitespace (blank lines, a lone byte-order mark): nothing to read."""
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            if block.replace(b"\xef\xbb\xbf", b"").strip():
                return False
    return True


def _names(paths: list[Path], limit: int = 5) -> str:
    shown = ", ".join(str(p) for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _shape_for(path: Path, cfg: PrepareConfig) -> str | None:
    for pattern, shape in cfg.formats.items():
        if fnmatch.fnmatch(str(path), pattern) or fnmatch.fnmatch(path.name, pattern):
            if shape not in SHAPES:
                raise InputError(f"formats.{pattern}: unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
            return shape
    return None if cfg.format == "auto" else cfg.format


def read_inputs(path: Path, cfg: PrepareConfig):
    """Yield Records, Documents and Rejections from one file."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(path, _shape_for(path, cfg), cfg.encoding_fallbacks)
    elif suffix == ".json":
        yield from read_json(path, _shape_for(path, cfg), cfg.encoding_fallbacks)
    elif suffix == ".csv":
        yield from read_csv(
            path, cfg.encoding_fallbacks, cfg.csv.user_column, cfg.csv.assistant_column, cfg.csv.system_column
        )
    else:
        doc, rejected = read_document(path, tuple(cfg.encoding_fallbacks))
        yield from rejected
        if doc is not None:
            yield doc


class _Deduper:
    """Exact and near duplicate bookkeeping for one kind of item (chats or documents)."""

    def __init__(self, cfg: DedupConfig):
        self.cfg = cfg
        self.hashes: set[str] = set()
        self.near_hashes: list[str] = []  # content hash of each item in the near-duplicate index
        self.near = NearDuplicateIndex(cfg.near_threshold, cfg.num_perm, cfg.shingle_size) if cfg.near else None

    def check(self, text: str) -> tuple[str | None, int | None]:
        """(removal reason or None, near-duplicate index of the kept item or None)."""
        key = dedup_key(text)
        h = exact_hash(key)
        if self.cfg.exact and h in self.hashes:
            return "exact_duplicate", None
        self.hashes.add(h)
        if self.near is None:
            return None, None
        idx, match = self.near.add(key)
        self.near_hashes.append(h)
        if match is not None and self.cfg.near_action == "remove":
            return "near_duplicate", None
        return None, idx

    def group_name(self, near_idx: int | None, text: str) -> str:
        """Split key: the content hash of the group's first member, so it names the group, not an input position."""
        if near_idx is None or self.near is None:
            return exact_hash(dedup_key(text))
        return self.near_hashes[self.near.group(near_idx)]


def _clean_messages(record: Record, cfg: PrepareConfig, redactor: Redactor | None, pii: Counter) -> Counter:
    fixes: Counter = Counter()
    for m in record.messages:
        text, had_html = clean_text(m["content"], cfg.strip_html, cfg.repair_unicode)
        fixes["html_stripped"] += had_html
        if redactor is not None:
            text, counts = redactor.redact(text)
            pii.update(counts)
        m["content"] = text
    if cfg.system_prompt and record.messages[0]["role"] != "system":
        record.messages.insert(0, {"role": "system", "content": cfg.system_prompt})
    return fixes


def _clean_document(doc: Document, cfg: PrepareConfig, redactor: Redactor | None, pii: Counter) -> None:
    pages = []
    for page in doc.pages:
        text = fix_unicode(page) if cfg.repair_unicode else page
        text = normalise_whitespace(text)
        if redactor is not None:
            text, counts = redactor.redact(text)
            pii.update(counts)
        pages.append(text)
    doc.pages = pages


def _note(examples: dict[str, list[str]], reason: str, where: str, limit: int = 5) -> None:
    bucket = examples.setdefault(reason, [])
    if len(bucket) < limit:
        bucket.append(where)


def _record_out(rec: Record, lang: str, augmented: bool = False) -> dict:
    out = {
        "messages": rec.messages,
        "id": rec.id,
        "source": f"{rec.source}:{rec.line}",
        "lang": lang,
        "augmented": augmented,
    }
    if rec.meta:
        out["meta"] = rec.meta
    return out


def prepare(inputs: list[str | Path], out: str | Path, cfg: PrepareConfig | None = None, progress: bool = True) -> dict:
    """Run the data stage; returns the report (also written to `out/report.json`)."""
    cfg = cfg or PrepareConfig()
    if cfg.split.val_ratio + cfg.split.test_ratio >= 1.0:
        raise InputError("split.val_ratio + split.test_ratio must be below 1")
    files = expand_inputs(inputs)
    for f in files:  # shape overrides are checked before any work
        _shape_for(f, cfg)
    empty = [f for f in files if is_blank_file(f)]
    if len(empty) == len(files):
        raise InputError(f"every input file is empty (0 bytes or only blank lines): {_names(empty)}")
    warnings = [f"{f}: empty file (0 bytes or only blank lines), nothing read" for f in empty]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    redactor = Redactor.from_config(cfg.pii)  # the same redaction as feedback export, loop and annotation
    candidates = tuple(cfg.detect_languages) or None
    chat_dedup, doc_dedup = _Deduper(cfg.dedup), _Deduper(cfg.dedup)

    records_in, removed, pii, fixes, languages = 0, Counter(), Counter(), Counter(), Counter()
    removed_examples: dict[str, list[str]] = {}  # filter -> up to 5 "source:line" (or document source) for review
    rejected: list[Rejection] = []
    kept: list[tuple[Record, str, int | None]] = []  # (record, lang, near-dup index)
    documents: list[dict] = []
    per_file: dict[str, Counter] = {}

    with progress_bar(disable=not progress) as bar:
        task = bar.add_task("reading", total=len(files), unit="files")
        for path in files:
            bar.update(task, description=f"reading {path.name}")
            stats = per_file.setdefault(str(path), Counter())
            if path in empty:
                stats["empty"] = 1
                bar.advance(task)
                continue
            for item in read_inputs(path, cfg):
                records_in += 1
                stats["in"] += 1
                if isinstance(item, Rejection):
                    rejected.append(item)
                    stats["rejected"] += 1
                    continue
                if isinstance(item, Document):
                    item_pii: Counter = Counter()
                    _clean_document(item, cfg, redactor, item_pii)
                    text = item.text
                    lang = detect_language(text[:2000], candidates)
                    reason = quality_rule(text, cfg.filters.min_letter_ratio) if text else "empty_message"
                    if reason is None:
                        reason, _ = doc_dedup.check(text)
                    if reason:
                        removed[reason] += 1
                        stats["removed"] += 1
                        _note(removed_examples, reason, item.source)
                        continue
                    languages[lang] += 1
                    pii.update(item_pii)
                    documents.append(
                        {
                            "text": text,
                            "title": item.title,
                            "source": item.source,
                            "format": item.format,
                            "pages": item.pages if item.format == "pdf" else None,
                            "lang": lang,
                            "meta": item.meta,
                        }
                    )
                    continue
                item_pii = Counter()  # counted only if the record is kept: duplicates are compared after redaction
                fixes.update(_clean_messages(item, cfg, redactor, item_pii))
                # system prompts are shared boilerplate: they must not make records look alike
                text = "\n".join(m["content"] for m in item.messages if m["role"] != "system")
                reason = length_rule(
                    item.messages, cfg.filters.min_chars, cfg.filters.max_chars, cfg.filters.min_answer_chars
                ) or quality_rule(text, cfg.filters.min_letter_ratio, item.messages, cfg.filters.min_words)
                lang = UNDETERMINED
                if reason is None:
                    # the whole conversation: a short user turn alone is often misread (accent-less French as Italian)
                    lang = detect_language(text[:1500], candidates)
                    if cfg.filters.languages and lang != UNDETERMINED and lang not in cfg.filters.languages:
                        reason = "language"
                if reason is None:
                    reason, near_idx = chat_dedup.check(text)
                if reason:
                    removed[reason] += 1
                    stats["removed"] += 1
                    _note(
                        removed_examples,
                        reason,
                        f"{item.source}:{item.line}" + (f" [{lang}]" if reason == "language" else ""),
                    )
                    continue
                languages[lang] += 1
                pii.update(item_pii)
                kept.append((item, lang, near_idx))
            bar.advance(task)

    splits: dict[str, list[dict]] = {"train": [], "val": [], "test": []}
    for rec, lang, near_idx in kept:
        group = chat_dedup.group_name(near_idx, "\n".join(m["content"] for m in rec.messages if m["role"] != "system"))
        splits[assign_split(group, cfg.split.seed, cfg.split.val_ratio, cfg.split.test_ratio)].append(
            _record_out(rec, lang)
        )

    augmented = 0
    if cfg.augment:
        extra = []
        for row in splits["train"]:
            users = [i for i, m in enumerate(row["messages"]) if m["role"] == "user"]
            if not users:
                continue
            first = users[0]
            for variant in paraphrase(row["messages"][first]["content"], cfg.augment, row["lang"], cfg.split.seed):
                msgs = [dict(m) for m in row["messages"]]
                msgs[first]["content"] = variant
                extra.append({**row, "messages": msgs, "augmented": True, "id": f"{row['id'] or row['source']}#aug"})
        augmented = len(extra)
        splits["train"].extend(extra)

    paths = {}
    for name, rows in splits.items():
        paths[name] = out_dir / f"{name}.jsonl"
        write_jsonl(rows, paths[name])
    if documents:
        paths["corpus"] = out_dir / "corpus.jsonl"
        write_jsonl(documents, paths["corpus"])
    elif (out_dir / "corpus.jsonl").exists():
        (out_dir / "corpus.jsonl").unlink()

    count_tokens = token_counter(cfg.tokenizer)
    lengths = [
        count_tokens("\n".join(m["content"] for m in row["messages"])) for rows in splits.values() for row in rows
    ]
    duration = time.perf_counter() - started
    records_out = sum(len(r) for r in splits.values()) - augmented + len(documents)
    report = {
        "records_in": records_in,
        "records_out": records_out,
        "removed": {k: removed.get(k, 0) for k in ("exact_duplicate", "near_duplicate")} | dict(removed),
        "removed_examples": removed_examples,
        "pii_redacted": sum(pii.values()),
        "pii_by_type": dict(pii),
        "rejected": [r.to_dict() for r in rejected],
        "warnings": warnings,
        "languages": dict(languages.most_common()),
        "splits": {k: len(v) for k, v in splits.items()},
        "documents": len(documents),
        "augmented": augmented,
        "cleaning": dict(fixes),
        "per_file": {k: dict(v) for k, v in per_file.items()},
        "duration_s": round(duration, 3),
        "records_per_s": round(records_in / duration, 1) if duration else None,
        "paths": {k: str(v) for k, v in paths.items()},
        "provenance": {
            "inputs": input_hashes(files),
            "versions": library_versions(["ftfy", "datasketch", "py3langid", "pypdf", "python-docx", "beautifulsoup4"]),
        },
    }
    write_resolved_config(cfg, out_dir)
    report["paths"].update(
        write_report(report, lengths, out_dir, tokenizer=cfg.tokenizer or "words+punctuation (approximate)")
    )
    return report
