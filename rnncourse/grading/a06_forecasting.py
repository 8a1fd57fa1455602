r"""Visible checks of assignment 6, *Time-series forecasting* (``assignments/source/a06_forecasting``).

Taught on the book pages *Your first RNN* (``book/first_rnn``) and *Forecasting a
time series* (``book/applications/forecasting``).

What is graded is the students' data handling and forecasting code, not the
model: sliding windows (:func:`visible_make_windows`), a chronological split
with the context the first test window needs (:func:`visible_split`), scaling
fitted on the training part only (:func:`visible_standardize`), the naive and
seasonal naive baselines (:func:`visible_baselines`), the recursive multi-step
forecast (:func:`visible_recursive`, with a spy predictor that records every
window it is shown), the metric (:func:`visible_metric`) and the final report
(:func:`visible_report`), which is recomputed here from the student's
``predict_one`` on test windows built by the reference code, so that teacher
forcing at test time, errors in the wrong units and a model that does not beat
the naive forecast are all recognised.

Typical mistakes are named (a target that overlaps its window, a window too
few, a scaler fitted on all the data, a seasonal forecast that repeats one
value, a recursive forecast that drops the wrong value or never feeds its
predictions back, horizon ``k`` read from column ``k``). The hidden tests, which
draw fresh inputs from a seed and compare with :mod:`rnncourse.datasets.series` and
:mod:`rnncourse.models.forecasting`, live with the course in
``assignments/graders/a06_forecasting.py``, not in this package; they use the public
``check_*`` helpers here.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..datasets.series import make_windows as _make_windows
from ..datasets.series import noisy_periodic_series as _noisy_periodic_series
from ..datasets.series import train_test_split_series as _split
from ..models.forecasting import naive_forecast as _naive
from ..models.forecasting import seasonal_naive_forecast as _seasonal
from . import GradingError, call_student, check_array, name_mistake, values_match

_FORBIDDEN = ("datasets.series", "models.forecasting")

#: The settings of the notebook's exercise (the notebook shows the same numbers).
LENGTH, WINDOW, HORIZON, TEST_FRACTION, PERIOD = 1200, 24, 10, 0.2, 24
SERIES_SEED = 6


def exercise_series(seed=SERIES_SEED):
    r"""The exercise's series: a temperature-like signal, :math:`15 + 4 s_t` with
    :math:`s` from :func:`rnncourse.datasets.series.noisy_periodic_series` (periods 6 and 24, noise 0.1).

    Parameters
    ----------
    seed : int
        Seed of the ``numpy.random.default_rng`` that draws the phases and the noise.

    Returns
    -------
    ndarray, shape (1200,), float64

    Book page: ``book/applications/forecasting``.
    """
    s = _noisy_periodic_series(LENGTH, rng=np.random.default_rng(seed), periods=(6.0, 24.0), noise=0.1)
    return 15.0 + 4.0 * s


def _scalar(name, got, what):
    """The student's number as a float, or a message if it is not a single real number."""
    if type(got) is np.ndarray and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        raise GradingError(f"{name}: {what} must be a single number (a float), got {type(got).__name__}")
    value = float(got)
    if not np.isfinite(value):
        raise GradingError(f"{name}: {what} is NaN or infinite")
    return value


def _check_number(name, got, ref, *, what, mistakes=None, hint=None, rtol=1e-6):
    value = np.array([_scalar(name, got, what)])
    ref = np.array([float(ref)])
    if mistakes:
        name_mistake(name, value, ref, {m: np.array([float(v)]) for m, v in mistakes.items()})
    if not values_match(value, ref, rtol=rtol, atol=1e-12):
        raise GradingError(f"{name}: {what} is wrong" + (f"; {hint}" if hint else ""))


# -------------------------------------------------------------------------------------------------
# 1. windows
# -------------------------------------------------------------------------------------------------
def _windows_variants(s, W, K):
    L = len(s)
    N = L - W - K + 1
    idx = np.arange(N)[:, None]
    out = {}
    if N >= 1:
        overlap_y = s[np.minimum(idx + W - 1 + np.arange(K), L - 1)]
        out["y"] = {"the targets overlap the window: y[i] must start right after x[i]'s last value, at "
                    "series[i + window]": overlap_y}
        late_x = s[np.minimum(idx + 1 + np.arange(W), L - 1)][:, :, None]
        out["x"] = {"x[i] must be series[i : i + window]: your windows start one step late": late_x}
    return out


