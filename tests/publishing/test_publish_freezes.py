"""Publishing freezes what the public sees; each version stays at its own address; the
preview is exactly what publishing then shows."""

from __future__ import annotations

import re

from django.test import Client

from crimestats.models import Observation
from publishing import services
from publishing.models import PublishedVersion


def _fragment(body: str) -> str:
    """The page's own content: from the end of the public navigation to </main>."""
    start = body.index("</nav>", body.index('public pages">')) + len("</nav>")
    return body[start : body.index("</main>")].strip()


def _north_march_2017(world) -> Observation:
    return Observation.objects.get(
        partnership=world.partnership,
        measure__code="all-crime",
        area__name="North Testshire",
        period_start="2017-03-01",
    )


def test_an_edit_after_publishing_changes_nothing_public_until_the_next_publish(world, anonymous):
    before = anonymous.get("/public/safer-testshire/dashboard/").content.decode()
    assert "2,208" in before
    figure = _north_march_2017(world)
    figure.value = 223  # 100 more: 2016/17 becomes 2,308
    figure.save()

    after_edit = anonymous.get("/public/safer-testshire/dashboard/").content.decode()
    assert after_edit == before
    Client().get("/public/")  # another visitor, same answer
    assert anonymous.get("/public/safer-testshire/dashboard/").content.decode() == before

    services.version_publish(
        partnership=world.partnership, user=world.cast.manager, expected_latest=1
    )
    republished = anonymous.get("/public/safer-testshire/dashboard/").content.decode()
    assert "2,308" in republished
    assert "2,208" not in republished
    # Version 1 is kept at its own address, as it was.
    first = anonymous.get("/public/safer-testshire/versions/1/dashboard/").content.decode()
    assert "2,208" in first
    assert "2,308" not in first
    assert "This is an earlier version." in first
    second = anonymous.get("/public/safer-testshire/versions/2/dashboard/").content.decode()
    assert _fragment(second) == _fragment(republished)
    assert anonymous.get("/public/safer-testshire/versions/3/").status_code == 404


def test_the_versions_page_lists_every_version_newest_first(world, anonymous):
    services.version_publish(
        partnership=world.partnership, user=world.cast.manager, expected_latest=1
    )
    body = anonymous.get("/public/safer-testshire/versions/").content.decode()
    links = re.findall(r'href="/public/safer-testshire/versions/(\d+)/"', body)
    assert links == ["2", "1"]
    assert body.count("2016/17 compared with 2015/16") == 2


def test_the_preview_is_exactly_what_publishing_then_shows(world, manager_client, anonymous):
    figure = _north_march_2017(world)
    figure.value = 223
    figure.save()
    pages = {
        "": "",
        "dashboard/": "dashboard/",
        "action-plan/": "action-plan/",
        "resolutions/": "resolutions/",
    }
    previews = {}
    for tail in pages:
        response = manager_client.get(f"/partnerships/safer-testshire/publishing/preview/{tail}")
        assert response.status_code == 200
        previews[tail] = response.content.decode()
    assert "2,308" in previews["dashboard/"]
    # Previewing published nothing.
    assert PublishedVersion.objects.filter(partnership=world.partnership).count() == 1
    assert "2,208" in anonymous.get("/public/safer-testshire/dashboard/").content.decode()

    services.version_publish(
        partnership=world.partnership, user=world.cast.manager, expected_latest=1
    )
    for tail, preview in previews.items():
        public = anonymous.get(f"/public/safer-testshire/{tail}").content.decode()
        assert _fragment(public) == _fragment(preview), tail
    assert "Nothing here is public yet." in previews[""]


def test_turning_public_pages_off_hides_them_at_once_and_on_shows_the_same_version(
    world, anonymous
):
    shown = anonymous.get("/public/safer-testshire/").content.decode()
    services.public_pages_set(partnership=world.partnership, is_on=False, user=world.cast.manager)
    assert anonymous.get("/public/safer-testshire/").status_code == 404
    assert anonymous.get("/public/safer-testshire/versions/1/").status_code == 404
    assert "Safer Testshire CSP" not in anonymous.get("/public/").content.decode()
    services.public_pages_set(partnership=world.partnership, is_on=True, user=world.cast.manager)
    assert anonymous.get("/public/safer-testshire/").content.decode() == shown


def test_public_pages_on_with_nothing_published_answer_404(cast, anonymous):
    services.public_pages_set(partnership=cast.partnership, is_on=True, user=cast.manager)
    assert anonymous.get("/public/safer-testshire/").status_code == 404
    assert anonymous.get("/public/safer-testshire/meetings/").status_code == 404
    assert "Safer Testshire CSP" not in anonymous.get("/public/").content.decode()
