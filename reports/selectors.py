"""Reads of reports, always within one partnership."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cspportal.lib.versioning import ChangeSince, FieldChange, changes_after, changes_since
from partnerships.models import Partnership
from reports.models import Report, ReportSection, ReportVersion


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