def check_windows(fn, series, W, K, hints=None):
    """Check ``make_windows`` on ``series`` with window ``W`` and horizon ``K``, naming mistakes.

    Book page: ``book/applications/forecasting``.
    """
    hints = hints or {}
    x_ref, y_ref = _make_windows(series, W, K)
    got = call_student("make_windows", fn, series, W, K, forbidden=_FORBIDDEN)
    if type(got) not in (tuple, list) or len(got) != 2:
        raise GradingError("make_windows must return two arrays: x (N, window, 1) and y (N, horizon)")
    x, y = got
    N = x_ref.shape[0]
    for name, arr, ref in (("x", x, x_ref), ("y", y, y_ref)):
        if type(arr) is np.ndarray and arr.ndim >= 1:
            if arr.shape[0] == N - 1:
                raise GradingError(f"make_windows: {name} holds {N - 1} examples, one too few: the last "
                                   "example's target ends with the series' last value, so "
                                   "N = len(series) - window - horizon + 1")
            if arr.shape[0] == N + 1:
                raise GradingError(f"make_windows: {name} holds {N + 1} examples, one too many: the last "
                                   "target must still lie inside the series, so N = len(series) - window - horizon + 1")
    if type(x) is np.ndarray and x.shape == x_ref.shape[:2]:
        raise GradingError("make_windows: x needs a feature axis: shape (N, window, 1), the layout recurrent "
                           "layers read (use x[..., None] or reshape)")
    if type(y) is np.ndarray and y.shape == y_ref.shape + (1,):
        raise GradingError("make_windows: y must have shape (N, horizon), without a feature axis")
    variants = _windows_variants(series, W, K)
    name_mistake("make_windows", x, x_ref, variants.get("x", {}))
    check_array("make_windows", x, x_ref, what="x", hint=hints.get("x"))
    name_mistake("make_windows", y, y_ref, variants.get("y", {}))
    check_array("make_windows", y, y_ref, what="y", hint=hints.get("y"))


def visible_make_windows(make_windows):
    """Windows of the series 0, 1, ..., 9, where every value names its own time step.

    Book page: ``book/applications/forecasting``.
    """
    series = np.arange(10.0)
    check_windows(make_windows, series, 3, 2,
                  hints={"x": "x[i] must be series[i : i + window], shape (N, window, 1)",
                         "y": "y[i] must be series[i + window : i + window + horizon]"})
    check_windows(make_windows, series, 4, 1, hints={"y": "with horizon = 1, y[i] = [series[i + window]]"})


# -------------------------------------------------------------------------------------------------
# 2. the split and the scaler
# -------------------------------------------------------------------------------------------------
def check_split(fn, series, frac, C, hint=None):
    """Check ``split_series`` on ``series`` with test fraction ``frac`` and context ``C``, naming mistakes.

    Book page: ``book/applications/forecasting``.
    """
    train_ref, test_ref = _split(series, frac, context=C)
    got = call_student("split_series", fn, series, frac, C, forbidden=_FORBIDDEN)
    if type(got) not in (tuple, list) or len(got) != 2:
        raise GradingError("split_series must return two arrays: train and test")
    train, test = got
    L = len(series)
    n_test = int(round(frac * L))
    cut = L - n_test
    if type(train) is np.ndarray and train.shape == (n_test,) and n_test != cut:
        raise GradingError("split_series: train must hold the first len(series) - round(test_fraction * "
                           "len(series)) values; yours has the size of the test part")
    if type(train) is np.ndarray and train.ndim == 1 and np.all(np.diff(series) > 0) and \
            not np.all(np.diff(train) > 0):
        raise GradingError("split_series: the split must keep time order: train is the beginning of the "
                           "series, test its end; never shuffle a time series")
    check_array("split_series", train, train_ref, what="train",
                hint="train = series[:cut] with cut = len(series) - round(test_fraction * len(series))")
    if type(test) is np.ndarray and test.shape == (n_test,) and C > 0:
        raise GradingError("split_series: test must start `context` values before the cut, "
                           "series[cut - context:]: the first test window needs that past")
    if type(test) is np.ndarray and test.shape == (n_test + 2 * C,) and C > 0:
        raise GradingError("split_series: test must start exactly `context` values before the cut")
    check_array("split_series", test, test_ref, what="test", hint=hint or "test = series[cut - context:]")


