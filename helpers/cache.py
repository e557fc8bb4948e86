"""Cached results of long runs, shipped inside the package (chapters 5, 6 and 7).

A script in ``benchmarks/`` trains for many minutes and writes its results with ``save_cache``
into ``helpers/resources/``; the chapter reads them with ``load_cache``, offline, wherever the
package is installed. The file is JSON with one row per line, so a diff of a re-run shows
which rows moved.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["RESOURCES", "load_cache", "save_cache"]

RESOURCES = Path(__file__).resolve().parent / "resources"


def save_cache(cache: Mapping[str, object], path: str | os.PathLike) -> None:
    """Write ``cache`` (a dict with a list under "rows") as JSON, one row a line."""
    rows = cache.get("rows")
    if not isinstance(rows, list) or not rows:
        raise ValueError("cache must hold a non-empty list under 'rows'; nothing was written.")
    head = {key: value for key, value in cache.items() if key != "rows"}
    text = json.dumps(head, indent=1)[:-2]  # the head without its closing "\n}"
    lines = ",\n  ".join(json.dumps(row) for row in rows)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(f'{text},\n "rows": [\n  {lines}\n ]\n}}\n', encoding="utf-8")


def load_cache(path: str | os.PathLike, script: str, *, rows: bool = True) -> dict[str, object]:
    """Read a cache that ``script`` (a file in benchmarks/) wrote, or say how to make it.

    With ``rows`` (caches written by ``save_cache``) a cache without rows is refused too.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no cache at {path}; create it with `python {script}`.")
    cache = json.loads(path.read_text(encoding="utf-8"))
    if rows and not cache.get("rows"):
        raise ValueError(f"{path} holds no rows; re-run `python {script}`.")
    return cache
