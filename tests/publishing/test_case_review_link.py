"""The public pages link to the ASB case review publication once the partnership has
published a year of it (the casereviews app), at once and in the same one query."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casereviews.models import CaseReviewPublication

LINK = '<a class="govuk-link" href="/public/safer-testshire/case-reviews/">ASB case reviews</a>'


def _publish_a_year(partnership) -> None:
    CaseReviewPublication.objects.create(
        partnership=partnership,
        financial_year=2017,
        applications=3,
        thresholds_not_met=1,
        reviews=1,
        reviews_with_recommendations=1,
        published_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/public/safer-testshire/",
        "/public/safer-testshire/dashboard/",
        "/public/safer-testshire/meetings/",
        "/public/safer-testshire/versions/",
    ],
)
def test_the_link_appears_once_a_year_is_published(world, anonymous, url):
    assert LINK not in anonymous.get(url).content.decode()

    _publish_a_year(world.partnership)

    page = anonymous.get(url).content.decode()
    assert page.count(LINK) == 1
    assert anonymous.get("/public/safer-testshire/case-reviews/").status_code == 200


def test_the_sitemap_lists_the_publication(world, anonymous):
    sitemap = anonymous.get("/public/sitemap.xml").content.decode()
    assert "/public/safer-testshire/case-reviews/" not in sitemap

    _publish_a_year(world.partnership)

    sitemap = anonymous.get("/public/sitemap.xml").content.decode()
    assert sitemap.count("/public/safer-testshire/case-reviews/</loc>") == 1


def test_the_page_still_takes_two_queries_then_one(world, anonymous, django_assert_num_queries):
    _publish_a_year(world.partnership)
    with django_assert_num_queries(2):
        assert LINK in anonymous.get("/public/safer-testshire/dashboard/").content.decode()
    with django_assert_num_queries(1):
        assert LINK in anonymous.get("/public/safer-testshire/dashboard/").content.decode()
