r"""Visible checks of assignment 2, *Backpropagation through time* (``assignments/source/a02_bptt``).

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

``visible_*`` functions are the tests students see: small, and each isolates one
term so that a failure says which one is wrong. The hidden tests, which draw fresh
inputs from a seed, live with the course in ``assignments/graders/a02_bptt.py``,
not in this package; they grade through the public helpers here (``grade_*`` with
``visible=False``, the ``*_case`` input makers).

The caches the students' functions receive are those of the notebook's forward
step, ``cache = (x, h_prev, W_xh, W_hh, h_next)``, one per time step; the reference
computations are in :mod:`rnncourse.grading.bptt_reference`. A later part is also
accepted when it agrees with the same computation done with the student's own
earlier function (:mod:`rnncourse.grading.chained`), so one mistake is not paid for twice.

Every student function runs through :func:`rnncourse.grading.call_student` with
a ``forbidden`` list: ``rnncourse``'s own implementation of the same thing, and
the reference helpers of this module and :mod:`rnncourse.grading.bptt_reference`.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import GradingError, call_student, check_array, diagnose, values_match
from .bptt_reference import (bptt_loop, central_difference, clip_reference, norms_by_lag, notebook_forward,
                             one_sided_difference, reference_sequence, reference_step, truncated_bptt)
from .chained import (Noted, Unusable, all_match, check_returns, check_values, diagnose_all, earlier_is_right,
                      is_sequence_of_arrays, maybe, own_reference, require_n)

#: rnncourse modules whose code the answers must not call; the checks' own modules are
#: in the list too (their reference helpers would otherwise be a way round the exercise).
_CHECKS = ("grading.a02_bptt", "grading.bptt_reference")
FORBID_RNN = ("cells.rnn", "cells.fast", "core.bptt") + _CHECKS
FORBID_GRADCHECK = ("core.gradcheck",)
FORBID_CLIPPING = ("core.clipping",) + _CHECKS
FORBID_VANISHING = ("cells.rnn", "cells.fast", "core.bptt", "analysis.vanishing") + _CHECKS

#: What ``rnn_step_backward`` returns, in order.
STEP_NAMES = ("dx", "dh_prev", "dW_xh", "dW_hh", "db_h")
_SEQ_NAMES = ("dx", "dh0", "dW_xh", "dW_hh", "db_h")
_TRUNC_NAMES = ("dW_xh", "dW_hh", "db_h")


# -- shared helpers -------------------------------------------------------------------------------
def _weights(rng, D, H, scale=0.5):
    return (scale * rng.standard_normal((H, D)), scale * rng.standard_normal((H, H)),
            scale * rng.standard_normal(H))


def _student_step(rnn_step_backward):
    """The student's step backward as a reference function (raises Unusable if it is not usable)."""
    def step(dh, cache):
        try:
            out = call_student("rnn_step_backward", rnn_step_backward, dh, cache, forbidden=FORBID_RNN)
        except GradingError:
            raise Unusable from None
        x, h_prev, W_xh, W_hh, _ = cache
        shapes = (x.shape, h_prev.shape, W_xh.shape, W_hh.shape, (W_hh.shape[0],))
        if not is_sequence_of_arrays(out, 5) or tuple(a.shape for a in out) != shapes \
                or not all(np.all(np.isfinite(a)) for a in out):
            raise Unusable
        return tuple(out)
    return step


# -- 1. one step backward -------------------------------------------------------------------------
def step_case(rng, N, D, H, *, zero_inputs=False, scale=0.5):
    """A random ``(dh, cache)`` for one step; with ``zero_inputs``, x, h_prev and b_h are zero (so tanh' = 1).

    Book page: ``book/bptt``.
    """
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

    zero_case = step_case(rng, N, D, H, zero_inputs=True)   # x, h_prev, b_h zero: h_next = 0, tanh' = 1
    dh, cache = step_case(rng, N, D, H)
    x, h_prev, W_xh, W_hh, h = cache
    ref = reference_step(dh, cache)
    got = require_n(name, _step_call(rnn_step_backward, dh, cache), STEP_NAMES)
    db = got[4]
    if type(db) is np.ndarray and db.shape == (N, H):
        raise GradingError(f"{name}: db_h has shape {db.shape}; it must have the shape ({H},) of b_h: "
                           "b_h is added to every example, so sum delta over the batch (axis 0)")
    derivative_mistakes = {msg: d.sum(axis=0) for msg, d in _deltas(dh, h).items()}
    derivative_mistakes["db_h is the SUM of delta over the batch, not the mean"] = ref[4] / N

    # the bias gradient alone, where tanh' = 1
    dh0, cache0 = zero_case
    got0 = require_n(name, _step_call(rnn_step_backward, dh0, cache0), STEP_NAMES)
    ref0 = reference_step(dh0, cache0)
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
    dh, cache = step_case(rng, N, D, H)
    x, h_prev, W_xh, W_hh, h = cache
    ref = reference_step(dh, cache)
    got = _step_call(rnn_step_backward, dh, cache)
    got = require_n(name, got, STEP_NAMES)
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


