"""The figures page: returns grouped by period, the user's returns to fill in or to
approve, the organisation and status filters, paging, and a fixed query count."""

from datetime import date

import pytest
from django.urls import reverse

from crimestats import selectors
from crimestats.models import DataReturn
from cspportal.lib.periods import PeriodType, add_months, month_end
from partnerships.models import Organisation, Role
from partnerships.selectors import PartnershipAccess

pytestmark = pytest.mark.django_db

Q1 = "Q1 2017/18 (April to June 2017)"


def _home(cast, query: str = "") -> str:
    return reverse("crimestats:figures_home", kwargs={"slug": cast.partnership.slug}) + query


def _return(cast, organisation, period_type, start, status=DataReturn.Status.DRAFT):
    if period_type == PeriodType.QUARTER:
        end = month_end(add_months(start, 2))
    elif period_type == PeriodType.FINANCIAL_YEAR:
        end = date(start.year + 1, 3, 31)
    else:
        end = month_end(start)
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=organisation,
        period_type=period_type,
        period_start=start,
        period_end=end,
        status=status,
    )


def _months(cast, organisation, count, first=date(2016, 4, 1), status=DataReturn.Status.DRAFT):
    return [
        _return(cast, organisation, PeriodType.MONTH, add_months(first, i), status)
        for i in range(count)
    ]


def _access(cast, user) -> PartnershipAccess:
    role = user.partnership_roles.get(partnership=cast.partnership)
    return PartnershipAccess(cast.partnership, role.role, role.organisation)


@pytest.fixture
def mixed(cast):
    """Q1 2017/18 from both organisations, July 2017 from the police (submitted), the
    year 2017/18 from the council (approved) and a managers' draft for Q1."""
    S = DataReturn.Status
    return {
        "police_q1": _return(cast, cast.police, PeriodType.QUARTER, date(2017, 4, 1)),
        "council_q1": _return(cast, cast.council, PeriodType.QUARTER, date(2017, 4, 1)),
        "managers_q1": _return(cast, None, PeriodType.QUARTER, date(2017, 4, 1)),
        "police_july": _return(cast, cast.police, PeriodType.MONTH, date(2017, 7, 1), S.SUBMITTED),
        "council_year": _return(
            cast, cast.council, PeriodType.FINANCIAL_YEAR, date(2017, 4, 1), S.APPROVED
        ),
    }


def _names(returns_page: selectors.ReturnsPage) -> list[tuple[str, list[str]]]:
    return [(g.period, [row.name for row in g.rows]) for g in returns_page.groups]


def test_returns_are_grouped_by_period_newest_first(cast, mixed):
    page = selectors.returns_by_period(cast.partnership)
    assert _names(page) == [
        ("2017/18", ["2017/18: Testshire Council"]),
        ("July 2017", ["July 2017: Testshire Police"]),
        (
            Q1,
            [
                f"{Q1}: Testshire Council",
                f"{Q1}: Testshire Police",
                f"{Q1}: Partnership managers",
            ],
        ),
    ]
    assert (page.period_count, page.return_count, page.page.number) == (3, 5, 1)


def test_each_link_names_its_return_uniquely(cast, mixed, viewer_client):
    html = viewer_client.get(_home(cast)).content.decode()
    for pk, supplier in [
        (mixed["police_q1"].pk, "Testshire Police"),
        (mixed["council_q1"].pk, "Testshire Council"),
    ]:
        href = reverse("crimestats:return_edit", kwargs={"slug": cast.partnership.slug, "pk": pk})
        assert (
            f'<a class="govuk-link" href="{href}"><span class="govuk-visually-hidden">'
            f"{Q1}: </span>{supplier}</a>"
        ) in html
    assert "Showing periods 1 to 3 of 3 (5 returns)." in html


def test_the_heading_comes_before_the_section_tabs(cast, viewer_client):
    html = viewer_client.get(_home(cast)).content.decode()
    assert html.index("Safer Testshire CSP</span>") < html.index('<h1 class="govuk-heading-xl">')
    assert html.index('<h1 class="govuk-heading-xl">Figures</h1>') < html.index(
        'class="app-section-nav"'
    )


def test_an_editor_fills_in_their_organisations_drafts(cast, mixed):
    council = selectors.returns_to_fill_in(_access(cast, cast.editor))
    assert [r.name for r in council.rows] == [f"{Q1}: Testshire Council"]
    assert council.has_more is False
    police = selectors.returns_to_fill_in(_access(cast, cast.police_editor))
    # The police's July return is submitted: it waits for a manager, not for them.
    assert [r.name for r in police.rows] == [f"{Q1}: Testshire Police"]
    assert selectors.returns_to_approve(_access(cast, cast.editor)).rows == []


def test_a_viewer_has_nothing_to_fill_in_or_approve(cast, mixed, viewer_client):
    access = _access(cast, cast.viewer)
    assert selectors.returns_to_fill_in(access).rows == []
    assert selectors.returns_to_approve(access).rows == []
    html = viewer_client.get(_home(cast)).content.decode()
    assert "Your returns to fill in" not in html
    assert "Returns to approve" not in html


