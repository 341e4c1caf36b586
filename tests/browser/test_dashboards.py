"""Dashboards in a real Chromium: a scrutiny member reads the demo partnership's
figures for a period chosen by keyboard, with and without JavaScript; a manager of a
partnership known only from the real ONS workbook reads its years-ending comparison
and builds a peer group from the workbook's partnerships. axe-core runs on every page.

The figures are the demo's (``seed_demo`` with the figures loader only), built so
that April to January 2017/18 against 2016/17 gives seed 001's changes for South
Ribble: all crime +20.4%, burglary +34.0%, theft +19.0%, domestic abuse +22.6%,
alcohol-related crime +0.9%, anti-social behaviour -6.0% (Chorley all crime +19.3%).
"""

import csv
import os
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from crimestats.importers.batches import import_commit, import_preview
from crimestats.models import ImportBatch, PeerGroup
from partnerships.demo import DEMO_PASSWORD
from partnerships.models import Partnership, Role
from reports.management.commands import seed_demo
from tests.browser.conftest import axe_check, sign_in
from tests.factories import PartnershipRoleFactory, UserFactory
from tests.imports.conftest import FIXTURES, ONS_FLAT, ONS_WORKBOOK, fixture_source

# Set DASHBOARD_SHOTS to a folder to keep a full-page screenshot of each page for review.
SHOTS = os.environ.get("DASHBOARD_SHOTS", "")
SLUG = "safer-chorley-south-ribble"
MEMBER = "member@example.org"  # the demo's scrutiny member (a viewer)
SEED_001_LABEL = "April to January 2017/18 compared with April to January 2016/17"
SIGNIFICANT = "Unlikely to be chance"
YEAR_LABEL = "2017/18 compared with 2016/17"  # the default: the last whole financial year


@pytest.fixture
def demo(transactional_db, monkeypatch):
    """The demo partnerships, users, figures and action plan (its targets choose the
    dashboard's headline measures). The meetings and reports loaders are left out:
    they add nothing to a dashboard and the report loader renders a PDF."""
    monkeypatch.setattr(
        seed_demo, "DEMO_LOADERS", ["crimestats.demo.load", "actionplans.demo.load"]
    )
    call_command("seed_demo", force=True, stdout=StringIO())


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _press(page: Page, locator, key: str = "Enter") -> None:
    """Focus an element and press a key on it, as a keyboard user would after tabbing."""
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


def _rows(page: Page, table_id: str) -> list[list[str]]:
    """The body rows of a table as the text of each cell, spaces collapsed."""
    return page.locator(f"#table-{table_id}").evaluate(
        """table => Array.from(table.tBodies[0].rows).map(row =>
            Array.from(row.cells).map(cell => cell.textContent.replace(/\\s+/g, ' ').trim()))"""
    )


def _assert_charts_fit(page: Page, count: int) -> None:
    """Each drawn chart is as tall as its layout says, no more: under the CSP,
    plotly's own stylesheet must be on the page or its layers stack and the chart
    grows to three times its height with the legend floating below."""
    drawn = page.locator(".app-chart__plot.js-plotly-plot").evaluate_all(
        "plots => plots.map(p => [p.id, Math.round(p.getBoundingClientRect().height),"
        " p._fullLayout.height])"
    )
    assert len(drawn) == count
    too_tall = [(i, h, layout) for i, h, layout in drawn if not 0 < h <= layout]
    assert too_tall == [], too_tall


def _area_row(rows: list[list[str]], measure: str, area: str) -> list[str]:
    return next(r for r in rows if r[:2] == [measure, area])


def _open_sections(page: Page) -> int:
    """Open each of the dashboard's closed sections by keyboard (Enter on its
    summary), as a reader without a mouse, or without JavaScript, would. Returns how
    many there are."""
    summaries = page.locator("summary.app-dashboard-section__summary")
    for i in range(summaries.count()):
        _press(page, summaries.nth(i))
        expect(page.locator("details.app-dashboard-section").nth(i)).to_have_attribute("open", "")
    return summaries.count()


