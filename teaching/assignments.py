"""Student versions of the notebooks, for course assignments (the page "For teachers").

``python -m teaching.assignments [NOTEBOOKS] [OUT]`` (``make assignments``, from the repository's
folder) writes, for every notebook that has exercises:

- ``OUT/student/NN_x.ipynb``: what students get. Each solution region between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes ``# YOUR CODE HERE`` and
  ``raise NotImplementedError()`` at the marker's indentation, as nbgrader's ClearSolutions
  does; open questions get a "YOUR ANSWER HERE" cell; outputs and widget state are cleared.
- ``OUT/nbgrader/source/NN_x/NN_x.ipynb``: the instructor version for nbgrader, solutions
  kept, to copy into a course's ``source/`` folder and release with
  ``nbgrader generate_assignment``.

Both carry nbgrader's cell metadata (schema 3): answer cells are solution cells, check
cells are autograded test cells worth one point, open answers are graded by hand. The check
cells call ``ex.qN.grade(...)`` in place of the book's ``ex.qN.check(...)``: the same verdict,
and an error for a wrong answer, which is what marks an autograded cell wrong.

Both travel alone: their diagrams are embedded in the notebook (``make figures``), the data they
load ships inside ``helpers``, and their links to other pages of the book (the glossary, the
other chapters), relative in the repository, point to the book's repository on GitHub instead,
read from ``repository:`` in ``_config.yml``.

``python -m teaching.assignments ja/notebooks _build/assignments/ja`` does the same for the
Japanese edition (its ``_config.yml`` says where it lies, ``path_to_book: ja``); its versions keep
the notebook's ``"book": {"language": "ja"}``, so their feedback is Japanese wherever they run.

This is the teacher's tool, not the learner's: it lives beside the book, outside the ``helpers``
package, so that ``pip install`` of the book's package pulls only what the notebooks need
(nbformat and PyYAML, which it reads notebooks and ``_config.yml`` with, come with the book's
environment, requirements.txt).
"""

from __future__ import annotations

import copy
import importlib
import re
import shutil
import sys
from pathlib import Path, PurePosixPath
from types import ModuleType

import nbformat

from helpers.exercises import MARKER

__all__ = ["build", "clear_solutions", "source_notebook", "student_notebook"]

CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")  # nbgrader's default stub
TEXT_STUB = "YOUR ANSWER HERE"
# folding on the book's site; not for students
BOOK_TAGS = {"hide-input", "hide-output", "hide-cell"}
_IMPORT = re.compile(r"from helpers\.exercises import (chapter\d+) as ex\b")
_CHECK = re.compile(r"\bex\.(q\d+)\.check\(")
_OPEN = re.compile(r"^ex\.(q\d+)\.solution\(\)$")
# a Markdown link to a file of the repository: [text](../book/glossary.md#noise-floor)
_RELATIVE_LINK = re.compile(
    r"(?<!!)\[(?P<text>[^\]]*)\]\((?!https?:|mailto:|#|data:)(?P<path>[^)\s]+)\)"
)


def clear_solutions(source: str, where: str = "cell") -> str:
    """Replace every solution region of a code cell by the stub, indented like its marker.

    Raises ValueError, naming ``where``, for a region that is nested or never closed.
    """
    lines, inside = [], False
    for line in source.split("\n"):
        match = MARKER.match(line)
        if match and match.group(1) == "BEGIN":
            if inside:
                raise ValueError(f"{where}: a BEGIN SOLUTION inside another solution region.")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            lines += [indent + stub for stub in CODE_STUB]
        elif match:
            if not inside:
                raise ValueError(f"{where}: an END SOLUTION without its BEGIN SOLUTION.")
            inside = False
        elif not inside:
            lines.append(line)
    if inside:
        raise ValueError(f"{where}: a BEGIN SOLUTION without its END SOLUTION.")
    return "\n".join(lines)


def _code(cell: nbformat.NotebookNode) -> list[str]:
    """The cell's lines without comments and blank lines."""
    lines = (line.split("#")[0].strip() for line in cell.source.splitlines())
    return [line for line in lines if line]


