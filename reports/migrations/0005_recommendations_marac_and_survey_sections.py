"""Three standard sections join every report: the recommendations (split from
"Purpose and recommendations"), MARAC in detail and the residents' survey.

An officer's own purpose text that holds a "Recommendations:" heading is split there:
the lines after it become the recommendations section, so nothing they wrote is lost
or printed twice. Issued versions are frozen files and do not change."""

import re

from django.db import migrations

OLD_PURPOSE_TITLE = "Purpose and recommendations"
NEW_PURPOSE_TITLE = "Purpose of the report"
NEW_SECTIONS = [
    # (key, title, the section it follows)
    ("recommendations", "Recommendations", "purpose"),
    ("marac", "Multi-agency risk assessment conference (MARAC)", "partnership-measures"),
    ("residents-survey", "Residents' survey", "marac"),
]
HEADING = re.compile(r"^\s*recommendations?\s*:?\s*$", re.IGNORECASE | re.MULTILINE)


def split_purpose(body: str) -> tuple[str, str]:
    """The purpose text before a "Recommendations:" line, and the lines after it."""
    found = HEADING.search(body)
    if found is None:
        return body, ""
    return body[: found.start()].rstrip(), body[found.end() :].strip()


def add_sections(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Section = apps.get_model("reports", "ReportSection")
    for report in Report.objects.all():
        ordered = list(Section.objects.filter(report=report).order_by("order", "id"))
        keys = {s.key for s in ordered}
        recommendations = ""
        for section in ordered:
            if section.key != "purpose":
                continue
            if section.title == OLD_PURPOSE_TITLE:
                section.title = NEW_PURPOSE_TITLE
            if section.body_edited:
                section.body, recommendations = split_purpose(section.body)
        for key, title, after in NEW_SECTIONS:
            if key in keys:
                continue
            body = recommendations if key == "recommendations" else ""
            added = Section(
                report=report, key=key, title=title, body=body, body_edited=bool(body), order=0
            )
            # After the section it follows, wherever the officer moved that one; at the
            # end when they have none.
            at = next((i + 1 for i, s in enumerate(ordered) if s.key == after), len(ordered))
            ordered.insert(at, added)
            keys.add(key)
        for position, section in enumerate(ordered, start=1):
            section.order = position * 10
            section.save()


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_report_issue_job_times_and_cover_details")]

    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
