"""Pretraining throughput: chatforge's packed loop vs a plain transformers `Trainer`, same model, data and steps.

    .venv/bin/python benchmarks/pretrain_throughput.py [--steps 30] [--batch 8] [--context 256] [--repeats 3]

Data: the example knowledge base (examples/hirondelle-air/knowledge, .md files) cut into
paragraphs, i.e. many short documents. Both sides use the same byte-level BPE tokenizer,
the same Llama config and seed, AdamW with cosine schedule and warm-up, batch and step count.
The baseline is the usual recipe: one document per row, truncated and padded to the context,
`DataCollatorForLanguageModeling(mlm=False)`. chatforge packs documents into full windows, so
every token it computes is a real one. Metric: real (non-padding) training tokens per second.
The headline baseline pads each batch to its longest row (the collator's default, the stronger
baseline); padding every row to the full context is reported beside it. The sides alternate for
`--repeats` rounds (default 3) and the medians are kept, with the ratio's min and max.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

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
    cfg = PretrainConfig(
        n_layer=args.layers,
        n_embd=args.embd,
        n_head=4,
        vocab_size=args.vocab,
        context_length=args.context,
        batch_size=args.batch,
        max_steps=args.steps,
        warmup_steps=5,
        eval_every=args.steps,
        checkpoint_every=args.steps,
        learning_rate=1e-3,
        val_fraction=0.05,
    )
    m = pretrain([corpus], workdir / "chatforge", cfg, progress=False)
    return {
        "tokens_per_s": m["tokens_per_s"],
        "seconds": m["train_seconds"],
        "real_tokens": args.steps * args.batch * args.context,
        "final_loss": round(m["final_loss"], 4),
        "padding_share": 0.0,
    }


def run_trainer(texts: list[str], args, workdir: Path, pad_to_max: bool) -> dict:
    import torch
    from transformers import AutoTokenizer, DataCollatorForLanguageModeling, Trainer, TrainingArguments

    from chatforge.models.tiny import tiny_llama

    tok = AutoTokenizer.from_pretrained(workdir / "chatforge")  # the tokenizer chatforge trained: same vocabulary
    split = int(len(texts) * 0.95)
    rows = [
        {"input_ids": ids}
        for ids in tok([t + tok.eos_token for t in texts[:split]], truncation=True, max_length=args.context)[
            "input_ids"
        ]
    ]
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

    targs = TrainingArguments(
        output_dir=str(workdir / "trainer"),
        max_steps=args.steps,
        per_device_train_batch_size=args.batch,
        learning_rate=1e-3,
        lr_scheduler_type="cosine",
        warmup_steps=5,
        weight_decay=0.1,
        adam_beta2=0.95,
        max_grad_norm=1.0,
        logging_steps=args.steps,
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        dataloader_num_workers=0,
        seed=1337,
        disable_tqdm=True,
    )
    trainer = Trainer(model=model, args=targs, train_dataset=rows, data_collator=pad_to_context)
    start = time.perf_counter()
    out = trainer.train()
    seconds = time.perf_counter() - start
    real = args.steps * args.batch * real_per_row
    computed = args.context if pad_to_max else None
    return {
        "tokens_per_s": round(real / seconds, 1),
        "seconds": round(seconds, 3),
        "real_tokens": int(real),
        "final_loss": round(out.training_loss, 4),
        "padding_share": round(1 - real_per_row / computed, 3) if computed else "dynamic (pad to longest in batch)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--context", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--embd", type=int, default=128)
    parser.add_argument("--vocab", type=int, default=2048)
    add_repeats(parser)
    args = parser.parse_args()
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    texts = paragraphs()
    with tempfile.TemporaryDirectory() as tmp:
        round_dir: list[Path] = []  # the trainer sides reuse the tokenizer chatforge trained in the same repeat

        def ours() -> dict:
            round_dir.append(Path(tempfile.mkdtemp(dir=tmp)))
            return run_chatforge(texts, args, round_dir[-1])

        runs = interleave(
            {
                "chatforge": ours,
                "trainer_dynamic_padding": lambda: run_trainer(texts, args, round_dir[-1], pad_to_max=False),
                "trainer_max_length_padding": lambda: run_trainer(texts, args, round_dir[-1], pad_to_max=True),
            },
            args.repeats,
        )
    padded = summary("x", "x", runs, value="tokens_per_s", baseline="trainer_max_length_padding")
    emit(
        summary(
            "pretrain_throughput",
            "real_training_tokens_per_s",
            runs,
            value="tokens_per_s",
            baseline="trainer_dynamic_padding",
            baseline_is="transformers Trainer, one document per row, padded to the longest in its batch (the "
            "collator's default and its fastest choice here; padding to the context is reported beside it)",
            ratio_is="chatforge / Trainer (dynamic padding), real tokens per second",
            ratio_vs_max_length_padding=padded["ratio_median"],
            documents=len(texts),
            setup={k: v for k, v in vars(args).items() if k != "repeats"},
        )
    )


if __name__ == "__main__":
    main()
