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
