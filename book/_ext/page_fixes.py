"""Fixes to the pages the theme and myst-nb write: less to load before the text, right names.

A small Sphinx extension (registered in _config.yml) that rewrites each built HTML page once
the build has finished (issue 12). Every fix is a text substitution on markup the theme or
myst-nb writes the same way on every page; each says why below. When a pattern that should be
on a page is missing (a new theme version), the build warns, and with -W the build fails, so a
fix never silently stops applying: each rewrite below warns when the markup it rewrites is
missing from a page that should have it, and the icon step warns when it cannot read an icon
the pages use from the theme's icon data. Running it twice changes nothing.

1. The theme's fontawesome.js (1.5 MB; it turns each <i class="fa-..."> into an inline <svg>)
   is dropped: the theme's CSS already draws the same Font Awesome 6 icons from its web fonts,
   and the script's swapping broke the Play widget's icons. Those fonts are 270 kB (solid and
   brands) for the 20 icons the pages show, so _static/icons.css draws those instead, as CSS
   masks of their SVG paths, read at build time from the theme's own fontawesome.js: the fonts
   are then never fetched. An icon not in it (one a script adds later) still gets its font.
2. Sphinx's search scripts (searchtools.js, language_data.js, searchindex.js) load in <head>,
   blocking the first paint of every page, for the theme's search-as-you-type, which this book
   does not turn on: they stay only on the search page, where they do the searching. The other
   scripts in <head> (Sphinx's, the theme's, copy and toggle buttons) are deferred: they run
   once the page is parsed, in the same order, before DOMContentLoaded, which is when they
   start work. documentation_options.js stays: inline scripts after it assign to the object it
   defines.
   No page loads MathJax: book/_ext/static_math.py typesets the equations when the book is
   built. A page whose equations are still TeX for MathJax (static_math not loaded, or not the
   math renderer) gets a warning here, so that the script never quietly comes back.
3. Accessible names that differ from the visible text (WCAG 2.5.3, axe's
   label-content-name-mismatch): the search buttons read "Search Ctrl+K" but are named
   "Search", and myst-nb's show/hide toggles read "Show code cell source" but are named
   "Toggle hidden content". Without the aria-label the visible text is the name.
4. The saved widget state (every stepper frame, base64; ~0.3 MB a page) moves out of <head>
   into <page>.widgets.json beside the page; book/_static/widgets-loader.js fetches it, with
   the widget manager, when a widget comes near the screen.
5. The theme's source maps (_static/**/*.map, 3.4 MB an edition, half of what the site's
   _static weighs) are deleted, with the comments that point to them: a browser fetches a map
   only for its developer tools, to debug the theme's minified scripts, which nobody does on
   this site, and two editions' copies pushed the site over its 25 MB budget.
6. Images load when they come near the screen (loading="lazy", decoding="async"): on a phone
   every figure of a chapter is several screens down (the first, 2,300 px or more), and
   chapter 6's six figures were 380 kB of its first load; the launch menu's logos load when
   the menu opens. Each figure gets the width and height of its file, so that its box has
   its shape before it loads and nothing below it moves (book.css gives such images height:
   auto, as max-width: 100% narrows them). Only the theme's logo, at the top, loads at once.
   A figure whose size cannot be read (a missing file, an unknown format) is a warning.
7. Code cells: Pygments wraps every token of the code in a <span> of its class, names (.n)
   and punctuation (.p) too, which the theme's colours (_static/pygments.css) draw in the
   code's own colour, in light and dark mode alike. Those spans draw nothing, and they were
   4,600 of chapter 6's 11,800 elements (its style and layout on Lighthouse's phone, 100 ms
   of blocking time): the spans of every class whose only style in both modes is the code's
   colour are unwrapped, their text kept (the classes are read from pygments.css, so a theme
   that colours them keeps them; none found is a warning).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

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
_MATHJAX = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*mathjax", re.I)
_SEARCH_BUTTON_LABEL = re.compile(  # "Search", or the theme's word for it ("検索" in Japanese)
    r'(<button class="[^"]*search-button__button[^"]*"[^>]*?) aria-label="[^"]*"'
)
_TOGGLE_LABEL = ' aria-label="Toggle hidden content"'
_HIDDEN_CELL = re.compile(r'<details class="[^"]*\bhide\b[^"]*">')  # myst-nb's hidden cell
_MATH = re.compile(r'class="math[ "]')  # what Sphinx writes for $...$ and $$...$$
_TYPESET = "<mjx-container"  # book/_ext/static_math.py's markup for an equation
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.+?)</script>', re.S
)
STATE_SUFFIX = ".widgets.json"
_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'\s([\w:-]+)="([^"]*)"')
EAGER_IMAGES = ("logo__image",)  # the theme's logo, at the top of every page
_PIXELS = re.compile(r"(\d+(?:\.\d+)?)(?:px)?")  # an SVG's width or height in CSS pixels
# a rule of the theme's pygments.css: the code's colours in a mode, or a token class's
_CODE_STYLE = re.compile(
    r'html\[data-theme="(light|dark)"\] \.highlight(?: \.([\w-]+))? \{([^}]*)\}'
)
_HIGHLIGHT = re.compile(r'<div class="highlight"><pre>.*?</pre></div>', re.S)

# --- icons: Font Awesome's SVG paths as CSS masks ----------------------------------------------

ICONS_CSS = "icons.css"
_STYLES = {
    "fa-solid": "fas",
    "fas": "fas",
    "fa-brands": "fab",
    "fab": "fab",
    "fa-regular": "far",
    "far": "far",
}
# the Play widget's Font Awesome 4 icons (drawn by the widget manager, so in no built page)
WIDGET_ICONS = {("fas", name) for name in ("play", "pause", "stop", "retweet")}
_ICON_CLASSES = re.compile(r'class="([^"]*\bfa-[^"]*)"')
# class tokens that style an icon (size, spin, ...) or name its style: not icons themselves
_NOT_AN_ICON = re.compile(
    r"^(?:\d*x[sl]|\d+x|sm|lg|fw|ul|li|border|inverse|swap-opacity|layers(?:-text|-counter)?|"
    r"pull-(?:left|right|start|end)|spin(?:-pulse|-reverse)?|pulse|beat(?:-fade)?|fade|bounce|"
    r"flip(?:-horizontal|-vertical|-both)?|shake|rotate-(?:90|180|270|by)|stack(?:-1x|-2x)?|"
    r"sr-only(?:-focusable)?|solid|regular|brands|light|thin|duotone)$"
)
# one icon in fontawesome.js: name:[width,height,[aliases],"unicode","svg path"]
_ICON_DEF = re.compile(
    r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]'
)
# where a pack of icons is handed to the library: d("fas",p)
_PACK = re.compile(r'\(\s*"(fa[srb])"\s*,\s*[\w$]+\s*\)')


def icons_used(pages: list[str]) -> set[tuple[str, str]]:
    """(style, name) of every Font Awesome icon in the pages' HTML, e.g. ("fas", "bars")."""
    found = set()
    for text in pages:
        for classes in _ICON_CLASSES.findall(text):
            tokens = classes.split()
            style = next((_STYLES[t] for t in tokens if t in _STYLES), None)
            if style:
                found.update((style, t[3:]) for t in tokens if t.startswith("fa-"))
    return found


