"""Build the whole book once per test session, from a copy, and share the result.

``test_book_pages.py`` (static checks of the HTML) and ``test_browser.py`` (the
pages in a real browser) both need a freshly built book. Building it takes
minutes, so the first test that asks for it builds it and every later one gets
the same :class:`BuiltBook`. It is built as ``make book`` builds it, with
``book/build.py`` (``jupyter-book build``, pages executed in parallel processes).
The sources are copied to a temporary directory, as in ``test_book_build.py``,
so the developer's ``_build/`` and its execution cache are neither read nor touched.

Use it from a test module with::

    from support.book_fixture import built_book  # noqa: F401  (a pytest fixture)

The build is cached in this module, not only by pytest's session scope: a
session fixture imported into two test modules is registered twice, and the
cache keeps that from building the book twice.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]          # tests/support/ -> the repository
# assignments/: the book publishes the student versions generated from it;
# rnncourse/ and tests/: book/extending.md checks that the paths it names exist
BOOK_SOURCES = ("_config.yml", "_toc.yml", "book", "assignments", "rnncourse", "tests")
BUILD_TIMEOUT = 900  # seconds; a cold build of the whole book on 2 cores takes a few minutes


@dataclass(frozen=True)
class BuiltBook:
    """The outcome of one ``python book/build.py <copy> -W -n --keep-going``, as ``make book`` runs it."""

    src: Path          #: the copy of the sources that was built
    html_dir: Path     #: ``src/_build/html``
    returncode: int
    log: str           #: stdout, stderr and every cell-failure report, for error messages
    seconds: float     #: wall-clock duration of the build

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def pages(self) -> list[Path]:
        """Every HTML page of the book (not the search page, the index or Sphinx's own pages)."""
        skip = {"search.html", "genindex.html", "py-modindex.html", "index.html"}
        return sorted(p for p in self.html_dir.rglob("*.html")
                      if p.name not in skip
                      and not p.relative_to(self.html_dir).parts[0].startswith(("_", ".")))


def _copy_book_sources(dest: Path) -> None:
    for name in BOOK_SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_build", ".pytest_cache",
                                                          "release", "submitted", "autograded", "feedback",
                                                          "gradebook.db", "grades.csv"))
        else:
            shutil.copy2(src, dest / name)


def _jupyter_book() -> Path:
    # The jupyter-book of the environment running the tests (the venv made by
    # `make`); the path is not resolved, which would leave the venv.
    exe = Path(sys.executable).parent / "jupyter-book"
    if not exe.exists():
        pytest.fail(f"jupyter-book not found next to {sys.executable}; run the tests with "
                    "`make test` (or .venv/bin/python -m pytest)")
    return exe


def build_command(src: Path) -> list[str]:
    """What `make book` runs, on the copy: book/build.py (jupyter-book build, pages in parallel)."""
    return [sys.executable, str(src / "book" / "build.py"), str(src), "-W", "-n", "--keep-going"]


_CACHE: dict[str, BuiltBook] = {}


def build_book(workdir: Path) -> BuiltBook:
    """Copy the sources into ``workdir/src`` and build them; the first call of a session only."""
    if "book" in _CACHE:
        return _CACHE["book"]
    import time

    src = workdir / "src"
    src.mkdir(parents=True)
    _copy_book_sources(src)
    exe = _jupyter_book()
    # Kernels and helper programs must come from the same environment.
    env = dict(os.environ, PATH=f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.monotonic()
    try:
        proc = subprocess.run(build_command(src), cwd=src, env=env, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT)
        returncode, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        returncode, out, err = -1, str(exc.stdout or ""), f"build timed out after {BUILD_TIMEOUT} s"
    seconds = time.monotonic() - start
    # every kernel start logs the same harmless transport warning; keep the log readable
    err = "\n".join(line for line in err.splitlines() if "Kernel is running over TCP" not in line)
    log = f"--- stdout ---\n{out}\n--- stderr ---\n{err}"
    # A failing cell's traceback is written to a report, not to the console.
    for report in sorted((src / "_build" / "html" / "reports").rglob("*.err.log")):
        log += f"\n--- {report.relative_to(src)} ---\n{report.read_text(errors='replace')}"
    _CACHE["book"] = BuiltBook(src=src, html_dir=src / "_build" / "html", returncode=returncode,
                               log=log, seconds=seconds)
    return _CACHE["book"]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> BuiltBook:
    """The whole book, built once per session from a copy of the sources."""
    if "book" in _CACHE:
        return _CACHE["book"]
    return build_book(tmp_path_factory.mktemp("book"))


def require_html(book: BuiltBook) -> None:
    """Fail a test that needs the HTML when the build wrote none.

    A build that failed with ``--keep-going`` (a warning, or a cell error on one
    page) still writes every page; ``test_book_builds_without_warnings`` reports
    that failure, and the other checks go on with the pages that exist.
    """
    if not (book.html_dir / "index.html").is_file() or not book.pages():
        pytest.fail(f"the book build wrote no HTML (exit {book.returncode}); last lines of its log:\n"
                    f"{book.log[-3000:]}")
