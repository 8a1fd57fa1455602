r"""Synthetic memory tasks: the adding problem and the copy task.

Taught on the book page *Remembering for a long time* (``book/variants/comparison``).

Both tasks put the information the answer needs far back in the sequence and
fill the gap with distractors. A vanilla RNN trained with BPTT struggles once the
gap is long (its gradients vanish); gated cells (LSTM, GRU) cope much better.
They are the standard stress tests of long-term memory (Hochreiter & Schmidhuber
1997; Le, Jaitly & Hinton 2015; Arjovsky, Shah & Bengio 2016).
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int, check_rng
from ._validate import check_int


def adding_problem(n, seq_len, *, rng):
    r"""The adding problem: add the two values whose marker is 1.

    Every step carries two numbers: a value :math:`v_t \sim U[0, 1)` and a marker
    :math:`m_t \in \{0, 1\}`. Exactly two markers are 1, one at a random step of the
    first half (:math:`t < \lfloor T/2 \rfloor`) and one in the second half; the target
    is :math:`y = \sum_t m_t v_t`. Predicting 1 (the mean) gives a mean squared error
    of about 1/6: a model must beat that baseline to have learnt anything.

    It stands in for no real data set: it is a controlled probe of how far back
    a network can carry one number, as used by Hochreiter & Schmidhuber (1997) and
    by Le, Jaitly & Hinton (2015) in this two-halves form.

    Parameters
    ----------
    n : int
        N, the number of sequences.
    seq_len : int
        T >= 2.
    rng : numpy.random.Generator

    Returns
    -------
    x : ndarray, shape (N, T, 2), float64
        ``x[..., 0]`` the values, ``x[..., 1]`` the markers (0.0 or 1.0).
    y : ndarray, shape (N, 1), float64
        The sum of the two marked values.

    Book page: ``book/variants/comparison``.
    """
    N = check_positive_int("n", n)
    T = check_int("seq_len", seq_len, 2)
    check_rng("rng", rng)
    half = T // 2
    values = rng.uniform(0.0, 1.0, size=(N, T))
    first = rng.integers(0, half, size=N)
    second = rng.integers(half, T, size=N)
    markers = np.zeros((N, T))
    rows = np.arange(N)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = (values[rows, first] + values[rows, second])[:, None]
    return x, y


def copy_task(n, seq_len, n_symbols, delay, *, rng):
    r"""The copy task: read ``seq_len`` symbols, wait ``delay`` steps, then repeat them.

    The alphabet has ``n_symbols + 2`` entries: ``0`` is the *blank*, ``1 ..
    n_symbols`` are the data symbols and ``n_symbols + 1`` is the *go* marker. With
    ``S = seq_len`` and ``D = delay`` a sequence has ``T = S + D + S`` steps:

    ==============================  ===================  ====================
    steps                           input                target
    ==============================  ===================  ====================
    ``0 .. S-1``                    the data symbols     blank
    ``S .. S+D-2``                  blank                blank
    ``S+D-1``                       go                   blank
    ``S+D .. T-1``                  blank                the data symbols
    ==============================  ===================  ====================

    So the answer starts ``delay`` steps after the last data symbol was read, and
    the go marker sits on the last step of the delay. The mask is 1 only where the
    answer is scored (the last ``S`` steps): outputting blanks is trivially easy, so
    scoring them would hide whether anything was remembered. Pass ``mask=None`` to
    the loss to score every step instead, as Arjovsky et al. (2016) do.

    It stands in for no real data set: it is a controlled probe of memory
    capacity over a gap of ``delay`` steps (Hochreiter & Schmidhuber 1997;
    Arjovsky, Shah & Bengio 2016).

    Parameters
    ----------
    n : int
        N, the number of sequences.
    seq_len : int
        S, the number of symbols to copy.
    n_symbols : int
        The number of distinct data symbols (>= 1).
    delay : int
        D >= 1, the number of steps between the last data symbol and the first answer.
    rng : numpy.random.Generator

    Returns
    -------
    x : ndarray, shape (N, T, n_symbols + 2), float64
        One-hot inputs, ``T = 2 S + D``.
    targets : ndarray, shape (N, T), int64
        Class indices in ``[0, n_symbols]`` (0 = blank; the go marker is never a target).
    mask : ndarray, shape (N, T), bool
        True on the last S steps.

    Book page: ``book/variants/comparison``.
    """
    N = check_positive_int("n", n)
    S = check_positive_int("seq_len", seq_len)
    K = check_positive_int("n_symbols", n_symbols)
    D = check_int("delay", delay, 1)
    check_rng("rng", rng)
    T = 2 * S + D
    symbols = rng.integers(1, K + 1, size=(N, S))
    inputs = np.zeros((N, T), dtype=np.int64)
    inputs[:, :S] = symbols
    inputs[:, S + D - 1] = K + 1
    targets = np.zeros((N, T), dtype=np.int64)
    targets[:, S + D:] = symbols
    mask = np.zeros((N, T), dtype=bool)
    mask[:, S + D:] = True
    x = np.eye(K + 2)[inputs]
    return x, targets, mask
