"""The dashboard's plotly figures, built once on the server and used twice: the
browser draws them from a JSON data island (``static/js/charts.js``), and the PDF
report exports the same figure to SVG with kaleido.

Each chart function returns a ``Chart``: the plotly figure as plain data, the
same numbers as a data table (headers and rows; the page prints it under the chart
and without JavaScript in its place) and a one-sentence text summary. Colour is never
the only cue: the current year is a solid line with circles, the previous year a
dashed line with squares, earlier years dotted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

from cspportal.lib.periods import financial_year_label

BLUE, GREY, BLACK, PURPLE, LIGHT_GREY = "#1d70b8", "#505a5f", "#0b0c0c", "#4c2c92", "#b1b4b6"
FONT = "Arial, Liberation Sans, sans-serif"
FY_MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
FY_QUARTERS = ["Q1 (Apr-Jun)", "Q2 (Jul-Sep)", "Q3 (Oct-Dec)", "Q4 (Jan-Mar)"]
NOT_YET = ""  # a table cell for a month after the period: not missing, not yet


@dataclass
class ChartTable:
    headers: list[str]
    rows: list[list]  # first cell a label, the rest numbers or None (missing)


@dataclass
class Chart:
    id: str
    title: str
    figure: dict  # {"data": [...], "layout": {...}}, as plotly.js and kaleido take it
    table: ChartTable
    summary: str
    unit: str = "count"
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """The figure as JSON for the page's data island. ``<``, ``>`` and ``&`` are
        escaped so that no text in a figure can close the script element."""
        text = json.dumps(self.figure, cls=PlotlyJSONEncoder)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _default_template() -> dict:
    """plotly's default template, which ``go.Figure`` would copy into every figure."""
    return pio.templates[pio.templates.default].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> dict:
    """A figure as plain data, the same as ``go.Figure(data, layout).to_plotly_json()``.
    Building and validating a ``go.Figure`` took longer than everything else a chart
    needs (a dashboard draws a dozen), and these traces are written here, not typed."""
    return {"data": data, "layout": {"template": _default_template(), **layout}}


def _layout(unit: str, **extra) -> dict:
    axis_title = {"percentage": "Per cent", "gbp": "Pounds", "rate": "Per 1,000 people"}.get(
        unit, "Count"
    )
    layout = {
        "font": {"family": FONT, "size": 14, "color": BLACK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 64, "r": 16, "t": 16, "b": 56},
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "xaxis": {"showline": True, "linecolor": GREY},
        "yaxis": {
            "title": {"text": axis_title},
            "gridcolor": "#dddddd",
            "zeroline": True,
            "zerolinecolor": GREY,
            "rangemode": "tozero",
        },
        "hovermode": "x unified",
    }
    layout.update(extra)
    return layout


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _clean(values: Sequence) -> list:
    return [None if _missing(v) else v for v in values]


def financial_year_trend(
    *,
    chart_id: str,
    title: str,
    overlay: pd.DataFrame,
    unit: str = "count",
    quarterly: bool = False,
    last_position: int = 11,
) -> Chart:
    """Each financial year drawn over the months (or quarters) of the year, so the
    current year sits on top of the last one. ``overlay``: rows are positions in the
    year (0 = April or Q1), columns financial years, NaN where missing. Positions of
    the last year after ``last_position`` have not happened yet: blank, not missing.
    Years with no figures at all are left out."""
    labels = FY_QUARTERS if quarterly else FY_MONTHS
    positions = [0, 3, 6, 9] if quarterly else list(range(12))
    columns: list[int] = [int(fy) for fy in overlay.columns]
    # The figures by year and position, as plain dicts (reading pandas cell by cell
    # cost more than the rest of the chart); the last year's future is left out.
    index = overlay.index.tolist()
    cells = {
        fy: {
            position: value
            for position, value in zip(index, overlay[fy].tolist(), strict=True)
            if not _missing(value) and not (fy == columns[-1] and position > last_position)
        }
        for fy in columns
    }
    years = [fy for fy in columns if cells[fy]]
    styles = {0: ("solid", BLUE, "circle", 3), 1: ("dash", BLACK, "square", 2)}
    traces = []
    for age, fy in enumerate(reversed(years)):
        dash, colour, symbol, width = styles.get(age, ("dot", LIGHT_GREY, "diamond", 1.5))
        values = [cells[fy].get(position) for position in positions]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": financial_year_label(fy),
                "x": labels,
                "y": values,
                "line": {"dash": dash, "color": colour, "width": width},
                "marker": {"symbol": symbol, "size": 7, "color": colour},
                "connectgaps": False,
            }
        )
    figure = _figure(list(reversed(traces)), _layout(unit))
    rows = [
        [
            label,
            *[
                NOT_YET
                if fy == columns[-1] and position > last_position
                else cells[fy].get(position)
                for fy in years
            ],
        ]
        for label, position in zip(labels, positions, strict=True)
    ]
    table = ChartTable(
        ["Month" if not quarterly else "Quarter", *map(financial_year_label, years)], rows
    )
    summary = _trend_summary(title, cells, years, labels, positions)
    return Chart(chart_id, title, figure, table, summary, unit)


