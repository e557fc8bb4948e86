"""Equations typeset when the book is built: inline SVG on the site, no MathJax in the browser.

A Sphinx extension (registered in _config.yml) and the one place that runs MathJax (issue 18
§2). Sphinx's default writes each equation as TeX, ``\\(...\\)`` or ``\\[...\\]``, for MathJax to
typeset in the reader's browser: 266 kB of compressed script and up to 100 kB of fonts, and
on Lighthouse's phone (a 4x slower CPU) 1.6 s (chapter 7) to 4.8 s (chapter 6) of
main-thread work, measured on a busy machine: most of the pages' total blocking time. Here the build
does it: this extension is an HTML math renderer (Sphinx's ``html_math_renderer``, chosen by
loading it), so Sphinx writes MathJax's SVG for each equation and adds no MathJax script.

* MathJax 3 (``mathjax-full``, from the npm registry into ``_build/tex2svg`` by make, as
  book/_ext/tex2svg/package-lock.json pins it) runs in node, in tex2svg/tex2svg.mjs: before a
  page is written, every equation of the page in one call (``doctree-resolved``). Its SVGs are
  kept in ``<doctrees>/static_math.json``, so a build typesets only equations it has not
  typeset before (with the same MathJax and script).
* A TeX mistake, an unknown macro, node or MathJax missing: the build stops with a message
  naming the equation and the page (a ``SphinxError``, whatever ``-W`` says); no raw TeX is
  ever left on a page.
* Each equation is MathJax's own markup, ``<mjx-container><svg role="img">``, whose accessible
  name is its TeX (``aria-label``): a screen reader reads it out, and the PDF reads it back
  (book/_pdf/build_pdf.py). The glyphs are drawn in ``currentColor``, so dark mode colours
  them. book/_static/book.css has MathJax's few style rules for its SVG output, and lets a
  display equation wider than a phone scroll sideways in its container, which then takes
  the keyboard's focus (``SCROLL_EX``).
* A glyph's path is written once per page, in the first equation that uses it; the others
  refer to it (``<use href="#mjx-TEX-I-1D465">``), as MathJax's own global font cache does:
  chapter 6's 109 equations take 144 kB of HTML so (20 kB compressed), 308 kB with every
  SVG standing alone.

The PDF typesets the same TeX with the same function (``tex2svg``), one image per equation.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.errors import SphinxError
from sphinx.locale import _
from sphinx.util.math import get_node_equation_number

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TEX2SVG = HERE / "tex2svg" / "tex2svg.mjs"
LOCK = HERE / "tex2svg" / "package-lock.json"
TOOLS = ROOT / "_build" / "tex2svg"  # make: npm ci of tex2svg/package-lock.json
RENDERER = "static_math"
CACHE_NAME = "static_math.json"
CLASSES = "math notranslate nohighlight"  # what Sphinx's MathJax renderer writes


class TypesetError(SphinxError):
    """MathJax could not typeset an equation, or could not run: the build stops."""

    category = "Equations not typeset (book/_ext/static_math.py)"


# --- MathJax, in node ---------------------------------------------------------------------------


def tex2svg(equations: list[tuple[str, bool]], tools: Path = TOOLS) -> list[str]:
    """MathJax's markup (``<mjx-container>`` around an ``<svg>``) of each (TeX, display).

    One node process for the whole list. Raises TypesetError naming every equation MathJax
    could not typeset, or saying what is missing to run it.
    """
    if not equations:
        return []
    node = shutil.which("node")
    if node is None:
        raise TypesetError(
            "node not found: the book's equations are typeset with MathJax in Node.js when the "
            "site is built. Install Node.js and npm (Debian: apt-get install nodejs npm)."
        )
    if not (tools / "node_modules" / "mathjax-full" / "package.json").is_file():
        raise TypesetError(
            f"MathJax is not installed in {tools}: `make book` installs it from the npm "
            f"registry (npm ci, as {LOCK.relative_to(ROOT)} pins it)."
        )
    request = json.dumps([{"tex": tex, "display": display} for tex, display in equations])
    done = subprocess.run(
        [node, str(TEX2SVG), str(tools)],
        input=request,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise TypesetError(f"MathJax ({TEX2SVG.name}) failed:\n{done.stderr[-2000:]}")
    found = json.loads(done.stdout)
    errors = [
        f"{svg.get('error')}: {tex.strip()[:200]}"
        for (tex, _), svg in zip(equations, found, strict=True)
        if isinstance(svg, dict)
    ]
    if errors:
        raise TypesetError("MathJax could not typeset:\n  " + "\n  ".join(errors))
    return found


def version(tools: Path = TOOLS) -> str:
    """What the SVGs depend on besides the TeX: the script and the MathJax it runs."""
    digest = hashlib.sha256()
    for file in (TEX2SVG, LOCK, tools / "node_modules" / "mathjax-full" / "package.json"):
        digest.update(file.read_bytes() if file.is_file() else b"-")
    return digest.hexdigest()[:16]


# --- one equation as the page shows it ----------------------------------------------------------

_LOCAL_ID = re.compile(r"\bMJX-\d+-")  # fontCache "local" numbers each equation's glyph ids
_GLYPH = re.compile(r'<path id="(mjx-[^"]+)" d="[^"]*"></path>')
_SVG_ROLE = re.compile(r'(<svg\b[^>]*?) role="img"')
_CONTAINER = re.compile(r"<mjx-container\b[^>]*>")
_WIDTH_EX = re.compile(r'(?:min-width: |width=")([\d.]+)ex')
# A display equation wider than this scrolls sideways on a 320-px phone (about 10 px to the
# ex in the theme's fonts): its scroller (the container, book.css) takes the keyboard focus,
# so that a keyboard can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
SCROLL_EX = 28


def page_markup(mathjax: str, tex: str, defined: set[str]) -> str:
    """One equation's markup for a page: named by its TeX, glyphs shared with the page.

    mathjax is tex2svg's markup. Its glyph ids become the glyph's own (``mjx-TEX-I-1D465``,
    the same path on any page), and a glyph already in ``defined`` (the ids an earlier
    equation of the page holds) is not written again: the ``<use>`` finds it there. The ids
    this equation adds go into ``defined``.

    A display equation's container scrolls it when it is wider than the page (the theme's
    ``div.math mjx-container {overflow: auto}``): the minimum width MathJax gives a numbered
    equation stays on the SVG, not on the container, which would otherwise be pushed out of
    its block; and one wider than ``SCROLL_EX`` can take the focus.
    """
    markup = _LOCAL_ID.sub("mjx-", mathjax)
    container = _CONTAINER.match(markup)
    if container and 'display="true"' in container.group(0):
        tag = re.sub(r' style="min-width: [\d.]+ex;"', "", container.group(0))
        svg_tag = markup[container.end() : markup.find(">", container.end()) + 1]
        widths = [float(w) for w in _WIDTH_EX.findall(svg_tag)]  # width, or min-width if tagged
        if widths and max(widths) > SCROLL_EX:
            tag = tag[:-1] + ' tabindex="0">'
        markup = tag + markup[container.end() :]

    def once(match: re.Match) -> str:
        if match.group(1) in defined:
            return ""
        defined.add(match.group(1))
        return match.group(0)

    markup = _GLYPH.sub(once, markup).replace("<defs></defs>", "")
    label = html.escape(tex.strip(), quote=True)
    markup, n = _SVG_ROLE.subn(lambda m: f'{m.group(1)} role="img" aria-label="{label}"', markup, 1)
    if n != 1:
        raise TypesetError(f'MathJax\'s SVG has no role="img" to name it by: {tex.strip()[:80]}')
    return markup


def block_tex(node: nodes.math_block) -> str:
    """The TeX of a display equation as Sphinx's MathJax renderer hands it over.

    Paragraphs (blank-line separated) are aligned equations; a paragraph with ``\\\\`` is a
    split, as sphinx.ext.mathjax.html_visit_displaymath writes them.
    """
    if node.get("nowrap"):
        return node.astext()
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    body = r"\\".join(rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts)
    if len(parts) > 1:
        return rf" \begin{{align}}\begin{{aligned}}{body}\end{{aligned}}\end{{align}} "
    return body


# --- the build: typeset each page's equations before it is written ------------------------------


class Typesetter:
    """The SVGs of the build's equations, typeset a page at a time, kept between builds."""

    def __init__(self, cache: Path, tools: Path = TOOLS) -> None:
        self.cache, self.tools = cache, tools
        self.version = version(tools)
        self.svgs: dict[str, str] = {}
        self.changed = False
        self.page: str | None = None  # the page being written, and the glyphs it holds
        self.defined: set[str] = set()
        try:
            stored = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        if isinstance(stored, dict) and stored.get("version") == self.version:
            self.svgs = dict(stored.get("svgs", {}))

    @staticmethod
    def key(tex: str, display: bool) -> str:
        return hashlib.sha256(f"{int(display)}{tex}".encode()).hexdigest()[:24]

    def typeset(self, equations: Iterable[tuple[str, bool]], where: str) -> None:
        """Typeset those not yet typeset, in one node call; where names them if they fail."""
        missing = list(dict.fromkeys(e for e in equations if self.key(*e) not in self.svgs))
        if not missing:
            return
        try:
            svgs = tex2svg(missing, self.tools)
        except TypesetError as error:
            raise TypesetError(f"{where}: {error}") from None
        for equation, svg in zip(missing, svgs, strict=True):
            self.svgs[self.key(*equation)] = svg
            self.changed = True

    def markup(self, tex: str, display: bool, page: str) -> str:
        """The equation's markup on page (its glyphs written once on the page)."""
        if page != self.page:
            self.page, self.defined = page, set()
        key = self.key(tex, display)
        if key not in self.svgs:  # not in the page's doctree (a title shown elsewhere?)
            self.typeset([(tex, display)], page)
        return page_markup(self.svgs[key], tex, self.defined)

    def save(self) -> None:
        if self.changed:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            data = {"version": self.version, "svgs": self.svgs}
            self.cache.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
            self.changed = False


