"""The resolutions tracker download: its columns and rows, declared once.

Dates are ISO 8601 (2024-01-11), as in every CSV and XLSX download of the app
(``cspportal.lib.downloads.export_date``).
"""

from __future__ import annotations

from typing import Any

from cspportal.lib.downloads import export_date
from meetings.selectors import TrackedResolution

TRACKER_HEADERS = [
    "Meeting date",
    "Body",
    "Meeting",
    "Agenda item",
    "Resolution",
    "Text",
    "Owner",
    "Report back by",
    "Status",
    "Overdue",
    "Latest response",
    "Latest response date",
]


def tracker_rows(rows: list[TrackedResolution]) -> list[list[Any]]:
    """One row per resolution, in the tracker's order."""
    return [
        [
            export_date(row.meeting.date),
            row.meeting.body_label,
            row.meeting.title,
            row.resolution.item_number or "",
            row.resolution.number,
            row.resolution.text,
            row.resolution.owner.name if row.resolution.owner else "",
            export_date(row.due_date),
            row.status_label,
            row.is_overdue,
            row.latest_response.text if row.latest_response else "",
            export_date(row.latest_response.responded_on if row.latest_response else None),
        ]
        for row in rows
    ]
