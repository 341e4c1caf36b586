"""Build the report document (``reports.document``) from a report and the figures.

``gather_report_data`` asks every source once; a source that cannot answer leaves a
sentence that its section prints instead. ``assemble_report`` then lays out the
sections the officer included, in their order, with their text (the officer's, or
the draft generated from the numbers), tables and charts. The charts carry plotly
figures; ``reports.pdf`` turns them into SVG.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from cspportal.lib.formats import REPORT as fmt
from cspportal.lib.formats import SIGNIFICANCE_HEADER
from reports import charts, detail, drafts, report_figures, sources, tables
from reports.document import (
    RECOMMENDATIONS,
    Chart,
    Cover,
    ReportDocument,
    Section,
    text_to_blocks,
    text_to_numbered_list,
)
from reports.models import Report
from reports.sources import SourceUnavailable, headline_measures
from reports.tables import (
    SMALL_BASE_NOTE,
    Cell,
    Table,
    assessment_cell,
    change_cell,
    pct_cell,
    significance_cell,
    value_cell,
)

logger = logging.getLogger(__name__)

STANDARD_SECTIONS: list[tuple[str, str]] = [
    ("purpose", "Purpose of the report"),
    ("recommendations", "Recommendations"),
    ("background", "Background"),
    ("overall-position", "Overall position"),
    ("significant-progress", "Areas of significant progress"),
    ("further-action", "Areas for further action and monitoring"),
    ("crime-figures", "Crime figures"),
    ("partnership-measures", "Partnership measures"),
    ("marac", "Multi-agency risk assessment conference (MARAC)"),
    ("residents-survey", "Residents' survey"),
    ("action-plan", "Action plan progress"),
    ("resolutions", "Resolutions of earlier meetings"),
    ("funding", "Funding position"),
    ("conclusion", "Conclusion"),
    ("appendices", "Appendices: full tables"),
]
SECTION_TITLES = dict(STANDARD_SECTIONS)

CHART_FALLBACK_NOTE = (
    "This chart could not be drawn when the report was produced (the chart renderer "
    "was not available), so its figures are shown as a table instead."
)
CHART_IN_TABLE_ABOVE_NOTE = (
    "This chart could not be drawn when the report was produced (the chart renderer "
    "was not available); its figures are in the table above."
)


@dataclass
class ReportData:
    """Everything the sections read, or why they could not."""

    crime: sources.CrimeFigures | None = None
    measures: list[sources.PartnershipMeasureTrend] | None = None
    plan: sources.PlanProgress | None = None
    resolutions: list[sources.ResolutionStatus] | None = None
    funding: list[sources.FundingLine] | None = None
    unavailable: dict[str, str] = field(default_factory=dict)
    responsible_authorities: list[str] = field(default_factory=list)


def _read(data: ReportData, keys: list[str], reader: Callable, *args, **kwargs):
    try:
        return reader(*args, **kwargs)
    except SourceUnavailable as missing:
        message = str(missing)
    except Exception:
        logger.exception("Report source %s failed", reader.__name__)
        message = "These figures could not be read when the report was produced."
    for key in keys:
        data.unavailable[key] = message
    return None


def gather_report_data(report: Report) -> ReportData:
    """Read every source once for the report's period."""
    partnership = report.partnership
    start, end = report.period_start, report.period_end
    data = ReportData()
    dashboard = _read(
        data,
        ["crime-figures", "partnership-measures", "marac", "residents-survey", "appendices"],
        sources.read_dashboard,
        partnership,
        start=start,
        end=end,
    )
    if dashboard is not None:
        data.crime, data.measures = dashboard
    data.plan = _read(data, ["action-plan"], sources.read_plan_progress, partnership, as_of=end)
    # Resolutions are reported as they stand when the committee meets.
    as_of = report.meeting_date or timezone.localdate()
    data.resolutions = _read(
        data, ["resolutions"], sources.read_resolutions, partnership, as_of=as_of
    )
    data.funding = _read(data, ["funding"], sources.read_funding, partnership, start=start, end=end)
    data.responsible_authorities = [
        m.organisation.name
        for m in partnership.memberships.filter(is_statutory=True).select_related("organisation")
    ]
    return data


