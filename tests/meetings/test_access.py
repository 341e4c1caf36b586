"""Who may do what: viewers read, editors and managers record, outsiders get 404."""

import pytest
from django.urls import reverse

from meetings.models import CalendarFeed, ResolutionResponse
from tests.factories import ResolutionResponseFactory


@pytest.fixture
def response(meetings) -> ResolutionResponse:
    return ResolutionResponseFactory(resolution=meetings.resolution)


def _urls(cast, meetings) -> dict[str, str]:
    slug = cast.partnership.slug
    m, item, r = meetings.meeting.pk, meetings.item.pk, meetings.resolution.pk
    return {
        "meeting_list": reverse("meetings:meeting_list", args=[slug]),
        "meeting_detail": reverse("meetings:meeting_detail", args=[slug, m]),
        "meeting_calendar": reverse("meetings:meeting_calendar", args=[slug]),
        "calendar_subscribe": reverse("meetings:calendar_subscribe", args=[slug]),
        "resolution_tracker": reverse("meetings:resolution_tracker", args=[slug]),
        "resolution_csv": reverse("meetings:resolution_tracker_download", args=[slug, "csv"]),
        "resolution_xlsx": reverse("meetings:resolution_tracker_download", args=[slug, "xlsx"]),
        "resolution_detail": reverse("meetings:resolution_detail", args=[slug, r]),
        "agenda_item_paper": reverse("meetings:agenda_item_paper", args=[slug, m, item]),
    }


def _write_urls(cast, meetings, response) -> dict[str, str]:
    slug = cast.partnership.slug
    m, item, r = meetings.meeting.pk, meetings.item.pk, meetings.resolution.pk
    return {
        "meeting_delete": reverse("meetings:meeting_delete", args=[slug, m]),
        "agenda_item_delete": reverse("meetings:agenda_item_delete", args=[slug, m, item]),
        "resolution_delete": reverse("meetings:resolution_delete", args=[slug, r]),
        "response_delete": reverse("meetings:response_delete", args=[slug, r, response.pk]),
        "meeting_create": reverse("meetings:meeting_create", args=[slug]),
        "meeting_update": reverse("meetings:meeting_update", args=[slug, m]),
        "agenda_item_create": reverse("meetings:agenda_item_create", args=[slug, m]),
        "agenda_item_update": reverse("meetings:agenda_item_update", args=[slug, m, item]),
        "resolution_create": reverse("meetings:resolution_create", args=[slug, m]),
        "resolution_paste": reverse("meetings:resolution_paste", args=[slug, m]),
        "resolution_update": reverse("meetings:resolution_update", args=[slug, r]),
        "response_create": reverse("meetings:response_create", args=[slug, r]),
        "resolution_action": reverse("meetings:resolution_action", args=[slug, r]),
        "resolution_action_create": reverse("meetings:resolution_action_create", args=[slug, r]),
    }


READ_VIEWS = [
    "meeting_list",
    "meeting_detail",
    "meeting_calendar",
    "calendar_subscribe",
    "resolution_tracker",
    "resolution_csv",
    "resolution_xlsx",
    "resolution_detail",
    "agenda_item_paper",
]
WRITE_VIEWS = [
    "meeting_create",
    "meeting_update",
    "agenda_item_create",
    "agenda_item_update",
    "resolution_create",
    "resolution_paste",
    "resolution_update",
    "response_create",
    "resolution_action",
    "resolution_action_create",
    "meeting_delete",
    "agenda_item_delete",
    "resolution_delete",
    "response_delete",
]


@pytest.mark.parametrize("name", READ_VIEWS + WRITE_VIEWS)
def test_outsider_gets_404_for_another_partnerships_meetings(
    outsider_client, cast, meetings, response, name
):
    url = {**_urls(cast, meetings), **_write_urls(cast, meetings, response)}[name]

    assert outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("name", WRITE_VIEWS)
def test_outsider_posting_gets_404(outsider_client, cast, meetings, response, name):
    url = _write_urls(cast, meetings, response)[name]

    assert outsider_client.post(url, {}).status_code == 404


@pytest.mark.parametrize("name", [n for n in READ_VIEWS if n != "agenda_item_paper"])
def test_viewer_reads_every_page(viewer_client, cast, meetings, name):
    assert viewer_client.get(_urls(cast, meetings)[name]).status_code == 200


@pytest.mark.parametrize("name", WRITE_VIEWS)
def test_viewer_is_refused_every_write_with_403(viewer_client, cast, meetings, response, name):
    url = _write_urls(cast, meetings, response)[name]

    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {}).status_code == 403


@pytest.mark.parametrize("name", WRITE_VIEWS)
def test_editor_opens_every_form(editor_client, cast, meetings, response, name):
    assert editor_client.get(_write_urls(cast, meetings, response)[name]).status_code == 200


@pytest.mark.parametrize("name", WRITE_VIEWS)
def test_manager_opens_every_form(manager_client, cast, meetings, response, name):
    assert manager_client.get(_write_urls(cast, meetings, response)[name]).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client, cast, meetings):
    response = client.get(_urls(cast, meetings)["meeting_list"])

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/")


def test_a_meeting_of_another_partnership_is_404_inside_this_one(editor_client, cast, meetings):
    from tests.factories import MeetingFactory, ResolutionFactory

    elsewhere = MeetingFactory(partnership=cast.other_partnership)
    theirs = ResolutionFactory(meeting=elsewhere)
    slug = cast.partnership.slug

    assert (
        editor_client.get(reverse("meetings:meeting_detail", args=[slug, elsewhere.pk])).status_code
        == 404
    )
    assert (
        editor_client.get(reverse("meetings:resolution_detail", args=[slug, theirs.pk])).status_code
        == 404
    )
    assert (
        editor_client.post(
            reverse("meetings:resolution_delete", args=[slug, theirs.pk]), {}
        ).status_code
        == 404
    )
    assert (
        editor_client.post(
            reverse("meetings:response_create", args=[slug, theirs.pk]),
            {"responded_on_0": "1", "responded_on_1": "2", "responded_on_2": "2024", "text": "x"},
        ).status_code
        == 404
    )


def test_the_calendar_feed_of_an_outsider_token_is_404(client, cast, meetings):
    feed = CalendarFeed.objects.create(user=cast.outsider, partnership=cast.other_partnership)

    url = reverse("meetings:meeting_calendar_feed", args=[cast.partnership.slug, feed.token])

    assert client.get(url).status_code == 404
