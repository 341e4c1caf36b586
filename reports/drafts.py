"""Draft text for each section, written from the numbers, for the officer to edit.

The crime sentences are the dashboard's headline sentences, unchanged, so that the
report and the dashboard never say different things about the same figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cspportal.lib import formats
from cspportal.lib.formats import REPORT as fmt
from reports import detail
from reports.dashboard.narrative import join_names
from reports.sources import MeasureComparison, headline_measures

if TYPE_CHECKING:
    from reports.assembly import ReportData
    from reports.models import Report

ALL_CRIME_CODE = "all-crime"


def section_drafts(report: Report, data: ReportData) -> dict[str, str]:
    """A draft for every standard section key."""
    partnership = report.partnership.name
    committee = report.committee_name or "the committee"
    drafts = {
        "purpose": _purpose(report, partnership, committee),
        "recommendations": _recommendations(data),
        "background": _background(report, partnership, data),
        "overall-position": _overall(report, data),
        "significant-progress": _progress(data),
        "further-action": _further_action(data),
        "crime-figures": _crime(report, data),
        "partnership-measures": _measures(data),
        "marac": _marac(data),
        "residents-survey": _survey(data),
        "action-plan": _plan(data),
        "resolutions": _resolutions(data),
        "funding": _funding(data),
        "conclusion": _conclusion(partnership, data),
        "appendices": (
            "The appendices give the full tables behind this report: every measure by "
            "area, and the figures for each month."
        ),
    }
    return drafts


def _purpose(report: Report, partnership: str, committee: str) -> str:
    return (
        f"This report gives members of the {committee} an account of the work of "
        f"{partnership} and its progress against the key actions, for "
        f"{report.period_label}."
    )


def _recommendations(data: ReportData) -> str:
    lines = ["That the committee notes the progress of the partnership set out in this report."]
    if data.plan is not None and data.plan.exceptions:
        lines.append(
            "That the committee considers the actions at red or amber RAG status, overdue or "
            "without an update, and the areas for further action and monitoring."
        )
    else:
        lines.append("That the committee considers the areas for further action and monitoring.")
    return "\n".join(lines)


MARAC_INTRODUCTION = (
    "A multi-agency risk assessment conference (MARAC) for high-risk cases of domestic "
    "abuse is held each month. The agencies share up-to-date information and put actions "
    "in place to safeguard the victims, the children and other vulnerable members of the "
    "household."
)
MARAC_PHRASES = {
    "marac-cases": "{} cases were discussed",
    "marac-children": "{} children lived in the households",
    "marac-repeat-pct": "{} of the cases were repeat cases",
    "marac-disability-pct": "{} of the victims declared a disability",
    "marac-male-pct": "{} of the victims were male",
}


def _marac(data: ReportData) -> str:
    window = detail.marac_window(data.measures or [])
    if window is None:
        return MARAC_INTRODUCTION
    lines = [
        "- " + MARAC_PHRASES[code].format(fmt.value(value, window.measures[code][1]))
        for code, value in window.totals.items()
        if value is not None and code in MARAC_PHRASES
    ]
    text = (
        f"{MARAC_INTRODUCTION}\n\nThe latest MARAC figures on record, for {window.label}, "
        "show that:\n" + "\n".join(lines)
    )
    if window.previous_cases is not None:
        cases = window.totals["marac-cases"]
        assert cases is not None  # a whole year of cases is on record
        direction = (
            "the same as"
            if cases == window.previous_cases
            else ("up from" if cases > window.previous_cases else "down from")
        )
        text += (
            f"\n\nThe {fmt.count(cases)} cases are {direction} "
            f"{fmt.count(window.previous_cases)} in {window.previous_label}."
        )
    return text


def _survey(data: ReportData) -> str:
    paragraphs = []
    for survey in detail.survey_areas(data.measures or []):
        latest = survey.years[-1]
        where = f" in {survey.area}" if survey.area else ""
        parts = []
        if latest.answered is not None:
            parts.append(f"{fmt.count(latest.answered)} residents answered")
        if latest.safe is not None:
            parts.append(f"{fmt.value(latest.safe, 'percentage')} feel safe")
        if latest.unsure is not None:
            parts.append(f"{fmt.value(latest.unsure, 'percentage')} are unsure")
        text = f"The residents' survey{where} for {latest.label}: " + join_names(parts) + "."
        rated = [y for y in survey.years if y.safe is not None]
        if len(rated) >= 2:
            series = ", ".join(f"{fmt.value(y.safe, 'percentage')} in {y.label}" for y in rated)
            text += f" The share feeling safe over the surveys on record: {series}."
            change = survey.safe_change or 0
            if change == 0:
                text += f" Since {rated[-2].label} the share is unchanged."
            elif survey.safe_change_significant is not None:
                direction = "up" if change > 0 else "down"
                verdict = (
                    f"is {formats.SIGNIFICANT.lower()}"
                    if survey.safe_change_significant
                    else formats.NOT_SIGNIFICANT.lower()
                )
                text += (
                    f" Since {rated[-2].label} that is {direction} {abs(change):.1f} percentage "
                    f"points, which {verdict}."
                )
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _background(report: Report, partnership: str, data: ReportData) -> str:
    names = data.responsible_authorities
    members = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    text = (
        "The Crime and Disorder Act 1998 requires the responsible authorities of each area "
        "to work together to reduce crime, disorder and anti-social behaviour. Section 19 "
        "of the Police and Justice Act 2006 requires the council's crime and disorder "
        "scrutiny committee to review the partnership's work at least once a year."
    )
    if members:
        text += f"\n\nThe responsible authorities in {partnership} are {members}."
    return text


def _headline(data: ReportData, code: str) -> str:
    if data.crime is None:
        return ""
    for measure in data.crime.all_measures:
        if measure.code == code:
            return measure.headline
    return ""


def _overall(report: Report, data: ReportData) -> str:
    if data.crime is None:
        return (
            f"The crime figures for {report.period_label} were not available when this "
            "draft was written."
        )
    measures = [m for m in _headlines(data) if m.direction]
    better = [m for m in measures if m.direction == "better"]
    worse = [m for m in measures if m.direction == "worse"]
    lines = []
    headline = _headline(data, ALL_CRIME_CODE)
    if headline:
        lines.append(headline)
    lines.append(
        f"Of the {len(measures)} headline measures compared with the same period last year, "
        f"{len(better)} are better, {len(worse)} are worse and "
        f"{len(measures) - len(better) - len(worse)} show no real change."
    )
    return " ".join(lines)


def _progress(data: ReportData) -> str:
    items = []
    if data.crime is not None:
        items += [m.headline for m in _headlines(data) if m.direction == "better" and m.significant]
    if data.plan is not None:
        done = data.plan.totals.complete
        if done:
            items.append(f"{_count(done, 'action')} in the action plan {_are(done)} complete.")
    if not items:
        return "Add the partnership's main achievements in the period here."
    return "\n".join(f"- {item}" for item in items)


def _further_action(data: ReportData) -> str:
    items = []
    if data.crime is not None:
        items += [m.headline for m in _headlines(data) if m.direction == "worse" and m.significant]
    if data.plan is not None and data.plan.exceptions:
        items.append(
            f"{_count(len(data.plan.exceptions), 'action')} in the action plan "
            f"{_are(len(data.plan.exceptions))} at red or amber RAG status, overdue or "
            "without an update this quarter."
        )
    if data.resolutions:
        overdue = sum(1 for r in data.resolutions if r.overdue)
        if overdue:
            items.append(
                f"{_count(overdue, 'resolution')} of earlier meetings {_are(overdue)} past "
                f"{'its' if overdue == 1 else 'their'} report-back date."
            )
    if not items:
        return "Add the areas the partnership will act on or keep under review here."
    return "\n".join(f"- {item}" for item in items)


def _headlines(data: ReportData) -> list[MeasureComparison]:
    if data.crime is None:
        return []
    return headline_measures(data.crime.crimes) + headline_measures(data.crime.incidents)


def _crime(report: Report, data: ReportData) -> str:
    if data.crime is None:
        return ""
    return "\n".join(f"- {m.headline}" for m in _headlines(data) if m.headline)


def _measures(data: ReportData) -> str:
    if not data.measures:
        return ""
    return "\n\n".join(m.headline for m in data.measures if m.headline)


def _plan(data: ReportData) -> str:
    if data.plan is None:
        return ""
    t = data.plan.totals
    return (
        f"The {data.plan.plan_name} has {_count(t.total, 'action')}: {t.green} at green RAG "
        f"status, {t.amber} at amber, {t.red} at red and {t.not_rated} not yet rated; "
        f"{t.complete} {_are(t.complete)} complete and {t.overdue} overdue. The exceptions "
        "are listed below."
    )


def _resolutions(data: ReportData) -> str:
    if data.resolutions is None:
        return ""
    if not data.resolutions:
        return "There are no outstanding resolutions from earlier meetings."
    overdue = sum(1 for r in data.resolutions if r.overdue)
    count = len(data.resolutions)
    text = (
        f"{_count(count, 'resolution')} of earlier meetings {_are(count)} still open or in progress"
    )
    if not overdue:
        return text + "."
    return (
        f"{text}; {overdue} {_are(overdue)} past "
        f"{'its' if overdue == 1 else 'their'} report-back date."
    )


def _count(number: int, noun: str) -> str:
    """'1 resolution', '4 resolutions'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _are(number: int) -> str:
    return "is" if number == 1 else "are"


def _funding(data: ReportData) -> str:
    if not data.funding:
        return "Describe the partnership's funding for the year here."
    lines = [
        f"- {line.label}: {fmt.money(line.amount)} ({line.period})"
        for line in data.funding
        if line.amount is not None
    ]
    return "The partnership's recorded funding for the year:\n" + "\n".join(lines)


def _conclusion(partnership: str, data: ReportData) -> str:
    return (
        f"{partnership} continues to work together to reduce crime, disorder and "
        "anti-social behaviour. Members are asked to note the progress in this report."
    )
