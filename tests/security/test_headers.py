"""A05: security headers on every page, and templates that keep the strict CSP possible."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
APP_TEMPLATE_DIRS = [
    path for path in Path(__file__).resolve().parents[2].glob("*/templates") if path != TEMPLATES
]


def _csp_directives(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_secure_headers(response) -> None:
    csp = _csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_sign_in_page_has_the_security_headers(client):
    response = client.get("/accounts/sign-in/")

    assert response.status_code == 200
    _assert_secure_headers(response)


def test_partnership_pages_have_the_security_headers(cast, manager_client):
    for url in (
        "/partnerships/",
        f"/partnerships/{cast.partnership.slug}/",
        f"/partnerships/{cast.partnership.slug}/edit/",
        f"/partnerships/{cast.partnership.slug}/history/",
    ):
        response = manager_client.get(url)
        assert response.status_code == 200, url
        _assert_secure_headers(response)


def test_error_pages_have_the_security_headers(cast, outsider_client):
    response = outsider_client.get(f"/partnerships/{cast.partnership.slug}/")

    assert response.status_code == 404
    _assert_secure_headers(response)


@pytest.mark.django_db
def test_healthz_has_the_security_headers(client):
    _assert_secure_headers(client.get("/healthz"))


# A <script type="application/json"> data island is never executed, so the CSP allows it.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\s*[\"']", re.IGNORECASE)


def _all_templates():
    for folder in [TEMPLATES, *APP_TEMPLATE_DIRS]:
        yield from sorted(folder.rglob("*.html"))


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for template in _all_templates():
        text = template.read_text()
        if "@page" in text:
            continue  # WeasyPrint print templates are never served to a browser
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
            offenders.extend(
                f"{template.relative_to(TEMPLATES.parent)}: {match.group(0).strip()}"
                for match in pattern.finditer(text)
            )

    assert offenders == []
