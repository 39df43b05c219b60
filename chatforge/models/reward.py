"""Reward models: loading one and scoring (prompt, answer) chats with it, shared by RL, evaluation and the A/B judge.

    from chatforge.models.reward import load_reward_model, score, trained_system
    model, tokenizer = load_reward_model("runs/rm")          # `chatforge train rm`'s output, or a full model
    score(model, tokenizer, [[{"role": "user", "content": "Q"}]], [[{"role": "assistant", "content": "A"}]])

A reward model is `AutoModelForSequenceClassification` with one output on a base (an SFT adapter is merged
first); `chatforge train rm` (train/reward.py) trains it. Scoring tokenises with the chat template exactly as
training did.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def load_reward_base(spec: str, device: str | None = None):
    """(sequence-classification model with one output, tokenizer) on top of `spec`'s weights."""
    from transformers import AutoModelForSequenceClassification

    from chatforge.models.load import pick_device, resolve

    dev, dtype = pick_device(device)
    with tempfile.TemporaryDirectory() as tmp:
        if (Path(spec) / "adapter_config.json").is_file():  # an SFT adapter: merge, then put the head on the result
            from chatforge.models.export import load_merged

            causal, tokenizer = load_merged(spec, merge=True)
            causal.to(*pick_device("cpu")).save_pretrained(tmp)
            source = tmp
        else:
            from chatforge.models.load import load_tokenizer

            source, tokenizer = resolve(spec).source, load_tokenizer(spec)
        model = AutoModelForSequenceClassification.from_pretrained(source, num_labels=1, dtype=dtype)
    model.config.pad_token_id = tokenizer.pad_token_id
    return model.to(dev), tokenizer


def load_reward_model(folder: str | Path, device: str | None = None):
    """A trained reward model from `chatforge train rm`'s output (adapter on its base, or full)."""
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from chatforge.models.export import base_of
    from chatforge.models.load import pick_device

    folder = Path(folder)
    dev, dtype = pick_device(device)
    if (folder / "adapter_config.json").is_file():
        from transformers.utils import logging as hf_logging

        level = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # the head transformers reports as "newly initialized" comes from the adapter
        try:
            model, _ = load_reward_base(base_of(folder), "cpu")
        finally:
            hf_logging.set_verbosity(level)
        model = PeftModel.from_pretrained(model, folder).merge_and_unload()
    else:
        model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=1, dtype=dtype)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model.config.pad_token_id = tokenizer.pad_token_id
    return model.to(dev, dtype).eval(), tokenizer


def trained_system(folder: str | Path) -> str | None:
    """The system message the reward model was trained with (`system` in its config.yaml): what to put in the
    prompts it scores. None when it had none, or for a model not trained by chatforge."""
    import yaml

    path = Path(folder) / "config.yaml"
    if not path.is_file():
        return None
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("system")


def chat_ids(tokenizer, messages: list[dict]) -> list[int]:
    """Token ids of a chat under the tokenizer's chat template, as the reward model is trained and scored on."""
    return list(tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True)["input_ids"])


def score(
    model, tokenizer, prompts: list[list[dict]], answers: list[list[dict]], batch_size: int = 8, max_len: int = 512
) -> list[float]:
    """Reward of each (prompt, answer), tokenised with the chat template as in training (left-truncated to max_len)."""
    import torch

    device = next(model.parameters()).device
    pad = tokenizer.pad_token_id
    scores: list[float] = []
    model.eval()
    for i in range(0, len(prompts), batch_size):
        seqs = [
            chat_ids(tokenizer, p + a)[-max_len:]
            for p, a in zip(prompts[i : i + batch_size], answers[i : i + batch_size])
        ]
        width = max(len(s) for s in seqs)
        ids = torch.tensor([s + [pad] * (width - len(s)) for s in seqs], device=device)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs], device=device)
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=mask).logits  # (batch, 1)
        scores += logits[:, 0].float().tolist()
    return scores
