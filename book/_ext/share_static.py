"""The Japanese edition loads the theme's static files from the English edition's folder.

    python book/_ext/share_static.py [SITE] [EDITION]      # defaults: _build/html ja

The two editions are two Sphinx builds, so each writes its own ``_static``: 3.4 MB, of which
all but three small files (documentation_options.js, language_data.js, translations.js, which
say the edition's language) are byte for byte the same in both. `make book-ja` runs this after
it puts the Japanese edition under ``SITE/EDITION``: every file of ``SITE/EDITION/_static`` that
is identical to the file of the same path in ``SITE/_static`` is deleted, and the edition's
pages load it from there (``../_static/x`` becomes ``../../_static/x``). The site then carries
the theme once (issue 4's 25 MB budget), and a reader who switches language finds the theme's
files already in the browser's cache.

Only ``href`` and ``src`` attributes refer to static files in the pages Sphinx writes (the
CSS and scripts moved with them keep their relative references between themselves). To fail
loudly rather than leave a page without its styles, every ``href``/``src`` into ``_static`` of
every page of the edition is resolved afterwards, and the script exits with an error naming any
that points to a missing file. (Other links are not its business: the PDFs the download menu
links to, for one, are printed after the site.) Running it twice changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# href="../_static/styles/theme.css?digest=..." and the like: (attribute, dots, path, rest)
_STATIC_REF = re.compile(r'\b(href|src)="((?:\.\./)*)_static/([^"?#]+)([^"]*)"')
_STATIC_URL = re.compile(r'\b(?:href|src)="((?:\.\./)*_static/[^"#]+)[^"]*"')


def shared_files(site: Path, edition: Path) -> list[str]:
    """Paths (relative to _static) of the edition's static files identical to the site's."""
    own, theirs = edition / "_static", site / "_static"
    same = []
    for path in sorted(own.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(own).as_posix()
        other = theirs / name
        if other.is_file() and other.read_bytes() == path.read_bytes():
            same.append(name)
    return same


def relink(html: str, shared: set[str]) -> str:
    """The page with its references to shared static files pointing one folder further up."""

    def one(match: re.Match) -> str:
        attribute, dots, name, rest = match.groups()
        if unquote(name) not in shared:
            return match.group(0)
        return f'{attribute}="../{dots}_static/{name}{rest}"'

    return _STATIC_REF.sub(one, html)


def broken_references(edition: Path) -> list[str]:
    """``page: reference`` for every href/src into _static of the edition's pages with no file."""
    broken = []
    for page in sorted(edition.rglob("*.html")):
        if page.parent.name == "_static" or "_static" in page.relative_to(edition).parts:
            continue  # the theme's own HTML fragments (webpack macros), not pages
        for match in _STATIC_URL.finditer(page.read_text(encoding="utf-8")):
            url = match.group(1)
            target = page.parent / unquote(urlsplit(url).path)
            if not target.is_file():
                broken.append(f"{page.relative_to(edition)}: {url}")
    return broken


def share(site: Path, edition: Path) -> tuple[int, int]:
    """Delete the edition's copies of the site's static files and relink its pages.

    Returns (files deleted, bytes saved).
    """
    if not (site / "_static").is_dir() or not (edition / "_static").is_dir():
        raise SystemExit(
            f"share_static: expected two built editions, {site}/_static and {edition}/_static; "
            "run it after both are built (make book)."
        )
    shared = shared_files(site, edition)
    names = set(shared)
    for page in edition.rglob("*.html"):
        if "_static" in page.relative_to(edition).parts:
            continue
        text = page.read_text(encoding="utf-8")
        new = relink(text, names)
        if new != text:
            page.write_text(new, encoding="utf-8")
    saved = 0
    for name in shared:
        path = edition / "_static" / name
        saved += path.stat().st_size
        path.unlink()
    for folder in sorted((edition / "_static").rglob("*"), reverse=True):  # deepest first
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    broken = broken_references(edition)
    if broken:
        raise SystemExit(
            "share_static: pages of the edition refer to files that are not there:\n  "
            + "\n  ".join(broken[:20])
        )
    return len(shared), saved


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else Path("_build/html")
    edition = site / (argv[1] if len(argv) > 1 else "ja")
    n, saved = share(site, edition)
    print(
        f"{PurePosixPath(edition)}: {n} static files shared with {PurePosixPath(site)} "
        f"({saved / 1e6:.1f} MB less)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
