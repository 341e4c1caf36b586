"""Reads of the case review register, scoped to one partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Count
from django.http import Http404

from casereviews import figures
from casereviews.models import (
    CaseReviewApplication,
    CaseReviewPublication,
    CaseReviewSettings,
    Decision,
    Recommendation,
    YesNo,
)
from casereviews.timescales import NextStep
from cspportal.lib.periods import Period, financial_year, financial_year_of
from partnerships.models import Organisation, Partnership
from partnerships.selectors import PartnershipAccess


def may_record(access: PartnershipAccess) -> bool:
    """Whether this user records and edits applications: editors (and managers) who
    work for the council or the police, the bodies the Act makes answer for case
    reviews, and site administrators (who work for no organisation)."""
    if not access.is_editor:
        return False
    if access.organisation is None:
        return access.is_manager
    return access.organisation.type in (Organisation.Type.COUNCIL, Organisation.Type.POLICE)


def settings_for(partnership: Partnership) -> CaseReviewSettings:
    """The partnership's settings, or unsaved defaults when a manager has set none."""
    found = CaseReviewSettings.objects.filter(partnership=partnership).first()
    return found or CaseReviewSettings(partnership=partnership)


class Show(StrEnum):
    OPEN = "open"
    DUE = "due"
    OVERDUE = "overdue"
    CLOSED = "closed"
    ALL = "all"


SHOW_LABELS = {
    Show.OPEN: "Open (due and overdue)",
    Show.DUE: "Due, not yet late",
    Show.OVERDUE: "Overdue",
    Show.CLOSED: "Closed",
    Show.ALL: "All applications",
}


@dataclass(frozen=True)
class RegisterRow:
    application: CaseReviewApplication
    step: NextStep
    recommendation_count: int


@dataclass(frozen=True)
class Register:
    rows: list[RegisterRow]
    open_count: int
    overdue_count: int
    closed_count: int


def register(partnership: Partnership, *, show: Show, today: date) -> Register:
    """The applications with their next step, soonest due first (closed ones newest
    first), filtered by ``show``. Two queries whatever the number of applications."""
    rules = settings_for(partnership).timescales
    applications = (
        CaseReviewApplication.objects.filter(partnership=partnership)
        .select_related("receiving_organisation")
        .annotate(recommendation_total=Count("recommendations"))
        .order_by("-received_on", "reference")
    )
    every = [
        RegisterRow(a, a.next_step(rules, today), a.recommendation_total) for a in applications
    ]
    closed = [r for r in every if r.step.is_closed]
    still_open = sorted(
        (r for r in every if not r.step.is_closed), key=lambda r: r.step.due or today
    )
    overdue = [r for r in still_open if r.step.is_overdue]
    chosen = {
        Show.OPEN: still_open,
        Show.DUE: [r for r in still_open if not r.step.is_overdue],
        Show.OVERDUE: overdue,
        Show.CLOSED: closed,
        Show.ALL: still_open + closed,
    }[show]
    return Register(chosen, len(still_open), len(overdue), len(closed))


def application_get(partnership: Partnership, pk: int) -> CaseReviewApplication:
    found = (
        CaseReviewApplication.objects.filter(partnership=partnership, pk=pk)
        .select_related("receiving_organisation", "partnership")
        .first()
    )
    if found is None:
        raise Http404("No such application.")
    return found


def recommendations_of(application: CaseReviewApplication) -> list[Recommendation]:
    return list(
        application.recommendations.select_related("owner", "action__objective__plan").order_by(
            "id"
        )
    )


def recommendation_get(application: CaseReviewApplication, pk: int) -> Recommendation:
    found = application.recommendations.filter(pk=pk).select_related("owner").first()
    if found is None:
        raise Http404("No such recommendation.")
    return found


def register_dates(partnership: Partnership) -> list[figures.RegisterDates]:
    """What the figures need of every application, in one query."""
    rows = CaseReviewApplication.objects.filter(partnership=partnership).values_list(
        "received_on", "threshold_met", "decided_on", "reviewed_on", "recommendations_made"
    )
    met: dict[str, bool] = {Decision.MET: True, Decision.NOT_MET: False}
    return [
        figures.RegisterDates(
            received_on=received,
            threshold_met=met.get(decision),
            decided_on=decided if decision != Decision.PENDING else None,
            reviewed_on=reviewed,
            recommendations=recommendations == YesNo.YES,
        )
        for received, decision, decided, reviewed, recommendations in rows
    ]


@dataclass(frozen=True)
class YearFigures:
    period: Period
    figures: figures.StatutoryFigures
    publication: CaseReviewPublication | None


def figures_by_year(partnership: Partnership, today: date) -> list[YearFigures]:
    """The four figures of every financial year from the first application's to the
    current one, newest first, with the latest publication of each year."""
    rows = register_dates(partnership)
    days = [d for row in rows for d in figures.event_days(row)]
    published = latest_publications(partnership)
    by_year = {p.financial_year: p for p in published}
    first_years = [financial_year_of(d) for d in days] + list(by_year)
    if not first_years:
        return []
    first = min(first_years)
    last = max(financial_year_of(today), *first_years)
    years = []
    for year in range(last, first - 1, -1):
        period = financial_year(year)
        years.append(
            YearFigures(period, figures.count(rows, period.start, period.end), by_year.get(year))
        )
    return years


def figures_for(partnership: Partnership, start: date, end: date) -> figures.StatutoryFigures:
    return figures.count(register_dates(partnership), start, end)


def latest_publications(partnership: Partnership) -> list[CaseReviewPublication]:
    """The newest publication of each financial year, newest year first."""
    newest: dict[int, CaseReviewPublication] = {}
    for publication in CaseReviewPublication.objects.filter(partnership=partnership).order_by(
        "-financial_year", "-published_at", "-id"
    ):
        newest.setdefault(publication.financial_year, publication)
    return list(newest.values())
