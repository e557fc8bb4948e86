"""Binder and Colab run the book from the repository named in _config.yml.

Binder installs the tested environment, the lock requirements.txt, with PyTorch's CPU wheels; each
notebook's first code cell installs `helpers` from that same repository when it is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def repository_url() -> str:
    """The one repository URL, from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/")


def install_cell(url: str) -> str:
    """The first code cell every notebook starts with: on Colab it installs the helpers."""
    return (
        "# On Colab or any fresh environment, install the book's helpers once; "
        "elsewhere this does nothing.\n"
        "try:\n"
        "    import helpers\n"
        "except ModuleNotFoundError:\n"
        f'    %pip install --quiet "git+{url}"'
    )


def requirement_lines(path: Path) -> list[str]:
    """The lines pip reads, comments and blank lines left out."""
    lines = (raw.split(" #")[0].strip() for raw in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_binder_installs_the_tested_environment_with_cpu_torch():
    """Binder's file is derived: the lock, the helpers, and the index that serves CPU-only torch.

    The lock holds no editable line (tests/test_dependencies.py): the helpers come after it, as
    `make book` installs them.
    """
    lines = requirement_lines(ROOT / "binder" / "requirements.txt")
    assert lines == [f"--extra-index-url {CPU_INDEX}", "-r ../requirements.txt", "-e ."]
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-3.11", f"Binder should run the tested Python 3.11, not {runtime}"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_first_code_cell_installs_helpers_from_the_repository(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code:  # a placeholder chapter not written yet: nothing to run, nothing to install
        pytest.skip(f"{path.name} has no code cell yet")
    assert code[0].source.strip() == install_cell(repository_url()), (
        f"{path.name}: the first code cell must be the install cell, with the repository URL "
        f"from _config.yml ({repository_url()}); it is:\n{code[0].source}"
    )


def test_install_cell_does_nothing_when_helpers_import(monkeypatch):
    """Run the cell in IPython with a stand-in %pip: silent when helpers imports, else installs."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    calls: list[str] = []
    shell.register_magic_function(calls.append, magic_kind="line", magic_name="pip")
    cell = install_cell(repository_url())

    assert shell.run_cell(cell).success
    assert calls == [], "with helpers installed the cell should not call pip"

    monkeypatch.setitem(sys.modules, "helpers", None)  # now `import helpers` fails
    assert shell.run_cell(cell).success
    assert calls == [f'install --quiet "git+{repository_url()}"']
