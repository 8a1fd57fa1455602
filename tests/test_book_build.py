"""The book builds with warnings treated as errors, and its code really runs.

The book is built once per session from a copy of the sources (see
``support/book_fixture.py``), so the developer's ``_build/`` and its execution cache are
neither read nor disturbed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)

# the worker that builds the book runs every test that needs it (see addopts in pyproject.toml)
pytestmark = pytest.mark.xdist_group("book")


def _root_page(html_dir: Path) -> Path:
    """The page index.html leads to (Jupyter Book 1.x writes a redirect there)."""
    index = html_dir / "index.html"
    text = index.read_text(encoding="utf-8")
    match = re.search(r'http-equiv="refresh"[^>]*url=([^"\s]+)', text, re.IGNORECASE)
    return html_dir / match.group(1) if match else index


@pytest.mark.slow
def test_book_runs_the_package(built_book):
    import rnncourse

    require_html(built_book)
    page = _root_page(built_book.html_dir)
    assert page.is_file(), f"index.html redirects to {page}, which does not exist"
    html = page.read_text(encoding="utf-8")
    assert re.search(r'class="output[^"]*"[\s\S]*?' + re.escape(rnncourse.__version__), html), \
        f"{page.name} does not show the executed output {rnncourse.__version__!r}"
