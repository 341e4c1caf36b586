"""The outstanding resolutions page: what its heading says, its count line, the
resolutions under their meetings, link text that names each resolution, the overdue
filter, bad filters shown on their fields, and downloads that follow the same
filters, the default included."""

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Resolution
from meetings.selectors import ResolutionFilters, by_meeting, resolution_tracker
from tests.factories import AgendaItemFactory, MeetingFactory, ResolutionFactory

S = Resolution.Status
TODAY = "2024-04-02 12:00 +01:00"


@pytest.fixture
def tracker(cast):
    """Two scrutiny meetings and a Responsible Authorities Group meeting of A."""
    january = MeetingFactory(
        partnership=cast.partnership,
        body="scrutiny",
        title="Scrutiny Committee",
        date=date(2024, 1, 11),
    )
    item = AgendaItemFactory(meeting=january, number=7, title="Community safety")
    march = MeetingFactory(
        partnership=cast.partnership,
        body="scrutiny",
        title="Scrutiny Committee",
        date=date(2024, 3, 14),
    )
    rag = MeetingFactory(
        partnership=cast.partnership,
        body="rag",
        title="Responsible Authorities Group",
        date=date(2024, 2, 20),
    )
    return {
        "confidence": ResolutionFactory(
            meeting=january,
            agenda_item=item,
            number=1,
            text="That future reports include resident confidence data, with trends, "
            "broken down by ward and by type of crime, from next year.",
            owner=cast.council,
            report_back_date=date(2024, 6, 30),
        ),
        "noted": ResolutionFactory(
            meeting=january,
            agenda_item=item,
            number=2,
            text="That the report be noted.",
            status=S.NOTED,
        ),
        "cctv": ResolutionFactory(
            meeting=march,
            number=1,
            text="That the CCTV review be brought back.",
            owner=cast.police,
            report_back_date=date(2024, 3, 31),
        ),
        "patrols": ResolutionFactory(
            meeting=rag,
            number=1,
            text="That patrol data be shared monthly.",
            owner=cast.police,
            status=S.IN_PROGRESS,
            report_back_date=date(2024, 5, 1),
        ),
        "discharged": ResolutionFactory(
            meeting=rag, number=2, text="That the plan be published.", status=S.DISCHARGED
        ),
    }


def _url(cast, fmt=""):
    if fmt:
        return reverse("meetings:resolution_tracker_download", args=[cast.partnership.slug, fmt])
    return reverse("meetings:resolution_tracker", args=[cast.partnership.slug])


def _get(client, cast, query=None, fmt=""):
    with time_machine.travel(TODAY, tick=False):
        return client.get(_url(cast, fmt), query or {})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _count_line(html: str) -> str:
    match = re.search(r'<p [^>]*id="tracker-count">(.*?)</p>', html, re.S)
    assert match is not None
    return _text(match.group(1))


def test_the_default_page_shows_outstanding_resolutions_under_their_meetings(
    tracker, cast, viewer_client
):
    html = _get(viewer_client, cast).content.decode()

    assert "<title>Outstanding resolutions - Safer Testshire CSP" in html
    assert '<h1 class="govuk-heading-xl">Outstanding resolutions</h1>' in html
    assert _count_line(html) == "3 resolutions from 3 meetings, 1 of them overdue."
    # The meeting with the soonest report-back first; each meeting named once.
    headings = [
        _text(h)
        for h in re.findall(r'<h2 class="govuk-heading-m app-tracker[^>]*>(.*?)</h2>', html)
    ]
    assert headings == [
        "Scrutiny Committee, 14 March 2024",
        "Responsible Authorities Group, 20 February 2024",
        "Scrutiny Committee, 11 January 2024",
    ]
    assert "That the report be noted." not in html
    assert "That the plan be published." not in html
    assert "Show the outstanding resolutions" not in html


def test_each_link_names_the_resolution_and_its_meeting(tracker, cast, viewer_client):
    html = _get(viewer_client, cast).content.decode()

    links = {
        _text(text): href
        for href, text in re.findall(
            r'<h3[^>]*><a class="govuk-link" href="([^"]+)">(.*?)</a></h3>', html
        )
    }
    slug = cast.partnership.slug
    assert links == {
        "Resolution 1: That the CCTV review be brought back. (Scrutiny Committee, 14 March 2024)": (
            f"/partnerships/{slug}/resolutions/{tracker['cctv'].pk}/"
        ),
        "Resolution 1: That patrol data be shared monthly. (Responsible Authorities Group, "
        "20 February 2024)": f"/partnerships/{slug}/resolutions/{tracker['patrols'].pk}/",
        "Resolution 1 (item 7): That future reports include resident confidence data, with "
        "trends, broken\u2026 (Scrutiny Committee, 11 January 2024)": (
            f"/partnerships/{slug}/resolutions/{tracker['confidence'].pk}/"
        ),
    }
    # The meeting is in the link for a screen reader's list of links, not on screen twice.
    assert '<span class="govuk-visually-hidden"> (Scrutiny Committee, 14 March 2024)</span>' in html
    # A shortened text is printed in full below its link.
    assert "with trends, broken down by ward and by type of crime, from next year." in html
    # A text short enough to be its own name is printed once, in its link.
    assert html.count("That the CCTV review be brought back.") == 1


