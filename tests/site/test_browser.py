"""The built site as a reader gets it, in a real browser with no kernel (issue 4).

Pages come from _toc.yml and epoch steppers from the page's DOM, so new chapters are tested
without touching this file. Run with `make test` (which builds the site first) or
`pytest -m site tests/site`; screenshots land in _build/screenshots/.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import npm_copies
import pytest
from site_support import (
    DESKTOP,
    PHONE,
    ROOT,
    SCREENSHOTS,
    SITE_HTML,
    book_config,
    find_steppers,
    japanese_pages,
    screenshot,
    toc_pages,
    visit,
)

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from page_fixes import STATE_SUFFIX  # noqa: E402

pytestmark = pytest.mark.site

PAGES = toc_pages() + japanese_pages()  # both editions: the Japanese one under ja/
NOTEBOOKS = [page for page in PAGES if (ROOT / f"{page}.ipynb").is_file()]


def _built(docname: str) -> str:
    path = SITE_HTML / f"{docname}.html"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _widget_state(docname: str) -> str:
    """The page's saved widget state: beside the page since book/_ext/page_fixes.py moved it."""
    path = SITE_HTML / f"{docname}{STATE_SUFFIX}"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _play_models(docname: str) -> int:
    """How many Play widgets the page's saved widget state holds."""
    return _widget_state(docname).count('"model_name": "PlayModel"')


def _name(docname: str) -> str:
    return docname.replace("/", "_")


def _fail_if(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{what}:\n  " + "\n  ".join(problems))


# --- every page ------------------------------------------------------------------------------


@pytest.mark.parametrize("docname", PAGES)
def test_page_loads_cleanly(desktop, docname):
    visit = desktop(docname)
    screenshot(visit, docname, DESKTOP)
    assert visit.status == 200, f"{visit.url} answered {visit.status}"
    _fail_if(visit.problems(), f"{docname} in the browser")


@pytest.mark.parametrize("docname", PAGES)
def test_internal_links_resolve(desktop, site, docname):
    visit = desktop(docname)
    hrefs = visit.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    broken, checked = [], 0
    for href in hrefs:
        if not href.startswith(site):
            continue
        checked += 1
        parts = urlsplit(href)
        target = SITE_HTML / unquote(parts.path).lstrip("/")
        if parts.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {target.relative_to(SITE_HTML)})")
        elif parts.fragment and target.suffix == ".html":
            anchor = re.escape(unquote(parts.fragment))
            if not re.search(rf'\bid="{anchor}"', target.read_text(encoding="utf-8")):
                broken.append(f"{href} (no id #{unquote(parts.fragment)} there)")
    assert checked > 0, f"{docname} links to no page of the book: the navigation did not render"
    _fail_if(broken, f"broken internal links on {docname}")


