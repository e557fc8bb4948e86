"""Fixtures for the PDF tests: the built editions, each with its PDF (pdf_support.py reads them).

An edition is a site under _build/html (one folder holding objects.inv) with its PDF in
_build/pdf; `make pdf` builds both, `make pdf-test` runs the tests marked `pdf` after it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))  # pdf_links, which build_pdf imports too

from pdf_support import build_pdf  # noqa: E402


def _sites() -> list[Path]:
    html = build_pdf.BUILD / "html"
    return build_pdf.find_sites(html) if html.is_dir() else []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that take `edition` run once per built site (English, and Japanese once built)."""
    if "edition" in metafunc.fixturenames:
        sites = _sites() or [None]
        ids = [str(s.relative_to(build_pdf.BUILD)) if s else "no-site" for s in sites]
        metafunc.parametrize("edition", sites, ids=ids, indirect=True, scope="session")


@pytest.fixture(scope="session")
def edition(request):
    """(Edition, its PDF): the edition's facts as build_pdf reads them, and the built file."""
    site = request.param
    if site is None:
        pytest.fail("no built site under _build/html: run `make book` and `make pdf` first")
    ed = build_pdf.edition(site, build_pdf.default_book(site, build_pdf.BUILD / "html"))
    pdf = build_pdf.OUT / ed.name
    if not pdf.is_file():
        pytest.fail(f"{pdf} not found: run `make pdf` (make pdf-test does)")
    return ed, pdf
