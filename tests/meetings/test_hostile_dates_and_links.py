"""Meeting dates, report-back dates, response dates and paper links go through the one
validation layer: an implausible or impossible date, or an unsafe link, is refused
with a message naming the field, and nothing is stored."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting, Resolution, ResolutionResponse

pytestmark = pytest.mark.django_db

RANGE = "enter a date between 1 January 2000 and 31 December 2100"


def _meeting_data(cast, day, month, year) -> dict:
    return {
        "body": "scrutiny",
        "title": "Scrutiny Committee",
        "date_0": day,
        "date_1": month,
        "date_2": year,
        "start_time": "",
        "end_time": "",
        "place": "",
        "organisations": [cast.council.pk],
        "notes": "",
        "version": 1,
    }


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        (
            "30",
            "2",
            "2024",
            "Date of the meeting: enter a real date, like 11 1 2024 (30 February does not exist)",
        ),
        ("1", "1", "1", f"Date of the meeting: {RANGE} (you entered the year 1)"),
        ("31", "12", "9999", f"Date of the meeting: {RANGE} (you entered the year 9999)"),
        (
            "١",
            "1",
            "2024",
            "Date of the meeting: enter the day as a number, like 11 1 2024 (you entered “١”)",
        ),
    ],
)
def test_a_new_meeting_with_an_impossible_or_implausible_date_is_refused(
    cast, editor_client, day, month, year, message
):
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = editor_client.post(url, _meeting_data(cast, day, month, year))

    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [message]}
    assert message in response.content.decode()
    assert "out of range" not in response.content.decode()
    assert Meeting.objects.count() == 0


def test_an_edited_meeting_keeps_its_date_when_the_year_is_9999(cast, editor_client, meetings):
    url = reverse("meetings:meeting_update", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.post(url, _meeting_data(cast, "11", "1", "9999"))

    assert response.context["form"].errors == {
        "date": [f"Date of the meeting: {RANGE} (you entered the year 9999)"]
    }
    meetings.meeting.refresh_from_db()
    assert (meetings.meeting.date.year, meetings.meeting.version) == (2024, 1)


def test_an_outsider_cannot_post_a_meeting(cast, outsider_client):
    url = reverse("meetings:meeting_create", args=[cast.partnership.slug])

    response = outsider_client.post(url, _meeting_data(cast, "11", "1", "2024"))

    assert response.status_code == 404
    assert Meeting.objects.count() == 0


PAPER = "Link to the paper"
EXAMPLE = ", like https://www.example.gov.uk/papers/item-4.pdf"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("//evil.example/paper.pdf", f"{PAPER}: enter the full address, starting https://"),
        (
            "http://127.0.0.1:8000/admin/",
            f"{PAPER}: the link points at a private or local network address; enter a public one",
        ),
        (
            "http://192.168.1.20/paper.pdf",
            f"{PAPER}: the link points at a private or local network address; enter a public one",
        ),
        (
            "http://[::1]/paper.pdf",
            f"{PAPER}: the link points at a private or local network address; enter a public one",
        ),
        (
            "http://localhost/paper.pdf",
            f"{PAPER}: the link points at this computer; enter a public address",
        ),
        (
            "https://officer:pa55@example.org/paper.pdf",
            f"{PAPER}: a link cannot hold a user name or password; enter the public address",
        ),
    ],
)
def test_an_agenda_item_with_an_unsafe_paper_link_is_refused(
    cast, editor_client, meetings, link, message
):
    url = reverse("meetings:agenda_item_create", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.post(url, {"number": 8, "title": "Plan", "paper_link": link})

    assert response.status_code == 200
    assert response.context["form"].errors == {"paper_link": [message + EXAMPLE]}
    assert AgendaItem.objects.count() == 1


def test_a_public_paper_link_is_stored(cast, editor_client, meetings):
    url = reverse("meetings:agenda_item_create", args=[cast.partnership.slug, meetings.meeting.pk])

    response = editor_client.post(
        url, {"number": 8, "title": "Plan", "paper_link": "www.testshire.gov.uk/plan.pdf"}
    )

    assert response.status_code == 302
    item = AgendaItem.objects.get(number=8)
    assert item.paper_link == "https://www.testshire.gov.uk/plan.pdf"


def test_an_outsider_cannot_post_an_agenda_item(cast, outsider_client, meetings):
    url = reverse("meetings:agenda_item_create", args=[cast.partnership.slug, meetings.meeting.pk])

    response = outsider_client.post(url, {"number": 8, "title": "Plan", "paper_link": ""})

    assert response.status_code == 404
    assert AgendaItem.objects.count() == 1


def test_a_response_dated_in_year_1_is_refused(cast, editor_client, meetings):
    url = reverse("meetings:response_create", args=[cast.partnership.slug, meetings.resolution.pk])

    response = editor_client.post(
        url,
        {
            "responded_on_0": "1",
            "responded_on_1": "1",
            "responded_on_2": "1",
            "organisation": "",
            "text": "Done",
            "new_status": "",
        },
    )

    assert response.context["form"].errors == {
        "responded_on": [f"Date of the response: {RANGE} (you entered the year 1)"]
    }
    assert ResolutionResponse.objects.count() == 0


def test_a_pasted_resolution_reporting_back_in_year_1_is_refused(cast, editor_client, meetings):
    paste = reverse("meetings:resolution_paste", args=[cast.partnership.slug, meetings.meeting.pk])
    check = editor_client.post(paste, {"step": "split", "minutes": "RESOLVED\n1. That A."})
    formset = check.context["formset"]
    data = {"step": "save"}
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"draft-{name}"] = formset.management_form[name].value()
    for i, form in enumerate(formset.forms):
        for name in ("number", "text", "status"):
            data[f"draft-{i}-{name}"] = form.initial[name]
        data[f"draft-{i}-include"] = "on"
    data["draft-0-report_back_date"] = "31/03/0001"

    response = editor_client.post(paste, data)

    assert response.context["formset"].errors == [
        {"report_back_date": [f"Report-back date: {RANGE} (you entered 31 March 1)"]}
    ]
    assert Resolution.objects.count() == 1
