"""Serve the built site as a real host would, for page-speed measurements (lighthouse.py).

    python benchmarks/site_server.py [SITE_HTML]   # serves until Ctrl-C, prints both URLs

Python's http.server sends files raw and uncached; a real host (GitHub Pages, Netlify) and the
CDNs gzip text and send cache headers, and a page measured without them looks slower than any
reader sees it. This server:

- serves the site on http://127.0.0.1:PORT with gzip for text files and `Cache-Control:
  max-age=600` (GitHub Pages' header);
- serves the CDN files the pages load (jsDelivr, cdnjs) from their npm copies
  (tests/site/npm_copies.py) on a second origin, http://127.0.0.2:PORT2/<cdn host>/<path>,
  gzipped and cached for a year, as the CDNs do. A separate origin, so that Lighthouse counts
  a second connection as it would for the real CDN (HTTP/1.1 without TLS here, so the real
  CDN's handshake is not counted, nor its HTTP/2);
- rewrites the CDN URLs in each page to that second origin, in the bytes it sends (this
  measurement only: the built files are not touched). Integrity pins stay: the npm copies
  meet them (tests/site/test_browser.py checks it).

Builds from before issue 12 loaded require.js from cdnjs, whose minified file has no npm copy:
for measuring them, it is served from npm's `requirejs` at the same version (unminified, about
13 kB more compressed) and its `integrity` pin, which those bytes cannot meet, is dropped.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))
import npm_copies  # noqa: E402
from site_support import SITE_HTML  # noqa: E402

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com")  # as the pages name them
CDN_IP = "127.0.0.2"  # another loopback address: another origin, as the real CDN is
_TEXT = (".html", ".js", ".css", ".json", ".svg", ".map", ".txt", ".xml", ".inv", ".ttf", ".eot")
_GZIP_CACHE: dict[tuple[Path, float], bytes] = {}
_CDNJS_REQUIRE = re.compile(r"^ajax/libs/require\.js/([^/]+)/require(?:\.min)?\.js$")
_CDNJS_PIN = re.compile(r'(<script\b[^>]*?)\s+integrity="[^"]*"([^>]*\bsrc="https://cdnjs\.)')


def _gzipped(path: Path, body: bytes) -> bytes:
    key = (path, path.stat().st_mtime)
    if key not in _GZIP_CACHE:
        _GZIP_CACHE[key] = gzip.compress(body, compresslevel=6)  # what hosts use on the fly
    return _GZIP_CACHE[key]


class _Server(ThreadingHTTPServer):
    """One origin: the site or the CDN stand-ins, with what its handler reads."""

    kind: str  # "site" or "cdn"
    root: Path  # the built site
    cdn: str  # base URL of the CDN origin


class _Handler(BaseHTTPRequestHandler):
    """One handler for both origins; `self.server.kind` says which this is."""

    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as every real host

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        found = self._site_file() if self.server.kind == "site" else self._cdn_file()
        if found is None:
            self.send_error(404)
            return
        path, body, max_age = found
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json", "xml")):
            kind += "; charset=utf-8"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        compress = gzip_ok and path.suffix in _TEXT
        if compress:
            body = _gzipped(path, body) if path.suffix != ".html" else gzip.compress(body, 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", f"public, max-age={max_age}")
        self.send_header("Access-Control-Allow-Origin", "*")
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def _site_file(self) -> tuple[Path, bytes, int] | None:
        path = self.server.root / unquote(urlsplit(self.path).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or self.server.root not in path.resolve().parents:
            return None
        body = path.read_bytes()
        if path.suffix == ".html":
            body = _CDNJS_PIN.sub(r"\1\2", body.decode("utf-8")).encode("utf-8")
            for host in CDN_HOSTS:
                body = body.replace(
                    f"https://{host}/".encode(), f"{self.server.cdn}/{host}/".encode()
                )
        return path, body, 600

    def _cdn_file(self) -> tuple[Path, bytes, int] | None:
        host, _, rest = unquote(urlsplit(self.path).path).lstrip("/").partition("/")
        local: Path | None
        try:
            if host == "cdnjs.cloudflare.com" and (old := _CDNJS_REQUIRE.match(rest)):
                local = npm_copies.ensure("requirejs", old.group(1)) / "require.js"
            else:
                local = npm_copies.local_file(f"https://{host}/{rest}")
        except RuntimeError:
            return None
        if local is None or not local.is_file():
            return None
        return local, local.read_bytes(), 31_536_000


@contextmanager
def serve(site_html: Path = SITE_HTML, port: int = 0) -> Iterator[str]:
    """Serve site_html and its CDN stand-ins from threads; yields the site's base URL."""
    npm_copies.install_for_site(site_html)
    servers = []
    for kind, ip, wanted in (("cdn", CDN_IP, 0), ("site", "127.0.0.1", port)):
        server = _Server((ip, wanted), _Handler)
        server.daemon_threads = True
        server.kind, server.root = kind, site_html.resolve()
        servers.append(server)
    cdn, site = servers
    site.cdn = cdn.cdn = f"http://{CDN_IP}:{cdn.server_port}"
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{site.server_port}"
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    html = Path(sys.argv[1]) if len(sys.argv) > 1 else SITE_HTML
    with serve(html, port=8000) as url:
        print(f"serving {html} at {url}/ (CDN files on {CDN_IP}); Ctrl-C stops")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
