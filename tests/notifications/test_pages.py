"""The notification pages, the email log and the returns outstanding page: who may
open them, what a bad value says, and their query counts."""

import pytest
import time_machine
from django.utils import timezone

from crimestats.models import DataRequestSchedule
from notifications.models import Delivery, EmailPreference, Notification
from notifications.services import unread_recount

OUTSTANDING = "/partnerships/safer-testshire/figures/outstanding/"
EMAILS = "/partnerships/safer-testshire/emails/"
PREFERENCES = "/notifications/preferences/"


def _notify(user, n: int, partnership=None) -> None:
    for i in range(n):
        Notification.objects.create(
            user=user,
            partnership=partnership,
            kind="data_requests",
            reason_key=f"test:{user.pk}:{i}",
            subject=f"Reminder {i} for {user.email}",
            text="Figures are due.",
            link="/partnerships/safer-testshire/figures/",
            created_at=timezone.now(),
        )
    unread_recount([user.pk])


def _deliver(cast, n: int) -> None:
    for i in range(n):
        Delivery.objects.create(
            recipient=cast.editor,
            partnership=cast.partnership,
            kind="data_requests",
            reason_key=f"test:{i}",
            email=cast.editor.email,
            subject=f"Email {i}",
            status=Delivery.Status.SENT,
            claimed_at=timezone.now(),
            sent_at=timezone.now(),
        )


@pytest.mark.parametrize("url", ["/notifications/", PREFERENCES, EMAILS, OUTSTANDING])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_each_user_sees_only_their_own_notifications_and_the_unread_count(
    cast, outsider_client, editor_client
):
    _notify(cast.editor, 2, cast.partnership)
    mine = editor_client.get("/notifications/").content.decode()
    assert "Reminder 0 for editor@test.example" in mine
    assert "Reminder 1 for editor@test.example" in mine
    assert '<strong class="govuk-tag app-unread-count">2<span' in mine
    theirs = outsider_client.get("/notifications/").content.decode()
    assert "editor@test.example" not in theirs
    assert "You have no notifications." in theirs
    assert "app-unread-count" not in theirs


def test_mark_all_as_read_clears_the_count(cast, editor_client):
    _notify(cast.editor, 3)
    response = editor_client.post("/notifications/read/", follow=True)
    page = response.content.decode()
    assert "3 notifications marked as read." in page
    assert "app-unread-count" not in page
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    cast.editor.refresh_from_db()
    assert cast.editor.unread_notifications == 0


