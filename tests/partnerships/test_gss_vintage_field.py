"""The profile form's "GSS code vintage" field is a GOV.UK text input like the others."""

import re

from partnerships.models import Partnership


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match is not None, f"no {name} input"
    return match.group(0)


def test_the_vintage_field_has_the_govuk_input_classes(cast, manager_client):
    html = manager_client.get(f"/partnerships/{cast.partnership.slug}/edit/").content.decode()

    vintage = _input(html, "gss_vintage")
    assert 'class="govuk-input govuk-input--width-4"' in vintage
    assert 'type="text"' in vintage
    assert 'inputmode="numeric"' in vintage
    assert 'class="govuk-input"' in _input(html, "gss_code")


def test_a_vintage_that_is_not_a_number_is_refused_and_marked(cast, manager_client):
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/edit/",
        {
            "name": "Renamed CSP",
            "gss_code": "E22000999",
            "gss_vintage": "twenty",
            "version": cast.partnership.version,
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "GSS code vintage: enter a whole number, like 1,234 (you entered “twenty”)" in html
    assert "govuk-input--error" in _input(html, "gss_vintage")
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    assert (partnership.name, partnership.gss_code) == ("Safer Testshire CSP", "")


def test_a_vintage_is_saved_as_a_year(cast, manager_client):
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/edit/",
        {
            "name": "Safer Testshire CSP",
            "gss_code": "E22000999",
            "gss_vintage": "2024",
            "version": cast.partnership.version,
        },
    )

    assert response.status_code == 302
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    assert (partnership.gss_code, partnership.gss_vintage) == ("E22000999", 2024)
