"""The `chatforge` command line: the table of commands, each added by its stage's `commands` module.

No stage logic lives here, nor option declarations: `chatforge.command` gives every command
`--json` (its summary a typed result declared with the stage, `chatforge/<stage>/results.py`) and the error contract, and stage commands `--config FILE.yaml`, repeated
`--set key=value` and `--show-config`. `chatforge --debug ...` shows the traceback of an
unexpected error (a bug) instead of its one-line summary.
"""

from __future__ import annotations

import os
import sys

import typer

if not sys.stderr.isatty():
    # Off a terminal the libraries' own bars ("Loading weights", dataset maps) are carriage-return noise in logs;
    # chatforge's commands print their progress as plain lines there (output.progress_bar). Read at their import.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")

import chatforge.registry  # noqa: F401  every stage's --model accepts registry:NAME@REF (models/load.py's hook)
from chatforge.annotate.commands import register as register_annotate
from chatforge.command import set_debug
from chatforge.data.commands import app as data_app, register as register_data
from chatforge.eval.commands import register as register_eval
from chatforge.models.commands import register as register_models
from chatforge.pipeline.commands import register as register_pipeline
from chatforge.pipeline.privacy_commands import register as register_privacy
from chatforge.pipeline.run_commands import register as register_run
from chatforge.rag.commands import register as register_rag
from chatforge.rag.synth_commands import register as register_synth
from chatforge.serve.commands import register as register_serve
from chatforge.train.commands import register as register_train

STAGES = """\b
Stages of a bot's life (✓ available):
  ✓ data prepare   collect, clean, de-duplicate, redact, filter, split, format, augment
  ✓ models         load, inspect, recommend; generate, chat
  ✓ train          pretrain / continue-pretrain; sft (full, LoRA, QLoRA, DoRA, freeze), rm, rl, dpo, kto
  ✓ rag, ask       ingest documents into Qdrant, hybrid retrieval with roles and citations, grounded answers
  ✓ eval           sceptical reports: base vs tuned, RAG on/off, robustness, bias; eval perplexity
  ✓ serve          OpenAI-compatible API and web chat, keys and roles, A/B, feedback
  ✓ annotate       human ranking, flagging and correction campaigns; export as rm/dpo/sft/kto data
  ✓ run            whole pipelines (pipeline.yaml) with caching, resume, registry and promotion gates
  ✓ registry, loop versions with lineage, promotion gate, hot swap in serve; a feedback round end to end
  ✓ store, users   retention purge of old conversations; erasure of one user's data (names models to retrain)
"""

app = typer.Typer(
    help="chatforge: build, prove, deploy and improve a specialised chatbot.",
    epilog=STAGES,
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an unexpected error (a bug)."),
) -> None:
    """chatforge: build, prove, deploy and improve a specialised chatbot."""
    set_debug(debug)


register_data(app)  # data prepare
register_synth(data_app)  # data synth (its home is rag: it needs the index and the verifier)
register_rag(app)  # rag ingest/query/eval/ask, ask
register_models(app)  # models inspect/recommend, generate, chat
register_train(app)  # train sft/rm/dpo/kto/rl, pretrain, export
register_eval(app)  # eval (full report), eval perplexity
register_serve(app)  # serve, keys, feedback export, ab report
register_annotate(app)  # annotate create/assign/list/export/report
register_pipeline(app)  # registry register/promote/set-gate/list/show, loop
register_run(app)  # run PIPELINE.yaml
register_privacy(app)  # store purge, users erase, users erasures


def main() -> None:  # pragma: no cover - console entry point alias
    app()


if __name__ == "__main__":  # python -m chatforge.cli
    app()
