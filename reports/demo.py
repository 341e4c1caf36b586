"""Demo reports for Safer Chorley and South Ribble, modelled on seed 001.

- The annual progress report for April 2017 to January 2018 to the Scrutiny Committee
  of 15 March 2018, with the officer's narrative (a summary of seed 001) over the
  tables and charts built from the demo figures, issued as version 1.
- A draft of the next year's report (April 2018 to January 2019) to the Scrutiny
  Committee of 14 March 2019, which carries the 2018/19 action plan and the six
  resolutions of the 2018 committee with their status.

Idempotent: a report that exists is left alone (an issued version is never re-issued).
"""

from __future__ import annotations

from datetime import date

from accounts.models import User
from partnerships.models import Partnership
from reports import services
from reports.models import Report

SLUG = "safer-chorley-south-ribble"
OFFICER_EMAIL = "officer@example.org"

SECTION_TEXT_2018 = {
    "purpose": (
        "This report gives members of the Scrutiny Committee an update on the progress of "
        "the Safer Chorley and South Ribble Community Safety Partnership and its progress "
        "against the key actions, for April 2017 to January 2018."
    ),
    "recommendations": (
        "That the committee notes the progress of the partnership set out in this report."
    ),
    "overall-position": (
        "In 2017/18 the partnership has met its main objectives and identified areas for "
        "review and new ways of working. The partners share a commitment to improve "
        "community safety and will keep working together so that South Ribble remains a "
        "safe place to be, delivering well for the limited resources the partnership has.\n\n"
        "South Ribble is a relatively safe place to live, work and visit. In many areas its "
        "crime and community safety figures compare well with the national and North West "
        "averages."
    ),
    "significant-progress": (
        "- Operation Genga: a local organised crime partnership board, with the council and "
        "other agencies, makes full use of information and powers to disrupt organised crime.\n"
        "- Lancashire Prevent Delivery Group: the twelve Lancashire districts work together "
        "on the Prevent duty (section 26, Counter Terrorism and Security Act 2015).\n"
        "- Hate crime: the Hate Crime Strategy 2017-2020 was agreed and is being put in place.\n"
        "- A Criminal Behaviour Order, recommended at MARAC for a high-risk domestic abuse "
        "perpetrator, has had no breaches in over two years.\n"
        "- Individual awards for the Community Safety Officer and police colleagues for their "
        "work on Operation Genga."
    ),
    "further-action": (
        "- All responsible authorities to share responsibility for making good use of the "
        "grant from the Office of the Police and Crime Commissioner.\n"
        "- All responsible authorities to contribute to developing and delivering the "
        "community safety action plan.\n"
        "- Current trends mirror the national picture: reducing crime, disorder and "
        "anti-social behaviour remains a significant challenge."
    ),
    "funding": (
        "The partnership is allocated £10,000 in grant funding, held by the Office of the "
        "Police and Crime Commissioner; each responsible authority shares responsibility for "
        "it and access to it.\n\n"
        "- South Ribble Borough Council has committed £24,000 towards the IDVA service from "
        "April 2017 to March 2020.\n"
        "- The council decided to withdraw its £44,000 contribution towards Police and "
        "Community Support Officers."
    ),
    "conclusion": (
        "The Community Safety Partnership is making good progress and achieving good levels "
        "of performance. It has a robust membership and a plan that reflects the local "
        "concerns the data shows."
    ),
}

