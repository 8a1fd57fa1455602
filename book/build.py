"""Build the book with ``jupyter-book build``, executing its pages in parallel processes.

    python book/build.py [-j N] PATH [jupyter-book build options ...]
    python book/build.py . -W -n --keep-going          # what `make book` runs

Everything after ``-j N`` goes to ``jupyter-book build`` unchanged, so the build,
its options, its output (``PATH/_build/html``) and its execution cache are the
same as with the plain command. The only difference: Jupyter Book 1.x has no
``-j`` option, but its Sphinx build function takes ``jobs``; this script passes
it. Sphinx then reads the pages in ``N`` forked processes, and myst-nb executes
each page's notebook while reading it, so ``N`` notebooks run at once. ``N`` is
``RNNCOURSE_BOOK_JOBS`` if set, else the number of CPU cores (at most 4).

Two adjustments make the parallel read work and pay off:

* ``sphinx_multitoc_numbering`` (set up by Jupyter Book for numbered parts) and
  ``sphinx_jupyterbook_latex`` do not declare whether they are safe for parallel
  reading. Sphinx then warns (an error with ``-W``) and reads serially. Neither
  keeps state while pages are read: the first renumbers sections after all pages
  are read, in the main process; the second only acts in LaTeX builds. Both are
  declared safe here.
* Sphinx hands out pages in chunks of several, in name order, and starts waiting
  chunks last-in first-out; a chunk holding two slow pages leaves the other core
  idle at the end. Here each page is its own chunk, the slowest known pages are
  started first (``SLOW_PAGES``, measured), and tasks start in that order.

With ``-j 1`` (or one core) this is exactly ``jupyter-book build``.

Why not jupyter-cache's own parallel executor (``jcache project execute --executor
local-parallel``, i.e. ``jupyter_cache.executors.basic.JupyterExecutorLocalMproc``;
jupyter-cache 1.0 has no ``JupyterExecutorLocalMulti``)? Checked against the installed
sources (jupyter-cache 1.0.1, myst-nb 1.4.0, jupyter-book 1.0.4):

* It cannot run *inside* the build. myst-nb executes a page while Sphinx reads it:
  ``myst_nb.sphinx_.Parser.parse`` -> ``myst_nb.core.execute.create_client`` ->
  ``NotebookClientCache.start_client``, which looks the notebook up in the cache
  (``match_cache_notebook``) and on a miss runs it right there with
  ``jupyter_cache.executors.utils.single_nb_execution``, one notebook at a time per
  reading process. Neither jupyter-book nor myst-nb has an option or hook that hands
  this to a jupyter-cache executor; the only parallelism available in there is
  Sphinx's parallel read, which is what this script enables.
* It could run *before* the build, as a pre-pass filling the same cache: add every
  page of ``_toc.yml`` to the cache's project with myst-nb's reader
  (``read_data={"name": "myst_nb_md", "type": "plugin"}``), run the executor, then
  ``jupyter-book build`` finds every page cached (checked: the 29 notebook pages read
  that way hash-match the records myst-nb writes). It would not be simpler, and
  it would lose:

  - the number of processes: ``run_and_cache`` opens ``multiprocessing.Pool()``,
    i.e. ``os.cpu_count()`` kernels at once (the host's count in a container,
    not the CPU affinity), with no parameter for ``-j``/``RNNCOURSE_BOOK_JOBS``;
  - the scheduling: ``pool.map`` with its default chunks (29 pages, 2 processes:
    chunks of 4 pages in the order they were added), so slow pages can share a
    chunk; getting ``-j`` and slowest-first back means replacing ``run_and_cache``
    with our own pool around its worker class, i.e. not its executor any more;
  - one source of truth: the pre-pass must re-derive from ``_toc.yml`` and
    ``_config.yml`` which pages are notebooks, the timeout, ``allow_errors`` and the
    cache path, which jupyter-book otherwise reads itself;
  - safety: if the pre-pass's notebook ever hashed differently from myst-nb's
    (another myst reader configuration, a kernel alias, notebook-level ``mystnb``
    settings), nothing would fail: every page would silently run twice, the second
    time serially inside the build; and a page that fails runs twice anyway (the
    failure is not cached, so myst-nb executes it again to write its report).

  Nor would it be faster: executing the pages costs about 200 s of kernel time
  (cold cache, 2 cores), so either way about 100 s of wall time, and reading the
  29 cached pages takes about 40 s serially as well as with ``-j 2`` (measured).
"""
from __future__ import annotations

