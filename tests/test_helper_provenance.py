"""README.md's promise, checked: every helper a chapter calls is written out or named first.

README.md says of the package the notebooks import: "each helper is first written out in the
chapter that teaches it", and the issue behind it adds "or the chapter says where it comes
from". A learner who meets ``forecast.rmse(a, b)`` in a code cell should already have read what
it is and where it lives. The rule, for every helper a chapter's code uses:

- A *use* is ``module.name`` where ``module`` was imported from the package (``from helpers
  import data, models``, then ``data.noisy_sine``), or a name imported from a module of it
  (``from helpers.text import clean``, then ``clean``). Only its *first* use in the chapter is
  held to the rule: the code cell where it first appears.
- It is *written out* when a code cell at or before that one defines the name at its top level:
  ``def name``, ``class name``, or ``NAME = ...`` for a constant (upper case: a lower-case
  assignment such as ``perplexity = {}`` is a variable that happens to share the helper's name,
  not the helper written out).
- It is *named* when a Markdown cell before that code cell, in this chapter or an earlier one,
  names it in inline code as ``module.name`` or in its qualified form ``helpers.module.name``
  (a call such as ``forecast.rmse(a, b)`` names it too). A reader who has read the earlier
  chapters has met it there; a chapter read alone links back to them.

The exercises are the one part held differently. ``from helpers.exercises import chapter3 as
ex`` loads the chapter's questions and their checks; ``ex.q1.check(...)`` is not a helper the
chapter teaches but the exercise machinery, the same in every chapter, and a learner often
opens a chapter's exercise section on its own (a teacher hands it out: teaching/). So each
chapter's own Markdown, before its first ``ex.`` call, names ``helpers.exercises`` once, and
that covers every question of the section; an earlier chapter's naming does not count.

Figures and widgets (``plots``, ``widgets``) follow the same rule as everything else: they are
what a learner calls most often, and where the figure comes from is as much a question as where
the numbers do. Their naming is cheap: ``plots.use_book_style``, named once in chapter 1,
covers every chapter's setup cell.

Pure JSON and ``ast``: no kernel runs, so the test takes a fraction of a second.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from notebook_code import python_of

ROOT = Path(__file__).resolve().parents[1]
PATHS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = "exercises"

Cell = Mapping[str, object]


def _source(cell: Cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)  # type: ignore[arg-type]


INLINE_CODE = re.compile(r"`([^`\n]+)`")
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)


def inline_code(markdown: str) -> list[str]:
    """The inline code spans of a Markdown cell (fenced blocks left out)."""
    return INLINE_CODE.findall(FENCED.sub(" ", markdown))


def helper_uses(cells: Sequence[Cell]) -> dict[str, int]:
    """{"module.name": index of the code cell that first uses it}, in the order of first use.

    ``module`` is the helpers module as the package spells it (``exercises.chapter3`` for
    ``from helpers.exercises import chapter3 as ex``), whatever the chapter calls it locally.
    """
    modules: dict[str, str] = {}  # local name -> helpers module
    names: dict[str, str] = {}  # local name -> "module.name", imported from a helpers module
    first: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(python_of(cell))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "helpers":
                    modules |= {a.asname or a.name: a.name for a in node.names}
                elif node.module == f"helpers.{EXERCISES}":  # a chapter's exercise module
                    modules |= {a.asname or a.name: f"{EXERCISES}.{a.name}" for a in node.names}
                elif node.module.startswith("helpers."):
                    module = node.module.removeprefix("helpers.")
                    names |= {a.asname or a.name: f"{module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("helpers.") and a.asname:
                        modules[a.asname] = a.name.removeprefix("helpers.")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in modules:
                    first.setdefault(f"{modules[node.value.id]}.{node.attr}", index)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id in names:
                    first.setdefault(names[node.id], index)
    return dict(sorted(first.items(), key=lambda item: item[1]))


def _written_out(cells: Sequence[Cell], name: str) -> bool:
    """Whether one of ``cells`` defines ``name`` at its top level (a constant: in upper case)."""
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for node in ast.parse(python_of(cell)).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
                return True
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if name.isupper() and any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
    return False


def _names(spans: Sequence[str], qualified: str) -> bool:
    """Whether an inline code span names ``qualified`` ("forecast.rmse"), bare or with helpers."""
    pattern = re.compile(rf"(?<![\w.])(?:helpers\.)?{re.escape(qualified)}(?![\w])")
    return any(pattern.search(span) for span in spans)


def _markdown_spans(cells: Sequence[Cell]) -> list[str]:
    return [s for c in cells if c["cell_type"] == "markdown" for s in inline_code(_source(c))]


def unexplained(cells: Sequence[Cell], earlier: Sequence[str] = ()) -> list[str]:
    """The helpers a chapter (``cells``) uses before writing them out or naming them.

    ``earlier``: the inline code spans of the earlier chapters' Markdown.
    """
    missing = []
    for qualified, index in helper_uses(cells).items():
        module, _, name = qualified.rpartition(".")
        before = _markdown_spans(cells[:index])
        if module.startswith(f"{EXERCISES}."):
            if not _names(before, EXERCISES):
                missing.append(qualified)
        elif not (_written_out(cells[: index + 1], name) or _names([*earlier, *before], qualified)):
            missing.append(qualified)
    return missing


def _cells(path: Path) -> list[Cell]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _gaps() -> dict[str, list[str]]:
    gaps, earlier = {}, []
    for path in PATHS:
        cells = _cells(path)
        gaps[path.stem] = unexplained(cells, earlier)
        earlier += _markdown_spans(cells)
    return gaps


GAPS = _gaps()


def test_the_chapters_are_read():
    assert len(PATHS) == 7
    uses = helper_uses(_cells(PATHS[2]))
    assert {"data.noisy_sine", "training.train", "forecast.rmse"} <= set(uses)
    assert "exercises.chapter3.q1" in uses


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_every_helper_is_written_out_or_named_before_its_first_use(path):
    gaps = set(GAPS[path.stem])
    assert not gaps, (
        f"{path.stem} uses {sorted(gaps)} before saying what they are: name each in a "
        "Markdown cell above its first use (`module.name`, what it does, where it lives) or "
        "write it out in a code cell; exercises: name `helpers.exercises` in the exercise section"
    )


# The checker itself, on synthetic chapters


def code(source: str) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": []}


def md(source: str) -> dict:
    return {"cell_type": "markdown", "source": source, "metadata": {}}


def test_a_helper_used_without_a_naming_is_found():
    cells = [code("from helpers import forecast\n%matplotlib inline"), code("forecast.rmse(a, b)")]
    assert unexplained(cells) == ["forecast.rmse"]


def test_a_naming_above_the_first_use_or_in_an_earlier_chapter_explains_it():
    use = code("from helpers import forecast as fc\nfc.rmse(a, b)")
    named = md("`forecast.rmse(a, b)` is the root of the mean squared difference.")
    assert unexplained([named, use]) == []
    assert unexplained([md("`helpers.forecast.rmse` lives in helpers/forecast.py"), use]) == []
    assert unexplained([use], earlier=["forecast.rmse"]) == []
    assert unexplained([use, named]) == ["forecast.rmse"]  # named only after the use
    assert unexplained([md("the *rmse* of `forecast`"), use]) == ["forecast.rmse"]
    assert unexplained([md("`forecast.rmse_per_step`"), use]) == ["forecast.rmse"]


def test_a_helper_written_out_above_or_in_the_same_cell_needs_no_naming():
    written = code("def rmse(a, b):\n    return ((a - b) ** 2).mean().sqrt()")
    use = code("from helpers import forecast\nforecast.rmse(a, b)")
    assert unexplained([written, use]) == []
    assert unexplained([code(_source(written) + "\n" + _source(use))]) == []
    constant = code("from helpers import scratch\nGATE_NAMES = ('input',)\nscratch.GATE_NAMES")
    assert unexplained([constant]) == []
    variable = code("from helpers import language\nperplexity = {}\nlanguage.perplexity(m, t)")
    assert unexplained([variable]) == ["language.perplexity"]  # a variable, not the helper


def test_names_imported_from_a_helpers_module_are_uses_too():
    cells = [code("from helpers.text import clean as c\nc(s)")]
    assert unexplained(cells) == ["text.clean"]
    assert unexplained([md("`text.clean` folds the case"), *cells]) == []


def test_the_exercises_are_named_once_in_the_chapter_itself():
    cells = [
        code("from helpers.exercises import chapter2 as ex"),
        code("ex.q1.check(answer)"),
        code("ex.q2.check(answer)"),
    ]
    assert unexplained(cells) == ["exercises.chapter2.q1", "exercises.chapter2.q2"]
    assert unexplained(cells, earlier=["helpers.exercises"]) == unexplained(cells)
    assert unexplained([md("The checks come from `helpers.exercises`."), *cells]) == []