def visible_split(split_series):
    """The split of 0, 1, ..., 19: which values train, which test, and the context.

    Book page: ``book/applications/forecasting``.
    """
    series = np.arange(20.0)
    check_split(split_series, series, 0.25, 3)
    check_split(split_series, series, 0.25, 0, hint="with context = 0, test = series[cut:]")


def check_standardize(fn, train, test, context):
    """Check ``standardize`` on a split: the statistics of the training part only, naming leaks.

    Book page: ``book/applications/forecasting``.
    """
    mean, std = float(train.mean()), float(train.std())
    got = call_student("standardize", fn, train, test, forbidden=_FORBIDDEN)
    if type(got) not in (tuple, list) or len(got) != 4:
        raise GradingError("standardize must return four things: train_scaled, test_scaled, mean, std")
    train_s, test_s, m, s = got
    everything = np.concatenate([train, test[context:]])
    doubled = np.concatenate([train, test])
    mean_mistakes = {
        "mean and std must come from the training part only: the test values are the future, and a scaler "
        "fitted on them leaks it into training": everything.mean(),
        "mean and std must come from the training part only: you computed them on train and test together":
            doubled.mean(),
    }
    std_mistakes = {
        "mean and std must come from the training part only: the test values are the future, and a scaler "
        "fitted on them leaks it into training": everything.std(),
        "mean and std must come from the training part only: you computed them on train and test together":
            doubled.std(),
        "use np.std with its default ddof=0 (the population standard deviation)": train.std(ddof=1),
    }
    _check_number("standardize", m, mean, what="mean", mistakes=mean_mistakes, hint="mean = train.mean()")
    _check_number("standardize", s, std, what="std", mistakes=std_mistakes, hint="std = train.std()")
    check_array("standardize", train_s, (train - mean) / std, what="train_scaled",
                hint="train_scaled = (train - mean) / std")
    own = (test - test.mean()) / test.std()
    name_mistake("standardize", test_s, (test - mean) / std,
                  {"scale the test part with the training part's mean and std, not with its own": own})
    check_array("standardize", test_s, (test - mean) / std, what="test_scaled",
                hint="test_scaled = (test - mean) / std, with the training part's mean and std")


def drifting_series(rng, L):
    """A random series of length ``L`` with a trend, so that its two parts have different statistics.

    Book page: ``book/applications/forecasting``.
    """
    return 5.0 + 0.05 * np.arange(L) + rng.standard_normal(L)


def visible_standardize(standardize):
    """A short series with a trend, where the training and the test part have different statistics.

    Book page: ``book/applications/forecasting``.
    """
    series = np.array([1.0, 2.0, 2.0, 3.0, 5.0, 4.0, 6.0, 7.0, 9.0, 8.0, 11.0, 12.0])
    train, test = _split(series, 0.25, context=2)
    check_standardize(standardize, train, test, 2)


# -------------------------------------------------------------------------------------------------
# 3. baselines
# -------------------------------------------------------------------------------------------------
def check_naive(fn, window, steps):
    """Check ``naive_forecast`` on ``window`` (N, w, 1) for ``steps`` steps ahead.

    Book page: ``book/applications/forecasting``.
    """
    ref = _naive(window, steps)
    got = call_student("naive_forecast", fn, window, steps, forbidden=("models.forecasting",))
    if type(got) is np.ndarray and got.shape == ref.shape + (1,):
        raise GradingError("naive_forecast must return shape (N, steps), without a feature axis")
    name_mistake("naive_forecast", got, ref, {
        "the naive forecast repeats the LAST observed value, window[:, -1, 0]":
            np.repeat(window[:, 0, :], steps, axis=1)})
    check_array("naive_forecast", got, ref, hint="every step ahead gets the last observed value window[:, -1, 0]")


