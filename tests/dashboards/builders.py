"""Quick ways to lay down runs of monthly figures for dashboard tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils import timezone

from crimestats.models import Measure, Observation
from cspportal.lib.periods import add_months, month_end


def monthly(
    partnership,
    code: str,
    start: date,
    values: Sequence[float | None],
    *,
    area=None,
) -> None:
    """One figure a month from ``start``; None lays down a "not supplied" figure."""
    measure = Measure.objects.get(code=code)
    now = timezone.now()
    rows = []
    for i, value in enumerate(values):
        first = add_months(start, i)
        rows.append(
            Observation(
                partnership=partnership,
                measure=measure,
                area=area,
                period_type="month",
                period_start=first,
                period_end=month_end(first),
                value=None if value is None else Decimal(str(value)),
                status="supplied" if value is not None else "not_supplied",
                not_supplied_reason="" if value is not None else "Not supplied by the force",
                source="demo",
                updated_at=now,
            )
        )
    Observation.objects.bulk_create(rows)


def periodic(
    partnership, code: str, period_type: str, spans, values, *, area=None, source: str = "demo"
) -> None:
    """Quarterly or annual figures: ``spans`` is a list of (start, end); ``source``
    "ons" for figures as the ONS tables importer stores them."""
    measure = Measure.objects.get(code=code)
    now = timezone.now()
    Observation.objects.bulk_create(
        Observation(
            partnership=partnership,
            measure=measure,
            area=area,
            period_type=period_type,
            period_start=start,
            period_end=end,
            value=Decimal(str(value)),
            source=source,
            updated_at=now,
        )
        for (start, end), value in zip(spans, values, strict=True)
    )
