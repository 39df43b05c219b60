"""Reward model: a scalar head on a base model, trained on preference pairs with the Bradley–Terry loss.

    chatforge train rm --model default --data examples/hirondelle-air/preferences/ranked.jsonl --out runs/rm
    chatforge train rm ... --resume

The model is `AutoModelForSequenceClassification` with `num_labels=1` on the base (an
SFT adapter folder is merged first), trained by TRL's RewardTrainer: loss
-log σ(r(x, chosen) - r(x, rejected)), LoRA by default (the new score head always
trains). Rankings expand to all pairs (preferences.py); whole prompts are held out,
and the summary reports held-out pairwise accuracy, the share of held-out pairs whose
chosen answer scores higher, before and after training. `score` is what later stages
(RL, win rates) call to judge answers; it lives with the loading in models/reward.py.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from chatforge.data.records import Rejection
from chatforge.errors import InputError
from chatforge.models.reward import chat_ids, load_reward_base, score
from chatforge.train.preference_stage import PreferenceConfig, lora, report_rejected, run
from chatforge.train.preferences import Pair, read_preferences, split_by_prompt
from chatforge.train.trainer_run import trainer_args


class RMConfig(PreferenceConfig):
    center_rewards_coefficient: float | None = Field(
        None,
        ge=0,
        description="Weight of a penalty on the mean reward squared, keeping scores centred at 0 (None: off).",
    )


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
        n = max(len(chat_ids(tokenizer, p.prompt + p.chosen)), len(chat_ids(tokenizer, p.prompt + p.rejected)))
        if n > max_len:
            rejected.append(Rejection(source, f"pair of {n} tokens is longer than max_seq_len={max_len}", line=p.line))
        else:
            kept.append(p)
    return kept, rejected


def train_rm(
    data: str | Path,
    out: str | Path,
    cfg: RMConfig | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
) -> dict:
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
        raise InputError(
            f"{data}: {len(pairs)} valid pairs ({len(rejected)} items rejected): need pairs for at least "
            f"two prompts to train and hold one out"
        )
    on_cuda = next(model.parameters()).device.type == "cuda"
    args = RewardConfig(
        **trainer_args(cfg, out / "checkpoints", on_cuda, 1e-4 if cfg.method == "lora" else 1e-5),
        center_rewards_coefficient=cfg.center_rewards_coefficient,
    )
    trainer = RewardTrainer(
        model=model,
        args=args,
        processing_class=tokenizer,
        peft_config=lora(cfg, model.config.model_type, "SEQ_CLS"),
        train_dataset=Dataset.from_list([p.row() for p in train]),
        eval_dataset=Dataset.from_list([p.row() for p in val]),
    )
    accuracy_before = pairwise_accuracy(trainer.model, tokenizer, val, cfg.max_seq_len)

    def finish(t) -> dict:
        return {
            "val_pairwise_accuracy_before": accuracy_before,
            "val_pairwise_accuracy": pairwise_accuracy(t.model, tokenizer, val, cfg.max_seq_len),
            "train_pairwise_accuracy": pairwise_accuracy(t.model, tokenizer, train[:200], cfg.max_seq_len),
        }

    counts = {
        "items": prefs.items,
        "pairs": len(pairs),
        "train_pairs": len(train),
        "val_pairs": len(val),
        "rejected": len(rejected),
        "rejections": [r.to_dict() for r in rejected],
    }
    return run(trainer, cfg, out, "rm", prefs.files, counts, finish, resume, progress, callbacks)
