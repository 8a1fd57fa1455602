"""Helpers of the book's pages: HTML tables of computed values, the package's own source, timing.

What belongs here: small functions that several pages of the book (``book/**/*.md``)
call to *show* what they compute, and that teach nothing about recurrent networks
themselves. A page imports them (``from rnncourse.pages import show_table``) instead
of defining its own copy; ``tests/test_pages_helpers.py`` fails when a function is
defined in more than one page. Measurements that a page plots belong to
:mod:`rnncourse.analysis`, data to :mod:`rnncourse.datasets`, figures to
:mod:`rnncourse.viz`.

- tables: :func:`html_table` builds a small HTML table (every cell escaped, unless
  it is already HTML such as :func:`preformatted` text), :func:`show_table` shows
  it in the notebook, :func:`show_metrics` shows an application's metrics with
  :func:`format_metric`;
- source: :func:`source_text` returns the real source of a function of the
  package, its docstring cut to the summary line, optionally only an excerpt;
  :func:`show_source` shows it as a highlighted code block;
- timing: :func:`best_of` (smallest wall-clock time, in milliseconds) and
  :func:`median_seconds` (median wall-clock time, in seconds) of repeated calls;
- the course: :func:`course_checkout` finds the repository around a page, so that a
  page which reads the course directory still runs when downloaded on its own;
- text: :func:`glue` keeps a computed value for the page's prose (myst-nb's
  ``glue`` when the book is built; in a downloaded page notebook it only shows it);
- claims: :func:`claim` checks that a measurement supports what the prose says
  about it ("cheaper", "about the same", "fails", ...), and stops the build with
  the measured values when it no longer does;

Everything is computed when the page is built, so the numbers shown are the
ones the code produced. The ``show_*`` functions need IPython (the pages run in a
Jupyter kernel), which is imported when they are first called, not with this module:
IPython is not a dependency of the package. The others return plain strings and numbers.
"""
from __future__ import annotations

import ast
import html
import inspect
import numbers
import textwrap
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from .core.checks import check_positive_int

__all__ = ["html_table", "show_table", "preformatted", "format_metric", "show_metrics",
           "source_text", "show_source", "best_of", "median_seconds", "course_checkout", "glue",
           "claim"]


def _ipython_display():
    """``IPython.display``, imported on first use (IPython comes with Jupyter, not with rnncourse)."""
    try:
        import IPython.display
    except ImportError as err:
        raise ImportError("rnncourse.pages shows its results in Jupyter, and IPython is not installed: "
                          "run the page in Jupyter (pip install jupyterlab)") from err
    return IPython.display


def display(*objs, **kwargs):
    """``IPython.display.display`` (IPython imported on first use)."""
    return _ipython_display().display(*objs, **kwargs)


def HTML(data):      # noqa: N802 (IPython's name)
    """``IPython.display.HTML`` (IPython imported on first use)."""
    return _ipython_display().HTML(data)


def Markdown(data):  # noqa: N802 (IPython's name)
    """``IPython.display.Markdown`` (IPython imported on first use)."""
    return _ipython_display().Markdown(data)