def check_seasonal(fn, window, steps, period):
    """Check ``seasonal_naive_forecast`` on ``window`` for ``steps`` steps ahead, naming off-by-ones.

    Book page: ``book/applications/forecasting``.
    """
    ref = _seasonal(window, steps, period)
    got = call_student("seasonal_naive_forecast", fn, window, steps, period, forbidden=("models.forecasting",))
    if type(got) is np.ndarray and got.shape == ref.shape + (1,):
        raise GradingError("seasonal_naive_forecast must return shape (N, steps), without a feature axis")
    if type(got) is np.ndarray and got.ndim == 2 and got.shape[0] == ref.shape[0] and got.shape[1] == min(
            steps, period) < steps:
        raise GradingError("seasonal_naive_forecast: when steps > period, start the last period again: "
                           "the forecast for step k reads window[:, -period + (k - 1) % period, 0]")
    w = window[:, :, 0]
    k = np.arange(steps)
    L = w.shape[1]
    name_mistake("seasonal_naive_forecast", got, ref, {
        "x_hat[t+k] = x[t+k-P]: repeat the whole last period, one value per step ahead, not a single value":
            np.repeat(w[:, -period][:, None], steps, axis=1),
        "off by one: the forecast one step ahead is x[t+1-P], the value P - 1 steps before the window's last "
        "(window[:, -period, 0])": w[:, L - period + (k + 1) % period],
        "the forecast one step ahead is x[t+1-P] (window[:, -period, 0]), not x[t-P]":
            w[:, L - period - 1 + k % period] if L > period else ref,
    })
    check_array("seasonal_naive_forecast", got, ref,
                hint="step k ahead (k = 1, 2, ...) gets window[:, -period + (k - 1) % period, 0]")


def visible_baselines(naive_forecast, seasonal_naive_forecast):
    """Both baselines on windows whose values name their positions, including steps > period.

    Book page: ``book/applications/forecasting``.
    """
    window = (np.arange(8.0)[None, :] + np.array([[0.0], [100.0]]))[:, :, None]    # (2, 8, 1)
    check_naive(naive_forecast, window, 3)
    check_seasonal(seasonal_naive_forecast, window, 3, 4)
    check_seasonal(seasonal_naive_forecast, window, 6, 4)


# -------------------------------------------------------------------------------------------------
# 4. recursive forecast
# -------------------------------------------------------------------------------------------------
class _Spy:
    """A linear one-step predictor that checks every window it is given."""

    def __init__(self, coef, bias, N, w):
        self.coef, self.bias, self.N, self.w = coef, bias, N, w

    def __call__(self, windows):
        if type(windows) is not np.ndarray:
            raise GradingError("recursive_forecast: predict_one must be given a numpy array of windows "
                               f"(N, w, 1), got {type(windows).__name__}")
        if windows.ndim == 3 and windows.shape[0] == self.N and windows.shape[2] == 1 and \
                windows.shape[1] != self.w:
            raise GradingError(f"recursive_forecast: predict_one was given windows of length {windows.shape[1]} "
                               f"instead of {self.w}: when you append a prediction, drop the oldest value so "
                               "the window keeps its length")
        if windows.shape != (self.N, self.w, 1):
            raise GradingError(f"recursive_forecast: predict_one expects windows of shape (N, w, 1) = "
                               f"{(self.N, self.w, 1)}, got {windows.shape}")
        return windows[:, :, 0] @ self.coef[:, None] + self.bias


