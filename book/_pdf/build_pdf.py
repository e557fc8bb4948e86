"""The book on paper: one PDF per edition, printed from the built site (issue 19).

    python book/_pdf/build_pdf.py                       # every edition built under _build/html
    python book/_pdf/build_pdf.py _build/html/ja --book ja --force

A site is a directory Sphinx wrote (it holds ``objects.inv``); its language is its pages'
``<html lang>``, its page order the ``_toc.yml`` of its source (``--book``: the folder with
``_toc.yml`` and ``_config.yml``; by default the repository, or for a site built into a
subfolder such as ``_build/html/ja``, the repository's folder of that name when it holds a
``_toc.yml``). The PDF goes to ``_build/pdf/<name>-<lang>.pdf`` and, so that the link in the
site's download menu (book/_ext/pdf_links.py) finds it, to the site's root too.

Route, and why. The pages are the site's own HTML (code cells, outputs and tables exactly as
built), gathered into one document with a title page and contents, and printed by Debian's
Chromium itself (``--print-to-pdf``), which since version 131 draws CSS page-margin boxes:
page numbers, and running heads through one named page per chapter. Chromium cannot number
the contents (no ``target-counter``), so the book is printed twice: the page of every heading
is read from the first PDF's named destinations (poppler's ``pdfinfo -dests``) and written
into the contents, which keep their size, for the second. Measured on the English edition
(123 pages, busy 2-core machine): one Chromium print took 9 CPU-s; the same document laid out by
Vivliostyle (@vivliostyle/cli 10.3.1, npm, in the same Chromium), which does paged media in
JavaScript, took 82 CPU-s, and two editions would have broken the 2-minute budget. Chromium
also writes the tagged PDF (alt texts for figures), the bookmarks (from the headings) and the
internal links. pagedjs-cli was not tried further: it is a JavaScript layout engine like
Vivliostyle, last released in 2023, and pulls in puppeteer 20, which downloads a browser when
installed. Not TeX: a TeX Live that sets Japanese is several GB, and Sphinx's LaTeX writer
drops what the site shows from HTML (widget frames, HTML outputs), so the PDF would not be the
book a reader sees online. Nothing is fetched while building: MathJax comes from the npm
registry when make installs it for the site (book/_ext/tex2svg/package-lock.json), Chromium,
the fonts, poppler and qpdf from Debian. qpdf packs the PDF's objects into compressed streams:
Chromium writes each of the ~28,000 elements of the tagged structure as a plain object, which
doubled the file's size.

What changes between the site and the page (each function below says why):
  * each equation prints as an image of its SVG, typeset from the site's TeX by the same
    MathJax 3 as the site's (book/_ext/static_math.py; the site's SVGs share their glyphs
    within a page, an image must stand alone), so the PDF holds no TeX and runs no script;
  * a stepper (helpers.widgets: a slider over frames) prints as a strip of its first, a middle
    and its last frame, each with its label; any other widget, which needs a kernel, prints a
    sentence saying what it does in a running notebook;
  * what the site folds away (hidden code, folded outputs) stays out, with a line where an
    output was folded; a figure without a caption prints its alt text as its caption;
  * links between pages become links inside the PDF; links to files the PDF cannot hold
    (downloads, the index) become plain text.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = ROOT / "_build"
OUT = BUILD / "pdf"
CHROMIUM = Path(os.environ.get("PDF_CHROMIUM", "/usr/bin/chromium"))
PRINT_CSS = HERE / "print.css"
STATE_SUFFIX = ".widgets.json"  # where book/_ext/page_fixes.py moves a page's widget state

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import static_math  # noqa: E402  (one place that runs MathJax: site and PDF)
from pdf_links import pdf_name, primary  # noqa: E402  (one place for the name: site and PDF)

TOOLS = static_math.TOOLS  # the MathJax the site is typeset with, from npm (make)

# --- the few words the PDF adds, per language ---------------------------------------------------

STRINGS = {
    "en": {
        "contents": "Contents",
        "edition": "English edition",
        "built": (
            "Printed from the book's site{commit}. The online edition, with live notebooks: {url}"
        ),
        "commit": " at commit {commit}",
        "strip": (
            "Printed: frames {shown} of {total}. Online, a slider and a Play button step through "
            "all {total}."
        ),
        "live": (
            "Online, in a running notebook (JupyterLab, Colab), this is a live control: "
            "changing {controls} runs the notebook's code again and shows the result here. "
            "Paper cannot run code."
        ),
        "live_saved": "What it showed when the notebook ran:",
        "folded": (
            "(The output of this cell is folded on the site: open it there, or run the cell.)"
        ),
        "and": " and ",
    },
    "ja": {
        "contents": "目次",
        "edition": "日本語版",
        "built": "本書のサイトから印刷{commit}。ノートブックを実行できるオンライン版: {url}",
        "commit": "(コミット {commit})",
        "strip": (
            "印刷したのは全 {total} コマのうち {shown} コマ目です。オンライン版ではスライダーと"
            "再生ボタンで全 {total} コマを順に表示できます。"
        ),
        "live": (
            "オンライン(JupyterLab や Colab で実行中のノートブック)では、これは操作できる"
            "ウィジェットです。{controls}を変えるとノートブックのコードが再び実行され、結果が"
            "ここに表示されます。紙の上ではコードを実行できません。"
        ),
        "live_saved": "ノートブックを実行したときの表示:",
        "folded": (
            "(このセルの出力はサイトでは折りたたまれています。"
            "サイトで開くか、セルを実行してください。)"
        ),
        "and": "と",
    },
}


def strings(lang: str) -> dict[str, str]:
    """The PDF's own words in ``lang`` (English where the language has none yet)."""
    return STRINGS.get(primary(lang), STRINGS["en"])


