"""How django-axes names the account and the address behind a sign-in attempt."""

from django.conf import settings
from django.http import HttpRequest


def username_for_lockout(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email address from the attempt, lower-cased, so case changes do not reset
    the count of failures."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None


def client_ip(request: HttpRequest) -> str | None:
    """The address the sign-in attempt came from.

    Behind reverse proxies every request reaches the app from the proxy's address, so
    one attacker's failures would lock the account out for everyone. Each proxy
    appends the address it was contacted from to ``X-Forwarded-For``; with
    ``TRUSTED_PROXY_COUNT`` proxies in front of the app, the entry that many places
    from the right was written by the outermost one. Entries to its left came from the
    client and could be anything, so they are ignored. Without proxies (the count is
    0) or with a shorter header (a request that bypassed them), ``REMOTE_ADDR``.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote_addr
    return hops[-proxies]
