"""Figures fixtures: the test partnership reports a few measures, split between the
council and the police."""

from datetime import date

import pytest

from crimestats.models import DataReturn, Measure, PartnershipMeasure
from cspportal.lib.periods import PeriodType


@pytest.fixture
def measures(cast):
    """Quarterly MARAC cases and repeat % (police), IDVA referrals (council), and
    monthly all crime (police)."""
    chosen = {}
    for code, supplier in [
        ("marac-cases", cast.police),
        ("marac-repeat-pct", cast.police),
        ("idva-referrals", cast.council),
        ("funding-gbp", cast.council),
        ("all-crime", cast.police),
    ]:
        measure = Measure.objects.get(code=code)
        PartnershipMeasure.objects.create(
            partnership=cast.partnership, measure=measure, supplier=supplier
        )
        chosen[code] = measure
    return chosen


@pytest.fixture
def police_quarter(cast, measures) -> DataReturn:
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.police,
        period_type=PeriodType.QUARTER,
        period_start=date(2017, 4, 1),
        period_end=date(2017, 6, 30),
    )


@pytest.fixture
def council_quarter(cast, measures) -> DataReturn:
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.council,
        period_type=PeriodType.QUARTER,
        period_start=date(2017, 4, 1),
        period_end=date(2017, 6, 30),
    )
