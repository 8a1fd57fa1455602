# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 6: time-series forecasting, done properly
#
# The book's chapter *Your first RNN* starts from a tutorial that trains a
# recurrent network on a series and stops there: no stated task, no held-out
# data, no comparison with anything. This assignment does the job properly. You
# will cut a series into training examples, split it in time without letting
# the test period leak into training, scale it with statistics of the training
# part only, write the two baselines every forecaster must beat, forecast
# several steps ahead by feeding predictions back, and report honest test
# errors. The chapter *Forecasting a time series* covers the same ground.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). In parts 1 to 4 and in the metric of part 5,
# use numpy only and do not call `rnncourse`'s own forecasting or dataset
# functions: the grader notices, and that part earns no points. For the model of
# part 5 you may use any `rnncourse` layer and its `fit` function; the model is
# not what is graded, your data handling and your forecasts are. Run the test
# cell under each answer. More tests run when your work is graded, on inputs and
# sizes you have not seen.
#
# | Part | Points |
# |---|---|
# | 1. sliding windows | 3 |
# | 2. a split in time, and scaling | 4 |
# | 3. the baselines | 3 |
# | 4. recursive multi-step forecasts | 3 |
# | 5. the metric, a model, and the report | 5 |
# | 6. concept check (two questions) | 2 |
# | **Total** | **20** |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.datasets import noisy_periodic_series
from rnncourse.grading import a06_forecasting as checks
from rnncourse.cells.gru import GRU
from rnncourse.core.module import Sequential
from rnncourse.core.optim import Adam
from rnncourse.layers.output import LastStep, Output
from rnncourse.core.train import fit

# %% [markdown]
# ## The data
#
# Our series stands in for an hourly temperature: a daily cycle (24 steps), a
# faster 6-hour ripple, and noise, around 15 degrees. It has 1200 values (50
# days). The settings below are fixed for the whole notebook: the model reads
# the last `WINDOW = 24` values; we forecast up to `HORIZON = 10` steps ahead;
# the last 20 % of the series is the test period; the season is 24 steps.

# %% nbgrader={"grade": false, "grade_id": "data", "locked": true, "schema_version": 3, "solution": false, "task": false}
WINDOW, HORIZON, TEST_FRACTION, PERIOD = 24, 10, 0.2, 24
series = 15.0 + 4.0 * noisy_periodic_series(1200, rng=np.random.default_rng(6), periods=(6.0, 24.0), noise=0.1)
print(series.shape, f"from {series.min():.1f} to {series.max():.1f} degrees")
print("first day:", np.round(series[:24], 1))

# %% [markdown]
# ## 1. Sliding windows (3 points)
#
# A forecaster reads the past `window` values and predicts the next `horizon`
# values. Write `make_windows(series, window, horizon)` that cuts a 1-D series of
# length $L$ into all such pairs, one step apart: example $i$ reads
# $s_i, \dots, s_{i+W-1}$ and its target is $s_{i+W}, \dots, s_{i+W+K-1}$, the
# values right *after* the window. Return
#
# - `x` of shape `(N, window, 1)`: the windows, with a feature axis of size 1 (the
#   layout recurrent layers read: batch, time, features);
# - `y` of shape `(N, horizon)`: the targets;
#
# with $N = L - W - K + 1$, so that the last target ends with the last value of
# the series. For `series = 0, 1, ..., 9`, `window = 3`, `horizon = 2`, the first
# example is `x[0] = [0, 1, 2]` (as a column) and `y[0] = [3, 4]`.

