"""The dashboards moved from crimestats to reports; their addresses did not, so links
in old committee papers and bookmarks keep working."""

import pytest
from django.urls import resolve, reverse

from reports.dashboard import views as dashboard_views

SLUG = "safer-chorley-and-south-ribble"


@pytest.mark.parametrize(
    ("name", "kwargs", "address", "view"),
    [
        ("reports:dashboard", {}, "/dashboard/", dashboard_views.dashboard),
        (
            "reports:dashboard_download",
            {"table": "crime", "fmt": "csv"},
            "/dashboard/download/crime.csv",
            dashboard_views.dashboard_download,
        ),
        ("reports:peer_group_list", {}, "/dashboard/peer-groups/", dashboard_views.peer_group_list),
        (
            "reports:peer_group_add",
            {},
            "/dashboard/peer-groups/add/",
            dashboard_views.peer_group_edit,
        ),
        (
            "reports:peer_group_edit",
            {"pk": 7},
            "/dashboard/peer-groups/7/change/",
            dashboard_views.peer_group_edit,
        ),
        (
            "reports:measure_detail",
            {"code": "all-crime"},
            "/measures/all-crime/",
            dashboard_views.measure_detail,
        ),
        (
            "reports:measure_download",
            {"code": "all-crime", "table": "areas", "fmt": "xlsx"},
            "/measures/all-crime/download/areas.xlsx",
            dashboard_views.measure_download,
        ),
    ],
)
def test_the_dashboard_pages_keep_their_addresses(name, kwargs, address, view):
    url = reverse(name, kwargs={"slug": SLUG, **kwargs})
    assert url == f"/partnerships/{SLUG}{address}"
    assert resolve(url).func is view
