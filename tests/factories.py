"""factory_boy factories for the test cast and the records they work on."""

import factory

from accounts.models import User
from partnerships.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Priority,
    Role,
    ThematicGroup,
)

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy hook signature)
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = Organisation.Type.COUNCIL


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    kind = Area.Kind.DISTRICT
    population = 100_000
    population_year = 2021


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_statutory = True


class ThematicGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Priority {n}")
    start_year = 2024
    end_year = 2026


class PartnershipRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipRole

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.VIEWER


# --- dashboards (issue 5) ---------------------------------------------------------


def _all_crime():
    from crimestats.models import Measure

    return Measure.objects.get(code="all-crime")


def _month_end(o):
    from cspportal.lib.periods import month_end

    return month_end(o.period_start)


def _january_2018():
    from datetime import date

    return date(2018, 1, 1)


def _now():
    from django.utils import timezone

    return timezone.now()


class ObservationFactory(factory.django.DjangoModelFactory):
    """A supplied monthly figure; pass ``value=None, status="not_supplied"`` for a gap."""

    class Meta:
        model = "crimestats.Observation"

    partnership = factory.SubFactory(PartnershipFactory)
    measure = factory.LazyFunction(_all_crime)
    area = None
    period_type = "month"
    period_start = factory.LazyFunction(_january_2018)
    period_end = factory.LazyAttribute(_month_end)
    value = 100
    status = "supplied"
    source = "demo"
    updated_at = factory.LazyFunction(_now)


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crimestats.PeerGroup"
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Peer group {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy hook signature)
        if create and extracted:
            obj.members.set(extracted)


# --- action plans ------------------------------------------------------------------


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.ActionPlan"

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Community Safety Action Plan {n}")
    start_year = 2024
    end_year = 2026
    status = "active"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Objective"

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Action"

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    owner_name = "Community Safety Officer"
    status = "on_track"


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.ActionUpdate"

    action = factory.SubFactory(ActionFactory)
    financial_year = 2024
    quarter = 1
    rag_status = "green"
    status = "on_track"
    narrative = "Delivered as planned."
    author = None


class MeasureTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.MeasureTarget"

    objective = factory.SubFactory(ObjectiveFactory)
    action = None
    measure = factory.LazyFunction(_all_crime)
    baseline_year = 2023
    direction = "reduce"
    change_pct = 5


def _meeting_date(year: int, month: int, day: int):
    from datetime import date

    return date(year, month, day)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    partnership = factory.SubFactory(PartnershipFactory)
    body = "scrutiny"
    title = factory.Sequence(lambda n: f"Scrutiny Committee {n}")
    date = factory.LazyFunction(lambda: _meeting_date(2024, 1, 11))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Resolution"

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"That resolution {n} be carried out.")
    status = "open"


class ResolutionResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ResolutionResponse"

    resolution = factory.SubFactory(ResolutionFactory)
    responded_on = factory.LazyFunction(lambda: _meeting_date(2024, 2, 1))
    text = "Done as asked."
