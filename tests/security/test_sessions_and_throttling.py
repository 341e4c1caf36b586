"""A07: sign-in throttling (django-axes) and session expiry."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from tests.factories import TEST_PASSWORD

SIGN_IN = "/accounts/sign-in/"
LOCKED_MESSAGE = "There have been too many failed attempts to sign in with this email address"


def _fail(client: Client, email: str, ip: str = "10.0.0.1"):
    return client.post(SIGN_IN, {"username": email, "password": "wrong"}, REMOTE_ADDR=ip)


def _sign_in(client: Client, email: str, ip: str = "10.0.0.1"):
    return client.post(SIGN_IN, {"username": email, "password": TEST_PASSWORD}, REMOTE_ADDR=ip)


def test_throttling_settings():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == django_settings.AXES_COOLOFF_TIME
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_RESET_ON_SUCCESS is True


def test_the_fifth_failure_locks_out_even_the_right_password(cast):
    client = Client()
    statuses = [_fail(client, cast.editor.email).status_code for _ in range(5)]

    locked = _sign_in(client, cast.editor.email)

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts to sign in</h1>' in page
    assert LOCKED_MESSAGE in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off_period_of_quiet(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _fail(client, cast.editor.email)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = _sign_in(client, cast.editor.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.editor.pk)


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(cast):
    for _ in range(6):
        _fail(Client(), cast.editor.email, ip="203.0.113.9")

    response = _sign_in(Client(), cast.editor.email, ip="10.0.0.1")

    assert response.status_code == 302


def test_four_failures_then_a_success_resets_the_count(cast):
    client = Client()
    for _ in range(4):
        _fail(client, cast.editor.email)
    assert _sign_in(client, cast.editor.email).status_code == 302
    client.post("/accounts/sign-out/")

    statuses = [_fail(client, cast.editor.email).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 200]


def test_session_settings():
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(cast):
    client = Client()

    _sign_in(client, cast.editor.email)

    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["expires"] == ""  # a browser-session cookie: no expiry date
    assert cookie["max-age"] == ""


@pytest.mark.parametrize(("hours", "status"), [(7.9, 200), (8.1, 302)])
def test_a_session_expires_eight_hours_after_sign_in(cast, hours, status):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, cast.editor.email)
    with time_machine.travel(start + timedelta(hours=hours), tick=False):
        response = client.get("/partnerships/")

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/accounts/sign-in/?next=/partnerships/"


def test_trying_again_during_the_lockout_restarts_the_cool_off(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _fail(client, cast.editor.email)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert _sign_in(client, cast.editor.email).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert _sign_in(client, cast.editor.email).status_code == 429
    with time_machine.travel(start + timedelta(minutes=32), tick=False):
        assert _sign_in(client, cast.editor.email).status_code == 302


def test_signing_in_gives_a_new_session_key(cast):
    client = Client()
    session = client.session  # an anonymous session exists before signing in
    session["visited"] = True
    session.save()
    before = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    _sign_in(client, cast.editor.email)

    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != before


def test_after_sign_out_the_old_session_cookie_opens_nothing(cast):
    client = Client()
    _sign_in(client, cast.editor.email)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/sign-out/")

    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get("/partnerships/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/partnerships/"
