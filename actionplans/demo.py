"""Demo action plans, from what the seed documents state.

Safer Chorley and South Ribble (seeds 000 and 001): the 2018/19 plan keeps the
priorities the 2018 conference set (tackling violent crime, reducing anti-social
behaviour) and carries the work the 2018 progress report describes -- Operation
Genga, MARAC, the Sanctuary Scheme, Divert, the PCC-funded Leyland Project and hate
crime training -- with quarterly updates in mixed RAG states. Its two targets are
judged from the demo figures (which stop at March 2018): ASB incidents against
2016/17 (met: about -5%) and violence with injury against 2016/17 (missed: about +23%).

Uttlesford (seed 004): "No CSP Action Plan in place"; the Community Safety Action
Plan 2024-2027 is being drafted from the Strategic Risk Assessment, so it is loaded
as a draft with the year-ahead work as actions not yet started.

Owners are roles, never named people. Narratives are aggregates only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.management.base import OutputWrapper
from django.utils import timezone

from actionplans.models import Action, ActionPlan, ActionUpdate, MeasureTarget, Objective
from actionplans.quarters import FinancialQuarter
from crimestats.models import Measure
from partnerships.demo import DEMO_PASSWORD
from partnerships.models import (
    Organisation,
    Partnership,
    PartnershipRole,
    Priority,
    Role,
    ThematicGroup,
)

if TYPE_CHECKING:
    from accounts.models import User

POLICE_USER = ("inspector@example.org", "Inspector Ian Police", "Lancashire Constabulary")

SRBC = "South Ribble Borough Council"
CHORLEY = "Chorley Council"
LANCS_POLICE = "Lancashire Constabulary"
UDC = "Uttlesford District Council"
ESSEX_POLICE = "Essex Police"


@dataclass(frozen=True)
class DemoUpdate:
    quarter: int
    rag: str
    status: str
    narrative: str


@dataclass(frozen=True)
class DemoAction:
    title: str
    lead: str
    owner: str
    start: date | None
    due: date | None
    description: str = ""
    updates: list[DemoUpdate] = field(default_factory=list)


@dataclass(frozen=True)
class DemoObjective:
    title: str
    priority: str | None
    group: str | None
    actions: list[DemoAction]
    # (measure code, direction, change %, baseline financial year)
    targets: list[tuple[str, str, int, int]] = field(default_factory=list)


G, A, R = "green", "amber", "red"
ON, RISK, OFF, DONE = "on_track", "at_risk", "off_track", "complete"

CHORLEY_PLAN = [
    DemoObjective(
        "Disrupt serious and organised crime",
        "Violent crime",
        "Officers' group",
        [
            DemoAction(
                "Operation Genga: local organised crime partnership board",
                LANCS_POLICE,
                "Partnerships Police Inspector",
                date(2018, 4, 1),
                date(2019, 3, 31),
                "Use all available information and powers, across agencies, to disrupt "
                "organised crime groups.",
                [
                    DemoUpdate(1, G, ON, "Board met monthly; two groups mapped and tasked."),
                    DemoUpdate(2, G, ON, "Joint visits with housing and licensing completed."),
                    DemoUpdate(
                        3,
                        A,
                        RISK,
                        "Warrant executed; outcomes still under investigation, so two "
                        "disruption plans are on hold.",
                    ),
                    DemoUpdate(4, G, ON, "Disruption plans resumed; national recognition."),
                ],
            ),
        ],
        targets=[("violence-with-injury", "reduce", 5, 2016)],
    ),
    DemoObjective(
        "Keep victims of domestic abuse safe",
        "Violent crime",
        "Officers' group",
        [
            DemoAction(
                "Hold a monthly MARAC for high-risk domestic abuse cases",
                LANCS_POLICE,
                "Public Protection Unit Detective Sergeant",
                date(2018, 4, 1),
                date(2019, 3, 31),
                "Share up-to-date information and put safeguarding actions in place for "
                "victims, children and other vulnerable members of the household.",
                [
                    DemoUpdate(1, G, ON, "Three conferences held; every referral heard."),
                    DemoUpdate(
                        2,
                        A,
                        RISK,
                        "Case numbers up by a fifth; agenda time is short. Extra "
                        "conference scheduled.",
                    ),
                    DemoUpdate(3, A, RISK, "Still over capacity; review of thresholds agreed."),
                ],
            ),
            DemoAction(
                "Sanctuary Scheme: target hardening so victims can stay at home",
                SRBC,
                "Housing Options Team Leader",
                date(2018, 4, 1),
                date(2019, 3, 31),
                "Referrals from partner agencies through the housing options team; "
                "installations by Preston Care and Repair with the registered social "
                "landlords.",
                [
                    DemoUpdate(1, G, ON, "11 referrals; 9 installations completed."),
                    DemoUpdate(
                        2,
                        R,
                        OFF,
                        "Installation budget spent early; 6 referrals waiting. Bid to the "
                        "OPCC grant submitted.",
                    ),
                    DemoUpdate(3, A, RISK, "Grant agreed; waiting list down to 2."),
                    DemoUpdate(4, G, ON, "No waiting list; 31 installations this year."),
                ],
            ),
        ],
    ),
    DemoObjective(
        "Reduce anti-social behaviour, working with young people",
        "Anti-social behaviour",
        "MATAC",
        [
            DemoAction(
                "Divert: early action with young people causing concern",
                LANCS_POLICE,
                "Early Action Neighbourhood Sergeant",
                date(2018, 4, 1),
                date(2019, 3, 31),
                "Work intensively with young people whose behaviour is causing concern, "
                "to prevent them committing crime.",
                [
                    DemoUpdate(1, G, ON, "14 young people referred; 12 engaged."),
                    DemoUpdate(2, G, ON, "Summer programme run with the youth service."),
                    DemoUpdate(3, G, ON, "No further police contact for 10 of 12 engaged."),
                    DemoUpdate(4, G, DONE, "Year complete; evaluation to the RAG in April."),
                ],
            ),
            DemoAction(
                "Leyland Project: PCC-funded diversionary activities",
                SRBC,
                "Community Safety Officer",
                date(2018, 4, 1),
                date(2018, 12, 31),
                "Positive activities in a safe environment, accredited learning and "
                "leadership skills for young people from rival estates in Leyland.",
                [
                    DemoUpdate(1, G, ON, "Two cohorts started; attendance good."),
                    DemoUpdate(2, A, RISK, "Venue lost for August; sessions moved."),
                    DemoUpdate(
                        3,
                        R,
                        OFF,
                        "Sessions paused after the provider withdrew; grant underspent.",
                    ),
                    DemoUpdate(4, R, OFF, "New provider being sought; not delivered by due date."),
                ],
            ),
        ],
        targets=[("asb-incidents", "reduce", 5, 2016)],
    ),
    DemoObjective(
        "Respond to hate crime",
        "Violent crime",
        "Officers' group",
        [
            DemoAction(
                "Hate crime awareness training (Afta Thought)",
                SRBC,
                "Community Safety Officer",
                date(2018, 6, 1),
                date(2018, 11, 30),
                "PCC-funded drama-based training bringing the lived experience of "
                "victims of hate crime to staff and partners, under the Hate Crime "
                "Strategy 2017-2020.",
                [
                    DemoUpdate(2, G, ON, "Four sessions booked with partners."),
                    DemoUpdate(3, G, DONE, "Delivered to 120 staff and partners."),
                ],
            ),
        ],
    ),
]

UTTLESFORD_PLAN = [
    DemoObjective(
        "Agree the action plan from the Strategic Risk Assessment",
        None,
        None,
        [
            DemoAction(
                "Complete the Strategic Risk Assessment",
                UDC,
                "Director of Housing, Health and Communities",
                date(2023, 11, 1),
                date(2024, 2, 29),
                "Identify the high risk, high harm factors affecting communities and how "
                "they changed from the previous year.",
            ),
            DemoAction(
                "Partner workshop to sense-check the priorities",
                UDC,
                "Community Safety Lead",
                date(2024, 2, 1),
                date(2024, 2, 29),
            ),
            DemoAction(
                "Responsible Authorities Group signs off the plan",
                UDC,
                "Director of Housing, Health and Communities",
                date(2024, 3, 1),
                date(2024, 4, 30),
            ),
        ],
    ),
    DemoObjective(
        "Work together and with residents",
        None,
        None,
        [
            DemoAction(
                "CSP calendar of activities and reassurance messages",
                UDC,
                "Communications Officer",
                date(2024, 4, 1),
                date(2024, 9, 30),
                "ASB Week, Knife Crime Week and other campaigns, co-ordinated and visible.",
            ),
            DemoAction(
                "Share hot spot data about vulnerable residents",
                ESSEX_POLICE,
                "District Commander",
                date(2024, 4, 1),
                date(2025, 3, 31),
            ),
            DemoAction(
                "Violence against women and girls strategy (Op Minerva)",
                ESSEX_POLICE,
                "Community Safety Engagement Officer",
                date(2024, 4, 1),
                date(2025, 3, 31),
                "Domestic Abuse Alliance and Women's Safety Charter.",
            ),
        ],
    ),
]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _load_plan(
    partnership: Partnership,
    *,
    title: str,
    summary: str,
    years: tuple[int, int],
    status: str,
    objectives: list[DemoObjective],
    authors: dict[str, User | None],
) -> tuple[int, int]:
    plan, _ = ActionPlan.objects.update_or_create(
        partnership=partnership,
        title=title,
        defaults={
            "summary": summary,
            "start_year": years[0],
            "end_year": years[1],
            "status": status,
        },
    )
    priorities = {p.name: p for p in Priority.objects.filter(partnership=partnership)}
    groups = {g.name: g for g in ThematicGroup.objects.filter(partnership=partnership)}
    organisations = {o.name: o for o in Organisation.objects.all()}
    measures = {m.code: m for m in Measure.objects.all()}
    actions = updates = 0
    for order, spec in enumerate(objectives, start=1):
        objective, _ = Objective.objects.update_or_create(
            plan=plan,
            title=spec.title,
            defaults={
                "priority": priorities.get(spec.priority) if spec.priority else None,
                "thematic_group": groups.get(spec.group) if spec.group else None,
                "display_order": order,
            },
        )
        for code, direction, pct, baseline in spec.targets:
            MeasureTarget.objects.update_or_create(
                objective=objective,
                measure=measures[code],
                defaults={
                    "direction": direction,
                    "change_pct": Decimal(pct),
                    "baseline_year": baseline,
                },
            )
        for action_order, item in enumerate(spec.actions, start=1):
            latest = item.updates[-1] if item.updates else None
            action, _ = Action.objects.update_or_create(
                objective=objective,
                title=item.title,
                defaults={
                    "description": item.description,
                    "lead_organisation": organisations[item.lead],
                    "owner_name": item.owner,
                    "start_date": item.start,
                    "due_date": item.due,
                    "status": latest.status if latest else Action.Status.NOT_STARTED,
                    "rag_status": latest.rag if latest else "",
                    "display_order": action_order,
                },
            )
            actions += 1
            for update in item.updates:
                quarter = FinancialQuarter(plan.start_year, update.quarter)
                ActionUpdate.objects.update_or_create(
                    action=action,
                    financial_year=quarter.year,
                    quarter=quarter.quarter,
                    defaults={
                        "rag_status": update.rag,
                        "status": update.status,
                        "narrative": update.narrative,
                        "author": authors.get(item.lead),
                        "created_at": _moment(quarter.end + timedelta(days=10)),
                    },
                )
                updates += 1
    return actions, updates


def _police_user(partnership: Partnership) -> User:
    """A police editor, to show that editors update only their organisation's actions."""
    from accounts.models import User

    email, name, organisation = POLICE_USER
    user = User.objects.filter(email=email).first() or User(email=email)
    user.full_name = name
    user.set_password(DEMO_PASSWORD)
    user.save()
    PartnershipRole.objects.update_or_create(
        user=user,
        partnership=partnership,
        defaults={
            "role": Role.EDITOR,
            "organisation": Organisation.objects.get(name=organisation),
        },
    )
    return user


