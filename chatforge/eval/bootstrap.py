"""Bootstrap confidence intervals for per-item scores (scipy.stats.bootstrap, percentile method).

Used by the report (a CI on every mean metric) and the A/B suite (win / tie / loss rates).
Items are resampled with replacement `n_resamples` times with a fixed seed, so a report is
reproducible; the percentile method is used because it stays defined when every item has
the same score (BCa divides by zero there).
"""

from __future__ import annotations

import numpy as np


def bootstrap_ci(values, confidence: float = 0.95, n_resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """(low, high) percentile interval of the mean of `values`; (x, x) for a single item or constant data."""
    from scipy.stats import bootstrap

    x = np.asarray([v for v in values if v is not None], dtype=float)
    if x.size == 0:
        return (float("nan"), float("nan"))
    if x.size == 1 or np.all(x == x[0]):
        return (float(x[0]), float(x[0]))
    res = bootstrap(
        (x,),
        np.mean,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method="percentile",
        random_state=np.random.default_rng(seed),
        vectorized=True,
    )
    return (float(res.confidence_interval.low), float(res.confidence_interval.high))


def mean_with_ci(values, confidence: float = 0.95, n_resamples: int = 1000, seed: int = 0) -> dict:
    """{"value": mean, "ci": [low, high], "n": items} rounded for the report; None values are skipped."""
    x = [v for v in values if v is not None]
    if not x:
        return {"value": None, "ci": None, "n": 0}
    lo, hi = bootstrap_ci(x, confidence, n_resamples, seed)
    return {"value": round(float(np.mean(x)), 4), "ci": [round(lo, 4), round(hi, 4)], "n": len(x)}
