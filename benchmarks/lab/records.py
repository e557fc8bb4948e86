"""Writing a measurement's results, and what every run records about where it ran.

The shipped results are JSON in ``helpers/resources/``, read back by ``helpers.results``.
``save_cache`` writes a file with one row per run, one row a line, so a diff of a re-run
shows which rows moved; ``save_json`` writes one indented through and through. ``versions``
and ``machine`` are the fields that say what ran the measurement, and on what.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from pathlib import Path

import torch

__all__ = ["load_average", "machine", "save_cache", "save_json", "versions"]


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


def save_json(results: Mapping[str, object], path: str | os.PathLike) -> None:
    """Write ``results`` as indented JSON, creating the folder if need be."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def versions() -> dict[str, str]:
    """Python's and PyTorch's versions and the platform: what a result may depend on."""
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "platform": platform.platform(),
    }


def load_average() -> float | None:
    """The machine's load over the last minute (None where the system does not say)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def machine(jobs: int, load_before: float | None) -> dict[str, float | None]:
    """The machine a measurement ran on: its CPUs, the processes used, its load at the start."""
    return {"cpus": os.cpu_count(), "jobs": jobs, "load_before": load_before}
