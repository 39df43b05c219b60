"""SFT throughput and peak memory: chatforge's LoRA SFT vs TRL's `SFTTrainer` at its defaults and at its best.

    .venv/bin/python benchmarks/sft_throughput.py [--model tiny|default|PATH] [--steps 12] [--batch 8] [--repeats 3]
    .venv/bin/python benchmarks/sft_throughput.py --model default --steps 4 --memory   # + LoRA vs full RSS

Data: the example FAQ plus the general chat set (short and long turns mixed, as real support data
is). Every contender trains the same model with the same LoRA adapters (chatforge's per-family
defaults), learning rate, batch size, step count, max length, seed and train split:

- `chatforge`: `chatforge.train.sft.sft` as `chatforge train sft` runs it (loss on assistant tokens,
  conversations of similar length batched together, the LM head projected only at labelled positions:
  models/label_logits.py), evaluations and general-text perplexity included in its peak memory;
- `trl_defaults`: `SFTTrainer(model, args=SFTConfig(...), train_dataset=..., peft_config=...)` as
  TRL's documentation starts it: random batches padded to their longest row, loss on every token;
- `trl_best`: TRL's speed settings with the same assistant-only loss as chatforge, each run: best-fit-
  decreasing packing (`packing=True`, which turns on `padding_free`: no padding at all; `trl_packed`) and
  batches of similar length (`train_sampling_strategy="group_by_length"`; `trl_grouped`). Per repeat the
  faster of the two is TRL's best (on CPU the packed row's attention runs over the whole flattened batch).

Every contender uses the same gradient checkpointing (`--gradient-checkpointing`, on by default as in TRL and
chatforge) and sees the same batches in the same order: chatforge seeds again before training, after its
evaluation, so its length-grouped batches are TRL's (the real-token counts of the two runs are equal).
`--contenders` picks who runs: the full set of `make bench` leaves `trl_packed` out, which on CPU ran at a
quarter of `trl_grouped`'s speed (14.5 against 54.3 tokens/s, 4 steps of the default model, 2026-12-03) and
would add an hour to the run.

Each contender runs in its own fresh process (`--contender NAME`, one JSON line), so its peak RSS is
its own; the contenders alternate for `--repeats` rounds (benchmarks/_harness.py: median, min, max). Metric: real
(non-padding) training tokens per second, as TRL counts them (attention-mask sum, or packed length).
The last line carries `ratio_vs_trl_best`, `peak_rss_ratio_vs_trl_best` and the same against the defaults.

`--memory` also runs `chatforge train sft` with `--method lora` and `--method full` in fresh processes.
`--model tiny` (default) is a 4-layer Llama built on the fly; `--model default` is Gemma 3 270M.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _harness import add_repeats, emit, interleave, spread, summary  # noqa: E402

EXAMPLE = ROOT / "examples" / "hirondelle-air"
CONTENDERS = ("chatforge", "trl_defaults", "trl_packed", "trl_grouped")
# TRL at its best: per repeat, the faster of its two speed settings (assistant-only loss, as chatforge trains)
TRL_BEST = ("trl_packed", "trl_grouped")


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
    return str(
        build_tiny_model(workdir / "tiny", texts, vocab_size=2048, n_layer=4, n_embd=256, n_head=4, context_length=512)
    )


def write_data(chats, path: Path) -> Path:
    path.write_text("\n".join(json.dumps({"messages": c}, ensure_ascii=False) for c in chats), encoding="utf-8")
    return path


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 2**20), 1)


def run_chatforge(data: Path, model: str, args) -> dict:
    from chatforge.train.sft import SFTConfig, sft

    cfg = SFTConfig(
        model=model,
        method="lora",
        max_steps=args.steps,
        batch_size=args.batch,
        max_seq_len=args.max_len,
        eval_every=10_000,
        checkpoint_every=10_000,
        mlflow=False,
        val_fraction=0.02,
        seed=0,
        general_text=[str(EXAMPLE / "general" / "general_fr.txt")],
        gradient_checkpointing=args.gradient_checkpointing == "on",
    )
    with tempfile.TemporaryDirectory() as out:
        m = sft(data, Path(out) / "sft", cfg, progress=False, write_outputs=False)
    return {"tokens_per_s": m["tokens_per_s"], "seconds": m["train_seconds"], "train_loss": m["train_loss_mean"]}


TRL_OPTIONS = {  # beside TRL's defaults, on every contender: same length, batch, steps, lr, seed, adapters
    "trl_defaults": {},
    "trl_packed": dict(packing=True, packing_strategy="bfd", assistant_only_loss=True),  # implies padding_free
    "trl_grouped": dict(train_sampling_strategy="group_by_length", assistant_only_loss=True),
}


def run_trl(data: Path, model: str, args, name: str) -> dict:
    """TRL's SFTTrainer on the same model, adapters, train split, batch, steps, length and seed, with TRL_OPTIONS[name]."""
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
        targs = SFTConfig(
            output_dir=out,
            max_steps=args.steps,
            per_device_train_batch_size=args.batch,
            max_length=args.max_len,
            learning_rate=2e-4,
            seed=0,
            report_to=[],
            save_strategy="no",
            use_cpu=not torch.cuda.is_available(),
            disable_tqdm=True,
            logging_steps=args.steps,
            gradient_checkpointing=args.gradient_checkpointing == "on",
            **TRL_OPTIONS[name],
        )
        torch.manual_seed(0)
        trainer = SFTTrainer(
            model=base,
            args=targs,
            processing_class=tok,
            peft_config=peft_config,
            train_dataset=Dataset.from_list([{"messages": c} for c in chats.train]),
        )
        trainer.remove_callback(PrinterCallback)
        t0 = time.perf_counter()
        result = trainer.train()
        seconds = time.perf_counter() - t0
    tokens = getattr(trainer, "_total_train_tokens", 0)
    return {
        "tokens_per_s": round(tokens / seconds, 1),
        "seconds": round(seconds, 2),
        "train_loss": result.training_loss,
    }


