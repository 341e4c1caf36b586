"""Sentences generated from the comparisons, for the dashboard and as draft text an
officer can edit in a report: "All crime rose by 20.4% (1,234 more crimes) in April
to January 2017/18 compared with the same period in 2016/17; the increase is
unlikely to be chance."

Pure functions of a comparison row (a dict from ``analysis.compare``) and the
measure's description: no database, no request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol, cast

from crimestats.comparisons import SMALL_BASE
from cspportal.lib import formats
from cspportal.lib.periods import (
    Period,
    PeriodKind,
    PeriodType,
    add_months,
    annual_window,
    compared_labels,
    figure_months_label,
    figure_period_label,
    index_to_date,
    month_label,
    month_run_label,
    months_label,
)
from reports.dashboard.analysis import Basis

if TYPE_CHECKING:
    from reports.dashboard.selectors import DashboardData

METHOD_NOTE = (
    f"'{formats.SIGNIFICANT}' means statistically significant at the 95% level: the exact "
    "test for the ratio of two Poisson counts (the conditional binomial test) finds that a "
    "change in counts this large would happen less than 1 time in 20 if nothing had really "
    f"changed. Any other change in counts '{formats.NOT_SIGNIFICANT.lower()}'. "
    "Percentages, money and averages are not tested. Where the earlier count is under "
    f"{SMALL_BASE}, the percentage change is marked as a small base (ONS practice): read "
    "the counts instead."
)
MISSING_NOTE = (
    "Missing figures are never counted as zero: a month (or quarter) missing in either "
    "year is left out of both years of the comparison."
)


ONS_SOURCE = "ONS recorded crime"


def source_phrase(period: Period) -> str:
    """Where a comparison on whole years comes from: "ONS recorded crime, year ending
    December 2024 and year ending December 2023"."""
    previous = period.previous_year()
    return (
        f"{ONS_SOURCE}, year ending {month_label(period.end)} and year ending "
        f"{month_label(previous.end)}"
    )


def on_whole_years(row: dict) -> bool:
    """Whether a comparison row was worked out from the ONS years ending."""
    return row.get("basis") == Basis.YEAR


class MeasureLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def frequency(self) -> str: ...

    @property
    def short_name(self) -> str: ...


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def noun(measure: MeasureLike, amount: float | None = None) -> str:
    """What the measure counts, plural unless ``amount`` is exactly one."""
    if measure.kind in ("crime", "flag"):
        word = "crime"
    elif measure.kind == "incident":
        word = "incident"
    else:
        return ""
    return word if amount == 1 else word + "s"


def comparison_period(measure: MeasureLike, period: Period) -> Period:
    """The period a measure is actually compared on: annual measures use the last
    complete financial year."""
    return annual_window(period) if measure.frequency == "annual" else period


def headline(measure: MeasureLike, row: dict, period: Period) -> str:
    """The headline sentence for one measure's comparison row."""
    window = comparison_period(measure, period)
    name = measure.short_name
    when = f"in {window.label} compared with {window.same_period_phrase()}"
    span = STEP_MONTHS.get(measure.frequency, 1)
    compared = [
        add_months(index_to_date(m), i) for m in row.get("compared") or [] for i in range(span)
    ]
    labels = compared_labels(window, compared)
    if compared and labels.current != window.short_label:
        # Some months were not supplied: name the months actually compared.
        when = f"in {labels.current} compared with {labels.previous}"
    if on_whole_years(row):
        when = f"in {window.label} compared with {window.previous_year().label}"
    current, previous, change = row.get("current"), row.get("previous"), row.get("change")
    if _missing(current) or _missing(previous):
        alone = row.get("current_alone")
        if not _missing(alone):
            return f"{name}: {standing_alone(measure, row, window)}"
        if _missing(current) and _missing(previous):
            return f"{name}: no figures for {window.label} or the year before."
        side = window.label if _missing(current) else window.previous_year().label
        return f"{name}: no comparison is possible because the figures for {side} are missing."
    # Both sides are present from here on, and so is the change between them.
    current, previous, change = cast(float, current), cast(float, previous), cast(float, change)
    unit = measure.unit
    if change == 0:
        text = f"{name} was unchanged at {formats.value(current, unit)} {when}"
    elif unit == "percentage":
        verb = "rose" if change > 0 else "fell"
        text = (
            f"{name} {verb} from {formats.value(previous, unit)} to "
            f"{formats.value(current, unit)} ({abs(change):,.1f} percentage points) {when}"
        )
    else:
        verb = "rose" if change > 0 else "fell"
        more = "more" if change > 0 else ("fewer" if unit == "count" else "less")
        amount = formats.value(abs(change), unit)
        things = f" {noun(measure, abs(change))}" if noun(measure) and unit == "count" else ""
        counts = f"{amount} {more}{things}"
        pct = row.get("pct_change")
        if _missing(pct):
            text = (
                f"{name} {verb} from {formats.value(previous, unit)} to "
                f"{formats.value(current, unit)} ({counts}) {when}"
            )
        elif row.get("small_base"):
            text = (
                f"{name} {verb} from {formats.value(previous, unit)} to "
                f"{formats.value(current, unit)} ({counts}; {formats.pct_change(pct)} "
                f"on a {formats.SMALL_BASE} of under {SMALL_BASE}) {when}"
            )
        else:
            text = f"{name} {verb} by {abs(cast(float, pct)):.1f}% ({counts}) {when}"
    significant = row.get("significant")
    if change != 0 and significant is not None and not _missing(significant):
        what = "increase" if change > 0 else "decrease"
        text += "; " + formats.significance_clause(bool(significant), what)
    text += "."
    if on_whole_years(row):
        text += f" Source: {source_phrase(window)}."
    left_out = missing_clause(row, measure.frequency)
    if left_out:
        text += " " + left_out
    return text


