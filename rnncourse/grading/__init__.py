r"""Grading helpers for the course's nbgrader assignments: the checks students can see.

Taught on the book page *For instructors* (``book/instructors``).

One module per assignment, named like it (:mod:`rnncourse.grading.a01_rnn_forward`
for ``assignments/source/a01_rnn_forward``, ...), holds the *visible* checks that
the released notebooks call, one line per test cell, and the public helpers they
are built from; :mod:`~rnncourse.grading.chained`,
:mod:`~rnncourse.grading.bptt_reference` and
:mod:`~rnncourse.grading.char_lm_reference` hold what assignments 2 and 5 share
between their checks, :mod:`~rnncourse.grading.decoding_reference` and
:mod:`~rnncourse.grading.scripted_decoders` what assignment 7's decoding checks share. The *hidden* tests and the nbgrader plugins are not part of
this package (every student installs it): they live with the course directory, in
``assignments/graders/``, and import the helpers here. Nothing here imports nbgrader.
The helpers here do the work:

* :func:`call_student` runs the student's function on *copies* of the inputs,
  turns any exception into a message the student understands, and refuses
  answers that call ``rnncourse``'s own implementation of the function they
  must write (detected with a profiling hook, so renaming the import does not
  hide it), and, where a part asks for a formula, answers that call the numpy
  function it defines (``np.tanh`` for a tanh written with ``np.exp``).
* :func:`check_array` compares an answer with the reference value computed by
  ``rnncourse`` at grading time. It first checks the type (exactly
  ``numpy.ndarray``: an object that claims to equal everything is refused),
  the dtype and the shape, then the values, using numpy functions bound when
  this module was imported, before any student code ran; redefining
  ``np.allclose`` or ``np.testing`` in an answer cell changes nothing here.
* :func:`diagnose` recognises typical mistakes (a missing bias, the wrong
  activation, an off-by-one in time) by comparing with references computed with
  that mistake, and names the mistake.
* Failure messages never print expected values or test inputs.
"""
from __future__ import annotations

import builtins
import cmath
import hashlib
import io
import math
import sys
import time
import warnings
from contextlib import contextmanager, redirect_stderr
from pathlib import Path

import numpy as _np

# bound once, before any student code runs
_ndarray = _np.ndarray
_abs = _np.abs
_max = _np.max
_isfinite = _np.isfinite
_all = _np.all
_copy = _np.copy
_type = builtins.type
_isinstance = builtins.isinstance
_getprofile = sys.getprofile
_setprofile = sys.setprofile
_perf_counter = time.perf_counter
_process_time = time.process_time

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


class GradingError(AssertionError):
    """A failed check, with a message meant for the student (no expected values, no test code)."""


def _copy_arg(a):
    if _type(a) is _ndarray:
        return _copy(a)
    if _isinstance(a, tuple):
        return tuple(_copy_arg(v) for v in a)
    if _isinstance(a, list):
        return [_copy_arg(v) for v in a]
    return a


@contextmanager
def _watch_calls(files, builtin_functions=()):
    """Record calls into functions defined in ``files``, and of the C functions ``builtin_functions``
    (``{function: label}``), while the block runs."""
    hits = []

    def profiler(frame, event, arg):
        if event == "call" and frame.f_code.co_filename in files:
            hits.append(frame.f_code.co_name)
        elif event == "c_call" and builtin_functions and _type(arg) is _builtin_type:
            label = builtin_functions.get(arg)
            if label is not None:
                hits.append(label)

    previous = _getprofile()
    _setprofile(profiler)
    try:
        yield hits
    finally:
        _setprofile(previous)


_builtin_type = _type(math.tanh)


def _forbidden_math(names):
    """``{function: label}`` of the functions ``math.<name>`` and ``cmath.<name>`` that exist."""
    found = {}
    for n in names:
        for module in (math, cmath):
            f = getattr(module, n, None)
            if _type(f) is _builtin_type:
                found[f] = f"{module.__name__}.{n}"
    return found


