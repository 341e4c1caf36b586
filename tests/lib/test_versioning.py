"""The one versioned save, met as a manager meets it: the partnership's own pages. A
second save from an older page is refused with what the first person changed, and a
page whose version is missing or altered is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from cspportal.lib.versioning import EditConflict, next_version
from partnerships.models import Area, Partnership

AREA = {
    "name": "North Testshire",
    "kind": "borough",
    "gss_code": "E07000001",
    "population": "",
    "population_year": "",
}
OUT_OF_DATE = "This page is out of date: open it again, make your changes and save."


def _details(partnership: Partnership, **changes) -> dict:
    return {
        "name": partnership.name,
        "gss_code": "",
        "gss_vintage": "",
        "lead_council": "",
        "description": "",
        **changes,
    }


def _edit_url(cast) -> str:
    return f"/partnerships/{cast.partnership.slug}/edit/"


def test_the_second_of_two_edits_from_one_page_is_refused_with_the_first_ones_changes(
    cast, manager_client, admin_client_
):
    first = admin_client_.post(
        _edit_url(cast), _details(cast.partnership, description="Set by Ada.", version="1")
    )
    assert first.status_code == 302

    second = manager_client.post(
        _edit_url(cast), _details(cast.partnership, name="Safer Testshire", version="1")
    )

    assert second.status_code == 200
    assert second.context["form"].non_field_errors() == [
        "Someone else changed this partnership after you opened it, so your changes were "
        "not saved. Their changes are listed below. Check them against yours, then save "
        "again to replace them."
    ]
    changes = second.context["changes"]
    assert [(c.who, [(f.label, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("Ada Admin", [("Description", "(blank)", "Set by Ada.")])
    ]
    html = second.content.decode()
    assert "From (blank) to Set by Ada." in html
    assert 'value="Safer Testshire"' in html  # what the manager typed is kept
    assert 'name="version" value="2"' in html  # saving again replaces Ada's change
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    assert (partnership.name, partnership.description, partnership.version) == (
        "Safer Testshire CSP",
        "Set by Ada.",
        2,
    )

    again = manager_client.post(
        _edit_url(cast), _details(cast.partnership, name="Safer Testshire", version="2")
    )
    assert again.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.name, partnership.description, partnership.version) == (
        "Safer Testshire",
        "",
        3,
    )


@pytest.mark.parametrize("version", [None, "", "x", "0", "-1", "2", "99"])
def test_an_edit_without_its_version_or_with_an_altered_one_is_refused(
    cast, manager_client, version
):
    data = _details(cast.partnership, name="Hijacked")
    if version is not None:
        data["version"] = version

    response = manager_client.post(_edit_url(cast), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [OUT_OF_DATE]
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    assert (partnership.name, partnership.version) == ("Safer Testshire CSP", 1)
    assert partnership.history.count() == 1


@pytest.mark.parametrize("version", [None, "x", "0", "5"])
def test_a_delete_without_its_version_or_with_an_altered_one_is_refused(
    cast, manager_client, version
):
    area = Area.objects.get(name="South Testshire")
    url = f"/partnerships/{cast.partnership.slug}/areas/{area.pk}/delete/"

    response = manager_client.post(url, {} if version is None else {"version": version})

    assert response.status_code == 200
    expected = (
        "This page is out of date: open it again, then delete."
        if version in (None, "x", "0")
        else OUT_OF_DATE
    )
    assert response.context["form"].non_field_errors() == [expected]
    assert Area.objects.filter(pk=area.pk).exists()


def test_a_delete_from_a_page_older_than_the_last_edit_lists_the_edit(cast, manager_client):
    area = Area.objects.get(name="South Testshire")
    edited = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/areas/{area.pk}/edit/",
        {
            **AREA,
            "name": "South Testshire",
            "kind": "district",
            "gss_code": "E07000002",
            "population": "51000",
            "population_year": "2021",
            "version": "1",
        },
    )
    assert edited.status_code == 302

    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/areas/{area.pk}/delete/", {"version": "1"}
    )

    assert response.context["form"].non_field_errors() == [
        "Someone else changed this area after you opened it, so it was not deleted. Their "
        "changes are listed below: check them, then delete it if you still mean to."
    ]
    changes = response.context["changes"]
    assert [(c.who, [(f.label, f.old, f.new) for f in c.fields]) for c in changes] == [
        ("Mary Manager", [("Population", "100000", "51000")])
    ]
    assert 'name="version" value="2"' in response.content.decode()
    assert Area.objects.filter(pk=area.pk).exists()


def test_the_lock_refuses_a_version_the_record_never_had(cast):
    partnership = cast.partnership
    with pytest.raises(ValidationError) as refused:
        next_version(partnership, 2)
    assert refused.value.messages == [OUT_OF_DATE]
    with pytest.raises(EditConflict) as conflict:
        Partnership.objects.filter(pk=partnership.pk).update(version=3)
        next_version(partnership, 2)
    assert (conflict.value.current_version, conflict.value.started_from) == (3, 2)
    assert next_version(partnership, 3) == 4
    assert next_version(partnership, None) == 4


def test_a_long_change_reads_as_before_and_after(cast, manager_client, admin_client_):
    before = "The partnership for Testshire. " * 3
    cast.partnership.description = before.strip()
    cast.partnership.save()
    admin_client_.post(
        _edit_url(cast), _details(cast.partnership, description="Rewritten by Ada.", version="1")
    )

    second = manager_client.post(_edit_url(cast), _details(cast.partnership, version="1"))

    html = second.content.decode()
    assert f"<strong>Before:</strong> {before.strip()}</p>" in html
    assert "<strong>After:</strong> Rewritten by Ada.</p>" in html
    assert "From The partnership" not in html
