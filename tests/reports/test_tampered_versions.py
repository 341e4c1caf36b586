"""A section page whose hidden version is missing or altered says so over the form, in
words that name the section's version and say what to do, and saves nothing (the page
used to say "There is a problem" over an empty list)."""

import re

import pytest

from cspportal.lib.versioning import OUT_OF_DATE
from reports.forms import REPORT_OUT_OF_DATE, SECTION_OUT_OF_DATE
from reports.models import ReportSection
from tests.reports.test_views import url


def _summary(html: str) -> list[str]:
    """The messages listed in the page's error summary."""
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary is not None, "no error summary"
    items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def _sections(report):
    return list(report.sections.order_by("pk").values_list("pk", "title", "body", "version"))


def test_the_messages_name_the_version_and_say_what_to_do():
    assert SECTION_OUT_OF_DATE == (
        "The version of this report section is missing or altered, so nothing was saved: "
        "open the section again from the report, make your changes and save."
    )
    assert REPORT_OUT_OF_DATE == (
        "The version of this report is missing or altered, so the section was not added: "
        "open the report again, then add the section."
    )


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-1", "-3", "1.5", "١", "1e0", "+1"])
def test_a_section_edit_with_a_missing_or_altered_version_says_so(
    editor_client, report, no_chromium, version
):
    section = report.sections.get(key="background")
    before = _sections(report)
    data = {"title": "Tampered", "included": "yes", "body": "Tampered text"}
    if version is not None:
        data["version"] = version

    response = editor_client.post(url("section_edit", report.pk, section.pk), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [SECTION_OUT_OF_DATE]}
    assert _summary(response.content.decode()) == [SECTION_OUT_OF_DATE]
    assert _sections(report) == before


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-1", "١"])
def test_adding_a_section_with_a_missing_or_altered_version_says_so(
    editor_client, report, no_chromium, version
):
    before = _sections(report)
    data = {"title": "Extra", "body": "Extra text"}
    if version is not None:
        data["version"] = version

    response = editor_client.post(url("section_add", report.pk), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [REPORT_OUT_OF_DATE]}
    assert _summary(response.content.decode()) == [REPORT_OUT_OF_DATE]
    assert _sections(report) == before
    assert not ReportSection.objects.filter(title="Extra").exists()


def test_an_outsider_cannot_edit_a_section(outsider_client, report, no_chromium):
    section = report.sections.get(key="background")
    before = _sections(report)

    response = outsider_client.post(
        url("section_edit", report.pk, section.pk),
        {"title": "X", "included": "yes", "body": "X", "version": section.version},
    )

    assert response.status_code == 404
    assert _sections(report) == before


@pytest.mark.parametrize("version", ["99", "2"])
def test_a_section_edit_from_a_version_the_section_never_had_says_the_page_is_out_of_date(
    editor_client, report, no_chromium, version
):
    section = report.sections.get(key="background")
    assert section.version == 1
    before = _sections(report)

    response = editor_client.post(
        url("section_edit", report.pk, section.pk),
        {"title": "Tampered", "included": "yes", "body": "Tampered text", "version": version},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [OUT_OF_DATE]}
    assert _summary(response.content.decode()) == [OUT_OF_DATE]
    assert _sections(report) == before


def test_adding_a_section_from_a_version_the_report_never_had_says_the_page_is_out_of_date(
    editor_client, report, no_chromium
):
    before = _sections(report)

    response = editor_client.post(
        url("section_add", report.pk), {"title": "Extra", "body": "Extra text", "version": "99"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [OUT_OF_DATE]}
    assert _summary(response.content.decode()) == [OUT_OF_DATE]
    assert _sections(report) == before


def test_a_section_edit_someone_else_saved_meanwhile_names_what_happened(
    editor_client, report, no_chromium
):
    section = report.sections.get(key="background")
    shown = {"title": "Mine", "included": "yes", "body": "My text", "version": section.version}
    first = editor_client.post(
        url("section_edit", report.pk, section.pk), {**shown, "title": "Theirs"}
    )
    assert first.status_code == 302
    before = _sections(report)

    response = editor_client.post(url("section_edit", report.pk, section.pk), shown)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": [
            "Someone else changed this report section after you opened it, so your changes "
            "were not saved. Their changes are listed below. Check them against yours, then "
            "save again to replace them."
        ]
    }
    assert _sections(report) == before
