"""Pretraining a small Llama from scratch, or continuing the pretraining of an existing model, on plain text.

    chatforge pretrain runs/data/corpus.jsonl --out runs/pretrain                  # tokenizer + model from scratch
    chatforge pretrain runs/data/corpus.jsonl --from default --out runs/cpt        # continued pretraining
    chatforge pretrain runs/data/corpus.jsonl --out runs/pretrain --resume         # after a crash or Ctrl-C

From scratch: a byte-level BPE tokenizer is trained on the training text, then a
Llama of `n_layer` x `n_embd` (`n_head` heads, `context_length` positions) learns
next-token prediction. Documents are joined with EOS and packed into full windows
(no padding). AdamW, linear warm-up then cosine decay to `min_lr_ratio` x lr, gradient
clipping, validation perplexity every `eval_every` steps, an atomic checkpoint every
`checkpoint_every` steps (checkpoint.py). The batch order is a function of the seed
and the step alone, so a resumed run replays exactly what an uninterrupted run does.

With `--from MODEL` the model and its tokenizer are loaded (models/load.py) and trained
on the domain text; perplexity on held-out domain text and on general text
(`general_data`, default: general_text.py, a short English/French sample) is reported
before and after, to show what was gained and what was forgotten.

The output folder is an ordinary model folder (AutoModelForCausalLM / AutoTokenizer)
plus `metrics.json`, `config.yaml` and `checkpoints/`.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.errors import ConfigError
from chatforge.models.label_logits import label_nll
from chatforge.output import progress_bar
from chatforge.provenance import record_run
from chatforge.train import checkpoint
from chatforge.train.corpus import CorpusError, expand, read_texts, split_texts
from chatforge.train.general_text import GENERAL_SAMPLE


class PretrainConfig(StageConfig):
    from_model: str | None = Field(
        None,
        description="Continue pretraining this model (hub id, folder, .gguf or 'default') instead of starting from scratch.",
    )
    vocab_size: int = Field(2048, ge=64, description="BPE vocabulary size (from scratch only).")
    n_layer: int = Field(4, ge=1, description="Transformer blocks (from scratch only).")
    n_embd: int = Field(128, ge=8, description="Hidden size (from scratch only); a multiple of n_head.")
    n_head: int = Field(4, ge=1, description="Attention heads (from scratch only).")
    context_length: int = Field(128, ge=8, description="Tokens per training window; packed, no padding.")
    batch_size: int = Field(8, ge=1, description="Windows per optimizer step.")
    max_steps: int = Field(200, ge=1, description="Optimizer steps.")
    learning_rate: float | None = Field(
        None, gt=0, description="Peak learning rate; default 3e-3 from scratch, 3e-5 with from_model."
    )
    min_lr_ratio: float = Field(
        0.1, ge=0, le=1, description="Final learning rate as a fraction of the peak (cosine decay)."
    )
    warmup_steps: int = Field(20, ge=0, description="Linear warm-up steps.")
    weight_decay: float = Field(0.1, ge=0, description="AdamW weight decay.")
    beta1: float = Field(0.9, ge=0, lt=1, description="AdamW beta1.")
    beta2: float = Field(0.95, ge=0, lt=1, description="AdamW beta2.")
    grad_clip: float = Field(1.0, ge=0, description="Clip the gradient norm to this (0: off).")
    val_fraction: float = Field(
        0.1, gt=0, lt=0.5, description="Share of the text (last documents) held out for validation perplexity."
    )
    eval_every: int = Field(
        50, ge=1, description="Measure validation perplexity every this many steps (and at the end)."
    )
    eval_windows: int = Field(32, ge=1, description="At most this many validation windows per evaluation.")
    checkpoint_every: int = Field(50, ge=1, description="Write an atomic checkpoint every this many steps.")
    keep_checkpoints: int = Field(2, ge=1, description="Complete checkpoints kept on disk.")
    text_field: str = Field("text", description="Field holding the text in JSONL inputs.")
    general_data: list[str] = Field(
        default_factory=list,
        description="General held-out text files for before/after perplexity with from_model (default: bundled sample).",
    )
    seed: int = Field(1337, description="Seed for initialisation and batch order.")
    device: str | None = Field(None, description="cpu or cuda; default: cuda when available.")


def lr_factor(step: int, warmup: int, total: int, min_ratio: float) -> float:
    """Multiplier of the peak lr at 0-based `step`: linear warm-up, then cosine down to `min_ratio`."""
    if step < warmup:
        return (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def pack(ids: list[int], context: int):
    """Cut a token stream into full windows of `context` tokens: tensor (n_windows, context)."""
    import torch

    n = len(ids) // context
    return torch.tensor(ids[: n * context], dtype=torch.long).view(n, context)


@functools.lru_cache(maxsize=2)
def _epoch_order(n_windows: int, seed: int, epoch: int):
    import torch

    return torch.randperm(n_windows, generator=torch.Generator().manual_seed(seed * 100003 + epoch))


def batch_indices(step: int, batch_size: int, n_windows: int, seed: int) -> list[int]:
    """Windows for `step`: consecutive slices of a seeded permutation per epoch (a pure function of the step)."""
    out = []
    for g in range(step * batch_size, (step + 1) * batch_size):
        epoch, pos = divmod(g, n_windows)
        out.append(int(_epoch_order(n_windows, seed, epoch)[pos]))
    return out


def _prepare_model(cfg: PretrainConfig, out: Path, train_texts: list[str], resume: bool):
    """(model, tokenizer, context): loaded, or built from scratch with a tokenizer trained on `train_texts`."""
    from transformers import AutoTokenizer

    from chatforge.models.load import load_model, pick_device
    from chatforge.models.tiny import tiny_llama, train_bpe_tokenizer

    if cfg.from_model:
        model, tokenizer = load_model(cfg.from_model, device=cfg.device)
        limit = getattr(model.config, "max_position_embeddings", cfg.context_length) or cfg.context_length
        return model, tokenizer, min(cfg.context_length, limit)
    if resume and (out / "tokenizer.json").is_file():
        tokenizer = AutoTokenizer.from_pretrained(out)  # the one this run trained: never retrain on resume
    else:
        tokenizer = train_bpe_tokenizer(train_texts, cfg.vocab_size)
        out.mkdir(parents=True, exist_ok=True)
        tokenizer.save_pretrained(out)
    if cfg.n_embd % cfg.n_head:
        raise ConfigError(f"n_embd ({cfg.n_embd}) must be a multiple of n_head ({cfg.n_head})")
    model = tiny_llama(tokenizer, cfg.n_layer, cfg.n_embd, cfg.n_head, cfg.context_length, seed=cfg.seed)
    device, _ = pick_device(cfg.device)
    return model.to(device), tokenizer, cfg.context_length


def pretrain(
    inputs: list[str | Path],
    out: str | Path,
    cfg: PretrainConfig | None = None,
    resume: bool = False,
    progress: bool = True,
    on_step: Callable[[int, float], None] | None = None,
) -> dict:
    """Train, checkpoint, evaluate; write the model folder and metrics.json; return the metrics.

    `on_step(step, loss)` is called after every optimizer step (1-based step).
    """
    import torch

    from chatforge.models.perplexity import perplexity_of_ids, token_stream

    cfg = cfg or PretrainConfig()
    out = Path(out)
    ckpt_dir = out / "checkpoints"
    texts = read_texts(inputs, cfg.text_field)
    train_texts, val_texts = split_texts(texts, cfg.val_fraction)
    torch.manual_seed(cfg.seed)
    model, tokenizer, context = _prepare_model(cfg, out, train_texts, resume)
    train_ids = token_stream(tokenizer, train_texts)
    val_ids = token_stream(tokenizer, val_texts)
    if len(train_ids) < context + 1 or len(val_ids) < 2:
        raise CorpusError(
            f"corpus too small: {len(train_ids)} training tokens and {len(val_ids)} validation tokens, "
            f"less than one context window ({context} tokens) to train on. Add text, or lower "
            f"context_length (--set context_length=...)"
        )
    windows = pack(train_ids, context)
    lr = cfg.learning_rate or (3e-5 if cfg.from_model else 3e-3)

    def evaluate(ids: list[int]) -> dict:
        return perplexity_of_ids(model, ids, context, cfg.batch_size, cfg.eval_windows)

    general_ids = None
    before = {}
    if cfg.from_model:
        general_texts = read_texts(cfg.general_data) if cfg.general_data else GENERAL_SAMPLE
        general_ids = token_stream(tokenizer, general_texts)
        before = {"domain": evaluate(val_ids)["perplexity"], "general": evaluate(general_ids)["perplexity"]}

    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
        betas=(cfg.beta1, cfg.beta2),
    )
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: lr_factor(s, cfg.warmup_steps, cfg.max_steps, cfg.min_lr_ratio)
    )

    start_step, history, resumed_from, initial_ppl = 0, [], None, None
    if resume:
        checkpoint.clean_partial(ckpt_dir)
        last = checkpoint.latest(ckpt_dir)
        if last is not None:
            state = checkpoint.load(last)
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            checkpoint.set_rng_state(state["rng"])
            start_step, history, resumed_from = state["step"], state["history"], last.name
            initial_ppl = state["initial_val_perplexity"]
    elif checkpoint.latest(ckpt_dir) is not None:
        raise ConfigError(f"{ckpt_dir} already holds checkpoints: pass --resume to continue, or choose another --out")

    if initial_ppl is None:
        initial_ppl = before.get("domain") or evaluate(val_ids)["perplexity"]
    model.train()
    device = next(model.parameters()).device
    t0, aside, tokens, loss_value = time.perf_counter(), 0.0, 0, float("nan")
    with progress_bar(disable=not progress) as bar:
        task = bar.add_task("pretrain", total=cfg.max_steps, completed=start_step, unit="steps")
        for step in range(start_step, cfg.max_steps):
            x = windows[batch_indices(step, cfg.batch_size, len(windows), cfg.seed)].to(device)
            loss = label_nll(model, x, x)  # = model(input_ids=x, labels=x).loss, without [batch, seq, vocab] logits
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if cfg.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            optimizer.step()
            scheduler.step()
            loss_value = loss.item()
            tokens += x.numel()
            done = step + 1
            row = {"step": done, "loss": loss_value, "lr": scheduler.get_last_lr()[0]}
            t_aside = time.perf_counter()  # evaluation and checkpoint time is not training throughput
            if done % cfg.eval_every == 0 or done == cfg.max_steps:
                row["val_perplexity"] = evaluate(val_ids)["perplexity"]
                model.train()
            history.append(row)
            if done % cfg.checkpoint_every == 0 and done < cfg.max_steps:
                checkpoint.save(
                    ckpt_dir,
                    done,
                    {
                        "model": model.state_dict(),
                        "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(),
                        "history": history,
                        "initial_val_perplexity": initial_ppl,
                        "data_position": {"windows_seen": done * cfg.batch_size, "n_windows": len(windows)},
                    },
                    keep=cfg.keep_checkpoints,
                )
            aside += time.perf_counter() - t_aside
            bar.update(task, advance=1, description=f"pretrain loss {loss_value:.3f}")
            if on_step is not None:
                on_step(done, loss_value)
    seconds = time.perf_counter() - t0 - aside

    val = evaluate(val_ids)
    metrics = {
        "mode": "continue" if cfg.from_model else "scratch",
        "steps": cfg.max_steps,
        "resumed_from": resumed_from,
        "final_loss": loss_value,
        "val_loss": val["loss"],
        "val_perplexity": val["perplexity"],
        "initial_val_perplexity": initial_ppl,
        "parameters": sum(p.numel() for p in model.parameters()),
        "context_length": context,
        "train_tokens": len(train_ids),
        "val_tokens": len(val_ids),
        "windows": len(windows),
        "train_seconds": round(seconds, 3),
        "tokens_per_s": round(tokens / seconds, 1) if seconds > 0 and tokens else None,
        "history": history,
    }
    if cfg.from_model:
        metrics["perplexity"] = {
            "domain": {"before": before["domain"], "after": val["perplexity"]},
            "general": {"before": before["general"], "after": evaluate(general_ids)["perplexity"]},
        }
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return record_run(out, cfg, metrics, expand(inputs), ["torch", "transformers", "tokenizers"])
