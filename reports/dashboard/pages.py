"""The dashboard and a measure's page as plain data, built once per request.

Every choice a page makes lives here, not in its view: which period the reader asked
for, which charts each section draws, which peer group the measure is compared with,
and which tables can be downloaded. A view builds a page and renders it; a download
view builds the same page and writes one of its tables, so a download always holds
the rows the page shows.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from django.http import Http404, QueryDict
from django.urls import reverse

from crimestats.models import PeerGroup
from cspportal.lib.periods import Period, PeriodKind
from partnerships.selectors import PartnershipAccess
from reports import charts
from reports.dashboard import narrative, selectors, summary, tables
from reports.dashboard.forms import PeriodForm
from reports.dashboard.selectors import DashboardData, MeasureInfo
from reports.tables import Table

# The sections whose every measure gets a trend chart; the others chart their first
# measure only (a dozen crime charts would bury the tables).
CHART_EVERY_MEASURE = {"partnership"}
# The section that also charts its first measure by area.
AREA_CHART_SECTION = "crime"


@dataclass
class DrawnChart:
    """A chart and the table of the numbers it draws (printed under it)."""

    chart: charts.Chart
    table: Table


@dataclass
class PeriodChoice:
    """The period the reader chose (or the latest one with figures) and the
    comparisons for it; ``data`` is None while the partnership has no figures."""

    access: PartnershipAccess
    form: PeriodForm
    data: DashboardData | None
    query: str
    # False on the public pages, which have no measure pages to link to.
    linked: bool = True

    def measure_url(self) -> Callable[[MeasureInfo], str]:
        """A measure's page for the same period (no link when not ``linked``)."""
        if not self.linked:
            return lambda measure: ""
        slug = self.access.partnership.slug
        found: dict[str, str] = {}  # each measure's link is asked for by several tables

        def url_for(measure: MeasureInfo) -> str:
            if measure.code not in found:
                url = reverse("reports:measure_detail", args=[slug, measure.code])
                found[measure.code] = f"{url}?{self.query}" if self.query else url
            return found[measure.code]

        return url_for


def period_choice(
    access: PartnershipAccess, params: QueryDict, *, approved_only: bool = False
) -> PeriodChoice:
    """Read the period from the query string; without one, the latest period with
    figures (financial year to date by default). ``approved_only``: the publishable
    figures only (``selectors.publishable``), for the public pages."""
    catalogue = selectors.dashboard_catalogue(access.partnership, approved_only=approved_only)
    found = catalogue.data_range
    bound = "period" in params or "month" in params
    period: Period | None = selectors.default_period(found)
    initial = {
        "period": period.kind.value if period else PeriodKind.FYTD.value,
        "month": f"{period.end:%Y-%m}" if period else "",
    }
    form = PeriodForm(params if bound else None, initial=initial, months=found.months)
    chosen = bound and form.is_valid()
    if chosen:
        period = form.chosen_period
    data = (
        selectors.dashboard_data(
            access.partnership, period, catalogue=catalogue, approved_only=approved_only
        )
        if period is not None
        else None
    )
    query = params.urlencode() if chosen else ""
    return PeriodChoice(access, form, data, query, linked=not approved_only)


@dataclass
class Section:
    code: str
    title: str
    table: Table
    charts: list[DrawnChart]
    sentences: list[str]


@dataclass
class PageBase(ABC):
    choice: PeriodChoice

    def context(self) -> dict[str, Any]:
        """The page's fields, and the period choice's, as a template context."""
        context: dict[str, Any] = {
            "access": self.choice.access,
            "partnership": self.choice.access.partnership,
            "form": self.choice.form,
            "data": self.choice.data,
            "query": self.choice.query,
        }
        context.update({f.name: getattr(self, f.name) for f in fields(self) if f.name != "choice"})
        return context

    @property
    @abstractmethod
    def tables(self) -> list[Table]:
        """Every table the page prints, each downloadable by its id."""

    def table(self, table_id: str) -> Table:
        """One of the page's tables by its id, for a download."""
        for table in self.tables:
            if table.id == table_id:
                return table
        raise Http404("No such table.")

    @property
    def download_label(self) -> str:
        """The comparison the downloads are of, written in every row."""
        assert self.choice.data is not None
        return self.choice.data.labels.comparison


def _drawn(chart: charts.Chart | None) -> list[DrawnChart]:
    return [] if chart is None else [DrawnChart(chart, tables.chart_table(chart))]


@dataclass
class DashboardPage(PageBase):
    headlines: list[summary.Card] = field(default_factory=list)
    headline_trends: Table | None = None
    sections: list[Section] = field(default_factory=list)
    area_table: Table | None = None
    completeness: Table | None = None
    # Lines printed above the completeness table: the measures with no figures in
    # either year, named once, and the rows police.uk could not place.
    caveats: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    months_label: str = ""

    @property
    def tables(self) -> list[Table]:
        found = [s.table for s in self.sections]
        found += [d.table for s in self.sections for d in s.charts]
        found += [self.headline_trends] if self.headline_trends is not None else []
        found += [t for t in (self.area_table, self.completeness) if t is not None]
        return found