_ALIGN = {"l": "left", "c": "center", "r": "right"}


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------
def _cells(name, values):
    """``values`` as a list of cells; a str (which would split into characters) is refused."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of cells (e.g. a list or tuple), "
                        f"got {type(values).__name__}: {values!r}")
    return list(values)


def _cell_html(tag, value, style, escape):
    if hasattr(value, "_repr_html_"):
        content = value._repr_html_()
    else:
        content = html.escape(str(value)) if escape else str(value)
    return f"<{tag}{style}>{content}</{tag}>"


def html_table(header, rows, *, caption=None, align=None, escape=True) -> str:
    """A small HTML table of computed values, as a string.

    Every cell is shown as ``str(value)``, HTML-escaped, so text such as
    ``"<bos>"`` or ``"a & b"`` appears as written. A cell that is already HTML
    (an object with a ``_repr_html_`` method, e.g. :func:`preformatted` text or
    ``IPython.display.HTML``) is inserted as its HTML instead; with
    ``escape=False`` every cell is taken as HTML (markup written by the page,
    e.g. ``"<code>rnncourse/cells/gru.py</code>"``).

    Parameters
    ----------
    header : sequence
        The column titles, one per column (escaped like the cells).
    rows : iterable of sequence
        The rows, each with exactly one cell per column.
    caption : str, optional
        A caption shown with the table (escaped), as its ``<caption>``.
    align : str, optional
        One letter per column, ``"l"``, ``"c"`` or ``"r"`` (left, centre, right),
        e.g. ``"lrr"`` for a label column followed by two numeric ones. By default
        the theme's alignment is kept (no ``style`` attribute is written).
    escape : bool
        Escape the text of the header and the cells (the default). ``False``
        inserts them as HTML; the caption is escaped either way.

    Returns
    -------
    str
        ``<table class="table">`` with a ``<thead>`` and a ``<tbody>``.

    Raises
    ------
    TypeError
        ``header`` or a row is a string or not a sequence, ``caption`` or
        ``align`` is not a str, ``escape`` is not a bool.
    ValueError
        ``header`` is empty, a row has a different number of cells than the
        header, or ``align`` has the wrong length or a letter other than l, c, r.

    Book page: ``book/first_rnn``.
    """
    header = _cells("header", header)
    if not header:
        raise ValueError("header must name at least one column")
    styles = [""] * len(header)
    if align is not None:
        if not isinstance(align, str):
            raise TypeError(f"align must be a str of l, c, r (one per column), got {type(align).__name__}")
        if len(align) != len(header) or set(align) - set(_ALIGN):
            raise ValueError(f"align must have one letter l, c or r per column ({len(header)}), got {align!r}")
        styles = [f' style="text-align: {_ALIGN[a]}"' for a in align]
    if caption is not None and not isinstance(caption, str):
        raise TypeError(f"caption must be a str, got {type(caption).__name__}")
    if not isinstance(escape, bool):
        raise TypeError(f"escape must be True or False, got {escape!r}")
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be an iterable of rows (sequences of cells), got {type(rows).__name__}")
    body = []
    for i, row in enumerate(rows):
        row = _cells(f"row {i}", row)
        if len(row) != len(header):
            raise ValueError(f"row {i} has {len(row)} cells but the header has {len(header)} columns: {row!r}")
        body.append("<tr>" + "".join(_cell_html("td", c, s, escape) for c, s in zip(row, styles)) + "</tr>")
    head = "".join(_cell_html("th", c, s, escape) for c, s in zip(header, styles))
    cap = "" if caption is None else f"<caption>{html.escape(caption)}</caption>"
    return f'<table class="table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def show_table(header, rows, *, caption=None, align=None, escape=True) -> None:
    """Show a small HTML table of computed values in the notebook (see :func:`html_table`).

    Parameters
    ----------
    header : sequence
        The column titles.
    rows : iterable of sequence
        The rows, one cell per column; cells are escaped text unless already HTML.
    caption : str, optional
        A caption shown with the table.
    align : str, optional
        One letter per column, ``"l"``, ``"c"`` or ``"r"``.
    escape : bool
        ``False`` takes every cell as HTML written by the page.

    Raises
    ------
    TypeError, ValueError
        As :func:`html_table`, before anything is shown.

    Book page: ``book/first_rnn``.
    """
    display(HTML(html_table(header, rows, caption=caption, align=align, escape=escape)))


def preformatted(text):
    """Text for a table cell, shown verbatim: spaces and line breaks kept, long lines wrapped.

    Parameters
    ----------
    text : str
        Any text (it is escaped, so ``<`` and ``&`` appear as written).

    Returns
    -------
    IPython.display.HTML
        A ``<pre>`` element without margin; :func:`html_table` inserts it as HTML.

    Raises
    ------
    TypeError
        ``text`` is not a str.

    Book page: ``book/applications/language_model``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return HTML(f'<pre style="white-space: pre-wrap; margin: 0">{html.escape(text)}</pre>')


def format_metric(value) -> str:
    """A metric as text: integers as they are, other numbers with 4 significant digits, trailing zeros kept.

    Keeping the zeros makes a column of metrics read alike: ``"1.000"`` and
    ``"2.900"`` beside ``"0.4427"``, not ``"1"`` and ``"2.9"``.

    Parameters
    ----------
    value : int or float
        A Python or numpy number (a bool counts as the integer 0 or 1).

    Returns
    -------
    str
        E.g. ``"12"`` for ``12``, ``"0.1235"`` for ``0.123456``, ``"1.000"`` for ``1.0``,
        ``"1.235e+04"`` for ``12345.6``.

    Raises
    ------
    TypeError
        ``value`` is not a real number.

    Book page: ``book/applications/sentiment``.
    """
    if isinstance(value, (numbers.Integral, np.integer)):
        return str(int(value))
    if not isinstance(value, (numbers.Real, np.floating)):
        raise TypeError(f"a metric must be a number, got {type(value).__name__}: {value!r}")
    return f"{float(value):#.4g}"


