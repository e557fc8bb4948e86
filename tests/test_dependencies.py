"""One source for each dependency: what helpers imports is declared, and the pins agree.

pyproject.toml declares what the package imports, with lower bounds; requirements.txt pins
the tested environment (and installs the package); tests/requirements.txt adds the test tools.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11")

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def pins(path: Path) -> dict[str, str]:
    """{canonical name: version} of a requirements file, with the files it includes (-r)."""
    found = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#") or line == "-e .":
            continue
        if line.startswith("-r "):
            found |= pins((path.parent / line[3:]).resolve())
        elif match := PIN.match(line):
            found[canonicalize_name(match.group(1))] = match.group(2)
        else:
            raise AssertionError(f"{path.name}: {line!r} is not an exact pin (name==version)")
    return found


def declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


def imported_modules(folder: Path) -> dict[str, list[str]]:
    """{top-level module: files} imported under ``folder``, optional imports left out.

    An import inside ``try: ... except ModuleNotFoundError`` is optional: the code runs
    without it.
    """
    modules: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        optional = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in {"ModuleNotFoundError", "ImportError"}
                for h in node.handlers
            ):
                optional |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "__future__":
                    modules.setdefault(top, []).append(path.name)
    return modules


def distribution(module: str) -> str:
    (dist,) = importlib.metadata.packages_distributions()[module]
    return canonicalize_name(dist)


def test_every_requirements_line_is_an_exact_pin_and_installs_the_helpers():
    """No range anywhere: a range could let pip take a multi-GB CUDA build of torch."""
    tested = pins(ROOT / "requirements.txt")
    assert tested["torch"] == "2.13.0"
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in lines, "make book installs the helpers from requirements.txt"
    assert not set(tested) & set(pins(ROOT / "tests" / "requirements.txt")), "pinned twice"


def test_helpers_declares_what_it_imports():
    modules = imported_modules(ROOT / "helpers")
    needed = {distribution(m) for m in modules if m != "helpers"}
    missing = needed - set(declared())
    assert not missing, f"helpers imports {sorted(missing)} but pyproject.toml does not declare it"
    unused = set(declared()) - needed - {"numpy"}  # numpy: Tensor.numpy() needs it, unimported
    assert not unused, f"pyproject.toml declares {sorted(unused)}, which helpers never imports"


@pytest.mark.parametrize("name", sorted(declared()))
def test_the_tested_pins_meet_the_declared_bounds(name):
    tested = pins(ROOT / "requirements.txt")
    assert name in tested, f"{name} is declared in pyproject.toml but not pinned for testing"
    version = Version(tested[name])
    assert declared()[name].specifier.contains(version, prereleases=True), (
        f"requirements.txt pins {name}=={version}, outside pyproject.toml's {declared()[name]}"
    )


def test_the_tests_and_benchmarks_import_only_what_make_test_installs():
    installed = set(pins(ROOT / "requirements.txt")) | set(
        pins(ROOT / "tests" / "requirements.txt")
    )
    # this repository's own modules: helpers, and the .py files the tests put on the path
    local = {"helpers"} | {
        path.stem
        for folder in ("tests", "benchmarks", "book/_ext")
        for path in (ROOT / folder).rglob("*.py")
    }
    for folder in ("tests", "benchmarks"):
        for module, files in imported_modules(ROOT / folder).items():
            if module not in local:
                assert distribution(module) in installed, (
                    f"{folder}/{files[0]} imports {module}, which no requirements file pins"
                )