@pytest.mark.parametrize(
    ("text", "summary", "is_summarised"),
    [
        ("That the report be noted.", "That the report be noted.", False),
        (
            "That one two three four five six seven eight nine ten eleven twelve thirteen.",
            "That one two three four five six seven eight nine ten eleven twelve thirteen.",
            False,
        ),
        (
            "That one two three four five six seven eight, nine ten eleven twelve thirteen "
            "fourteen.",
            "That one two three four five six seven eight, nine\u2026",
            True,
        ),
        ("That  the\nreport   be noted.", "That the report be noted.", False),
    ],
)
def test_the_summary_is_the_first_ten_words(cast, text, summary, is_summarised):
    ResolutionFactory(meeting=MeetingFactory(partnership=cast.partnership), text=text)

    (row,) = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(), as_of=date(2024, 1, 1)
    )

    assert (row.summary, row.is_summarised) == (summary, is_summarised)


def test_by_meeting_keeps_the_tracker_order_inside_each_meeting(tracker, cast):
    extra = ResolutionFactory(
        meeting=tracker["cctv"].meeting, number=2, report_back_date=date(2024, 9, 1)
    )
    rows = resolution_tracker(
        cast.partnership, filters=ResolutionFilters(status="all"), as_of=date(2024, 4, 2)
    )

    groups = [
        (g.meeting.date, [r.resolution.pk for r in g.rows], g.overdue) for g in by_meeting(rows)
    ]

    assert groups == [
        (date(2024, 3, 14), [tracker["cctv"].pk, extra.pk], 1),
        (date(2024, 2, 20), [tracker["patrols"].pk, tracker["discharged"].pk], 0),
        (date(2024, 1, 11), [tracker["confidence"].pk, tracker["noted"].pk], 0),
    ]


@pytest.mark.parametrize(
    ("query", "heading", "count"),
    [
        ({"status": "all"}, "All resolutions", "5 resolutions from 3 meetings, 1 of them overdue."),
        ({"status": "discharged"}, "Discharged resolutions", "1 resolution from 1 meeting."),
        (
            {"status": "in_progress"},
            "Resolutions in progress",
            "1 resolution from 1 meeting, none of them overdue.",
        ),
        (
            {"overdue": "on"},
            "Overdue resolutions",
            "1 resolution from 1 meeting, 1 of them overdue.",
        ),
        (
            {"status": "open", "overdue": "on"},
            "Overdue open resolutions",
            "1 resolution from 1 meeting, 1 of them overdue.",
        ),
        (
            {"body": "scrutiny", "status": "outstanding"},
            "Outstanding resolutions of the scrutiny committee",
            "2 resolutions from 2 meetings, 1 of them overdue.",
        ),
        (
            {"body": "board"},
            "Outstanding resolutions of the CSP board",
            "No resolutions match these filters.",
        ),
    ],
)
def test_the_heading_and_count_say_what_the_filters_show(
    tracker, cast, viewer_client, query, heading, count
):
    html = _get(viewer_client, cast, query).content.decode()

    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in html
    assert f"<title>{heading} - Safer Testshire CSP" in html
    assert _count_line(html) == count
    assert "Show the outstanding resolutions of every body and owner</a>" in html


def test_the_heading_names_the_owner(tracker, cast, viewer_client):
    html = _get(viewer_client, cast, {"owner": cast.police.pk, "body": "rag"}).content.decode()

    assert (
        '<h1 class="govuk-heading-xl">Outstanding resolutions of the Responsible Authorities '
        "Group owned by Testshire Police</h1>"
    ) in html
    assert _count_line(html) == "1 resolution from 1 meeting, none of them overdue."


def test_the_overdue_filter_uses_the_report_back_meeting_date_too(cast):
    meeting = MeetingFactory(partnership=cast.partnership, date=date(2024, 1, 11))
    report_back = MeetingFactory(partnership=cast.partnership, date=date(2024, 4, 25))
    by_meeting_date = ResolutionFactory(meeting=meeting, report_back_meeting=report_back)
    ResolutionFactory(meeting=meeting, report_back_date=date(2024, 4, 26))
    ResolutionFactory(meeting=meeting)
    ResolutionFactory(meeting=meeting, status=S.DISCHARGED, report_back_date=date(2024, 1, 1))
    overdue = ResolutionFilters(overdue_only=True)

    on_the_day = resolution_tracker(cast.partnership, filters=overdue, as_of=date(2024, 4, 25))
    day_after = resolution_tracker(cast.partnership, filters=overdue, as_of=date(2024, 4, 26))

    assert on_the_day == []
    assert [r.resolution.pk for r in day_after] == [by_meeting_date.pk]


