"""Headline sentences, exactly as an officer would reuse them."""

from dataclasses import dataclass
from datetime import date

from cspportal.lib.periods import fytd, month_index, rolling_12_months
from reports.dashboard import narrative

PERIOD = fytd(date(2018, 1, 1))


@dataclass
class M:
    name: str
    unit: str = "count"
    kind: str = "crime"
    frequency: str = "monthly"

    @property
    def short_name(self) -> str:
        return self.name.split(" (")[0]


def row(current, previous, *, significant=None, small_base=False, **extra):
    change = None if current is None or previous is None else current - previous
    pct = (change / previous * 100) if change is not None and previous and previous > 0 else None
    return {
        "current": current,
        "previous": previous,
        "change": change,
        "pct_change": pct,
        "significant": significant,
        "small_base": small_base,
        "missing_current": [],
        "missing_previous": [],
        **extra,
    }


def test_a_significant_rise_in_crime():
    text = narrative.headline(
        M("All crime (total recorded crime excluding fraud)"),
        row(6020, 5000, significant=True),
        PERIOD,
    )
    assert text == (
        "All crime rose by 20.4% (1,020 more crimes) in April to January 2017/18 compared "
        "with the same period in 2016/17; the increase is unlikely to be chance."
    )


def test_a_fall_in_incidents_that_is_not_significant():
    text = narrative.headline(
        M("Anti-social behaviour incidents", kind="incident"),
        row(94, 100, significant=False),
        PERIOD,
    )
    assert text == (
        "Anti-social behaviour incidents fell by 6.0% (6 fewer incidents) in April to "
        "January 2017/18 compared with the same period in 2016/17; the decrease could be "
        "chance."
    )


def test_a_small_base_gives_the_counts():
    text = narrative.headline(
        M("Domestic abuse-related crimes", kind="flag"),
        row(38, 31, significant=False, small_base=True),
        PERIOD,
    )
    assert text == (
        "Domestic abuse-related crimes rose from 31 to 38 (7 more crimes; +22.6% on a small "
        "base of under 50) in April to January 2017/18 compared with the same period in "
        "2016/17; the increase could be chance."
    )


def test_a_percentage_measure_moves_in_points():
    text = narrative.headline(
        M("Residents feeling safe (%)", unit="percentage", kind="survey", frequency="annual"),
        row(80.0, 74.5),
        PERIOD,
    )
    assert text == (
        "Residents feeling safe rose from 74.5% to 80.0% (5.5 percentage points) in 2016/17 "
        "compared with 2015/16."
    )


def test_a_missing_month_is_named():
    text = narrative.headline(
        M("Burglary"),
        row(900, 800, significant=True, missing_current=[month_index(date(2017, 6, 1))]),
        PERIOD,
    )
    assert text.endswith(
        "the increase is unlikely to be chance. June 2017 is missing, so the same "
        "months of the other year are left out of the comparison too."
    )


def test_no_comparison_without_the_earlier_figures():
    text = narrative.headline(M("Burglary"), row(900, None), PERIOD)
    assert text == (
        "Burglary: no comparison is possible because the figures for April to January "
        "2016/17 are missing."
    )


def test_unchanged_and_a_zero_base_and_rolling_wording():
    assert narrative.headline(M("Burglary"), row(50, 50, significant=False), PERIOD) == (
        "Burglary was unchanged at 50 in April to January 2017/18 compared with the same "
        "period in 2016/17."
    )
    assert narrative.headline(M("Burglary"), row(5, 0, significant=True), PERIOD) == (
        "Burglary rose from 0 to 5 (5 more crimes) in April to January 2017/18 compared "
        "with the same period in 2016/17; the increase is unlikely to be chance."
    )
    rolling = rolling_12_months(date(2018, 1, 1))
    assert narrative.headline(M("Burglary"), row(110, 100, significant=False), rolling) == (
        "Burglary rose by 10.0% (10 more crimes) in the 12 months to January 2018 compared "
        "with the previous 12 months (February 2016 to January 2017); the increase could be "
        "chance."
    )


def test_money_is_in_pounds():
    text = narrative.headline(
        M("Funding received", unit="gbp", kind="partnership"), row(11000.0, 10000.0), PERIOD
    )
    assert text == (
        "Funding received rose by 10.0% (£1,000 more) in April to January 2017/18 compared "
        "with the same period in 2016/17."
    )


def test_one_more_crime_is_singular():
    text = narrative.headline(M("Homicide"), row(2, 1, significant=False, small_base=True), PERIOD)
    assert text == (
        "Homicide rose from 1 to 2 (1 more crime; +100.0% on a small base of under 50) in "
        "April to January 2017/18 compared with the same period in 2016/17; the increase could "
        "be chance."
    )
    text = narrative.headline(
        M("Community trigger applications", kind="incident"),
        row(4, 5, significant=False, small_base=True),
        PERIOD,
    )
    assert "(1 fewer incident; -20.0% on a small base of under 50)" in text


def test_a_partnership_measures_latest_figure_names_its_window_and_the_one_before():
    from crimestats.demo import QUARTERLY

    quarters = {
        month_index(date(2016, 4, 1)) + 3 * i: float(v)
        for i, v in enumerate(QUARTERLY["marac-repeat-pct"][:6])
    }
    repeat = M("MARAC repeat cases (%)", "percentage", kind="partnership", frequency="quarterly")
    latest = narrative.latest_figure(repeat, quarters, "mean")
    assert narrative.latest_sentence(repeat, latest) == (
        "MARAC repeat cases: 26.0%, Q2 2017/18 (July to September 2017), down from 28.0% in "
        "Q1 2017/18 (April to June 2017)."
    )
    cases = {
        month_index(date(2016, 4, 1)) + 3 * i: float(v)
        for i, v in enumerate(QUARTERLY["marac-cases"][:6])
    }
    marac = M("MARAC cases discussed", "count", kind="partnership", frequency="quarterly")
    latest = narrative.latest_figure(marac, cases, "sum")
    assert narrative.latest_sentence(marac, latest) == (
        "MARAC cases discussed: 346, October 2016 to September 2017; the twelve months "
        "before are not all on record."
    )


def test_a_sentence_names_the_months_compared_when_one_is_missing():
    period = fytd(date(2018, 1, 1))
    compared = [month_index(m) for m in period.months if m != date(2017, 6, 1)]
    burglary = M("Burglary")
    sentence = narrative.headline(
        burglary,
        row(
            1200,
            1000,
            significant=True,
            compared=compared,
            missing_current=[month_index(date(2017, 6, 1))],
            missing_previous=[],
        ),
        period,
    )
    assert sentence == (
        "Burglary rose by 20.0% (200 more crimes) in April to May 2017 and July 2017 to "
        "January 2018 compared with April to May 2016 and July 2016 to January 2017; the "
        "increase is unlikely to be chance. June 2017 is missing, so the same months "
        "of the other year are left out of the comparison too."
    )


def test_the_method_note_says_in_words_what_unlikely_to_be_chance_means():
    assert narrative.METHOD_NOTE == (
        "'Unlikely to be chance' means statistically significant at the 95% level: the exact "
        "test for the ratio of two Poisson counts (the conditional binomial test) finds that a "
        "change in counts this large would happen less than 1 time in 20 if nothing had "
        "really changed. Any other change in counts 'could be chance'. Percentages, money and "
        "averages are not tested. Where the earlier count is under 50, the percentage change "
        "is marked as a small base (ONS practice): read the counts instead."
    )