# -- 2. backpropagation through time --------------------------------------------------------------
def sequence_case(rng, N, T, D, H, scale=0.5, dh_last_only=False):
    """A random ``(dh, caches)`` for a sequence; with ``dh_last_only``, only the last state gets a gradient.

    Book page: ``book/bptt``.
    """
    W_xh, W_hh, b_h = _weights(rng, D, H, scale)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    _, caches = notebook_forward(x, h0, W_xh, W_hh, b_h)
    dh = rng.standard_normal((N, T, H))
    if dh_last_only:
        dh[:, :-1] = 0.0
    return dh, caches


_LOOP_VARIANTS = ({"carry": False}, {"accumulate": False}, {"forward_in_time": True}, {"first": 1})


def _loop_mistakes(step, dh, caches):
    return {
        "the gradient from step t+1 is missing: before the step at t, add dh_next (the dh_prev that step "
        "t+1 returned) to dh[:, t]": maybe(bptt_loop, step, dh, caches, carry=False),
        "the weight gradients must be summed over the steps (+=); yours keep only one step's term, as if "
        "dW were overwritten at every step instead of adding to it": maybe(bptt_loop, step, dh, caches,
                                                                           accumulate=False),
        "the backward sweep must run from the last step back to the first (t = T-1, ..., 0)":
            maybe(bptt_loop, step, dh, caches, forward_in_time=True),
        "your loop stops before t = 0 (an off-by-one in time): range(T - 1, -1, -1) visits every step":
            maybe(bptt_loop, step, dh, caches, first=1),
    }


def grade_sequence(rnn_backward, rnn_step_backward, dh, caches, *, visible):
    """Check ``rnn_backward`` on one input, also against the student's own step; ``visible`` names mistakes.

    Book page: ``book/bptt``.
    """
    name = "rnn_backward"
    ref = reference_sequence(dh, caches)
    got = call_student(name, rnn_backward, dh, caches, forbidden=FORBID_RNN)
    check_returns(name, got, ref, _SEQ_NAMES)
    own = _student_step(rnn_step_backward)
    own_ref = own_reference(lambda step, **flags: bptt_loop(step, dh, caches, **flags), reference_step, own,
                            _LOOP_VARIANTS)
    if all_match(got, ref) or (own_ref is not None and all_match(got, own_ref)):
        return
    note = None
    if own_ref is None and not earlier_is_right(own, reference_step, dh[:, -1], caches[-1]):
        note = ("rnn_backward is compared with the true gradients, and your rnn_step_backward is not right "
                "yet: fix part 1 first")
    with Noted(note):
        if visible:
            diagnose_all(name, got, _loop_mistakes(reference_step, dh, caches))
            if own_ref is not None:
                diagnose_all(name, got, _loop_mistakes(own, dh, caches))
        hints = {"dh0": "dh0 is the dh_prev returned by the step at t = 0"} if visible else None
        check_values(name, got, [ref, own_ref], _SEQ_NAMES, hints)


def visible_rnn_backward(rnn_backward, rnn_step_backward):
    """BPTT on small sequences: a gradient on the last step only, then on every step, then T = 1.

    Also calls the function twice on the same input: the results must not change.

    Book page: ``book/bptt``.
    """
    name = "rnn_backward"
    rng = np.random.default_rng(2)
    N, D, H = 2, 3, 4

    # the same input twice: the sums must start from zero at every call
    dh, caches = sequence_case(rng, N, 4, D, H)
    first = call_student(name, rnn_backward, dh, caches, forbidden=FORBID_RNN)
    if type(first) in (tuple, list):
        first = [a.copy() if type(a) is np.ndarray else a for a in first]
    second = call_student(name, rnn_backward, dh, caches, forbidden=FORBID_RNN)
    if is_sequence_of_arrays(first, 5) and is_sequence_of_arrays(second, 5) and \
            all(a.shape == b.shape for a, b in zip(first, second)) and not all_match(second, first, atol=0):
        raise GradingError(f"{name}: calling it twice on the same input gave different results: the "
                           "gradient sums must be created (as zeros) inside rnn_backward, at every call, "
                           "not kept from an earlier call")

    cases = [
        ("with a gradient on the last state only", sequence_case(rng, N, 5, D, H, dh_last_only=True)),
        ("with gradients on every state", sequence_case(rng, N, 5, D, H)),
        ("with a single step", sequence_case(rng, N, 1, D, H)),
    ]
    for label, (dh, caches) in cases:
        try:
            grade_sequence(rnn_backward, rnn_step_backward, dh, caches, visible=True)
        except GradingError as err:
            raise GradingError(f"{err} ({label})") from None


