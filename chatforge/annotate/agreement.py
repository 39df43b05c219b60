"""Inter-annotator agreement: Kendall's tau on rankings, Cohen's and Fleiss' kappa on flags.

- rankings: per item, scipy's Kendall tau-b (ties allowed) between every pair of annotators'
  rank vectors over the item's answers, averaged over the pairs; the campaign figure is the
  mean over items. A pair where one side tied every answer has no tau (undefined) and is left out.
- flags: one unit per (item, answer, flag kind), rated 1 (flagged) or 0 by each annotator.
  Cohen's kappa (scikit-learn) for each pair of annotators over the units both rated, and their
  mean; Fleiss' kappa over the units rated by the same number n >= 2 of annotators (statsmodels
  is not a dependency, so it is written out below from Fleiss 1971, eq. 1-9).
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from itertools import combinations

import numpy as np

from chatforge.store.annotation import FLAG_KINDS, ranks


def kendall_tau(a: list[list[str]], b: list[list[str]], labels: list[str]) -> float | None:
    """Kendall's tau-b between two rankings of the same labels; None when undefined (a side all tied)."""
    from scipy.stats import kendalltau

    ra, rb = ranks(a), ranks(b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input: scipy warns and returns nan, which we map to None
        tau = kendalltau([ra[x] for x in labels], [rb[x] for x in labels]).statistic
    return None if tau is None or math.isnan(tau) else float(tau)


def item_tau(rankings: list[list[list[str]]], labels: list[str]) -> float | None:
    """Mean Kendall tau over the pairs of rankings of one item; None with fewer than two defined pairs."""
    taus = [t for a, b in combinations(rankings, 2) if (t := kendall_tau(a, b, labels)) is not None]
    return sum(taus) / len(taus) if taus else None


def flag_units(judged: dict[int, dict[str, dict[str, list[str]]]], item_labels: dict[int, list[str]]) -> dict:
    """{(item, label, kind): {annotator: 0|1}} from {item: {annotator: {label: [kinds]}}}."""
    units: dict[tuple, dict[str, int]] = {}
    for item, by_user in judged.items():
        for label in item_labels[item]:
            for kind in FLAG_KINDS:
                units[(item, label, kind)] = {u: int(kind in (flags.get(label) or [])) for u, flags in by_user.items()}
    return units


def cohen_pairs(units: dict) -> dict:
    """{"a|b": kappa} for every pair of annotators with common units, and their "mean"."""
    from sklearn.metrics import cohen_kappa_score

    common: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for ratings in units.values():
        for a, b in combinations(sorted(ratings), 2):
            common[(a, b)][0].append(ratings[a])
            common[(a, b)][1].append(ratings[b])
    out = {}
    for (a, b), (xa, xb) in sorted(common.items()):
        if xa == xb:
            k = 1.0  # identical ratings agree fully, even when no one flagged anything (sklearn gives nan there)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                k = float(cohen_kappa_score(xa, xb))
        out[f"{a}|{b}"] = None if math.isnan(k) else round(k, 4)
    vals = [v for v in out.values() if v is not None]
    return {"pairs": out, "mean": round(sum(vals) / len(vals), 4) if vals else None}


def fleiss_kappa(table: np.ndarray) -> float | None:
    """Fleiss' kappa of a units x categories count table, every row summing to the same n >= 2."""
    table = np.asarray(table, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        return None
    n = table[0].sum()
    if n < 2 or not np.allclose(table.sum(axis=1), n):
        return None
    p_j = table.sum(axis=0) / (table.shape[0] * n)  # share of all ratings in each category
    p_i = ((table**2).sum(axis=1) - n) / (n * (n - 1))  # agreement within each unit
    p_bar, p_e = p_i.mean(), (p_j**2).sum()
    if math.isclose(p_e, 1.0):
        return 1.0 if math.isclose(p_bar, 1.0) else None  # everyone in one category: perfect, chance-free agreement
    return float((p_bar - p_e) / (1 - p_e))


def fleiss_on_units(units: dict) -> dict:
    """Fleiss' kappa over the units with the most common number of raters (>= 2)."""
    sizes = [len(r) for r in units.values() if len(r) >= 2]
    if not sizes:
        return {"value": None, "raters": None, "units": 0}
    n = max(set(sizes), key=sizes.count)
    rows = [[len(r) - sum(r.values()), sum(r.values())] for r in units.values() if len(r) == n]
    k = fleiss_kappa(np.array(rows))
    return {"value": None if k is None else round(k, 4), "raters": n, "units": len(rows)}
