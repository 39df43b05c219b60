"""A/B: each model against the first one (the baseline), item by item, with bootstrap intervals.

    chatforge eval --model BASE --model CANDIDATE --testset FILE --out DIR [--judge RM]   (report.json: ab)

A judge scores every answer; the candidate wins an item when its score beats the baseline's
by more than `tie_margin`, loses when it is that much lower, ties otherwise. Judges:
- a reward model (`--judge`, a sequence-classification model folder, e.g. one `chatforge
  train rm` wrote): the scalar it gives the (question, answer) conversation; or any
  callable (item, answer) -> float from Python;
- otherwise reference-based: token F1 against the reference, and for unanswerable items 1.0
  for abstaining, 0.0 for answering.
Win / tie / loss rates come with bootstrap confidence intervals (bootstrap.py) over items.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from chatforge.eval.bootstrap import mean_with_ci
from chatforge.eval.hallucination import abstains
from chatforge.text_metrics import token_f1

Judge = Callable[[dict, str], float]


def reference_judge(item: dict, answer: str) -> float:
    if not item.get("answerable", True):
        return float(abstains(answer))
    return token_f1(answer, item.get("answer", ""))


class RewardModelJudge:
    """A reward model scoring (question, answer) chats, loaded and scored exactly as RL uses it (models/reward.py):
    `chatforge train rm`'s LoRA adapter on its merged SFT base with the trained score head, or a full
    sequence-classification model (folder or hub id)."""

    def __init__(self, spec: str, device: str | None = None, max_len: int = 512):
        from chatforge.models.reward import load_reward_model, trained_system

        self.model, self.tokenizer = load_reward_model(spec, device)
        self.max_len, self.system = max_len, trained_system(spec)

    def __call__(self, item: dict, answer: str) -> float:
        from chatforge.models.reward import score
        from chatforge.train.preferences import with_system

        prompt = with_system([{"role": "user", "content": item["question"]}], self.system)
        return score(
            self.model, self.tokenizer, [prompt], [[{"role": "assistant", "content": answer}]], max_len=self.max_len
        )[0]


def compare(
    items: list[dict],
    baseline: list[str],
    candidate: list[str],
    judge: Judge | None = None,
    tie_margin: float = 0.05,
    n_resamples: int = 1000,
    seed: int = 0,
    max_examples: int = 3,
) -> dict:
    """{"win"|"tie"|"loss": {value, ci}, "mean_score_delta", "token_f1_delta", examples} of candidate vs baseline.

    `token_f1_delta` is the paired per-item change of token F1 to the reference answer, with its bootstrap
    interval, whatever the judge: a candidate a reward model prefers can still have forgotten facts."""
    judge = judge or reference_judge
    a = np.array([judge(it, ans) for it, ans in zip(items, baseline)], dtype=float)
    b = np.array([judge(it, ans) for it, ans in zip(items, candidate)], dtype=float)
    delta = b - a
    outcome = np.where(delta > tie_margin, 1, np.where(delta < -tie_margin, -1, 0))
    out = {
        name: mean_with_ci((outcome == v).astype(float).tolist(), n_resamples=n_resamples, seed=seed)
        for name, v in (("win", 1), ("tie", 0), ("loss", -1))
    }
    out["mean_score_delta"] = mean_with_ci(delta.tolist(), n_resamples=n_resamples, seed=seed)
    f1 = [
        token_f1(c, it.get("answer", "")) - token_f1(a, it.get("answer", ""))
        for it, a, c in zip(items, baseline, candidate)
    ]
    out["token_f1_delta"] = mean_with_ci(f1, n_resamples=n_resamples, seed=seed)
    out["items"] = len(items)
    out["judge"] = "reference" if judge is reference_judge else getattr(judge, "name", type(judge).__name__)
    order = np.argsort(-np.abs(delta))[:max_examples]
    out["examples"] = [
        {
            "id": items[i].get("id"),
            "question": items[i]["question"],
            "baseline": baseline[i],
            "candidate": candidate[i],
            "delta": round(float(delta[i]), 4),
        }
        for i in order
        if delta[i] != 0
    ]
    return out
