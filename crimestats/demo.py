"""Demo figures for the Safer Chorley and South Ribble CSP.

Monthly crime, ASB and flagged-crime figures for Chorley and South Ribble from April
2014 to March 2018, built so that April 2017 - January 2018 compared with April 2016 -
January 2017 gives exactly the changes reported to South Ribble's scrutiny committee
(seed 001): all crime +20.4% (Chorley +19.3%), alcohol-related crime +0.9%, ASB -6.0%,
domestic abuse +22.6%, all burglary +34.0%, all theft +19.0%.

The figures are made up around those totals: each offence group gets a ten-month
(April to January) total per year, spread over the months with a seasonal pattern by
largest remainder (so the months add up exactly), and every parent group is the sum
of its children, so burglary = residential + non-residential and all crime = the sum
of the ONS offence groups. Quarterly MARAC figures (346 cases and 454 children from
October 2016 to September 2017, 8% of victims declaring a disability, 8% male), the
2017/18 residents' survey (1,753 responses, 67% confident South Ribble is a safe place
to live, 31% unsure; the two years before are made up for the trend) and the 2017/18
funding (£10,000 PCC grant, £24,000 council contribution
to the IDVA service) are as stated in the seed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
from crimestats.services import ObservationInput, observations_upsert
from cspportal.lib.periods import PeriodType, add_months, month_end
from partnerships.models import Area, Organisation, Partnership

SLUG = "safer-chorley-south-ribble"
POLICE = "Lancashire Constabulary"
COUNCIL = "South Ribble Borough Council"
FIRST_YEAR, LAST_YEAR = 2014, 2017  # financial years 2014/15 to 2017/18
APPROVED_UNTIL = date(2017, 4, 1)  # returns for periods before this are approved

# Seasonal weight of each month, April first: crime peaks in summer and dips in winter.
CRIME_SEASON = [0.98, 1.03, 1.04, 1.07, 1.05, 1.00, 1.02, 0.98, 0.94, 0.95, 0.92, 0.98]
ASB_SEASON = [1.02, 1.10, 1.12, 1.16, 1.12, 0.98, 1.04, 0.92, 0.82, 0.84, 0.86, 1.02]

# Leaf offence groups: (code, South Ribble April-January 2016/17, 2017/18). Parents
# are summed from these.
SOUTH_RIBBLE_LEAVES = [
    ("homicide", 1, 1),
    ("death-or-serious-injury-unlawful-driving", 2, 3),
    ("violence-with-injury", 560, 690),
    ("violence-without-injury", 800, 1000),
    ("stalking-and-harassment", 537, 686),
    ("sexual-offences", 150, 190),
    ("robbery", 40, 45),
    ("burglary-residential", 230, 310),
    ("burglary-non-residential", 120, 159),
    ("vehicle-offences", 420, 470),
    ("theft-from-the-person", 60, 70),
    ("bicycle-theft", 90, 95),
    ("shoplifting", 380, 448),
    ("other-theft-offences", 500, 590),
    ("criminal-damage-and-arson", 900, 1000),
    ("drug-offences", 180, 200),
    ("possession-of-weapons-offences", 50, 60),
    ("public-order-offences", 600, 760),
    ("miscellaneous-crimes-against-society", 180, 206),
]
CHORLEY_LEAVES = [
    ("homicide", 1, 0),
    ("death-or-serious-injury-unlawful-driving", 2, 2),
    ("violence-with-injury", 590, 700),
    ("violence-without-injury", 830, 1010),
    ("stalking-and-harassment", 555, 690),
    ("sexual-offences", 160, 195),
    ("robbery", 42, 50),
    ("burglary-residential", 250, 300),
    ("burglary-non-residential", 130, 150),
    ("vehicle-offences", 430, 500),
    ("theft-from-the-person", 62, 70),
    ("bicycle-theft", 85, 100),
    ("shoplifting", 400, 470),
    ("other-theft-offences", 520, 610),
    ("criminal-damage-and-arson", 930, 1080),
    ("drug-offences", 190, 230),
    ("possession-of-weapons-offences", 53, 61),
    ("public-order-offences", 590, 740),
    ("miscellaneous-crimes-against-society", 180, 200),
]
PARENTS = {
    "burglary": ["burglary-residential", "burglary-non-residential"],
    "violence-against-the-person": [
        "homicide",
        "death-or-serious-injury-unlawful-driving",
        "violence-with-injury",
        "violence-without-injury",
        "stalking-and-harassment",
    ],
    "theft-offences": [
        "burglary",
        "vehicle-offences",
        "theft-from-the-person",
        "bicycle-theft",
        "shoplifting",
        "other-theft-offences",
    ],
    "all-crime": [
        "violence-against-the-person",
        "sexual-offences",
        "robbery",
        "theft-offences",
        "criminal-damage-and-arson",
        "drug-offences",
        "possession-of-weapons-offences",
        "public-order-offences",
        "miscellaneous-crimes-against-society",
    ],
}
# Other monthly series: (code, seasonal pattern, {area: (2016/17, 2017/18)} April-January).
OTHER_MONTHLY = [
    ("asb-incidents", ASB_SEASON, {"South Ribble": (3000, 2820), "Chorley": (3150, 3010)}),
    (
        "domestic-abuse-crimes",
        CRIME_SEASON,
        {"South Ribble": (1000, 1226), "Chorley": (1060, 1290)},
    ),
    ("alcohol-related-crime", CRIME_SEASON, {"South Ribble": (700, 706), "Chorley": (730, 760)}),
    (
        "domestic-abuse-incidents",
        CRIME_SEASON,
        {"South Ribble": (1100, 1150), "Chorley": (1150, 1190)},
    ),
    ("hate-crimes", CRIME_SEASON, {"South Ribble": (60, 75), "Chorley": (64, 70)}),
]
# How each earlier year's April-January total compares with 2016/17's.
EARLIER_YEAR_FACTORS = {2014: Decimal("0.96"), 2015: Decimal("0.98")}

# Quarterly whole-partnership figures from 2016/17 Q1. The MARAC figures run to
# September 2017 (2017/18 Q2): seed 001 gives "the most up to date figures ... as of
# 20/02/18" for October 2016 to September 2017, which (2016/17 Q3 to 2017/18 Q2) add
# up to 346 cases and 454 children; over those 346 cases, 8% of victims declared a
# disability and 8% were male (the quarterly shares weighted by cases). The other
# measures run to 2017/18 Q4.
QUARTERLY = {
    "marac-cases": [80, 83, 84, 88, 85, 89],
    "marac-children": [105, 108, 110, 116, 112, 116],
    "marac-repeat-pct": [24, 26, 25, 27, 28, 26],
    "marac-disability-pct": [9, 8, 7, 9, 8, 8],
    "marac-male-pct": [6, 8, 9, 7, 8, 8],
    "idva-referrals": [58, 61, 64, 66, 70, 72, 69, 71],
    "community-trigger-applications": [3, 2, 4, 3, 2, 5, 3, 4],
    "community-trigger-reviews": [2, 1, 2, 2, 1, 3, 2, 2],
    "community-trigger-thresholds-met": [1, 1, 2, 1, 1, 2, 2, 1],
    "community-trigger-thresholds-not-met": [2, 1, 2, 2, 1, 3, 1, 3],
    "community-trigger-reviews-with-recommendations": [1, 1, 1, 1, 0, 2, 1, 1],
}
POLICE_QUARTERLY = {code for code in QUARTERLY if code.startswith("marac-")}
# The council's corporate survey of South Ribble residents, by financial year: those
# answering, the % confident it is a safe place to live and the % unsure. 2017/18 is
# seed 001's (1,753 contacts, 67% and 31%); the two years before are made up, so that
# the report can show the trend seed 000's committee asked for.
SURVEY = {2015: (1688, 64, 33), 2016: (1702, 65, 32), 2017: (1753, 67, 31)}
SURVEY_DATES = {
    2015: "1 April 2015 to 31 January 2016",
    2016: "1 April 2016 to 31 January 2017",
    2017: "1 April 2017 to 31 January 2018",
}

HEADLINE = {
    "all-crime",
    "asb-incidents",
    "domestic-abuse-crimes",
    "burglary",
    "theft-offences",
    "alcohol-related-crime",
}


def spread(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` over the weights by largest remainder, so the parts add up."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def year_months(year: int, april_to_january: int, season: list[float]) -> list[int]:
    """Twelve months of a financial year: April-January add up to the given total,
    February and March follow the same monthly level."""
    ten = spread(april_to_january, season[:10])
    level = april_to_january / sum(season[:10])
    return ten + [round(level * season[10]), round(level * season[11])]


def april_to_january_total(base: tuple[int, int], year: int) -> int:
    previous, current = base
    if year == 2016:
        return previous
    if year == 2017:
        return current
    return int((previous * EARLIER_YEAR_FACTORS[year]).to_integral_value())


def monthly_series(
    leaves: list[tuple[str, int, int]], others: list, area: str
) -> dict[str, dict[date, int]]:
    """Every monthly measure for one area, April 2014 to March 2018."""
    series: dict[str, dict[date, int]] = {}
    for code, previous, current in leaves:
        series[code] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            total = april_to_january_total((previous, current), year)
            for i, value in enumerate(year_months(year, total, CRIME_SEASON)):
                series[code][add_months(date(year, 4, 1), i)] = value
    for parent, children in PARENTS.items():
        months = series[children[0]].keys()
        series[parent] = {m: sum(series[c][m] for c in children) for m in months}
    for code, season, by_area in others:
        series[code] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            total = april_to_january_total(by_area[area], year)
            for i, value in enumerate(year_months(year, total, season)):
                series[code][add_months(date(year, 4, 1), i)] = value
    return series


def _return(partnership, organisation, period_type, start, end) -> DataReturn:
    data_return, _ = DataReturn.objects.get_or_create(
        partnership=partnership,
        organisation=organisation,
        period_type=period_type,
        period_start=start,
        defaults={"period_end": end},
    )
    return data_return


def _store(partnership, data_return, inputs, approver, stdout_counts) -> None:
    result = observations_upsert(
        partnership=partnership,
        inputs=inputs,
        source=Observation.Source.DEMO,
        user=None,
        data_return=data_return,
        reason="Demo data reloaded",
        allow_approved_changes=True,
        as_at=data_return.period_end,
    )
    stdout_counts[0] += result.created
    stdout_counts[1] += result.updated
    now = timezone.now()
    if data_return.period_start < APPROVED_UNTIL:
        if data_return.status != DataReturn.Status.APPROVED:
            data_return.status = DataReturn.Status.APPROVED
            data_return.submitted_at = data_return.approved_at = now
            data_return.approved_by = approver
            data_return.save()
        data_return.observations.filter(is_approved=False).update(is_approved=True)
    elif data_return.status == DataReturn.Status.DRAFT and data_return.period_end < date(
        2018, 3, 1
    ):
        data_return.status = DataReturn.Status.SUBMITTED
        data_return.submitted_at = now
        data_return.save()


def load(stdout) -> None:
    """Load (or refresh) the demo figures. Idempotent: a second run changes nothing."""
    from accounts.models import User

    partnership = Partnership.objects.get(slug=SLUG)
    areas = {a.name: a for a in Area.objects.filter(partnership=partnership)}
    police = Organisation.objects.get(name=POLICE)
    council = Organisation.objects.get(name=COUNCIL)
    measures = {m.code: m for m in Measure.objects.all()}
    approver = User.objects.filter(email="manager@example.org").first()
    counts = [0, 0]

    monthly = {
        "South Ribble": monthly_series(SOUTH_RIBBLE_LEAVES, OTHER_MONTHLY, "South Ribble"),
        "Chorley": monthly_series(CHORLEY_LEAVES, OTHER_MONTHLY, "Chorley"),
    }
    chosen = (
        set(monthly["South Ribble"])
        | set(QUARTERLY)
        | {
            "residents-feeling-safe-pct",
            "residents-unsure-pct",
            "residents-surveyed",
            "funding-gbp",
        }
    )
    for code in chosen:
        supplier = (
            police if code in monthly["South Ribble"] or code in POLICE_QUARTERLY else council
        )
        PartnershipMeasure.objects.update_or_create(
            partnership=partnership,
            measure=measures[code],
            defaults={"supplier": supplier, "is_headline": code in HEADLINE},
        )

    first = date(FIRST_YEAR, 4, 1)
    for i in range(12 * (LAST_YEAR - FIRST_YEAR + 1)):
        start = add_months(first, i)
        end = month_end(start)
        inputs = [
            ObservationInput(
                measure_id=measures[code].pk,
                area_id=areas[area].pk,
                period_type=PeriodType.MONTH,
                period_start=start,
                period_end=end,
                value=Decimal(values[start]),
            )
            for area, series in monthly.items()
            for code, values in series.items()
        ]
        data_return = _return(partnership, police, PeriodType.MONTH, start, end)
        _store(partnership, data_return, inputs, approver, counts)

    for q in range(8):
        start = add_months(date(2016, 4, 1), 3 * q)
        end = month_end(add_months(start, 2))
        for organisation in (police, council):
            inputs = [
                ObservationInput(
                    measure_id=measures[code].pk,
                    area_id=None,
                    period_type=PeriodType.QUARTER,
                    period_start=start,
                    period_end=end,
                    value=Decimal(values[q]),
                    note="Chorley and South Ribble MARAC" if code.startswith("marac") else "",
                )
                for code, values in QUARTERLY.items()
                if (code in POLICE_QUARTERLY) == (organisation == police) and q < len(values)
            ]
            if not inputs:
                continue
            data_return = _return(partnership, organisation, PeriodType.QUARTER, start, end)
            _store(partnership, data_return, inputs, approver, counts)

    south_ribble = areas["South Ribble"].pk
    for year, (answered, safe, unsure) in SURVEY.items():
        start, end = date(year, 4, 1), date(year + 1, 3, 31)
        survey = f"Council corporate survey, {SURVEY_DATES[year]}"
        inputs = [
            ObservationInput(
                measure_id=measures[code].pk,
                area_id=south_ribble,
                period_type=PeriodType.FINANCIAL_YEAR,
                period_start=start,
                period_end=end,
                value=Decimal(value),
                note=note,
            )
            for code, value, note in (
                ("residents-surveyed", answered, f"{survey}."),
                (
                    "residents-feeling-safe-pct",
                    safe,
                    f"{survey}: {safe}% confident South Ribble is a safe place to live.",
                ),
                ("residents-unsure-pct", unsure, f"{survey}: {unsure}% unsure."),
            )
        ]
        if year < LAST_YEAR:
            data_return = _return(partnership, council, PeriodType.FINANCIAL_YEAR, start, end)
            _store(partnership, data_return, inputs, approver, counts)
    start, end = date(LAST_YEAR, 4, 1), date(LAST_YEAR + 1, 3, 31)
    annual = [
        *inputs,
        ObservationInput(
            measure_id=measures["funding-gbp"].pk,
            area_id=None,
            period_type=PeriodType.FINANCIAL_YEAR,
            period_start=start,
            period_end=end,
            value=Decimal("10000"),
            note="Police and Crime Commissioner grant to the partnership, held by the OPCC.",
        ),
        ObservationInput(
            measure_id=measures["funding-gbp"].pk,
            area_id=south_ribble,
            period_type=PeriodType.FINANCIAL_YEAR,
            period_start=start,
            period_end=end,
            value=Decimal("24000"),
            note="South Ribble Borough Council contribution to the IDVA service "
            "(committed from April 2017 to March 2020).",
        ),
    ]
    data_return = _return(partnership, council, PeriodType.FINANCIAL_YEAR, start, end)
    _store(partnership, data_return, annual, approver, counts)
    stdout.write(f"Demo figures: {counts[0]} created, {counts[1]} updated.")
