"""What the browser tests share: the pages, the local server, the CDN stand-ins, one page visit.

The site is `_build/html` (set SITE_HTML to test another build). Every request a page makes goes
to the local server or, for the CDN files, to local npm copies (npm_copies.py); anything else is
blocked and recorded, so a test can name it.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import npm_copies
import yaml

if TYPE_CHECKING:
    from playwright.sync_api import Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
SITE_HTML = Path(os.environ.get("SITE_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = SITE_HTML.parent / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


def toc_pages(toc_file: Path = ROOT / "_toc.yml", prefix: str = "") -> list[str]:
    """Every page of the book, in reading order, as docnames from _toc.yml (after prefix)."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part.get("chapters", []))
    return [prefix + str(Path(page).with_suffix("")) for page in pages]


def japanese_pages() -> list[str]:
    """The Japanese edition's pages (ja/_toc.yml), as the site has them: ja/book/intro, ..."""
    toc = ROOT / "ja" / "_toc.yml"
    return toc_pages(toc, "ja/") if toc.is_file() else []


def book_config() -> dict:
    """_config.yml as a dict."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


# --- the local server ------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextmanager
def serve(site_html: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) from a thread; yields its base URL."""
    handler = functools.partial(_Handler, directory=str(site_html))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# --- one page in the browser -----------------------------------------------------------------


@dataclass
class Visit:
    """One page opened in a fresh browser context, with everything that went wrong on the way."""

    page: Page
    url: str
    status: int | None = None
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should not happen on a page a reader opens."""
        return (
            [f"page error: {e}" for e in self.page_errors]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
            + [f"request to a host the test cannot serve: {u}" for u in self.blocked]
            + [f"websocket (a kernel?): {u}" for u in self.websockets]
        )


def _serve_cdn(route, blocked: list[str]) -> None:
    url = route.request.url
    try:
        local = npm_copies.local_file(url)
    except RuntimeError as error:  # npm could not install it: answer 404, the test names it
        route.fulfill(status=404, body=str(error))
        return
    if local is None:
        blocked.append(url)
        route.abort("blockedbyclient")
    elif local.is_file():
        kind = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
        headers = {"Content-Type": kind, "Access-Control-Allow-Origin": "*"}
        route.fulfill(status=200, body=local.read_bytes(), headers=headers)
    else:
        route.fulfill(status=404, body=f"not in the npm copy: {local}")


# runs in the page: resolves once the widget views are drawn. Widgets load when they come near
# the screen (book/_static/widgets-loader.js), so it goes to each one as a reader scrolling
# down would, then back to the top. (The equations are SVG in the page: book/_ext/static_math.py.)
_SETTLE = """async () => {
  const views = Array.from(document.querySelectorAll('script[type$="widget-view+json"]'));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (const view of views) {
    const output = view.parentElement;
    output.scrollIntoView({block: 'center'});
    for (let i = 0; i < 300 && !output.querySelector('.widget-subarea > *'); i++) await sleep(50);
  }
  window.scrollTo(0, 0);
  return views.length;
}"""


def visit(context, site: str, docname: str, *, settle: bool = True) -> Visit:
    """Open site/docname.html in a browser context; return once its widgets are drawn.

    settle=False returns once the page has loaded, before any scrolling (no widget drawn yet).
    """
    page = context.new_page()
    seen = Visit(page=page, url=f"{site}/{docname}.html")
    context.route(lambda url: not url.startswith(site), lambda r: _serve_cdn(r, seen.blocked))
    page.on("pageerror", lambda e: seen.page_errors.append(f"{e}\n{e.stack}"))
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    failed = seen.failed_requests
    page.on(
        "requestfailed",
        lambda r: None if r.url in seen.blocked else failed.append(f"{r.url} ({r.failure})"),
    )
    page.on(
        "response",
        lambda r: failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
    )
    page.on("websocket", lambda ws: seen.websockets.append(ws.url))
    response = page.goto(seen.url, wait_until="load")
    seen.status = response.status if response else None
    if settle:
        page.evaluate(_SETTLE)
        page.wait_for_load_state("networkidle")
    return seen


def screenshot(seen: Visit, docname: str, viewport: dict) -> Path:
    """Save the top of the page, as a reader first sees it, under _build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{docname.replace('/', '_')}-{viewport['width']}x{viewport['height']}.png"
    seen.page.screenshot(path=str(path))
    return path


# a stepper: a widget output holding a Play button, a slider and an image (the Stack draws
# only its selected child, so one <img> is in the DOM at a time)
_MARK_STEPPERS = """() => {
  const found = [];
  for (const play of document.querySelectorAll('.widget-play')) {
    const box = play.closest('.widget-subarea');
    // a frame is a picture or, for a language model's samples, preformatted text
    const frame = box && box.querySelector('img, pre.book-stepper-text');
    const parts = box && box.querySelector('.widget-slider') && frame;
    if (parts && !found.includes(box)) found.push(box);
  }
  found.forEach((box, i) => box.setAttribute('data-test-stepper', i));
  return found.length;
}"""


def find_steppers(page) -> list:
    """Locators of the page's epoch steppers, in page order (each marked data-test-stepper=i)."""
    count = page.evaluate(_MARK_STEPPERS)
    return [page.locator(f'[data-test-stepper="{i}"]') for i in range(count)]


# --- accessibility: axe-core -----------------------------------------------------------------

AXE = ("axe-core", "4.14.1")
# the rules the issue asks for: WCAG 2.0 and 2.1, levels A and AA
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def set_mode(page, mode: str) -> None:
    """Switch the theme to 'light' or 'dark' as its toggle does, and let the colours settle."""
    page.evaluate(
        """(mode) => {
          document.documentElement.dataset.mode = mode;
          document.documentElement.dataset.theme = mode;
        }""",
        mode,
    )
    page.wait_for_timeout(350)  # the theme fades colours over 0.3 s at most


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(npm_copies.ensure(*AXE) / "axe.min.js"))
    return page.evaluate(_AXE_RUN, AXE_TAGS)
