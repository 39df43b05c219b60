"""CPU time of one decoding step at 1 and 8 rows: the ceiling of batched serving, LM head column-major vs row-major.

    .venv/bin/python benchmarks/decode_step.py [--model default|tiny|DIR] [--steps 8] [--repeats 3]

The model decodes `--steps` greedy steps after a 40-token prompt, with a KV cache, at 1 row and at 8
rows, as `chatforge serve`'s transformers engine does (1 torch thread). Each step is timed in CPU time
of the calling thread (`time.thread_time`), which a busy shared machine disturbs far less than wall
time. `8 * t(1 row) / t(8 rows)` is how many times more tokens per CPU second 8 rows give than 1: the
most the 8-client ratio of benchmarks/serve_throughput.py can reach before prefill and HTTP costs.
chatforge = the LM head's weight stored column-major (what the engine does on CPU,
`serve/engines/transformers_engine.column_major_head`); baseline = the row-major layout transformers
loads (same values). The two layouts alternate, `--repeats` times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402


def step_cpu_ms(model, rows: int, steps: int) -> float:
    """Median thread CPU time in ms of one decoding step at `rows` rows."""
    import torch
    from transformers import DynamicCache

    g = torch.Generator().manual_seed(0)
    ids = torch.randint(10, 1000, (rows, 40), generator=g)
    mask = torch.ones_like(ids)
    cache = DynamicCache()
    out = model(input_ids=ids, attention_mask=mask, past_key_values=cache, use_cache=True, logits_to_keep=1)
    last, pos, times = out.logits[:, -1].argmax(-1), torch.full((rows,), 40), []
    for _ in range(steps):
        mask = torch.cat([mask, mask.new_ones(rows, 1)], dim=1)
        start = time.thread_time()
        out = model(
            input_ids=last[:, None],
            attention_mask=mask,
            position_ids=pos[:, None],
            past_key_values=cache,
            use_cache=True,
        )
        last, pos = out.logits[:, -1].argmax(-1), pos + 1
        times.append(time.thread_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--steps", type=int, default=8)
    add_repeats(ap)
    args = ap.parse_args()
    import torch
    from transformers.utils import logging

    from chatforge.models.load import load_model
    from chatforge.models.tiny import build_tiny_model
    from chatforge.serve.engines.transformers_engine import column_major_head

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    torch.set_num_threads(1)
    spec = args.model
    if spec == "tiny":
        spec = str(build_tiny_model(Path(tempfile.mkdtemp(prefix="decode-step-")) / "tiny", context_length=512))
    model, _ = load_model(spec, device="cpu")
    model.eval()
    weight = model.get_output_embeddings().weight
    row_major = weight.data
    column_major_head(model)
    layouts = {"column_major": weight.data, "row_major": row_major}

    def measure(layout: str):
        def run() -> dict:
            weight.data = layouts[layout]
            with torch.inference_mode():
                one, eight = step_cpu_ms(model, 1, args.steps), step_cpu_ms(model, 8, args.steps)
            return {
                "step_ms_1_row": one,
                "step_ms_8_rows": eight,
                "cost_8_rows_in_1_row_steps": eight / one,
                "tokens_per_cpu_s_gain_8_rows": 8 * one / eight,
            }

        return run

    runs = interleave({"column_major": measure("column_major"), "row_major": measure("row_major")}, args.repeats)
    emit(
        summary(
            "decode_step",
            "tokens per CPU second, 8 rows / 1 row (the batched-serving ceiling)",
            runs,
            value="tokens_per_cpu_s_gain_8_rows",
            ours="column_major",
            baseline="row_major",
            baseline_is="the LM head as transformers loads it (row-major [vocab, hidden]), same values",
            ratio_is="ceiling with the column-major head / ceiling with the row-major head",
            model=args.model,
            lm_head=list(weight.shape),
        )
    )


if __name__ == "__main__":
    main()
