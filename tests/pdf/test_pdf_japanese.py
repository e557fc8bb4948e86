"""The PDF pipeline on a Japanese site: a small Japanese book (ja_sample/) built with the book's
own Jupyter Book, theme and page fixes, then printed by book/_pdf/build_pdf.py.

This is the proof, before the Japanese edition exists, that a Japanese site prints: an embedded
Japanese font for every Japanese character, the text extractable, the strict line-breaking
rules (no 。、」） at the start of a line), a stepper's frames and an equation typeset.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pdf_support import (
    CJK,
    ROOT,
    alt_texts,
    build_pdf,
    flat,
    fonts,
    page_texts,
    text_runs,
    tool,
)

pytestmark = pytest.mark.pdf

SAMPLE = Path(__file__).resolve().parent / "ja_sample"
# characters that the strict rules keep from starting a line, and from ending one
NO_START = "、。，．・：；？！ー」』）】〕ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
NO_END = "「『（【〔"


@pytest.fixture(scope="module")
def japanese(tmp_path_factory):
    """(Edition, PDF, the sample's Japanese text): the sample built as a site, then printed."""
    book = tmp_path_factory.mktemp("ja_book")
    shutil.copytree(SAMPLE, book, dirs_exist_ok=True)
    config = {
        "title": "日本語版の見本",
        "author": "テスト",
        "repository": {"url": "https://github.com/example/sample-book"},
        "execute": {"execute_notebooks": "force", "timeout": 120},
        "sphinx": {
            "local_extensions": {
                name: str(ROOT / "book" / "_ext") for name in ("static_math", "page_fixes")
            },
            "config": {"language": "ja", "html_context": {"default_mode": "light"}},
        },
    }
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    jb = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run(
        [str(jb), "build", str(book), "--path-output", str(book)],
        capture_output=True,
        text=True,
        check=False,
    )
    site = book / "_build" / "html"
    assert done.returncode == 0 and (site / "objects.inv").is_file(), done.stdout[-3000:]
    ed = build_pdf.edition(site, book)
    out = tmp_path_factory.mktemp("ja_pdf")
    build_pdf.build(ed, out=out, force=True)
    source = "".join(p.read_text("utf-8") for p in (SAMPLE / "index.md", SAMPLE / "chapter.ipynb"))
    return ed, out / ed.name, source


def test_the_site_is_read_as_japanese(japanese):
    ed, pdf, _ = japanese
    assert ed.lang == "ja" and ed.name == "sample-book-ja.pdf" and pdf.is_file()
    assert "Title:           日本語版の見本" in tool("pdfinfo", str(pdf))


def test_japanese_text_is_extractable_and_in_order(japanese):
    _, pdf, _ = japanese
    text = flat("".join(page_texts(pdf)))
    for sentence in (
        "この小さな本は、PDF版の組版を日本語で確かめるためのものです。",
        "これを勾配消失と呼びます。",
        "隠れ状態の大きさ:64",
        "学習が進むにつれてモデルが書く文の変化。",
        "100回目:時間の旅人は未来へ向かった。",
    ):
        assert sentence in text, f"{sentence!r} not found in the PDF's text"
    assert (
        text.index("日本語版の見本") < text.index("勾配消失と忘却ゲート") < text.index("学習の様子")
    )
    assert "目次" in text and "日本語版" in text, "the PDF's own words are Japanese"


def test_every_japanese_character_is_set_in_an_embedded_japanese_font(japanese):
    _, pdf, _ = japanese
    runs = [(family, text) for family, text in text_runs(pdf) if CJK.search(text)]
    assert len(runs) > 20, "the sample's Japanese text was not found"
    other = {family for family, _ in runs if "IPA" not in family}
    assert not other, f"Japanese text set in fonts without Japanese glyphs: {other}"
    table = fonts(pdf)
    assert all(f["emb"] for f in table), [f["line"] for f in table if not f["emb"]]
    names = " ".join(f["name"] for f in table)
    assert "IPAPMincho" in names and "IPAPGothic" in names, "Mincho for text, Gothic for headings"


def test_lines_break_by_the_japanese_rules(japanese):
    _, pdf, _ = japanese
    lines = [line.strip() for page in page_texts(pdf) for line in page.splitlines()]
    kinsoku = [line for line in lines if "忘却ゲート" in line and "「勾配消失」" in line]
    assert len(kinsoku) >= 10, "the line-breaking paragraph did not wrap over many lines"
    starts = [line for line in lines if line and line[0] in NO_START]
    ends = [line for line in lines if line and line[-1] in NO_END]
    assert not starts, f"lines starting with a character the rules forbid there: {starts[:3]}"
    assert not ends, f"lines ending with an opening bracket: {ends[:3]}"


def test_the_stepper_prints_its_frames_and_the_equation_is_typeset(japanese):
    _, pdf, _ = japanese
    text = flat("".join(page_texts(pdf)))
    for label, frame in (("epoch0", "学習前"), ("epoch50", "50回目"), ("epoch150", "150回目")):
        assert label in text and frame in text
    assert "100回目" not in text.split("学習の様子")[0], "frames print where the widget is"
    assert "全4コマのうち1,2,4コマ目" in text
    assert "\\tag" not in text and "$$" not in text and "\\sigma" not in text
    equations = [alt for alt in alt_texts(pdf) if "\\tag{1.1}" in alt]
    assert len(equations) == 1, "equation (1.1) is drawn once, with its TeX as alt text"
