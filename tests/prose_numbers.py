"""Every number in a chapter's Markdown comes from the code: the rule, as a function.

A sentence in a Markdown cell may cite a number only if the reader can see where it comes
from: it appears in the source or in a *checked* output of a code cell above it (outputs that
nbval ignores, `NBVAL_IGNORE_OUTPUT` or `NBVAL_SKIP`, do not count: they may differ on the
reader's machine), or it is one of the lecture's constants below. nbval then holds the outputs
to the code, and this rule holds the prose to the outputs, so a re-run that moves a number
fails the tests until the sentence says what the code now prints.

What counts as a number: a decimal such as ``0.0147``, ``1,500`` (read as 1500), ``6e-08`` or
a count such as ``5/5``. Left out: single digits (structure more than results: "3 points",
"$h_{t-1}$"; a count ``a/b`` is checked whatever its digits), inline code and fenced code
blocks (code that an exercise asks about, say, without running it), link targets,
equation tags and references ("equation (6.4)"), chapter references ("chapter 4") and years
in citations ("(Kingma and Ba, 2015)"), and the same in the Japanese edition ("式 (6.4)",
"第 4 章", "（Kingma and Ba, 2015）"), whose chapters the same rule holds (ja/notebooks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# The lecture's constants: numbers the text may use without an output above it, because the
# lecture notes fix them and every chapter repeats them. One place; keep it short.
LECTURE_CONSTANTS = {
    "10": "n_time, the points in one input window",
    "11": "the answer of the first window is point 11 (t = 10)",
    "90": "n_sample = 100 - 10 windows",
    "100": "points of the series; the RNN's epochs",
    "64": "hidden_size of the sine models",
    "0.1": "the noise's standard deviation",
    "0.01": "SGD's learning rate; the noise variance",
    "1000": "the LSTM's epochs",
    "28": "the input and output size of the lecture's LSTM(28, 256)",
    "256": "the hidden size of the lecture's LSTM(28, 256)",
}

NUMBER = re.compile(
    # not inside a word, a longer number or a LaTeX command; a word is Latin letters, digits and
    # "_": a number written against Japanese ("第10層", "64個") is still a number
    r"(?<![A-Za-z0-9_.\\])"
    r"(\d+/\d+"  # a count such as 5/5
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,500 or 20,000.5
    r"|\d+(?:\.\d+)?(?:e[-+]?\d+)?)"  # 0.0147, 6e-08
    r"(?![A-Za-z0-9_/]|\.\d)"
)
IGNORED_OUTPUT = re.compile(r"NBVAL_(IGNORE_OUTPUT|SKIP)")
IGNORED_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception"}

NOT_CITED = [  # Markdown that holds digits but cites no result
    re.compile(r"<!--.*?-->", re.S),  # comments
    re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M),  # fenced code blocks: code, as inline code
    re.compile(r"`[^`\n]*`"),  # inline code: names, settings as code
    re.compile(r"\]\([^)\s]*\)"),  # link targets
    re.compile(r"\\tag\{[^}]*\}"),  # equation tags
    re.compile(r"(?i)equations? \(\d+\.\d+\)(?:(?:,| to| and) \(\d+\.\d+\))*"),
    re.compile(r"(?i)\bchapters? \d+(?:(?:,|, and| and| to|–|-)\s*\d+)*"),
    re.compile(
        r"(?<=[(,（] )(?:1[89]|20)\d\d(?=[);,）])|(?<=[(（])(?:1[89]|20)\d\d(?=[)）])"
    ),  # years
    # the same in the Japanese edition: 式 (6.4)、式 (4.1) から (4.6)、第 4 章、4 章と 5 章
    re.compile(r"式\s*\(\d+\.\d+\)(?:\s*(?:、|,|から|と|および|～|〜)\s*(?:式\s*)?\(\d+\.\d+\))*"),
    re.compile(r"第?\s*\d+\s*章(?:\s*(?:、|,|と|から|～|〜)\s*第?\s*\d+\s*章)*"),
]


def numbers(text: str) -> list[str]:
    """The numbers in ``text``, thousands separators removed: "1,500" -> "1500"."""
    return [m.group(1).replace(",", "") for m in NUMBER.finditer(text)]


def cited_numbers(markdown: str) -> list[str]:
    """The numbers a Markdown cell cites: every number outside code, links, tags and the like,
    single digits left out (counts such as 3/5 kept)."""
    for pattern in NOT_CITED:
        markdown = pattern.sub(" ", markdown)
    return [n for n in numbers(markdown) if "/" in n or len(n) > 1]


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def checked_output(cell: Mapping) -> str:
    """The text of a code cell's outputs that nbval compares ('' if it ignores them)."""
    source = _text(cell.get("source", ""))
    tags = set(cell.get("metadata", {}).get("tags", []))
    if IGNORED_OUTPUT.search(source) or tags & IGNORED_TAGS:
        return ""
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(_text(out["text"]))
        for kind in ("text/plain", "text/markdown", "text/html"):
            if kind in out.get("data", {}):
                parts.append(_text(out["data"][kind]))
    return "\n".join(parts)


def unsupported_numbers(
    cells: Iterable[Mapping], constants: Mapping[str, str] = LECTURE_CONSTANTS
) -> list[tuple[int, str]]:
    """(cell index, number) for every number a Markdown cell cites that nothing above it shows."""
    seen = set(constants)
    missing = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            seen.update(numbers(_text(cell.get("source", ""))))
            seen.update(numbers(checked_output(cell)))
        elif cell.get("cell_type") == "markdown":
            missing += [
                (index, n) for n in cited_numbers(_text(cell.get("source", ""))) if n not in seen
            ]
    return missing


if __name__ == "__main__":  # python tests/prose_numbers.py notebooks/06_*.ipynb
    import json
    import sys

    bad = 0
    for path in sys.argv[1:]:
        cells = json.load(open(path, encoding="utf-8"))["cells"]
        for index, number in unsupported_numbers(cells):
            bad += 1
            print(f"{path}: cell {index} cites {number}, which no code cell above shows")
    sys.exit(1 if bad else 0)