# --- the book: its pages in order, from _toc.yml ----------------------------------------------


@dataclass
class Page:
    """One page of the book, as _toc.yml places it."""

    docname: str  # e.g. "notebooks/03_rnn_training"
    part: str  # the caption of its part ("" for the root page)
    numbered: bool  # in a numbered part: its sections go into the contents too


def toc_pages(toc_file: Path) -> list[Page]:
    """Every page of a Jupyter Book ``_toc.yml``, in reading order."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    if not isinstance(toc, dict) or "root" not in toc:
        raise ValueError(f"{toc_file} has no `root:`: is it a Jupyter Book table of contents?")
    pages = [Page(_docname(toc["root"]), "", False)]

    def walk(entries: list, part: str, numbered: bool) -> None:
        for entry in entries or []:
            if "file" in entry:
                pages.append(Page(_docname(entry["file"]), part, numbered))
            walk(entry.get("sections", []), part, numbered)

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part.get("chapters", []), part.get("caption", ""), bool(part.get("numbered")))
    return pages


def _docname(file: str) -> str:
    return posixpath.splitext(file)[0]


def anchor(docname: str, fragment: str = "") -> str:
    """The id a page (or an id on it) has in the one-document book: unique across pages.

    Short, because Chromium makes each link target a named destination of the PDF, and a
    PDF name longer than 127 bytes breaks the specification (readers warn about it).
    """
    digest = hashlib.sha1(f"{docname}#{fragment}".encode()).hexdigest()[:12]
    return f"p{digest}"


# --- widgets: saved state to print ------------------------------------------------------------

_VIEW = "application/vnd.jupyter.widget-view+json"
_STATE = "application/vnd.jupyter.widget-state+json"


def widget_state(page_html: str, page_file: Path) -> dict:
    """{model_id: model} of a built page: inline, or in the file page_fixes moved it to."""
    soup = BeautifulSoup(page_html, "html.parser")
    tag = soup.find("script", attrs={"type": _STATE})
    if tag is None:
        return {}
    if tag.get("data-src"):
        text = (page_file.parent / tag["data-src"]).read_text(encoding="utf-8")
    else:
        text = tag.string or "{}"
    return json.loads(text).get("state", {})


def _children(model: dict) -> list[str]:
    kids = model.get("state", {}).get("children", [])
    return [k.removeprefix("IPY_MODEL_") for k in kids if isinstance(k, str)]


def _tree(state: dict, model_id: str) -> list[tuple[str, dict, bool]]:
    """(id, model, inside a Stack) of a widget and everything in it, depth first."""
    found, todo, seen = [], [(model_id, False)], set()
    while todo:
        mid, in_stack = todo.pop(0)
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        model = state[mid]
        found.append((mid, model, in_stack))
        inner = in_stack or model.get("model_name") == "StackModel"
        todo[0:0] = [(kid, inner) for kid in _children(model)]
    return found


def pick_frames(n: int) -> list[int]:
    """Which frames a strip prints: the first, a middle and the last (all when 3 or fewer)."""
    if n <= 3:
        return list(range(n))
    return [0, (n - 1) // 2, n - 1]


def widget_html(state: dict, model_id: str, lang: str) -> str:
    """What a widget prints as: a strip of frames for a stepper, else a sentence.

    A stepper (helpers.widgets.image_stepper) is a box holding a Stack of frames and the
    slider whose labels name them; on the site it steps with no kernel. Anything else runs
    Python at every change, so paper gets a sentence saying what it does in a notebook.
    """
    if model_id not in state:
        raise ValueError(
            f"widget {model_id} has no saved state in the built page, so it cannot be printed "
            "(on the site it shows nothing either): execute the notebook with "
            "store_widget_state, as `make execute` does, and build the book again."
        )
    words = strings(lang)
    tree = _tree(state, model_id)
    stacks = [m for _, m, _ in tree if m.get("model_name") == "StackModel"]
    if stacks:
        return _strip_html(state, tree, stacks[0], words)
    return _live_html(tree, words)


def _strip_html(state: dict, tree: list, stack: dict, words: dict) -> str:
    frames = [state[k]["state"].get("value", "") for k in _children(stack) if k in state]
    sliders = [m["state"] for _, m, _ in tree if "_options_labels" in m.get("state", {})]
    labels = sliders[0]["_options_labels"] if sliders else []
    if len(labels) != len(frames):
        labels = [str(i + 1) for i in range(len(frames))]
    what = sliders[0].get("description", "") if sliders else ""
    captions = [
        m["state"].get("value", "")
        for _, m, in_stack in tree
        if m.get("model_name") == "HTMLModel" and not in_stack
    ]
    shown = pick_frames(len(frames))
    cells = "".join(
        f'<figure class="pdf-frame">{frames[i]}'
        f"<figcaption>{html.escape(f'{what} {labels[i]}'.strip())}</figcaption></figure>"
        for i in shown
    )
    numbers = ", ".join(str(i + 1) for i in shown)
    note = words["strip"].format(shown=numbers, total=len(frames))
    return (
        f'<div class="pdf-stepper">{"".join(captions)}'
        f'<div class="pdf-strip pdf-strip-{len(shown)}">{cells}</div>'
        f'<p class="pdf-note">{html.escape(note)}</p></div>'
    )


_OUTPUT_MODELS = {"HTMLModel", "HTMLMathModel", "LabelModel"}
_BOX_MODELS = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel"}


def _live_html(tree: list, words: dict) -> str:
    controls = [
        m["state"]["description"]
        for _, m, _ in tree
        if m.get("state", {}).get("description")
        and m.get("model_name") not in _OUTPUT_MODELS | _BOX_MODELS
    ]
    names = [f"“{c}”" for c in controls] or ["its controls"]
    joined = ", ".join(names[:-1]) + words["and"] + names[-1] if len(names) > 1 else names[0]
    saved = [
        m["state"].get("value", "")
        for _, m, _ in tree
        if m.get("model_name") in _OUTPUT_MODELS and m["state"].get("value")
    ]
    shown = f'<p class="pdf-note">{html.escape(words["live_saved"])}</p>{"".join(saved)}'
    return (
        f'<div class="pdf-live"><p class="pdf-note">'
        f"{html.escape(words['live'].format(controls=joined))}</p>"
        f"{shown if saved else ''}</div>"
    )


# --- one page of the site, made printable -----------------------------------------------------


@dataclass
class Book:
    """What the pages share while they are gathered: the site, the order, the files copied."""

    site: Path
    pages: list[Page]
    lang: str
    assets: Path  # where images are copied, beside the document
    copied: dict[Path, str] = field(default_factory=dict)  # site file -> src in the document

    def docnames(self) -> set[str]:
        return {p.docname for p in self.pages}

    def asset(self, file: Path) -> str:
        """The document's src for a file of the site (copied once, beside the document)."""
        if file not in self.copied:
            # relpath, not relative_to: the Japanese pages load the theme's files (the logo) from
            # the English edition's _static, one folder above their site (share_static.py)
            rel = Path(os.path.relpath(file, self.site)).as_posix()
            name = re.sub(r"[^A-Za-z0-9._-]", "_", rel)
            self.assets.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, self.assets / name)
            self.copied[file] = f"{self.assets.name}/{name}"
        return self.copied[file]