def _roles(nb: nbformat.NotebookNode) -> tuple[ModuleType | None, dict[int, tuple[str, str]]]:
    """Find the chapter's exercise module and each exercise cell: {index: (role, qN)}."""
    module = None
    for cell in nb.cells:
        found = _IMPORT.search(cell.source) if cell.cell_type == "code" else None
        if found:
            module = importlib.import_module(f"helpers.exercises.{found.group(1)}")
    roles: dict[int, tuple[str, str]] = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            if any(MARKER.match(line) for line in cell.source.splitlines()):
                raise ValueError(f"cell {i} is Markdown with solution markers; use a code cell.")
            continue
        code = _code(cell)
        if any(MARKER.match(line) for line in cell.source.splitlines()):
            roles[i] = ("answer", "")
        elif check := _CHECK.search(" ".join(code)):
            roles[i] = ("check", check.group(1))
        elif len(code) == 1 and (opened := _OPEN.match(code[0])):
            name = opened.group(1)
            if module is not None and getattr(module, name).kind == "open":
                roles[i] = ("open", name)
    pending = []  # answer cells take the name of the check cell that follows them
    for i in sorted(roles):
        if roles[i][0] == "answer":
            pending.append(i)
        elif roles[i][0] == "check":
            roles.update({j: ("answer", roles[i][1]) for j in pending})
            pending = []
    if pending:
        raise ValueError(f"answer cell(s) {pending} have no check cell after them.")
    return module, roles


def _metadata(chapter: int, role: str, name: str) -> dict:
    """nbgrader's cell metadata (schema 3) for one exercise cell."""
    grade_id = f"ch{chapter}_{name}_{role}"
    grade, solution = {"answer": (False, True), "check": (True, False), "open": (True, True)}[role]
    meta = {"grade": grade, "grade_id": grade_id, "locked": role == "check", "schema_version": 3}
    meta.update({"solution": solution, "task": False})
    if grade:
        meta["points"] = 1
    return meta


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy without outputs, widget state, timing metadata and the book's folding tags."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        tags = [t for t in cell.metadata.get("tags", []) if t not in BOOK_TAGS]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def absolute_links(source: str, base_url: str, folder: str = "notebooks") -> str:
    """Point the Markdown links of a notebook in ``folder`` at the repository on GitHub.

    ``base_url`` is the repository's files at one branch, ``https://github.com/o/r/blob/main``;
    ``folder`` is where the notebook lies in the repository (``ja/notebooks`` for Japanese).
    """
    root = PurePosixPath(folder)

    def absolute(match: re.Match) -> str:
        path, _, anchor = match["path"].partition("#")
        parts: list[str] = []
        for part in (root / path).parts:  # resolve "..", as a browser would
            if part == "..":
                if not parts:
                    raise ValueError(f"link {match['path']!r} leaves the repository.")
                parts.pop()
            elif part != ".":
                parts.append(part)
        url = f"{base_url.rstrip('/')}/{'/'.join(parts)}" + (f"#{anchor}" if anchor else "")
        return f"[{match['text']}]({url})"

    return _RELATIVE_LINK.sub(absolute, source)


def _convert(
    nb: nbformat.NotebookNode, student: bool, base_url: str | None = None, folder: str = "notebooks"
) -> nbformat.NotebookNode:
    module, roles = _roles(nb)
    if module is None or not roles:
        raise ValueError("no exercises: expected `from helpers.exercises import chapterN as ex`.")
    chapter = int(module.__name__.rsplit("chapter", 1)[1])
    nb = _clean(nb)
    if base_url:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = absolute_links(cell.source, base_url, folder)
    for i, (role, name) in roles.items():
        cell = nb.cells[i]
        cell.metadata["nbgrader"] = _metadata(chapter, role, name)
        if role == "open":  # a Markdown answer cell, graded by hand
            answer = TEXT_STUB if student else _in_language(nb, getattr(module, name).explanation)
            nb.cells[i] = nbformat.v4.new_markdown_cell(answer, metadata=cell.metadata)
            if "id" in cell:  # keep the cell's id; notebooks before nbformat 4.5 have none
                nb.cells[i]["id"] = cell["id"]
            else:
                nb.cells[i].pop("id", None)
        elif student and role == "answer":
            cell.source = clear_solutions(cell.source, f"cell {i} ({name})")
        elif role == "check":  # graded: grade() raises for a wrong answer, check() only says so
            cell.source = _CHECK.sub(lambda m: f"ex.{m.group(1)}.grade(", cell.source)
        if student:  # what nbgrader's LockCells does when it releases an assignment
            nb.cells[i].metadata["deletable"] = False
            if role == "check":
                nb.cells[i].metadata["editable"] = False
    nbformat.validate(nb)
    return nb


