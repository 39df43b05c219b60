"""The `chatforge` command line: parse options, load the typed config, call the stage function.

No stage logic lives here. Every command takes `--config FILE.yaml`, repeated
`--set key=value` and `--json` (the last stdout line is then one JSON object).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from chatforge.config import ConfigError, config_help, load_config
from chatforge.data.records import InputError
from chatforge.output import emit, stderr, fail as _fail

STAGES = """\b
Stages of a bot's life (✓ available):
  ✓ data prepare   collect, clean, de-duplicate, redact, filter, split, format, augment
  ✓ models         load, inspect, recommend; generate, chat; pretrain / continue-pretrain; eval perplexity
  ✓ train          sft (full, LoRA, QLoRA, DoRA, freeze), rm, rl, dpo, kto
  ✓ rag, ask       ingest documents into Qdrant, hybrid retrieval with roles and citations, grounded answers
  ✓ eval           sceptical reports: base vs tuned, RAG on/off, robustness, bias
  ✓ serve          OpenAI-compatible API and web chat, keys and roles, A/B, feedback
  ✓ annotate       human ranking, flagging and correction campaigns; export as rm/dpo/sft/kto data
  ✓ run            whole pipelines (pipeline.yaml) with caching, resume, registry and promotion gates
  ✓ registry, loop versions with lineage, promotion gate, hot swap in serve; a feedback round end to end
  ✓ store, users   retention purge of old conversations; erasure of one user's data (names models to retrain)
"""

app = typer.Typer(help="chatforge: build, prove, deploy and improve a specialised chatbot.",
                  epilog=STAGES, no_args_is_help=True, rich_markup_mode=None, add_completion=False)
data_app = typer.Typer(help="Prepare training data: clean, de-duplicate, redact, filter, split, format.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")
from chatforge.rag.commands import app as rag_app, ask_cmd  # noqa: E402
app.add_typer(rag_app, name="rag")
app.command("ask", help="Retrieve, build the grounded prompt, generate; print the answer with its sources.")(ask_cmd)
from chatforge.models.commands import register as register_models  # noqa: E402
register_models(app)  # models, generate, chat, pretrain, eval perplexity
from chatforge.eval.commands import register as register_eval  # noqa: E402
register_eval(app)  # eval --model ... (full report) on the same group as eval perplexity
from chatforge.train.commands import register as register_train  # noqa: E402
register_train(app)  # train sft, export
from chatforge.serve.commands import register as register_serve  # noqa: E402
register_serve(app)  # serve, keys, feedback export, ab report
from chatforge.annotate.commands import register as register_annotate  # noqa: E402
register_annotate(app)  # annotate create, assign, list, export, report
from chatforge.pipeline.commands import register as register_pipeline  # noqa: E402
register_pipeline(app)  # registry register/promote/set-gate/list/show, loop
from chatforge.pipeline.run_commands import register as register_run  # noqa: E402
register_run(app)  # run PIPELINE.yaml
from chatforge.pipeline.privacy_commands import register as register_privacy  # noqa: E402
register_privacy(app)  # store purge, users erase, users erasures

ConfigOpt = typer.Option(None, "--config", help="YAML file with the stage config.")
SetOpt = typer.Option(None, "--set", help="Override one config field: key=value (repeatable, dotted keys).")
JsonOpt = typer.Option(False, "--json", help="Print a one-line JSON summary as the last stdout line.")


@data_app.command("prepare")
def data_prepare(
    inputs: list[Path] = typer.Argument(None, help="Files or folders: JSONL, JSON, CSV, TXT, MD, HTML, PDF, DOCX."),
    out: Path = typer.Option(..., "--out", help="Output folder for train/val/test.jsonl, corpus.jsonl and the report."),
    format: Optional[str] = typer.Option(None, "--format", help="Force the record shape of JSON/JSONL inputs: messages, sharegpt, alpaca, prompt_completion, qa."),
    augment: Optional[int] = typer.Option(None, "--augment", help="Rule-based paraphrase variants per training question."),
    strict: Optional[bool] = typer.Option(None, "--strict/--no-strict", help="Exit non-zero if any input item is rejected."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Split seed."),
    show_config: bool = typer.Option(False, "--show-config", help="List every config field with its default and help, then exit."),
    config: Optional[Path] = ConfigOpt,
    set_: Optional[list[str]] = SetOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Clean, de-duplicate, redact, filter and split conversations and documents."""
    from chatforge.data.prepare import PrepareConfig, prepare

    if show_config:
        for name, default, help_text in config_help(PrepareConfig):
            typer.echo(f"{name} = {default}\n    {help_text}")
        return
    try:
        cfg = load_config(PrepareConfig, config, set_, format=format, augment=augment, strict=strict,
                          **{"split.seed": seed})
        report = prepare(inputs or [], out, cfg, progress=not as_json)
    except (ConfigError, InputError) as exc:
        _fail(str(exc), as_json)
        return
    summary = {k: report[k] for k in ("records_in", "records_out", "removed", "pii_redacted", "languages",
                                      "splits", "documents", "augmented", "records_per_s")}
    summary["rejected"] = len(report["rejected"])
    summary["warnings"] = report["warnings"]  # empty input files, by name
    summary["paths"] = report["paths"]
    summary["ok"] = not (cfg.strict and report["rejected"])
    human = (f"{report['records_in']} records in, {report['records_out']} out "
             f"(train {report['splits']['train']}, val {report['splits']['val']}, test {report['splits']['test']}, "
             f"documents {report['documents']}); removed {sum(report['removed'].values())}, "
             f"rejected {len(report['rejected'])}, PII redacted {report['pii_redacted']}\n"
             f"report: {report['paths']['report_html']}")
    for warning in report["warnings"]:
        stderr.print(f"warning: {warning}", style="yellow", markup=False, highlight=False, soft_wrap=True)
    emit(summary, as_json, human)
    if cfg.strict and report["rejected"]:
        stderr.print(f"[red]strict:[/red] {len(report['rejected'])} input item(s) rejected (see report.json)")
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point alias
    app()


if __name__ == "__main__":  # python -m chatforge.cli
    app()
