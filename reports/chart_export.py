"""Plotly figures to SVG (for the PDF) and PNG (for Word) through kaleido and the
system Chromium, one browser per process.

Starting Chromium costs a few seconds; drawing a chart in a running one about 0.2 s.
So each process keeps one kaleido browser on a private event loop thread and sends
every chart to it. Most of the start is the page loading plotly.js: kaleido's default
is the full 4.8 MB bundle, so the exporter loads plotly.js's own "basic" bundle
(scatter, bar and pie traces: every chart the report draws) at the version plotly.py
ships, vendored as ``static/vendor/plotly/plotly-basic.min.js``, which starts
Chromium in under half the time. A trace type outside that bundle fails to draw and
prints as its table, like any other chart failure.

Identical figures (same JSON, size and format) are served from a small in-process
cache, so a warm re-render of the same report draws nothing.

When Chromium is missing or fails, ``export_svg`` (and ``export_png``) returns
``None`` and the caller prints the chart's data table with a note instead: a report
never fails for want of a chart. After a failure the exporter stays off for a while
rather than retrying (and waiting) on every chart.

Each SVG is tidied once, before it is cached (``tidy_svg``): WeasyPrint draws SVG in
Python and runs a CSS tokenizer over every ``style`` attribute, and plotly writes a
style on nearly every element and dozens of empty groups. As presentation attributes
the same declarations draw identically in WeasyPrint and in browsers, at about two
thirds of the cost.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import hashlib
import logging
import re
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_CHROMIUM = "/usr/bin/chromium"
PLOTLY_BASIC = Path(__file__).resolve().parents[1] / "static/vendor/plotly/plotly-basic.min.js"
START_TIMEOUT = 30.0
CHART_TIMEOUT = 30.0
RETRY_AFTER = 300.0  # seconds a failed start keeps the exporter off
CACHE_SIZE = 128  # a report's charts, as SVG and as PNG
# PNG pictures (for Word documents) are drawn at twice their size in pixels.
PNG_SCALE = 2
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"


class ChartExportUnavailable(RuntimeError):
    """Chromium could not be started or could not draw a chart."""


class ChartExporter:
    """One kaleido browser on its own event loop thread, shared by every caller in the
    process. Thread-safe: calls from several request threads queue on the one loop."""

    def __init__(self, executable: str = DEFAULT_CHROMIUM, plotlyjs: Path = PLOTLY_BASIC) -> None:
        self.executable = executable
        self.plotlyjs = plotlyjs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._failed_at: float | None = None
        self.last_error = ""
        self._cache: OrderedDict[str, str | bytes] = OrderedDict()
        self.charts_drawn = 0

    # Lifecycle -------------------------------------------------------------------

    def _ensure_started(self) -> None:
        if self._kaleido is not None:
            return
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER:
            raise ChartExportUnavailable(self.last_error)
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-chart-export", daemon=True)
        thread.start()

        async def open_browser():
            browser = kaleido.Kaleido(
                n=1, mathjax=False, plotlyjs=self.plotlyjs, path=self.executable, timeout=30
            )
            await browser.open()
            return browser

        try:
            future = asyncio.run_coroutine_threadsafe(open_browser(), loop)
            self._kaleido = future.result(START_TIMEOUT)
        except Exception as error:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            self._failed_at = time.monotonic()
            self.last_error = f"Chromium could not be started ({self.executable}): {error}"
            logger.warning("Chart export is off: %s", self.last_error)
            raise ChartExportUnavailable(self.last_error) from error
        self._loop, self._thread = loop, thread
        self._failed_at = None

    def start_in_background(self) -> None:
        """Start Chromium on a side thread, so that it boots while the caller reads the
        figures; the first chart then waits (on the lock) only for what is left."""
        if self._kaleido is not None:
            return

        def start() -> None:
            # A failure is reported by export_svg, which then draws the table instead.
            with self._lock, contextlib.suppress(ChartExportUnavailable):
                self._ensure_started()

        threading.Thread(target=start, name="kaleido-warm-up", daemon=True).start()

    def stop(self) -> None:
        """Close the browser and its thread (at exit, or in tests)."""
        with self._lock:
            if self._kaleido is not None and self._loop is not None:
                try:
                    asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(10)
                except Exception:  # noqa: BLE001 (closing a dying browser may fail; nothing to do)
                    logger.debug("Closing kaleido failed", exc_info=True)
                self._loop.call_soon_threadsafe(self._loop.stop)
                if self._thread is not None:
                    self._thread.join(5)
            self._kaleido = self._loop = self._thread = None
            self._failed_at = None

    @property
    def is_running(self) -> bool:
        return self._kaleido is not None

    # Drawing ---------------------------------------------------------------------

    def export_svg(self, figure: Any, *, width: int, height: int) -> str | None:
        """The figure as SVG text, or ``None`` when Chromium is unavailable."""
        svg = self._export(figure, width=width, height=height, format="svg")
        return svg if isinstance(svg, str) else None

    def export_png(self, figure: Any, *, width: int, height: int) -> bytes | None:
        """The figure as a PNG picture at twice its size in pixels (sharp when a Word
        document is printed or zoomed), or ``None`` when Chromium is unavailable."""
        png = self._export(figure, width=width, height=height, format="png")
        return png if isinstance(png, bytes) else None

    def _export(self, figure: Any, *, width: int, height: int, format: str) -> str | bytes | None:
        spec = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure
        key = _cache_key(spec, width, height, format)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            options: dict[str, Any] = {"format": format, "width": width, "height": height}
            if format == "png":
                options["scale"] = PNG_SCALE
            try:
                self._ensure_started()
                assert self._loop is not None  # _ensure_started starts it
                future = asyncio.run_coroutine_threadsafe(
                    self._kaleido.calc_fig(spec, options), self._loop
                )
                drawn = future.result(CHART_TIMEOUT)
            except ChartExportUnavailable:
                return None
            except Exception as error:  # noqa: BLE001 (any browser failure means: draw the table)
                self.last_error = f"Chromium failed to draw a chart: {error}"
                logger.warning(self.last_error)
                return None
            picture: str | bytes = tidy_svg(drawn.decode("utf-8")) if format == "svg" else drawn
            self.charts_drawn += 1
            self._cache[key] = picture
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return picture

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()


@functools.cache
def plotlyjs_version(path: Path) -> str:
    """The plotly.js version named in a bundle's banner comment ("v4.1.1" -> "4.1.1")."""
    try:
        with path.open(encoding="utf-8") as bundle:
            banner = bundle.read(300)
    except OSError:
        return "not found"
    found = re.search(r"plotly\.js .*?v(\d+\.\d+\.\d+)", banner)
    return found.group(1) if found else "unknown"


