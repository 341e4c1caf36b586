"""Each public page takes a fixed number of queries: one to find the partnership and
its latest version, one more for the version's content when the cache does not hold
the page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from publishing import services


@pytest.mark.parametrize(
    "url",
    [
        "/public/safer-testshire/",
        "/public/safer-testshire/dashboard/",
        "/public/safer-testshire/action-plan/",
        "/public/safer-testshire/resolutions/",
        "/public/safer-testshire/versions/1/dashboard/",
    ],
)
def test_a_frozen_page_takes_two_queries_then_one_from_the_cache(
    world, anonymous, django_assert_num_queries, url
):
    cache.clear()
    with django_assert_num_queries(2):
        assert anonymous.get(url).status_code == 200
    with django_assert_num_queries(1):
        assert anonymous.get(url).status_code == 200


def test_a_publish_shows_at_once_through_the_cache(world, anonymous):
    first = anonymous.get("/public/safer-testshire/versions/1/").content.decode()
    assert "Version 1, published" in anonymous.get("/public/safer-testshire/").content.decode()
    assert "This is an earlier version." not in first
    services.version_publish(
        partnership=world.partnership, user=world.cast.manager, expected_latest=1
    )
    assert "Version 2, published" in anonymous.get("/public/safer-testshire/").content.decode()
    body = anonymous.get("/public/safer-testshire/versions/1/").content.decode()
    assert "This is an earlier version. Version 1, published" in body.replace("</strong>", "")


def test_the_other_public_pages_take_fixed_queries(world, anonymous, django_assert_num_queries):
    with django_assert_num_queries(1):
        anonymous.get("/public/")
    # The publishing partnerships, and those with ASB case review publications.
    with django_assert_num_queries(2):
        anonymous.get("/public/sitemap.xml")
    with django_assert_num_queries(2):
        anonymous.get("/public/safer-testshire/versions/")
    # The partnership, the meetings and their agenda items.
    with django_assert_num_queries(3):
        anonymous.get("/public/safer-testshire/meetings/")
    with django_assert_num_queries(3):
        anonymous.get("/public/safer-testshire/meetings.ics")
    cache.clear()
    with django_assert_num_queries(2):
        anonymous.get("/public/safer-testshire/dashboard/areas.csv")