PARTNERSHIP_KINDS = ("partnership", "survey")


def measure_sentence(
    measure: MeasureLike, row: dict, period: Period, figures: dict[int, float], aggregation: str
) -> str:
    """The sentence for one measure: its comparison (``headline``), or its figure for
    the period with nothing to compare it with; but a partnership measure with no
    figure in the period gives its latest figure and the window it covers instead
    (``latest_sentence``), as partnerships report them."""
    if (
        measure.kind in PARTNERSHIP_KINDS
        and (_missing(row.get("current")) or _missing(row.get("previous")))
        and _missing(row.get("current_alone"))
    ):
        latest = latest_figure(measure, figures, aggregation)
        if latest is not None:
            return latest_sentence(measure, latest)
    return headline(measure, row, period)


def amount_phrase(measure: MeasureLike, amount: float) -> str:
    """A figure with what it counts: "1,321 crimes", "67%", "£10,000", "1,753"."""
    things = noun(measure, amount) if measure.unit == "count" else ""
    text = formats.value(amount, measure.unit)
    return f"{text} {things}" if things else text


def _named(period: Period) -> str:
    """A period as a sentence names the other side: "Q1 2022/23", "2022/23", "the 12
    months to May 2024"."""
    return period.short_label if period.kind == PeriodKind.QUARTER else period.label


def standing_alone(measure: MeasureLike, row: dict, window: Period) -> str:
    """A figure that has nothing to compare with, and why: "1,321 crimes in Q1
    2023/24 (May to June 2023). No comparison: there are no figures for Q1
    2022/23." The figure is the period's own (``current_alone``), over the months it
    has (``supplied_current``)."""
    amount = cast(float, row["current_alone"])
    if row.get("basis") == Basis.YEAR_ALONE:
        previous = window.previous_year()
        return (
            f"{amount_phrase(measure, amount)} in {window.label} ({ONS_SOURCE}). No "
            f"comparison: there is no ONS figure for {previous.label}, and monthly "
            "figures are never compared with a whole year."
        )
    supplied = covered_months(row, measure.frequency)
    text = f"{amount_phrase(measure, amount)} in {figure_months_label(window, supplied)}."
    previous = window.previous_year()
    # Every figure is left out of a comparison that has none: the year before has no
    # figure at all when each of its figures is missing.
    if len(row.get("missing_previous") or []) >= int(row.get("expected") or 0):
        return f"{text} No comparison: there are no figures for {_named(previous)}."
    before = [add_months(m, -12) for m in supplied]
    return f"{text} No comparison: there are no figures for {months_label(before)}."


def covered_months(row: dict, frequency: str) -> list[date]:
    """The months the period's own figures cover (``supplied_current`` holds each
    figure's first month; a quarterly figure covers three, an annual one twelve)."""
    span = STEP_MONTHS.get(frequency, 1)
    return [
        add_months(index_to_date(m), i)
        for m in row.get("supplied_current") or []
        for i in range(span)
    ]


