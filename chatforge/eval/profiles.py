"""Suite profiles (`--suites quick|standard|full`) and the cost of an evaluation, counted before it starts.

    chatforge eval --model A --testset FILE --out DIR --suites quick     (or standard, full, or a list)

| profile | suites | generations per variant, beyond one answer per test item |
|---|---|---|
| `quick` | answer quality and trust metrics, hallucination, errors, resources, A/B | none |
| `standard` (default) | quick + consistency + robustness (`typos`, `no_accents`, up to 10 items) | at most 2 x 10 |
| `full` | every suite: + bias, intent classification, robustness with every perturbation (up to 30 items) | up to 5 x 30 + 3 x 2 x 20 + one per item |

A list of suite names (`--suites hallucination,robustness`) runs those, with the full perturbation set.
`robustness_kinds` and `robustness_items`, when set, override the profile's; `bias_items` sizes bias.

The estimate lists, per variant and per suite, the generations the runner will ask for: one per distinct
(task, question) that the variant's generation log does not already hold, so a resumed run counts only
what is left and the count equals the generations made. The extractive baseline's answers are counted
apart (`baseline`): they come from no model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chatforge.eval.bias import SWAPS, counterfactual_pair
from chatforge.eval.robustness import KINDS, perturbed_questions, with_languages

SUITES = ("hallucination", "consistency", "robustness", "bias", "ab", "resources", "errors", "classification")
_QUICK = ("hallucination", "ab", "resources", "errors")
PROFILES = {
    "quick": _QUICK,
    "standard": _QUICK + ("consistency", "robustness"),
    "full": SUITES,
}
DEFAULT_PROFILE = "standard"
# what a profile asks of the robustness suite (kinds, items) when the config leaves them unset
ROBUSTNESS = {"quick": ((), 0), "standard": (("typos", "no_accents"), 10), "full": (KINDS, 30)}
GENERATING = ("answers", "robustness", "bias", "classification")  # the suites that ask the model


def parse_suites(value) -> str | list[str]:
    """A profile name, or a list of known suite names (a comma-separated string is split); ValueError otherwise."""
    if isinstance(value, str):
        value = value.strip()
        if value in PROFILES:
            return value
        value = [s.strip() for s in value.split(",") if s.strip()]
    value = list(value)
    if len(value) == 1 and value[0] in PROFILES:
        return value[0]
    mixed = [s for s in value if s in PROFILES]
    if mixed:
        raise ValueError(
            f"profile {mixed[0]!r} given with other suites; give one profile ({', '.join(PROFILES)}) "
            f"or a list of suites among: {', '.join(SUITES)}"
        )
    unknown = [s for s in value if s not in SUITES]
    if unknown:
        raise ValueError(
            f"unknown suite(s) {', '.join(map(repr, unknown))}; give a profile "
            f"({', '.join(PROFILES)}) or suites among: {', '.join(SUITES)}"
        )
    return value


@dataclass
class SuitePlan:
    """The suites one evaluation runs, with the robustness and bias sizes in force."""

    profile: str  # quick / standard / full, or "custom" for a list
    suites: list[str]
    robustness_kinds: list[str]
    robustness_items: int
    bias_items: int


def suite_plan(cfg) -> SuitePlan:
    """What `cfg.suites` (a profile or a list) means, with `robustness_kinds` / `robustness_items` when set."""
    suites = parse_suites(cfg.suites)
    profile = suites if isinstance(suites, str) else "custom"
    suites = list(PROFILES[profile]) if profile != "custom" else suites
    kinds, items = ROBUSTNESS["full" if profile == "custom" else profile] if "robustness" in suites else ((), 0)
    if "robustness" in suites:  # set values win over the profile's
        kinds = cfg.robustness_kinds if cfg.robustness_kinds is not None else kinds
        items = cfg.robustness_items if cfg.robustness_items is not None else items
    return SuitePlan(profile, suites, list(kinds), items, cfg.bias_items)


def requests(items: list[dict], plan: SuitePlan, classify: bool) -> list[tuple[str, str, str]]:
    """(suite, task, question) in the order the runner asks them of one variant, repeats included."""
    out = [("answers", "answer", it["question"]) for it in items]
    if "robustness" in plan.suites and plan.robustness_kinds:
        for rows in perturbed_questions(items, plan.robustness_kinds, plan.robustness_items).values():
            out += [("robustness", "answer", q) for _, q in rows]
    if "bias" in plan.suites:
        picked = [it for it in items if it.get("answerable", True)][: plan.bias_items]
        for dim in SWAPS:
            pairs = [counterfactual_pair(it["question"], dim, it.get("lang")) for it in picked]
            out += [("bias", "answer", q) for q in [a for a, _ in pairs] + [b for _, b in pairs]]
    if "classification" in plan.suites and classify and items and all(it.get("intent") for it in items):
        out += [("classification", "intent", it["question"]) for it in items]
    return out


def estimate(
    variants: list[tuple[str, bool, bool, Callable[[str, str], bool]]], items: list[dict], plan: SuitePlan
) -> dict:
    """The cost summary for `variants` as (name, is_model, classifies, done(task, question)).

    Per variant and suite: generations still to make; `reused`: those already in the generation log;
    `total`: every model variant's generations (the progress bar's total); `baseline`: the extractive ones."""
    items = with_languages(items)
    per_variant, by_suite = {}, dict.fromkeys(GENERATING, 0)
    reused = baseline = 0
    for name, is_model, classify, done in variants:
        counts, seen = dict.fromkeys(GENERATING, 0), set()
        for suite, task, q in requests(items, plan, classify):
            if (task, q) in seen:
                continue
            seen.add((task, q))
            if done(task, q):
                reused += 1
            else:
                counts[suite] += 1
        n = sum(counts.values())
        per_variant[name] = {**{k: v for k, v in counts.items() if v}, "total": n, "model": is_model}
        if is_model:
            for k, v in counts.items():
                by_suite[k] += v
        else:
            baseline += n
    return {
        "profile": plan.profile,
        "suites": plan.suites,
        "items": len(items),
        "robustness": {"kinds": plan.robustness_kinds, "items": plan.robustness_items},
        "generations": {k: v for k, v in by_suite.items() if v},
        "total": sum(by_suite.values()),
        "reused": reused,
        "baseline": baseline,
        "per_variant": per_variant,
    }


def describe(cost: dict) -> str:
    """The estimate as the lines printed before the evaluation starts."""
    per_suite = " + ".join(f"{n} {s}" for s, n in cost["generations"].items()) or "nothing"
    head = (
        f"eval: {cost['items']} items x {sum(v['model'] for v in cost['per_variant'].values())} model variant(s), "
        f"suites {cost['profile']}: {per_suite} = {cost['total']} generations"
    )
    notes = []
    if cost["reused"]:
        notes.append(f"{cost['reused']} reused from the generation logs")
    if cost["baseline"]:
        notes.append(f"extractive baseline: {cost['baseline']}, no model")
    lines = [head + (f" ({'; '.join(notes)})" if notes else "")]
    lines += [
        f"  {name}: " + ", ".join(f"{v[s]} {s}" for s in GENERATING if v.get(s))
        if v["total"]
        else f"  {name}: nothing to generate"
        for name, v in cost["per_variant"].items()
    ]
    return "\n".join(lines)
