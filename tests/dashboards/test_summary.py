"""The dashboard's first screen: which measures are headlines, each card's figures,
its change in words and its trend (reports.dashboard.summary).

The cast's figures (tests/dashboards/conftest.py) open on April to January 2017/18:
all crime 150 a month before April 2017 and 175 after (North 100 -> 120, South
50 -> 55); ASB incidents 40 a month in 2016/17, 36 in 2017/18, none before.
"""

from __future__ import annotations

from datetime import date

import pytest
from scipy import stats

from cspportal.lib.periods import PeriodKind, financial_year, period_for
from reports.dashboard import analysis, narrative, summary
from reports.dashboard.selectors import MeasureInfo, priority_measures
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    MeasureTargetFactory,
    ObjectiveFactory,
    PriorityFactory,
)

URL = "/partnerships/safer-testshire/dashboard/"
HOW_SURE_TAIL = (
    "A p-value under 0.05 means a change this large would happen less than 1 time in 20 "
    "if nothing had really changed."
)


def _measure(code: str = "x", **overrides) -> MeasureInfo:
    fields = {
        "id": 1,
        "code": code,
        "name": f"{code} (gloss)",
        "group": "",
        "unit": "count",
        "polarity": "down_good",
        "kind": "crime",
        "aggregation": "sum",
        "frequency": "monthly",
        "is_headline": False,
        "is_additive": True,
    }
    return MeasureInfo(**(fields | overrides))


def _target(partnership, code: str, priority: str | None, *, start_year: int = 2024):
    from crimestats.models import Measure

    plan = ActionPlanFactory(partnership=partnership, start_year=start_year, end_year=start_year)
    objective = ObjectiveFactory(
        plan=plan,
        priority=PriorityFactory(partnership=partnership, name=priority) if priority else None,
    )
    return MeasureTargetFactory(objective=objective, measure=Measure.objects.get(code=code))


# --- which measures -----------------------------------------------------------------


def test_without_targets_the_headlines_are_all_crime_and_asb(figures, viewer_client):
    cards = viewer_client.get(URL).context["headlines"]
    assert [(c.measure.code, c.priority) for c in cards] == [
        ("all-crime", ""),
        ("asb-incidents", ""),
    ]


def test_targets_choose_the_headlines_after_all_crime_each_named_by_its_priority(
    figures, viewer_client
):
    p = figures.partnership
    _target(p, "marac-cases", "Domestic abuse")
    _target(p, "asb-incidents", "Anti-social behaviour", start_year=2023)
    # A target on an action, under an objective of the newest plan.
    objective = ObjectiveFactory(
        plan=ActionPlanFactory(partnership=p, start_year=2025, end_year=2025),
        priority=PriorityFactory(partnership=p, name="Violent crime"),
    )
    MeasureTargetFactory(
        objective=None, action=ActionFactory(objective=objective), measure=_all_crime()
    )
    # Another partnership's target is not this one's headline.
    _target(figures.other_partnership, "burglary", "Burglary")
    cards = viewer_client.get(URL).context["headlines"]
    # All crime first, with its priority (a target names it); then the newest plan's.
    assert [(c.measure.code, c.priority) for c in cards] == [
        ("all-crime", "Violent crime"),
        ("marac-cases", "Domestic abuse"),
        ("asb-incidents", "Anti-social behaviour"),
    ]
    assert priority_measures(p) == [
        ("all-crime", "Violent crime"),
        ("marac-cases", "Domestic abuse"),
        ("asb-incidents", "Anti-social behaviour"),
    ]


def _all_crime():
    from crimestats.models import Measure

    return Measure.objects.get(code="all-crime")


def test_at_most_six_headlines_each_once_and_only_measures_with_figures():
    measures = [_measure(c) for c in ("all-crime", "a", "b", "c", "d", "e", "f", "g")]
    targets = [("b", "B"), ("a", "A"), ("b", "again"), ("unknown", "U")] + [
        (c, c.upper()) for c in "cdefg"
    ]
    chosen = summary.headline_measures(measures, targets)
    assert [(m.code, p) for m, p in chosen] == [
        ("all-crime", ""),
        ("b", "B"),
        ("a", "A"),
        ("c", "C"),
        ("d", "D"),
        ("e", "E"),
    ]
    # No targets and no ASB figures: all crime alone.
    assert [m.code for m, _ in summary.headline_measures(measures[:1], [])] == ["all-crime"]


