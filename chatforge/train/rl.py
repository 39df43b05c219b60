"""Online RL of the SFT policy against the reward model: GRPO (TRL) with a KL penalty to the frozen SFT model.

    chatforge train rl --model runs/sft --reward-model runs/rm --data preferences/ranked.jsonl --out runs/rl
    chatforge train rl ... --kl-coef 0.05 --max-kl 0.5 --resume

Each step samples `num_generations` answers per prompt from the policy, scores them
with the reward model (reward.py `score`: the same chat template as its training), and
updates the policy with GRPO's PPO-style clipped objective (`epsilon`) on
group-normalised advantages, plus `kl_coef` times the per-token KL (k3 estimator) to
the reference, which is the starting model: an SFT adapter is merged, new LoRA
adapters train on top and are switched off for the reference. The prompts are those
of a preference file (preferences.py); answers are not used.

A reward model trained on rankings where the long, padded answer often beats the short,
vague one can learn to like length: the policy then stops ending its answers (the share cut at
`max_completion_length`, `completions/clipped_ratio`, goes to 1). `overlong_penalty` adds
DAPO's soft overlong punishment (TRL's) to the reward, weighted.

A reward model also learns the style of the answers it ranked first better than their facts:
the policy can win its favour with a set greeting and lose the facts (held-out token F1 falls).
`reference_reward` adds, weighted, the token F1 (text_metrics.py, as `chatforge eval` scores
answers) between each sampled answer and the best answer the preference file gives for that
prompt (ranked first, or chosen and never rejected, or a thumbs up): the reward stays tied to
what the answer says.

`system` (all preference stages) makes the policy sample under the serving system prompt; the
reward model scores each prompt under the system message it was trained with (its config.yaml),
given to it as the row's `judge_prompt`.

Reward, KL, entropy, answer length and the share of cut answers are logged every step (MLflow, metrics.json) and
drawn in OUT/rl_curves.png. A logged KL above `max_kl` prints a warning and, with
`on_kl_exceeded=stop` (default), ends the run after that step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Literal

from pydantic import Field
from transformers import TrainerCallback

from chatforge.errors import ConfigError, InputError
from chatforge.output import stderr
from chatforge.train.preference_stage import PreferenceConfig, load_policy, lora, report_rejected, run
from chatforge.train.preferences import read_preferences, split_by_prompt, with_system
from chatforge.train.trainer_run import trainer_args


class RLConfig(PreferenceConfig):
    reward_model: str | None = Field(None, description="Output folder of `chatforge train rm` (required from the CLI).")
    kl_coef: float = Field(
        0.05, ge=0, description="Weight of the KL penalty to the reference (SFT) policy (GRPO's beta)."
    )
    max_kl: float = Field(1.0, gt=0, description="Bound on the logged per-token KL to the reference.")
    on_kl_exceeded: Literal["warn", "stop"] = Field(
        "stop", description="Above max_kl: warn only, or also stop after that step."
    )
    epsilon: float = Field(0.2, gt=0, lt=1, description="PPO clip range of the probability ratio.")
    num_generations: int = Field(
        4, ge=2, description="Answers sampled per prompt (the group advantages are computed over)."
    )
    max_completion_length: int = Field(64, ge=1, description="Most tokens per sampled answer.")
    temperature: float = Field(1.0, gt=0, description="Sampling temperature.")
    log_every: int = Field(1, ge=1, description="Log reward, KL, entropy and answer length every this many steps.")
    overlong_penalty: float = Field(
        0.0,
        ge=0,
        description=(
            "Weight of DAPO's soft overlong punishment (0: off): an answer longer than max_completion_length - "
            "overlong_cache tokens loses up to this much reward, one cut at max_completion_length all of it. "
            "Counters a reward model that prefers ever longer answers."
        ),
    )
    overlong_cache: int = Field(
        16, ge=1, description="Tokens before max_completion_length where the overlong punishment starts."
    )
    reference_reward: float = Field(
        0.0,
        ge=0,
        description=(
            "Weight of the token F1 between each sampled answer and the prompt's best known answer in the preference "
            "file (0: off). Keeps the policy to the facts while it follows the reward model."
        ),
    )


def _key(prompt: list[dict]) -> str:
    return json.dumps(prompt, ensure_ascii=False)


def references(prefs) -> dict[str, str]:
    """The best known answer of each prompt (keyed by its JSON): ranked first or chosen and never rejected, else a
    thumbs-up answer."""
    rejected: dict[str, set[str]] = {}
    for p in prefs.pairs:
        rejected.setdefault(_key(p.prompt), set()).add(p.rejected[0]["content"])
    best: dict[str, str] = {}
    candidates = [(p.prompt, p.chosen[0]["content"]) for p in prefs.pairs]
    candidates += [(t.prompt, t.completion[0]["content"]) for t in prefs.thumbs if t.label]
    for prompt, text in candidates:
        k = _key(prompt)
        if k not in best and text not in rejected.get(k, ()):
            best[k] = text
    return best


def reference_f1(prompts, completions, reference, **kwargs) -> list[float]:
    """TRL reward function: token F1 of each completion against its row's `reference` (0 where there is none)."""
    from chatforge.text_metrics import token_f1

    texts = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
    return [token_f1(t, r) if r else 0.0 for t, r in zip(texts, reference)]


