"""The report's recommendations, MARAC in detail and residents' survey sections
(seed 001's structure): their figures, drafts, empty states and the data migration
that gives existing reports the three sections."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from cspportal.lib.periods import add_months, month_index, point_label
from reports import detail, drafts, sources
from reports.assembly import assemble_report, gather_report_data
from reports.document import Block, text_to_numbered_list
from reports.models import ReportSection
from reports.sources import PartnershipMeasureTrend, TrendPoint
from tests.reports.conftest import seed_crime_figures, seed_plan, seed_resolutions

SLUG = "safer-testshire"
MIGRATION = importlib.import_module(
    "reports.migrations.0005_recommendations_marac_and_survey_sections"
)


def url(name, *args):
    return reverse(f"reports:{name}", args=[SLUG, *args])


def quarterly(code, name, unit, values, first=date(2016, 4, 1)):
    starts = [add_months(first, 3 * i) for i in range(len(values))]
    return PartnershipMeasureTrend(
        code=code,
        name=name,
        group="Domestic abuse",
        unit=unit,
        points=[
            TrendPoint(point_label(s, "quarterly"), v, month_index(s))
            for s, v in zip(starts, values, strict=True)
        ],
        latest_label="",
        latest=None,
        previous=None,
        headline="",
    )


def annual(code, name, unit, values, area="South Ribble"):
    points = [
        TrendPoint(f"{year}/{(year + 1) % 100:02d}", v, month_index(date(year, 4, 1)))
        for year, v in values.items()
    ]
    return PartnershipMeasureTrend(
        code=code,
        name=f"{name} ({area})" if area else name,
        group="Residents' perception",
        unit=unit,
        points=points,
        latest_label="",
        latest=None,
        previous=None,
        headline="",
        area=area,
    )


CASES = [80, 83, 84, 88, 85, 89]
CHILDREN = [105, 108, 110, 116, 112, 116]
REPEAT = [24, 26, 25, 27, 28, 26]
DISABILITY = [9, 8, 7, 9, 8, 8]


def marac_trends():
    return [
        quarterly("marac-cases", "MARAC cases discussed", "count", CASES),
        quarterly("marac-children", "Children in MARAC households", "count", CHILDREN),
        quarterly("marac-repeat-pct", "MARAC repeat cases", "percentage", REPEAT),
        quarterly(
            "marac-disability-pct", "MARAC victims declaring a disability", "percentage", DISABILITY
        ),
    ]


def survey_trends():
    return [
        annual("residents-surveyed", "Residents surveyed", "count", {2016: 1702, 2017: 1753}),
        annual(
            "residents-feeling-safe-pct",
            "Residents feeling safe",
            "percentage",
            {2016: 65, 2017: 67},
        ),
        annual(
            "residents-unsure-pct",
            "Residents unsure whether the area is safe",
            "percentage",
            {2016: 32, 2017: 31},
        ),
    ]


def test_the_marac_window_is_the_latest_four_quarters_with_shares_weighted_by_cases():
    window = detail.marac_window(marac_trends())
    assert window is not None
    assert window.label == "October 2016 to September 2017"
    assert [q.label for q in window.quarters] == [
        "Q3 2016/17 (October to December 2016)",
        "Q4 2016/17 (January to March 2017)",
        "Q1 2017/18 (April to June 2017)",
        "Q2 2017/18 (July to September 2017)",
    ]
    cases = CASES[2:6]
    assert window.totals["marac-cases"] == sum(cases) == 346
    assert window.totals["marac-children"] == sum(CHILDREN[2:6]) == 454
    weighted = sum(p * c for p, c in zip(REPEAT[2:6], cases, strict=True)) / sum(cases)
    assert window.totals["marac-repeat-pct"] == pytest.approx(weighted)
    assert window.totals["marac-repeat-pct"] == pytest.approx(9170 / 346)
    assert window.totals["marac-disability-pct"] == pytest.approx(2772 / 346)
    assert window.twelve_months is True


def test_a_marac_gap_leaves_the_latest_quarter_on_its_own():
    trends = marac_trends()
    # Take away Q4 2016/17: the four quarters to September 2017 are not all there.
    for trend in trends:
        trend.points = [p for p in trend.points if p.month != month_index(date(2017, 1, 1))]
    window = detail.marac_window(trends)
    assert window is not None
    assert window.label == "Q2 2017/18 (July to September 2017)"
    assert window.totals["marac-cases"] == 89
    assert window.twelve_months is False
    assert detail.marac_window([t for t in trends if t.code != "marac-cases"]) is None


def test_survey_changes_are_tested_for_significance_on_the_numbers_answering():
    (survey,) = detail.survey_areas(survey_trends())
    assert survey.area == "South Ribble"
    assert [(y.label, y.answered, y.safe, y.unsure) for y in survey.years] == [
        ("2016/17", 1702, 65, 32),
        ("2017/18", 1753, 67, 31),
    ]
    assert survey.safe_change == 2
    # 65% of 1,702 against 67% of 1,753: pooled z = 1.24, p = 0.21.
    assert survey.safe_change_significant is False
    # 60% of 2,000 against 67% of 2,000: z = 4.61, p < 0.001.
    assert detail.proportions_differ(60, 2000, 67, 2000) is True
    assert detail.proportions_differ(60, None, 67, 2000) is None


def test_the_drafts_print_the_marac_and_survey_figures_as_seed_001_does():
    class Data:
        measures = marac_trends() + survey_trends()
        plan = None

    assert drafts._marac(Data) == (
        f"{drafts.MARAC_INTRODUCTION}\n\nThe latest MARAC figures on record, for October 2016 "
        "to September 2017, show that:\n"
        "- 346 cases were discussed\n"
        "- 454 children lived in the households\n"
        "- 26.5% of the cases were repeat cases\n"
        "- 8.0% of the victims declared a disability"
    )
    assert drafts._survey(Data) == (
        "The residents' survey in South Ribble for 2017/18: 1,753 residents answered, 67.0% "
        "feel safe and 31.0% are unsure. The share feeling safe over the surveys on record: "
        "65.0% in 2016/17, 67.0% in 2017/18. Since 2016/17 that is up 2.0 percentage points, "
        "which could be chance."
    )


def test_a_survey_change_the_test_picks_out_is_unlikely_to_be_chance():
    trends = survey_trends()
    # 60% of 1,702 against 67% of 1,753: pooled z = 4.27, p < 0.001.
    trends[1] = annual(
        "residents-feeling-safe-pct", "Residents feeling safe", "percentage", {2016: 60, 2017: 67}
    )

    class Data:
        measures = trends
        plan = None

    assert drafts._survey(Data).endswith(
        "60.0% in 2016/17, 67.0% in 2017/18. Since 2016/17 that is up 7.0 percentage points, "
        "which is unlikely to be chance."
    )
    assert detail.SURVEY_TEST_NOTE == (
        "'Unlikely to be chance' for the share feeling safe means statistically significant "
        "at the 95% level in a two-sided test for the difference of two proportions, using "
        "the number of residents who answered in each year. A change that could be chance "
        "may be down to which residents answered."
    )


@pytest.mark.django_db
def test_sections_print_tables_and_charts_from_the_figures(report, monkeypatch):
    monkeypatch.setattr(
        sources,
        "read_dashboard",
        lambda p, **k: (seed_crime_figures(), marac_trends() + survey_trends()),
    )
    monkeypatch.setattr(sources, "read_plan_progress", lambda p, **k: seed_plan())
    monkeypatch.setattr(sources, "read_resolutions", lambda p, **k: seed_resolutions())
    document = assemble_report(report)
    by_key = {s.key: s for s in document.sections}
    (marac,) = by_key["marac"].tables
    assert marac.caption == "MARAC figures by quarter, October 2016 to September 2017"
    assert [c.text for c in marac.rows[-1]] == [
        "All four quarters",
        "346",
        "454",
        "26.5%",
        "8.0%",
    ]
    assert marac.notes == [detail.WEIGHTING_NOTE]
    assert [c.key for c in by_key["marac"].charts] == ["trend-marac-cases"]
    (survey,) = by_key["residents-survey"].tables
    assert survey.caption == "Residents' survey in South Ribble, by year"
    assert survey.headers == [
        "Year",
        "Residents surveyed",
        "Residents feeling safe",
        "Residents unsure whether the area is safe",
    ]
    assert [[c.text for c in row] for row in survey.rows] == [
        ["2016/17", "1,702", "65.0%", "32.0%"],
        ["2017/18", "1,753", "67.0%", "31.0%"],
    ]
    assert survey.notes == [detail.SURVEY_TEST_NOTE]
    assert [c.key for c in by_key["residents-survey"].charts] == [
        "trend-residents-feeling-safe-pct-south-ribble"
    ]
    # Drawn in their own sections, not again among the partnership measures.
    assert by_key["partnership-measures"].charts == []


@pytest.mark.django_db
def test_without_marac_or_survey_figures_the_sections_say_where_to_enter_them(report, monkeypatch):
    monkeypatch.setattr(sources, "read_dashboard", lambda p, **k: (seed_crime_figures(), []))
    document = assemble_report(report, data=gather_report_data(report))
    by_key = {s.key: s for s in document.sections}
    assert by_key["marac"].notices == [
        "No MARAC figures are on record for Safer Testshire CSP up to the end of April 2017 "
        "to January 2018. The MARAC coordinator's quarterly figures are entered on the "
        "Figures page."
    ]
    assert by_key["residents-survey"].notices == [
        "No residents' survey figures are on record for Safer Testshire CSP up to the end "
        "of April 2017 to January 2018. The council's survey results are entered on the "
        "Figures page, one financial year at a time."
    ]
    assert by_key["marac"].tables == by_key["residents-survey"].tables == []


def test_recommendations_are_one_per_line_and_numbered_once():
    text = "1. That the committee notes the report.\n- That it asks for X.\n\n(3) That Y.\n  \n"
    assert text_to_numbered_list(text) == [
        Block(
            "numbered", ["That the committee notes the report.", "That it asks for X.", "That Y."]
        )
    ]
    assert text_to_numbered_list(" \n") == []


@pytest.mark.django_db
def test_an_officer_edits_the_recommendations_and_the_preview_numbers_them(
    editor_client, report, seed_sources, no_chromium
):
    section = report.sections.get(key="recommendations")
    page = editor_client.get(url("section_edit", report.pk, section.pk)).content.decode()
    assert "One recommendation per line" in page
    # The draft: the two recommendations written from the figures, one per line.
    assert (
        "That the committee notes the progress of the partnership set out in this report.\n"
        "That the committee considers the actions at red or amber RAG status"
    ) in page
    response = editor_client.post(
        url("section_edit", report.pk, section.pk),
        {
            "title": "Recommendations",
            "included": "yes",
            "body": "That the committee notes the report.\nThat the committee asks for "
            "survey results by ward at its next meeting.",
            "version": section.version,
        },
    )
    assert response.status_code == 302
    preview = editor_client.get(url("report_preview", report.pk)).content.decode()
    assert (
        '<ol class="app-report-list app-report-list--numbered"><li>That the committee notes '
        "the report.</li><li>That the committee asks for survey results by ward at its next "
        "meeting.</li></ol>"
    ) in preview


@pytest.mark.django_db
def test_an_outsider_cannot_edit_the_recommendations(outsider_client, report):
    section = report.sections.get(key="recommendations")
    edit = url("section_edit", report.pk, section.pk)
    assert outsider_client.get(edit).status_code == 404
    response = outsider_client.post(
        edit, {"title": "Mine", "included": "yes", "body": "That X.", "version": section.version}
    )
    assert response.status_code == 404
    section.refresh_from_db()
    assert (section.title, section.body) == ("Recommendations", "")


def test_the_migration_splits_recommendations_out_of_the_purpose_text():
    body = "This report updates members.\n\nRecommendations:\n- That A.\n- That B."
    assert MIGRATION.split_purpose(body) == ("This report updates members.", "- That A.\n- That B.")
    assert MIGRATION.split_purpose("Just a purpose.") == ("Just a purpose.", "")


@pytest.mark.django_db
def test_the_migration_gives_an_older_report_the_new_sections_in_place(report):
    # A report as it was before: no new sections, the old purpose heading, and the
    # officer's purpose text with their recommendations in it; they had moved the
    # conclusion above the funding.
    report.sections.filter(key__in=["recommendations", "marac", "residents-survey"]).delete()
    purpose = report.sections.get(key="purpose")
    purpose.title = "Purpose and recommendations"
    purpose.body = "This report updates members.\n\nRecommendation:\n- That A."
    purpose.body_edited = True
    purpose.save()
    report.sections.filter(key="conclusion").update(order=125)
    MIGRATION.add_sections(apps, None)
    sections = list(ReportSection.objects.filter(report=report))
    assert [s.key for s in sections] == [
        "purpose",
        "recommendations",
        "background",
        "overall-position",
        "significant-progress",
        "further-action",
        "crime-figures",
        "partnership-measures",
        "marac",
        "residents-survey",
        "action-plan",
        "resolutions",
        "conclusion",
        "funding",
        "appendices",
    ]
    assert [s.order for s in sections] == list(range(10, 160, 10))
    by_key = {s.key: s for s in sections}
    assert (by_key["purpose"].title, by_key["purpose"].body) == (
        "Purpose of the report",
        "This report updates members.",
    )
    assert (by_key["recommendations"].body, by_key["recommendations"].body_edited) == (
        "- That A.",
        True,
    )
    assert by_key["marac"].title == "Multi-agency risk assessment conference (MARAC)"
    assert by_key["marac"].body_edited is False
    # Run again: nothing more is added.
    MIGRATION.add_sections(apps, None)
    assert ReportSection.objects.filter(report=report).count() == 15