@functools.cache
def chromium_version(executable: str) -> str:
    """What ``chromium --version`` says ("Chromium 140.0.7339.185 built on Debian ...")."""
    try:
        result = subprocess.run(  # noqa: S603 (the configured browser, a fixed argument)
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return "not available"
    return result.stdout.strip()


def tidy_svg(svg: str) -> str:
    """The same picture with each ``style`` attribute spelt out as presentation
    attributes and the empty groups left out (see the module docstring)."""
    ET.register_namespace("", SVG_NAMESPACE)
    ET.register_namespace("xlink", XLINK_NAMESPACE)
    root = ET.fromstring(svg)  # noqa: S314 (our own kaleido's output, not user input)
    group = f"{{{SVG_NAMESPACE}}}g"

    def tidy(element: ET.Element) -> bool:
        """Tidy ``element`` and its subtree; returns whether it can be left out."""
        for child in list(element):
            if tidy(child):
                element.remove(child)
        style = element.attrib.pop("style", "")
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name and value and not name.startswith("-"):
                element.set(name, value)
        return (
            element.tag == group
            and len(element) == 0
            and not (element.text or "").strip()
            and "id" not in element.attrib
        )

    tidy(root)
    return ET.tostring(root, encoding="unicode")


def _cache_key(spec: Any, width: int, height: int, format: str = "svg") -> str:
    import plotly.io

    text = plotly.io.to_json(spec, validate=False, engine="json")
    return hashlib.sha256(f"{format}:{width}x{height}:{text}".encode()).hexdigest()


_exporter: ChartExporter | None = None
_exporter_lock = threading.Lock()


def get_exporter() -> ChartExporter:
    """The process's exporter, created on first use with ``REPORTS_CHROMIUM``."""
    global _exporter
    with _exporter_lock:
        if _exporter is None:
            from django.conf import settings

            _exporter = ChartExporter(getattr(settings, "REPORTS_CHROMIUM", DEFAULT_CHROMIUM))
            atexit.register(_exporter.stop)
        return _exporter


def set_exporter(exporter: ChartExporter | None) -> ChartExporter | None:
    """Swap the process's exporter (tests point it at a missing Chromium). Returns the
    previous one, which the caller should put back."""
    global _exporter
    with _exporter_lock:
        previous, _exporter = _exporter, exporter
        return previous