# --- a card ---------------------------------------------------------------------------


def test_each_card_has_the_figures_the_change_in_words_and_the_test_one_click_away(
    figures, viewer_client
):
    crime, asb = viewer_client.get(URL).context["headlines"]
    # All crime: 10 months of 175 against 10 of 150, the same in the three years before.
    p_crime = stats.binomtest(1750, 1750 + 1500, 0.5).pvalue
    assert p_crime < 0.001
    assert (crime.value, crime.period_label, crime.previous, crime.previous_label) == (
        "1,750",
        "Apr-Jan 2017/18",
        "1,500",
        "Apr-Jan 2016/17",
    )
    assert crime.change == "Up 16.7%, worse, and unlikely to be chance"
    assert (crime.assessment, crime.arrow, crime.note) == ("worse", "▲", "")
    assert crime.how_sure == (
        "Unlikely to be chance: the exact test for the ratio of two Poisson counts (the "
        f"conditional binomial test) gives p < 0.001. {HOW_SURE_TAIL}"
    )
    assert crime.url == "/partnerships/safer-testshire/measures/all-crime/"
    assert crime.trend is not None
    assert crime.trend.values == [1500.0, 1500.0, 1500.0, 1750.0]
    assert crime.trend.description == (
        "The same months in each year. Apr-Jan 2014/15: 1,500; Apr-Jan 2015/16: 1,500; "
        "Apr-Jan 2016/17: 1,500; Apr-Jan 2017/18: 1,750."
    )
    # ASB: 360 against 400, which the test cannot tell from chance.
    p_asb = stats.binomtest(360, 760, 0.5).pvalue
    assert round(p_asb, 3) == 0.157
    assert (asb.value, asb.previous) == ("360", "400")
    assert asb.change == "Down 10.0%, which could be chance"
    assert asb.assessment == "no_real_change"
    assert asb.how_sure == (
        "Could be chance: the exact test for the ratio of two Poisson counts (the "
        f"conditional binomial test) gives p = {p_asb:.3f}. {HOW_SURE_TAIL}"
    )
    # No ASB figures before April 2016: those two years have no bar, and say so.
    assert asb.trend is not None
    assert asb.trend.values == [None, None, 400.0, 360.0]
    assert [b.text for b in asb.trend.bars] == ["Not supplied", "Not supplied", "400", "360"]
    assert [b.height for b in asb.trend.bars] == [0.0, 0.0, 40.0, 36.0]


def test_the_trend_table_holds_the_numbers_of_every_cards_bars(figures, viewer_client):
    response = viewer_client.get(URL)
    table = response.context["headline_trends"]
    assert table.headers == [
        "Measure",
        "Apr-Jan 2014/15",
        "Apr-Jan 2015/16",
        "Apr-Jan 2016/17",
        "Apr-Jan 2017/18",
    ]
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["All crime", "1,500", "1,500", "1,500", "1,750"],
        ["Anti-social behaviour incidents", "Missing", "Missing", "400", "360"],
    ]
    # It downloads like every dashboard table.
    csv = viewer_client.get(f"{URL}download/headline-trends.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[2] == (
        "Anti-social behaviour incidents,,,400.0,360.0,"
        "April to January 2017/18 compared with April to January 2016/17"
    )


def test_a_card_with_nothing_to_compare_says_why(figures, viewer_client):
    # April to January 2015/16: ASB has no figures for it or the year before.
    cards = viewer_client.get(URL, {"period": "fytd", "month": "2016-01"}).context["headlines"]
    asb = cards[1]
    assert (asb.value, asb.previous, asb.change, asb.trend) == (
        "Not supplied",
        "Not supplied",
        "",
        None,
    )
    assert asb.note == "No figure for April to January 2015/16, so no comparison."


