"""Every report PDF passes the PDF/UA-1 conditions a machine can check, for each report
type, issued and draft: tags, language, title, heading order, table headers with a
scope, figures with alternative text, running headers and footers as pagination
artifacts, links described by their text, bookmarks nested like the headings, and a
subject that says the committee once. Expected values come from the printed HTML."""

import re
from html.parser import HTMLParser

import pytest
from weasyprint import CSS, HTML

from reports import services
from reports.assembly import assemble_report
from reports.pdf import (
    PDF_STYLESHEET,
    PDF_VARIANT,
    render_html,
    render_pdf,
    report_url_fetcher,
    static_roots,
)
from tests.reports import pdf_ua


class _Html(HTMLParser):
    """The HTML's header cells by scope, its links' texts and its h1/h2 headings."""

    def __init__(self) -> None:
        super().__init__()
        self.scopes = {"/Column": 0, "/Row": 0}
        self.links: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "th":
            self.scopes["/Row" if attributes.get("scope") == "row" else "/Column"] += 1
        elif (tag == "a" and "href" in attributes) or tag in ("h1", "h2"):
            self._open = (tag, [])

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[0] == tag:
            text = re.sub(r"\s+", " ", "".join(self._open[1])).strip()
            if tag == "a":
                self.links.append(text)
            else:
                self.headings.append((tag, text))
            self._open = None


def _printed(report, *, draft=False):
    document = assemble_report(report)
    html = render_html(document, draft=draft)
    expected = _Html()
    expected.feed(html)
    return document, render_pdf(document, draft=draft).content, expected


@pytest.fixture
def quarterly(cast):
    return services.report_create(
        partnership=cast.partnership,
        created_by=cast.editor,
        type="quarterly",
        title="Quarter 3 Update",
        financial_year=2017,
        end_month=12,
        committee_name="Overview and Scrutiny Committee",
        meeting_date=None,
        lead_member="Councillor Jacqui Mort",
        lead_officer="Jennifer Mullin",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("draft", [False, True], ids=["issued", "draft"])
def test_the_annual_report_passes_the_machine_checks(report, seed_sources, draft):
    document, content, expected = _printed(report, draft=draft)
    read = pdf_ua.read(content)
    assert read.failures == []
    # Every row header once; column headers once per page a table runs over, as
    # WeasyPrint repeats a table's head on each page (and tags each repeat).
    assert read.scopes["/Row"] == expected.scopes["/Row"] > 0
    assert read.scopes["/Column"] >= expected.scopes["/Column"] > 0
    assert set(read.scopes) == {"/Row", "/Column"}
    # The partnership's name and "Page N of M" on every page; a draft's DRAFT line too.
    assert read.pagination_artifacts == [3 if draft else 2] * len(read.pagination_artifacts)
    assert pdf_ua.subject(content) == (
        "Annual report to the crime and disorder scrutiny committee, April 2017 to January 2018"
    )


@pytest.mark.django_db
def test_the_quarterly_report_passes_the_machine_checks(quarterly, seed_sources):
    _, content, expected = _printed(quarterly)
    assert pdf_ua.failures(content) == []
    assert pdf_ua.subject(content) == (
        "Quarterly progress report to the Overview and Scrutiny Committee,"
        " April 2017 to December 2017"
    )


@pytest.mark.django_db
def test_bookmarks_nest_like_the_headings_and_links_say_where_they_go(report, seed_sources):
    document, content, expected = _printed(report)
    (title, sections), *rest = pdf_ua.outline(content)
    assert rest == []
    assert expected.headings[0] == ("h1", title)
    assert [(heading, []) for _, heading in expected.headings[1:]] == sections
    assert sections[0] == ("Contents", [])
    assert sections[1] == (f"1. {document.sections[0].title}", [])

    descriptions = pdf_ua.link_descriptions(content)
    assert set(descriptions) == set(expected.links)
    anchors = {section.anchor for section in document.sections}
    assert not anchors & set(descriptions)
    assert document.sections[0].title in descriptions


@pytest.mark.django_db
def test_the_checks_fail_on_weasyprints_own_tagging(report, seed_sources):
    """The same HTML printed without the finisher: each gap the finisher closes is
    found, so the checks above can fail."""
    document = assemble_report(report)
    roots = static_roots()
    fetcher = report_url_fetcher(roots)
    content = (
        HTML(string=render_html(document), base_url=roots[0].as_uri() + "/", url_fetcher=fetcher)
        .render(
            stylesheets=[CSS(filename=str(PDF_STYLESHEET), url_fetcher=fetcher)],
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
        )
        .write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    )
    found = {line.split(":")[0] for line in pdf_ua.failures(content)}
    assert found == {"15-003", "01-005", "28-004"}
