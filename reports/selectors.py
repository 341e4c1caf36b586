"""Reads of reports, always within one partnership."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

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
