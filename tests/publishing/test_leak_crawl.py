"""The most important test of the public pages: crawl every one of them anonymously,
from the index and the sitemap, following every link and download under /public/,
and find nothing that is not approved, not public or not this partnership's."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from django.test import Client

from tests.publishing.conftest import SECRETS

LINK = re.compile(r'href="([^"#]*)')
LOC = re.compile(r"<loc>([^<]+)</loc>")


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from /public/ and the sitemap: address -> body. Every
    link must answer 200: a dead link fails the crawl."""
    seen: dict[str, str] = {}
    queue = ["/public/", "/public/sitemap.xml"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        seen[url] = body
        found = LOC.findall(body) if url.endswith(".xml") else LINK.findall(body)
        for link in found:
            path = urlsplit(urljoin(url, link)).path
            if path.startswith("/public/") and path not in seen:
                queue.append(path)
    return seen


def _printed(secret: str, body: str) -> bool:
    # A number counts when it stands alone: plotly's colour scales hold 0.6173...
    if secret.replace(",", "").isdigit():
        return re.search(rf"(?<![\d.,]){re.escape(secret)}(?![\d])", body) is not None
    return secret in body


def test_no_private_unapproved_or_other_partnership_data_on_any_public_page(world):
    pages = crawl(Client())
    leaks = [(url, s) for url, body in pages.items() for s in SECRETS if _printed(s, body)]
    assert leaks == []
    # The crawl reached every kind of page, both publishing partnerships, each CSV
    # the pages offer and the calendar.
    for slug in ("safer-testshire", "second-published"):
        for tail in ("", "dashboard/", "action-plan/", "resolutions/", "meetings/", "versions/"):
            assert f"/public/{slug}/{tail}" in pages
        assert f"/public/{slug}/meetings.ics" in pages
        assert f"/public/{slug}/versions/1/" in pages
    assert "/public/safer-testshire/dashboard/headline-crime.csv" in pages
    assert "/public/safer-testshire/profile/areas.csv" in pages
    assert not any(url.startswith("/public/elsewhere/") for url in pages)


def test_the_approved_and_published_figures_are_there(world):
    pages = crawl(Client())
    dashboard = pages["/public/safer-testshire/dashboard/"]
    # All crime 2016/17: (123 + 61) x 12; 2015/16: (100 + 50) x 12. police.uk ASB:
    # 45 x 12 against 40 x 12.
    assert "2,208" in dashboard
    assert "1,800" in dashboard
    assert "540" in dashboard
    assert "480" in dashboard
    assert "2016/17 compared with 2015/16" in dashboard
    resolutions = pages["/public/safer-testshire/resolutions/"]
    assert "That the lighting review report back." in resolutions
    plan = pages["/public/safer-testshire/action-plan/"]
    assert "Street lighting review" in plan
    assert "Night-time patrols" in plan
    assert "Second scrutiny meeting" in pages["/public/second-published/meetings/"]
    assert "Second scrutiny meeting" not in pages["/public/safer-testshire/meetings/"]
    assert "Scrutiny Committee: spring" in pages["/public/safer-testshire/meetings.ics"]


def test_a_partnership_with_public_pages_off_answers_404_everywhere(world, anonymous):
    for url in [
        "/public/elsewhere/",
        "/public/elsewhere/dashboard/",
        "/public/elsewhere/dashboard/headline-crime.csv",
        "/public/elsewhere/versions/",
        "/public/elsewhere/versions/1/",
        "/public/elsewhere/meetings/",
        "/public/elsewhere/meetings.ics",
        "/public/no-such-partnership/",
    ]:
        assert anonymous.get(url).status_code == 404, url