# --- the words and the bars, from plain values ---------------------------------------


@pytest.mark.parametrize(
    ("overrides", "row", "words"),
    [
        ({}, {"current": 120, "previous": 100, "change": 20, "pct_change": 20.0}, "Up 20.0%"),
        (
            {},
            {"current": 5, "previous": 4, "change": 1, "pct_change": 25.0, "small_base": True},
            "Up 25.0% on a small base",
        ),
        ({}, {"current": 3, "previous": 0, "change": 3, "pct_change": None}, "Up from 0 to 3"),
        ({}, {"current": 7, "previous": 7, "change": 0, "pct_change": 0.0}, "No change"),
        (
            {"unit": "percentage", "polarity": "up_good"},
            {"current": 70.5, "previous": 68.0, "change": 2.5, "assessment": "better"},
            "Up 2.5 points, better",
        ),
        (
            {"polarity": "neutral"},
            {"current": 90, "previous": 120, "change": -30, "pct_change": -25.0},
            "Down 25.0%",
        ),
    ],
)
def test_change_words(overrides, row, words):
    measure = _measure(**overrides)
    assert narrative.change_words(measure, {"significant": None, **row}) == words


def test_change_words_with_the_tests_verdict():
    row = {"current": 120, "previous": 100, "change": 20, "pct_change": 20.0}
    m = _measure()
    significant = {**row, "significant": True, "assessment": "worse", "p_value": 0.01}
    assert narrative.change_words(m, significant) == "Up 20.0%, worse, and unlikely to be chance"
    neutral = {**significant, "assessment": "changed"}
    assert narrative.change_words(m, neutral) == "Up 20.0%, unlikely to be chance"
    chance = {**row, "significant": False, "assessment": "no_real_change", "p_value": 0.3}
    assert narrative.change_words(m, chance) == "Up 20.0%, which could be chance"
    assert narrative.change_words(m, {**row, "previous": None}) == ""
    assert narrative.test_words({**row, "significant": None, "p_value": None}) == ""


def test_trend_bars_scale_from_zero_to_the_largest_with_a_gap_for_a_missing_year():
    drawn = summary.trend([100.0, None, 50.0, 200.0], ["A", "B", "C", "D"], "count")
    assert drawn is not None
    # 96 units wide with three gaps of 4: bars 21 wide; 40 high at the largest.
    assert [(b.x, b.y, b.width, b.height, b.current) for b in drawn.bars] == [
        (0.0, 20.0, 21.0, 20.0, False),
        (25.0, 40.0, 21.0, 0.0, False),
        (50.0, 30.0, 21.0, 10.0, False),
        (75.0, 0.0, 21.0, 40.0, True),
    ]
    assert (
        drawn.description == "The same months in each year. A: 100; B: Not supplied; C: 50; D: 200."
    )
    # One year alone is no trend.
    assert summary.trend([None, None, None, 5.0], ["A", "B", "C", "D"], "count") is None


def test_same_months_by_year_leaves_a_year_out_when_any_month_is_missing():
    april, may = 2017 * 12 + 3, 2017 * 12 + 4
    figures = {april: 10.0, may: 20.0, april - 12: 8.0, may - 12: 12.0, april - 24: 5.0}
    assert analysis.same_months_by_year(figures, [april, may], "sum") == [None, None, 20.0, 30.0]
    assert analysis.same_months_by_year(figures, [april, may], "mean") == [None, None, 10.0, 15.0]
    assert analysis.same_months_by_year(figures, [april, may], "latest") == [
        None,
        None,
        12.0,
        20.0,
    ]


def test_a_year_to_date_that_reaches_march_is_the_financial_year():
    assert period_for(PeriodKind.FYTD, date(2018, 3, 1)) == financial_year(2017)
    assert period_for(PeriodKind.FYTD, date(2018, 3, 1)).label == "2017/18"
    assert period_for(PeriodKind.FYTD, date(2018, 2, 1)).label == "April to February 2017/18"
