"""book/_ext/static_math.py: the equations typeset when the book is built, on a small book.

A small book (two MyST pages with inline and display equations, a numbered one, aligned ones)
is built with Sphinx, myst-nb and static_math as installed, warnings as errors (as `make
book`), with MathJax from `_build/tex2svg` (make installs it). No browser here (these run with
the unit tests); the browser tests check the built site's equations (test_browser.py).
"""

from __future__ import annotations

import html
import io
import re
import sys
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import static_math  # noqa: E402

CONF = """
project = "static_math test"
extensions = ["myst_nb", "static_math"]
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath"]
"""
CHAPTER = r"""# A chapter

The state $h_t$ of the cell, and $h_t = \tanh(W_{xh} x_t + W_{hh} h_{t-1} + b)$ in full.

$$ f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \tag{4.1} $$

$$
a = b

c = d \\ e = f
$$
"""
EQUATIONS = [  # (TeX as MathJax gets it, display): what the chapter holds, in order
    ("h_t", False),
    (r"h_t = \tanh(W_{xh} x_t + W_{hh} h_{t-1} + b)", False),
    (r"f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \tag{4.1}", True),
    (
        " \\begin{align}\\begin{aligned}\na = b\\\\\\begin{split}c = d \\\\ e = f\n"
        r"\end{split}\end{aligned}\end{align} ",
        True,
    ),
]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build(folder: Path, chapter: str = CHAPTER, *, conf: str = "", fresh: bool = False):
    """Build the small book into folder/html: (output folder, warnings, Sphinx's status code)."""
    source = folder / "source"
    source.mkdir(parents=True, exist_ok=True)
    (source / "conf.py").write_text(CONF + conf, encoding="utf-8")
    (source / "index.md").write_text(
        "# Index\n\nOn the first page: $x^2$.\n\n```{toctree}\nchapter\n```\n", encoding="utf-8"
    )
    (source / "chapter.md").write_text(chapter, encoding="utf-8")
    warnings = io.StringIO()
    with patch_docutils(source), docutils_namespace():
        app = Sphinx(
            source,
            source,
            folder / "html",
            folder / "doctrees",
            "html",
            status=None,
            warning=warnings,
            freshenv=fresh,
            warningiserror=True,
            keep_going=True,
        )
        app.build(force_all=fresh)
    return folder / "html", _ANSI.sub("", warnings.getvalue()), app.statuscode


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str, int]:
    return build(tmp_path_factory.mktemp("book"))


def page(html_dir: Path, name: str = "chapter") -> str:
    return (html_dir / f"{name}.html").read_text(encoding="utf-8")


def labels(text: str) -> list[str]:
    """The accessible names of the page's equations (their TeX), in order."""
    svgs = re.findall(r'<svg\b[^>]*\brole="img"[^>]*>', text)
    return [html.unescape(re.search(r'aria-label="([^"]*)"', s).group(1)) for s in svgs]


# --- the built pages -----------------------------------------------------------------------------


def test_the_book_builds_without_a_warning_and_loads_no_mathjax(built):
    html_dir, warnings, status = built
    assert (status, warnings) == (0, "")
    for name in ("index", "chapter"):
        text = page(html_dir, name)
        assert not re.search(r"<script[^>]*mathjax|MathJax\s*=", text, re.I)  # script, config
        assert "\\(" not in text and "\\[" not in text  # no TeX left for a browser


def test_every_equation_is_an_svg_named_by_its_tex(built):
    text = page(built[0])
    assert len(re.findall(r'class="math notranslate nohighlight"', text)) == len(EQUATIONS)
    assert text.count("<mjx-container") == len(EQUATIONS)
    assert labels(text) == [tex.strip() for tex, _ in EQUATIONS]
    assert len(re.findall(r'<span class="math[^"]*"><mjx-container class="MathJax"', text)) == 2
    assert (
        len(re.findall(r'<div class="math[^"]*">\s*<mjx-container[^>]*display="true"', text)) == 2
    )
    assert 'stroke="currentColor" fill="currentColor"' in text  # dark mode colours it


def test_each_glyph_is_written_once_a_page_and_every_use_finds_it(built):
    for name in ("index", "chapter"):
        text = page(built[0], name)
        ids = re.findall(r'\bid="([^"]+)"', text)
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
        glyphs = re.findall(r'<path id="(mjx-[^"]+)"', text)
        used = set(re.findall(r'xlink:href="#([^"]+)"', text))
        assert glyphs and used == set(glyphs), name
    # h, t and the others repeat in the chapter's equations: each path is there once
    chapter = page(built[0])
    assert chapter.count('<path id="mjx-TEX-I-210E"') == 1  # h
    assert chapter.count('xlink:href="#mjx-TEX-I-210E"') > 3


def test_a_numbered_equation_scrolls_in_its_container_and_takes_the_focus(built):
    text = page(built[0])
    numbered = re.search(r"<mjx-container[^>]*width=\"full\"[^>]*>\s*<svg[^>]*>", text).group(0)
    assert "min-width" not in numbered.split("<svg")[0]  # the container may narrow, and scroll
    assert re.search(r'<svg style="[^"]*min-width: [\d.]+ex', numbered)  # the SVG keeps it
    assert 'tabindex="0"' in numbered  # wider than a phone: the keyboard can scroll it
    assert 'id="mjx-eqn:4.1"' in text  # its number, drawn by MathJax