def show_metrics(metrics, meanings=None) -> None:
    """Show an application's metrics as a table: metric, value (:func:`format_metric`), meaning.

    Parameters
    ----------
    metrics : mapping of str to number
        The metrics, in the order they are shown (e.g. ``result.metrics``).
    meanings : mapping of str to str, or callable, optional
        What each metric means: a mapping (a metric it lacks gets an empty
        cell) or a function of the metric's name returning the text.

    Raises
    ------
    TypeError
        ``metrics`` is not a mapping, ``meanings`` is neither a mapping nor
        callable, or a value is not a number.

    Book page: ``book/applications/sentiment``.
    """
    if not isinstance(metrics, Mapping):
        raise TypeError(f"metrics must be a mapping of name to number, got {type(metrics).__name__}")
    if meanings is None:
        meaning = lambda name: ""  # noqa: E731
    elif isinstance(meanings, Mapping):
        meaning = lambda name: meanings.get(name, "")  # noqa: E731
    elif callable(meanings):
        meaning = meanings
    else:
        raise TypeError(f"meanings must be a mapping or a function of the metric's name, "
                        f"got {type(meanings).__name__}")
    show_table(["metric", "value", "meaning"], [(k, format_metric(v), meaning(k)) for k, v in metrics.items()])


# ---------------------------------------------------------------------------
# the package's source
# ---------------------------------------------------------------------------
def source_text(func, start=None, stop=None) -> str:
    """The real source of a function (or class) of the package, its docstring cut to the summary.

    The docstring is replaced by its first line followed by "(rest of the
    docstring omitted)", so a page can show the code that runs without the
    reference text around it. With ``start`` and ``stop`` only an excerpt is
    kept: from the first line containing ``start`` to the first line after it
    containing ``stop``, with ``...`` above and below.

    Parameters
    ----------
    func : function or class
        Any object whose source ``inspect.getsource`` can find.
    start : str, optional
        Text of the first line of the excerpt.
    stop : str, optional
        Text of the last line of the excerpt; given together with ``start``.

    Returns
    -------
    str
        The source, without a trailing newline.

    Raises
    ------
    TypeError
        ``func`` has no Python source (a builtin, an instance, a lambda typed
        at a prompt), or ``start``/``stop`` is not a str.
    ValueError
        Only one of ``start`` and ``stop`` is given, or no line contains them.

    Book page: ``book/fast``.
    """
    if (start is None) != (stop is None):
        raise ValueError("give start and stop together (the excerpt runs from one to the other), or neither")
    for name, value in (("start", start), ("stop", stop)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    try:
        src = inspect.getsource(func)
    except (TypeError, OSError) as exc:
        raise TypeError(f"no Python source for {func!r}: pass a function or class of the package") from exc
    lines = textwrap.dedent(src).splitlines()
    node = ast.parse("\n".join(lines)).body[0]
    first = node.body[0] if getattr(node, "body", None) else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        line = lines[first.lineno - 1]
        indent = line[: len(line) - len(line.lstrip())]
        summary = first.value.value.strip().splitlines()[0]
        lines[first.lineno - 1: first.end_lineno] = [f'{indent}"""{summary} (rest of the docstring omitted)"""']
    if start is not None:
        name = getattr(func, "__qualname__", repr(func))
        i = next((k for k, line in enumerate(lines) if start in line), None)
        if i is None:
            raise ValueError(f"no line of {name} contains start={start!r}")
        j = next((k for k, line in enumerate(lines) if k > i and stop in line), None)
        if j is None:
            raise ValueError(f"no line of {name} after {start!r} contains stop={stop!r}")
        lines = ["    ..."] + lines[i:j + 1] + ["    ..."]
    return "\n".join(lines).rstrip()


def show_source(func, start=None, stop=None) -> None:
    """Show the real source of a function of the package as a Python code block (see :func:`source_text`).

    Parameters
    ----------
    func : function or class
        The object whose source is shown, docstring cut to its summary line.
    start : str, optional
        Text of the first line of an excerpt.
    stop : str, optional
        Text of the last line of the excerpt.

    Raises
    ------
    TypeError, ValueError
        As :func:`source_text`.

    Book page: ``book/bptt``.
    """
    display(Markdown(f"```python\n{source_text(func, start, stop)}\n```"))


# ---------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------
def _wall_times(fn, repeats) -> np.ndarray:
    if not callable(fn):
        raise TypeError(f"fn must be callable (a function of no arguments), got {type(fn).__name__}")
    repeats = check_positive_int("repeats", repeats)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return np.array(times)


def best_of(fn: Callable[[], object], repeats=5) -> float:
    """Smallest wall-clock time of several calls, in milliseconds (the least disturbed run).

    Parameters
    ----------
    fn : callable
        Called ``repeats`` times without arguments; its result is ignored.
    repeats : int
        Number of calls, at least 1.

    Returns
    -------
    float
        The fastest call's duration in milliseconds.

    Raises
    ------
    TypeError
        ``fn`` is not callable, or ``repeats`` is not an int.
    ValueError
        ``repeats`` is smaller than 1.

    Book page: ``book/variants/deep_rnn``.
    """
    return 1e3 * float(_wall_times(fn, repeats).min())


def median_seconds(fn: Callable[[], object], repeats=7) -> float:
    """Median wall-clock time of several calls, in seconds (robust to one slow run).

    ``fn`` and ``repeats`` (at least 1) are as for :func:`best_of`, and so are the errors.

    Returns
    -------
    float
        The median duration in seconds.

    Book page: ``book/limitations``.
    """
    return float(np.median(_wall_times(fn, repeats)))


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------
def glue(name, value, display=True) -> None:
    """Keep ``value`` under ``name`` for the page's text, where a ``{glue:text}`` role shows it.

    When the book is built, this is myst-nb's ``glue`` (the page's prose then quotes the
    value the code computed). In a page downloaded as a notebook, where myst-nb is not
    installed and nothing reads the stored value, it only shows ``value`` when
    ``display`` is true, as myst-nb's ``glue`` does.

    Parameters
    ----------
    name : str
        The key that the page's ``{glue:text}`` roles name.
    value : object
        The value (a number, a string, a figure, ...).
    display : bool
        Whether to show the value in the cell's output as well.

    Book page: ``book/math``.
    """
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        if display:
            _ipython_display().display(value)
        return
    myst_nb_glue(name, value, display)


def claim(condition, message, **measured) -> None:
    """Check that a measurement supports a statement of the page's prose; fail loudly when it does not.

    A page that writes "the hierarchy is cheaper" or "the two curves are about the same"
    puts a hidden ``claim(...)`` next to the computation: when a change of the code,
    the data or the machine makes the measurement stop supporting the words, the cell
    fails and so does the build, instead of the book quietly saying something false.

    Alt texts and captions cannot hold a glued value (:func:`glue`): they state a bound
    ("falls below 1e-15 by lag 40") and a claim checks it with the same literal number
    (``claim(g[40:].max() < 1e-15, ...)``). ``tests/test_book_numbers.py`` refuses a
    decimal, power of ten or percentage in a page's prose, alt texts or captions that
    occurs in none of its code cells; ``tests/test_book_claims.py`` refuses a comparative
    word ("cheaper", "fails", "about the same") with no check before it on the page.

    Parameters
    ----------
    condition : bool
        The measured fact the prose relies on, e.g. ``ratio > 1.2`` (a numpy bool is fine).
    message : str
        The statement of the prose, as the reader reads it (e.g. ``"the LSTM beats the RNN
        at T = 30"``).
    **measured
        The measured values the statement rests on; they are shown in the error.

    Raises
    ------
    AssertionError
        ``condition`` is false: the message names the statement and every measured value.
    TypeError
        ``message`` is not a str, or ``condition`` is not a single truth value
        (e.g. an array of several elements).

    Book page: ``book/variants/comparison``.
    """
    if not isinstance(message, str) or not message.strip():
        raise TypeError(f"message must be a non-empty str (the statement of the prose), got {message!r}")
    if isinstance(condition, np.ndarray):
        if condition.size != 1:
            raise TypeError(f"condition must be one truth value, got an array of shape {condition.shape}; "
                            "use .all() or .any()")
        condition = condition.item()
    if not isinstance(condition, (bool, np.bool_)):
        raise TypeError(f"condition must be True or False, got {type(condition).__name__}: {condition!r}")
    if not condition:
        values = ", ".join(f"{name} = {value!r}" for name, value in measured.items()) or "no values given"
        raise AssertionError(f"the page says: {message!r}, but the measurement no longer supports it "
                             f"({values}); change the text or the experiment")


# ---------------------------------------------------------------------------
# the course
# ---------------------------------------------------------------------------
def course_checkout(start=".") -> Path | None:
    """The root of the course's repository that ``start`` lies in, or None outside one.

    A page of the book runs in its own folder of the repository (``book/`` or a
    subfolder) while the book is built, and a few pages read the course directory
    there (the assignments' notebooks, the files named on *Extending the course*). The
    same page downloaded as a notebook runs wherever the reader saved it, with no
    repository around: such a page asks this function and, on None, shows what it can
    without the repository instead of failing.

    Parameters
    ----------
    start : str or path-like
        Where to start looking (default: the working directory, i.e. the page's folder).

    Returns
    -------
    pathlib.Path or None
        The nearest of ``start`` and its parents that holds ``_toc.yml``, the package
        folder ``rnncourse/`` and ``assignments/nbgrader_config.py``.

    Book page: ``book/assignments``.
    """
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if ((folder / "_toc.yml").is_file() and (folder / "rnncourse" / "__init__.py").is_file()
                and (folder / "assignments" / "nbgrader_config.py").is_file()):
            return folder
    return None
