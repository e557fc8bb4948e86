"""The shipped results of the book's long measurements, and where they ship (chapters 5 to 7).

Some measurements take minutes or hours: many seeds, many settings. A script in
``benchmarks/`` makes each one and writes ``helpers/resources/<name>.json``, which ships
inside this package (``RESOURCES``), so a notebook handed out alone reads it offline. ``load``
turns a file's rows into a pandas ``DataFrame``, one row per run (nested fields become
columns such as ``recipe.lr``), and returns the rest of the file, the settings, seeds and
versions, as a dict. ``load_cache`` reads a file as it is, a dict: the chapters' own loaders
(``recipes.load_recipes``, ``memory.load_sweep``, ``language.load_measurements``) go through
it. The scripts write the files with the measurement machinery in ``benchmarks/lab/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by load only: the modules that read RESOURCES need not
    import pandas as pd

__all__ = ["load"]

RESOURCES = Path(__file__).resolve().parent / "resources"


def load_cache(path: str | os.PathLike, script: str, *, rows: bool = True) -> dict[str, object]:
    """Read a file that ``script`` (a file in benchmarks/) wrote, or say how to make it.

    With ``rows`` (files with one row per run) a file without rows is refused too.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no cache at {path}; create it with `python {script}`.")
    cache = json.loads(path.read_text(encoding="utf-8"))
    if rows and not cache.get("rows"):
        raise ValueError(f"{path} holds no rows; re-run `python {script}`.")
    return cache


def load(name: str) -> tuple[dict[str, object], pd.DataFrame]:
    """Read ``resources/<name>.json``: its description (a dict) and its rows (a DataFrame).

    ``load("memory_sweep")`` reads what ``benchmarks/memory_sweep.py`` wrote.
    """
    import pandas as pd

    available = sorted(p.stem for p in RESOURCES.glob("*.json"))
    if not isinstance(name, str) or name not in available:
        raise ValueError(
            f"no shipped results called {name!r}; the names are {', '.join(available)}."
        )
    path = RESOURCES / f"{name}.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    rows = content.pop("rows", None) if isinstance(content, dict) else None
    if not rows:
        made_by = content.get("script", "its script in benchmarks/")
        raise ValueError(f"{path} holds no rows; re-create it with {made_by}.")
    return content, pd.json_normalize(rows)
