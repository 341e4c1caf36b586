"""The public dashboard prints the signed-in dashboard's sections (one template,
reports/dashboard/_sections.html), and says that a gap may be a figure not yet
approved."""

from __future__ import annotations

from django.template.loader import render_to_string

from reports.tables import Cell, Table

PUBLIC = "These figures are missing or not yet approved. Missing is never counted as zero"
SIGNED_IN = "These figures are missing. Missing is never counted as zero"


def _sections(**extra) -> str:
    gaps = Table(
        caption="Missing figures",
        headers=["Measure", "Missing"],
        rows=[[Cell("All crime", "All crime"), Cell("March 2017", "March 2017")]],
        id="completeness",
    )
    return render_to_string(
        "reports/dashboard/_sections.html",
        {
            "sections": [],
            "area_table": None,
            "completeness": gaps,
            "caveats": [],
            "partnership": {"slug": "safer-testshire"},
            **extra,
        },
    )


def test_the_completeness_panel_says_what_a_gap_is():
    public, signed_in = _sections(approved_only=True), _sections()
    assert public.count(PUBLIC) == 1 and SIGNED_IN not in public
    assert signed_in.count(SIGNED_IN) == 1 and PUBLIC not in signed_in
    assert public.count("<td") == signed_in.count("<td") == 2  # the one gap, two cells


def test_both_dashboards_print_the_same_sections(world, anonymous, viewer_client):
    public = anonymous.get("/public/safer-testshire/dashboard/").content.decode()
    signed_in = viewer_client.get("/partnerships/safer-testshire/dashboard/").content.decode()
    for section in ('id="crime"', 'id="areas"', 'id="completeness"', 'id="method"'):
        assert public.count(section) == signed_in.count(section) == 1
