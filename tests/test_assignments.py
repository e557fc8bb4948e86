"""Student versions (`make assignments`): no solution left, valid, and solvable again."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.exercises import MARKER
from teaching.assignments import absolute_links, clear_solutions, main, repository_files_url

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in PATHS]


def test_clear_solutions_replaces_each_region_like_nbgrader():
    source = "\n".join(
        [
            "def f(x):",
            '    """Keep me."""',
            "    ### BEGIN SOLUTION",
            "    return x + 1",
            "    ### END SOLUTION",
            "",
            "### BEGIN SOLUTION",
            "y = f(1)",
            "### END SOLUTION",
            "print(y)",
        ]
    )
    assert clear_solutions(source).split("\n") == [
        "def f(x):",
        '    """Keep me."""',
        "    # YOUR CODE HERE",
        "    raise NotImplementedError()",
        "",
        "# YOUR CODE HERE",
        "raise NotImplementedError()",
        "print(y)",
    ]
    assert clear_solutions("x = 1") == "x = 1"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("### BEGIN SOLUTION\nx = 1", "without its END"),
        ("x = 1\n### END SOLUTION", "without its BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another"),
    ],
)
def test_clear_solutions_rejects_broken_regions(source, problem):
    with pytest.raises(ValueError, match=f"cell 7: .*{problem}"):
        clear_solutions(source, "cell 7")


BASE = "https://github.com/o/r/blob/main"


def test_absolute_links_point_at_the_repository():
    source = (
        "See [the glossary](../book/glossary.md#noise-floor), [chapter 2](02_data_windowing.ipynb)"
        " and [a page](./../book/running.md); keep [a site](https://example.org), [this](#here),"
        " and ![a drawing](data:image/png;base64,AAAA)."
    )
    assert absolute_links(source, BASE + "/") == (
        f"See [the glossary]({BASE}/book/glossary.md#noise-floor), "
        f"[chapter 2]({BASE}/notebooks/02_data_windowing.ipynb)"
        f" and [a page]({BASE}/book/running.md); keep [a site](https://example.org), [this](#here),"
        " and ![a drawing](data:image/png;base64,AAAA)."
    )
    with pytest.raises(ValueError, match="leaves the repository"):
        absolute_links("[up](../../elsewhere.md)", BASE)


def test_repository_url_comes_from_the_book_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/o/r/\n  branch: dev\n")
    assert repository_files_url(config) == "https://github.com/o/r/blob/dev"
    config.write_text("title: no repository\n")
    assert repository_files_url(config) is None
    assert repository_files_url(tmp_path / "missing.yml") is None
    book = repository_files_url(NOTEBOOKS.parent / "_config.yml")
    assert book and book.startswith("https://github.com/")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("assignments")
    assert main([str(NOTEBOOKS), str(out)]) == 0
    return out


def solution_lines(source: str) -> list[str]:
    """The code lines inside solution regions (comments and blank lines left out)."""
    lines, inside = [], False
    for line in source.splitlines():
        if MARKER.match(line):
            inside = "BEGIN" in line
        elif inside and line.split("#")[0].strip():
            lines.append(line.split("#")[0].strip())
    return lines


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_student_version_holds_no_solution_and_is_valid(built, path):
    book = nbformat.read(path, as_version=4)
    student = nbformat.read(built / "student" / path.name, as_version=4)
    source = nbformat.read(built / "nbgrader" / "source" / path.stem / path.name, as_version=4)
    for version in (student, source):
        nbformat.validate(version)
        assert "widgets" not in version.metadata
        assert len(version.cells) == len(book.cells)
        assert all(c.outputs == [] for c in version.cells if c.cell_type == "code")
    n_answers = 0
    for book_cell, cell, kept in zip(book.cells, student.cells, source.cells, strict=True):
        assert not any(MARKER.match(line) for line in cell.source.splitlines())
        secret = solution_lines(book_cell.source)
        if secret:
            n_answers += 1
            assert nbgrader(cell)["solution"] and not nbgrader(cell)["grade"]
            assert "# YOUR CODE HERE\n" in cell.source + "\n"
            assert "raise NotImplementedError()" in cell.source
            assert kept.source == book_cell.source  # the instructor version keeps it
            student_lines = {line.split("#")[0].strip() for line in cell.source.splitlines()}
            assert not set(secret) & student_lines, f"solution left in {cell.source!r}"
        tags = book_cell.metadata.get("tags", [])
        if "hide-input" in tags:  # the site folds answers
            assert secret, "a folded cell is an answer cell"
            assert "tags" not in cell.metadata
    assert n_answers >= 2, "each chapter has a code and a predict exercise at least"
    graded = [nbgrader(c) for c in student.cells if nbgrader(c).get("grade")]
    ids = [nbgrader(c)["grade_id"] for c in student.cells if nbgrader(c)]
    assert len(ids) == len(set(ids)), "grade ids are unique"
    assert graded and all(m["points"] == 1 for m in graded)
    for version in (student, source):  # graded cells raise on a wrong answer: grade, not check
        tests = [c for c in version.cells if c.cell_type == "code" and nbgrader(c).get("grade")]
        assert tests and all(".grade(" in c.source and ".check(" not in c.source for c in tests)
    open_answers = [c for c in student.cells if c.cell_type == "markdown" and nbgrader(c)]
    assert [c.source for c in open_answers] == ["YOUR ANSWER HERE"]


def exercise_section(nb) -> list:
    """The cells from the `## Exercises` heading on."""
    start = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.source.lstrip().startswith("## Exercises")
    )
    return nb.cells[start:]


def outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


@pytest.mark.slow  # runs every check cell of every student version: about 20 s in all
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_student_version_fails_its_checks_until_solved_then_passes(built, path, monkeypatch):
    """Run the exercises as handed out, then with the book's solutions pasted back.

    The graded cells call grade(), which raises for a wrong answer whatever the environment.
    """
    book = nbformat.read(path, as_version=4)
    student = nbformat.read(built / "student" / path.name, as_version=4)
    pasted = nbformat.read(built / "student" / path.name, as_version=4)
    for book_cell, cell in zip(book.cells, pasted.cells, strict=True):
        if cell.cell_type == "code" and nbgrader(cell).get("solution"):
            cell.source = book_cell.source
    handed_out, solved = exercise_section(student), exercise_section(pasted)
    for i, cell in enumerate(solved):
        cell["id"] = f"solved-{i}"  # the two halves share their cell ids otherwise
    nb = nbformat.v4.new_notebook(metadata=student.metadata, cells=handed_out + solved)
    monkeypatch.setenv("HELPERS_PROGRESS", "0")
    NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    checks = [c for c in nb.cells if c.cell_type == "code" and nbgrader(c).get("grade")]
    assert len(checks) % 2 == 0 and checks
    before, after = checks[: len(checks) // 2], checks[len(checks) // 2 :]
    for cell in before:
        text = outputs_text(cell)
        assert "✓" not in text and ("Error" in text or "✗" in text), text
    for cell in nb.cells[len(handed_out) :]:
        assert not any(o.output_type == "error" for o in cell.get("outputs", [])), (
            cell.source,
            outputs_text(cell),
        )
    for cell in after:
        assert outputs_text(cell).startswith("✓"), outputs_text(cell)


# --- the Japanese edition's student versions (issue 18) ------------------------------------------

JA_NOTEBOOKS = NOTEBOOKS.parent / "ja" / "notebooks"


@pytest.fixture(scope="module")
def built_ja(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("assignments-ja")
    assert main([str(JA_NOTEBOOKS), str(out)]) == 0
    return out


def test_japanese_student_versions_link_to_the_right_edition_and_speak_japanese(built_ja):
    student = nbformat.read(built_ja / "student" / "01_rnn_concepts.ipynb", as_version=4)
    source = nbformat.read(
        built_ja / "nbgrader" / "source" / "01_rnn_concepts" / "01_rnn_concepts.ipynb",
        as_version=4,
    )
    assert student.metadata["book"] == {"language": "ja"}  # helpers.i18n reads it
    text = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    base = repository_files_url(JA_NOTEBOOKS.parent / "_config.yml")
    assert f"]({base}/ja/book/running.md)" in text  # translated: the Japanese page
    assert f"]({base}/ja/notebooks/02_data_windowing.ipynb)" in text
    assert f"]({base}/ja/notebooks/06_why_lstm.ipynb)" in text
    # the last chapter is translated too: chapter 6 links to the Japanese one (an untranslated
    # document would be linked in English, as chapter 7 was until it joined the edition)
    later = nbformat.read(built_ja / "student" / "06_why_lstm.ipynb", as_version=4)
    later_text = "\n".join(c.source for c in later.cells if c.cell_type == "markdown")
    assert f"]({base}/ja/notebooks/07_text_generation.ipynb)" in later_text
    # the glossary's headings stay English in the edition, so its anchors hold
    assert f"]({base}/ja/book/glossary.md#hidden-state)" in text
    answers = [c.source for c in source.cells if c.cell_type == "markdown" and nbgrader(c)]
    assert answers and answers[0].startswith("ステップ $t - k$ に届く勾配は")


@pytest.mark.slow  # runs the check cells of a Japanese student version
def test_japanese_student_version_gives_japanese_feedback(built_ja, monkeypatch):
    """The handed-out exercises, run where nothing but the notebook says Japanese."""
    student = nbformat.read(built_ja / "student" / "01_rnn_concepts.ipynb", as_version=4)
    start = next(i for i, c in enumerate(student.cells) if "from helpers.exercises" in c.source)
    nb = nbformat.v4.new_notebook(metadata=student.metadata, cells=student.cells[start:])
    path = built_ja / "student" / "01_rnn_concepts.ipynb"
    monkeypatch.setenv("HELPERS_PROGRESS", "0")
    monkeypatch.delenv("BOOK_LANGUAGE", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))  # as JupyterLab tells the kernel
    NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    checks = [
        outputs_text(c) for c in nb.cells if c.cell_type == "code" and nbgrader(c).get("grade")
    ]
    assert len(checks) == 3, checks
    assert checks[0].startswith("✗ q1 まだ: ケース 1/3"), checks[0]  # the code, still a stub
    assert "NotImplementedError を送出している" in checks[0] and "を試そう。" in checks[0]
    assert all("NameError" in t for t in checks[1:]), checks  # predictions not yet made