def test_mark_all_as_read_touches_only_the_users_own(cast, outsider_client):
    _notify(cast.editor, 2)
    outsider_client.post("/notifications/read/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_mark_all_as_read_answers_only_post(cast, editor_client):
    assert editor_client.get("/notifications/read/").status_code == 405


def test_the_notification_list_costs_the_same_queries_for_3_or_20(
    cast, editor_client, django_assert_num_queries
):
    _notify(cast.editor, 3, cast.partnership)
    # Session, user, count, page, switcher.
    with django_assert_num_queries(5):
        assert editor_client.get("/notifications/").status_code == 200
    Notification.objects.all().delete()
    _notify(cast.editor, 20, cast.partnership)
    with django_assert_num_queries(5):
        assert editor_client.get("/notifications/").status_code == 200


def test_a_user_saves_their_email_preferences(cast, viewer_client):
    assert "As it happens" in viewer_client.get(PREFERENCES).content.decode()
    response = viewer_client.post(
        PREFERENCES,
        {"frequency": "daily", "data_requests": "on", "meetings": "on"},
        follow=True,
    )
    assert "Email preferences saved." in response.content.decode()
    preference = EmailPreference.objects.get(user=cast.viewer)
    assert preference.frequency == "daily"
    assert (preference.data_requests, preference.action_updates, preference.meetings) == (
        True,
        False,
        True,
    )
    assert (preference.report_backs, preference.weekly_digest) == (False, False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose how often you want emails"),
        ({"frequency": "hourly"}, "Choose how often you want emails from the list"),
    ],
)
def test_a_bad_preference_names_the_field_and_changes_nothing(cast, viewer_client, data, message):
    response = viewer_client.post(PREFERENCES, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert 'href="#id_frequency' in page
    assert not EmailPreference.objects.exists()


def test_managers_see_the_email_log_of_their_partnership(cast, manager_client):
    _deliver(cast, 2)
    page = manager_client.get(EMAILS).content.decode()
    assert "Email 0" in page and "Email 1" in page
    assert "editor@test.example" in page
    assert "Emails about Safer Testshire CSP, newest first" in page


@pytest.mark.parametrize("who", ["editor_client", "viewer_client"])
def test_editors_and_viewers_may_not_see_the_email_log(cast, request, who):
    assert request.getfixturevalue(who).get(EMAILS).status_code == 403


def test_an_outsider_gets_404_for_another_partnerships_email_log(cast, outsider_client):
    _deliver(cast, 1)
    assert outsider_client.get(EMAILS).status_code == 404
    assert outsider_client.get(OUTSTANDING).status_code == 404


def test_the_email_log_costs_the_same_queries_for_2_or_30(
    cast, manager_client, django_assert_num_queries
):
    _deliver(cast, 2)
    # Session, user, role, count, page, switcher.
    with django_assert_num_queries(6):
        manager_client.get(EMAILS)
    Delivery.objects.all().delete()
    _deliver(cast, 30)
    with django_assert_num_queries(6):
        manager_client.get(EMAILS)


@time_machine.travel("2026-10-29 09:00 +0000")
def test_the_returns_outstanding_page_lists_each_supplier_with_the_due_date(
    cast, suppliers, viewer_client, django_assert_num_queries
):
    # Session, user, role, schedule, measures, returns, switcher.
    with django_assert_num_queries(7):
        page = viewer_client.get(OUTSTANDING).content.decode()
    assert "Figures for Q2 2026/27 (July to September 2026) are due on 28 October 2026." in page
    assert "0 of 2 organisations have submitted; 2 are late." in page
    assert "Testshire Council" in page and "Testshire Police" in page
    assert "Testshire Fire" not in page
    assert page.count("Late: not started") == 2
    assert "Due dates" not in page  # a viewer does not set them


@time_machine.travel("2026-10-29 09:00 +0000")
def test_a_manager_sets_the_due_dates(cast, suppliers, manager_client):
    response = manager_client.post(
        OUTSTANDING, {"due_working_days": "25", "reminder_working_days": "3"}, follow=True
    )
    page = response.content.decode()
    assert "Due dates saved." in page
    # 25 working days after 30 September 2026: 1 October to 4 November.
    assert "are due on 4 November 2026" in page
    assert "reminded on 30 October 2026" in page
    schedule = DataRequestSchedule.objects.get(partnership=cast.partnership)
    assert (schedule.due_working_days, schedule.reminder_working_days) == (25, 3)


def test_an_editor_may_not_set_the_due_dates(cast, suppliers, editor_client):
    response = editor_client.post(
        OUTSTANDING, {"due_working_days": "25", "reminder_working_days": "3"}
    )
    assert response.status_code == 403
    assert not DataRequestSchedule.objects.exists()


def test_an_outsider_may_not_set_another_partnerships_due_dates(cast, outsider_client):
    response = outsider_client.post(
        OUTSTANDING, {"due_working_days": "25", "reminder_working_days": "3"}
    )
    assert response.status_code == 404
    assert not DataRequestSchedule.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"due_working_days": "0", "reminder_working_days": "5"},
            "due_working_days",
            "Working days after the quarter ends that figures are due: enter a whole "
            "number from 1 to 60 (you entered “0”)",
        ),
        (
            {"due_working_days": "61", "reminder_working_days": "5"},
            "due_working_days",
            "Working days after the quarter ends that figures are due: enter a whole "
            "number from 1 to 60 (you entered “61”)",
        ),
        (
            {"due_working_days": "twenty", "reminder_working_days": "5"},
            "due_working_days",
            "Working days after the quarter ends that figures are due: enter a whole "
            "number, like 1,234 (you entered “twenty”)",
        ),
        (
            {"due_working_days": "20", "reminder_working_days": "21"},
            "reminder_working_days",
            "Working days before the due date to remind suppliers: enter a whole number "
            "from 0 to 20 (you entered “21”)",
        ),
        (
            {"due_working_days": "20"},
            "reminder_working_days",
            "Enter how many working days before the due date to remind suppliers",
        ),
    ],
)
def test_bad_due_dates_name_the_field_and_change_nothing(
    cast, suppliers, manager_client, data, field, message
):
    DataRequestSchedule.objects.create(partnership=cast.partnership)
    response = manager_client.post(OUTSTANDING, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page
    assert message in page
    schedule = DataRequestSchedule.objects.get()
    assert (schedule.due_working_days, schedule.reminder_working_days) == (20, 5)


def test_the_figures_page_links_to_the_returns_outstanding(cast, viewer_client):
    page = viewer_client.get("/partnerships/safer-testshire/figures/").content.decode()
    assert (
        f'<a class="govuk-link" href="{OUTSTANDING}">Returns outstanding for the latest '
        "quarter</a>" in page
    )
