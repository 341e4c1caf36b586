"""Reads of reports, always within one partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crimestats.models import Observation
from cspportal.lib.formats import duration
from cspportal.lib.periods import PeriodType, financial_year_of
from cspportal.lib.versioning import ChangeSince, FieldChange, changes_after, changes_since
from partnerships.models import Partnership
from reports.models import (
    ISSUE_STALLED_SECONDS,
    ISSUE_WORKER_GRACE_SECONDS,
    Report,
    ReportSection,
    ReportVersion,
    WordTemplate,
)


def reports_for_partnership(partnership: Partnership) -> list[Report]:
    """Every report of the partnership, newest period first, each with all its issued
    versions and who issued them. Three queries."""
    return list(
        Report.objects.filter(partnership=partnership)
        .select_related("created_by", "meeting")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ReportVersion.objects.select_related("issued_by").order_by("-number"),
            )
        )
    )


def default_report_period(partnership: Partnership) -> dict[str, int]:
    """A new report's financial year and last month: up to the latest month with
    monthly figures, so that it opens on what the partnership has. Empty when it has
    none. One query."""
    latest = (
        Observation.objects.filter(
            partnership=partnership,
            period_type=PeriodType.MONTH,
            status=Observation.Status.SUPPLIED,
        )
        .aggregate(latest=Max("period_start"))
        .get("latest")
    )
    if latest is None:
        return {}
    return {"financial_year": financial_year_of(latest), "end_month": latest.month}


def report_for(partnership: Partnership, pk: int) -> Report:
    """One report of the partnership (404 for any other partnership's)."""
    return get_object_or_404(
        Report.objects.select_related("partnership", "meeting", "created_by"),
        pk=pk,
        partnership=partnership,
    )


def report_with_sections(partnership: Partnership, pk: int) -> Report:
    """A report with its sections and versions prefetched, for its page."""
    return get_object_or_404(
        Report.objects.select_related("partnership", "meeting", "created_by").prefetch_related(
            Prefetch("sections", queryset=ReportSection.objects.order_by("order", "id")),
            Prefetch(
                "versions",
                queryset=ReportVersion.objects.select_related("issued_by").order_by("-number"),
            ),
        ),
        pk=pk,
        partnership=partnership,
    )


def section_for(report: Report, pk: int) -> ReportSection:
    return get_object_or_404(ReportSection, pk=pk, report=report)


def version_for(report: Report, number: int) -> ReportVersion:
    return get_object_or_404(
        ReportVersion.objects.select_related("report__partnership", "issued_by"),
        report=report,
        number=number,
    )


def word_template_for(partnership: Partnership) -> WordTemplate | None:
    """The partnership's Word template, if a manager has uploaded one."""
    return (
        WordTemplate.objects.select_related("uploaded_by").filter(partnership=partnership).first()
    )


def word_template_bytes(partnership: Partnership) -> bytes | None:
    """The bytes of the partnership's Word template, or None when it has none."""
    template = WordTemplate.objects.filter(partnership=partnership).only("file").first()
    if template is None or not template.file:
        return None
    with template.file.open("rb") as handle:
        return handle.read()


def report_changes_since(report: Report, version: int) -> list[ChangeSince]:
    """What others changed in a report after the version an officer's page showed:
    its cover details, and the text, heading or place of each section, oldest first.
    (Each section edit moves the report's version on without changing its fields;
    those saves are told by the section's own changes instead.)"""
    baseline = report.history.filter(version__lte=version).order_by("-history_date").first()
    if baseline is None:
        return []
    changes = [c for c in changes_since(report, version) if c.fields]
    for section in report.sections.all():
        for change in changes_after(section, baseline.history_date):
            fields = [
                FieldChange(label=f"{section.title}: {field.label}", old=field.old, new=field.new)
                for field in change.fields
            ]
            changes.append(ChangeSince(who=change.who, when=change.when, fields=fields))
    changes.sort(key=lambda change: change.when)
    return changes


@dataclass(frozen=True)
class IssueJob:
    """What the report page says about an issue in progress: what the worker is doing,
    how long it has taken, and what to do if it seems stuck."""

    message: str
    waited: str
    advice: str
    can_cancel: bool

    def as_json(self) -> dict[str, str | bool]:
        return {
            "message": self.message,
            "waited": self.waited,
            "advice": self.advice,
            "can_cancel": self.can_cancel,
        }


NO_WORKER_ADVICE = (
    "The background worker has not started this job. It usually starts within a few "
    "seconds, so it may not be running. Ask the site administrator to check that the "
    "worker is running (it starts with make run; on a server it is the worker service in "
    "the deployment guide). You can cancel, download a draft PDF meanwhile, and issue the "
    "report later."
)
STALLED_ADVICE = (
    "This is taking much longer than usual: most reports are issued in under a minute. "
    "The worker may have stopped while printing. Cancel, then issue the report again; if "
    "it happens again, tell the site administrator."
)


def issue_job(report: Report, now: datetime | None = None) -> IssueJob | None:
    """The issue in progress, or None when there is none."""
    if not report.job_running:
        return None
    now = now or timezone.now()
    if report.job_started_at is None:
        waited = (now - (report.job_queued_at or now)).total_seconds()
        return IssueJob(
            message="Waiting for the background worker to start",
            waited=f"Waiting for {duration(waited)}.",
            advice=NO_WORKER_ADVICE if waited >= ISSUE_WORKER_GRACE_SECONDS else "",
            can_cancel=True,
        )
    running = (now - report.job_started_at).total_seconds()
    stalled = running >= ISSUE_STALLED_SECONDS
    return IssueJob(
        message=report.job_message or "Issuing the report",
        waited=f"Started {duration(running)} ago.",
        advice=STALLED_ADVICE if stalled else "",
        can_cancel=stalled,
    )