# %% nbgrader={"grade": false, "grade_id": "windows_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def make_windows(series, window, horizon):
    """All (past window, next horizon values) pairs of a 1-D series: x (N, window, 1), y (N, horizon)."""
    ### BEGIN SOLUTION
    N = len(series) - window - horizon + 1
    x = np.stack([series[i:i + window] for i in range(N)])[:, :, None]
    y = np.stack([series[i + window:i + window + horizon] for i in range(N)])
    return x, y
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "windows_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_make_windows(make_windows)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_make_windows(make_windows, seed=601)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. A split in time, and scaling (4 points)
#
# **The split.** A forecaster is used on the future, so it must be tested on a
# period that comes *after* everything it was trained on. Never cut windows
# first and then shuffle them into two sets: neighbouring windows overlap, so
# test values would sit inside training windows. Split the raw series first:
# with $n_{\text{test}} = \text{round}(\text{test\_fraction} \cdot L)$ and
# $\text{cut} = L - n_{\text{test}}$,
#
# - `train = series[:cut]`,
# - `test = series[cut - context:]`.
#
# The `context` values repeated at the start of `test` are the past that the first
# test forecast reads (a forecaster always knows the past, just not the future).
# With `context = window`, the test windows predict exactly the values
# `series[cut:]`, and no training input or target comes from them.
#
# **The scaler.** Networks learn best on values of order 1, so we standardise:
# $\tilde s = (s - \mu) / \sigma$. The mean $\mu$ and the standard deviation
# $\sigma$ (`np.mean`, `np.std` with its default `ddof=0`) must come from the
# **training part only**: the test period is the future, and statistics that have
# seen it leak information into training. `standardize(train, test)` returns
# `train_scaled, test_scaled, mean, std`, both parts scaled with the training
# part's `mean` and `std` (two floats).

# %% nbgrader={"grade": false, "grade_id": "split_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def split_series(series, test_fraction, context):
    """Split a 1-D series in time: train = series[:cut], test = series[cut - context:]."""
    ### BEGIN SOLUTION
    cut = len(series) - int(round(test_fraction * len(series)))
    return series[:cut].copy(), series[cut - context:].copy()
    ### END SOLUTION


def standardize(train, test):
    """Scale both parts with the training part's mean and std: returns train_scaled, test_scaled, mean, std."""
    ### BEGIN SOLUTION
    mean, std = float(np.mean(train)), float(np.std(train))
    return (train - mean) / std, (test - mean) / std, mean, std
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "split_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_split(split_series)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_split(split_series, seed=602)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "scaling_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_standardize(standardize)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_standardize(standardize, seed=603)
### END HIDDEN TESTS

# %% [markdown]
# Your two functions, applied to our series (this cell is not graded; the rest
# of the notebook uses its results):

# %% nbgrader={"grade": false, "grade_id": "prepare", "locked": true, "schema_version": 3, "solution": false, "task": false}
train, test = split_series(series, TEST_FRACTION, WINDOW)
train_scaled, test_scaled, mean, std = standardize(train, test)
print(f"train {train.shape}, test {test.shape} ({WINDOW} of them context); mean {mean:.2f}, std {std:.2f}")

# %% [markdown]
# ## 3. The baselines (3 points)
#
# A forecast is only worth something if it beats a forecast that needs no
# learning at all. For a batch of windows `window` of shape `(N, w, 1)`, whose last
# value is $x_t$, and `steps` values ahead, return arrays of shape `(N, steps)`:
#
# - `naive_forecast(window, steps)`: "nothing changes", $\hat x_{t+k} = x_t$ for
#   $k = 1, \dots, \text{steps}$.
# - `seasonal_naive_forecast(window, steps, period)`: "the same as one season ago",
#   $\hat x_{t+k} = x_{t+k-P}$ with period $P \le w$. Step $k = 1$ reads
#   `window[:, -period, 0]`, step 2 the value after it, and so on through the last
#   period of the window; when `steps > period`, start that last period again
#   (step $k$ reads `window[:, -period + (k - 1) % period, 0]`).

# %% nbgrader={"grade": false, "grade_id": "baselines_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def naive_forecast(window, steps):
    """The last observed value, repeated: (N, w, 1) -> (N, steps)."""
    ### BEGIN SOLUTION
    return np.repeat(window[:, -1, :], steps, axis=1)
    ### END SOLUTION


