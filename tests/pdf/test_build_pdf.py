"""The PDF pipeline's parts on small inputs (book/_pdf/build_pdf.py, book/_ext/pdf_links.py).

No browser and no PDF here: these run with the unit tests (`make quick`). The PDFs themselves
are read back in test_pdf_edition.py after `make pdf`.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from types import SimpleNamespace

import ipywidgets
import pdf_links
import pytest
from bs4 import BeautifulSoup
from pdf_support import ROOT, build_pdf

from helpers import widgets


def _state_of(box) -> dict:
    """The saved widget state a built page holds for a widget (as nbconvert stores it)."""
    return ipywidgets.Widget.get_manager_state(widgets=None)["state"]


def _printed(box, lang: str = "en") -> BeautifulSoup:
    """How the PDF prints a widget, parsed."""
    return BeautifulSoup(build_pdf.widget_html(_state_of(box), box.model_id, lang), "html.parser")


# --- the book's order ----------------------------------------------------------------------------


def test_the_pages_come_in_the_order_of_the_toc_with_their_parts():
    pages = build_pdf.toc_pages(ROOT / "_toc.yml")
    assert pages[0].part == "" and not pages[0].numbered, "the root page opens the book"
    docnames = [p.docname for p in pages]
    assert len(set(docnames)) == len(docnames)
    for page in pages:
        sources = [ROOT / f"{page.docname}{ext}" for ext in (".md", ".ipynb")]
        assert any(s.is_file() for s in sources), f"{page.docname} has no source file"
    numbered = [p.docname for p in pages if p.numbered]
    assert numbered and all(d.startswith("notebooks/") for d in numbered)
    assert numbered == sorted(numbered), "the chapters are numbered in reading order"


def test_a_file_that_is_not_a_toc_is_refused(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="root"):
        build_pdf.toc_pages(toc)


def test_anchors_are_short_distinct_and_stable():
    names = {
        build_pdf.anchor(doc, frag)
        for doc in ("notebooks/03_rnn_training", "book/glossary")
        for frag in ("", "noise-floor", "noise-floor-1")
    }
    assert len(names) == 6
    assert all(len(n) <= 13 and n[0].isalpha() for n in names)
    assert build_pdf.anchor("book/glossary", "x") == build_pdf.anchor("book/glossary", "x")


# --- widgets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "shown"), [(0, []), (1, [0]), (3, [0, 1, 2]), (5, [0, 2, 4]), (11, [0, 5, 10])]
)
def test_a_strip_shows_the_first_a_middle_and_the_last_frame(n, shown):
    assert build_pdf.pick_frames(n) == shown


def test_a_stepper_prints_as_a_strip_of_labelled_frames():
    frames = {epoch: f"text after epoch {epoch}" for epoch in (0, 25, 50, 75, 100)}
    box = widgets.epoch_stepper(frames, caption="What the model writes as it trains.")
    printed = BeautifulSoup(
        build_pdf.widget_html(_state_of(box), box.model_id, "en"), "html.parser"
    )
    labels = [c.get_text() for c in printed.select(".pdf-frame figcaption")]
    assert labels == ["epoch 0", "epoch 50", "epoch 100"]
    texts = [p.get_text() for p in printed.select(".pdf-frame pre")]
    assert texts == ["text after epoch 0", "text after epoch 50", "text after epoch 100"]
    assert "What the model writes as it trains." in printed.get_text()
    assert "frames 1, 3, 5 of 5" in printed.get_text()
    assert "Loading" not in printed.get_text() and not printed.find("script")


def test_a_stepper_of_pictures_keeps_their_alt_text_and_speaks_japanese():
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    frames = {i: widgets.PngFrame(png, f"frame {i}, a dot") for i in range(4)}
    box = widgets.image_stepper(frames, description="step")
    printed = BeautifulSoup(
        build_pdf.widget_html(_state_of(box), box.model_id, "ja"), "html.parser"
    )
    assert [img["alt"] for img in printed.select(".pdf-frame img")] == [
        "frame 0, a dot",
        "frame 1, a dot",
        "frame 3, a dot",
    ]
    assert "全 4 コマ" in printed.get_text()


def test_a_live_widget_prints_what_it_does_in_a_notebook():
    box = widgets.live_sampler(lambda prompt, temperature, length: "written text", prompt="hi ")
    printed = BeautifulSoup(
        build_pdf.widget_html(_state_of(box), box.model_id, "en"), "html.parser"
    )
    text = printed.get_text()
    for control in ("prompt", "temperature", "length"):
        assert f"“{control}”" in text
    assert "running notebook" in text and "hi written text" in text
    assert not printed.select("input, .widget-slider")


def test_a_widget_without_saved_state_is_an_error_that_says_what_to_do():
    with pytest.raises(ValueError, match="make execute"):
        build_pdf.widget_html({}, "0123abcd", "en")


def test_the_state_moved_out_of_the_page_is_found_beside_it(tmp_path):
    state = {"version_major": 2, "version_minor": 0, "state": {"m1": {"model_name": "HTMLModel"}}}
    (tmp_path / "p.widgets.json").write_text(json.dumps(state), encoding="utf-8")
    page = '<script type="application/vnd.jupyter.widget-state+json" data-src="p.widgets.json">'
    page += "</script>"
    assert build_pdf.widget_state(page, tmp_path / "p.html") == state["state"]


# --- one page ------------------------------------------------------------------------------------

PAGE = """<html><body><article class="bd-article">
<section id="intro"><h1>2. Title<a class="headerlink" href="#intro">#</a></h1>
<p>See <a href="#part">below</a>, <a href="other.html">the next page</a>,
<a href="../book/glossary.html#noise-floor">noise floor</a>, <a href="../_downloads/x.ipynb">the
notebook</a> and <a href="https://example.org/">a site</a>.</p>
<section id="part"><h2>2.1. Part</h2>
<div class="cell tag_hide-input"><details class="hide above-input"><summary>Show</summary>
<div class="cell_input"><pre>hidden_code()</pre></div></details>
<div class="cell_output"><p>Shown output</p></div></div>
<div class="cell tag_hide-output"><div class="cell_input"><pre>ex.q1.solution()</pre></div>
<details class="hide below-input"><summary>Show</summary><div class="cell_output">
<p>The solution</p></div></details></div>
<img alt="A line chart of the loss." src="../_images/plot.png" loading="lazy" decoding="async"
 width="640" height="400">
