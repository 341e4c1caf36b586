"""The comparison rules for a pair of figures, which every page that compares applies.

DESIGN.md section 5 and docs/periods-and-comparisons.md:

- % change = (current - previous) / previous, and none when the previous figure is
  zero, negative or missing. A previous count under 50 is a *small base* (ONS).
- A change in counts is *significant* when the exact conditional test for the ratio
  of two Poisson counts rejects "no change" at 95%: given n = current + previous
  events over equal exposure, the current count is Binomial(n, 1/2) under no change.
- Polarity turns a direction into better / worse / no real change.
- A month's whole-partnership figure is the figure for the whole partnership, or for
  an additive measure the sum of its areas when every area supplied one.

The dashboards' DataFrame comparisons (``reports.dashboard.analysis``) and the action
plan targets (``actionplans.targets``) are both built on these.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import stats

SMALL_BASE = 50
SIGNIFICANCE_LEVEL = 0.05


class Assessment(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    NO_REAL_CHANGE = "no_real_change"
    CHANGED = "changed"  # a real change in a measure where neither direction is good
    NOT_COMPARED = "not_compared"


# --- single values ---------------------------------------------------------------


def percent_change(current: float | None, previous: float | None) -> float | None:
    """(current - previous) / previous as a percentage; None when previous is missing,
    zero or negative (a negative count can come from ONS adjustments)."""
    if current is None or previous is None or _isnan(current) or _isnan(previous):
        return None
    if previous <= 0:
        return None
    return (current - previous) / previous * 100


def poisson_ratio_p_value(current: float, previous: float) -> float | None:
    """Two-sided p-value of the exact conditional test that two Poisson counts over
    equal exposure have the same rate. None when the test does not apply (a count
    missing, negative, fractional, or both zero)."""
    values = p_values(np.array([current], dtype=float), np.array([previous], dtype=float))
    return None if np.isnan(values[0]) else float(values[0])


def p_values(current: np.ndarray, previous: np.ndarray) -> np.ndarray:
    ok = (
        ~np.isnan(current)
        & ~np.isnan(previous)
        & (current >= 0)
        & (previous >= 0)
        & (np.mod(np.nan_to_num(current), 1) == 0)
        & (np.mod(np.nan_to_num(previous), 1) == 0)
        & (np.nan_to_num(current) + np.nan_to_num(previous) > 0)
    )
    k = np.where(ok, current, 0)
    n = np.where(ok, current + previous, 1)
    # Binomial(n, 1/2) is symmetric, so the two-sided p-value is twice the smaller tail.
    lower = stats.binom.cdf(k, n, 0.5)
    upper = stats.binom.sf(k - 1, n, 0.5)
    p = np.minimum(1.0, 2 * np.minimum(lower, upper))
    return np.where(ok, p, np.nan)


def assess(change: float | None, polarity: str, *, significant: bool | None) -> Assessment:
    """Better, worse or no real change. ``significant`` is None where the test does not
    apply (percentages, money, averages): then any change counts as real."""
    if change is None or _isnan(change):
        return Assessment.NOT_COMPARED
    if change == 0 or significant is False:
        return Assessment.NO_REAL_CHANGE
    if polarity == "neutral":
        return Assessment.CHANGED
    up_is_good = polarity == "up_good"
    return Assessment.BETTER if (change > 0) == up_is_good else Assessment.WORSE


def rate_per_1000(value: float | None, population: float | None) -> float | None:
    if value is None or population is None or _isnan(value) or _isnan(population):
        return None
    if population <= 0:
        return None
    return value / population * 1000


def _isnan(value) -> bool:
    return isinstance(value, float) and np.isnan(value)


# --- partnership figures from area figures ---------------------------------------


def partnership_series(
    monthly: pd.DataFrame, *, area_count: int, additive: set[str]
) -> pd.DataFrame:
    """One value per measure and period for the whole partnership.

    ``monthly`` has one row per measure and period with ``measure``, ``month``,
    ``whole_value`` / ``whole_supplied`` (the figure for the whole partnership, if
    any) and ``area_sum`` / ``area_supplied`` (the sum and number of supplied area
    figures). The whole-partnership figure wins; otherwise an additive measure is the
    sum of its areas, but only when every area supplied one (a part-sum would read as
    a fall). Returns ``measure``, ``month``, ``value`` (NaN when missing) and
    ``partial`` (some areas but not all supplied)."""
    # NumPy on the columns: this runs on every dashboard request, and the same steps in
    # pandas cost a couple of milliseconds.
    codes = monthly["measure"].to_numpy()
    whole = np.nan_to_num(monthly["whole_supplied"].to_numpy(dtype=float)) > 0
    supplied = np.nan_to_num(monthly["area_supplied"].to_numpy(dtype=float))
    every_area = (area_count > 0) & (supplied == area_count) & np.isin(codes, list(additive))
    value = np.where(
        whole,
        monthly["whole_value"].to_numpy(dtype=float),
        np.where(every_area, monthly["area_sum"].to_numpy(dtype=float), np.nan),
    )
    return pd.DataFrame(
        {
            "measure": codes,
            "month": monthly["month"].to_numpy(),
            "value": value,
            "partial": ~whole & (supplied > 0) & (supplied < area_count),
        }
    )