def _recursive_variants(predict, window, steps):
    def run(update):
        w, out = window.copy(), []
        for _ in range(steps):
            p = predict(w)
            out.append(p[:, 0])
            w = update(w, p)
        return np.stack(out, axis=1)

    return {
        "right": run(lambda w, p: np.concatenate([w[:, 1:], p[:, None, :]], axis=1)),
        "drop the OLDEST value (window[:, 0]) and append the prediction at the end; you dropped the newest":
            run(lambda w, p: np.concatenate([w[:, :-1], p[:, None, :]], axis=1)),
        "the prediction goes at the END of the window, as its newest value":
            run(lambda w, p: np.concatenate([p[:, None, :], w[:, :-1]], axis=1)),
        "feed each prediction back in: after every step the window must move forward by one value, "
        "ending with the prediction just made": run(lambda w, p: w),
    }


def check_recursive(fn, N, w, steps, rng):
    """Check ``recursive_forecast`` with a random linear spy predictor that checks every window it is given.

    Book page: ``book/applications/forecasting``.
    """
    coef = rng.standard_normal(w) / w
    coef[-1] += 0.5
    bias = float(rng.standard_normal())
    window = rng.standard_normal((N, w, 1))
    spy = _Spy(coef, bias, N, w)
    variants = _recursive_variants(spy, window, steps)
    ref = variants.pop("right")
    got = call_student("recursive_forecast", fn, spy, window, steps, forbidden=("models.forecasting",))
    if type(got) is np.ndarray and got.shape == ref.shape + (1,):
        raise GradingError("recursive_forecast must return shape (N, steps), without a feature axis")
    name_mistake("recursive_forecast", got, ref, variants)
    check_array("recursive_forecast", got, ref,
                hint="step k: p = predict_one(window); out[:, k] = p[:, 0]; then the window drops its oldest "
                     "value and appends p")


def visible_recursive(recursive_forecast):
    """A linear predictor that records every window it is shown: its length, and which values it holds.

    Book page: ``book/applications/forecasting``.
    """
    rng = np.random.default_rng(60)
    check_recursive(recursive_forecast, 2, 4, 1, rng)
    check_recursive(recursive_forecast, 2, 4, 6, rng)


# -------------------------------------------------------------------------------------------------
# 5. the metric and the report
# -------------------------------------------------------------------------------------------------
def check_metric(fn, forecast, truth, k):
    """Check ``mse_at_horizon`` at horizon ``k``, naming the column and aggregation mistakes.

    Book page: ``book/applications/forecasting``.
    """
    e2 = (forecast - truth) ** 2
    ref = float(np.mean(e2[:, k - 1]))
    got = call_student("mse_at_horizon", fn, forecast, truth, k, forbidden=("core.losses", "models.forecasting"))
    mistakes = {"horizon k is column k - 1 (the first step ahead, k = 1, is column 0)":
                float(np.mean(e2[:, k])) if k < e2.shape[1] else ref,
                "the error at horizon k uses only column k - 1, not every horizon up to k":
                float(np.mean(e2[:, :k])),
                "the error at horizon k uses only column k - 1, not every column": float(np.mean(e2)),
                "mean squared error: no square root": float(np.sqrt(ref)),
                "average over the test windows (a mean, not a sum)": float(np.sum(e2[:, k - 1]))}
    _check_number("mse_at_horizon", got, ref, what="the returned error", hint="the mean over the windows of "
                  "(forecast[:, k - 1] - truth[:, k - 1]) ** 2",
                  mistakes={m: v for m, v in mistakes.items() if not np.isclose(v, ref, rtol=1e-6)})


