"""The figures behind the report's two detail sections, MARAC and the residents'
survey, worked out from the partnership measures' trends (``sources.read_dashboard``).

Pure functions: they take the trends and return plain data, so that the section
builders (``reports.assembly``) and the drafts (``reports.drafts``) print the same
figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cspportal.lib import formats, periods
from reports.sources import PartnershipMeasureTrend

# MARAC figures in the order seed 001 prints them.
MARAC_CASES = "marac-cases"
MARAC_MEASURES = (
    MARAC_CASES,
    "marac-children",
    "marac-repeat-pct",
    "marac-disability-pct",
    "marac-male-pct",
)
SURVEY_ANSWERED = "residents-surveyed"
SURVEY_SAFE = "residents-feeling-safe-pct"
SURVEY_UNSURE = "residents-unsure-pct"
SURVEY_MEASURES = (SURVEY_ANSWERED, SURVEY_SAFE, SURVEY_UNSURE)
QUARTERS_A_YEAR = 4

WEIGHTING_NOTE = (
    "A percentage over several quarters is each quarter's percentage weighted by the "
    "cases discussed in that quarter, so it is the share of all the cases."
)
SURVEY_TEST_NOTE = (
    f"'{formats.SIGNIFICANT}' for the share feeling safe means statistically significant "
    "at the 95% level in a two-sided test for the difference of two proportions, using the "
    "number of residents who answered in each year. A change that "
    f"{formats.NOT_SIGNIFICANT.lower()} may be down to which residents answered."
)


@dataclass
class MaracQuarter:
    label: str
    values: dict[str, float | None]


@dataclass
class MaracWindow:
    """The latest run of quarters with MARAC cases on record (a whole year when all
    four are there, else the latest quarter), each quarter's figures and the figures
    over the run."""

    label: str
    quarters: list[MaracQuarter]
    totals: dict[str, float | None]
    # The measures on record, in seed 001's order: code -> (name, unit).
    measures: dict[str, tuple[str, str]]
    twelve_months: bool
    previous_cases: float | None = None
    previous_label: str = ""


def marac_window(trends: list[PartnershipMeasureTrend]) -> MaracWindow | None:
    by_code = {t.code: t for t in trends if t.code in MARAC_MEASURES and not t.area}
    cases = by_code.get(MARAC_CASES)
    if cases is None:
        return None
    known = {p.month: p.value for p in cases.points if p.month is not None and p.value is not None}
    if not known:
        return None
    last = max(known)
    run = [last - 3 * i for i in range(QUARTERS_A_YEAR)][::-1]
    if not all(m in known for m in run):
        run = [last]
    figures = {
        code: {p.month: p.value for p in trend.points if p.month is not None}
        for code, trend in by_code.items()
    }
    measures = {
        code: (by_code[code].name, by_code[code].unit) for code in MARAC_MEASURES if code in by_code
    }
    quarters = [
        MaracQuarter(
            label=periods.figure_period_label(periods.PeriodType.QUARTER, periods.index_to_date(m)),
            values={code: figures[code].get(m) for code in measures},
        )
        for m in run
    ]
    totals: dict[str, float | None] = {}
    for code, (_, unit) in measures.items():
        values = [v for v in (figures[code].get(m) for m in run) if v is not None]
        if len(values) < len(run):
            totals[code] = None
        elif unit == "percentage":
            weights = [known[m] for m in run]
            whole = sum(weights)
            weighted = sum(v * w for v, w in zip(values, weights, strict=True))
            totals[code] = weighted / whole if whole else None
        else:
            totals[code] = sum(values)
    start = periods.index_to_date(run[0])
    end = periods.add_months(periods.index_to_date(run[-1]), 2)
    label = quarters[0].label if len(run) == 1 else periods.month_run_label(start, end)
    return MaracWindow(
        label=label,
        quarters=quarters,
        totals=totals,
        measures=measures,
        twelve_months=len(run) == QUARTERS_A_YEAR,
        previous_cases=cases.previous if len(run) == QUARTERS_A_YEAR else None,
        previous_label=cases.previous_label if len(run) == QUARTERS_A_YEAR else "",
    )


@dataclass
class SurveyYear:
    label: str
    answered: float | None
    safe: float | None
    unsure: float | None


@dataclass
class SurveyArea:
    """One area's surveys (or the whole partnership's, ``area`` empty), oldest first,
    with whether the share feeling safe changed significantly since the survey before."""

    area: str
    years: list[SurveyYear]
    safe_change: float | None = None
    safe_change_significant: bool | None = None
    names: dict[str, str] = field(default_factory=dict)


def survey_areas(trends: list[PartnershipMeasureTrend]) -> list[SurveyArea]:
    grouped: dict[str, dict[str, PartnershipMeasureTrend]] = {}
    for trend in trends:
        if trend.code in SURVEY_MEASURES:
            grouped.setdefault(trend.area, {})[trend.code] = trend
    found = []
    for area, by_code in sorted(grouped.items()):
        values: dict[str, dict[int, float | None]] = {
            code: {p.month: p.value for p in trend.points if p.month is not None}
            for code, trend in by_code.items()
        }
        labels: dict[int, str] = {
            p.month: p.label
            for trend in by_code.values()
            for p in trend.points
            if p.month is not None
        }
        years = [
            SurveyYear(
                label=labels[m],
                answered=values.get(SURVEY_ANSWERED, {}).get(m),
                safe=values.get(SURVEY_SAFE, {}).get(m),
                unsure=values.get(SURVEY_UNSURE, {}).get(m),
            )
            for m in sorted(labels)
        ]
        years = [y for y in years if (y.answered, y.safe, y.unsure) != (None, None, None)]
        if not years:
            continue
        survey = SurveyArea(
            area=area,
            years=years,
            names={code: _base_name(trend) for code, trend in by_code.items()},
        )
        rated = [y for y in years if y.safe is not None]
        if len(rated) >= 2:
            before, latest = rated[-2], rated[-1]
            assert before.safe is not None and latest.safe is not None
            survey.safe_change = latest.safe - before.safe
            survey.safe_change_significant = proportions_differ(
                before.safe, before.answered, latest.safe, latest.answered
            )
        found.append(survey)
    return found


def _base_name(trend: PartnershipMeasureTrend) -> str:
    suffix = f" ({trend.area})"
    return trend.name[: -len(suffix)] if trend.area and trend.name.endswith(suffix) else trend.name


def proportions_differ(
    first_pct: float, first_n: float | None, second_pct: float, second_n: float | None
) -> bool | None:
    """Whether two survey percentages differ at 95% (two-sided z test for two
    proportions, pooled). ``None`` when either year's number answering is unknown."""
    if not first_n or not second_n:
        return None
    p1, p2 = first_pct / 100, second_pct / 100
    pooled = (p1 * first_n + p2 * second_n) / (first_n + second_n)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / first_n + 1 / second_n))
    if spread == 0:
        return p1 != p2
    z = abs(p1 - p2) / spread
    return math.erfc(z / math.sqrt(2)) < 0.05
