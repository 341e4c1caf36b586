"""The standard measure catalogue every partnership can choose from.

Loaded by a data migration (so every database, test databases included, has it) and
reloadable with ``catalogue_load``. Codes are stable identifiers used by importers,
dashboards and reports: never rename one.

``ons_offence_group`` holds the ONS Community Safety Partnership table heading with
its whitespace collapsed (the workbook breaks some headers over lines: importers
normalise with ``" ".join(text.split())`` before matching). ``policeuk_crime_type`` is
the exact 'Crime type' text in police.uk street-level files.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

COUNT, PERCENTAGE, GBP = "count", "percentage", "gbp"
UP, DOWN, NEUTRAL = "up_good", "down_good", "neutral"
CRIME, INCIDENT, FLAG, PARTNERSHIP, SURVEY = "crime", "incident", "flag", "partnership", "survey"
SUM, MEAN, LATEST = "sum", "mean", "latest"
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
COUNCIL, POLICE, PCC = "council", "police", "pcc"

ONS_SOURCE = "Police recorded crime (Home Office), ONS Community Safety Partnership tables"
POLICEUK_SOURCE = "data.police.uk street-level crime files"
POLICE_SOURCE = "Police force crime system extract"
CASE_REVIEW_SOURCE = "ASB case review register"

RECORDED_CRIME = "Recorded crime (ONS offence groups)"
# All crime is filled from either source (the police.uk street files' crimes, the
# ONS tables' total, a force extract), so its group says so rather than "ONS".
ALL_CRIME_GROUP = "Recorded crime (all crime: police.uk crimes or the ONS total)"
POLICEUK_GROUP = "Recorded crime (police.uk crime types)"
ASB_GROUP = "Anti-social behaviour"
FLAGGED_GROUP = "Flagged crimes and incidents"
DOMESTIC_ABUSE_GROUP = "Domestic abuse partnership measures"
TRIGGER_GROUP = "Community trigger"
SURVEY_GROUP = "Residents' perception"
FUNDING_GROUP = "Funding"

# The community trigger measures the ASB case review register counts (casereviews):
# their figures are written from the register, never typed in a data return.
CASE_REVIEW_MEASURES = (
    "community-trigger-applications",
    "community-trigger-thresholds-met",
    "community-trigger-thresholds-not-met",
    "community-trigger-reviews",
    "community-trigger-reviews-with-recommendations",
)


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    group: str
    kind: str
    counting_rule: str
    parent: str = ""
    unit: str = COUNT
    polarity: str = DOWN
    aggregation: str = SUM
    frequency: str = MONTHLY
    owner_type: str = POLICE
    source: str = ONS_SOURCE
    ons_offence_group: str = ""
    policeuk_crime_type: str = ""


def _ons(code: str, heading: str, rule: str, parent: str = "") -> MeasureSpec:
    return MeasureSpec(
        code=code,
        name=heading,
        group=RECORDED_CRIME,
        kind=CRIME,
        counting_rule=rule,
        parent=parent,
        ons_offence_group=heading,
    )


ONS_MEASURES = [
    MeasureSpec(
        code="all-crime",
        name="All crime (total recorded crime excluding fraud)",
        group=ALL_CRIME_GROUP,
        kind=CRIME,
        ons_offence_group="Total recorded crime (excluding fraud)",
        counting_rule=(
            "Every crime the police record in the area under the Home Office Counting "
            "Rules, counted in the month it was recorded. Fraud and computer misuse are "
            "left out because Action Fraud records them nationally, not by area."
        ),
    ),
    _ons(
        "violence-against-the-person",
        "Violence against the person",
        "Homicide, violence with and without injury, stalking and harassment, and death "
        "or serious injury caused by unlawful driving. One crime per victim.",
    ),
    _ons(
        "homicide",
        "Homicide",
        "Murder, manslaughter, corporate manslaughter and infanticide, counted when "
        "recorded, one per victim.",
        parent="violence-against-the-person",
    ),
    _ons(
        "violence-with-injury",
        "Violence with injury",
        "Assaults and woundings where the victim is injured, including attempted murder.",
        parent="violence-against-the-person",
    ),
    _ons(
        "violence-without-injury",
        "Violence without injury",
        "Common assault, threats to kill and similar offences where no injury results.",
        parent="violence-against-the-person",
    ),
    _ons(
        "stalking-and-harassment",
        "Stalking and harassment",
        "Harassment, stalking, controlling or coercive behaviour and malicious communications.",
        parent="violence-against-the-person",
    ),
    _ons(
        "death-or-serious-injury-unlawful-driving",
        "Death or serious injury caused by illegal driving",
        "Deaths and serious injuries caused by dangerous, careless or unlicensed "
        "driving, one per victim.",
        parent="violence-against-the-person",
    ),
    _ons(
        "sexual-offences",
        "Sexual offences",
        "Rape and other sexual offences, counted when recorded even if the offence "
        "happened years earlier.",
    ),
    _ons(
        "robbery",
        "Robbery",
        "Theft with force or the threat of force, of personal property or from a business.",
    ),
    _ons(
        "theft-offences",
        "Theft offences",
        "All theft: burglary, vehicle offences, theft from the person, bicycle theft, "
        "shoplifting and other theft.",
    ),
    _ons(
        "burglary",
        "Burglary",
        "Entry to a building as a trespasser to steal or cause harm: residential and "
        "non-residential burglary together.",
        parent="theft-offences",
    ),
    _ons(
        "burglary-residential",
        "Residential burglary",
        "Burglary of a home, including sheds and garages on the same property. One "
        "crime per household burgled.",
        parent="burglary",
    ),
    _ons(
        "burglary-non-residential",
        "Non-residential burglary",
        "Burglary of business and community premises and outbuildings not part of a home.",
        parent="burglary",
    ),
    _ons(
        "vehicle-offences",
        "Vehicle offences",
        "Theft of or from a vehicle, aggravated vehicle taking and interfering with a vehicle.",
        parent="theft-offences",
    ),
    _ons(
        "theft-from-the-person",
        "Theft from the person",
        "Theft of property being carried or worn, like pickpocketing and snatch theft, "
        "without force.",
        parent="theft-offences",
    ),
    _ons(
        "bicycle-theft",
        "Bicycle theft",
        "Theft of a pedal cycle, one crime per incident whatever the number of bicycles.",
        parent="theft-offences",
    ),
    _ons(
        "shoplifting",
        "Shoplifting",
        "Theft from a shop or stall by someone posing as a customer, including cases "
        "reported by the retailer later.",
        parent="theft-offences",
    ),
    _ons(
        "other-theft-offences",
        "All other theft offences",
        "Theft not counted elsewhere: from a dwelling, by an employee, of mail and similar.",
        parent="theft-offences",
    ),
    _ons(
        "criminal-damage-and-arson",
        "Criminal damage and arson",
        "Deliberate damage to property and deliberately set fires.",
    ),
    _ons(
        "drug-offences",
        "Drug offences",
        "Possession and trafficking of controlled drugs. Mostly found by police "
        "activity, so a rise can reflect more enforcement.",
    ),
    _ons(
        "possession-of-weapons-offences",
        "Possession of weapons offences",
        "Possession of firearms, knives and other offensive weapons.",
    ),
    _ons(
        "public-order-offences",
        "Public order offences",
        "Offences causing fear, alarm or distress, including racially or religiously "
        "aggravated public order offences.",
    ),
    _ons(
        "miscellaneous-crimes-against-society",
        "Miscellaneous crimes against society",
        "Other notifiable offences against the state or public, such as perjury, "
        "bail offences and handling stolen goods.",
    ),
]

# The 14 'Crime type' values in police.uk street-level files, in their order of display.
# "Anti-social behaviour" is not a crime: it maps to the ``asb-incidents`` measure below.
POLICEUK_CRIME_TYPES = [
    ("Violence and sexual offences", "Violence against the person and sexual offences."),
    ("Public order", "Public order offences."),
    ("Criminal damage and arson", "Criminal damage and deliberately set fires."),
    ("Burglary", "Residential and non-residential burglary."),
    ("Vehicle crime", "Theft of or from a vehicle and interfering with a vehicle."),
    ("Shoplifting", "Theft from shops and stalls."),
    ("Bicycle theft", "Theft of pedal cycles."),
    ("Theft from the person", "Pickpocketing and snatch theft without force."),
    ("Other theft", "Theft not in another police.uk category."),
    ("Robbery", "Theft with force or the threat of force."),
    ("Drugs", "Possession and supply of controlled drugs."),
    ("Possession of weapons", "Possession of firearms, knives and other weapons."),
    ("Other crime", "Crimes not in another police.uk category."),
]
POLICEUK_ASB = "Anti-social behaviour"

POLICEUK_MEASURES = [
    MeasureSpec(
        code=f"policeuk-{slugify(crime_type)}",
        name=f"{crime_type} (police.uk)",
        group=POLICEUK_GROUP,
        kind=CRIME,
        source=POLICEUK_SOURCE,
        policeuk_crime_type=crime_type,
        counting_rule=(
            f"{rule} Street-level rows of this crime type, counted by month in the area "
            "whose LSOAs they fall in; rows with no location are counted for the force only."
        ),
    )
    for crime_type, rule in POLICEUK_CRIME_TYPES
]

OTHER_MEASURES = [
    MeasureSpec(
        code="asb-incidents",
        name="Anti-social behaviour incidents",
        group=ASB_GROUP,
        kind=INCIDENT,
        source="Police incident logs (also published on police.uk)",
        policeuk_crime_type=POLICEUK_ASB,
        counting_rule=(
            "Incidents of anti-social behaviour reported to the police, by month. "
            "Incidents, not crimes: never added to crime totals."
        ),
    ),
    MeasureSpec(
        code="domestic-abuse-crimes",
        name="Domestic abuse-related crimes",
        group=FLAGGED_GROUP,
        kind=FLAG,
        source=POLICE_SOURCE,
        counting_rule=(
            "Recorded crimes the police flag as domestic abuse-related. Already counted "
            "in their offence group: a flag, not an extra crime."
        ),
    ),
    MeasureSpec(
        code="domestic-abuse-incidents",
        name="Domestic abuse incidents",
        group=FLAGGED_GROUP,
        kind=INCIDENT,
        source=POLICE_SOURCE,
        counting_rule=(
            "Domestic abuse incidents attended or logged by the police that were not "
            "recorded as a crime."
        ),
    ),
    MeasureSpec(
        code="hate-crimes",
        name="Hate crimes",
        group=FLAGGED_GROUP,
        kind=FLAG,
        source=POLICE_SOURCE,
        polarity=NEUTRAL,
        counting_rule=(
            "Recorded crimes the victim or anyone else perceives as motivated by hostility "
            "to race, religion, sexual orientation, disability or transgender identity. "
            "A rise can mean more confidence in reporting."
        ),
    ),
    MeasureSpec(
        code="alcohol-related-crime",
        name="Alcohol-related crime",
        group=FLAGGED_GROUP,
        kind=FLAG,
        source=POLICE_SOURCE,
        counting_rule="Recorded crimes the officer flags as alcohol having been a factor.",
    ),
    MeasureSpec(
        code="marac-cases",
        name="MARAC cases discussed",
        group=DOMESTIC_ABUSE_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=POLICE,
        polarity=NEUTRAL,
        source="MARAC coordinator",
        counting_rule=(
            "High-risk domestic abuse cases heard at the multi-agency risk assessment "
            "conference in the period, including repeat cases."
        ),
    ),
    MeasureSpec(
        code="marac-children",
        name="Children in MARAC households",
        group=DOMESTIC_ABUSE_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=POLICE,
        polarity=NEUTRAL,
        source="MARAC coordinator",
        counting_rule="Children living in the households of the cases discussed at MARAC.",
    ),
    MeasureSpec(
        code="marac-repeat-pct",
        name="MARAC repeat cases (%)",
        group=DOMESTIC_ABUSE_GROUP,
        kind=PARTNERSHIP,
        unit=PERCENTAGE,
        aggregation=MEAN,
        frequency=QUARTERLY,
        owner_type=POLICE,
        polarity=NEUTRAL,
        source="MARAC coordinator",
        counting_rule=(
            "Cases discussed that had been heard at MARAC in the previous 12 months, as a "
            "percentage of all cases discussed."
        ),
    ),
    MeasureSpec(
        code="marac-disability-pct",
        name="MARAC victims declaring a disability (%)",
        group=DOMESTIC_ABUSE_GROUP,
        kind=PARTNERSHIP,
        unit=PERCENTAGE,
        aggregation=MEAN,
        frequency=QUARTERLY,
        owner_type=POLICE,
        polarity=NEUTRAL,
        source="MARAC coordinator",
        counting_rule=(
            "Cases discussed whose victim declared a disability, as a percentage of all "
            "cases discussed."
        ),
    ),
    MeasureSpec(
        code="marac-male-pct",
        name="MARAC male victims (%)",
        group=DOMESTIC_ABUSE_GROUP,
        kind=PARTNERSHIP,
        unit=PERCENTAGE,
        aggregation=MEAN,
        frequency=QUARTERLY,
        owner_type=POLICE,
        polarity=NEUTRAL,
        source="MARAC coordinator",
        counting_rule=(
            "Cases discussed whose victim is male, as a percentage of all cases discussed."
        ),
    ),
    MeasureSpec(
        code="idva-referrals",
        name="IDVA referrals",
        group=DOMESTIC_ABUSE_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=COUNCIL,
        polarity=NEUTRAL,
        source="Independent domestic violence advocate service",
        counting_rule="Victims referred to the independent domestic violence advocate service.",
    ),
    MeasureSpec(
        code="community-trigger-applications",
        name="Community trigger applications",
        group=TRIGGER_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=COUNCIL,
        polarity=NEUTRAL,
        source=CASE_REVIEW_SOURCE,
        counting_rule=(
            "Applications for an ASB case review (community trigger), counted in the "
            "period they were received."
        ),
    ),
    MeasureSpec(
        code="community-trigger-reviews",
        name="Community trigger reviews held",
        group=TRIGGER_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=COUNCIL,
        polarity=NEUTRAL,
        source=CASE_REVIEW_SOURCE,
        counting_rule=(
            "ASB case reviews carried out by the partners after an application, counted "
            "in the period of the review."
        ),
    ),
    MeasureSpec(
        code="community-trigger-thresholds-met",
        name="Community trigger thresholds met",
        group=TRIGGER_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=COUNCIL,
        polarity=NEUTRAL,
        source=CASE_REVIEW_SOURCE,
        counting_rule=(
            "Applications found to meet the local threshold for a case review, counted "
            "in the period of the decision."
        ),
    ),
    MeasureSpec(
        code="community-trigger-thresholds-not-met",
        name="Community trigger thresholds not met",
        group=TRIGGER_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=COUNCIL,
        polarity=NEUTRAL,
        source=CASE_REVIEW_SOURCE,
        counting_rule=(
            "Applications found not to meet the local threshold for a case review, "
            "counted in the period of the decision."
        ),
    ),
    MeasureSpec(
        code="community-trigger-reviews-with-recommendations",
        name="Community trigger reviews with recommendations",
        group=TRIGGER_GROUP,
        kind=PARTNERSHIP,
        frequency=QUARTERLY,
        owner_type=COUNCIL,
        polarity=NEUTRAL,
        source=CASE_REVIEW_SOURCE,
        counting_rule=(
            "ASB case reviews that led to recommendations, counted in the period of the review."
        ),
    ),
    MeasureSpec(
        code="residents-feeling-safe-pct",
        name="Residents feeling safe (%)",
        group=SURVEY_GROUP,
        kind=SURVEY,
        unit=PERCENTAGE,
        polarity=UP,
        aggregation=LATEST,
        frequency=ANNUAL,
        owner_type=COUNCIL,
        source="Council residents' survey",
        counting_rule=(
            "Respondents who say they feel safe (or that the area is a safe place to live), "
            "as a percentage of all respondents to the question. Combining periods takes "
            "the latest survey."
        ),
    ),
    MeasureSpec(
        code="residents-surveyed",
        name="Residents surveyed",
        group=SURVEY_GROUP,
        kind=SURVEY,
        polarity=NEUTRAL,
        aggregation=LATEST,
        frequency=ANNUAL,
        owner_type=COUNCIL,
        source="Council residents' survey",
        counting_rule="Number of residents who answered the survey question on feeling safe.",
    ),
    MeasureSpec(
        code="residents-unsure-pct",
        name="Residents unsure whether the area is safe (%)",
        group=SURVEY_GROUP,
        kind=SURVEY,
        unit=PERCENTAGE,
        polarity=NEUTRAL,
        aggregation=LATEST,
        frequency=ANNUAL,
        owner_type=COUNCIL,
        source="Council residents' survey",
        counting_rule=(
            "Respondents who say they are unsure whether they feel safe (or whether the "
            "area is a safe place to live), as a percentage of all respondents to the "
            "question. Combining periods takes the latest survey."
        ),
    ),
    MeasureSpec(
        code="funding-gbp",
        name="Funding received",
        group=FUNDING_GROUP,
        kind=PARTNERSHIP,
        unit=GBP,
        polarity=NEUTRAL,
        frequency=ANNUAL,
        owner_type=COUNCIL,
        source="Partnership budget",
        counting_rule=(
            "Money received by the partnership for community safety work in the period, "
            "in pounds; the note names the funder."
        ),
    ),
]

CATALOGUE: list[MeasureSpec] = ONS_MEASURES + POLICEUK_MEASURES + OTHER_MEASURES


def catalogue_load(measure_model) -> int:
    """Create or update the standard measures. Takes the model as an argument so that a
    data migration can pass its historical model. Returns how many rows it wrote."""
    by_code: dict[str, object] = {}
    for order, spec in enumerate(CATALOGUE, start=1):
        fields = {
            "name": spec.name,
            "group": spec.group,
            "parent": by_code[spec.parent] if spec.parent else None,
            "unit": spec.unit,
            "polarity": spec.polarity,
            "kind": spec.kind,
            "aggregation": spec.aggregation,
            "frequency": spec.frequency,
            "owner_type": spec.owner_type,
            "source": spec.source,
            "counting_rule": spec.counting_rule,
            "policeuk_crime_type": spec.policeuk_crime_type,
            "ons_offence_group": spec.ons_offence_group,
            "display_order": order * 10,
        }
        measure, _ = measure_model.objects.update_or_create(code=spec.code, defaults=fields)
        by_code[spec.code] = measure
    return len(by_code)
