"""Time-series forecasting: a GRU reads a window and predicts the next value; recursive forecasts against the naive ones.

Taught on the book page ``book/applications/forecasting``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..core.module import Sequential
from ..datasets import make_windows, noisy_periodic_series, train_test_split_series
from ..layers.output import LastStep, Output
from ..models.forecasting import naive_forecast, recursive_forecast, seasonal_naive_forecast
from .base import AppResult, cell_class, make_cell, make_rng, shuffled_batches, train_model


def forecasting(*, seed=0, length=1500, periods=(6.0, 24.0), noise=0.1, window=24, horizon=10,
                hidden_size=24, batch_size=32, epochs=20, lr=1e-2, cell="gru", progress=None):
    r"""One-step forecaster on a noisy periodic series, and a recursive multi-step forecast.

    A series from :func:`rnncourse.datasets.series.noisy_periodic_series` is split in
    time (the last 20 % tests, :func:`~rnncourse.datasets.series.train_test_split_series`),
    standardised with the training part's mean and standard deviation, and cut
    into windows of ``window`` values. The model reads a window and predicts the
    next value; for ``horizon`` steps it feeds its predictions back in
    (:func:`rnncourse.models.forecasting.recursive_forecast`), so its errors compound.
    It is compared with the naive forecast (last value) and the seasonal naive
    forecast (the value one season earlier; the season is the least common
    multiple of the integer ``periods``), on every test window, at the first and
    the last step of the horizon. Errors are reported in the series' own units.

    It stands in for measurements with daily and sub-daily rhythms (electricity
    demand, temperature); the toy has no trend, no regime change, no gaps.

    Parameters
    ----------
    seed : int
    length : int
        Length of the whole series.
    periods : sequence of float
        Periods of the sine components; whole numbers for the seasonal baseline.
    noise : float
        Standard deviation of the noise (the best possible one-step MSE is ``noise**2``).
    window : int
        Values the model reads; at least the season.
    horizon : int
        Steps of the recursive forecast.
    hidden_size : int
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).

    Returns
    -------
    AppResult
        ``metrics``: for ``k`` in (1, ``horizon``), ``mse_model_h{k}``,
        ``mse_naive_h{k}``, ``mse_seasonal_h{k}`` and the same with ``mae``;
        ``noise_floor_mse`` (``noise**2``); ``season``. ``examples``: one dict
        per plotted test window, ``{"past", "truth", "model", "naive",
        "seasonal"}`` arrays in the series' units.

    Book page: ``book/applications/forecasting``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    W = check_positive_int("window", window)
    K = check_positive_int("horizon", horizon)
    if any(float(p) != int(p) for p in periods):
        raise ValueError(f"periods must be whole numbers for the seasonal baseline, got {periods}")
    season = int(np.lcm.reduce([int(p) for p in periods]))
    if W < season:
        raise ValueError(f"window={W} must hold one season ({season} steps) for the seasonal baseline")
    series = noisy_periodic_series(length, rng=rng, periods=tuple(float(p) for p in periods), noise=noise)
    train, test = train_test_split_series(series, 0.2, context=W)
    mu, sd = float(train.mean()), float(train.std())
    x_tr, y_tr = make_windows((train - mu) / sd, W, 1)
    x_te, y_te = make_windows((test - mu) / sd, W, K)
    model = Sequential(make_cell(cell, 1, hidden_size, rng), LastStep(), Output(hidden_size, 1, rng=rng))
    history, seconds = train_model(model, shuffled_batches(rng, len(x_tr), batch_size,
                                                        lambda idx: (x_tr[idx], y_tr[idx])),
                              loss="mse", epochs=epochs, lr=lr, clip_norm=5.0, progress=progress,
                              desc="forecasting")
    forecasts = {"model": recursive_forecast(model, x_te, K), "naive": naive_forecast(x_te, K),
                 "seasonal": seasonal_naive_forecast(x_te, K, season)}
    metrics = {}
    for k in sorted({1, K}):
        err = {name: (f[:, k - 1] - y_te[:, k - 1]) * sd for name, f in forecasts.items()}
        for name, e in err.items():
            metrics[f"mse_{name}_h{k}"] = float(np.mean(e ** 2))
        for name, e in err.items():
            metrics[f"mae_{name}_h{k}"] = float(np.mean(np.abs(e)))
    metrics["noise_floor_mse"] = float(noise) ** 2
    metrics["season"] = season
    examples = []
    for i in np.linspace(0, len(x_te) - 1, 3).astype(int):
        ex = {"past": x_te[i, :, 0] * sd + mu, "truth": y_te[i] * sd + mu}
        ex.update({name: f[i] * sd + mu for name, f in forecasts.items()})
        examples.append(ex)
    return AppResult("forecasting", model, history, metrics, examples, seconds,
                     extras={"series": series, "mean": mu, "std": sd})
