"""The manager's publishing pages: only a manager of the partnership turns the public
pages on or off, previews and publishes; bad or stale input changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from publishing.models import PublicPages, PublishedVersion

BASE = "/partnerships/safer-testshire/publishing/"
PAGES = [BASE, f"{BASE}preview/", f"{BASE}preview/dashboard/", f"{BASE}preview/meetings/"]


def _state(partnership):
    return (
        list(PublicPages.objects.filter(partnership=partnership).values_list("is_on", flat=True)),
        list(
            PublishedVersion.objects.filter(partnership=partnership).values_list(
                "number", flat=True
            )
        ),
    )


def test_a_manager_turns_public_pages_on_and_publishes(cast, manager_client):
    page = manager_client.get(BASE)
    assert page.status_code == 200
    assert "Public pages are <strong>off</strong>" in page.content.decode()
    response = manager_client.post(f"{BASE}switch/", {"is_on": "yes"})
    assert response.status_code == 302
    assert response["Location"] == BASE
    response = manager_client.post(f"{BASE}publish/", {"latest": "0"})
    assert response.status_code == 302
    version = PublishedVersion.objects.get(partnership=cast.partnership)
    assert (version.number, version.published_by) == (1, cast.manager)
    assert Client().get("/public/safer-testshire/").status_code == 200
    body = manager_client.get(BASE).content.decode()
    assert "Publish version 2" in body
    assert 'href="/public/safer-testshire/versions/1/"' in body
    manager_client.post(f"{BASE}switch/", {"is_on": "no"})
    assert Client().get("/public/safer-testshire/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose whether to show public pages."),
        ({"is_on": "maybe"}, "Choose whether to show public pages: yes or no."),
    ],
)
def test_the_switch_refuses_a_missing_or_unknown_answer(cast, manager_client, data, message):
    before = _state(cast.partnership)
    response = manager_client.post(f"{BASE}switch/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert 'href="#id_is_on' in body
    assert _state(cast.partnership) == before


@pytest.mark.parametrize("latest", ["", "two", "-1", "1"])
def test_a_stale_or_altered_publish_is_refused_and_publishes_nothing(cast, manager_client, latest):
    before = _state(cast.partnership)
    response = manager_client.post(f"{BASE}publish/", {"latest": latest})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    expected = (
        "Version 0 was published since you opened this page"
        if latest == "1"
        else "The page was out of date: check the versions below, then publish again."
    )
    assert expected in body
    assert _state(cast.partnership) == before


def test_a_second_publish_from_the_same_page_is_refused(cast, manager_client):
    manager_client.post(f"{BASE}publish/", {"latest": "0"})
    response = manager_client.post(f"{BASE}publish/", {"latest": "0"})
    assert response.status_code == 400
    assert "Version 1 was published since you opened this page" in response.content.decode()
    assert _state(cast.partnership)[1] == [1]


@pytest.mark.parametrize("who", ["viewer_client", "editor_client"])
def test_a_viewer_or_editor_cannot_see_switch_preview_or_publish(cast, request, who):
    client = request.getfixturevalue(who)
    before = _state(cast.partnership)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post(f"{BASE}switch/", {"is_on": "yes"}).status_code == 403
    assert client.post(f"{BASE}publish/", {"latest": "0"}).status_code == 403
    assert _state(cast.partnership) == before


def test_an_outsider_gets_404_and_changes_nothing(cast, outsider_client):
    before = _state(cast.partnership)
    for url in PAGES:
        assert outsider_client.get(url).status_code == 404, url
    assert outsider_client.post(f"{BASE}switch/", {"is_on": "yes"}).status_code == 404
    assert outsider_client.post(f"{BASE}publish/", {"latest": "0"}).status_code == 404
    assert _state(cast.partnership) == before


def test_anonymous_is_sent_to_sign_in(cast):
    client = Client()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/?next=")
    assert client.post(f"{BASE}publish/", {"latest": "0"}).status_code == 302
    assert _state(cast.partnership) == ([], [])