def assemble_report(
    report: Report, *, data: ReportData | None = None, version_label: str = "Draft"
) -> ReportDocument:
    """The report as the preview and the PDF print it. Reads the sections with one
    query (plus the sources' own)."""
    if data is None:
        data = gather_report_data(report)
    generated = drafts.section_drafts(report, data)
    sections: list[Section] = []
    rows = [s for s in report.sections.all() if s.included]
    for number, row in enumerate(rows, start=1):
        draft = generated.get(row.key, "")
        text = row.body if row.body_edited else draft
        section = Section(
            key=row.key,
            number=number,
            title=row.title,
            blocks=text_to_numbered_list(text)
            if row.key == RECOMMENDATIONS
            else text_to_blocks(text),
            is_draft=not row.body_edited and bool(draft),
        )
        builder = _BUILDERS.get(row.key)
        if row.key in data.unavailable:
            section.notices.append(data.unavailable[row.key])
        elif builder is not None:
            builder(section, report, data)
        sections.append(section)
    for number, chart in enumerate((c for s in sections for c in s.charts), start=1):
        chart.number = number
    comparison_label = data.crime.comparison_label if data.crime else report.period_label
    cover = Cover(
        committee=report.committee_name,
        meeting_date=report.meeting_date,
        title=report.title,
        partnership=report.partnership.name,
        report_type=report.get_type_display(),
        period_label=report.period_label,
        lead_member=report.lead_member,
        lead_officer=report.lead_officer,
        agenda_item=report.agenda_item,
        contact_email=report.contact_email,
        contact_telephone=report.contact_telephone,
        wards_affected=report.wards_affected,
    )
    return ReportDocument(
        cover=cover,
        sections=sections,
        comparison_label=comparison_label,
        generated_on=timezone.localdate(),
        version_label=version_label,
    )


# Section builders ------------------------------------------------------------------


def _assessment_cell(measure: sources.MeasureComparison) -> Cell:
    return assessment_cell(measure.assessment, measure.change)


def _pct_cell(measure: sources.MeasureComparison) -> Cell:
    return pct_cell(measure.pct, measure.small_base, fmt)


def comparison_table(caption: str, measures, previous_label: str, current_label: str) -> Table:
    rows = []
    for m in measures:
        rows.append(
            [
                Cell(m.name),
                value_cell(m.previous, m.unit, fmt),
                value_cell(m.current, m.unit, fmt),
                change_cell(m.change, m.unit, fmt),
                _pct_cell(m),
                _assessment_cell(m),
                significance_cell(m.significant),
            ]
        )
    table = Table(
        caption=caption,
        headers=[
            "Measure",
            previous_label,
            current_label,
            "Change",
            "% change",
            "Better or worse",
            SIGNIFICANCE_HEADER,
        ],
        rows=rows,
    )
    if any(m.small_base for m in measures):
        table.notes.append(SMALL_BASE_NOTE)
    table.notes += [m.missing_note for m in measures if m.missing_note]
    return table


def _year_labels(report: Report) -> tuple[str, str]:
    from cspportal.lib.periods import financial_year_label

    return financial_year_label(report.financial_year - 1), report.financial_year_label


def _compared_labels(report: Report, crime: sources.CrimeFigures) -> tuple[str, str]:
    """The comparison tables' column labels: the financial years, or the months
    actually compared when some of the period's months were not supplied."""
    if crime.current_label:
        return crime.previous_label, crime.current_label
    return _year_labels(report)


def _monthly_chart(
    key: str, measure: sources.MeasureComparison, report: Report, figure=None
) -> Chart:
    previous_label, current_label = _year_labels(report)
    labels = [f"{m.month:%b}" for m in measure.months]
    current = [m.value for m in measure.months]
    previous_by_month = {(m.month.month): m.value for m in measure.months_previous}
    previous = [previous_by_month.get(m.month.month) for m in measure.months]
    table = Table(
        caption=f"{measure.name} by month, {current_label} and {previous_label}",
        headers=["Month", previous_label, current_label],
        rows=[
            [
                Cell(f"{m.month:%B}"),
                value_cell(previous_by_month.get(m.month.month), measure.unit, fmt),
                value_cell(m.value, measure.unit, fmt),
            ]
            for m in measure.months
        ],
    )
    if figure is not None:
        return dashboard_chart(
            key,
            figure(),
            title=f"{measure.name} by month in each financial year",
            alt_prefix="Line chart, one line per financial year.",
        )
    if figure is None:
        figure = report_figures.monthly_comparison(
            labels, current, previous, current_name=current_label, previous_name=previous_label
        )
    peak = max(
        ((v, m) for m, v in zip(labels, current, strict=True) if v is not None), default=None
    )
    alt = (
        f"Line chart of {in_sentence(measure.name)} by month from {report.period_label}, "
        f"{current_label} (solid line) against the same months of {previous_label} "
        f"(dashed line): {fmt.value(measure.current, measure.unit)} in total against "
        f"{fmt.value(measure.previous, measure.unit)}"
    )
    alt += f", highest in {peak[1]} ({fmt.value(peak[0], measure.unit)})." if peak else "."
    return Chart(
        key=key,
        title=f"{measure.name} by month, {current_label} against {previous_label}",
        alt=alt,
        table=table,
        figure=figure,
        fallback_note=CHART_FALLBACK_NOTE,
    )


