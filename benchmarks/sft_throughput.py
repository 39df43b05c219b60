"""SFT throughput: chatforge's LoRA SFT vs a plain TRL `SFTTrainer` with its defaults; and LoRA vs full peak memory.

    .venv/bin/python benchmarks/sft_throughput.py [--model tiny|default|PATH] [--steps 12] [--batch 8]
    .venv/bin/python benchmarks/sft_throughput.py --model default --steps 4 --memory   # + LoRA vs full RSS

Data: the example FAQ plus the general chat set (short and long turns mixed, as real support
data is). Both sides train the same model with the same LoRA adapters (chatforge's per-family
defaults), batch size, step count, max length and seed. The baseline is what a user gets from
`SFTTrainer(model, args=SFTConfig(...), train_dataset=..., peft_config=...)` with TRL's defaults:
random batches padded to their longest row. chatforge groups conversations of similar length
into a batch (`group_by_length`, on by default), so far less of the compute goes on padding.
Metric: real (non-padding) training tokens per second, as TRL counts them (attention-mask sum);
the sides alternate for `--repeats` rounds and the best round of each is kept (shared machines
are noisy).

`--memory` also runs `chatforge train sft` with `--method lora` and `--method full` in fresh
processes on the same model and prints both peak RSS values and their ratio.
`--model tiny` (default) is a 4-layer Llama built on the fly so the ratio takes a minute;
`--model default` is Gemma 3 270M (minutes per step on 2 CPU cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "hirondelle-air"


def conversations() -> list[list[dict]]:
    from chatforge.train.chat_data import read_chats

    chats = []
    for f in (EXAMPLE / "faq.jsonl", EXAMPLE / "general" / "general_chat.jsonl"):
        chats += read_chats(f)[0]
    return chats


def model_path(spec: str, chats, workdir: Path) -> str:
    if spec != "tiny":
        return spec
    from chatforge.models.tiny import build_tiny_model

    texts = [m["content"] for c in chats for m in c]
    return str(build_tiny_model(workdir / "tiny", texts, vocab_size=2048, n_layer=4, n_embd=256, n_head=4,
                                context_length=512))


def write_data(chats, path: Path) -> Path:
    path.write_text("\n".join(json.dumps({"messages": c}, ensure_ascii=False) for c in chats), encoding="utf-8")
    return path


def run_chatforge(data: Path, model: str, args) -> dict:
    from chatforge.train.sft import SFTConfig, sft

    cfg = SFTConfig(model=model, method="lora", max_steps=args.steps, batch_size=args.batch, max_seq_len=args.max_len,
                    eval_every=10_000, checkpoint_every=10_000, mlflow=False, val_fraction=0.02, seed=0,
                    general_text=[str(EXAMPLE / "general" / "general_fr.txt")])
    with tempfile.TemporaryDirectory() as out:
        m = sft(data, Path(out) / "sft", cfg, progress=False, write_outputs=False)
    return {"tokens_per_s": m["tokens_per_s"], "seconds": m["train_seconds"], "train_loss": m["train_loss"]}


def run_trl_defaults(data: Path, model: str, args) -> dict:
    """The plain recipe: TRL's SFTTrainer and SFTConfig defaults, same model, adapters, batch, steps, length."""
    import torch
    from datasets import Dataset
    from transformers import PrinterCallback
    from trl import SFTConfig, SFTTrainer

    from chatforge.models.load import load_model
    from chatforge.train import peft_setup
    from chatforge.train.chat_data import load_chat_data

    chats = load_chat_data(data, 0.02)  # the same train split chatforge uses
    base, tok = load_model(model)
    peft_config = peft_setup.lora_config("lora", base.config.model_type, 16, 32, 0.05)
    with tempfile.TemporaryDirectory() as out:
        targs = SFTConfig(output_dir=out, max_steps=args.steps, per_device_train_batch_size=args.batch,
                          max_length=args.max_len, learning_rate=2e-4, seed=0, report_to=[], save_strategy="no",
                          use_cpu=not torch.cuda.is_available(), disable_tqdm=True, logging_steps=args.steps)
        torch.manual_seed(0)
        trainer = SFTTrainer(model=base, args=targs, processing_class=tok, peft_config=peft_config,
                             train_dataset=Dataset.from_list([{"messages": c} for c in chats.train]))
        trainer.remove_callback(PrinterCallback)
        t0 = time.perf_counter()
        result = trainer.train()
        seconds = time.perf_counter() - t0
    tokens = getattr(trainer, "_total_train_tokens", 0)
    return {"tokens_per_s": round(tokens / seconds, 1), "seconds": round(seconds, 2), "train_loss": result.training_loss}


def peak_rss(method: str, data: Path, model: str, args, workdir: Path) -> float:
    cmd = [str(Path(sys.executable).parent / "chatforge"), "train", "sft", "--model", model, "--data", str(data),
           "--out", str(workdir / f"mem-{method}"), "--method", method, "--max-steps", str(min(args.steps, 2)),
           "--max-seq-len", str(args.max_len), "--set", f"batch_size={args.batch}", "--set", "mlflow=false",
           "--set", "eval_every=1000", "--set", "checkpoint_every=1000", "--overwrite", "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{method} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny", help="tiny (built on the fly), default (Gemma 3 270M) or a path / hub id")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--max-len", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=2, help="Alternating rounds; the best of each side is kept.")
    parser.add_argument("--memory", action="store_true", help="Also measure peak RSS of LoRA vs full fine-tuning.")
    args = parser.parse_args()
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    chats = conversations()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = write_data(chats, work / "chats.jsonl")
        model = model_path(args.model, chats, work)
        runs: dict[str, list[dict]] = {"ours": [], "trl": []}
        for _ in range(args.repeats):  # alternate the sides so a burst of load on a shared machine hits both
            runs["ours"].append(run_chatforge(data, model, args))
            runs["trl"].append(run_trl_defaults(data, model, args))
        ours, trl = (max(v, key=lambda x: x["tokens_per_s"]) for v in runs.values())
        memory = None
        if args.memory:
            lora, full = peak_rss("lora", data, model, args, work), peak_rss("full", data, model, args, work)
            memory = {"lora_peak_rss_mb": lora, "full_peak_rss_mb": full, "full_over_lora": round(full / lora, 2)}
    print(json.dumps({"chatforge": ours, "trl_defaults": trl, "peak_memory": memory, "conversations": len(chats), **vars(args)}))
    print(json.dumps({
        "benchmark": "sft_throughput", "metric": "real_training_tokens_per_s", "value": ours["tokens_per_s"],
        "baseline": trl["tokens_per_s"], "baseline_is": "TRL SFTTrainer defaults (random batches padded to the longest row)",
        "ratio": round(ours["tokens_per_s"] / trl["tokens_per_s"], 2),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, torch CPU, Python {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