def test_an_empty_default_list_says_nothing_is_outstanding(cast, viewer_client):
    html = _get(viewer_client, cast).content.decode()

    assert _count_line(html) == "No resolutions are open or in progress."


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"status": "pending"}, "status", "Status: Choose a status from the list."),
        ({"body": "999"}, "body", "Body: Choose a body from the list."),
        ({"owner": "abc"}, "owner", "Owner: Choose an owner from the list."),
        ({"owner": "999999"}, "owner", "Owner: Choose an owner from the list."),
    ],
)
def test_a_bad_filter_is_ignored_and_named_on_its_field(
    tracker, cast, viewer_client, query, field, message
):
    response = _get(viewer_client, cast, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Outstanding resolutions - Safer Testshire CSP" in html
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert f'id="id_{field}-error"' in html
    assert "govuk-select--error" in html
    # The list is the default one.
    assert _count_line(html) == "3 resolutions from 3 meetings, 1 of them overdue."


def test_a_bad_filter_leaves_the_good_ones_applied(tracker, cast, viewer_client):
    html = _get(viewer_client, cast, {"status": "all", "body": "nonsense"}).content.decode()

    assert '<h1 class="govuk-heading-xl">All resolutions</h1>' in html
    assert _count_line(html) == "5 resolutions from 3 meetings, 1 of them overdue."


def _csv_numbers(response) -> list[tuple[str, str, str]]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Meeting date", "Body", "Meeting", "Agenda item", "Resolution"]
    return [(row[0], row[4], row[8]) for row in rows[1:]]


def test_the_default_download_is_the_outstanding_list(tracker, cast, viewer_client):
    response = _get(viewer_client, cast, fmt="csv")

    assert _csv_numbers(response) == [
        ("2024-03-14", "1", "Open"),
        ("2024-02-20", "1", "In progress"),
        ("2024-01-11", "1", "Open"),
    ]


def test_the_default_excel_download_is_the_outstanding_list_too(tracker, cast, viewer_client):
    response = _get(viewer_client, cast, fmt="xlsx")

    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [(row[4], row[8]) for row in values[1:]] == [
        (1, "Open"),
        (1, "In progress"),
        (1, "Open"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"status": "all"},
            [
                ("2024-03-14", "1", "Open"),
                ("2024-02-20", "1", "In progress"),
                ("2024-01-11", "1", "Open"),
                # No report-back date: by the date of the meeting.
                ("2024-01-11", "2", "Noted"),
                ("2024-02-20", "2", "Discharged"),
            ],
        ),
        ({"overdue": "on"}, [("2024-03-14", "1", "Open")]),
        ({"status": "noted", "body": "scrutiny"}, [("2024-01-11", "2", "Noted")]),
        (
            {"status": "pending", "owner": "abc"},
            [
                ("2024-03-14", "1", "Open"),
                ("2024-02-20", "1", "In progress"),
                ("2024-01-11", "1", "Open"),
            ],
        ),
    ],
)
def test_the_download_follows_the_filters(tracker, cast, viewer_client, query, expected):
    assert _csv_numbers(_get(viewer_client, cast, query, fmt="csv")) == expected


def test_the_download_links_carry_the_filters(tracker, cast, viewer_client):
    html = _get(viewer_client, cast, {"status": "all", "overdue": "on"}).content.decode()

    assert f'href="{_url(cast, "csv")}?status=all&amp;overdue=on"' in html
    assert f'href="{_url(cast, "xlsx")}?status=all&amp;overdue=on"' in html


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
def test_an_outsider_is_refused_the_page_and_its_downloads(tracker, cast, outsider_client, fmt):
    response = _get(outsider_client, cast, {"status": "all"}, fmt=fmt)

    assert response.status_code == 404
    assert b"That the CCTV review" not in response.content


def test_another_partnerships_resolutions_never_show(tracker, cast, outsider_client):
    other = MeetingFactory(partnership=cast.other_partnership, title="Elsewhere Board")
    ResolutionFactory(meeting=other, text="That Elsewhere acts.")

    html = _get(outsider_client, cast).content.decode()
    own = outsider_client.get(
        reverse("meetings:resolution_tracker", args=[cast.other_partnership.slug])
    ).content.decode()

    assert "That Elsewhere acts." not in html
    assert "That Elsewhere acts." in own
    assert "That the CCTV review" not in own
