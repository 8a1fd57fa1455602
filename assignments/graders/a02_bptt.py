"""Hidden tests of assignment 2, *Backpropagation through time* (``source/a02_bptt``).

Called only from the ``### BEGIN HIDDEN TESTS`` regions of the source notebook's
graded cells, which nbgrader removes from the student version; like the rest of
``graders/``, this module stays with the course directory and is not part of the
``rnncourse`` package. Each ``hidden_*`` function draws fresh inputs from a seed and
grades them with the checks of :mod:`rnncourse.grading.a02_bptt` (``visible=False``:
no hints beyond what the failure itself says).
"""
from __future__ import annotations

import numpy as np

from rnncourse.cells import rnn as _rnn
from rnncourse.core.bptt import bptt as _bptt
from rnncourse.core.losses import mse as _mse
from rnncourse.core.module import Sequential as _Sequential
from rnncourse.grading import call_student, check_array, check_choice_answer
from rnncourse.grading.a02_bptt import (FORBID_GRADCHECK, FORBID_RNN, STEP_NAMES, grade_clip, grade_norms,
                                        grade_sequence, grade_truncated, norms_case, sequence_case, step_case)
from rnncourse.grading.bptt_reference import central_difference, clip_reference, reference_step
from rnncourse.grading.chained import require_n
from rnncourse.layers.output import Output as _Output


def _hidden_step(rnn_step_backward, seed, which):
    """The step backward on random inputs of random sizes; checks the returned arrays numbered ``which``."""
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = (int(v) for v in rng.integers(1, 7, size=3))
        dh, cache = step_case(rng, N, D, H, scale=1.0)
        ref = reference_step(dh, cache)
        got = call_student("rnn_step_backward", rnn_step_backward, dh, cache, forbidden=FORBID_RNN)
        got = require_n("rnn_step_backward", got, STEP_NAMES)
        for i in which:
            check_array("rnn_step_backward", got[i], ref[i], what=STEP_NAMES[i])


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


def hidden_rnn_backward(rnn_backward, rnn_step_backward, seed):
    """BPTT on random sequences, including T = 1.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for T in (1, int(rng.integers(5, 12))):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        dh, caches = sequence_case(rng, N, T, D, H, scale=0.8)
        grade_sequence(rnn_backward, rnn_step_backward, dh, caches, visible=False)


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
        got = call_student("numerical_gradient", numerical_gradient, f, x, forbidden=FORBID_GRADCHECK, **kwargs)
        check_array("numerical_gradient", got, central_difference(f, x, 1e-5 if eps is None else eps),
                    rtol=1e-5, atol=1e-8, what="the numerical gradient")


def hidden_clip(clip_by_global_norm, seed):
    """Random gradient dicts, with thresholds below and above their global norm.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        shapes = [tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
                  for _ in range(int(rng.integers(2, 5)))]
        grads = {f"g{i}": rng.standard_normal(shape) for i, shape in enumerate(shapes)}
        norm = clip_reference(grads, 1.0)[1]
        for max_norm in (0.3 * norm, 3.0 * norm):
            grade_clip(clip_by_global_norm, grads, max_norm, visible=False)


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
        grade_truncated(truncated_rnn_backward, rnn_backward, args, k, ref, visible=False)


def hidden_state_gradient_norms(state_gradient_norms, rnn_step_backward, seed):
    """Norms by lag on random sequences at spectral radii below and above one.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for rho in (0.6, 1.4):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        caches, dh_T = norms_case(rng, N, int(rng.integers(2, 15)), D, H, rho)
        grade_norms(state_gradient_norms, rnn_step_backward, caches, dh_T, visible=False)


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice question; the right answer is stored only as a digest.

    Book page: ``book/bptt``.
    """
    check_choice_answer(name, answer, digest, choices)
