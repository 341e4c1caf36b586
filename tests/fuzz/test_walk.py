"""The fuzz suite reaches every form: each route the resolver knows (Django's admin
and ``NOT_FORMS`` aside) opens for the world's user, or answers only POST and is the
action of a form on the page ``FORM_PAGES`` names. A new route that does neither fails
here, saying which line to add."""

from urllib.parse import urljoin, urlsplit

from django.db import transaction

from tests.fuzz.pages import post_forms
from tests.fuzz.test_forms import FORM_PAGES, prepare, routes, urls_of


def _actions(client, url: str, response=None) -> set[str]:
    response = response or client.get(url, follow=True)
    if "html" not in response.get("Content-Type", ""):
        return set()
    final = response.request["PATH_INFO"]
    forms, _labels = post_forms(response.content.decode())
    return {urlsplit(urljoin(final, form.action or final)).path for form in forms}


def _problems(name: str, world, posted_to: dict[str, set[str]]) -> list[str]:
    problems = []
    who, urls = urls_of(name, world)
    client = world.clients[who]
    for url in urls:
        response = client.get(url, follow=True)
        status = response.status_code
        if status == 200:
            for action in _actions(client, url, response):
                posted_to.setdefault(action, set()).add(name)
        elif status != 405:
            problems.append(f"{name}: GET {url} as {who} answers {status}")
        elif name not in FORM_PAGES:
            pages = sorted(posted_to.get(url, set())) or ["<the page that shows its form>"]
            problems.append(
                f"{name} answers only POST: add {name!r}: {pages[0]!r} to FORM_PAGES in "
                "tests/fuzz/test_forms.py (and to STATES what its record needs for the form)"
            )
        elif not any(url in _actions(client, page) for page in urls_of(FORM_PAGES[name], world)[1]):
            problems.append(f"{name}: no form on {FORM_PAGES[name]} posts to {url}")
    return problems


def test_every_route_opens_or_is_posted_to_from_a_named_page(world):
    problems: list[str] = []
    posted_to: dict[str, set[str]] = {}
    for name in sorted(routes(), key=lambda n: n in FORM_PAGES):
        with transaction.atomic():
            prepare(name, world)
            problems += _problems(name, world, posted_to)
            transaction.set_rollback(True)

    assert problems == [], "\n".join(problems)


def test_the_walk_sees_every_app_and_the_site_pages():
    names = set(routes())

    assert {
        "accounts:login",
        "accounts:invitation_accept",
        "onboarding:set_up_confirm",
        "partnerships:partnership_edit",
        "crimestats:return_edit",
        "actionplans:action_edit",
        "meetings:meeting_update",
        "reports:section_edit",
        "site_imports:import_upload",
    } <= names
    assert not any(name.startswith("admin:") for name in names)