def dashboard_chart(key: str, chart, *, title: str, alt_prefix: str, height: int = 340) -> Chart:
    """A chart built by the dashboard (``reports.charts``): the same figure, its own
    data table and its text summary as the alternative text."""
    return Chart(
        key=key,
        title=title,
        alt=f"{alt_prefix} {chart.summary}",
        table=tables.chart_table(chart, id=key, caption=f"{title}: the figures", wording=fmt),
        figure=chart.figure,
        fallback_note=CHART_FALLBACK_NOTE,
        height=height,
    )


def _crime_figures(section: Section, report: Report, data: ReportData) -> None:
    crime = data.crime
    assert crime is not None  # a section whose source is unavailable has no builder call
    previous_label, current_label = _compared_labels(report, crime)
    crimes, incidents = headline_measures(crime.crimes), headline_measures(crime.incidents)
    if not crimes and not incidents:
        section.notices.append(_no_figures_yet(report))
        return
    if crimes:
        section.tables.append(
            comparison_table(
                f"Recorded crime, {crime.comparison_label}", crimes, previous_label, current_label
            )
        )
    if crimes and len(crimes) < len(crime.crimes):
        section.tables[-1].notes.append(
            f"The partnership's headline measures; Appendix A has all {len(crime.crimes)} "
            "crime measures."
        )
    if incidents:
        section.tables.append(
            comparison_table(
                f"Incidents (not crimes), {crime.comparison_label}",
                incidents,
                previous_label,
                current_label,
            )
        )
    with_areas = [m for m in crimes + incidents if m.by_area]
    if with_areas:
        section.tables.append(
            area_table(
                with_areas,
                crime.comparison_label,
                previous_label,
                current_label,
                caption_prefix="Headline measures by area",
            )
        )
    notes = section.tables[-1].notes
    if crime.significance_method:
        notes.append(crime.significance_method)
    notes += crime.notes
    by_code = {m.code: m for m in crime.all_measures}
    all_crime = by_code.get(drafts.ALL_CRIME_CODE) or (crime.crimes[0] if crime.crimes else None)
    if all_crime and all_crime.months:
        section.charts.append(
            _monthly_chart("all-crime-months", all_crime, report, crime.figures.get("all-crime"))
        )
    comparable = [m for m in crimes + incidents if m.pct is not None]
    pcts = [float(m.pct) for m in comparable if m.pct is not None]
    if comparable:
        table = Table(
            caption=f"Percentage change by measure, {crime.comparison_label}",
            headers=["Measure", "% change", "Better or worse"],
            rows=[[Cell(m.name), _pct_cell(m), _assessment_cell(m)] for m in comparable],
        )
        rises = sum(1 for pct in pcts if pct > 0)
        section.charts.append(
            Chart(
                key="change-by-measure",
                title=f"Percentage change by measure, {current_label} against {previous_label}",
                alt=(
                    f"Bar chart of the percentage change in each of {len(comparable)} measures "
                    f"for {report.period_label} against a year earlier: {rises} rose and "
                    f"{len(comparable) - rises} fell or did not change; bars are green where "
                    "the change is better and red where it is worse."
                ),
                table=table,
                figure=report_figures.change_bars(
                    [m.name for m in comparable],
                    pcts,
                    [m.direction for m in comparable],
                ),
                fallback_note=CHART_FALLBACK_NOTE,
                height=max(260, 34 * len(comparable) + 80),
            )
        )
    if all_crime and all_crime.by_area:
        areas = all_crime.by_area
        table = Table(
            caption=f"{all_crime.name} by area, {crime.comparison_label}",
            headers=["Area", previous_label, current_label, "% change"],
            rows=[
                [
                    Cell(a.area),
                    value_cell(a.previous, "count", fmt),
                    value_cell(a.current, "count", fmt),
                    pct_cell(a.pct, a.small_base, fmt),
                ]
                for a in areas
            ],
        )
        section.charts.append(
            Chart(
                key="all-crime-areas",
                title=f"{all_crime.name} by area, {current_label} against {previous_label}",
                alt=(
                    f"Grouped bar chart of {in_sentence(all_crime.name)} in each area for "
                    f"{report.period_label} against a year earlier: "
                    + "; ".join(
                        f"{a.area} {fmt.count(a.current)} against {fmt.count(a.previous)} "
                        f"({fmt.pct_change(a.pct)})"
                        for a in areas
                    )
                    + "."
                ),
                table=table,
                # The dashboard's own area chart: the same drawing on the page and on paper.
                figure=charts.area_comparison(
                    chart_id="all-crime-areas",
                    title=all_crime.name,
                    areas=[a.area for a in areas],
                    current=[a.current for a in areas],
                    previous=[a.previous for a in areas],
                    current_label=current_label,
                    previous_label=previous_label,
                ).figure,
                fallback_note=CHART_FALLBACK_NOTE,
            )
        )
    for code in TREND_CHART_MEASURES:
        measure = by_code.get(code)
        if measure and measure.months:
            section.charts.append(
                _monthly_chart(f"{code}-months", measure, report, crime.figures.get(code))
            )


