"""Figures for the cast's partnership (Safer Testshire: North and South Testshire).

All crime, monthly by area, April 2014 to January 2018: North 100 a month before
April 2017 and 120 after; South 50 and 55. ASB incidents for the whole partnership
from April 2016: 40 a month, then 36. MARAC cases quarterly from Q1 2015/16.
"""

from datetime import date

import pytest

from cspportal.lib.periods import add_months, month_end
from partnerships.models import Area
from tests.dashboards.builders import monthly, periodic


@pytest.fixture
def figures(cast):
    p = cast.partnership
    north = Area.objects.get(partnership=p, name="North Testshire")
    south = Area.objects.get(partnership=p, name="South Testshire")
    monthly(p, "all-crime", date(2014, 4, 1), [100] * 36 + [120] * 10, area=north)
    monthly(p, "all-crime", date(2014, 4, 1), [50] * 36 + [55] * 10, area=south)
    monthly(p, "asb-incidents", date(2016, 4, 1), [40] * 12 + [36] * 10)
    quarters = [add_months(date(2015, 4, 1), 3 * i) for i in range(11)]
    periodic(
        p,
        "marac-cases",
        "quarter",
        [(q, month_end(add_months(q, 2))) for q in quarters],
        [20, 22, 24, 26, 25, 27, 29, 31, 30, 33, 35],
    )
    return cast
