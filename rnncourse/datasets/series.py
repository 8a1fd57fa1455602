r"""Time series for forecasting: generated series, sliding windows and a chronological split.

Taught on the book pages *Your first RNN* (``book/first_rnn``) and *Forecasting a
time series* (``book/applications/forecasting``); :func:`rising_or_falling`, series
to classify by their trend, on *Limitations of RNNs* (``book/limitations``).

A forecaster reads the last ``window`` values and predicts the next ``horizon``
ones. :func:`make_windows` cuts a 1-D series into such ``(x, y)`` pairs and
:func:`train_test_split_series` splits a series in time *before* windows are cut,
so no value the model is tested on was ever part of a training window.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..core.checks import as_float_array, check_positive_float, check_positive_int, check_rng
from ._validate import check_int, check_real

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


def noisy_periodic_series(length, *, rng, periods=(7.0, 20.0, 50.0), amplitudes=None, noise=0.1):
    r"""A sum of a few sine waves of fixed periods and random phases, plus Gaussian noise.

    .. math::

        s_t = \sum_k A_k \sin\!\left(\frac{2\pi t}{P_k} + \phi_k\right) + \epsilon_t,
        \qquad \phi_k \sim U[0, 2\pi), \quad \epsilon_t \sim \mathcal N(0, \sigma^2).

    It stands in for a measured quantity with a few overlapping cycles, such as
    hourly electricity demand (daily and weekly rhythms) or temperature; real
    series also drift, change regime and have gaps, which this one does not.

    Parameters
    ----------
    length : int
        L, the number of time steps.
    rng : numpy.random.Generator
        Draws the phases :math:`\phi_k` and the noise.
    periods : sequence of float
        The periods :math:`P_k` in steps (each > 0; at least one).
    amplitudes : sequence of float, optional
        :math:`A_k`, one per period (each >= 0); all 1 by default.
    noise : float
        :math:`\sigma` >= 0, standard deviation of the noise.

    Returns
    -------
    series : ndarray, shape (L,), float64

    Book page: ``book/applications/forecasting``.
    """
    L = check_positive_int("length", length)
    check_rng("rng", rng)
    P = _check_float_tuple("periods", periods, positive=True)
    if amplitudes is None:
        A = np.ones(len(P))
    else:
        A = _check_float_tuple("amplitudes", amplitudes, positive=False)
        if len(A) != len(P):
            raise ValueError(f"amplitudes must have one entry per period ({len(P)}), got {len(A)}")
    noise = check_positive_float("noise", noise, allow_zero=True)
    phase = rng.uniform(0.0, 2 * np.pi, size=len(P))
    t = np.arange(L, dtype=np.float64)[:, None]
    s = np.sum(A * np.sin(2 * np.pi * t / P + phase), axis=1)
    if noise:
        s = s + noise * rng.standard_normal(L)
    return s


def price_like_series(length, *, rng, drift=0.001, volatility=0.02, start=100.0):
    r"""A geometric random walk with a weak trend: always positive, like a price.

    .. math::

        s_0 = s_{\text{start}}, \qquad
        s_t = s_{t-1} \exp(\mu + \sigma \epsilon_t), \quad \epsilon_t \sim \mathcal N(0, 1).

    It stands in for the daily closing price of a stock. Honestly: the daily
    changes are independent here, so apart from the small drift :math:`\mu` there
    is nothing to predict, and a good model should not beat the "tomorrow equals
    today" forecast by much. That is the lesson of the page, and it is true of
    many real prices too.

    Parameters
    ----------
    length : int
        L, the number of time steps (``s_0`` included).
    rng : numpy.random.Generator
    drift : float
        :math:`\mu`, the mean log-return per step (may be negative).
    volatility : float
        :math:`\sigma` >= 0, the standard deviation of the log-return per step.
    start : float
        :math:`s_{\text{start}}` > 0, the first value.

    Returns
    -------
    series : ndarray, shape (L,), float64
        Every entry is > 0.

    Book page: ``book/applications/forecasting``.
    """
    L = check_positive_int("length", length)
    check_rng("rng", rng)
    drift = check_real("drift", drift, -1.0, 1.0)
    volatility = check_real("volatility", volatility, 0.0, 1.0)
    start = check_positive_float("start", start)
    log_returns = drift + volatility * rng.standard_normal(L - 1)
    return start * np.exp(np.concatenate([[0.0], np.cumsum(log_returns)]))


def rising_or_falling(n_sequences, seq_len, *, rng, noise=0.3, size_range=(0.5, 1.5)):
    r"""Noisy straight lines, rising (label 1) or falling (label 0): a task only the order can solve.

    Sequence :math:`n` is :math:`x_{n,t} = b_n \pm a_n r_t + \epsilon_{n,t}` with the
    ramp :math:`r_t` running from -1 to 1 over the T steps, the sign + for rising
    and - for falling (probability 1/2 each), an offset :math:`b_n \sim U[-1, 1]`,
    a slope size :math:`a_n \sim U[\text{size\_range}]` and Gaussian noise
    :math:`\epsilon`. A falling sequence is a rising one played backwards, so both
    classes hold the same kind of values and only their order differs. It stands
    in for "is this signal trending up or down?" (a sensor drifting, a price
    moving), without the irregular steps and outliers of real data.

    Parameters
    ----------
    n_sequences : int
        N.
    seq_len : int
        T, at least 2.
    rng : numpy.random.Generator
        Draws, in this order: the labels, the slope sizes, the offsets, the noise.
    noise : float
        Standard deviation of the noise, >= 0.
    size_range : (float, float)
        Slope sizes :math:`a_n` are drawn uniformly from this range, ``0 <= low <= high``.

    Returns
    -------
    x : ndarray, shape (N, T, 1), float64
    y : ndarray, shape (N,), int64
        1 for rising, 0 for falling.

    Book page: ``book/limitations``.
    """
    N = check_positive_int("n_sequences", n_sequences)
    T = check_int("seq_len", seq_len, 2)
    check_rng("rng", rng)
    noise = check_positive_float("noise", noise, allow_zero=True)
    sizes = _check_float_tuple("size_range", size_range, positive=False)
    if len(sizes) != 2 or sizes[0] > sizes[1]:
        raise ValueError(f"size_range must be (low, high) with 0 <= low <= high, got {tuple(size_range)}")
    lo, hi = sizes
    ramp = np.linspace(-1.0, 1.0, T)
    rising = rng.random(N) < 0.5
    size = rng.uniform(lo, hi, (N, 1))
    offset = rng.uniform(-1.0, 1.0, (N, 1))
    values = offset + size * np.where(rising[:, None], ramp, ramp[::-1])
    values = values + noise * rng.standard_normal((N, T))
    return values[..., None], rising.astype(np.int64)


def make_windows(series, window, horizon=1):
    r"""Cut a 1-D series into (past ``window`` values, next ``horizon`` values) pairs.

    Example ``i`` reads :math:`s_i, \dots, s_{i+W-1}` and its target is
    :math:`s_{i+W}, \dots, s_{i+W+K-1}`: the target always lies strictly after
    the inputs. Consecutive examples overlap (stride 1).

    Parameters
    ----------
    series : ndarray, shape (L,), float64 or float32
    window : int
        W, the number of past values the model reads.
    horizon : int
        K, the number of future values to predict.

    Returns
    -------
    x : ndarray, shape (N, W, 1), dtype of ``series``
        ``N = L - W - K + 1`` input windows, one feature per step (the layout
        :class:`rnncourse.cells.rnn.RNN` expects).
    y : ndarray, shape (N, K), dtype of ``series``
        ``y[i] == series[i + W : i + W + K]``.

    Book page: ``book/applications/forecasting``.
    """
    s = as_float_array("series", series, ndim=1)
    W = check_positive_int("window", window)
    K = check_positive_int("horizon", horizon)
    N = s.shape[0] - W - K + 1
    if N < 1:
        raise ValueError(f"series of length {s.shape[0]} is too short for window={W} and "
                         f"horizon={K}: it needs at least window + horizon = {W + K} values")
    idx = np.arange(N)[:, None]
    x = s[idx + np.arange(W)][:, :, None]
    y = s[idx + W + np.arange(K)]
    return x, y


def train_test_split_series(series, test_fraction=0.2, *, context=0):
    r"""Split a series in time: the first part trains, the last part tests. No shuffling.

    Split the raw series *before* cutting windows. Cutting windows first and then
    shuffling them into two sets leaks: overlapping windows put test values into
    training inputs and targets.

    With ``cut = L - round(test_fraction * L)``, ``train = series[:cut]`` and
    ``test = series[cut - context:]``. The ``context`` values repeated at the start
    of ``test`` are the past the first test forecast may read (a forecaster always
    knows the past); with ``context = window``, ``make_windows(test, window)`` gives
    exactly one example per test value ``series[cut:]``, and no training input or
    target comes from ``series[cut:]``.

    Parameters
    ----------
    series : ndarray, shape (L,), float64 or float32
    test_fraction : float
        In (0, 1): the share of the values that are test targets.
    context : int
        C >= 0, number of values before the cut repeated at the start of ``test``.

    Returns
    -------
    train : ndarray, shape (cut,), dtype of ``series``
    test : ndarray, shape (L - cut + C,), dtype of ``series``

    Book page: ``book/applications/forecasting``.
    """
    s = as_float_array("series", series, ndim=1)
    frac = check_real("test_fraction", test_fraction, 0.0, 1.0, low_open=True, high_open=True)
    C = check_int("context", context, 0)
    L = s.shape[0]
    n_test = int(round(frac * L))
    cut = L - n_test
    if n_test < 1 or cut < 1:
        raise ValueError(f"test_fraction={frac} of a series of length {L} leaves {n_test} test and "
                         f"{cut} training values; both parts need at least one")
    if C > cut:
        raise ValueError(f"context={C} is longer than the training part ({cut} values)")
    return s[:cut].copy(), s[cut - C:].copy()


def _check_float_tuple(name, value, positive):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) == 0:
        raise TypeError(f"{name} must be a non-empty sequence of numbers, got {value!r}")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name}[{i}] must be a number, got {v!r}")
        if not np.isfinite(v) or v < 0 or (positive and v == 0):
            kind = "positive" if positive else "non-negative"
            raise ValueError(f"{name}[{i}] must be a finite {kind} number, got {v}")
        out.append(float(v))
    return np.array(out)
