"""Recording meetings, agenda items, resolutions (one by one and from pasted minutes),
responses and action links, with the messages bad input gets."""

from datetime import date, time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import Action
from meetings.models import AgendaItem, Meeting, Resolution, ResolutionResponse
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ObjectiveFactory,
    ThematicGroupFactory,
)

S = Resolution.Status
SEEDS = Path(__file__).parent / "seeds"


def _date(prefix: str, value: date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def test_an_editor_records_a_meeting_with_who_attended(cast, editor_client):
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = editor_client.post(
        url,
        {
            "body": "scrutiny",
            "title": "Scrutiny Committee",
            **_date("date", date(2024, 1, 11)),
            "start_time": "7pm",
            "end_time": "20.30",
            "place": "Council Chamber",
            "organisations": [cast.council.pk, cast.police.pk],
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/safer-testshire/meetings/{meeting.pk}/"
    assert (meeting.partnership, meeting.body, meeting.date) == (
        cast.partnership,
        "scrutiny",
        date(2024, 1, 11),
    )
    assert (meeting.start_time, meeting.end_time) == (time(19, 0), time(20, 30))
    assert list(meeting.organisations.order_by("name")) == [cast.council, cast.police]
    # One history row for the meeting, one for its attendance (django-simple-history m2m).
    assert meeting.history.count() == 2
    assert {h.history_user for h in meeting.history.all()} == {cast.editor}


def test_a_thematic_group_meeting_needs_its_group(cast, editor_client):
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = editor_client.post(
        url, {"body": "thematic", "title": "ASB group", **_date("date", date(2024, 2, 1))}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "thematic_group": ["Choose the thematic group that met."]
    }
    assert Meeting.objects.count() == 0


def test_a_group_of_another_partnership_cannot_be_chosen(cast, editor_client):
    theirs = ThematicGroupFactory(partnership=cast.other_partnership, name="Their group")
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = editor_client.post(
        url,
        {
            "body": "thematic",
            "thematic_group": theirs.pk,
            "title": "ASB group",
            **_date("date", date(2024, 2, 1)),
        },
    )

    assert "thematic_group" in response.context["form"].errors
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"start_time": "19:00", "end_time": "18:00"},
            {"end_time": ["The end time must be after the start time."]},
        ),
        (
            {"end_time": "18:00"},
            {"start_time": ["Enter the start time as well as the end time."]},
        ),
        ({"start_time": "half seven"}, {"start_time": ["Enter a time like 18:30 or 6.30pm."]}),
    ],
)
def test_meeting_times_must_make_sense(cast, editor_client, fields, errors):
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = editor_client.post(
        url, {"body": "rag", "title": "RAG", **_date("date", date(2024, 2, 1)), **fields}
    )

    assert response.context["form"].errors == errors
    assert Meeting.objects.count() == 0


def test_a_meeting_date_that_does_not_exist_is_refused(cast, editor_client):
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = editor_client.post(
        url, {"body": "rag", "title": "RAG", "date_0": "30", "date_1": "2", "date_2": "2024"}
    )

    assert "date" in response.context["form"].errors
    assert Meeting.objects.count() == 0


def test_an_agenda_item_takes_a_paper_file_that_only_members_can_download(
    cast, editor_client, outsider_client, meetings
):
    url = reverse("meetings:agenda_item_create", args=[cast.partnership.slug, meetings.meeting.pk])
    paper = SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", content_type="application/pdf")

    response = editor_client.post(
        url, {"number": 8, "title": "Action plan", "paper_file": paper, "minutes": ""}
    )

    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meetings.meeting, number=8)
    paper_url = reverse(
        "meetings:agenda_item_paper", args=[cast.partnership.slug, meetings.meeting.pk, item.pk]
    )
    download = editor_client.get(paper_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert download["Content-Disposition"].startswith("attachment;")
    assert outsider_client.get(paper_url).status_code == 404


def test_an_agenda_item_refuses_a_program_file_and_both_file_and_link(
    cast, editor_client, meetings
):
    url = reverse("meetings:agenda_item_create", args=[cast.partnership.slug, meetings.meeting.pk])

    bad_type = editor_client.post(
        url,
        {
            "number": 8,
            "title": "x",
            "paper_file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/x"),
        },
    )
    both = editor_client.post(
        url,
        {
            "number": 8,
            "title": "x",
            "paper_file": SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
            "paper_link": "https://example.org/paper.pdf",
        },
    )
    clash = editor_client.post(url, {"number": 7, "title": "Same number"})

    assert bad_type.context["form"].errors == {
        "paper_file": [
            "The paper run.exe is a Windows program, not a PDF, Word, spreadsheet or slides file."
        ]
    }
    assert both.context["form"].errors == {
        "paper_link": ["Give a file or a link for the paper, not both."]
    }
    assert clash.context["form"].errors == {
        "__all__": ["This meeting already has an item with this number."]
    }
    assert AgendaItem.objects.count() == 1