def seasonal_naive_forecast(window, steps, period):
    """The value one period earlier, repeating the last period: (N, w, 1) -> (N, steps)."""
    ### BEGIN SOLUTION
    last = window[:, -period:, 0]
    return last[:, np.arange(steps) % period]
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "baselines_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_baselines(naive_forecast, seasonal_naive_forecast)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_baselines(naive_forecast, seasonal_naive_forecast, seed=604)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Forecasting several steps ahead (3 points)
#
# A one-step model, `predict_one(windows)`, maps windows `(N, w, 1)` to the next
# value `(N, 1)`. To forecast `steps` values ahead we use it *recursively*: predict
# the next value, append the prediction to the window and drop the window's
# oldest value (so it keeps its length `w`), then predict again from the new
# window, and so on. At test time the future is unknown: after the first step
# the model reads its own predictions, never the true values.
#
# Write `recursive_forecast(predict_one, window, steps)` returning the `(N, steps)`
# forecasts, column `k - 1` holding the forecast `k` steps ahead. Do not change
# the caller's `window` array in place.

# %% nbgrader={"grade": false, "grade_id": "recursive_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def recursive_forecast(predict_one, window, steps):
    """Forecast `steps` values ahead by feeding one-step predictions back in: returns (N, steps)."""
    ### BEGIN SOLUTION
    out = np.zeros((window.shape[0], steps))
    for k in range(steps):
        pred = predict_one(window)                                  # (N, 1)
        out[:, k] = pred[:, 0]
        window = np.concatenate([window[:, 1:], pred[:, None, :]], axis=1)
    return out
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "recursive_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_recursive(recursive_forecast)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_recursive(recursive_forecast, seed=605)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. The metric, a model, and an honest report (5 points)
#
# **The metric (2 points).** `mse_at_horizon(forecast, truth, k)` receives
# forecasts and true values of shape `(N, K)` (column `k - 1` is the value `k`
# steps ahead) and returns, as a float, the mean squared error at horizon `k`:
# the mean over the `N` windows of `(forecast[:, k - 1] - truth[:, k - 1]) ** 2`.

# %% nbgrader={"grade": false, "grade_id": "metric_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mse_at_horizon(forecast, truth, k):
    """Mean squared error of the forecasts k steps ahead (column k - 1), as a float."""
    ### BEGIN SOLUTION
    return float(np.mean((forecast[:, k - 1] - truth[:, k - 1]) ** 2))
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "metric_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_metric(mse_at_horizon)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_metric(mse_at_horizon, seed=606)
### END HIDDEN TESTS

# %% [markdown]
# **A model (not graded by itself).** Train a small one-step forecaster on the
# *standardised training part*: cut `train_scaled` into windows with
# `make_windows(train_scaled, WINDOW, 1)`, build for instance
# `Sequential(GRU(1, 16, rng=rng), LastStep(), Output(16, 1, rng=rng))` (a GRU
# reads the window, the last hidden state goes through an output layer to one
# number), and train it with `fit(model, Adam(model, lr=1e-2), batches,
# loss="mse", epochs=...)`, where `batches` is a list of `(x, y)` pairs or a
# function `epoch -> list of pairs` that reshuffles with your own `rng`. Keep
# training under about 15 seconds: a dozen epochs of mini-batches of 32 are
# plenty, and a few more epochs with a ten times smaller learning rate
# (`optimizer.lr = 1e-3`, then `fit` again with the same optimizer) help the model
# settle. Call `model.eval()` when you are done.
#
# Then define `predict_one(windows)`: standardised windows `(N, WINDOW, 1)` in,
# the standardised next value `(N, 1)` out (`model.forward(windows)[0]` does it).
# The grader calls your `predict_one` itself.

# %% nbgrader={"grade": false, "grade_id": "model_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
rng = np.random.default_rng(0)
x_train, y_train = make_windows(train_scaled, WINDOW, 1)
model = Sequential(GRU(1, 16, rng=rng), LastStep(), Output(16, 1, rng=rng))