# -- 3. numerical gradient ------------------------------------------------------------------------
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
            "(f(x + eps) - f(x)) / eps, whose error is of the order of eps": one_sided_difference(f, x, 1e-5),
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
    check_array(name, got, central_difference(f, x, 0.1), rtol=1e-6, atol=1e-9,
                what="the result with eps=0.1 for sum(x**3)",
                hint="use the eps you are given (the central difference of x**3 is 3x**2 + eps**2)")


# -- 4. clipping by global norm -------------------------------------------------------------------
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


def grade_clip(clip_by_global_norm, grads, max_norm, *, visible):
    """Check ``clip_by_global_norm`` on one dict of gradients; ``visible`` names mistakes and gives hints.

    Book page: ``book/bptt``.
    """
    name = "clip_by_global_norm"
    ref, ref_norm = clip_reference(grads, max_norm)
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
    grade_clip(clip_by_global_norm, grads, 10.0, visible=True)
    grade_clip(clip_by_global_norm, grads, 1.0, visible=True)


# -- 5. truncated BPTT ----------------------------------------------------------------------------
def _student_backward(rnn_backward):
    def backward(dh, caches):
        try:
            out = call_student("rnn_backward", rnn_backward, dh, caches, forbidden=FORBID_RNN)
        except GradingError:
            raise Unusable from None
        N, T, H = dh.shape
        D = caches[0][0].shape[1]
        shapes = ((N, T, D), (N, H), (H, D), (H, H), (H,))
        if not is_sequence_of_arrays(out, 5) or tuple(a.shape for a in out) != shapes \
                or not all(np.all(np.isfinite(a)) for a in out):
            raise Unusable
        return tuple(out)
    return backward


def _truncation_case(rng, N, T, D, H, scale=0.5):
    W_xh, W_hh, b_h = _weights(rng, D, H, scale)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    return x, h0, W_xh, W_hh, b_h, rng.standard_normal((N, T, H))


def grade_truncated(truncated_rnn_backward, rnn_backward, args, k, ref, *, visible):
    """Check truncated BPTT with chunks of ``k`` against ``ref`` (or the student's own ``rnn_backward``).

    Book page: ``book/bptt``.
    """
    name = "truncated_rnn_backward"
    got = call_student(name, truncated_rnn_backward, *args, k, forbidden=FORBID_RNN)
    check_returns(name, got, ref, _TRUNC_NAMES)
    own = _student_backward(rnn_backward)
    own_ref = own_reference(lambda backward, **flags: truncated_bptt(backward, *args, k, **flags), reference_sequence,
                            own, ({"carry_state": False}, {"carry_gradient": True}, {"accumulate": False},
                                  {"drop_last": True}))
    if all_match(got, ref) or (own_ref is not None and all_match(got, own_ref)):
        return
    note = None
    if own_ref is None:
        x, h0, W_xh, W_hh, b_h, dh = args
        _, caches = notebook_forward(x, h0, W_xh, W_hh, b_h)
        if not earlier_is_right(own, reference_sequence, dh, caches):
            note = ("truncated_rnn_backward is compared with the true gradients, and your rnn_backward is not "
                    "right yet: fix part 2 first")
    with Noted(note):
        _diagnose_truncated(name, got, args, k, own, own_ref, visible)
        check_values(name, got, [ref, own_ref], _TRUNC_NAMES)


def _diagnose_truncated(name, got, args, k, own, own_ref, visible):
    if visible:
        for backward in (reference_sequence, own) if own_ref is not None else (reference_sequence,):
            diagnose_all(name, got, {
                "the hidden state must be carried from one chunk to the next (each chunk starts from the "
                "previous chunk's last state, not from h0)":
                    maybe(truncated_bptt, backward, *args, k, carry_state=False),
                "your gradients equal full BPTT's: the gradient must be cut at every chunk edge (a chunk's "
                "backward pass sends nothing into the chunk before it)": maybe(
                    truncated_bptt, backward, *args, k, carry_gradient=True),
                "the weight gradients of all chunks must be summed; yours keep only one chunk's":
                    maybe(truncated_bptt, backward, *args, k, accumulate=False),
                "the last, shorter chunk is missing: when k does not divide T the final chunk has "
                "T % k steps": maybe(truncated_bptt, backward, *args, k, drop_last=True),
            })


