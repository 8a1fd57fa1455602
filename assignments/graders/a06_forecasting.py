"""Hidden tests of assignment 6, *Time-series forecasting* (``source/a06_forecasting``).

Called only from the ``### BEGIN HIDDEN TESTS`` regions of the source notebook's
graded cells, which nbgrader removes from the student version; like the rest of
``graders/``, this module stays with the course directory and is not part of the
``rnncourse`` package. Each ``hidden_*`` function draws fresh inputs from a seed and
checks the answer with the helpers of :mod:`rnncourse.grading.a06_forecasting`.
"""
from __future__ import annotations

import numpy as np

from rnncourse.datasets.series import train_test_split_series as _split
from rnncourse.grading import GradingError, check_choice_answer
from rnncourse.grading.a06_forecasting import (check_metric, check_naive, check_recursive, check_seasonal,
                                               check_split, check_standardize, check_windows, checked_predictor,
                                               drifting_series, exercise_series, recursive_reference,
                                               reference_test_windows)


def hidden_make_windows(make_windows, seed):
    """Windows of random series, sizes and horizons.

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        W, K = int(rng.integers(1, 9)), int(rng.integers(1, 6))
        series = rng.standard_normal(W + K + int(rng.integers(0, 40)))
        check_windows(make_windows, series, W, K)


def hidden_split(split_series, seed):
    """Splits of random series with random fractions and contexts (test_fraction * length whole).

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        L = 10 * int(rng.integers(2, 12))
        frac = float(rng.choice([0.1, 0.2, 0.3, 0.5]))
        C = int(rng.integers(0, L - int(round(frac * L)) + 1))
        check_split(split_series, rng.standard_normal(L), frac, C)


def hidden_standardize(standardize, seed):
    """Random drifting series, split with random contexts.

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        L = 10 * int(rng.integers(3, 10))
        C = int(rng.integers(0, 6))
        train, test = _split(drifting_series(rng, L), 0.2, context=C)
        check_standardize(standardize, train, test, C)


def hidden_baselines(naive_forecast, seasonal_naive_forecast, seed):
    """Both baselines on random windows, horizons and periods.

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, w = int(rng.integers(1, 5)), int(rng.integers(2, 15))
        window = rng.standard_normal((N, w, 1))
        steps, period = int(rng.integers(1, 12)), int(rng.integers(1, w + 1))
        check_naive(naive_forecast, window, steps)
        check_seasonal(seasonal_naive_forecast, window, steps, period)


def hidden_recursive(recursive_forecast, seed):
    """Random predictors, windows and horizons.

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        check_recursive(recursive_forecast, int(rng.integers(1, 5)), int(rng.integers(1, 10)),
                        int(rng.integers(1, 15)), rng)


def hidden_metric(mse_at_horizon, seed):
    """The metric on random forecasts at random horizons.

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, K = int(rng.integers(1, 30)), int(rng.integers(1, 12))
        truth = rng.standard_normal((N, K))
        check_metric(mse_at_horizon, truth + rng.standard_normal((N, K)), truth, int(rng.integers(1, K + 1)))


def hidden_report(predict_one, seed):
    """The student's model on a fresh series of the same kind: it must beat the naive forecast at horizon 1.

    Book page: ``book/applications/forecasting``.
    """
    x, y, _ = reference_test_windows(exercise_series(seed))
    model = recursive_reference(checked_predictor(predict_one), x, 1)
    if not np.mean((model[:, 0] - y[:, 0]) ** 2) < np.mean((x[:, -1, 0] - y[:, 0]) ** 2):
        raise GradingError("on a new series of the same kind, your model does not beat the naive forecast "
                           "at horizon 1")


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/applications/forecasting``.
    """
    check_choice_answer(name, answer, digest, choices)
