"""The report document to HTML and to a tagged A4 PDF (WeasyPrint, PDF/UA-1).

The PDF is printed from ``templates/reports/report_pdf.html``, which includes the
same ``report_body.html`` as the browser preview. Charts are drawn to SVG by the
process's one kaleido browser (``chart_export``); a chart that cannot be drawn is
left empty and the template prints its table with a note.

The first PDF in a process also pays for loading WeasyPrint, Pango and the fonts
(about a second). ``render_report_pdf`` does that on a side thread, by printing a
one-line page, while the main thread reads the figures and waits for Chromium to
draw the charts, and joins it before printing the report, so two documents are
never laid out at once.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string

from reports.chart_export import (
    ChartExporter,
    chromium_version,
    get_exporter,
    plotlyjs_version,
)
from reports.document import ReportDocument
from reports.pdf_tagging import finish_tagging

logger = logging.getLogger(__name__)

PDF_STYLESHEET = Path(__file__).with_name("pdf.css")
PDF_VARIANT = "pdf/ua-1"
WARM_UP_HTML = (
    '<html lang="en-GB"><head><title>CSP Portal</title></head><body><p>CSP Portal</p></body></html>'
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int
    checksum: str
    charts_drawn: bool
    timings: dict[str, float]


def printer_versions(exporter: ChartExporter | None = None) -> dict[str, str]:
    """What prints the PDFs: kept with each issued version, so that a committee paper
    can be printed again with the same software."""
    from importlib.metadata import version

    exporter = exporter or get_exporter()
    return {
        "weasyprint": version("weasyprint"),
        "pdf_variant": PDF_VARIANT,
        "plotly": version("plotly"),
        "kaleido": version("kaleido"),
        "plotly.js": plotlyjs_version(exporter.plotlyjs),
        "chromium": chromium_version(exporter.executable),
    }


def draw_charts(
    document: ReportDocument,
    *,
    exporter: ChartExporter | None = None,
    progress: Progress | None = None,
) -> bool:
    """Fill each chart's SVG. Returns whether every chart was drawn."""
    exporter = exporter or get_exporter()
    charts = document.charts
    for number, chart in enumerate(charts, start=1):
        if progress:
            progress(f"Drawing chart {number} of {len(charts)}: {chart.title}")
        if chart.figure is None:
            chart.svg = None
            continue
        chart.svg = exporter.export_svg(chart.figure, width=chart.width, height=chart.height)
    return document.charts_drawn


def render_html(document: ReportDocument, *, draft: bool = False) -> str:
    """The full HTML document that WeasyPrint prints; a draft says DRAFT at the top of
    every page."""
    return render_to_string(
        "reports/report_pdf.html", {"document": document, "draft": draft, "in_pdf": True}
    )


def static_roots() -> list[Path]:
    """The folders a report may read files from: the app's static files."""
    folders = [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]
    return [Path(folder).resolve() for folder in folders if folder]


def report_url_fetcher(roots: list[Path]):
    """A WeasyPrint URL fetcher that reads ``data:`` URIs (the charts' SVG) and files
    under ``roots``, and nothing else: no other file on the server, no network
    address. The templates already print an officer's text as text; this is the
    second line, should markup ever reach the printed HTML (an SVG's own links
    included, as WeasyPrint fetches those through the same fetcher)."""
    from weasyprint import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "file":
                path = Path(url2pathname(parts.path)).resolve()
                if parts.netloc not in ("", "localhost"):
                    raise ValueError(f"Refused to read {url}: not a file on this server.")
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(
                        f"Refused to read {url}: a report reads only the app's static files."
                    )
            elif scheme != "data":
                raise ValueError(f"Refused to fetch {url}: a report never reads the network.")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"data", "file"})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """Print HTML to a tagged A4 PDF; returns the bytes and the page count."""
    from weasyprint import CSS, HTML

    roots = static_roots()
    fetcher = report_url_fetcher(roots)
    rendered = HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=str(PDF_STYLESHEET), url_fetcher=fetcher)],
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
    )
    content = rendered.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, finisher=finish_tagging)
    return content, len(rendered.pages)


_warm_up_lock = threading.Lock()
_warm_up_thread: threading.Thread | None = None


def _print_a_line() -> None:
    try:
        html_to_pdf(WARM_UP_HTML)
    except Exception:  # noqa: BLE001 (the report's own print then fails and says why)
        logger.warning("Warming up the PDF printer failed", exc_info=True)


def warm_up_printer_in_background() -> threading.Thread:
    """The process's one warm-up thread (see the module docstring), started on the
    first call; join it before printing."""
    global _warm_up_thread
    with _warm_up_lock:
        if _warm_up_thread is None:
            _warm_up_thread = threading.Thread(
                target=_print_a_line, name="pdf-warm-up", daemon=True
            )
            _warm_up_thread.start()
        return _warm_up_thread


def render_report_pdf(
    report,
    *,
    version_label: str = "Draft",
    progress: Progress | None = None,
    draft: bool = False,
) -> tuple[ReportDocument, RenderedPdf]:
    """Assemble a report from today's figures and print it. Chromium starts and the
    printer warms up while the figures are read (their modules are imported only
    after both have begun), so a cold start costs little more than a warm one."""
    exporter = get_exporter()
    exporter.start_in_background()
    printer = warm_up_printer_in_background()
    started = time.perf_counter()
    from reports.assembly import assemble_report

    document = assemble_report(report, version_label=version_label)
    assembled = time.perf_counter() - started
    rendered = render_pdf(
        document, exporter=exporter, progress=progress, printer=printer, draft=draft
    )
    rendered.timings["assembly"] = assembled
    return document, rendered


def render_pdf(
    document: ReportDocument,
    *,
    exporter: ChartExporter | None = None,
    progress: Progress | None = None,
    printer: threading.Thread | None = None,
    draft: bool = False,
) -> RenderedPdf:
    """Draw the charts, print the PDF and checksum it. ``printer`` is a warm-up
    thread to wait for before printing; a ``draft`` is marked DRAFT on every page."""
    timings = {}
    started = time.perf_counter()
    charts_drawn = draw_charts(document, exporter=exporter, progress=progress)
    timings["charts"] = time.perf_counter() - started
    if progress:
        progress("Laying out the pages")
    started = time.perf_counter()
    html = render_html(document, draft=draft)
    timings["template"] = time.perf_counter() - started
    started = time.perf_counter()
    if printer is not None:
        printer.join()
    content, page_count = html_to_pdf(html)
    timings["weasyprint"] = time.perf_counter() - started
    return RenderedPdf(
        content=content,
        page_count=page_count,
        checksum=hashlib.sha256(content).hexdigest(),
        charts_drawn=charts_drawn,
        timings=timings,
    )
