"""Hidden tests of assignment 4, *Bidirectional and deep RNNs for sentiment* (``source/a04_sentiment``).

Called only from the ``### BEGIN HIDDEN TESTS`` regions of the source notebook's
graded cells, which nbgrader removes from the student version; like the rest of
``graders/``, this module stays with the course directory and is not part of the
``rnncourse`` package. Each ``hidden_*`` function draws fresh inputs from a seed and
checks the answer with the helpers of :mod:`rnncourse.grading.a04_sentiment`.
"""
from __future__ import annotations

import numpy as np

from rnncourse.cells.gru import GRU as _GRU
from rnncourse.cells.lstm import LSTM as _LSTM
from rnncourse.cells.rnn import RNN as _RNN
from rnncourse.grading import call_student, check_array, check_choice_answer
from rnncourse.grading.a04_sentiment import (FORBIDDEN, check_bidirectional, check_deep, check_sentiment, layer_fn,
                                             pool_reference, right_padded_mask)


def hidden_bidirectional(bidirectional_forward, seed):
    """Random sizes and cells (RNN, GRU, LSTM), including a single time step.

    Book page: ``book/variants/bidirectional``.
    """
    rng = np.random.default_rng(seed)
    for cell, T in ((_GRU, int(rng.integers(4, 9))), (_LSTM, int(rng.integers(2, 7))), (_RNN, 1)):
        N, D, H_f, H_b = (int(v) for v in rng.integers(1, 6, size=4))
        fwd, bwd = cell(D, H_f, rng=rng), cell(D, H_b, rng=rng)
        x = rng.standard_normal((N, T, D))
        check_bidirectional(bidirectional_forward, x, layer_fn(fwd), layer_fn(bwd), H_f, explain=False)


def hidden_masked_mean_pool(masked_mean_pool, seed):
    """Random states and right-padded masks, including sequences of one real step.

    Book page: ``book/applications/sentiment``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, T, H = int(rng.integers(2, 7)), int(rng.integers(1, 9)), int(rng.integers(1, 6))
        lengths = rng.integers(1, T + 1, size=N)
        lengths[0] = 1
        mask = right_padded_mask(lengths, T)
        h = rng.standard_normal((N, T, H))
        h[~mask] = rng.uniform(50.0, 100.0, size=(int((~mask).sum()), H))
        got = call_student("masked_mean_pool", masked_mean_pool, h, mask, forbidden=FORBIDDEN)
        check_array("masked_mean_pool", got, pool_reference(h, mask))


def hidden_deep_rnn(deep_rnn_forward, seed):
    """Random depths and sizes (input size different from the hidden sizes), RNN, GRU and LSTM layers.

    Book page: ``book/variants/deep_rnn``.
    """
    rng = np.random.default_rng(seed)
    for cell, L in ((_GRU, 2), (_RNN, 3), (_LSTM, 2)):
        N, T = int(rng.integers(1, 5)), int(rng.integers(2, 8))
        sizes = [int(v) for v in rng.integers(2, 7, size=L + 1)]
        x = rng.standard_normal((N, T, sizes[0]))
        layer_seed = int(rng.integers(1 << 31))

        def make_layers(cell=cell, sizes=sizes, layer_seed=layer_seed):
            r = np.random.default_rng(layer_seed)
            return [cell(sizes[i], sizes[i + 1], rng=r) for i in range(len(sizes) - 1)]

        check_deep(deep_rnn_forward, x, make_layers, explain=False)


def hidden_sentiment(train_sentiment, seed, *, bidirectional):
    """The same on freshly drawn sentences (another seed for the data and for training).

    Book page: ``book/applications/sentiment``.
    """
    check_sentiment(train_sentiment, seed, seed + 1, bidirectional=bidirectional, show=False)


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/variants/bidirectional``.
    """
    check_choice_answer(name, answer, digest, choices)