def printable_page(page_html: str, page: Page, book: Book, state: dict) -> Tag:
    """The page's article, with what paper cannot show replaced and its ids made unique."""
    soup = BeautifulSoup(page_html, "html.parser")
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise ValueError(
            f"{page.docname}.html has no <article class='bd-article'>: it was not written by "
            "sphinx-book-theme, which this script reads. Build the book with `make book`."
        )
    words = strings(book.lang)
    for tag in article.select("a.headerlink, script:not([type]), style, .pdf-skip"):
        tag.decompose()
    _replace_widgets(article, state, book.lang)
    _drop_folded(article, words)
    _caption_figures(article)
    _relink(article, page, book)
    section = soup.new_tag("section", attrs={"class": "pdf-page", "id": anchor(page.docname)})
    section["data-docname"] = page.docname
    for child in list(article.children):
        section.append(child.extract())
    return section


def _replace_widgets(article: Tag, state: dict, lang: str) -> None:
    for tag in article.find_all("script", attrs={"type": _VIEW}):
        model_id = json.loads(tag.string or "{}").get("model_id", "")
        printed = BeautifulSoup(widget_html(state, model_id, lang), "html.parser")
        tag.replace_with(printed)
    for tag in article.find_all("script"):  # nothing else a script could print
        tag.decompose()