TREND_CHART_MEASURES = ("asb-incidents", "domestic-abuse-crimes")
# The partnership measures drawn as trend charts in their own section: those seed
# 000's committee asked for. MARAC cases and the survey are drawn in their sections.
PARTNERSHIP_CHART_MEASURES = ("community-trigger-applications", "idva-referrals")


def area_table(measures, comparison_label, previous_label, current_label, *, caption_prefix):
    rows = []
    for m in measures:
        for a in m.by_area:
            rows.append(
                [
                    Cell(f"{m.name}: {a.area}"),
                    value_cell(a.previous, m.unit, fmt),
                    value_cell(a.current, m.unit, fmt),
                    pct_cell(a.pct, a.small_base, fmt),
                ]
            )
    return Table(
        caption=f"{caption_prefix}, {comparison_label}",
        headers=["Measure and area", previous_label, current_label, "% change"],
        rows=rows,
        notes=[SMALL_BASE_NOTE] if any(a.small_base for m in measures for a in m.by_area) else [],
    )


def _partnership_measures(section: Section, report: Report, data: ReportData) -> None:
    if not data.measures:
        section.notices.append("No partnership measures have been recorded for this period.")
        return
    section.tables.append(
        Table(
            caption="Partnership measures: the latest figure and the one before",
            headers=["Measure", "Latest period", "Latest", "Period before", "Previous", "Source"],
            rows=[
                [
                    Cell(m.name),
                    Cell(m.latest_label),
                    value_cell(m.latest, m.unit, fmt),
                    Cell(m.previous_label),
                    value_cell(m.previous, m.unit, fmt),
                    Cell(m.source),
                ]
                for m in data.measures
            ],
        )
    )
    figures = data.crime.figures if data.crime else {}
    detailed = detail.MARAC_MEASURES + detail.SURVEY_MEASURES
    charted = [m for m in data.measures if m.code in PARTNERSHIP_CHART_MEASURES] or [
        m for m in data.measures if m.code not in detailed
    ][:3]
    for m in charted:
        chart = _trend_chart(m, figures)
        if chart is not None:
            section.charts.append(chart)


def _trend_chart(m: sources.PartnershipMeasureTrend, figures: dict) -> Chart | None:
    """A partnership measure over time: the dashboard's chart when it drew one, else
    the report's own line; none with fewer than two figures."""
    if len([p for p in m.points if p.value is not None]) < 2:
        return None
    key = f"trend-{m.code}" + (f"-{m.area.lower().replace(' ', '-')}" if m.area else "")
    if not m.area and f"trend-{m.code}" in figures:
        return dashboard_chart(
            key,
            figures[f"trend-{m.code}"](),
            title=f"{m.name}: trend",
            alt_prefix="Line chart.",
            height=280,
        )
    values = ", ".join(f"{p.label} {fmt.value(p.value, m.unit)}" for p in m.points)
    return Chart(
        key=key,
        title=f"{m.name}: trend",
        alt=f"Line chart of {in_sentence(m.name)} over time: {values}.",
        table=Table(
            caption=f"{m.name} over time",
            headers=["Period", m.name],
            rows=[[Cell(p.label), value_cell(p.value, m.unit, fmt)] for p in m.points],
        ),
        figure=report_figures.trend_line(
            [p.label for p in m.points], [p.value for p in m.points], unit=m.unit
        ),
        fallback_note=CHART_FALLBACK_NOTE,
        height=280,
    )


