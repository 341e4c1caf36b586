"""A calendar link dies with the role (or the account) it was made under: giving the
role back later does not bring the old address back to life; the person makes a new
one."""

from django.urls import reverse

from meetings.models import CalendarFeed
from partnerships.models import PartnershipRole, Role
from tests.factories import PartnershipRoleFactory


def _feed_url(cast, token: str) -> str:
    return reverse("meetings:meeting_calendar_feed", args=[cast.partnership.slug, token])


def _make_link(cast, client) -> str:
    client.post(reverse("meetings:calendar_subscribe", args=[cast.partnership.slug]))
    return CalendarFeed.objects.get(user=cast.viewer, partnership=cast.partnership).token


def test_a_removed_and_restored_role_gets_a_new_link_and_the_old_stays_dead(
    cast, viewer_client, manager_client, client
):
    old = _make_link(cast, viewer_client)
    assert client.get(_feed_url(cast, old)).status_code == 200
    role = PartnershipRole.objects.get(user=cast.viewer, partnership=cast.partnership)

    removed = manager_client.post(
        reverse("partnerships:member_remove", args=[cast.partnership.slug, role.pk])
    )

    assert removed.status_code == 302
    assert not CalendarFeed.objects.filter(user=cast.viewer).exists()
    PartnershipRoleFactory(user=cast.viewer, partnership=cast.partnership, role=Role.VIEWER)
    assert client.get(_feed_url(cast, old)).status_code == 404
    new = _make_link(cast, viewer_client)
    assert new != old
    assert client.get(_feed_url(cast, old)).status_code == 404
    assert client.get(_feed_url(cast, new)).status_code == 200


def test_removing_a_role_keeps_the_persons_links_to_other_partnerships(cast, client):
    PartnershipRoleFactory(user=cast.viewer, partnership=cast.other_partnership, role=Role.VIEWER)
    here = CalendarFeed.objects.create(user=cast.viewer, partnership=cast.partnership)
    there = CalendarFeed.objects.create(user=cast.viewer, partnership=cast.other_partnership)

    PartnershipRole.objects.filter(user=cast.viewer, partnership=cast.partnership).delete()

    assert list(CalendarFeed.objects.filter(user=cast.viewer)) == [there]
    assert client.get(_feed_url(cast, here.token)).status_code == 404


def test_an_account_switched_off_and_on_again_does_not_revive_its_link(cast, client):
    feed = CalendarFeed.objects.create(user=cast.viewer, partnership=cast.partnership)
    cast.viewer.is_active = False
    cast.viewer.save()
    cast.viewer.is_active = True
    cast.viewer.save()

    assert not CalendarFeed.objects.filter(user=cast.viewer).exists()
    assert client.get(_feed_url(cast, feed.token)).status_code == 404


def test_an_outsider_cannot_remove_a_role_and_the_link_survives(
    cast, viewer_client, outsider_client, client
):
    token = _make_link(cast, viewer_client)
    role = PartnershipRole.objects.get(user=cast.viewer, partnership=cast.partnership)

    response = outsider_client.post(
        reverse("partnerships:member_remove", args=[cast.partnership.slug, role.pk])
    )

    assert response.status_code in (403, 404)
    assert PartnershipRole.objects.filter(pk=role.pk).exists()
    assert client.get(_feed_url(cast, token)).status_code == 200
