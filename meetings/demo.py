"""Demo meetings and resolutions from the seed minutes, with some responses.

The resolutions are made by running the minutes parser on the decisions as the seed
minutes print them. Where the seeds give no date (seeds 000, 002 and 003) the date is
illustrative and chosen to fit what the minutes say (the 2018 report uses data to
20 February 2018; Lincolnshire's strategy was due to end in March 2022). Safe to run
again: everything is looked up by its natural key and updated in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from accounts.models import User
from meetings.minutes import parse_resolutions
from meetings.models import AgendaItem, Body, Meeting, Resolution, ResolutionResponse
from partnerships.models import Organisation, Partnership, ThematicGroup

S = Resolution.Status


@dataclass(frozen=True)
class DemoResolution:
    """What happened to resolution ``number`` after the meeting."""

    number: int
    owner: str = ""
    status: str = ""
    report_back: date | None = None
    report_back_to: str = ""  # the key of a demo meeting
    responses: list[tuple[date, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class DemoMeeting:
    key: str
    slug: str
    body: str
    title: str
    date: date
    start: time | None = None
    end: time | None = None
    place: str = ""
    attending: list[str] = field(default_factory=list)
    group: str = ""
    item_title: str = ""
    item_link: str = ""
    minutes: str = ""
    resolutions: list[DemoResolution] = field(default_factory=list)


SRBC = "South Ribble Borough Council"
CHORLEY = "Chorley Council"
LANCS_POLICE = "Lancashire Constabulary"
LCC = "Lincolnshire County Council"
UDC = "Uttlesford District Council"

MEETINGS = [
    DemoMeeting(
        key="chorley-scrutiny-2018",
        slug="safer-chorley-south-ribble",
        body=Body.SCRUTINY,
        title="Scrutiny Committee",
        date=date(2018, 3, 15),
        start=time(18, 0),
        place="Civic Centre, West Paddock, Leyland",
        attending=[SRBC, LANCS_POLICE],
        item_title="Safer Chorley & South Ribble Community Safety Partnership",
        minutes=(
            "The Committee considered the report of the Public Health Manager which provided "
            "an update on the progress of the partnership and also progress against the key "
            "actions.\n\n"
            "RESOLVED (Unanimously):\n\nThat:\n\n"
            "1. the Partnership’s future reports to Scrutiny Committee include more measurable "
            "outcomes and measures of success.\n\n"
            "1. further consideration be given to the Partnership engaging more effectively "
            "with young people and youth groups.\n\n"
            "1. a more proactive and structured approach to child sexual exploitation be "
            "developed by the Partnership.\n\n"
            "1. the Partnership explores potential external funding sources to help deliver "
            "its objectives.\n\n"
            "1. the Committee welcomes the Partnership’s commitment to raise its profile and "
            "promote positive messages.\n\n"
            "1. future reports include resident confidence/safety perception data, including "
            "trends and comparisons."
        ),
        resolutions=[
            DemoResolution(
                1,
                SRBC,
                S.DISCHARGED,
                report_back_to="chorley-scrutiny-2019",
                responses=[
                    (
                        date(2018, 9, 12),
                        SRBC,
                        "The officers' group agreed a set of outcome measures for each "
                        "priority, with baselines from 2017/18.",
                        S.IN_PROGRESS,
                    ),
                    (
                        date(2019, 3, 14),
                        SRBC,
                        "The 2019 progress report set out the outcome measures with the "
                        "year-on-year change for each.",
                        S.DISCHARGED,
                    ),
                ],
            ),
            DemoResolution(
                2,
                CHORLEY,
                S.IN_PROGRESS,
                report_back=date(2027, 3, 31),
                responses=[
                    (
                        date(2018, 11, 6),
                        CHORLEY,
                        "Youth engagement sessions held with the youth group in Leyland.",
                        "",
                    )
                ],
            ),
            DemoResolution(3, LANCS_POLICE, S.IN_PROGRESS, report_back_to="chorley-rag-2027"),
            DemoResolution(4, SRBC, S.OPEN, report_back=date(2018, 9, 30)),
            DemoResolution(5, "", S.NOTED),
            DemoResolution(6, SRBC, S.OPEN, report_back_to="chorley-scrutiny-2019"),
        ],
    ),
    DemoMeeting(
        key="chorley-scrutiny-2019",
        slug="safer-chorley-south-ribble",
        body=Body.SCRUTINY,
        title="Scrutiny Committee",
        date=date(2019, 3, 14),
        start=time(18, 0),
        place="Civic Centre, West Paddock, Leyland",
        attending=[SRBC],
        item_title="Safer Chorley & South Ribble Community Safety Partnership",
    ),
    DemoMeeting(
        key="chorley-rag-2027",
        slug="safer-chorley-south-ribble",
        body=Body.RESPONSIBLE_AUTHORITIES_GROUP,
        title="Responsible Authorities Group",
        date=date(2027, 4, 27),
        start=time(10, 0),
        end=time(12, 0),
        place="Chorley Town Hall, Market Street, Chorley",
        attending=[SRBC, CHORLEY, LANCS_POLICE],
        item_title="Community Safety Action Plan 2027/28",
    ),
    DemoMeeting(
        key="chesterfield-scrutiny",
        slug="chesterfield",
        body=Body.SCRUTINY,
        title="Overview and Performance Scrutiny Forum",
        date=date(2023, 3, 21),
        start=time(17, 10),
        end=time(17, 50),
        place="Town Hall, Chesterfield",
        attending=["Chesterfield Borough Council", "Derbyshire Constabulary"],
        item_title="Cabinet Member for Health and Wellbeing - Crime and Disorder Scrutiny",
        minutes=(
            "The purpose of the report was to provide a short overview as to the development "
            "of a new integrated partnership approach to managing anti-social behaviour (ASB) "
            "and update on the operational activity and development of Operation Blofeld.\n\n"
            "RESOLVED –\n\nThat the report be noted."
        ),
        resolutions=[DemoResolution(1, "", S.NOTED)],
    ),
    DemoMeeting(
        key="chesterfield-asb-group",
        slug="chesterfield",
        body=Body.THEMATIC_GROUP,
        group="ASB tactical group",
        title="ASB tactical group",
        date=date(2026, 12, 9),
        start=time(10, 0),
        end=time(11, 30),
        place="Town Hall, Chesterfield",
        attending=["Chesterfield Borough Council", "Derbyshire Constabulary"],
    ),
    DemoMeeting(
        key="lincolnshire-scrutiny",
        slug="safer-lincolnshire",
        body=Body.SCRUTINY,
        title="Public Protection and Communities Scrutiny Committee",
        date=date(2022, 2, 15),
        start=time(10, 0),
        place="County Offices, Newland, Lincoln",
        attending=[LCC, "Lincolnshire Police"],
        item_title="Safer Lincolnshire Partnership Update",
        minutes=(
            "SITTING AS THE CRIME AND DISORDER SCRUTINY COMMITTEE\n\n"
            "RESOLVED\n\n"
            "1. That the report presented be received and noted.\n\n"
            "2. That the Safter Lincolnshire Partnership Plan to reduce crime and disorder and "
            "anti-social behaviour in the county be endorsed and that updates on the "
            "progression of the delivery plan be received by the Committee at a future meeting."
        ),
        resolutions=[
            DemoResolution(1, "", S.NOTED),
            DemoResolution(
                2,
                LCC,
                S.IN_PROGRESS,
                report_back=date(2022, 9, 30),
                responses=[
                    (
                        date(2022, 7, 5),
                        LCC,
                        "Community trigger information circulated to all members of the "
                        "Committee; priority reports scheduled for the autumn.",
                        S.IN_PROGRESS,
                    )
                ],
            ),
        ],
    ),
    DemoMeeting(
        key="uttlesford-scrutiny-2024",
        slug="uttlesford",
        body=Body.SCRUTINY,
        title="Scrutiny Committee",
        date=date(2024, 1, 11),
        start=time(19, 0),
        place="Council Chamber, Council Offices, Saffron Walden",
        attending=[UDC, "Essex Police", "Essex County Fire and Rescue Service"],
        item_title="Community Safety Partnership Annual Overview",
        minutes=(
            "Recommendations\n\n"
            "- Scrutiny are provided an update on the Community Safety Action Plan once it has "
            "been agreed between partners\n"
            "- The Annual Review of the CSP is scheduled for March, once the Strategic "
            "Assessment has been completed and local priorities have been identified\n"
            "- An update of the Action Plan objectives is provided as part of the Annual Review\n"
            "- The CSP Annual Report is delivered by UDC, Police and Fire to demonstrate "
            "collaborative working approach"
        ),
        resolutions=[
            DemoResolution(
                1,
                UDC,
                S.DISCHARGED,
                report_back=date(2024, 6, 30),
                responses=[
                    (
                        date(2024, 6, 20),
                        UDC,
                        "The Community Safety Action Plan 2024-2027 was agreed by partners and "
                        "circulated to the Committee.",
                        S.DISCHARGED,
                    )
                ],
            ),
            DemoResolution(2, UDC, S.DISCHARGED, report_back=date(2024, 3, 31)),
            DemoResolution(3, UDC, S.IN_PROGRESS, report_back_to="uttlesford-scrutiny-2027"),
            DemoResolution(4, UDC, S.OPEN, report_back_to="uttlesford-scrutiny-2027"),
        ],
    ),
    DemoMeeting(
        key="uttlesford-scrutiny-2027",
        slug="uttlesford",
        body=Body.SCRUTINY,
        title="Scrutiny Committee",
        date=date(2027, 1, 14),
        start=time(19, 0),
        place="Council Chamber, Council Offices, Saffron Walden",
        attending=[UDC],
        item_title="Community Safety Partnership Annual Overview",
    ),
]


def load(stdout) -> None:
    """Create or update the demo meetings, their resolutions and responses."""
    officer = User.objects.filter(email="officer@example.org").first()
    organisations = dict(Organisation.objects.values_list("name", "id"))
    meetings: dict[str, Meeting] = {}
    for spec in MEETINGS:
        meetings[spec.key] = _meeting(spec, organisations)
    count = 0
    for spec in MEETINGS:
        meeting = meetings[spec.key]
        item = meeting.agenda_items.first()
        if not spec.minutes:
            continue
        drafts = {d.number: d for d in parse_resolutions(spec.minutes).drafts}
        for plan in spec.resolutions:
            draft = drafts[plan.number]
            back_to = meetings[plan.report_back_to] if plan.report_back_to else None
            resolution, _ = Resolution.objects.update_or_create(
                meeting=meeting,
                agenda_item=item,
                number=plan.number,
                defaults={
                    "text": draft.text,
                    "owner_id": organisations.get(plan.owner),
                    "report_back_date": plan.report_back,
                    "report_back_meeting": back_to,
                    "status": plan.status or (S.NOTED if draft.noted else S.OPEN),
                },
            )
            for responded_on, organisation, text, new_status in plan.responses:
                ResolutionResponse.objects.get_or_create(
                    resolution=resolution,
                    responded_on=responded_on,
                    text=text,
                    defaults={
                        "organisation_id": organisations.get(organisation),
                        "new_status": new_status,
                        "recorded_by": officer
                        if spec.slug == "safer-chorley-south-ribble"
                        else None,
                    },
                )
            count += 1
    stdout.write(f"Meetings: {len(meetings)} meetings and {count} resolutions loaded.")


def _meeting(spec: DemoMeeting, organisations: dict[str, int]) -> Meeting:
    partnership = Partnership.objects.get(slug=spec.slug)
    group = (
        ThematicGroup.objects.get(partnership=partnership, name=spec.group) if spec.group else None
    )
    meeting, _ = Meeting.objects.update_or_create(
        partnership=partnership,
        body=spec.body,
        date=spec.date,
        title=spec.title,
        defaults={
            "thematic_group": group,
            "start_time": spec.start,
            "end_time": spec.end,
            "place": spec.place,
        },
    )
    meeting.organisations.set([organisations[name] for name in spec.attending])
    if spec.item_title:
        AgendaItem.objects.update_or_create(
            meeting=meeting,
            number=1,
            defaults={
                "title": spec.item_title,
                "minutes": spec.minutes,
                "paper_link": spec.item_link,
            },
        )
    return meeting