def _choose_period_by_keyboard(page: Page, period: str, months_back: int) -> None:
    """Choose a period and the month it runs to with the keyboard only: Enter on
    "Change the period" (the dashboard keeps the form folded), Space on the radio, Tab
    to the month (the radios are one tab stop), arrows down the months (newest
    first), Tab to the button and Enter."""
    change = page.locator("summary", has_text="Change the period")
    if change.count():
        _press(page, change)
    _press(page, page.get_by_label(period, exact=True), "Space")
    page.keyboard.press("Tab")
    month = page.get_by_label("Up to the end of")
    expect(month).to_be_focused()
    for _ in range(months_back):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show figures")).to_be_focused()
    page.keyboard.press("Enter")


def _csv_download(page: Page, link) -> tuple[str, str, str]:
    """Follow a download link by keyboard; returns the file name the browser offers,
    the Content-Type the server sends and the file's first line."""
    with page.expect_download() as info:
        _press(page, link)
    download = info.value
    with open(download.path(), encoding="utf-8-sig") as handle:
        first_line = handle.readline().rstrip("\r\n")
    response = page.context.request.get(link.evaluate("a => a.href"))
    return download.suggested_filename, response.headers["content-type"], first_line


def _whole_year(code: str, year: int) -> int:
    """A measure's total for the financial year starting in ``year``, summed here
    from the demo's monthly area figures, independently of the dashboard's code."""
    from datetime import date

    from django.db.models import Sum

    from crimestats.models import Observation

    return int(
        Observation.objects.filter(
            partnership__slug=SLUG,
            measure__code=code,
            period_type="month",
            status="supplied",
            period_start__gte=date(year, 4, 1),
            period_end__lte=date(year + 1, 3, 31),
        ).aggregate(total=Sum("value"))["total"]
    )


