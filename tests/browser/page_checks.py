"""Checks on every HTML page the browser journeys receive: reflow at 320 px and the W3C
Nu HTML Checker (vnu).

A ``PageRecorder`` listens to a browser context's responses and keeps the body of each
HTML document (by Content-Type, so downloads and PDFs drop out by themselves), whether
it answered a GET or a POST. Bodies are read inside the event handler because Chromium
forgets a document's body once the page navigates away. When the context is about to
close, ``check_reflow`` replays each recorded page, its own headers (the Content
Security Policy too) and body, into a fresh page of the same context at 320 x 800 and
measures it, so a form's error page is measured as the user got it and no page is asked
of the server twice (its stylesheet and scripts are loaded again). There, too, each
visible table caption in a box that scrolls sideways must stay in view with its table
scrolled to its far end. ``HtmlValidator`` writes every distinct body to a folder and
runs vnu once over the lot when the worker's session ends.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Request, Response, Route

VNU_JAR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
REFLOW_WIDTH = 320
REFLOW_HEIGHT = 800

# The pages check_reflow replays into, whose responses no recorder keeps.
_REPLAYS: list[Page] = []

# Headers not to replay: the body is handed over decoded and whole, and an old
# response's cookies would overwrite the session's current ones.
_NOT_REPLAYED = {"set-cookie", "content-length", "content-encoding", "transfer-encoding"}

# The outermost elements that stick out past the viewport, not counting those inside a
# box that clips or scrolls them (an app-table-wrapper): the ones to fix.
_MEASURE = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth + 0.5;
  const contained = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > limit && !contained(el);
  const name = (el) =>
    el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("");
  const widest = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && !(el.parentElement && el.parentElement !== document.body
      && sticksOut(el.parentElement)))
    .map((el) => ({element: name(el), right: Math.round(el.getBoundingClientRect().right),
      text: (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60)}))
    .sort((a, b) => b.right - a.right)
    .slice(0, 5);
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest};
}"""

# Each visible table caption in a box that scrolls sideways (an app-table-wrapper),
# measured with the table scrolled to its far end: a caption that scrolls with the
# table leaves its title out of view at 320 px. (The far end of the table, not of the
# box: content sticking out past the table, as the return grid's last column does by
# 6 px, is not the caption's to follow.) The box is scrolled back after.
_CAPTIONS = """() => {
  const scroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return a;
    }
    return null;
  };
  const out = [];
  for (const caption of document.querySelectorAll("caption")) {
    const box = scroller(caption);
    const drawn = caption.getBoundingClientRect();
    if (!box || box.scrollWidth <= box.clientWidth || drawn.width <= 1) continue;
    const before = box.scrollLeft;
    box.scrollLeft = box.scrollWidth;
    const seen = box.getBoundingClientRect().left + box.clientLeft;
    const short = seen + box.clientWidth - caption.closest("table").getBoundingClientRect().right;
    if (short > 0) box.scrollLeft -= short;
    const rect = caption.getBoundingClientRect();
    if (rect.left < seen - 0.5 || rect.right > seen + box.clientWidth + 0.5) {
      out.push({text: caption.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
        left: Math.round(rect.left), right: Math.round(rect.right),
        from: Math.round(seen), to: Math.round(seen + box.clientWidth)});
    }
    box.scrollLeft = before;
  }
  return out;
}"""


@dataclass
class Recorded:
    method: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytes | None
    error: str | None = None


@dataclass
class PageRecorder:
    """Every HTML document one browser context received, in order."""

    test: str
    pages: list[Recorded] = field(default_factory=list)
    pending: int = 0

    def attach(self, context: BrowserContext) -> None:
        context.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.resource_type != "document" or response.frame.page in _REPLAYS:
            return
        if not 300 <= response.status < 400 and _is_html(response.headers):
            self.pending += 1
            try:
                headers = response.all_headers()
                self.pages.append(
                    Recorded(
                        request.method, response.url, response.status, headers, response.body()
                    )
                )
            except Exception as error:  # reported as a failure by check_reflow
                self.pages.append(
                    Recorded(request.method, response.url, response.status, {}, None, str(error))
                )
            finally:
                self.pending -= 1

    def wait_for_bodies(self, context: BrowserContext) -> None:
        """Let the event handlers still reading a body finish (they run when the test
        thread next waits on Playwright)."""
        waiter = context.pages[0] if context.pages else context.new_page()
        for _ in range(50):
            if not self.pending:
                return
            waiter.wait_for_timeout(100)
        raise AssertionError(f"{self.pending} response bodies were never read in {self.test}")


def _is_html(headers: dict[str, str]) -> bool:
    return headers.get("content-type", "").split(";")[0].strip().lower() == "text/html"


