"""The LM head and the loss of a causal LM at labelled positions only, in tiles: no `[batch, seq, vocab]` logits.

    logp, mask = label_logprobs(model, input_ids, labels)   # log p(labels[:, t+1] | ids[:, :t+1]) where labelled
    loss = label_nll(model, input_ids, labels)              # = model(input_ids, labels=labels).loss

A model's own forward projects every position through the LM head and returns fp32 logits of shape
`[batch, seq, vocab]`: for Gemma 3 (262,144-token vocabulary) 8 x 512 positions are 4.3 GB, and the
head (168M of its 268M parameters) is most of the FLOPs, spent as well on prompt and padding
positions that carry no label. Here the backbone runs as usual, the hidden states of the positions
whose next token is labelled (not -100) are picked out, and TRL's `ChunkedLogProbFunction` projects
them through the head in tiles of `VOCAB_CHUNK` vocabulary columns with an online log-sum-exp; its
backward recomputes each tile. Memory grows with labelled tokens x tile width, and the result equals
the full-logits one to float rounding (tests/train/test_label_logits.py).

TRL's SFT, DPO and KTO trainers call that same function through their fused LM head but, off Triton
devices (CPU), project every position so that tile shapes stay fixed for graph compilers.
`score_labelled_only()` makes them project only labelled positions on CPU too, where eager PyTorch
compiles nothing (the trainer run, train/trainer_run.py, calls it).
"""

from __future__ import annotations

# Vocabulary columns per tile on CPU: a tile of 1,000 labelled tokens x 8,192 columns is 33 MB in fp32.
# TRL's default (32,768) suits GPUs; on CPU the larger tile only raises peak memory.
VOCAB_CHUNK = 8192
# Logit transforms the fused path applies; a model whose config scales logits any other way keeps its own head.
_OTHER_SCALES = ("output_multiplier", "lm_head_multiplier", "logits_scaling")


def _unwrap(model):
    """The transformers model under a PEFT wrapper (LoRA layers stay injected, so adapters still apply)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def label_logprobs(model, input_ids, labels, attention_mask=None, vocab_chunk: int = VOCAB_CHUNK, **kwargs):
    """(log-probabilities `[n]` with gradient, mask `[batch, seq - 1]`): position t scores `labels[:, t + 1]`.

    `n` is the number of labelled targets (mask.sum()); -100 marks a position without label, as in transformers.
    Extra keyword arguments (position_ids...) go to the backbone.
    """
    from trl.kernels.chunked_logprob import ChunkedLogProbFunction

    lm = _unwrap(model)
    text_config = lm.config.get_text_config()
    target = labels[:, 1:]
    mask = target != -100
    if any(getattr(text_config, name, None) is not None for name in _OTHER_SCALES):
        logits = model(input_ids=input_ids, attention_mask=attention_mask, **kwargs).logits[:, :-1][mask].float()
        return logits.log_softmax(-1).gather(1, target[mask][:, None])[:, 0], mask
    hidden = lm.base_model(
        input_ids=input_ids, attention_mask=attention_mask, use_cache=False, **kwargs
    ).last_hidden_state
    head = lm.get_output_embeddings()
    scale = getattr(text_config, "logit_scale", None)
    logp = ChunkedLogProbFunction.apply(
        hidden[:, :-1][mask],
        head.weight,
        head.bias,
        target[mask],
        1.0,
        vocab_chunk,
        getattr(text_config, "final_logit_softcapping", None),
        1.0 if scale is None else scale,
        (),
    )[0]
    return logp, mask


def label_nll(model, input_ids, labels, attention_mask=None, **kwargs):
    """Mean negative log-likelihood over the labelled targets: transformers' causal LM loss, without the logits."""
    logp, mask = label_logprobs(model, input_ids, labels, attention_mask, **kwargs)
    return -logp.sum() / mask.sum().clamp(min=1)


def score_labelled_only(device_type: str = "cpu") -> None:
    """Make TRL's fused LM head project only labelled positions on CPU, in `VOCAB_CHUNK`-wide tiles (idempotent).

    TRL chooses per call between its compact path (labelled positions only) and scoring every position by
    `trl.trainer.utils._use_triton(device)`; both paths give the same values. Nothing changes on CUDA.
    """
    if device_type != "cpu":
        return
    from trl.trainer import utils

    use_triton = getattr(utils, "_use_triton", None)
    if use_triton is None or getattr(use_triton, "labelled_only", False):
        return

    def compact(device) -> bool:
        return device.type == "cpu" or use_triton(device)

    compact.labelled_only = True
    utils._use_triton = compact
    utils._CHUNKED_LOGPROB_CHUNK_SIZE = VOCAB_CHUNK
