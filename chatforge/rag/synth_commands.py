"""`chatforge data synth`: the command (parse, load the typed config, call rag/synth.py).

    chatforge data synth DOCS... --index IDX --out DIR [--teacher MODEL | --backend-url URL --backend-model NAME]
        [--exclude-testset FILE] [--unanswerable N] [--seed 0] [--json]

It lives in `rag` because synthesis needs the index and the verifier (synth.py says why); `cli.py` adds
it to the `data` group with `register(data_app)`. The teacher backend's key is read from the environment
variable CHATFORGE_BACKEND_KEY only.

Exit status: 0 done, 2 bad input or configuration (no index, no usable document, unreachable teacher).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.command import Invocation, Result, command
from chatforge.output import redact_url, stderr


class SynthResult(Result):
    """The `--json` summary of `chatforge data synth`."""

    documents: int
    chunks: int
    candidates: int
    verified: int
    verified_share: float
    pairs: int
    train: int
    val: int
    test: int
    unanswerable: int
    removed: dict[str, int]
    rejected: int
    kinds: dict[str, int]
    languages: dict[str, int]
    teacher: Optional[dict] = None
    warnings: list[str] = []
    paths: dict[str, str]


def register(data_app: typer.Typer) -> None:
    """Add `synth` to the `data` group."""

    @command(data_app, "synth", config="chatforge.rag.synth:SynthConfig", result=SynthResult)
    def data_synth(
        inputs: list[Path] = typer.Argument(
            None, help="Files or folders of documents, as given to `rag ingest` (access.yaml at a folder's root)."
        ),
        index: Path = typer.Option(..., "--index", help="Index built by `chatforge rag ingest` from these documents."),
        out: Path = typer.Option(..., "--out", help="Output folder: pairs, train/val/test.jsonl, report."),
        teacher: Optional[str] = typer.Option(
            None, "--teacher", help="Teacher model (a spec load_model accepts); unset = extractive pairs."
        ),
        backend_url: Optional[str] = typer.Option(
            None, "--backend-url", help="OpenAI-compatible teacher server (key from env CHATFORGE_BACKEND_KEY)."
        ),
        backend_model: Optional[str] = typer.Option(None, "--backend-model", help="Model name on the teacher server."),
        exclude_testset: Optional[Path] = typer.Option(
            None,
            "--exclude-testset",
            help="Test set JSONL: pairs with a question near one of its questions are dropped.",
        ),
        unanswerable: Optional[int] = typer.Option(
            None,
            "--unanswerable",
            min=0,
            help="Unanswerable questions to add to test.jsonl (topics no document mentions).",
        ),
        seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the per-chunk draw and the split."),
        cmd: Invocation = None,
    ) -> None:
        """Write grounded training pairs and a test set from documents, verified against their chunks."""
        from chatforge.rag.synth import synth

        cfg = cmd.config(
            unanswerable=unanswerable,
            seed=seed,
            **{"teacher.model": teacher, "teacher.backend_url": backend_url, "teacher.backend_model": backend_model},
        )
        r = synth(inputs or [], index, out, cfg, exclude_testset=exclude_testset)  # progress on stderr, --json or not
        warnings = [f"{x['source']}: {x['reason']}" for x in r["rejected"]]
        short = cfg.unanswerable - r["unanswerable"]
        if short > 0:
            warnings.append(
                f"only {r['unanswerable']} of {cfg.unanswerable} unanswerable questions: the documents "
                "mention the other topics"
            )
        for w in warnings:
            stderr.print(f"warning: {w}", style="yellow", markup=False, highlight=False, soft_wrap=True)
        summary = {
            k: r[k]
            for k in (
                "documents",
                "chunks",
                "candidates",
                "verified",
                "verified_share",
                "pairs",
                "train",
                "val",
                "test",
                "unanswerable",
                "removed",
                "kinds",
                "languages",
                "teacher",
                "paths",
            )
        }
        summary |= {"ok": True, "rejected": len(r["rejected"]), "warnings": warnings}
        teacher_line = ""
        if r["teacher"]:
            t = r["teacher"]
            teacher_line = (
                f"\nteacher {redact_url(str(t['model']))}: {t['teacher_requests']} requests, "
                f"{t['teacher_unparsed']} unparsed, {t['teacher_invalid_items']} invalid items, "
                f"{t['teacher_errors']} errors"
            )
        human = (
            f"{r['documents']} documents, {r['chunks']} chunks: {r['candidates']} candidate pairs, "
            f"{r['verified']} verified ({r['verified_share']:.0%}), {r['pairs']} kept after de-duplication\n"
            f"train {r['train']}, val {r['val']}, test {r['test']} (unanswerable {r['unanswerable']}); "
            f"removed: "
            + (", ".join(f"{k} {v}" for k, v in sorted(r["removed"].items())) or "none")
            + teacher_line
            + f"\nreport: {r['paths']['report_html']}"
        )
        cmd.emit(summary, human)
