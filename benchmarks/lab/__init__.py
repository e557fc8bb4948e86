"""The machinery of the measurement scripts in ``benchmarks/``, which the notebooks never import.

The notebooks import ``helpers`` and nothing else; the scripts that make the measurements the
chapters read (``helpers/resources/*.json``, the stored weights) import ``helpers`` too, and
this package for the rest, one module per concern:

- ``records``: writing a result file and what every run records about the machine;
- ``rounding``: the nudge to the initial weights that measures how far rounding moves a result;
- ``sine``: the gate statistics of the sine recipes (``sine_recipes.py``, chapter 6);
- ``compare``: the runs of chapter 5's comparison and its file (``compare_cells.py``);
- ``text``: d2l's recipe, the stored weights' writer, curves for JSON (the ``text_*.py`` scripts).

Import it as ``lab``: ``python benchmarks/<script>.py`` puts ``benchmarks/`` first on the path,
and the tests get it there from pyproject.toml (``pythonpath``). Nothing in ``helpers`` imports
it. Its tests are ``tests/test_lab_*.py``.
"""
