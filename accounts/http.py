"""The request a signed-in page receives, for type checking.

``HttpRequest.user`` is ``User | AnonymousUser``; behind ``@login_required`` it is
always a ``User``. Views so decorated take an ``AuthenticatedRequest`` (the pattern
django-stubs documents), so the type checker knows who is asking without a cast in
every view. It is never instantiated: Django still passes a plain ``HttpRequest``.
"""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """An ``HttpRequest`` whose user has signed in (a view behind ``@login_required``)."""

    user: User
