"""Writes to reports: create, edit sections, issue (freeze) a version.

Reports and their sections are versioned (``cspportal.lib.versioning``): every edit
names the version the officer's page was opened on and is refused with
``EditConflict`` when someone saved in between. A section's text is checked against
the section's own version, so two officers can write two sections at once; every
edit, of either, moves the report's version on, which the issue checks.

Editing an issued report moves it back to draft: the issued versions never change,
and the next issue becomes the next version.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from cspportal.lib.versioning import EditConflict, check_version, claim, next_version
from partnerships.models import Partnership
from reports.assembly import STANDARD_SECTIONS
from reports.document import document_snapshot
from reports.models import (
    ISSUE_STALLED_SECONDS,
    Report,
    ReportSection,
    ReportVersion,
    WordTemplate,
)
from reports.pdf import printer_versions, render_report_pdf
from reports.selectors import word_template_bytes
from reports.word import render_docx

logger = logging.getLogger(__name__)

# The job id of an issue between asking for it and the task backend naming it.
QUEUED = "queued"


@transaction.atomic
def report_create(
    *,
    partnership: Partnership,
    created_by: User | None,
    type: str,
    title: str,
    financial_year: int,
    end_month: int,
    committee_name: str,
    meeting_date: date | None,
    lead_member: str,
    lead_officer: str,
    meeting=None,
    agenda_item: str = "",
    contact_email: str = "",
    contact_telephone: str = "",
    wards_affected: str = "",
) -> Report:
    """A new draft report with every standard section, in the standard order."""
    report = Report(
        partnership=partnership,
        created_by=created_by,
        type=type,
        title=title,
        financial_year=financial_year,
        end_month=end_month,
        committee_name=committee_name,
        meeting_date=meeting_date,
        lead_member=lead_member,
        lead_officer=lead_officer,
        meeting=meeting,
        agenda_item=agenda_item,
        contact_email=contact_email,
        contact_telephone=contact_telephone,
        wards_affected=wards_affected,
    )
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationError({"meeting": "Choose a meeting of this partnership."})
    report.full_clean()
    report.save()
    # With a history row each: the first state of a section that a later edit is
    # compared with.
    bulk_create_with_history(
        [
            ReportSection(report=report, key=key, title=title, order=(index + 1) * 10)
            for index, (key, title) in enumerate(STANDARD_SECTIONS)
        ],
        ReportSection,
        default_user=created_by,
    )
    return report


def _claim(report: Report, version: int | None) -> None:
    """Move the report to its next version (and back to draft). ``version`` is the one
    the officer's page showed; ``None`` for an edit checked on its section instead."""
    report.version = next_version(report, version)
    report.status = Report.Status.DRAFT
    report.save(update_fields=["version", "status", "updated_at"])


@transaction.atomic
def report_update(*, report: Report, version: int, **fields) -> Report:
    """Change the cover details or the period."""
    report.version = next_version(report, version)
    report.status = Report.Status.DRAFT
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def section_update(
    *, section: ReportSection, version: int, title: str, body: str, included: bool
) -> ReportSection:
    """Save the officer's text for a section (which then replaces the generated draft).
    ``version`` is the section's, as the officer's page showed it."""
    claim(section, version)
    _claim(section.report, None)
    section.title = title
    section.included = included
    if body.strip():
        section.body = body.strip()
        section.body_edited = True
    else:
        section.body = ""
        section.body_edited = False
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_use_draft(*, section: ReportSection, version: int) -> ReportSection:
    """Drop the officer's text: the section shows the draft from the numbers again.
    ``version`` is the report's, as the report page showed it."""
    _claim(section.report, version)
    claim(section, None)
    section.body = ""
    section.body_edited = False
    section.save(update_fields=["body", "body_edited", "updated_at", "version"])
    return section