def _trend_summary(title, cells, years, labels, positions) -> str:
    if not years:
        return f"{title}: no figures to chart."
    latest = years[-1]
    shown = [
        (label, cells[latest][p])
        for label, p in zip(labels, positions, strict=True)
        if p in cells[latest]
    ]
    text = (
        f"{title} for each financial year from {financial_year_label(years[0])} to "
        f"{financial_year_label(latest)}, drawn over the months of the year"
    )
    if shown:
        label, value = shown[-1]
        text += f"; the latest figure, {label} {financial_year_label(latest)}, is {value:,.0f}"
    return text + "."


# Steps between labelled periods on a long axis: whole quarters, half years and years
# of months (or years of quarters), so the labels fall on the same month each time.
_TICK_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120)
_MAX_TICKS = 8


def _sparse_ticks(labels: list[str]) -> list[str]:
    """At most eight evenly spaced labels: plotly would print every one of ten years
    of months, turned on end and unreadable."""
    step = next((s for s in _TICK_STEPS if len(labels) <= s * _MAX_TICKS), _TICK_STEPS[-1])
    return labels[::step]


def long_trend(
    *, chart_id: str, title: str, labels: list[str], values: list, unit: str = "count"
) -> Chart:
    """The whole run of figures as one line, gaps where figures are missing."""
    clean = _clean(values)
    figure = _figure(
        [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": title,
                "x": labels,
                "y": clean,
                "line": {"color": BLUE, "width": 2},
                "marker": {"size": 5, "color": BLUE},
                "connectgaps": False,
            }
        ],
        layout=_layout(unit, showlegend=False),
    )
    figure["layout"]["xaxis"] = {**figure["layout"]["xaxis"], "tickvals": _sparse_ticks(labels)}
    table = ChartTable(
        ["Period", title], [[label, v] for label, v in zip(labels, clean, strict=True)]
    )
    supplied = [v for v in clean if v is not None]
    missing = len(clean) - len(supplied)
    summary = f"{title} from {labels[0]} to {labels[-1]}" if labels else f"{title}: no figures"
    if supplied:
        summary += f": lowest {min(supplied):,.0f}, highest {max(supplied):,.0f}"
    if missing:
        summary += f"; {missing} {'period is' if missing == 1 else 'periods are'} missing"
    return Chart(chart_id, title, figure, table, summary + ".", unit)


def area_comparison(
    *,
    chart_id: str,
    title: str,
    areas: list[str],
    current: list,
    previous: list,
    current_label: str,
    previous_label: str,
    unit: str = "count",
) -> Chart:
    """Each area's figure this period beside the same period a year earlier."""
    current, previous = _clean(current), _clean(previous)
    figure = _figure(
        [
            {
                "type": "bar",
                "name": previous_label,
                "x": areas,
                "y": previous,
                "marker": {"color": LIGHT_GREY, "pattern": {"shape": "/"}},
            },
            {
                "type": "bar",
                "name": current_label,
                "x": areas,
                "y": current,
                "marker": {"color": BLUE},
            },
        ],
        layout=_layout(unit, barmode="group", hovermode="closest"),
    )
    rows = [[a, p, c] for a, p, c in zip(areas, previous, current, strict=True)]
    table = ChartTable(["Area", previous_label, current_label], rows)
    parts = [
        f"{a} {c:,.0f} ({previous_label}: {p:,.0f})"
        for a, p, c in zip(areas, previous, current, strict=True)
        if c is not None and p is not None
    ]
    summary = f"{title}, {current_label} against {previous_label}: " + (
        "; ".join(parts) if parts else "no area has figures for both periods"
    )
    return Chart(chart_id, title, figure, table, summary + ".", unit)


def peer_rates(
    *, chart_id: str, title: str, names: list[str], rates: list, average: float | None, own: str
) -> Chart:
    """Rate per 1,000 population for each member of a peer group, with the group
    average as a line; the partnership itself in blue and named in the table."""
    rates = _clean(rates)
    colours = [BLUE if n == own else LIGHT_GREY for n in names]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "Rate per 1,000",
            "y": names,
            "x": rates,
            "marker": {"color": colours, "line": {"color": BLACK, "width": 1}},
        }
    ]
    shapes = []
    if average is not None and not math.isnan(average):
        shapes.append(
            {
                "type": "line",
                "x0": average,
                "x1": average,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": PURPLE, "dash": "dash", "width": 2},
            }
        )
    layout = _layout("rate", showlegend=False, shapes=shapes, hovermode="closest")
    layout["xaxis"] = {"title": {"text": "Per 1,000 people"}, "gridcolor": "#dddddd"}
    layout["yaxis"] = {"autorange": "reversed", "automargin": True}
    layout["margin"] = {"l": 16, "r": 16, "t": 16, "b": 56}
    figure = _figure(data, layout)
    table = ChartTable(
        ["Partnership", "Rate per 1,000"], [[n, r] for n, r in zip(names, rates, strict=True)]
    )
    summary = f"{title}: {len([r for r in rates if r is not None])} partnerships ranked by rate"
    if average is not None and not math.isnan(average):
        summary += f"; the group average (dashed line) is {average:,.2f} per 1,000"
    return Chart(chart_id, title, figure, table, summary + ".", "rate")