def _in_language(nb: nbformat.NotebookNode, message: str) -> str:
    """A helpers message in the notebook's language (the Japanese edition's metadata says ja)."""
    from helpers.i18n import catalog

    language = nb.metadata.get("book", {}).get("language", "en")
    return message if language == "en" else catalog(language).get(message, message)


def student_notebook(
    nb: nbformat.NotebookNode, base_url: str | None = None, folder: str = "notebooks"
) -> nbformat.NotebookNode:
    """The student version: solutions replaced by stubs, outputs cleared, nbgrader metadata.

    With ``base_url`` (see ``absolute_links``) its links to the book's other pages work alone.
    """
    return _convert(nb, student=True, base_url=base_url, folder=folder)


def source_notebook(
    nb: nbformat.NotebookNode, base_url: str | None = None, folder: str = "notebooks"
) -> nbformat.NotebookNode:
    """The nbgrader instructor version: solutions kept, outputs cleared, nbgrader metadata."""
    return _convert(nb, student=False, base_url=base_url, folder=folder)


def repository_files_url(config: Path) -> str | None:
    """The repository's files on GitHub, from ``repository:`` in the book's ``_config.yml``."""
    if not Path(config).is_file():
        return None
    import yaml  # jupyter-book's dependency: there wherever the book is built

    repository = (yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}).get(
        "repository", {}
    )
    if not repository.get("url"):
        return None
    return f"{repository['url'].rstrip('/')}/blob/{repository.get('branch', 'main')}"


def _path_to_book(config: Path) -> str:
    """Where the book lies in its repository (``ja`` for the Japanese edition's ja/_config.yml)."""
    if not Path(config).is_file():
        return ""
    import yaml

    repository = (yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}).get(
        "repository", {}
    )
    return repository.get("path_to_book", "") or ""


def build(notebooks: Path, out: Path, base_url: str | None = None) -> list[Path]:
    """Write student and nbgrader source versions of every notebook with exercises.

    ``base_url`` defaults to the repository named in ``_config.yml`` beside ``notebooks``.
    """
    notebooks, out = Path(notebooks), Path(out)
    config = notebooks.resolve().parent / "_config.yml"
    if base_url is None:
        base_url = repository_files_url(config)
    folder = (PurePosixPath(_path_to_book(config)) / "notebooks").as_posix()
    paths = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError(f"no notebooks named NN_topic.ipynb in {notebooks}.")
    for sub in ("student", "nbgrader"):  # only what an earlier build wrote
        shutil.rmtree(out / sub, ignore_errors=True)
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        try:
            student = student_notebook(nb, base_url, folder)
            source = source_notebook(nb, base_url, folder)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from None
        targets = [out / "student" / path.name, out / "nbgrader" / "source" / path.stem / path.name]
        for target, version in zip(targets, (student, source), strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(version, target)
            written.append(target)
    return written


def main(argv: list[str]) -> int:
    notebooks = Path(argv[0]) if argv else Path("notebooks")
    out = Path(argv[1]) if len(argv) > 1 else Path("_build/assignments")
    written = build(notebooks, out)
    students = [p for p in written if p.parent.name == "student"]
    print(f"Wrote {len(students)} student notebooks to {out / 'student'}")
    print(f"and their nbgrader source versions to {out / 'nbgrader' / 'source'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
