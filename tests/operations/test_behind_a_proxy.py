"""Behind a reverse proxy every request comes from the proxy's address: the sign-in
throttle must still tell one client from another (``TRUSTED_PROXY_COUNT``)."""

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD

SIGN_IN = "/accounts/sign-in/"
PROXY = "127.0.0.1"


def _attempt(email: str, password: str, forwarded_for: str | None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client().post(SIGN_IN, {"username": email, "password": password}, **headers)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_an_attacker_behind_the_proxy_cannot_lock_the_real_user_out(cast, one_proxy):
    statuses = [_attempt(cast.editor.email, "wrong", "203.0.113.9").status_code for _ in range(5)]

    real_user = _attempt(cast.editor.email, TEST_PASSWORD, "198.51.100.20")
    attacker = _attempt(cast.editor.email, TEST_PASSWORD, "203.0.113.9")

    assert statuses == [200, 200, 200, 200, 429]
    assert real_user.status_code == 302
    assert attacker.status_code == 429


def test_an_address_the_client_wrote_into_the_header_is_ignored(cast, one_proxy):
    # The attacker sends "X-Forwarded-For: 198.51.100.20"; nginx appends the address
    # it really saw, and only that last entry counts.
    for _ in range(5):
        _attempt(cast.editor.email, "wrong", "198.51.100.20, 203.0.113.9")

    assert _attempt(cast.editor.email, TEST_PASSWORD, "198.51.100.20").status_code == 302
    assert _attempt(cast.editor.email, TEST_PASSWORD, "203.0.113.9").status_code == 429


def test_with_two_proxies_the_second_entry_from_the_right_counts(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for _ in range(5):
        _attempt(cast.editor.email, "wrong", "10.9.9.9, 203.0.113.9, 10.0.0.5")

    real_user = _attempt(cast.editor.email, TEST_PASSWORD, "198.51.100.20, 10.0.0.5")
    attacker = _attempt(cast.editor.email, TEST_PASSWORD, "203.0.113.9, 10.0.0.5")

    assert real_user.status_code == 302
    assert attacker.status_code == 429


def test_without_a_proxy_count_the_header_is_not_trusted(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(5):
        _attempt(cast.editor.email, "wrong", "203.0.113.9")

    # Every attempt came from REMOTE_ADDR, whatever the header says.
    assert _attempt(cast.editor.email, TEST_PASSWORD, "198.51.100.20").status_code == 429


def test_the_proxy_count_defaults_to_zero(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.AXES_CLIENT_IP_CALLABLE == "accounts.throttling.client_ip"