def icon_paths(fontawesome_js: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """{(style, name): (width, height, SVG path)} of every icon fontawesome.js defines."""
    packs = [(m.start(), m.group(1)) for m in _PACK.finditer(fontawesome_js)]
    icons = {}
    for m in _ICON_DEF.finditer(fontawesome_js):
        style = next((s for at, s in packs if at > m.start()), None)  # the pack it is handed to
        if style:
            name = m.group(1) or m.group(2)
            icons.setdefault((style, name), (int(m.group(3)), int(m.group(4)), m.group(5)))
    return icons


def icons_css(wanted: set[tuple[str, str]], paths: dict) -> str:
    """CSS drawing each wanted icon (that the theme defines) as a mask in the text colour."""
    classes = {
        "fas": (".fa-solid", ".fas"),
        "fab": (".fa-brands", ".fab"),
        "far": (".fa-regular", ".far"),
    }
    rules, elements = [], []
    for style, name in sorted(wanted & paths.keys()):
        width, height, path = paths[(style, name)]
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
            f'<path d="{path}"/></svg>'
        )
        these = [f"{c}.fa-{name}" for c in classes[style]]
        if (style, name) in WIDGET_ICONS:
            these.append(f".widget-play .fa.fa-{name}")
        elements += these
        rules.append(
            f"{', '.join(f'{e}::before' for e in these)} "
            f'{{ --book-icon: url("data:image/svg+xml,{quote(svg)}"); '
            f"width: {width / height:.4g}em; }}"
        )
    if not rules:
        return ""
    return (
        "/* Generated by book/_ext/page_fixes.py from the theme's Font Awesome (fontawesome.js):\n"
        "   the icons the pages use, as masks, so that the icon fonts are not downloaded (an\n"
        "   element whose font is an icon font has the browser fetch it, even with no text). */\n"
        f"{', '.join(elements)} {{ font-family: inherit; }}\n"
        f"{', '.join(f'{e}::before' for e in elements)} {{\n"
        '  content: ""; display: inline-block; height: 1em; vertical-align: -0.125em;\n'
        "  background-color: currentColor;\n"
        "  -webkit-mask: var(--book-icon) center / contain no-repeat;\n"
        "  mask: var(--book-icon) center / contain no-repeat;\n}\n" + "\n".join(rules) + "\n"
    )


