"""The data return grid: entering, validating, submitting, approving, correcting."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from crimestats import services
from crimestats.models import DataReturn, Observation
from partnerships.templatetags.uk_formats import uk_datetime

pytestmark = pytest.mark.django_db


def _url(cast, data_return, name="crimestats:return_edit"):
    return reverse(name, kwargs={"slug": cast.partnership.slug, "pk": data_return.pk})


def _areas(cast):
    north, south = cast.partnership.areas.order_by("name")
    return north, south


def _post(client, cast, data_return, cells: dict, action="save", version=None, **extra):
    """cells: {(measure, area or None): value or (value, ns, reason, note)}."""
    data = {"version": data_return.version if version is None else version, "action": action}
    data.update(extra)
    for (measure, area), cell in cells.items():
        key = f"{measure.pk}-{area.pk if area else 'all'}"
        if not isinstance(cell, tuple):
            cell = (cell, False, "", "")
        value, ns, reason, note = cell
        data[f"value-{key}"] = value
        if ns:
            data[f"ns-{key}"] = "on"
        data[f"reason-{key}"] = reason
        data[f"note-{key}"] = note
    return client.post(_url(cast, data_return), data)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_police_editor_saves_a_draft(cast, measures, police_quarter):
    north, south = _areas(cast)
    client = _client(cast.police_editor)
    response = _post(
        client,
        cast,
        police_quarter,
        {
            (measures["marac-cases"], north): "40",
            (measures["marac-cases"], south): ("", True, "Coordinator on leave", ""),
            (measures["marac-cases"], None): ("12", False, "", "Cases not split by area"),
            (measures["marac-repeat-pct"], None): "27.5",
        },
    )
    assert response.status_code == 302
    figures = {
        (o.measure.code, o.area.name if o.area else None): o
        for o in Observation.objects.select_related("measure", "area")
    }
    assert figures[("marac-cases", "North Testshire")].value == Decimal("40")
    ns = figures[("marac-cases", "South Testshire")]
    assert (ns.status, ns.value, ns.not_supplied_reason) == (
        Observation.Status.NOT_SUPPLIED,
        None,
        "Coordinator on leave",
    )
    assert figures[("marac-cases", None)].note == "Cases not split by area"
    assert figures[("marac-repeat-pct", None)].value == Decimal("27.5")
    assert len(figures) == 4
    assert all(o.updated_by == cast.police_editor for o in figures.values())
    assert all(o.data_return_id == police_quarter.pk for o in figures.values())
    police_quarter.refresh_from_db()
    assert (police_quarter.status, police_quarter.version) == (DataReturn.Status.DRAFT, 2)


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        (
            "marac-cases",
            "-3",
            "MARAC cases discussed, North Testshire: the figure cannot be negative",
        ),
        (
            "marac-cases",
            "2.5",
            "MARAC cases discussed, North Testshire: enter a whole number, like 1,234 "
            "(you entered “2.5”)",
        ),
        (
            "marac-repeat-pct",
            "101",
            "MARAC repeat cases (%), North Testshire: a percentage must be 100 or less "
            "(you entered 101)",
        ),
        (
            "marac-cases",
            "twelve",
            "MARAC cases discussed, North Testshire: enter a whole number, like 1,234 "
            "(you entered “twelve”)",
        ),
    ],
)
def test_bad_input_is_refused_naming_measure_and_area_and_nothing_is_saved(
    cast, measures, police_quarter, code, typed, message
):
    north, south = _areas(cast)
    client = _client(cast.police_editor)
    response = _post(
        client,
        cast,
        police_quarter,
        {(measures["marac-cases"], south): "17", (measures[code], north): typed},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "There is a problem: nothing was saved" in html
    # What the user typed is still in the form, good cells and bad.
    assert 'value="17"' in html
    assert f'value="{typed}"' in html
    assert Observation.objects.count() == 0
    police_quarter.refresh_from_db()
    assert police_quarter.version == 1


def test_an_error_in_the_last_cell_leaves_the_database_unchanged(cast, measures, police_quarter):
    north, south = _areas(cast)
    client = _client(cast.police_editor)
    _post(client, cast, police_quarter, {(measures["marac-cases"], north): "5"})
    police_quarter.refresh_from_db()
    response = _post(
        client,
        cast,
        police_quarter,
        {
            (measures["marac-cases"], north): "6",
            (measures["marac-cases"], south): "7",
            (measures["marac-repeat-pct"], None): "150",
        },
    )
    assert response.status_code == 200
    assert list(Observation.objects.values_list("value", flat=True)) == [Decimal("5")]


def test_not_supplied_needs_a_reason_and_no_value(cast, measures, police_quarter):
    north, south = _areas(cast)
    client = _client(cast.police_editor)
    response = _post(
        client,
        cast,
        police_quarter,
        {
            (measures["marac-cases"], north): ("", True, "", ""),
            (measures["marac-cases"], south): ("4", True, "No data", ""),
        },
    )
    html = response.content.decode()
    assert "MARAC cases discussed, North Testshire: say why the figure was not supplied" in html
    assert (
        "MARAC cases discussed, South Testshire: either enter a figure or tick "
        "“not supplied”, not both" in html
    )
    assert Observation.objects.count() == 0


def test_submit_then_approve_locks_the_return(cast, measures, police_quarter, manager_client):
    north, _ = _areas(cast)
    client = _client(cast.police_editor)
    _post(client, cast, police_quarter, {(measures["marac-cases"], north): "9"}, action="submit")
    police_quarter.refresh_from_db()
    assert police_quarter.status == DataReturn.Status.SUBMITTED
    assert police_quarter.submitted_by == cast.police_editor
    # The editor can no longer change a submitted return.
    response = _post(client, cast, police_quarter, {(measures["marac-cases"], north): "10"})
    assert response.status_code == 403
    response = manager_client.post(
        _url(cast, police_quarter, "crimestats:return_approve"),
        {"version": police_quarter.version},
    )
    assert response.status_code == 302
    police_quarter.refresh_from_db()
    assert police_quarter.status == DataReturn.Status.APPROVED
    assert police_quarter.approved_by == cast.manager
    figure = Observation.objects.get()
    assert figure.is_approved
    assert figure.history.first().history_change_reason == "Return approved"
    response = _post(client, cast, police_quarter, {(measures["marac-cases"], north): "10"})
    assert response.status_code == 403
    assert Observation.objects.get().value == Decimal("9")


def test_a_correction_needs_a_reason_and_makes_a_new_revision(
    cast, measures, police_quarter, manager_client
):
    north, _ = _areas(cast)
    _post(
        _client(cast.police_editor),
        cast,
        police_quarter,
        {(measures["marac-cases"], north): "9"},
        action="submit",
    )
    police_quarter.refresh_from_db()
    manager_client.post(
        _url(cast, police_quarter, "crimestats:return_approve"), {"version": police_quarter.version}
    )
    police_quarter.refresh_from_db()
    response = _post(manager_client, cast, police_quarter, {(measures["marac-cases"], north): "11"})
    assert response.status_code == 200
    assert "Give a reason for correcting figures in an approved return" in response.content.decode()
    assert Observation.objects.get().value == Decimal("9")
    response = _post(
        manager_client,
        cast,
        police_quarter,
        {(measures["marac-cases"], north): "11"},
        correction_reason="Two cases were counted in the wrong quarter",
    )
    assert response.status_code == 302
    figure = Observation.objects.get()
    assert (figure.value, figure.revision, figure.is_approved) == (Decimal("11"), 2, True)
    history = list(figure.history.order_by("history_id"))
    assert [h.value for h in history] == [Decimal("9"), Decimal("9"), Decimal("11")]
    assert history[-1].history_change_reason == "Two cases were counted in the wrong quarter"
    assert history[-1].history_user == cast.manager
    page = manager_client.get(
        reverse(
            "crimestats:figure_history",
            kwargs={"slug": cast.partnership.slug, "pk": figure.pk},
        )
    ).content.decode()
    assert "Two cases were counted in the wrong quarter" in page
    assert "Mary Manager" in page
    assert "Pat Police" in page


def test_the_second_save_is_refused_showing_what_the_other_person_changed(
    cast, measures, police_quarter, manager_client
):
    north, south = _areas(cast)
    version = police_quarter.version
    police = _client(cast.police_editor)
    # Both open version 1. The manager saves first.
    _post(
        manager_client,
        cast,
        police_quarter,
        {(measures["marac-cases"], north): "30"},
        version=version,
    )
    response = _post(
        police,
        cast,
        police_quarter,
        {(measures["marac-cases"], north): "31", (measures["marac-cases"], south): "8"},
        version=version,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Someone else changed this data return after you opened it, so your changes were "
        "not saved." in html
    )
    changes = response.context["changes"]
    assert [(c.who, [(f.label, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("Mary Manager", [("MARAC cases discussed, North Testshire", "(blank)", "30")])
    ]
    assert "From (blank) to 30" in html
    assert 'value="31"' in html
    assert list(Observation.objects.values_list("value", flat=True)) == [Decimal("30")]
    # The page now carries the current version: saving again is a deliberate choice.
    police_quarter.refresh_from_db()
    assert f'name="version" value="{police_quarter.version}"' in html


def test_editor_of_another_organisation_cannot_edit(cast, measures, police_quarter, editor_client):
    north, _ = _areas(cast)
    response = _post(editor_client, cast, police_quarter, {(measures["marac-cases"], north): "1"})
    assert response.status_code == 403
    page = editor_client.get(_url(cast, police_quarter))
    assert page.status_code == 200
    assert "Submit for approval" not in page.content.decode()


def test_viewer_sees_but_cannot_save(cast, measures, police_quarter, viewer_client):
    assert viewer_client.get(_url(cast, police_quarter)).status_code == 200
    north, _ = _areas(cast)
    response = _post(viewer_client, cast, police_quarter, {(measures["marac-cases"], north): "1"})
    assert response.status_code == 403


def test_outsider_gets_404(cast, measures, police_quarter, outsider_client):
    for name in ("crimestats:return_edit", "crimestats:return_upload"):
        assert outsider_client.get(_url(cast, police_quarter, name)).status_code == 404
    assert (
        outsider_client.post(
            _url(cast, police_quarter, "crimestats:return_approve"), {"version": 1}
        ).status_code
        == 404
    )
    slug = cast.partnership.slug
    for name in (
        "crimestats:figures_home",
        "crimestats:measure_choice",
        "crimestats:measure_catalogue",
    ):
        assert outsider_client.get(reverse(name, kwargs={"slug": slug})).status_code == 404


def test_the_grid_page_has_labels_naming_measure_and_area(
    cast, measures, police_quarter, django_assert_max_num_queries
):
    client = _client(cast.police_editor)
    html = client.get(_url(cast, police_quarter)).content.decode()
    assert "MARAC cases discussed, North Testshire: figure" in html
    assert "MARAC repeat cases (%), whole partnership: figure" in html
    assert "IDVA referrals" not in html  # supplied by the council


def _fill_quarter_and_count(client, cast, data_return, measures, n_areas_values):
    north, south = _areas(cast)
    cells = {}
    for code in ("marac-cases", "marac-repeat-pct"):
        for area in (north, south, None):
            cells[(measures[code], area)] = n_areas_values
    return cells


def test_saving_and_approving_a_return_uses_a_fixed_number_of_queries(
    cast, measures, police_quarter, manager_client, django_assert_num_queries
):
    from crimestats.models import Measure, PartnershipMeasure

    north, south = _areas(cast)
    cells = {
        (m, a): "5"
        for m in (measures["marac-cases"], measures["marac-repeat-pct"])
        for a in (north, south, None)
    }
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        _post(manager_client, cast, police_quarter, cells)
    # Add more measures to the return: the query count stays the same.
    for code in (
        "marac-children",
        "community-trigger-applications",
        "community-trigger-reviews",
        "idva-referrals",
    ):
        PartnershipMeasure.objects.update_or_create(
            partnership=cast.partnership,
            measure=Measure.objects.get(code=code),
            defaults={"supplier": cast.police},
        )
    big = DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.police,
        period_type="quarter",
        period_start=date(2017, 7, 1),
        period_end=date(2017, 9, 30),
    )
    all_measures = [
        pm.measure
        for pm in PartnershipMeasure.objects.filter(
            supplier=cast.police, measure__frequency="quarterly"
        )
    ]
    cells = {(m, a): "5" for m in all_measures for a in (north, south, None)}
    with CaptureQueriesContext(connection) as large:
        _post(manager_client, cast, big, cells)
    assert Observation.objects.filter(data_return=big).count() == 18
    assert len(large) == len(small)
    big.refresh_from_db()
    police_quarter.refresh_from_db()
    for data_return in (big, police_quarter):
        data_return.refresh_from_db()
        services.data_return_save(
            data_return=data_return,
            inputs=[],
            user=cast.manager,
            version=data_return.version,
            submit=True,
        )
    big.refresh_from_db()
    police_quarter.refresh_from_db()
    counts = []
    for data_return in (police_quarter, big):
        with CaptureQueriesContext(connection) as approve:
            manager_client.post(
                _url(cast, data_return, "crimestats:return_approve"),
                {"version": data_return.version},
            )
        counts.append(len(approve))
    assert counts[0] == counts[1]
    assert Observation.objects.filter(is_approved=True).count() == 24


def test_an_approved_return_reads_as_locked_until_a_manager_asks_to_correct(
    cast, measures, police_quarter, manager_client
):
    north, _ = _areas(cast)
    police = _client(cast.police_editor)
    _post(police, cast, police_quarter, {(measures["marac-cases"], north): "9"}, action="submit")
    police_quarter.refresh_from_db()
    services.data_return_approve(
        data_return=police_quarter, user=cast.manager, version=police_quarter.version
    )
    locked = manager_client.get(_url(cast, police_quarter)).content.decode()
    assert "This return is approved and locked." in locked
    assert 'name="value-' not in locked
    correcting = manager_client.get(_url(cast, police_quarter) + "?correct=1").content.decode()
    assert "Reason for the correction" in correcting
    assert 'name="value-' in correcting
    editor_view = police.get(_url(cast, police_quarter) + "?correct=1").content.decode()
    assert 'name="value-' not in editor_view
    assert "Correct a figure" not in editor_view


def test_a_submitted_return_says_its_status_once_and_has_one_version_field(
    cast, measures, police_quarter, manager_client
):
    north, _ = _areas(cast)
    _post(
        _client(cast.police_editor),
        cast,
        police_quarter,
        {(measures["marac-cases"], north): "9"},
        action="submit",
    )
    police_quarter.refresh_from_db()
    page = manager_client.get(_url(cast, police_quarter)).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    when = uk_datetime(police_quarter.submitted_at)
    assert f"Status Submitted Sent for approval {when} by {cast.police_editor}" in text
    assert "Submitted Submitted" not in text
    # The grid, the approve form and the send-back form each send the version; only
    # one of them gives it an id, so the page stays valid HTML.
    assert page.count('id="id_version"') == 1
    assert page.count('name="version"') == 3
