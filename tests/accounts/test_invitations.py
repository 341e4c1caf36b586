"""Members of a partnership: inviting people by email (through a real SMTP server),
the one-time link with which they choose a password, and changing or removing roles."""

from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from partnerships.models import PartnershipRole, Role
from tests.factories import OrganisationFactory, UserFactory
from tests.mail import free_port

NEW_PASSWORD = "a-long-and-unusual-phrase-42"


def members_url(cast) -> str:
    return reverse("partnerships:member_list", args=[cast.partnership.slug])


def invite(client, cast, email="new.person@test.example", role=Role.EDITOR, organisation=None):
    return client.post(
        members_url(cast),
        {
            "email": email,
            "role": role,
            "organisation": (organisation or cast.police).pk,
        },
    )


def test_a_manager_invites_a_new_person_who_chooses_a_password_and_lands_on_the_partnership(
    cast, manager_client, smtp_server, client
):
    response = invite(manager_client, cast, email="New.Person@Test.Example")

    assert response.status_code == 302
    assert response.url == members_url(cast)
    user = User.objects.get(email="new.person@test.example")
    assert not user.has_usable_password()
    role = PartnershipRole.objects.get(user=user, partnership=cast.partnership)
    assert (role.role, role.organisation) == (Role.EDITOR, cast.police)
    assert role.history.get().history_user == cast.manager

    received = smtp_server.only_message()
    assert received.recipients == ["new.person@test.example"]
    assert received.message["To"] == "new.person@test.example"
    assert received.message["Subject"] == "You are invited to Safer Testshire CSP on CSP Portal"
    text, html = smtp_server.bodies(received)
    assert text.startswith(
        "Mary Manager has invited you to Safer Testshire CSP on CSP Portal as a editor for "
        "Testshire Police."
    )
    links = smtp_server.links(received)
    assert len(links) == 1
    link = urlsplit(links[0])
    assert (link.scheme, link.netloc) == ("http", "testserver")
    assert link.path.startswith(f"/accounts/invitation/{cast.partnership.slug}/")
    assert f'href="{links[0]}"' in html
    assert "<p>Mary Manager has invited you" in html

    # The link moves its token into the session, then asks for a password.
    opened = client.get(link.path)
    assert opened.status_code == 302
    form_page = client.get(opened.url)
    assert form_page.status_code == 200
    assert "Choose your password" in form_page.text
    assert "new.person@test.example" in form_page.text

    weak = client.post(opened.url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200
    assert "This password is too common." in weak.text
    user.refresh_from_db()
    assert not user.has_usable_password()

    done = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("partnerships:partnership_detail", args=[cast.partnership.slug])
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    landing = client.get(done.url)
    assert landing.status_code == 200
    assert "Your role: <strong>Editor</strong> for Testshire Police." in landing.text

    # The link works once.
    client.post(reverse("accounts:logout"))
    again = client.get(link.path)
    assert again.status_code == 200
    assert "This invitation link has expired" in again.text


def test_an_invitation_link_expires_after_three_days(cast, manager_client, smtp_server, client):
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        invite(manager_client, cast)
    link = urlsplit(smtp_server.links(smtp_server.only_message())[0])
    with time_machine.travel("2026-03-05 09:01 +0000", tick=False):
        opened = client.get(link.path, follow=True)
    assert "This invitation link has expired" in opened.text
    assert not User.objects.get(email="new.person@test.example").has_usable_password()


def test_an_existing_person_gets_the_role_and_an_email_saying_so(cast, manager_client, smtp_server):
    someone = UserFactory(email="known@test.example", full_name="Kim Known")
    password = someone.password

    response = invite(manager_client, cast, email="KNOWN@test.example", role=Role.VIEWER)

    assert response.status_code == 302
    role = PartnershipRole.objects.get(user=someone, partnership=cast.partnership)
    assert (role.role, role.organisation) == (Role.VIEWER, cast.police)
    someone.refresh_from_db()
    assert someone.password == password
    received = smtp_server.only_message()
    assert received.recipients == ["known@test.example"]
    assert received.message["Subject"] == "You now have a role in Safer Testshire CSP on CSP Portal"
    text, html = smtp_server.bodies(received)
    assert text.startswith(
        "Mary Manager has made you a viewer of Safer Testshire CSP on CSP Portal, for "
        "Testshire Police."
    )
    assert smtp_server.links(received) == ["http://testserver/partnerships/safer-testshire/"]
    assert 'href="http://testserver/partnerships/safer-testshire/"' in html
    page = manager_client.get(response.url)
    assert "known@test.example is now a viewer. We have emailed them." in page.text


def test_someone_who_already_has_a_role_is_not_invited_again(cast, manager_client, smtp_server):
    response = invite(manager_client, cast, email="viewer@test.example", role=Role.MANAGER)

    assert response.status_code == 200
    assert (
        "viewer@test.example already has a role in Safer Testshire CSP: change it in the list."
        in response.text
    )
    assert PartnershipRole.objects.get(user=cast.viewer).role == Role.VIEWER
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-email", "role": "editor"}, "email", "Enter a valid email address."),
        ({"email": "", "role": "editor"}, "email", "This field is required."),
        ({"email": "a@test.example", "role": "owner"}, "role", "Select a valid choice."),
    ],
)
def test_a_bad_invitation_says_which_field_is_wrong_and_changes_nothing(
    cast, manager_client, smtp_server, data, field, message
):
    users = User.objects.count()
    response = manager_client.post(members_url(cast), data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert User.objects.count() == users
    assert smtp_server.messages == []


def test_the_organisation_must_be_a_member_of_the_partnership(cast, manager_client, smtp_server):
    stranger = OrganisationFactory(name="Elsewhere Fire")

    response = invite(manager_client, cast, organisation=stranger)

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not User.objects.filter(email="new.person@test.example").exists()
    assert smtp_server.messages == []


def test_the_members_page_lists_people_with_role_and_organisation(
    cast, manager_client, django_assert_num_queries
):
    UserFactory(email="unrelated@test.example")
    # Session, user, role, members, organisations (form), switcher.
    with django_assert_num_queries(6):
        response = manager_client.get(members_url(cast))
    assert response.status_code == 200
    members = response.context["members"]
    assert [(m.role.user.email, m.role.role) for m in members] == [
        ("manager@test.example", "manager"),
        ("editor@test.example", "editor"),
        ("police@test.example", "editor"),
        ("viewer@test.example", "viewer"),
    ]
    assert '<caption class="govuk-table__caption govuk-table__caption--m">4 people' in (
        response.text
    )
    assert "Invite someone" in response.text
    assert "Testshire Police" in response.text


def test_editors_read_the_members_page_but_cannot_invite(cast, editor_client, smtp_server):
    page = editor_client.get(members_url(cast))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert "Invite someone" not in page.text
    assert "Only a manager can invite people or change roles." in page.text

    refused = invite(editor_client, cast)
    assert refused.status_code == 403
    assert not User.objects.filter(email="new.person@test.example").exists()
    assert smtp_server.messages == []


def test_viewers_are_refused_the_members_page(cast, viewer_client):
    assert viewer_client.get(members_url(cast)).status_code == 403


def test_outsiders_get_404_for_every_members_page(cast, outsider_client):
    role = PartnershipRole.objects.get(user=cast.editor)
    slug = cast.partnership.slug
    for url in [
        members_url(cast),
        reverse("partnerships:member_edit", args=[slug, role.pk]),
        reverse("partnerships:member_remove", args=[slug, role.pk]),
    ]:
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url, {"role": "manager"}).status_code == 404
    assert PartnershipRole.objects.get(pk=role.pk).role == Role.EDITOR