def visible_truncated(truncated_rnn_backward, rnn_backward):
    """Truncated BPTT: k = T (equal to full BPTT), then chunks of 2 and 3 steps over T = 7.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(3)
    N, T, D, H = 2, 7, 3, 4
    args = _truncation_case(rng, N, T, D, H)
    x, h0, W_xh, W_hh, b_h, dh = args
    _, caches = notebook_forward(x, h0, W_xh, W_hh, b_h)
    full = reference_sequence(dh, caches)[2:]
    try:
        grade_truncated(truncated_rnn_backward, rnn_backward, args, T, full, visible=True)
    except GradingError as err:
        raise GradingError(f"{err} (with k = T there is one chunk, and the result is full BPTT's)") from None
    for k in (2, 3):
        ref = truncated_bptt(reference_sequence, *args, k)
        try:
            grade_truncated(truncated_rnn_backward, rnn_backward, args, k, ref, visible=True)
        except GradingError as err:
            raise GradingError(f"{err} (T = {T}, k = {k})") from None


# -- 6. vanishing gradients -----------------------------------------------------------------------
def norms_case(rng, N, T, D, H, rho):
    """Random ``(caches, dh_T)`` of a sequence whose ``W_hh`` has spectral radius ``rho``; rows of dh_T of norm 1.

    Book page: ``book/bptt``.
    """
    W_xh, W_hh, b_h = _weights(rng, D, H, 0.5)
    W_hh *= rho / np.max(np.abs(np.linalg.eigvals(W_hh)))
    x, h0 = rng.standard_normal((N, T, D)), np.zeros((N, H))
    _, caches = notebook_forward(x, h0, W_xh, W_hh, b_h)
    dh_T = rng.standard_normal((N, H))
    return caches, dh_T / np.linalg.norm(dh_T, axis=1, keepdims=True)


def grade_norms(state_gradient_norms, rnn_step_backward, caches, dh_T, *, visible):
    """Check ``state_gradient_norms`` on one input, also against the student's own step backward.

    Book page: ``book/bptt``.
    """
    name = "state_gradient_norms"
    ref = norms_by_lag(reference_step, caches, dh_T)
    got = call_student(name, state_gradient_norms, caches, dh_T, forbidden=FORBID_VANISHING)
    own = _student_step(rnn_step_backward)
    own_ref = own_reference(lambda step, **flags: norms_by_lag(step, caches, dh_T, **flags), reference_step, own,
                            ({"after": True}, {"batch_norm": True}, {"chronological": True}))
    for r in (ref, own_ref):
        if r is not None and values_match(got, r, rtol=1e-6, atol=1e-12):
            return
    note = None
    if own_ref is None and not earlier_is_right(own, reference_step, dh_T, caches[-1]):
        note = ("state_gradient_norms is compared with the true norms, and your rnn_step_backward is not "
                "right yet: fix part 1 first")
    with Noted(note):
        if visible and type(got) is np.ndarray and got.shape == ref.shape:
            steps = (reference_step, own) if own_ref is not None else (reference_step,)
            _diagnose_norms(name, got, caches, dh_T, steps)
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
            "by one step": maybe(norms_by_lag, step, caches, dh_T, after=True),
            "take the norm of each example's gradient (np.linalg.norm(d, axis=1)), then the mean over "
            "the batch; yours is the norm of the whole (N, H) array":
                maybe(norms_by_lag, step, caches, dh_T, batch_norm=True),
            "norms[k] belongs to lag k, counted back from the last step: norms[0] at h_T, norms[T-1] at "
            "h_1; yours are in the order of time": maybe(norms_by_lag, step, caches, dh_T, chronological=True),
        }
        diagnose(name, got, {m: v for m, v in mistakes.items() if v is not None and np.any(v)},
                 rtol=1e-6, atol=1e-12)


def visible_state_gradient_norms(state_gradient_norms, rnn_step_backward):
    """Norms by lag on a short sequence (T = 6) at spectral radius 0.9.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(4)
    caches, dh_T = norms_case(rng, 3, 6, 2, 4, 0.9)
    grade_norms(state_gradient_norms, rnn_step_backward, caches, dh_T, visible=True)
