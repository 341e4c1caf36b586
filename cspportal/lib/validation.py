"""The one validation layer for what people type: figures (counts, money, percentages,
rates), dates and links. Pure: no models, no request, no DNS. Every refusal is a
``ValidationError`` whose message names the field (or the measure and area) and shows
an example of what is accepted. docs/validation.md lists the accepted forms."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


class FigureKind(StrEnum):
    """The kinds of figure; the values match ``Measure.Unit``."""

    COUNT = "count"
    PERCENTAGE = "percentage"
    GBP = "gbp"
    RATE = "rate"


MAX_FIGURE = Decimal("999999999999.99")
MAX_DECIMAL_PLACES = 2

# ASCII digits, either plain or with commas between groups of exactly three, then an
# optional decimal part. [0-9] (not \d) so that other scripts' digits never match.
_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")

_EXAMPLES = {
    FigureKind.COUNT: "enter a whole number, like 1,234",
    FigureKind.GBP: "enter an amount in pounds, like £1,234.50",
    FigureKind.PERCENTAGE: "enter a percentage, like 67.5%",
    FigureKind.RATE: "enter a number, like 12.5",
}
_MINUS_SIGNS = ("-", "\u2212")


def read_figure(raw: str, *, kind: FigureKind | str, subject: str) -> Decimal | None:
    """Read one typed figure strictly. ``subject`` names it in messages ("Violence with
    injury, Chorley"). Returns None for an empty entry; raises ``ValidationError``
    otherwise. Leading and trailing whitespace is ignored; nothing else is forgiven."""
    kind = FigureKind(kind)
    text = raw.strip()
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:40] + "…"
    refusal = f"{subject}: {_EXAMPLES[kind]} (you entered “{shown}”)"
    body = text
    if kind is FigureKind.GBP:
        body = body.removeprefix("£")
    if kind is FigureKind.PERCENTAGE:
        body = body.removesuffix("%")
    negative = body.startswith(_MINUS_SIGNS)
    if negative:
        body = body[1:]
        if kind is FigureKind.GBP:
            # "-£5" as well as "£-5"
            body = body.removeprefix("£")
    if not _NUMBER.fullmatch(body):
        raise ValidationError(refusal, code="invalid")
    if negative:
        raise ValidationError(
            f"{subject}: the figure cannot be negative (you entered “{shown}”)", code="negative"
        )
    if kind is FigureKind.COUNT and "." in body:
        raise ValidationError(refusal, code="not_whole")
    if "." in body and len(body.rsplit(".", 1)[1]) > MAX_DECIMAL_PLACES:
        raise ValidationError(
            f"{subject}: use no more than {MAX_DECIMAL_PLACES} decimal places, like 12.75 "
            f"(you entered “{shown}”)",
            code="decimal_places",
        )
    value = Decimal(body.replace(",", ""))
    if kind is FigureKind.PERCENTAGE and value > 100:
        raise ValidationError(
            f"{subject}: a percentage must be 100 or less (you entered {shown})", code="over_100"
        )
    if value > MAX_FIGURE:
        raise ValidationError(
            f"{subject}: the figure is too large (the largest accepted is "
            f"999,999,999,999.99; you entered “{shown}”)",
            code="too_large",
        )
    return value


def _bound(value: Decimal) -> str:
    """A limit as messages print it: 2,147,483,647, 99.9, and 1900 (below 10,000 without
    a comma, since many limits are years)."""
    return f"{value.normalize():{',' if abs(value) >= 10000 else ''}f}"


def read_number(
    raw: str,
    *,
    label: str,
    places: int | None = 0,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal | None:
    """Read a number typed into a form box (a population, a year, a target's per cent)
    with the grammar of ``read_figure``: ASCII digits, commas only between groups of
    three, an optional decimal part and a leading minus; no spaces inside, no
    underscores, exponents or plus sign. ``places`` is how many decimal places are
    allowed (0, a whole number; None, any). Returns None for an empty entry."""
    text = raw.strip()
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:40] + "…"
    whole = places == 0
    refusal = (
        f"{label}: enter a whole number, like 1,234 (you entered “{shown}”)"
        if whole
        else f"{label}: enter a number, like 12.5 (you entered “{shown}”)"
    )
    body = text[1:] if text.startswith(_MINUS_SIGNS) else text
    if not _NUMBER.fullmatch(body) or (whole and "." in body):
        raise ValidationError(refusal, code="invalid")
    if places and "." in body and len(body.rsplit(".", 1)[1]) > places:
        unit = "decimal place" if places == 1 else "decimal places"
        raise ValidationError(
            f"{label}: use no more than {places} {unit}, like {'12.5' if places == 1 else '12.75'}"
            f" (you entered “{shown}”)",
            code="decimal_places",
        )
    value = Decimal(body.replace(",", ""))
    if body is not text:
        value = -value
    low = None if minimum is None else Decimal(minimum)
    high = None if maximum is None else Decimal(maximum)
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            wanted = f"from {_bound(low)} to {_bound(high)}"
        elif low is not None:
            wanted = f"of {_bound(low)} or more"
        else:
            assert high is not None
            wanted = f"of {_bound(high)} or less"
        noun = "a whole number" if whole else "a number"
        raise ValidationError(
            f"{label}: enter {noun} {wanted} (you entered “{shown}”)",
            code="min_value" if low is not None and value < low else "max_value",
        )
    return value


EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def long_date(value: date) -> str:
    """11 January 2024 (no leading zero), without depending on the locale."""
    return f"{value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


def check_date_range(
    value: date, *, label: str, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE
) -> date:
    """Refuse a date outside ``earliest``..``latest`` (by default 2000 to 2100)."""
    if not earliest <= value <= latest:
        raise ValidationError(
            f"{label}: enter a date between {long_date(earliest)} and {long_date(latest)} "
            f"(you entered {long_date(value)})",
            code="out_of_range",
        )
    return value


def read_date_parts(
    day: str,
    month: str,
    year: str,
    *,
    label: str,
    earliest: date = EARLIEST_DATE,
    latest: date = LATEST_DATE,
) -> date:
    """A date from GOV.UK day, month and year boxes, each ASCII digits. An impossible
    day is refused in words ("30 February does not exist"), never Python's "day is out
    of range for month"."""
    example = "like 11 1 2024"
    parts = [p.strip() for p in (day, month, year)]
    for part, name, width in zip(parts, ("day", "month", "year"), (2, 2, 4), strict=True):
        if not part:
            raise ValidationError(f"{label}: enter the {name}, {example}", code="incomplete")
        if not re.fullmatch(rf"[0-9]{{1,{width}}}", part):
            raise ValidationError(
                f"{label}: enter the {name} as a number, {example} (you entered “{part[:20]}”)",
                code="invalid",
            )
    d, m, y = (int(p) for p in parts)
    if not 1 <= m <= 12:
        raise ValidationError(
            f"{label}: enter a real date, {example} (there is no month {m})", code="invalid"
        )
    if not earliest.year <= y <= latest.year:
        raise ValidationError(
            f"{label}: enter a date between {long_date(earliest)} and {long_date(latest)} "
            f"(you entered the year {y})",
            code="out_of_range",
        )
    try:
        value = date(y, m, d)
    except ValueError:
        what = (
            f"{d} {_MONTH_NAMES[m - 1]} {y} does not exist"
            if m == 2 and d == 29
            else f"{d} {_MONTH_NAMES[m - 1]} does not exist"
        )
        raise ValidationError(
            f"{label}: enter a real date, {example} ({what})", code="invalid"
        ) from None
    return check_date_range(value, label=label, earliest=earliest, latest=latest)


MAX_LINK_LENGTH = 500
_LINK_EXAMPLE = "like https://www.example.gov.uk/papers/item-4.pdf"
# Browsers read a backslash as a slash, so a leading "\\\\" or "/\\" is scheme-relative too.
SCHEME_RELATIVE = ("//", "\\\\", "/\\", "\\/")


def check_link(raw: str, *, label: str) -> str:
    """Refuse a link that is not a plain public http(s) address: no other scheme, no
    scheme-relative ``//host``, no user name or password, no localhost and no loopback,
    private, link-local, reserved or unspecified IP literal. No DNS lookup is made: a
    public name that resolves to a private address is for the network to stop."""
    text = raw.strip()

    def refuse(why: str) -> ValidationError:
        return ValidationError(f"{label}: {why}, {_LINK_EXAMPLE}", code="invalid")

    if any(ord(c) < 33 or ord(c) == 127 for c in text):
        raise refuse("a link cannot contain spaces or control characters; enter the address")
    if len(text) > MAX_LINK_LENGTH:
        raise refuse(f"a link can be at most {MAX_LINK_LENGTH} characters; enter a shorter address")
    if text.startswith(SCHEME_RELATIVE):
        raise refuse("enter the full address, starting https://")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise refuse("enter a real web address") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise refuse("enter a web address starting https:// or http://")
    if not host:
        raise refuse("enter a web address with a site name")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise refuse("a link cannot hold a user name or password; enter the public address")
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise refuse("the link points at this computer; enter a public address")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None and re.fullmatch(r"[0-9.]+|0x[0-9a-f.x]+", host):
        # Shorthand IPv4 ("127.1", "2130706433", hex): never a real site name.
        raise refuse("enter a web address with a site name")
    if address is not None:
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if not address.is_global or address.is_multicast:
            raise refuse(
                "the link points at a private or local network address; enter a public one"
            )
    return text


# The same checks as model field validators, so that every model form (the admin's
# too) applies them, not only the app's own forms.


@deconstructible
class DateInRange:
    """Model validator: ``check_date_range`` with the field's name, 2000 to 2100."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, value: date | None) -> None:
        if value is not None:
            check_date_range(value, label=self.label)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateInRange) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)


@deconstructible
class PublicLink:
    """Model validator: ``check_link`` with the field's name."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, value: str | None) -> None:
        if value:
            check_link(value, label=self.label)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicLink) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)
