"""The demo meetings load from the seed minutes and can be loaded twice."""

import csv
import io
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from meetings.models import Meeting, Resolution, ResolutionResponse
from meetings.selectors import outstanding_resolutions
from partnerships.models import Partnership
from reports.management.commands import seed_demo


@pytest.fixture
def loaded(db, monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_LOADERS", ["meetings.demo.load"])
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def _resolutions(slug: str) -> list[tuple[str, str]]:
    return list(
        Resolution.objects.filter(meeting__partnership__slug=slug)
        .order_by("meeting__date", "number")
        .values_list("number", "status")
    )


def test_the_demo_loads_the_seed_meetings_once_even_when_run_twice(loaded):
    assert "Meetings: 8 meetings and 13 resolutions loaded." in loaded
    assert Meeting.objects.count() == 8
    assert Resolution.objects.count() == 13
    assert ResolutionResponse.objects.count() == 5


def test_chorley_has_the_six_resolutions_of_the_2018_scrutiny_committee(loaded):
    meeting = Meeting.objects.get(
        partnership__slug="safer-chorley-south-ribble", date=date(2018, 3, 15)
    )

    assert meeting.body == "scrutiny"
    assert _resolutions("safer-chorley-south-ribble") == [
        (1, "discharged"),
        (2, "in_progress"),
        (3, "in_progress"),
        (4, "open"),
        (5, "noted"),
        (6, "open"),
    ]
    assert meeting.resolutions.get(number=6).text == (
        "That future reports include resident confidence/safety perception data, including "
        "trends and comparisons."
    )


def test_the_other_seed_meetings(loaded):
    assert _resolutions("chesterfield") == [(1, "noted")]
    assert _resolutions("safer-lincolnshire") == [(1, "noted"), (2, "in_progress")]
    assert _resolutions("uttlesford") == [
        (1, "discharged"),
        (2, "discharged"),
        (3, "in_progress"),
        (4, "open"),
    ]
    uttlesford = Meeting.objects.get(partnership__slug="uttlesford", date=date(2024, 1, 11))
    assert uttlesford.title == "Scrutiny Committee"


def test_the_report_selector_on_the_demo(loaded):
    chorley = Partnership.objects.get(slug="safer-chorley-south-ribble")

    rows = outstanding_resolutions(chorley, as_of=date(2026, 11, 25))

    assert [(r.resolution.number, r.status, r.is_overdue) for r in rows] == [
        (4, "open", True),
        (6, "open", True),
        (2, "in_progress", False),
        (3, "in_progress", False),
    ]


NUMBER_CELL = re.compile(r'<span class="govuk-visually-hidden">Resolution </span>([^<]+)</a>')
TRACKER_LINK = re.compile(r'">Resolution (\d+) \(item 1\): ')


def test_the_demo_pages_number_seed_000s_resolutions_1_to_6_as_the_minutes_do(loaded, client):
    client.force_login(User.objects.get(email="member@example.org"))
    meeting = Meeting.objects.get(
        partnership__slug="safer-chorley-south-ribble", date=date(2018, 3, 15)
    )
    slug = meeting.partnership.slug
    sixth = meeting.resolutions.get(number=6)

    meeting_page = client.get(reverse("meetings:meeting_detail", args=[slug, meeting.pk]))
    every_status = {"body": "scrutiny", "status": "all"}
    tracker = client.get(reverse("meetings:resolution_tracker", args=[slug]), every_status)
    detail = client.get(reverse("meetings:resolution_detail", args=[slug, sixth.pk]))
    download = client.get(
        reverse("meetings:resolution_tracker_download", args=[slug, "csv"]), every_status
    )

    assert NUMBER_CELL.findall(meeting_page.content.decode()) == ["1", "2", "3", "4", "5", "6"]
    assert sorted(TRACKER_LINK.findall(tracker.content.decode())) == ["1", "2", "3", "4", "5", "6"]
    page = detail.content.decode()
    assert '<h1 class="govuk-heading-xl">Resolution 6</h1>' in page
    assert "<title>Resolution 6 (item 1) of Scrutiny Committee, 15 March 2018 - " in page
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert sorted((row[3], row[4]) for row in rows[1:]) == [
        ("1", "1"),
        ("1", "2"),
        ("1", "3"),
        ("1", "4"),
        ("1", "5"),
        ("1", "6"),
    ]
