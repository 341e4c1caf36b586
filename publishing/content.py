"""What the public sees, built from the data at one moment.

``build(partnership, as_at=...)`` makes the whole public content of a partnership as
plain JSON: each frozen page's HTML (rendered once, here, from the same tables,
sentences and charts the signed-in pages use) and each of its tables' rows for the
CSV downloads. Publishing stores it in a ``PublishedVersion``; the preview builds it
and shows it without storing. Serving a page is then one row read (or a cache hit)
and no figure, action or resolution is read again, so an edit after publishing
changes nothing public until the next publish.

The upcoming meetings are not frozen: a schedule is not a figure, and a meeting
moved must not keep its old date on the public page. They are read live
(``publishing.selectors.upcoming_public_meetings``), with the same privacy rule.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.template.loader import render_to_string

from actionplans.models import Action, RagStatus
from cspportal.lib import formats
from cspportal.lib.downloads import export_date
from meetings.models import Meeting, Resolution
from partnerships.models import Partnership, Role
from partnerships.selectors import PartnershipAccess, partnership_profile
from publishing import selectors
from reports.dashboard import pages as dashboard_pages
from reports.tables import Cell, Table

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."

# The public sections, in the order of the public navigation: (key, title, frozen).
# A frozen section is part of each published version; a live one is read on each
# request. The ASB case review publication is the casereviews app's own page, which
# the navigation links after these once a year is published (views._nav).
SECTIONS: list[tuple[str, str, bool]] = [
    ("profile", "Profile", True),
    ("dashboard", "Dashboard", True),
    ("action-plan", "Action plan", True),
    ("resolutions", "Resolutions", True),
    ("meetings", "Upcoming meetings", False),
]
FROZEN = [key for key, _, frozen in SECTIONS if frozen]
TITLES = {key: title for key, title, _ in SECTIONS}


def _plain(value: Any) -> Any:
    """A download cell as JSON can hold it: numbers stay numbers, dates become ISO."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return export_date(value if isinstance(value, date) else value.date())
    return value


def table_data(table: Table, extra: tuple[str, str] | None = None) -> dict[str, Any]:
    """A table's caption, headers and download rows; ``extra`` adds a column with one
    value in every row (the dashboard's period)."""
    headers = list(table.headers)
    rows = [[_plain(v) for v in row] for row in table.download_rows()]
    if extra is not None:
        headers.append(extra[0])
        rows = [[*row, extra[1]] for row in rows]
    return {"caption": table.caption, "headers": headers, "rows": rows}


def _text(value: str) -> Cell:
    return Cell(value, value)


def _row_header(value: str) -> Cell:
    return Cell(value, value, header=True)


def _number(value: int | None) -> Cell:
    return Cell(formats.count(value, missing="Not known"), value, numeric=True)


# --- the profile ------------------------------------------------------------------


def profile_tables(partnership: Partnership) -> list[Table]:
    profile = partnership_profile(partnership)
    areas = Table(
        caption="Areas",
        headers=["Area", "Kind of area", "Population"],
        rows=[
            [_row_header(a.name), _text(a.get_kind_display()), _number(a.population)]
            for a in profile.areas
        ],
        id="areas",
    )
    members = Table(
        caption="Member organisations",
        headers=["Organisation", "Type", "Membership"],
        rows=[
            [
                _row_header(m.organisation.name),
                _text(m.organisation.get_type_display()),
                _text("Responsible authority" if m.is_statutory else "Partner"),
            ]
            for m in profile.memberships
        ],
        id="organisations",
    )
    priorities = Table(
        caption="Priorities",
        headers=["Priority", "Years", "What it covers"],
        rows=[
            [_row_header(p.name), _text(p.years_label), _text(p.description)]
            for p in profile.priorities
        ],
        id="priorities",
    )
    return [areas, members, priorities]


# --- the action plan summary --------------------------------------------------------

NOT_RATED = "Not yet rated"
RAG_ORDER = [RagStatus.RED, RagStatus.AMBER, RagStatus.GREEN]


def _priority_name(action: Action) -> str:
    priority = action.objective.priority
    return priority.name if priority is not None else "No priority"


def action_tables(partnership: Partnership) -> list[Table]:
    """The RAG status of the public actions by priority, and the actions themselves:
    their titles, leads, due dates and statuses, never their descriptions, owners'
    names or progress notes."""
    actions = selectors.public_actions(partnership)
    counts: dict[str, dict[str, int]] = {}
    for action in actions:
        found = counts.setdefault(_priority_name(action), {})
        key = action.rag_status or NOT_RATED
        found[key] = found.get(key, 0) + 1
    by_priority = Table(
        caption="RAG status of the actions by priority",
        headers=["Priority", "Red", "Amber", "Green", NOT_RATED, "All actions"],
        rows=[
            [
                _row_header(name),
                *(_number(found.get(rag, 0)) for rag in [*RAG_ORDER, NOT_RATED]),
                _number(sum(found.values())),
            ]
            for name, found in sorted(counts.items())
        ],
        id="rag-by-priority",
    )
    listed = Table(
        caption="Actions",
        headers=[
            "Action",
            "Priority",
            "Objective",
            "Lead organisation",
            "Due date",
            "Status",
            "RAG status",
        ],
        rows=[
            [
                _row_header(a.title),
                _text(_priority_name(a)),
                _text(a.objective.title),
                _text(a.lead_organisation.name if a.lead_organisation else "Not set"),
                Cell(formats.uk_date(a.due_date, missing="Not set"), export_date(a.due_date)),
                _text(a.get_status_display()),
                _text(a.get_rag_status_display() if a.rag_status else NOT_RATED),
            ]
            for a in actions
        ],
        id="actions",
    )
    return [by_priority, listed]