def missing_clause(row: dict, frequency: str = "monthly") -> str:
    """ "June 2017 is missing, so the same months of the other year are left out of
    the comparison too." (a quarterly measure names its quarters) or empty (also when
    the comparison is on whole ONS years, which leave nothing out)."""
    if on_whole_years(row):
        return ""
    current = [index_to_date(m) for m in row.get("missing_current") or []]
    previous = [index_to_date(m) for m in row.get("missing_previous") or []]
    if not current and not previous:
        return ""
    missing = sorted(current) + sorted(previous)
    if frequency == "quarterly":
        names = join_names([figure_period_label(PeriodType.QUARTER, m) for m in missing])
        same = "quarters"
    else:
        names = join_names([month_label(m) for m in missing])
        same = "months"
    verb = "is" if len(missing) == 1 else "are"
    return (
        f"{names} {verb} missing, so the same {same} of the other year are left out of the "
        "comparison too."
    )


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def comparison_notes(data: DashboardData, only: str | None = None) -> list[str]:
    """The notes printed under a comparison table: the method, and every figure left
    out because it is missing; with ``only`` (a measure code), that measure's notes.

    A measure with no figures in either year gets no note: its headline and the data
    completeness table already say so, and a list of every month would drown the rest.
    """
    notes = [METHOD_NOTE, MISSING_NOTE]
    measures = [m for m in data.measures if only is None or m.code == only]
    names = {m.code: m.short_name for m in measures}
    on_years = []
    # Measures missing the same months share one note ("MARAC cases discussed and
    # Children in MARAC households: Q3 2017/18 ... is missing, ...").
    by_clause: dict[str, list[str]] = {}
    for row in data.records:
        if row["measure"] not in names:
            continue
        if on_whole_years(row):
            on_years.append(names[row["measure"]])
            continue
        if _missing(row.get("current")) and _missing(row.get("previous")):
            continue
        frequency = next(m.frequency for m in measures if m.code == row["measure"])
        clause = missing_clause(row, frequency)
        if clause:
            by_clause.setdefault(clause, []).append(names[row["measure"]])
    notes += [f"{join_names(which)}: {clause}" for clause, which in by_clause.items()]
    if on_years:
        notes.append(whole_years_note(data.period, on_years))
    if any(m.frequency == "annual" for m in measures):
        window = annual_window(data.period)
        notes.append(
            f"Annual measures compare the last complete financial year, {window.label}, "
            f"with {window.previous_year().label}."
        )
    return notes


def whole_years_note(period: Period, names: list[str]) -> str:
    """Says which measures are compared on the ONS years ending, and why."""
    earliest = period.shifted(-3)
    which = join_names(names) if len(names) <= 3 else f"{len(names)} measures"
    verb = "has" if len(names) == 1 else "have"
    return (
        f"{which} {verb} no complete monthly figures for {period.label} and the year "
        f"before, so {'it is' if len(names) == 1 else 'they are'} compared on whole "
        f"years: {source_phrase(period)} (the ONS Community Safety Partnership tables). "
        "Complete monthly figures are always used first, and the two are never mixed in "
        "one comparison. The average of the previous three years uses the ONS figures "
        f"for the years ending {month_label(earliest.end)} to "
        f"{month_label(period.previous_year().end)}, when all three are on record."
    )


# --- partnership measures: the latest figure -------------------------------------

FIGURES_A_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}
STEP_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}


@dataclass(frozen=True)
class LatestFigure:
    """A partnership measure's latest figure and the window it covers, with the
    figure for the window before it when there is one."""

    value: float
    label: str
    previous: float | None = None
    previous_label: str = ""
    # Whether the figure adds up twelve months of figures (a count reported yearly).
    twelve_months: bool = False


def _window_label(first: int, last: int, frequency: str) -> str:
    """The months from the first figure's first month to the last figure's last."""
    start = index_to_date(first)
    end = index_to_date(last + STEP_MONTHS[frequency] - 1)
    if frequency == "annual" and first == last:
        return figure_period_label(PeriodType.FINANCIAL_YEAR, start)
    if first == last and frequency == "quarterly":
        return figure_period_label(PeriodType.QUARTER, start)
    return month_run_label(start, end) if start != end else month_label(start)


def latest_figure(
    measure: MeasureLike, figures: dict[int, float], aggregation: str
) -> LatestFigure | None:
    """The latest figure of a partnership measure from its figures (month index of
    each figure's first month -> value; missing ones left out). A count that adds up
    (the ``sum`` rule) more often than yearly is given for the latest twelve months of
    figures when all of them are there, "346, October 2016 to September 2017", as
    partnerships report them; a percentage, a mean or an annual figure is the latest
    one on its own. The figure before is the same window a step earlier (the previous
    twelve months, or the figure before), when all of it is there."""
    known = {m: v for m, v in figures.items() if not _missing(v)}
    if not known:
        return None
    step = STEP_MONTHS[measure.frequency]
    per = FIGURES_A_YEAR[measure.frequency] if aggregation == "sum" else 1
    last = max(known)

    def window(end: int) -> tuple[float, str] | None:
        months = [end - step * i for i in range(per)]
        if not all(m in known for m in months):
            return None
        return sum(known[m] for m in months), _window_label(months[-1], end, measure.frequency)

    found = window(last)
    if found is None:
        # Not a whole year of figures yet: the latest figure on its own.
        per = 1
        found = window(last)
    assert found is not None  # the latest figure is known
    before = window(last - step * per)
    return LatestFigure(
        value=found[0],
        label=found[1],
        previous=before[0] if before else None,
        previous_label=before[1] if before else "",
        twelve_months=per > 1,
    )


