"""The Django admin edits the same records as the app's forms, so it keeps the same
rules: a meeting between 2000 and 2100, public http(s) links only, numbers in ASCII
digits. Each case posts the real admin change form as a superuser, as the page would
send it with one value changed, and checks the message and that nothing changed."""

from datetime import date

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse

from actionplans.models import ActionUpdate
from cspportal.lib.admin import StrictFields
from meetings.models import AgendaItem, Meeting
from partnerships.models import Area
from tests.factories import ActionUpdateFactory, AgendaItemFactory, MeetingFactory
from tests.posting import add_posted, posted


def _as_posted(response) -> dict:
    """The admin change page's form and inline forms, as the browser would post them."""
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add_posted(inline.formset.management_form, data)
        for form in inline.formset.forms:
            add_posted(form, data)
    return data


def _errors(response) -> list[str]:
    assert response.status_code == 200, "the admin saved the change"
    form = response.context["adminform"].form
    found = [m for messages in form.errors.values() for m in messages]
    for inline in response.context["inline_admin_formsets"]:
        for errors in inline.formset.errors:
            found += [m for messages in errors.values() for m in messages]
    return found


def _change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


OUR_APPS = {"accounts", "partnerships", "crimestats", "actionplans", "meetings", "reports"}


def test_every_admin_reads_links_and_numbers_strictly():
    ours = [m for m in admin.site._registry.values() if m.model._meta.app_label in OUR_APPS]
    loose = [
        f"{model_admin.model.__name__}: {type(model_admin).__name__}"
        for model_admin in ours
        if not isinstance(model_admin, StrictFields)
        or not all(issubclass(inline, StrictFields) for inline in model_admin.inlines)
    ]
    assert len(ours) >= 15
    assert loose == []


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "0001-01-01",
            "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered 1 January 1)",
        ),
        (
            "2101-01-01",
            "Date of the meeting: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered 1 January 2101)",
        ),
    ],
)
def test_the_admin_refuses_a_meeting_outside_2000_to_2100(cast, admin_client_, day, message):
    meeting = MeetingFactory(partnership=cast.partnership, date=date(2024, 1, 11))
    url = _change_url(meeting)
    data = _as_posted(admin_client_.get(url))
    data["date"] = day
    before = model_to_dict(Meeting.objects.get(pk=meeting.pk))

    response = admin_client_.post(url, data)

    assert _errors(response) == [message]
    assert model_to_dict(Meeting.objects.get(pk=meeting.pk)) == before


def test_the_admin_saves_a_meeting_left_as_it_was(cast, admin_client_):
    """The posted page itself is acceptable: the refusals above are the changed value's."""
    meeting = MeetingFactory(partnership=cast.partnership, date=date(2024, 1, 11))
    url = _change_url(meeting)
    data = _as_posted(admin_client_.get(url))
    data["title"] = "Renamed in the admin"

    response = admin_client_.post(url, data)

    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).title == "Renamed in the admin"


BAD_LINKS = [
    (
        "javascript:alert(1)",
        "{label}: enter a web address starting https:// or http://, "
        "like https://www.example.gov.uk/papers/item-4.pdf",
    ),
    (
        "//evil.example/paper.pdf",
        "{label}: enter the full address, starting https://, "
        "like https://www.example.gov.uk/papers/item-4.pdf",
    ),
    (
        "http://127.0.0.1/paper.pdf",
        "{label}: the link points at a private or local network address; enter a public one, "
        "like https://www.example.gov.uk/papers/item-4.pdf",
    ),
    (
        "http://localhost/paper.pdf",
        "{label}: the link points at this computer; enter a public address, "
        "like https://www.example.gov.uk/papers/item-4.pdf",
    ),
]


@pytest.mark.parametrize(("link", "message"), BAD_LINKS)
def test_the_admin_refuses_an_agenda_papers_unsafe_link(cast, admin_client_, link, message):
    meeting = MeetingFactory(partnership=cast.partnership, date=date(2024, 1, 11))
    item = AgendaItemFactory(meeting=meeting, paper_link="https://www.example.gov.uk/p.pdf")
    url = _change_url(meeting)
    data = _as_posted(admin_client_.get(url))
    data["agenda_items-0-paper_link"] = link

    response = admin_client_.post(url, data)

    assert _errors(response) == [message.format(label="Paper (link)")]
    assert AgendaItem.objects.get(pk=item.pk).paper_link == "https://www.example.gov.uk/p.pdf"


@pytest.mark.parametrize(("link", "message"), BAD_LINKS)
def test_the_admin_refuses_an_updates_unsafe_evidence_link(cast, admin_client_, link, message):
    update = ActionUpdateFactory(
        action__objective__plan__partnership=cast.partnership,
        evidence_url="https://www.example.gov.uk/evidence.pdf",
        author=cast.editor,
    )
    url = _change_url(update)
    data = _as_posted(admin_client_.get(url))
    data["evidence_url"] = link
    before = model_to_dict(ActionUpdate.objects.get(pk=update.pk))

    response = admin_client_.post(url, data)

    assert _errors(response) == [message.format(label="Link to evidence")]
    assert model_to_dict(ActionUpdate.objects.get(pk=update.pk)) == before


@pytest.mark.parametrize(
    ("population", "message"),
    [
        ("١٢٣", "Population: enter a whole number, like 1,234 (you entered “١٢٣”)"),
        ("1_000", "Population: enter a whole number, like 1,234 (you entered “1_000”)"),
        (
            "3000000000",
            "Population: enter a whole number from 0 to 2,147,483,647 (you entered “3000000000”)",
        ),
    ],
)
def test_the_admin_refuses_a_population_that_is_not_plain_digits(
    cast, admin_client_, population, message
):
    url = _change_url(cast.partnership)
    data = _as_posted(admin_client_.get(url))
    data["areas-0-population"] = population
    before = list(Area.objects.order_by("pk").values_list("population", flat=True))

    response = admin_client_.post(url, data)

    assert _errors(response) == [message]
    assert list(Area.objects.order_by("pk").values_list("population", flat=True)) == before


def test_an_ordinary_user_cannot_open_the_admin(cast, manager_client):
    meeting = MeetingFactory(partnership=cast.partnership, date=date(2024, 1, 11))

    response = manager_client.post(_change_url(meeting), {"date": "0001-01-01"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Meeting.objects.get(pk=meeting.pk).date == date(2024, 1, 11)
