"""The language a notebook speaks, and the helpers' messages in it (the Japanese edition).

The English and Japanese notebooks share their code cells byte for byte, so a helper cannot
read the language from the code: it asks ``language()``, which looks, in this order, at

1. ``set_language("ja")``, called in the notebook (the fallback the Japanese notebooks' first
   Markdown cell describes);
2. the environment variable ``BOOK_LANGUAGE`` (the book's make targets set it when they run
   the Japanese notebooks);
3. the running notebook: its file's metadata (``"book": {"language": "ja"}``, which every
   Japanese notebook and its student version carry) or else its path (``ja/notebooks/``).
   JupyterLab, Jupyter Notebook and Binder (jupyter_server) give the kernel the notebook's
   path in ``JPY_SESSION_NAME``; VS Code gives it as ``__vsc_ipynb_file__``; Colab hands the
   notebook itself to a kernel that asks (not tried on Colab itself: say so if it fails);
4. the kernel's working directory: nbclient, nbconvert and nbval start a notebook's kernel in
   the notebook's folder, so ``ja/notebooks`` says Japanese;

and otherwise answers English. ``gettext`` (imported in helpers as ``_``) turns an English
message into the notebook's language, from the catalog ``helpers/locales/ja/LC_MESSAGES/
helpers.po``; a message the catalog lacks stays English. Messages with values are written with
named fields and formatted after translation: ``_("{n} steps").format(n=n)``.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from functools import cache
from pathlib import Path, PurePath

__all__ = ["LANGUAGES", "N_", "gettext", "language", "set_language"]

LANGUAGES = ("en", "ja")  # English first: the source, and the default
ENVIRONMENT = "BOOK_LANGUAGE"
CATALOGS = Path(__file__).resolve().parent / "locales"

_chosen: str | None = None  # set_language's choice; None: find it out


def set_language(lang: str | None) -> None:
    """Make the helpers speak ``lang`` ("en" or "ja"); ``None`` goes back to finding it out."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(
            f"set_language({lang!r}): the book speaks {' and '.join(map(repr, LANGUAGES))}; "
            "pass one of those (or None to let the notebook's location decide)."
        )
    _chosen = lang


def language() -> str:
    """The notebook's language: "en" or "ja" (how it is found: this module's docstring)."""
    if _chosen is not None:
        return _chosen
    from_env = os.environ.get(ENVIRONMENT, "").strip()
    if from_env:
        if from_env not in LANGUAGES:
            raise ValueError(
                f"{ENVIRONMENT}={from_env!r}: the book speaks {', '.join(LANGUAGES)}; "
                f"set {ENVIRONMENT} to one of those, or unset it."
            )
        return from_env
    return _notebook_language() or _path_language(Path.cwd()) or LANGUAGES[0]


def _notebook_language() -> str | None:
    """The language of the running notebook, from its file or its path (None: no notebook)."""
    path = os.environ.get("JPY_SESSION_NAME") or _ipython_variable("__vsc_ipynb_file__")
    if path:
        return _file_language(Path(path)) or _path_language(Path(path))
    if "google.colab" in sys.modules:
        return _colab_language()
    return None


@cache  # one question to Colab per kernel: the open notebook keeps its language
def _colab_language() -> str | None:
    return _metadata_language(_colab_metadata())


def _ipython_variable(name: str) -> str | None:
    """A variable of the notebook's namespace, if this runs in IPython and it is set there."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    value = getattr(shell, "user_ns", {}).get(name)
    return value if isinstance(value, str) else None


def _file_language(path: Path) -> str | None:
    """The language a notebook file declares in its metadata (None if unreadable or unsaid)."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _read_file_language(path, stamp)


@cache  # a notebook is read once per saved version, not at every message (it may be MBs)
def _read_file_language(path: Path, stamp: int) -> str | None:
    try:
        with path.open(encoding="utf-8") as file:
            return _metadata_language(json.load(file).get("metadata", {}))
    except (OSError, ValueError, AttributeError):
        return None


def _metadata_language(metadata: object) -> str | None:
    book = metadata.get("book", {}) if isinstance(metadata, dict) else {}
    lang = book.get("language") if isinstance(book, dict) else None
    return lang if lang in LANGUAGES else None


def _path_language(path: PurePath) -> str | None:
    """The edition whose notebooks folder the path is in (``.../ja/notebooks/...``), or None.

    Only ``<language>/notebooks`` counts, the book's own layout, so that a ``ja`` folder
    elsewhere in a path (someone's home, say) does not turn an English notebook Japanese.
    """
    parts = path.parts
    pairs = zip(parts, parts[1:], strict=False)
    found = [a for a, b in pairs if a in LANGUAGES[1:] and b == "notebooks"]
    return found[-1] if found else None


def _colab_metadata() -> dict | None:
    """The open notebook's metadata on Colab, which the kernel can ask the front end for."""
    try:
        from google.colab import _message  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        reply = _message.blocking_request("get_ipynb", request="", timeout_sec=10)
        return reply["ipynb"]["metadata"]
    except Exception:  # a Colab that answers otherwise, or not in time: no language from it
        return None


# --- messages ----------------------------------------------------------------------------------


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark ``message`` for the catalog without translating it here (it is translated later)."""
    return message


def gettext(message: str) -> str:
    """``message`` in the notebook's language, if the catalog has it; else ``message`` itself."""
    lang = language()
    if lang == LANGUAGES[0]:
        return message
    return catalog(lang).get(message, message)


@cache
def catalog(lang: str) -> dict[str, str]:
    """{English: translation} of the helpers' catalog for ``lang`` (fuzzy and empty left out)."""
    path = CATALOGS / lang / "LC_MESSAGES" / "helpers.po"
    if not path.is_file():
        return {}
    return read_po(path.read_text(encoding="utf-8"))


def read_po(text: str) -> dict[str, str]:
    """The translated messages of a gettext catalog (.po): {msgid: msgstr}.

    Reads what polib and msgmerge write: comments, flags, ``msgctxt``, strings continued on
    the next lines. Fuzzy entries and empty translations are left out, as gettext does.
    """
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy, field = False, ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        ends = not line or line.startswith(("#", "msgctxt ", "msgid "))
        if "msgstr" in entry and ends:  # the entry before is complete
            if entry["msgid"] and entry["msgstr"] and not fuzzy:
                messages[entry["msgid"]] = entry["msgstr"]
            entry, fuzzy, field = {}, False, ""
        if not line:
            continue
        if line.startswith("#"):  # a comment; "#, fuzzy" flags the entry that follows
            fuzzy = fuzzy or (
                line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split()
            )
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"') and field:
            keyword, rest = field, line  # the string goes on
        if keyword not in ("msgctxt", "msgid", "msgstr") or not rest.startswith('"'):
            raise ValueError(f"line {number} of the catalog is not one gettext reads: {raw!r}")
        field = keyword
        entry[field] = entry.get(field, "") + ast.literal_eval(rest)
    if entry.get("msgid") and entry.get("msgstr") and not fuzzy:
        messages[entry["msgid"]] = entry["msgstr"]
    return messages
