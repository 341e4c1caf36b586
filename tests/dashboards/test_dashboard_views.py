"""The dashboard page: access, the period printed, exact figures, the period form."""

import html
from datetime import date

import pytest

from crimestats.models import Measure
from cspportal.lib.periods import quarter
from reports.dashboard.selectors import dashboard_comparison
from tests.dashboards.builders import monthly

URL = "/partnerships/safer-testshire/dashboard/"


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_outsider_gets_404(figures, outsider_client):
    assert outsider_client.get(URL).status_code == 404


def test_anonymous_is_sent_to_sign_in(figures, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_an_editor_may_go_on_to_a_report_and_a_viewer_is_not_offered_one(
    figures, viewer_client, editor_client
):
    link = (
        '<a class="govuk-link" href="/partnerships/safer-testshire/reports/new/">'
        "Create a committee report from these figures</a>"
    )
    assert link in editor_client.get(URL).content.decode()
    assert "Create a committee report" not in viewer_client.get(URL).content.decode()


def test_viewer_sees_the_period_label_and_the_exact_comparison(figures, viewer_client):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "April to January 2017/18 compared with April to January 2016/17" in page
    # All crime: (1,200 + 550) against (1,000 + 500) = +16.7%.
    assert (
        "All crime rose by 16.7% (250 more crimes) in April to January 2017/18 compared "
        "with the same period in 2016/17; the increase is unlikely to be chance."
    ) in page
    assert (
        "Anti-social behaviour incidents fell by 10.0% (40 fewer incidents) in April to "
        "January 2017/18 compared with the same period in 2016/17; the decrease could be "
        "chance."
    ) in page
    assert (
        '<span class="app-assessment app-assessment--worse">'
        '<span class="app-assessment__arrow" aria-hidden="true">▲</span> Worse</span>'
    ) in page
    assert "Not available (1 of 3 years)" in page  # ASB has only one earlier year
    # The one place the method is spelt out, under the comparison table.
    assert (
        "'Unlikely to be chance' means statistically significant at the 95% level: the exact "
        "test for the ratio of two Poisson counts"
    ) in page
    assert "statistically significant." not in page


def test_asb_is_in_its_own_panel_apart_from_crime(figures, viewer_client):
    page = text_of(viewer_client.get(URL))
    crime = page.index('id="crime"')
    incidents = page.index('id="incidents"')
    assert page.index("Anti-social behaviour incidents</a>", incidents) > incidents
    assert "Anti-social behaviour incidents</a>" not in page[crime:incidents]


def test_a_quarter_compares_with_the_same_quarter(figures, viewer_client):
    response = viewer_client.get(URL, {"period": "quarter", "month": "2018-01"})
    page = text_of(response)
    assert (
        "Q3 2017/18 (October to December 2017) compared with Q3 2016/17 (October to December 2016)"
        in page
    )
    assert "All crime rose by 16.7% (75 more crimes)" in page


def test_an_unknown_month_is_refused_with_a_message_and_the_default_shown(figures, viewer_client):
    response = viewer_client.get(URL, {"period": "fytd", "month": "2031-01"})
    page = text_of(response)
    assert "Choose a month that has figures." in page
    assert "April to January 2017/18 compared with April to January 2016/17" in page


def test_a_missing_month_is_shown_as_missing_and_left_out(figures, viewer_client, cast):
    from crimestats.models import Observation

    Observation.objects.filter(
        partnership=cast.partnership,
        measure__code="all-crime",
        period_start=date(2017, 6, 1),
        area__name="North Testshire",
    ).update(value=None, status="not_supplied")
    page = text_of(viewer_client.get(URL))
    # June 2017 is missing for North Testshire, so the partnership total for June is
    # missing too: nine months each side.
    assert "All crime rose by 16.7% (225 more crimes)" in page
    assert (
        "June 2017 is missing, so the same months of the other year are left out of the "
        "comparison too." in page
    )
    assert "Data completeness" in page
    assert "Left out of both years" in page


def test_no_figures_says_so(cast, viewer_client):
    page = text_of(viewer_client.get(URL))
    assert "There are no figures for Safer Testshire CSP yet." in page


def test_the_page_uses_a_fixed_number_of_queries(
    figures, viewer_client, django_assert_num_queries, cast
):
    viewer_client.get(URL)
    # session, user, access, the measure catalogue (with each measure's first and
    # latest figure), areas, whole-partnership series, area figures, the action
    # plans' targets (the headline measures), the switcher, the span of each
    # source's figures and the police.uk rows with no location
    with django_assert_num_queries(11):
        viewer_client.get(URL)
    # More measures, more areas and more targets do not add queries.
    from tests.factories import AreaFactory, MeasureTargetFactory, ObjectiveFactory

    area = AreaFactory(partnership=cast.partnership, name="East Testshire")
    monthly(cast.partnership, "burglary", date(2016, 4, 1), [5] * 22, area=area)
    monthly(cast.partnership, "theft-offences", date(2016, 4, 1), [7] * 22)
    objective = ObjectiveFactory(plan__partnership=cast.partnership)
    for code in ("burglary", "theft-offences"):
        MeasureTargetFactory(objective=objective, measure=Measure.objects.get(code=code))
    with django_assert_num_queries(11):
        viewer_client.get(URL)


def test_dashboard_comparison_for_code_without_a_request(figures, cast):
    report = dashboard_comparison(cast.partnership, quarter(2017, 3))
    assert report.label == (
        "Q3 2017/18 (October to December 2017) compared with Q3 2016/17 (October to December 2016)"
    )
    row = report.table.set_index("measure").loc["all-crime"]
    assert (row["current"], row["previous"]) == (525.0, 450.0)
    assert report.sentences["all-crime"].startswith(
        "All crime rose by 16.7% (75 more crimes) in Q3 2017/18"
    )
    assert report.sentences["marac-cases"] == (
        "MARAC cases discussed rose from 29 to 35 (6 more; +20.7% on a small base of under 50) "
        "in Q3 2017/18 (October to December 2017) compared with the same period in 2016/17; "
        "the increase could be chance."
    )


@pytest.mark.parametrize("table", ["headline-crime", "areas", "chart-trend-all-crime"])
def test_outsider_gets_404_for_downloads(figures, outsider_client, table):
    assert outsider_client.get(f"{URL}download/{table}.csv").status_code == 404


def test_a_measure_with_no_figures_in_either_year_gets_no_list_of_months(figures, viewer_client):
    # April 2015 to January 2016 against a year earlier: anti-social behaviour starts in
    # April 2016, so it has no figures on either side. Its headline and the completeness
    # table say so; the notes do not list twenty months.
    page = text_of(viewer_client.get(URL, {"period": "fytd", "month": "2016-01"}))
    assert (
        "Anti-social behaviour incidents: no figures for April to January 2015/16 or the "
        "year before." in page
    )
    assert "Anti-social behaviour incidents: April 2015" not in page
    # Said once, naming the measure, not as a row of the completeness table.
    assert "No figures for either year: Anti-social behaviour incidents." in page
    assert page.count("No figures for either year") == 1


def test_the_measure_page_notes_only_its_own_missing_figures(figures, viewer_client, cast):
    from crimestats.models import Observation

    Observation.objects.filter(
        partnership=cast.partnership, measure__code="asb-incidents", period_start=date(2017, 6, 1)
    ).update(value=None, status="not_supplied")
    note = (
        "Anti-social behaviour incidents: June 2017 is missing, so the same months of the "
        "other year are left out of the comparison too."
    )
    assert note in text_of(viewer_client.get(URL))
    assert note in text_of(
        viewer_client.get("/partnerships/safer-testshire/measures/asb-incidents/")
    )
    assert "June 2017 is missing" not in text_of(
        viewer_client.get("/partnerships/safer-testshire/measures/all-crime/")
    )
