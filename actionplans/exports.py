"""The action plan download: its columns and rows, declared once.

Dates are ISO 8601 (2024-04-01), as in every CSV and XLSX download of the app
(``cspportal.lib.downloads.export_date``).
"""

from __future__ import annotations

from typing import Any

from actionplans.selectors import PlanProgress
from cspportal.lib.downloads import export_date


def plan_headers(progress: PlanProgress) -> list[str]:
    return [
        "Objective",
        "Priority",
        "Thematic group",
        "Action",
        "Lead organisation",
        "Owner",
        "Start date",
        "Due date",
        "Status",
        "RAG status",
        "Overdue",
        "Latest update",
        "Latest progress",
        *[f"{q.label} RAG status" for q in progress.quarters],
    ]


def plan_rows(progress: PlanProgress) -> list[list[Any]]:
    """One row per action, with its RAG status in each quarter of the plan."""
    rows = []
    for row in progress.actions:
        action, objective = row.action, row.objective
        by_quarter = {u.period: u for u in row.updates}
        latest = row.latest_update
        rows.append(
            [
                objective.title,
                objective.priority.name if objective.priority else "",
                objective.thematic_group.name if objective.thematic_group else "",
                action.title,
                action.lead_organisation.name,
                action.owner_name,
                export_date(action.start_date),
                export_date(action.due_date),
                action.get_status_display(),
                action.get_rag_status_display() or "Not yet rated",
                row.is_overdue,
                latest.period.label if latest else "",
                latest.narrative if latest else "",
                *[
                    by_quarter[q].get_rag_status_display() if q in by_quarter else ""
                    for q in progress.quarters
                ],
            ]
        )
    return rows
