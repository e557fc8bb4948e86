"""book/_ext/share_static.py: the Japanese edition loads the theme's files from the English one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import share_static  # noqa: E402

PAGE = """<html><head>
<link href="../_static/styles/theme.css?digest=abc" rel="stylesheet" />
<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=abc" />
<script src="../_static/documentation_options.js?v=1"></script>
<script defer="defer" src="../_static/widgets-loader.js?v=2"></script>
</head><body><img src="../_static/images/logo_colab.png" alt="Colab" />
<a href="../rnn-lstm-book-ja.pdf">PDF</a></body></html>"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Two editions: the theme's files the same in both, the language's own file not."""
    for root in (tmp_path, tmp_path / "ja"):
        write(root / "_static/styles/theme.css", "body { font: 1rem sans-serif }")
        write(root / "_static/scripts/bootstrap.js", "/* bootstrap */")
        write(root / "_static/widgets-loader.js", "/* ours */")
        write(root / "_static/images/logo_colab.png", "PNG")
    write(tmp_path / "_static/documentation_options.js", "LANGUAGE: 'en'")
    write(tmp_path / "ja/_static/documentation_options.js", "LANGUAGE: 'ja'")
    write(tmp_path / "ja/notebooks/01.html", PAGE)
    write(tmp_path / "ja/search.html", PAGE.replace("../_static", "_static"))
    return tmp_path


def test_identical_files_are_deleted_and_the_pages_load_the_english_copies(site: Path) -> None:
    n, saved = share_static.share(site, site / "ja")
    assert n == 4 and saved == sum(
        len(t) for t in ("body { font: 1rem sans-serif }", "/* bootstrap */", "/* ours */", "PNG")
    )
    left = sorted(p.relative_to(site / "ja").as_posix() for p in site.glob("ja/_static/**/*"))
    assert left == ["_static/documentation_options.js"]  # the language's own, and no empty folder
    page = (site / "ja/notebooks/01.html").read_text(encoding="utf-8")
    assert 'href="../../_static/styles/theme.css?digest=abc"' in page
    assert 'href="../../_static/scripts/bootstrap.js?digest=abc"' in page
    assert 'src="../../_static/widgets-loader.js?v=2"' in page
    assert 'src="../../_static/images/logo_colab.png"' in page
    assert 'src="../_static/documentation_options.js?v=1"' in page  # not shared: unchanged
    assert 'href="../rnn-lstm-book-ja.pdf"' in page  # not a static file: unchanged
    top = (site / "ja/search.html").read_text(encoding="utf-8")
    assert 'href="../_static/styles/theme.css?digest=abc"' in top
    assert share_static.broken_references(site / "ja") == []


def test_running_it_twice_changes_nothing(site: Path) -> None:
    share_static.share(site, site / "ja")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert share_static.share(site, site / "ja") == (0, 0)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_file_that_differs_stays_with_the_edition(site: Path) -> None:
    write(site / "ja/_static/styles/theme.css", "body { font: 1rem 'IPAexGothic' }")
    share_static.share(site, site / "ja")
    assert (site / "ja/_static/styles/theme.css").is_file()
    page = (site / "ja/notebooks/01.html").read_text(encoding="utf-8")
    assert 'href="../_static/styles/theme.css?digest=abc"' in page


def test_a_reference_to_a_missing_static_file_fails_loudly(site: Path) -> None:
    write(site / "ja/book/intro.html", '<script src="../_static/gone.js"></script>')
    with pytest.raises(SystemExit, match=r"book/intro\.html: \.\./_static/gone\.js"):
        share_static.share(site, site / "ja")


def test_without_two_built_editions_it_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="run it after both are built"):
        share_static.share(tmp_path, tmp_path / "ja")
