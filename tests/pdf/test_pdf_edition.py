"""Each built edition's PDF read back (after `make pdf`), checked against its site.

What the site has, the PDF must have: every page of _toc.yml in order, starting on the page the
contents give; every picture, with its caption or alt text; every stepper as a strip. What a
reader of paper cannot use must be gone: scripts, "Loading widget", raw TeX. Every font is
embedded, every internal link lands, and the file fits the budget.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pdf_support import (
    CJK,
    alt_texts,
    body_size_pt,
    build_pdf,
    destinations,
    flat,
    fonts,
    link_targets,
    margins,
    outline_titles,
    page_count,
    page_texts,
    raster_images,
    spaced,
    text_runs,
)

pytestmark = pytest.mark.pdf

MAX_BYTES = 15_000_000  # issue 19's budget for each PDF
# A page holds 1,200 to 5,000 characters of the site's text (2,400 on the English edition of
# 2026-12, code and figures included): fewer pages means content was lost, more that it
# spread out (a page per element, pictures blown up).
CHARS_PER_PAGE = (1_200, 5_000)
PRINT_CSS = Path(__file__).resolve().parents[2] / "book" / "_pdf" / "print.css"


@dataclass
class SitePage:
    """What the built site shows on one page of the book, read from its HTML."""

    docname: str
    title: str  # the h1, with its chapter number
    title_target: str  # the id its contents entry links to
    text_chars: int
    alts: list[str] = field(default_factory=list)  # of every picture
    rasters: int = 0  # pictures that are not SVG drawings
    steppers: list[tuple[int, bool]] = field(default_factory=list)  # (frames, of pictures)
    folded: list[str] = field(default_factory=list)  # hidden code and folded outputs, flat
    shown: str = ""  # everything else the page shows, flat


@functools.cache
def site_pages(site: Path, book: Path) -> list[SitePage]:
    """Every page of the edition in _toc.yml order, as the site shows it."""
    pages = []
    for page in build_pdf.toc_pages(book / "_toc.yml"):
        file = site / f"{page.docname}.html"
        text = file.read_text(encoding="utf-8")
        article = BeautifulSoup(text, "html.parser").find("article", class_="bd-article")
        for tag in article.select("a.headerlink"):
            tag.decompose()
        h1 = article.find("h1")
        imgs = [i for i in article.find_all("img") if not i.find_parent("details")]
        folded = [flat(d.get_text()) for d in article.select("details.hide")]
        for details in article.select("details.hide"):
            details.decompose()
        state = build_pdf.widget_state(text, file)
        steppers = []
        for view in article.find_all("script", type="application/vnd.jupyter.widget-view+json"):
            model = json.loads(view.string)["model_id"]
            stacks = [
                m
                for m in state.values()
                if m["model_name"] == "StackModel" and _inside(state, model, m)
            ]
            if stacks:
                kids = [k.removeprefix("IPY_MODEL_") for k in stacks[0]["state"]["children"]]
                pictures = all("<img" in state[k]["state"]["value"] for k in kids)
                steppers.append((len(kids), pictures))
        pages.append(
            SitePage(
                docname=page.docname,
                title=h1.get_text(" ", strip=True),
                title_target=build_pdf.anchor(page.docname, h1.find_parent("section")["id"]),
                text_chars=len(article.get_text()),
                alts=[" ".join(i.get("alt", "").split()) for i in imgs],
                rasters=sum(not i["src"].endswith(".svg") for i in imgs),
                steppers=steppers,
                folded=[f for f in folded if f],
                shown=flat(article.get_text()),
            )
        )
    return pages


def _inside(state: dict, root: str, model: dict) -> bool:
    todo, seen = [root], set()
    while todo:
        mid = todo.pop()
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        if state[mid] is model:
            return True
        todo += [k.removeprefix("IPY_MODEL_") for k in state[mid]["state"].get("children", [])]
    return False


@pytest.fixture(scope="session")
def read(edition):
    """(edition, pdf, site pages, page texts, destinations), read once per edition."""
    ed, pdf = edition
    return ed, pdf, site_pages(ed.site, ed.book), page_texts(pdf), destinations(pdf)


def test_the_pdf_fits_the_budget_and_the_site_serves_the_same_file(edition):
    ed, pdf = edition
    assert pdf.stat().st_size <= MAX_BYTES, f"{pdf.name}: {pdf.stat().st_size / 1e6:.1f} MB"
    served = ed.site / ed.name
    assert served.is_file(), f"the site's download menu links to {served}, which is missing"
    assert served.read_bytes() == pdf.read_bytes()


def test_the_page_count_fits_the_amount_of_text(read):
    _, pdf, pages, _, _ = read
    chars = sum(p.text_chars for p in pages)
    low, high = chars // CHARS_PER_PAGE[1], chars // CHARS_PER_PAGE[0]
    assert low <= page_count(pdf) <= high, f"{page_count(pdf)} pages for {chars} characters"


def test_the_text_prints_at_the_size_print_css_gives_it(edition):
    """Chromium shrinks every page of a print to fit the widest element: one table wider than
    the text block sets the whole book smaller, and in fewer pages (107 instead of 145 once, for
    a pandas table of chapter 6, with every other test passing)."""
    _, pdf = edition
    css = PRINT_CSS.read_text(encoding="utf-8")
    body = float(re.search(r"html \{[^}]*?font-size: ([\d.]+)pt", css, re.S)[1])
    size = body_size_pt(pdf)  # whole pixels at zoom 1.5: within 0.7 pt
    assert abs(size - body) < 0.7, f"{pdf.name}: most text is set at {size:.1f} pt, not {body} pt"


def test_every_font_is_embedded_and_none_is_a_type_3_drawing(edition):
    _, pdf = edition
    table = fonts(pdf)
    assert table, "no fonts: the PDF has no text"
    assert all(f["emb"] for f in table), [f["line"] for f in table if not f["emb"]]
    assert not [f for f in table if "Type 3" in f["line"]], "synthetic bold or italic crept in"


def test_every_page_of_the_book_starts_where_the_contents_say_in_order(read):
    _, _, pages, texts, dests = read
    starts = []
    for page in pages:
        assert page.title_target in dests, f"{page.docname}: no destination for its title"
        start = dests[page.title_target]
        assert flat(page.title) in flat(texts[start - 1]), (
            f"{page.title!r} is not on page {start}, where its contents entry points"
        )
        starts.append(start)
    assert starts == sorted(starts) and len(set(starts)) == len(starts), starts
    contents = spaced("".join(texts[: starts[0] - 1]))
    for page, start in zip(pages, starts, strict=True):
        entry = re.escape(spaced(page.title)) + f" {start}\\b"
        assert re.search(entry, contents), f"contents entry '{page.title} ... {start}' missing"


def test_pages_carry_their_number_and_running_head(read):
    ed, pdf, pages, texts, dests = read
    heads_feet = margins(pdf)
    assert heads_feet[0] == ("", ""), "the title page has neither head nor number"
    feet = [foot for _, foot in heads_feet[1:]]
    assert feet == [str(n) for n in range(2, len(texts) + 1)], "page numbers, from 2 on"
    starts = [dests[p.title_target] for p in pages] + [len(texts) + 1]
    for page, start, end in zip(pages, starts, starts[1:], strict=False):
        for number in range(start, end):
            head = heads_feet[number - 1][0]
            expected = page.title if number % 2 else ed.title  # right-hand pages are odd
            assert flat(head) == flat(expected), f"page {number}: head {head!r}, not {expected!r}"


def test_what_the_site_folds_away_stays_off_paper(read):
    _, _, pages, texts, _ = read
    text = flat("".join(texts))
    shown = "".join(p.shown for p in pages)
    # the start of each folded block (hidden code, a solution), where no visible text has it
    starts = [f[:40] for p in pages for f in p.folded if len(f) >= 40 and f[:40] not in shown]
    assert len(starts) >= 10, "the book folds code and solutions away: too few found"
    printed = [s for s in starts if s in text]
    assert not printed, f"folded on the site but printed: {printed[:3]}"


def test_nothing_is_left_for_a_browser_or_a_tex_engine(read):
    _, _, _, texts, _ = read
    text = "".join(texts)
    for leftover in ("Loading widget", "$$", "\\tag", "\\begin{", "IPY_MODEL_", "widget-view"):
        assert leftover not in text, f"{leftover!r} printed in the PDF"
    assert not re.search(r"click here", text, re.I), "link text must say where it goes"


def test_every_picture_is_printed_with_its_caption(read):
    ed, pdf, pages, texts, _ = read
    expected = sum(p.rasters for p in pages) + sum(
        len(build_pdf.pick_frames(n)) for p in pages for n, pictures in p.steppers if pictures
    )
    assert len(raster_images(pdf)) == expected, "pictures on the site vs in the PDF"
    text = flat("".join(texts))
    missing = [alt[:60] for p in pages for alt in p.alts if alt and flat(alt) not in text]
    assert not missing, f"figures printed without their caption: {missing}"
    alts = set(alt_texts(pdf))
    unnamed = [alt[:60] for p in pages for alt in p.alts if alt and alt not in alts]
    assert not unnamed, f"figures without alt text in the tagged PDF: {unnamed}"


def test_every_stepper_prints_as_a_strip_of_chosen_frames(read):
    ed, _, pages, texts, _ = read
    text = flat("".join(texts))
    words = build_pdf.strings(ed.lang)["strip"]
    steppers = [n for p in pages for n, _ in p.steppers]
    assert steppers, "the book has steppers (chapters 3, 4, 5, 7): none found on the site"
    for n in steppers:
        shown = ", ".join(str(i + 1) for i in build_pdf.pick_frames(n))
        assert flat(words.format(shown=shown, total=n)) in text, f"no strip of {n} frames"


def test_internal_links_land_on_named_destinations(read):
    _, pdf, pages, _, dests = read
    targets = link_targets(pdf)
    assert len(targets) >= len(pages), "at least the contents link to every page"
    lost = sorted({t for t in targets if t not in dests})
    assert not lost, f"links to destinations the PDF does not have: {lost[:5]}"


def test_the_bookmarks_list_every_page_of_the_book(read):
    _, pdf, pages, _, _ = read
    bookmarks = {flat(t) for t in outline_titles(pdf)}
    missing = [p.title for p in pages if flat(p.title) not in bookmarks]
    assert not missing, f"no bookmark for {missing}"


def test_japanese_text_is_extractable_and_set_in_a_japanese_font(read):
    ed, pdf, _, texts, _ = read
    runs = [(family, text) for family, text in text_runs(pdf) if CJK.search(text)]
    wrong = {family for family, _ in runs if "IPA" not in family}
    assert not wrong, f"Japanese characters set in fonts without Japanese glyphs: {wrong}"
    japanese = len(CJK.findall("".join(texts)))
    if build_pdf.primary(ed.lang) == "ja":  # the home page alone has more than this
        assert japanese > 1_000, f"only {japanese} Japanese characters extracted"
    else:  # the glossary gives each term's Japanese
        assert japanese > 50, "the glossary's Japanese terms are missing"
