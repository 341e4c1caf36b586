"""The demo figures reproduce the changes reported in seed 001, computed here from
the stored observations with plain sums."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from crimestats.models import DataReturn, Observation
from cspportal.lib.periods import PeriodType

pytestmark = pytest.mark.django_db

SLUG = "safer-chorley-south-ribble"


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=StringIO())


def _total(code, area, start, end, period_type=PeriodType.MONTH):
    rows = Observation.objects.filter(
        partnership__slug=SLUG,
        measure__code=code,
        period_type=period_type,
        period_start__gte=start,
        period_start__lte=end,
    )
    rows = rows.filter(area__isnull=True) if area is None else rows.filter(area__name=area)
    return sum(o.value for o in rows)


def _fytd_change(code, area):
    current = _total(code, area, date(2017, 4, 1), date(2018, 1, 1))
    previous = _total(code, area, date(2016, 4, 1), date(2017, 1, 1))
    return round(float((current - previous) / previous * 100), 1)


SEED_001_CHANGES = {
    ("all-crime", "South Ribble"): 20.4,
    ("all-crime", "Chorley"): 19.3,
    ("alcohol-related-crime", "South Ribble"): 0.9,
    ("asb-incidents", "South Ribble"): -6.0,
    ("domestic-abuse-crimes", "South Ribble"): 22.6,
    ("burglary", "South Ribble"): 34.0,
    ("theft-offences", "South Ribble"): 19.0,
}


def test_demo_gives_the_seed_changes_and_is_consistent(demo):
    changes = {key: _fytd_change(*key) for key in SEED_001_CHANGES}
    assert changes == SEED_001_CHANGES
    _check_plausible_monthly_all_crime()
    _check_burglary_is_the_sum_of_its_children()
    _check_marac_survey_and_funding()
    _check_three_years_back_and_approved_2016_17()


def _check_plausible_monthly_all_crime():
    values = Observation.objects.filter(
        partnership__slug=SLUG,
        measure__code="all-crime",
        period_start__gte=date(2016, 4, 1),
    ).values_list("value", flat=True)
    assert len(values) == 48
    assert min(values) >= 500 and max(values) <= 780


def _check_burglary_is_the_sum_of_its_children():
    for area in ("Chorley", "South Ribble"):
        for month in (date(2014, 4, 1), date(2016, 7, 1), date(2018, 3, 1)):
            parts = sum(
                _total(code, area, month, month)
                for code in ("burglary-residential", "burglary-non-residential")
            )
            assert _total("burglary", area, month, month) == parts


def _check_marac_survey_and_funding():
    q = PeriodType.QUARTER
    assert _total("marac-cases", None, date(2016, 10, 1), date(2017, 7, 1), q) == 346
    assert _total("marac-children", None, date(2016, 10, 1), date(2017, 7, 1), q) == 454
    y = PeriodType.FINANCIAL_YEAR
    year = date(2017, 4, 1)
    assert _total("residents-surveyed", "South Ribble", year, year, y) == 1753
    assert _total("residents-feeling-safe-pct", "South Ribble", year, year, y) == 67
    assert _total("residents-unsure-pct", "South Ribble", year, year, y) == 31
    # The MARAC coordinator's figures run to September 2017, as seed 001 has them.
    marac = Observation.objects.filter(partnership__slug=SLUG, measure__code="marac-cases")
    assert max(marac.values_list("period_end", flat=True)) == date(2017, 9, 30)
    funding = Observation.objects.filter(partnership__slug=SLUG, measure__code="funding-gbp")
    assert sorted(o.value for o in funding) == [Decimal("10000"), Decimal("24000")]
    assert all(o.note for o in funding)


def _check_three_years_back_and_approved_2016_17():
    assert _total("all-crime", "South Ribble", date(2014, 4, 1), date(2014, 4, 1)) > 0
    approved = DataReturn.objects.filter(partnership__slug=SLUG, period_start__lt=date(2017, 4, 1))
    # 36 months, 4 quarters from each of two organisations, and 2 earlier surveys.
    assert approved.count() == 36 + 8 + 2
    assert set(approved.values_list("status", flat=True)) == {DataReturn.Status.APPROVED}
    assert not Observation.objects.filter(
        partnership__slug=SLUG, period_start__lt=date(2017, 4, 1), is_approved=False
    ).exists()
    assert Observation.objects.filter(source=Observation.Source.DEMO).count() > 2000


def test_demo_runs_twice_without_changes(demo):
    before = Observation.history.count()
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    assert "Demo figures: 0 created, 0 updated." in out.getvalue()
    assert Observation.history.count() == before
