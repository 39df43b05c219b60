"""KTO: align the SFT model from single answers marked good or bad (thumbs), on TRL's KTOTrainer.

    chatforge train kto --model runs/sft --data examples/hirondelle-air/preferences/thumbs.jsonl --out runs/kto
    chatforge train kto --model runs/sft --data feedback-kto.jsonl --out runs/kto    # `chatforge feedback export --format kto`

Kahneman–Tversky optimisation (Ethayarajh et al. 2024) needs no pairs: each answer is
desirable or not, and the loss pushes the policy's log-ratio to the reference up for
the first and down for the second, relative to a batch estimate of the KL (so
`batch_size` must be at least 2). The reference is the starting model (an SFT adapter
is merged, new LoRA adapters train on top and are switched off for the reference).
When good and bad answers are unbalanced, `desirable_weight` / `undesirable_weight`
rebalance them (the paper keeps weight x count within 1 to 4/3).

The summary measures how far the policy moved: the mean change of log π(answer|x)
from the start, for desirable and for undesirable answers (`logp_shift`), on training
and held-out prompts.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from chatforge.errors import ConfigError, InputError
from chatforge.train.dpo import answer_logprobs
from chatforge.train.preference_stage import PreferenceConfig, load_policy, lora, report_rejected, run
from chatforge.train.preferences import Thumb, read_preferences, split_by_prompt
from chatforge.train.trainer_run import trainer_args


class KTOConfig(PreferenceConfig):
    beta: float = Field(0.1, gt=0, description="Strength of the KL pull towards the reference (SFT) model.")
    desirable_weight: float = Field(1.0, gt=0, description="Loss weight of desirable (thumbs-up) answers.")
    undesirable_weight: float = Field(1.0, gt=0, description="Loss weight of undesirable (thumbs-down) answers.")


def _logps(model, tokenizer, thumbs) -> list[float]:
    return answer_logprobs(model, tokenizer, [t.prompt for t in thumbs], [t.completion for t in thumbs])


def _shift(before: list[float], after: list[float], thumbs) -> dict:
    """Mean change of the answer log-probability, per label."""
    out = {}
    for label, name in ((True, "desirable"), (False, "undesirable")):
        d = [a - b for a, b, t in zip(after, before, thumbs) if t.label is label]
        out[name] = sum(d) / len(d) if d else None
    return out


def kto(
    data: str | Path,
    out: str | Path,
    cfg: KTOConfig | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
) -> dict:
    """KTO-align the model; return the metrics (also in OUT/metrics.json)."""
    from datasets import Dataset
    from transformers import set_seed
    from trl import KTOConfig as TrlKTOConfig, KTOTrainer

    from chatforge.train.sft import _check_out

    cfg = cfg or KTOConfig()
    if cfg.batch_size < 2:
        raise ConfigError(
            "kto needs batch_size >= 2: the KL reference point is estimated from mismatched pairs in a batch"
        )
    out = Path(out)
    _check_out(out, resume, overwrite)
    prefs = read_preferences(data, cfg.allow_ties, cfg.system)
    report_rejected(prefs.rejected)
    thumbs = prefs.thumbs
    if prefs.pairs:  # a pair is one good and one bad answer to the same prompt
        thumbs = thumbs + [
            Thumb(p.prompt, a, label, p.line)
            for p in prefs.pairs
            for a, label in ((p.chosen, True), (p.rejected, False))
        ]
    train, val = split_by_prompt(thumbs, cfg.val_fraction, cfg.seed)
    if not train or not val or len({t.label for t in train}) < 2:
        raise InputError(
            f"{data}: {len(thumbs)} valid answers ({len(prefs.rejected)} items rejected): need good and "
            f"bad answers for at least two prompts to train and hold one out"
        )
    set_seed(cfg.seed)  # the new score head and the LoRA weights start the same in every run (resume relies on it)
    model, tokenizer = load_policy(cfg.model, cfg.device)
    on_cuda = next(model.parameters()).device.type == "cuda"
    args = TrlKTOConfig(
        **trainer_args(cfg, out / "checkpoints", on_cuda, 5e-5 if cfg.method == "lora" else 5e-7),
        beta=cfg.beta,
        desirable_weight=cfg.desirable_weight,
        undesirable_weight=cfg.undesirable_weight,
    )
    probe_train = train[:64]
    before = {"train": _logps(model, tokenizer, probe_train), "val": _logps(model, tokenizer, val)}
    trainer = KTOTrainer(
        model=model,
        args=args,
        processing_class=tokenizer,
        peft_config=lora(cfg, model.config.model_type),
        train_dataset=Dataset.from_list([t.row() for t in train]),
        eval_dataset=Dataset.from_list([t.row() for t in val]),
    )

    def finish(t) -> dict:
        return {
            "beta": cfg.beta,
            "logp_shift": {
                "train": _shift(before["train"], _logps(t.model, tokenizer, probe_train), probe_train),
                "val": _shift(before["val"], _logps(t.model, tokenizer, val), val),
            },
        }

    counts = {
        "items": prefs.items,
        "examples": len(thumbs),
        "desirable": sum(t.label for t in thumbs),
        "train_examples": len(train),
        "val_examples": len(val),
        "rejected": len(prefs.rejected),
        "rejections": [r.to_dict() for r in prefs.rejected],
    }
    return run(trainer, cfg, out, "kto", prefs.files, counts, finish, resume, progress, callbacks)
