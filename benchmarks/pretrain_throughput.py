"""Pretraining throughput: chatforge's packed loop vs a plain transformers `Trainer`, same model, data and steps.

    .venv/bin/python benchmarks/pretrain_throughput.py [--steps 40] [--batch 8] [--context 256]

Data: the example knowledge base (examples/hirondelle-air/knowledge, .md files) cut into
paragraphs, i.e. many short documents. Both sides use the same byte-level BPE tokenizer,
the same Llama config and seed, AdamW with cosine schedule and warm-up, batch and step count.
The baseline is the usual recipe: one document per row, truncated and padded to the context,
`DataCollatorForLanguageModeling(mlm=False)`. chatforge packs documents into full windows, so
every token it computes is a real one. Metric: real (non-padding) training tokens per second.
The headline baseline pads each batch to its longest row (the collator's default, the stronger
baseline); padding every row to the full context is reported beside it. The sides alternate for
`--repeats` rounds and the best round of each is kept (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "examples" / "hirondelle-air" / "knowledge"


def paragraphs() -> list[str]:
    from chatforge.models.tiny import SAMPLE_TEXT

    files = sorted(KNOWLEDGE.rglob("*.md")) if KNOWLEDGE.is_dir() else []
    texts = [p.strip() for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 20]
    return texts or [s.strip() + "." for s in (SAMPLE_TEXT * 200).split(".") if s.strip()]


def run_chatforge(texts: list[str], args, workdir: Path) -> dict:
    from chatforge.train.pretrain import PretrainConfig, pretrain

    corpus = workdir / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts), encoding="utf-8")
    cfg = PretrainConfig(n_layer=args.layers, n_embd=args.embd, n_head=4, vocab_size=args.vocab, context_length=args.context,
                         batch_size=args.batch, max_steps=args.steps, warmup_steps=5, eval_every=args.steps,
                         checkpoint_every=args.steps, learning_rate=1e-3, val_fraction=0.05)
    m = pretrain([corpus], workdir / "chatforge", cfg, progress=False)
    return {"tokens_per_s": m["tokens_per_s"], "seconds": m["train_seconds"], "real_tokens": args.steps * args.batch * args.context,
            "final_loss": round(m["final_loss"], 4), "padding_share": 0.0}


def run_trainer(texts: list[str], args, workdir: Path, pad_to_max: bool) -> dict:
    import torch
    from transformers import AutoTokenizer, DataCollatorForLanguageModeling, Trainer, TrainingArguments

    from chatforge.models.tiny import tiny_llama

    tok = AutoTokenizer.from_pretrained(workdir / "chatforge")  # the tokenizer chatforge trained: same vocabulary
    split = int(len(texts) * 0.95)
    rows = [{"input_ids": ids} for ids in tok([t + tok.eos_token for t in texts[:split]], truncation=True,
                                              max_length=args.context)["input_ids"]]
    real_per_row = sum(len(r["input_ids"]) for r in rows) / len(rows)
    model = tiny_llama(tok, args.layers, args.embd, 4, args.context, seed=1337)
    collator = DataCollatorForLanguageModeling(tok, mlm=False, pad_to_multiple_of=None)

    def pad_to_context(features):  # dynamic padding to the longest row, or the common padding="max_length"
        batch = collator(features)
        pad = args.context - batch["input_ids"].shape[1]
        if pad > 0 and pad_to_max:
            batch["input_ids"] = torch.nn.functional.pad(batch["input_ids"], (0, pad), value=tok.pad_token_id)
            batch["attention_mask"] = torch.nn.functional.pad(batch["attention_mask"], (0, pad), value=0)
            batch["labels"] = torch.nn.functional.pad(batch["labels"], (0, pad), value=-100)
        return batch

    targs = TrainingArguments(output_dir=str(workdir / "trainer"), max_steps=args.steps, per_device_train_batch_size=args.batch,
                              learning_rate=1e-3, lr_scheduler_type="cosine", warmup_steps=5, weight_decay=0.1,
                              adam_beta2=0.95, max_grad_norm=1.0, logging_steps=args.steps, save_strategy="no",
                              report_to=[], use_cpu=True, dataloader_num_workers=0, seed=1337, disable_tqdm=True)
    trainer = Trainer(model=model, args=targs, train_dataset=rows, data_collator=pad_to_context)
    start = time.perf_counter()
    out = trainer.train()
    seconds = time.perf_counter() - start
    real = args.steps * args.batch * real_per_row
    computed = args.context if pad_to_max else None
    return {"tokens_per_s": round(real / seconds, 1), "seconds": round(seconds, 3), "real_tokens": int(real),
            "final_loss": round(out.training_loss, 4),
            "padding_share": round(1 - real_per_row / computed, 3) if computed else "dynamic (pad to longest in batch)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--context", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--embd", type=int, default=128)
    parser.add_argument("--vocab", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=2, help="Alternating rounds; the best of each side is kept.")
    args = parser.parse_args()
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    texts = paragraphs()
    runs: dict[str, list[dict]] = {"ours": [], "base": [], "padded": []}
    for _ in range(args.repeats):  # alternate the sides so a burst of load on a shared machine hits both
        with tempfile.TemporaryDirectory() as tmp:
            runs["ours"].append(run_chatforge(texts, args, Path(tmp)))
            runs["base"].append(run_trainer(texts, args, Path(tmp), pad_to_max=False))
            runs["padded"].append(run_trainer(texts, args, Path(tmp), pad_to_max=True))
    ours, base, padded = (max(v, key=lambda x: x["tokens_per_s"]) for v in runs.values())
    print(json.dumps({"chatforge": ours, "trainer_dynamic_padding": base, "trainer_max_length_padding": padded,
                      "ratio_vs_max_length_padding": round(ours["tokens_per_s"] / padded["tokens_per_s"], 2),
                      "documents": len(texts), **vars(args)}))
    print(json.dumps({
        "benchmark": "pretrain_throughput", "metric": "real_training_tokens_per_s",
        "value": ours["tokens_per_s"], "baseline": base["tokens_per_s"],
        "baseline_is": "transformers Trainer, one document per row, padded to the longest in its batch",
        "ratio": round(ours["tokens_per_s"] / base["tokens_per_s"], 2),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, torch CPU, Python {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
