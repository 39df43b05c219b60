"""`chatforge rag ...`: the RAG stage's commands (parse, load the typed config, call the stage).

    chatforge rag ingest DOCS... --index IDX [--default-roles public] [--prune] [--qdrant-url URL]
    chatforge rag query "TEXT" --index IDX --role R [--k 5] [--json]
    chatforge rag eval --index IDX --testset FILE.jsonl [--role R] [--json]
    chatforge rag ask "TEXT" --model MODEL --index IDX --role R [--json]
    chatforge rag gate fit --index IDX --questions VALIDATION.jsonl [--role R] [--target-precision 0.9] [--json]

Each takes `--config FILE.yaml`, repeated `--set key=value` and `--json`, like every stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.config import ConfigError, config_help, load_config
from chatforge.data.records import InputError
from chatforge.output import emit, fail as _fail

app = typer.Typer(help="Ground answers in your documents: ingest into Qdrant, hybrid retrieval with roles, evaluation.",
                  no_args_is_help=True)

ConfigOpt = typer.Option(None, "--config", help="YAML file with the stage config.")
SetOpt = typer.Option(None, "--set", help="Override one config field: key=value (repeatable, dotted keys).")
JsonOpt = typer.Option(False, "--json", help="Print a one-line JSON summary as the last stdout line.")
ShowOpt = typer.Option(False, "--show-config", help="List every config field with its default and help, then exit.")
IndexOpt = typer.Option(..., "--index", help="Index folder (Qdrant Edge shard, metadata and lock).")
RoleOpt = typer.Option(None, "--role", help="Caller's role (repeatable); results come only from documents it may read.")
UrlOpt = typer.Option(None, "--qdrant-url", help="Qdrant server URL instead of Qdrant Edge (API key from QDRANT_API_KEY).")


def _errors():
    from chatforge.errors import UserError
    from chatforge.rag.embed import EmbeddingModelError
    from chatforge.rag.index import IndexUnavailable

    return (ConfigError, InputError, IndexUnavailable, EmbeddingModelError, PermissionError, UserError)


def _show(cls) -> None:
    for name, default, help_text in config_help(cls):
        typer.echo(f"{name} = {default}\n    {help_text}")


@app.command("ingest")
def ingest_cmd(
    inputs: list[Path] = typer.Argument(None, help="Files or folders: MD, TXT, HTML, PDF, DOCX (access.yaml at a folder's root)."),
    index: Path = IndexOpt,
    default_roles: Optional[list[str]] = typer.Option(None, "--default-roles", help="Roles for unlabelled documents (repeatable); without it they are refused."),
    prune: Optional[bool] = typer.Option(None, "--prune/--no-prune", help="Remove documents no longer among the inputs."),
    qdrant_url: Optional[str] = UrlOpt,
    show_config: bool = ShowOpt,
    config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Chunk, embed and index documents with their roles; unchanged files are skipped."""
    from chatforge.rag.ingest import IngestConfig, ingest

    if show_config:
        return _show(IngestConfig)
    try:
        cfg = load_config(IngestConfig, config, set_, default_roles=default_roles or None, prune=prune,
                          qdrant_url=qdrant_url)
        s = ingest(inputs or [], index, cfg, progress=not as_json)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    summary = {"ok": True, "index": str(index), "documents": s["documents"], "ingested": len(s["ingested"]),
               "unchanged": s["unchanged"], "chunks": s["chunks"], "chunks_total": s["chunks_total"],
               "skipped": s["skipped"], "failed": s["failed"], "pruned": s["pruned"], "seconds": s["seconds"],
               "chunks_per_s": s["chunks_per_s"]}
    lines = [f"{s['documents']} documents: {len(s['ingested'])} ingested ({s['chunks']} chunks), "
             f"{s['unchanged']} unchanged, {len(s['skipped'])} skipped, {len(s['failed'])} failed, "
             f"{len(s['pruned'])} pruned; index holds {s['chunks_total']} chunks"]
    lines += [f"  skipped {x['source']}: {x['reason']}" for x in s["skipped"]]
    lines += [f"  failed  {x['source']}" + (f" p.{x['page']}" if x.get("page") else "") + f": {x['reason']}" for x in s["failed"]]
    emit(summary, as_json, "\n".join(lines))


