"""A01 (broken access control): walk EVERY URL under /partnerships/<slug>/ as the
outsider (a manager of partnership B, nothing in partnership A) and change ids in URLs.

The routes come from ``get_resolver()``, so a view added later is covered without
editing this file:

1. with A's slug, every GET and POST is refused with 404 (405 where the method is
   not allowed at all): the outsider learns nothing, not even what exists;
2. with B's slug (where the outsider IS a manager) and the ids of A's records, every
   GET and POST is still refused: each view looks records up within the partnership
   of the URL, never by id alone.

The walk and its URL values live in tests/routes.py, shared with the fuzz suite: a new
route with an id parameter needs its segment in ``SEGMENT_MODELS`` there (the test says
so); that is the one line to add.
"""

import pytest
from django.apps import apps

from meetings.models import Resolution
from tests.routes import id_params, partnership_routes, partnership_urls, records_of_every_kind


@pytest.fixture
def a_records(cast):
    """At least one record of every kind in partnership A, and nothing in B."""
    records = records_of_every_kind(cast)
    assert Resolution.objects.filter(meeting__partnership=cast.other_partnership).count() == 0
    return records


ALLOWED = {"GET": {404, 405}, "POST": {404, 405}}
# Routes where a secret in the URL, not the session, is the credential: calendar
# apps cannot sign in. Holding A's token is being allowed to read A's meeting dates;
# the test checks instead that a guessed token is refused, and (below) that A's token
# does not work under another partnership's slug.
CAPABILITY_URLS = {"meetings:meeting_calendar_feed"}


def _refusals(client, urls):
    wrong = []
    for url in urls:
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            if response.status_code not in ALLOWED[method]:
                wrong.append(f"{method} {url} -> {response.status_code}")
    return wrong


def test_every_partnership_route_is_walked():
    names = {name for _, name in partnership_routes()}

    # A smoke check that the walk sees each app's views, not only the profile.
    assert {"partnerships:partnership_detail", "partnerships:record_edit"} <= names
    assert len(names) >= 10


def test_the_outsider_gets_404_on_every_route_of_another_partnership(
    cast, a_records, outsider_client
):
    urls = [
        url
        for route, name in partnership_routes()
        if name not in CAPABILITY_URLS
        for url in partnership_urls(route, name, cast.partnership.slug, a_records)
    ]
    a_records["meetings.CalendarFeed"].token = "guessed-" + "x" * 40
    urls += [
        url
        for route, name in partnership_routes()
        if name in CAPABILITY_URLS
        for url in partnership_urls(route, name, cast.partnership.slug, a_records)
    ]

    assert _refusals(outsider_client, urls) == []
    assert len(urls) >= len(partnership_routes())


def test_ids_of_another_partnership_are_refused_under_the_outsiders_own_slug(
    cast, a_records, outsider_client
):
    urls = [
        url
        for route, name in partnership_routes()
        if id_params(route)
        for url in partnership_urls(route, name, cast.other_partnership.slug, a_records)
    ]

    assert _refusals(outsider_client, urls) == []
    # Nothing of A changed hands or disappeared on the way.
    for label, record in a_records.items():
        model = apps.get_model(label.split("#")[0])
        assert model._default_manager.filter(pk=record.pk).exists(), label


def test_the_ids_used_are_real_records_that_as_manager_open(cast, a_records, manager_client):
    """The control: the same URLs under A's slug work for A's manager, so the 404s
    above come from the access checks, not from ids that point at nothing."""
    missing = []
    for route, name in partnership_routes():
        if not id_params(route):
            continue
        for url in partnership_urls(route, name, cast.partnership.slug, a_records):
            if manager_client.get(url).status_code == 404:
                missing.append(url)

    assert missing == []
