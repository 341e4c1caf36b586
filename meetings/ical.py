"""iCalendar (RFC 5545) text for a partnership's meetings. Pure: meetings in, text out.

Times are written in UK local time with ``TZID=Europe/London`` and a VTIMEZONE that
carries the UK rules (BST from 01:00 UTC on the last Sunday of March, GMT from 01:00
UTC on the last Sunday of October), so a 6.30pm meeting stays 6.30pm in every calendar
across the clock change. A meeting with no start time is an all-day event; one with a
start time but no end time is given two hours. Lines end CRLF and are folded at 75
octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from meetings.models import Meeting

DEFAULT_LENGTH = timedelta(hours=2)
_LONDON = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, newlines as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets, continuation lines starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _event(meeting: Meeting, *, stamp: str, domain: str, url: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{stamp}",
    ]
    if meeting.start_time is None:
        lines += [
            f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{meeting.date + timedelta(days=1):%Y%m%d}",
        ]
    else:
        start = datetime.combine(meeting.date, meeting.start_time)  # noqa: DTZ001 (TZID says London)
        end = (
            datetime.combine(meeting.date, meeting.end_time)  # noqa: DTZ001 (TZID says London)
            if meeting.end_time is not None
            else start + DEFAULT_LENGTH
        )
        lines += [
            f"DTSTART;TZID=Europe/London:{_local(start)}",
            f"DTEND;TZID=Europe/London:{_local(end)}",
        ]
    description = [meeting.body_label]
    items = list(meeting.agenda_items.all())
    if items:
        description.append("Agenda:")
        description += [f"{item.number}. {item.title}" for item in items]
    description.append(url)
    lines += [
        f"SUMMARY:{escape_text(meeting.title)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"URL:{url}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{escape_text(meeting.place)}")
    lines.append("END:VEVENT")
    return lines


def calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    domain: str,
    now: datetime,
    meeting_url: Callable[[Meeting], str],
) -> str:
    """The whole VCALENDAR. ``meeting_url`` gives each meeting's absolute page address;
    ``domain`` makes the event UIDs globally unique and stable."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CSP Portal//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/London",
        *_LONDON,
    ]
    for meeting in meetings:
        lines += _event(meeting, stamp=stamp, domain=domain, url=meeting_url(meeting))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