def test_an_editor_adds_a_resolution_numbered_as_the_minutes_number_it(
    cast, editor_client, meetings
):
    url = reverse("meetings:resolution_create", args=[cast.partnership.slug, meetings.meeting.pk])
    assert editor_client.get(url).context["form"].initial["number"] == 2

    response = editor_client.post(
        url,
        {
            "agenda_item": meetings.item.pk,
            "number": 2,
            "text": "That the Partnership explores external funding.",
            "owner": cast.police.pk,
            **_date("report_back_date", date(2024, 9, 30)),
            "status": "open",
        },
    )

    assert response.status_code == 302
    resolution = Resolution.objects.get(number=2)
    assert (resolution.reference, resolution.item_number, resolution.citation) == (
        "2",
        7,
        "2 (item 7)",
    )
    assert str(resolution) == "Resolution 2 (item 7) of Scrutiny Committee, 11 January 2024"
    assert (resolution.owner, resolution.report_back_date, resolution.status) == (
        cast.police,
        date(2024, 9, 30),
        "open",
    )


def test_a_resolution_number_cannot_repeat_under_one_item(cast, editor_client, meetings):
    url = reverse("meetings:resolution_create", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.post(
        url, {"agenda_item": meetings.item.pk, "number": 1, "text": "Again.", "status": "open"}
    )

    assert response.context["form"].errors == {
        "__all__": ["This agenda item already has a resolution with this number."]
    }
    assert Resolution.objects.count() == 1


def test_the_owner_must_be_a_member_of_the_partnership(cast, editor_client, meetings):
    from tests.factories import OrganisationFactory

    stranger = OrganisationFactory(name="Elsewhere Council")
    url = reverse("meetings:resolution_create", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.post(
        url, {"number": 9, "text": "x", "status": "open", "owner": stranger.pk}
    )

    assert "owner" in response.context["form"].errors
    assert Resolution.objects.count() == 1


def _paste(client, cast, meetings, text: str, item=None):
    url = reverse("meetings:resolution_paste", args=[cast.partnership.slug, meetings.meeting.pk])
    data = {"step": "split", "minutes": text}
    if item is not None:
        data["agenda_item"] = item.pk
    return client.post(url, data)


def _checked(formset, item=None, **changes) -> dict:
    """The check page's form, posted back as the officer left it."""
    data = {"step": "save"}
    if item is not None:
        data["agenda_item"] = item.pk
    management = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"draft-{name}"] = management[name].value()
    for i, form in enumerate(formset.forms):
        for name in ("number", "text", "status"):
            data[f"draft-{i}-{name}"] = form.initial[name]
        data[f"draft-{i}-include"] = "on"
    data.update(changes)
    return data


def test_pasting_seed_003_splits_checks_and_saves_two_resolutions(cast, editor_client, meetings):
    item = AgendaItem.objects.create(meeting=meetings.meeting, number=8, title="SLP update")
    text = (SEEDS / "003_lincolnshire_scrutiny.txt").read_text()

    check = _paste(editor_client, cast, meetings, text, item)

    assert check.status_code == 200
    formset = check.context["formset"]
    assert [(f.initial["number"], f.initial["status"]) for f in formset.forms] == [
        (1, "noted"),
        (2, "open"),
    ]
    assert Resolution.objects.filter(agenda_item=item).count() == 0

    data = _checked(
        formset,
        item,
        **{
            "draft-1-owner": cast.council.pk,
            "draft-1-report_back_date": "30/09/2024",
            "draft-1-text": "That the Partnership Plan be endorsed.",
        },
    )
    saved = editor_client.post(check.request["PATH_INFO"], data)

    assert saved.status_code == 302
    rows = list(
        Resolution.objects.filter(agenda_item=item)
        .order_by("number")
        .values_list("number", "text", "status", "owner_id", "report_back_date")
    )
    assert rows == [
        (1, "That the report presented be received and noted.", "noted", None, None),
        (2, "That the Partnership Plan be endorsed.", "open", cast.council.pk, date(2024, 9, 30)),
    ]


def test_minutes_numbered_under_minute_7_go_under_item_7_as_resolutions_2_and_3(
    cast, editor_client, meetings
):
    check = _paste(
        editor_client,
        cast,
        meetings,
        "RESOLVED\n7.2 That A be done.\n7.3 That B be done.",
    )

    assert check.context["agenda_item"] == meetings.item
    assert [(f.initial["number"], f.initial["text"]) for f in check.context["formset"]] == [
        (2, "That A be done."),
        (3, "That B be done."),
    ]
    page = check.content.decode()
    assert (
        "The minutes number these resolutions under minute 7, so they are for item 7, "
        "Community Safety Partnership."
    ) in page
    assert "Row 1: resolution 2</h2>" in page
    assert "Row 2: resolution 3</h2>" in page

    saved = editor_client.post(
        check.request["PATH_INFO"], _checked(check.context["formset"], meetings.item)
    )

    assert saved.status_code == 302
    assert [
        (r.reference, r.citation)
        for r in Resolution.objects.filter(agenda_item=meetings.item).order_by("number")
    ] == [("1", "1 (item 7)"), ("2", "2 (item 7)"), ("3", "3 (item 7)")]


def test_a_minute_number_that_is_not_the_chosen_items_is_warned_about(
    cast, editor_client, meetings
):
    item = AgendaItem.objects.create(meeting=meetings.meeting, number=8, title="SLP update")

    check = _paste(editor_client, cast, meetings, "RESOLVED\n7.2 That A be done.", item)

    assert check.context["agenda_item"] == item
    assert (
        "The minutes number these resolutions under minute 7, but you chose item 8, SLP "
        "update. Check the agenda item before saving."
    ) in check.content.decode()


def test_an_unticked_draft_is_not_saved(cast, editor_client, meetings):
    item = AgendaItem.objects.create(meeting=meetings.meeting, number=8, title="CSP")
    check = _paste(
        editor_client, cast, meetings, (SEEDS / "000_chorley_scrutiny_2018.txt").read_text(), item
    )
    data = _checked(check.context["formset"], item)
    del data["draft-4-include"]

    editor_client.post(check.request["PATH_INFO"], data)

    assert list(Resolution.objects.filter(agenda_item=item).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        6,
    ]


def test_pasted_text_it_cannot_split_gets_a_clear_message_and_saves_nothing(
    cast, editor_client, meetings
):
    response = _paste(editor_client, cast, meetings, "The Committee discussed the report.")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "minutes": [
            "No resolutions found: the text has no RESOLVED or Recommendations heading and does "
            "not start with a numbered list. Paste the part of the minutes from RESOLVED to the "
            "end of the decisions, or add the resolutions one by one."
        ]
    }
    assert "There is a problem" in response.content.decode()
    assert Resolution.objects.count() == 1