def test_the_svgs_are_kept_for_the_next_build(built, tmp_path, monkeypatch):
    """A build that typesets nothing new does not run node: the SVGs come from the cache."""
    cache = built[0].parent / "doctrees" / static_math.CACHE_NAME
    assert cache.is_file()

    def no_node(equations, tools):
        raise AssertionError(f"node ran for {equations}")

    monkeypatch.setattr(static_math, "tex2svg", no_node)
    html_dir, warnings, status = build(built[0].parent, fresh=True)
    assert (status, warnings) == (0, "")
    assert labels(page(html_dir)) == [tex.strip() for tex, _ in EQUATIONS]


# --- failures stop the build, naming the equation ---------------------------------------------


@pytest.mark.parametrize(
    "tex, error",
    [(r"\frac{1}{", "Missing close brace"), (r"\notamacro x", "Undefined control sequence")],
)
def test_an_equation_mathjax_cannot_typeset_fails_the_build(tmp_path, tex, error):
    chapter = f"# A chapter\n\nGood $x$, bad ${tex}$.\n"
    with pytest.raises(static_math.TypesetError) as failed:
        build(tmp_path, chapter)
    message = str(failed.value)
    assert "chapter.md" in message and "MathJax could not typeset" in message
    assert f"{error}" in message and tex in message
    assert not (tmp_path / "html" / "chapter.html").exists()  # no page with raw TeX


def test_without_mathjax_installed_the_build_fails_and_says_how_to_install_it(tmp_path):
    conf = f"static_math_tools = {str(tmp_path / 'nowhere')!r}\n"
    with pytest.raises(static_math.TypesetError, match="MathJax is not installed in .*nowhere"):
        build(tmp_path, conf=conf)


def test_without_node_the_build_fails_and_says_so(monkeypatch):
    monkeypatch.setattr(static_math.shutil, "which", lambda name: None)
    with pytest.raises(static_math.TypesetError, match="node not found: .*Install Node.js"):
        static_math.tex2svg([("x", False)])


# --- the pieces ----------------------------------------------------------------------------------


def test_tex2svg_gives_mathjax_s_svg_in_order():
    inline, display = static_math.tex2svg([("x^2", False), (r"y \tag{2.1}", True)])
    assert inline.startswith('<mjx-container class="MathJax" jax="SVG"><svg ')
    assert 'role="img"' in inline and 'display="true"' not in inline
    assert display.startswith('<mjx-container class="MathJax" jax="SVG" display="true"')
    assert 'id="mjx-eqn:2.1"' in display


def test_page_markup_shares_glyphs_within_a_page():
    first, second = static_math.tex2svg([("x + y", False), ("x - y", False)])
    defined: set[str] = set()
    a = static_math.page_markup(first, "x + y", defined)
    b = static_math.page_markup(second, "x - y", defined)
    assert {"mjx-TEX-I-1D465", "mjx-TEX-I-1D466", "mjx-TEX-N-2B"} <= defined
    assert a.count("<path id=") == 3 and "MJX-" not in a + b
    assert b.count("<path id=") == 1 and 'id="mjx-TEX-N-2212"' in b  # only the minus is new
    assert 'xlink:href="#mjx-TEX-I-1D465"' in b
    assert 'aria-label="x - y"' in b
    # on another page (a fresh set), each equation holds its own glyphs again
    assert static_math.page_markup(second, "x - y", set()).count("<path id=") == 3


def test_page_markup_names_an_equation_by_its_tex_escaped():
    (svg,) = static_math.tex2svg([(r"a < b \text{ \& } c", False)])
    markup = static_math.page_markup(svg, r" a < b \text{ \& } c ", set())
    assert r'aria-label="a &lt; b \text{ \&amp; } c"' in markup


def test_a_wide_display_equation_takes_the_focus_and_a_narrow_one_not():
    wide = r"a_1 + a_2 + a_3 + a_4 + a_5 + a_6 + a_7 + a_8 + a_9 + a_{10} + a_{11} + a_{12}"
    equations = [("x = 1", True), (wide, True), (wide + r" \tag{1.2}", True)]
    narrow, untagged, tagged = (
        static_math.page_markup(svg, tex, set())
        for svg, (tex, _) in zip(static_math.tex2svg(equations), equations, strict=True)
    )
    assert "tabindex" not in narrow.split("<svg")[0]
    assert 'tabindex="0"' in untagged.split("<svg")[0]  # its width="...ex" is on the SVG
    assert 'tabindex="0"' in tagged.split("<svg")[0]  # its min-width moved to the SVG


def test_block_tex_as_sphinx_s_mathjax_renderer_writes_it():
    from docutils import nodes

    def block(text: str, nowrap: bool = False) -> nodes.math_block:
        return nodes.math_block(text, text, nowrap=nowrap, number=None)

    assert static_math.block_tex(block("a = b")) == "a = b"
    assert static_math.block_tex(block("a \\\\ b")) == r"\begin{split}a \\ b\end{split}"
    assert static_math.block_tex(block("a\n\nb")) == (
        r" \begin{align}\begin{aligned}a\\b\end{aligned}\end{align} "
    )
    raw = r"\begin{equation}a\end{equation}"
    assert static_math.block_tex(block(raw, nowrap=True)) == raw
