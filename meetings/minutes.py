"""Split pasted committee minutes into numbered resolutions. Pure text in, drafts out.

Council minutes print an item's decisions under a heading: ``RESOLVED``,
``RESOLVED (Unanimously):``, ``RESOLVED –``, ``AGREED``, ``RECOMMENDED`` or a line that
says ``Recommendations``. Below it come either one decision ("That the report be
noted.") or a list: ``1. That ...``, bullets, or an ordered list copied out of a web
page, where every item reads ``1.`` because the browser drew the numbers. The officer
checks and edits every draft before anything is saved, so the parser is careful rather
than clever:

- text with no heading and no list, several headings (the minutes of several agenda
  items at once) or a heading with nothing under it is refused with a message that says
  what to paste instead;
- a list whose numbers are out of sequence (1, 3, 2) is left whole, as one draft with
  a warning, for the officer to split by hand.

Some councils number decisions under their minute number: ``42.1``, ``42.2``. Those are
resolutions 1 and 2 of minute 42: the drafts take the resolutions' own numbers and the
minute number is kept apart (``ParsedMinutes.minute_number``), as the app keeps the
agenda item's number apart from the resolution's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The heading words are matched in capitals only, as minutes print them: "resolved"
# in running prose ("the issue was resolved") must not start a block.
_HEADING = re.compile(
    r"^(?:it\s+was\s+)?(?P<word>RESOLVED|AGREED|RECOMMENDED|DECISION|DECIDED)\b(?P<rest>.*)$"
)
_HEADING_LINE = re.compile(
    r"^(?P<word>Recommendations?|Resolutions?|Resolved|Decisions?)\s*:?\s*$", re.IGNORECASE
)
_NUMBERED = re.compile(r"^\(?(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)$")
# "42.1 That ..." or "42.1. That ...": resolution 1 of minute 42.
_MINUTE_NUMBERED = re.compile(
    r"^\(?(?P<minute>\d{1,4})\.(?P<number>\d{1,3})[.)]?\s+(?P<text>\S.*)$"
)
_LETTERED = re.compile(r"^\(?(?P<letter>[a-z]|[ivx]{1,4})[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-–•·*▪●]\s*(?P<text>\S.*)$")
# Punctuation and qualifiers between the heading word and the decision itself:
# "RESOLVED (Unanimously): That:" or "RESOLVED – That".
_HEADING_QUALIFIER = re.compile(r"^\s*(?:\([^)]*\))?\s*[:\-–—.]*\s*")
_THAT_STEM = re.compile(r"^that\s*[:,\-–—]?\s*$", re.IGNORECASE)
_NOTED = re.compile(
    r"^(?:that\s+)?(?:the\s+)?[\w\s,'’&/()-]{0,120}?\b(?:be|is|was|were|are|been)\s+"
    r"(?:received\s+and\s+)?noted\.?$",
    re.IGNORECASE,
)
_STOP_LINE = re.compile(
    r"^(?:Supporting documents|Original Text|Background papers|Reasons? for|Questions)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")

# What one paste may hold: as many resolutions as one check page saves (the draft
# formset's ``max_num``), and text enough for the longest item's minutes. A bigger
# paste is refused before the check page is built, which would be slow and huge.
MAX_RESOLUTIONS = 60
MAX_CHARACTERS = 100_000


class MinutesError(ValueError):
    """The text cannot be split into resolutions; the message says what to do instead."""


@dataclass(frozen=True)
class DraftResolution:
    """One resolution as the minutes give it, for the officer to check."""

    number: int
    text: str
    noted: bool


@dataclass(frozen=True)
class ParsedMinutes:
    drafts: list[DraftResolution]
    heading: str
    warnings: list[str] = field(default_factory=list)
    # When a list was left whole: how many items it seemed to have, so the check page
    # can offer empty rows to split it into.
    split_by_hand: int = 0
    # The minute (agenda item) number when the minutes print "42.1", "42.2".
    minute_number: int | None = None


def is_noting(text: str) -> bool:
    """True when the resolution only notes a report ("That the report be noted")."""
    return bool(_NOTED.match(" ".join(text.split())))


def parse_resolutions(text: str) -> ParsedMinutes:
    """The resolutions in ``text``, numbered as the minutes number them.

    Raises ``MinutesError`` when it cannot find any, or finds more than one paste may
    hold (``MAX_CHARACTERS``, ``MAX_RESOLUTIONS``); see the module docstring. One pass
    over the lines: the time grows with the length of the text.
    """
    if len(text) > MAX_CHARACTERS:
        raise MinutesError(
            f"The minutes are {len(text):,} characters long, more than the "
            f"{MAX_CHARACTERS:,} one paste can take: paste the decisions of one agenda "
            "item at a time."
        )
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    if not any(lines):
        raise MinutesError("Paste the text of the minutes: the box is empty.")
    headings = [i for i, line in enumerate(lines) if _is_heading(line)]
    if len(headings) > 1:
        raise MinutesError(
            f"The text has {len(headings)} RESOLVED or Recommendations headings. "
            "Paste the minutes of one agenda item at a time."
        )
    if headings:
        start = headings[0]
        heading, first = _split_heading(lines[start])
        body = ([first] if first else []) + lines[start + 1 :]
    else:
        heading = ""
        body = lines
        first_line = next(line for line in lines if line)
        if not (_marker(first_line) or _MINUTE_NUMBERED.match(first_line)):
            raise MinutesError(
                "No resolutions found: the text has no RESOLVED or Recommendations heading "
                "and does not start with a numbered list. Paste the part of the minutes from "
                "RESOLVED to the end of the decisions, or add the resolutions one by one."
            )
    items, minutes, stem, trailing = _items(body)
    if len(items) > MAX_RESOLUTIONS:
        raise MinutesError(
            f"The minutes hold {len(items)} resolutions, more than the {MAX_RESOLUTIONS} "
            f"one paste can take: paste them in parts of up to {MAX_RESOLUTIONS}."
        )
    if not items and not stem:
        raise MinutesError(f'Nothing follows "{heading}": paste the decisions under it too.')
    warnings = []
    if trailing:
        warnings.append(f'Text after the last resolution was left out, from "{trailing[:60]}".')
    if not items:
        return ParsedMinutes([_draft(1, stem)], heading, warnings)
    minute_number = minutes[0] if minutes and minutes[0] is not None else None
    numbers = _numbering(items) if len(set(minutes)) == 1 else None
    if numbers is None:
        labels = [
            f"{m}.{n}" if m is not None else str(n)
            for m, (n, _) in zip(minutes, items, strict=True)
        ]
        found = ", ".join(labels)
        whole = "\n".join(f"{label}. {t}" for label, (_, t) in zip(labels, items, strict=True))
        if stem:
            whole = f"{stem}\n{whole}"
        warnings.append(
            f"The list is numbered {found}, which is not a sequence, so it was left whole: "
            "split it into separate resolutions by hand."
        )
        return ParsedMinutes(
            [_draft(items[0][0] or 1, whole)],
            heading,
            warnings,
            split_by_hand=len(items),
            minute_number=minute_number,
        )
    prefix = "That " if stem and _THAT_STEM.match(stem) else ""
    if stem and not prefix:
        warnings.append(f'The words before the list were left out: "{stem[:60]}".')
    drafts = [
        _draft(number, _with_prefix(prefix, item_text))
        for number, (_, item_text) in zip(numbers, items, strict=True)
    ]
    return ParsedMinutes(drafts, heading, warnings, minute_number=minute_number)


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(line) or _HEADING_LINE.match(line))


def _split_heading(line: str) -> tuple[str, str]:
    """The heading word and any decision text on the same line."""
    match = _HEADING.match(line)
    if match is None:
        return line.rstrip(":").strip(), ""
    rest = _HEADING_QUALIFIER.sub("", match["rest"], count=1).strip()
    heading = line[: len(line) - len(rest)].strip() if rest else line
    return heading, rest


def _marker(line: str) -> tuple[int | None, str] | None:
    """(number or None for a bullet, text) when the line starts a top-level item."""
    if match := _NUMBERED.match(line):
        return int(match["number"]), match["text"]
    if match := _BULLET.match(line):
        return None, match["text"]
    return None


def _items(
    body: list[str],
) -> tuple[list[tuple[int | None, str]], list[int | None], str, str]:
    """The list items, the minute number each item carries ("42.1": 42; None for "1."
    or a bullet), the text between heading and list (the stem), and the first line of
    any text that follows the decisions and was left out."""
    items: list[tuple[int | None, str]] = []
    minutes: list[int | None] = []
    stem_lines: list[str] = []
    after_blank = False
    for line in body:
        if not line:
            after_blank = True
            continue
        if _STOP_LINE.match(line):
            # Boilerplate that follows the decisions on council websites.
            return items, minutes, " ".join(stem_lines), ""
        marker = _marker(line)
        minute = _MINUTE_NUMBERED.match(line)
        # "42.1" starts an item only in a list that began that way: in a plain list a
        # wrapped line may well start "2.5 million".
        if minute and (not items or minutes[0] is not None):
            items.append((int(minute["number"]), minute["text"]))
            minutes.append(int(minute["minute"]))
        elif marker is not None:
            items.append(marker)
            minutes.append(None)
        elif items and (not after_blank or _LETTERED.match(line)):
            number, previous = items[-1]
            joiner = "\n" if _LETTERED.match(line) else " "
            items[-1] = (number, previous + joiner + line)
        elif items:
            return items, minutes, " ".join(stem_lines), line
        elif stem_lines and after_blank and not _THAT_STEM.match(" ".join(stem_lines)):
            # A single decision ends at its paragraph break.
            return items, minutes, " ".join(stem_lines), line
        else:
            stem_lines.append(line)
        after_blank = False
    return items, minutes, " ".join(stem_lines), ""


def _numbering(items: list[tuple[int | None, str]]) -> list[int] | None:
    """The numbers to give the items, or None when the minutes' own numbers are not a
    sequence. Bullets, and lists where every item reads 1 (an ordered list copied out
    of a web page), are numbered 1, 2, 3..."""
    given = [n for n, _ in items]
    if all(n is None for n in given) or (len(given) > 1 and all(n == 1 for n in given)):
        return list(range(1, len(items) + 1))
    numbers = [n for n in given if n is not None]
    if len(numbers) < len(given):
        return None
    first = numbers[0]
    if numbers == list(range(first, first + len(numbers))):
        return numbers
    return None


def _with_prefix(prefix: str, text: str) -> str:
    if not prefix or text[:5].lower() == "that ":
        return text
    return prefix + text


def _draft(number: int, text: str) -> DraftResolution:
    text = text.strip()
    return DraftResolution(number=number, text=text, noted=is_noting(text))
