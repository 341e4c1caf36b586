"""Report fixtures: a report for the cast's partnership, and stand-in sources with
seed 001's figures so that layout and PDF tests do not depend on other apps' data."""

from datetime import date

import pytest

from actionplans.selectors import RagCounts
from cspportal.lib.periods import month_index, point_label
from reports import services, sources
from reports.chart_export import ChartExporter, set_exporter
from reports.sources import (
    ActionException,
    AreaComparison,
    CrimeFigures,
    MeasureComparison,
    MonthValue,
    PartnershipMeasureTrend,
    PlanProgress,
    ResolutionStatus,
    TrendPoint,
)

MONTHS = [date(2017, m, 1) for m in range(4, 13)] + [date(2018, 1, 1)]
PREVIOUS_MONTHS = [date(2016, m, 1) for m in range(4, 13)] + [date(2017, 1, 1)]


def _measure(
    code,
    name,
    previous,
    current,
    *,
    kind="crime",
    assessment="worse",
    sig=True,
    small=False,
    headline="",
):
    change = current - previous
    pct = round(change / previous * 100, 1)
    monthly = [round(current / 10)] * 9 + [current - 9 * round(current / 10)]
    monthly_prev = [round(previous / 10)] * 9 + [previous - 9 * round(previous / 10)]
    return MeasureComparison(
        code=code,
        name=name,
        group="Recorded crime",
        kind=kind,
        unit="count",
        previous=previous,
        current=current,
        change=change,
        pct=pct,
        assessment=assessment,
        significant=sig,
        small_base=small,
        headline=headline or f"{name} changed by {pct:+.1f}%.",
        by_area=[
            AreaComparison(
                "Chorley",
                round(previous * 0.5),
                round(current * 0.5),
                round((current - previous) / previous * 100, 1),
            ),
            AreaComparison(
                "South Ribble",
                previous - round(previous * 0.5),
                current - round(current * 0.5),
                pct,
            ),
        ],
        months=[MonthValue(m, v) for m, v in zip(MONTHS, monthly, strict=True)],
        months_previous=[
            MonthValue(m, v) for m, v in zip(PREVIOUS_MONTHS, monthly_prev, strict=True)
        ],
    )


def seed_crime_figures() -> CrimeFigures:
    return CrimeFigures(
        comparison_label="April to January 2017/18 compared with April to January 2016/17",
        crimes=[
            _measure(
                "all-crime",
                "All crime",
                10000,
                12040,
                headline="All crime rose by 20.4% (2,040 more crimes) in April to "
                "January 2017/18 compared with the same period in 2016/17; the increase "
                "is unlikely to be chance.",
            ),
            _measure("domestic-abuse-crimes", "Domestic abuse", 31, 38, sig=False, small=True),
            _measure("burglary", "All burglary", 500, 670),
            _measure("theft", "All theft", 2000, 2380),
            _measure(
                "alcohol-related-crime",
                "Alcohol related crime",
                1000,
                1009,
                sig=False,
                assessment="no_real_change",
            ),
        ],
        incidents=[
            _measure(
                "asb-incidents",
                "Anti-social behaviour",
                3000,
                2820,
                kind="incident",
                assessment="better",
            ),
        ],
        significance_method="Significance: exact test for the ratio of two Poisson counts, 95%.",
    )


QUARTERS = [date(2016, 4, 1), date(2016, 7, 1), date(2016, 10, 1), date(2017, 1, 1)] + [
    date(2017, 4, 1),
    date(2017, 7, 1),
]


def _quarters(values):
    return [
        TrendPoint(point_label(start, "quarterly"), value, month_index(start))
        for start, value in zip(QUARTERS, values, strict=True)
    ]


def seed_measures():
    """Seed 001's MARAC figures (346 cases and 454 children from October 2016 to
    September 2017) and resident confidence (67% in 2017/18) with their trends."""
    return [
        PartnershipMeasureTrend(
            code="marac-cases",
            name="MARAC cases discussed",
            group="Domestic abuse",
            unit="count",
            points=_quarters([80, 83, 84, 88, 85, 89]),
            latest_label="October 2016 to September 2017",
            latest=346,
            previous=None,
            headline="346 MARAC cases were discussed between October 2016 and September 2017.",
            source="MARAC coordinator",
        ),
        PartnershipMeasureTrend(
            code="marac-children",
            name="Children in MARAC households",
            group="Domestic abuse",
            unit="count",
            points=_quarters([105, 108, 110, 116, 112, 116]),
            latest_label="October 2016 to September 2017",
            latest=454,
            previous=None,
            headline="454 children lived in the households of the MARAC cases.",
            source="MARAC coordinator",
        ),
        PartnershipMeasureTrend(
            code="residents-feeling-safe-pct",
            name="Residents confident the area is safe",
            group="Residents' perception",
            unit="percentage",
            points=[
                TrendPoint("2015/16", 64, month_index(date(2015, 4, 1))),
                TrendPoint("2016/17", 65, month_index(date(2016, 4, 1))),
                TrendPoint("2017/18", 67, month_index(date(2017, 4, 1))),
            ],
            latest_label="April 2017 to January 2018",
            latest=67,
            previous=65,
            headline="67% of residents were confident that South Ribble is a safe place to live.",
            source="Council corporate survey",
        ),
    ]


def seed_plan():
    return PlanProgress(
        plan_name="Community Safety Action Plan 2017/18",
        as_of=date(2018, 1, 31),
        by_priority=[
            RagCounts("Anti-social behaviour", 0, 1, 3, 1, 2, 0),
            RagCounts("Violent crime", 1, 2, 4, 0, 1, 1),
        ],
        exceptions=[
            ActionException(
                "Operation Genga disruption",
                "Lancashire Constabulary",
                date(2018, 3, 31),
                "Red",
                "On track",
                "Red RAG status",
                "Warrant executed; outcomes under investigation.",
            ),
        ],
        totals=RagCounts("All actions", 1, 3, 7, 1, 3, 1),
    )


def seed_resolutions():
    return [
        ResolutionStatus(
            "Scrutiny Committee, 2017",
            date(2017, 3, 1),
            "6",
            "Future reports include resident confidence/safety perception data, "
            "including trends and comparisons.",
            "South Ribble Borough Council",
            "In progress",
            "The next annual report",
            False,
            "Survey data added to this report.",
        ),
    ]


@pytest.fixture
def seed_sources(monkeypatch):
    monkeypatch.setattr(
        sources, "read_dashboard", lambda p, **k: (seed_crime_figures(), seed_measures())
    )
    monkeypatch.setattr(sources, "read_plan_progress", lambda p, **k: seed_plan())
    monkeypatch.setattr(sources, "read_resolutions", lambda p, **k: seed_resolutions())


@pytest.fixture
def no_chromium():
    """Point the chart exporter at a Chromium that does not exist."""
    previous = set_exporter(ChartExporter("/nonexistent/chromium"))
    yield
    set_exporter(previous)


@pytest.fixture
def report(cast):
    return services.report_create(
        partnership=cast.partnership,
        created_by=cast.editor,
        type="annual",
        title="Progress Report",
        financial_year=2017,
        end_month=1,
        committee_name="Scrutiny Committee",
        meeting_date=date(2018, 3, 8),
        lead_member="Councillor Jacqui Mort",
        lead_officer="Jennifer Mullin",
    )