MARK = "<!-- fixed by book/_ext/page_fixes.py -->"

ImageSize = Callable[[str], "tuple[int, int] | None"]  # an image's src -> (width, height)


def lazy_images(body: str, size: ImageSize) -> tuple[str, list[str]]:
    """Every <img> but the logo loads lazily; the article's have their file's size (fix 6).

    Returns the body and the srcs whose size could not be read. An image that has a width or
    height already, or whose src is data: or another site's, keeps its size as it is; so do
    the images outside the article (the launch menu's logos, which the theme sizes by their
    height alone).
    """
    unsized: list[str] = []
    start = body.find('<article class="bd-article"')
    end = body.find("</article>", start) if start >= 0 else -1

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        attributes = dict(_ATTRIBUTE.findall(tag))
        if any(name in attributes.get("class", "") for name in EAGER_IMAGES):
            return tag
        added = []
        if "loading" not in attributes:
            added.append('loading="lazy"')
        if "decoding" not in attributes:
            added.append('decoding="async"')
        src = attributes.get("src", "")
        local = src and not src.startswith("data:") and not urlsplit(src).scheme
        in_article = start <= match.start() < end
        if in_article and local and "width" not in attributes and "height" not in attributes:
            found = size(src)
            if found is None:
                unsized.append(src)
            else:
                added.append(f'width="{found[0]}" height="{found[1]}"')
        close = re.search(r"\s*/?>$", tag)  # the tag's end as it was written: ">", " />"
        at = close.start() if close else len(tag)
        return tag[:at] + "".join(f" {a}" for a in added) + tag[at:]

    return _IMG.sub(fix, body), unsized


