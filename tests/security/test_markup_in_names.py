"""A03: names typed by users (here an area's) reach the two places where the app
writes markup itself rather than through templates: the dashboard tables built in
Python and the charts' JSON data islands. Both print the name as text."""

import html
import json
import re
from datetime import date

import pytest

from partnerships.models import Area
from tests.dashboards.builders import monthly

HOSTILE = '</script><img src=x onerror="alert(1)">&amp;'
ISLAND = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.DOTALL)


@pytest.fixture
def hostile_area(cast):
    area = Area.objects.get(partnership=cast.partnership, name="North Testshire")
    area.name = HOSTILE
    area.save()
    monthly(cast.partnership, "all-crime", date(2016, 4, 1), [100] * 12 + [120] * 10, area=area)
    return area


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/safer-testshire/dashboard/",
        "/partnerships/safer-testshire/measures/all-crime/",
    ],
)
def test_an_area_name_with_markup_is_text_in_tables_and_chart_data(
    hostile_area, viewer_client, url
):
    page = viewer_client.get(url).content.decode()

    assert HOSTILE not in page
    assert "<img src=x" not in page
    assert html.escape(HOSTILE) in page  # the tables: escaped text
    islands = dict(ISLAND.findall(page))
    for text in islands.values():
        # Nothing in a data island can end the script element or start a tag...
        assert "<" not in text
        assert ">" not in text
    # ...and the chart still labels the bar with the name, exactly.
    bars = json.loads(islands["chart-data-areas-all-crime"])["data"]
    assert [bar["x"] for bar in bars] == [[HOSTILE, "South Testshire"]] * 2
