r"""Graders of assignment 1, *The RNN forward pass*.

Taught on the book page *The math of an RNN* (``book/math``).

``visible_*`` functions are the tests students see: small, and each isolates
one term so that a failure says which one is wrong. ``hidden_*`` functions draw
fresh inputs from a seed, compute the reference with ``rnncourse`` and compare.
"""
from __future__ import annotations

import numpy as np

from ..core import activations as _act
from ..analysis import worked_example as _we
from ..cells.rnn import rnn_forward as _rnn_forward
from . import GradingError, call_student, check_array, check_choice_answer, diagnose

_sigmoid = _act.sigmoid_unchecked


def _weights(rng, D, H, scale=0.5):
    return (scale * rng.standard_normal((H, D)), scale * rng.standard_normal((H, H)),
            scale * rng.standard_normal(H))


# -- tanh -----------------------------------------------------------------------------------------
def visible_tanh(tanh):
    """tanh on a few values, and on large ones (a naive formula overflows there).

    Book page: ``book/math``.
    """
    a = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])
    got = call_student("tanh", tanh, a, forbidden=("core.activations",))
    check_array("tanh", got, np.tanh(a), hint="tanh(a) = (e^a - e^-a) / (e^a + e^-a)")
    big = np.array([-800.0, 800.0])
    got = call_student("tanh", tanh, big, forbidden=("core.activations",))
    check_array("tanh", got, np.tanh(big), what="the output for very large |a|",
                hint="exp(800) overflows; rewrite the formula so exp only sees non-positive numbers")


def hidden_tanh(tanh, seed):
    """tanh on random inputs of several shapes and magnitudes.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for shape, scale in (((7,), 1.0), ((3, 4), 5.0), ((2, 3, 4), 300.0)):
        a = scale * rng.standard_normal(shape)
        check_array("tanh", call_student("tanh", tanh, a, forbidden=("core.activations",)), np.tanh(a))


# -- one step -------------------------------------------------------------------------------------
def _step_ref(x, h, W_xh, W_hh, b_h, f=np.tanh):
    return f(x @ W_xh.T + h @ W_hh.T + b_h)


def visible_rnn_step(rnn_step_forward):
    """Each term of the step on its own: bias, input term, recurrent term, then the activation.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(0)
    N, D, H = 2, 3, 4
    W_xh, W_hh, b_h = _weights(rng, D, H)
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
                     {msg: _step_ref(*args, f=f) for msg, f in activation_mistakes.items()})
        check_array("rnn_step_forward", got, _step_ref(*args), hint=hint or None)


def hidden_rnn_step(rnn_step_forward, seed):
    """The step on random inputs of random sizes.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = rng.integers(1, 6, size=3)
        W_xh, W_hh, b_h = _weights(rng, D, H, scale=1.0)
        x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
        got = call_student("rnn_step_forward", rnn_step_forward, x, h, W_xh, W_hh, b_h, forbidden=("cells.rnn", "cells.fast"))
        diagnose("rnn_step_forward", got, {
            "the bias b_h is missing": _step_ref(x, h, W_xh, W_hh, 0 * b_h),
            "the activation is not tanh": _step_ref(x, h, W_xh, W_hh, b_h, f=_sigmoid),
        })
        check_array("rnn_step_forward", got, _step_ref(x, h, W_xh, W_hh, b_h))


# -- a whole sequence -----------------------------------------------------------------------------
def _sequence_mistakes(x, h0, W_xh, W_hh, b_h, ref):
    T = x.shape[1]
    always_h0 = np.stack([_step_ref(x[:, t], h0, W_xh, W_hh, b_h) for t in range(T)], axis=1)
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
    W_xh, W_hh, b_h = _weights(rng, D, H)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    ref = _rnn_forward(x, h0, W_xh, W_hh, b_h)[0]
    got = call_student("rnn_forward", rnn_forward, x, h0, W_xh, W_hh, b_h, forbidden=("cells.rnn", "cells.fast"))
    if type(got) is np.ndarray and got.shape == ref.shape:
        diagnose("rnn_forward", got, _sequence_mistakes(x, h0, W_xh, W_hh, b_h, ref))
    check_array("rnn_forward", got, ref, hint="h[:, t] must be the hidden state after step t")


def hidden_rnn_sequence(rnn_forward, seed):
    """The sequence function on random inputs and lengths, including T = 1.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for T in (1, int(rng.integers(5, 12))):
        N, D, H = rng.integers(1, 5, size=3)
        W_xh, W_hh, b_h = _weights(rng, D, H, scale=0.8)
        x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
        ref = _rnn_forward(x, h0, W_xh, W_hh, b_h)[0]
        got = call_student("rnn_forward", rnn_forward, x, h0, W_xh, W_hh, b_h, forbidden=("cells.rnn", "cells.fast"))
        check_array("rnn_forward", got, ref)


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


def hidden_output(output_forward, seed):
    """The output layer on random sizes, for sequences (N, T, H) and single states (N, H).

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for shape in ((3, 6, 4), (5, 4)):
        O = int(rng.integers(1, 6))
        h, W_hy, b_y = rng.standard_normal(shape), rng.standard_normal((O, shape[-1])), rng.standard_normal(O)
        got = call_student("output_forward", output_forward, h, W_hy, b_y, forbidden=("layers.output",))
        check_array("output_forward", got, h @ W_hy.T + b_y)


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


def hidden_softmax(softmax, seed):
    """Softmax on random logits of several shapes and scales.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for shape, scale in (((4, 7), 1.0), ((2, 3, 5), 10.0), ((6,), 500.0)):
        z = scale * rng.standard_normal(shape)
        check_array("softmax", call_student("softmax", softmax, z, forbidden=("core.activations",)), _act.softmax(z))


# -- the worked example of the book ---------------------------------------------------------------
def check_worked_example(h1, h2):
    """The two hidden states of the book's worked example, computed by the student.

    Book page: ``book/math``.
    """
    steps = _we.worked_example()["steps"]
    printed = _we.SEED_PRINTED["h_2"][2]
    h2_arr = np.asarray(h2, dtype=float).ravel() if np.size(h2) == 2 else None
    if h2_arr is not None and np.all(np.abs(h2_arr - printed) < 5e-4):
        raise GradingError("h2 repeats the article's printed value, which the book shows is wrong; "
                           "compute it with your own functions")
    for name, got, ref in (("h1", h1, steps[0]["h"]), ("h2", h2, steps[1]["h"])):
        got = np.asarray(got, dtype=float) if isinstance(got, (list, tuple)) else got
        if type(got) is np.ndarray and got.shape == (1, 2):
            got = got[0]
        check_array(name, got, ref, rtol=1e-6, what=f"{name}",
                    hint="use your rnn_step_forward on the example's W_h, U_h, b_h (as W_xh, W_hh, b_h)")


# -- concept check --------------------------------------------------------------------------------
def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/math``.
    """
    check_choice_answer(name, answer, digest, choices)