def load(stdout: OutputWrapper) -> None:
    """Load (or refresh) the demo plans. Idempotent: a second run changes nothing."""
    from accounts.models import User

    chorley = Partnership.objects.get(slug="safer-chorley-south-ribble")
    officer = User.objects.filter(email="officer@example.org").first()
    inspector = _police_user(chorley)
    actions, updates = _load_plan(
        chorley,
        title="Community Safety Action Plan 2018/19",
        summary=(
            "Agreed by the Responsible Authorities Group in April 2018 after the partnership "
            "conference of 23 January 2018. Priorities: tackling violent crime and reducing "
            "anti-social behaviour, the areas of greatest risk of harm to the community."
        ),
        years=(2018, 2018),
        status=ActionPlan.Status.ACTIVE,
        objectives=CHORLEY_PLAN,
        authors={SRBC: officer, LANCS_POLICE: inspector},
    )
    more_actions, more_updates = _load_plan(
        Partnership.objects.get(slug="uttlesford"),
        title="Community Safety Action Plan 2024-2027",
        summary=(
            "In draft: being developed from the Strategic Risk Assessment and the partner "
            "workshop, for the Responsible Authorities Group to sign off by the end of "
            "April 2024."
        ),
        years=(2024, 2026),
        status=ActionPlan.Status.DRAFT,
        objectives=UTTLESFORD_PLAN,
        authors={},
    )
    stdout.write(
        f"Action plans: {actions + more_actions} actions, {updates + more_updates} quarterly "
        f"updates. {POLICE_USER[0]} is an editor for {POLICE_USER[2]} in "
        "Safer Chorley and South Ribble (updates police-led actions only)."
    )
