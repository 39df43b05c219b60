"""`chatforge rag ...`: the RAG stage's commands (parse, load the typed config, call the stage).

    chatforge rag ingest DOCS... --index IDX [--default-roles public] [--prune] [--qdrant-url URL]
    chatforge rag query "TEXT" --index IDX --role R [--k 5] [--json]
    chatforge rag eval --index IDX --testset FILE.jsonl [--role R] [--json]
    chatforge rag ask "TEXT" --model MODEL --index IDX --role R [--json]
    chatforge rag reader-data DATA... --index IDX --out DIR [--testset FILE] [--unanswerable FILE] [--json]
    chatforge rag gate fit --index IDX --questions VALIDATION.jsonl [--role R] [--target-precision 0.9] [--json]

Each takes `--config FILE.yaml`, repeated `--set key=value` and `--json`, like every stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.errors import ConfigError, InputError

app = typer.Typer(
    help="Ground answers in your documents: ingest into Qdrant, hybrid retrieval with roles, evaluation.",
    no_args_is_help=True,
)

IndexOpt = typer.Option(..., "--index", help="Index folder (Qdrant Edge shard, metadata and lock).")
RoleOpt = typer.Option(None, "--role", help="Caller's role (repeatable); results come only from documents it may read.")
UrlOpt = typer.Option(
    None, "--qdrant-url", help="Qdrant server URL instead of Qdrant Edge (API key from QDRANT_API_KEY)."
)


def _roles(role: Optional[list[str]]) -> list[str]:
    if not role:
        raise ConfigError("--role is required: access fails closed")
    return list(role)


@command(app, "ingest", config="chatforge.rag.ingest:IngestConfig", result="chatforge.rag.results:IngestResult")
def ingest_cmd(
    inputs: list[Path] = typer.Argument(
        None, help="Files or folders: MD, TXT, HTML, PDF, DOCX (access.yaml at a folder's root)."
    ),
    index: Path = IndexOpt,
    default_roles: Optional[list[str]] = typer.Option(
        None, "--default-roles", help="Roles for unlabelled documents (repeatable); without it they are refused."
    ),
    prune: Optional[bool] = typer.Option(
        None, "--prune/--no-prune", help="Remove documents no longer among the inputs."
    ),
    qdrant_url: Optional[str] = UrlOpt,
    cmd: Invocation = None,
) -> None:
    """Chunk, embed and index documents with their roles; unchanged files are skipped."""
    from chatforge.rag.ingest import ingest

    cfg = cmd.config(default_roles=default_roles or None, prune=prune, qdrant_url=qdrant_url)
    s = ingest(inputs or [], index, cfg)  # progress on stderr, --json or not
    summary = {
        "ok": True,
        "index": str(index),
        "documents": s["documents"],
        "ingested": len(s["ingested"]),
        "unchanged": s["unchanged"],
        "chunks": s["chunks"],
        "chunks_total": s["chunks_total"],
        "skipped": s["skipped"],
        "failed": s["failed"],
        "pruned": s["pruned"],
        "seconds": s["seconds"],
        "chunks_per_s": s["chunks_per_s"],
    }
    lines = [
        f"{s['documents']} documents: {len(s['ingested'])} ingested ({s['chunks']} chunks), "
        f"{s['unchanged']} unchanged, {len(s['skipped'])} skipped, {len(s['failed'])} failed, "
        f"{len(s['pruned'])} pruned; index holds {s['chunks_total']} chunks"
    ]
    lines += [f"  skipped {x['source']}: {x['reason']}" for x in s["skipped"]]
    lines += [
        f"  failed  {x['source']}" + (f" p.{x['page']}" if x.get("page") else "") + f": {x['reason']}"
        for x in s["failed"]
    ]
    cmd.emit(summary, "\n".join(lines))


@command(app, "query", config="chatforge.rag.retrieve:RetrieveConfig", result="chatforge.rag.results:QueryResult")
def query_cmd(
    text: str = typer.Argument(..., help="The question or search text."),
    index: Path = IndexOpt,
    role: Optional[list[str]] = RoleOpt,
    k: Optional[int] = typer.Option(None, "--k", help="Passages returned."),
    mode: Optional[str] = typer.Option(None, "--mode", help="hybrid (default), dense or sparse."),
    qdrant_url: Optional[str] = UrlOpt,
    cmd: Invocation = None,
) -> None:
    """Hybrid search restricted to the caller's roles; prints passages with their sources."""
    from chatforge.rag.retrieve import retrieve

    cfg = cmd.config(k=k, mode=mode, qdrant_url=qdrant_url)
    rows = retrieve(index, text, _roles(role), cfg)
    human = (
        "\n".join(
            f"{i}. [{r['score']:.4f}] {r['doc_id']} p.{r['page']} {r['heading'] or ''}\n   "
            f"{r['text'][:200].replace(chr(10), ' ')}"
            for i, r in enumerate(rows, start=1)
        )
        or "no passage"
    )
    cmd.emit({"ok": True, "query": text, "roles": list(role), "results": rows}, human)


