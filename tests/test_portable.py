"""Every chapter reads the same outside the book's site and carries its own diagrams (issue 8).

JupyterLab, Colab, VS Code and GitHub render a notebook's Markdown with a plain Markdown
renderer, not MyST. These tests render the Markdown of each chapter (its Markdown cells, and the
Markdown that its code cells write) with nbconvert's HTML exporter, as those tools do, and fail
on anything only the site would render: roles, directives, targets, labelled equations, links
without text, images that live outside the notebook.
"""

from __future__ import annotations

import base64
import importlib.util
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
# the English chapters and the Japanese edition's (ja/notebooks, made by `make ja`)
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "ja" / "notebooks").glob("[0-9][0-9]_*.ipynb")
)
IDS = [p.relative_to(ROOT).with_suffix("").as_posix() for p in PATHS]


def book_root(path: Path) -> Path:
    """The book a notebook belongs to: the repository, or ja/ for the Japanese edition."""
    return path.parents[1]


# what a plain Markdown renderer leaves of MyST-only syntax, in its HTML
MYST_ONLY = {
    "a role such as {term}`x`": re.compile(r"\{[A-Za-z][\w:.-]*\}<code>"),
    "a directive fence such as ```{note}": re.compile(r'class="language-\{'),
    "a colon fence (:::)": re.compile(r"(^|<p>):::", re.M),
    "a target such as (label)=": re.compile(r"(^|<p>)\([\w.:-]+\)=", re.M),
    "a labelled equation $$ ... $$ (label)": re.compile(r"\$\$\s*\([\w.:-]+\)"),
    "a substitution {{ name }}": re.compile(r"\{\{[^}]*\}\}"),
    "a comment line (% ...)": re.compile(r"(^|<p>)%", re.M),
    "a link with no text": re.compile(r"<a\b[^>]*>\s*</a>"),
    "an image that is not inside the notebook": re.compile(r'<img\b[^>]*\bsrc="(?!data:)'),
}


def _portable_figures():
    spec = importlib.util.spec_from_file_location(
        "portable_figures", ROOT / "book" / "_ext" / "portable_figures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _portable_figures()


def markdown_of(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A notebook of every piece of Markdown a reader sees: the cells and the code's outputs."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata))
            if "attachments" in cell:
                cells[-1]["attachments"] = cell.attachments
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown")
            if text is not None:
                cells.append(nbformat.v4.new_markdown_cell(text))
    return nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)


def plain_render_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Render the notebook's Markdown as JupyterLab or GitHub would; list what reads wrong."""
    html, _ = HTMLExporter(template_name="basic").from_notebook_node(markdown_of(nb))
    problems = [  # nbconvert shows them, JupyterLab 4 does not: it renders raster attachments only
        f"an SVG attachment: {name}"
        for cell in nb.cells
        for name, bundle in cell.get("attachments", {}).items()
        if "image/svg+xml" in bundle
    ]
    for what, pattern in MYST_ONLY.items():
        for match in pattern.finditer(html):
            start = max(match.start() - 60, 0)
            problems.append(f"{what}: ...{html[start : match.end() + 40]!r}")
    return problems


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_reads_the_same_without_myst(path):
    problems = plain_render_problems(nbformat.read(path, as_version=4))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("markdown", "what"),
    [
        ("The {term}`noise floor` is low.", "a role"),
        ("We saw {glue:text}`rmse` before.", "a role"),
        ("```{note}\nA note.\n```", "a directive fence"),
        (":::{note}\nA note.\n:::", "a colon fence"),
        ("(my-label)=\n# Heading", "a target"),
        ("$$\nx = 1\n$$ (eq-one)", "a labelled equation"),
        ("Hello {{ name }}.", "a substitution"),
        ("% a comment\nText.", "a comment line"),
        ("See [](02_data_windowing.ipynb).", "a link with no text"),
        ("![a drawing](../book/figures/rnn_overview.svg)", "an image that is not inside"),
        ('<img alt="x" src="figures/x.svg">', "an image that is not inside"),
    ],
)
def test_the_check_finds_myst_only_syntax(markdown, what):
    """The check above can fail: each MyST-only construct is caught, in a cell or an output."""
    as_cell = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])
    code = nbformat.v4.new_code_cell("ex.q1.hint()")
    code.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": markdown})]
    as_output = nbformat.v4.new_notebook(cells=[code])
    for nb in (as_cell, as_output):
        problems = plain_render_problems(nb)
        assert any(p.startswith(what) for p in problems), (markdown, problems)


def test_the_check_finds_svg_attachments():
    cell = nbformat.v4.new_markdown_cell("![a drawing](attachment:a.svg)")
    cell["attachments"] = {"a.svg": {"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>"}}
    problems = plain_render_problems(nbformat.v4.new_notebook(cells=[cell]))
    assert problems == ["an SVG attachment: a.svg"]


def test_the_check_passes_plain_markdown():
    fine = (
        "See [the glossary](../book/glossary.md#noise-floor), equation (1.1), $x_t$, and\n\n"
        "$$\nh_t = \\tanh(x_t) \\tag{1.1}\n$$\n\n"
        + figures.figure_html(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "A drawing.")
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(fine)])
    assert plain_render_problems(nb) == []


