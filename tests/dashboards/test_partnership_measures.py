"""Partnership measures (MARAC, community trigger, the residents' survey, funding) as
the demo stores them (crimestats/demo.py, after seed 001): their figures are printed
with the window they cover, never called missing."""

import html
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from crimestats.demo import QUARTERLY
from crimestats.models import Observation
from reports.dashboard.selectors import dashboard_comparison
from reports.sources import read_dashboard

SLUG = "safer-chorley-south-ribble"
URL = f"/partnerships/{SLUG}/dashboard/"


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    from partnerships.models import Partnership

    return Partnership.objects.get(slug=SLUG)


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_the_survey_and_funding_of_the_year_are_printed_with_no_year_to_compare(demo):
    # The whole of 2017/18: the survey (1,753 residents) and the PCC grant (£10,000),
    # with the earlier surveys taken away, are on record for 2017/18 and no year before.
    Observation.objects.filter(
        partnership=demo, measure__code="residents-surveyed", period_start__lt=date(2017, 4, 1)
    ).delete()
    report = dashboard_comparison(demo)
    assert report is not None
    assert report.label == "2017/18 compared with 2016/17"
    assert report.sentences["residents-surveyed"] == (
        "Residents surveyed in South Ribble: 1,753, 2017/18; there is no earlier figure to "
        "compare it with."
    )
    assert report.sentences["funding-gbp"] == (
        "Funding received: £10,000 in 2017/18. No comparison: there are no figures for 2016/17."
    )


def test_marac_cases_are_given_for_the_twelve_months_seed_001_reports(demo):
    # Seed 001: "between October 2016 and September 2017: 346 cases were discussed".
    cases = QUARTERLY["marac-cases"]
    assert sum(cases[2:6]) == 346
    from cspportal.lib.periods import rolling_12_months

    report = dashboard_comparison(demo, rolling_12_months(date(2017, 9, 1)))
    assert report is not None
    # Twelve months to September 2017 against the twelve before: a comparison exists
    # for the quarters on record on both sides, so the sentence compares them.
    crime, trends = read_dashboard(demo, start=date(2017, 4, 1), end=date(2017, 9, 30))
    marac = next(t for t in trends if t.code == "marac-cases")
    assert (marac.latest, marac.latest_label) == (346, "October 2016 to September 2017")
    assert (marac.previous, marac.previous_label) == (None, "")


def test_the_reports_partnership_measures_give_the_latest_figure_and_its_window(demo):
    crime, trends = read_dashboard(demo, start=date(2017, 4, 1), end=date(2018, 1, 31))
    by_code = {t.code: t for t in trends}
    surveyed = by_code["residents-surveyed"]
    assert (surveyed.latest, surveyed.latest_label) == (1753, "2017/18")
    assert (surveyed.previous, surveyed.previous_label) == (1702, "2016/17")
    assert surveyed.headline == (
        "Residents surveyed in South Ribble: 1,753, 2017/18, up from 1,702 in 2016/17."
    )
    cases = QUARTERLY["marac-cases"]
    marac = by_code["marac-cases"]
    # The coordinator's figures run to September 2017 (seed 001: "as of 20/02/18"):
    # the latest four quarters are October 2016 to September 2017, and the four before
    # them are not all on record (the figures start in April 2016).
    assert (marac.latest, marac.latest_label) == (sum(cases[2:6]), "October 2016 to September 2017")
    assert marac.latest == 346
    assert marac.previous is None


def test_the_dashboards_partnership_section_prints_the_survey(demo):
    manager = User.objects.get(email="manager@example.org")
    client = Client()
    client.force_login(manager)
    page = text_of(client.get(URL))
    assert ("Residents surveyed in South Ribble: 1,753, 2017/18, up from 1,702 in 2016/17.") in page
    assert (
        "Residents unsure whether the area is safe in South Ribble: 31.0%, 2017/18, down "
        "from 32.0% in 2016/17."
    ) in page


def test_a_missing_quarter_is_named_as_a_quarter(demo):
    # April 2017 to January 2018: MARAC figures run to September 2017, so Q3 2017/18
    # is missing and the two quarters on record are compared with the same two of
    # 2016/17.
    cases = QUARTERLY["marac-cases"]
    now, before = cases[4] + cases[5], cases[0] + cases[1]
    assert (now, before) == (174, 163)
    crime, trends = read_dashboard(demo, start=date(2017, 4, 1), end=date(2018, 1, 31))
    marac = next(t for t in trends if t.code == "marac-cases")
    assert marac.headline == (
        f"MARAC cases discussed rose by {(now - before) / before * 100:.1f}% ({now - before} "
        "more) in April to September 2017 compared with April to September 2016; the "
        "increase could be chance. Q3 2017/18 (October to December 2017) "
        "is missing, so the same quarters of the other year are left out of the comparison "
        "too."
    )


def test_measures_missing_the_same_quarter_share_one_note(demo):
    crime, _ = read_dashboard(demo, start=date(2017, 4, 1), end=date(2018, 1, 31))
    missing = [note for note in crime.notes if "is missing" in note]
    assert missing == [
        "MARAC cases discussed, Children in MARAC households, MARAC repeat cases, MARAC "
        "victims declaring a disability and MARAC male victims: Q3 2017/18 (October to "
        "December 2017) is missing, so the same quarters of the other year are left out of "
        "the comparison too."
    ]


def test_a_districts_own_survey_is_not_called_missing_in_the_completeness_panel(demo):
    manager = User.objects.get(email="manager@example.org")
    client = Client()
    client.force_login(manager)
    page = text_of(client.get(URL + "?period=fytd&month=2018-01"))
    assert (
        "No figures for either year: Funding received. On record for some areas only, so "
        "given by area under Partnership measures rather than for the whole partnership: "
        "Residents feeling safe (South Ribble), Residents surveyed (South Ribble) and "
        "Residents unsure whether the area is safe (South Ribble)."
    ) in page
