"""Hidden tests of assignment 3, *LSTM and GRU cells* (``source/a03_gated_cells``).

Called only from the ``### BEGIN HIDDEN TESTS`` regions of the source notebook's
graded cells, which nbgrader removes from the student version; like the rest of
``graders/``, this module stays with the course directory and is not part of the
``rnncourse`` package. Each ``hidden_*`` function draws fresh inputs from a seed and
checks the answer with the helpers of :mod:`rnncourse.grading.a03_gated_cells`.
"""
from __future__ import annotations

import numpy as np

from rnncourse.grading import check_choice_answer
from rnncourse.grading.a03_gated_cells import (check_gru_case, check_lstm_case, check_lstm_grads, gru_weights,
                                               lstm_backward_case, lstm_weights)


def hidden_lstm_step(lstm_step_forward, seed):
    """The LSTM step on random inputs of random sizes, outputs and cache.

    Book page: ``book/variants/lstm``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        W_xh, W_hh, b_h = lstm_weights(rng, D, H, scale=1.0)
        args = (rng.standard_normal((N, D)), rng.standard_normal((N, H)), 2 * rng.standard_normal((N, H)),
                W_xh, W_hh, b_h)
        check_lstm_case(lstm_step_forward, args, None, check_cache=True)


def hidden_gru_step(gru_step_forward, seed):
    """The GRU step on random inputs of random sizes.

    Book page: ``book/variants/gru``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        args = (rng.standard_normal((N, D)), rng.standard_normal((N, H))) + gru_weights(rng, D, H, scale=1.0)
        check_gru_case(gru_step_forward, args, None)


def hidden_lstm_cell_path(lstm_step_backward, seed):
    """``dc_prev`` on random inputs of random sizes.

    Book page: ``book/variants/lstm``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        got, ref, mistakes = lstm_backward_case(lstm_step_backward, N, D, H, rng, scale=1.0)
        check_lstm_grads(got, ref, mistakes, names=("dc_prev",))


def hidden_lstm_backward(lstm_step_backward, seed):
    """All six gradients on random inputs of random sizes.

    Book page: ``book/variants/lstm``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, D, H = (int(v) for v in rng.integers(1, 6, size=3))
        got, ref, mistakes = lstm_backward_case(lstm_step_backward, N, D, H, rng, scale=1.0)
        check_lstm_grads(got, ref, mistakes)


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/variants/lstm``.
    """
    check_choice_answer(name, answer, digest, choices)
