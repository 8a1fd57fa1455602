r"""Small datasets made by code: deterministic given a ``numpy.random.Generator``.

Taught on the book page *Your first RNN* (``book/first_rnn``).
"""
from __future__ import annotations

import numpy as np

from ._checks import check_positive_float, check_positive_int, check_rng


def sine_next_value(n_sequences, seq_len, *, rng, noise=0.0, period_range=(8.0, 16.0)):
    r"""Sine waves of random phase and period; the target is the next value.

    Sequence :math:`n` is :math:`s_{n,t} = \sin(2\pi t / P_n + \phi_n) + \epsilon`
    for :math:`t = 0, \dots, T`; the input is :math:`s_{0..T-1}` and the target
    at every step is the following value :math:`s_{1..T}` (many-to-many).

    Parameters
    ----------
    n_sequences : int
        N.
    seq_len : int
        T, the number of input steps.
    rng : numpy.random.Generator
    noise : float
        Standard deviation of Gaussian noise added to the inputs and targets.
    period_range : (float, float)
        Periods :math:`P_n` are drawn uniformly from this range (in steps).

    Returns
    -------
    x : ndarray, shape (N, T, 1), float64
    y : ndarray, shape (N, T, 1), float64
        ``y[:, t] == x[:, t + 1]`` for ``t < T - 1``.

    Book page: ``book/first_rnn``.
    """
    N = check_positive_int("n_sequences", n_sequences)
    T = check_positive_int("seq_len", seq_len)
    check_rng("rng", rng)
    noise = check_positive_float("noise", noise, allow_zero=True)
    lo, hi = period_range
    if not (0 < lo <= hi):
        raise ValueError(f"period_range must be (low, high) with 0 < low <= high, got {period_range}")
    period = rng.uniform(lo, hi, size=(N, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(N, 1))
    t = np.arange(T + 1)[None, :]
    s = np.sin(2 * np.pi * t / period + phase)
    if noise:
        s = s + noise * rng.standard_normal(s.shape)
    return s[:, :-1, None].copy(), s[:, 1:, None].copy()
