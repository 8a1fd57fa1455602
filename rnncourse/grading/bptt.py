r"""Graders of assignment 2, *Backpropagation through time*.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

``visible_*`` functions are the tests students see: small, and each isolates one
term so that a failure says which one is wrong. ``hidden_*`` functions draw
fresh inputs from a seed, compute the reference with ``rnncourse`` at grading
time and compare.

The caches the students' functions receive are those of the notebook's forward
step, ``cache = (x, h_prev, W_xh, W_hh, h_next)``, one per time step.

Later parts call earlier ones (``rnn_backward`` and ``state_gradient_norms`` loop
over the student's ``rnn_step_backward``, truncated BPTT calls ``rnn_backward``).
So that one mistake is not paid for twice, a later part is also accepted when it
agrees with the same computation done with the student's *own* earlier function
(see :func:`_own_reference`). That function must return arrays of the right
shapes and must not be degenerate: with it, the right computation has to differ
from each typical mistake of the later part, otherwise (an all-zero step, say) any
answer would pass. When the earlier function cannot serve and is wrong, the
failure message says to fix the earlier part first.

Every student function runs through :func:`rnncourse.grading.call_student` with
a ``forbidden`` list: ``rnncourse``'s own implementation of the same thing, and
this module's reference helpers.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..cells import rnn as _rnn
from ..core.bptt import bptt as _bptt
from ..core.losses import mse as _mse
from ..core.module import Sequential as _Sequential
from ..layers.output import Output as _Output
from . import GradingError, call_student, check_array, check_choice_answer, diagnose, values_match

#: rnncourse modules whose code the answers must not call; the grader module itself is
#: in the list too (its reference helpers would otherwise be a way round the exercise).
FORBID_RNN = ("cells.rnn", "cells.fast", "core.bptt", "grading.bptt")
FORBID_GRADCHECK = ("core.gradcheck",)
FORBID_CLIPPING = ("core.clipping", "grading.bptt")
FORBID_VANISHING = ("cells.rnn", "cells.fast", "core.bptt", "analysis.vanishing", "grading.bptt")

_STEP_NAMES = ("dx", "dh_prev", "dW_xh", "dW_hh", "db_h")
_SEQ_NAMES = ("dx", "dh0", "dW_xh", "dW_hh", "db_h")
_TRUNC_NAMES = ("dW_xh", "dW_hh", "db_h")


class _Unusable(Exception):
    """The student's earlier function cannot serve as a reference (it raised or returned garbage)."""


# -- shared helpers -------------------------------------------------------------------------------
def _weights(rng, D, H, scale=0.5):
    return (scale * rng.standard_normal((H, D)), scale * rng.standard_normal((H, H)),
            scale * rng.standard_normal(H))


def _forward(x, h0, W_xh, W_hh, b_h):
    """The notebook's forward pass: all states (N, T, H) and one cache per step."""
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]))
    caches, h_prev = [], h0
    for t in range(T):
        h_next = np.tanh(x[:, t] @ W_xh.T + h_prev @ W_hh.T + b_h)
        caches.append((x[:, t].copy(), h_prev, W_xh, W_hh, h_next))
        h[:, t] = h_next
        h_prev = h_next
    return h, caches


def _ref_step(dh, cache):
    """The true step backward: rnncourse's, on the notebook's cache."""
    return _rnn.rnn_step_backward(dh, tuple(cache) + ("tanh",))


def _ref_sequence(dh, caches):
    return _rnn.rnn_backward(dh, [tuple(c) + ("tanh",) for c in caches])


def _is_sequence_of_arrays(got, n):
    return (type(got) in (tuple, list) and len(got) == n
            and all(type(a) is np.ndarray for a in got))


def _require_n(name, got, labels):
    """``got`` as a tuple of len(labels) items, or a message saying what must be returned."""
    if type(got) not in (tuple, list) or len(got) != len(labels):
        what = f"{type(got).__name__}" + (f" of length {len(got)}" if type(got) in (tuple, list) else "")
        raise GradingError(f"{name} must return the {len(labels)} arrays {', '.join(labels)} (as a tuple), "
                           f"got {what}")
    return tuple(got)


def _check_returns(name, got, expected, labels):
    """Type, dtype, shape and finiteness of every returned array; the values are checked later."""
    got = _require_n(name, got, labels)
    for label, g, e in zip(labels, got, expected):
        if type(g) is not np.ndarray:
            raise GradingError(f"{name}: {label} must be a numpy array (numpy.ndarray), got {type(g).__name__}")
        if g.dtype != e.dtype:
            raise GradingError(f"{name}: {label} has dtype {g.dtype}, expected {e.dtype}")
        if g.shape != e.shape:
            raise GradingError(f"{name}: {label} has shape {g.shape}, expected {e.shape}")
        if not np.all(np.isfinite(g)):
            raise GradingError(f"{name}: {label} contains NaN or infinite values")


def _all_match(got, ref, rtol=1e-6, atol=1e-9):
    return (type(got) in (tuple, list) and len(got) == len(ref)
            and all(values_match(g, r, rtol=rtol, atol=atol) for g, r in zip(got, ref)))