def _drop_folded(article: Tag, words: dict) -> None:
    """What the site folds (myst-nb's hide-input, hide-output) stays off the page.

    Hidden code goes without a trace, as on the site, where its output reads as text. A
    folded output (an exercise's solution, say) leaves a line saying where to find it.
    """
    for details in article.select("details.hide"):
        classes = details.get("class", [])
        if "below-input" in classes or "above-output" in classes:
            note = BeautifulSoup(
                f'<p class="pdf-note">{html.escape(words["folded"])}</p>', "html.parser"
            )
            details.replace_with(note)
        else:
            details.decompose()
    for details in article.find_all("details"):  # other folds (toggles): print them open
        if details.summary is not None:
            details.summary.decompose()
        details.name = "div"
        details["class"] = details.get("class", []) + ["pdf-unfolded"]


def _caption_figures(article: Tag) -> None:
    """Every image prints with words under it: its caption, else its alt text.

    On the site the alt text is for screen readers and the prose around explains the figure;
    on paper, the alt text under a figure is what makes it readable without the page around.
    """
    for img in article.find_all("img"):
        if img.find_parent("figure") is not None:
            continue
        alt = " ".join(img.get("alt", "").split())
        if not alt:
            continue
        figure = BeautifulSoup("", "html.parser").new_tag("figure", attrs={"class": "pdf-figure"})
        img.replace_with(figure)
        figure.append(img)
        caption = BeautifulSoup("", "html.parser").new_tag("figcaption")
        caption.string = alt
        figure.append(caption)


def _relink(article: Tag, page: Page, book: Book) -> None:
    """Ids unique in the one document; links between pages point inside it; images copied."""
    for tag in article.find_all(id=True):
        tag["id"] = anchor(page.docname, tag["id"])
    here = posixpath.dirname(page.docname)
    docnames = book.docnames()
    for a in article.find_all("a", href=True):
        href = a["href"]
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue  # http(s), mailto: leave the PDF as they are
        if not parts.path:
            a["href"] = "#" + anchor(page.docname, unquote(parts.fragment))
            continue
        target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        docname = posixpath.splitext(target)[0]
        if target.endswith(".html") and docname in docnames:
            frag = unquote(parts.fragment)
            a["href"] = "#" + (anchor(docname, frag) if frag else anchor(docname))
        else:  # a download, the index, a page outside the book: nothing to open on paper
            a.unwrap()
    for img in article.find_all("img", src=True):
        # what book/_ext/page_fixes.py adds for the screen: paper prints every picture at once,
        # sized by print.css (an author's size is a style, which stays)
        for screen_only in ("loading", "decoding", "width", "height"):
            del img[screen_only]
        src = img["src"]
        if src.startswith("data:") or urlsplit(src).scheme:
            continue
        file = (book.site / posixpath.normpath(posixpath.join(here, unquote(src)))).resolve()
        if not file.is_file():
            raise FileNotFoundError(f"{page.docname}.html shows {src}, which is not in {book.site}")
        img["src"] = book.asset(file)


# --- the whole document -----------------------------------------------------------------------


def _heading_html(heading: Tag) -> str:
    return "".join(str(c) for c in heading.contents).strip()