def test_a_manager_approves_submitted_returns_and_fills_in_the_managers_own(cast, mixed):
    access = _access(cast, cast.manager)
    assert [r.name for r in selectors.returns_to_approve(access).rows] == [
        "July 2017: Testshire Police"
    ]
    # The manager is of the council: the council's drafts and the managers' own.
    assert [r.name for r in selectors.returns_to_fill_in(access).rows] == [
        f"{Q1}: Testshire Council",
        f"{Q1}: Partnership managers",
    ]


def test_an_editor_with_no_organisation_has_nothing_to_fill_in(cast, mixed):
    access = PartnershipAccess(cast.partnership, Role.EDITOR, None)
    assert selectors.returns_to_fill_in(access).rows == []


def test_a_long_to_do_list_shows_the_newest_ten_and_says_there_are_more(cast, editor_client):
    _months(cast, cast.council, 11)
    to_do = selectors.returns_to_fill_in(_access(cast, cast.editor))
    assert [r.period for r in to_do.rows] == [
        "February 2017",
        "January 2017",
        "December 2016",
        "November 2016",
        "October 2016",
        "September 2016",
        "August 2016",
        "July 2016",
        "June 2016",
        "May 2016",
    ]
    assert to_do.has_more is True
    html = editor_client.get(_home(cast)).content.decode()
    assert (
        'These are the newest 10. <a class="govuk-link" '
        f'href="?organisation={cast.council.pk}&amp;status=draft#returns">'
        "See every draft return of Testshire Council</a>."
    ) in html


def test_the_lists_filter_by_organisation_and_status(cast, mixed):
    def names(**filters):
        return _names(selectors.returns_by_period(cast.partnership, **filters))

    assert names(supplier=str(cast.police.pk)) == [
        ("July 2017", ["July 2017: Testshire Police"]),
        (Q1, [f"{Q1}: Testshire Police"]),
    ]
    assert names(supplier=selectors.MANAGERS) == [(Q1, [f"{Q1}: Partnership managers"])]
    assert names(status="approved") == [("2017/18", ["2017/18: Testshire Council"])]
    assert names(supplier=str(cast.council.pk), status="draft") == [
        (Q1, [f"{Q1}: Testshire Council"])
    ]
    assert names(supplier=str(cast.police.pk), status="approved") == []


def test_the_organisation_filter_offers_the_organisations_with_returns(cast, mixed):
    assert selectors.return_suppliers(cast.partnership) == [
        (str(cast.council.pk), "Testshire Council"),
        (str(cast.police.pk), "Testshire Police"),
        (selectors.MANAGERS, "Partnership managers"),
    ]


def test_the_page_filters_by_query_string(cast, mixed, viewer_client):
    html = viewer_client.get(_home(cast, f"?organisation={cast.police.pk}")).content.decode()
    assert "Showing periods 1 to 2 of 2 (2 returns matching the filters)." in html
    assert f"{Q1}: </span>Testshire Police" in html
    assert f"{Q1}: </span>Testshire Council" not in html
    assert "Clear the filters" in html
    html = viewer_client.get(_home(cast, "?status=submitted")).content.decode()
    assert "Showing periods 1 to 1 of 1 (1 return matching the filters)." in html


def test_no_match_says_so(cast, mixed, viewer_client):
    html = viewer_client.get(
        _home(cast, f"?organisation={cast.police.pk}&status=approved")
    ).content.decode()
    assert "No returns match the filters." in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?organisation=99999", "Choose an organisation from the list: returns of every"),
        ("?organisation=abc", "Choose an organisation from the list: returns of every"),
        ("?status=lost", "Choose a status from the list: returns of every status are shown"),
    ],
)
def test_a_bad_filter_is_named_and_the_list_drops_it(cast, mixed, viewer_client, query, message):
    response = viewer_client.get(_home(cast, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 2  # the error summary and the field
    assert "Showing periods 1 to 3 of 3 (5 returns)." in html


def test_a_bad_filter_keeps_the_good_one(cast, mixed, viewer_client):
    html = viewer_client.get(
        _home(cast, f"?organisation={cast.police.pk}&status=lost")
    ).content.decode()
    assert "Choose a status from the list" in html
    assert "Showing periods 1 to 2 of 2 (2 returns matching the filters)." in html


def test_an_organisation_with_no_returns_here_is_refused(cast, mixed, viewer_client):
    elsewhere = Organisation.objects.create(name="Elsewhere Fire", type=Organisation.Type.FIRE)
    html = viewer_client.get(_home(cast, f"?organisation={elsewhere.pk}")).content.decode()
    assert "Choose an organisation from the list" in html
    assert "Showing periods 1 to 3 of 3 (5 returns)." in html


def test_periods_come_ten_to_a_page(cast, viewer_client):
    _months(cast, cast.police, 12)
    first = selectors.returns_by_period(cast.partnership)
    assert [g.period for g in first.groups][:2] == ["March 2017", "February 2017"]
    assert len(first.groups) == 10
    second = selectors.returns_by_period(cast.partnership, page_number=2)
    assert [g.period for g in second.groups] == ["May 2016", "April 2016"]
    html = viewer_client.get(_home(cast)).content.decode()
    assert "Showing periods 1 to 10 of 12 (12 returns)." in html
    assert '<nav class="govuk-pagination" aria-label="Pages of data returns">' in html
    assert 'href="?page=2#returns" rel="next"' in html
    assert 'href="?page=1#returns" aria-label="Page 1" aria-current="page"' in html
    assert "govuk-pagination__prev" not in html


def test_page_links_keep_the_filters(cast, viewer_client):
    _months(cast, cast.police, 12)
    html = viewer_client.get(
        _home(cast, f"?organisation={cast.police.pk}&status=draft&page=2")
    ).content.decode()
    assert "Showing periods 11 to 12 of 12 (12 returns matching the filters)." in html
    assert f'href="?organisation={cast.police.pk}&amp;status=draft&amp;page=1#returns"' in html
    assert "govuk-pagination__next" not in html


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("abc", "Showing periods 1 to 10 of 12"),
        ("9999", "Showing periods 11 to 12 of 12"),
        ("0", "Showing periods 11 to 12 of 12"),
        ("", "Showing periods 1 to 10 of 12"),
    ],
)
def test_a_page_out_of_range_shows_the_nearest(cast, viewer_client, page, shown):
    _months(cast, cast.police, 12)
    response = viewer_client.get(_home(cast, f"?page={page}"))
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_one_page_has_no_pagination(cast, mixed, viewer_client):
    assert "govuk-pagination" not in viewer_client.get(_home(cast)).content.decode()