# --- resolutions --------------------------------------------------------------------


def _resolution_row(resolution: Resolution) -> list[Cell]:
    meeting = resolution.meeting
    return [
        _row_header(resolution.citation),
        _text(meeting.title),
        Cell(formats.uk_date(meeting.date), export_date(meeting.date)),
        _text(resolution.text),
        _text(resolution.owner.name if resolution.owner else "No owner yet"),
        _text(resolution.get_status_display()),
    ]


def resolution_tables(partnership: Partnership) -> list[Table]:
    resolutions = selectors.public_resolutions(partnership)
    return [
        Table(
            caption="Resolutions of public meetings",
            headers=["Resolution", "Meeting", "Date", "What was resolved", "Owner", "Status"],
            rows=[_resolution_row(r) for r in resolutions],
            id="resolutions",
        )
    ]


# --- upcoming meetings (live) --------------------------------------------------------


def meeting_table(meetings: list[Meeting]) -> Table:
    return Table(
        caption="Upcoming public meetings",
        headers=["Meeting", "Body", "Date", "Time", "Place"],
        rows=[
            [
                _row_header(m.title),
                _text(m.body_label),
                Cell(formats.uk_date(m.date), export_date(m.date)),
                _text(
                    f"{formats.uk_time(m.start_time)} to {formats.uk_time(m.end_time)}"
                    if m.start_time and m.end_time
                    else formats.uk_time(m.start_time, missing="Not set")
                ),
                _text(m.place or "Not set"),
            ]
            for m in meetings
        ],
        id="upcoming",
    )


# --- the whole content ----------------------------------------------------------------


def _render(template: str, context: dict[str, Any]) -> str:
    return render_to_string(f"publishing/fragments/{template}.html", context)


def build(partnership: Partnership, *, as_at: date) -> dict[str, Any]:
    """The public content of the partnership as it stands: every frozen page's HTML
    and every table's rows, with the dashboard's period and the figures' sources."""
    access = PartnershipAccess(partnership, Role.VIEWER, None)
    dashboard = dashboard_pages.dashboard_page(access, QueryDict(), approved_only=True)
    data = dashboard.choice.data
    period_label = data.labels.comparison if data is not None else ""
    sources = dashboard.months_label if data is not None else ""
    # CSV links are relative to each page's own address, so that the same HTML serves
    # the latest version, a numbered one and the preview, each with its own CSVs.
    tables: dict[str, dict[str, Any]] = {}
    pages: dict[str, dict[str, Any]] = {}

    def add(key: str, found: list[Table], context: dict[str, Any], **extra: Any) -> None:
        # The profile is the root of the public pages, so its links name their folder.
        csv_prefix = "profile/" if key == "profile" else ""
        for table in found:
            tables[f"{key}/{table.id}"] = table_data(table, extra.get("column"))
        pages[key] = {
            "title": TITLES[key],
            "charts": bool(extra.get("charts")),
            "html": _render(
                key,
                {
                    **context,
                    "partnership": partnership,
                    "public_downloads": True,
                    "csv_prefix": csv_prefix,
                },
            ),
        }

    profile = profile_tables(partnership)
    add("profile", profile, {"tables": profile})
    add(
        "dashboard",
        dashboard.tables if data is not None else [],
        {**dashboard.context(), "access": None},
        column=("Period", period_label) if data is not None else None,
        charts=data is not None,
    )
    actions = action_tables(partnership)
    add("action-plan", actions, {"tables": actions})
    resolutions = resolution_tables(partnership)
    add("resolutions", resolutions, {"tables": resolutions})
    return {
        "partnership": partnership.name,
        "as_at": export_date(as_at),
        "period_label": period_label,
        "period_start": export_date(data.period.start) if data is not None else "",
        "period_end": export_date(data.period.end) if data is not None else "",
        "sources": sources,
        "pages": pages,
        "tables": tables,
    }


def table_source(content: dict[str, Any], key: str) -> str:
    """The source line of a frozen table's CSV."""
    name = content["partnership"]
    if key.startswith("dashboard/"):
        figures = content["sources"] or "no figures"
        return (
            f"{name}, public dashboard: approved figures and published police.uk and ONS "
            f"figures ({figures})"
        )
    section = TITLES[key.split("/", 1)[0]]
    return f"{name}, public pages: {section.lower()}"


def csv_preamble(source: str, as_at: str) -> list[list[str]]:
    """The lines above a public CSV's header: source, "as at" date and licence."""
    return [["Source", source], ["As at", as_at], ["Licence", LICENCE], []]