def test_a_clash_with_a_saved_number_names_the_row_and_saves_nothing(cast, editor_client, meetings):
    check = _paste(
        editor_client,
        cast,
        meetings,
        "RESOLVED\n1. That A be done.\n2. That B be done.",
        meetings.item,
    )

    response = editor_client.post(
        check.request["PATH_INFO"], _checked(check.context["formset"], meetings.item)
    )

    assert response.status_code == 200
    assert response.context["save_error"] == (
        "Row 1 (resolution 1): This agenda item already has a resolution with this number."
    )
    assert Resolution.objects.count() == 1


def test_a_list_left_whole_gets_empty_rows_to_split_it_into(cast, editor_client, meetings):
    check = _paste(editor_client, cast, meetings, "RESOLVED\n1. That A.\n3. That B.\n2. That C.")
    formset = check.context["formset"]
    assert [(f.initial["include"], f.initial["number"], f.initial["text"]) for f in formset] == [
        (True, 1, "1. That A.\n3. That B.\n2. That C."),
        (False, 2, ""),
        (False, 3, ""),
    ]
    data = _checked(formset)
    data.update({"draft-0-text": "That A.", "draft-1-text": "That B.", "draft-2-text": "That C."})

    editor_client.post(check.request["PATH_INFO"], data)

    assert list(
        Resolution.objects.filter(agenda_item=None).order_by("number").values_list("number", "text")
    ) == [(1, "That A."), (2, "That B."), (3, "That C.")]


