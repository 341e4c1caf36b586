"""Deleting meetings, agenda items, resolutions and responses: a confirmation page
first, editors and managers only, everything deleted kept in the history."""

from datetime import date

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting, Resolution, ResolutionResponse
from tests.factories import AgendaItemFactory, ResolutionFactory, ResolutionResponseFactory

S = Resolution.Status


def _deleted_by(model, pk) -> list[str]:
    """Who deleted the record, from its history."""
    return [
        row.history_user.email
        for row in model.history.filter(id=pk, history_type="-").select_related("history_user")
    ]


@pytest.fixture
def crowded(cast, meetings):
    """The scrutiny committee with a second item and a resolution with no item, all
    three numbered 1, a response, and a resolution of the later meeting that reports
    back to the committee."""
    second_item = AgendaItemFactory(meeting=meetings.meeting, number=8, title="Funding")
    under_second = ResolutionFactory(meeting=meetings.meeting, agenda_item=second_item, number=1)
    loose = ResolutionFactory(meeting=meetings.meeting, agenda_item=None, number=1)
    response = ResolutionResponseFactory(
        resolution=meetings.resolution, text="Data requested.", new_status=S.IN_PROGRESS
    )
    reporting_back = ResolutionFactory(
        meeting=meetings.later,
        number=1,
        report_back_meeting=meetings.meeting,
        report_back_date=date(2024, 1, 31),
    )
    return {
        "second_item": second_item,
        "under_second": under_second,
        "loose": loose,
        "response": response,
        "reporting_back": reporting_back,
    }


