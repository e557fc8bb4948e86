"""helpers holds what the notebooks call (issue 17): each name in a module's __all__ is used by a
chapter, named in a chapter's prose, or is what such a call returns or raises; and nothing in
helpers reaches into the measurement scripts' machinery (benchmarks/lab) or into another
module's private names.

The chapters are read as they are: their code cells' attribute uses of the helpers modules they
import (``data.noisy_sine``), and their Markdown's backticked names (``recipes.fresh_windows``).
Three parts of the package are outside this rule, each held elsewhere: ``plots`` (its
``__all__`` is every figure, tests/test_plots_style.py), ``exercises`` (the checking machinery
the chapters reach through ``ex.q1``) and ``i18n`` (the language switch, which README.md
documents for readers: ``helpers.i18n.set_language``).
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest
from notebook_code import python_of

import helpers

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUTSIDE = {"plots", "exercises", "i18n"}
MODULES = sorted(set(helpers.__all__) - OUTSIDE)

# kept though no chapter names them: what a call the chapters make returns or raises
RETURNED = {
    "compare.CompareRow": "compare.evaluate",
    "data.Split": "recipes.make_split",
    "language.Checkpoint": "language.train_lm",  # the entries of LMHistory.checkpoints
    "language.LMHistory": "language.train_lm",
    "memory.LagSummary": "memory.summarize_sweep",
    "memory.RecallRun": "memory.train_recall",
    "recipes.Fit": "recipes.fit",
    "training.History": "training.train",
    "training.Snapshot": "training.train",  # the values of History.snapshots
    "training.TrainingDiverged": "training.train",  # raised
    "widgets.Frames": "plots.prediction_frames",
    "widgets.PngFrame": "plots.prediction_frames",  # the values of Frames
}


def _uses() -> tuple[set[str], set[str]]:
    """("module.name" used in the chapters' code, "module.name" named in their Markdown)."""
    in_code, in_prose = set(), set()
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        trees = [ast.parse(python_of(c)) for c in cells if c["cell_type"] == "code"]
        aliases = {}  # local name -> helpers module
        for node in (n for tree in trees for n in ast.walk(tree)):
            if isinstance(node, ast.ImportFrom) and node.module == "helpers":
                aliases |= {a.asname or a.name: a.name for a in node.names}
        for node in (n for tree in trees for n in ast.walk(tree)):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in aliases:
                    in_code.add(f"{aliases[node.value.id]}.{node.attr}")
        for cell in cells:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                in_prose |= set(re.findall(r"`(?:helpers\.)?([a-z_]+\.[A-Za-z_]\w*)", source))
    return in_code, in_prose


IN_CODE, IN_PROSE = _uses()


def test_the_chapters_are_read():
    assert len(NOTEBOOKS) >= 7
    assert {"data.noisy_sine", "training.train", "language.train_lm"} <= IN_CODE
    assert "recipes.fresh_windows" in IN_PROSE


@pytest.mark.parametrize("module", MODULES)
def test_every_public_name_is_what_a_chapter_uses(module):
    exported = importlib.import_module(f"helpers.{module}").__all__
    unused = []
    for name in exported:
        key = f"{module}.{name}"
        if key in IN_CODE or key in IN_PROSE:
            continue
        source = RETURNED.get(key)
        if source is None or not ({source} & (IN_CODE | IN_PROSE)):
            unused.append(name)
    assert not unused, (
        f"helpers.{module} exports {unused}, which no chapter calls, names, or gets back from a "
        "call: drop them from __all__ (or make them private), or move them to benchmarks/lab "
        "if only the measurement scripts use them."
    )


def test_every_name_a_chapter_calls_is_exported():
    missing = sorted(
        key
        for key in IN_CODE
        if key.split(".")[0] in MODULES
        and key.split(".")[1] not in importlib.import_module(f"helpers.{key.split('.')[0]}").__all__
    )
    assert not missing, f"the chapters call {missing}, which their modules' __all__ leaves out"


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    return found


@pytest.mark.parametrize(
    "path", sorted((ROOT / "helpers").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_helpers_import_no_script_machinery_and_no_private_name(path):
    for module, names in _imports(path):
        top = module.split(".")[0]
        assert top not in {"lab", "benchmarks", "teaching"}, f"{path.name} imports {module}"
        if top == "helpers":
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{path.name} imports {private} from {module}, private there"


def test_every_module_a_chapter_imports_from_helpers_exists():
    # a module that is gone (helpers.show, say) fails here, not only when the chapter runs
    imported = set()
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse(python_of(cell))):
                if isinstance(node, ast.ImportFrom) and node.module == "helpers":
                    imported |= {alias.name for alias in node.names}
    assert len(imported) > 10, f"the chapters import only {imported} from helpers?"
    assert imported <= set(helpers.__all__), sorted(imported - set(helpers.__all__))