@contextmanager
def _numpy_spies(names, fn, hits):
    """While the block runs, ``numpy.<name>`` for each of ``names`` records a call in ``hits``.

    A numpy ufunc such as ``np.tanh`` is not a Python function and does not show in a profiling
    hook, so it is replaced by a recording wrapper: in the numpy module (``np.tanh(a)`` looks it
    up there when it runs) and wherever the answer holds it under another name (its globals,
    ``from numpy import tanh`` in the notebook; its closure; its default arguments).
    """
    if not names:
        yield
        return
    originals = {n: getattr(_np, n) for n in names}
    labels = {id(f): f"np.{n}" for n, f in originals.items()}

    def spy(f, label):
        def recorded(*args, **kwargs):
            hits.append(label)
            return f(*args, **kwargs)
        return recorded

    spies = {id(f): spy(f, labels[id(f)]) for f in originals.values()}
    undo = []

    def swap_in(mapping):
        for key, value in list(mapping.items()):
            if id(value) in spies:
                mapping[key] = spies[id(value)]
                undo.append((mapping, key, value))

    if any(fn is f for f in originals.values()):
        hits.append(labels[id(fn)])
    for n, f in originals.items():
        setattr(_np, n, spies[id(f)])
    target = getattr(fn, "__func__", fn)
    cells = getattr(target, "__closure__", None) or ()
    cell_undo = []
    try:
        if _isinstance(getattr(target, "__globals__", None), dict):
            swap_in(target.__globals__)
        if _isinstance(getattr(target, "__kwdefaults__", None), dict):
            swap_in(target.__kwdefaults__)
        defaults = getattr(target, "__defaults__", None)
        if defaults and any(id(d) in spies for d in defaults):
            target.__defaults__ = tuple(spies.get(id(d), d) for d in defaults)
            cell_undo.append(lambda: setattr(target, "__defaults__", defaults))
        for cell in cells:
            try:
                value = cell.cell_contents
            except ValueError:                    # an empty cell
                continue
            if id(value) in spies:
                cell.cell_contents = spies[id(value)]
                cell_undo.append(lambda cell=cell, value=value: setattr(cell, "cell_contents", value))
        yield
    finally:
        for n, f in originals.items():
            setattr(_np, n, f)
        for mapping, key, value in undo:
            if mapping.get(key) is spies[id(value)]:
                mapping[key] = value
        for restore in cell_undo:
            restore()


def reference_files(module_name: str) -> set:
    """Source files of an ``rnncourse`` module or subpackage, e.g. ``"cells.rnn"`` -> ``{.../rnncourse/cells/rnn.py}``."""
    path = Path(_PACKAGE_DIR) / module_name.replace(".", "/")
    if path.is_dir():
        return {str(f) for f in path.glob("*.py")}
    return {str(path.with_suffix(".py"))}


def call_student(name, fn, *args, forbidden=(), forbidden_numpy=(), **kwargs):
    """Call the student's ``fn`` on copies of the arguments.

    Parameters
    ----------
    name : str
        The function's name, used in messages.
    fn : callable
        The student's function.
    *args, **kwargs
        Its arguments; arrays are copied, so the student cannot change the grader's data.
        Warnings and writes to ``sys.stderr`` during the call are discarded: nbgrader
        would give 0 points to a grade cell with stderr output, even for a right answer.
    forbidden : sequence of str
        ``rnncourse`` module or subpackage names (e.g. ``("cells.rnn",)``) whose functions the answer
        must not call: the point of the exercise is to write them.
    forbidden_numpy : sequence of str
        Names of numpy functions (e.g. ``("tanh",)``) the answer must not call, because the part asks
        for the formula they compute; the functions of the same name in ``math`` and ``cmath`` too.

    Returns
    -------
    Whatever ``fn`` returns.

    Raises
    ------
    GradingError
        ``fn`` is not callable, raised an exception, or called a forbidden function (rnncourse's
        own, or a forbidden numpy function).

    Book page: ``book/instructors``.
    """
    if not callable(fn):
        raise GradingError(f"{name} is not a function (got {_type(fn).__name__}); "
                           "run the cell that defines it")
    files = set().union(*(reference_files(m) for m in forbidden))
    args = [_copy_arg(a) for a in args]
    kwargs = {k: _copy_arg(v) for k, v in kwargs.items()}
    numpy_hits = []
    try:
        # warnings and stderr output of a correct answer must not cost points (nbgrader gives 0 to a
        # grade cell that writes to stderr), so they are swallowed here
        with warnings.catch_warnings(), redirect_stderr(io.StringIO()), \
                _watch_calls(files, _forbidden_math(forbidden_numpy)) as hits, \
                _numpy_spies(forbidden_numpy, fn, numpy_hits):
            warnings.simplefilter("ignore")
            out = fn(*args, **kwargs)
    except GradingError:
        raise
    except NotImplementedError:
        raise GradingError(f"{name} is not implemented yet (it raises NotImplementedError)") from None
    except Exception as err:                       # the student's own error, shown as it is
        raise GradingError(f"{name} raised {_type(err).__name__}: {err}") from None
    called = numpy_hits + [h for h in hits if h.startswith(("math.", "cmath."))]
    hits = [h for h in hits if not h.startswith(("math.", "cmath."))]
    if called:
        raise GradingError(f"{name} calls {called[0]}; this part asks you to compute {name} yourself from "
                           f"simpler numpy functions (see its instructions), so an answer that calls {called[0]} "
                           "earns no points")
    if hits:
        raise GradingError(f"{name} calls rnncourse's own {hits[0]}; write the computation yourself "
                           "(using rnncourse's reference implementation earns no points here)")
    return out


