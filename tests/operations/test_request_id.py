"""Every response carries X-Request-ID and every log line of the request carries it too."""

import logging
import re
from io import StringIO

import pytest

from cspportal.middleware import RequestIdFilter

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def captured_log():
    """A handler set up as in settings.LOGGING: the request id filter and format."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s [%(request_id)s] %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_new_request_id_is_generated_and_returned(client):
    response = client.get("/accounts/sign-in/")

    assert HEX_ID.fullmatch(response["X-Request-ID"])
    assert client.get("/accounts/sign-in/")["X-Request-ID"] != response["X-Request-ID"]


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept(client):
    response = client.get("/accounts/sign-in/", headers={"X-Request-ID": "nginx-4f2a9c1e77d0"})

    assert response["X-Request-ID"] == "nginx-4f2a9c1e77d0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "offered", ["short", "evil\nINFO forged log line", "x" * 200, "a b c d e f"]
)
def test_an_unsafe_request_id_is_replaced(client, offered):
    response = client.get("/accounts/sign-in/", headers={"X-Request-ID": offered})

    assert HEX_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.django_db
@pytest.mark.urls("tests.operations.urls_with_faults")
def test_a_server_error_is_logged_with_the_request_id_and_its_stack_trace(client, captured_log):
    client.raise_request_exception = False

    response = client.get("/test-faults/broken/", headers={"X-Request-ID": "req-0123456789"})

    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-0123456789"
    log = captured_log.getvalue()
    assert (
        "ERROR [req-0123456789] django.request Internal Server Error: /test-faults/broken/" in log
    )
    assert "RuntimeError: SECRET_KEY=do-not-show this stack trace" in log


@pytest.mark.django_db
def test_a_not_found_is_logged_with_the_request_id(client, captured_log):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "req-notfound-42"})

    assert response.status_code == 404
    assert "WARNING [req-notfound-42] django.request Not Found: /no-such-page/" in (
        captured_log.getvalue()
    )


def test_log_lines_outside_a_request_say_dash(captured_log):
    logging.getLogger("cspportal.tests").warning("background job finished")

    assert captured_log.getvalue() == "WARNING [-] cspportal.tests background job finished\n"


def test_settings_logging_prints_the_request_id():
    from cspportal import settings as production_like

    logging_config = production_like.LOGGING
    assert "%(request_id)s" in logging_config["formatters"]["plain"]["format"]
    assert logging_config["handlers"]["console"]["filters"] == ["request_id"]
    assert logging_config["filters"]["request_id"]["()"] == "cspportal.middleware.RequestIdFilter"
    assert production_like.MIDDLEWARE[0] == "cspportal.middleware.RequestIdMiddleware"