def _marac(section: Section, report: Report, data: ReportData) -> None:
    window = detail.marac_window(data.measures or [])
    if window is None:
        section.notices.append(
            f"No MARAC figures are on record for {report.partnership.name} up to the end "
            f"of {report.period_label}. The MARAC coordinator's quarterly figures are "
            "entered on the Figures page."
        )
        return
    codes = list(window.measures)
    table = Table(
        caption=f"MARAC figures by quarter, {window.label}",
        headers=["Quarter", *(window.measures[c][0] for c in codes)],
        rows=[
            [Cell(q.label), *(value_cell(q.values[c], window.measures[c][1], fmt) for c in codes)]
            for q in window.quarters
        ],
    )
    if len(window.quarters) > 1:
        table.rows.append(
            [
                Cell("All four quarters"),
                *(value_cell(window.totals[c], window.measures[c][1], fmt) for c in codes),
            ]
        )
        if any(window.measures[c][1] == "percentage" for c in codes):
            table.notes.append(detail.WEIGHTING_NOTE)
    if not window.twelve_months:
        table.notes.append(
            "The four quarters up to this one are not all on record, so the latest quarter "
            "is shown on its own."
        )
    section.tables.append(table)
    cases = next(m for m in data.measures or [] if m.code == detail.MARAC_CASES and not m.area)
    figures = data.crime.figures if data.crime else {}
    chart = _trend_chart(cases, figures)
    if chart is not None:
        section.charts.append(chart)


def _residents_survey(section: Section, report: Report, data: ReportData) -> None:
    surveys = detail.survey_areas(data.measures or [])
    if not surveys:
        section.notices.append(
            f"No residents' survey figures are on record for {report.partnership.name} up "
            f"to the end of {report.period_label}. The council's survey results are "
            "entered on the Figures page, one financial year at a time."
        )
        return
    tested = False
    for survey in surveys:
        where = f" in {survey.area}" if survey.area else ""
        names = survey.names
        columns = [
            (code, attr)
            for code, attr in (
                (detail.SURVEY_ANSWERED, "answered"),
                (detail.SURVEY_SAFE, "safe"),
                (detail.SURVEY_UNSURE, "unsure"),
            )
            if code in names
        ]
        section.tables.append(
            Table(
                caption=f"Residents' survey{where}, by year",
                headers=["Year", *(names[code] for code, _ in columns)],
                rows=[
                    [
                        Cell(year.label),
                        *(
                            value_cell(
                                getattr(year, attr),
                                "count" if code == detail.SURVEY_ANSWERED else "percentage",
                                fmt,
                            )
                            for code, attr in columns
                        ),
                    ]
                    for year in survey.years
                ],
            )
        )
        tested = tested or survey.safe_change_significant is not None
        safe = next(
            (
                m
                for m in data.measures or []
                if m.code == detail.SURVEY_SAFE and m.area == survey.area
            ),
            None,
        )
        if safe is not None:
            chart = _trend_chart(safe, data.crime.figures if data.crime else {})
            if chart is not None:
                section.charts.append(chart)
    if tested:
        section.tables[-1].notes.append(detail.SURVEY_TEST_NOTE)


