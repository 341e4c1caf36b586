"""The partnership switcher in the page header."""

from django.http import HttpRequest

from partnerships.models import Partnership


def partnership_switcher(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the query runs only when a template renders the switcher.
    return {
        "switcher_partnerships": Partnership.objects.for_user(user)
        .order_by("name")
        .only("name", "slug"),
        "current_partnership_slug": request.session.get("current_partnership", ""),
    }
