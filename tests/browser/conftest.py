"""Playwright journeys in the system Chromium against ``live_server``, with axe-core.

Every test in this folder is marked ``browser``. ``axe_check(page)`` injects axe-core
from node_modules with ``page.evaluate``, which the page's Content Security Policy does
not govern, so the policy stays on exactly as users get it, and fails the test on any
violation of WCAG 2.2 A/AA rules. Every page a test opens must log no console error:
a CSP violation (a blocked style or script) is one.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

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


@pytest.fixture(autouse=True)
def no_console_errors(request):
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