def _action_plan(section: Section, report: Report, data: ReportData) -> None:
    plan = data.plan
    assert plan is not None  # a section whose source is unavailable has no builder call
    groups = [*plan.by_priority, plan.totals]
    columns = ["Red", "Amber", "Green", "Not rated", "Total", "Of which complete", "Overdue"]
    section.tables.append(
        Table(
            caption=(
                f"RAG status of the actions in the {plan.plan_name}, at {fmt.uk_date(plan.as_of)}"
            ),
            headers=["Priority", *columns],
            rows=[
                [
                    Cell(g.label),
                    *(
                        Cell(str(v), numeric=True)
                        for v in (
                            g.red,
                            g.amber,
                            g.green,
                            g.not_rated,
                            g.total,
                            g.complete,
                            g.overdue,
                        )
                    ),
                ]
                for g in groups
            ],
            notes=["Cancelled actions are left out. Complete actions keep their RAG status."],
        )
    )
    if plan.by_priority:
        t = plan.totals
        section.charts.append(
            Chart(
                key="rag-summary",
                title="RAG status of the actions by priority",
                alt=(
                    f"Stacked bar chart of the {t.total} actions by priority and RAG status: "
                    f"{t.red} red, {t.amber} amber, {t.green} green and {t.not_rated} not rated."
                ),
                table=section.tables[-1],
                table_in_section=True,
                figure=report_figures.rag_stacked(
                    [g.label for g in plan.by_priority],
                    {
                        "Red": [g.red for g in plan.by_priority],
                        "Amber": [g.amber for g in plan.by_priority],
                        "Green": [g.green for g in plan.by_priority],
                        "Not rated": [g.not_rated for g in plan.by_priority],
                    },
                ),
                fallback_note=CHART_IN_TABLE_ABOVE_NOTE,
                height=max(220, 50 * len(plan.by_priority) + 100),
            )
        )
    if plan.exceptions:
        section.tables.append(
            Table(
                caption="Exceptions: actions at red or amber, overdue or without a recent update",
                headers=["Action", "Lead", "Due", "RAG status", "Why listed", "Latest update"],
                rows=[
                    [
                        Cell(e.action),
                        Cell(e.lead),
                        Cell(fmt.uk_date(e.due)),
                        Cell(e.rag, css=f"app-rag-{e.rag.lower().replace(' ', '-')}"),
                        Cell(e.reason),
                        Cell(e.latest_update),
                    ]
                    for e in plan.exceptions
                ],
            )
        )
    else:
        section.notices.append("No action is at red or amber, overdue or without an update.")


def _resolutions(section: Section, report: Report, data: ReportData) -> None:
    if not data.resolutions:
        return
    section.tables.append(
        Table(
            caption="Resolutions of earlier meetings and their status",
            headers=["Resolution", "Meeting", "Owner", "Status", "Report back", "Latest response"],
            rows=[
                [
                    Cell(f"{r.number}. {r.text}"),
                    Cell(r.meeting),
                    Cell(r.owner),
                    Cell(r.status + (" (overdue)" if r.overdue else "")),
                    Cell(r.report_back),
                    Cell(r.latest_response),
                ]
                for r in data.resolutions
            ],
        )
    )


def _funding(section: Section, report: Report, data: ReportData) -> None:
    if not data.funding:
        return
    section.tables.append(
        Table(
            caption=f"Funding recorded for {report.financial_year_label}",
            headers=["Funding", "Period", "Amount", "Note"],
            rows=[
                [
                    Cell(line.label),
                    Cell(line.period),
                    Cell(fmt.money(line.amount), numeric=True),
                    Cell(line.note),
                ]
                for line in data.funding
            ],
        )
    )


def _no_figures_yet(report: Report) -> str:
    return (
        f"{report.partnership.name} has no crime or incident figures for "
        f"{report.period_label} yet, so there is nothing to compare."
    )


def _appendices(section: Section, report: Report, data: ReportData) -> None:
    if data.crime is None:
        section.notices.append(data.unavailable.get("crime-figures", ""))
        return
    if not data.crime.crimes and not data.crime.incidents:
        section.notices.append(_no_figures_yet(report))
        return
    previous_label, current_label = _compared_labels(report, data.crime)
    measures = [m for m in data.crime.all_measures if m.by_area]
    if measures:
        section.tables.append(
            area_table(
                measures,
                data.crime.comparison_label,
                previous_label,
                current_label,
                caption_prefix="Appendix A: every measure by area",
            )
        )
    monthly = [
        m
        for m in headline_measures(data.crime.crimes) + headline_measures(data.crime.incidents)
        if m.months
    ]
    if monthly:
        months = [v.month for v in monthly[0].months]
        section.tables.append(
            Table(
                caption=f"Appendix B: the headline measures by month, {current_label}",
                headers=["Measure", *[f"{m:%b %Y}" for m in months]],
                rows=[
                    [
                        Cell(m.name),
                        *(value_cell(v.value, m.unit, fmt) for v in m.months),
                    ]
                    for m in monthly
                ],
            )
        )


def in_sentence(name: str) -> str:
    """A measure name inside a sentence: "All crime" -> "all crime", "MARAC cases" stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


_BUILDERS: dict[str, Callable[[Section, Report, ReportData], None]] = {
    "crime-figures": _crime_figures,
    "partnership-measures": _partnership_measures,
    "marac": _marac,
    "residents-survey": _residents_survey,
    "action-plan": _action_plan,
    "resolutions": _resolutions,
    "funding": _funding,
    "appendices": _appendices,
}
