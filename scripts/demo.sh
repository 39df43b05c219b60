#!/usr/bin/env bash
# The main job on the shipped example (called by `make demo`): the longest end-to-end path that exists.
#   prepare data -> ingest the knowledge base (RAG) -> retrieval eval -> LoRA SFT of the default base
#   -> merged export -> evaluation base vs tuned, RAG off and on -> how to serve it.
# Re-running is cheap where the stages allow it: ingest is incremental, eval resumes its generations.
# Sizes are kept laptop-CPU friendly; raise DEMO_SFT_STEPS / DEMO_EVAL_ITEMS for a fuller run.
set -euo pipefail
CF=${CF:-.venv/bin/chatforge}
DOMAIN=${DOMAIN:-examples/hirondelle-air}
RUN=${RUN:-runs/demo}
SFT_STEPS=${DEMO_SFT_STEPS:-10}
EVAL_ITEMS=${DEMO_EVAL_ITEMS:-8}
start=$(date +%s)
step() { printf '\n\033[1m== %s (%ss)\033[0m\n' "$1" "$(( $(date +%s) - start ))" >&2; }

step "1/5 data prepare"
$CF data prepare "$DOMAIN/faq.jsonl" "$DOMAIN"/logs/*.jsonl "$DOMAIN"/logs/*.csv "$DOMAIN/knowledge" \
    --config "$DOMAIN/prepare.yaml" --augment 1 --out "$RUN/data"

step "2/5 rag ingest + retrieval eval"
$CF rag ingest "$DOMAIN/knowledge" --index "$RUN/index"
$CF rag eval --index "$RUN/index" --testset "$DOMAIN/testset.jsonl" --out "$RUN/rag_eval.json"

step "3/5 LoRA SFT of the default base (Gemma 3 270M) for $SFT_STEPS steps"
$CF train sft --model default --data "$RUN/data" --out "$RUN/sft" --method lora --max-steps "$SFT_STEPS" \
    --replay "$DOMAIN/general/general_chat.jsonl" --replay-ratio 0.1 --max-seq-len 256 --overwrite

$CF export --model "$RUN/sft" --out "$RUN/model" --merge

step "4/5 evaluation: base vs tuned, RAG off and on ($EVAL_ITEMS items)"
$CF eval --model default --model "$RUN/model" --testset "$DOMAIN/testset.jsonl" --out "$RUN/eval" \
    --index "$RUN/index" --role public --max-items "$EVAL_ITEMS" \
    --set max_new_tokens=40 --set robustness_items=3 --set "robustness_kinds=[typos,no_accents]" \
    --set bias_items=2 --set "suites=[hallucination,consistency,robustness,bias,ab,resources,errors]"

step "5/5 done in $(( $(date +%s) - start ))s"
cat >&2 <<TXT
reports:
  data        $RUN/data/report.html
  retrieval   $RUN/rag_eval.json
  fine-tuning $RUN/sft/metrics.json
  evaluation  $RUN/eval/report.html
serve it:
  $CF keys create --user demo --roles public,admin --db $RUN/serve.db
  $CF serve --model $RUN/model --index $RUN/index --db $RUN/serve.db --port 8000   # web chat at http://127.0.0.1:8000/
TXT