def dashboard_page(
    access: PartnershipAccess, params: QueryDict, *, approved_only: bool = False
) -> DashboardPage:
    """The dashboard: each section's table, sentences and charts, the areas, the
    missing figures and the method notes. ``approved_only`` is the public dashboard:
    the publishable figures only, and no links to the signed-in measure pages."""
    choice = period_choice(access, params, approved_only=approved_only)
    data = choice.data
    if data is None:
        return DashboardPage(choice)
    url_for = choice.measure_url()
    rows = data.rows_by_code
    sections = []
    for code, title, _ in selectors.SECTIONS:
        table = tables.comparison_table(data, code, url_for)
        if table is None:
            continue
        measures = [m for m in data.measures if m.section == code]
        charted = measures if code in CHART_EVERY_MEASURE else measures[:1]
        drawn = [d for m in charted for d in _drawn(tables.trend_chart(data, m))]
        if code == AREA_CHART_SECTION and measures:
            drawn += _drawn(tables.area_chart(data, measures[0]))
        sentences = [data.sentence(m, rows[m.code]) for m in measures]
        sections.append(Section(code, title, table, drawn, sentences))
    headlines = summary.cards(data, selectors.priority_measures(data.partnership), url_for)
    return DashboardPage(
        choice,
        headlines=headlines,
        headline_trends=summary.trend_table(headlines),
        sections=sections,
        area_table=tables.area_table(data, url_for),
        completeness=tables.completeness_table(data),
        caveats=[line for line in (tables.no_figures_line(data),) if line]
        + narrative.no_location_lines(selectors.no_location_counts(data.partnership, data.period)),
        notes=narrative.comparison_notes(data),
        months_label=selectors.records_by_source(data.partnership, approved_only=approved_only)
        or tables.months_label(None, None),
    )


@dataclass
class MeasurePage(PageBase):
    measure: MeasureInfo
    row: dict[Any, Any]  # the comparison row of the measure (reports.dashboard.analysis)
    sentence: str
    how_sure: str  # the test's method and p-value (narrative.test_words)
    comparison: Table
    charts: list[DrawnChart]
    area_table: Table | None
    groups: list[PeerGroup]
    group: PeerGroup | None
    peer_table: Table | None
    peer_chart: DrawnChart | None
    peer_window: Period | None
    notes: list[str]

    @property
    def tables(self) -> list[Table]:
        found = [self.comparison, *(d.table for d in self.charts)]
        found += [t for t in (self.area_table, self.peer_table) if t is not None]
        if self.peer_chart is not None:
            found.append(self.peer_chart.table)
        return found


def _chosen_group(groups: list[PeerGroup], value: str) -> PeerGroup | None:
    """The peer group asked for, or the first one; none for an unknown id."""
    if value.isdigit():
        return next((g for g in groups if g.pk == int(value)), None)
    return groups[0] if groups else None


def measure_page(access: PartnershipAccess, params: QueryDict, code: str) -> MeasurePage:
    """One measure: its comparison, its whole history, the same months in earlier
    years, its areas and its place in the chosen peer group."""
    choice = period_choice(access, params)
    data = choice.data
    if data is None:
        raise Http404("No figures yet.")
    measure = data.measure_by_code.get(code)
    if measure is None:
        raise Http404("This partnership has no figures for that measure.")
    url_for = choice.measure_url()
    row = data.rows_by_code[code]
    comparison = tables.comparison_table(data, measure.section, url_for)
    assert comparison is not None  # the measure is in its own section
    in_section = [m for m in data.measures if m.section == measure.section]
    comparison.rows = [
        r for r, m in zip(comparison.rows, in_section, strict=True) if m.code == code
    ]
    comparison.id = "comparison"
    history = selectors.measure_history(
        data.partnership, measure, data.period, area_count=len(data.areas)
    )
    drawn = _drawn(tables.long_trend_chart(measure, history))
    drawn += _drawn(tables.trend_chart(data, measure))
    drawn += _drawn(tables.area_chart(data, measure))
    groups = selectors.peer_groups(data.partnership)
    group = _chosen_group(groups, params.get("group", ""))
    peer_table = peer_chart = peer_window = None
    if group is not None:
        peer_window, peers = selectors.peer_figures(data.partnership, group, measure, data.period)
        peer_table = tables.peer_table(peers, measure, group, peer_window)
        found = _drawn(tables.peer_chart(peers, measure, data.partnership.name, peer_window))
        peer_chart = found[0] if found else None
    return MeasurePage(
        choice,
        measure=measure,
        row=row,
        sentence=data.sentence(measure, row),
        how_sure=narrative.test_words(row),
        comparison=comparison,
        charts=drawn,
        area_table=tables.area_table(data, url_for, [measure]),
        groups=groups,
        group=group,
        peer_table=peer_table,
        peer_chart=peer_chart,
        peer_window=peer_window,
        notes=narrative.comparison_notes(data, only=measure.code),
    )