def _typesetter(app: Sphinx) -> Typesetter:
    found = getattr(app, "static_math", None)
    if found is None:
        found = Typesetter(Path(app.doctreedir) / CACHE_NAME, Path(app.config.static_math_tools))
        app.static_math = found  # type: ignore[attr-defined]
    return found


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    svg = _typesetter(self.builder.app).markup(node.astext(), False, self.builder.current_docname)
    self.body.append(self.starttag(node, "span", "", CLASS=CLASSES) + svg + "</span>")
    raise nodes.SkipNode


def visit_math_block(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS=CLASSES))
    if node["number"]:  # as Sphinx's MathJax renderer: the number, with a link to it
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    typesetter = _typesetter(self.builder.app)
    self.body.append(typesetter.markup(block_tex(node), True, self.builder.current_docname))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def page_equations(doctree: nodes.Node) -> list[tuple[str, bool]]:
    """(TeX, display) of every equation in a doctree, as the renderer hands them to MathJax."""
    found: list[tuple[str, bool]] = [(n.astext(), False) for n in doctree.findall(nodes.math)]
    found += [(block_tex(n), True) for n in doctree.findall(nodes.math_block)]
    return found


def _typeset_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "html" and app.builder.math_renderer_name == RENDERER:  # type: ignore[attr-defined]
        where = str(app.env.doc2path(docname))
        _typesetter(app).typeset(page_equations(doctree), where)


def _save(app: Sphinx, exception: Exception | None) -> None:
    found = getattr(app, "static_math", None)
    if found is not None:
        found.save()


def _choose_renderer(app: Sphinx, config: Config) -> None:
    if not config.html_math_renderer:  # loading the extension is enough
        config.html_math_renderer = RENDERER


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_math_block, None))
    app.add_config_value("static_math_tools", str(TOOLS), "", [str])  # where npm put MathJax
    app.connect("config-inited", _choose_renderer)
    app.connect("doctree-resolved", _typeset_page)
    app.connect("build-finished", _save)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