def contents_html(sections: list[tuple[Page, Tag]], words: dict) -> str:
    """The contents: each page's title, and the sections of numbered chapters, linked.

    Each entry ends in an empty page number (``data-target``: the id it links to), filled in
    from the first print (fill_page_numbers). The number's box has a fixed width, so the
    contents take the same lines, and the same pages, before and after.
    """
    out, part = [], None

    def entry(cls: str, target: str, heading: Tag) -> str:
        return (
            f'<li class="{cls}"><a href="#{target}"><span class="pdf-toc-title">'
            f'{_heading_html(heading)}</span><span class="pdf-toc-dots"></span>'
            f'<span class="pdf-toc-page" data-target="{target}"></span></a>'
        )

    for page, section in sections:
        if page.part != part:
            if part is not None:
                out.append("</ol></li>")
            part = page.part
            out.append(f'<li class="pdf-toc-part"><span>{html.escape(part)}</span><ol>')
        h1 = section.find("h1")
        if h1 is None:
            continue
        target = (h1.find_parent("section") or section).get("id", section["id"])
        subs = []
        if page.numbered:
            for h2 in section.find_all("h2"):
                parent = h2.find_parent("section")
                if parent is not None and parent.get("id"):
                    subs.append(entry("pdf-toc-2", parent["id"], h2) + "</li>")
        inner = f"<ol>{''.join(subs)}</ol>" if subs else ""
        out.append(entry("pdf-toc-1", target, h1) + f"{inner}</li>")
    if part is not None:
        out.append("</ol></li>")
    return (
        f'<nav class="pdf-contents" id="pdf-contents" role="doc-toc">'
        f'<h1 class="pdf-contents-title">{html.escape(words["contents"])}</h1>'
        f"<ol>{''.join(out)}</ol></nav>"
    )


_TOC_PAGE = re.compile(r'(<span class="pdf-toc-page" data-target="([^"]+)">)[^<]*(</span>)')


def fill_page_numbers(document: str, pages: dict[str, int]) -> str:
    """Write each contents entry's page number, from {id: page} of a printed copy."""

    def number(match: re.Match) -> str:
        target = match.group(2)
        if target not in pages:
            raise ValueError(f"the printed PDF has no destination for contents entry #{target}")
        return f"{match.group(1)}{pages[target]}{match.group(3)}"

    return _TOC_PAGE.sub(number, document)


def toc_targets(document: str) -> list[str]:
    return [m.group(2) for m in _TOC_PAGE.finditer(document)]


def _css_string(text: str) -> str:
    flat = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{flat}"'


def running_heads_css(book_title: str, chapters: list[tuple[str, str]]) -> str:
    """Page-margin CSS: the book's title over left-hand pages, each chapter's over the right.

    Chromium has no string-set, so each page of the book is its own named page (its class,
    ``page: <name>``) whose right-hand pages carry its title.
    """
    rules = [
        "@page :left { @top-left { content: "
        + _css_string(book_title)
        + "; font: 8.5pt var(--pdf-sans); color: #555; } }"
    ]
    for name, title in chapters:
        rules.append(f".{name} {{ page: {name}; }}")
        rules.append(
            f"@page {name}:right {{ @top-right {{ content: {_css_string(title)}; "
            "font: 8.5pt var(--pdf-sans); color: #555; } }"
        )
    return "\n".join(rules)


def title_page_html(
    title: str, author: str, url: str, commit: str, words: dict, logo: str = ""
) -> str:
    """The title page: the site's logo, the title, the edition, the authors, where it is online."""
    at = words["commit"].format(commit=commit) if commit else ""
    before, after = words["built"].format(commit=at, url="\0").split("\0")
    link = f'<a class="pdf-url" href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
    picture = f'<img class="pdf-logo" alt="" src="{html.escape(logo)}">' if logo else ""
    return (
        f'<section class="pdf-title-page">{picture}'
        f'<p class="pdf-title">{html.escape(title)}</p>'
        f'<p class="pdf-edition">{html.escape(words["edition"])}</p>'
        f'<p class="pdf-author">{html.escape(author)}</p>'
        f'<p class="pdf-built">{html.escape(before)}{link}{html.escape(after)}</p></section>'
    )


def document_html(
    title: str, author: str, lang: str, body: str, stylesheets: list[str], css: str = ""
) -> str:
    links = "".join(f'<link rel="stylesheet" href="{s}">' for s in stylesheets)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<meta name="author" content="{html.escape(author)}">{links}'
        f"<style>\n{css}\n</style></head>"
        f"<body>{body}</body></html>\n"
    )


# --- equations --------------------------------------------------------------------------------


