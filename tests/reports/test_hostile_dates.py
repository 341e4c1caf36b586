"""The report's meeting date goes through the one validation layer: an impossible
day is refused in words naming the field, and the report is unchanged."""

import pytest
from django.urls import reverse

from reports.models import Report

SLUG = "safer-testshire"


def _details(report, day, month, year):
    return {
        "type": "annual",
        "title": "Progress Report",
        "financial_year": "2017",
        "end_month": "1",
        "committee_name": "Scrutiny Committee",
        "meeting_date_0": day,
        "meeting_date_1": month,
        "meeting_date_2": year,
        "version": str(report.version),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        (
            "30",
            "2",
            "2018",
            "Date of the meeting: enter a real date, like 11 1 2024 (30 February does not exist)",
        ),
        (
            "8",
            "3",
            "1",
            "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered the year 1)",
        ),
        ("8", "", "2018", "Date of the meeting: enter the month, like 11 1 2024"),
    ],
)
def test_an_impossible_meeting_date_is_refused_naming_the_field(
    editor_client, report, day, month, year, message
):
    before = Report.objects.values().get(pk=report.pk)
    response = editor_client.post(
        reverse("reports:report_edit", args=[SLUG, report.pk]),
        _details(report, day, month, year),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["meeting_date"] == [message]
    assert "out of range" not in response.content.decode()
    assert Report.objects.values().get(pk=report.pk) == before


@pytest.mark.django_db
def test_an_outsider_cannot_post_a_meeting_date(outsider_client, report):
    before = Report.objects.values().get(pk=report.pk)
    response = outsider_client.post(
        reverse("reports:report_edit", args=[SLUG, report.pk]),
        _details(report, "8", "3", "2018"),
    )
    assert response.status_code == 404
    assert Report.objects.values().get(pk=report.pk) == before