def run_contender(name: str, data: Path, model: str, args) -> dict:
    """One measurement of one contender in this process: tokens/s, seconds, loss and this process's peak RSS."""
    if name == "chatforge":
        row = run_chatforge(data, model, args)
    else:
        row = run_trl(data, model, args, name)
    return {**row, "peak_rss_mb": _peak_rss_mb()}


def measure(name: str, data: Path, model: str, args) -> dict:
    """One measurement of one contender in a fresh process (so the peak RSS is its alone)."""
    cmd = [
        sys.executable,
        __file__,
        "--contender",
        name,
        "--data",
        str(data),
        "--model",
        model,
        "--steps",
        str(args.steps),
        "--batch",
        str(args.batch),
        "--max-len",
        str(args.max_len),
        "--gradient-checkpointing",
        args.gradient_checkpointing,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss(method: str, data: Path, model: str, args, workdir: Path) -> float:
    cmd = [
        str(Path(sys.executable).parent / "chatforge"),
        "train",
        "sft",
        "--model",
        model,
        "--data",
        str(data),
        "--out",
        str(workdir / f"mem-{method}"),
        "--method",
        method,
        "--max-steps",
        str(min(args.steps, 2)),
        "--max-seq-len",
        str(args.max_len),
        "--set",
        f"batch_size={args.batch}",
        "--set",
        "mlflow=false",
        "--set",
        "eval_every=1000",
        "--set",
        "checkpoint_every=1000",
        "--overwrite",
        "--json",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{method} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def _ratios(runs: dict[str, list[dict]], key: str, baseline: str) -> dict | None:
    """median, min, max over the repeats of chatforge's `key` / the baseline's."""
    return spread([a[key] / b[key] for a, b in zip(runs["chatforge"], runs[baseline]) if a.get(key) and b.get(key)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", default="tiny", help="tiny (built on the fly), default (Gemma 3 270M) or a path / hub id"
    )
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--max-len", type=int, default=512)
    add_repeats(parser)
    parser.add_argument(
        "--gradient-checkpointing",
        choices=("on", "off"),
        default="on",
        help="The same for every contender: on (TRL's and chatforge's default) or off (faster, more memory).",
    )
    parser.add_argument(
        "--contenders",
        nargs="+",
        choices=CONTENDERS,
        default=list(CONTENDERS),
        help="Which to run (chatforge and at least one of TRL's speed settings); trl_packed is slow on CPU.",
    )
    parser.add_argument("--memory", action="store_true", help="Also measure peak RSS of LoRA vs full fine-tuning.")
    parser.add_argument(
        "--contender", choices=CONTENDERS, help="(internal) run one contender once and print its JSON line."
    )
    parser.add_argument("--data", help="(internal, with --contender) the conversations file.")
    args = parser.parse_args()
    import torch  # noqa: F401  (the machine record names torch's thread count)
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    if args.contender:
        print(json.dumps(run_contender(args.contender, Path(args.data), args.model, args)))
        return
    chats = conversations()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = write_data(chats, work / "chats.jsonl")
        model = model_path(args.model, chats, work)
        runs = interleave(
            {name: functools.partial(measure, name, data, model, args) for name in args.contenders}, args.repeats
        )
        best = [n for n in TRL_BEST if n in runs]
        runs["trl_best"] = [
            max(({**r, "setting": n} for n, r in zip(best, rows)), key=lambda r: r["tokens_per_s"])
            for rows in zip(*(runs[n] for n in best))
        ]
        memory = None
        if args.memory:
            lora, full = peak_rss("lora", data, model, args, work), peak_rss("full", data, model, args, work)
            memory = {"lora_peak_rss_mb": lora, "full_peak_rss_mb": full, "full_over_lora": round(full / lora, 2)}
    speed_best, speed_defaults = (
        _ratios(runs, "tokens_per_s", "trl_best"),
        _ratios(runs, "tokens_per_s", "trl_defaults"),
    )
    rss_best, rss_defaults = _ratios(runs, "peak_rss_mb", "trl_best"), _ratios(runs, "peak_rss_mb", "trl_defaults")
    emit(
        summary(
            "sft_throughput",
            "real_training_tokens_per_s",
            runs,
            value="tokens_per_s",
            baseline="trl_best",
            baseline_is="TRL SFTTrainer at its best on CPU: per repeat the faster of the speed settings run (BFD "
            f"packing, padding-free; group_by_length), here {' and '.join(best)}, with assistant-only loss; same model, "
            "LoRA adapters, gradient checkpointing, data, batches, steps, seed",
            ratio_is="chatforge / TRL best, real training tokens per second",
            ratio_vs_trl_best=speed_best["median"],
            peak_rss_ratio_vs_trl_best=rss_best["median"],
            ratio_vs_trl_defaults=speed_defaults["median"],
            peak_rss_ratio_vs_trl_defaults=rss_defaults["median"],
            spreads={
                "ratio_vs_trl_best": speed_best,
                "peak_rss_ratio_vs_trl_best": rss_best,
                "ratio_vs_trl_defaults": speed_defaults,
                "peak_rss_ratio_vs_trl_defaults": rss_defaults,
            },
            setup={
                "model": args.model,
                "steps": args.steps,
                "batch": args.batch,
                "max_len": args.max_len,
                "conversations": len(chats),
                "gradient_checkpointing": args.gradient_checkpointing,
                "contenders": args.contenders,
                "trl_best_of": best,
            },
            peak_memory=memory,
        )
    )


if __name__ == "__main__":
    main()
