"""The partnership switcher in the page header."""

from django.http import HttpRequest

from partnerships.models import Partnership

# Every page of one partnership is routed under this prefix (cspportal/urls.py);
# set-up pages live under "partnerships/new/" and do not match it.
PARTNERSHIP_PAGE_ROUTE = "partnerships/<slug:slug>/"


def current_partnership_slug(request: HttpRequest) -> str:
    """The partnership the switcher shows as current: the one whose page this is; off
    a partnership's pages, the one last opened from its profile or the switcher.

    The session alone is not enough: the pages of the other apps do not write it, so
    a site administrator who opened one partnership's profile and then followed a
    link to another's meetings saw the first one marked as current."""
    match = request.resolver_match
    if match is not None and match.route.startswith(PARTNERSHIP_PAGE_ROUTE):
        return str(match.kwargs.get("slug", ""))
    return str(request.session.get("current_partnership", ""))


def partnership_switcher(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the query runs only when a template renders the switcher.
    return {
        "switcher_partnerships": Partnership.objects.for_user(user)
        .order_by("name")
        .values_list("slug", "name", named=True),
        "current_partnership_slug": current_partnership_slug(request),
    }
