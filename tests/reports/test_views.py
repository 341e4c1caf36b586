"""Report pages: access for the cast, building a report, editing sections, issuing."""

from datetime import date

import pytest
from django.urls import reverse

from reports.models import Report, ReportSection, ReportVersion

SLUG = "safer-testshire"


def url(name, *args):
    return reverse(f"reports:{name}", args=[SLUG, *args])


def _all_urls(report):
    section = report.sections.first()
    return [
        url("report_list"),
        url("report_create"),
        url("report_detail", report.pk),
        url("report_edit", report.pk),
        url("report_preview", report.pk),
        url("report_progress", report.pk),
        url("section_add", report.pk),
        url("section_edit", report.pk, section.pk),
    ]


@pytest.mark.django_db
def test_outsider_gets_404_for_every_report_page(outsider_client, report, no_chromium):
    section = report.sections.first()
    for page in _all_urls(report):
        assert outsider_client.get(page).status_code == 404, page
    posts = [
        url("report_issue", report.pk),
        url("section_move", report.pk, section.pk),
        url("section_delete", report.pk, section.pk),
        url("section_use_draft", report.pk, section.pk),
    ]
    for page in posts:
        assert outsider_client.post(page, {"version": 1}).status_code == 404, page


@pytest.mark.django_db
def test_outsider_gets_404_for_an_issued_pdf(outsider_client, editor_client, report, no_chromium):
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    assert outsider_client.get(url("version_download", report.pk, 1)).status_code == 404


@pytest.mark.django_db
def test_a_report_of_another_partnership_is_404_even_for_its_own_slug(
    editor_client, cast, no_chromium
):
    from reports import services

    other = services.report_create(
        partnership=cast.other_partnership,
        created_by=cast.outsider,
        type="annual",
        title="Other",
        financial_year=2017,
        end_month=1,
        committee_name="Scrutiny Committee",
        meeting_date=None,
        lead_member="",
        lead_officer="",
    )
    assert editor_client.get(url("report_detail", other.pk)).status_code == 404


@pytest.mark.django_db
def test_viewer_reads_but_is_refused_every_change(viewer_client, report, no_chromium):
    section = report.sections.first()
    assert viewer_client.get(url("report_list")).status_code == 200
    assert viewer_client.get(url("report_detail", report.pk)).status_code == 200
    assert viewer_client.get(url("report_preview", report.pk)).status_code == 200
    for page in [
        url("report_create"),
        url("report_edit", report.pk),
        url("section_add", report.pk),
        url("section_edit", report.pk, section.pk),
    ]:
        assert viewer_client.get(page).status_code == 403, page
    for page in [
        url("report_issue", report.pk),
        url("section_move", report.pk, section.pk),
        url("section_use_draft", report.pk, section.pk),
    ]:
        assert viewer_client.post(page, {"version": report.version}).status_code == 403, page
    assert not ReportVersion.objects.exists()


