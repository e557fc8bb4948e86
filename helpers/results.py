"""The shipped results of the book's long measurements, and where they ship (chapters 5 to 7).

Some measurements take minutes or hours: many seeds, many settings. A script in
``benchmarks/`` makes each one and writes ``helpers/resources/<name>.json``, which ships
inside this package (``RESOURCES``), so a notebook handed out alone reads it offline. ``read``
returns a file as it is, a dict: its settings, seeds and versions and, where the measurement
has one row per run, its ``"rows"``. ``load`` turns those rows into a pandas ``DataFrame``
(nested fields become columns such as ``recipe.lr``) and returns the rest of the file as a
dict. The scripts write the files with the measurement machinery in ``benchmarks/lab/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by load only: the modules that read RESOURCES need not
    import pandas as pd

__all__ = ["load", "read"]

RESOURCES = Path(__file__).resolve().parent / "resources"
# the files whose script is not benchmarks/<name>.py
_MADE_BY = {
    "rnn_vs_lstm": "benchmarks/compare_cells.py",
    "memory_budget": "benchmarks/memory_sweep.py (the budget control: see its docstring)",
    "timemachine_lstm": "benchmarks/text_weights.py",
}


def read(name: str) -> dict[str, object]:
    """Read ``resources/<name>.json`` as it is, a dict; a file with ``"rows"`` must have some.

    ``read("memory_sweep")`` reads what ``benchmarks/memory_sweep.py`` wrote.
    """
    available = sorted(p.stem for p in RESOURCES.glob("*.json"))
    if not isinstance(name, str) or name not in available:
        raise ValueError(
            f"no shipped results called {name!r}; the names are {', '.join(available)} "
            "(the files in helpers/resources/ that the scripts in benchmarks/ write)."
        )
    path = RESOURCES / f"{name}.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(content, dict) or ("rows" in content and not content["rows"]):
        made_by = _MADE_BY.get(name, f"benchmarks/{name}.py")
        raise ValueError(f"{path} holds no rows; re-create it with {made_by}.")
    return content


def load(name: str) -> tuple[dict[str, object], pd.DataFrame]:
    """Read ``resources/<name>.json``: its description (a dict) and its rows (a DataFrame).

    ``load("rnn_vs_lstm")`` reads what ``benchmarks/compare_cells.py`` wrote.
    """
    import pandas as pd

    content = read(name)
    rows = content.pop("rows", None)
    if not isinstance(rows, list):
        raise ValueError(f"{name}.json has no rows to tabulate; read it with results.read.")
    return content, pd.json_normalize(rows)
