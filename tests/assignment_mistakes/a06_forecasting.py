from . import Mistake, solution_with

_NEXT_WINDOW = "window = np.concatenate([window[:, 1:], pred[:, None, :]], axis=1)"
_TEACHER_FORCED = '''model_forecast = np.zeros_like(y_test)
w = x_test
for k in range(HORIZON):
    model_forecast[:, k] = predict_one(w)[:, 0]
    w = np.concatenate([w[:, 1:], y_test[:, k:k + 1, None]], axis=1)   # the true value goes in
forecasts = {"model": model_forecast,'''

MISTAKES = [
    # 1. windows: an off-by-one in time (the target overlaps the window), a window too few, the reference
    *solution_with("a06_forecasting", "windows_answer", "windows_test", [
        ("a06-target-overlaps-window", "the targets overlap the window",
         ("series[i + window:i + window + horizon]", "series[i + window - 1:i + window - 1 + horizon]")),
        ("a06-one-window-short", "one too few", ("horizon + 1\n", "horizon\n")),
    ]),
    Mistake("a06-calls-reference-windows", "windows_answer", '''
from rnncourse.datasets import series as ts
def make_windows(series, window, horizon):
    return ts.make_windows(series, window, horizon)
''', "windows_test", "calls rnncourse's own"),
    # 2. the split without the context, the scaler fitted on all the data
    *solution_with("a06_forecasting", "split_answer", "split_test", [
        ("a06-split-without-context", "test must start `context` values before the cut",
         ("series[cut - context:].copy()", "series[cut:].copy()")),
    ]),
    *solution_with("a06_forecasting", "split_answer", "scaling_test", [
        ("a06-scaler-on-all-data", "mean and std must come from the training part only",
         ("mean, std = float(np.mean(train)), float(np.std(train))",
          "everything = np.concatenate([train, test])\n"
          "    mean, std = float(np.mean(everything)), float(np.std(everything))")),
    ]),
    # 3. the seasonal baseline repeating a single value
    *solution_with("a06_forecasting", "baselines_answer", "baselines_test", [
        ("a06-seasonal-single-value", "repeat the whole last period",
         ("last = window[:, -period:, 0]\n    return last[:, np.arange(steps) % period]",
          "return np.repeat(window[:, -period, :], steps, axis=1)")),
    ]),
    # 4. the recursive forecast: the wrong value dropped, predictions never fed back
    *solution_with("a06_forecasting", "recursive_answer", "recursive_test", [
        ("a06-recursive-drops-newest", "drop the OLDEST value", ("window[:, 1:], pred", "window[:, :-1], pred")),
        ("a06-recursive-window-grows", "drop the oldest value so the window keeps its length",
         ("[window[:, 1:], pred", "[window, pred")),
        ("a06-recursive-no-feedback", "feed each prediction back in", (_NEXT_WINDOW, "pass")),
    ]),
    # 5. the metric off by one in the horizon; teacher forcing at test time; errors in scaled units
    *solution_with("a06_forecasting", "metric_answer", "metric_test", [
        ("a06-metric-column-k", "horizon k is column k - 1",
         ("forecast[:, k - 1] - truth[:, k - 1]",
          "forecast[:, min(k, forecast.shape[1] - 1)] - truth[:, min(k, truth.shape[1] - 1)]")),
    ]),
    *solution_with("a06_forecasting", "report_answer", "report_test", [
        ("a06-teacher-forcing", "teacher forcing",
         ('forecasts = {"model": recursive_forecast(predict_one, x_test, HORIZON),', _TEACHER_FORCED)),
        ("a06-scaled-units", "in the series' own units", (" * std ** 2", "")),
    ]),
]
