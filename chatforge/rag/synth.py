"""`chatforge data synth`: grounded training pairs and a held-out test set from documents that have no Q&A.

    chatforge data synth DOCS... --index IDX --out DIR [--teacher MODEL | --backend-url URL] \\
        [--exclude-testset FILE] [--unanswerable N] [--seed 0] [--json]

Why here, in `rag`: synthesis needs the index (the chunks exactly as retrieval serves them, with their
roles), the verifier and the grounding builder, all in `rag`; `data` sits below `rag` and may not import
it. The command is still `data synth` (a data step, beside `data prepare`): `synth_commands.py` declares
it and `cli.py` adds it to the `data` group.

Steps:
1. The documents are read (data/documents.py), labelled with roles by their access rules (access.py) and
   chunked with the settings that built IDX; each must be in IDX with the same chunks and roles, or it is
   rejected with the reason (run `chatforge rag ingest` again).
2. Each chunk gives candidate pairs: extractive (synth_extract.py, the default) or written by a teacher
   (synth_teacher.py). At most `max_pairs_per_chunk` per chunk, drawn with `seed`.
3. A pair is kept when the verifier (verify.py) finds its answer supported by its source chunk, figures
   included, and the answer is not already in the question; then exact duplicate questions, near-duplicate
   pairs (MinHash, data/dedup.py) and questions near any question of `--exclude-testset` are removed.
4. Pairs are split by chunk (every pair of one chunk in one split): train.jsonl and val.jsonl hold
   conversations `train sft` reads; with `grounded` (default) each is the grounded prompt the served model
   sees (grounding.py: passages retrieved under the pair's roles, only those every one of its roles may
   read, the source chunk always among them) and a target citing the source passage `[n]`, checked by the
   verifier. test.jsonl holds eval's test items (question, answer, facts, doc_id, role) of the pairs with
   key facts, plus `unanswerable` questions on topics no indexed chunk mentions (facts: []).
5. pairs.jsonl keeps every kept pair with its source (doc_id, chunk_id, roles, lang, kind, split);
   report.json / report.html account for every candidate; config.yaml and metrics.json record the run.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.data.dedup import NearDuplicateIndex, dedup_key
from chatforge.data.documents import read_document
from chatforge.data.filters import detect_language
from chatforge.data.jsonl import write_jsonl
from chatforge.data.split import assign_split
from chatforge.errors import ConfigError, InputError, MissingResource
from chatforge.output import progress_bar
from chatforge.provenance import record_run
from chatforge.rag.access import ACCESS_FILE, document_roles, load_rules
from chatforge.rag.chunk import ChunkConfig, chunk_document
from chatforge.rag.ingest import discover
from chatforge.rag.prompt import PromptConfig
from chatforge.rag.retrieve import RESULT_FIELDS, RetrieveConfig, Retriever
from chatforge.rag.store import read_meta
from chatforge.rag.synth_extract import Candidate, extract, figures, table_header
from chatforge.rag.synth_grounded import cite, conversations
from chatforge.rag.synth_questions import unanswerable_items
from chatforge.rag.synth_report import write_synth_report
from chatforge.rag.synth_teacher import TeacherConfig, TeacherFailed, make_generator, parse_pairs, teacher_messages
from chatforge.rag.verify import VerifyConfig, content_tokens, numbers, unsupported_numbers, verify

KINDS = ("heading_question", "table", "label", "definition", "figure", "section")


class SynthConfig(StageConfig):
    teacher: TeacherConfig = Field(
        default_factory=TeacherConfig, description="The teacher model; unset = extractive pairs."
    )
    kinds: list[str] = Field(list(KINDS), description=f"Extractive pair kinds to write ({', '.join(KINDS)}).")
    max_pairs_per_chunk: int = Field(4, ge=1, description="Most pairs kept from one chunk (drawn with seed).")
    grounded: bool = Field(
        True,
        description="Write train/val as grounded conversations (retrieved passages, cited target); false = plain question/answer turns.",
    )
    retrieval: RetrieveConfig = Field(
        default_factory=lambda: RetrieveConfig(k=4), description="Passages of a grounded conversation."
    )
    prompt: PromptConfig = Field(default_factory=PromptConfig, description="The grounded prompt (as serve builds it).")
    verify: VerifyConfig = Field(
        default_factory=VerifyConfig, description="How a pair's answer is checked against its source chunk."
    )
    near_threshold: float = Field(
        0.8,
        gt=0,
        lt=1,
        description="Estimated Jaccard similarity (character 5-grams) above which two questions, or two pairs, are near-duplicates.",
    )
    test_ratio: float = Field(0.1, ge=0, lt=1, description="Share of chunks whose pairs form the test set.")
    val_ratio: float = Field(0.05, ge=0, lt=1, description="Share of chunks whose pairs form val.jsonl.")
    unanswerable: int = Field(
        0, ge=0, description="Unanswerable test questions to add (topics no indexed chunk mentions)."
    )
    seed: int = Field(0, description="Seed of the per-chunk draw and of the split.")
    default_roles: list[str] | None = Field(
        None, description="Roles for documents with no access label; unset = refuse them (as rag ingest)."
    )
    access_file: Path | None = Field(
        None, description=f"Access rules file; default: {ACCESS_FILE} at the root of each input folder."
    )
    tokenizer: str | None = Field(
        None, description="Tokenizer for the report's length statistics; unset = words and punctuation."
    )


def _chunk_config(meta: dict) -> ChunkConfig:
    return ChunkConfig(**(meta.get("chunking") or {}))


def load_documents(inputs: list[Path], index_payloads: dict[str, dict], meta: dict, cfg: SynthConfig):
    """[(doc, doc_id, roles, lang, chunks)] of the documents found in the index as they are now, and rejections."""
    files, skipped = discover([Path(p) for p in inputs])
    rejected = [dict(s) for s in skipped]
    rules: dict[Path, list] = {}
    docs = []
    for path, doc_id, root in files:
        if root not in rules:
            rule_file = cfg.access_file or root / ACCESS_FILE
            rules[root] = load_rules(rule_file) if Path(rule_file).is_file() else []
        doc, problems = read_document(path)
        if doc is None:
            rejected.append({"source": str(path), "reason": "; ".join(p.reason for p in problems) or "unreadable"})
            continue
        try:
            roles, why = document_roles(doc, doc_id, rules[root], cfg.default_roles)
        except ConfigError as exc:
            roles, why = None, str(exc)
        if roles is None:
            rejected.append({"source": str(path), "reason": why})
            continue
        chunks = chunk_document(doc, doc_id, _chunk_config(meta))
        indexed = [index_payloads.get(c.chunk_id) for c in chunks]
        if not any(indexed):
            rejected.append(
                {"source": str(path), "reason": "not in the index (run `chatforge rag ingest` on it first)"}
            )
        elif any(p is None or p.get("text") != c.text for p, c in zip(indexed, chunks)):
            rejected.append(
                {"source": str(path), "reason": "changed since it was ingested (run `chatforge rag ingest` again)"}
            )
        elif any(sorted(p.get("roles") or []) != sorted(roles) for p in indexed):
            rejected.append(
                {
                    "source": str(path),
                    "reason": f"its access roles {roles} differ from the index's "
                    f"{indexed[0].get('roles')} (run `chatforge rag ingest` again)",
                }
            )
        else:
            lang = detect_language(doc.text[:3000])
            docs.append((doc, doc_id, roles, lang, chunks))
    return docs, rejected


def _candidates(doc, chunks, lang: str, cfg: SynthConfig, generate, counts: Counter) -> list[tuple]:
    """(chunk, Candidate) pairs of one document, at most max_pairs_per_chunk per chunk, drawn with the seed."""
    out, seen_headings = [], set()
    for chunk in chunks:
        if generate is not None:
            counts["teacher_requests"] += 1
            try:
                reply = generate(teacher_messages(chunk.to_payload(), lang, cfg.teacher.pairs_per_chunk))
            except TeacherFailed:
                counts["teacher_errors"] += 1
                continue
            pairs, invalid, parsed = parse_pairs(reply)
            counts["teacher_unparsed"] += 0 if parsed else 1
            counts["teacher_invalid_items"] += invalid
            found = [
                Candidate(
                    p["question"],
                    p["answer"],
                    "teacher",
                    [f for f, _ in figures(p["answer"]) if not numbers(f) <= numbers(p["question"])],
                )
                for p in pairs
            ]
        else:
            header = table_header(doc.pages[chunk.page - 1], chunk.start)
            found = [
                c
                for c in extract(chunk.text, chunk.heading, lang, header, chunk.heading not in seen_headings)
                if c.kind in cfg.kinds
            ]
            seen_headings.add(chunk.heading)
        counts["candidates"] += len(found)
        if len(found) > cfg.max_pairs_per_chunk:
            counts["over_chunk_limit"] += len(found) - cfg.max_pairs_per_chunk
            found = random.Random(f"{cfg.seed}:{chunk.chunk_id}").sample(found, cfg.max_pairs_per_chunk)
        out.extend((chunk, c) for c in found)
    return out


def check_pair(question: str, answer: str, passage: str, cfg: VerifyConfig) -> tuple[str | None, str]:
    """(reason it is refused or None, the answer with its citation [1]) against its source passage."""
    if len(question.split()) < 2 or len(question) > 400:
        return "bad_question", answer
    v = verify(answer, [{"text": passage}], cfg, question)
    if v.abstained or v.quoted or v.removed_sentences:
        held = numbers(passage)
        if any(unsupported_numbers(s, held) for s in v.removed_sentences):
            return "unsupported_number", answer
        return "unsupported", answer
    if not content_tokens(answer) - content_tokens(question):
        return "answer_in_question", answer
    return None, cite(answer, 1)


def _dedup(pairs: list[dict], exclude: list[str], threshold: float, removed: Counter) -> list[dict]:
    """Drop pairs whose question is an exact repeat, near a test question, or whose pair is near another's."""
    questions = NearDuplicateIndex(threshold=threshold)
    for q in exclude:
        questions.add(dedup_key(q))
    n_excluded = len(exclude)
    whole = NearDuplicateIndex(threshold=threshold)
    seen: set[str] = set()
    kept = []
    for p in pairs:
        key = dedup_key(p["question"])
        _, near_test = questions.add(key)
        if near_test is not None and near_test < n_excluded:
            removed["in_testset"] += 1
        elif key in seen:
            removed["duplicate_question"] += 1
        elif whole.add(dedup_key(p["question"] + " " + p["answer"]))[1] is not None:
            removed["near_duplicate"] += 1
        else:
            seen.add(key)
            kept.append(p)
    return kept


