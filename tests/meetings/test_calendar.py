"""The iCalendar feed: RFC 5545 lines, UK times, the secret-link feed and its revocation."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from meetings import ical
from meetings.models import CalendarFeed
from partnerships.models import PartnershipRole
from tests.factories import AgendaItemFactory, MeetingFactory


def test_fold_splits_at_75_octets_without_breaking_a_character():
    line = "DESCRIPTION:" + "é" * 60  # 12 + 120 octets; é is two octets

    folded = ical.fold(line)

    parts = folded.split("\r\n")
    assert [len(p.encode()) for p in parts] == [74, 59]
    assert parts[1].startswith(" ")
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_escape_text_follows_rfc_5545():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.fixture
def calendar_meetings(cast):
    summer = MeetingFactory(
        partnership=cast.partnership,
        body="rag",
        title="Responsible Authorities Group",
        date=date(2024, 7, 4),
        start_time=time(18, 30),
        end_time=time(20, 0),
        place="Town Hall, Room 2",
    )
    AgendaItemFactory(meeting=summer, number=1, title="Action plan, quarter 1")
    winter = MeetingFactory(
        partnership=cast.partnership,
        title="Scrutiny Committee",
        date=date(2024, 12, 5),
        start_time=time(19, 0),
    )
    all_day = MeetingFactory(
        partnership=cast.partnership, title="Conference", date=date(2025, 1, 23)
    )
    MeetingFactory(partnership=cast.other_partnership, title="Not ours", date=date(2024, 8, 1))
    return summer, winter, all_day


def test_the_calendar_download_has_each_meeting_in_uk_time(cast, viewer_client, calendar_meetings):
    summer, winter, all_day = calendar_meetings
    url = reverse("meetings:meeting_calendar", args=[cast.partnership.slug])

    with time_machine.travel(datetime(2024, 6, 1, 9, 0, tzinfo=UTC), tick=False):
        response = viewer_client.get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "TZID:Europe/London" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 3
    assert "Not ours" not in unfolded
    assert f"UID:meeting-{summer.pk}@testserver" in unfolded
    assert "DTSTAMP:20240601T090000Z" in unfolded
    assert "DTSTART;TZID=Europe/London:20240704T183000" in unfolded
    assert "DTEND;TZID=Europe/London:20240704T200000" in unfolded
    assert "LOCATION:Town Hall\\, Room 2" in unfolded
    assert (
        "DESCRIPTION:Responsible Authorities Group\\nAgenda:\\n1. Action plan\\, quarter 1\\n"
        in unfolded
    )
    # No end time: two hours.
    assert "DTSTART;TZID=Europe/London:20241205T190000" in unfolded
    assert "DTEND;TZID=Europe/London:20241205T210000" in unfolded
    # No start time: an all-day event.
    assert "DTSTART;VALUE=DATE:20250123" in unfolded
    assert "DTEND;VALUE=DATE:20250124" in unfolded
    assert f"URL:http://testserver/partnerships/safer-testshire/meetings/{all_day.pk}/" in unfolded


def test_meetings_more_than_a_year_old_are_left_out(cast, viewer_client, calendar_meetings):
    url = reverse("meetings:meeting_calendar", args=[cast.partnership.slug])

    with time_machine.travel(datetime(2025, 12, 10, 12, 0, tzinfo=UTC), tick=False):
        body = viewer_client.get(url).content.decode()

    assert body.count("BEGIN:VEVENT") == 1


def test_a_viewer_makes_a_secret_feed_link_that_works_without_signing_in(
    cast, viewer_client, client, calendar_meetings
):
    url = reverse("meetings:calendar_subscribe", args=[cast.partnership.slug])

    viewer_client.post(url)
    feed = CalendarFeed.objects.get(user=cast.viewer)
    page = viewer_client.get(url).content.decode()
    feed_url = reverse("meetings:meeting_calendar_feed", args=[cast.partnership.slug, feed.token])

    assert f"http://testserver{feed_url}" in page
    with time_machine.travel(datetime(2024, 6, 1, 9, 0, tzinfo=UTC), tick=False):
        response = client.get(feed_url)
    assert response.status_code == 200
    assert response.content.decode().count("BEGIN:VEVENT") == 3


def test_a_new_link_replaces_the_old_one(cast, viewer_client, client):
    url = reverse("meetings:calendar_subscribe", args=[cast.partnership.slug])
    viewer_client.post(url)
    old = CalendarFeed.objects.get(user=cast.viewer).token

    viewer_client.post(url)

    new = CalendarFeed.objects.get(user=cast.viewer).token
    assert new != old
    slug = cast.partnership.slug
    assert (
        client.get(reverse("meetings:meeting_calendar_feed", args=[slug, old])).status_code == 404
    )
    assert (
        client.get(reverse("meetings:meeting_calendar_feed", args=[slug, new])).status_code == 200
    )


def test_the_feed_closes_when_the_user_loses_their_role(cast, client):
    feed = CalendarFeed.objects.create(user=cast.viewer, partnership=cast.partnership)
    url = reverse("meetings:meeting_calendar_feed", args=[cast.partnership.slug, feed.token])
    assert client.get(url).status_code == 200

    PartnershipRole.objects.filter(user=cast.viewer).delete()

    assert client.get(url).status_code == 404


def test_the_feed_closes_when_the_user_is_deactivated(cast, client):
    feed = CalendarFeed.objects.create(user=cast.viewer, partnership=cast.partnership)
    cast.viewer.is_active = False
    cast.viewer.save()

    url = reverse("meetings:meeting_calendar_feed", args=[cast.partnership.slug, feed.token])

    assert client.get(url).status_code == 404


def test_a_token_only_opens_its_own_partnership(cast, client):
    feed = CalendarFeed.objects.create(user=cast.viewer, partnership=cast.partnership)

    url = reverse("meetings:meeting_calendar_feed", args=[cast.other_partnership.slug, feed.token])

    assert client.get(url).status_code == 404