<script type="application/vnd.jupyter.widget-view+json">{"model_id": "m1"}</script>
</section></section></article></body></html>"""


@pytest.fixture
def printed_page(tmp_path):
    site = tmp_path / "site"
    (site / "_images").mkdir(parents=True)
    (site / "_images" / "plot.png").write_bytes(b"png")
    pages = [
        build_pdf.Page("notebooks/two", "Part", True),
        build_pdf.Page("notebooks/other", "Part", True),
        build_pdf.Page("book/glossary", "Reference", False),
    ]
    book = build_pdf.Book(site=site, pages=pages, lang="en", assets=tmp_path / "out" / "assets")
    state = {"m1": {"model_name": "LabelModel", "state": {"value": "a label"}}}
    return build_pdf.printable_page(PAGE, pages[0], book, state), tmp_path


def test_hidden_code_stays_hidden_and_a_folded_output_leaves_a_line(printed_page):
    section, _ = printed_page
    text = section.get_text()
    assert "hidden_code" not in text and "Shown output" in text
    assert "ex.q1.solution()" in text and "The solution" not in text
    assert "folded on the site" in text
    assert not section.find("details") and not section.find("summary")
    assert "#" not in section.h1.get_text(), "the heading's link mark is gone"


def test_links_between_pages_point_inside_the_pdf(printed_page):
    section, _ = printed_page
    hrefs = {a.get_text(" ", strip=True): a["href"] for a in section.find_all("a")}
    A = build_pdf.anchor
    assert hrefs["below"] == "#" + A("notebooks/two", "part")
    assert hrefs["the next page"] == "#" + A("notebooks/other")
    assert hrefs["noise floor"] == "#" + A("book/glossary", "noise-floor")
    assert hrefs["a site"] == "https://example.org/"
    assert "the notebook" not in hrefs and "the\nnotebook" in section.get_text()
    ids = {section["id"]} | {t["id"] for t in section.find_all(id=True)}
    assert {A("notebooks/two"), A("notebooks/two", "intro"), A("notebooks/two", "part")} <= ids


def test_a_figure_prints_its_alt_text_as_its_caption_and_its_file_is_copied(printed_page):
    section, tmp_path = printed_page
    figure = section.find("figure", class_="pdf-figure")
    assert figure.figcaption.get_text() == "A line chart of the loss."
    assert figure.img["src"] == "assets/_images_plot.png"
    assert (tmp_path / "out" / "assets" / "_images_plot.png").read_bytes() == b"png"
    # the screen's lazy loading and size (book/_ext/page_fixes.py) stay off paper
    assert set(figure.img.attrs) == {"alt", "src"}


def test_an_image_missing_from_the_site_is_an_error(tmp_path):
    page = build_pdf.Page("p", "", False)
    book = build_pdf.Book(site=tmp_path, pages=[page], lang="en", assets=tmp_path / "a")
    html = '<article class="bd-article"><img alt="x" src="_images/gone.png"></article>'
    with pytest.raises(FileNotFoundError, match="gone.png"):
        build_pdf.printable_page(html, page, book, {})


def test_a_page_the_theme_did_not_write_is_refused(tmp_path):
    page = build_pdf.Page("p", "", False)
    book = build_pdf.Book(site=tmp_path, pages=[page], lang="en", assets=tmp_path / "a")
    with pytest.raises(ValueError, match="bd-article"):
        build_pdf.printable_page("<html><body><p>x</p></body></html>", page, book, {})


# --- the document --------------------------------------------------------------------------------


def _section(docname: str, title: str, subs: list[str]) -> BeautifulSoup:
    A = build_pdf.anchor
    inner = "".join(f'<section id="{A(docname, s)}"><h2>{s}</h2></section>' for s in subs)
    html = (
        f'<section class="pdf-page" id="{A(docname)}"><section id="{A(docname, "t")}">'
        f"<h1>{title}</h1>{inner}</section></section>"
    )
    return BeautifulSoup(html, "html.parser").section


def test_the_contents_list_pages_and_numbered_sections_and_get_their_page_numbers():
    pages = [build_pdf.Page("intro", "", False), build_pdf.Page("nb/one", "Chapters", True)]
    sections = [
        (pages[0], _section("intro", "Home", ["a"])),
        (pages[1], _section("nb/one", "1. One", ["1.1. Sub"])),
    ]
    contents = build_pdf.contents_html(sections, build_pdf.strings("en"))
    targets = build_pdf.toc_targets(contents)
    A = build_pdf.anchor
    assert targets == [A("intro", "t"), A("nb/one", "t"), A("nb/one", "1.1. Sub")]
    filled = build_pdf.fill_page_numbers(contents, dict(zip(targets, [3, 5, 6], strict=True)))
    text = BeautifulSoup(filled, "html.parser").get_text(" ", strip=True)
    assert text == "Contents Home 3 Chapters 1. One 5 1.1. Sub 6"
    with pytest.raises(ValueError, match="no destination"):
        build_pdf.fill_page_numbers(contents, {})


def test_running_heads_quote_the_titles_for_css():
    css = build_pdf.running_heads_css('A "book"', [("pdf-chapter-0", "1. Back\\slash")])
    assert 'content: "A \\"book\\""' in css
    assert 'content: "1. Back\\\\slash"' in css
    assert ".pdf-chapter-0 { page: pdf-chapter-0; }" in css


SVG = (
    '<mjx-container class="MathJax" jax="SVG"><svg style="vertical-align: -0.566ex;" '
    'xmlns="http://www.w3.org/2000/svg" width="5.38ex" height="2.262ex" role="img" '
    'viewBox="0 -750 2378 1000"><g></g></svg></mjx-container>'
)


def test_an_equation_becomes_an_image_sized_like_the_text_with_its_tex_as_alt():
    img = BeautifulSoup(build_pdf.math_img(SVG, r"x^2 \tag{1.1}", False), "html.parser").img
    assert img["alt"] == r"x^2 \tag{1.1}"
    assert img["style"] == "vertical-align: -0.566ex; width: 5.38ex; height: 2.262ex"
    svg = base64.b64decode(img["src"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and 'viewBox="0 -750 2378 1000"' in svg  # case kept
    block = BeautifulSoup(build_pdf.math_img(SVG, "x", True), "html.parser").img
    assert "pdf-math-block" in block["class"]


def test_the_site_s_equations_are_typeset_again_from_their_tex_each_as_an_image():
    """The site's SVG shares glyphs within its page: the PDF typesets the same TeX again."""
    site_svg = (
        '<mjx-container class="MathJax" jax="SVG"><svg role="img" aria-label="x &lt; 1" '
        'viewBox="0 0 1 1"><use xlink:href="#mjx-TEX-I-1D465"></use></svg></mjx-container>'
    )
    soup = BeautifulSoup(
        f'<p>Here <span class="math">{site_svg}</span>.</p>'
        f'<div class="math"><span class="eqno">(1)</span>{site_svg}</div>',
        "html.parser",
    )
    imgs = build_pdf.typeset_math([soup], build_pdf.TOOLS)
    assert str(soup) == '<p>Here <span class="math">@@pdf-math-0@@</span>.</p>' + (
        '<div class="math">@@pdf-math-1@@</div>'
    )
    inline, block = (BeautifulSoup(imgs[f"@@pdf-math-{n}@@"], "html.parser").img for n in (0, 1))
    assert inline["alt"] == block["alt"] == "x < 1" and "pdf-math-block" in block["class"]
    svg = base64.b64decode(inline["src"].split(",", 1)[1]).decode()
    assert '<path id="MJX-1-TEX-I-1D465"' in svg  # standing alone, its glyphs in it


