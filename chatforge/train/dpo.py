"""Direct preference optimisation of the SFT model on preference pairs, on TRL's DPOTrainer.

    chatforge train dpo --model runs/sft --data examples/hirondelle-air/preferences/ranked.jsonl --out runs/dpo
    chatforge train dpo ... --beta 0.1 --resume

Loss -log σ(β [(log π(y_w|x) - log π_ref(y_w|x)) - (log π(y_l|x) - log π_ref(y_l|x))])
(Rafailov et al. 2023). The starting model is the reference: an SFT adapter folder is
merged into its base, new LoRA adapters train on top (default), and the reference is
that same model with the adapters switched off, so no second copy is held. `beta` is
the strength of the pull towards the reference (small: freer to move).

Besides TRL's metrics (rewards/margins, rewards/accuracies on the held-out prompts),
the summary measures the log-probability margin log π(chosen|x) - log π(rejected|x)
summed over answer tokens, on the first `margin_pairs` training and held-out pairs, before and after.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from chatforge.errors import InputError
from chatforge.models.label_logits import label_logprobs
from chatforge.train.preference_stage import PreferenceConfig, load_policy, lora, report_rejected, run
from chatforge.train.preferences import read_preferences, split_by_prompt
from chatforge.train.trainer_run import trainer_args


class DPOConfig(PreferenceConfig):
    beta: float = Field(0.1, gt=0, description="Strength of the KL pull towards the reference (SFT) model.")
    loss_type: str = Field("sigmoid", description="TRL DPO loss: sigmoid (DPO), ipo, hinge, robust...")
    label_smoothing: float = Field(
        0.0, ge=0, lt=0.5, description="Assumed share of flipped labels (cDPO); 0 for plain DPO."
    )
    margin_pairs: int = Field(
        32,
        ge=1,
        description="Training and held-out pairs (the first of each) whose log-prob margin is measured before and after: 4 forwards each.",
    )


def answer_logprobs(model, tokenizer, prompts: list[list[dict]], answers: list[list[dict]]) -> list[float]:
    """Sum of log π(answer tokens | prompt) per item, the answer as the chat template renders it after the prompt."""
    import torch

    device = next(model.parameters()).device
    out = []
    model.eval()
    for prompt, answer in zip(prompts, answers):
        head = tokenizer.apply_chat_template(prompt, tokenize=True, add_generation_prompt=True, return_dict=True)[
            "input_ids"
        ]
        full = tokenizer.apply_chat_template(prompt + answer, tokenize=True, return_dict=True)["input_ids"]
        ids = torch.tensor([list(full)], device=device)
        labels = ids.clone()
        labels[:, : len(head)] = -100  # the answer's tokens only: the LM head runs at those positions alone
        with torch.no_grad():
            logp, _ = label_logprobs(model, ids, labels)
        out.append(logp.sum().item())
    return out


def mean_margin(model, tokenizer, pairs) -> float | None:
    """Mean of log π(chosen|x) - log π(rejected|x) over the pairs."""
    if not pairs:
        return None
    prompts = [p.prompt for p in pairs]
    chosen = answer_logprobs(model, tokenizer, prompts, [p.chosen for p in pairs])
    rejected = answer_logprobs(model, tokenizer, prompts, [p.rejected for p in pairs])
    return sum(c - r for c, r in zip(chosen, rejected)) / len(pairs)


def dpo(
    data: str | Path,
    out: str | Path,
    cfg: DPOConfig | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
) -> dict:
    """Preference-optimise the model; return the metrics (also in OUT/metrics.json)."""
    from datasets import Dataset
    from transformers import set_seed
    from trl import DPOConfig as TrlDPOConfig, DPOTrainer

    from chatforge.train.sft import _check_out

    cfg = cfg or DPOConfig()
    out = Path(out)
    _check_out(out, resume, overwrite)
    prefs = read_preferences(data, cfg.allow_ties, cfg.system)
    report_rejected(prefs.rejected)
    train, val = split_by_prompt(prefs.pairs, cfg.val_fraction, cfg.seed)
    if not train or not val:
        raise InputError(
            f"{data}: {len(prefs.pairs)} valid pairs ({len(prefs.rejected)} items rejected): need pairs "
            f"for at least two prompts to train and hold one out"
        )
    set_seed(cfg.seed)  # the new score head and the LoRA weights start the same in every run (resume relies on it)
    model, tokenizer = load_policy(cfg.model, cfg.device)
    on_cuda = next(model.parameters()).device.type == "cuda"
    args = TrlDPOConfig(
        **trainer_args(cfg, out / "checkpoints", on_cuda, 5e-5 if cfg.method == "lora" else 5e-7),
        beta=cfg.beta,
        loss_type=[cfg.loss_type],
        label_smoothing=cfg.label_smoothing,
    )
    # margins measured on a fixed sample, one forward per answer: at 1,024-token grounded prompts on CPU each forward
    # costs seconds, and measuring every held-out pair before and after took longer than the training
    probe_train, probe_val = train[: cfg.margin_pairs], val[: cfg.margin_pairs]
    before = {"train": mean_margin(model, tokenizer, probe_train), "val": mean_margin(model, tokenizer, probe_val)}
    trainer = DPOTrainer(
        model=model,
        args=args,
        processing_class=tokenizer,
        peft_config=lora(cfg, model.config.model_type),
        train_dataset=Dataset.from_list([p.row() for p in train]),
        eval_dataset=Dataset.from_list([p.row() for p in val]),
    )

    def finish(t) -> dict:
        after = {
            "train": mean_margin(t.model, tokenizer, probe_train),
            "val": mean_margin(t.model, tokenizer, probe_val),
        }
        return {"beta": cfg.beta, "logp_margin_before": before, "logp_margin": after}

    counts = {
        "items": prefs.items,
        "pairs": len(prefs.pairs),
        "train_pairs": len(train),
        "val_pairs": len(val),
        "rejected": len(prefs.rejected),
        "rejections": [r.to_dict() for r in prefs.rejected],
    }
    return run(trainer, cfg, out, "dpo", prefs.files, counts, finish, resume, progress, callbacks)
