"""The outstanding resolutions tracker: order, overdue flags on a frozen day, filters,
exports and the selector the scrutiny report calls."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Resolution
from meetings.selectors import ResolutionFilters, outstanding_resolutions, resolution_tracker
from tests.factories import (
    MeetingFactory,
    ResolutionFactory,
    ResolutionResponseFactory,
    ThematicGroupFactory,
)

S = Resolution.Status


@pytest.fixture
def tracker(cast):
    """Resolutions of two meetings of partnership A in every status, plus one of B."""
    scrutiny = MeetingFactory(
        partnership=cast.partnership, body="scrutiny", title="Scrutiny", date=date(2024, 1, 11)
    )
    rag = MeetingFactory(
        partnership=cast.partnership, body="rag", title="RAG", date=date(2024, 4, 25)
    )
    rows = {
        "late": ResolutionFactory(
            meeting=scrutiny, number=1, owner=cast.council, report_back_date=date(2024, 3, 31)
        ),
        "due_by_meeting": ResolutionFactory(
            meeting=scrutiny, number=2, owner=cast.police, report_back_meeting=rag
        ),
        "no_date": ResolutionFactory(meeting=scrutiny, number=3, owner=cast.council),
        "in_progress": ResolutionFactory(
            meeting=rag,
            number=1,
            owner=cast.police,
            status=S.IN_PROGRESS,
            report_back_date=date(2024, 6, 30),
        ),
        "discharged": ResolutionFactory(
            meeting=scrutiny,
            number=4,
            owner=cast.council,
            status=S.DISCHARGED,
            report_back_date=date(2024, 2, 1),
        ),
        "noted": ResolutionFactory(meeting=scrutiny, number=5, status=S.NOTED),
    }
    ResolutionFactory(
        meeting=MeetingFactory(partnership=cast.other_partnership),
        report_back_date=date(2024, 1, 1),
    )
    return rows


def _names(rows, tracked):
    by_pk = {r.pk: name for name, r in rows.items()}
    return [by_pk[t.resolution.pk] for t in tracked]


def test_by_default_it_lists_only_open_and_in_progress_soonest_report_back_first(tracker, cast):
    tracked = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(), as_of=date(2024, 4, 1)
    )

    assert _names(tracker, tracked) == ["late", "due_by_meeting", "in_progress", "no_date"]


def test_every_status_puts_open_and_in_progress_first(tracker, cast):
    tracked = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(status="all"), as_of=date(2024, 4, 1)
    )

    assert _names(tracker, tracked) == [
        "late",
        "due_by_meeting",
        "in_progress",
        "no_date",
        "discharged",
        "noted",
    ]


def test_overdue_means_outstanding_and_past_the_report_back_date(tracker, cast):
    tracked = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(status="all"), as_of=date(2024, 4, 25)
    )
    flags = dict(zip(_names(tracker, tracked), [t.is_overdue for t in tracked], strict=True))

    # The report-back meeting is that day: not late until the day after.
    assert flags == {
        "late": True,
        "due_by_meeting": False,
        "in_progress": False,
        "no_date": False,
        "discharged": False,
        "noted": False,
    }


def test_the_report_back_meeting_date_counts_when_there_is_no_date(tracker, cast):
    tracked = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(), as_of=date(2024, 4, 26)
    )
    due_by_meeting = next(t for t in tracked if t.resolution.pk == tracker["due_by_meeting"].pk)

    assert due_by_meeting.due_date == date(2024, 4, 25)
    assert due_by_meeting.is_overdue is True


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 3, 31), []),
        (date(2024, 4, 1), ["late"]),
        (date(2024, 7, 1), ["late", "due_by_meeting", "in_progress"]),
    ],
)
def test_the_page_marks_overdue_on_the_frozen_local_day(
    tracker, cast, viewer_client, today, expected
):
    # 00:30 BST is 23:30 UTC the day before: the page must use the UK date, not UTC.
    with time_machine.travel(f"{today.isoformat()} 00:30 +01:00", tick=False):
        response = viewer_client.get(
            reverse("meetings:resolution_tracker", args=[cast.partnership.slug])
        )

    overdue = [t for t in response.context["rows"] if t.is_overdue]
    assert _names(tracker, overdue) == expected
    assert response.context["overdue"] == len(expected)
    assert response.content.decode().count(">Overdue</strong>") == len(expected)


def test_the_model_agrees_with_the_tracker(tracker):
    late = tracker["late"]

    assert late.is_overdue(date(2024, 3, 31)) is False
    assert late.is_overdue(date(2024, 4, 1)) is True
    assert tracker["discharged"].is_overdue(date(2030, 1, 1)) is False


def test_it_filters_by_body_owner_and_status(tracker, cast):
    as_of = date(2024, 4, 1)

    by_body = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(body="rag"), as_of=as_of
    )
    by_owner = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(owner_id=cast.police.pk), as_of=as_of
    )
    outstanding = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(status="outstanding"), as_of=as_of
    )
    noted = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(status="noted"), as_of=as_of
    )

    assert _names(tracker, by_body) == ["in_progress"]
    assert _names(tracker, by_owner) == ["due_by_meeting", "in_progress"]
    assert _names(tracker, outstanding) == ["late", "due_by_meeting", "in_progress", "no_date"]
    assert _names(tracker, noted) == ["noted"]


def test_the_page_filters_from_the_get_form(tracker, cast, viewer_client):
    url = reverse("meetings:resolution_tracker", args=[cast.partnership.slug])

    every_status = viewer_client.get(
        url, {"body": "scrutiny", "owner": cast.council.pk, "status": "all"}
    )
    no_status = viewer_client.get(url, {"body": "scrutiny", "owner": cast.council.pk})

    assert _names(tracker, every_status.context["rows"]) == ["late", "no_date", "discharged"]
    # A bound form without a status keeps the default: outstanding only.
    assert _names(tracker, no_status.context["rows"]) == ["late", "no_date"]


def test_an_owner_of_another_partnership_in_the_filter_is_ignored(tracker, cast, viewer_client):
    from tests.factories import OrganisationFactory

    stranger = OrganisationFactory(name="Elsewhere Police")
    url = reverse("meetings:resolution_tracker", args=[cast.partnership.slug])

    response = viewer_client.get(url, {"owner": stranger.pk, "status": "all"})

    assert response.status_code == 200
    # The owner is ignored, the valid status still applies, and the field says why.
    assert len(response.context["rows"]) == 6
    page = response.content.decode()
    assert '<a href="#id_owner">Owner: Choose an owner from the list.</a>' in page
    assert "Elsewhere Police" not in page


def test_outstanding_resolutions_for_the_report(tracker, cast, django_assert_num_queries):
    ResolutionResponseFactory(
        resolution=tracker["in_progress"], responded_on=date(2024, 5, 1), text="First."
    )
    ResolutionResponseFactory(
        resolution=tracker["in_progress"], responded_on=date(2024, 6, 1), text="Second."
    )

    with django_assert_num_queries(2):
        rows = outstanding_resolutions(cast.partnership, as_of=date(2024, 5, 1))
        summary = [
            (
                r.resolution.reference,
                r.meeting.title,
                r.status_label,
                r.due_date,
                r.is_overdue,
                r.latest_response.text if r.latest_response else None,
                r.resolution.owner.name if r.resolution.owner else None,
            )
            for r in rows
        ]

    assert summary == [
        ("1", "Scrutiny", "Open", date(2024, 3, 31), True, None, "Testshire Council"),
        ("2", "Scrutiny", "Open", date(2024, 4, 25), True, None, "Testshire Police"),
        ("1", "RAG", "In progress", date(2024, 6, 30), False, "Second.", "Testshire Police"),
        ("3", "Scrutiny", "Open", None, False, None, "Testshire Council"),
    ]


def test_the_tracker_page_runs_a_fixed_number_of_queries(
    tracker, cast, viewer_client, django_assert_num_queries
):
    url = reverse("meetings:resolution_tracker", args=[cast.partnership.slug])
    viewer_client.get(url)  # warm the session

    # session, user, access, partnership switcher, owner choices, resolutions, responses
    with django_assert_num_queries(7):
        small = viewer_client.get(url)
    assert (len(small.context["rows"]), len(small.context["meetings"])) == (4, 2)
    for number in range(10, 30):
        ResolutionFactory(meeting=tracker["late"].meeting, number=number, owner=cast.police)
        later = MeetingFactory(partnership=cast.partnership, date=date(2024, 5, number % 28 + 1))
        resolution = ResolutionFactory(meeting=later, number=1, owner=cast.council)
        ResolutionResponseFactory(resolution=resolution, text="Under way.")
    with django_assert_num_queries(7):
        response = viewer_client.get(url)
    assert (len(response.context["rows"]), len(response.context["meetings"])) == (44, 22)


def test_the_filtered_page_runs_a_fixed_number_of_queries(
    tracker, cast, viewer_client, django_assert_num_queries
):
    url = reverse("meetings:resolution_tracker", args=[cast.partnership.slug])
    query = {"status": "all", "owner": cast.police.pk, "body": "scrutiny", "overdue": "on"}
    viewer_client.get(url)

    # as above, plus the chosen owner read when the form checks it
    with django_assert_num_queries(8):
        small = viewer_client.get(url, query)
    for number in range(10, 30):
        ResolutionFactory(
            meeting=tracker["late"].meeting,
            number=number,
            owner=cast.police,
            report_back_date=date(2024, 1, 31),
        )
    with django_assert_num_queries(8):
        large = viewer_client.get(url, query)
    # due_by_meeting (police, report back at the 25 April 2024 meeting) and the 20 new ones
    assert (len(small.context["rows"]), len(large.context["rows"])) == (1, 21)


def test_csv_export_follows_the_filters_and_neutralises_formulas(tracker, cast, viewer_client):
    tracker["late"].text = "=HYPERLINK('http://evil.example')"
    tracker["late"].save()
    url = reverse("meetings:resolution_tracker_download", args=[cast.partnership.slug, "csv"])

    with time_machine.travel("2024-04-02 12:00 +01:00", tick=False):
        response = viewer_client.get(url, {"status": "outstanding", "owner": cast.council.pk})

    assert response["Content-Disposition"] == (
        'attachment; filename="resolutions-safer-testshire-2024-04-02.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "Meeting date",
            "Body",
            "Meeting",
            "Agenda item",
            "Resolution",
            "Text",
            "Owner",
            "Report back by",
            "Status",
            "Overdue",
            "Latest response",
            "Latest response date",
        ],
        [
            "2024-01-11",
            "Scrutiny committee",
            "Scrutiny",
            "",
            "1",
            "'=HYPERLINK('http://evil.example')",
            "Testshire Council",
            "2024-03-31",
            "Open",
            "Yes",
            "",
            "",
        ],
        [
            "2024-01-11",
            "Scrutiny committee",
            "Scrutiny",
            "",
            "3",
            tracker["no_date"].text,
            "Testshire Council",
            "",
            "Open",
            "No",
            "",
            "",
        ],
    ]


def test_xlsx_export_of_every_status_has_every_row(tracker, cast, viewer_client):
    url = reverse("meetings:resolution_tracker_download", args=[cast.partnership.slug, "xlsx"])

    response = viewer_client.get(url, {"status": "all"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 7
    assert values[0][3:5] == ("Agenda item", "Resolution")
    assert values[1][3:5] == (None, 1)
    assert values[1][8] == "Open"
    assert values[6][8] == "Noted"


def test_an_unknown_download_format_is_404(cast, viewer_client):
    url = reverse("meetings:resolution_tracker_download", args=[cast.partnership.slug, "pdf"])

    assert viewer_client.get(url).status_code == 404


def test_thematic_group_meetings_show_the_group(cast):
    group = ThematicGroupFactory(partnership=cast.partnership, name="ASB tactical group")
    meeting = MeetingFactory(partnership=cast.partnership, body="thematic", thematic_group=group)

    assert meeting.body_label == "Thematic group: ASB tactical group"
