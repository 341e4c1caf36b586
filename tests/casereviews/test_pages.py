"""The register page, the timescales, the figures page, publishing, and the public
page with its download."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from casereviews.models import CaseReviewPublication, CaseReviewSettings, Decision, YesNo
from tests.casereviews.conftest import make_application

pytestmark = pytest.mark.django_db

# Monday 10 June 2024: the register as it stands that day.
TODAY = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def register(cast):
    # Received Wednesday 1 May 2024: 10 working days (6 May is a bank holiday) end
    # on Thursday 16 May; on 10 June it is late by 16 working days (17-31 May less
    # 27 May's bank holiday: 10, then 3-7 and 10 June: 6 more).
    make_application(cast, "LATE", received_on=date(2024, 5, 1))
    # Received Friday 7 June: due Friday 21 June, not late.
    make_application(cast, "DUE", received_on=date(2024, 6, 7))
    make_application(
        cast,
        "SHUT",
        received_on=date(2024, 4, 2),
        threshold_met=Decision.NOT_MET,
        decided_on=date(2024, 4, 5),
        outcome_sent_on=date(2024, 4, 8),
    )


def _register(client, cast, show: str = "") -> str:
    url = reverse("casereviews:register", args=[cast.partnership.slug])
    return client.get(url, {"show": show} if show else {}).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_register_shows_what_is_overdue(cast, register, editor_client):
    page = _register(editor_client, cast)
    assert "2 open, 1 of them overdue; 1 closed." in page
    assert "Overdue by 16 working days" in page
    assert "16 May 2024" in page
    assert "21 June 2024" in page
    assert "SHUT" not in page
    # Soonest due first.
    assert page.index("LATE") < page.index("DUE")


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("show", "listed", "left_out"),
    [
        ("overdue", ["LATE"], ["DUE", "SHUT"]),
        ("due", ["DUE"], ["LATE", "SHUT"]),
        ("closed", ["SHUT"], ["LATE", "DUE"]),
        ("all", ["LATE", "DUE", "SHUT"], []),
        ("nonsense", ["LATE", "DUE"], ["SHUT"]),
    ],
)
def test_the_register_filter(cast, register, editor_client, show, listed, left_out):
    page = _register(editor_client, cast, show)
    for reference in listed:
        assert f">{reference}</a>" in page
    for reference in left_out:
        assert f">{reference}</a>" not in page


@time_machine.travel(TODAY, tick=False)
def test_the_timescales_change_the_due_dates(cast, register, manager_client):
    url = reverse("casereviews:settings_edit", args=[cast.partnership.slug])
    form = manager_client.get(url).context["form"]
    response = manager_client.post(
        url,
        {
            "version": form["version"].value() or "",
            "threshold_days": "30",
            "review_days": "25",
            "outcome_days": "5",
            "threshold_text": "Three complaints in six months",
            "how_to_apply": "Ring 01234 567890",
        },
    )
    assert response.status_code == 302
    # 1 May + 30 working days (6 and 27 May are bank holidays): 14 June.
    page = _register(manager_client, cast)
    assert "14 June 2024" in page
    assert "0 of them overdue" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("threshold_days", "0", "Working days to decide the threshold"),
        ("review_days", "251", "Working days to hold the review"),
        ("outcome_days", "five", "Working days to send the outcome"),
        ("threshold_days", "", "Enter the working days to decide the threshold"),
    ],
)
def test_bad_timescales_are_refused_naming_the_field(cast, manager_client, field, value, message):
    url = reverse("casereviews:settings_edit", args=[cast.partnership.slug])
    data = {"threshold_days": "10", "review_days": "25", "outcome_days": "5", field: value}
    response = manager_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert not CaseReviewSettings.objects.exists()


def test_the_register_page_query_count_does_not_grow(
    cast, editor_client, django_assert_num_queries
):
    url = reverse("casereviews:register", args=[cast.partnership.slug])
    make_application(cast, "ONE")
    editor_client.get(url)
    # Session, user, access, settings, applications; the switcher's partnerships.
    with django_assert_num_queries(6):
        editor_client.get(url)
    for n in range(5):
        make_application(
            cast,
            f"MORE-{n}",
            threshold_met=Decision.MET,
            decided_on=date(2024, 5, 3),
            reviewed_on=date(2024, 5, 20),
            recommendations_made=YesNo.YES,
        )
    with django_assert_num_queries(6):
        editor_client.get(url)


def _publish(client, cast, year: str = "2024"):
    return client.post(
        reverse("casereviews:publish", args=[cast.partnership.slug]), {"financial_year": year}
    )


def _public(client, cast):
    return client.get(reverse("public:case_reviews", args=[cast.partnership.slug]))


@time_machine.travel(TODAY, tick=False)
def test_a_manager_publishes_a_year_and_later_edits_do_not_change_it(
    cast, register, manager_client
):
    CaseReviewSettings.objects.create(
        partnership=cast.partnership,
        threshold_text="Three complaints in six months",
        how_to_apply="Ring 01234 567890",
    )
    assert _publish(manager_client, cast).status_code == 302
    publication = CaseReviewPublication.objects.get()
    # 2024/25 so far: LATE, DUE, SHUT received; SHUT not met; no reviews.
    assert (
        publication.financial_year,
        publication.applications,
        publication.thresholds_not_met,
        publication.reviews,
        publication.reviews_with_recommendations,
    ) == (2024, 3, 1, 0, 0)
    assert publication.published_by == cast.manager
    make_application(cast, "AFTER", received_on=date(2024, 6, 10))
    CaseReviewSettings.objects.update(threshold_text="Changed")
    publication.refresh_from_db()
    assert publication.applications == 3
    page = _public(Client(), cast).content.decode()
    assert "Three complaints in six months" in page
    assert "Changed" not in page


@time_machine.travel(TODAY, tick=False)
def test_a_year_not_started_cannot_be_published(cast, register, manager_client):
    response = _publish(manager_client, cast, "2025")
    assert response.status_code == 200
    assert not CaseReviewPublication.objects.exists()
    assert response.context["publish_form"].errors == {
        "financial_year": ["Financial year: choose a year that has started and has figures"]
    }
    assert 'href="#id_financial_year"' in response.content.decode()


def test_the_public_page_is_404_until_something_is_published(cast, register):
    assert _public(Client(), cast).status_code == 404
    csv_url = reverse("public:case_reviews_download", args=[cast.partnership.slug])
    assert Client().get(csv_url).status_code == 404
    assert Client().get(reverse("public:case_reviews", args=["no-such"])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_public_page_and_csv_show_only_published_years(cast, register, manager_client):
    make_application(cast, "OLD", received_on=date(2023, 5, 1))
    _publish(manager_client, cast, "2024")
    page = _public(Client(), cast).content.decode()
    assert "2024/25" in page
    assert "2023/24" not in page
    assert "LATE" not in page
    assert "Open Government Licence v3.0" in page
    download = Client().get(reverse("public:case_reviews_download", args=[cast.partnership.slug]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "Financial year",
            "Applications for an ASB case review",
            "Times the threshold was not met",
            "Case reviews carried out",
            "Case reviews that led to recommendations",
            "Status",
            "Source",
            "As at",
            "Licence",
        ],
        [
            "2024/25",
            "3",
            "1",
            "0",
            "0",
            "Published",
            "ASB case review register of Safer Testshire CSP",
            "2024-06-10",
            "Contains public sector information licensed under the Open Government Licence v3.0",
        ],
    ]
    # The other partnership has published nothing.
    assert (
        Client().get(reverse("public:case_reviews", args=[cast.other_partnership.slug])).status_code
        == 404
    )


@time_machine.travel(TODAY, tick=False)
def test_the_figures_page_for_any_twelve_months(cast, register, viewer_client):
    make_application(cast, "OLD", received_on=date(2023, 5, 1))
    url = reverse("casereviews:figures", args=[cast.partnership.slug])
    page = viewer_client.get(url, {"ending": "2024-04"}).content.decode()
    # May 2023 to April 2024: OLD and SHUT received, SHUT not met.
    assert "The four figures for May 2023 to April 2024" in page
    bad = viewer_client.get(url, {"ending": "1999-01"})
    assert bad.context["period_form"].errors == {
        "ending": ["12 months ending: choose one of the months listed"]
    }