def test_member_chooses_a_period_by_keyboard_and_reads_the_seed_figures(demo, live_server, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, MEMBER, DEMO_PASSWORD)
    # One partnership: signing in lands on it.
    expect(
        page.get_by_role("heading", name="Safer Chorley and South Ribble CSP", level=1)
    ).to_be_visible()
    _press(page, page.get_by_role("link", name="Dashboard", exact=True))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    # By default: the year to date up to the latest month with figures, which is
    # March 2018: the whole financial year, and labelled so.
    expect(page.locator("#period-label")).to_have_text(YEAR_LABEL)

    # The first screen at 1280 x 800 holds the headline measures: all crime, then
    # the measures the action plan's two targets are set on, each with its priority.
    cards = page.locator(".app-card")
    expect(cards).to_have_count(3)
    for i in range(3):
        box = cards.nth(i).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, (i, box)
    crime_now, crime_before = _whole_year("all-crime", 2017), _whole_year("all-crime", 2016)
    asb_now, asb_before = _whole_year("asb-incidents", 2017), _whole_year("asb-incidents", 2016)
    vwi_now = _whole_year("violence-with-injury", 2017)
    vwi_before = _whole_year("violence-with-injury", 2016)
    assert (crime_now, crime_before, asb_now, asb_before) == (16807, 14031, 6913, 7292)
    crime_pct = (crime_now - crime_before) / crime_before * 100
    asb_pct = (asb_now - asb_before) / asb_before * 100
    vwi_pct = (vwi_now - vwi_before) / vwi_before * 100
    texts = cards.evaluate_all(
        "cards => cards.map(c => Array.from(c.querySelectorAll('h3, p:not(details p), summary'))"
        ".map(e => e.textContent.replace(/\\s+/g, ' ').trim()))"
    )
    assert texts == [
        [
            "All crime",
            f"{crime_now:,} in 2017/18",
            f"2016/17: {crime_before:,}",
            f"▲ Up {crime_pct:.1f}%, worse, and unlikely to be chance",
            "How sure is this? All crime",
        ],
        [
            "Anti-social behaviour incidents",
            "Priority: Anti-social behaviour",
            f"{asb_now:,} in 2017/18",
            f"2016/17: {asb_before:,}",
            f"▼ Down {-asb_pct:.1f}%, better, and unlikely to be chance",
            "How sure is this? Anti-social behaviour incidents",
        ],
        [
            "Violence with injury",
            "Priority: Violent crime",
            f"{vwi_now:,} in 2017/18",
            f"2016/17: {vwi_before:,}",
            f"▲ Up {vwi_pct:.1f}%, worse, and unlikely to be chance",
            "How sure is this? Violence with injury",
        ],
    ]
    # The trend: the same twelve months in each of four years, the last two the
    # figures compared; its accessible name gives every bar.
    expect(cards.nth(0).locator("svg")).to_have_attribute(
        "aria-label",
        "The same months in each year. 2014/15: "
        f"{_whole_year('all-crime', 2014):,}; 2015/16: {_whole_year('all-crime', 2015):,}; "
        f"2016/17: {crime_before:,}; 2017/18: {crime_now:,}.",
    )
    # The method and p-value are one click away.
    how_sure = cards.nth(0).locator("details")
    _press(page, how_sure.locator("summary"))
    expect(how_sure.locator("p")).to_have_text(
        "Unlikely to be chance: the exact test for the ratio of two Poisson counts (the "
        "conditional binomial test) gives p < 0.001. A p-value under 0.05 means a change "
        "this large would happen less than 1 time in 20 if nothing had really changed."
    )
    # The rest is folded into sections, closed, with no chart drawn until one opens.
    expect(page.locator("details.app-dashboard-section[open]")).to_have_count(0)
    expect(page.locator(".app-chart__plot.js-plotly-plot")).to_have_count(0)
    axe_check(page)
    _shot(page, "dashboard-first-screen")
    page.set_viewport_size({"width": 1280, "height": 900})

    _choose_period_by_keyboard(page, "Financial year to date", months_back=2)
    page.wait_for_url(f"**/partnerships/{SLUG}/dashboard/?period=fytd&month=2018-01")
    expect(page.locator("#period-label")).to_have_text(SEED_001_LABEL)
    expect(page.get_by_label("Up to the end of")).to_have_value("2018-01")
    assert _open_sections(page) == 6
    _press(page, page.locator("summary", has_text="Recorded crime in words"))
    expect(
        page.get_by_text(
            "All crime rose by 19.8% (2,341 more crimes) in April to January 2017/18 compared "
            "with the same period in 2016/17; the increase is unlikely to be chance.",
            exact=True,
        )
    ).to_be_visible()
    headline = _rows(page, "headline-crime")
    assert headline[0] == [
        "All crime (total recorded crime excluding fraud)",
        "11,800",
        "14,141",
        "+2,341",
        "+19.8%",
        "▲ Worse",
        SIGNIFICANT,
        "11,564",
        "+22.3%",
    ]
    # Seed 001, area by area.
    areas = _rows(page, "areas")
    assert _area_row(areas, "All crime", "South Ribble") == [
        "All crime",
        "South Ribble",
        "5,800",
        "6,983",
        "+1,183",
        "+20.4%",
        "▲ Worse",
        SIGNIFICANT,
        "63.19",
    ]
    assert _area_row(areas, "All crime", "Chorley")[2:6] == ["6,000", "7,158", "+1,158", "+19.3%"]
    seed_changes = {
        "Burglary": "+34.0%",
        "Theft offences": "+19.0%",
        "Domestic abuse-related crimes": "+22.6%",
        "Alcohol-related crime": "+0.9%",
        "Anti-social behaviour incidents": "-6.0%",
    }
    assert {m: _area_row(areas, m, "South Ribble")[5] for m in seed_changes} == seed_changes
    assert _area_row(areas, "Anti-social behaviour incidents", "South Ribble")[6] == "▼ Better"

    # The trend chart is drawn by plotly; its data table stays on the page, folded.
    expect(page.locator("#chart-trend-all-crime svg.main-svg").first).to_be_visible()
    expect(page.locator("#chart-trend-all-crime")).to_have_attribute(
        "aria-label",
        "Chart: All crime for each financial year from 2014/15 to 2017/18, drawn over the "
        "months of the year; the latest figure, Jan 2017/18, is 1,337.",
    )
    chart_table = page.locator("#table-chart-trend-all-crime")
    expect(chart_table).to_be_attached()
    expect(chart_table).to_be_hidden()
    _press(
        page,
        page.locator("#chart-trend-all-crime ~ details summary"),
    )
    expect(chart_table).to_be_visible()
    trend = _rows(page, "chart-trend-all-crime")
    assert trend[0] == ["Apr", "1,105", "1,125", "1,152", "1,379"]
    assert trend[9] == ["Jan", "1,068", "1,095", "1,118", "1,337"]
    assert trend[11] == ["Mar", "1,104", "1,123", "1,152", ""]  # not happened yet
    # Every chart on the page is drawn: all crime's trend and areas, anti-social
    # behaviour's trend and the trends of 11 partnership measures (MARAC's five,
    # IDVA referrals and the five community trigger measures).
    expect(page.locator(".app-chart__plot")).to_have_count(14)
    expect(page.locator(".app-chart__plot.js-plotly-plot:visible")).to_have_count(14)
    _assert_charts_fit(page, 14)
    # At a desktop width no table needs a sideways scroll.
    too_wide = page.locator(".app-table-wrapper").evaluate_all(
        "wrappers => wrappers.filter(w => w.scrollWidth > w.clientWidth)"
        ".map(w => w.querySelector('table').id)"
    )
    assert too_wide == []
    axe_check(page)
    _shot(page, "dashboard-js")

    # The data completeness panel: a link to it opens it (sections.js), wherever
    # the reader comes from.
    page.goto(f"{live_server.url}/partnerships/{SLUG}/dashboard/?period=fytd&month=2018-01")
    expect(page.locator("details.app-dashboard-section[open]")).to_have_count(0)
    page.goto(
        f"{live_server.url}/partnerships/{SLUG}/dashboard/?period=fytd&month=2018-01#completeness"
    )
    expect(page.locator("details#completeness")).to_have_attribute("open", "")
    expect(page.locator("details.app-dashboard-section[open]")).to_have_count(1)
    # Funding has no figure for 2016/17 or 2015/16: named once, not a row, and no
    # table of missing figures is left to print. The survey is South Ribble's own:
    # on record, for that area only.
    expect(page.locator("#completeness .app-dashboard-section__body > p").first).to_have_text(
        "No figures for either year: Funding received. On record for some areas only, so "
        "given by area under Partnership measures rather than for the whole partnership: "
        "Residents feeling safe (South Ribble), Residents surveyed (South Ribble) and "
        "Residents unsure whether the area is safe (South Ribble)."
    )
    # The MARAC coordinator's figures stop at September 2017 (seed 001): each MARAC
    # measure misses Q3 2017/18, which the table says.
    missing = _rows(page, "completeness")
    assert [row[0] for row in missing] == [
        "MARAC cases discussed",
        "Children in MARAC households",
        "MARAC repeat cases",
        "MARAC victims declaring a disability",
        "MARAC male victims",
    ]
    assert all("October 2017" in " ".join(row) for row in missing), missing

    # The headline table as CSV, for the chosen period.
    _press(page, page.locator("details#crime > summary"))
    name, content_type, first_line = _csv_download(
        page,
        page.get_by_role("link", name=f"CSV file of Recorded crime: {SEED_001_LABEL}", exact=True),
    )
    assert (name, content_type) == (f"{SLUG}-headline-crime.csv", "text/csv; charset=utf-8")
    assert first_line == (
        "Measure,Apr-Jan 2016/17,Apr-Jan 2017/18,Change,% change,Better or worse,"
        "Could it be chance?,Average of the previous 3 years,"
        "Against the 3-year average,Period"
    )

    # The measure page keeps the period: the long trend, the areas, no peer group yet.
    _press(
        page,
        page.locator("#table-headline-crime").get_by_role(
            "link", name="All crime (total recorded crime excluding fraud)"
        ),
    )
    expect(
        page.get_by_role("heading", name="All crime (total recorded crime excluding fraud)")
    ).to_be_visible()
    assert page.url.endswith(f"/partnerships/{SLUG}/measures/all-crime/?period=fytd&month=2018-01")
    expect(page.locator(".app-period-label")).to_have_text(SEED_001_LABEL)
    expect(page.locator("#chart-history-all-crime svg.main-svg").first).to_be_visible()
    expect(page.locator(".app-chart__plot.js-plotly-plot")).to_have_count(3)
    _assert_charts_fit(page, 3)
    expect(page.locator("#chart-summary-history-all-crime")).to_have_text(
        "All crime, all figures on record from Apr 2014 to Jan 2018: lowest 1,036, highest 1,506."
    )
    expect(page.locator("#table-chart-history-all-crime")).to_be_attached()
    history = _rows(page, "chart-history-all-crime")
    assert (len(history), history[0], history[-1]) == (
        46,
        ["Apr 2014", "1,105"],
        ["Jan 2018", "1,337"],
    )
    assert _rows(page, "areas") == [
        [
            "All crime",
            "Chorley",
            "6,000",
            "7,158",
            "+1,158",
            "+19.3%",
            "▲ Worse",
            SIGNIFICANT,
            "61.28",
        ],
        [
            "All crime",
            "South Ribble",
            "5,800",
            "6,983",
            "+1,183",
            "+20.4%",
            "▲ Worse",
            SIGNIFICANT,
            "63.19",
        ],
    ]
    expect(
        page.get_by_text("No peer group yet. A manager of the partnership can add one.")
    ).to_be_visible()
    axe_check(page)
    _shot(page, "measure-js")

    name, content_type, first_line = _csv_download(
        page,
        page.get_by_role("link", name=f"CSV file of By area: {SEED_001_LABEL}", exact=True),
    )
    assert (name, content_type) == (f"{SLUG}-areas.csv", "text/csv; charset=utf-8")
    assert first_line == (
        "Measure,Area,Apr-Jan 2016/17,Apr-Jan 2017/18,Change,% change,Better or worse,"
        'Could it be chance?,"Rate per 1,000 people",Period'
    )


