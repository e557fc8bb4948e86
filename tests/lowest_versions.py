"""pyproject.toml's lower bounds as pip constraints: the lowest version of each declared package.

`make lowest` installs these into a fresh venv, with the book's helpers, and executes every
chapter there: a bound that no longer works fails that run rather than a learner's install.
torch is the exception: it keeps the lock's pin, because its lowest declared version is not on
the book's build machines and PyPI's Linux wheel of it is a multi-GB CUDA build.

    python tests/lowest_versions.py > constraints.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
KEEP_LOCKED = {"torch"}  # installed at the lock's version (see above)
_LOWER = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([^\s,;]+)\s*$")


def lowest_constraints(pyproject: Path, lock: Path) -> list[str]:
    """`name==lowest` for every dependency pyproject.toml declares (torch: the lock's pin).

    Each dependency must be written `name>=version` (one lower bound, nothing else), so that
    its lowest version is plain; anything else is an error that says which line.
    """
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = dict(
        line.split(" ")[0].split("==", 1)
        for line in lock.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    )
    out = []
    for requirement in declared:
        match = _LOWER.match(requirement)
        if match is None:
            raise ValueError(
                f"pyproject.toml declares {requirement!r}: write it as name>=version, one lower "
                "bound, so that `make lowest` can install that version."
            )
        name, version = match.groups()
        if name.lower() in KEEP_LOCKED:
            version = pins[name.lower()]
        out.append(f"{name}=={version}")
    return out


if __name__ == "__main__":
    lock = ROOT / "requirements.txt"
    print("\n".join(lowest_constraints(ROOT / "pyproject.toml", lock)))
    sys.exit(0)