@command(app, "eval", config="chatforge.rag.evaluate:EvalConfig", result="chatforge.rag.results:RagEvalResult")
def eval_cmd(
    index: Path = IndexOpt,
    testset: Path = typer.Option(..., "--testset", help="JSONL with question and doc_id per row."),
    role: Optional[list[str]] = typer.Option(
        None, "--role", help="Ask every question under this role (repeatable); default: each document's first role."
    ),
    mode: Optional[str] = typer.Option(None, "--mode", help="hybrid (default), dense or sparse."),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Also write the full report (with misses) to this JSON file."
    ),
    cmd: Invocation = None,
) -> None:
    """Recall@k and MRR of retrieval on held-out questions."""
    import json

    from chatforge.rag.evaluate import evaluate

    cfg = cmd.config(roles=role or None, **{"retrieval.mode": mode})
    report = evaluate(index, testset, cfg)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    m = report["metrics"]
    human = (
        f"{report['questions']} questions ({report['mode']}): "
        + ", ".join(f"{k} {v:.3f}" for k, v in m.items())
        + "".join(
            f"\n  {role}: recall@5 {v.get('recall@5', 0):.3f} over {v['questions']}"
            for role, v in report["per_role"].items()
        )
    )
    cmd.emit(
        {
            "ok": True,
            **{k: report[k] for k in ("questions", "metrics", "per_role", "mode")},
            "misses": len(report["misses"]),
            "report": str(out) if out else None,
        },
        human,
    )


@command(app, "ask", config="chatforge.rag.answer:AskConfig", result="chatforge.rag.results:AskResult")
def ask_cmd(
    text: str = typer.Argument(..., help="The user's question."),
    model: str = typer.Option(
        "default", "--model", help="Generation model: 'default', a folder, a GGUF file or a hub id."
    ),
    index: Path = IndexOpt,
    role: Optional[list[str]] = RoleOpt,
    cmd: Invocation = None,
) -> None:
    """Retrieve, build the grounded prompt, generate; prints the answer with its sources."""
    from chatforge.rag.answer import ask

    result = ask(text, model, index, _roles(role), cmd.config())
    g, note = result["grounding"], ""
    if g["abstained"]:
        note = "\n\n(not found in the documents)"
    elif g["removed_sentences"]:
        note = f"\n\n({len(g['removed_sentences'])} unsupported sentence(s) removed)"
    human = result["answer"] + note + ("\n\nSources:\n" + "\n".join(result["sources"]) if result["sources"] else "")
    cmd.emit({"ok": True, **result}, human)


