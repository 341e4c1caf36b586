"""The demo partnerships, taken from what the seed documents state.

Populations are ONS mid-year estimates rounded to the nearest hundred (source: ONS
population estimates for local authorities, mid-2018 and mid-2021).
"""

from dataclasses import dataclass, field

from partnerships.models import Area, Organisation, Role

DEMO_PASSWORD = "demo-password"


@dataclass(frozen=True)
class DemoMember:
    name: str
    type: str
    statutory: bool
    representative: str = ""


@dataclass(frozen=True)
class DemoPartnership:
    slug: str
    name: str
    lead_council: str
    description: str
    gss_code: str = ""
    gss_vintage: int | None = None
    areas: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    members: list[DemoMember] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)
    priorities: list[tuple[str, str, int, int]] = field(default_factory=list)


O = Organisation.Type  # noqa: E741 (short alias keeps the tables below readable)
DISTRICT, BOROUGH, COUNTY = Area.Kind.DISTRICT, Area.Kind.BOROUGH, Area.Kind.COUNTY

PARTNERSHIPS = [
    DemoPartnership(
        slug="safer-chorley-south-ribble",
        name="Safer Chorley and South Ribble CSP",
        lead_council="South Ribble Borough Council",
        description=(
            "The community safety partnership for Chorley and South Ribble. The Responsible "
            "Authorities Group meets twice a year and appoints its chair each April; an "
            "officers' group produces the action plan."
        ),
        areas=[
            ("Chorley", BOROUGH, "E07000118", 116_800, 2018),
            ("South Ribble", BOROUGH, "E07000126", 110_500, 2018),
        ],
        members=[
            DemoMember("South Ribble Borough Council", O.COUNCIL, True, "Public Health Manager"),
            DemoMember("Chorley Council", O.COUNCIL, True, "Community Safety Officer"),
            DemoMember("Lancashire County Council", O.COUNCIL, True),
            DemoMember("Lancashire Constabulary", O.POLICE, True, "Partnerships Police Inspector"),
            DemoMember("Lancashire Fire and Rescue Service", O.FIRE, True),
            DemoMember("National Probation Service (Lancashire)", O.PROBATION, True),
            DemoMember("Chorley and South Ribble Clinical Commissioning Group", O.HEALTH, True),
            DemoMember("Office of the Police and Crime Commissioner for Lancashire", O.PCC, False),
        ],
        groups=[
            ("Officers' group", "Produces and monitors the action plan; meets monthly."),
            ("MATAC", "Multi Agency Tasking and Co-ordination of local crime and ASB issues."),
        ],
        priorities=[
            ("Violent crime", "Tackling violent crime, including domestic abuse.", 2018, 2018),
            ("Anti-social behaviour", "Reducing anti-social behaviour.", 2018, 2018),
        ],
    ),
    DemoPartnership(
        slug="chesterfield",
        name="Chesterfield CSP",
        lead_council="Chesterfield Borough Council",
        gss_code="E22000039",
        gss_vintage=2024,
        description=(
            "Coordinates actions that reduce crime and anti-social behaviour in Chesterfield, "
            "restructured around thematic groups whose action plans the partnership reviews "
            "each quarter."
        ),
        areas=[("Chesterfield", BOROUGH, "E07000034", 104_600, 2018)],
        members=[
            DemoMember(
                "Chesterfield Borough Council",
                O.COUNCIL,
                True,
                "Head of Community Safety and Regulatory Services",
            ),
            DemoMember("Derbyshire County Council", O.COUNCIL, True),
            DemoMember("Derbyshire Constabulary", O.POLICE, True, "Superintendent"),
            DemoMember("Derbyshire Fire and Rescue Service", O.FIRE, True),
            DemoMember("National Probation Service (Derbyshire)", O.PROBATION, True),
            DemoMember("NHS Derby and Derbyshire", O.HEALTH, True),
        ],
        groups=[
            (
                "ASB tactical group",
                "Multi-agency officer group that drives the ASB strategy; meets every two weeks.",
            ),
            (
                "ASB operational tasking group",
                "Manages current and emerging ASB issues with integrated plans.",
            ),
            ("Serious and organised crime", "Prepares the Chesterfield Delivery Plan."),
        ],
        priorities=[
            ("Anti-social behaviour", "Operation Blofeld and the ASB strategy.", 2023, 2025)
        ],
    ),
    DemoPartnership(
        slug="safer-lincolnshire",
        name="Safer Lincolnshire Partnership",
        lead_council="Lincolnshire County Council",
        description="The county-wide community safety partnership for Lincolnshire.",
        areas=[
            ("Boston", BOROUGH, "E07000136", 70_500, 2021),
            ("East Lindsey", DISTRICT, "E07000137", 142_300, 2021),
            ("Lincoln", DISTRICT, "E07000138", 103_900, 2021),
            ("North Kesteven", DISTRICT, "E07000139", 118_100, 2021),
            ("South Holland", DISTRICT, "E07000140", 95_100, 2021),
            ("South Kesteven", DISTRICT, "E07000141", 143_400, 2021),
            ("West Lindsey", DISTRICT, "E07000142", 95_200, 2021),
        ],
        members=[
            DemoMember("Lincolnshire County Council", O.COUNCIL, True, "Head of Safer Communities"),
            DemoMember("Lincolnshire Police", O.POLICE, True),
            DemoMember("Lincolnshire Fire and Rescue", O.FIRE, True),
            DemoMember("Probation Service (Lincolnshire)", O.PROBATION, True),
            DemoMember("NHS Lincolnshire Integrated Care Board", O.HEALTH, True),
            DemoMember(
                "Office of the Police and Crime Commissioner for Lincolnshire", O.PCC, False
            ),
        ],
        groups=[("Core Priority Group", "Anti-social behaviour, including the community trigger.")],
        priorities=[
            ("Anti-social behaviour", "", 2019, 2021),
            ("Domestic abuse", "", 2019, 2021),
            ("Fraud", "", 2019, 2021),
            ("Modern day slavery", "", 2019, 2021),
            ("Reducing offending", "", 2019, 2021),
        ],
    ),
    DemoPartnership(
        slug="uttlesford",
        name="Uttlesford CSP",
        lead_council="Uttlesford District Council",
        gss_code="E22000092",
        gss_vintage=2024,
        description=(
            "A Strategic Risk Assessment is under way; the Community Safety Action Plan "
            "2024-2027 is due by the end of April 2024."
        ),
        areas=[("Uttlesford", DISTRICT, "E07000077", 91_300, 2021)],
        members=[
            DemoMember(
                "Uttlesford District Council",
                O.COUNCIL,
                True,
                "Director of Housing, Health and Communities",
            ),
            DemoMember("Essex Police", O.POLICE, True),
            DemoMember("Essex County Fire and Rescue Service", O.FIRE, True),
            DemoMember("Probation Service (Essex)", O.PROBATION, True),
        ],
    ),
]

# (email, full name, partnership slug or None for a site administrator, role, organisation)
USERS = [
    (
        "officer@example.org",
        "Olivia Officer",
        "safer-chorley-south-ribble",
        Role.EDITOR,
        "South Ribble Borough Council",
    ),
    (
        "member@example.org",
        "Councillor Morgan Member",
        "safer-chorley-south-ribble",
        Role.VIEWER,
        "South Ribble Borough Council",
    ),
    (
        "manager@example.org",
        "Max Manager",
        "safer-chorley-south-ribble",
        Role.MANAGER,
        "South Ribble Borough Council",
    ),
    ("admin@example.org", "Ada Administrator", None, None, None),
]
