"""A/B routing between two models, and the report that says which one users prefer.

    chatforge serve --model A --model-b B --b-share 0.2
    chatforge ab report --db serve.db --json

Each user is assigned once, on first use, to A or B: `B` when a keyed hash of the user name
falls below `b_share` (uniform, so the share holds over many users; deterministic, so a
lost row gives the same answer). The assignment is stored and reused: sticky per user, and
so per conversation. Every answer records its variant and model.

The report compares, per variant, the thumbs-up rate (two-proportion z-test), the
regenerate rate, and the survey mean (bootstrap 95% interval of the difference B - A).
"""

from __future__ import annotations

import hashlib
import math
import random

from sqlalchemy import func, select

from chatforge.store.database import Assignment, Feedback, Message, Store

VARIANTS = ("A", "B")


def bucket(user: str, salt: str = "chatforge-ab") -> float:
    """A uniform number in [0, 1) fixed for a user name."""
    digest = hashlib.sha256(f"{salt}:{user}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign(store: Store, user_id: int, user: str, b_share: float) -> str:
    """The user's variant: the stored one, or a new sticky assignment (recorded before it is used)."""
    with store.session() as s:
        row = s.get(Assignment, user_id)
        if row is not None:
            return row.variant
        variant = "B" if b_share > 0 and bucket(user) < b_share else "A"
        s.add(Assignment(user_id=user_id, variant=variant))
        try:
            s.commit()
        except Exception:  # two first requests of one user raced: keep the winner's row
            s.rollback()
            return s.get(Assignment, user_id).variant
        return variant


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float] | None:
    """(z, two-sided p) for H0: p1 == p2, pooled; None when a group is empty or the pool is degenerate."""
    if not n1 or not n2:
        return None
    pool = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    if se == 0:
        return None
    z = (k2 / n2 - k1 / n1) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def bootstrap_diff(a: list[float], b: list[float], n: int = 2000, seed: int = 0) -> tuple[float, float] | None:
    """95% percentile interval of mean(b) - mean(a)."""
    if not a or not b:
        return None
    rng = random.Random(seed)
    diffs = sorted(sum(rng.choices(b, k=len(b))) / len(b) - sum(rng.choices(a, k=len(a))) / len(a) for _ in range(n))
    return diffs[int(0.025 * n)], diffs[int(0.975 * n) - 1]


def report(store: Store, alpha: float = 0.05) -> dict:
    """Per-variant answers, thumbs-up rate, regenerate rate, survey mean; tests of B vs A; a verdict in words."""
    with store.session() as s:
        answers = dict(
            s.execute(
                select(Message.variant, func.count()).where(Message.role == "assistant").group_by(Message.variant)
            ).all()
        )
        regens = dict(
            s.execute(
                select(Message.variant, func.count()).where(Message.regenerates.is_not(None)).group_by(Message.variant)
            ).all()
        )
        thumbs = s.execute(
            select(Message.variant, Feedback.value)
            .join(Message, Message.id == Feedback.message_id)
            .where(Feedback.kind == "thumb")
        ).all()
        surveys = s.execute(select(Feedback.conversation_id, Feedback.value).where(Feedback.kind == "survey")).all()
        conv_variant = dict(
            s.execute(
                select(Message.conversation_id, func.max(Message.variant))
                .where(Message.role == "assistant")
                .group_by(Message.conversation_id)
            ).all()
        )
        users = dict(s.execute(select(Assignment.variant, func.count()).group_by(Assignment.variant)).all())
    out: dict = {"variants": {}}
    scores = {v: [] for v in VARIANTS}
    for conv, value in surveys:
        if conv_variant.get(conv) in scores and value is not None:
            scores[conv_variant[conv]].append(float(value))
    for v in VARIANTS:
        ups = sum(1 for var, val in thumbs if var == v and val and val > 0)
        rated = sum(1 for var, val in thumbs if var == v and val)
        n = answers.get(v, 0)
        out["variants"][v] = {
            "users": users.get(v, 0),
            "answers": n,
            "thumbs": rated,
            "thumbs_up": ups,
            "thumbs_up_rate": ups / rated if rated else None,
            "regenerate_rate": regens.get(v, 0) / n if n else None,
            "surveys": len(scores[v]),
            "survey_mean": sum(scores[v]) / len(scores[v]) if scores[v] else None,
        }
    a, b = out["variants"]["A"], out["variants"]["B"]
    test = two_proportion_z(a["thumbs_up"], a["thumbs"], b["thumbs_up"], b["thumbs"])
    out["thumbs_up_test"] = {"z": test[0], "p": test[1]} if test else None
    interval = bootstrap_diff(scores["A"], scores["B"])
    out["survey_diff_ci95"] = list(interval) if interval else None
    out["verdict"] = verdict(out, alpha)
    return out


def verdict(rep: dict, alpha: float) -> str:
    a, b = rep["variants"]["A"], rep["variants"]["B"]
    test = rep["thumbs_up_test"]
    if not a["thumbs"] or not b["thumbs"]:
        return "not enough data: each variant needs thumbs before the two can be compared"
    diff = b["thumbs_up_rate"] - a["thumbs_up_rate"]
    if test and test["p"] < alpha:
        better = "B" if diff > 0 else "A"
        return (
            f"{better} is preferred: thumbs-up {b['thumbs_up_rate']:.0%} (B) vs {a['thumbs_up_rate']:.0%} (A), "
            f"p = {test['p']:.3g} < {alpha}"
        )
    p = f"p = {test['p']:.3g}" if test else "no variance"
    return (
        f"no significant difference yet: thumbs-up {b['thumbs_up_rate']:.0%} (B) vs {a['thumbs_up_rate']:.0%} (A), "
        f"{p}; keep collecting ({a['thumbs'] + b['thumbs']} rated answers so far)"
    )
