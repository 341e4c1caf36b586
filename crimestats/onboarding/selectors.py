"""Reads for Set up a partnership: the reference partnerships and their local
authorities from the ONS lookup."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from crimestats.models import GeographyLookup, Observation
from partnerships.models import Partnership
from partnerships.services import LocalAuthority

SEARCH_LIMIT = 50


def references_exist() -> bool:
    """Whether any ONS tables have been imported (they create the reference partnerships)."""
    return Partnership.objects.filter(is_reference=True).exists()


def reference_search(query: str) -> list[Partnership]:
    """Reference partnerships whose name contains the query or whose GSS code starts
    with it, at most ``SEARCH_LIMIT``."""
    query = query.strip()
    if not query:
        return []
    return list(
        Partnership.objects.filter(is_reference=True)
        .filter(Q(name__icontains=query) | Q(gss_code__istartswith=query))
        .order_by("name")[:SEARCH_LIMIT]
    )


@dataclass(frozen=True)
class SetUpPreview:
    """What setting up a reference partnership will give it, for checking first."""

    partnership: Partnership
    local_authorities: list[LocalAuthority]
    police_force_area: str
    ons_figures: int

    @property
    def suggested_lead_council(self) -> str:
        if len(self.local_authorities) == 1:
            return f"{self.local_authorities[0].name} Council"
        return ""


def set_up_preview(partnership: Partnership) -> SetUpPreview:
    """The partnership's local authorities from the ONS lookup of its code's vintage,
    and how many ONS figures it holds. A CSP of one local authority gives that area
    the CSP's published population; ONS publishes no population per local authority
    in these tables, so the areas of a larger CSP have none until a manager adds it."""
    rows = (
        list(
            GeographyLookup.objects.filter(
                csp_code=partnership.gss_code, vintage=partnership.gss_vintage
            ).order_by("lad_name")
        )
        if partnership.gss_vintage is not None
        else []
    )
    single = len(rows) == 1
    authorities = [
        LocalAuthority(
            code=row.lad_code,
            name=row.lad_name,
            population=partnership.population if single else None,
            population_year=partnership.population_year if single else None,
        )
        for row in rows
    ]
    counts = Observation.objects.filter(partnership=partnership).aggregate(
        n=Count("id", filter=Q(source=Observation.Source.ONS))
    )
    return SetUpPreview(
        partnership=partnership,
        local_authorities=authorities,
        police_force_area=rows[0].pfa_name if rows else "",
        ons_figures=counts["n"],
    )