@command(
    app,
    "reader-data",
    config="chatforge.rag.reader_data:ReaderDataConfig",
    result="chatforge.rag.results:ReaderDataResult",
)
def reader_data_cmd(
    data: list[Path] = typer.Argument(
        ..., help="Prepared data folders (train.jsonl, val.jsonl) or chat JSONL files (doc_id / roles per row)."
    ),
    index: Path = IndexOpt,
    out: Path = typer.Option(
        ..., "--out", help="Folder for train.jsonl and val.jsonl (what `train sft --data` reads)."
    ),
    testset: Optional[Path] = typer.Option(
        None, "--testset", help="Test set JSONL whose questions are never trained on."
    ),
    unanswerable: Optional[Path] = typer.Option(
        None, "--unanswerable", help="JSONL of questions the documents cannot answer."
    ),
    role: Optional[list[str]] = typer.Option(
        None,
        "--role",
        help="Ask every question under this role (repeatable); default: each question's document's first role.",
    ),
    cmd: Invocation = None,
) -> None:
    """Grounded reader conversations: each training question in the served prompt, answered with citations or abstaining;
    and grounded preference pairs on the same prompts for `train dpo`."""
    from chatforge.rag.reader_data import reader_data

    cfg = cmd.config(testset=testset, unanswerable=unanswerable, roles=role or None)
    s = reader_data(data, index, out, cfg)  # progress on stderr, --json or not
    lines = [
        f"{name}: {s['examples'][name]} conversations (" + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ")"
        for name, kinds in s["kinds"].items()
    ]
    for name, kinds in (s.get("pair_kinds") or {}).items():
        lines.append(
            f"{name}: {s['pairs'][name]} preference pairs (" + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ")"
        )
    lines.append(
        "skipped: " + (", ".join(f"{k} {v}" for k, v in s["skipped"].items()) or "none") + f"; written to {s['out']}"
    )
    cmd.emit(s, "\n".join(lines))


gate_app = typer.Typer(
    help="The answerability gate: fit it on validation questions, stored as IDX/gate.json.", no_args_is_help=True
)
app.add_typer(gate_app, name="gate")


@command(gate_app, "fit", config="chatforge.rag.retrieve:RetrieveConfig", result="chatforge.rag.results:GateFitResult")
def gate_fit_cmd(
    index: Path = IndexOpt,
    questions: Path = typer.Option(
        ...,
        "--questions",
        help="Validation JSONL: question, doc_id, and answerable: false (or empty facts) on unanswerable ones.",
    ),
    role: Optional[list[str]] = typer.Option(
        None,
        "--role",
        help="Ask every question under this role (repeatable); default: the item's roles, else its document's first role, else public.",
    ),
    target_precision: float = typer.Option(
        0.9,
        "--target-precision",
        min=0.0,
        max=1.0,
        help="Least share of the gate's abstentions that must be right on the validation questions.",
    ),
    cmd: Invocation = None,
) -> None:
    """Fit the gate (logistic regression on the retrieval scores) and store it in the index folder."""
    from chatforge.rag.gate import fit_from_questions

    if not questions.is_file():
        raise InputError(f"--questions {questions}: no such file")
    _, summary = fit_from_questions(index, questions, list(role) if role else None, target_precision, cmd.config())
    c = summary["counts"]
    human = (
        f"gate fitted on {c['answerable']} answerable and {c['unanswerable']} unanswerable questions: "
        + (
            f"threshold {summary['threshold']}, abstention precision {summary['precision']}, recall {summary['recall']}"
            if summary["reached"]
            else f"no threshold reaches precision {target_precision}: the gate never abstains"
        )
        + f"\nwritten to {summary['gate']}"
    )
    cmd.emit({"ok": True, **summary}, human)


def register(root: typer.Typer) -> None:
    """Add `rag` (ingest, query, eval, ask, reader-data, gate fit) and the top-level `ask` to the root app."""
    root.add_typer(app, name="rag")
    root.command("ask", help="Retrieve, build the grounded prompt, generate; print the answer with its sources.")(
        ask_cmd
    )
