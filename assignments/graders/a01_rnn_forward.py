"""Hidden tests of assignment 1, *The RNN forward pass* (``source/a01_rnn_forward``).

Called as :mod:`graders` describes; references from ``rnncourse``, checks from
:mod:`rnncourse.grading.a01_rnn_forward`.
"""
from __future__ import annotations

import numpy as np

from rnncourse.analysis import worked_example as _we
from rnncourse.cells.rnn import rnn_forward as _rnn_forward
from rnncourse.core import activations as _act
from rnncourse.grading import GradingError, call_student, check_array, check_choice_answer, diagnose
from rnncourse.grading.a01_rnn_forward import TANH_FORBIDDEN, random_weights, step_reference

_sigmoid = _act.sigmoid_unchecked


def hidden_tanh(tanh, seed):
    """tanh on random inputs of several shapes and magnitudes.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for shape, scale in (((7,), 1.0), ((3, 4), 5.0), ((2, 3, 4), 300.0)):
        a = scale * rng.standard_normal(shape)
        check_array("tanh", call_student("tanh", tanh, a, **TANH_FORBIDDEN), np.tanh(a))


def hidden_rnn_step(rnn_step_forward, seed):
    """The step on random inputs of random sizes.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = rng.integers(1, 6, size=3)
        W_xh, W_hh, b_h = random_weights(rng, D, H, scale=1.0)
        x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
        got = call_student("rnn_step_forward", rnn_step_forward, x, h, W_xh, W_hh, b_h,
                           forbidden=("cells.rnn", "cells.fast"))
        diagnose("rnn_step_forward", got, {
            "the bias b_h is missing": step_reference(x, h, W_xh, W_hh, 0 * b_h),
            "the activation is not tanh": step_reference(x, h, W_xh, W_hh, b_h, f=_sigmoid),
        })
        check_array("rnn_step_forward", got, step_reference(x, h, W_xh, W_hh, b_h))


def hidden_rnn_sequence(rnn_forward, seed):
    """The sequence function on random inputs and lengths, including T = 1.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for T in (1, int(rng.integers(5, 12))):
        N, D, H = rng.integers(1, 5, size=3)
        W_xh, W_hh, b_h = random_weights(rng, D, H, scale=0.8)
        x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
        ref = _rnn_forward(x, h0, W_xh, W_hh, b_h)[0]
        got = call_student("rnn_forward", rnn_forward, x, h0, W_xh, W_hh, b_h, forbidden=("cells.rnn", "cells.fast"))
        check_array("rnn_forward", got, ref)


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


def hidden_softmax(softmax, seed):
    """Softmax on random logits of several shapes and scales.

    Book page: ``book/math``.
    """
    rng = np.random.default_rng(seed)
    for shape, scale in (((4, 7), 1.0), ((2, 3, 5), 10.0), ((6,), 500.0)):
        z = scale * rng.standard_normal(shape)
        check_array("softmax", call_student("softmax", softmax, z, forbidden=("core.activations",)), _act.softmax(z))


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


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/math``.
    """
    check_choice_answer(name, answer, digest, choices)
