"""Numbers as a committee paper prints them: 1,234; +20.4%; £10,000; 67%."""

from __future__ import annotations

from decimal import Decimal

Number = int | float | Decimal


def count(value: Number | None) -> str:
    if value is None:
        return "Not supplied"
    value = float(value)
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def signed_count(value: Number | None) -> str:
    if value is None:
        return "-"
    value = float(value)
    text = count(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return "0"


def signed_pct(value: Number | None) -> str:
    """+20.4% (one decimal place, a real minus sign for falls)."""
    if value is None:
        return "-"
    value = round(float(value), 1)
    if value > 0:
        return f"+{value:.1f}%"
    if value < 0:
        return f"\u2212{abs(value):.1f}%"
    return "0.0%"


def pct(value: Number | None) -> str:
    if value is None:
        return "Not supplied"
    value = float(value)
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def money(value: Number | None) -> str:
    if value is None:
        return "Not supplied"
    value = float(value)
    return f"£{value:,.0f}" if value == int(value) else f"£{value:,.2f}"


def value(value: Number | None, unit: str) -> str:
    """A value in its measure's unit."""
    if unit == "percentage":
        return pct(value)
    if unit == "gbp":
        return money(value)
    return count(value)


def signed_change(value: Number | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "percentage":
        sign = "+" if value > 0 else "\u2212" if value < 0 else ""
        return f"{sign}{pct(abs(float(value)))[:-1]} points"
    if unit == "gbp":
        sign = "+" if value > 0 else "\u2212" if value < 0 else ""
        return f"{sign}{money(abs(float(value)))}"
    return signed_count(value)
