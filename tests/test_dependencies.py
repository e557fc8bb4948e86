"""One source for each dependency, and the locks agree with it and with each other.

- pyproject.toml declares what the helpers package imports, with lower bounds (`make lowest`
  tests them);
- requirements.in lists the book's direct needs, tests/requirements.in the test tools';
- requirements.txt and tests/requirements.txt are their locks (`make lock`, pip-tools): every
  package, transitive ones included, pinned exactly. They are what .venv, Binder and CI install.

The checks read the installed packages' metadata, never the network: the locks are complete
(every requirement of a locked package is locked too), hold nothing unneeded, meet the top-level
lists, and are what is installed here.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11")

ROOT = Path(__file__).resolve().parents[1]
BOOK_LOCK = ROOT / "requirements.txt"
TEST_LOCK = ROOT / "tests" / "requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def requirement_lines(path: Path) -> list[str]:
    """The lines pip reads from a requirements file: comments and blank lines left out."""
    lines = (raw.split(" #")[0].strip() for raw in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def pins(path: Path) -> dict[NormalizedName, str]:
    """{canonical name: version} of a lock; any line that is not `name==version` fails."""
    found = {}
    for line in requirement_lines(path):
        match = PIN.match(line)
        assert match, f"{path.relative_to(ROOT)}: {line!r} is not an exact pin (name==version)"
        found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def top_level(path: Path) -> dict[NormalizedName, Requirement]:
    """The requirements of a top-level list (a .in file), its -c/-r lines left out."""
    lines = [line for line in requirement_lines(path) if not line.startswith("-")]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def declared() -> dict[NormalizedName, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


@functools.cache
def _module_owners() -> dict[str, list[str]]:
    """{top-level module: distributions}; scanning every installed package takes seconds."""
    return importlib.metadata.packages_distributions()


def distribution(module: str) -> NormalizedName:
    """The installed distribution a module comes from (dotted: a namespace package's part)."""
    owners = _module_owners()[module.split(".")[0]]
    if len(owners) > 1:  # a namespace (sphinxcontrib): the one that holds the module's folder
        folder = module.replace(".", "/") + "/"
        files = {d: importlib.metadata.files(d) or [] for d in owners}
        owners = [d for d in owners if any(str(f).startswith(folder) for f in files[d])]
    (dist,) = owners
    return canonicalize_name(dist)


def needs(name: str, extras: Iterable[str] = ()) -> set[NormalizedName]:
    """What an installed package requires here (this Python, this platform, these extras)."""
    out = set()
    for text in importlib.metadata.requires(name) or []:
        requirement = Requirement(text)
        wanted = [""] + list(extras)  # the base requirements, then each extra's
        if requirement.marker is None or any(
            requirement.marker.evaluate({**default_environment(), "extra": extra})
            for extra in wanted
        ):
            out.add(canonicalize_name(requirement.name))
            out |= {f"{canonicalize_name(requirement.name)}[{e}]" for e in requirement.extras}
    return out


def closure(roots: Iterable[Requirement]) -> set[NormalizedName]:
    """Every package the roots need, transitively, read from the installed metadata."""
    seen: set[str] = set()
    todo = [canonicalize_name(r.name) for r in roots]
    todo += [f"{canonicalize_name(r.name)}[{e}]" for r in roots for e in r.extras]
    while todo:
        item = todo.pop()
        if item in seen:
            continue
        seen.add(item)
        name, _, extra = item.partition("[")
        todo += needs(name, [extra.rstrip("]")] if extra else [])
    return {NormalizedName(item) for item in seen if "[" not in item}


def imported_modules(folder: Path) -> dict[str, list[str]]:
    """{top-level module: files} imported under ``folder``, optional imports left out.

    An import inside ``try: ... except ModuleNotFoundError`` is optional: the code runs
    without it. Imports only a type checker reads (``if TYPE_CHECKING:``) count: mypy needs them.
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


# --- the locks ---------------------------------------------------------------------------------


def test_the_locks_pin_every_package_exactly_and_agree():
    """No range, no editable line: a range could let pip take a multi-GB CUDA build of torch."""
    book, tests = pins(BOOK_LOCK), pins(TEST_LOCK)
    assert book["torch"] == "2.13.0", "torch's pin must match the CPU wheel (requirements.in)"
    assert "pip" in book, "the lock pins pip, which make installs first"
    clash = {n: (book[n], tests[n]) for n in book.keys() & tests.keys() if book[n] != tests[n]}
    assert not clash, f"pinned differently in the two locks (book, tests): {clash}: make lock"


@pytest.mark.parametrize(
    "listed, lock",
    [(ROOT / "requirements.in", BOOK_LOCK), (ROOT / "tests/requirements.in", TEST_LOCK)],
)
def test_each_lock_meets_its_top_level_list(listed, lock):
    locked = pins(lock)
    for name, requirement in top_level(listed).items():
        assert name in locked, (
            f"{listed.name} lists {name}, which {lock.name} does not pin: make lock"
        )
        assert requirement.specifier.contains(Version(locked[name]), prereleases=True), (
            f"{lock.relative_to(ROOT)} pins {name}=={locked[name]}, outside {listed.name}'s "
            f"{requirement}: make lock"
        )


def test_the_tests_lock_is_constrained_by_the_book_lock():
    lines = requirement_lines(ROOT / "tests" / "requirements.in")
    assert "-c ../requirements.txt" in lines, "tests/requirements.in must read the book's lock"


def test_this_environment_is_the_locked_one():
    """What is installed here is what the locks say: a stale .venv or a missed `make lock` fails."""
    wrong = {}
    for name, version in (pins(BOOK_LOCK) | pins(TEST_LOCK)).items():
        try:  # a local label is the build (torch 2.13.0+cpu): the lock pins the release
            installed = Version(importlib.metadata.version(name)).public
        except importlib.metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != Version(version).public:
            wrong[name] = f"locked {version}, installed {installed}"
    assert not wrong, f"the environment differs from the locks (make book, make test): {wrong}"


@pytest.mark.parametrize(
    "listed, lock, also",
    [
        (ROOT / "requirements.in", BOOK_LOCK, ()),
        (ROOT / "tests" / "requirements.in", TEST_LOCK, (BOOK_LOCK,)),
    ],
    ids=["book", "tests"],
)
def test_each_lock_is_complete_and_holds_nothing_unneeded(listed, lock, also):
    """The lock is the closure of its top-level list, read from the installed packages' metadata.

    The tests' lock may leave out what the book's lock already pins (it is read as constraints).
    """
    locked = set(pins(lock))
    outside = set().union(*(pins(path) for path in also))
    needed = closure(top_level(listed).values())
    missing = needed - locked - outside
    assert not missing, f"{lock.relative_to(ROOT)} misses {sorted(missing)}: make lock"
    unneeded = locked - needed
    assert not unneeded, f"{lock.relative_to(ROOT)} pins {sorted(unneeded)}, needed by nothing"


# --- the package and the book ------------------------------------------------------------------


def test_the_learner_s_package_holds_no_teacher_s_tool():
    """pip install of the book's package pulls only what the notebooks need: nbformat and
    PyYAML, which only the teacher's tool (teaching/assignments.py) reads files with, are not
    among its dependencies, and the package imports neither."""
    assert not {"nbformat", "pyyaml"} & set(declared())
    assert not {"nbformat", "yaml"} & set(imported_modules(ROOT / "helpers"))


def test_helpers_declares_what_it_imports():
    modules = imported_modules(ROOT / "helpers")
    needed = {distribution(m) for m in modules if m != "helpers"}
    missing = needed - set(declared())
    assert not missing, f"helpers imports {sorted(missing)} but pyproject.toml does not declare it"
    unused = set(declared()) - needed - {"numpy"}  # numpy: Tensor.numpy() needs it, unimported
    assert not unused, f"pyproject.toml declares {sorted(unused)}, which helpers never imports"


@pytest.mark.parametrize("name", sorted(declared()))
def test_the_tested_pins_meet_the_declared_bounds(name):
    tested = pins(BOOK_LOCK)
    assert name in tested, f"{name} is declared in pyproject.toml but not pinned for testing"
    assert name in top_level(ROOT / "requirements.in"), f"requirements.in should list {name}"
    version = Version(tested[name])
    assert declared()[name].specifier.contains(version, prereleases=True), (
        f"requirements.txt pins {name}=={version}, outside pyproject.toml's {declared()[name]}"
    )


def test_every_sphinx_extension_the_book_names_is_listed_and_locked():
    """_config.yml's extensions and theme: each a direct need in requirements.in, so pinned."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]
    local = set(config.get("local_extensions", {}))
    modules = {name for name in config["config"]["extensions"] if name not in local}
    assert modules, "_config.yml names no Sphinx extension: has its layout changed?"
    listed = top_level(ROOT / "requirements.in")
    for module in sorted(modules):
        dist = distribution(module)  # sphinx.ext.intersphinx: sphinx
        assert dist in listed, f"_config.yml uses {module} ({dist}): list it in requirements.in"
        assert dist in pins(BOOK_LOCK)


def test_the_tests_and_benchmarks_import_only_what_the_locks_pin():
    installed = set(pins(BOOK_LOCK)) | set(pins(TEST_LOCK))
    # this repository's own modules: helpers, teaching, and the .py files and packages the tests
    # put on the path (benchmarks/lab)
    local = {"helpers", "teaching"} | {
        path.parent.name if path.name == "__init__.py" else path.stem
        for folder in ("tests", "benchmarks", "book/_ext")
        for path in (ROOT / folder).rglob("*.py")
    }
    for folder in ("tests", "benchmarks", "book/_ext", "teaching"):
        for module, files in imported_modules(ROOT / folder).items():
            if module not in local:
                assert distribution(module) in installed, (
                    f"{folder}/{files[0]} imports {module}, which no lock pins"
                )
