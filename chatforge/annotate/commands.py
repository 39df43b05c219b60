"""`chatforge annotate create | assign | list | export | report`: parse, load the typed config, call the stage.

    chatforge annotate create --name NAME --prompts FILE --model M [--model M2] --answers-per-prompt K \
                              --annotators-per-item N [--annotators alice,bob] [--db URL]
    chatforge annotate create --name NAME --answers sft.jsonl ...          # review mode
    chatforge annotate create --name NAME --from-feedback --index IDX --annotators alice,bob [--reviewers rev]
    chatforge annotate assign --name NAME --users alice,bob [--reviewers rev]
    chatforge annotate list
    chatforge annotate export --name NAME --format rm|dpo|sft|kto --out FILE.jsonl [--set ties=both]
    chatforge annotate report --name NAME [--out DIR] --json

Each takes `--json` (a typed result, annotate/results.py); `create`, `export` and `report` also `--config`,
`--set` and `--show-config` (chatforge/command.py).

Annotators need a key with the `annotator` role, reviewers `reviewer` (`chatforge keys create
--user alice --roles annotator`); the pages are at /annotate of `chatforge serve --db` the same database.
`--annotators` / `--reviewers` (and `assign`) list a campaign's members: a campaign that lists
annotators (or reviewers) is seen only by them, one built `--from-feedback` only by its members
(its items also need the reader's key roles to cover the roles of the documents quoted, looked up
in `--index`; the text is redacted as `data prepare` does, `--set pii.*`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, command
from chatforge.errors import ConfigError
from chatforge.store.opening import open_database

DEFAULT_DB = "runs/serve/chatforge.db"
DbOpt = typer.Option(DEFAULT_DB, "--db", help="The serving database: SQLite file (WAL) or postgresql:// URL.")
NameOpt = typer.Option(..., "--name", help="Campaign name.")
RESULTS = "chatforge.annotate.results:"

app = typer.Typer(
    help="Human annotation: campaigns of ranked, flagged and corrected answers; export as training data.",
    no_args_is_help=True,
)


def _users(text: str | None) -> list[str]:
    return [u.strip() for u in (text or "").split(",") if u.strip()]


@command(app, "create", config="chatforge.annotate.campaign:CampaignConfig", result=RESULTS + "CampaignCreateResult")
def create_cmd(
    name: str = NameOpt,
    prompts: Optional[Path] = typer.Option(
        None, "--prompts", help="Prompts file (JSONL or TXT): answers are generated."
    ),
    answers: Optional[Path] = typer.Option(
        None, "--answers", help="Review mode: SFT / ranked / pairs file with existing answers."
    ),
    from_feedback: bool = typer.Option(
        False, "--from-feedback", help="Review mode: served conversations of the feedback store."
    ),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Model generating answers (repeatable)."),
    answers_per_prompt: Optional[int] = typer.Option(
        None, "--answers-per-prompt", help="Answers generated per prompt (K)."
    ),
    annotators_per_item: Optional[int] = typer.Option(None, "--annotators-per-item", help="Annotators per item (N)."),
    annotators: Optional[str] = typer.Option(
        None,
        "--annotators",
        help="The campaign's annotators (comma-separated), assigned now; unset = any annotator key, on demand (required with --from-feedback).",
    ),
    reviewers: Optional[str] = typer.Option(
        None,
        "--reviewers",
        help="The campaign's reviewers (comma-separated); unset = any reviewer key (none with --from-feedback).",
    ),
    index: Optional[Path] = typer.Option(
        None,
        "--index",
        help="--from-feedback: the RAG index the server answers from (the roles of the quoted documents).",
    ),
    seed: Optional[int] = typer.Option(None, "--seed", help="Sampling, order and label seed."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many prompts."),
    db: str = DbOpt,
    cmd: Invocation = None,
) -> None:
    """Open a campaign: K answers per prompt (generated and/or existing), shuffled, N annotators per item."""
    from chatforge.annotate.campaign import add_reviewers, assign, finalize, generate_answers, open_campaign
    from chatforge.annotate.sources import index_doc_roles, read_answers, read_feedback_store, read_prompts
    from chatforge.data.pii import Redactor
    from chatforge.provenance import file_sha256

    if sum(x is not None and x is not False for x in (prompts, answers, from_feedback or None)) != 1:
        raise ConfigError("give exactly one source: --prompts FILE, --answers FILE or --from-feedback")
    cfg = cmd.config(
        name=name,
        models=model or None,
        seed=seed,
        limit=limit,
        answers_per_prompt=answers_per_prompt
        if answers_per_prompt is not None
        else (0 if prompts is None and not model else None),
        annotators_per_item=annotators_per_item,
    )
    if from_feedback and not _users(annotators):
        raise ConfigError("--from-feedback shows what users typed: name the campaign's annotators with --annotators")
    store = open_database(db)  # an unreachable database: one line, password masked
    redactor = None
    try:
        rejected = []
        if prompts is not None:
            mode, (sources, rejected) = "generate", read_prompts(prompts)
            source = {"prompts": str(prompts), "sha256": file_sha256(prompts)}
        elif answers is not None:
            mode, (sources, rejected) = "review", read_answers(answers)
            source = {"answers": str(answers), "sha256": file_sha256(answers)}
        else:
            redactor = Redactor.from_config(cfg.pii)
            roles = index_doc_roles(index) if index is not None else None
            mode, source = "feedback", {"feedback_store": True}
            sources = read_feedback_store(store, cfg.limit, doc_roles=roles, redactor=redactor, rejected=rejected)
        camp = open_campaign(store, cfg, mode, sources, source)
        made = generate_answers(store, camp, cfg)  # progress on stderr, --json or not
        counts = finalize(store, camp)
        assigned = assign(store, cfg.name, _users(annotators)) if annotators else 0
        add_reviewers(store, cfg.name, _users(reviewers))
    finally:
        store.close()
    for r in rejected:
        typer.echo(f"rejected {r.source}:{r.line}: {r.reason}", err=True)
    cmd.emit(
        {
            "ok": True,
            "name": cfg.name,
            "mode": mode,
            **counts,
            "generated": made,
            "assigned": assigned,
            "annotators": _users(annotators),
            "reviewers": _users(reviewers),
            "redacted": redactor.summary() if redactor is not None else {},
            "rejected": [r.to_dict() for r in rejected],
        },
        f"campaign {cfg.name} ({mode}): {counts['items']} items, {counts['answers']} answers ({made} generated), "
        f"{cfg.annotators_per_item} annotators per item{f', {assigned} assignments' if assigned else ''}; "
        f"rejected {len(rejected)}",
    )


@command(app, "assign", result=RESULTS + "AssignResult")
def assign_cmd(
    name: str = NameOpt,
    users: Optional[str] = typer.Option(None, "--users", help="Annotators to add (comma-separated)."),
    reviewers: Optional[str] = typer.Option(None, "--reviewers", help="Reviewers to add (comma-separated)."),
    db: str = DbOpt,
    cmd: Invocation = None,
) -> None:
    """Add annotators (their items assigned now: each item to N of them, least loaded first) and reviewers."""
    from chatforge.annotate.campaign import add_reviewers, assign

    if not _users(users) and not _users(reviewers):
        raise ConfigError("give --users and/or --reviewers")
    store = open_database(db)  # an unreachable database: one line, password masked
    try:
        made = assign(store, name, _users(users)) if _users(users) else 0
        added = add_reviewers(store, name, _users(reviewers))
    finally:
        store.close()
    cmd.emit(
        {"ok": True, "name": name, "assigned": made, "reviewers_added": added},
        f"{made} new assignments, {added} new reviewers",
    )


@command(app, "list", result=RESULTS + "CampaignListResult")
def list_cmd(db: str = DbOpt, cmd: Invocation = None) -> None:
    """Campaigns with their mode, status, items and judgements."""
    from sqlalchemy import func, select

    from chatforge.store.annotation import Campaign, Item, Judgement, members

    store = open_database(db, create=False)  # an unreachable database: one line, password masked
    try:
        with store.session() as s:
            rows = s.execute(
                select(Campaign, func.count(func.distinct(Item.id)), func.count(Judgement.id))
                .outerjoin(Item, Item.campaign_id == Campaign.id)
                .outerjoin(Judgement, Judgement.item_id == Item.id)
                .group_by(Campaign.id)
                .order_by(Campaign.id)
            ).all()
            people = {c.id: members(s, c.id) for c, _, _ in rows}
    finally:
        store.close()
    data = [
        {
            "name": c.name,
            "mode": c.mode,
            "status": c.status,
            "annotators_per_item": c.annotators_per_item,
            "items": n,
            "judgements": j,
            **people[c.id],
        }
        for c, n, j in rows
    ]

    def who(d: dict, role: str) -> str:
        return ",".join(d[role]) or ("members only" if d["mode"] == "feedback" else "any")

    cmd.emit(
        {"ok": True, "campaigns": data},
        "\n".join(
            f"{d['name']:<24} {d['mode']:<9} {d['status']:<9} items {d['items']:>5}  judgements {d['judgements']:>6}  "
            f"annotators {who(d, 'annotators')}  reviewers {who(d, 'reviewers')}"
            for d in data
        )
        or "no campaigns",
    )


@command(app, "export", config="chatforge.annotate.export:ExportConfig", result=RESULTS + "AnnotationExportResult")
def export_cmd(
    name: str = NameOpt,
    format: str = typer.Option(
        ..., "--format", help="rm / dpo (pairs from rankings), sft (corrections, approvals), kto (flags)."
    ),
    out: Path = typer.Option(..., "--out", help="JSONL file to write (the audit goes to FILE.audit.json)."),
    db: str = DbOpt,
    cmd: Invocation = None,
) -> None:
    """Turn the campaign's judgements into training data the train stages read."""
    from chatforge.annotate.audit import audit
    from chatforge.annotate.export import export
    from chatforge.data.jsonl import write_jsonl

    store = open_database(db, create=False)  # an unreachable database: one line, password masked
    try:
        cfg = cmd.config()
        rows = export(store, name, format, cfg)
    finally:
        store.close()
    path = write_jsonl(rows, out)
    report = audit(rows, cfg.topics)
    audit_path = path.with_name(path.name + ".audit.json")
    audit_path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    cmd.emit(
        {
            "ok": True,
            "name": name,
            "format": format,
            "count": len(rows),
            "path": str(path),
            "audit_path": str(audit_path),
            "audit": report,
        },
        f"{len(rows)} {format} rows written to {path}; languages {report['languages']}, topics {report['topics']}",
    )