def typeset_math(tags: list[Tag], tools: Path) -> dict[str, str]:
    """Typeset every equation of the site's pages in ``tags`` again, each as one image.

    The site's equations are MathJax's SVG already (book/_ext/static_math.py), each named by
    its TeX (``aria-label``), but their glyphs are shared between the equations of a page; an
    image must stand alone, so the same TeX is typeset by the same MathJax (one node call for
    the book). Each equation's element gets a placeholder; the returned {placeholder: <img>}
    is put in after the document is written out (fill_math): markup parsed by
    BeautifulSoup's HTML parser would have its SVG's camel-case attributes (viewBox)
    lower-cased.
    """
    found = []
    for root in tags:
        for tag in root.select(".math"):
            svg = tag.find("svg", attrs={"aria-label": True})
            if svg is None:
                raise ValueError(
                    f"an equation that is not typeset: {tag.get_text()[:80]!r}. The site's "
                    "equations are typeset when it is built (book/_ext/static_math.py): build "
                    "it with `make book`."
                )
            found.append((tag, svg["aria-label"], tag.name == "div"))
    if not found:
        return {}
    svgs = static_math.tex2svg([(tex, display) for _, tex, display in found], tools)
    imgs = {}
    for n, ((tag, tex, display), svg) in enumerate(zip(found, svgs, strict=True)):
        key = f"@@pdf-math-{n}@@"
        tag.clear()
        tag.string = key
        imgs[key] = math_img(svg, tex, display)
    return imgs