def test_an_empty_row_left_unticked_is_ignored_but_a_ticked_one_needs_text(
    cast, editor_client, meetings
):
    check = _paste(editor_client, cast, meetings, "RESOLVED\n1. That A.\n3. That B.")
    data = _checked(check.context["formset"])
    data["draft-1-text"] = ""

    refused = editor_client.post(check.request["PATH_INFO"], data)
    del data["draft-1-include"]
    saved = editor_client.post(check.request["PATH_INFO"], data)

    assert refused.context["formset"].errors == [
        {},
        {"text": ["Enter the text of the resolution."]},
    ]
    assert saved.status_code == 302
    assert Resolution.objects.filter(agenda_item=None).count() == 1


def test_two_checked_rows_with_one_number_are_refused(cast, editor_client, meetings):
    check = _paste(editor_client, cast, meetings, "RESOLVED\n1. That A.\n2. That B.")
    data = _checked(check.context["formset"], **{"draft-1-number": 1})

    response = editor_client.post(check.request["PATH_INFO"], data)

    assert response.context["formset"].non_form_errors() == [
        "Each resolution needs its own number: 1 is used more than once."
    ]
    assert Resolution.objects.count() == 1


def test_a_bad_report_back_date_names_the_field(cast, editor_client, meetings):
    check = _paste(editor_client, cast, meetings, "RESOLVED\n1. That A.")
    data = _checked(check.context["formset"], **{"draft-0-report_back_date": "31/02/2024"})

    response = editor_client.post(check.request["PATH_INFO"], data)

    assert response.context["formset"].errors == [
        {"report_back_date": ["Enter the report-back date like 31/03/2024."]}
    ]
    assert "Row 1: Enter the report-back date like 31/03/2024." in response.content.decode()
    assert Resolution.objects.count() == 1


def test_a_response_moves_the_status_on_and_joins_the_timeline(cast, editor_client, meetings):
    url = reverse("meetings:response_create", args=[cast.partnership.slug, meetings.resolution.pk])

    response = editor_client.post(
        url,
        {
            **_date("responded_on", date(2024, 3, 1)),
            "organisation": cast.council.pk,
            "text": "Resident survey results added to the quarterly report.",
            "new_status": "in_progress",
        },
    )
    editor_client.post(
        url,
        {
            **_date("responded_on", date(2024, 4, 25)),
            "text": "Reported to the RAG.",
            "new_status": "",
        },
    )

    assert response.status_code == 302
    meetings.resolution.refresh_from_db()
    assert meetings.resolution.status == "in_progress"
    assert list(
        ResolutionResponse.objects.order_by("responded_on").values_list(
            "responded_on", "new_status", "recorded_by__email"
        )
    ) == [
        (date(2024, 3, 1), "in_progress", "editor@test.example"),
        (date(2024, 4, 25), "", "editor@test.example"),
    ]
    page = editor_client.get(
        reverse("meetings:resolution_detail", args=[cast.partnership.slug, meetings.resolution.pk])
    ).content.decode()
    assert page.index("Resident survey results") < page.index("Reported to the RAG.")
    assert "Status changed to in progress." in page
    assert meetings.resolution.history.order_by("history_date").last().status == "in_progress"
    assert [
        (c.who, c.action, c.status_label) for c in _page_changes(editor_client, cast, meetings)
    ] == [
        ("System", "Created", "Open"),
        ("Eddie Editor", "Changed", "In progress"),
    ]