def _diagnose_all(name, got, mistakes: dict):
    """Raise the message of the first mistake whose every returned array equals ``got``'s."""
    for message, wrong in mistakes.items():
        if wrong is None or all(not np.any(w) for w in wrong):
            continue                       # an all-zero "mistake" would also name a blank answer
        if _all_match(got, wrong):
            raise GradingError(f"{name}: {message}")


def _student_step(rnn_step_backward):
    """The student's step backward as a reference function (raises _Unusable if it is not usable)."""
    def step(dh, cache):
        try:
            out = call_student("rnn_step_backward", rnn_step_backward, dh, cache, forbidden=FORBID_RNN)
        except GradingError:
            raise _Unusable from None
        x, h_prev, W_xh, W_hh, _ = cache
        shapes = (x.shape, h_prev.shape, W_xh.shape, W_hh.shape, (W_hh.shape[0],))
        if not _is_sequence_of_arrays(out, 5) or tuple(a.shape for a in out) != shapes \
                or not all(np.all(np.isfinite(a)) for a in out):
            raise _Unusable
        return tuple(out)
    return step


def _loop(step, dh, caches, *, carry=True, accumulate=True, first=0, forward_in_time=False):
    """BPTT over the notebook's caches with a given step backward; the flags reproduce mistakes."""
    N, T, H = dh.shape
    D = caches[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dh_next = np.zeros((N, H))
    sums = [np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)]
    fresh = True
    order = range(first, T) if forward_in_time else reversed(range(first, T))
    for t in order:
        g = dh[:, t] + dh_next if carry else dh[:, t]
        dx_t, dh_next, *dW = step(g, caches[t])
        dx[:, t] = dx_t
        sums = list(dW) if (fresh or not accumulate) else [s + d for s, d in zip(sums, dW)]
        fresh = False
    return (dx, dh_next, *sums)


def _maybe(fn, *args, **kwargs):
    """fn(*args) or None when the student's function it relies on is unusable."""
    try:
        return fn(*args, **kwargs)
    except _Unusable:
        return None


def _as_tuple(value):
    return tuple(value) if type(value) in (tuple, list) else (value,)


def _own_reference(compute, true_fn, own_fn, variants):
    """The result of ``compute`` with the student's earlier function, when it can serve as a reference.

    ``compute(fn, **flags)`` runs a part's computation on top of an earlier function (``fn``),
    the flags reproducing typical mistakes. The student's version is used only when it
    tells the right computation apart from every mistake that the true version tells apart,
    and has no zeros where the true result has none; otherwise a degenerate earlier
    answer (all zeros, say) would make any answer to this part look right.
    """
    own = _maybe(compute, own_fn)
    if own is None:
        return None
    true = compute(true_fn)
    for o, t in zip(_as_tuple(own), _as_tuple(true)):
        if np.any((o == 0) & (t != 0)):
            return None
    for flags in variants:
        if _all_match(_as_tuple(compute(true_fn, **flags)), _as_tuple(true)):
            continue                       # this mistake cannot be seen on this input anyway
        wrong = _maybe(compute, own_fn, **flags)
        if wrong is None or _all_match(_as_tuple(wrong), _as_tuple(own)):
            return None
    return own


def _earlier_is_right(own_fn, true_fn, *args):
    """Whether the student's earlier function agrees with the true one on ``args``."""
    try:
        own = own_fn(*args)
    except _Unusable:
        return False
    return _all_match(_as_tuple(own), _as_tuple(true_fn(*args)))


class _Noted:
    """Append a note to a failure of this part when the earlier part it relies on is not right yet."""

    def __init__(self, note):
        self.note = note

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if self.note and kind is GradingError:
            raise GradingError(f"{err} ({self.note})") from None
        return False


def _check_values(name, got, refs, labels, hints=None, rtol=1e-6, atol=1e-9):
    """Pass when ``got`` matches one of ``refs`` (None entries skipped); else say which array is wrong.

    The message names the first array that differs from the first (true) reference.
    """
    for ref in refs:
        if ref is not None and _all_match(got, ref, rtol=rtol, atol=atol):
            return
    hints = hints or {}
    for label, g, e in zip(labels, got, refs[0]):
        check_array(name, g, e, rtol=rtol, atol=atol, what=label, hint=hints.get(label))
    raise GradingError(f"{name}: the returned arrays have the right shapes but wrong values")


# -- 1. one step backward -------------------------------------------------------------------------
def _step_case(rng, N, D, H, *, zero_inputs=False, scale=0.5):
    W_xh, W_hh, b_h = _weights(rng, D, H, scale)
    x, h_prev = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    if zero_inputs:
        x, h_prev, b_h = 0 * x, 0 * h_prev, 0 * b_h
    h_next = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return rng.standard_normal((N, H)), (x, h_prev, W_xh, W_hh, h_next)


