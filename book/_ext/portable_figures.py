"""Diagrams that travel with their notebook, and are served as plain files on the site.

A chapter's diagram is a Markdown cell holding one HTML image whose source is the SVG itself,
``<img alt="..." src="data:image/svg+xml;base64,...">``, with the drawing's path in the cell's
metadata (``"figure": "book/figures/x.svg"``). JupyterLab, Colab, VS Code, nbconvert's HTML
and a student's copy handed out alone show it with no file beside the notebook and no network.
Two simpler routes fail: JupyterLab 4 renders no SVG *attachment* (its attachment resolver
takes raster types only), and Markdown's ``![alt](data:image/svg+xml...)`` is refused as a
link by markdown-it (MyST, VS Code).

The drawings stay in ``book/figures/``, the one copy to edit. ``make figures`` (this file run
as a script) re-embeds them into every cell that names one, and turns a cell that is only
``![alt](../book/figures/x.svg)`` into an embedded one; ``--check`` changes nothing and fails
if a notebook is out of date, which tests/test_portable.py relies on.

On the site (this file as a Sphinx extension), each embedded image is swapped back for its
file in ``book/figures/``, so pages stay light and the SVG is cached like any other image. An
embedded image that matches no file there is a build warning, an error under ``-W``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = "book/figures"
IMG = re.compile(
    r'\s*<img alt="(?P<alt>[^"]*)" src="data:image/svg\+xml;base64,(?P<data>[A-Za-z0-9+/=]+)">\s*'
)
MARKDOWN_IMAGE = re.compile(
    r"\s*!\[(?P<alt>[^\]\n]+)\]\((?:\.\./)*(?P<path>book/figures/[\w.-]+\.svg)\)\s*"
)


def figure_html(svg: bytes, alt: str) -> str:
    """The cell source that embeds ``svg`` with its alt text (one line, as readers get it)."""
    alt = " ".join(alt.split())
    if not alt:
        raise ValueError(
            "a figure needs alt text: say what it shows, for readers who cannot see it."
        )
    data = base64.b64encode(svg).decode("ascii")
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/svg+xml;base64,{data}">'


def embedded(source: str) -> tuple[str, bytes] | None:
    """(alt, svg bytes) of a cell that is one embedded figure, else None."""
    match = IMG.fullmatch(source)
    if match is None:
        return None
    return html.unescape(match["alt"]), base64.b64decode(match["data"])


def update(path: Path, root: Path = ROOT, write: bool = True) -> list[str]:
    """Embed the current drawings into one notebook; return what changed (or would)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changes = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        plain = MARKDOWN_IMAGE.fullmatch(cell.source)
        if plain:  # an author's ![alt](../book/figures/x.svg): embed it
            cell.metadata["figure"] = plain["path"]
            alt = plain["alt"]
        elif "figure" in cell.metadata:
            found = embedded(cell.source)
            if found is None:
                changes.append(f"{path.name} cell {i}: names a figure but holds no embedded image")
                continue
            alt = found[0]
        else:
            continue
        svg = (root / cell.metadata["figure"]).read_bytes()
        source = figure_html(svg, alt)
        if source != cell.source:
            changes.append(f"{path.name} cell {i}: {cell.metadata['figure']}")
            cell.source = source
    if changes and write:
        nbformat.write(nb, path)
    return changes


# --- the Sphinx extension ---------------------------------------------------------------------


def _swap_for_files(app, doctree) -> None:
    """Replace each embedded figure with an image node for its file in book/figures."""
    from docutils import nodes
    from sphinx.util import logging

    srcdir = Path(app.srcdir)
    files = {
        hashlib.sha256(p.read_bytes()).hexdigest(): p.relative_to(srcdir).as_posix()
        for p in sorted((srcdir / FIGURES).glob("*.svg"))
    }
    for raw in list(doctree.findall(nodes.raw)):
        found = embedded(raw.astext()) if "html" in raw.get("format", "").split() else None
        if found is None:
            continue
        alt, svg = found
        name = files.get(hashlib.sha256(svg).hexdigest())
        if name is None:
            logging.getLogger(__name__).warning(
                f"an embedded figure ({alt[:60]}...) matches no file in {FIGURES}; "
                "edit the drawing there and run `make figures`",
                location=raw,
            )
            continue
        # "/..." is relative to the source directory; Sphinx then copies it to _images/
        raw.replace_self(nodes.image(uri=f"/{name}", alt=alt))


def setup(app):
    # before Sphinx's image collector (priority 500) looks for the files
    app.connect("doctree-read", _swap_for_files, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or sorted(
        (ROOT / "notebooks").glob("*.ipynb")
    )
    changes = [c for p in paths for c in update(p, write=not check)]
    for change in changes:
        print(("out of date: " if check else "embedded: ") + change)
    if check and changes:
        print("Run `make figures` to embed the current drawings.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
