"""Perplexity of a causal LM on text, in non-overlapping windows of the model's context.

    chatforge eval perplexity --model runs/pretrain --data runs/data/corpus.jsonl

Perplexity = exp(mean next-token negative log-likelihood over every predicted token).
Documents are joined with the tokenizer's EOS and cut into windows of `context`
tokens; each window's first token is not predicted.
"""

from __future__ import annotations

import math

from chatforge.errors import ConfigError
from chatforge.models.label_logits import label_logprobs


def token_stream(tokenizer, texts: list[str]) -> list[int]:
    """Token ids of `texts`, each document followed by EOS (no BOS: packing joins documents)."""
    eos = tokenizer.eos_token_id
    ids: list[int] = []
    for enc in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        ids.extend(enc)
        if eos is not None:
            ids.append(eos)
    return ids


def perplexity_of_ids(model, ids: list[int], context: int, batch_size: int = 8, max_windows: int | None = None) -> dict:
    """{"perplexity", "loss", "tokens"} over `ids` cut into windows of `context` (the last short window too)."""
    import torch

    windows = [ids[i : i + context] for i in range(0, len(ids), context)]
    windows = [w for w in windows if len(w) > 1][:max_windows]
    if not windows:
        raise ConfigError("not enough tokens to measure perplexity (need at least 2)")
    total_nll, total_tokens = 0.0, 0
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(windows), batch_size):
            group = windows[start : start + batch_size]
            width = max(len(w) for w in group)
            x = torch.zeros(len(group), width, dtype=torch.long)
            mask = torch.zeros(len(group), width, dtype=torch.long)
            for row, w in enumerate(group):
                x[row, : len(w)] = torch.tensor(w)
                mask[row, : len(w)] = 1
            x, mask = x.to(model.device), mask.to(model.device)
            logp, keep = label_logprobs(model, x, x.masked_fill(mask == 0, -100), mask)  # no [batch, seq, vocab] logits
            total_nll -= float(logp.sum())
            total_tokens += int(keep.sum())
    model.train(was_training)
    loss = total_nll / total_tokens
    return {"perplexity": math.exp(loss), "loss": loss, "tokens": total_tokens}


def perplexity(
    model, tokenizer, texts: list[str], context: int | None = None, batch_size: int = 8, max_windows: int | None = None
) -> dict:
    """Perplexity of `model` on `texts`, cut into windows of `context` tokens: {perplexity, loss, tokens}."""
    context = context or min(getattr(model.config, "max_position_embeddings", 1024) or 1024, 1024)
    return perplexity_of_ids(model, token_stream(tokenizer, texts), context, batch_size, max_windows)