def _chapter(path: Path) -> int:
    return int(path.name[:2])


def _markdown_text(nb) -> str:
    return "\n".join(c.source for c in markdown_of(nb).cells)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_equations_are_tagged_and_referred_to_in_words(path):
    """Equations carry \\tag{N.k}, which standard MathJax and KaTeX number, and are unique;
    every "(N.k)" in the chapter's text names one of them."""
    text = _markdown_text(nbformat.read(path, as_version=4))
    tags = re.findall(r"\\tag\{([\d.]+)\}", text)
    assert len(tags) == len(set(tags)), f"an equation number is used twice: {tags}"
    chapter = _chapter(path)
    assert all(t.startswith(f"{chapter}.") for t in tags), tags
    prose = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", "", text, flags=re.S)  # outside the maths
    refs = set(re.findall(rf"\(({chapter}\.\d+)\)", prose))
    assert refs <= set(tags), f"references to equations that do not exist: {refs - set(tags)}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_diagrams_are_embedded_copies_of_book_figures(path):
    """Each diagram cell embeds its drawing byte for byte, with alt text on one line."""
    nb = nbformat.read(path, as_version=4)
    assert figures.update(path, root=book_root(path), write=False) == [], "run `make figures`"
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        assert "book/figures/" not in cell.source, "an image linked from the repository"
        if "<img" not in cell.source:
            assert "figure" not in cell.metadata
            continue
        found = figures.embedded(cell.source)
        assert found, f"an image that is not one embedded figure: {cell.source[:120]!r}"
        alt, svg = found
        assert svg == (book_root(path) / cell.metadata["figure"]).read_bytes()
        assert alt.strip() and "\n" not in alt and len(alt) > 30, alt


def test_every_drawing_is_shown_somewhere():
    shown = {
        cell.metadata["figure"]
        for path in PATHS
        for cell in nbformat.read(path, as_version=4).cells
        if "figure" in cell.metadata
    }
    drawings = {p.relative_to(ROOT).as_posix() for p in (ROOT / "book/figures").glob("*.svg")}
    assert drawings - shown == {"book/figures/logo.svg"}


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_figures_drawn_by_code_have_alt_text(path):
    """A plotting cell says what its figure shows (myst-nb puts it in the image's alt)."""
    for cell in nbformat.read(path, as_version=4).cells:
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not images:
            continue
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        assert len(alt) > 30 and "\n" not in alt, f"no alt text for the figure of {cell.source!r}"


def markdown_written_by_code(nb) -> list[str]:
    """The sources of the code cells that display Markdown and are not an exercise's call."""
    return [
        cell.source
        for cell in nb.cells
        if cell.cell_type == "code"
        and any("text/markdown" in o.get("data", {}) for o in cell.get("outputs", []))
        and not all(line.startswith("ex.") for line in cell.source.strip().splitlines())
    ]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_sentence_is_written_by_code(path):
    """Prose lives in Markdown cells: the only Markdown a code cell displays is an exercise's
    feedback (``ex.q1.check(...)``, ``ex.q1.hint()``); a table is a DataFrame."""
    nb = nbformat.read(path, as_version=4)
    assert not markdown_written_by_code(nb)
    assert not any("prose" in c.metadata.get("tags", []) for c in nb.cells)


def test_the_check_finds_markdown_written_by_code():
    cell = nbformat.v4.new_code_cell('display(Markdown(f"The error fell to {e:.2f}."))')
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "The error fell."})]
    feedback = nbformat.v4.new_code_cell("ex.q1.check(answer)")
    feedback.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "✓ q1"})]
    nb = nbformat.v4.new_notebook(cells=[cell, feedback])
    assert markdown_written_by_code(nb) == [cell.source]


def test_site_swaps_embedded_figures_for_their_files(tmp_path, caplog):
    """On the site each embedded drawing becomes an image of its file; a stray one warns."""
    from docutils import nodes

    (tmp_path / "book" / "figures").mkdir(parents=True)
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'><title>a</title></svg>"
    (tmp_path / "book" / "figures" / "a.svg").write_bytes(svg)
    doc = nodes.section()
    doc += nodes.raw("", figures.figure_html(svg, "Drawing A, with a title"), format="html")
    doc += nodes.raw("", figures.figure_html(b"<svg/>", "Drawn nowhere"), format="html")
    doc += nodes.raw("", "<b>other HTML stays</b>", format="html")
    with caplog.at_level(logging.WARNING):
        figures._swap_for_files(SimpleNamespace(srcdir=str(tmp_path)), doc)
    images = list(doc.findall(nodes.image))
    assert [(i["uri"], i["alt"]) for i in images] == [
        ("/book/figures/a.svg", "Drawing A, with a title")
    ]
    assert len(list(doc.findall(nodes.raw))) == 2  # the stray figure and the other HTML
    assert "matches no file in book/figures" in caplog.text


def test_embedded_figure_round_trip():
    svg = "<svg xmlns='http://www.w3.org/2000/svg'>é & \"</svg>".encode()
    html = figures.figure_html(svg, 'A "quoted"  alt\n text')
    assert figures.embedded(html) == ('A "quoted" alt text', svg)
    assert base64.b64encode(svg).decode() in html
    with pytest.raises(ValueError, match="alt text"):
        figures.figure_html(svg, "  ")