def reward_functions(cfg: RLConfig, reward_fn: Callable) -> tuple[list[Callable], list[float]]:
    """The reward functions GRPO sums and their weights: the reward model, plus the overlong punishment and the
    reference F1 when on."""
    funcs, weights = [reward_fn], [1.0]
    if cfg.overlong_penalty > 0:
        from trl.rewards import get_soft_overlong_punishment

        cache = min(cfg.overlong_cache, cfg.max_completion_length)
        funcs.append(get_soft_overlong_punishment(cfg.max_completion_length, cache))
        weights.append(cfg.overlong_penalty)
    if cfg.reference_reward > 0:
        funcs.append(reference_f1)
        weights.append(cfg.reference_reward)
    return funcs, weights


class KLBound(TrainerCallback):
    """Warn, and stop when asked, once the logged KL to the reference passes the bound."""

    def __init__(self, max_kl: float, stop: bool):
        self.max_kl, self.stop, self.exceeded_at = max_kl, stop, None

    def on_log(self, args, state, control, logs=None, **kwargs):
        kl = (logs or {}).get("kl")
        if kl is None or kl <= self.max_kl:
            return
        if self.exceeded_at is None:
            self.exceeded_at = state.global_step
            stderr.print(
                f"[yellow]warning:[/yellow] KL to the reference {kl:.3f} > max_kl={self.max_kl} at step "
                f"{state.global_step}" + ("; stopping" if self.stop else ""),
                highlight=False,
            )
        if self.stop:
            control.should_training_stop = True


def reward_model_fn(folder: str | Path, device: str | None = None, max_len: int = 512) -> Callable:
    """A TRL reward function scoring (prompt, completion) with a trained reward model; the prompt is the row's
    `judge_prompt` when there is one (the prompt under the system message the reward model was trained with)."""
    from chatforge.models.reward import load_reward_model, score

    model, tokenizer = load_reward_model(folder, device)

    def reward_model(prompts, completions, judge_prompt=None, **kwargs) -> list[float]:
        return score(model, tokenizer, judge_prompt or prompts, completions, max_len=max_len)

    return reward_model


