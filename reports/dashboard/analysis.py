"""Comparisons behind the dashboards and reports, as pure pandas functions.

Nothing here touches the database or a request: selectors fetch the figures and
pass DataFrames in; views, charts, narrative and PDFs read the DataFrames that come
out. The rules (DESIGN.md section 5, and docs/periods-and-comparisons.md):

- Like is compared with like: the same months a year earlier, and the average of
  the same months in the previous three years.
- Missing is not zero: a month (or quarter) missing on either side is left out of
  both sides, and the comparison says so.
- % change = (current - previous) / previous, and none when the previous figure is
  zero, negative or missing. A previous count under 50 is a *small base* (ONS).
- A change in counts is *significant* when the exact conditional test for the ratio
  of two Poisson counts rejects "no change" at 95%: given n = current + previous
  events over equal exposure, the current count is Binomial(n, 1/2) under no change.
- Polarity turns a direction into better / worse / no real change.
- A year ending whose monthly figures are not complete on both sides is compared on
  whole-year figures (the ONS years ending) when both years have one; the two kinds
  of figure are never mixed in one comparison.

Months are carried as integer month indexes (``year * 12 + month - 1``) so that
joins and year shifts are plain integer arithmetic.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from typing import cast

import numpy as np
import pandas as pd

from crimestats.comparisons import (
    SIGNIFICANCE_LEVEL,
    SMALL_BASE,
    assess,
    p_values,
)
from cspportal.lib.periods import Period, PeriodKind, annual_window, month_index, subperiods

EARLIER_YEARS = 3
MEASURE_COLUMNS = ["name", "unit", "polarity", "kind", "aggregation", "frequency"]


class Basis(StrEnum):
    """What a comparison was worked out from."""

    MONTHS = "months"  # the measure's own monthly (or quarterly, annual) figures
    YEAR = "year"  # whole-year figures for a year ending (the ONS tables)
    # An ONS year ending printed on its own: the year before has no ONS figure, and
    # its months are never compared with a whole year.
    YEAR_ALONE = "year_alone"


# --- comparisons -----------------------------------------------------------------


def _window(period: Period, frequency: str) -> Period:
    return annual_window(period) if frequency == "annual" else period


def expected_periods(
    measures: pd.DataFrame, period: Period, years: int = EARLIER_YEARS
) -> pd.DataFrame:
    """Every figure each measure should have for the period and the ``years`` before
    it: ``measure``, ``offset`` (months from the window start), ``year_back`` (0 is the
    current period) and ``month`` (month index of the figure's first month)."""
    rows: list[tuple[str, int, int, int]] = []
    for code, frequency in measures["frequency"].items():
        window = _window(period, frequency)
        base = month_index(window.start)
        offsets = [month_index(start) - base for start, _ in subperiods(window, frequency)]
        for back in range(years + 1):
            rows.extend((str(code), offset, back, base - 12 * back + offset) for offset in offsets)
    return pd.DataFrame(rows, columns=["measure", "offset", "year_back", "month"])


def compare(
    series: pd.DataFrame,
    measures: pd.DataFrame,
    period: Period,
    *,
    keys: Sequence[str] = ("measure",),
    key_values: pd.DataFrame | None = None,
    years: int = EARLIER_YEARS,
    year_figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare each measure (or measure and area, with ``keys``) in ``period`` with the
    same months a year earlier and with the average of the previous ``years`` years.

    ``series``: ``keys`` + ``month`` + ``value`` (NaN or no row when missing).
    ``measures``: indexed by measure code, with ``MEASURE_COLUMNS``.
    ``key_values``: the key combinations to report even when they have no figures
    (every area of a partnership); by default those found in ``series``.
    ``year_figures``: whole-year figures (``measure``, ``month`` of the year's first
    month, ``value``), such as the ONS years ending. Used only when ``period`` is a
    year ending and a measure's own figures for it and the year before are not
    complete: then, if both years have a whole-year figure, the measure is compared on
    those alone (``basis`` "year"), and its average of the previous ``years`` years on
    the whole-year figures of those years.

    Returns one row per key with ``current``, ``previous``, ``change``,
    ``pct_change``, ``small_base``, ``p_value``, ``significant``, ``assessment``,
    ``average``, ``change_vs_average``, ``pct_vs_average``, ``years_in_average``,
    ``used``, ``expected``, ``missing_current``, ``missing_previous`` (month indexes
    of the figures left out of both sides because one side lacks them),
    ``current_alone`` (the period's own figures combined by the measure's rule,
    whether or not the year before has them: what is printed when there is nothing
    to compare with), ``supplied_current`` (month indexes of those figures),
    ``compared`` (month indexes of the figures used on both sides),
    ``window_start`` and ``basis`` (a ``Basis`` value).

    The work is done on a NumPy grid (one row per key, one column per month) because
    this runs on every dashboard request and pandas group-bys cost a millisecond
    each."""
    keys = list(keys)
    if key_values is None:
        key_values = series[keys]
    # The keys of known measures, each once, in order: plain tuples rather than pandas'
    # isin and drop_duplicates, which cost more than the rest of a small comparison.
    known = set(measures.index)
    measure_at = keys.index("measure")
    unique = list(
        dict.fromkeys(
            key
            for key in zip(*(key_values[k].tolist() for k in keys), strict=True)
            if key[measure_at] in known
        )
    )
    n = len(unique)
    key_columns = {k: [key[i] for key in unique] for i, k in enumerate(keys)}
    codes = np.array(key_columns["measure"], dtype=object)
    windows = {code: _window(period, freq) for code, freq in measures["frequency"].items()}
    starts = [month_index(w.start) for w in windows.values()] or [month_index(period.start)]
    first = min(starts) - 12 * years
    last = month_index(period.end)
    grid = np.full((n, last - first + 1), np.nan)
    if n and len(series):
        lookup = {key: i for i, key in enumerate(unique)}
        positions = np.fromiter(
            (lookup.get(key, -1) for key in zip(*(series[k].tolist() for k in keys), strict=True)),
            dtype=int,
            count=len(series),
        )
        columns = series["month"].to_numpy(dtype=int) - first
        keep = (positions >= 0) & (columns >= 0) & (columns < grid.shape[1])
        grid[positions[keep], columns[keep]] = series["value"].to_numpy(dtype=float)[keep]

    out = {
        name: np.full(n, np.nan)
        for name in (
            "current",
            "previous",
            "average",
            "expected",
            "used",
            "years_in_average",
            "current_alone",
        )
    }
    missing_current: list[list[int]] = [[] for _ in range(n)]
    supplied_current: list[list[int]] = [[] for _ in range(n)]
    compared: list[list[int]] = [[] for _ in range(n)]
    missing_previous: list[list[int]] = [[] for _ in range(n)]
    window_start = np.zeros(n, dtype=int)
    # Measures that share a frequency (so a window) and a rule are done together.
    groups: dict[tuple[str, str], list[str]] = {}
    for code, frequency, rule in zip(
        measures.index, measures["frequency"], measures["aggregation"], strict=True
    ):
        groups.setdefault((frequency, rule), []).append(code)
    for (frequency, rule), group_codes in groups.items():
        rows = np.flatnonzero(np.isin(codes, group_codes))
        if not len(rows):
            continue
        window = windows[group_codes[0]]
        start = month_index(window.start)
        window_start[rows] = start
        months = _figure_months(window, frequency)
        out["expected"][rows] = len(months)
        if not len(months):
            out["used"][rows] = 0
            continue
        by_year = [grid[np.ix_(rows, months - first - 12 * back)] for back in range(years + 1)]
        used = ~np.isnan(by_year[0]) & ~np.isnan(by_year[1])
        out["used"][rows] = used.sum(axis=1)
        out["current"][rows] = _combine(by_year[0], used, rule)
        out["previous"][rows] = _combine(by_year[1], used, rule)
        present = ~np.isnan(by_year[0])
        out["current_alone"][rows] = _combine(by_year[0], present, rule)
        for k, at in enumerate(rows):
            supplied_current[at] = [int(m) for m in months[present[k]]]
            compared[at] = [int(m) for m in months[used[k]]]
        earlier = []
        for back in range(1, years + 1):
            complete = (~np.isnan(by_year[back]) | ~used).all(axis=1)
            earlier.append(np.where(complete, _combine(by_year[back], used, rule), np.nan))
        if earlier:
            stacked = np.vstack(earlier)
            available = ~np.isnan(stacked)
            out["years_in_average"][rows] = available.sum(axis=0)
            with np.errstate(invalid="ignore"):
                out["average"][rows] = np.where(available.all(axis=0), stacked.mean(axis=0), np.nan)
        else:
            out["years_in_average"][rows] = 0
        for i in np.flatnonzero((~used).any(axis=1)):
            row = rows[i]
            left_out = ~used[i]
            if left_out.any():
                missing_current[row] = [int(m) for m in months[left_out & np.isnan(by_year[0][i])]]
                missing_previous[row] = [
                    int(m) - 12 for m in months[left_out & np.isnan(by_year[1][i])]
                ]
    basis = np.full(n, Basis.MONTHS.value, dtype=object)
    if year_figures is not None and len(year_figures) and period.kind == PeriodKind.YEAR_ENDING:
        _use_year_figures(year_figures, period, codes, measures, out, basis, years)
    frame: dict[str, object] = {
        key: np.array(key_columns[key], dtype=key_values[key].to_numpy().dtype) for key in keys
    }
    frame.update(
        expected=out["expected"].astype(int),
        used=out["used"].astype(int),
        current=out["current"],
        previous=out["previous"],
        years_in_average=out["years_in_average"].astype(int),
        average=out["average"],
        missing_current=missing_current,
        missing_previous=missing_previous,
        current_alone=out["current_alone"],
        supplied_current=supplied_current,
        compared=compared,
        window_start=window_start,
        basis=basis,
    )
    frame.update(_statistics(frame, measures))
    return pd.DataFrame(frame)


def _use_year_figures(
    year_figures: pd.DataFrame,
    period: Period,
    codes: np.ndarray,
    measures: pd.DataFrame,
    out: dict[str, np.ndarray],
    basis: np.ndarray,
    years: int,
) -> None:
    """Puts whole-year figures in place of a year ending's incomplete monthly
    comparison, in ``out`` and ``basis``: both years from the whole-year figures or
    neither, so the two kinds of figure never meet in one comparison."""
    values = year_figures["value"].to_numpy(dtype=float)
    known = {
        (code, int(month)): value
        for code, month, value in zip(
            year_figures["measure"], year_figures["month"], values, strict=True
        )
        if not np.isnan(value)
    }
    start = month_index(period.start)
    frequency = measures["frequency"].to_dict()
    for row, code in enumerate(codes):
        if frequency[code] == "annual" or out["used"][row] == out["expected"][row]:
            continue
        current, previous = known.get((code, start)), known.get((code, start - 12))
        if current is not None and previous is None and np.isnan(out["current_alone"][row]):
            out["current_alone"][row] = current
            basis[row] = Basis.YEAR_ALONE.value
            continue
        if current is None or previous is None:
            continue
        earlier = [known.get((code, start - 12 * back)) for back in range(1, years + 1)]
        on_record = [v for v in earlier if v is not None]
        out["current"][row], out["previous"][row] = current, previous
        out["current_alone"][row] = current
        out["years_in_average"][row] = len(on_record)
        out["average"][row] = (
            float(np.mean(on_record)) if on_record and len(on_record) == years else np.nan
        )
        basis[row] = Basis.YEAR.value


@lru_cache(maxsize=256)
def _figure_months(window: Period, frequency: str) -> np.ndarray:
    """Month indexes of the figures a measure of this frequency has in the window."""
    months = np.array([month_index(s) for s, _ in subperiods(window, frequency)], dtype=int)
    months.setflags(write=False)
    return months


def _combine(values: np.ndarray, used: np.ndarray, rule: str) -> np.ndarray:
    """Sum, mean or latest of each row over the figures used on both sides, by the
    measure's own rule; NaN for a row with none."""
    any_used = np.asarray(used.any(axis=1))
    masked = np.where(used, values, np.nan)
    if rule == "mean":
        # An earlier year can lack every month used: its mean is NaN, not an error.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            combined = np.nanmean(np.where(any_used[:, None], masked, 0), axis=1)
    elif rule == "latest":
        last = used.shape[1] - 1 - np.argmax(used[:, ::-1], axis=1)
        combined = values[np.arange(len(values)), last]
    else:
        combined = np.nansum(masked, axis=1)
    return np.where(any_used, combined, np.nan)


def _statistics(columns: dict, measures: pd.DataFrame) -> dict[str, object]:
    codes = columns["measure"]
    unit = measures["unit"].to_dict()
    rule = measures["aggregation"].to_dict()
    polarity = measures["polarity"].to_dict()
    current, previous, average = columns["current"], columns["previous"], columns["average"]
    is_count = np.array([unit[c] == "count" and rule[c] == "sum" for c in codes], dtype=bool)
    change = current - previous
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_change = np.where(previous > 0, change / previous * 100, np.nan)
        pct_vs_average = np.where(average > 0, (current - average) / average * 100, np.nan)
    p = np.where(is_count, p_values(current, previous), np.nan)
    significant = [None if np.isnan(v) else bool(v < SIGNIFICANCE_LEVEL) for v in p]
    assessment = [
        assess(None if np.isnan(c) else float(c), polarity[code], significant=s).value
        for c, code, s in zip(change, codes, significant, strict=True)
    ]
    return {
        "change": change,
        "pct_change": pct_change,
        "change_vs_average": current - average,
        "pct_vs_average": pct_vs_average,
        "small_base": is_count & ~np.isnan(previous) & (previous < SMALL_BASE),
        "p_value": p,
        "significant": pd.array(significant, dtype="boolean"),
        "assessment": assessment,
    }


# --- rates and peers -------------------------------------------------------------


def add_rates(
    frame: pd.DataFrame, *, value: str = "current", population: str = "population"
) -> pd.DataFrame:
    """Adds ``rate`` per 1,000 population (NaN where the population is unknown)."""
    frame = frame.copy()
    pop = frame[population].astype(float)
    frame["rate"] = np.where(pop > 0, frame[value].astype(float) / pop * 1000, np.nan)
    return frame


# Where a peer's rate per 1,000 comes from (``rate_source``).
RATE_PUBLISHED = "published"
RATE_WITHHELD = "withheld"
RATE_COMPUTED = "computed"
RATE_NONE = ""


def published_or_computed_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Sets ``rate`` to ONS's published rate where there is one (``published_rate``);
    to NaN where ONS withholds it (``rate_note``, its mark and reason); and keeps the
    rate worked out from the figure and population (``add_rates``) only where ONS
    publishes nothing for the figure. Adds ``rate_source``: one of the ``RATE_*``."""
    frame = frame.copy()
    nothing = pd.Series(np.nan, index=frame.index)
    published = frame["published_rate"].astype(float) if "published_rate" in frame else nothing
    notes = frame["rate_note"] if "rate_note" in frame else pd.Series("", index=frame.index)
    withheld = published.isna() & notes.fillna("").ne("")
    frame["rate_source"] = np.select(
        [published.notna(), withheld, frame["rate"].notna()],
        [RATE_PUBLISHED, RATE_WITHHELD, RATE_COMPUTED],
        default=RATE_NONE,
    )
    frame["rate"] = published.where(published.notna(), frame["rate"].where(~withheld))
    return frame


def peer_comparison(frame: pd.DataFrame, *, polarity: str) -> pd.DataFrame:
    """Rank partnerships in a peer group by rate per 1,000.

    ``frame``: ``partnership``, ``name``, ``value``, ``population``, ``is_self``, and
    optionally what ONS publishes for the figure: ``published_rate`` and ``rate_note``
    (see ``published_or_computed_rates``). Adds ``rate``, ``rate_source``, ``rank``
    (1 is the best: the lowest rate unless up is good; the lowest rate when neither
    is), ``group_average`` (the mean rate of every member with a rate, the
    partnership itself included), ``distance`` (rate minus average), ``distance_pct``
    and ``ranked`` (how many have a rank). Members without a figure, a population or
    a rate ONS publishes keep NaN and are not ranked."""
    frame = published_or_computed_rates(add_rates(frame, value="value"))
    ascending = polarity != "up_good"
    frame["rank"] = frame["rate"].rank(method="min", ascending=ascending)
    average = frame["rate"].mean()
    frame["group_average"] = average
    frame["distance"] = frame["rate"] - average
    frame["distance_pct"] = (frame["rate"] - average) / average * 100 if average else np.nan
    frame["ranked"] = int(frame["rate"].notna().sum())
    return frame.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


# --- trends and completeness -----------------------------------------------------


def financial_year_overlay(series: pd.DataFrame, first_fy: int, last_fy: int) -> pd.DataFrame:
    """One measure's values laid out by month of the financial year (rows April to
    March, or the quarters' first months) and financial year (columns), so that
    each year can be drawn over the last. Missing stays NaN. Rows are the positions
    that occur in those years; where a position and year occur twice, the first
    figure that is not missing wins."""
    months = series["month"].to_numpy(dtype="int64")
    fy = np.where(months % 12 >= 3, months // 12, months // 12 - 1)
    position = (months % 12 - 3) % 12
    keep = (fy >= first_fy) & (fy <= last_fy)
    fy, position = fy[keep], position[keep]
    values = series["value"].to_numpy(dtype="float64")[keep]
    # Plain numpy rather than pivot_table: this runs for every chart on a dashboard,
    # and the pivot cost more than drawing the chart.
    positions = np.unique(position)
    width = last_fy - first_fy + 1
    cells = np.searchsorted(positions, position) * width + (fy - first_fy)
    supplied = ~np.isnan(values)
    _, first = np.unique(cells[supplied], return_index=True)
    grid = np.full(len(positions) * width, np.nan)
    grid[cells[supplied][first]] = values[supplied][first]
    return pd.DataFrame(
        grid.reshape(len(positions), width),
        index=pd.Index(positions, name="position"),
        columns=pd.Index(range(first_fy, last_fy + 1), name="fy"),
    )


def missing_periods(
    series: pd.DataFrame, expected: pd.DataFrame, *, keys: Sequence[str] = ("measure",)
) -> pd.DataFrame:
    """The expected figures (``keys`` + ``month``) that ``series`` lacks or holds as
    not supplied, one row each, sorted."""
    keys = list(keys)
    merged = (
        expected[[*keys, "month"]]
        .drop_duplicates()
        .merge(series[[*keys, "month", "value"]], on=[*keys, "month"], how="left")
    )
    return (
        merged[merged["value"].isna()][[*keys, "month"]]
        .sort_values([*keys, "month"])
        .reset_index(drop=True)
    )


def same_months_by_year(
    figures: dict[int, float], compared: Sequence[int], rule: str, years: int = EARLIER_YEARS
) -> list[float | None]:
    """A measure's figure for the months ``compared`` (month indexes of its figures in
    the period) in the period and in each of the ``years`` before it, oldest first, by
    the measure's rule: the bars of a like-for-like trend. The last two are the
    comparison's ``previous`` and ``current``; a year missing any of the months is
    None (missing is not zero)."""
    out: list[float | None] = []
    for back in range(years, -1, -1):
        values = [figures.get(m - 12 * back) for m in compared]
        if not values or any(v is None for v in values):
            out.append(None)
            continue
        known = cast(list[float], values)
        if rule == "mean":
            out.append(sum(known) / len(known))
        elif rule == "latest":
            out.append(known[-1])
        else:
            out.append(sum(known))
    return out
