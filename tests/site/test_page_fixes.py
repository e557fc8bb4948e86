"""book/_ext/page_fixes.py on pages the real theme builds: what it changes and leaves, and warns.

A small book (a page with a toctree, a chapter notebook with math, a figure, a hidden code cell
and a saved widget) is built with Sphinx, the book's theme, myst-nb and static_math (which
typesets the equations), as installed: once without page_fixes (the theme's own pages) and once
with it, warnings as errors (as `make book`). No browser here (these run with the unit tests);
the browser tests check the built site.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import page_fixes  # noqa: E402

CONF = """
project = "page_fixes test"
extensions = ["myst_nb", "sphinx_togglebutton", "sphinx_copybutton", "sphinx_design",
              "static_math", {extra}]
html_theme = "sphinx_book_theme"
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath"]
"""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Sphinx colours its warnings
WIDGET = {"version_major": 2, "version_minor": 0, "model_id": "m1"}
# a 3 x 2 PNG, as a code cell's figure
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP8zwAFTDAGAwATKQED8NgHhAAAAABJRU5ErkJggg=="
)


def _notebook() -> nbformat.NotebookNode:
    """A chapter as the book's look: math, a hidden code cell, a widget with its saved state."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    model = {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls"}
    model |= {"model_module_version": "2.0.0", "state": {"value": 1}}
    state = {"version_major": 2, "version_minor": 0, "state": {"m1": model}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
    output = {
        "text/plain": "IntSlider(value=1)",
        "application/vnd.jupyter.widget-view+json": WIDGET,
    }
    figure = {"image/png": base64.b64encode(PNG).decode(), "text/plain": "<Figure>"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A chapter\n\nInline $x^2$ and\n\n$$ y = 1 \\tag{1.1} $$"),
        nbformat.v4.new_code_cell(
            "slider",
            metadata={"tags": ["hide-input"]},
            outputs=[nbformat.v4.new_output("execute_result", output, execution_count=1)],
        ),
        nbformat.v4.new_code_cell(
            "plot()",
            metadata={"mystnb": {"image": {"alt": "A figure"}}},
            outputs=[nbformat.v4.new_output("display_data", figure)],
        ),
    ]
    return nb


def build(folder: Path, *, fixes: bool, conf: str = "") -> tuple[Path, str, int]:
    """Build the small book into folder/html: (output folder, warnings, Sphinx's status code)."""
    source = folder / "source"
    source.mkdir(parents=True)
    extra = '"page_fixes"' if fixes else ""
    if not fixes:  # the link page_fixes' setup adds, which a fix rewrites
        conf += f"html_css_files = [{page_fixes.ICONS_CSS!r}]\n"
    (source / "conf.py").write_text(CONF.format(extra=extra) + conf, encoding="utf-8")
    (source / "index.md").write_text("# Index\n\n```{toctree}\nchapter\n```\n", encoding="utf-8")
    nbformat.write(_notebook(), source / "chapter.ipynb")
    warnings = io.StringIO()
    # as sphinx-build does: docutils' registries restored afterwards, so builds can follow
    with patch_docutils(source), docutils_namespace():
        app = Sphinx(
            source,
            source,
            folder / "html",
            folder / "doctrees",
            "html",
            status=None,
            warning=warnings,
            warningiserror=True,
            keep_going=True,  # as make book: every warning is reported, then the build fails
        )
        app.build()
    return folder / "html", _ANSI.sub("", warnings.getvalue()), app.statuscode


@pytest.fixture(scope="module")
def theme_pages(tmp_path_factory) -> Path:
    """The theme's own pages, page_fixes not loaded."""
    html, warnings, status = build(tmp_path_factory.mktemp("theme"), fixes=False)
    assert status == 0, warnings
    return html


@pytest.fixture(scope="module")
def fixed(tmp_path_factory) -> tuple[Path, str, int]:
    """The same book built with page_fixes, warnings as errors."""
    return build(tmp_path_factory.mktemp("fixed"), fixes=True)


def page(html: Path, name: str = "chapter") -> str:
    return (html / f"{name}.html").read_text(encoding="utf-8")


def fix(text: str, **options) -> tuple[str, str | None, list[str]]:
    kwargs = {
        "search_page": False,
        "search_as_you_type": False,
        "icons_version": "v1",
        "image_size": lambda src: (30, 20),
    }
    return page_fixes.fix_page(text, "chapter.html", **{**kwargs, **options})


# --- the whole build ---------------------------------------------------------------------------


def test_the_book_builds_with_the_fixes_and_no_warning(fixed):
    html, warnings, status = fixed
    assert (status, warnings) == (0, "")
    text = page(html)
    assert page_fixes.MARK in text and "fontawesome.js" not in text
    assert (html / "chapter.widgets.json").read_text(encoding="utf-8").startswith('{"state"')
    css = (html / "_static" / page_fixes.ICONS_CSS).read_text(encoding="utf-8")
    for icon in ("fa-bars", "fa-magnifying-glass", "widget-play .fa.fa-play"):
        assert f".{icon}::before" in css  # a theme icon on every page, and the Play widget's
    # the figure loads lazily, with the size of its file
    figure = re.search(r'<img alt="A figure"[^>]*>', text)
    assert figure and 'loading="lazy" decoding="async" width="3" height="2"' in figure.group(0)


def test_the_theme_s_source_maps_are_gone_with_their_comments(theme_pages, fixed):
    # the theme ships them (so the test means something) and the fixed build has none left
    assert sorted(p.name for p in (theme_pages / "_static").rglob("*.map"))
    html, _, _ = fixed
    assert not list((html / "_static").rglob("*.map"))
    for path in (html / "_static").rglob("*"):
        if path.suffix in (".js", ".css"):
            assert "sourceMappingURL" not in path.read_text(encoding="utf-8"), path.name
    script = (html / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text(encoding="utf-8")
    assert len(script) > 1000  # the script itself stays


def test_a_build_whose_equations_are_left_to_mathjax_fails(tmp_path):
    """Sphinx's MathJax as the math renderer: the pages would load it, and the build says so."""
    _, warnings, status = build(tmp_path, fixes=True, conf='html_math_renderer = "mathjax"\n')
    assert status == 1
    assert (
        "page_fixes: equations typeset when the book is built (0 of 2; the page loads MathJax: "
        "is book/_ext/static_math.py among the extensions, and the math renderer?) not found "
        "in chapter.html"
    ) in " ".join(warnings.split())


def test_missing_icon_data_fails_the_build(theme_pages, tmp_path, caplog):
    """fontawesome.js whose icons cannot be read, or that lacks an icon a page uses: a warning."""
    scripts = tmp_path / "_static" / "scripts"
    shutil.copytree(theme_pages / "_static", tmp_path / "_static")
    (tmp_path / "chapter.html").write_text(page(theme_pages), encoding="utf-8")
    real = (scripts / "fontawesome.js").read_text(encoding="utf-8")

    (scripts / "fontawesome.js").write_text("/* another format */", encoding="utf-8")
    with caplog.at_level("WARNING"):
        page_fixes._write_icons(tmp_path)
    assert "no icon read from the theme's fontawesome.js" in caplog.text

    caplog.clear()
    (scripts / "fontawesome.js").write_text(real.replace("bars:[", "burger:["), encoding="utf-8")
    with caplog.at_level("WARNING"):
        page_fixes._write_icons(tmp_path)
    assert "icons the pages use but fontawesome.js lacks: fas fa-bars" in caplog.text


# --- each fix, on the theme's page ---------------------------------------------------------------


def test_fix_page_finds_everything_it_rewrites_on_the_theme_s_pages(theme_pages):
    for name in ("index", "chapter"):
        _, _, missing = fix(page(theme_pages, name))
        assert missing == [], name
    _, _, missing = fix(page(theme_pages, "search"), search_page=True)
    assert missing == []


def test_fix_page_drops_fontawesome_and_the_search_scripts(theme_pages):
    original = page(theme_pages)
    assert "fontawesome.js" in original and "searchtools.js" in original
    fixed, _, _ = fix(original)
    assert "fontawesome.js" not in fixed and "custom icons" not in fixed
    for name in ("searchtools.js", "language_data.js", "searchindex.js"):
        assert name not in fixed


def test_fix_page_defers_head_scripts_but_documentation_options(theme_pages):
    fixed, _, _ = fix(page(theme_pages))
    head = fixed.split("</head>")[0]
    blocking = [line.strip() for line in head.splitlines() if "<script src=" in line]
    assert len(blocking) == 1 and "documentation_options.js" in blocking[0]
    assert '<script defer src="_static/doctools.js' in head
    assert "<script>" in head  # inline scripts cannot be deferred, and stay


def test_fix_page_names_match_the_visible_text(theme_pages):
    original = page(theme_pages)
    assert 'aria-label="Search"' in original and "<summary" + page_fixes._TOGGLE_LABEL in original
    fixed, _, _ = fix(original)
    assert 'aria-label="Search"' not in fixed and 'title="Search"' in fixed
    assert page_fixes._TOGGLE_LABEL not in fixed and "<summary>" in fixed


def test_fix_page_moves_the_widget_state_beside_the_page(theme_pages):
    fixed, state, _ = fix(page(theme_pages))
    assert state is not None and '"m1"' in state
    assert (
        '<script type="application/vnd.jupyter.widget-state+json" '
        'data-src="chapter.widgets.json"></script>'
    ) in fixed
    assert "IntSliderModel" not in fixed


def test_fix_page_versions_icons_css_and_marks_the_page(theme_pages):
    fixed, _, _ = fix(page(theme_pages))
    assert 'href="_static/icons.css?v=v1"' in fixed
    assert fixed.count(page_fixes.MARK) == 1 and "<head>" + page_fixes.MARK in fixed


def test_fix_page_twice_changes_nothing(theme_pages):
    fixed, _, _ = fix(page(theme_pages))
    assert fix(fixed) == (fixed, None, [])


def test_fix_page_keeps_the_search_page_and_search_as_you_type(theme_pages):
    search = page(theme_pages, "search")
    fixed, _, _ = fix(search, search_page=True)
    assert "searchtools.js" in fixed and '<script src="_static/doctools.js' in fixed
    fixed, _, _ = fix(page(theme_pages), search_as_you_type=True)
    assert '<script defer src="_static/searchtools.js"></script>' in fixed


@pytest.mark.parametrize(
    "cut, reported",
    [
        ("_static/scripts/fontawesome.js", "the theme's fontawesome.js <script>"),
        ("_static/searchtools.js", "the three search <script>s (found 2)"),
        ('aria-label="Search"', "a search button with an aria-label"),
        ("_static/icons.css", "the link to icons.css"),
        (
            "<mjx-container",
            "equations typeset when the book is built (0 of 2: is book/_ext/static_math.py "
            "among the extensions, and the math renderer?)",
        ),
        ("<summary aria-label", "the hidden cells' toggle label (found 0 of 1)"),
        ("vnd.jupyter.widget-state", "the saved widget state <script> (the page has widgets)"),
    ],
)
def test_fix_page_reports_markup_the_theme_no_longer_writes(theme_pages, cut, reported):
    """Each piece of markup a fix rewrites, changed on the theme's page: the fix says so."""
    original = page(theme_pages)
    assert cut in original
    _, _, missing = fix(original.replace(cut, "changed-by-a-new-theme"))
    assert missing == [reported]


def test_fix_page_drops_the_search_buttons_label_in_any_language(theme_pages):
    """The Japanese edition's theme names the button "検索"; that label goes too."""
    japanese = page(theme_pages).replace('aria-label="Search"', 'aria-label="検索"')
    fixed, _, missing = fix(japanese)
    assert 'aria-label="検索"' not in fixed and "a search button with an aria-label" not in missing


def test_fix_page_lazy_loads_the_figures_with_their_size(theme_pages):
    original = page(theme_pages)
    figure = re.search(r'<img alt="A figure"[^>]*>', original)
    assert figure and "loading=" not in figure.group(0)
    fixed, _, missing = fix(original)
    figure = re.search(r'<img alt="A figure"[^>]*>', fixed)
    assert missing == [] and figure
    assert figure.group(0).endswith(' loading="lazy" decoding="async" width="30" height="20" />')


def test_fix_page_reports_a_figure_whose_size_it_cannot_read(theme_pages):
    _, _, missing = fix(page(theme_pages), image_size=lambda src: None)
    assert len(missing) == 1 and re.fullmatch(r"the size of the image _images/\S+\.png", missing[0])


def test_lazy_images_leave_the_logo_and_what_has_a_size():
    body = (
        '<img src="logo.svg" class="logo__image only-light" alt="Home"/>'
        '<img alt="Colab logo" src="colab.png">'
        '<article class="bd-article">'
        '<img alt="a" src="../_images/a.png">'
        '<img alt="b" src="b.png" width="10">'
        '<img alt="c" src="data:image/png;base64,AAAA">'
        '<img alt="d" src="https://example.org/d.png" loading="eager">'
        "</article>"
    )
    seen = []
    fixed, unsized = page_fixes.lazy_images(body, lambda src: seen.append(src) or (4, 3))
    tags = re.findall(r"<img[^>]*>", fixed)
    assert tags[0] == '<img src="logo.svg" class="logo__image only-light" alt="Home"/>'
    # outside the article (the launch menu): lazy, but the theme sizes it by its height
    assert tags[1] == '<img alt="Colab logo" src="colab.png" loading="lazy" decoding="async">'
    assert tags[2].endswith('loading="lazy" decoding="async" width="4" height="3">')
    assert tags[3] == '<img alt="b" src="b.png" width="10" loading="lazy" decoding="async">'
    assert "width" not in tags[4] and 'loading="lazy"' in tags[4]
    assert 'loading="eager" decoding="async">' in tags[5] and "width" not in tags[5]
    assert seen == ["../_images/a.png"] and unsized == []
    assert page_fixes.lazy_images(body, lambda src: None)[1] == ["../_images/a.png"]


def test_image_size_reads_pngs_and_svgs(tmp_path):
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "b.svg").write_text('<svg width="640" height="400" viewBox="0 0 64 40"/>')
    (tmp_path / "c.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 40">')
    (tmp_path / "d.svg").write_text('<svg width="100%">')
    (tmp_path / "e.png").write_bytes(b"not a picture")
    sizes = [page_fixes.image_size(tmp_path / n) for n in ("a.png", "b.svg", "c.svg")]
    assert sizes == [(3, 2), (640, 400), (64, 40)]
    for name in ("d.svg", "e.png", "missing.png"):
        assert page_fixes.image_size(tmp_path / name) is None, name


def test_plain_tokens_are_those_drawn_in_the_code_s_own_colour(theme_pages):
    css = (theme_pages / "_static" / "pygments.css").read_text(encoding="utf-8")
    plain = page_fixes.plain_tokens(css)
    assert {"n", "p"} <= plain and not {"k", "s2", "mi", "c1"} & plain  # keywords are coloured
    code = (
        'html[data-theme="light"] .highlight { background: #fff; color: #111 }\n'
        'html[data-theme="dark"] .highlight { background: #000; color: #eee }\n'
        'html[data-theme="light"] .highlight .a { color: #111 }\n'
        'html[data-theme="dark"] .highlight .a { color: #eee }\n'
        'html[data-theme="light"] .highlight .b { color: #111; font-weight: bold }\n'
        'html[data-theme="dark"] .highlight .b { color: #eee }\n'
        'html[data-theme="light"] .highlight .c { color: #111 }\n'
        'html[data-theme="dark"] .highlight .c { color: #f00 }\n'
        'html[data-theme="light"] .highlight .d { color: #111 }\n'
    )
    assert page_fixes.plain_tokens(code) == {"a"}  # b is bold, c red in the dark, d only light
    assert page_fixes.plain_tokens("") == frozenset()


def test_fix_page_unwraps_the_plain_tokens_of_the_code_and_keeps_its_text(theme_pages):
    original = page(theme_pages)
    code = re.findall(r'<div class="highlight"><pre>.*?</pre></div>', original, re.S)
    assert '<span class="n">slider</span>' in "".join(code)
    fixed, _, _ = fix(original, plain=frozenset({"n", "p"}))
    after = re.findall(r'<div class="highlight"><pre>.*?</pre></div>', fixed, re.S)
    assert len(after) == len(code) and '<span class="n">' not in "".join(after)
    assert '<span class="p">' not in "".join(after) and "slider" in "".join(after)

    def text(blocks):
        return re.sub(r"<[^>]+>", "", "".join(blocks))

    assert text(after) == text(code)
    assert fix(original)[0].count('<span class="n">') == original.count('<span class="n">')


def test_no_plain_token_in_pygments_css_is_a_warning(tmp_path, caplog):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "pygments.css").write_text(".highlight .n { color: red }")
    with caplog.at_level("WARNING"):
        assert page_fixes._read_plain_tokens(tmp_path) == frozenset()
    assert "no token class drawn in the code's own colour" in caplog.text


# --- icons ---------------------------------------------------------------------------------------


def test_icon_paths_reads_the_theme_s_fontawesome(theme_pages):
    js = (theme_pages / "_static" / "scripts" / "fontawesome.js").read_text(encoding="utf-8")
    paths = page_fixes.icon_paths(js)
    assert len(paths) > 1000  # Font Awesome's free set
    width, height, path = paths[("fas", "magnifying-glass")]
    assert (width, height) == (512, 512) and path.startswith("M")
    assert ("fab", "github") in paths and ("fas", "github") not in paths


def test_icons_used_by_style_and_name(theme_pages):
    found = page_fixes.icons_used([page(theme_pages)])
    assert {("fas", "magnifying-glass"), ("fas", "bars")} <= found


def test_icons_css_masks_the_wanted_icons_and_no_other():
    paths = {
        ("fab", "github"): (496, 512, "M1 1z"),
        ("fas", "magnifying-glass"): (512, 512, "M4 4z"),
        ("fas", "bars"): (448, 512, "M3 3z"),
        ("fas", "play"): (384, 512, "M5"),
    }
    wanted = {("fab", "github"), ("fas", "magnifying-glass"), ("fas", "lg"), ("fas", "play")}
    css = page_fixes.icons_css(wanted, paths)
    assert ".fa-brands.fa-github::before, .fab.fa-github::before {" in css
    assert "width: 0.9688em" in css  # 496 / 512
    assert ".widget-play .fa.fa-play::before" in css  # the Play widget's icon
    assert "fa-bars" not in css and "fa-lg" not in css
    assert "font-family: inherit" in css  # else the browser fetches the icon font anyway
    assert "M4%204z" in css  # the path, URL-encoded in the SVG data URL
