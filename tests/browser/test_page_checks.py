"""The checks every browser test's pages go through find what they are there to find: a
page wider than 320 px, and invalid HTML, each named by its URL."""

from pathlib import Path

from playwright.sync_api import Page

from tests.browser.page_checks import HtmlValidator, PageRecorder, Recorded, check_reflow

HTML = {"content-type": "text/html; charset=utf-8"}


def _page(url: str, body: str, method: str = "GET", status: int = 200) -> Recorded:
    return Recorded(method, url, status, HTML, body.encode())


def test_a_page_wider_than_320_px_is_named_with_its_widest_element(page: Page):
    recorder = PageRecorder("a test")
    recorder.pages = [
        _page(
            "http://checks.invalid/wide/",
            '<!doctype html><html lang="en"><title>Wide</title><body>'
            '<p>Fits.</p><div id="grid" class="cells">Too wide'
            "</div></body></html>",
        ),
        _page(
            "http://checks.invalid/narrow/",
            '<!doctype html><html lang="en"><title>Narrow</title><body><p>Fits.</p></body></html>',
            method="POST",
        ),
    ]
    # The replay serves the recorded headers: no inline style is refused here, so the
    # over-wide block can be drawn by an attribute.
    recorder.pages[0].body = recorder.pages[0].body.replace(
        b'<div id="grid"', b'<div style="width: 500px" id="grid"'
    )
    problems = check_reflow(page.context, recorder)
    assert problems == [
        "GET http://checks.invalid/wide/ (200) is 508 px wide in a 320 px viewport; "
        "widest: div#grid.cells to 508 px ('Too wide')"
    ]


APP_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "application.css"
WIDE_TABLE = (
    '<div class="{box}" tabindex="0" role="region" aria-label="Figures by area"{style}>'
    '<table{table_style}><caption class="govuk-table__caption">Figures by area</caption>'
    "<tr><th>Area</th><td>1,200</td></tr></table></div>"
)


def test_a_caption_that_scrolls_away_with_its_table_is_named(page: Page):
    recorder = PageRecorder("a test")
    table = WIDE_TABLE.format(
        box="box",
        style=' style="overflow-x: auto; width: 300px"',
        table_style=' style="width: 600px"',
    )
    recorder.pages = [
        _page(
            "http://checks.invalid/caption/",
            f'<!doctype html><html lang="en"><title>Caption</title><body>{table}</body></html>',
        )
    ]
    # Scrolled to its end (300 px), the box shows 8 to 308 px; the caption is as wide
    # as the 600 px table and has moved 300 px left with it.
    assert check_reflow(page.context, recorder) == [
        "GET http://checks.invalid/caption/ (200): the caption 'Figures by area' scrolls "
        "out of view with its table: drawn from -292 to 308 px, its box shows 8 to 308 px"
    ]


def test_the_apps_stylesheet_keeps_a_wide_tables_caption_in_its_box(page: Page):
    recorder = PageRecorder("a test")
    # The compiled stylesheet itself, inline: the replay serves no CSP here.
    table = WIDE_TABLE.format(
        box="app-table-wrapper", style="", table_style=' class="govuk-table app-wide"'
    )
    recorder.pages = [
        _page(
            "http://checks.invalid/kept/",
            f'<!doctype html><html lang="en"><title>Kept</title><style>{APP_CSS.read_text()}'
            ".app-wide { width: 600px; }</style><body>"
            f'<main class="govuk-main-wrapper">{table}</main></body></html>',
        )
    ]
    assert check_reflow(page.context, recorder) == []


def test_a_body_that_could_not_be_read_fails_the_check(page: Page):
    recorder = PageRecorder("a test")
    recorder.pages = [Recorded("POST", "http://checks.invalid/form/", 200, HTML, None, "gone")]
    assert check_reflow(page.context, recorder) == [
        "POST http://checks.invalid/form/ (200): body not read: gone"
    ]


def test_a_page_replayed_without_its_stylesheet_is_not_measured(page: Page):
    recorder = PageRecorder("a test")
    recorder.pages = [
        _page(
            "http://checks.invalid/unstyled/",
            '<!doctype html><html lang="en"><title>Unstyled</title>'
            '<link rel="stylesheet" href="/gone.css"><body><p>Fits.</p></body></html>',
        )
    ]
    problems = check_reflow(page.context, recorder)
    assert problems == [
        "GET http://checks.invalid/unstyled/: replayed at 320 px without "
        "http://checks.invalid/gone.css (net::ERR_NAME_NOT_RESOLVED)"
    ]


def test_vnu_names_the_page_and_the_error(tmp_path):
    validator = HtmlValidator(tmp_path)
    recorder = PageRecorder("tests/browser/test_x.py::test_y")
    recorder.pages = [
        _page(
            "http://checks.invalid/twice/",
            '<!doctype html><html lang="en"><head><title>Twice</title></head><body>\n'
            '<p id="a">One</p>\n<p id="a">Two</p>\n</body></html>\n',
        ),
        _page(
            "http://checks.invalid/fine/",
            '<!doctype html><html lang="en"><head><title>Fine</title></head><body></body></html>',
        ),
    ]
    validator.add(recorder)
    assert validator.validate() == [
        "GET http://checks.invalid/twice/ (200) in tests/browser/test_x.py::test_y, line 3: "
        'error: Duplicate ID “a”. [">One</p> <p id="a">Two</p]'
    ]