def test_a_role_of_another_partnership_is_404_under_this_slug(cast, manager_client):
    theirs = PartnershipRole.objects.get(user=cast.outsider)
    url = reverse("partnerships:member_edit", args=[cast.partnership.slug, theirs.pk])
    assert manager_client.post(url, {"role": "viewer"}).status_code == 404
    assert PartnershipRole.objects.get(pk=theirs.pk).role == Role.MANAGER


def test_a_site_administrator_can_invite_without_a_role(cast, admin_client_, smtp_server):
    response = invite(admin_client_, cast, role=Role.MANAGER)
    assert response.status_code == 302
    received = smtp_server.only_message()
    assert received.message["Subject"] == "You are invited to Safer Testshire CSP on CSP Portal"
    assert smtp_server.bodies(received)[0].startswith("Ada Admin has invited you")


@pytest.mark.parametrize("role_user", ["editor", "viewer"])
def test_only_managers_change_roles(cast, role_user, request):
    client = request.getfixturevalue(f"{role_user}_client")
    role = PartnershipRole.objects.get(user=cast.police_editor)
    url = reverse("partnerships:member_edit", args=[cast.partnership.slug, role.pk])
    assert client.post(url, {"role": "manager"}).status_code == 403
    remove = reverse("partnerships:member_remove", args=[cast.partnership.slug, role.pk])
    assert client.post(remove).status_code == 403
    assert PartnershipRole.objects.get(pk=role.pk).role == Role.EDITOR


