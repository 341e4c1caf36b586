"""How django-axes names the account behind a sign-in attempt."""

from django.http import HttpRequest


def username_for_lockout(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email address from the attempt, lower-cased, so case changes do not reset
    the count of failures."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None