def _deltas(dh, h):
    """delta = dh * tanh'(a), right and as typical mistakes compute it (message -> delta)."""
    return {
        "you applied tanh' to h_next as if it were the pre-activation a_t; since h_next = tanh(a_t), "
        "tanh'(a_t) = 1 - h_next**2": dh * (1 - np.tanh(h) ** 2),
        "the tanh derivative is missing: delta = dh * (1 - h_next**2)": dh,
        "that is the sigmoid's derivative h(1 - h); for tanh it is 1 - h_next**2": dh * h * (1 - h),
        "the square is missing in the tanh derivative: tanh'(a) = 1 - h_next**2": dh * (1 - h),
    }


def _step_call(rnn_step_backward, dh, cache):
    return call_student("rnn_step_backward", rnn_step_backward, dh, cache, forbidden=FORBID_RNN)


def visible_step_param_grads(rnn_step_backward):
    """The parameter gradients of one step, term by term: db_h, then tanh', then dW_xh and dW_hh.

    Book page: ``book/bptt``.
    """
    name = "rnn_step_backward"
    N, D, H = 3, 4, 5                 # all different, so that a transposed product has the wrong shape
    rng = np.random.default_rng(0)

    zero_case = _step_case(rng, N, D, H, zero_inputs=True)   # x, h_prev, b_h zero: h_next = 0, tanh' = 1
    dh, cache = _step_case(rng, N, D, H)
    x, h_prev, W_xh, W_hh, h = cache
    ref = _ref_step(dh, cache)
    got = _require_n(name, _step_call(rnn_step_backward, dh, cache), _STEP_NAMES)
    db = got[4]
    if type(db) is np.ndarray and db.shape == (N, H):
        raise GradingError(f"{name}: db_h has shape {db.shape}; it must have the shape ({H},) of b_h: "
                           "b_h is added to every example, so sum delta over the batch (axis 0)")
    derivative_mistakes = {msg: d.sum(axis=0) for msg, d in _deltas(dh, h).items()}
    derivative_mistakes["db_h is the SUM of delta over the batch, not the mean"] = ref[4] / N

    # the bias gradient alone, where tanh' = 1
    dh0, cache0 = zero_case
    got0 = _require_n(name, _step_call(rnn_step_backward, dh0, cache0), _STEP_NAMES)
    ref0 = _ref_step(dh0, cache0)
    if not values_match(got0[4], ref0[4]):
        diagnose(name, db, derivative_mistakes)
    check_array(name, got0[4], ref0[4], what="db_h",
                hint="check the bias term: with x, h_prev and b_h zero, h_next = 0, tanh' = 1 and db_h is dh "
                     "summed over the batch")

    # the tanh derivative, seen through db_h
    diagnose(name, db, derivative_mistakes)
    check_array(name, db, ref[4], what="db_h",
                hint="db_h = sum over the batch of delta, where delta = dh * (1 - h_next**2)")

    # dW_xh
    delta = dh * (1 - h ** 2)
    dW_xh = got[2]
    if type(dW_xh) is np.ndarray and dW_xh.shape == (D, H):
        raise GradingError(f"{name}: dW_xh has shape {dW_xh.shape}, the shape of W_xh.T; it must have the "
                           f"shape ({H}, {D}) of W_xh: dW_xh = delta.T @ x")
    diagnose(name, dW_xh, {msg: d.T @ x for msg, d in _deltas(dh, h).items()})
    check_array(name, dW_xh, ref[2], what="dW_xh",
                hint="check the input term: dW_xh = delta.T @ x sums the outer products delta_n x_n^T "
                     "over the batch")

    # dW_hh
    dW_hh = got[3]
    mistakes = {
        "dW_hh must pair delta with h_prev, the state that entered the step (h_{t-1}), not with h_next "
        "(h_t)": delta.T @ h,
        "dW_hh is transposed: entry [i, j] is delta[:, i] times h_prev[:, j], i.e. delta.T @ h_prev":
            h_prev.T @ delta,
    }
    mistakes.update({msg: d.T @ h_prev for msg, d in _deltas(dh, h).items()})
    diagnose(name, dW_hh, mistakes)
    check_array(name, dW_hh, ref[3], what="dW_hh",
                hint="check the recurrent term: dW_hh = delta.T @ h_prev")


def visible_step_input_grads(rnn_step_backward):
    """The gradients a step sends to its inputs: dx (down to x_t) and dh_prev (back to step t-1).

    Book page: ``book/bptt``.
    """
    name = "rnn_step_backward"
    N, D, H = 3, 4, 5
    rng = np.random.default_rng(1)
    dh, cache = _step_case(rng, N, D, H)
    x, h_prev, W_xh, W_hh, h = cache
    ref = _ref_step(dh, cache)
    got = _step_call(rnn_step_backward, dh, cache)
    got = _require_n(name, got, _STEP_NAMES)
    deltas = _deltas(dh, h)
    diagnose(name, got[0], {msg: d @ W_xh for msg, d in deltas.items()})
    check_array(name, got[0], ref[0], what="dx", hint="dx = delta @ W_xh")
    mistakes = {
        "dh_prev = delta @ W_hh, not W_hh.T: the forward step computed h_prev @ W_hh.T, so the backward "
        "multiplies by W_hh": (dh * (1 - h ** 2)) @ W_hh.T,
    }
    mistakes.update({msg: d @ W_hh for msg, d in deltas.items()})
    diagnose(name, got[1], mistakes)
    check_array(name, got[1], ref[1], what="dh_prev", hint="dh_prev = delta @ W_hh")


