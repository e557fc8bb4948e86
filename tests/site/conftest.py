"""Fixtures for the browser tests (site_support.py has the machinery)."""

from __future__ import annotations

import npm_copies
import pytest
from site_support import AXE, CHROMIUM, CHROMIUM_ARGS, DESKTOP, SITE_HTML, Visit, serve, visit


@pytest.fixture(scope="session")
def site():
    """Base URL of the built site, served over HTTP on 127.0.0.1, with its CDN files installed."""
    if not (SITE_HTML / "index.html").is_file():
        pytest.fail(f"{SITE_HTML} has no built site: run `make book` first (make test does).")
    npm_copies.install_for_site(SITE_HTML)
    npm_copies.ensure(*AXE)  # the accessibility tests inject it into each page
    with serve(SITE_HTML) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found, so the site cannot be tested in a browser. `make test` "
            "installs it with `apt-get install -y chromium` when run as root; install it and rerun."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def open_page(browser, site):
    """open_page(docname, viewport) -> Visit, each in a fresh browser context."""
    contexts = []

    def opener(docname: str, viewport: dict = DESKTOP) -> Visit:
        contexts.append(browser.new_context(viewport=viewport))
        return visit(contexts[-1], site, docname)

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def desktop(open_page):
    """desktop(docname) -> Visit at 1280x800, opened once and shared by the read-only checks."""
    cache: dict[str, Visit] = {}

    def get(docname: str) -> Visit:
        if docname not in cache:
            cache[docname] = open_page(docname)
        return cache[docname]

    return get
