"""The book builds with warnings treated as errors, and its code really runs.

The book sources are copied to a temporary directory so the test neither
reads nor disturbs the developer's ``_build/`` (or its execution cache).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK_SOURCES = ("_config.yml", "_toc.yml", "book")


def _copy_book_sources(dest: Path) -> None:
    for name in BOOK_SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                dest / name,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_build"),
            )
        else:
            shutil.copy2(src, dest / name)


def _root_page(html_dir: Path) -> Path:
    """The page index.html leads to (Jupyter Book 1.x writes a redirect there)."""
    index = html_dir / "index.html"
    text = index.read_text(encoding="utf-8")
    match = re.search(r'http-equiv="refresh"[^>]*url=([^"\s]+)', text, re.IGNORECASE)
    return html_dir / match.group(1) if match else index


@pytest.mark.slow
def test_book_builds_and_runs_the_package(tmp_path: Path) -> None:
    import rnncourse

    # Use the jupyter-book of the environment running the tests (the venv
    # created by `make`); don't resolve symlinks, that would leave the venv.
    bindir = Path(sys.executable).parent
    jupyter_book = bindir / "jupyter-book"
    if not jupyter_book.exists():
        pytest.fail(
            f"jupyter-book not found next to {sys.executable}; "
            "run the tests with `make test` (or .venv/bin/python -m pytest)"
        )

    src = tmp_path / "src"
    src.mkdir()
    _copy_book_sources(src)

    # Kernels and helper programs must come from the same environment.
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(
        [str(jupyter_book), "build", str(src), "-W", "-n", "--keep-going"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    # A failing cell's traceback is written to a report, not to the console.
    for report in sorted((src / "_build" / "html" / "reports").rglob("*.err.log")):
        output += f"\n--- {report.relative_to(src)} ---\n{report.read_text(errors='replace')}"
    assert proc.returncode == 0, f"jupyter-book build failed (exit {proc.returncode}):\n{output}"

    html_dir = src / "_build" / "html"
    index = html_dir / "index.html"
    assert index.is_file(), f"{index} was not written:\n{output}"

    page = _root_page(html_dir)
    assert page.is_file(), f"index.html redirects to {page}, which does not exist"
    html = page.read_text(encoding="utf-8")
    assert re.search(
        r'class="output[^"]*"[\s\S]*?' + re.escape(rnncourse.__version__), html
    ), f"{page.name} does not show the executed output {rnncourse.__version__!r}"
