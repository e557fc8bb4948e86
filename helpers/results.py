"""The shipped results of the book's long measurements, read as tables (chapters 5 to 8).

Some measurements take minutes or hours: many seeds, many settings. A script in
``benchmarks/`` makes each one and writes ``helpers/resources/<name>.json``, which ships
inside this package, so a notebook handed out alone reads it offline. ``load`` turns a file's
rows into a pandas ``DataFrame``, one row per run (nested fields become columns such as
``recipe.lr``), and returns the rest of the file, the settings, seeds and versions, as a dict.
"""

from __future__ import annotations

import json

import pandas as pd

from helpers.cache import RESOURCES

__all__ = ["load"]


def load(name: str) -> tuple[dict[str, object], pd.DataFrame]:
    """Read ``resources/<name>.json``: its description (a dict) and its rows (a DataFrame).

    ``load("memory_sweep")`` reads what ``benchmarks/memory_sweep.py`` wrote.
    """
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
