"""LM head at labelled positions only vs full logits: time and peak RSS of LoRA SFT steps (forward + backward).

    .venv/bin/python benchmarks/lm_head.py [--model default|tiny|PATH] [--batch 8] [--steps 3] [--repeats 3]

One batch of the example conversations (FAQ + general chats, chat template, assistant-only labels, padded
to its longest row) goes through the model with LoRA adapters three ways, each in a fresh process so its
peak RSS is its own:

- `full_logits`: the model's own forward with `labels` (fp32 `[batch, seq, vocab]` logits and their gradient);
- `trl_all_positions`: TRL's fused LM head as its trainers run it on CPU (tiles, but every position projected);
- `labelled_only`: chatforge's path (models/label_logits.py): only positions whose next token is labelled.

The loss of the three is printed (equal to float rounding). Metric: seconds per step (median over the steps
after a warm-up step) and peak RSS; ratios against the full logits.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

WAYS = ("labelled_only", "trl_all_positions", "full_logits")


def batch(tokenizer, size: int, max_len: int):
    """The first `size` example conversations as one padded batch with assistant-only labels."""
    import torch
    from sft_throughput import conversations

    rows = []
    for chat in conversations()[:size]:
        enc = tokenizer.apply_chat_template(chat, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
        ids, keep = enc["input_ids"][:max_len], enc["assistant_masks"][:max_len]
        rows.append((ids, [t if k else -100 for t, k in zip(ids, keep)]))
    width = max(len(ids) for ids, _ in rows)
    x = torch.full((len(rows), width), tokenizer.pad_token_id)
    labels = torch.full((len(rows), width), -100)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (ids, lab) in enumerate(rows):
        x[i, : len(ids)], labels[i, : len(ids)], mask[i, : len(ids)] = torch.tensor(ids), torch.tensor(lab), 1
    return x, mask, labels


def run_way(way: str, args) -> dict:
    """Steps of one way in this process: seconds per step, loss, labelled share, peak RSS."""
    import statistics

    import torch
    from peft import get_peft_model
    from trl.trainer.utils import add_fused_lm_head

    from chatforge.models.label_logits import label_nll
    from chatforge.models.load import load_model
    from chatforge.train import peft_setup

    model, tok = load_model(args.model)
    if way == "trl_all_positions":
        add_fused_lm_head(model)
    torch.manual_seed(0)
    model = get_peft_model(model, peft_setup.lora_config("lora", model.config.model_type, 16, 32, 0.0))
    model.train()
    x, mask, labels = batch(tok, args.batch, args.max_len)
    times, loss = [], None
    for _ in range(args.steps + 1):  # the first step warms up allocators and kernels
        t0 = time.perf_counter()
        if way == "full_logits":
            loss = model(input_ids=x, attention_mask=mask, labels=labels).loss
        elif way == "trl_all_positions":
            loss = model(input_ids=x, attention_mask=mask, labels=labels, fused_lm_head=True).loss
        else:
            loss = label_nll(model, x, labels, mask)
        loss.backward()
        model.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 2**20)
    return {
        "s_per_step": round(statistics.median(times[1:]), 3),
        "loss": round(loss.item(), 6),
        "positions": int(mask.sum()),
        "labelled": int((labels[:, 1:] != -100).sum()),
        "peak_rss_mb": round(rss, 1),
    }


def measure(way: str, args) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--way",
        way,
        "--model",
        args.model,
        "--batch",
        str(args.batch),
        "--steps",
        str(args.steps),
        "--max-len",
        str(args.max_len),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{way} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--max-len", type=int, default=512)
    parser.add_argument("--way", choices=WAYS, help="(internal) run one way and print its JSON line.")
    add_repeats(parser)
    args = parser.parse_args()
    if args.way:
        print(json.dumps(run_way(args.way, args)))
        return
    if args.model == "tiny":
        import tempfile

        from sft_throughput import conversations, model_path

        args.model = model_path("tiny", conversations(), Path(tempfile.mkdtemp()))
    runs = interleave({w: functools.partial(measure, w, args) for w in WAYS}, args.repeats)

    def ratio(key: str, other: str) -> float:
        return round(
            sorted(a[key] / b[key] for a, b in zip(runs["labelled_only"], runs[other]))[len(runs[other]) // 2], 3
        )

    emit(
        summary(
            "lm_head",
            "seconds_per_step",
            runs,
            value="s_per_step",
            ours="labelled_only",
            baseline="full_logits",
            baseline_is="the model's own forward with labels: fp32 [batch, seq, vocab] logits",
            ratio_is="labelled-only / full-logits seconds per step (lower is better)",
            peak_rss_ratio_vs_full_logits=ratio("peak_rss_mb", "full_logits"),
            ratio_vs_trl_all_positions=ratio("s_per_step", "trl_all_positions"),
            peak_rss_ratio_vs_trl_all_positions=ratio("peak_rss_mb", "trl_all_positions"),
            setup={"model": args.model, "batch": args.batch, "steps": args.steps, "max_len": args.max_len},
        )
    )


if __name__ == "__main__":
    main()
