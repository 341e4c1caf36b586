"""Background work: issuing a report (charts and page layout take a few seconds).

Runs in the django-tasks worker (``manage.py db_worker``), which keeps one kaleido
browser for all the reports it prints. The page that started the job reads
``Report.job_message`` to show progress.
"""

from __future__ import annotations

import logging

from django_tasks import task

from accounts.models import User
from cspportal.lib.versioning import EditConflict
from reports import services
from reports.models import Report

logger = logging.getLogger(__name__)


@task()
def issue_report(report_id: int, user_id: int, version: int) -> int:
    """Issue the report as the next version; returns the version number."""
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