def check_array(name, got, expected, *, rtol=1e-6, atol=1e-9, what="the output", hint=None):
    """Check an answer array against the reference: type, dtype, shape, finiteness, values.

    Parameters
    ----------
    name : str
        What is being checked (e.g. ``"rnn_step_forward"``).
    got : object
        The student's answer.
    expected : ndarray
        The reference value.
    rtol, atol : float
        Tolerance: ``|got - expected| <= atol + rtol * |expected|`` everywhere.
    what : str
        How to call the value in messages.
    hint : str, optional
        Added to the message when the values are wrong.

    Raises
    ------
    GradingError

    Book page: ``book/instructors``.
    """
    if _type(got) is not _ndarray:
        raise GradingError(f"{name}: {what} must be a numpy array (numpy.ndarray), "
                           f"got {_type(got).__name__}")
    if got.dtype != expected.dtype:
        raise GradingError(f"{name}: {what} has dtype {got.dtype}, expected {expected.dtype}")
    if got.shape != expected.shape:
        raise GradingError(f"{name}: {what} has shape {got.shape}, expected {expected.shape}")
    if not _all(_isfinite(got)):
        msg = f"{name}: {what} contains NaN or infinite values"
        raise GradingError(msg + (f"; {hint}" if hint else ""))
    if not values_match(got, expected, rtol=rtol, atol=atol):
        msg = f"{name}: {what} has the right shape but wrong values"
        raise GradingError(msg + (f"; {hint}" if hint else ""))


def values_match(got, expected, *, rtol=1e-6, atol=1e-9) -> bool:
    """True when two arrays of the same shape agree within ``atol + rtol * |expected|`` (bound numpy only)."""
    if _type(got) is not _ndarray or got.shape != expected.shape:
        return False
    return bool(_all(_abs(got - expected) <= atol + rtol * _abs(expected)))


def diagnose(name, got, mistakes: dict, *, rtol=1e-6, atol=1e-9):
    """Raise a named message if ``got`` equals what a known mistake produces.

    Parameters
    ----------
    name : str
    got : object
        The student's answer.
    mistakes : dict of str -> ndarray
        Message -> the value the mistake gives (computed by the grader).

    Raises
    ------
    GradingError
        With the first matching mistake's message.

    Book page: ``book/instructors``.
    """
    for message, wrong in mistakes.items():
        if values_match(got, wrong, rtol=rtol, atol=atol):
            raise GradingError(f"{name}: {message}")


def _digest(text: str) -> str:
    return hashlib.sha256(("rnncourse:" + " ".join(str(text).lower().split())).encode()).hexdigest()


def check_choice_answer(name, got, digest: str, choices=None):
    """Check a concept-question answer against a stored SHA-256 digest (so the test does not show it).

    Parameters
    ----------
    name : str
        The question's name.
    got : str
        The student's answer, e.g. ``"B"``; case and surrounding spaces are ignored.
    digest : str
        :func:`answer_digest` of the right answer.
    choices : sequence of str, optional
        The valid options, to give a helpful message for anything else.

    Raises
    ------
    GradingError

    Book page: ``book/instructors``.
    """
    if _type(got) is not str:
        raise GradingError(f"{name}: the answer must be a string such as \"B\", got {_type(got).__name__}")
    norm = " ".join(got.lower().split())
    if choices is not None and norm not in {c.lower() for c in choices}:
        raise GradingError(f"{name}: answer with one of {', '.join(choices)}; got {got!r}")
    if _digest(norm) != digest:
        raise GradingError(f"{name}: not the right answer")


def answer_digest(answer: str) -> str:
    """The digest :func:`check_choice_answer` compares with (for instructors writing questions).

    Book page: ``book/instructors``.
    """
    return _digest(answer)


def name_mistake(name, got, ref, mistakes: dict):
    """Name the mistake ``got`` reproduces, among those that differ from the reference on these inputs.

    Parameters
    ----------
    name : str
    got : object
        The student's answer; only a numpy array of the reference's shape that differs from it is examined.
    ref : ndarray
        The right answer.
    mistakes : dict of str -> ndarray
        Message -> the value the mistake gives; mistakes that give the right answer on these inputs
        (or a value of another shape) are left out, so they can never be named.

    Raises
    ------
    GradingError
        With the first matching mistake's message.

    Book page: ``book/instructors``.
    """
    if _type(got) is _ndarray and got.shape == ref.shape and not values_match(got, ref):
        diagnose(name, got, {msg: wrong for msg, wrong in mistakes.items()
                             if _type(wrong) is _ndarray and wrong.shape == ref.shape
                             and not values_match(wrong, ref)})


def elapsed(start: float, cpu_start: float) -> float:
    """Seconds since ``start``: the smaller of wall-clock and CPU time.

    The grading machine may be shared (wall-clock time then overstates the work) and numpy
    may run threads (CPU time then overstates it); the smaller of the two is fair in both cases.

    Parameters
    ----------
    start : float
        ``time.perf_counter()`` at the start.
    cpu_start : float
        ``time.process_time()`` at the start.

    Returns
    -------
    float

    Book page: ``book/instructors``.
    """
    return min(_perf_counter() - start, _process_time() - cpu_start)
