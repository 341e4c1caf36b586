"""Playwright journeys in the system Chromium against ``live_server``, with axe-core.

Every test in this folder is marked ``browser``. ``axe_check(page)`` injects axe-core
from node_modules with ``page.evaluate``, which the page's Content Security Policy does
not govern, so the policy stays on exactly as users get it, and fails the test on any
violation of WCAG 2.2 A/AA rules. Every page a test opens must log no console error:
a CSP violation (a blocked style or script) is one.

Every browser context a test opens (``page``, ``watched_page`` or ``browser.new_context``)
records the HTML documents it receives; before it closes, each is replayed at 320 px and
must not scroll sideways (a wide table scrolls in its own box, its caption staying in
view), and when the session ends vnu validates them all, with no error allowed
(``page_checks.py``).
"""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.page_checks import HtmlValidator, PageRecorder, check_reflow
from tests.factories import TEST_PASSWORD

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(scope="session")
def html_validator(tmp_path_factory):
    """The HTML of every page this worker's browser tests received, validated with vnu
    once, when the session ends: an error fails the run, naming the page and test."""
    validator = HtmlValidator(tmp_path_factory.mktemp("html"))
    yield validator
    errors = validator.validate()
    assert errors == [], "vnu found HTML errors:\n" + "\n".join(errors)


# The checks still to run for each open context, for check_pages_now.
_CHECKS: dict[BrowserContext, Callable[[], None]] = {}


@pytest.fixture(autouse=True)
def page_checks(request, monkeypatch, html_validator):
    """Record the HTML documents of every context the test opens; check each for reflow
    at 320 px before its context closes, and hand them to ``html_validator``."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser: Browser = request.getfixturevalue("browser")
    open_new_context = browser.new_context
    problems: list[str] = []

    def new_context(*args, **kwargs) -> BrowserContext:
        context = open_new_context(*args, **kwargs)
        recorder = PageRecorder(request.node.nodeid)
        recorder.attach(context)
        close_context = context.close

        def check() -> None:
            problems.extend(check_reflow(context, recorder))
            html_validator.add(recorder)
            recorder.pages.clear()

        def close(*args, **kwargs) -> None:
            try:
                check()
            finally:
                _CHECKS.pop(context, None)
                close_context(*args, **kwargs)

        _CHECKS[context] = check
        monkeypatch.setattr(context, "close", close)
        return context

    monkeypatch.setattr(browser, "new_context", new_context)
    yield
    for context, check in list(_CHECKS.items()):
        # A context the test left open.
        _CHECKS.pop(context)
        check()
    assert problems == [], "pages that fail the reflow check at 320 px:\n" + "\n".join(problems)


def check_pages_now(page: Page) -> None:
    """Check the pages this page's context has received so far, for a test whose server
    stops before the test ends (the replay at 320 px loads stylesheets and scripts)."""
    _CHECKS[page.context]()


@pytest.fixture(autouse=True)
def no_console_errors(request, page_checks):
    """Fail a browser test whose pages logged a console error or a script error."""
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def watched_page(browser):
    """A second user's page in its own browser context, the app's CSP on as users have
    it, failing the test on any console or script error, like ``page``."""
    contexts = []
    errors: list[str] = []

    def open_page(**context_args) -> Page:
        context = browser.new_context(locale="en-GB", **context_args)
        contexts.append(context)
        new = context.new_page()
        new.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        new.on("pageerror", lambda e: errors.append(str(e)))
        return new

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"console errors: {errors}"


def axe_check(page: Page) -> None:
    """Run axe-core on the current page and fail with a readable list of violations."""
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert violations == [], f"axe-core on {page.url}:\n{json.dumps(violations, indent=2)}"


def sign_in(page: Page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real form, by keyboard."""
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    # Wait for the answer to the form: a goto straight after pressing Enter would
    # cancel the submission and leave the user signed out.
    with page.expect_navigation():
        page.keyboard.press("Enter")