@command(app, "report", config="chatforge.annotate.export:ExportConfig", result=RESULTS + "AnnotationReportResult")
def report_cmd(
    name: str = NameOpt,
    out: Optional[Path] = typer.Option(
        None, "--out", help="Folder for report.json / report.html (default runs/annotate/NAME)."
    ),
    db: str = DbOpt,
    cmd: Invocation = None,
) -> None:
    """Progress, time per item, agreement, disagreements, each model's mean rank, bias audit."""
    from chatforge.annotate.report import build_report, write_report

    store = open_database(db, create=False)  # an unreachable database: one line, password masked
    try:
        cfg = cmd.config()
        rep = build_report(store, name, cfg)
    finally:
        store.close()
    out = out or Path("runs/annotate") / name
    paths = write_report(rep, out)
    from chatforge.provenance import library_versions, write_metrics, write_resolved_config

    paths["config"] = str(write_resolved_config(cfg, out))  # the export settings the audit and counts used
    write_metrics(library_versions(["sqlalchemy", "scipy", "scikit-learn", "py3langid"]), out, "versions.json")
    ag = rep["agreement"]
    cmd.emit(
        {"ok": True, **rep, "paths": paths},
        f"{rep['items']['judged']}/{rep['items']['total']} items judged ({rep['judgements']} judgements); "
        f"Kendall tau {ag['kendall_tau']['mean']}, Cohen kappa {ag['cohen_kappa']['mean']}, "
        f"Fleiss kappa {ag['fleiss_kappa']['value']}\nreport: {paths['report_html']}",
    )


def register(root: typer.Typer) -> None:
    """Add `annotate` (create, assign, list, export, report) to the root app."""
    root.add_typer(app, name="annotate")
