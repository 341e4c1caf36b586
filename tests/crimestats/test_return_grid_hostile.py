"""The return grid refuses lenient numbers, NUL bytes and over-long text, naming the
cell, and stores nothing; an outsider cannot post to it at all."""

import pytest
from django.test import Client
from django.urls import reverse

from crimestats.models import Observation

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _post(client, cast, data_return, measure, area, *, value="", reason="", note=""):
    key = f"{measure.pk}-{area.pk}"
    url = reverse(
        "crimestats:return_edit", kwargs={"slug": cast.partnership.slug, "pk": data_return.pk}
    )
    return client.post(
        url,
        {
            "version": data_return.version,
            "action": "save",
            f"value-{key}": value,
            f"reason-{key}": reason,
            f"note-{key}": note,
        },
    )


def _refused(response, data_return, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem: nothing was saved" in html
    assert message in html
    assert Observation.objects.count() == 0
    version = data_return.version
    data_return.refresh_from_db()
    assert data_return.version == version


WHOLE = "MARAC cases discussed, North Testshire: enter a whole number, like 1,234"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("1,2", "1,2"),
        ("12,34", "12,34"),
        ("1 2 3", "1 2 3"),
        ("١٢٣", "١٢٣"),
        ("１２３", "１２３"),
        ("1_000", "1_000"),
        ("1e3", "1e3"),
        ("+5", "+5"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
    ],
)
def test_a_lenient_number_is_refused_naming_the_cell(cast, measures, police_quarter, typed, shown):
    north = cast.partnership.areas.get(name="North Testshire")
    response = _post(
        _client(cast.police_editor),
        cast,
        police_quarter,
        measures["marac-cases"],
        north,
        value=typed,
    )
    _refused(response, police_quarter, f"{WHOLE} (you entered “{shown}”)")


def test_a_grouped_number_is_stored(cast, measures, police_quarter):
    north = cast.partnership.areas.get(name="North Testshire")
    response = _post(
        _client(cast.police_editor),
        cast,
        police_quarter,
        measures["marac-cases"],
        north,
        value="1,234",
    )
    assert response.status_code == 302
    assert str(Observation.objects.get().value) == "1234.00"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        (
            "note",
            "Split\x00by area",
            "Note for MARAC cases discussed, North Testshire: remove the hidden NUL character "
            "(it may have come with pasted text), then save again",
        ),
        (
            "note",
            "x" * 501,
            "Note for MARAC cases discussed, North Testshire: use at most 500 characters "
            "(you entered 501)",
        ),
        (
            "reason",
            "y" * 201,
            "Reason for MARAC cases discussed, North Testshire: use at most 200 characters "
            "(you entered 201)",
        ),
        (
            "value",
            "1\x002",
            "Figure for MARAC cases discussed, North Testshire: remove the hidden NUL character "
            "(it may have come with pasted text), then save again",
        ),
    ],
)
def test_a_nul_byte_or_over_long_text_is_refused_naming_the_cell(
    cast, measures, police_quarter, field, text, message
):
    north = cast.partnership.areas.get(name="North Testshire")
    cell = {"value": "12", "reason": "", "note": ""}
    cell[field] = text
    response = _post(
        _client(cast.police_editor), cast, police_quarter, measures["marac-cases"], north, **cell
    )
    _refused(response, police_quarter, message)
    html = response.content.decode()
    # Said once, by the cell, not again by the figure check.
    assert html.count(message) == 2  # the summary and the cell


def test_an_outsider_cannot_post_to_the_grid(cast, measures, police_quarter):
    north = cast.partnership.areas.get(name="North Testshire")
    response = _post(
        _client(cast.outsider), cast, police_quarter, measures["marac-cases"], north, value="1,2"
    )
    assert response.status_code == 404
    assert Observation.objects.count() == 0