def _page_changes(client, cast, meetings):
    url = reverse(
        "meetings:resolution_detail", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    return client.get(url).context["changes"]


def test_a_resolution_links_to_an_action_of_the_partnership(cast, editor_client, meetings):
    plan = ActionPlanFactory(partnership=cast.partnership, title="Community Safety Plan")
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), lead_organisation=cast.council)
    theirs = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.other_partnership))
    )
    url = reverse(
        "meetings:resolution_action", args=[cast.partnership.slug, meetings.resolution.pk]
    )

    refused = editor_client.post(url, {"action": theirs.pk})
    linked = editor_client.post(url, {"action": action.pk})

    assert "action" in refused.context["form"].errors
    assert linked.status_code == 302
    meetings.resolution.refresh_from_db()
    assert meetings.resolution.action == action


def test_an_action_is_created_from_a_resolution(cast, editor_client, meetings):
    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.partnership))
    url = reverse(
        "meetings:resolution_action_create", args=[cast.partnership.slug, meetings.resolution.pk]
    )
    form = editor_client.get(url).context["form"]
    assert form.initial["title"] == "Future reports include resident confidence data."
    assert form.initial["lead_organisation"] == cast.council.pk
    assert form.initial["due_date"] == date(2024, 4, 25)

    response = editor_client.post(
        url,
        {
            "objective": objective.pk,
            "title": "Add resident confidence data to reports",
            "lead_organisation": cast.council.pk,
            "owner_name": "Community Safety Officer",
            **_date("due_date", date(2024, 4, 25)),
        },
    )

    assert response.status_code == 302
    action = Action.objects.get(title="Add resident confidence data to reports")
    assert (action.objective, action.lead_organisation, action.due_date) == (
        objective,
        cast.council,
        date(2024, 4, 25),
    )
    assert action.description == (
        "From resolution 1 (item 7) of Scrutiny Committee, 11 January 2024: "
        "That future reports include resident confidence data."
    )
    meetings.resolution.refresh_from_db()
    assert meetings.resolution.action == action


def test_the_meeting_page_runs_a_fixed_number_of_queries(
    cast, viewer_client, meetings, django_assert_num_queries
):
    url = reverse("meetings:meeting_detail", args=[cast.partnership.slug, meetings.meeting.pk])
    viewer_client.get(url)

    # session, user, access, switcher, meeting, organisations, items, resolutions
    with django_assert_num_queries(8):
        viewer_client.get(url)
    for number in range(2, 12):
        item = AgendaItem.objects.create(meeting=meetings.meeting, number=number + 10, title="x")
        Resolution.objects.create(meeting=meetings.meeting, agenda_item=item, number=1, text="y")
    with django_assert_num_queries(8):
        response = viewer_client.get(url)
    assert len(response.context["resolutions"]) == 11


def test_the_meetings_list_runs_a_fixed_number_of_queries(
    cast, viewer_client, meetings, django_assert_num_queries
):
    url = reverse("meetings:meeting_list", args=[cast.partnership.slug])
    viewer_client.get(url)

    # session, user, access, switcher, upcoming, past, calendar link
    with django_assert_num_queries(7):
        response = viewer_client.get(url)
    assert [m.title for m in response.context["lists"].past][:1] == [
        "Responsible Authorities Group"
    ]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("١", "Number: enter a whole number, like 1,234 (you entered “١”)"),
        ("１", "Number: enter a whole number, like 1,234 (you entered “１”)"),
        ("+1", "Number: enter a whole number, like 1,234 (you entered “+1”)"),
        ("1_0", "Number: enter a whole number, like 1,234 (you entered “1_0”)"),
        ("1e1", "Number: enter a whole number, like 1,234 (you entered “1e1”)"),
        ("0", "Number: enter a whole number from 1 to 999 (you entered “0”)"),
        ("1,000", "Number: enter a whole number from 1 to 999 (you entered “1,000”)"),
    ],
)
def test_a_checked_row_with_a_number_that_is_not_plain_digits_is_refused(
    cast, editor_client, meetings, number, message
):
    check = _paste(editor_client, cast, meetings, "RESOLVED\n1. That A.")
    data = _checked(check.context["formset"], **{"draft-0-number": number})

    response = editor_client.post(check.request["PATH_INFO"], data)

    assert response.context["formset"].errors == [{"number": [message]}]
    assert f"Row 1: {message}" in response.content.decode()
    assert Resolution.objects.count() == 1
