"""The committee paper's cover: agenda item, contact details and wards affected, as
the officer enters them and as the PDF prints them."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.models import Report

SLUG = "safer-testshire"


def url(name, *args):
    return reverse(f"reports:{name}", args=[SLUG, *args])


def details(report, **changes):
    data = {
        "type": "annual",
        "title": "Progress Report",
        "financial_year": "2017",
        "end_month": "1",
        "committee_name": "Scrutiny Committee",
        "meeting_date_0": "8",
        "meeting_date_1": "3",
        "meeting_date_2": "2018",
        "lead_member": "Councillor Jacqui Mort",
        "lead_officer": "Jennifer Mullin",
        "contact_email": "community.safety@example.org",
        "contact_telephone": "01772  625625",
        "agenda_item": "7",
        "wards_affected": "All wards",
        "version": str(report.version),
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_the_cover_prints_agenda_item_contact_and_wards(
    editor_client, report, seed_sources, no_chromium
):
    response = editor_client.post(url("report_edit", report.pk), details(report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.contact_telephone == "01772 625625"
    page = editor_client.get(url("report_detail", report.pk)).content.decode()
    assert "community.safety@example.org<br>01772 625625" in page
    draft = editor_client.get(url("report_draft_pdf", report.pk))
    cover = PdfReader(io.BytesIO(draft.content)).pages[0].extract_text()
    lines = [line.strip() for line in cover.splitlines() if line.strip()]
    assert lines[:2] == ["Agenda item 7", "Scrutiny Committee"]
    assert lines[lines.index("Lead Officer Jennifer Mullin") + 1 :][:3] == [
        "Contact community.safety@example.org",
        "01772 625625",
        "Wards affected All wards",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "contact_telephone",
            "call me",
            "Enter a UK telephone number, like 01772 625625 or +44 1772 625625.",
        ),
        (
            "contact_telephone",
            "01772 62",
            "Enter a UK telephone number, like 01772 625625 or +44 1772 625625.",
        ),
        ("contact_email", "not-an-address", "Enter a valid email address."),
        ("agenda_item", "7" * 21, "Ensure this value has at most 20 characters (it has 21)."),
    ],
)
def test_bad_cover_details_are_refused_by_field_and_change_nothing(
    editor_client, report, field, value, message
):
    before = Report.objects.values().get(pk=report.pk)
    response = editor_client.post(url("report_edit", report.pk), details(report, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Report.objects.values().get(pk=report.pk) == before


@pytest.mark.django_db
def test_a_cover_without_details_says_so(editor_client, report, seed_sources, no_chromium):
    page = editor_client.get(url("report_detail", report.pk)).content.decode()
    assert "Not given" in page
    assert "Not numbered yet" in page
    draft = editor_client.get(url("report_draft_pdf", report.pk))
    cover = PdfReader(io.BytesIO(draft.content)).pages[0].extract_text()
    assert "Agenda item" not in cover
    assert "Contact" not in cover
    assert "\nWards affected Not stated\n" in cover
