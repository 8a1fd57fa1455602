r"""Checks for answers that return several arrays, and for later parts built on earlier ones.

Taught on the book page *For instructors* (``book/instructors``).

Used by :mod:`rnncourse.grading.a02_bptt` and by its hidden tests. Later parts of an
assignment often call earlier ones (``rnn_backward`` loops over the student's
``rnn_step_backward``, truncated BPTT calls ``rnn_backward``). So that one mistake is
not paid for twice, a later part is also accepted when it agrees with the same
computation done with the student's *own* earlier function (:func:`own_reference`).
That function must return arrays of the right shapes and must not be degenerate: with
it, the right computation has to differ from each typical mistake of the later part,
otherwise (an all-zero step, say) any answer would pass. When the earlier function
cannot serve and is wrong, :class:`Noted` adds to the failure message that the earlier
part must be fixed first.
"""
from __future__ import annotations

import numpy as np

from . import GradingError, check_array, values_match


class Unusable(Exception):
    """The student's earlier function cannot serve as a reference (it raised or returned garbage).

    Book page: ``book/instructors``.
    """


def is_sequence_of_arrays(got, n):
    """Whether ``got`` is a tuple or list of ``n`` numpy arrays.

    Book page: ``book/instructors``.
    """
    return (type(got) in (tuple, list) and len(got) == n
            and all(type(a) is np.ndarray for a in got))


def require_n(name, got, labels):
    """``got`` as a tuple of len(labels) items, or a message saying what must be returned.

    Book page: ``book/instructors``.
    """
    if type(got) not in (tuple, list) or len(got) != len(labels):
        what = f"{type(got).__name__}" + (f" of length {len(got)}" if type(got) in (tuple, list) else "")
        raise GradingError(f"{name} must return the {len(labels)} arrays {', '.join(labels)} (as a tuple), "
                           f"got {what}")
    return tuple(got)


def check_returns(name, got, expected, labels):
    """Type, dtype, shape and finiteness of every returned array; the values are checked later.

    Book page: ``book/instructors``.
    """
    got = require_n(name, got, labels)
    for label, g, e in zip(labels, got, expected):
        if type(g) is not np.ndarray:
            raise GradingError(f"{name}: {label} must be a numpy array (numpy.ndarray), got {type(g).__name__}")
        if g.dtype != e.dtype:
            raise GradingError(f"{name}: {label} has dtype {g.dtype}, expected {e.dtype}")
        if g.shape != e.shape:
            raise GradingError(f"{name}: {label} has shape {g.shape}, expected {e.shape}")
        if not np.all(np.isfinite(g)):
            raise GradingError(f"{name}: {label} contains NaN or infinite values")


def all_match(got, ref, rtol=1e-6, atol=1e-9):
    """Whether the arrays of ``got`` all match those of ``ref`` (:func:`rnncourse.grading.values_match`).

    Book page: ``book/instructors``.
    """
    return (type(got) in (tuple, list) and len(got) == len(ref)
            and all(values_match(g, r, rtol=rtol, atol=atol) for g, r in zip(got, ref)))


def diagnose_all(name, got, mistakes: dict):
    """Raise the message of the first mistake whose every returned array equals ``got``'s.

    Book page: ``book/instructors``.
    """
    for message, wrong in mistakes.items():
        if wrong is None or all(not np.any(w) for w in wrong):
            continue                       # an all-zero "mistake" would also name a blank answer
        if all_match(got, wrong):
            raise GradingError(f"{name}: {message}")


def maybe(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, or None when the student's function it relies on is :class:`Unusable`.

    Book page: ``book/instructors``.
    """
    try:
        return fn(*args, **kwargs)
    except Unusable:
        return None


def as_tuple(value):
    """``value`` as a tuple: a tuple or list as it is, anything else as a 1-tuple.

    Book page: ``book/instructors``.
    """
    return tuple(value) if type(value) in (tuple, list) else (value,)


def own_reference(compute, true_fn, own_fn, variants):
    """The result of ``compute`` with the student's earlier function, when it can serve as a reference.

    ``compute(fn, **flags)`` runs a part's computation on top of an earlier function (``fn``),
    the flags reproducing typical mistakes. The student's version is used only when it
    tells the right computation apart from every mistake that the true version tells apart,
    and has no zeros where the true result has none; otherwise a degenerate earlier
    answer (all zeros, say) would make any answer to this part look right.

    Book page: ``book/instructors``.
    """
    own = maybe(compute, own_fn)
    if own is None:
        return None
    true = compute(true_fn)
    for o, t in zip(as_tuple(own), as_tuple(true)):
        if np.any((o == 0) & (t != 0)):
            return None
    for flags in variants:
        if all_match(as_tuple(compute(true_fn, **flags)), as_tuple(true)):
            continue                       # this mistake cannot be seen on this input anyway
        wrong = maybe(compute, own_fn, **flags)
        if wrong is None or all_match(as_tuple(wrong), as_tuple(own)):
            return None
    return own


def earlier_is_right(own_fn, true_fn, *args):
    """Whether the student's earlier function agrees with the true one on ``args``.

    Book page: ``book/instructors``.
    """
    try:
        own = own_fn(*args)
    except Unusable:
        return False
    return all_match(as_tuple(own), as_tuple(true_fn(*args)))


class Noted:
    """Append a note to a failure of this part when the earlier part it relies on is not right yet.

    Book page: ``book/instructors``.
    """

    def __init__(self, note):
        self.note = note

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if self.note and kind is GradingError:
            raise GradingError(f"{err} ({self.note})") from None
        return False


def check_values(name, got, refs, labels, hints=None, rtol=1e-6, atol=1e-9):
    """Pass when ``got`` matches one of ``refs`` (None entries skipped); else say which array is wrong.

    The message names the first array that differs from the first (true) reference.

    Book page: ``book/instructors``.
    """
    for ref in refs:
        if ref is not None and all_match(got, ref, rtol=rtol, atol=atol):
            return
    hints = hints or {}
    for label, g, e in zip(labels, got, refs[0]):
        check_array(name, g, e, rtol=rtol, atol=atol, what=label, hint=hints.get(label))
    raise GradingError(f"{name}: the returned arrays have the right shapes but wrong values")
