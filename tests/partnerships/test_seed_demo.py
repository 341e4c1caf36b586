"""The demo data command: the seed partnerships and users, idempotent, guarded."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from partnerships.models import Area, Membership, Partnership, PartnershipRole, Priority
from publishing.models import PublishedVersion


def _seed(**kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_it_refuses_when_debug_is_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        _seed()
    assert Partnership.objects.count() == 0
    _seed(force=True)
    assert Partnership.objects.filter(slug="safer-chorley-south-ribble").exists()


@pytest.mark.django_db
def test_it_loads_the_seed_partnerships_and_can_run_twice(settings):
    settings.DEBUG = True
    output = _seed()
    counts = (
        Partnership.objects.count(),
        Area.objects.count(),
        Membership.objects.count(),
        Priority.objects.count(),
        User.objects.count(),
        PartnershipRole.objects.count(),
    )
    _seed()
    assert counts == (
        Partnership.objects.count(),
        Area.objects.count(),
        Membership.objects.count(),
        Priority.objects.count(),
        User.objects.count(),
        PartnershipRole.objects.count(),
    )
    assert "officer@example.org" in output
    assert "Public pages, no sign-in needed: http://127.0.0.1:8000/public/" in output
    assert "Published version 1 of the public pages" in output
    scsr_public = Client().get("/public/safer-chorley-south-ribble/dashboard/")
    assert scsr_public.status_code == 200
    # Seeding again publishes no second version.
    assert (
        PublishedVersion.objects.filter(partnership__slug="safer-chorley-south-ribble").count() == 1
    )
    assert set(Partnership.objects.filter(is_reference=False).values_list("name", flat=True)) >= {
        "Safer Chorley and South Ribble CSP",
        "Chesterfield CSP",
        "Safer Lincolnshire Partnership",
        "Uttlesford CSP",
    }
    scsr = Partnership.objects.get(slug="safer-chorley-south-ribble")
    assert sorted(scsr.areas.values_list("name", flat=True)) == ["Chorley", "South Ribble"]
    assert sorted(scsr.priorities.values_list("name", flat=True)) == [
        "Anti-social behaviour",
        "Violent crime",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("officer@example.org", "editor"),
        ("member@example.org", "viewer"),
        ("manager@example.org", "manager"),
    ],
)
def test_demo_users_sign_in_with_their_roles(settings, email, role):
    settings.DEBUG = True
    _seed()
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": email, "password": "demo-password"})
    assert response["Location"] == "/"
    # One partnership each: signing in lands on it.
    assert client.get("/")["Location"] == "/partnerships/safer-chorley-south-ribble/"
    assert PartnershipRole.objects.get(user__email=email).role == role
    page = client.get("/partnerships/safer-chorley-south-ribble/")
    assert page.status_code == 200
    can_edit = client.get("/partnerships/safer-chorley-south-ribble/edit/").status_code
    assert can_edit == (200 if role == "manager" else 403)


@pytest.mark.django_db
def test_demo_administrator_reaches_the_admin_site(settings):
    settings.DEBUG = True
    _seed()
    client = Client()
    client.post(
        "/accounts/sign-in/", {"username": "admin@example.org", "password": "demo-password"}
    )
    assert client.get("/admin/").status_code == 200
