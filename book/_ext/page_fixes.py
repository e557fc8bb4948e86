"""Fixes to the pages the theme and myst-nb write: less to load before the text, right names.

A small Sphinx extension (registered in _config.yml) that rewrites each built HTML page once
the build has finished (issue 12). Every fix is a text substitution on markup the theme or
myst-nb writes the same way on every page; each says why below. When a pattern that should be
on a page is missing (a new theme version), the build warns, and with -W the build fails, so a
fix never silently stops applying. Running it twice changes nothing.

1. The theme's fontawesome.js (1.5 MB; it turns each <i class="fa-..."> into an inline <svg>)
   is dropped: the theme's CSS already draws the same Font Awesome 6 icons from its web fonts,
   and the script's swapping broke the Play widget's icons.
2. Sphinx's search scripts (searchtools.js, language_data.js, searchindex.js) load in <head>,
   blocking the first paint of every page, for the theme's search-as-you-type, which this book
   does not turn on: they stay only on the search page, where they do the searching. The other
   scripts in <head> (Sphinx's, the theme's, copy and toggle buttons) are deferred: they run
   once the page is parsed, in the same order, before DOMContentLoaded, which is when they
   start work. documentation_options.js stays: inline scripts after it assign to the object it
   defines.
3. Accessible names that differ from the visible text (WCAG 2.5.3, axe's
   label-content-name-mismatch): the search buttons read "Search Ctrl+K" but are named
   "Search", and myst-nb's show/hide toggles read "Show code cell source" but are named
   "Toggle hidden content". Without the aria-label the visible text is the name.
4. The saved widget state (every stepper frame, base64; ~0.3 MB a page) moves out of <head>
   into <page>.widgets.json beside the page; book/_static/widgets-loader.js fetches it, with
   the widget manager, when a widget comes near the screen.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

_FONTAWESOME_JS = re.compile(
    r"[ \t]*(?:<!-- So that users can add custom icons -->\s*)?"
    r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'
)
_SEARCH_JS = re.compile(
    r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|'
    r'searchindex\.js)"></script>\n?'
)
# a <script src=...> that blocks the parser: no defer, async or type (type="module" defers)
_BLOCKING_JS = re.compile(r'<script (?![^>]*\b(?:defer|async|type)\b)([^>]*\bsrc="([^"]+)"[^>]*)>')
KEEP_BLOCKING = ("documentation_options.js",)
_SEARCH_BUTTON_LABEL = re.compile(
    r'(<button class="[^"]*search-button__button[^"]*"[^>]*?) aria-label="Search"'
)
_TOGGLE_LABEL = ' aria-label="Toggle hidden content"'
_WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.+?)</script>', re.S
)
STATE_SUFFIX = ".widgets.json"


MARK = "<!-- fixed by book/_ext/page_fixes.py -->"


def fix_page(
    text: str, name: str, *, search_page: bool, search_as_you_type: bool
) -> tuple[str, str | None, list[str]]:
    """One page's fixed HTML, its widget state (None if it has none) and what was not found.

    name is the page's file name (e.g. "03_rnn_training.html"): the state file is named after
    it. A page already fixed (it carries MARK) comes back unchanged.
    """
    if MARK in text:
        return text, None, []
    missing = []
    text, n = _FONTAWESOME_JS.subn("", text)
    missing += [] if n else ["the theme's fontawesome.js <script>"]
    if not search_page and not search_as_you_type:
        text, n = _SEARCH_JS.subn("", text)
        missing += [] if n == 3 else [f"the three search <script>s (found {n})"]
    head, body = text.split("</head>", 1)
    head = _BLOCKING_JS.sub(
        lambda m: (
            m.group(0)
            if search_page or any(name in m.group(2) for name in KEEP_BLOCKING)
            else f"<script defer {m.group(1)}>"
        ),
        head,
    )
    text = head + "</head>" + body
    text, n = _SEARCH_BUTTON_LABEL.subn(r"\1", text)
    missing += [] if n else ['a search button with aria-label="Search"']
    text = text.replace(f"<summary{_TOGGLE_LABEL}>", "<summary>")
    state = None
    if found := _WIDGET_STATE.search(text):
        state = found.group(1)
        url = Path(name).stem + STATE_SUFFIX
        placeholder = (
            f'<script type="application/vnd.jupyter.widget-state+json" data-src="{url}"></script>'
        )
        text = text[: found.start()] + placeholder + text[found.end() :]
    return text.replace("<head>", f"<head>{MARK}", 1), state, missing


def _fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.builder.outdir)
    as_you_type = str(app.builder.globalcontext.get("theme_search_as_you_type")).lower() == "true"
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "<head>" not in text:  # a redirect stub (index.html) or a fragment
            continue
        fixed, state, missing = fix_page(
            text,
            path.name,
            search_page=path == outdir / "search.html",
            search_as_you_type=as_you_type,
        )
        for what in missing:
            logger.warning(f"page_fixes: {what} not found in {path.relative_to(outdir)}")
        if state is not None:
            path.with_name(path.stem + STATE_SUFFIX).write_text(state, encoding="utf-8")
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _fix_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