def _hidden_step(rnn_step_backward, seed, which):
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = (int(v) for v in rng.integers(1, 7, size=3))
        dh, cache = _step_case(rng, N, D, H, scale=1.0)
        ref = _ref_step(dh, cache)
        got = _require_n("rnn_step_backward", _step_call(rnn_step_backward, dh, cache), _STEP_NAMES)
        for i in which:
            check_array("rnn_step_backward", got[i], ref[i], what=_STEP_NAMES[i])


def hidden_step_param_grads(rnn_step_backward, seed):
    """dW_xh, dW_hh and db_h of one step on random inputs of random sizes.

    Book page: ``book/bptt``.
    """
    _hidden_step(rnn_step_backward, seed, (2, 3, 4))


def hidden_step_input_grads(rnn_step_backward, seed):
    """dx and dh_prev of one step on random inputs of random sizes.

    Book page: ``book/bptt``.
    """
    _hidden_step(rnn_step_backward, seed, (0, 1))


# -- 2. backpropagation through time --------------------------------------------------------------
def _sequence_case(rng, N, T, D, H, scale=0.5, dh_last_only=False):
    W_xh, W_hh, b_h = _weights(rng, D, H, scale)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    _, caches = _forward(x, h0, W_xh, W_hh, b_h)
    dh = rng.standard_normal((N, T, H))
    if dh_last_only:
        dh[:, :-1] = 0.0
    return dh, caches


_LOOP_VARIANTS = ({"carry": False}, {"accumulate": False}, {"forward_in_time": True}, {"first": 1})


def _loop_mistakes(step, dh, caches):
    return {
        "the gradient from step t+1 is missing: before the step at t, add dh_next (the dh_prev that step "
        "t+1 returned) to dh[:, t]": _maybe(_loop, step, dh, caches, carry=False),
        "the weight gradients must be summed over the steps (+=); yours keep only one step's term, as if "
        "dW were overwritten at every step instead of adding to it": _maybe(_loop, step, dh, caches,
                                                                           accumulate=False),
        "the backward sweep must run from the last step back to the first (t = T-1, ..., 0)":
            _maybe(_loop, step, dh, caches, forward_in_time=True),
        "your loop stops before t = 0 (an off-by-one in time): range(T - 1, -1, -1) visits every step":
            _maybe(_loop, step, dh, caches, first=1),
    }


def _grade_sequence(rnn_backward, rnn_step_backward, dh, caches, *, visible):
    name = "rnn_backward"
    ref = _ref_sequence(dh, caches)
    got = call_student(name, rnn_backward, dh, caches, forbidden=FORBID_RNN)
    _check_returns(name, got, ref, _SEQ_NAMES)
    own = _student_step(rnn_step_backward)
    own_ref = _own_reference(lambda step, **flags: _loop(step, dh, caches, **flags), _ref_step, own,
                             _LOOP_VARIANTS)
    if _all_match(got, ref) or (own_ref is not None and _all_match(got, own_ref)):
        return
    note = None
    if own_ref is None and not _earlier_is_right(own, _ref_step, dh[:, -1], caches[-1]):
        note = ("rnn_backward is compared with the true gradients, and your rnn_step_backward is not right "
                "yet: fix part 1 first")
    with _Noted(note):
        if visible:
            _diagnose_all(name, got, _loop_mistakes(_ref_step, dh, caches))
            if own_ref is not None:
                _diagnose_all(name, got, _loop_mistakes(own, dh, caches))
        hints = {"dh0": "dh0 is the dh_prev returned by the step at t = 0"} if visible else None
        _check_values(name, got, [ref, own_ref], _SEQ_NAMES, hints)


def visible_rnn_backward(rnn_backward, rnn_step_backward):
    """BPTT on small sequences: a gradient on the last step only, then on every step, then T = 1.

    Also calls the function twice on the same input: the results must not change.

    Book page: ``book/bptt``.
    """
    name = "rnn_backward"
    rng = np.random.default_rng(2)
    N, D, H = 2, 3, 4

    # the same input twice: the sums must start from zero at every call
    dh, caches = _sequence_case(rng, N, 4, D, H)
    first = call_student(name, rnn_backward, dh, caches, forbidden=FORBID_RNN)
    if type(first) in (tuple, list):
        first = [a.copy() if type(a) is np.ndarray else a for a in first]
    second = call_student(name, rnn_backward, dh, caches, forbidden=FORBID_RNN)
    if _is_sequence_of_arrays(first, 5) and _is_sequence_of_arrays(second, 5) and \
            all(a.shape == b.shape for a, b in zip(first, second)) and not _all_match(second, first, atol=0):
        raise GradingError(f"{name}: calling it twice on the same input gave different results: the "
                           "gradient sums must be created (as zeros) inside rnn_backward, at every call, "
                           "not kept from an earlier call")

    cases = [
        ("with a gradient on the last state only", _sequence_case(rng, N, 5, D, H, dh_last_only=True)),
        ("with gradients on every state", _sequence_case(rng, N, 5, D, H)),
        ("with a single step", _sequence_case(rng, N, 1, D, H)),
    ]
    for label, (dh, caches) in cases:
        try:
            _grade_sequence(rnn_backward, rnn_step_backward, dh, caches, visible=True)
        except GradingError as err:
            raise GradingError(f"{err} ({label})") from None


