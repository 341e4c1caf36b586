"""GOV.UK-style 400, 403, 404 and 500 pages that show no stack trace or setting."""

import pytest
from django.test import Client, RequestFactory

from cspportal.errors import server_error

pytestmark = pytest.mark.urls("tests.operations.urls_with_faults")


@pytest.fixture
def production_client(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    return client


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_server_error_page_is_govuk_style_with_a_reference_and_no_trace(production_client):
    response = production_client.get(
        "/test-faults/broken/", headers={"X-Request-ID": "ref-12345678"}
    )

    assert response.status_code == 500
    page = _text(response)
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert 'quote this reference: <strong class="app-request-id">ref-12345678</strong>' in page
    assert "RuntimeError" not in page
    assert "SECRET_KEY" not in page
    assert "Traceback" not in page


def test_server_error_page_renders_without_the_database_or_a_session():
    # No django_db mark: pytest-django fails the test on any database access.
    request = RequestFactory().get("/anything/")

    response = server_error(request)

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in _text(response)
    assert 'lang="en-GB"' in _text(response)


def test_server_error_page_falls_back_to_plain_html_when_the_template_breaks(caplog):
    request = RequestFactory().get("/anything/")

    response = server_error(request, template_name="no-such-template.html")

    assert response.status_code == 500
    assert "<h1>Sorry, there is a problem with the service</h1>" in _text(response)
    assert "The 500 page itself could not be rendered." in caplog.text


@pytest.mark.django_db
def test_not_found_page(production_client):
    response = production_client.get("/no-such-page/")

    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in _text(response)


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in_rather_than_told_what_exists(production_client):
    response = production_client.get("/partnerships/no-such-partnership/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
def test_not_found_page_for_a_signed_in_user(settings, outsider_client, cast):
    settings.DEBUG = False

    response = outsider_client.get(f"/partnerships/{cast.partnership.slug}/")

    assert response.status_code == 404
    page = _text(response)
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "a partnership you are not a member of" in page
    assert "No such partnership" not in page  # the exception text stays in the log


@pytest.mark.django_db
def test_permission_denied_page(settings, viewer_client, cast):
    settings.DEBUG = False

    response = viewer_client.get(f"/partnerships/{cast.partnership.slug}/edit/")

    assert response.status_code == 403
    page = _text(response)
    assert '<h1 class="govuk-heading-l">You do not have permission to do this</h1>' in page


@pytest.mark.django_db
def test_permission_denied_page_hides_the_internal_reason(production_client):
    response = production_client.get("/test-faults/refused/")

    assert response.status_code == 403
    assert "internal reason" not in _text(response)


@pytest.mark.django_db
def test_bad_request_page(production_client):
    response = production_client.get("/test-faults/suspicious/")

    assert response.status_code == 400
    page = _text(response)
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with your request</h1>' in page
    assert "internal reason" not in page


@pytest.mark.django_db
def test_bad_request_page_for_an_unknown_host(production_client):
    response = production_client.get("/accounts/sign-in/", headers={"Host": "attacker.example"})

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in _text(response)


@pytest.mark.django_db
def test_csrf_failure_page(cast):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/sign-in/", {"username": "a@b.example", "password": "x"})

    assert response.status_code == 403
    page = _text(response)
    assert '<h1 class="govuk-heading-l">Sorry, the form could not be sent</h1>' in page
    assert "Nothing has been saved." in page
