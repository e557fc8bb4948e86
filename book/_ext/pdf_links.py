"""The PDF editions in every page's download menu (issue 19).

`make pdf` (book/_pdf/build_pdf.py) prints the built site into ``<name>-<lang>.pdf`` and puts
the file at the site's root; this extension adds "Book (PDF)" to the theme's download menu on
every page, linked to that file, and one more entry for each other edition named in
``pdf_editions``. So the link exists on every page whatever the chapters are, and a test of the
site that follows its links fails when the PDF was not built.

``pdf_editions`` (in _config.yml, under sphinx: config:) maps a language to the root of that
edition's site, relative to this site's root: ``{en: "", ja: "ja/"}`` in the English site
whose Japanese edition is built into ``ja/``, ``{ja: "", en: "../"}`` in the Japanese one.
By default only this site's own edition is listed.
"""

from __future__ import annotations

import posixpath
import re

from sphinx.application import Sphinx

# what the menu calls each edition, in its own language
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}
MENU_TEXT = {"en": "Book (PDF)", "ja": "本書のPDF"}
TOOLTIP = {"en": "Download the whole book as a PDF", "ja": "本書全体をPDFでダウンロード"}


def pdf_name(repository_url: str, lang: str) -> str:
    """The PDF's file name: the repository's name and the language, ``rnn-lstm-book-en.pdf``."""
    base = re.sub(r"\.git$", "", repository_url.rstrip("/").rsplit("/", 1)[-1]) or "book"
    return f"{base}-{primary(lang)}.pdf"


def primary(lang: str) -> str:
    """The language without its region: "ja" for "ja_JP" or "ja-JP"."""
    return re.split(r"[-_]", lang or "en")[0].lower()


def _language(app: Sphinx) -> str:
    return primary(app.config.language or "en")


def editions(app: Sphinx) -> dict[str, str]:
    """{language: root of its site, relative to this site's root}, this site's own first."""
    own = _language(app)
    configured = dict(app.config.pdf_editions or {})
    configured.setdefault(own, "")
    return {own: configured.pop(own), **configured}


def _add_menu_entries(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    buttons = context.get("header_buttons")
    if not buttons:
        return
    group = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if group is None:
        return
    repo = (app.config.html_theme_options or {}).get("repository_url", "")
    own = _language(app)
    up = "../" * pagename.count("/")  # from this page to the site's root
    for lang, root in editions(app).items():
        text = MENU_TEXT.get(own, MENU_TEXT["en"])
        if lang != own:
            text = f"{text}, {LANGUAGE_NAMES.get(lang, lang)}"
        group["buttons"].append(
            {
                "type": "link",
                "url": posixpath.normpath(posixpath.join(up or ".", root, pdf_name(repo, lang))),
                "text": text,
                "tooltip": TOOLTIP.get(own, TOOLTIP["en"]),
                "icon": "fas fa-book",
                "label": f"download-book-pdf-{lang}",
            }
        )


def setup(app: Sphinx) -> dict:
    app.add_config_value("pdf_editions", {}, "html", types=[dict])
    # after sphinx-book-theme has made its download menu (priority 501)
    app.connect("html-page-context", _add_menu_entries, priority=510)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
