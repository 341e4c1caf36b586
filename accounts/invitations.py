"""Invitations: a one-time link with which an invited person chooses their password.

An invited person is a ``User`` with an unusable password until they follow the link.
The link carries Django's password-reset token for that user
(``default_token_generator``): it expires after ``PASSWORD_RESET_TIMEOUT`` and stops
working once the password is set, because the token hashes the password. The link
also names the partnership the person was invited to, so that the page sends them
there once they are signed in. This module knows nothing else about partnerships.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User


def invitation_path(user: User, partnership_slug: str) -> str:
    """The path of the one-time link that lets ``user`` set their password."""
    return reverse(
        "accounts:invitation_accept",
        kwargs={
            "slug": partnership_slug,
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def is_invited(user: User) -> bool:
    """Whether the user has been invited but has not chosen a password yet."""
    return not user.has_usable_password()