def batches(epoch):
    order = rng.permutation(len(x_train))
    return [(x_train[i], y_train[i]) for i in np.array_split(order, len(x_train) // 32)]


optimizer = Adam(model, lr=1e-2)
history = fit(model, optimizer, batches, loss="mse", epochs=12, clip_norm=5.0)
optimizer.lr = 1e-3                   # smaller steps at the end, to settle into the minimum
history.epoch_losses += fit(model, optimizer, batches, loss="mse", epochs=4, clip_norm=5.0).epoch_losses
model.eval()


def predict_one(windows):
    return model.forward(windows)[0]


print(f"training loss: first epoch {history.epoch_losses[0]:.4f}, last epoch {history.epoch_losses[-1]:.4f}")
### END SOLUTION

# %% [markdown]
# **The report (3 points).** Cut the standardised test part into windows with
# `x_test, y_test = make_windows(test_scaled, WINDOW, HORIZON)`. Forecast
# `HORIZON` steps ahead from every test window with the model (recursively,
# through your `recursive_forecast`), with the naive forecast, and with the
# seasonal naive forecast (period `PERIOD`). Then fill in
#
# ```python
# report = {"model":    {1: ..., 10: ...},
#           "naive":    {1: ..., 10: ...},
#           "seasonal": {1: ..., 10: ...}}
# ```
#
# with the test MSE at horizons 1 and `HORIZON` = 10, **in the series' own units**
# (degrees squared): an MSE computed on standardised values becomes one in degrees
# squared when multiplied by `std ** 2`. The grader recomputes every number from
# your `predict_one`, and your model must beat the naive forecast at horizon 1.

# %% nbgrader={"grade": false, "grade_id": "report_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
x_test, y_test = make_windows(test_scaled, WINDOW, HORIZON)
forecasts = {"model": recursive_forecast(predict_one, x_test, HORIZON),
             "naive": naive_forecast(x_test, HORIZON),
             "seasonal": seasonal_naive_forecast(x_test, HORIZON, PERIOD)}
report = {name: {k: mse_at_horizon(f, y_test, k) * std ** 2 for k in (1, HORIZON)}
          for name, f in forecasts.items()}
### END SOLUTION
for name, row in report.items():
    print(f"{name:9s} MSE at horizon 1: {row[1]:.4f}   at horizon {HORIZON}: {row[HORIZON]:.4f}  (degrees^2)")

# %% nbgrader={"grade": true, "grade_id": "report_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_report(report, predict_one)
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.hidden_report(predict_one, seed=607)
### END HIDDEN TESTS

# %% [markdown]
# Look at your numbers before you go on. The noise added to the series has a
# standard deviation of 0.4 degrees, and no forecast can predict noise, so no
# MSE can go much below $0.4^2 = 0.16$ degrees squared. How close do the model
# and the seasonal baseline come to that floor? How fast does the naive forecast
# fall behind as the horizon grows, and does the model's error grow too?
#
# ## 6. Concept check (2 points)
#
# **Question 1.** A classmate cuts the whole series into windows first, shuffles
# the windows, and keeps a random 20 % of them for testing. Their test error is
# lower than yours. Why should you not trust it?
#
# - A) The test set is too small to measure anything.
# - B) Neighbouring windows overlap, so most test values also appear in training
#   windows, as inputs or as targets: the model is tested on data it has seen.
# - C) Shuffling changes the order of the values inside each window.
# - D) It is trustworthy as long as the scaler was fitted on the training windows.
#
# **Question 2.** On a price-like series (a random walk, where each day's change
# is independent of the past), a recurrent model reaches a test MSE of 1.02 at
# horizon 1, and the naive forecast 1.00. What do you conclude?
#
# - A) The model is good: an MSE near 1 is small.
# - B) Train longer: any recurrent network eventually beats the naive forecast.
# - C) The model has learnt nothing useful: "tomorrow equals today" is at least as
#   good, and for a random walk there is little more to predict.
# - D) Use the seasonal naive forecast as the reference instead, since it is harder to beat.
#
# Set `answer_q1` and `answer_q2` to `"A"`, `"B"`, `"C"` or `"D"`.

# %% nbgrader={"grade": false, "grade_id": "concept_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q1 = "B"
answer_q2 = "C"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "concept_q1_test", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
assert answer_q1 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.check_concept("answer_q1", answer_q1, "a3de5e84412fcadbf92609663966cd5ae8f196cbe489f78739f49d5881fb7c75")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "concept_q2_test", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
assert answer_q2 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a06_forecasting as hidden_tests
hidden_tests.check_concept("answer_q2", answer_q2, "879c991b5c56c5fda016d9c259db06c3cb4a57cb57d6a597a9703e5dd4aa092d")
### END HIDDEN TESTS