# every image, the lazy ones too (book/_ext/page_fixes.py: they load when they come near the
# screen), loaded now; then the ones that did not load, and the figures drawn out of shape
# (the width and height page_fixes gives them against the picture's own)
_BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = 'eager'; });
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener('load', done, {once: true});
    img.addEventListener('error', done, {once: true});
    setTimeout(done, 15000);
  })));
  const name = (img) => (img.currentSrc || img.src || img.outerHTML).slice(0, 120);
  const broken = images.filter((img) => !(img.complete && img.naturalWidth > 0)).map(name);
  const misshapen = images.filter((img) => img.closest('article') && img.naturalWidth)
    .filter((img) => {
      const box = img.getBoundingClientRect();
      return box.width && Math.abs(box.width / box.height -
                                   img.naturalWidth / img.naturalHeight) > 0.02;
    }).map((img) => `${name(img)} (drawn out of shape)`);
  return broken.concat(misshapen);
}"""

# every CSS background image (icons, SVG decorations), loaded once each
_BROKEN_BACKGROUNDS = """async () => {
  const URL_IN_CSS = /url\\("?([^")]+)"?\\)/g, urls = new Set();
  for (const el of document.querySelectorAll('*'))
    for (const pseudo of [null, '::before', '::after'])
      for (const m of getComputedStyle(el, pseudo).backgroundImage.matchAll(URL_IN_CSS))
        urls.add(new URL(m[1], document.baseURI).href);
  const bad = [];
  await Promise.all(Array.from(urls).map((u) => new Promise((done) => {
    const img = new Image();
    img.onload = () => { if (!img.naturalWidth) bad.push(u + ' (empty)'); done(); };
    img.onerror = () => { bad.push(u.slice(0, 120)); done(); };
    img.src = u;
  })));
  return bad;
}"""


@pytest.mark.parametrize("docname", PAGES)
def test_images_load(desktop, docname):
    page = desktop(docname).page
    _fail_if(page.evaluate(_BROKEN_IMAGES), f"images that did not load on {docname}")
    _fail_if(page.evaluate(_BROKEN_BACKGROUNDS), f"background images missing on {docname}")


# each equation as book/_ext/static_math.py writes it: MathJax's SVG, typeset when the book was
# built, named by its TeX; its glyphs are <use>s of paths that the page holds once each
_MATH = """() => Array.from(document.querySelectorAll('.math')).map((el) => {
  const svg = el.querySelector('mjx-container > svg[role="img"]');
  const box = svg ? svg.getBoundingClientRect() : null;
  const uses = svg ? Array.from(svg.querySelectorAll('use')) : [];
  const refs = uses.map((use) => use.getAttribute('xlink:href'));
  const name = svg ? svg.getAttribute('aria-label') || '' : null;
  return {
    tex: (name || el.textContent).trim().slice(0, 60),
    name,
    drawn: box !== null && box.width > 0 && box.height > 0,
    folded: el.closest('details:not([open])') !== null,  // a hidden cell: not drawn until opened
    unresolved: refs.filter((ref) => !ref || !document.getElementById(ref.slice(1))),
  };
})"""
# MathJax's script or its configuration, or an equation left as TeX for it
_MATHJAX = re.compile(r'<script\b[^>]*mathjax|MathJax\s*=|class="math[^"]*">\s*\\[(\[]', re.I)


@pytest.mark.parametrize("docname", PAGES)
def test_math_renders(desktop, docname):
    """Every equation is an SVG typeset at build time, named by its TeX; no MathJax loads."""
    source = _built(docname)
    assert not _MATHJAX.search(source), f"{docname}: MathJax or TeX for it in the built page"
    maths = desktop(docname).page.evaluate(_MATH)
    expected = len(re.findall(r'class="math[ "]', source))
    assert len(maths) == expected, f"{docname}: {expected} equations built, {len(maths)} in the DOM"
    _fail_if(
        [f"not typeset: {m['tex']}" for m in maths if m["name"] is None]
        + [f"no accessible name: {m['tex']}" for m in maths if m["name"] == ""]
        + [f"not drawn: {m['tex']}" for m in maths if not m["drawn"] and not m["folded"]]
        + [
            f"glyphs not on the page {m['unresolved']}: {m['tex']}"
            for m in maths
            if m["unresolved"]
        ],
        f"math on {docname}",
    )


@pytest.mark.parametrize("docname", ["notebooks/04_lstm_gates", "ja/notebooks/04_lstm_gates"])
def test_each_edition_typesets_its_equations(docname):
    """Chapter 4 of each edition: no MathJax, and every one of its 100-odd equations an SVG
    named by its TeX (a screen reader's text for it)."""
    source = _built(docname)
    assert not _MATHJAX.search(source), docname
    names = re.findall(r'<svg\b[^>]*\brole="img"[^>]*\baria-label="([^"]+)"', source)
    equations = len(re.findall(r'class="math[ "]', source))
    assert equations > 100 and len(names) == source.count("<mjx-container") == equations


@pytest.mark.parametrize("docname", PAGES)
def test_phone_layout(open_page, docname):
    visit = open_page(docname, PHONE)
    screenshot(visit, docname, PHONE)
    for i, stepper in enumerate(find_steppers(visit.page)):
        stepper.scroll_into_view_if_needed()
        stepper.screenshot(path=str(SCREENSHOTS / f"{_name(docname)}-stepper{i}-390.png"))
    _fail_if(visit.problems(), f"{docname} on a phone")
    overflow = visit.page.evaluate(
        """() => {
          const root = document.documentElement, width = root.clientWidth, out = [];
          if (root.scrollWidth > width + 1)
            out.push(`page scrolls sideways: ${root.scrollWidth}px > ${width}px`);
          for (const box of document.querySelectorAll('.widget-subarea, .cell_output img')) {
            const right = Math.max(...Array.from(box.querySelectorAll('*'))
              .concat([box]).map((el) => el.getBoundingClientRect().right));
            if (right > width + 1) out.push(`${box.className} reaches ${Math.round(right)}px`);
          }
          return out;
        }"""
    )
    _fail_if(overflow, f"{docname} overflows a {PHONE['width']}px phone screen")


# --- notebook pages: launch buttons and download ---------------------------------------------


@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_launch_and_download_buttons(desktop, docname):
    config = book_config()
    repo_url = config["repository"]["url"].rstrip("/")
    branch = config["repository"].get("branch", "main")
    owner_repo = repo_url.split("github.com/", 1)[1]
    launch = config["launch_buttons"]
    expected = {
        "repository": repo_url,
        "Binder": f"{launch['binderhub_url']}/v2/gh/{owner_repo}/{branch}"
        f"?urlpath=lab/tree/{docname}.ipynb",
        "Colab": f"{launch['colab_url']}/github/{owner_repo}/blob/{branch}/{docname}.ipynb",
    }
    page = desktop(docname).page
    hrefs = set(page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"))
    missing = [f"{name} link {url}" for name, url in expected.items() if url not in hrefs]
    _fail_if(missing, f"{docname} lacks launch buttons built from _config.yml's repository url")

    download = page.eval_on_selector_all(
        "a.btn-download-source-button", "links => links.map(a => a.href)"
    )
    names = [urlsplit(href).path.rsplit("/", 1)[-1] for href in download]
    assert names == [f"{Path(docname).name}.ipynb"], f"download links: {download}"
    response = page.request.get(download[0])
    assert response.status == 200, f"{download[0]} answered {response.status}"
    notebook = json.loads(response.body())
    assert notebook["nbformat"] == 4 and notebook["cells"], f"{download[0]} is not a notebook"


# --- epoch steppers --------------------------------------------------------------------------

# the one frame showing in a stepper, with a digest of its pixels (a picture) or its text
_FRAME = """async (box) => {
  const frames = Array.from(box.querySelectorAll('img, pre.book-stepper-text'));
  const shown = frames.filter((frame) => frame.getClientRects().length);
  const handle = box.querySelector('.noUi-handle');
  const index = handle ? Number(handle.getAttribute('aria-valuenow')) : null;
  const last = handle ? Number(handle.getAttribute('aria-valuemax')) : null;
  if (shown.length !== 1) return {shown: shown.length, index, last};
  if (shown[0].tagName === 'PRE') {  // a text frame: its words are what changes
    const words = shown[0].textContent;
    return {shown: 1, index, last, src: words, pixels: words};
  }
  const img = shown[0], canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', pixels));
  const pixelHash = Array.from(digest, (b) => b.toString(16)).join('');
  return {shown: 1, index, last, src: img.src, pixels: pixelHash};
}"""


def _frame(stepper) -> dict:
    frame = stepper.evaluate(_FRAME)
    assert frame["shown"] == 1, f"a stepper should show one frame, it shows {frame['shown']}"
    return frame


def _wait_for_new_frame(stepper, old: dict, seconds: float) -> dict | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frame = _frame(stepper)
        if frame["pixels"] != old["pixels"]:
            return frame
        time.sleep(0.1)
    return None


@pytest.mark.parametrize("docname", PAGES)
def test_epoch_steppers_work_without_a_kernel(open_page, desktop, docname):
    """Play advances the frames and the slider changes the visible image, on the static page."""
    expected = _play_models(docname)
    visit = open_page(docname) if expected else desktop(docname)
    steppers = find_steppers(visit.page)
    assert len(steppers) == expected, (
        f"{docname}: the saved widget state has {expected} Play widgets, "
        f"the page shows {len(steppers)} steppers"
    )
    for i, stepper in enumerate(steppers):
        stepper.scroll_into_view_if_needed()
        stepper.screenshot(path=str(SCREENSHOTS / f"{_name(docname)}-stepper{i}-1280.png"))
        # Play: the frame must move on by itself, twice where there are frames enough
        start = _frame(stepper)
        assert start["last"] > start["index"], f"stepper {i} on {docname}: nothing to play"
        stepper.locator(".widget-play button").first.click()
        frame = start
        for step in range(min(2, start["last"] - start["index"])):
            frame = _wait_for_new_frame(stepper, frame, seconds=10)
            assert frame, f"stepper {i} on {docname}: Play stopped after {step} new frames"
        moved = frame["index"] > start["index"]
        assert moved, f"stepper {i} on {docname}: the slider did not follow Play"
        stepper.locator(".widget-play button").nth(
            1
        ).click()  # stop: buttons are play, stop, repeat
        visit.page.wait_for_timeout(300)

        # the slider: drag its handle to the far end from where it is
        before = _frame(stepper)
        track = stepper.locator(".noUi-base").bounding_box()
        handle = stepper.locator(".noUi-handle").bounding_box()
        at_start = handle["x"] - track["x"] < track["width"] / 2
        x = track["x"] + track["width"] * (0.95 if at_start else 0.05)
        y = handle["y"] + handle["height"] / 2
        visit.page.mouse.move(handle["x"] + handle["width"] / 2, y)
        visit.page.mouse.down()
        visit.page.mouse.move(x, y, steps=8)
        visit.page.mouse.up()
        after = _wait_for_new_frame(stepper, before, seconds=3)
        assert after, f"stepper {i} on {docname}: dragging the slider did not change the image"
        assert after["index"] != before["index"] and after["src"] != before["src"]
    _fail_if(visit.problems(), f"{docname} while stepping")


def test_the_book_has_steppers():
    """Guards the test above from passing on nothing: training chapters show epoch steppers."""
    pages = [page for page in PAGES if _play_models(page)]
    assert pages, f"no page of {SITE_HTML} has an epoch stepper (a Play widget in its widget state)"


# --- the site as a whole ---------------------------------------------------------------------


def test_front_door_opens_the_first_page(browser, site):
    """The site's root URL forwards a reader to the book's first page."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        assert page.goto(f"{site}/").status == 200
        page.wait_for_url(f"{site}/{PAGES[0]}.html", timeout=10_000)
    finally:
        context.close()


_PINNED = re.compile(r'data-([a-z-]+)-integrity="(sha(?:256|384|512))-([^"]+)"')


def test_integrity_pins_match_the_npm_copies():
    """Each `integrity` pin the widget loader enforces is the hash of the file it names.

    The pins are checked against the npm package the CDN URL names (jsDelivr's /npm/ mirror
    serves those bytes unchanged), so a wrong pin fails here, and in the browser, where a file
    that does not match its pin is refused and the steppers do not draw.
    """
    config = book_config()["sphinx"]["config"]["nb_ipywidgets_js"]["widgets-loader.js"]
    files = {
        "require": config["data-require"],
        "embed": config["data-html-manager"] + "/embed-amd.js",
    }
    checked = []
    for name, url in files.items():
        algorithm, digest = config[f"data-{name}-integrity"].split("-", 1)
        local = npm_copies.local_file(url)
        assert local is not None and local.is_file(), f"{url} has no npm copy to check its pin by"
        actual = base64.b64encode(hashlib.new(algorithm, local.read_bytes()).digest()).decode()
        assert actual == digest, f"the pin for {url} is {digest}; its npm copy hashes to {actual}"
        checked.append(url)
    # and the built pages carry those pins, not stale ones
    for docname in PAGES:
        for attribute, algorithm, digest in _PINNED.findall(_built(docname)):
            assert f"{algorithm}-{digest}" == config[f"data-{attribute}-integrity"], docname
    assert len(checked) == 2


def test_site_size_within_limits():
    """Heaviest page (widget state included) under 2 MB, whole site under site_size.SITE_LIMIT."""
    spec = importlib.util.spec_from_file_location("site_size", ROOT / "benchmarks" / "site_size.py")
    site_size = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site_size)
    assert site_size.main(SITE_HTML) == 0, "over a size limit: see the table above"


# --- what the page fixes keep working (book/_ext/page_fixes.py, widgets-loader.js) ---------


_HEAD_SCRIPT = re.compile(r"<script\b([^>]*)>", re.S)


@pytest.mark.parametrize("docname", PAGES)
def test_no_script_blocks_the_first_paint(docname):
    """In <head> only documentation_options.js (tiny; inline scripts need it) loads blocking."""
    head = _built(docname).split("</head>", 1)[0]
    blocking = [
        attrs
        for attrs in _HEAD_SCRIPT.findall(head)
        if re.search(r'(?:^|\s)src="', attrs)  # not data-...-src=: an inline script
        and not re.search(r"\b(defer|async|type=)", attrs)
        and "documentation_options.js" not in attrs
    ]
    assert not blocking, f"{docname}: scripts that block the first paint: {blocking}"
    assert "fontawesome.js" not in _built(docname), "the theme's fontawesome.js is back"
    assert 'widget-state+json">{' not in head, "widget state in <head> again"


def test_search_finds_a_word(browser, site):
    """The search page still searches (its scripts were left alone), from a fresh context."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(f"{site}/search.html?q=forget+gate")
        results = page.locator("#search-results li a")
        results.first.wait_for(timeout=15_000)
        assert results.count() >= 1
        assert any(
            "04_lstm_gates" in (href or "")
            for href in results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        ), "searching 'forget gate' does not find chapter 4"
    finally:
        context.close()


def test_search_dialog_and_dark_mode_toggle(open_page):
    """The search button opens the search box; the colour-mode button switches the theme."""
    visit = open_page(PAGES[0])
    page = visit.page
    page.locator(".search-button__button:visible").first.click()
    assert page.locator("#pst-search-dialog input[name=q]").is_visible()
    page.keyboard.press("Escape")
    # the button cycles the mode (light, dark, auto: auto follows the system, light here)
    themes = []
    for _ in range(3):
        page.locator(".theme-switch-button:visible").first.click()
        themes.append(page.evaluate("() => document.documentElement.dataset.theme"))
    assert "dark" in themes and themes[-1] == "light", f"the colour-mode button gave {themes}"
    _fail_if(visit.problems(), "search and colour mode")


def test_widgets_load_only_when_a_reader_comes_near(browser, site):
    """A stepper page loads neither widget state nor widget manager until one comes near."""
    docname = next(page for page in PAGES if _play_models(page))
    context = browser.new_context(viewport=DESKTOP)
    try:
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        seen = visit(context, site, docname, settle=False)
        page = seen.page
        page.wait_for_load_state("networkidle")
        far = page.evaluate(
            """() => document.querySelector('script[type$="widget-view+json"]')
                 .parentElement.getBoundingClientRect().top > 2 * window.innerHeight"""
        )
        widget_files = ("widgets.json", "embed-amd.js", "require.js")
        if far:  # the first widget is more than a screen below: nothing of it yet
            early = [u for u in requests if u.endswith(widget_files)]
            assert not early, f"{docname} loads widget files before they are needed: {early}"
        steppers = page.locator(".book-stepper")
        page.evaluate(
            "() => document.querySelector('script[type$=\"widget-view+json\"]')"
            ".parentElement.scrollIntoView()"
        )
        steppers.first.wait_for(timeout=20_000)
        loaded = [name for name in widget_files if any(u.endswith(name) for u in requests)]
        assert loaded == list(widget_files), f"{docname} loaded only {loaded} near its widgets"
        _fail_if(seen.problems(), f"{docname} loading widgets on the way")
    finally:
        context.close()


_ICONS = """() => {
  const icons = Array.from(document.querySelectorAll('i[class*="fa-"], span[class*="fa-"], .fa'))
    .filter((el) => el.getClientRects().length);
  const undrawn = icons.filter((el) => {
    const before = getComputedStyle(el, '::before');
    const masked = (before.maskImage || before.webkitMaskImage || 'none') !== 'none';
    return !(masked && parseFloat(before.width) > 0 && parseFloat(before.height) > 0);
  }).map((el) => el.className);
  const fonts = performance.getEntriesByType('resource').map((r) => r.name)
    .filter((url) => /\\.(woff2?|ttf|eot)(\\?|$)/.test(url));
  return {count: icons.length, undrawn, fonts};
}"""


@pytest.mark.parametrize("docname", [PAGES[0], *(p for p in PAGES if _play_models(p))][:2])
def test_icons_are_drawn_without_icon_fonts(desktop, docname):
    """The theme's and the Play widget's icons come from _static/icons.css; no icon font loads."""
    icons = desktop(docname).page.evaluate(_ICONS)
    assert icons["count"] >= 5, f"{docname}: only {icons['count']} icons visible"
    assert not icons["undrawn"], f"{docname}: icons not drawn by icons.css: {icons['undrawn']}"
    assert not icons["fonts"], f"{docname}: icon fonts downloaded: {icons['fonts']}"
