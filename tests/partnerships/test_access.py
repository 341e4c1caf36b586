"""Who may open and change which partnership pages: the fixed cast on every view."""

import pytest

from partnerships.models import Area, Membership
from tests.factories import PriorityFactory, ThematicGroupFactory

READ_PAGES = ["/partnerships/{slug}/"]
MANAGER_PAGES = [
    "/partnerships/{slug}/edit/",
    "/partnerships/{slug}/history/",
    "/partnerships/{slug}/areas/add/",
    "/partnerships/{slug}/members/add/",
    "/partnerships/{slug}/groups/add/",
    "/partnerships/{slug}/priorities/add/",
]


def _record_pages(cast) -> list[str]:
    slug = cast.partnership.slug
    area = Area.objects.get(partnership=cast.partnership, name="North Testshire")
    member = Membership.objects.filter(partnership=cast.partnership).first()
    group = ThematicGroupFactory(partnership=cast.partnership)
    priority = PriorityFactory(partnership=cast.partnership)
    pages = []
    for kind, pk in [
        ("areas", area.pk),
        ("members", member.pk),
        ("groups", group.pk),
        ("priorities", priority.pk),
    ]:
        pages += [
            f"/partnerships/{slug}/{kind}/{pk}/edit/",
            f"/partnerships/{slug}/{kind}/{pk}/delete/",
        ]
    return pages


@pytest.mark.parametrize("page", READ_PAGES + MANAGER_PAGES)
def test_outsider_gets_404_on_every_page_of_another_partnership(cast, outsider_client, page):
    assert outsider_client.get(page.format(slug=cast.partnership.slug)).status_code == 404


def test_outsider_gets_404_on_record_pages_and_cannot_post(cast, outsider_client):
    for page in _record_pages(cast):
        assert outsider_client.get(page).status_code == 404, page
        assert outsider_client.post(page, {"name": "Hijacked"}).status_code == 404, page
    assert Area.objects.filter(name="Hijacked").count() == 0


def test_outsider_cannot_reach_records_of_a_by_its_own_partnership_slug(cast, outsider_client):
    area = Area.objects.get(partnership=cast.partnership, name="North Testshire")
    url = f"/partnerships/{cast.other_partnership.slug}/areas/{area.pk}/edit/"
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"name": "Moved", "kind": "district"}).status_code == 404
    area.refresh_from_db()
    assert area.name == "North Testshire"


@pytest.mark.parametrize("client_name", ["viewer_client", "editor_client"])
def test_viewers_and_editors_read_the_profile_but_cannot_manage_it(cast, request, client_name):
    client = request.getfixturevalue(client_name)
    slug = cast.partnership.slug
    assert client.get(f"/partnerships/{slug}/").status_code == 200
    for page in MANAGER_PAGES:
        assert client.get(page.format(slug=slug)).status_code == 403, page
    for page in _record_pages(cast):
        assert client.get(page).status_code == 403, page
        assert client.post(page, {"name": "Changed"}).status_code == 403, page


def test_manager_opens_every_management_page(cast, manager_client):
    for page in MANAGER_PAGES:
        assert manager_client.get(page.format(slug=cast.partnership.slug)).status_code == 200
    for page in _record_pages(cast):
        assert manager_client.get(page).status_code == 200, page


def test_site_administrator_manages_any_partnership(cast, admin_client_):
    assert (
        admin_client_.get(f"/partnerships/{cast.other_partnership.slug}/edit/").status_code == 200
    )


def test_an_unknown_kind_of_record_is_404(cast, manager_client):
    assert (
        manager_client.get(f"/partnerships/{cast.partnership.slug}/users/add/").status_code == 404
    )


def test_my_partnerships_lists_only_my_roles(cast, viewer_client, outsider_client):
    viewer_page = viewer_client.get("/partnerships/").content.decode()
    assert "Safer Testshire CSP" in viewer_page
    assert "Elsewhere CSP" not in viewer_page
    outsider_page = outsider_client.get("/partnerships/").content.decode()
    assert "Elsewhere CSP" in outsider_page
    assert "Safer Testshire CSP" not in outsider_page


def test_switching_to_a_partnership_without_a_role_is_404(cast, outsider_client):
    response = outsider_client.get(f"/partnerships/switch/?partnership={cast.partnership.slug}")
    assert response.status_code == 404


def test_switching_remembers_the_partnership(cast, viewer_client):
    response = viewer_client.get(f"/partnerships/switch/?partnership={cast.partnership.slug}")
    assert response["Location"] == f"/partnerships/{cast.partnership.slug}/"
    assert viewer_client.session["current_partnership"] == cast.partnership.slug


def test_reference_partnerships_are_never_opened(cast, admin_client_):
    cast.other_partnership.is_reference = True
    cast.other_partnership.save()
    slug = cast.other_partnership.slug
    # The profile sends a site administrator to set it up (tests/partnerships/
    # test_onboarding.py); every other page of it is not found.
    assert admin_client_.get(f"/partnerships/{slug}/")["Location"] == f"/partnerships/new/{slug}/"
    assert admin_client_.get(f"/partnerships/{slug}/edit/").status_code == 404
    assert admin_client_.get(f"/partnerships/{slug}/people/").status_code == 404
