"""Two people editing one meeting, agenda item or resolution: the second save, made
from the older copy, is refused with what the first person changed; nothing is
silently overwritten."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cspportal.lib.versioning import ChangeSince, EditConflict, FieldChange, changes_since
from meetings import services
from meetings.models import AgendaItem, Meeting, Resolution

S = Resolution.Status
REFUSED = (
    "Someone else changed this {noun} after you opened it, so your changes were not saved. "
    "Their changes are listed below. Check them against yours, then save again to replace "
    "them."
)


def _resolution_data(meetings, **changes) -> dict:
    resolution = meetings.resolution
    data = {
        "agenda_item": meetings.item.pk,
        "number": resolution.number,
        "text": resolution.text,
        "owner": resolution.owner_id,
        "report_back_date_0": "",
        "report_back_date_1": "",
        "report_back_date_2": "",
        "report_back_meeting": meetings.later.pk,
        "status": resolution.status,
        "version": 1,
    }
    data.update(changes)
    return data


def _meeting_data(cast, **changes) -> dict:
    data = {
        "body": "scrutiny",
        "title": "Scrutiny Committee",
        "date_0": "11",
        "date_1": "1",
        "date_2": "2024",
        "start_time": "19:00",
        "end_time": "",
        "place": "Council Chamber",
        "organisations": [cast.council.pk, cast.police.pk],
        "notes": "",
        "version": 1,
    }
    data.update(changes)
    return data


def _summary(changes: list[ChangeSince]) -> list[tuple[str, list[FieldChange]]]:
    return [(change.who, change.fields) for change in changes]


def test_the_edit_form_carries_the_version_it_was_opened_on(cast, editor_client, meetings):
    url = reverse(
        "meetings:resolution_update", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    Resolution.objects.filter(pk=meetings.resolution.pk).update(version=4)

    page = editor_client.get(url).content.decode()

    assert '<input type="hidden" name="version" value="4"' in page


def test_the_second_save_of_a_resolution_is_refused_and_shows_the_first(
    cast, editor_client, manager_client, meetings
):
    url = reverse(
        "meetings:resolution_update", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    first = manager_client.post(
        url, _resolution_data(meetings, owner=cast.police.pk, status=S.IN_PROGRESS)
    )
    assert first.status_code == 302

    second = editor_client.post(
        url, _resolution_data(meetings, text="That future reports include trends.")
    )

    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [REFUSED.format(noun="resolution")]
    assert _summary(second.context["changes"]) == [
        (
            "Mary Manager",
            [
                FieldChange("Owner organisation", "Testshire Council", "Testshire Police"),
                FieldChange("Status", "Open", "In progress"),
            ],
        )
    ]
    page = second.content.decode()
    assert "Changed by someone else" in page
    assert "That future reports include trends." in page  # what the editor typed is kept
    resolution = Resolution.objects.get(pk=meetings.resolution.pk)
    assert (resolution.text, resolution.owner, resolution.status, resolution.version) == (
        "That future reports include resident confidence data.",
        cast.police,
        S.IN_PROGRESS,
        2,
    )
    assert '<input type="hidden" name="version" value="2"' in page


def test_saving_again_after_seeing_the_changes_replaces_them(
    cast, editor_client, manager_client, meetings
):
    url = reverse(
        "meetings:resolution_update", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    manager_client.post(url, _resolution_data(meetings, status=S.IN_PROGRESS))
    editor_data = _resolution_data(meetings, text="That future reports include trends.")
    refused = editor_client.post(url, editor_data)

    again = editor_client.post(
        url, {**editor_data, "version": refused.context["form"]["version"].value()}
    )

    assert again.status_code == 302
    resolution = Resolution.objects.get(pk=meetings.resolution.pk)
    assert (resolution.text, resolution.status, resolution.version) == (
        "That future reports include trends.",
        S.OPEN,
        3,
    )


def test_the_second_save_of_a_meeting_is_refused_with_the_attendance_change(
    cast, editor_client, manager_client, meetings
):
    url = reverse("meetings:meeting_update", args=[cast.partnership.slug, meetings.meeting.pk])
    first = manager_client.post(
        url,
        _meeting_data(
            cast, title="Scrutiny Committee (reconvened)", organisations=[cast.council.pk]
        ),
    )
    assert first.status_code == 302

    second = editor_client.post(url, _meeting_data(cast, place="Committee Room 1"))

    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [REFUSED.format(noun="meeting")]
    assert _summary(second.context["changes"]) == [
        (
            "Mary Manager",
            [
                FieldChange("Title", "Scrutiny Committee", "Scrutiny Committee (reconvened)"),
                FieldChange(
                    "Organisations attending",
                    "Testshire Council, Testshire Police",
                    "Testshire Council",
                ),
            ],
        )
    ]
    meeting = Meeting.objects.get(pk=meetings.meeting.pk)
    assert (meeting.title, meeting.place, list(meeting.organisations.all())) == (
        "Scrutiny Committee (reconvened)",
        "Council Chamber",
        [cast.council],
    )


def test_the_second_save_of_an_agenda_item_is_refused(
    cast, editor_client, manager_client, meetings
):
    url = reverse(
        "meetings:agenda_item_update",
        args=[cast.partnership.slug, meetings.meeting.pk, meetings.item.pk],
    )
    data = {
        "number": 7,
        "title": "Community Safety Partnership",
        "paper_link": "",
        "minutes": "",
        "version": 1,
    }
    manager_client.post(url, {**data, "minutes": "The Committee considered the report."})

    second = editor_client.post(url, {**data, "title": "Community Safety Partnership update"})

    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [REFUSED.format(noun="agenda item")]
    assert _summary(second.context["changes"]) == [
        (
            "Mary Manager",
            [FieldChange("Minutes", "(blank)", "The Committee considered the report.")],
        )
    ]
    item = AgendaItem.objects.get(pk=meetings.item.pk)
    assert (item.title, item.minutes) == (
        "Community Safety Partnership",
        "The Committee considered the report.",
    )


def test_a_response_that_moves_the_status_makes_an_open_edit_form_stale(
    cast, editor_client, manager_client, meetings
):
    slug = cast.partnership.slug
    respond = manager_client.post(
        reverse("meetings:response_create", args=[slug, meetings.resolution.pk]),
        {
            "responded_on_0": "2",
            "responded_on_1": "4",
            "responded_on_2": "2024",
            "text": "Confidence data added to the April report.",
            "new_status": S.DISCHARGED,
        },
    )
    assert respond.status_code == 302

    edit = editor_client.post(
        reverse("meetings:resolution_update", args=[slug, meetings.resolution.pk]),
        _resolution_data(meetings, text="That reports include confidence data."),
    )

    assert edit.status_code == 200
    assert _summary(edit.context["changes"]) == [
        ("Mary Manager", [FieldChange("Status", "Open", "Discharged")])
    ]
    assert Resolution.objects.get(pk=meetings.resolution.pk).status == S.DISCHARGED


def test_a_save_without_the_version_is_refused(cast, editor_client, meetings):
    url = reverse(
        "meetings:resolution_update", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    data = _resolution_data(meetings, text="Changed.")
    del data["version"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This page is out of date: open it again, make your changes and save."
    ]
    assert "This page is out of date" in response.content.decode()
    assert Resolution.objects.get(pk=meetings.resolution.pk).text == (
        "That future reports include resident confidence data."
    )


def test_every_write_moves_the_version_on(cast, meetings):
    resolution = meetings.resolution
    assert resolution.version == 1

    services.resolution_save(resolution=resolution, expected_version=1)
    services.response_record(
        resolution=resolution,
        responded_on=date(2024, 2, 1),
        text="Started.",
        organisation=cast.council,
        new_status=S.IN_PROGRESS,
        recorded_by=cast.editor,
    )
    services.resolution_action_link(resolution=resolution, action=None)

    assert Resolution.objects.get(pk=resolution.pk).version == 4
    with pytest.raises(EditConflict) as refused:
        services.resolution_save(resolution=resolution, expected_version=3)
    assert refused.value.current_version == 4
    assert [c.fields for c in changes_since(resolution, 3)] == [[]]


def test_a_record_deleted_meanwhile_gets_a_clear_message(cast, meetings):
    stale = Resolution.objects.get(pk=meetings.resolution.pk)
    Resolution.objects.filter(pk=stale.pk).delete()

    with pytest.raises(ValidationError) as refused:
        services.resolution_save(resolution=stale, expected_version=1)

    assert refused.value.messages == ["Someone deleted this resolution while you were editing it."]
