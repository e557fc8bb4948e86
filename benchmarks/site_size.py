"""Sizes of the built site: each page with its widget state and images, and the whole site.

    python benchmarks/site_size.py [SITE_HTML]    # default _build/html; exit 1 over a limit

A page's size is its HTML, its saved widget state (every stepper frame as base64, in
<page>.widgets.json beside the page since book/_ext/page_fixes.py moves it there; a reader's
browser fetches it when a widget comes near) and the images only it shows; the theme's shared
files count once, in the total.
Limits (issue 4): the heaviest page under 2 MB, the whole site under 25 MB, both editions and
their PDFs included (the Japanese pages load the theme's files from the English edition's
_static: book/_ext/share_static.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))
from site_support import toc_pages  # noqa: E402  (the pages in reading order, as the tests see them)

PAGE_LIMIT = 2_000_000
SITE_LIMIT = 25_000_000
_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S
)
_IMG = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')


def page_size(site_html: Path, docname: str) -> dict[str, int]:
    """Bytes of one page: html, widget state (in the page or beside it), its own images."""
    path = site_html / f"{docname}.html"
    state = path.with_name(f"{path.stem}.widgets.json")
    html = path.read_text(encoding="utf-8")
    images = set()
    for src in _IMG.findall(html):
        image = (path.parent / src).resolve()
        if "_images" in image.parts and image.is_file():  # the page's own figures
            images.add(image)
    return {
        "html": path.stat().st_size,
        "widgets": sum(len(found.encode()) for found in _STATE.findall(html))
        + (state.stat().st_size if state.is_file() else 0),
        "images": sum(image.stat().st_size for image in images),
    }


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(site_html: Path) -> int:
    if not (site_html / "index.html").is_file():
        print(f"{site_html} has no built site: run `make book` first.")
        return 1
    print(f"{'page':40} {'html':>9} {'widgets':>9} {'images':>9} {'total':>9}  (kB)")
    heaviest, missing = ("", 0), []
    for docname in toc_pages():
        if not (site_html / f"{docname}.html").is_file():
            missing.append(docname)
            print(f"{docname:40} not built")
            continue
        size = page_size(site_html, docname)
        inline = size["widgets"] if not (site_html / f"{docname}.widgets.json").is_file() else 0
        total = size["html"] + size["widgets"] - inline + size["images"]
        heaviest = max(heaviest, (docname, total), key=lambda item: item[1])
        print(
            f"{docname:40} {size['html'] / 1e3:9.0f} {size['widgets'] / 1e3:9.0f} "
            f"{size['images'] / 1e3:9.0f} {total / 1e3:9.0f}"
        )
    site = folder_size(site_html)
    parts = {p.name: folder_size(p) for p in sorted(site_html.iterdir()) if p.is_dir()}
    print("folders:", ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in parts.items()))
    print(
        f"heaviest page: {heaviest[0]} {heaviest[1] / 1e6:.2f} MB (limit {PAGE_LIMIT / 1e6:.0f} MB)"
    )
    print(f"whole site: {site / 1e6:.1f} MB (limit {SITE_LIMIT / 1e6:.0f} MB)")
    over = heaviest[1] >= PAGE_LIMIT or site >= SITE_LIMIT
    print("OVER THE LIMIT" if over else "within the limits")
    if missing:
        print(f"pages in _toc.yml missing from the build (run `make book`): {missing}")
    return 1 if over or missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"))