def test_an_equation_left_as_tex_is_an_error_that_says_how_to_build():
    soup = BeautifulSoup('<span class="math">\\(x\\)</span>', "html.parser")
    with pytest.raises(ValueError, match="not typeset.*make book"):
        build_pdf.typeset_math([soup], build_pdf.TOOLS)


def test_placeholders_are_replaced_by_the_equations():
    doc = "<p>@@pdf-math-0@@ and @@pdf-math-12@@</p>"
    assert (
        build_pdf.fill_math(doc, {"@@pdf-math-0@@": "A", "@@pdf-math-12@@": "B"})
        == "<p>A and B</p>"
    )


def test_a_nested_site_is_read_from_its_mirror_folder_when_there_is_one(tmp_path, monkeypatch):
    monkeypatch.setattr(build_pdf, "ROOT", tmp_path)  # a repository with a ja/ mirror
    (tmp_path / "ja").mkdir()
    (tmp_path / "ja" / "_toc.yml").write_text("root: index\n", encoding="utf-8")
    html_root = tmp_path / "_build" / "html"
    assert build_pdf.default_book(html_root, html_root) == tmp_path
    assert build_pdf.default_book(html_root / "ja", html_root) == tmp_path / "ja"
    assert build_pdf.default_book(html_root / "fr", html_root) == tmp_path  # no fr/_toc.yml