def hidden_rnn_backward(rnn_backward, rnn_step_backward, seed):
    """BPTT on random sequences, including T = 1.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for T in (1, int(rng.integers(5, 12))):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        dh, caches = _sequence_case(rng, N, T, D, H, scale=0.8)
        _grade_sequence(rnn_backward, rnn_step_backward, dh, caches, visible=False)


# -- 3. numerical gradient ------------------------------------------------------------------------
def _central(f, x, eps):
    """The central difference the students write, computed by the grader (same formula)."""
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def _one_sided(f, x, eps):
    x = x.copy()
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad


def _numgrad_call(numerical_gradient, f, x, **kwargs):
    return call_student("numerical_gradient", numerical_gradient, f, x, forbidden=FORBID_GRADCHECK, **kwargs)


def visible_numerical_gradient(numerical_gradient):
    """Central differences on known functions: sum of squares, sum of sines, a coupled function.

    Book page: ``book/bptt``.
    """
    name = "numerical_gradient"
    x = np.array([0.5, -1.0, 2.0])
    f = lambda v: float(np.sum(v ** 2))                       # noqa: E731
    got = _numgrad_call(numerical_gradient, f, x)
    if type(got) is np.ndarray and got.shape == x.shape and not values_match(got, 2 * x, rtol=1e-7, atol=1e-8):
        diagnose(name, got, {
            "use the central difference (f(x + eps) - f(x - eps)) / (2 eps); yours looks one-sided, "
            "(f(x + eps) - f(x)) / eps, whose error is of the order of eps": _one_sided(f, x, 1e-5),
            "divide by 2 * eps: the two points x + eps and x - eps are 2 eps apart": 2 * (2 * x),
        }, rtol=1e-7, atol=1e-8)
    check_array(name, got, 2 * x, rtol=1e-6, atol=1e-7, what="the gradient of sum(x**2)",
                hint="the gradient of sum(x**2) is 2x")

    x = np.array([[0.3, -1.2, 2.0], [1.5, 0.0, -0.7]])
    f = lambda v: float(np.sum(np.sin(v)))                    # noqa: E731
    got = _numgrad_call(numerical_gradient, f, x)
    check_array(name, got, np.cos(x), rtol=1e-6, atol=1e-7, what="the gradient of sum(sin(x)) for a 2-D x",
                hint="x can have any shape: visit every entry (np.ndindex(x.shape) gives every index)")

    x = np.array([0.4, -0.3, 1.1, 0.8])
    f = lambda v: float(np.sum(v) ** 2 + v[0] * v[3])         # noqa: E731
    exact = 2 * np.sum(x) * np.ones_like(x) + np.array([x[3], 0.0, 0.0, x[0]])
    got = _numgrad_call(numerical_gradient, f, x)
    check_array(name, got, exact, rtol=1e-6, atol=1e-7, what="the gradient of sum(x)**2 + x[0] x[3]",
                hint="put each entry back to its original value before perturbing the next one "
                     "(this function couples the entries, so a leftover change shows)")

    x = np.array([0.5, -1.5, 2.0])
    f = lambda v: float(np.sum(v ** 3))                       # noqa: E731
    got = _numgrad_call(numerical_gradient, f, x, eps=0.1)
    check_array(name, got, _central(f, x, 0.1), rtol=1e-6, atol=1e-9,
                what="the result with eps=0.1 for sum(x**3)",
                hint="use the eps you are given (the central difference of x**3 is 3x**2 + eps**2)")


def hidden_numerical_gradient(numerical_gradient, seed):
    """Central differences of random smooth functions of arrays of random shapes and steps.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for shape, eps in (((5,), None), ((2, 3), 1e-4), ((2, 2, 2), 0.05)):
        x = rng.standard_normal(shape)
        A = rng.standard_normal((3, x.size))
        c = rng.standard_normal(3)
        f = lambda v, A=A, c=c: float(c @ np.tanh(A @ v.ravel()) + 0.5 * np.sum(v ** 3))  # noqa: E731
        kwargs = {} if eps is None else {"eps": eps}
        got = _numgrad_call(numerical_gradient, f, x, **kwargs)
        check_array("numerical_gradient", got, _central(f, x, 1e-5 if eps is None else eps),
                    rtol=1e-5, atol=1e-8, what="the numerical gradient")