def test_the_meeting_delete_page_says_what_goes_with_it(cast, editor_client, meetings, crowded):
    url = reverse("meetings:meeting_delete", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.get(url)

    assert response.status_code == 200
    assert response.context["heading"] == (
        "Delete the meeting Scrutiny Committee, 11 January 2024?"
    )
    assert response.context["consequences"] == [
        "This also deletes its 2 agenda items, 3 resolutions and 1 response.",
        "1 resolution of another meeting reports back to this meeting: it keeps its "
        "report-back date but will no longer name this meeting.",
    ]
    page = response.content.decode()
    assert "You cannot undo this." in page
    assert '<input type="hidden" name="version" value="1" id="id_version">' in page
    assert Meeting.objects.filter(pk=meetings.meeting.pk).exists()


def test_an_editor_deletes_a_meeting_with_everything_under_it_and_the_history_keeps_it(
    cast, editor_client, meetings, crowded
):
    url = reverse("meetings:meeting_delete", args=[cast.partnership.slug, meetings.meeting.pk])
    resolution_ids = [meetings.resolution.pk, crowded["under_second"].pk, crowded["loose"].pk]

    response = editor_client.post(url, {"version": 1}, follow=True)

    assert response.redirect_chain == [
        (reverse("meetings:meeting_list", args=[cast.partnership.slug]), 302)
    ]
    assert "Meeting deleted: Scrutiny Committee, 11 January 2024." in response.content.decode()
    assert not Meeting.objects.filter(pk=meetings.meeting.pk).exists()
    assert AgendaItem.objects.filter(meeting_id=meetings.meeting.pk).count() == 0
    assert Resolution.objects.filter(pk__in=resolution_ids).count() == 0
    assert ResolutionResponse.objects.count() == 0
    editor = cast.editor.email
    assert _deleted_by(Meeting, meetings.meeting.pk) == [editor]
    assert _deleted_by(AgendaItem, meetings.item.pk) == [editor]
    assert _deleted_by(AgendaItem, crowded["second_item"].pk) == [editor]
    for pk in resolution_ids:
        assert _deleted_by(Resolution, pk) == [editor]
    assert _deleted_by(ResolutionResponse, crowded["response"].pk) == [editor]
    kept = Resolution.objects.get(pk=crowded["reporting_back"].pk)
    assert (kept.report_back_meeting, kept.report_back_date, kept.version) == (
        None,
        date(2024, 1, 31),
        2,
    )
    latest = kept.history.select_related("history_user").first()
    assert (latest.history_type, latest.history_user) == ("~", cast.editor)


def test_an_agenda_item_goes_with_its_resolutions_and_leaves_the_rest(
    cast, manager_client, meetings, crowded
):
    url = reverse(
        "meetings:agenda_item_delete",
        args=[cast.partnership.slug, meetings.meeting.pk, meetings.item.pk],
    )
    page = manager_client.get(url)
    assert page.context["heading"] == "Delete agenda item 7?"
    assert page.context["consequences"] == [
        "This also deletes resolution 1 of this item and their 1 response."
    ]

    response = manager_client.post(url, {"version": 1}, follow=True)

    assert response.redirect_chain == [
        (
            reverse("meetings:meeting_detail", args=[cast.partnership.slug, meetings.meeting.pk]),
            302,
        )
    ]
    assert "Agenda item 7 deleted, with resolution 1." in response.content.decode()
    assert not AgendaItem.objects.filter(pk=meetings.item.pk).exists()
    assert sorted(
        Resolution.objects.filter(meeting=meetings.meeting).values_list(
            "agenda_item__number", "number"
        ),
        key=str,
    ) == [(8, 1), (None, 1)]
    assert _deleted_by(Resolution, meetings.resolution.pk) == [cast.manager.email]


def test_an_editor_deletes_a_resolution_and_its_responses(cast, editor_client, meetings, crowded):
    url = reverse(
        "meetings:resolution_delete", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    page = editor_client.get(url)
    assert page.context["heading"] == "Delete resolution 1 (item 7)?"
    assert page.context["consequences"] == ["This also deletes its 1 response."]

    response = editor_client.post(url, {"version": 1}, follow=True)

    assert response.redirect_chain == [
        (
            reverse("meetings:meeting_detail", args=[cast.partnership.slug, meetings.meeting.pk]),
            302,
        )
    ]
    assert (
        "Resolution 1 (item 7) of Scrutiny Committee, 11 January 2024 deleted."
        in response.content.decode()
    )
    assert not Resolution.objects.filter(pk=meetings.resolution.pk).exists()
    assert _deleted_by(Resolution, meetings.resolution.pk) == [cast.editor.email]
    assert _deleted_by(ResolutionResponse, crowded["response"].pk) == [cast.editor.email]


def test_deleting_a_response_leaves_the_status_and_says_so(cast, editor_client, meetings, crowded):
    Resolution.objects.filter(pk=meetings.resolution.pk).update(status=S.IN_PROGRESS)
    url = reverse(
        "meetings:response_delete",
        args=[cast.partnership.slug, meetings.resolution.pk, crowded["response"].pk],
    )
    page = editor_client.get(url)
    assert page.context["heading"] == "Delete the response of 1 February 2024?"
    assert page.context["consequences"] == [
        "This response changed the status to in progress. Deleting it does not change the "
        "status back: the resolution stays in progress until you change it."
    ]

    response = editor_client.post(url, {"version": "1"}, follow=True)

    assert "Response of 1 February 2024 to resolution 1 (item 7) deleted." in (
        response.content.decode()
    )
    assert not ResolutionResponse.objects.filter(pk=crowded["response"].pk).exists()
    assert Resolution.objects.get(pk=meetings.resolution.pk).status == S.IN_PROGRESS
    assert _deleted_by(ResolutionResponse, crowded["response"].pk) == [cast.editor.email]


def test_a_resolution_changed_after_the_page_was_opened_is_not_deleted_unseen(
    cast, editor_client, manager_client, meetings
):
    slug = cast.partnership.slug
    url = reverse("meetings:resolution_delete", args=[slug, meetings.resolution.pk])
    manager_client.post(
        reverse("meetings:resolution_update", args=[slug, meetings.resolution.pk]),
        {
            "agenda_item": meetings.item.pk,
            "number": 1,
            "text": meetings.resolution.text,
            "owner": cast.council.pk,
            "report_back_meeting": meetings.later.pk,
            "status": S.DISCHARGED,
            "version": 1,
        },
    )

    refused = editor_client.post(url, {"version": 1})

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Someone else changed this resolution after you opened it, so it was not "
        "deleted. Their changes are listed below: check them, then delete it if you still "
        "mean to."
    ]
    assert [
        (c.who, [(f.label, f.old, f.new) for f in c.fields]) for c in refused.context["changes"]
    ] == [("Mary Manager", [("Status", "Open", "Discharged")])]
    assert Resolution.objects.filter(pk=meetings.resolution.pk).exists()
    assert '<input type="hidden" name="version" value="2"' in refused.content.decode()

    deleted = editor_client.post(url, {"version": 2})

    assert deleted.status_code == 302
    assert not Resolution.objects.filter(pk=meetings.resolution.pk).exists()


def test_a_delete_posted_without_its_version_is_refused(cast, editor_client, meetings):
    url = reverse("meetings:meeting_delete", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.post(url, {})

    assert response.context["form"].non_field_errors() == [
        "This page is out of date: open it again, then delete."
    ]
    assert Meeting.objects.filter(pk=meetings.meeting.pk).exists()


@pytest.mark.parametrize(
    "name", ["meeting_delete", "agenda_item_delete", "resolution_delete", "response_delete"]
)
def test_viewers_and_outsiders_delete_nothing(
    cast, viewer_client, outsider_client, meetings, crowded, name
):
    slug = cast.partnership.slug
    args = {
        "meeting_delete": [slug, meetings.meeting.pk],
        "agenda_item_delete": [slug, meetings.meeting.pk, meetings.item.pk],
        "resolution_delete": [slug, meetings.resolution.pk],
        "response_delete": [slug, meetings.resolution.pk, crowded["response"].pk],
    }[name]
    url = reverse(f"meetings:{name}", args=args)
    counts = (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Resolution.objects.count(),
        ResolutionResponse.objects.count(),
    )

    assert viewer_client.post(url, {"version": 1}).status_code == 403
    assert outsider_client.post(url, {"version": 1}).status_code == 404
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Resolution.objects.count(),
        ResolutionResponse.objects.count(),
    ) == counts


def test_viewers_see_no_delete_links(cast, viewer_client, editor_client, meetings, crowded):
    slug = cast.partnership.slug
    meeting_url = reverse("meetings:meeting_detail", args=[slug, meetings.meeting.pk])
    resolution_url = reverse("meetings:resolution_detail", args=[slug, meetings.resolution.pk])

    for url in (meeting_url, resolution_url):
        assert "Delete" not in viewer_client.get(url).content.decode()
    meeting_page = editor_client.get(meeting_url).content.decode()
    resolution_page = editor_client.get(resolution_url).content.decode()

    assert "Delete the meeting</a>" in meeting_page
    assert "Delete item 7</a>" in meeting_page
    assert "Delete item 8</a>" in meeting_page
    assert "Delete the resolution</a>" in resolution_page
    assert (
        'Delete<span class="govuk-visually-hidden"> the response of 1 February 2024</span></a>'
        in resolution_page
    )


def test_a_response_under_another_resolutions_address_is_404(
    cast, editor_client, meetings, crowded
):
    url = reverse(
        "meetings:response_delete",
        args=[cast.partnership.slug, crowded["loose"].pk, crowded["response"].pk],
    )

    assert editor_client.get(url).status_code == 404
    assert editor_client.post(url, {}).status_code == 404
    assert ResolutionResponse.objects.filter(pk=crowded["response"].pk).exists()
