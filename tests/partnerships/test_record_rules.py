"""A partnership's profile keeps only plausible records: its lead council is one of its
member councils, and its GSS code vintage is a real code-list year. A refusal names the
field and changes nothing."""

import pytest
import time_machine

from partnerships.models import Organisation, Partnership
from tests.factories import MembershipFactory, OrganisationFactory


def _edit(client, partnership, **changes):
    data = {
        "name": partnership.name,
        "gss_code": "",
        "gss_vintage": "",
        "lead_council": "",
        "description": "",
        "version": partnership.version,
    }
    data.update(changes)
    return client.post(f"/partnerships/{partnership.slug}/edit/", data)


def _unchanged(partnership):
    saved = Partnership.objects.get(pk=partnership.pk)
    return (saved.name, saved.gss_code, saved.gss_vintage, saved.lead_council_id, saved.version)


def test_a_member_council_can_lead(cast, manager_client):
    response = _edit(manager_client, cast.partnership, lead_council=cast.council.pk)

    assert response.status_code == 302
    assert Partnership.objects.get(pk=cast.partnership.pk).lead_council == cast.council


def test_a_council_that_is_not_a_member_cannot_lead(cast, manager_client):
    stranger = OrganisationFactory(name="Farshire Council", type=Organisation.Type.COUNCIL)
    MembershipFactory(partnership=cast.other_partnership, organisation=stranger)
    before = _unchanged(cast.partnership)

    response = _edit(manager_client, cast.partnership, name="Renamed CSP", lead_council=stranger.pk)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "lead_council": [
            "The lead council must be a council that is a member of this partnership: "
            "choose one from the list, or add the council as a member first."
        ]
    }
    assert _unchanged(cast.partnership) == before
    options = response.context["form"].fields["lead_council"].queryset
    assert [o.name for o in options] == ["Testshire Council"]


def test_a_member_that_is_not_a_council_cannot_lead(cast, manager_client):
    before = _unchanged(cast.partnership)

    response = _edit(manager_client, cast.partnership, lead_council=cast.police.pk)

    assert list(response.context["form"].errors) == ["lead_council"]
    assert _unchanged(cast.partnership) == before


@pytest.mark.parametrize("vintage", ["1", "2008", "2027", "9999", "32767"])
def test_a_gss_vintage_outside_the_code_list_years_is_refused(cast, manager_client, vintage):
    before = _unchanged(cast.partnership)
    with time_machine.travel("2025-06-01T12:00:00+00:00", tick=False):
        response = _edit(
            manager_client, cast.partnership, gss_code="E22000999", gss_vintage=vintage
        )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "gss_vintage": [
            "The GSS code vintage is the year of the code list, from 2009 to 2026, like 2024."
        ]
    }
    assert _unchanged(cast.partnership) == before


@pytest.mark.parametrize("vintage", [2009, 2026])
def test_the_first_and_last_vintage_years_are_accepted(cast, manager_client, vintage):
    with time_machine.travel("2025-06-01T12:00:00+00:00", tick=False):
        response = _edit(
            manager_client, cast.partnership, gss_code="E22000999", gss_vintage=str(vintage)
        )

    assert response.status_code == 302
    assert Partnership.objects.get(pk=cast.partnership.pk).gss_vintage == vintage


def test_an_outsider_cannot_edit_the_profile(cast, outsider_client):
    before = _unchanged(cast.partnership)

    response = _edit(outsider_client, cast.partnership, lead_council=cast.council.pk)

    assert response.status_code in (403, 404)
    assert _unchanged(cast.partnership) == before
