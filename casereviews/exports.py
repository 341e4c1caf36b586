"""The download of the four statutory figures: one row per financial year, with the
source, the "as at" date and the licence on every row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django.http import HttpResponse

from casereviews.models import CaseReviewPublication
from cspportal.lib.downloads import export_date, table_response
from cspportal.lib.periods import financial_year_label
from partnerships.models import Partnership

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0"
SOURCE = "ASB case review register of {name}"

HEADERS = [
    "Financial year",
    "Applications for an ASB case review",
    "Times the threshold was not met",
    "Case reviews carried out",
    "Case reviews that led to recommendations",
    "Status",
    "Source",
    "As at",
    "Licence",
]


class FourFigures(Protocol):
    @property
    def applications(self) -> int: ...
    @property
    def thresholds_not_met(self) -> int: ...
    @property
    def reviews(self) -> int: ...
    @property
    def reviews_with_recommendations(self) -> int: ...


def year_label(publication: CaseReviewPublication) -> str:
    return financial_year_label(publication.financial_year)


def figures_response(
    *,
    partnership: Partnership,
    rows: Sequence[tuple[int, FourFigures]],
    as_at: date,
    note: str,
) -> HttpResponse:
    source = SOURCE.format(name=partnership.name)
    return table_response(
        filename=f"case-reviews-{partnership.slug}-{as_at:%Y-%m-%d}",
        fmt="csv",
        headers=HEADERS,
        rows=[
            [
                financial_year_label(year),
                figures.applications,
                figures.thresholds_not_met,
                figures.reviews,
                figures.reviews_with_recommendations,
                note,
                source,
                export_date(as_at),
                LICENCE,
            ]
            for year, figures in rows
        ],
    )