def _read_exclude(path: Path | None) -> list[str]:
    if path is None:
        return []
    from chatforge.rag.evaluate import read_testset

    if not Path(path).is_file():
        raise InputError(f"--exclude-testset {path}: no such file")
    return [row["question"] for row in read_testset(path)]


def synth(
    inputs: list[Path],
    index_dir: Path,
    out: Path,
    cfg: SynthConfig | None = None,
    exclude_testset: Path | None = None,
    progress: bool = True,
) -> dict:
    """Write pairs, train/val/test and the report to `out`; returns the report."""
    cfg = cfg or SynthConfig()
    unknown = set(cfg.kinds) - set(KINDS)
    if unknown:
        raise ConfigError(f"kinds: unknown {sorted(unknown)}; known: {', '.join(KINDS)}")
    if cfg.test_ratio + cfg.val_ratio >= 1:
        raise ConfigError("test_ratio + val_ratio must be below 1")
    meta = read_meta(index_dir)
    if meta is None:
        raise MissingResource(
            f"{index_dir}: no chatforge index here (run `chatforge rag ingest DOCS --index {index_dir}` first)"
        )
    exclude = _read_exclude(exclude_testset)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    generate = make_generator(cfg.teacher) if cfg.teacher.enabled else None
    counts, removed = Counter(), Counter()
    with Retriever(index_dir, cfg.retrieval) as retriever:
        payloads = {
            p["chunk_id"]: p for p in retriever.index.scroll_payloads([*RESULT_FIELDS, "roles"]) if p.get("chunk_id")
        }
        docs, rejected = load_documents(inputs, payloads, meta, cfg)
        if not docs:
            raise InputError(
                f"no usable document among the inputs ({len(rejected)} rejected"
                + (f"; first: {rejected[0]['source']}: {rejected[0]['reason']}" if rejected else "")
                + ")"
            )
        pairs: list[dict] = []
        with progress_bar(disable=not progress) as bar:
            task = bar.add_task("synth", total=sum(len(d[4]) for d in docs), unit="chunks")
            for doc, doc_id, roles, lang, chunks in docs:
                bar.update(task, description=f"synth {doc_id[-40:]}")
                for chunk, cand in _candidates(doc, chunks, lang, cfg, generate, counts):
                    reason, cited = check_pair(cand.question, cand.answer, chunk.text, cfg.verify)
                    if reason:
                        removed[reason] += 1
                        continue
                    counts["verified"] += 1
                    pairs.append(
                        {
                            "question": cand.question,
                            "answer": cand.answer,
                            "answer_cited": cited,
                            "facts": cand.facts,
                            "kind": cand.kind,
                            "doc_id": doc_id,
                            "chunk_id": chunk.chunk_id,
                            "heading": chunk.heading,
                            "page": chunk.page,
                            "roles": roles,
                            "lang": lang,
                        }
                    )
                bar.advance(task, len(chunks))
        pairs = _dedup(pairs, exclude, cfg.near_threshold, removed)
        for n, p in enumerate(pairs):
            p["id"] = f"synth-{n + 1:05d}"
            p["split"] = assign_split(p["chunk_id"], cfg.seed, cfg.val_ratio, cfg.test_ratio)
        test = [as_test_item(p) for p in pairs if p["split"] == "test" and p["facts"]]
        held_out = sum(1 for p in pairs if p["split"] == "test" and not p["facts"])
        if held_out:
            removed["test_chunk_without_facts"] += held_out
        pairs = [p for p in pairs if p["split"] != "test" or p["facts"]]
        rows = conversations([p for p in pairs if p["split"] != "test"], retriever, payloads, cfg, removed, progress)
    vocabulary = set().union(*(content_tokens(p.get("text") or "") for p in payloads.values()))
    langs = Counter(p["lang"] for p in pairs)
    test += unanswerable_items(
        cfg.unanswerable, vocabulary, langs, Counter(p["roles"][0] for p in pairs), cfg.seed, counts
    )
    paths = {
        "pairs": out / "pairs.jsonl",
        "train": out / "train.jsonl",
        "val": out / "val.jsonl",
        "test": out / "test.jsonl",
    }
    write_jsonl(pairs, paths["pairs"])
    write_jsonl(rows["train"], paths["train"])
    write_jsonl(rows["val"], paths["val"])
    write_jsonl(test, paths["test"])
    report = {
        "documents": len(docs),
        "chunks": sum(len(d[4]) for d in docs),
        "candidates": counts["candidates"],
        "verified": counts["verified"],
        "verified_share": round(counts["verified"] / max(1, counts["candidates"] - counts["over_chunk_limit"]), 4),
        "pairs": len(pairs),
        "train": len(rows["train"]),
        "val": len(rows["val"]),
        "test": len(test),
        "unanswerable": counts["unanswerable"],
        "unanswerable_covered": counts["unanswerable_covered"],
        "removed": dict(removed),
        "rejected": rejected,
        "kinds": dict(Counter(p["kind"] for p in pairs)),
        "languages": dict(langs),
        "roles": dict(Counter(",".join(p["roles"]) for p in pairs)),
        "teacher": (
            {k: counts[k] for k in ("teacher_requests", "teacher_errors", "teacher_unparsed", "teacher_invalid_items")}
            | {"model": cfg.teacher.model or cfg.teacher.backend_model, "backend": bool(cfg.teacher.backend_url)}
        )
        if generate
        else None,
        "over_chunk_limit": counts["over_chunk_limit"],
        "seconds": round(time.perf_counter() - t0, 2),
        "paths": {k: str(v) for k, v in paths.items()},
        "index": str(index_dir),
        "excluded_testset": str(exclude_testset) if exclude_testset else None,
    }
    report["paths"].update(write_synth_report(report, pairs, rows, out, cfg.tokenizer))
    record_run(
        out,
        cfg,
        {k: v for k, v in report.items() if k not in ("rejected",)},
        inputs=[f for f, _, _ in discover([Path(p) for p in inputs])[0]],
        libraries=["qdrant-edge-py", "datasketch"],
    )
    return report


def as_test_item(pair: dict) -> dict:
    """A pair as one of eval's test items (the testset format eval and rag eval read)."""
    return {
        "id": pair["id"],
        "question": pair["question"],
        "answer": pair["answer"],
        "reference": pair["answer"],
        "facts": pair["facts"],
        "answerable": True,
        "doc_id": pair["doc_id"],
        "chunk_id": pair["chunk_id"],
        "role": pair["roles"][0],
        "roles": pair["roles"],
        "lang": pair["lang"],
        "kind": pair["kind"],
        "source": "synth",
    }
