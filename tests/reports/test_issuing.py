"""Issuing as an officer meets it: the draft PDF, the confirmation, the wait for the
background worker (the real database backend and its `db_worker` command, not the
tests' immediate backend), cancelling, and what the page says while it waits."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from reports import selectors, services
from reports.models import Report, ReportVersion

SLUG = "safer-testshire"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_WORKER_ADVICE = (
    "The background worker has not started this job. It usually starts within a few "
    "seconds, so it may not be running. Ask the site administrator to check that the "
    "worker is running (it starts with make run; on a server it is the worker service "
    "in the deployment guide). You can cancel, download a draft PDF meanwhile, and "
    "issue the report later."
)
STALLED_ADVICE = (
    "This is taking much longer than usual: most reports are issued in under a minute. "
    "The worker may have stopped while printing. Cancel, then issue the report again; "
    "if it happens again, tell the site administrator."
)
# 10:15am in London on a winter day is 10:15 UTC.
NOW = datetime(2018, 3, 1, 10, 15, tzinfo=UTC)


def url(name, *args):
    return reverse(f"reports:{name}", args=[SLUG, *args])


def run_worker():
    """The worker `make run` starts, for as long as there is work queued. Tests that
    run it commit for real (``transaction=True``): between jobs the worker closes a
    connection that is inside a transaction, as a test's would be."""
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, stdout=io.StringIO())


@pytest.mark.django_db
def test_issuing_asks_first_and_says_it_freezes_a_version(editor_client, report, no_chromium):
    page = editor_client.get(url("report_issue", report.pk)).content.decode()
    assert '<h1 class="govuk-heading-l">Issue version 1 of the report?</h1>' in page
    assert (
        "Issuing freezes version 1. Its PDF, and every figure and sentence in it, are "
        "stored with a checksum and never change." in page
    )
    assert "they go into version 2, if you issue again." in page
    assert f'href="{url("report_draft_pdf", report.pk)}"' in page
    assert "Yes, issue version 1</button>" in page
    assert not ReportVersion.objects.exists()
    assert Report.objects.get().job_id == ""


@pytest.mark.django_db
def test_the_report_page_links_to_the_confirmation_not_straight_to_issuing(
    editor_client, report, no_chromium
):
    page = editor_client.get(url("report_detail", report.pk)).content.decode()
    issue = url("report_issue", report.pk)
    assert f'<a class="govuk-button" href="{issue}">Issue the report</a>' in page
    assert f'href="{url("report_draft_pdf", report.pk)}">Download a draft PDF</a>' in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_draft_pdf_says_draft_on_every_page_and_is_not_kept(
    editor_client, report, seed_sources, no_chromium
):
    response = editor_client.get(url("report_draft_pdf", report.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="safer-testshire-report-{report.pk}-draft.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) > 3
    assert [text.count("DRAFT: not issued") for text in pages] == [1] * len(pages)
    assert "Draft printed 1 March 2018 at 10:15am" in pages[0]
    assert not ReportVersion.objects.exists()
    assert Report.objects.get().status == Report.Status.DRAFT


@pytest.mark.django_db
def test_an_issued_pdf_does_not_say_draft(editor_client, report, seed_sources, no_chromium):
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    version = ReportVersion.objects.get()
    text = "\n".join(p.extract_text() for p in PdfReader(version.pdf.open("rb")).pages)
    assert "DRAFT" not in text
    assert "Version 1" in text


@pytest.mark.django_db
def test_viewer_and_outsider_are_refused_the_draft_and_the_confirmation(
    viewer_client, outsider_client, report, no_chromium
):
    for page in (url("report_draft_pdf", report.pk), url("report_issue", report.pk)):
        assert viewer_client.get(page).status_code == 403, page
        assert outsider_client.get(page).status_code == 404, page
    cancel = url("report_issue_cancel", report.pk)
    assert viewer_client.post(cancel).status_code == 403
    assert outsider_client.post(cancel).status_code == 404


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_page_says_how_long_it_has_waited_and_what_to_do(
    editor_client, viewer_client, report, seed_sources, no_chromium
):
    with time_machine.travel(NOW, tick=False):
        response = editor_client.post(url("report_issue", report.pk), {"version": report.version})
        assert response.status_code == 302
        page = editor_client.get(url("report_detail", report.pk)).content.decode()
    assert "Waiting for the background worker to start</p>" in page
    assert "Waiting for 0 seconds.</p>" in page
    assert "Cancel issuing</button>" in page
    with time_machine.travel(NOW + timedelta(seconds=5), tick=False):
        assert viewer_client.get(url("report_progress", report.pk)).json() == {
            "running": True,
            "failed": False,
            "message": "Waiting for the background worker to start",
            "waited": "Waiting for 5 seconds.",
            "advice": "",
            "can_cancel": True,
        }
    with time_machine.travel(NOW + timedelta(seconds=95), tick=False):
        state = viewer_client.get(url("report_progress", report.pk)).json()
        page = viewer_client.get(url("report_detail", report.pk)).content.decode()
    assert state["waited"] == "Waiting for 1 minute 35 seconds."
    assert state["advice"] == NO_WORKER_ADVICE
    assert NO_WORKER_ADVICE in page
    assert "Cancel issuing" not in page, "a viewer cannot cancel"
    assert not ReportVersion.objects.exists()

    run_worker()
    report.refresh_from_db()
    assert report.is_issued
    assert report.job_id == ""
    assert ReportVersion.objects.get().number == 1
    assert viewer_client.get(url("report_progress", report.pk)).json() == {
        "running": False,
        "failed": False,
        "message": "",
    }


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_an_issue_cancelled_while_it_waits_is_never_issued(
    editor_client, report, seed_sources, no_chromium
):
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    response = editor_client.post(url("report_issue_cancel", report.pk), follow=True)
    assert "Issuing cancelled. Nothing was issued." in response.content.decode()
    report.refresh_from_db()
    assert not report.job_running
    assert report.job_queued_at is None
    run_worker()
    report.refresh_from_db()
    assert not ReportVersion.objects.exists()
    assert report.status == Report.Status.DRAFT
    assert report.job_id == ""


@pytest.mark.django_db
def test_a_job_the_worker_has_started_cannot_be_cancelled_until_it_stalls(report, cast):
    report.job_id = "a-task"
    report.job_message = "Drawing chart 2 of 5: All crime"
    report.job_queued_at = NOW - timedelta(seconds=3)
    report.job_started_at = NOW
    report.save()
    with time_machine.travel(NOW + timedelta(seconds=12), tick=False):
        job = selectors.issue_job(report)
        assert job == selectors.IssueJob(
            message="Drawing chart 2 of 5: All crime",
            waited="Started 12 seconds ago.",
            advice="",
            can_cancel=False,
        )
        with pytest.raises(Exception) as refused:
            services.report_issue_cancel(report=report)
    assert refused.value.messages == [
        "The background worker has already started printing this version, so it cannot be "
        "cancelled. It is usually issued within a minute."
    ]
    assert Report.objects.get().job_id == "a-task"
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        job = selectors.issue_job(report)
        assert job.advice == STALLED_ADVICE
        assert job.waited == "Started 10 minutes ago."
        assert job.can_cancel
        services.report_issue_cancel(report=report)
    assert Report.objects.get().job_id == ""


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_second_issue_while_one_waits_is_refused(editor_client, report, no_chromium):
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    response = editor_client.post(
        url("report_issue", report.pk), {"version": report.version}, follow=True
    )
    assert "This report is already being issued." in response.content.decode()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
