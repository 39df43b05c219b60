"""Reward model: a scalar head on a base model, trained on preference pairs with the Bradley–Terry loss.

    chatforge train rm --model default --data examples/hirondelle-air/preferences/ranked.jsonl --out runs/rm
    chatforge train rm ... --resume

The model is `AutoModelForSequenceClassification` with `num_labels=1` on the base (an
SFT adapter folder is merged first), trained by TRL's RewardTrainer: loss
-log σ(r(x, chosen) - r(x, rejected)), LoRA by default (the new score head always
trains). Rankings expand to all pairs (preferences.py); whole prompts are held out,
and the summary reports held-out pairwise accuracy, the share of held-out pairs whose
chosen answer scores higher, before and after training. `score` is what later stages
(RL, win rates) call to judge answers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import Field

from chatforge.data.records import InputError, Rejection
from chatforge.train.preference_stage import PreferenceConfig, lora, load_policy, report_rejected, run, trainer_args
from chatforge.train.preferences import Pair, read_preferences, split_by_prompt


class RMConfig(PreferenceConfig):
    center_rewards_coefficient: float | None = Field(None, ge=0, description="Weight of a penalty on the mean reward squared, keeping scores centred at 0 (None: off).")


def load_reward_base(spec: str, device: str | None = None):
    """(sequence-classification model with one output, tokenizer) on top of `spec`'s weights."""
    from transformers import AutoModelForSequenceClassification

    from chatforge.models.load import pick_device, resolve

    dev, dtype = pick_device(device)
    with tempfile.TemporaryDirectory() as tmp:
        if (Path(spec) / "adapter_config.json").is_file():  # an SFT adapter: merge, then put the head on the result
            causal, tokenizer = load_policy(spec, "cpu")
            causal.save_pretrained(tmp)
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


def _ids(tokenizer, messages: list[dict]) -> list[int]:
    return list(tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True)["input_ids"])


def score(model, tokenizer, prompts: list[list[dict]], answers: list[list[dict]], batch_size: int = 8,
          max_len: int = 512) -> list[float]:
    """Reward of each (prompt, answer), tokenised with the chat template as in training (left-truncated to max_len)."""
    import torch

    device = next(model.parameters()).device
    pad = tokenizer.pad_token_id
    scores: list[float] = []
    model.eval()
    for i in range(0, len(prompts), batch_size):
        seqs = [_ids(tokenizer, p + a)[-max_len:] for p, a in zip(prompts[i:i + batch_size], answers[i:i + batch_size])]
        width = max(len(s) for s in seqs)
        ids = torch.tensor([s + [pad] * (width - len(s)) for s in seqs], device=device)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs], device=device)
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=mask).logits  # (batch, 1)
        scores += logits[:, 0].float().tolist()
    return scores


def pairwise_accuracy(model, tokenizer, pairs: list[Pair], max_len: int = 512) -> float | None:
    """Share of pairs whose chosen answer scores strictly higher than the rejected one."""
    if not pairs:
        return None
    prompts = [p.prompt for p in pairs]
    chosen = score(model, tokenizer, prompts, [p.chosen for p in pairs], max_len=max_len)
    rejected = score(model, tokenizer, prompts, [p.rejected for p in pairs], max_len=max_len)
    return sum(c > r for c, r in zip(chosen, rejected)) / len(pairs)


def _too_long(tokenizer, pairs: list[Pair], max_len: int, source: str) -> tuple[list[Pair], list[Rejection]]:
    """RewardTrainer drops pairs over max_length without a word: we report them instead."""
    kept, rejected = [], []
    for p in pairs:
        n = max(len(_ids(tokenizer, p.prompt + p.chosen)), len(_ids(tokenizer, p.prompt + p.rejected)))
        if n > max_len:
            rejected.append(Rejection(source, f"pair of {n} tokens is longer than max_seq_len={max_len}", line=p.line))
        else:
            kept.append(p)
    return kept, rejected


def train_rm(data: str | Path, out: str | Path, cfg: RMConfig | None = None, resume: bool = False,
             overwrite: bool = False, progress: bool = True, callbacks: list | None = None) -> dict:
    """Train the reward model; return the metrics (also in OUT/metrics.json)."""
    from datasets import Dataset
    from transformers import set_seed
    from trl import RewardConfig, RewardTrainer

    from chatforge.train.sft import _check_out

    cfg = cfg or RMConfig()
    out = Path(out)
    _check_out(out, resume, overwrite)
    prefs = read_preferences(data, cfg.allow_ties, cfg.system)
    set_seed(cfg.seed)  # the new score head and the LoRA weights start the same in every run (resume relies on it)
    model, tokenizer = load_reward_base(cfg.model, cfg.device)
    pairs, long_ = _too_long(tokenizer, prefs.pairs, cfg.max_seq_len, str(data))
    rejected = prefs.rejected + long_
    report_rejected(rejected)
    train, val = split_by_prompt(pairs, cfg.val_fraction, cfg.seed)
    if not train or not val:
        raise InputError(f"{data}: {len(pairs)} valid pairs ({len(rejected)} items rejected): need pairs for at least "
                         f"two prompts to train and hold one out")
    on_cuda = next(model.parameters()).device.type == "cuda"
    args = RewardConfig(**trainer_args(cfg, out / "checkpoints", on_cuda, 1e-4 if cfg.method == "lora" else 1e-5),
                        center_rewards_coefficient=cfg.center_rewards_coefficient)
    trainer = RewardTrainer(model=model, args=args, processing_class=tokenizer,
                            peft_config=lora(cfg, model.config.model_type, "SEQ_CLS"),
                            train_dataset=Dataset.from_list([p.row() for p in train]),
                            eval_dataset=Dataset.from_list([p.row() for p in val]))
    accuracy_before = pairwise_accuracy(trainer.model, tokenizer, val, cfg.max_seq_len)

    def finish(t) -> dict:
        return {"val_pairwise_accuracy_before": accuracy_before,
                "val_pairwise_accuracy": pairwise_accuracy(t.model, tokenizer, val, cfg.max_seq_len),
                "train_pairwise_accuracy": pairwise_accuracy(t.model, tokenizer, train[:200], cfg.max_seq_len)}

    counts = {"items": prefs.items, "pairs": len(pairs), "train_pairs": len(train), "val_pairs": len(val),
              "rejected": len(rejected), "rejections": [r.to_dict() for r in rejected]}
    return run(trainer, cfg, out, "rm", prefs.files, counts, finish, resume, progress, callbacks)
