"""A return the reader may not change says who fills it in and why they cannot, and
offers the figures to download, not a template to upload."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crimestats import selectors
from crimestats.models import DataReturn
from partnerships.models import Role
from partnerships.selectors import PartnershipAccess

pytestmark = pytest.mark.django_db

VIEWER = "You are a viewer: you can read the figures but not change them."
LOCKED = "This return is approved and locked: only a manager can correct it."
SUBMITTED = (
    "It has been submitted for approval: a manager approves it, or sends it back to draft "
    "for changes."
)
UPLOAD = "Upload a filled-in template"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(user, cast, data_return) -> str:
    url = reverse(
        "crimestats:return_edit", kwargs={"slug": cast.partnership.slug, "pk": data_return.pk}
    )
    response = _client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _reason(html: str) -> str:
    start = html.index('<div class="govuk-inset-text" id="read-only-reason">')
    return html[start : html.index("</div>", start)]


def _set_status(data_return: DataReturn, status: str) -> None:
    data_return.status = status
    if status == DataReturn.Status.APPROVED:
        data_return.approved_at = timezone.now()
    data_return.save()


def test_a_viewer_is_told_who_fills_it_in_and_that_they_only_read(cast, measures, police_quarter):
    html = _page(cast.viewer, cast, police_quarter)
    assert _reason(html) == (
        '<div class="govuk-inset-text" id="read-only-reason">'
        '<p class="govuk-body">Testshire Police fills in this return.</p>'
        f'<p class="govuk-body">{VIEWER}</p>'
    )
    assert UPLOAD not in html
    assert "fill in the value column" not in html
    assert "Download the figures as CSV" in html
    assert "<input" not in html.split("read-only-reason")[1]


def test_an_editor_of_another_organisation_is_told_whose_returns_they_change(
    cast, measures, police_quarter
):
    html = _page(cast.editor, cast, police_quarter)
    assert "Testshire Police fills in this return." in _reason(html)
    assert (
        "You are an editor for Testshire Council: you change only Testshire Council&#x27;s "
        "returns." in _reason(html)
    )
    assert UPLOAD not in html


def test_the_supplier_sees_their_submitted_return_waits_for_a_manager(
    cast, measures, police_quarter
):
    _set_status(police_quarter, DataReturn.Status.SUBMITTED)
    html = _page(cast.police_editor, cast, police_quarter)
    assert SUBMITTED in _reason(html)
    assert UPLOAD not in html


def test_an_approved_return_reads_as_locked_to_its_supplier(cast, measures, police_quarter):
    _set_status(police_quarter, DataReturn.Status.APPROVED)
    html = _page(cast.police_editor, cast, police_quarter)
    assert "Testshire Police fills in this return." in _reason(html)
    assert LOCKED in _reason(html)
    assert UPLOAD not in html


def test_the_managers_own_return_names_them(cast, measures):
    data_return = DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=None,
        period_type="financial_year",
        period_start="2017-04-01",
        period_end="2018-03-31",
    )
    html = _page(cast.editor, cast, data_return)
    assert "Partnership managers fill in this return." in html


def test_those_who_can_edit_get_no_reason_and_can_upload(cast, measures, police_quarter):
    html = _page(cast.police_editor, cast, police_quarter)
    assert 'id="read-only-reason"' not in html
    assert UPLOAD in html
    html = _page(cast.manager, cast, police_quarter)
    assert 'id="read-only-reason"' not in html
    assert UPLOAD in html


def test_the_reasons_in_every_case(cast, measures, police_quarter):
    def reason(role, organisation):
        return selectors.read_only_reason(
            PartnershipAccess(cast.partnership, role, organisation), police_quarter
        )

    police = "Testshire Police fills in this return."
    assert reason(Role.VIEWER, None) == [police, VIEWER]
    assert reason(Role.EDITOR, None) == [
        police,
        "You are an editor with no organisation in this partnership: a manager can set "
        "your organisation.",
    ]
    assert reason(Role.EDITOR, cast.police) == []
    assert reason(Role.MANAGER, cast.council) == []
    _set_status(police_quarter, DataReturn.Status.SUBMITTED)
    assert reason(Role.EDITOR, cast.police) == [police, SUBMITTED]
    _set_status(police_quarter, DataReturn.Status.APPROVED)
    assert reason(Role.EDITOR, cast.police) == [police, LOCKED]
    assert reason(Role.VIEWER, None) == [police, LOCKED]
    assert reason(Role.MANAGER, None) == []


def test_the_read_only_table_scrolls_in_its_own_focusable_box(cast, measures, police_quarter):
    html = _page(cast.viewer, cast, police_quarter)
    assert (
        '<div class="app-table-wrapper" tabindex="0" role="region" '
        'aria-label="Figures for Q1 2017/18 (April to June 2017)">'
    ) in html


def test_outsider_is_refused(cast, measures, police_quarter, outsider_client):
    url = reverse(
        "crimestats:return_edit",
        kwargs={"slug": cast.partnership.slug, "pk": police_quarter.pk},
    )
    assert outsider_client.get(url).status_code == 404
