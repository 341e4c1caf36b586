"""The real URLconf plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from cspportal.urls import handler500  # noqa: F401 (Django reads it from this URLconf)
from cspportal.urls import urlpatterns as real_urlpatterns


def broken_view(request):
    raise RuntimeError("SECRET_KEY=do-not-show this stack trace")


def refused_view(request):
    raise PermissionDenied("internal reason that must not be shown")


def suspicious_view(request):
    raise SuspiciousOperation("internal reason that must not be shown")


urlpatterns = [
    path("test-faults/broken/", broken_view),
    path("test-faults/refused/", refused_view),
    path("test-faults/suspicious/", suspicious_view),
    *real_urlpatterns,
]
