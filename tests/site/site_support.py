"""What the browser tests share: the pages, the local server, the CDN stand-ins, one page visit.

The site is `_build/html` (set SITE_HTML to test another build). Every request a page makes goes
to the local server or, for the CDN files, to local npm copies (npm_copies.py); anything else is
blocked and recorded, so a test can name it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import mimetypes
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import npm_copies
import yaml

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
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Third-party requests the tests block on purpose. Empty: every request a page makes is served
# (the site itself, or a CDN file from its npm copy); anything else fails the page's test.
DELIBERATELY_BLOCKED: tuple[str, ...] = ()


def toc_pages() -> list[str]:
    """Every page of the book, in reading order, as docnames from _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part.get("chapters", []))
    return [str(Path(page).with_suffix("")) for page in pages]


def book_config() -> dict:
    """_config.yml as a dict."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


# --- the local server ------------------------------------------------------------------------

_SCRIPT_TAG = re.compile(r"<script\b[^>]*>")
_INTEGRITY = re.compile(r'\s+integrity="(sha(?:256|384|512))-([^"]+)"')
_SRC = re.compile(r'\bsrc="([^"]+)"')


def _pin_matches(algorithm: str, digest: str, data: bytes) -> bool:
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest


def serve_as_browser_gets_it(html: bytes) -> tuple[bytes, list[str]]:
    """The page, minus any `integrity` pin that its local CDN copy cannot meet.

    require.js comes from cdnjs, pinned by the SHA-256 of cdnjs's own minified build; npm's
    `requirejs` package at the same version ships the unminified source, whose bytes (and so
    hash) differ, and Chromium would refuse it. Where the npm copy's bytes match the pin the page
    is served untouched. Returns the page and the URLs whose pin was dropped.
    """
    dropped: list[str] = []

    def fix(tag: re.Match) -> str:
        text = tag.group(0)
        pin, src = _INTEGRITY.search(text), _SRC.search(text)
        if pin is None or src is None:
            return text
        local = npm_copies.local_file(src.group(1))
        if local is None or (local.is_file() and _pin_matches(*pin.groups(), local.read_bytes())):
            return text
        dropped.append(src.group(1))
        return _INTEGRITY.sub("", text)

    page = _SCRIPT_TAG.sub(fix, html.decode("utf-8"))
    return page.encode("utf-8"), dropped


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.endswith("/"):
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body, _ = serve_as_browser_gets_it(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


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

    page: object
    url: str
    status: int | None = None
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should not happen on a page a reader opens."""
        unexpected = [u for u in self.blocked if not u.startswith(DELIBERATELY_BLOCKED)]
        return (
            [f"page error: {e}" for e in self.page_errors]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
            + [f"request to a host the test cannot serve: {u}" for u in unexpected]
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


# runs in the page: resolves once the widget views are drawn and MathJax has typeset
_SETTLE = """async () => {
  const views = document.querySelectorAll('script[type$="widget-view+json"]');
  const drawn = () => document.querySelectorAll('.widget-subarea > *').length;
  for (let i = 0; i < 200 && drawn() < views.length; i++)
    await new Promise((r) => setTimeout(r, 50));
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)
    await window.MathJax.startup.promise;
  return views.length;
}"""


def visit(context, site: str, docname: str) -> Visit:
    """Open site/docname.html in a browser context; return once widgets and math are drawn."""
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
    page.evaluate(_SETTLE)
    page.wait_for_load_state("networkidle")
    return seen


def screenshot(seen: Visit, docname: str, viewport: dict) -> Path:
    """Save the top of the page, as a reader first sees it, under _build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{docname.replace('/', '_')}-{viewport['width']}x{viewport['height']}.png"
    seen.page.screenshot(path=str(path))
    return path
