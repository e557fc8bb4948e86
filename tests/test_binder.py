"""Binder and Colab run the book from the repository named in _config.yml (issue 4).

binder/requirements.txt must pin what requirements.txt pins (torch as its CPU build), and each
notebook's first code cell installs `helpers` from that same repository when it is missing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def repository_url() -> str:
    """The one repository URL, from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/")


def install_cell(url: str) -> str:
    """The first code cell every notebook starts with (CONTENT.md, issue 4)."""
    return (
        "# On Colab or any fresh environment, install the book's helpers once; "
        "elsewhere this does nothing.\n"
        "try:\n"
        "    import helpers\n"
        "except ModuleNotFoundError:\n"
        f'    %pip install --quiet "git+{url}"'
    )


def read_requirements(path: Path) -> tuple[dict[str, str], list[str]]:
    """({normalised name: pinned version}, other lines such as options and `-e .`)."""
    pins, other = {}, []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if match := _PIN.match(line):
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
        else:
            other.append(line)
    return pins, other


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_binder_pins_agree_with_requirements():
    tested, _ = read_requirements(ROOT / "requirements.txt")
    binder, _ = read_requirements(ROOT / "binder" / "requirements.txt")
    assert binder, "binder/requirements.txt pins nothing"
    disagree = [
        f"{name}: binder {version}, requirements.txt {tested.get(name, 'absent')}"
        for name, version in binder.items()
        if tested.get(name) != version.split("+")[0]  # +cpu is torch's CPU build label
    ]
    assert not disagree, "binder/requirements.txt differs from requirements.txt:\n" + "\n".join(
        disagree
    )


def test_binder_installs_cpu_torch_and_the_helpers():
    binder, other = read_requirements(ROOT / "binder" / "requirements.txt")
    assert binder.get("torch", "").endswith("+cpu"), "Binder should pin the CPU build: torch==X+cpu"
    assert f"--extra-index-url {CPU_INDEX}" in other, f"the CPU wheels come from {CPU_INDEX}"
    assert "-e ." in other, "binder/requirements.txt should install the book's helpers (-e .)"
    unpinned = [line for line in other if not line.startswith(("--extra-index-url", "-e ."))]
    assert not unpinned, f"every Binder package needs an exact pin (==): {unpinned}"
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-3.11", f"Binder should run the tested Python 3.11, not {runtime}"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_first_code_cell_installs_helpers_from_the_repository(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code:  # a placeholder chapter not written yet has no code to run
        pytest.fail(f"{path.name} has no code cell, so no install cell for Colab")
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
