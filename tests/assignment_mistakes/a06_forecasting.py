from . import Mistake

_WINDOWS = '''
def make_windows(series, window, horizon):
    N = len(series) - window - horizon{n_extra}
    x = np.stack([series[i:i + window] for i in range(N)])[:, :, None]
    y = np.stack([series[i + window{y_shift}:i + window{y_shift} + horizon] for i in range(N)])
    return x, y
'''

_SPLIT = '''
def split_series(series, test_fraction, context):
    cut = len(series) - int(round(test_fraction * len(series)))
    return series[:cut].copy(), series[{test_start}:].copy()


def standardize(train, test):
    {stats}
    return (train - mean) / std, (test - mean) / std, mean, std
'''
_GOOD_STATS = "mean, std = float(np.mean(train)), float(np.std(train))"

_RECURSIVE = '''
def recursive_forecast(predict_one, window, steps):
    out = np.zeros((window.shape[0], steps))
    for k in range(steps):
        pred = predict_one(window)
        out[:, k] = pred[:, 0]
        {update}
    return out
'''

_REPORT = '''
x_test, y_test = make_windows(test_scaled, WINDOW, HORIZON)
{model}
forecasts = {{"model": model_forecast,
             "naive": naive_forecast(x_test, HORIZON),
             "seasonal": seasonal_naive_forecast(x_test, HORIZON, PERIOD)}}
report = {{name: {{k: mse_at_horizon(f, y_test, k){units} for k in (1, HORIZON)}}
          for name, f in forecasts.items()}}
'''
_RECURSIVE_MODEL = "model_forecast = recursive_forecast(predict_one, x_test, HORIZON)"
_TEACHER_FORCED_MODEL = '''model_forecast = np.zeros_like(y_test)
w = x_test
for k in range(HORIZON):
    model_forecast[:, k] = predict_one(w)[:, 0]
    w = np.concatenate([w[:, 1:], y_test[:, k:k + 1, None]], axis=1)   # the true value goes in'''

MISTAKES = [
    # 1. windows: an off-by-one in time (the target overlaps the window), a window too few, the reference
    Mistake("a06-target-overlaps-window", "windows_answer", _WINDOWS.format(n_extra=" + 1", y_shift=" - 1"),
            "windows_test", "the targets overlap the window"),
    Mistake("a06-one-window-short", "windows_answer", _WINDOWS.format(n_extra="", y_shift=""),
            "windows_test", "one too few"),
    Mistake("a06-calls-reference-windows", "windows_answer", '''
from rnncourse.datasets import series as ts
def make_windows(series, window, horizon):
    return ts.make_windows(series, window, horizon)
''', "windows_test", "calls rnncourse's own"),
    # 2. the split without the context, the scaler fitted on all the data
    Mistake("a06-split-without-context", "split_answer",
            _SPLIT.format(test_start="cut", stats=_GOOD_STATS), "split_test",
            "test must start `context` values before the cut"),
    Mistake("a06-scaler-on-all-data", "split_answer",
            _SPLIT.format(test_start="cut - context",
                          stats="everything = np.concatenate([train, test])\n"
                                "    mean, std = float(np.mean(everything)), float(np.std(everything))"),
            "scaling_test", "mean and std must come from the training part only"),
    # 3. the seasonal baseline repeating a single value
    Mistake("a06-seasonal-single-value", "baselines_answer", '''
def naive_forecast(window, steps):
    return np.repeat(window[:, -1, :], steps, axis=1)


def seasonal_naive_forecast(window, steps, period):
    return np.repeat(window[:, -period, :], steps, axis=1)
''', "baselines_test", "repeat the whole last period"),
    # 4. the recursive forecast: the wrong value dropped, predictions never fed back
    Mistake("a06-recursive-drops-newest", "recursive_answer",
            _RECURSIVE.format(update="window = np.concatenate([window[:, :-1], pred[:, None, :]], axis=1)"),
            "recursive_test", "drop the OLDEST value"),
    Mistake("a06-recursive-window-grows", "recursive_answer",
            _RECURSIVE.format(update="window = np.concatenate([window, pred[:, None, :]], axis=1)"),
            "recursive_test", "drop the oldest value so the window keeps its length"),
    Mistake("a06-recursive-no-feedback", "recursive_answer", _RECURSIVE.format(update="pass"),
            "recursive_test", "feed each prediction back in"),
    # 5. the metric off by one in the horizon; teacher forcing at test time; errors in scaled units
    Mistake("a06-metric-column-k", "metric_answer", '''
def mse_at_horizon(forecast, truth, k):
    return float(np.mean((forecast[:, min(k, forecast.shape[1] - 1)] - truth[:, min(k, truth.shape[1] - 1)]) ** 2))
''', "metric_test", "horizon k is column k - 1"),
    Mistake("a06-teacher-forcing", "report_answer",
            _REPORT.format(model=_TEACHER_FORCED_MODEL, units=" * std ** 2"),
            "report_test", "teacher forcing"),
    Mistake("a06-scaled-units", "report_answer", _REPORT.format(model=_RECURSIVE_MODEL, units=""),
            "report_test", "in the series' own units"),
]