def plot_curves(history: list[dict], path: Path) -> Path | None:
    """Reward, KL, entropy and answer length per step, one panel each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = [
        ("reward", "reward"),
        ("kl", "KL to reference"),
        ("entropy", "entropy"),
        ("completions/mean_length", "answer length (tokens)"),
        ("completions/clipped_ratio", "share cut at the limit"),
    ]
    logs = [h for h in history if "reward" in h and "step" in h]
    if any("rewards/reference_f1/mean" in h for h in logs):
        keys.append(("rewards/reference_f1/mean", "token F1 to the best answer"))
    if not logs:
        return None
    fig, axes = plt.subplots(1, len(keys), figsize=(4 * len(keys), 3))
    for ax, (key, title) in zip(axes, keys):
        points = [(h["step"], h[key]) for h in logs if key in h]
        if points:
            ax.plot(*zip(*points), marker=".")
        ax.set_title(title)
        ax.set_xlabel("step")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def rl(
    data: str | Path,
    out: str | Path,
    cfg: RLConfig | None = None,
    reward_fn: Callable | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    callbacks: list | None = None,
) -> dict:
    """RL-tune the policy against `cfg.reward_model` (or a Python `reward_fn`); return the metrics."""
    from datasets import Dataset
    from transformers import set_seed
    from trl import GRPOConfig, GRPOTrainer

    from chatforge.train.sft import _check_out

    cfg = cfg or RLConfig()
    if reward_fn is None and cfg.reward_model is None:
        raise ConfigError("rl needs a reward model: pass --reward-model (the --out folder of `chatforge train rm`)")
    out = Path(out)
    _check_out(out, resume, overwrite)
    prefs = read_preferences(data, cfg.allow_ties)
    report_rejected(prefs.rejected)
    prompts = list({_key(i.prompt): i for i in prefs.pairs + prefs.thumbs}.values())
    best = references(prefs)
    train, val = split_by_prompt(prompts, cfg.val_fraction, cfg.seed)
    if not train or not val:
        raise InputError(
            f"{data}: {len(prompts)} valid prompts ({len(prefs.rejected)} items rejected): need at least two"
        )
    judge_system = None
    if reward_fn is None:
        from chatforge.models.reward import trained_system

        judge_system = trained_system(cfg.reward_model)
        reward_fn = reward_model_fn(cfg.reward_model, cfg.device, cfg.max_seq_len)
    set_seed(cfg.seed)
    model, tokenizer = load_policy(cfg.model, cfg.device)
    on_cuda = next(model.parameters()).device.type == "cuda"
    common = trainer_args(cfg, out / "checkpoints", on_cuda, 1e-5 if cfg.method == "lora" else 1e-6)
    common.pop("max_length")
    common["per_device_eval_batch_size"] = common["per_device_train_batch_size"] = cfg.batch_size * cfg.num_generations
    funcs, weights = reward_functions(cfg, reward_fn)

    def row(item) -> dict:  # the policy samples under cfg.system, the reward model scores under its own
        return {
            "prompt": with_system(item.prompt, cfg.system),
            "judge_prompt": with_system(item.prompt, judge_system),
            "reference": best.get(_key(item.prompt), ""),
        }

    args = GRPOConfig(
        **common,
        beta=cfg.kl_coef,
        epsilon=cfg.epsilon,
        num_generations=cfg.num_generations,
        max_completion_length=cfg.max_completion_length,
        temperature=cfg.temperature,
        reward_weights=weights,
    )
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=funcs,
        args=args,
        processing_class=tokenizer,
        peft_config=lora(cfg, model.config.model_type),
        train_dataset=Dataset.from_list([row(p) for p in train]),
        eval_dataset=Dataset.from_list([row(p) for p in val]),
    )
    bound = KLBound(cfg.max_kl, cfg.on_kl_exceeded == "stop")

    def finish(t) -> dict:
        logs = [h for h in t.state.log_history if "reward" in h and "eval_reward" not in h]
        series = {
            k: [h[k] for h in logs if k in h]
            for k in (
                "reward",
                "kl",
                "entropy",
                "completions/mean_length",
                "completions/clipped_ratio",
                "rewards/reference_f1/mean",
            )
        }
        plot = plot_curves(t.state.log_history, out / "rl_curves.png") if t.is_world_process_zero() else None
        return {
            "kl_coef": cfg.kl_coef,
            "max_kl": cfg.max_kl,
            "kl_exceeded_at": bound.exceeded_at,
            "kl_max": max(series["kl"]) if series["kl"] else None,
            "reward_first": series["reward"][0] if series["reward"] else None,
            "reward_last": series["reward"][-1] if series["reward"] else None,
            "clipped_last": series["completions/clipped_ratio"][-1] if series["completions/clipped_ratio"] else None,
            "series": series,
            "plot": str(plot) if plot else None,
        }

    counts = {
        "items": prefs.items,
        "prompts": len(prompts),
        "train_prompts": len(train),
        "val_prompts": len(val),
        "rejected": len(prefs.rejected),
        "rejections": [r.to_dict() for r in prefs.rejected],
    }
    return run(trainer, cfg, out, "rl", prefs.files, counts, finish, resume, progress, [bound, *(callbacks or [])])