@pytest.mark.django_db
def test_editor_creates_a_report_with_every_standard_section(editor_client, cast):
    response = editor_client.post(
        url("report_create"),
        {
            "type": "annual",
            "title": "Progress Report",
            "financial_year": "2017",
            "end_month": "1",
            "committee_name": "Scrutiny Committee",
            "meeting_date_0": "15",
            "meeting_date_1": "3",
            "meeting_date_2": "2018",
            "lead_member": "Councillor Jacqui Mort",
            "lead_officer": "Jennifer Mullin",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("report_detail", report.pk)
    assert report.period_label == "April 2017 to January 2018"
    assert report.meeting_date == date(2018, 3, 15)
    assert report.created_by == cast.editor
    assert [s.key for s in report.sections.all()] == [
        "purpose",
        "recommendations",
        "background",
        "overall-position",
        "significant-progress",
        "further-action",
        "crime-figures",
        "partnership-measures",
        "marac",
        "residents-survey",
        "action-plan",
        "resolutions",
        "funding",
        "conclusion",
        "appendices",
    ]


@pytest.mark.django_db
def test_create_without_a_committee_says_so_and_saves_nothing(editor_client):
    response = editor_client.post(
        url("report_create"),
        {"type": "annual", "title": "Progress Report", "financial_year": "2017", "end_month": "1"},
    )
    assert response.status_code == 200
    assert "Enter the committee the report goes to." in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_section_edit_starts_from_the_draft_and_saves_the_officers_text(
    editor_client, report, seed_sources
):
    section = report.sections.get(key="overall-position")
    page = editor_client.get(url("section_edit", report.pk, section.pk)).content.decode()
    assert "All crime rose by 20.4% (2,040 more crimes)" in page
    response = editor_client.post(
        url("section_edit", report.pk, section.pk),
        {
            "title": "Overall position",
            "included": "yes",
            "body": "South Ribble is a relatively safe place.\n\n- Point one",
            "version": report.version,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body_edited is True
    assert section.body == "South Ribble is a relatively safe place.\n\n- Point one"
    preview = editor_client.get(url("report_preview", report.pk)).content.decode()
    assert "South Ribble is a relatively safe place." in preview
    assert "<li>Point one</li>" in preview


@pytest.mark.django_db
def test_a_stale_section_edit_is_refused_and_changes_nothing(editor_client, report):
    section = report.sections.get(key="background")
    old_version = section.version
    editor_client.post(
        url("section_edit", report.pk, section.pk),
        {"title": "Background", "included": "yes", "body": "First", "version": old_version},
    )
    response = editor_client.post(
        url("section_edit", report.pk, section.pk),
        {"title": "Background", "included": "yes", "body": "Second", "version": old_version},
    )
    assert response.status_code == 200
    assert (
        "Someone else changed this report section after you opened it, so your changes were "
        "not saved." in response.content.decode()
    )
    changes = response.context["changes"]
    assert [(c.who, [(f.label, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("Eddie Editor", [("Body", "(blank)", "First")])
    ]
    section.refresh_from_db()
    assert section.body == "First"


@pytest.mark.django_db
def test_leaving_out_and_adding_sections_changes_the_preview(
    editor_client, report, seed_sources, no_chromium
):
    funding = report.sections.get(key="funding")
    editor_client.post(
        url("section_edit", report.pk, funding.pk),
        {"title": "Funding position", "included": "no", "body": "", "version": report.version},
    )
    report.refresh_from_db()
    editor_client.post(
        url("section_add", report.pk),
        {
            "title": "Annual conference",
            "body": "The conference was held on 23 January 2018.",
            "version": report.version,
        },
    )
    preview = editor_client.get(url("report_preview", report.pk)).content.decode()
    assert "section-funding" not in preview
    # Twelve standard sections come before it once funding is left out: an added
    # section goes before the conclusion.
    assert "13. Annual conference" in preview
    assert "14. Conclusion" in preview
    assert "The conference was held on 23 January 2018." in preview


@pytest.mark.django_db
def test_moving_a_section_up_swaps_it_with_the_one_above(editor_client, report):
    background = report.sections.get(key="background")
    editor_client.post(
        url("section_move", report.pk, background.pk),
        {"version": report.version, "direction": "up"},
    )
    keys = list(ReportSection.objects.filter(report=report).values_list("key", flat=True))
    assert keys[:3] == ["purpose", "background", "recommendations"]


@pytest.mark.django_db
def test_issue_then_download_gives_the_stored_bytes_and_checksum(
    editor_client, viewer_client, report, seed_sources, no_chromium, cast
):
    response = editor_client.post(url("report_issue", report.pk), {"version": report.version})
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert version.number == 1
    assert version.issued_by == cast.editor
    assert version.charts_drawn is False
    download = viewer_client.get(url("version_download", report.pk, 1))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="safer-testshire-report-{report.pk}-v1.pdf"'
    )
    import hashlib

    assert hashlib.sha256(download.content).hexdigest() == version.checksum
    listing = viewer_client.get(url("report_list")).content.decode()
    assert "Eddie Editor" in listing
    # Councillors read the paper; the checksum is for the officers who keep the record.
    assert version.checksum not in listing
    assert "SHA-256" not in listing
    assert (
        version.checksum not in viewer_client.get(url("report_detail", report.pk)).content.decode()
    )
    for page in (url("report_list"), url("report_detail", report.pk)):
        assert version.checksum in editor_client.get(page).content.decode(), page


@pytest.mark.django_db
def test_report_list_query_count_does_not_grow_with_reports_and_versions(
    viewer_client,
    editor_client,
    report,
    cast,
    seed_sources,
    no_chromium,
    django_assert_num_queries,
):
    # session, user, role, the switcher's partnerships, reports, versions
    with django_assert_num_queries(6):
        viewer_client.get(url("report_list"))
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    from reports import services

    services.report_create(
        partnership=cast.partnership,
        created_by=cast.editor,
        type="quarterly",
        title="Quarterly update",
        financial_year=2017,
        end_month=6,
        committee_name="CSP board",
        meeting_date=None,
        lead_member="",
        lead_officer="",
    )
    with django_assert_num_queries(6):
        response = viewer_client.get(url("report_list"))
    assert "Quarterly update: April 2017 to June 2017" in response.content.decode()


@pytest.mark.django_db
def test_a_new_report_opens_on_the_latest_month_with_figures(editor_client, cast):
    from tests.factories import ObservationFactory

    assert editor_client.get(url("report_create")).context["form"].initial == {}
    for start in (date(2025, 4, 1), date(2025, 5, 1)):
        ObservationFactory(partnership=cast.partnership, period_start=start)
    ObservationFactory(
        partnership=cast.partnership,
        period_start=date(2025, 6, 1),
        value=None,
        status="not_supplied",
    )
    ObservationFactory(partnership=cast.other_partnership, period_start=date(2026, 1, 1))
    form = editor_client.get(url("report_create")).context["form"]
    assert form.initial == {"financial_year": 2025, "end_month": 5}
    page = editor_client.get(url("report_create")).content.decode()
    assert '<option value="2025" selected>2025/26</option>' in page
    assert '<option value="5" selected>May</option>' in page


@pytest.mark.django_db
def test_the_preview_names_the_version_it_shows(editor_client, report, seed_sources, no_chromium):
    def version_shown():
        page = editor_client.get(url("report_preview", report.pk)).content.decode()
        return page.split("<dt>Version</dt><dd>")[1].split("</dd>")[0]

    assert version_shown() == "Draft (not issued)"
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    issued = ReportVersion.objects.get()
    from django.utils import timezone

    from cspportal.lib.formats import uk_date

    assert version_shown() == f"Version 1, issued {uk_date(timezone.localdate(issued.issued_at))}"
    report.refresh_from_db()
    section = report.sections.get(key="background")
    editor_client.post(
        url("section_edit", report.pk, section.pk),
        {"title": "Background", "included": "yes", "body": "New.", "version": section.version},
    )
    assert version_shown() == "Draft of changes since version 1"
