"""A01/A07: every page needs a signed-in user, except the few that are public on
purpose. The routes come from ``get_resolver()``, so a view added later is covered
without editing this file; a new public page has to be added to ``PUBLIC`` here,
with its reason."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import TEST_PASSWORD

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
SIGN_IN = "/accounts/sign-in/?next="
ADMIN_SIGN_IN = "/admin/login/?next="

# Route -> (GET status, POST status) for a visitor who is not signed in.
PUBLIC = {
    "": (302, 405),  # the home page sends a visitor to the sign-in page
    "accessibility/": (200, 405),  # the accessibility statement (a legal requirement)
    "healthz": (200, 405),  # database and storage health for the load balancer, no data
    "accounts/sign-in/": (200, 200),
    "accounts/sign-out/": (405, 302),  # signing out when signed out: back to sign-in
    "accounts/password-reset/": (200, 200),
    "accounts/password-reset/sent/": (200, 405),
    "accounts/password-reset/<uidb64>/<token>/": (200, 200),  # a bad link says so
    "accounts/password-reset/done/": (200, 405),
    "accounts/invitation/<slug:slug>/<uidb64>/<token>/": (200, 200),  # a bad link says so
    # Calendar apps cannot sign in: the secret token in the URL is the credential,
    # and a wrong one is a 404 (tests/security/test_partnership_isolation.py).
    "partnerships/<slug:slug>/meetings/calendar/<str:token>.ics": (404, 405),
    # The ASB case review publication (section 104 of the Anti-social Behaviour, Crime
    # and Policing Act 2014 says it is public): published figures only, and a 404
    # for a partnership that has published none (tests/casereviews/test_pages.py).
    "public/<slug:slug>/case-reviews/": (404, 405),
    "public/<slug:slug>/case-reviews.csv": (404, 405),
    # The public pages (publishing): anyone may read them, and a partnership that does
    # not publish (here, none does) answers 404, whatever exists.
    "public/": (200, 405),
    "public/sitemap.xml": (200, 405),
    "public/<slug:slug>/": (404, 405),
    "public/<slug:slug>/profile/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/dashboard/": (404, 405),
    "public/<slug:slug>/dashboard/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/action-plan/": (404, 405),
    "public/<slug:slug>/action-plan/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/resolutions/": (404, 405),
    "public/<slug:slug>/resolutions/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/meetings/": (404, 405),
    "public/<slug:slug>/meetings/upcoming.csv": (404, 405),
    "public/<slug:slug>/meetings.ics": (404, 405),
    "public/<slug:slug>/versions/": (404, 405),
    "public/<slug:slug>/versions/<int:number>/": (404, 405),
    "public/<slug:slug>/versions/<int:number>/profile/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/versions/<int:number>/dashboard/": (404, 405),
    "public/<slug:slug>/versions/<int:number>/dashboard/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/versions/<int:number>/action-plan/": (404, 405),
    "public/<slug:slug>/versions/<int:number>/action-plan/<slug:table>.csv": (404, 405),
    "public/<slug:slug>/versions/<int:number>/resolutions/": (404, 405),
    "public/<slug:slug>/versions/<int:number>/resolutions/<slug:table>.csv": (404, 405),
    # The administration site's own sign-in (staff only, throttled like the other).
    "admin/login/": (200, 200),
    "admin/logout/": (302, 302),
}


def _routes():
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    return list(walk(get_resolver().url_patterns))


def _url(route: str) -> str:
    """The route with placeholder values: access is checked before any lookup."""
    path = PARAM.sub(lambda m: "1" if m.group("converter") == "int" else "x", route)
    return "/" + path.replace("^", "").replace("$", "").replace("([^/]+)", "x")


@pytest.mark.django_db
def test_every_page_that_is_not_public_sends_the_visitor_to_sign_in(client):
    wrong = []
    for route in _routes():
        if route in PUBLIC:
            continue
        url = _url(route)
        sign_in = ADMIN_SIGN_IN if route.startswith("admin/") else SIGN_IN
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            refused = response.status_code == 405 or (
                response.status_code == 302 and response["Location"].startswith(sign_in)
            )
            if not refused:
                wrong.append(f"{method.upper()} {url} -> {response.status_code}")

    assert wrong == []


@pytest.mark.django_db
def test_the_public_pages_are_exactly_these(client):
    routes = _routes()
    statuses = {
        route: (client.get(_url(route)).status_code, client.post(_url(route)).status_code)
        for route in PUBLIC
    }

    assert set(PUBLIC) <= set(routes)
    assert statuses == PUBLIC


def test_the_administration_sign_in_is_throttled_like_the_other(cast):
    client = Client()
    statuses = [
        client.post(
            "/admin/login/", {"username": cast.admin.email, "password": "wrong"}
        ).status_code
        for _ in range(5)
    ]

    locked = client.post("/admin/login/", {"username": cast.admin.email, "password": TEST_PASSWORD})

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