def test_the_pdf_words_exist_in_every_language_the_pipeline_speaks():
    assert set(build_pdf.STRINGS["ja"]) == set(build_pdf.STRINGS["en"])
    assert build_pdf.strings("ja-JP")["contents"] == "目次"
    assert build_pdf.strings("fr") == build_pdf.STRINGS["en"]


# --- the site's link to the PDF (book/_ext/pdf_links.py) ------------------------------------------


def test_the_pdf_is_named_after_the_repository_and_the_language():
    url = "https://github.com/rnn-lstm-book/rnn-lstm-book"
    assert pdf_links.pdf_name(url, "en") == "rnn-lstm-book-en.pdf"
    assert pdf_links.pdf_name(url + ".git/", "ja_JP") == "rnn-lstm-book-ja.pdf"


def _app(language: str, editions: dict) -> SimpleNamespace:
    config = SimpleNamespace(
        language=language,
        pdf_editions=editions,
        html_theme_options={"repository_url": "https://github.com/o/book"},
    )
    return SimpleNamespace(config=config)


def test_every_page_menu_links_to_the_pdfs_relative_to_the_page():
    context = {"header_buttons": [{"label": "download-buttons", "buttons": []}]}
    pdf_links._add_menu_entries(_app("en", {"ja": "ja/"}), "notebooks/01_x", "page", context, None)
    buttons = context["header_buttons"][0]["buttons"]
    assert [b["url"] for b in buttons] == ["../book-en.pdf", "../ja/book-ja.pdf"]
    assert [b["text"] for b in buttons] == ["Book (PDF)", "Book (PDF), 日本語"]
    context = {"header_buttons": [{"label": "download-buttons", "buttons": []}]}
    pdf_links._add_menu_entries(_app("ja", {"en": "../"}), "index", "page", context, None)
    assert [b["url"] for b in context["header_buttons"][0]["buttons"]] == [
        "book-ja.pdf",
        "../book-en.pdf",
    ]


