"""Plotly figures that only the report draws (the RAG summary, year-to-date change by
measure, partnership measure trends). The dashboard's own charts come from
``reports.charts``; these follow the same look: Arial, GOV.UK colours, no title in
the picture (the report prints the title as a heading), a white background.
"""

from __future__ import annotations

import plotly.graph_objects as go

BLUE, GREY, RED, AMBER, GREEN, BLACK = (
    "#1d70b8",
    "#505a5f",
    "#d4351c",
    "#f47738",
    "#00703c",
    "#0b0c0c",
)
FONT = "Arial, Liberation Sans, sans-serif"


def _layout(figure: go.Figure, **extra) -> go.Figure:
    settings = {
        "font": {"family": FONT, "size": 13, "color": BLACK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
    }
    figure.update_layout(**{**settings, **extra})
    # plotly's default template draws white grid lines across x; on a white plot they
    # are invisible yet still drawn, and some PDF viewers show them as grey hairlines.
    figure.update_xaxes(showline=True, linecolor=GREY, showgrid=False)
    figure.update_yaxes(gridcolor="#dddddd", zeroline=True, zerolinecolor=GREY)
    return figure


def monthly_comparison(
    labels: list[str],
    current: list[float | None],
    previous: list[float | None],
    *,
    current_name: str,
    previous_name: str,
) -> go.Figure:
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=previous,
            name=previous_name,
            mode="lines+markers",
            line={"color": GREY, "dash": "dash"},
            marker={"symbol": "square"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=current,
            name=current_name,
            mode="lines+markers",
            line={"color": BLUE, "width": 3},
        )
    )
    return _layout(figure, yaxis={"rangemode": "tozero"})


def change_bars(names: list[str], pcts: list[float], directions: list[str]) -> go.Figure:
    colours = [GREEN if d == "better" else RED if d == "worse" else GREY for d in directions]
    figure = go.Figure(
        go.Bar(
            x=pcts,
            y=names,
            orientation="h",
            marker={"color": colours},
            text=[f"{p:+.1f}%" for p in pcts],
            textposition="outside",
            cliponaxis=False,
        )
    )
    figure.update_yaxes(autorange="reversed")
    # Room beyond the longest bar on each side for its label: plotly does not count
    # outside text when it sets the range, so a falling measure's label would sit
    # on the measure names.
    low, high = min([0.0, *pcts]), max([0.0, *pcts])
    room = 0.25 * ((high - low) or 1.0)
    xaxis = {
        "ticksuffix": "%",
        "range": [low - room if low < 0 else 0, high + room if high > 0 else 0],
    }
    return _layout(figure, xaxis=xaxis, margin={"l": 190, "r": 20, "t": 20, "b": 40})


def trend_line(labels: list[str], values: list[float | None], *, unit: str) -> go.Figure:
    figure = go.Figure(
        go.Scatter(x=labels, y=values, mode="lines+markers", line={"color": BLUE, "width": 3})
    )
    yaxis: dict[str, object] = {"rangemode": "tozero"}
    if unit == "percentage":
        yaxis.update({"ticksuffix": "%", "range": [0, 100]})
    return _layout(figure, yaxis=yaxis, showlegend=False)


def rag_stacked(labels: list[str], counts: dict[str, list[int]]) -> go.Figure:
    colours = {
        "Red": RED,
        "Amber": AMBER,
        "Green": GREEN,
        "Not rated": GREY,
    }
    figure = go.Figure()
    for name, values in counts.items():
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                name=name,
                orientation="h",
                marker={"color": colours[name]},
                text=[v or "" for v in values],
                textposition="inside",
            )
        )
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, barmode="stack", margin={"l": 190, "r": 20, "t": 20, "b": 50})
