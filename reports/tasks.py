"""Background work: issuing a report (charts and page layout take a few seconds).

Runs in the django-tasks worker (``manage.py db_worker``), which keeps one kaleido
browser for all the reports it prints. The page that started the job reads
``Report.job_message`` to show progress; an issue cancelled while it waited is
skipped when a worker takes it up.
"""

from __future__ import annotations

import logging

from django_tasks import TaskContext, task

from accounts.models import User
from cspportal.lib.versioning import EditConflict
from reports import services
from reports.models import Report

logger = logging.getLogger(__name__)


@task(takes_context=True)
def issue_report(context: TaskContext, report_id: int, user_id: int, version: int) -> int | None:
    """Issue the report as the next version; returns the version number, or None when
    the officer cancelled the issue before a worker took it up."""
    if not services.report_job_start(report_id=report_id, job_id=str(context.task_result.id)):
        logger.info("Issuing report %s was cancelled before it started", report_id)
        return None
    report = Report.objects.get(pk=report_id)
    user = User.objects.filter(pk=user_id).first()

    def progress(message: str) -> None:
        services.report_job_progress(report_id=report_id, message=message)

    try:
        issued = services.report_issue(
            report=report, issued_by=user, version=version, progress=progress
        )
    except EditConflict:
        services.report_job_progress(
            report_id=report_id,
            message="The report was changed while it was being issued, so it was not issued. "
            "Check the changes and issue it again.",
            failed=True,
        )
        raise
    except Exception:
        logger.exception("Issuing report %s failed", report_id)
        services.report_job_progress(
            report_id=report_id,
            message="Issuing the report failed. Try again; if it fails again, tell the "
            "site administrator.",
            failed=True,
        )
        raise
    return issued.number