@app.command("query")
def query_cmd(
    text: str = typer.Argument(..., help="The question or search text."),
    index: Path = IndexOpt,
    role: Optional[list[str]] = RoleOpt,
    k: Optional[int] = typer.Option(None, "--k", help="Passages returned."),
    mode: Optional[str] = typer.Option(None, "--mode", help="hybrid (default), dense or sparse."),
    qdrant_url: Optional[str] = UrlOpt,
    show_config: bool = ShowOpt,
    config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Hybrid search restricted to the caller's roles; prints passages with their sources."""
    from chatforge.rag.retrieve import RetrieveConfig, retrieve

    if show_config:
        return _show(RetrieveConfig)
    try:
        cfg = load_config(RetrieveConfig, config, set_, k=k, mode=mode, qdrant_url=qdrant_url)
        if not role:
            raise PermissionError("--role is required: access fails closed")
        rows = retrieve(index, text, list(role), cfg)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    human = "\n".join(f"{i}. [{r['score']:.4f}] {r['doc_id']} p.{r['page']} {r['heading'] or ''}\n   "
                      f"{r['text'][:200].replace(chr(10), ' ')}" for i, r in enumerate(rows, start=1)) or "no passage"
    emit({"ok": True, "query": text, "roles": list(role), "results": rows}, as_json, human)


@app.command("eval")
def eval_cmd(
    index: Path = IndexOpt,
    testset: Path = typer.Option(..., "--testset", help="JSONL with question and doc_id per row."),
    role: Optional[list[str]] = typer.Option(None, "--role", help="Ask every question under this role (repeatable); default: each document's first role."),
    mode: Optional[str] = typer.Option(None, "--mode", help="hybrid (default), dense or sparse."),
    out: Optional[Path] = typer.Option(None, "--out", help="Also write the full report (with misses) to this JSON file."),
    show_config: bool = ShowOpt,
    config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Recall@k and MRR of retrieval on held-out questions."""
    import json

    from chatforge.rag.evaluate import EvalConfig, evaluate

    if show_config:
        return _show(EvalConfig)
    try:
        cfg = load_config(EvalConfig, config, set_, roles=role or None, **{"retrieval.mode": mode})
        report = evaluate(index, testset, cfg)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    m = report["metrics"]
    human = (f"{report['questions']} questions ({report['mode']}): " + ", ".join(f"{k} {v:.3f}" for k, v in m.items())
             + "".join(f"\n  {role}: recall@5 {v.get('recall@5', 0):.3f} over {v['questions']}" for role, v in report["per_role"].items()))
    emit({"ok": True, **{k: report[k] for k in ("questions", "metrics", "per_role", "mode")},
          "misses": len(report["misses"]), "report": str(out) if out else None}, as_json, human)


@app.command("ask")
def ask_cmd(
    text: str = typer.Argument(..., help="The user's question."),
    model: str = typer.Option("default", "--model", help="Generation model: 'default', a folder, a GGUF file or a hub id."),
    index: Path = IndexOpt,
    role: Optional[list[str]] = RoleOpt,
    show_config: bool = ShowOpt,
    config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Retrieve, build the grounded prompt, generate; prints the answer with its sources."""
    from chatforge.rag.answer import AskConfig, ask

    if show_config:
        return _show(AskConfig)
    try:
        cfg = load_config(AskConfig, config, set_)
        if not role:
            raise PermissionError("--role is required: access fails closed")
        result = ask(text, model, index, list(role), cfg)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    except Exception as exc:  # model loading errors come from the models stage with their own types
        if type(exc).__name__ != "ModelError":
            raise
        return _fail(str(exc), as_json)
    g, note = result["grounding"], ""
    if g["abstained"]:
        note = "\n\n(not found in the documents)"
    elif g["removed_sentences"]:
        note = f"\n\n({len(g['removed_sentences'])} unsupported sentence(s) removed)"
    human = result["answer"] + note + ("\n\nSources:\n" + "\n".join(result["sources"]) if result["sources"] else "")
    emit({"ok": True, **result}, as_json, human)


gate_app = typer.Typer(help="The answerability gate: fit it on validation questions, stored as IDX/gate.json.",
                       no_args_is_help=True)
app.add_typer(gate_app, name="gate")


@gate_app.command("fit")
def gate_fit_cmd(
    index: Path = IndexOpt,
    questions: Path = typer.Option(..., "--questions", help="Validation JSONL: question, doc_id, and answerable: false (or empty facts) on unanswerable ones."),
    role: Optional[list[str]] = typer.Option(None, "--role", help="Ask every question under this role (repeatable); default: the item's roles, else its document's first role, else public."),
    target_precision: float = typer.Option(0.9, "--target-precision", min=0.0, max=1.0, help="Least share of the gate's abstentions that must be right on the validation questions."),
    config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Fit the gate (logistic regression on the retrieval scores) and store it in the index folder."""
    from chatforge.rag.gate import fit_from_questions
    from chatforge.rag.retrieve import RetrieveConfig

    try:
        if not questions.is_file():
            raise InputError(f"--questions {questions}: no such file")
        cfg = load_config(RetrieveConfig, config, set_)
        _, summary = fit_from_questions(index, questions, list(role) if role else None, target_precision, cfg)
    except _errors() as exc:
        return _fail(str(exc), as_json)
    c = summary["counts"]
    human = (f"gate fitted on {c['answerable']} answerable and {c['unanswerable']} unanswerable questions: "
             + (f"threshold {summary['threshold']}, abstention precision {summary['precision']}, recall {summary['recall']}"
                if summary["reached"] else f"no threshold reaches precision {target_precision}: the gate never abstains")
             + f"\nwritten to {summary['gate']}")
    emit({"ok": True, **summary}, as_json, human)