CUSTOM_SECTIONS_2018 = [
    (
        "Domestic abuse services",
        "The Independent Domestic Violence Advocate (IDVA) service is procured by the Office "
        "of the Police and Crime Commissioner as part of Lancashire Victim Services from "
        "1 April 2017; the council contributes to IDVA support for medium and high risk "
        "victims.\n\n"
        "- The Specialist Domestic Violence Court sits each Wednesday at Preston Magistrates "
        "Court for South Ribble cases.\n"
        "- The Sanctuary Scheme, run with registered social landlords and Preston Care and "
        "Repair, lets victims stay safely in their own homes.",
    ),
    (
        "Crime reduction: multi-agency work and operations",
        "- MATAC (Multi Agency Tasking and Co-ordination) tackles local crime and anti-social "
        "behaviour issues, problem households and locations.\n"
        "- ASBRAC shares information on high-risk victims of anti-social behaviour.\n"
        "- Divert works intensively with young people whose behaviour causes concern.\n"
        "- Revolution manages the offenders who pose the most risk to the community.\n"
        "- Seasonal operations: Hamper, Bright Sparx, Shepherd, Nightsafe.",
    ),
    (
        "Police and Crime Commissioner funded projects",
        "- Leyland Project: diversionary activities for young people.\n"
        "- Hate crime: drama-based training on the lived experience of hate crime victims.\n"
        "- Drug driving campaign: beer mats designed with Runshaw College art students.",
    ),
    (
        "Annual conference",
        "The partnership's conference on 23 January 2018 brought together around fifty "
        "staff, councillors and partners, and started work on next year's action plan. The "
        "strategic priorities are expected to remain violent crime and anti-social behaviour.",
    ),
]

SECTION_TEXT_2019 = {
    "overall-position": (
        "This draft carries the 2018/19 action plan and the resolutions of the Scrutiny "
        "Committee of 15 March 2018. The crime figures for 2018/19 have not been loaded yet."
    ),
}


def _report(partnership, *, title, year, committee_meeting_title, meeting_date, officer):
    from meetings.models import Meeting

    existing = Report.objects.filter(
        partnership=partnership, financial_year=year, end_month=1, title=title
    ).first()
    if existing is not None:
        return existing, False
    meeting = Meeting.objects.filter(partnership=partnership, date=meeting_date).first()
    report = services.report_create(
        partnership=partnership,
        created_by=officer,
        type=Report.Type.ANNUAL,
        title=title,
        financial_year=year,
        end_month=1,
        committee_name=committee_meeting_title,
        meeting_date=meeting_date,
        lead_member="Councillor Jacqui Mort",
        lead_officer="Jennifer Mullin",
        meeting=meeting,
        contact_email="community.safety@example.org",
        contact_telephone="01772 625625",
        wards_affected="All wards",
    )
    return report, True


def _write_sections(report: Report, texts: dict[str, str], custom: list[tuple[str, str]]):
    for section in report.sections.all():
        if section.key in texts:
            services.section_update(
                section=section,
                version=section.version,
                title=section.title,
                body=texts[section.key],
                included=True,
            )
    for title, body in custom:
        report.refresh_from_db(fields=["version"])
        services.section_add(report=report, version=report.version, title=title, body=body)


def load(stdout) -> None:
    partnership = Partnership.objects.filter(slug=SLUG).first()
    if partnership is None:
        return
    officer = User.objects.filter(email=OFFICER_EMAIL).first()

    report, created = _report(
        partnership,
        title="Progress Report",
        year=2017,
        committee_meeting_title="Scrutiny Committee",
        meeting_date=date(2018, 3, 15),
        officer=officer,
    )
    if created:
        _write_sections(report, SECTION_TEXT_2018, CUSTOM_SECTIONS_2018)
    if not report.versions.exists():
        report.refresh_from_db()
        version = services.report_issue(report=report, issued_by=officer, version=report.version)
        stdout.write(
            f"  Issued the 2017/18 progress report, version 1 ({version.page_count} pages)."
        )

    report, created = _report(
        partnership,
        title="Progress Report",
        year=2018,
        committee_meeting_title="Scrutiny Committee",
        meeting_date=date(2019, 3, 14),
        officer=officer,
    )
    if created:
        _write_sections(report, SECTION_TEXT_2019, [])
    stdout.write("  Reports: the 2017/18 annual report (issued) and a 2018/19 draft.")
