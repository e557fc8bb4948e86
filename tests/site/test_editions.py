"""The built site's two editions, English and 日本語, as a reader moves between them (issue 18).

`make book` builds the English site into _build/html and the Japanese one, from ja/, into
_build/html/ja. Every page links to the same page in the other edition (book/_ext/
language_switch.py); the Japanese pages say they are Japanese, use the theme's Japanese labels,
and Sphinx's Japanese search finds their words. The other browser tests (test_browser.py,
test_accessibility.py) run over the Japanese pages too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from site_support import DESKTOP, ROOT, SITE_HTML, japanese_pages, toc_pages

pytestmark = pytest.mark.site

ENGLISH = toc_pages()
JAPANESE = japanese_pages()


def _source(docname: str) -> str:
    return (SITE_HTML / f"{docname}.html").read_text(encoding="utf-8")


def test_the_site_has_both_editions():
    assert JAPANESE, "ja/_toc.yml is missing: run `make ja`"
    assert (SITE_HTML / "ja" / "index.html").is_file(), "no Japanese site: run `make book`"
    assert set(JAPANESE) >= {"ja/book/intro", "ja/book/running", "ja/notebooks/01_rnn_concepts"}


@pytest.mark.parametrize("docname", ENGLISH + JAPANESE)
def test_each_page_says_its_language(docname):
    lang = "ja" if docname.startswith("ja/") else "en"
    assert re.search(rf'<html lang="{lang}"', _source(docname)), f"{docname} is not lang={lang}"


def _expected_switch(docname: str) -> tuple[str, str]:
    """(the page the switch should open, its language)."""
    if docname.startswith("ja/"):
        return docname.removeprefix("ja/"), "en"
    if f"ja/{docname}" in JAPANESE:
        return f"ja/{docname}", "ja"
    return "ja/index", "ja"  # not translated yet: the Japanese home page


@pytest.mark.parametrize("docname", ENGLISH + JAPANESE)
def test_each_page_links_to_the_same_page_in_the_other_edition(desktop, site, docname):
    page = desktop(docname).page
    links = page.locator("p.edition-switch a")
    assert links.count() == 1, f"{docname}: {links.count()} edition links"
    target, lang = _expected_switch(docname)
    href = links.first.evaluate("(a) => a.href")
    assert urlsplit(href).path == f"/{target}.html", f"{docname} links to {href}"
    assert links.first.get_attribute("lang") == lang == links.first.get_attribute("hreflang")
    assert (SITE_HTML / f"{target}.html").is_file(), f"{docname}: {target}.html was not built"
    if target != "ja/index":  # a real counterpart: named in <head> too, for search engines
        assert f'hreflang="{lang}"' in _source(docname).split("</head>", 1)[0]
    else:
        assert "翻訳中" in links.first.inner_text()


def test_the_switch_takes_a_reader_there_and_back(browser, site):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(f"{site}/notebooks/01_rnn_concepts.html")
        page.locator("p.edition-switch a").click()
        page.wait_for_url(f"{site}/ja/notebooks/01_rnn_concepts.html")
        assert page.locator("html").get_attribute("lang") == "ja"
        assert "RNN の基本概念" in page.locator("h1").first.inner_text()
        page.locator("p.edition-switch a").click()
        page.wait_for_url(f"{site}/notebooks/01_rnn_concepts.html")
    finally:
        context.close()


def test_the_japanese_front_door_opens_the_japanese_home_page(browser, site):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        assert page.goto(f"{site}/ja/").status == 200
        page.wait_for_url(f"{site}/{JAPANESE[0]}.html", timeout=10_000)
    finally:
        context.close()


def test_the_themes_own_labels_are_japanese():
    """What Sphinx and the theme translate (their catalogs), on a Japanese chapter page."""
    html = _source("ja/notebooks/01_rnn_concepts")
    for label in ("このページをダウンロード", "サイトナビゲーション", "目次"):
        assert label in html, f"the theme's Japanese label {label!r} is missing"


def _search(browser, site: str, query: str) -> list[str]:
    """The result links of the Japanese search page for ``query`` (waits for the search)."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/ja/search.html?q={query}")
        summary = tab.locator("#search-results .search-summary")
        summary.wait_for(timeout=15_000)
        tab.wait_for_function(  # the search is done when it says so (in Japanese)
            "(el) => el.textContent.trim() !== ''", arg=summary.element_handle(), timeout=15_000
        )
        if tab.locator("#search-results li a").count():
            assert "ページが見つかった" in summary.inner_text(), summary.inner_text()
        results = tab.locator("#search-results li a")
        return results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("隠れ状態", "notebooks/01_rnn_concepts"),  # indexed as 隠れ + 状態: the query is cut so
        ("勾配消失", "notebooks/01_rnn_concepts"),
        ("時系列データ", "notebooks/01_rnn_concepts"),
        ("ノートブック 日本語版", "book/running"),
    ],
)
def test_japanese_search_finds_a_japanese_word(browser, site, query, page):
    """Sphinx's Japanese splitter indexes the words; the search page finds the page."""
    hrefs = _search(browser, site, query)
    assert any(page in (href or "") for href in hrefs), f"{query}: {hrefs}"


def test_japanese_search_finds_nothing_for_words_the_book_lacks(browser, site):
    """The query splitter (book/_ext/japanese_search.py) does not turn every query into hits."""
    assert _search(browser, site, "量子暗号") == []


def test_japanese_launch_buttons_open_the_japanese_notebook():
    """Binder and Colab open ja/notebooks/..., where the helpers speak Japanese."""
    html = _source("ja/notebooks/01_rnn_concepts")
    assert "/blob/main/ja/notebooks/01_rnn_concepts.ipynb" in html  # Colab
    assert "urlpath=lab/tree/ja/notebooks/01_rnn_concepts.ipynb" in html  # Binder
    assert (ROOT / "ja" / "notebooks" / "01_rnn_concepts.ipynb").is_file()
