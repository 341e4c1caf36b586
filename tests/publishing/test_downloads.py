"""Every public table downloads as CSV with its source, "as at" date and the Open
Government Licence above the header; the calendar holds the public meetings only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone

LICENCE = [
    "Licence",
    "Contains public sector information licensed under the Open Government Licence v3.0.",
]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_dashboard_csv_holds_the_approved_figures_exactly(world, anonymous):
    rows = _rows(anonymous.get("/public/safer-testshire/dashboard/areas.csv"))
    today = timezone.localdate().isoformat()
    period = "2016/17 compared with 2015/16"
    assert rows == [
        [
            "Source",
            "Safer Testshire CSP, public dashboard: approved figures and published police.uk "
            "and ONS figures (police.uk: April 2015 to March 2017; entered by officers: April "
            "2015 to March 2017)",
        ],
        ["As at", today],
        LICENCE,
        [],
        [
            "Measure",
            "Area",
            "2015/16",
            "2016/17",
            "Change",
            "% change",
            "Better or worse",
            "Could it be chance?",
            "Rate per 1,000 people",
            "Period",
        ],
        # North: 100 x 12 then 123 x 12, population 100,000; South 50 then 61.
        [
            "All crime (total recorded crime excluding fraud)",
            "North Testshire",
            "1200.0",
            "1476.0",
            "276.0",
            "23.0",
            "Worse",
            "Unlikely to be chance",
            "14.76",
            period,
        ],
        [
            "All crime (total recorded crime excluding fraud)",
            "South Testshire",
            "600.0",
            "732.0",
            "132.0",
            "22.0",
            "Worse",
            "Unlikely to be chance",
            "7.32",
            period,
        ],
    ]
    whole = _rows(anonymous.get("/public/safer-testshire/dashboard/headline-crime.csv"))
    assert whole[5][:4] == [
        "All crime (total recorded crime excluding fraud)",
        "1800.0",
        "2208.0",
        "408.0",
    ]


def test_the_profile_action_plan_and_resolution_csvs(world, anonymous):
    today = timezone.localdate().isoformat()
    areas = _rows(anonymous.get("/public/safer-testshire/profile/areas.csv"))
    assert areas == [
        ["Source", "Safer Testshire CSP, public pages: profile"],
        ["As at", today],
        LICENCE,
        [],
        ["Area", "Kind of area", "Population"],
        ["North Testshire", "District", "100000"],
        ["South Testshire", "District", "100000"],
    ]
    rag = _rows(anonymous.get("/public/safer-testshire/action-plan/rag-by-priority.csv"))
    # The private amber action and the draft plan's action are not counted.
    assert rag[4:] == [
        ["Priority", "Red", "Amber", "Green", "Not yet rated", "All actions"],
        ["Tackling violence", "1", "0", "1", "0", "2"],
    ]
    actions = _rows(anonymous.get("/public/safer-testshire/action-plan/actions.csv"))
    assert actions[4:] == [
        [
            "Action",
            "Priority",
            "Objective",
            "Lead organisation",
            "Due date",
            "Status",
            "RAG status",
        ],
        [
            "Street lighting review",
            "Tackling violence",
            "Fewer assaults",
            "Testshire Council",
            "2025-03-31",
            "On track",
            "Green",
        ],
        [
            "Night-time patrols",
            "Tackling violence",
            "Fewer assaults",
            "Testshire Police",
            "",
            "On track",
            "Red",
        ],
    ]
    resolutions = _rows(anonymous.get("/public/safer-testshire/resolutions/resolutions.csv"))
    assert resolutions[0] == ["Source", "Safer Testshire CSP, public pages: resolutions"]
    assert resolutions[4:] == [
        ["Resolution", "Meeting", "Date", "What was resolved", "Owner", "Status"],
        [
            "1",
            "Scrutiny Committee: community safety",
            "2024-01-11",
            "That the lighting review report back.",
            "No owner yet",
            "Open",
        ],
    ]


def test_a_table_the_page_does_not_have_is_404(world, anonymous):
    assert anonymous.get("/public/safer-testshire/dashboard/no-such-table.csv").status_code == 404
    assert anonymous.get("/public/safer-testshire/profile/actions.csv").status_code == 404


def test_the_upcoming_meetings_csv_and_calendar_hold_public_meetings_only(world, anonymous):
    soon = timezone.localdate() + timedelta(days=10)
    rows = _rows(anonymous.get("/public/safer-testshire/meetings/upcoming.csv"))
    assert rows[0] == ["Source", "Safer Testshire CSP, public pages: upcoming public meetings"]
    assert rows[4:] == [
        ["Meeting", "Body", "Date", "Time", "Place"],
        [
            "Scrutiny Committee: spring",
            "Scrutiny committee",
            soon.isoformat(),
            "Not set",
            "Not set",
        ],
    ]
    response = anonymous.get("/public/safer-testshire/meetings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Scrutiny Committee: spring" in text
    assert f"DTSTART;VALUE=DATE:{soon:%Y%m%d}" in text
    assert "Zebra" not in text
    assert "URL:http://testserver/public/safer-testshire/meetings/" in text