# -- 4. clipping by global norm -------------------------------------------------------------------
def _clip_ref(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = min(1.0, max_norm / norm)
    return {k: g * scale for k, g in grads.items()}, norm


def _clip_mistakes(grads, max_norm):
    norms = {k: float(np.sqrt(np.sum(g ** 2))) for k, g in grads.items()}
    total = float(np.sqrt(sum(n ** 2 for n in norms.values())))
    return {
        "you clipped each gradient on its own, by its own norm; clip by the GLOBAL norm: one factor "
        "min(1, max_norm / norm) for all gradients, so their direction is kept":
            {k: g * min(1.0, max_norm / norms[k]) for k, g in grads.items()},
        "you clipped every entry by value (np.clip); clipping by global norm scales all gradients "
        "together, which keeps their direction": {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()},
        "you scaled the gradients to norm max_norm even though their norm was already below it; the "
        "factor is min(1, max_norm / norm), so small gradients stay unchanged":
            {k: g * (max_norm / total) for k, g in grads.items()},
        "the global norm is the square root of the sum of the squares of ALL entries, not the sum of "
        "the gradients' norms": {k: g * min(1.0, max_norm / sum(norms.values())) for k, g in grads.items()},
    }


def _grade_clip(clip_by_global_norm, grads, max_norm, *, visible):
    name = "clip_by_global_norm"
    ref, ref_norm = _clip_ref(grads, max_norm)
    got = call_student(name, clip_by_global_norm, {k: g.copy() for k, g in grads.items()}, max_norm,
                       forbidden=FORBID_CLIPPING)
    if type(got) not in (tuple, list) or len(got) != 2:
        raise GradingError(f"{name} must return two things, (clipped, norm): the dict of clipped gradients "
                           "and the global norm before clipping")
    clipped, norm = got
    if not isinstance(clipped, dict) or set(clipped) != set(grads):
        raise GradingError(f"{name}: clipped must be a dict with the same names as grads")
    if visible:
        for message, wrong in _clip_mistakes(grads, max_norm).items():
            if all(values_match(clipped[k], wrong[k]) for k in grads) and \
                    not all(values_match(clipped[k], ref[k]) for k in grads):
                raise GradingError(f"{name}: {message}")
    for k in sorted(grads):
        check_array(name, clipped[k], ref[k], what=f"clipped[{k!r}]",
                    hint="every gradient is multiplied by the same factor min(1, max_norm / norm)"
                    if visible else None)
    if isinstance(norm, bool) or not isinstance(norm, (numbers.Real, np.floating)):
        raise GradingError(f"{name}: norm must be a number (a float), got {type(norm).__name__}")
    norm = float(norm)
    if not abs(norm - ref_norm) <= 1e-9 + 1e-6 * ref_norm:
        message = f"{name}: the returned norm is wrong"
        if visible and abs(norm - min(ref_norm, max_norm)) <= 1e-9 + 1e-6 * max_norm:
            message += "; return the global norm BEFORE clipping (it tells how large the gradients were)"
        elif visible:
            message += "; norm = sqrt(sum over all gradients of the sum of their squared entries)"
        raise GradingError(message)


def visible_clip(clip_by_global_norm):
    """Two small gradients of global norm 5: clipped to 1, and left alone under a threshold of 10.

    Book page: ``book/bptt``.
    """
    grads = {"W": np.array([[2.0, 2.0], [1.0, 0.0]]), "b": np.array([4.0, 0.0, 0.0])}   # norm 5
    _grade_clip(clip_by_global_norm, grads, 10.0, visible=True)
    _grade_clip(clip_by_global_norm, grads, 1.0, visible=True)


def hidden_clip(clip_by_global_norm, seed):
    """Random gradient dicts, with thresholds below and above their global norm.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        shapes = [tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
                  for _ in range(int(rng.integers(2, 5)))]
        grads = {f"g{i}": rng.standard_normal(shape) for i, shape in enumerate(shapes)}
        norm = _clip_ref(grads, 1.0)[1]
        for max_norm in (0.3 * norm, 3.0 * norm):
            _grade_clip(clip_by_global_norm, grads, max_norm, visible=False)


# -- 5. truncated BPTT ----------------------------------------------------------------------------
def _truncated(backward, x, h0, W_xh, W_hh, b_h, dh, k, *, carry_state=True, accumulate=True,
               drop_last=False, carry_gradient=False):
    """Truncated BPTT with a given sequence backward; the flags reproduce mistakes."""
    T = x.shape[1]
    starts = list(range(0, T, k))
    if drop_last and T % k:
        starts = starts[:-1]
    h, sums = h0, None
    chunks = []
    for s in starts:
        sl = slice(s, min(s + k, T))
        hs, caches = _forward(x[:, sl], h if carry_state else h0, W_xh, W_hh, b_h)
        chunks.append((dh[:, sl].copy(), caches))
        h = hs[:, -1]
    d_next = None
    for dh_c, caches in reversed(chunks):
        if carry_gradient and d_next is not None:
            dh_c[:, -1] += d_next
        out = backward(dh_c, caches)
        d_next = out[1]
        dW = list(out[2:])
        if sums is None:
            sums = dW                      # the last chunk in time comes first here
        elif accumulate:
            sums = [a + b for a, b in zip(sums, dW)]
    return tuple(sums)


def _ref_backward(dh, caches):
    return _ref_sequence(dh, caches)


def _student_backward(rnn_backward):
    def backward(dh, caches):
        try:
            out = call_student("rnn_backward", rnn_backward, dh, caches, forbidden=FORBID_RNN)
        except GradingError:
            raise _Unusable from None
        N, T, H = dh.shape
        D = caches[0][0].shape[1]
        shapes = ((N, T, D), (N, H), (H, D), (H, H), (H,))
        if not _is_sequence_of_arrays(out, 5) or tuple(a.shape for a in out) != shapes \
                or not all(np.all(np.isfinite(a)) for a in out):
            raise _Unusable
        return tuple(out)
    return backward


def _truncation_case(rng, N, T, D, H, scale=0.5):
    W_xh, W_hh, b_h = _weights(rng, D, H, scale)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    return x, h0, W_xh, W_hh, b_h, rng.standard_normal((N, T, H))


def _grade_truncated(truncated_rnn_backward, rnn_backward, args, k, ref, *, visible):
    name = "truncated_rnn_backward"
    got = call_student(name, truncated_rnn_backward, *args, k, forbidden=FORBID_RNN)
    _check_returns(name, got, ref, _TRUNC_NAMES)
    own = _student_backward(rnn_backward)
    own_ref = _own_reference(lambda backward, **flags: _truncated(backward, *args, k, **flags), _ref_backward,
                             own, ({"carry_state": False}, {"carry_gradient": True}, {"accumulate": False},
                                   {"drop_last": True}))
    if _all_match(got, ref) or (own_ref is not None and _all_match(got, own_ref)):
        return
    note = None
    if own_ref is None:
        x, h0, W_xh, W_hh, b_h, dh = args
        _, caches = _forward(x, h0, W_xh, W_hh, b_h)
        if not _earlier_is_right(own, _ref_backward, dh, caches):
            note = ("truncated_rnn_backward is compared with the true gradients, and your rnn_backward is not "
                    "right yet: fix part 2 first")
    with _Noted(note):
        _diagnose_truncated(name, got, args, k, own, own_ref, visible)
        _check_values(name, got, [ref, own_ref], _TRUNC_NAMES)


def _diagnose_truncated(name, got, args, k, own, own_ref, visible):
    if visible:
        for backward in (_ref_backward, own) if own_ref is not None else (_ref_backward,):
            _diagnose_all(name, got, {
                "the hidden state must be carried from one chunk to the next (each chunk starts from the "
                "previous chunk's last state, not from h0)":
                    _maybe(_truncated, backward, *args, k, carry_state=False),
                "your gradients equal full BPTT's: the gradient must be cut at every chunk edge (a chunk's "
                "backward pass sends nothing into the chunk before it)": _maybe(
                    _truncated, backward, *args, k, carry_gradient=True),
                "the weight gradients of all chunks must be summed; yours keep only one chunk's":
                    _maybe(_truncated, backward, *args, k, accumulate=False),
                "the last, shorter chunk is missing: when k does not divide T the final chunk has "
                "T % k steps": _maybe(_truncated, backward, *args, k, drop_last=True),
            })


def visible_truncated(truncated_rnn_backward, rnn_backward):
    """Truncated BPTT: k = T (equal to full BPTT), then chunks of 2 and 3 steps over T = 7.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(3)
    N, T, D, H = 2, 7, 3, 4
    args = _truncation_case(rng, N, T, D, H)
    x, h0, W_xh, W_hh, b_h, dh = args
    _, caches = _forward(x, h0, W_xh, W_hh, b_h)
    full = _ref_sequence(dh, caches)[2:]
    try:
        _grade_truncated(truncated_rnn_backward, rnn_backward, args, T, full, visible=True)
    except GradingError as err:
        raise GradingError(f"{err} (with k = T there is one chunk, and the result is full BPTT's)") from None
    for k in (2, 3):
        ref = _truncated(_ref_backward, *args, k)
        try:
            _grade_truncated(truncated_rnn_backward, rnn_backward, args, k, ref, visible=True)
        except GradingError as err:
            raise GradingError(f"{err} (T = {T}, k = {k})") from None


def hidden_truncated(truncated_rnn_backward, rnn_backward, seed):
    """Truncated BPTT against ``rnncourse.core.bptt.bptt(..., truncation=k)`` on a Sequential(RNN, Output) model.

    The gradient the output layer sends to the hidden states is computed once, for the
    mean squared error over the whole sequence; the student's function must then give
    the recurrent layer's gradients that ``bptt`` accumulates.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(2):
        N, D, H, O = (int(v) for v in rng.integers(1, 5, size=4))
        T = int(rng.integers(5, 13))
        k = int(rng.integers(1, T))
        model = _Sequential(_rnn.RNN(D, H, rng=rng), _Output(H, O, rng=rng))
        x, y = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, O))
        h0 = 0.5 * rng.standard_normal((N, H))
        out, _ = model.forward(x, [h0, None])
        _, dout = _mse(out, y)
        p = model.params
        dh = dout @ p["1.W_hy"]                     # what the output layer sends to every h_t
        model.zero_grad()
        _bptt(model, x, y, "mse", state=[h0, None], truncation=k)
        ref = tuple(model.grads[f"0.{n}"].copy() for n in ("W_xh", "W_hh", "b_h"))
        args = (x, h0, p["0.W_xh"].copy(), p["0.W_hh"].copy(), p["0.b_h"].copy(), dh)
        _grade_truncated(truncated_rnn_backward, rnn_backward, args, k, ref, visible=False)


# -- 6. vanishing gradients -----------------------------------------------------------------------
def _norms_by_lag(step, caches, dh_T, *, after=False, batch_norm=False, chronological=False):
    """Mean norm of dL/dh_{T-k} for k = 0..T-1 with a given step backward; the flags reproduce mistakes."""
    T = len(caches)
    d = dh_T
    norms = np.zeros(T)
    for k in range(T):
        if after:
            d = step(d, caches[T - 1 - k])[1]
        norms[k] = np.linalg.norm(d) if batch_norm else np.linalg.norm(d, axis=1).mean()
        if not after:
            d = step(d, caches[T - 1 - k])[1]
    return norms[::-1].copy() if chronological else norms


def _norms_case(rng, N, T, D, H, rho):
    W_xh, W_hh, b_h = _weights(rng, D, H, 0.5)
    W_hh *= rho / np.max(np.abs(np.linalg.eigvals(W_hh)))
    x, h0 = rng.standard_normal((N, T, D)), np.zeros((N, H))
    _, caches = _forward(x, h0, W_xh, W_hh, b_h)
    dh_T = rng.standard_normal((N, H))
    return caches, dh_T / np.linalg.norm(dh_T, axis=1, keepdims=True)


def _grade_norms(state_gradient_norms, rnn_step_backward, caches, dh_T, *, visible):
    name = "state_gradient_norms"
    ref = _norms_by_lag(_ref_step, caches, dh_T)
    got = call_student(name, state_gradient_norms, caches, dh_T, forbidden=FORBID_VANISHING)
    own = _student_step(rnn_step_backward)
    own_ref = _own_reference(lambda step, **flags: _norms_by_lag(step, caches, dh_T, **flags), _ref_step, own,
                             ({"after": True}, {"batch_norm": True}, {"chronological": True}))
    for r in (ref, own_ref):
        if r is not None and values_match(got, r, rtol=1e-6, atol=1e-12):
            return
    note = None
    if own_ref is None and not _earlier_is_right(own, _ref_step, dh_T, caches[-1]):
        note = ("state_gradient_norms is compared with the true norms, and your rnn_step_backward is not "
                "right yet: fix part 1 first")
    with _Noted(note):
        if visible and type(got) is np.ndarray and got.shape == ref.shape:
            _diagnose_norms(name, got, caches, dh_T, (_ref_step, own) if own_ref is not None else (_ref_step,))
        check_array(name, got, ref, rtol=1e-6, atol=1e-12, what="norms",
                    hint="norms[k] = mean over the batch of the norm of dL/dh_{T-k}" if visible else None)


def _diagnose_norms(name, got, caches, dh_T, steps):
    d = dh_T
    plain = np.zeros(len(caches))
    for k in range(len(caches)):
        plain[k] = np.linalg.norm(d, axis=1).mean()
        d = d @ caches[0][3]
    diagnose(name, got, {"the gradient must go through tanh' at every step, not only through W_hh: use your "
                         "rnn_step_backward to go from dL/dh_t to dL/dh_{t-1}": plain}, rtol=1e-6, atol=1e-12)
    for step in steps:
        mistakes = {
            "norms[0] must be the norm of dh_T itself (lag 0, before any step back); yours look shifted "
            "by one step": _maybe(_norms_by_lag, step, caches, dh_T, after=True),
            "take the norm of each example's gradient (np.linalg.norm(d, axis=1)), then the mean over "
            "the batch; yours is the norm of the whole (N, H) array":
                _maybe(_norms_by_lag, step, caches, dh_T, batch_norm=True),
            "norms[k] belongs to lag k, counted back from the last step: norms[0] at h_T, norms[T-1] at "
            "h_1; yours are in the order of time": _maybe(_norms_by_lag, step, caches, dh_T, chronological=True),
        }
        diagnose(name, got, {m: v for m, v in mistakes.items() if v is not None and np.any(v)},
                 rtol=1e-6, atol=1e-12)


def visible_state_gradient_norms(state_gradient_norms, rnn_step_backward):
    """Norms by lag on a short sequence (T = 6) at spectral radius 0.9.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(4)
    caches, dh_T = _norms_case(rng, 3, 6, 2, 4, 0.9)
    _grade_norms(state_gradient_norms, rnn_step_backward, caches, dh_T, visible=True)


def hidden_state_gradient_norms(state_gradient_norms, rnn_step_backward, seed):
    """Norms by lag on random sequences at spectral radii below and above one.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for rho in (0.6, 1.4):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        caches, dh_T = _norms_case(rng, N, int(rng.integers(2, 15)), D, H, rho)
        _grade_norms(state_gradient_norms, rnn_step_backward, caches, dh_T, visible=False)


# -- concept checks -------------------------------------------------------------------------------
def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice question; the right answer is stored only as a digest.

    Book page: ``book/bptt``.
    """
    check_choice_answer(name, answer, digest, choices)