def latest_sentence(measure: MeasureLike, latest: LatestFigure, *, area: str = "") -> str:
    """ "MARAC cases discussed: 346, October 2016 to September 2017, up from 335 in
    October 2015 to September 2016." or, with nothing earlier, "...: no earlier figure
    to compare with." """
    where = f" in {area}" if area else ""
    text = f"{measure.short_name}{where}: {amount_phrase(measure, latest.value)}, {latest.label}"
    if latest.previous is None:
        if latest.twelve_months:
            return f"{text}; the twelve months before are not all on record."
        return f"{text}; there is no earlier figure to compare it with."
    before = f"{formats.value(latest.previous, measure.unit)} in {latest.previous_label}"
    if latest.value == latest.previous:
        return f"{text}, the same as {before}."
    direction = "up" if latest.value > latest.previous else "down"
    return f"{text}, {direction} from {before}."


def no_location_lines(counts: list[tuple[date, str, int]]) -> list[str]:
    """ "78 crimes recorded in November 2024 had no location and are not in any
    area's figures." for each month (police.uk rows with no location)."""
    by_month: dict[date, dict[str, int]] = {}
    for month, kind, total in counts:
        by_month.setdefault(month, {})[kind] = by_month.get(month, {}).get(kind, 0) + total
    lines = []
    for month, kinds in sorted(by_month.items()):
        parts = []
        crimes = kinds.get("crime", 0)
        if crimes:
            parts.append(f"{crimes:,} crime{'' if crimes == 1 else 's'}")
        incidents = kinds.get("incident", 0)
        if incidents:
            parts.append(
                f"{incidents:,} anti-social behaviour incident{'' if incidents == 1 else 's'}"
            )
        if not parts:
            continue
        are = "is" if crimes + incidents == 1 else "are"
        lines.append(
            f"{' and '.join(parts)} recorded in {month_label(month)} had no location "
            f"(police.uk) and {are} not in any area's figures."
        )
    return lines


# --- the headline summary: a change in a few words ---------------------------------

TEST_NAME = "the exact test for the ratio of two Poisson counts (the conditional binomial test)"


def change_words(measure: MeasureLike, row: dict) -> str:
    """A comparison in a few words for the summary: "Up 20.4%, worse, and unlikely
    to be chance"; "Down 50.0% on a small base, which could be chance"; "Up 2.5
    points, better". Empty when either side is missing (the summary says which)."""
    current, previous, change = row.get("current"), row.get("previous"), row.get("change")
    if _missing(current) or _missing(previous) or _missing(change):
        return ""
    change = cast(float, change)
    if change == 0:
        return "No change"
    unit, pct = measure.unit, row.get("pct_change")
    direction = "Up" if change > 0 else "Down"
    if unit == "percentage":
        amount = f"{abs(change):,.1f} points"
    elif _missing(pct):
        amount = f"from {formats.value(previous, unit)} to {formats.value(current, unit)}"
    else:
        amount = f"{abs(cast(float, pct)):.1f}%"
        if row.get("small_base"):
            amount += f" on a {formats.SMALL_BASE}"
    words = f"{direction} {amount}"
    judged = {"better": "better", "worse": "worse"}.get(str(row.get("assessment")), "")
    significant = row.get("significant")
    if _missing(significant):
        return f"{words}, {judged}" if judged else words
    if not significant:
        return f"{words}, which {formats.NOT_SIGNIFICANT.lower()}"
    chance = formats.SIGNIFICANT.lower()
    return f"{words}, {judged}, and {chance}" if judged else f"{words}, {chance}"


def test_words(row: dict) -> str:
    """How sure the verdict is, for the reader who asks: the method and the p-value.
    Empty for a comparison that is not tested (percentages, money, averages)."""
    p = row.get("p_value")
    if _missing(row.get("significant")) or _missing(p):
        return ""
    verdict = formats.SIGNIFICANT if row["significant"] else formats.NOT_SIGNIFICANT
    return (
        f"{verdict}: {TEST_NAME} gives {formats.p_value(p)}. A p-value under 0.05 means "
        "a change this large would happen less than 1 time in 20 if nothing had really "
        "changed."
    )