def test_a_manager_changes_a_role_and_organisation_with_an_audit_entry(cast, manager_client):
    role = PartnershipRole.objects.get(user=cast.police_editor)
    url = reverse("partnerships:member_edit", args=[cast.partnership.slug, role.pk])

    response = manager_client.post(url, {"role": "viewer", "organisation": cast.council.pk})

    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.role, role.organisation) == (Role.VIEWER, cast.council)
    latest = role.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", cast.manager)
    history = manager_client.get(
        reverse("partnerships:partnership_history", args=[cast.partnership.slug])
    )
    assert "Viewer role of police@test.example" in history.text


def test_the_last_manager_cannot_be_demoted_or_removed(cast, manager_client):
    role = PartnershipRole.objects.get(user=cast.manager)
    slug = cast.partnership.slug
    message = "Safer Testshire CSP needs at least one manager: make someone else a manager first."

    demoted = manager_client.post(
        reverse("partnerships:member_edit", args=[slug, role.pk]),
        {"role": "editor", "organisation": cast.council.pk},
    )
    assert demoted.status_code == 200
    assert demoted.context["form"].errors["role"] == [message]

    removed = manager_client.post(reverse("partnerships:member_remove", args=[slug, role.pk]))
    assert removed.status_code == 400
    assert message in removed.text
    assert PartnershipRole.objects.get(pk=role.pk).role == Role.MANAGER


def test_a_manager_can_step_down_once_there_is_another_manager(cast, manager_client):
    editor_role = PartnershipRole.objects.get(user=cast.editor)
    slug = cast.partnership.slug
    manager_client.post(
        reverse("partnerships:member_edit", args=[slug, editor_role.pk]), {"role": "manager"}
    )
    own = PartnershipRole.objects.get(user=cast.manager)

    response = manager_client.post(reverse("partnerships:member_remove", args=[slug, own.pk]))

    assert response.status_code == 302
    assert not PartnershipRole.objects.filter(pk=own.pk).exists()
    deleted = PartnershipRole.history.filter(id=own.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", cast.manager)
    assert User.objects.filter(pk=cast.manager.pk).exists()


def test_when_the_mail_server_is_down_nothing_is_changed(cast, manager_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    users, roles = User.objects.count(), PartnershipRole.objects.count()

    response = invite(manager_client, cast)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "The email to new.person@test.example could not be sent, so nothing was changed. "
        "Try again later, or ask the site administrator to check the mail settings."
    ]
    assert (User.objects.count(), PartnershipRole.objects.count()) == (users, roles)


def test_someone_invited_who_never_chose_a_password_is_invited_again_elsewhere(
    cast, manager_client, outsider_client, smtp_server
):
    invite(manager_client, cast)
    smtp_server.clear()
    other_members = reverse("partnerships:member_list", args=[cast.other_partnership.slug])

    response = outsider_client.post(
        other_members, {"email": "new.person@test.example", "role": Role.VIEWER}
    )

    assert response.status_code == 302
    received = smtp_server.only_message()
    assert received.message["Subject"] == "You are invited to Elsewhere CSP on CSP Portal"
    assert urlsplit(smtp_server.links(received)[0]).path.startswith(
        "/accounts/invitation/elsewhere/"
    )
    assert User.objects.filter(email="new.person@test.example").count() == 1
    assert PartnershipRole.objects.filter(user__email="new.person@test.example").count() == 2