def check_reflow(context: BrowserContext, recorder: PageRecorder) -> list[str]:
    """Replay each distinct recorded page at 320 px; return one line per page that
    scrolls sideways, or whose body could not be read."""
    recorder.wait_for_bodies(context)
    problems = []
    for page in recorder.pages:
        if page.body is None and page.method == "GET":
            # The test navigated on before the handler read the body: ask again, with
            # the same cookies.
            again = context.request.get(page.url, max_redirects=0)
            if again.status == page.status and _is_html(again.headers):
                page.body, page.headers, page.error = again.body(), again.headers, None
        if page.body is None:
            problems.append(
                f"{page.method} {page.url} ({page.status}): body not read: {page.error}"
            )
    latest: dict[tuple[str, str, int], Recorded] = {}
    for page in recorder.pages:
        if page.body is not None:
            latest[(page.method, page.url, page.status)] = page
    if not latest:
        return problems
    shots = os.environ.get("REFLOW_SCREENSHOTS")
    replay = context.new_page()
    _REPLAYS.append(replay)
    replay.set_viewport_size({"width": REFLOW_WIDTH, "height": REFLOW_HEIGHT})
    # A page measured without its stylesheet is not the page users get: say so. (A
    # favicon cut off by the next navigation, or a script the test's context blocks on
    # purpose, changes no width.)
    unloaded: list[str] = []

    def failed(request: Request) -> None:
        if request.resource_type == "stylesheet":
            unloaded.append(f"{request.url} ({request.failure})")

    def answered(response: Response) -> None:
        if response.request.resource_type == "stylesheet" and response.status >= 400:
            unloaded.append(f"{response.url} ({response.status})")

    replay.on("requestfailed", failed)
    replay.on("response", answered)
    try:
        for page in latest.values():
            pattern = re.compile("^" + re.escape(page.url) + "$")
            replay.route(pattern, _fulfil_with(page))
            unloaded.clear()
            replay.goto(page.url, wait_until="load")
            replay.unroute(pattern)
            if unloaded:
                problems.append(
                    f"{page.method} {page.url}: replayed at 320 px without {', '.join(unloaded)}"
                )
                continue
            measured = replay.evaluate(_MEASURE)
            problems += [
                f"{page.method} {page.url} ({page.status}): the caption {c['text']!r} scrolls "
                f"out of view with its table: drawn from {c['left']} to {c['right']} px, its "
                f"box shows {c['from']} to {c['to']} px"
                for c in replay.evaluate(_CAPTIONS)
            ]
            if shots:
                _screenshots(replay, Path(shots), page)
            if measured["scrollWidth"] > measured["clientWidth"]:
                widest = "; ".join(
                    f"{w['element']} to {w['right']} px ({w['text']!r})" for w in measured["widest"]
                )
                problems.append(
                    f"{page.method} {page.url} ({page.status}) is {measured['scrollWidth']} px "
                    f"wide in a {measured['clientWidth']} px viewport; "
                    f"widest: {widest or 'none found'}"
                )
    finally:
        replay.close()
        _REPLAYS.remove(replay)
    return problems


def _screenshots(replay: Page, folder: Path, page: Recorded) -> None:
    """Each replayed page at 320 px and at 1280 px, to look at (REFLOW_SCREENSHOTS=dir)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", page.url.split("//", 1)[-1].split("/", 1)[-1].lower())
    name = f"{page.method.lower()}-{page.status}-{name.strip('-') or 'home'}"
    replay.screenshot(path=folder / f"{name}-320.png", full_page=True)
    replay.set_viewport_size({"width": 1280, "height": REFLOW_HEIGHT})
    replay.screenshot(path=folder / f"{name}-1280.png", full_page=True)
    replay.set_viewport_size({"width": REFLOW_WIDTH, "height": REFLOW_HEIGHT})


def _fulfil_with(page: Recorded) -> Callable[[Route], None]:
    headers = {k: v for k, v in page.headers.items() if k not in _NOT_REPLAYED}

    def fulfil(route: Route) -> None:
        route.fulfill(status=page.status, headers=headers, body=page.body)

    return fulfil


@dataclass
class HtmlValidator:
    """Collects the distinct HTML bodies of a test session and validates them with vnu."""

    folder: Path
    sources: dict[str, list[str]] = field(default_factory=dict)

    def add(self, recorder: PageRecorder) -> None:
        for page in recorder.pages:
            if page.body is None:
                continue
            name = hashlib.sha256(page.body).hexdigest()[:16] + ".html"
            path = self.folder / name
            if not path.exists():
                path.write_bytes(page.body)
            self.sources.setdefault(name, []).append(
                f"{page.method} {page.url} ({page.status}) in {recorder.test}"
            )

    def validate(self) -> list[str]:
        """Run vnu once over every file; return one line per error, naming the page."""
        if not self.sources:
            return []
        files = [str(self.folder / name) for name in sorted(self.sources)]
        java = shutil.which("java")
        if java is None:
            return ["no java to run vnu: scripts/system-deps.sh installs default-jre-headless"]
        result = subprocess.run(  # noqa: S603 (a fixed command on files this session wrote)
            [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout", *files],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            messages = json.loads(result.stdout)["messages"]
        except (json.JSONDecodeError, KeyError):
            return [
                f"vnu did not answer in JSON (exit {result.returncode}): {result.stderr[-2000:]}"
            ]
        problems = []
        for message in messages:
            name = Path(message.get("url", "")).name
            where = self.sources.get(name, [name])[0]
            line = message.get("lastLine", "?")
            problems.append(
                f"{where}, line {line}: {message.get('type')}: {message.get('message')} "
                f"[{' '.join(message.get('extract', '').split())}]"
            )
        if result.returncode != 0 and not problems:
            problems.append(f"vnu exited {result.returncode}: {result.stderr[-2000:]}")
        return problems