import os
import sys

#: Pages with the longest notebook execution, slowest first (seconds on the 2-core
#: machine, cold cache, one page at a time). Used only to order the work: a page
#: missing here, or a stale figure, costs balance between the processes, not correctness.
SLOW_PAGES = {
    "book/variants/hierarchical": 22,
    "book/variants/comparison": 20,
    "book/applications/captioning": 17,
    "book/applications/monitoring": 17,
    "book/variants/deep_rnn": 17,
    "book/variants/bidirectional": 14,
    "book/applications/music": 14,
}

#: Extensions without a parallel_read_safe declaration that are safe (see above).
READ_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def default_jobs() -> int:
    if os.environ.get("RNNCOURSE_BOOK_JOBS"):
        return max(1, int(os.environ["RNNCOURSE_BOOK_JOBS"]))
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _page_order(docnames):
    """Slowest known pages first, in SLOW_PAGES order; then the rest in name order."""
    rank = {name: i for i, name in enumerate(sorted(SLOW_PAGES, key=SLOW_PAGES.get, reverse=True))}
    return sorted(docnames, key=lambda d: (rank.get(d, len(rank)), d))


def _patch_sphinx() -> None:
    import functools

    import sphinx.application
    import sphinx.builders
    from sphinx.util.parallel import ParallelTasks

    build = sphinx.application.Sphinx.build

    @functools.wraps(build)
    def build_declaring_safe_extensions(self, *args, **kwargs):
        for name in READ_SAFE:
            ext = self.extensions.get(name)
            if ext is not None and ext.parallel_read_safe is None:
                ext.parallel_read_safe = True
        return build(self, *args, **kwargs)

    sphinx.application.Sphinx.build = build_declaring_safe_extensions

    def one_page_per_chunk(arguments, nproc, maxbatch=10):
        return [[name] for name in _page_order(arguments)]

    class _Fifo(dict):
        def popitem(self):
            key = next(iter(self))
            return key, self.pop(key)

    class InOrderTasks(ParallelTasks):
        """Sphinx's ParallelTasks, starting waiting tasks in the order they were added."""

        def __init__(self, nproc: int) -> None:
            super().__init__(nproc)
            self._precvsWaiting = _Fifo()

    sphinx.builders.make_chunks = one_page_per_chunk
    sphinx.builders.ParallelTasks = InOrderTasks


def _create_execution_cache(outputdir) -> None:
    """Create myst-nb's execution cache (``_build/.jupyter_cache``) before the workers fork.

    On a cold build every forked reader would otherwise create its SQLite tables at the
    same moment, and one fails with "table settings already exists" (seen here).
    """
    from pathlib import Path

    from jupyter_cache import get_cache

    get_cache(str(Path(outputdir).parent / ".jupyter_cache")).list_cache_records()


def main(argv: list[str]) -> int:
    jobs = default_jobs()
    if argv[:1] == ["-j"] and len(argv) > 1:
        jobs, argv = int(argv[1]), argv[2:]
    elif argv and argv[0].startswith("-j") and argv[0][2:].isdigit():
        jobs, argv = int(argv[0][2:]), argv[1:]

    import jupyter_book.sphinx
    from jupyter_book.cli.main import main as jupyter_book_cli

    if jobs > 1:
        _patch_sphinx()
        # the CLI imports build_sphinx from jupyter_book.sphinx when `build` runs
        build_sphinx = jupyter_book.sphinx.build_sphinx

        def build_sphinx_in_parallel(sourcedir, outputdir, *args, **kwargs):
            kwargs.setdefault("jobs", jobs)
            _create_execution_cache(outputdir)
            return build_sphinx(sourcedir, outputdir, *args, **kwargs)

        jupyter_book.sphinx.build_sphinx = build_sphinx_in_parallel
    print(f"book/build.py: {jobs} parallel job(s)", flush=True)
    # exits with jupyter-book's own status
    return jupyter_book_cli(["build", *argv], prog_name="jupyter-book")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
