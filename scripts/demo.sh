#!/usr/bin/env bash
# The main job (called by `make demo`): the example domain's pipeline, raw files to a served chatbot.
#   prepare -> LoRA SFT of the default base (Gemma 3 270M) -> reward model -> DPO -> merged export
#   -> RAG ingest + retrieval eval -> evaluation base vs tuned, RAG off/on -> register -> promote -> key -> serve
# The admin key is written to $RUN/admin.key (mode 0600, a fresh one each run), never to a log: the runner names
# the file and prints a curl line that reads it.
# Every stage is cached on its inputs and resumes after a kill (see `chatforge run --help`);
# PROFILE=tiny runs the same graph on a tiny model trained on the spot. Extra arguments go to `chatforge run`
# (e.g. --until eval, --force sft, --set stages.sft.with.max-steps=50).
set -euo pipefail
CF=${CF:-.venv/bin/chatforge}
DOMAIN=${DOMAIN:-examples/hirondelle-air}
RUN=${RUN:-runs/demo}
PROFILE=${PROFILE:-}
start=$(date +%s)
trap 'echo "demo: $(( $(date +%s) - start )) s on $(uname -m), $(nproc) cores" >&2' EXIT
exec_args=("$DOMAIN/pipeline.yaml" --out "$RUN${PROFILE:+-$PROFILE}")
[ -n "$PROFILE" ] && exec_args+=(--profile "$PROFILE")
$CF run "${exec_args[@]}" "$@"
