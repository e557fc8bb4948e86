"""A link on every page to the same page in the book's other edition (English, 日本語).

Registered in ``_config.yml`` and in the Japanese ``ja/_config.yml`` that ``make ja`` writes,
each with ``edition_switch``: the other edition's language, the link's words, and where the
other edition's sources lie, relative to this one's (``ja`` from the English book, ``..`` from
the Japanese). The English site is ``_build/html/`` and the Japanese one ``_build/html/ja/``
(``make book``), so the other edition's page has the same name under that folder.

Each page gets, above its text, a link to its counterpart, marked with the language it leads
to (``lang``, ``hreflang``), and a ``<link rel="alternate" hreflang>`` in its head. A page the
other edition does not have yet (a chapter not translated) links to that edition's home page
and says so. Sphinx's own pages (search, index) have a counterpart under the same name.

A Markdown link from one edition into the other's files (the Japanese chapter's link to an
English chapter not yet translated, ``../../notebooks/02_data_windowing.ipynb``, which works in
Jupyter and on GitHub) leaves this book's sources, which MyST reports as an unknown document:
such a link becomes a link to that page of the other edition's site.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".md", ".ipynb")
# what the link says on a page that the other edition lacks, in the other edition's language
NOT_YET = {"ja": "（このページは翻訳中です）", "en": " (this page is not translated yet)"}


def counterpart(app: Sphinx, pagename: str, has_doctree: bool) -> str | None:
    """The other edition's page name for ``pagename``; None if it has no such page."""
    root = Path(app.srcdir) / app.config.edition_switch["root"]
    if not has_doctree:  # search, genindex: every build writes them
        return pagename
    if any((root / f"{pagename}{suffix}").is_file() for suffix in SOURCE_SUFFIXES):
        return pagename
    return None


def switch_html(app: Sphinx, pagename: str, has_doctree: bool) -> tuple[str, str]:
    """(the link above the page's text, the <link rel=alternate> for its head)."""
    switch = app.config.edition_switch
    lang, root = switch["language"], switch["root"]
    target = counterpart(app, pagename, has_doctree)
    here = posixpath.dirname(pagename)
    page = target if target is not None else "index"
    href = posixpath.relpath(posixpath.join(root, f"{page}.html"), here or ".")
    words = html.escape(switch["label"]) + ("" if target is not None else NOT_YET.get(lang, ""))
    link = (
        f'<p class="edition-switch"><a href="{html.escape(href)}" hreflang="{lang}" '
        f'lang="{lang}" rel="alternate">{words}</a></p>\n'
    )
    head = f'<link rel="alternate" hreflang="{lang}" href="{html.escape(href)}" />\n'
    return link, head if target is not None else ""


def _add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if not app.config.edition_switch:
        return
    link, head = switch_html(app, pagename, doctree is not None)
    if "body" in context:
        context["body"] = link + context["body"]
    context["metatags"] = context.get("metatags", "") + head


class OtherEditionLinks(SphinxPostTransform):
    """Links into the other edition's sources become links to its built pages."""

    default_priority = 8  # before MyST resolves (and warns about) its references, at 9

    def run(self, **kwargs) -> None:
        switch = self.config.edition_switch
        if not switch:
            return
        root = posixpath.normpath(switch["root"])
        here = posixpath.dirname(self.env.docname) or "."
        for node in list(self.document.findall(addnodes.pending_xref)):
            target = node.get("reftarget", "")
            if node.get("reftype") != "myst" or node.get("refdomain") != "doc":
                continue
            if not posixpath.normpath(target).startswith(root + "/"):
                continue
            if not any((Path(self.app.srcdir) / f"{target}{s}").is_file() for s in SOURCE_SUFFIXES):
                continue  # no such page there either: MyST's warning stands
            uri = posixpath.relpath(f"{target}.html", here)
            if node.get("reftargetid"):
                uri += "#" + node["reftargetid"]
            link = nodes.reference("", "", internal=False, refuri=uri)
            link += node.children
            node.replace_self(link)


def _check_config(app: Sphinx, config) -> None:
    switch = config.edition_switch
    wanted = {"language", "label", "root"}
    if switch and not wanted <= set(switch):
        logger.warning(
            f"edition_switch needs {sorted(wanted)}; got {sorted(switch)}: "
            "see book/_ext/language_switch.py"
        )


def setup(app: Sphinx) -> dict:
    app.add_config_value("edition_switch", {}, "html")
    app.connect("config-inited", _check_config)
    app.connect("html-page-context", _add_switch)
    app.add_post_transform(OtherEditionLinks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