@transaction.atomic
def section_add(*, report: Report, version: int, title: str, body: str) -> ReportSection:
    """An officer's own section, placed before the conclusion."""
    _claim(report, version)
    sections = list(report.sections.all())
    number = 1 + sum(1 for s in sections if s.is_custom)
    while any(s.key == f"custom-{number}" for s in sections):
        number += 1
    before = next((s for s in sections if s.key == "conclusion"), None)
    order = before.order - 1 if before else (max((s.order for s in sections), default=0) + 10)
    if before and any(s.order == order for s in sections):
        # Make room: shift the conclusion and everything after it down.
        ReportSection.objects.filter(report=report, order__gte=before.order).update(
            order=F("order") + 10
        )
        order = before.order
    section = ReportSection(
        report=report,
        key=f"custom-{number}",
        title=title,
        body=body.strip(),
        body_edited=bool(body.strip()),
        order=order,
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_move(*, section: ReportSection, version: int, direction: str) -> None:
    """Swap a section with its neighbour above ("up") or below ("down")."""
    _claim(section.report, version)
    sections = list(section.report.sections.order_by("order", "id"))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(sections):
        return
    sections[index], sections[other_index] = sections[other_index], sections[index]
    for position, row in enumerate(sections, start=1):
        if row.order != position * 10:
            row.order = position * 10
            claim(row, None)
            row.save(update_fields=["order", "version"])


@transaction.atomic
def section_delete(*, section: ReportSection, version: int) -> None:
    """Remove a section the officer added (standard sections are left out instead)."""
    if not section.is_custom:
        raise ValidationError("Standard sections cannot be deleted: leave them out instead.")
    _claim(section.report, version)
    section.delete()


def report_issue(
    *,
    report: Report,
    issued_by: User | None,
    version: int,
    progress: Callable[[str], None] | None = None,
) -> ReportVersion:
    """Freeze the report as it stands: assemble it from today's figures, print the PDF,
    build the Word document from the same assembled figures (in the partnership's
    Word template, if it has one), and store both files, their SHA-256 checksums and
    a snapshot of every figure and sentence (with the versions of the software that
    printed it) as the next version. Slow work (charts, layout) happens outside the
    transaction; the report is refused if it changed meanwhile."""
    report = Report.objects.select_related("partnership").get(pk=report.pk)
    if report.version != version:
        raise EditConflict(report, report.version, version)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if progress:
        progress("Reading the figures")
    document, rendered = render_report_pdf(
        report, version_label=f"Version {number}", progress=progress
    )
    printed_with = printer_versions()
    if progress:
        progress("Building the Word document")
    word = render_docx(
        document, template=word_template_bytes(report.partnership), now=timezone.now()
    )
    if progress:
        progress("Storing the PDF and the Word document")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        check_version(locked, locked.version, version)  # an edit made while it printed
        issued = ReportVersion(
            report=locked,
            number=number,
            title=f"{locked.title}: {locked.partnership.name}",
            period_label=locked.period_label,
            snapshot={**document_snapshot(document), "printed_with": printed_with},
            checksum=rendered.checksum,
            size=len(rendered.content),
            page_count=rendered.page_count,
            charts_drawn=rendered.charts_drawn,
            docx_checksum=word.checksum,
            docx_size=len(word.content),
            issued_by=issued_by,
            issued_at=timezone.now(),
        )
        issued.pdf.save(issued.file_name, ContentFile(rendered.content), save=False)
        issued.docx.save(issued.docx_file_name, ContentFile(word.content), save=False)
        issued.full_clean()
        issued.save()
        locked.status = Report.Status.ISSUED
        locked.job_id = ""
        locked.job_message = ""
        locked.job_failed = False
        locked.job_queued_at = None
        locked.job_started_at = None
        locked.save(
            update_fields=[
                "status",
                "job_id",
                "job_message",
                "job_failed",
                "job_queued_at",
                "job_started_at",
                "updated_at",
            ]
        )
    return issued


def report_job_progress(*, report_id: int, message: str, failed: bool = False) -> None:
    """Record what the background job is doing, for the progress page."""
    Report.objects.filter(pk=report_id).update(job_message=message[:300], job_failed=failed)


def report_issue_enqueue(*, report: Report, issued_by: User, version: int) -> str:
    """Queue the issue as a background task; returns the task id."""
    from reports.tasks import issue_report

    if report.version != version:
        raise EditConflict(report, report.version, version)
    Report.objects.filter(pk=report.pk).update(
        job_id=QUEUED,
        job_message="Waiting for the background worker to start",
        job_failed=False,
        job_queued_at=timezone.now(),
        job_started_at=None,
    )
    result = issue_report.enqueue(report.pk, issued_by.pk, version)
    Report.objects.filter(pk=report.pk, job_id=QUEUED).update(job_id=str(result.id))
    return str(result.id)


def report_job_start(*, report_id: int, job_id: str) -> bool:
    """The worker takes up the issue: True when it is still wanted, False when the
    officer cancelled it (or issued again) while it waited. One conditional update,
    so a cancel and a start never both win."""
    return bool(
        Report.objects.filter(
            pk=report_id, job_id__in=[job_id, QUEUED], job_started_at__isnull=True
        ).update(job_started_at=timezone.now(), job_message="Reading the figures")
    )


def report_issue_cancel(*, report: Report, now: datetime | None = None) -> None:
    """Stop waiting for an issue no worker has taken up (or one whose worker stopped
    half-way, ``ISSUE_STALLED_SECONDS`` after it started). A worker that takes
    the job up later finds it cancelled and does nothing."""
    now = now or timezone.now()
    waiting = Q(job_started_at__isnull=True)
    stalled = Q(job_started_at__lte=now - timedelta(seconds=ISSUE_STALLED_SECONDS))
    cancelled = (
        Report.objects.filter(pk=report.pk)
        .exclude(job_id="")
        .filter(waiting | stalled)
        .update(
            job_id="", job_message="", job_failed=False, job_queued_at=None, job_started_at=None
        )
    )
    if not cancelled:
        raise ValidationError(
            "The background worker has already started printing this version, so it "
            "cannot be cancelled. It is usually issued within a minute."
        )


def version_pdf_bytes(version: ReportVersion) -> bytes:
    """The stored PDF exactly as issued."""
    with version.pdf.open("rb") as handle:
        return handle.read()


def version_docx_bytes(version: ReportVersion) -> bytes | None:
    """The stored Word document exactly as issued; None for a version issued before
    Word documents were frozen with the PDF (never rebuilt: today's figures are not
    the ones issued)."""
    if not version.has_docx:
        return None
    with version.docx.open("rb") as handle:
        return handle.read()


@transaction.atomic
def word_template_upload(
    *, partnership: Partnership, uploaded_by: User | None, name: str, data: bytes
) -> WordTemplate:
    """Store the council's Word template for the partnership (the form has checked it
    is a plain Word document), replacing the one before."""
    template = WordTemplate.objects.select_for_update().filter(partnership=partnership).first()
    previous = template.file.name if template and template.file else ""
    if template is None:
        template = WordTemplate(partnership=partnership)
    template.original_name = name[:200]
    template.checksum = hashlib.sha256(data).hexdigest()
    template.size = len(data)
    template.uploaded_by = uploaded_by
    template.uploaded_at = timezone.now()
    template.file.save(f"template-{template.checksum[:12]}.docx", ContentFile(data), save=False)
    template.full_clean()
    template.save()
    if previous and previous != template.file.name:
        storage = template.file.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return template


@transaction.atomic
def word_template_remove(*, partnership: Partnership) -> bool:
    """Remove the partnership's Word template (downloads go back to the plain
    layout); False when it had none."""
    template = WordTemplate.objects.filter(partnership=partnership).first()
    if template is None:
        return False
    storage, name = template.file.storage, template.file.name
    template.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    return True