def image_size(file: Path) -> tuple[int, int] | None:
    """An image file's width and height in CSS pixels (PNG, JPEG, GIF, WebP; SVG's own)."""
    if not file.is_file():
        return None
    if file.suffix.lower() == ".svg":
        head = file.read_text(encoding="utf-8", errors="replace")[:4000]
        root = re.search(r"<svg\b[^>]*>", head)
        attributes = dict(_ATTRIBUTE.findall(root.group(0))) if root else {}
        given = [_PIXELS.fullmatch(attributes.get(name, "")) for name in ("width", "height")]
        if given[0] and given[1]:  # what the browser takes for its size: width and height
            return round(float(given[0].group(1))), round(float(given[1].group(1)))
        box = attributes.get("viewBox", "").replace(",", " ").split()  # else its proportions
        if len(box) == 4:
            return round(float(box[2])), round(float(box[3]))
        return None
    from PIL import Image, UnidentifiedImageError  # matplotlib's: in the book's environment

    try:
        with Image.open(file) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def plain_tokens(pygments_css: str) -> frozenset[str]:
    """Pygments' token classes drawn in the code's own colour, and nothing else, in both modes.

    From Sphinx's _static/pygments.css for the theme's light and dark styles: the classes
    whose one rule in each mode is ``color`` equal to the colour of the code (``.highlight``).
    """
    code: dict[str, dict[str, str]] = {}
    tokens: dict[str, dict[str, dict[str, str]]] = {}
    for mode, token, body in _CODE_STYLE.findall(pygments_css):
        declarations = dict(
            (key.strip(), value.strip())
            for key, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        if token:
            tokens.setdefault(token, {}).setdefault(mode, {}).update(declarations)
        else:
            code.setdefault(mode, {}).update(declarations)
    colours = {mode: code.get(mode, {}).get("color") for mode in ("light", "dark")}
    if not all(colours.values()):
        return frozenset()
    return frozenset(
        token
        for token, styles in tokens.items()
        if all(styles.get(mode) == {"color": colour} for mode, colour in colours.items())
    )


def unwrap_plain_tokens(body: str, plain: frozenset[str]) -> str:
    """The code blocks' token spans of the plain classes, unwrapped: their text stays (fix 7)."""
    if not plain:
        return body
    span = re.compile(
        rf'<span class="(?:{"|".join(map(re.escape, sorted(plain)))})">([^<]*)</span>'
    )
    return _HIGHLIGHT.sub(lambda block: span.sub(r"\1", block.group(0)), body)


def fix_page(
    text: str,
    name: str,
    *,
    search_page: bool,
    search_as_you_type: bool,
    icons_version: str = "",
    image_size: ImageSize = lambda src: None,
    plain: frozenset[str] = frozenset(),
) -> tuple[str, str | None, list[str]]:
    """One page's fixed HTML, its widget state (None if it has none) and what was not found.

    name is the page's file name (e.g. "03_rnn_training.html"): the state file is named after
    it. image_size gives the width and height of an image the page shows, by its src; plain
    names the code's token classes to unwrap (plain_tokens). A page already fixed (it carries
    MARK) comes back unchanged.
    """
    if MARK in text:
        return text, None, []
    missing = []
    text, n = _FONTAWESOME_JS.subn("", text)
    missing += [] if n else ["the theme's fontawesome.js <script>"]
    # Sphinx versions a static file by its checksum when it renders the page: icons.css is
    # written after that, so it is versioned here
    text, n = re.subn(rf'(_static/{ICONS_CSS})(\?v=[0-9a-f]+)?"', rf'\1?v={icons_version}"', text)
    missing += [] if n else [f"the link to {ICONS_CSS}"]
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
    equations, typeset = len(_MATH.findall(body)), body.count(_TYPESET)
    if _MATHJAX.search(text) or typeset < equations:
        loads = "; the page loads MathJax" if _MATHJAX.search(text) else ""
        missing.append(
            f"equations typeset when the book is built ({typeset} of {equations}{loads}: "
            "is book/_ext/static_math.py among the extensions, and the math renderer?)"
        )
    body, unsized = lazy_images(body, image_size)
    missing += [f"the size of the image {src}" for src in unsized]
    body = unwrap_plain_tokens(body, plain)
    text = head + "</head>" + body
    text, n = _SEARCH_BUTTON_LABEL.subn(r"\1", text)
    missing += [] if n else ["a search button with an aria-label"]
    hidden = len(_HIDDEN_CELL.findall(text))
    n = text.count(f"<summary{_TOGGLE_LABEL}>")
    text = text.replace(f"<summary{_TOGGLE_LABEL}>", "<summary>")
    missing += [] if n >= hidden else [f"the hidden cells' toggle label (found {n} of {hidden})"]
    state = None
    found = _WIDGET_STATE.search(text)
    if found is None and _WIDGET_VIEW in text:
        missing.append("the saved widget state <script> (the page has widgets)")
    if found:
        state = found.group(1)
        url = Path(name).stem + STATE_SUFFIX
        placeholder = (
            f'<script type="application/vnd.jupyter.widget-state+json" data-src="{url}"></script>'
        )
        text = text[: found.start()] + placeholder + text[found.end() :]
    return text.replace("<head>", f"<head>{MARK}", 1), state, missing


def _write_icons(outdir: Path) -> str:
    """Write _static/icons.css; return a version for its links (a digest of its content)."""
    fontawesome = outdir / "_static" / "scripts" / "fontawesome.js"
    if not fontawesome.is_file():
        logger.warning("page_fixes: the theme's fontawesome.js is gone: icons.css not written")
        return ""
    pages = [path.read_text(encoding="utf-8") for path in outdir.rglob("*.html")]
    wanted = icons_used(pages) | WIDGET_ICONS  # modifiers (fa-lg) too: icons_css skips them
    paths = icon_paths(fontawesome.read_text(encoding="utf-8"))
    if not paths:
        logger.warning(
            "page_fixes: no icon read from the theme's fontawesome.js (has its format changed?): "
            "the pages' icons are not drawn"
        )
    elif unknown := sorted(i for i in wanted - paths.keys() if not _NOT_AN_ICON.match(i[1])):
        names = ", ".join(f"{style} fa-{name}" for style, name in unknown)
        logger.warning(f"page_fixes: icons the pages use but fontawesome.js lacks: {names}")
    css = icons_css(wanted, paths)
    (outdir / "_static" / ICONS_CSS).write_text(css, encoding="utf-8")
    return hashlib.sha256(css.encode()).hexdigest()[:8]


_SOURCE_MAP_COMMENT = re.compile(
    r"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=[^*\s]+\s*\*/)\s*$"
)


def drop_source_maps(static: Path) -> list[Path]:
    """Delete the source maps under ``static`` and the comments naming them; return the maps."""
    maps = sorted(static.rglob("*.map"))
    for path in maps:
        path.unlink()
        mapped = path.with_suffix("")  # pydata-sphinx-theme.js.map -> pydata-sphinx-theme.js
        if mapped.is_file():
            text = mapped.read_text(encoding="utf-8")
            stripped = _SOURCE_MAP_COMMENT.sub("\n", text)
            if stripped != text:
                mapped.write_text(stripped, encoding="utf-8")
    return maps


def _read_plain_tokens(outdir: Path) -> frozenset[str]:
    """plain_tokens of the built site's pygments.css; a warning if there are none."""
    pygments = outdir / "_static" / "pygments.css"
    plain = plain_tokens(pygments.read_text(encoding="utf-8") if pygments.is_file() else "")
    if not plain:
        logger.warning(
            "page_fixes: no token class drawn in the code's own colour in _static/pygments.css "
            "(has the theme's code style changed?): the code's token spans are all kept"
        )
    return plain


def _local(src: str) -> str:
    """The file path of a page's relative src ("../_images/a%20b.png" -> "../_images/a b.png")."""
    return posixpath.normpath(unquote(urlsplit(src).path))


def _fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.builder.outdir)
    icons_version = _write_icons(outdir)
    drop_source_maps(outdir / "_static")
    # from the configuration: when no page changed, the builder has no page context at all
    theme_options = app.config.html_theme_options or {}
    as_you_type = str(theme_options.get("search_as_you_type", False)).lower() == "true"
    plain = _read_plain_tokens(outdir)
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "<head>" not in text:  # a redirect stub (index.html) or a fragment
            continue
        fixed, state, missing = fix_page(
            text,
            path.name,
            search_page=path == outdir / "search.html",
            search_as_you_type=as_you_type,
            icons_version=icons_version,
            image_size=lambda src, here=path.parent: image_size(here / _local(src)),
            plain=plain,
        )
        for what in missing:
            logger.warning(f"page_fixes: {what} not found in {path.relative_to(outdir)}")
        if state is not None:
            path.with_name(path.stem + STATE_SUFFIX).write_text(state, encoding="utf-8")
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_css_file(ICONS_CSS)  # written when the build has finished (_write_icons)
    # after the other extensions' build-finished handlers (priority 500): the theme writes its
    # pygments.css then, whose colours fix 7 reads
    app.connect("build-finished", _fix_pages, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