def visible_metric(mse_at_horizon):
    """The metric on small forecasts, at the first and at a later horizon.

    Book page: ``book/applications/forecasting``.
    """
    truth = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [0.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    forecast = truth + np.array([[1.0, 0.0, 2.0], [-1.0, 2.0, 0.0], [0.0, 3.0, -1.0], [1.0, 1.0, 1.0]])
    check_metric(mse_at_horizon, forecast, truth, 1)
    check_metric(mse_at_horizon, forecast, truth, 2)


def reference_test_windows(series):
    """``(x_test, y_test, std)``: the test windows of ``series`` as the notebook must build them, standardised.

    Book page: ``book/applications/forecasting``.
    """
    train, test = _split(series, TEST_FRACTION, context=WINDOW)
    mean, std = float(train.mean()), float(train.std())
    x, y = _make_windows((test - mean) / std, WINDOW, HORIZON)
    return x, y, std


def checked_predictor(predict_one):
    """The student's ``predict_one`` wrapped so that every call is checked and returns (N, 1) floats.

    Book page: ``book/applications/forecasting``.
    """
    def predict(windows):
        out = call_student("predict_one", predict_one, windows)
        if type(out) is not np.ndarray or out.size != windows.shape[0]:
            raise GradingError(f"predict_one must return an array of shape (N, 1) for windows (N, {WINDOW}, 1), "
                               f"got {type(out).__name__}" + (f" of shape {out.shape}"
                                                              if type(out) is np.ndarray else ""))
        out = out.reshape(windows.shape[0], 1).astype(np.float64)
        if not np.all(np.isfinite(out)):
            raise GradingError("predict_one returned NaN or infinite values")
        return out
    return predict


def recursive_reference(predict, window, steps):
    """The recursive forecast of ``steps`` values with the one-step predictor ``predict``.

    Book page: ``book/applications/forecasting``.
    """
    out = []
    for _ in range(steps):
        p = predict(window)
        out.append(p[:, 0])
        window = np.concatenate([window[:, 1:], p[:, None, :]], axis=1)
    return np.stack(out, axis=1)


def _teacher_forced(predict, x, y):
    return np.stack([predict(np.concatenate([x[:, k:], y[:, :k, None]], axis=1))[:, 0]
                     for k in range(y.shape[1])], axis=1)


def _mse_units(forecast, y, k, std):
    return float(np.mean((forecast[:, k - 1] - y[:, k - 1]) ** 2)) * std ** 2


def _check_report_structure(report):
    if not isinstance(report, dict) or set(report) != {"model", "naive", "seasonal"}:
        raise GradingError('report must be a dict with the keys "model", "naive" and "seasonal"')
    for name, row in report.items():
        if not isinstance(row, dict) or set(row) != {1, HORIZON}:
            raise GradingError(f'report["{name}"] must be a dict with the keys 1 and {HORIZON} (the horizons)')
        for k, v in row.items():
            value = _scalar("report", v, f'report["{name}"][{k}]')
            if value < 0:
                raise GradingError(f'report["{name}"][{k}] is negative; a mean squared error cannot be')


def visible_report(report, predict_one):
    """The report, recomputed: baselines and model on the exercise's test windows, in the series' units.

    The model's errors are recomputed from ``predict_one`` with a recursive
    forecast on test windows cut by the reference code; the model must beat the
    naive forecast at horizon 1.

    Book page: ``book/applications/forecasting``.
    """
    _check_report_structure(report)
    x, y, std = reference_test_windows(exercise_series())
    predict = checked_predictor(predict_one)
    forecasts = {"naive": _naive(x, HORIZON), "seasonal": _seasonal(x, HORIZON, PERIOD),
                 "model": recursive_reference(predict, x, HORIZON)}
    teacher = None
    for name in ("naive", "seasonal", "model"):
        for k in (1, HORIZON):
            ref = _mse_units(forecasts[name], y, k, std)
            mistakes = {"report the errors in the series' own units (degrees squared): an MSE computed on "
                        "standardised values must be multiplied by std ** 2": ref / std ** 2}
            if name == "model" and k > 1:
                teacher = _teacher_forced(predict, x, y) if teacher is None else teacher
                mistakes["your horizon-10 error comes from windows of TRUE values (teacher forcing): at test "
                         "time the future is unknown, so the model must read its own predictions "
                         "(recursive_forecast)"] = _mse_units(teacher, y, k, std)
            _check_number("report", report[name][k], ref, what=f'report["{name}"][{k}]', rtol=1e-5,
                          mistakes=mistakes,
                          hint=f"it must be the test MSE of the {name} forecast at horizon {k}, in the series' "
                               "units, on x_test, y_test = make_windows(test_scaled, WINDOW, HORIZON)"
                               + (" with the model's recursive forecast from predict_one" if name == "model"
                                  else ""))
    if not report["model"][1] < report["naive"][1]:
        raise GradingError("your model does not beat the naive forecast at horizon 1 on the test windows: "
                           "train it longer, or check that it reads standardised windows")
