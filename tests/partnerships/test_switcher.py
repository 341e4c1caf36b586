"""The partnership switcher in the header shows, as current, the partnership whose
page is open; off a partnership's pages, the one last opened, or none."""

import re

import pytest
from django.urls import reverse


def _selected(html: str) -> list[str]:
    switcher = html[html.index('id="partnership-switcher"') :]
    switcher = switcher[: switcher.index("</select>")]
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', switcher)


@pytest.mark.parametrize(
    "url_name",
    ["meetings:meeting_list", "meetings:resolution_tracker", "actionplans:plan_list"],
)
def test_it_shows_the_partnership_of_the_page_not_the_one_opened_before(
    cast, admin_client_, url_name
):
    admin_client_.get(reverse("partnerships:partnership_detail", args=[cast.partnership.slug]))

    html = admin_client_.get(reverse(url_name, args=[cast.other_partnership.slug])).content.decode()

    assert _selected(html) == [cast.other_partnership.slug]


def test_a_site_administrator_with_no_partnership_open_sees_none_as_current(cast, admin_client_):
    html = admin_client_.get(reverse("partnerships:partnership_list")).content.decode()

    # Without a placeholder the browser would show the first partnership, Elsewhere
    # CSP, as if it were the current one.
    assert _selected(html) == [""]
    assert '<option value="" selected>Choose a partnership</option>' in html


def test_off_a_partnership_page_it_shows_the_one_last_opened(cast, admin_client_):
    admin_client_.get(reverse("partnerships:partnership_detail", args=[cast.partnership.slug]))
    admin_client_.get(reverse("meetings:meeting_list", args=[cast.other_partnership.slug]))

    html = admin_client_.get(reverse("partnerships:partnership_list")).content.decode()

    assert _selected(html) == [cast.partnership.slug]


def test_a_member_sees_their_partnership_as_current(cast, viewer_client):
    html = viewer_client.get(
        reverse("meetings:resolution_tracker", args=[cast.partnership.slug])
    ).content.decode()

    assert _selected(html) == [cast.partnership.slug]


def test_an_outsider_is_refused_and_shown_no_partnership_of_theirs_as_current(
    cast, outsider_client
):
    outsider_client.get(
        reverse("partnerships:partnership_detail", args=[cast.other_partnership.slug])
    )

    response = outsider_client.get(reverse("meetings:meeting_list", args=[cast.partnership.slug]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "Safer Testshire CSP" not in html
    # Nothing is marked: the browser shows "Choose a partnership", never Elsewhere CSP.
    assert _selected(html) == []
    assert outsider_client.session["current_partnership"] == cast.other_partnership.slug


def test_choosing_no_partnership_goes_to_my_partnerships(cast, admin_client_):
    response = admin_client_.get(reverse("partnerships:partnership_switch"), {"partnership": ""})

    assert response["Location"] == reverse("partnerships:partnership_list")
