"""Helpers the test modules share; nothing here is collected as a test.

- :mod:`support.cells`: the list of recurrent cells (``CELLS``) that the cell contract
  (``test_cells_contract.py``), the fast kernels' tests and the containers' tests
  (bidirectional, stacked) run over, and helpers for states of any structure. A new
  cell gets all those tests by being added to ``CELLS``.
- :mod:`support.book_fixture`: the ``built_book`` fixture, the book built once per session.
- :mod:`support.page_checks`: reading built HTML pages (images, scripts, math, stray TeX).
- :mod:`support.page_source`: a page's MyST source as code cells and paragraphs.
- :mod:`support.browser_check`: pages in headless Chromium (also a command-line tool).
- :mod:`support.bad_submissions`: bad submissions to assignment 1, each with its due score.
- :mod:`support.class_servers`: real servers on loopback for the class test and benchmark
  (PostgreSQL, system users, JupyterHub, the single-user environment).
- :mod:`support.processes`: child-process servers on loopback: a free port, waiting until it
  listens, stopping the process (used by the three modules above that start servers).

Test modules import them as ``from support import ...`` (pytest puts ``tests/`` on
``sys.path``); ``conftest.py`` stays in ``tests/``.
"""
