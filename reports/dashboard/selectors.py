"""The data step of the dashboards: fetch one partnership's figures for a period and
compare them, in a fixed number of queries whatever the number of measures or areas.

Queries (each one, whatever the partnership's size):

1. the measure catalogue (a few dozen rows) and 2. the partnership's chosen measures;
3. its areas; 4. the first and latest month with data;
5. the whole-partnership series, aggregated in SQL to one row per measure and period
   (the sum and count of area figures and the whole-partnership figure), with the
   ONS years ending of the monthly measures in the same rows;
6. the area figures of the current and previous periods, for the area breakdown.

The measure page adds its peer group and the peers' figures (three more queries).

``approved_only`` (the public pages, ``publishing``) reads only the figures that may be
published: approved ones, and those imported from published sources (police.uk, the
ONS tables), in the same queries with one more condition each.

``dashboard_comparison(partnership, period)`` is the entry point for code without a
request (the PDF report): it returns the comparison table and the headline sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import (
    Count,
    Exists,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce

from actionplans.models import MeasureTarget
from crimestats import comparisons
from crimestats.models import (
    Measure,
    Observation,
    PartnershipMeasure,
    PeerGroup,
    UnallocatedCount,
)
from cspportal.lib.compiled import CompiledQuery
from cspportal.lib.periods import (
    ComparedLabels,
    Period,
    PeriodKind,
    PeriodType,
    add_months,
    annual_window,
    compared_labels,
    financial_year_of,
    index_to_date,
    month_end,
    month_label,
    month_run_label,
    period_for,
    year_ending,
)
from partnerships.models import Area, Partnership
from reports.dashboard import analysis, narrative

PERIOD_TYPE_OF = {
    "monthly": PeriodType.MONTH,
    "quarterly": PeriodType.QUARTER,
    "annual": PeriodType.FINANCIAL_YEAR,
}
SECTIONS = [
    ("crime", "Recorded crime", ("crime", "flag")),
    ("incidents", "Anti-social behaviour and other incidents", ("incident",)),
    ("partnership", "Partnership measures", ("partnership", "survey")),
]
TREND_YEARS = 3


@dataclass(frozen=True)
class MeasureInfo:
    id: int
    code: str
    name: str
    group: str
    unit: str
    polarity: str
    kind: str
    aggregation: str
    frequency: str
    is_headline: bool
    is_additive: bool

    @property
    def short_name(self) -> str:
        """The name without its bracketed gloss: "All crime"."""
        return self.name.split(" (")[0]

    @property
    def section(self) -> str:
        return next(code for code, _, kinds in SECTIONS if self.kind in kinds)


@dataclass
class DataRange:
    """The months a partnership's figures cover. ``latest_monthly`` is the latest month
    with a monthly figure; ``latest_year_ending`` the last month of the newest ONS
    year ending of a monthly or quarterly measure (the ONS tables' whole years)."""

    first_month: date | None
    latest_month: date | None
    latest_monthly: date | None = None
    latest_year_ending: date | None = None

    @property
    def months(self) -> list[date]:
        """Every month with data, newest first (for the period form)."""
        if self.first_month is None or self.latest_month is None:
            return []
        out, month = [], self.latest_month
        while month >= self.first_month:
            out.append(month)
            month = add_months(month, -1)
        return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of Python values, as ``to_dict("records")`` gives
    them (pandas' NA as None), column by column: three times faster on a
    comparison's few dozen columns."""
    columns = [str(c) for c in frame.columns]
    values = []
    for name in frame.columns:
        column = frame[name]
        found = column.tolist()
        if isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
            found = [None if v is pd.NA else v for v in found]
        values.append(found)
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


@dataclass
class DashboardData:
    """Everything a dashboard shows for one partnership and period."""

    partnership: Partnership
    period: Period
    data_range: DataRange
    measures: list[MeasureInfo]
    areas: list[Area]
    meta: pd.DataFrame
    series: pd.DataFrame
    area_series: pd.DataFrame
    year_figures: pd.DataFrame
    comparison: pd.DataFrame
    area_comparison: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def previous(self) -> Period:
        return self.period.previous_year()

    # The comparison rows as plain dicts, made once per page: every table, card and
    # sentence reads them, and pandas' to_dict costs a millisecond or more each time.
    @cached_property
    def records(self) -> list[dict[str, Any]]:
        """The comparison, one dict per measure, in the measures' order. Read only."""
        return _records(self.comparison)

    @cached_property
    def rows_by_code(self) -> dict[str, dict[str, Any]]:
        return {row["measure"]: row for row in self.records}

    @cached_property
    def area_records(self) -> list[dict[str, Any]]:
        """The area comparison, one dict per measure and area. Read only."""
        return _records(self.area_comparison)

    @property
    def measure_by_code(self) -> dict[str, MeasureInfo]:
        return {m.code: m for m in self.measures}

    @property
    def trend_first_fy(self) -> int:
        return financial_year_of(self.period.end) - TREND_YEARS

    @property
    def labels(self) -> ComparedLabels:
        """The comparison's labels, naming the months actually compared when every
        monthly measure compared the same months and some of the period's months
        were left out ("May to June 2024 compared with May to June 2023; April 2024
        not supplied"); otherwise the period's own labels, and the notes name each
        measure's gaps."""
        monthly = {m.code for m in self.measures if m.frequency == "monthly"}
        sets = {
            tuple(row["compared"])
            for row in self.records
            if row["measure"] in monthly and row["used"] > 0 and row["basis"] == "months"
        }
        if len(sets) != 1:
            return compared_labels(self.period)
        return compared_labels(self.period, [index_to_date(m) for m in next(iter(sets))])

    # Each measure's figures, gathered in one pass over the series: a page asks for
    # them once a measure for its sentence and again for its card.
    @cached_property
    def _figures(self) -> dict[str, dict[int, float]]:
        found: dict[str, dict[int, float]] = {}
        series = self.series
        for code, m, v in zip(
            series["measure"].tolist(),
            series["month"].tolist(),
            series["value"].tolist(),
            strict=True,
        ):
            if v == v:  # not NaN
                found.setdefault(code, {})[int(m)] = float(v)
        return found

    @cached_property
    def _area_figures(self) -> dict[str, dict[int, dict[int, float]]]:
        found: dict[str, dict[int, dict[int, float]]] = {}
        series = self.area_series
        for code, area, m, v in zip(
            series["measure"].tolist(),
            series["area"].tolist(),
            series["month"].tolist(),
            series["value"].tolist(),
            strict=True,
        ):
            if v == v:  # not NaN
                found.setdefault(code, {}).setdefault(int(area), {})[int(m)] = float(v)
        return found

    def figures_of(self, code: str) -> dict[int, float]:
        """A measure's supplied whole-partnership figures up to the end of the period
        (month index of each figure's first month -> value)."""
        return dict(self._figures.get(code, {}))

    def area_figures_of(self, code: str) -> dict[int, dict[int, float]]:
        """A measure's supplied area figures: area id -> month index -> value."""
        return {area: dict(f) for area, f in self._area_figures.get(code, {}).items()}

    def sentence(self, measure: MeasureInfo, row: dict) -> str:
        """The measure's sentence (``narrative.measure_sentence``). A partnership
        measure on record only for some areas (a survey of one district) gives each
        area's latest figure, named by area, rather than calling the figure missing."""
        whole = self.figures_of(measure.code)
        if measure.kind in narrative.PARTNERSHIP_KINDS and not whole:
            names = {a.id: a.name for a in self.areas}
            by_area = self.area_figures_of(measure.code)
            found = [
                (
                    names.get(area, ""),
                    narrative.latest_figure(measure, figures, measure.aggregation),
                )
                for area, figures in sorted(by_area.items(), key=lambda i: names.get(i[0], ""))
            ]
            lines = [narrative.latest_sentence(measure, f, area=a) for a, f in found if f]
            if lines:
                return " ".join(lines)
        return narrative.measure_sentence(measure, row, self.period, whole, measure.aggregation)


@dataclass
class Catalogue:
    """The measures a partnership can show (with whether it chose each and whether it
    has figures) and the months its figures cover."""

    measures: list[MeasureInfo]
    data_range: DataRange


# Figures a public page may show: approved in a data return, or imported from a source
# that publishes them itself (police.uk, the ONS tables), which no one approves here.
PUBLISHED_SOURCES = [Observation.Source.POLICEUK, Observation.Source.ONS]


def publishable(approved_only: bool, prefix: str = "") -> Q:
    """The condition on figures of an ``approved_only`` read (none otherwise)."""
    if not approved_only:
        return Q()
    return Q(**{f"{prefix}is_approved": True}) | Q(**{f"{prefix}source__in": PUBLISHED_SOURCES})


def _probe(
    partnership_id: int,
    period_type: str,
    field: str,
    newest: bool,
    approved_only: bool = False,
    **only,
) -> Subquery:
    """One figure's date for the outer measure: a single descent of
    ``observation_dashboard_idx`` (partnership, measure, period_type, period_start)."""
    return Subquery(
        Observation.objects.filter(
            publishable(approved_only),
            partnership_id=partnership_id,
            measure=OuterRef("pk"),
            period_type=period_type,
            status=Observation.Status.SUPPLIED,
            **only,
        )
        .order_by("-period_start" if newest else "period_start")
        .values(field)[:1]
    )


def _catalogue_rows(partnership_id: int, approved_only: bool = False) -> QuerySet[Any, Any]:
    chosen = PartnershipMeasure.objects.filter(
        partnership_id=partnership_id, measure=OuterRef("pk")
    )
    pid, only = partnership_id, approved_only
    return (
        Measure.objects.filter(is_active=True)
        .annotate(
            chosen=Exists(chosen),
            headline=Exists(chosen.filter(is_headline=True)),
            first_month=_probe(pid, "month", "period_start", False, only),
            latest_month=_probe(pid, "month", "period_start", True, only),
            first_quarter=_probe(pid, "quarter", "period_start", False, only),
            latest_quarter_end=_probe(pid, "quarter", "period_end", True, only),
            first_year=_probe(pid, PeriodType.FINANCIAL_YEAR, "period_start", False, only),
            latest_year_end=_probe(pid, PeriodType.FINANCIAL_YEAR, "period_end", True, only),
            first_year_ending=_probe(pid, PeriodType.YEAR_ENDING, "period_start", False, only),
            latest_year_ending_end=_probe(pid, PeriodType.YEAR_ENDING, "period_end", True, only),
            latest_ons_end=_probe(
                pid,
                PeriodType.YEAR_ENDING,
                "period_end",
                True,
                only,
                source=Observation.Source.ONS,
                area__isnull=True,
            ),
        )
        .order_by("display_order", "name")
        .values_list(
            "id",
            "code",
            "name",
            "group",
            "unit",
            "polarity",
            "kind",
            "aggregation",
            "frequency",
            "chosen",
            "headline",
            "first_month",
            "latest_month",
            "first_quarter",
            "latest_quarter_end",
            "first_year",
            "latest_year_end",
            "first_year_ending",
            "latest_year_ending_end",
            "latest_ons_end",
        )
    )


def _published_catalogue_rows(partnership_id: int) -> QuerySet[Any, Any]:
    return _catalogue_rows(partnership_id, approved_only=True)


_CATALOGUE = CompiledQuery(_catalogue_rows)
_PUBLISHED_CATALOGUE = CompiledQuery(_published_catalogue_rows)


def _day(value: date | str | None) -> date | None:
    # Straight from the cursor, SQLite gives dates as ISO text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def dashboard_catalogue(partnership: Partnership, *, approved_only: bool = False) -> Catalogue:
    """The active measures, each with whether the partnership reports it, and the
    first and latest figure it has of each period type. One query, compiled once per
    process: each measure costs a handful of index probes, never a scan of the
    partnership's figures. ``approved_only``: of the publishable figures only."""
    compiled = _PUBLISHED_CATALOGUE if approved_only else _CATALOGUE
    rows = compiled.rows(partnership_id=partnership.pk)
    measures, firsts, latest_months, latest_ends, year_endings = [], [], [], [], []
    for row in rows:
        (id_, code, name, group, unit, polarity, kind, aggregation, frequency) = row[:9]
        chosen_, headline = bool(row[9]), bool(row[10])
        first_m, latest_m, first_q, latest_q, first_y, latest_y, first_ye, latest_ye, latest_ons = (
            _day(v) for v in row[11:20]
        )
        has_data = any(v is not None for v in (latest_m, latest_q, latest_y, latest_ye))
        firsts += [d for d in (first_m, first_q, first_y, first_ye) if d is not None]
        if latest_m is not None:
            latest_months.append(latest_m)
        latest_ends += [d for d in (latest_q, latest_y, latest_ye) if d is not None]
        if latest_ons is not None and frequency != "annual":
            year_endings.append(latest_ons.replace(day=1))
        if not (chosen_ or has_data):
            continue
        measures.append(
            MeasureInfo(
                id=id_,
                code=code,
                name=name,
                group=group,
                unit=unit,
                polarity=polarity,
                kind=kind,
                aggregation=aggregation,
                frequency=frequency,
                is_headline=headline,
                is_additive=unit in ("count", "gbp") and aggregation == "sum",
            )
        )
    latest_monthly = max(latest_months) if latest_months else None
    latest_year_ending = max(year_endings) if year_endings else None
    if latest_monthly is not None:
        # An ONS year ending newer than every monthly figure can still be chosen.
        latest = max(latest_monthly, latest_year_ending or latest_monthly)
    elif latest_ends:
        latest = max(latest_ends).replace(day=1)
    else:
        latest = None
    first = min(firsts).replace(day=1) if firsts else None
    order = {code: i for i, (code, _, _) in enumerate(SECTIONS)}
    measures.sort(key=lambda m: order[m.section])
    return Catalogue(measures, DataRange(first, latest, latest_monthly, latest_year_ending))


def data_range(partnership: Partnership) -> DataRange:
    """The first month with any supplied figure and the latest monthly one (or the
    latest quarterly or annual figure's last month when there are no monthly ones)."""
    return dashboard_catalogue(partnership).data_range


def default_period(data: DataRange, kind: PeriodKind | str | None = None) -> Period | None:
    """The period a dashboard opens on: the financial year to date up to the latest
    month with data; but when the newest figures are ONS years ending (no monthly
    figure as recent, as for a partnership known only from the ONS tables), the
    latest year ending, which is what those figures can compare. With ``kind``, that
    kind of period up to the latest month."""
    if data.latest_month is None:
        return None
    if kind is None:
        ending = data.latest_year_ending
        if ending is not None and (data.latest_monthly is None or ending > data.latest_monthly):
            return year_ending(ending)
        kind = PeriodKind.FYTD
    return period_for(kind, data.latest_month)


def series_window(period: Period, years: int = analysis.EARLIER_YEARS) -> tuple[date, date]:
    """The months the dashboard reads: back far enough for the three-year average,
    the annual measures' last complete year and the financial-year trend charts."""
    earliest = min(period.start, annual_window(period).start)
    start = date(financial_year_of(earliest) - max(years, TREND_YEARS), 4, 1)
    return start, period.end


def _month_indexes(days: list[date | str]) -> list[int]:
    """Each first day's month index (``year * 12 + month - 1``); SQLite's cursor gives
    the dates as ISO text. In Python, because grouping by the index in SQL costs
    PostgreSQL more than this loop does."""
    return [
        int(d[:4]) * 12 + int(d[5:7]) - 1 if isinstance(d, str) else d.year * 12 + d.month - 1
        for d in days
    ]


# Every period type a measure's figures can be of: monthly, quarterly and annual
# measures' own, and the ONS years ending.
_PERIOD_TYPES = [*PERIOD_TYPE_OF.values(), PeriodType.YEAR_ENDING]


def _ids_by_period_type(
    measures: list[MeasureInfo], *, with_years_ending: bool = False
) -> dict[str, Any]:
    """The measures' ids under each period type ("month", "quarter", ...), the
    arguments of a compiled query: each measure's figures of its own frequency, so
    that the database returns no row the comparison would drop; with
    ``with_years_ending`` also the years ending of the monthly and quarterly ones."""
    found: dict[str, list[int]] = {str(t): [] for t in _PERIOD_TYPES}
    for m in measures:
        found[PERIOD_TYPE_OF[m.frequency]].append(m.id)
    if with_years_ending:
        found[PeriodType.YEAR_ENDING] = [m.id for m in measures if m.frequency != "annual"]
    return found


def _of_period_types(ids: dict[str, list[int]]) -> Q:
    found = Q(pk__in=[])
    for period_type in _PERIOD_TYPES:
        found |= Q(period_type=period_type, measure_id__in=ids[period_type])
    return found


def _in_window(end: date) -> Q:
    # A financial year's figure counts once its year has begun: a residents' survey of
    # 2017/18 is the latest figure of a period ending in January 2018.
    return Q(period_end__lte=end) | Q(period_type=PeriodType.FINANCIAL_YEAR, period_start__lte=end)


def _whole_rows(
    partnership_id: int, start: date, end: date, approved_only: bool = False, **ids: list[int]
) -> QuerySet[Any, Any]:
    return (
        Observation.objects.filter(
            _of_period_types(ids),
            _in_window(end),
            publishable(approved_only),
            partnership_id=partnership_id,
            status=Observation.Status.SUPPLIED,
            period_start__gte=start,
        )
        .values("measure_id", "period_type", "period_start")
        .annotate(
            whole_value=Sum(Cast("value", FloatField()), filter=Q(area__isnull=True)),
            whole_supplied=Count("id", filter=Q(area__isnull=True)),
            area_sum=Sum(Cast("value", FloatField()), filter=Q(area__isnull=False)),
            area_supplied=Count("id", filter=Q(area__isnull=False)),
            ons_supplied=Count("id", filter=Q(area__isnull=True, source=Observation.Source.ONS)),
        )
        .order_by()
        .values_list(
            "measure_id",
            "period_type",
            "period_start",
            "whole_value",
            "whole_supplied",
            "area_sum",
            "area_supplied",
            "ons_supplied",
        )
    )


def _area_figures(
    partnership_id: int, start: date, end: date, approved_only: bool = False, **ids: list[int]
) -> QuerySet[Any, Any]:
    return (
        Observation.objects.filter(
            _of_period_types(ids),
            _in_window(end),
            publishable(approved_only),
            partnership_id=partnership_id,
            status=Observation.Status.SUPPLIED,
            area__isnull=False,
            period_start__gte=start,
        )
        .order_by()
        .annotate(number=Cast("value", FloatField()))
        .values_list("measure_id", "area_id", "period_start", "number")
    )


def _published_whole_rows(
    partnership_id: int, start: date, end: date, **ids: list[int]
) -> QuerySet[Any, Any]:
    return _whole_rows(partnership_id, start, end, approved_only=True, **ids)


def _published_area_figures(
    partnership_id: int, start: date, end: date, **ids: list[int]
) -> QuerySet[Any, Any]:
    return _area_figures(partnership_id, start, end, approved_only=True, **ids)


_WHOLE_ROWS = CompiledQuery(_whole_rows)
_AREA_FIGURES = CompiledQuery(_area_figures)
_PUBLISHED_WHOLE_ROWS = CompiledQuery(_published_whole_rows)
_PUBLISHED_AREA_FIGURES = CompiledQuery(_published_area_figures)


def _whole_series(
    partnership: Partnership,
    measures: list[MeasureInfo],
    start: date,
    end: date,
    approved_only: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per measure and period of the measure's own frequency: the partnership
    total (see ``comparisons.partnership_series``), aggregated in SQL from the area and
    whole-partnership figures. And, from the same rows, the ONS years ending of the
    monthly and quarterly measures (``measure``, ``month`` of the year's first month,
    ``value``), which a year ending falls back on when its months are incomplete."""
    code_of = {m.id: m.code for m in measures}
    compiled = _PUBLISHED_WHOLE_ROWS if approved_only else _WHOLE_ROWS
    rows = compiled.rows(
        partnership_id=partnership.pk,
        start=start,
        end=end,
        **_ids_by_period_type(measures, with_years_ending=True),
    )
    # Straight into NumPy columns: a DataFrame of the rows, then split, costs a
    # dozen pandas calls a request.
    ids, types, starts, whole_value, whole_supplied, area_sum, area_supplied, ons = (
        list(zip(*rows, strict=True)) or [()] * 8
    )
    codes = np.array([code_of[i] for i in ids], dtype=object)
    months = np.array(_month_indexes(list(starts)), dtype=int)
    ending = np.array([t == PeriodType.YEAR_ENDING for t in types], dtype=bool)
    values = np.array(whole_value, dtype=float)
    # No measure's own figures are years ending: those rows are the ONS tables'.
    own = ~ending
    years = ending & (np.array(ons, dtype=int) > 0)
    return (
        pd.DataFrame(
            {
                "measure": codes[own],
                "month": months[own],
                "whole_value": values[own],
                "whole_supplied": np.array(whole_supplied, dtype=int)[own],
                "area_sum": np.array(area_sum, dtype=float)[own],
                "area_supplied": np.array(area_supplied, dtype=int)[own],
            }
        ),
        pd.DataFrame({"measure": codes[years], "month": months[years], "value": values[years]}),
    )


def _area_rows(
    partnership: Partnership,
    measures: list[MeasureInfo],
    start: date,
    end: date,
    approved_only: bool = False,
) -> pd.DataFrame:
    code_of = {m.id: m.code for m in measures}
    compiled = _PUBLISHED_AREA_FIGURES if approved_only else _AREA_FIGURES
    rows = compiled.rows(
        partnership_id=partnership.pk, start=start, end=end, **_ids_by_period_type(measures)
    )
    ids, areas, starts, values = list(zip(*rows, strict=True)) or [()] * 4
    return pd.DataFrame(
        {
            "measure": np.array([code_of[i] for i in ids], dtype=object),
            "area": np.array(areas, dtype=int),
            "month": np.array(_month_indexes(list(starts)), dtype=int),
            "value": np.array(values, dtype=float),
        }
    )


def _meta(measures: list[MeasureInfo]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [m.name for m in measures],
            "unit": [m.unit for m in measures],
            "polarity": [m.polarity for m in measures],
            "kind": [m.kind for m in measures],
            "aggregation": [m.aggregation for m in measures],
            "frequency": [m.frequency for m in measures],
        },
        index=pd.Index([m.code for m in measures], name="code"),
    )


def dashboard_data(
    partnership: Partnership,
    period: Period | None = None,
    *,
    catalogue: Catalogue | None = None,
    found: DataRange | None = None,
    approved_only: bool = False,
) -> DashboardData | None:
    """Fetch and compare everything a dashboard shows. ``period`` defaults to
    ``default_period`` (the financial year to date up to the latest month with data,
    or the latest ONS year ending when that is newer); None when the partnership has
    no figures at all. Four queries (three when the view has
    already read the ``catalogue``): the catalogue, the areas, the
    whole-partnership series and the area figures. ``found`` is accepted for
    callers that pass a data range they read themselves. ``approved_only`` reads
    the publishable figures only (``publishable``); a ``catalogue`` passed in must
    have been read the same way."""
    catalogue = catalogue or dashboard_catalogue(partnership, approved_only=approved_only)
    found = found or catalogue.data_range
    period = period or default_period(found)
    if period is None:
        return None
    measures = catalogue.measures
    areas = list(Area.objects.filter(partnership=partnership).order_by("name"))
    start, end = series_window(period)
    whole, year_figures = _whole_series(partnership, measures, start, end, approved_only)
    compare_start = add_months(min(period.start, annual_window(period).start), -12)
    area_rows = _area_rows(partnership, measures, compare_start, end, approved_only)
    meta = _meta(measures)
    series = comparisons.partnership_series(
        whole,
        area_count=len(areas),
        additive={m.code for m in measures if m.is_additive},
    )
    comparison = analysis.compare(
        series,
        meta,
        period,
        key_values=pd.DataFrame({"measure": meta.index.to_list()}),
        year_figures=year_figures,
    )
    area_keys = pd.DataFrame(
        {
            "measure": [m.code for m in measures for _ in areas],
            "area": [a.id for _ in measures for a in areas],
        }
    )
    area_comparison = analysis.compare(
        area_rows,
        meta,
        period,
        keys=("measure", "area"),
        key_values=area_keys,
        years=1,
    )
    return DashboardData(
        partnership=partnership,
        period=period,
        data_range=found,
        measures=measures,
        areas=areas,
        meta=meta,
        series=series,
        area_series=area_rows,
        year_figures=year_figures,
        comparison=comparison,
        area_comparison=area_comparison,
    )


def priority_measures(partnership: Partnership) -> list[tuple[str, str]]:
    """The measures the partnership's action plans set targets for, each with the
    priority its objective serves ("" when none): (measure code, priority name), the
    newest plan first, each measure once. One query."""
    rows = (
        MeasureTarget.objects.for_partnership(partnership)
        .annotate(
            plan_year=Coalesce(
                "objective__plan__start_year", "action__objective__plan__start_year"
            ),
            priority_name=Coalesce(
                "objective__priority__name", "action__objective__priority__name"
            ),
        )
        .order_by("-plan_year", "priority_name", "pk")
        .values_list("measure__code", "priority_name")
    )
    found: dict[str, str] = {}
    for code, priority in rows:
        found.setdefault(code, priority or "")
    return list(found.items())


@dataclass
class ComparisonReport:
    """The comparison table and headline sentences for a partnership and period,
    for code without a request (the PDF report)."""

    period: Period
    label: str
    table: pd.DataFrame
    sentences: dict[str, str]
    notes: list[str]


def dashboard_comparison(
    partnership: Partnership, period: Period | None = None
) -> ComparisonReport | None:
    """The comparison table (one row per measure: name, unit, current, previous,
    change, pct_change, small_base, p_value, significant, assessment, average, ...)
    and a headline sentence per measure. None when there are no figures."""
    data = dashboard_data(partnership, period)
    if data is None:
        return None
    table = data.comparison.merge(
        pd.DataFrame(
            [
                {"measure": m.code, "name": m.name, "unit": m.unit, "kind": m.kind}
                for m in data.measures
            ]
        ),
        on="measure",
    )
    sentences = {
        m.code: data.sentence(m, row) for m, row in zip(data.measures, data.records, strict=True)
    }
    return ComparisonReport(
        period=data.period,
        label=data.labels.comparison,
        table=table,
        sentences=sentences,
        notes=narrative.comparison_notes(data),
    )


def measure_history(
    partnership: Partnership, measure: MeasureInfo, period: Period, *, area_count: int
) -> pd.DataFrame:
    """The measure's whole-partnership figures from the first one on record to the end
    of the period: ``month`` (month index of the figure's first month) and ``value``
    (NaN when missing, including a month some areas did not supply). One query."""
    rows = (
        Observation.objects.filter(
            partnership=partnership,
            measure_id=measure.id,
            period_type=PERIOD_TYPE_OF[measure.frequency],
            status=Observation.Status.SUPPLIED,
            period_end__lte=period.end,
        )
        .values("measure_id", "period_type", "period_start")
        .annotate(
            whole_value=Sum("value", filter=Q(area__isnull=True)),
            whole_supplied=Count("id", filter=Q(area__isnull=True)),
            area_sum=Sum("value", filter=Q(area__isnull=False)),
            area_supplied=Count("id", filter=Q(area__isnull=False)),
        )
        .order_by()
    )
    frame = pd.DataFrame(
        list(rows),
        columns=[
            "measure_id",
            "period_type",
            "period_start",
            "whole_value",
            "whole_supplied",
            "area_sum",
            "area_supplied",
        ],
    )
    if frame.empty:
        return pd.DataFrame(columns=["month", "value"])
    frame["measure"] = measure.code
    frame["month"] = [d.year * 12 + d.month - 1 for d in frame["period_start"]]
    series = comparisons.partnership_series(
        frame,
        area_count=area_count,
        additive={measure.code} if measure.is_additive else set(),
    )
    step = {"monthly": 1, "quarterly": 3, "annual": 12}[measure.frequency]
    first, last = int(series["month"].min()), int(series["month"].max())
    months = pd.DataFrame({"month": range(first, last + 1, step)})
    return months.merge(series[["month", "value"]], on="month", how="left")


# --- peers -----------------------------------------------------------------------


def peer_groups(partnership: Partnership) -> list[PeerGroup]:
    """The partnership's peer groups with their members. Two queries."""
    return list(
        PeerGroup.objects.filter(partnership=partnership)
        .prefetch_related("members")
        .order_by("name")
    )


PEER_COLUMNS = [
    "partnership",
    "name",
    "value",
    "population",
    "is_self",
    "published_rate",
    "rate_note",
    "published_pct_change",
    "pct_change_note",
]


def peer_figures(
    partnership: Partnership, group: PeerGroup, measure: MeasureInfo, period: Period
) -> tuple[Period, pd.DataFrame]:
    """Each member's figure for the year ending with the period (ONS tables publish
    years ending), its population and rate per 1,000, rank and distance from the group
    average. A member's figure is its annual figure for exactly that year, else the sum
    of twelve monthly (or four quarterly) figures when none is missing.

    The rate is the one ONS publishes for that very figure (its year-ending figure from
    the ONS tables), else the figure over the population; a rate ONS withholds is
    left out (``rate_note`` says why), and ONS's % change comes along
    (``published_pct_change``, or ``pct_change_note``). Two queries."""
    window = year_ending(period.end)
    published = Q(
        area__isnull=True,
        period_type=PeriodType.YEAR_ENDING,
        period_start=window.start,
        period_end=window.end,
    )
    members = [p for p in group.members.all() if p.pk != partnership.pk]
    ids = [partnership.pk, *[p.pk for p in members]]
    people = {
        row["id"]: row
        for row in Partnership.objects.filter(pk__in=ids)
        .annotate(area_population=Sum("areas__population"), area_count=Count("areas"))
        .values("id", "name", "population", "area_population", "area_count")
    }
    rows = (
        Observation.objects.filter(
            partnership_id__in=ids,
            measure_id=measure.id,
            status=Observation.Status.SUPPLIED,
            period_start__gte=window.start,
            period_end__lte=window.end,
        )
        .values("partnership_id", "period_type")
        .annotate(
            whole_value=Sum("value", filter=Q(area__isnull=True)),
            whole_supplied=Count("id", filter=Q(area__isnull=True)),
            area_sum=Sum("value", filter=Q(area__isnull=False)),
            area_supplied=Count("id", filter=Q(area__isnull=False)),
            # One figure at most matches: Max only picks its value out of the group.
            published_rate=Max("published_rate", filter=published),
            rate_note=Max("published_rate_note", filter=published),
            published_pct_change=Max("published_pct_change", filter=published),
            pct_change_note=Max("published_pct_change_note", filter=published),
        )
        .order_by()
    )
    figures: dict[int, dict[str, dict[str, Any]]] = {}
    for found in rows:
        figures.setdefault(found["partnership_id"], {})[found["period_type"]] = dict(found)
    needed = {
        PeriodType.YEAR_ENDING: 1,
        PeriodType.FINANCIAL_YEAR: 1,
        PeriodType.QUARTER: 4,
        PeriodType.MONTH: 12,
    }
    records = []
    for pid in ids:
        person = people.get(pid)
        if person is None:
            continue
        value = None
        ons: dict[str, Any] = {}
        for period_type, count in needed.items():
            row = figures.get(pid, {}).get(period_type)
            if row is None:
                continue
            if row["whole_supplied"] == count:
                value = float(row["whole_value"])
                ons = row if period_type == PeriodType.YEAR_ENDING else {}
                break
            if (
                measure.is_additive
                and person["area_count"]
                and row["area_supplied"] == count * person["area_count"]
            ):
                value = float(row["area_sum"])
                break
        population = person["population"] or person["area_population"]
        records.append(
            {
                "partnership": pid,
                "name": person["name"],
                "value": value,
                "population": float(population) if population else None,
                "is_self": pid == partnership.pk,
                "published_rate": ons.get("published_rate"),
                "rate_note": ons.get("rate_note") or "",
                "published_pct_change": ons.get("published_pct_change"),
                "pct_change_note": ons.get("pct_change_note") or "",
            }
        )
    frame = pd.DataFrame(records, columns=PEER_COLUMNS).astype(
        {
            "value": float,
            "population": float,
            "published_rate": float,
            "published_pct_change": float,
        }
    )
    return window, analysis.peer_comparison(frame, polarity=measure.polarity)


def reference_partnerships() -> list[Partnership]:
    """The partnerships known from ONS tables, for building a peer group."""
    return list(Partnership.objects.filter(is_reference=True).order_by("name"))


def month_choices(data: DataRange) -> list[tuple[str, str]]:
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in data.months]


def month_from_choice(value: str) -> date:
    year, month = value.split("-")
    return month_end(date(int(year), int(month), 1)).replace(day=1)


# --- what the figures on record come from, and what they leave out ---------------------

SOURCE_NAMES: dict[str, str] = {
    Observation.Source.POLICEUK: "police.uk",
    Observation.Source.ONS: "ONS tables",
    Observation.Source.FORM: "entered by officers",
    Observation.Source.TEMPLATE: "entered by officers",
    Observation.Source.CASE_REVIEWS: "the ASB case review register",
    Observation.Source.DEMO: "demonstration data",
}


def records_by_source(partnership: Partnership, *, approved_only: bool = False) -> str:
    """The span of the supplied figures of each source, one query: "police.uk: May
    2023 to May 2025; ONS tables: year ending December 2024; entered by officers:
    April 2014 to March 2018". The ONS tables publish whole years ending, so they are
    named as years ending rather than mixed into a range of months."""
    spans: dict[str, tuple[date, date]] = {}
    rows = (
        Observation.objects.filter(
            publishable(approved_only),
            partnership=partnership,
            status=Observation.Status.SUPPLIED,
        )
        .values("source")
        .annotate(first=Min("period_start"), last=Max("period_end"))
        .order_by()
        .values_list("source", "first", "last")
    )
    for source, first, last in rows:
        name = SOURCE_NAMES.get(source, str(source))
        if name in spans:
            first, last = min(first, spans[name][0]), max(last, spans[name][1])
        spans[name] = (first, last)
    parts = []
    for name in dict.fromkeys(SOURCE_NAMES.values()):
        if name not in spans:
            continue
        first, last = spans[name]
        if name == SOURCE_NAMES[Observation.Source.ONS]:
            first_end = add_months(first, 11)
            if first_end.year * 12 + first_end.month >= last.year * 12 + last.month:
                text = f"year ending {month_label(last)}"
            else:
                text = f"years ending {month_label(first_end)} to {month_label(last)}"
        else:
            text = month_run_label(first.replace(day=1), last.replace(day=1))
        parts.append(f"{name}: {text}")
    return "; ".join(parts)


def no_location_counts(partnership: Partnership, period: Period) -> list[tuple[date, str, int]]:
    """police.uk rows with no location in the months compared (the period and the
    year before), by month and kind of measure ("crime", "incident"). One query."""
    previous = period.previous_year()
    rows = (
        UnallocatedCount.objects.filter(partnership=partnership)
        .filter(
            Q(month__gte=period.start, month__lte=period.end)
            | Q(month__gte=previous.start, month__lte=previous.end)
        )
        .values("month", "measure__kind")
        .annotate(total=Sum("count"))
        .order_by("month", "measure__kind")
        .values_list("month", "measure__kind", "total")
    )
    return [(month, kind, int(total)) for month, kind, total in rows if total]