def test_the_page_query_count_does_not_grow_with_the_returns(
    cast, measures, manager_client, django_assert_num_queries
):
    _months(cast, cast.police, 3, status=DataReturn.Status.SUBMITTED)
    _months(cast, cast.council, 3)
    with django_assert_num_queries(16):
        assert manager_client.get(_home(cast)).status_code == 200
    _months(cast, cast.police, 30, first=date(2010, 4, 1), status=DataReturn.Status.SUBMITTED)
    _months(cast, cast.council, 30, first=date(2010, 4, 1))
    _return(cast, None, PeriodType.QUARTER, date(2017, 4, 1))
    with django_assert_num_queries(16):
        assert manager_client.get(_home(cast, "?page=2")).status_code == 200


def test_outsider_is_refused(cast, mixed, outsider_client):
    for query in ("", "?organisation=managers", "?page=2"):
        assert outsider_client.get(_home(cast, query)).status_code == 404


def test_the_open_form_asks_for_the_quarter_or_month_under_its_kind(cast, measures, editor_client):
    html = editor_client.get(_home(cast)).content.decode()
    # The year is a GOV.UK text box, not an unstyled number box.
    assert (
        '<input type="text" name="year" inputmode="numeric" spellcheck="false" '
        'class="govuk-input govuk-input--width-4"'
    ) in html
    assert 'data-app-reveals="conditional-period_type-0"' in html
    assert 'data-app-reveals="conditional-period_type-1"' in html
    # Nothing chosen yet: GOV.UK Frontend hides both follow-up questions (without
    # JavaScript the class does nothing and both show).
    assert (
        '<div class="govuk-radios__conditional govuk-radios__conditional--hidden" '
        'id="conditional-period_type-1">'
    ) in html
    assert html.index('id="conditional-period_type-1"') < html.index('name="quarter"')
    assert html.index('id="conditional-period_type-0"') < html.index('name="month"')


def test_a_month_ignores_the_quarter_left_chosen_without_javascript(cast, measures, editor_client):
    response = editor_client.post(
        _home(cast),
        {
            "organisation": cast.council.pk,
            "period_type": "month",
            "year": 2017,
            "quarter": 3,
            "month": 9,
        },
    )
    assert response.status_code == 302
    data_return = DataReturn.objects.get()
    assert (data_return.period_type, data_return.period_start) == ("month", date(2018, 1, 1))


def test_a_missing_kind_of_period_is_named(cast, measures, editor_client):
    response = editor_client.post(_home(cast), {"organisation": cast.council.pk, "year": 2017})
    html = response.content.decode()
    assert "Choose the kind of period: a month, a quarter or a year" in html
    # The chosen kind's question is shown again after an error.
    response = editor_client.post(
        _home(cast), {"organisation": cast.council.pk, "period_type": "quarter", "year": ""}
    )
    html = response.content.decode()
    assert "Enter the financial year the period is in, like 2017" in html
    assert '<div class="govuk-radios__conditional" id="conditional-period_type-1">' in html
    assert DataReturn.objects.count() == 0


def test_a_bad_filter_with_no_returns_still_shows_the_field_it_names(cast, viewer_client):
    html = viewer_client.get(_home(cast, "?status=lost")).content.decode()
    assert '<a href="#filter-status">Choose a status from the list' in html
    assert 'id="filter-status"' in html
    assert "No data returns yet." in html
