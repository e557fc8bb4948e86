"""What the PDF tests share: the pipeline as a module, and the PDF read back with poppler and qpdf.

book/_pdf/build_pdf.py is a script, not a package: it is loaded here from its file. The readers
below run the command-line tools (Debian's poppler-utils and qpdf, which `make pdf-deps`
installs) and return plain Python values.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


build_pdf = _load("build_pdf", ROOT / "book" / "_pdf" / "build_pdf.py")

# Japanese and Chinese characters: kana, CJK ideographs, full-width punctuation
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def tool(*cmd: str) -> str:
    """stdout of a command-line tool; a clear failure when it is missing or fails."""
    if shutil.which(cmd[0]) is None:
        raise AssertionError(f"{cmd[0]} not found: `make pdf-deps` installs it (poppler, qpdf)")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 3):  # qpdf: 3 is "warnings"
        raise AssertionError(f"`{' '.join(cmd)}` failed: {done.stderr[-1000:]}")
    return done.stdout


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext), in order."""
    pages = tool("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    """Text with all white space removed, to compare wrapped lines with a source string."""
    return re.sub(r"\s+", "", text)


def spaced(text: str) -> str:
    """Text with each run of white space made one space."""
    return " ".join(text.split())


MM = 72 / 25.4  # PDF points per millimetre


def margins(pdf: Path, top_mm: float = 22, bottom_mm: float = 24) -> list[tuple[str, str]]:
    """(head, foot) of every page: the words printed in its top and bottom margins.

    The margins are print.css's @page margins; pdftotext -bbox gives each word's position.
    """
    xhtml = tool("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    found = []
    for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', xhtml, re.S):
        height, words = float(page[0]), page[1]
        head, foot = [], []
        for y_min, y_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', words
        ):
            if float(y_max) < top_mm * MM:
                head.append(word)
            elif float(y_min) > height - bottom_mm * MM:
                foot.append(word)
        found.append((html.unescape(" ".join(head)), html.unescape(" ".join(foot))))
    return found


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", str(pdf)), re.M).group(1))


def fonts(pdf: Path) -> list[dict]:
    """pdffonts' table: name, type, embedded (bool), for every font in the PDF."""
    rows = []
    for line in tool("pdffonts", str(pdf)).splitlines()[2:]:
        cells = line.split()
        # the columns from the right: emb sub uni object-id generation
        rows.append({"name": cells[0], "emb": cells[-5] == "yes", "line": line})
    return rows


def raster_images(pdf: Path) -> list[dict]:
    """pdfimages' list of the pictures drawn (soft masks left out): page and size."""
    rows = []
    for line in tool("pdfimages", "-list", str(pdf)).splitlines()[2:]:
        cells = line.split()
        if cells[2] == "image":
            rows.append({"page": int(cells[0]), "width": int(cells[3]), "height": int(cells[4])})
    return rows


def destinations(pdf: Path) -> dict[str, int]:
    return build_pdf.destinations(pdf)


def _objects(pdf: Path) -> list[dict]:
    """Every object's value in the PDF (qpdf's JSON, version 2); strings keep qpdf's "u:"."""
    data = json.loads(tool("qpdf", "--json=2", "--json-key=qpdf", str(pdf)))
    objects = data["qpdf"][1]
    return [v["value"] for v in objects.values() if isinstance(v, dict) and "value" in v]


def link_targets(pdf: Path) -> list[str]:
    """The named destination of every internal link (Chromium writes /Dest /name)."""
    return [
        obj["/Dest"].lstrip("/")
        for obj in _objects(pdf)
        if isinstance(obj, dict) and obj.get("/Subtype") == "/Link" and "/Dest" in obj
    ]


def alt_texts(pdf: Path) -> list[str]:
    """The alternative text of every element of the tagged structure that has one."""
    return [
        str(obj["/Alt"]).removeprefix("u:")
        for obj in _objects(pdf)
        if isinstance(obj, dict) and "/Alt" in obj
    ]


def text_runs(pdf: Path) -> list[tuple[str, str]]:
    """(font family, text) of every run of text, from pdftohtml's XML."""
    xml = tool("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf))
    families = dict(re.findall(r'<fontspec id="(\d+)"[^>]*family="([^"]*)"', xml))
    runs = []
    for font, text in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml, re.S):
        runs.append((families.get(font, "?"), re.sub(r"<[^>]+>", "", text)))
    return runs


def body_size_pt(pdf: Path) -> float:
    """The size, in points, in which most of the PDF's running text is set: the characters in
    its serif faces (Liberation Serif, IPA Mincho), counted from pdftohtml's XML, whose sizes
    are pixels at its default zoom of 1.5."""
    xml = tool("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf))
    fontspec = r'<fontspec id="(\d+)" size="([\d.]+)" family="([^"]*)"'
    specs = {i: (size, family) for i, size, family in re.findall(fontspec, xml)}
    chars: dict[str, int] = {}
    for font, text in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml, re.S):
        size, family = specs.get(font, ("0", ""))
        if "Serif" in family or "Mincho" in family:
            chars[size] = chars.get(size, 0) + len(re.sub(r"<[^>]+>", "", text))
    if not chars:
        raise AssertionError(f"{pdf.name}: no text in a serif face; is print.css applied?")
    return float(max(chars, key=lambda size: chars[size])) / 1.5


def outline_titles(pdf: Path) -> list[str]:
    """The PDF's bookmarks (its outline), from pdftohtml's XML."""
    xml = tool("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf))
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<item[^>]*>(.*?)</item>", xml, re.S)]