def test_a_page_without_a_download_menu_is_left_alone():
    context = {"header_buttons": [{"label": "fullscreen-button"}]}
    pdf_links._add_menu_entries(_app("en", {}), "index", "page", context, None)
    assert context == {"header_buttons": [{"label": "fullscreen-button"}]}


def test_the_extension_is_registered_in_the_book_config():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "pdf_links: book/_ext" in config
    assert Path(pdf_links.__file__).resolve() == ROOT / "book" / "_ext" / "pdf_links.py"


def test_the_title_page_links_to_the_online_edition_and_shows_the_logo():
    words = build_pdf.strings("en")
    page = BeautifulSoup(
        build_pdf.title_page_html("Book", "Us", "https://x.org/b", "abc123", words, "a/logo.svg"),
        "html.parser",
    )
    assert page.find("a", class_="pdf-url")["href"] == "https://x.org/b"
    assert page.find("img", class_="pdf-logo")["alt"] == ""  # decoration: the title says it
    text = page.get_text(" ", strip=True)
    assert text.startswith("Book English edition Us Printed from the book's site at commit abc123")
    assert text.endswith("live notebooks: https://x.org/b")


def test_the_pdf_is_rebuilt_when_a_page_changes_not_when_the_build_rewrites_other_files(tmp_path):
    book, site = tmp_path / "book", tmp_path / "site"
    book.mkdir()
    (book / "_toc.yml").write_text("root: intro\n", encoding="utf-8")
    (book / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (site / "_static").mkdir(parents=True)
    (site / "intro.html").write_text("<p>one</p>", encoding="utf-8")
    ed = build_pdf.Edition(site, book, "en", "x-en.pdf", "x", "us", "")
    before = build_pdf.inputs_digest(ed)
    (site / "_static" / "icons.css").write_text("/* rewritten */", encoding="utf-8")
    assert build_pdf.inputs_digest(ed) == before
    (site / "intro.html").write_text("<p>two</p>", encoding="utf-8")
    assert build_pdf.inputs_digest(ed) != before


def test_an_asset_the_japanese_edition_shares_with_the_english_one_is_copied(tmp_path):
    """The Japanese pages load the logo from the English edition's _static (share_static.py),
    a folder above their own site: the PDF copies it all the same."""
    logo = tmp_path / "_static" / "logo.svg"
    logo.parent.mkdir()
    logo.write_text("<svg/>", encoding="utf-8")
    (tmp_path / "ja").mkdir()
    book = build_pdf.Book(tmp_path / "ja", [], "ja", tmp_path / "work" / "assets")
    src = book.asset(logo)
    assert (tmp_path / "work" / src).read_text(encoding="utf-8") == "<svg/>"
    assert book.asset(logo) == src  # copied once
