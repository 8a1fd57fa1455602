r"""Time-series forecasting: one-step models, multi-step forecasts, and the baselines to beat.

Taught on the book page *Time-series forecasting* (``book/applications/forecasting``).

A one-step forecaster reads a window :math:`x_{t-w+1}, \dots, x_t` and predicts
:math:`x_{t+1}`. A *recursive* multi-step forecast appends each prediction to
the window and predicts again, so errors compound with the horizon. A model is
only useful if it beats the *naive* forecast :math:`\hat x_{t+k} = x_t` (and,
for seasonal data, the seasonal naive forecast
:math:`\hat x_{t+k} = x_{t+k-P}`).
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_instance, check_positive_int
from ..core.module import Module


def _window_and_horizon(window, steps):
    """The checked window (N, w, 1) and horizon, as every forecast here takes them."""
    window = as_float_array("window", window, ndim=3, shape=(None, None, 1))
    return window, check_positive_int("steps", steps)


def recursive_forecast(model: Module, window, steps):
    """Forecast ``steps`` values ahead by feeding one-step predictions back in.

    Parameters
    ----------
    model : Module
        Maps windows (N, w, 1) to next-value predictions (N, 1).
    window : ndarray, shape (N, w, 1)
        The most recent ``w`` observed values of each series.
    steps : int
        Horizon H.

    Returns
    -------
    ndarray, shape (N, H)

    Book page: ``book/applications/forecasting``.
    """
    check_instance("model", model, Module, "an rnncourse Module mapping windows (N, w, 1) to predictions (N, 1)")
    window, H = _window_and_horizon(window, steps)
    window = window.copy()
    was_training = model.training
    model.eval()
    out = np.empty((window.shape[0], H), dtype=window.dtype)
    for k in range(H):
        pred, _ = model.forward(window)
        pred = np.asarray(pred).reshape(window.shape[0], -1)
        if pred.shape[1] != 1:
            raise ValueError(f"model must predict one value per series, got shape {pred.shape}")
        out[:, k] = pred[:, 0]
        window = np.concatenate([window[:, 1:], pred[:, None, :1]], axis=1)
    model.train(was_training)
    return out


def naive_forecast(window, steps):
    r"""The last observed value repeated: :math:`\hat x_{t+k} = x_t`.

    Parameters
    ----------
    window : ndarray, shape (N, w, 1)
    steps : int

    Returns
    -------
    ndarray, shape (N, steps)

    Book page: ``book/applications/forecasting``.
    """
    window, H = _window_and_horizon(window, steps)
    return np.repeat(window[:, -1, :], H, axis=1)


def seasonal_naive_forecast(window, steps, period):
    r"""The value one period earlier: :math:`\hat x_{t+k} = x_{t+k-P}` (repeating the last period).

    Parameters
    ----------
    window, steps
        As for :func:`naive_forecast`; the window must hold at least one period (``w >= period``).
    period : int
        P, in steps.

    Returns
    -------
    ndarray, shape (N, steps)

    Book page: ``book/applications/forecasting``.
    """
    window, H = _window_and_horizon(window, steps)
    P = check_positive_int("period", period)
    if window.shape[1] < P:
        raise ValueError(f"window must hold at least one period ({P} steps), got {window.shape[1]}")
    last = window[:, -P:, 0]
    return np.stack([last[:, k % P] for k in range(H)], axis=1)
