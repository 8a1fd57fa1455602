r"""Visible checks of assignment 1, *The RNN forward pass* (``assignments/source/a01_rnn_forward``).

Taught on the book page *The math of an RNN* (``book/math``).

``visible_*`` functions are the tests students see: small, and each isolates
one term so that a failure says which one is wrong. The hidden tests, which draw
fresh inputs from a seed and compare with ``rnncourse``'s reference, live with
the course in ``assignments/graders/a01_rnn_forward.py``, not in this package;
they reuse the public helpers here (:func:`random_weights`, :func:`step_reference`).
"""
from __future__ import annotations

import numpy as np

from ..core import activations as _act
from ..cells.rnn import rnn_forward as _rnn_forward
from . import call_student, check_array, diagnose

_sigmoid = _act.sigmoid_unchecked


def random_weights(rng, D, H, scale=0.5):
    """Random ``W_xh`` (H, D), ``W_hh`` (H, H) and ``b_h`` (H,), each entry ``scale`` times a standard normal.

    Book page: ``book/math``.
    """
    return (scale * rng.standard_normal((H, D)), scale * rng.standard_normal((H, H)),
            scale * rng.standard_normal(H))


# -- tanh -----------------------------------------------------------------------------------------
#: What the tanh answer must not call; rnncourse's activations, and the numpy (and math) functions that
#: would skip the formula the part asks for.
TANH_FORBIDDEN = dict(forbidden=("core.activations",), forbidden_numpy=("tanh", "sinh", "cosh"))


def visible_tanh(tanh):
    """tanh on a few values, and on large ones (a naive formula overflows there); written with ``np.exp``.

    Book page: ``book/math``.
    """
    a = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])
    got = call_student("tanh", tanh, a, **TANH_FORBIDDEN)
    check_array("tanh", got, np.tanh(a), hint="tanh(a) = (e^a - e^-a) / (e^a + e^-a)")
    big = np.array([-800.0, 800.0])
    got = call_student("tanh", tanh, big, **TANH_FORBIDDEN)
    check_array("tanh", got, np.tanh(big), what="the output for very large |a|",
                hint="exp(800) overflows; rewrite the formula so exp only sees non-positive numbers")


# -- one step -------------------------------------------------------------------------------------
def step_reference(x, h, W_xh, W_hh, b_h, f=np.tanh):
    """One RNN step ``f(x @ W_xh.T + h @ W_hh.T + b_h)``, right with ``f = tanh``, a typical mistake otherwise.

    Book page: ``book/math``.
    """
    return f(x @ W_xh.T + h @ W_hh.T + b_h)


def visible_rnn_step(rnn_step_forward):
    """Each term of the step on its own: bias, input term, recurrent term, then the activation.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(0)
    N, D, H = 2, 3, 4
    W_xh, W_hh, b_h = random_weights(rng, D, H)
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    zx, zh, zb = np.zeros((N, D)), np.zeros((N, H)), np.zeros(H)
    cases = [
        ("check the bias term: with x and h_prev zero, only b_h matters", (zx, zh, W_xh, W_hh, b_h)),
        ("check the input term W_xh x_t: W_xh has shape (H, D), so a batch needs x @ W_xh.T",
         (x, zh, W_xh, W_hh, zb)),
        ("check the recurrent term W_hh h_{t-1}: W_hh has shape (H, H), so a batch needs h_prev @ W_hh.T",
         (zx, h, W_xh, W_hh, zb)),
    ]
    activation_mistakes = {
        "you used the sigmoid; the hidden state uses tanh": lambda a: _sigmoid(a),
        "the tanh is missing: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)": lambda a: a,
        "you used relu; the hidden state uses tanh": lambda a: np.maximum(a, 0.0),
    }
    for hint, args in cases + [("", (x, h, W_xh, W_hh, b_h))]:
        got = call_student("rnn_step_forward", rnn_step_forward, *args, forbidden=("cells.rnn", "cells.fast"))
        if type(got) is np.ndarray and got.shape == (N, H):
            diagnose("rnn_step_forward", got,
                     {msg: step_reference(*args, f=f) for msg, f in activation_mistakes.items()})
        check_array("rnn_step_forward", got, step_reference(*args), hint=hint or None)


# -- a whole sequence -----------------------------------------------------------------------------
def _sequence_mistakes(x, h0, W_xh, W_hh, b_h, ref):
    T = x.shape[1]
    always_h0 = np.stack([step_reference(x[:, t], h0, W_xh, W_hh, b_h) for t in range(T)], axis=1)
    shifted = np.concatenate([h0[:, None], ref[:, :-1]], axis=1)
    return {
        "every step must start from the previous step's state h_{t-1}, not from h0": always_h0,
        "the output at step t must be h_t, the state AFTER reading x_t (yours looks shifted by one step)":
            shifted,
        "the steps must run forward in time, from x_1 to x_T": _rnn_forward(x[:, ::-1], h0, W_xh, W_hh, b_h)[0][:, ::-1],
    }


def visible_rnn_sequence(rnn_forward):
    """Shape, the carried state, and the order of steps on a small sequence.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(1)
    N, T, D, H = 2, 4, 3, 5
    W_xh, W_hh, b_h = random_weights(rng, D, H)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    ref = _rnn_forward(x, h0, W_xh, W_hh, b_h)[0]
    got = call_student("rnn_forward", rnn_forward, x, h0, W_xh, W_hh, b_h, forbidden=("cells.rnn", "cells.fast"))
    if type(got) is np.ndarray and got.shape == ref.shape:
        diagnose("rnn_forward", got, _sequence_mistakes(x, h0, W_xh, W_hh, b_h, ref))
    check_array("rnn_forward", got, ref, hint="h[:, t] must be the hidden state after step t")


# -- the output layer and softmax -----------------------------------------------------------------
def visible_output(output_forward):
    """The output layer on a small batch over time.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(2)
    h, W_hy, b_y = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4)), rng.standard_normal(5)
    got = call_student("output_forward", output_forward, h, W_hy, b_y, forbidden=("layers.output",))
    if type(got) is np.ndarray and got.shape == (2, 3, 5):
        diagnose("output_forward", got, {"the bias b_y is missing": h @ W_hy.T})
    check_array("output_forward", got, h @ W_hy.T + b_y, hint="y_t = W_hy h_t + b_y at every step")


def visible_softmax(softmax):
    """Rows sum to one, and large logits do not overflow.

    Book page: ``book/math``.
    """
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    got = call_student("softmax", softmax, z, forbidden=("core.activations",))
    check_array("softmax", got, _act.softmax(z), hint="softmax(z)_k = exp(z_k) / sum_j exp(z_j), over the last axis")
    z = np.array([[1000.0, 1001.0]])
    got = call_student("softmax", softmax, z, forbidden=("core.activations",))
    check_array("softmax", got, _act.softmax(z), what="the output for large logits",
                hint="subtract the largest logit before exp (the result does not change)")