_SVG_ROOT = re.compile(r"<svg\b([^>]*)>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def math_img(svg_html: str, tex: str, display: bool) -> str:
    """One equation as an <img> of its SVG, sized and aligned as MathJax sets it inline.

    An image, not inline SVG: the book's 300 equations as inline SVG made up a third of its
    elements (glyph paths and uses), each equation's glyph ids stay in its own file, and the
    TeX becomes the image's alt text, which a screen reader finds in the tagged PDF.
    """
    start = svg_html.index("<svg")
    svg = svg_html[start : svg_html.rindex("</svg>") + len("</svg>")]
    root = _SVG_ROOT.match(svg)
    attrs = dict(_ATTR.findall(root.group(1))) if root else {}
    style = [part.strip() for part in attrs.get("style", "").split(";") if part.strip()]
    width = attrs.get("width", "")
    if width.endswith(("ex", "%")):
        style.append(f"width: {width}")
    if "height" in attrs:
        style.append(f"height: {attrs['height']}")
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    kind = "pdf-math-img pdf-math-block" if display else "pdf-math-img"
    return (
        f'<img class="{kind}" alt="{html.escape(" ".join(tex.split()))}" '
        f'style="{"; ".join(style)}" src="data:image/svg+xml;base64,{data}">'
    )


def fill_math(document: str, imgs: dict[str, str]) -> str:
    """Put each equation's image in place of its placeholder (typeset_math)."""
    return re.sub(r"@@pdf-math-\d+@@", lambda m: imgs[m.group(0)], document)


# --- building ---------------------------------------------------------------------------------


@dataclass
class Edition:
    site: Path
    book: Path  # the source folder with _toc.yml and _config.yml
    lang: str
    name: str  # the PDF's file name
    title: str
    author: str
    url: str


def site_language(site: Path, root_docname: str) -> str:
    page = (site / f"{root_docname}.html").read_text(encoding="utf-8")
    found = re.search(r'<html[^>]*\blang="([^"]+)"', page)
    return found.group(1) if found else "en"


def site_title(site: Path, root_docname: str) -> str:
    """The book's title as the site shows it: the part of the root page's <title> after —."""
    page = (site / f"{root_docname}.html").read_text(encoding="utf-8")
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    title = html.unescape(found.group(1)).strip() if found else ""
    return title.rsplit(" \u2014 ", 1)[-1]


def edition(site: Path, book: Path) -> Edition:
    """Read what the PDF needs to know about one built site and its source."""
    toc, config_file = book / "_toc.yml", book / "_config.yml"
    for needed in (toc, config_file):
        if not needed.is_file():
            raise FileNotFoundError(f"{needed} not found: --book must name the book's source")
    if not (site / "objects.inv").is_file():
        raise FileNotFoundError(f"{site} is not a built site (no objects.inv): run `make book`")
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    root = toc_pages(toc)[0].docname
    lang = site_language(site, root)
    url = str((config.get("repository") or {}).get("url", "")).rstrip("/")
    return Edition(
        site=site,
        book=book,
        lang=lang,
        name=pdf_name(url, lang),
        title=site_title(site, root) or str(config.get("title", "")),
        author=str(config.get("author", "")),
        url=url,
    )


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def build_html(ed: Edition, work: Path, tools: Path) -> Path:
    """Write the one-document book (HTML, CSS, images) into ``work``; return its HTML file."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    pages = toc_pages(ed.book / "_toc.yml")
    book = Book(site=ed.site, pages=pages, lang=ed.lang, assets=work / "assets")
    sections = []
    for page in pages:
        file = ed.site / f"{page.docname}.html"
        if not file.is_file():
            raise FileNotFoundError(f"{file} not found: _toc.yml lists {page.docname}")
        text = file.read_text(encoding="utf-8")
        sections.append((page, printable_page(text, page, book, widget_state(text, file))))
    words = strings(ed.lang)
    contents = BeautifulSoup(contents_html(sections, words), "html.parser")
    imgs = typeset_math([contents] + [section for _, section in sections], tools)
    chapters = []
    for n, (_, section) in enumerate(sections):
        name = f"pdf-chapter-{n}"
        section["class"] = section.get("class", []) + [name]
        h1 = section.find("h1")
        chapters.append((name, h1.get_text(" ", strip=True) if h1 else ed.title))
    logo = static_file(ed, "logo.svg")  # the theme's copy of _config.yml's logo
    logo_src = book.asset(logo) if logo.is_file() else ""
    body = title_page_html(ed.title, ed.author, ed.url, _commit(), words, logo_src)
    body += str(contents)
    body += "".join(str(section) for _, section in sections)
    shutil.copyfile(static_file(ed, "pygments.css"), work / "pygments.css")  # code colours
    shutil.copyfile(PRINT_CSS, work / "print.css")
    heads = running_heads_css(ed.title, chapters)
    document = document_html(
        ed.title, ed.author, ed.lang, body, ["pygments.css", "print.css"], heads
    )
    out = work / "book.html"
    out.write_text(fill_math(document, imgs), encoding="utf-8")
    return out


# Chromium as the site tests start it (tests/site/site_support.py): no network of its own
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",  # the page numbers and heads are the book's (print.css)
    "--generate-pdf-document-outline",  # bookmarks from the headings
]
MIN_CHROMIUM = 131  # the first to draw @page margin boxes (page numbers, running heads)


def check_chromium() -> None:
    if not CHROMIUM.is_file():
        raise FileNotFoundError(f"{CHROMIUM} not found: `make pdf-deps` installs Debian's chromium")
    done = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"Chromium (\d+)\.", done.stdout)
    if found is None or int(found.group(1)) < MIN_CHROMIUM:
        raise RuntimeError(
            f"{CHROMIUM} --version says {done.stdout.strip()!r}: the PDF needs Chromium "
            f"{MIN_CHROMIUM} or later, which prints page numbers and running heads."
        )


def chromium_print(document: Path, pdf: Path, timeout: int = 300) -> None:
    """Print an HTML file to PDF with Debian's Chromium, headless."""
    if pdf.exists():
        pdf.unlink()
    with tempfile.TemporaryDirectory(prefix="pdf-chromium-") as profile:
        cmd = [
            str(CHROMIUM),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            document.resolve().as_uri(),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not pdf.is_file():
        raise RuntimeError(f"Chromium did not print {document}:\n{done.stderr[-3000:]}")


def destinations(pdf: Path) -> dict[str, int]:
    """{name: page} of a PDF's named destinations (Chromium makes one per link target)."""
    done = subprocess.run(
        ["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"pdfinfo -dests {pdf} failed (make pdf-deps installs poppler-utils)")
    return {
        m.group(2): int(m.group(1))
        for m in re.finditer(r'^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', done.stdout, re.M)
    }


def print_pdf(document: Path, pdf: Path, passes: int = 3) -> int:
    """Print the book, numbering its contents from a first print; return how many prints.

    The contents keep their size whatever the numbers, so the second print normally has the
    pages of the first; each print is checked against the numbers it shows, and printed
    again (up to ``passes`` prints) if a page moved.
    """
    check_chromium()
    text = document.read_text(encoding="utf-8")
    targets = toc_targets(text)
    draft = pdf.with_name(pdf.stem + ".draft.pdf")
    shown: dict[str, int] = {}
    prints = 0
    for prints in range(1, passes + 1):  # noqa: B007  (how many it took is returned)
        chromium_print(document, draft)
        pages = destinations(draft)
        found = {t: pages[t] for t in targets if t in pages}
        missing = [t for t in targets if t not in pages]
        if missing:
            raise RuntimeError(f"the PDF has no destination for contents entries {missing[:5]}")
        if found == shown:
            break
        shown = found
        document.write_text(fill_page_numbers(text, shown), encoding="utf-8")
    else:
        raise RuntimeError(f"the contents' page numbers did not settle after {passes} prints")
    pack(draft, pdf)
    draft.unlink()
    return prints


def pack(source: Path, pdf: Path) -> None:
    """Compress the PDF's objects into streams (qpdf): tags and links stay as they are."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        raise FileNotFoundError(
            "qpdf not found: `make pdf-deps` installs it (apt-get install qpdf)"
        )
    cmd = [qpdf, "--object-streams=generate", "--compress-streams=y", str(source), str(pdf)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 3):  # 3: warnings, the file is written
        raise RuntimeError(f"qpdf failed:\n{done.stderr[-2000:]}")


def static_file(ed: Edition, name: str) -> Path:
    """The theme's static file ``name`` as the edition's pages load it: from the edition's own
    _static, or, for the Japanese edition, from the English one's (book/_ext/share_static.py
    keeps one copy of the files both editions share)."""
    own = ed.site / "_static" / name
    shared = ed.site.parent / "_static" / name
    return own if own.is_file() or not shared.is_file() else shared


def inputs_digest(ed: Edition) -> str:
    """A digest of what the PDF is made of: the book's pages, their pictures and widget
    state, the code colours, this pipeline, and the commit the title page names.

    Contents, not times: a build of the site rewrites some files (pygments.css, icons.css)
    every time, unchanged.
    """
    files = [ed.book / "_toc.yml", ed.book / "_config.yml", *sorted(HERE.glob("*"))]
    files += [Path(static_math.__file__), static_math.TEX2SVG, static_math.LOCK]  # equations
    files += [static_file(ed, name) for name in ("pygments.css", "logo.svg")]
    files += sorted((ed.site / "_images").glob("*"))
    for page in toc_pages(ed.book / "_toc.yml"):
        files += [ed.site / f"{page.docname}{suffix}" for suffix in (".html", STATE_SUFFIX)]
    digest = hashlib.sha256(_commit().encode())
    for file in files:
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def build(ed: Edition, tools: Path = TOOLS, out: Path = OUT, force: bool = False) -> str:
    """Build one edition's PDF unless one was built from the same inputs; say how it went."""
    pdf = out / ed.name
    stamp = out / f"{ed.name}.inputs"
    digest = inputs_digest(ed)
    if not force and pdf.is_file() and stamp.is_file() and stamp.read_text() == digest:
        shutil.copyfile(pdf, ed.site / ed.name)
        return f"{pdf}: up to date"
    start, cpu = time.monotonic(), time.process_time()
    document = build_html(ed, out / f"{Path(ed.name).stem}-html", tools)
    gathered, cpu = time.monotonic(), time.process_time() - cpu
    prints = print_pdf(document, pdf)
    stamp.write_text(digest)
    shutil.copyfile(pdf, ed.site / ed.name)  # where the site's menu links to it
    return (
        f"{pdf}: {_pdf_pages(pdf)} pages, {pdf.stat().st_size / 1e6:.1f} MB; gathered in "
        f"{gathered - start:.0f} s ({cpu:.0f} CPU-s in Python), printed {prints} times in "
        f"{time.monotonic() - gathered:.0f} s"
    )


def _pdf_pages(pdf: Path) -> str:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    found = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    return found.group(1) if found else "?"


def find_sites(html_root: Path) -> list[Path]:
    """Every built site under html_root (itself included): folders holding objects.inv."""
    return sorted({p.parent for p in html_root.rglob("objects.inv")})


def default_book(site: Path, html_root: Path) -> Path:
    """The source of a site: the repository, or its mirror folder (ja/) for a nested site."""
    try:
        rel = site.resolve().relative_to(html_root.resolve())
    except ValueError:
        return ROOT
    return ROOT / rel if rel.parts and (ROOT / rel / "_toc.yml").is_file() else ROOT


def _build_one(site: Path, book: Path | None, tools: Path, out: Path, force: bool) -> str:
    html_root = BUILD / "html"
    book = book.resolve() if book else default_book(site, html_root)
    return build(edition(site.resolve(), book), tools, out, force=force)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="*", type=Path, help="built sites (default: all)")
    parser.add_argument("--book", type=Path, help="the source folder with _toc.yml, _config.yml")
    parser.add_argument("--tools", type=Path, default=TOOLS, help="npm install prefix")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PDFs")
    parser.add_argument("--force", action="store_true", help="build even if up to date")
    args = parser.parse_args(argv)
    sites = args.sites or find_sites(BUILD / "html")
    if not sites:
        print(f"No built site under {BUILD / 'html'}: run `make book` first.", file=sys.stderr)
        return 1
    if args.book and len(sites) > 1:
        parser.error("--book names the source of one site: give one site with it")
    # the editions in parallel, one process each: printing is one Chromium each, on 2 cores
    with ProcessPoolExecutor(max_workers=min(2, len(sites))) as pool:
        jobs = [
            pool.submit(_build_one, site, args.book, args.tools, args.out, args.force)
            for site in sites
        ]
        for job in jobs:
            print(job.result())
    return 0


if __name__ == "__main__":
    sys.exit(main())