def _assert_tables_instead_of_charts(page: Page) -> int:
    """Every chart's place holds its summary and an open data table; the plot itself
    stays hidden and empty, so no blank box waits for a script. Returns the count."""
    plots = page.locator(".app-chart__plot")
    count = plots.count()
    assert count > 0
    for i in range(count):
        expect(plots.nth(i)).to_be_hidden()
    expect(page.locator(".app-chart__plot svg")).to_have_count(0)
    expect(page.locator("details.app-chart__table[open]")).to_have_count(count)
    expect(page.locator("details.app-chart__table table")).to_have_count(count)
    for i in range(count):
        expect(page.locator("details.app-chart__table table").nth(i)).to_be_visible()
    return count


@pytest.fixture
def no_js_page(browser: Browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def scripts_blocked_page(browser: Browser):
    """JavaScript on, but none of the app's scripts load: the page as a browser
    without JavaScript lays it out, where axe-core (which needs JavaScript) can run."""
    context = browser.new_context(locale="en-GB")
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page
    context.close()


QUARTER_LABEL = (
    "Q3 2017/18 (October to December 2017) compared with Q3 2016/17 (October to December 2016)"
)


def test_member_reads_the_dashboard_without_javascript(
    demo, live_server, no_js_page: Page, scripts_blocked_page: Page
):
    page = no_js_page
    sign_in(page, live_server.url, MEMBER, DEMO_PASSWORD)
    expect(
        page.get_by_role("heading", name="Safer Chorley and South Ribble CSP", level=1)
    ).to_be_visible()
    page.goto(f"{live_server.url}/partnerships/{SLUG}/dashboard/")
    expect(page.locator("#period-label")).to_have_text(YEAR_LABEL)
    expect(page.locator(".app-card")).to_have_count(3)

    _choose_period_by_keyboard(page, "Quarter", months_back=2)
    page.wait_for_url(f"**/partnerships/{SLUG}/dashboard/?period=quarter&month=2018-01")
    expect(page.locator("#period-label")).to_have_text(QUARTER_LABEL)
    expect(page.get_by_label("Quarter", exact=True)).to_be_checked()
    # Every section opens by keyboard with no script behind it.
    assert _open_sections(page) == 6
    # October to December: 1,432 + 1,375 + 1,325 against 1,193 + 1,147 + 1,102.
    assert _rows(page, "headline-crime")[0][:5] == [
        "All crime (total recorded crime excluding fraud)",
        "3,442",
        "4,132",
        "+690",
        "+20.0%",
    ]
    charts = _assert_tables_instead_of_charts(page)
    assert charts == 14
    assert _rows(page, "chart-trend-all-crime")[6] == ["Oct", "1,151", "1,175", "1,193", "1,432"]

    # "What the periods mean" opens by keyboard with no script behind it.
    hints = page.get_by_text("As ONS tables: the year ending with the chosen month.")
    expect(hints).to_be_hidden()
    _press(page, page.locator("summary", has_text="Change the period"))
    _press(page, page.locator("summary", has_text="What the periods mean"))
    expect(hints).to_be_visible()
    _shot(page, "dashboard-no-js")

    page.goto(
        f"{live_server.url}/partnerships/{SLUG}/measures/all-crime/?period=quarter&month=2018-01"
    )
    expect(page.locator(".app-period-label")).to_have_text(QUARTER_LABEL)
    assert _assert_tables_instead_of_charts(page) == 3
    _shot(page, "measure-no-js")

    # axe-core on the same pages as laid out without scripts.
    blocked = scripts_blocked_page
    sign_in(blocked, live_server.url, MEMBER, DEMO_PASSWORD)
    for path in ("dashboard/", "measures/all-crime/"):
        blocked.goto(f"{live_server.url}/partnerships/{SLUG}/{path}?period=quarter&month=2018-01")
        expect(blocked.locator(".app-period-label")).to_have_text(QUARTER_LABEL)
        if path == "dashboard/":
            _open_sections(blocked)
        _assert_tables_instead_of_charts(blocked)
        axe_check(blocked)


def _ons_total(name: str, year: int) -> int:
    """A CSP's total recorded crime (excluding fraud) for the year ending December
    ``year``, read from the flat extract of the workbook's tables."""
    with open(FIXTURES / ONS_FLAT, newline="", encoding="utf-8") as handle:
        return next(
            int(row["Total recorded crime (excluding fraud)"])
            for row in csv.DictReader(handle)
            if row["Community Safety Partnership name"] == name
            and row["period"] == f"year ending December {year}"
        )


@pytest.fixture
def ons_partnerships(demo):
    """The real ONS workbook (year ending December 2024), imported as an administrator
    would: 312 reference partnerships, and Chesterfield's own figures and population."""
    batch, parsed = import_preview(
        format=ImportBatch.Format.ONS_PFA_TABLES,
        sources=[fixture_source(ONS_WORKBOOK)],
        partnership=None,
        user=None,
    )
    assert parsed.errors == []
    import_commit(batch=batch, user=None, parsed=parsed)
    assert Partnership.objects.filter(is_reference=True).count() == 312


def test_manager_builds_a_peer_group_from_the_ons_partnerships_by_keyboard(
    ons_partnerships, live_server, page
):
    chesterfield = Partnership.objects.get(slug="chesterfield")
    manager = UserFactory(email="chesterfield.manager@test.example", full_name="Chris Manager")
    PartnershipRoleFactory(user=manager, partnership=chesterfield, role=Role.MANAGER)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/partnerships/chesterfield/dashboard/")
    # Chesterfield's only figures are the ONS years ending: the dashboard opens on the
    # latest one and compares the two, with the source beside each measure.
    expect(page.locator("#period-label")).to_have_text(
        "The year ending December 2024 compared with the year ending December 2023"
    )
    expect(page.get_by_label("Year ending", exact=True)).to_be_checked()
    expect(page.get_by_label("Up to the end of")).to_have_value("2024-12")
    previous, current = _ons_total("Chesterfield", 2023), _ons_total("Chesterfield", 2024)
    change = current - previous
    assert _rows(page, "headline-crime")[0] == [
        "All crime (total recorded crime excluding fraud) ONS recorded crime",
        f"{previous:,}",
        f"{current:,}",
        f"{change:+,}",
        f"{change / previous * 100:+.1f}%",
        "▼ Better",
        SIGNIFICANT,
        "Not available (1 of 3 years)",
        "",
    ]
    assert (previous, current, f"{change / previous * 100:+.1f}%") == (11087, 9904, "-10.7%")
    _open_sections(page)
    _press(page, page.locator("summary", has_text="Recorded crime in words"))
    expect(
        page.get_by_text(
            "All crime fell by 10.7% (1,183 fewer crimes) in the year ending December 2024 "
            "compared with the year ending December 2023; the decrease is unlikely to "
            "be chance. Source: ONS recorded crime, year ending December 2024 and year "
            "ending December 2023.",
            exact=True,
        )
    ).to_be_visible()
    too_wide = page.locator(".app-table-wrapper").evaluate_all(
        "wrappers => wrappers.filter(w => w.scrollWidth > w.clientWidth)"
        ".map(w => w.querySelector('table').id)"
    )
    assert too_wide == []
    axe_check(page)
    _shot(page, "dashboard-ons-years")
    _press(page, page.get_by_role("link", name="Compare with peer groups", exact=True))
    expect(page.get_by_role("heading", name="Peer groups", level=1)).to_be_visible()
    expect(page.get_by_text("No peer groups yet.")).to_be_visible()
    axe_check(page)

    _press(page, page.get_by_role("link", name="Add a peer group"))
    expect(page.get_by_role("heading", name="Add a peer group")).to_be_visible()
    axe_check(page)
    page.get_by_label("Name of the peer group").focus()
    page.keyboard.type("Derbyshire and Mansfield")
    _press(page, page.get_by_label("Bolsover", exact=True), "Space")
    _press(page, page.get_by_role("button", name="Save peer group"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    error = page.get_by_role("link", name="Choose at least two partnerships for the group.")
    expect(error).to_be_visible()
    axe_check(page)
    _shot(page, "peer-group-error")
    assert not PeerGroup.objects.exists()

    expect(page.get_by_label("Bolsover", exact=True)).to_be_checked()
    _press(page, page.get_by_label("North East Derbyshire", exact=True), "Space")
    _press(page, page.get_by_label("Mansfield", exact=True), "Space")
    _press(page, page.get_by_role("button", name="Save peer group"))
    expect(page.get_by_text("Peer group 'Derbyshire and Mansfield' saved.")).to_be_visible()
    expect(
        page.get_by_role(
            "row", name="Derbyshire and Mansfield Bolsover, Mansfield, North East Derbyshire"
        )
    ).to_be_visible()
    axe_check(page)
    _shot(page, "peer-groups")
    group = PeerGroup.objects.get()
    assert (group.partnership, sorted(m.name for m in group.members.all())) == (
        chesterfield,
        ["Bolsover", "Mansfield", "North East Derbyshire"],
    )

    # The measure page ranks Chesterfield in the group on the ONS year ending December
    # 2024 by the rates ONS publishes (table C4: 49.5650, 69.4395, 94.7830 and 95.1302
    # per 1,000, from unrounded populations; crimes / rounded population would give
    # 69.40, 94.80 and 95.14), rank 1 the lowest; the group average
    # (49.5650 + 69.4395 + 94.7830 + 95.1302) / 4 = 77.23 per 1,000. Beside each, ONS's
    # % change on the year ending December 2023 (table C3).
    page.goto(f"{live_server.url}/partnerships/chesterfield/measures/all-crime/")
    expect(
        page.get_by_role(
            "table",
            name="All crime in the peer group 'Derbyshire and Mansfield', the year ending "
            "December 2024",
        )
    ).to_be_visible()
    assert _rows(page, "peers") == [
        [
            "North East Derbyshire",
            "1 of 4",
            "5,144",
            "103,800",
            "49.56",
            "ONS",
            "-13.8%",
            "-27.66",
            "-35.8%",
        ],
        ["Bolsover", "2 of 4", "5,663", "81,600", "69.44", "ONS", "-13.8%", "-7.79", "-10.1%"],
        ["Mansfield", "3 of 4", "10,532", "111,100", "94.78", "ONS", "-15.4%", "+17.55", "+22.7%"],
        [
            "Chesterfield CSP (this partnership)",
            "4 of 4",
            "9,904",
            "104,100",
            "95.13",
            "ONS",
            "-10.7%",
            "+17.90",
            "+23.2%",
        ],
    ]
    expect(page.get_by_text("4 of 4 partnerships ranked.", exact=False)).to_be_visible()
    expect(page.locator("#chart-peers-all-crime svg.main-svg").first).to_be_visible()
    axe_check(page)
    _shot(page, "measure-peers")
