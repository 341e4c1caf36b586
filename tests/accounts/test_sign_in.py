"""Sign in, sign out, password reset and throttling."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, PartnershipRoleFactory

SIGN_IN = "/accounts/sign-in/"


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/partnerships/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/partnerships/"


def test_it_signs_in_with_email_in_any_case(cast, client):
    response = client.post(SIGN_IN, {"username": "EDITOR@test.example", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/partnerships/").context["user"] == cast.editor


def test_signing_in_lands_on_the_only_partnership_or_on_the_choice(cast, client):
    def lands(user):
        signed_in = Client()
        response = signed_in.post(SIGN_IN, {"username": user.email, "password": TEST_PASSWORD})
        return signed_in.get(response["Location"])["Location"]

    assert lands(cast.viewer) == "/partnerships/safer-testshire/"
    assert lands(cast.outsider) == "/partnerships/elsewhere/"
    # Two partnerships, or a site administrator (every partnership): choose one.
    PartnershipRoleFactory(user=cast.viewer, partnership=cast.other_partnership, role="viewer")
    assert lands(cast.viewer) == "/partnerships/"
    assert lands(cast.admin) == "/partnerships/"


def test_a_wrong_password_shows_a_clear_error_and_no_session(cast, client):
    response = client.post(SIGN_IN, {"username": cast.editor.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct email address and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out_with_a_message(cast, settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        email = cast.editor.email.upper() if attempt % 2 else cast.editor.email
        response = client.post(SIGN_IN, {"username": email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(SIGN_IN, {"username": cast.editor.email, "password": "wrong"})
    assert response.status_code == 429
    response = client.post(SIGN_IN, {"username": cast.editor.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "There have been too many failed attempts to sign in with this email address" in body
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post_and_ends_the_session(editor_client):
    assert editor_client.get("/accounts/sign-out/").status_code == 405
    response = editor_client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert editor_client.get("/partnerships/").status_code == 302


def test_password_reset_emails_a_link_that_sets_a_new_password(cast, client):
    response = client.post("/accounts/password-reset/", {"email": cast.viewer.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.viewer.email]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new_password = "a-much-better-passphrase-2026"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    signed_in = Client().post(SIGN_IN, {"username": cast.viewer.email, "password": new_password})
    assert signed_in["Location"] == "/"


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(cast, client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_lockout_of_one_account_does_not_lock_another(cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": cast.editor.email, "password": "wrong"})
    response = client.post(SIGN_IN, {"username": cast.viewer.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
