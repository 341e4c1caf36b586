"""Whether a measure target is being met, from plain numbers (no Django, no database).

The comparison follows the dashboards' rules (docs/action-plans.md):

- like with like: the latest financial year to date (April to the latest month with
  figures) against the same months of the baseline year;
- missing is not zero: a month, or an area in a month, with no figure on either side
  is left out of both sides, and the page says which;
- % change = (current - baseline) / baseline, with no % when the baseline is 0 or
  missing; a count baseline under 50 is marked "small base" (ONS practice) --
  both from ``reports.dashboard.analysis``, which the dashboards use;
- a month's partnership figure is the whole-partnership figure, or for additive
  measures the sum of the areas when every area supplied one;
- a "reduce by 5%" target is met when the current figure is at or below 95% of the
  baseline; "increase by 5%" when it is at or above 105%.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pandas as pd

from crimestats.comparisons import SMALL_BASE, partnership_series, percent_change
from cspportal.lib.periods import (
    add_months,
    financial_year_label,
    financial_year_of,
    fytd,
    month_label,
)

REDUCE, INCREASE = "reduce", "increase"
SUM, MEAN, LATEST = "sum", "mean", "latest"
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
_STEPS = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}


class Outcome(enum.Enum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            "met": "On course to meet the target",
            "not_met": "Not meeting the target",
            "no_data": "Not enough figures to judge",
        }[self.value]


@dataclass(frozen=True)
class TargetEvaluation:
    outcome: Outcome
    baseline: Decimal | None = None
    current: Decimal | None = None
    target_value: Decimal | None = None
    pct_change: float | None = None
    small_base: bool = False
    period_label: str = ""
    notes: tuple[str, ...] = ()

    @property
    def is_met(self) -> bool:
        return self.outcome is Outcome.MET


def evaluate_target(
    *,
    baseline: Decimal | int | None,
    current: Decimal | int | None,
    direction: str,
    change_pct: Decimal | int | float,
    is_count: bool = True,
    period_label: str = "",
    notes: Iterable[str] = (),
) -> TargetEvaluation:
    """Judge ``current`` against ``baseline`` for a target to ``direction`` ("reduce"
    or "increase") by ``change_pct`` per cent."""
    if direction not in (REDUCE, INCREASE):
        raise ValueError(f"Unknown target direction {direction!r}.")
    notes = tuple(notes)
    if baseline is None or current is None:
        return TargetEvaluation(Outcome.NO_DATA, period_label=period_label, notes=notes)
    baseline, current = Decimal(baseline), Decimal(current)
    factor = Decimal(str(change_pct)) / 100
    target_value = baseline * (1 - factor) if direction == REDUCE else baseline * (1 + factor)
    if is_count:
        # A count meets "5% fewer than 1,367" (1,298.65) at 1,298 or fewer.
        rounding = ROUND_FLOOR if direction == REDUCE else ROUND_CEILING
        target_value = target_value.to_integral_value(rounding=rounding)
    met = current <= target_value if direction == REDUCE else current >= target_value
    pct = percent_change(float(current), float(baseline))
    small = is_count and baseline < SMALL_BASE
    return TargetEvaluation(
        Outcome.MET if met else Outcome.NOT_MET,
        baseline=baseline,
        current=current,
        target_value=target_value,
        pct_change=pct,
        small_base=small,
        period_label=period_label,
        notes=notes,
    )


@dataclass(frozen=True)
class Figure:
    """One monthly observation as plain values; ``value`` None means not supplied."""

    month: date
    area: str | None
    value: Decimal | None


@dataclass(frozen=True)
class Comparison:
    """The two sides of a target comparison, ready for ``evaluate_target``."""

    baseline: Decimal | None
    current: Decimal | None
    period_label: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def monthly_partnership_values(
    figures: Iterable[Figure], *, additive: bool, area_count: int
) -> dict[date, tuple[Decimal | None, bool]]:
    """Each month's figure for the whole partnership, by the dashboards' rule
    (``crimestats.comparisons.partnership_series``): the whole-partnership figure wins;
    otherwise an additive measure is the sum of its areas, only when every area
    supplied one. Returns month -> (value or None, partial)."""
    months: dict[date, dict] = {}
    for figure in figures:
        slot = months.setdefault(
            figure.month,
            {"whole": None, "whole_supplied": 0, "area_sum": Decimal(0), "area_supplied": 0},
        )
        if figure.value is None:
            continue
        if figure.area is None:
            slot["whole"], slot["whole_supplied"] = figure.value, 1
        else:
            slot["area_sum"] += figure.value
            slot["area_supplied"] += 1
    if not months:
        return {}
    ordered = sorted(months)
    frame = pd.DataFrame(
        {
            "measure": "m",
            "month": ordered,
            "whole_value": [float(months[m]["whole"] or 0) for m in ordered],
            "whole_supplied": [months[m]["whole_supplied"] for m in ordered],
            "area_sum": [float(months[m]["area_sum"]) for m in ordered],
            "area_supplied": [months[m]["area_supplied"] for m in ordered],
        }
    )
    series = partnership_series(frame, area_count=area_count, additive={"m"} if additive else set())
    result: dict[date, tuple[Decimal | None, bool]] = {}
    for month, value, partial in zip(ordered, series["value"], series["partial"], strict=True):
        if pd.isna(value):
            result[month] = (None, bool(partial))  # a part-sum is no figure
        elif months[month]["whole_supplied"]:
            result[month] = (months[month]["whole"], False)
        else:
            # Exact decimals, not the float the frame carries.
            result[month] = (months[month]["area_sum"], False)
    return result


def compare_year_to_date(
    figures: Iterable[Figure],
    *,
    baseline_year: int,
    aggregation: str = SUM,
    additive: bool = True,
    area_count: int = 0,
    as_of: date | None = None,
    frequency: str = MONTHLY,
) -> Comparison:
    """The latest financial year to date with figures (up to ``as_of``) against the
    same months of ``baseline_year``. A month missing on either side is left out of
    both, and a note says which.

    ``frequency`` says what each figure covers: "monthly", "quarterly" (a figure per
    financial quarter, dated by its first month) or "annual" (per financial year);
    ``Figure.month`` is always the first month of the figure's period."""
    step = _STEPS[frequency]
    figures = [f for f in figures if as_of is None or f.month <= as_of]
    values = monthly_partnership_values(figures, additive=additive, area_count=area_count)
    after = [
        m for m, (v, _) in values.items() if v is not None and financial_year_of(m) > baseline_year
    ]
    if not after:
        return Comparison(
            None,
            None,
            notes=(
                f"No figures yet for a financial year after {financial_year_label(baseline_year)}.",
            ),
        )
    if not any(
        v is not None and financial_year_of(m) == baseline_year for m, (v, _) in values.items()
    ):
        return Comparison(
            None,
            None,
            notes=(f"No figures for {financial_year_label(baseline_year)}, the baseline year.",),
        )
    current_period = fytd(add_months(max(after), step - 1))
    baseline_period = current_period.shifted(baseline_year - current_period.financial_year)
    current_values: list[Decimal] = []
    baseline_values: list[Decimal] = []
    notes: list[str] = []
    slots = [
        (month, base_month)
        for month, base_month in zip(current_period.months, baseline_period.months, strict=True)
        if (month.month - 4) % step == 0
    ]
    for month, base_month in slots:
        now, now_partial = values.get(month, (None, False))
        then, then_partial = values.get(base_month, (None, False))
        if now is not None and then is not None:
            current_values.append(now)
            baseline_values.append(then)
            continue
        gaps = []
        for day, value, partial in ((month, now, now_partial), (base_month, then, then_partial)):
            if value is None:
                gaps.append(
                    f"{month_label(day)}{' (only some areas supplied figures)' if partial else ''}"
                )
        notes.append(
            f"{month_label(month)} and {month_label(base_month)} left out: "
            f"no figure for {' or '.join(gaps)}."
        )
    label = current_period.comparison_label(baseline_period)
    if not current_values:
        return Comparison(None, None, label, tuple(notes))
    if aggregation == SUM:
        current, baseline = sum(current_values, Decimal(0)), sum(baseline_values, Decimal(0))
    elif aggregation == MEAN:
        current = sum(current_values, Decimal(0)) / len(current_values)
        baseline = sum(baseline_values, Decimal(0)) / len(baseline_values)
    elif aggregation == LATEST:
        current, baseline = current_values[-1], baseline_values[-1]
    else:
        raise ValueError(f"Unknown aggregation {aggregation!r}.")
    return Comparison(baseline, current, label, tuple(notes))
