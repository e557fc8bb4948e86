"""A notebook code cell as Python that ``ast`` can parse: what the tests that read the chapters'
code (test_helpers_api.py, test_helper_provenance.py) share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def python_of(cell: Mapping[str, Any]) -> str:
    """A code cell's source with its magics (%matplotlib, !pip) as ``pass``, keeping their
    indent, so that it parses."""
    source = cell["source"]
    text = source if isinstance(source, str) else "".join(source)
    return "\n".join(
        line[: len(line) - len(line.lstrip())] + "pass"
        if line.lstrip().startswith(("%", "!"))
        else line
        for line in text.splitlines()
    )
