"""A01/A08: every POST needs the CSRF token; no view opts out."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from partnerships.models import Partnership
from tests.factories import TEST_PASSWORD

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in_csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token_from(client: Client, url: str) -> str:
    return TOKEN.search(client.get(url).content.decode()).group(1)


def _edit_form(partnership: Partnership, **changes) -> dict:
    data = {
        "name": partnership.name,
        "gss_code": "E22000123",
        "gss_vintage": "2024",
        "lead_council": "",
        "description": "",
        "version": str(partnership.version),  # as the page sends it
    }
    data.update(changes)
    return data


def test_partnership_edit_without_the_token_is_refused_and_changes_nothing(cast):
    client = _signed_in_csrf_client(cast.manager)
    url = f"/partnerships/{cast.partnership.slug}/edit/"

    response = client.post(url, _edit_form(cast.partnership, name="Hijacked CSP"))

    assert response.status_code == 403
    assert "Sorry, the form could not be sent" in response.content.decode()
    cast.partnership.refresh_from_db()
    assert cast.partnership.name == "Safer Testshire CSP"


def test_partnership_edit_with_a_forged_token_is_refused(cast):
    client = _signed_in_csrf_client(cast.manager)
    url = f"/partnerships/{cast.partnership.slug}/edit/"
    client.get(url)

    response = client.post(
        url, {**_edit_form(cast.partnership, name="Hijacked CSP"), "csrfmiddlewaretoken": "x" * 64}
    )

    assert response.status_code == 403
    cast.partnership.refresh_from_db()
    assert cast.partnership.name == "Safer Testshire CSP"


def test_partnership_edit_with_the_pages_token_is_saved(cast):
    client = _signed_in_csrf_client(cast.manager)
    url = f"/partnerships/{cast.partnership.slug}/edit/"
    token = _token_from(client, url)

    response = client.post(
        url, {**_edit_form(cast.partnership, name="Safer Testshire"), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.name == "Safer Testshire"


def test_sign_in_without_the_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/sign-in/", {"username": cast.editor.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_token_works(cast):
    client = Client(enforce_csrf_checks=True)
    token = _token_from(client, "/accounts/sign-in/")

    response = client.post(
        "/accounts/sign-in/",
        {"username": cast.editor.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.editor.pk)


def test_sign_out_without_the_token_is_refused(cast):
    client = _signed_in_csrf_client(cast.editor)

    assert client.post("/accounts/sign-out/").status_code == 403
    assert client.session["_auth_user_id"] == str(cast.editor.pk)


def _views(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


@pytest.mark.django_db
def test_no_view_in_the_app_is_exempt_from_csrf():
    exempt = [
        route
        for route, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    ]

    assert exempt == []
