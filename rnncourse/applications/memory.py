"""The memory comparison: RNN, LSTM and GRU on the adding problem at growing lengths.

Taught on the book page ``book/variants/comparison``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_int, check_positive_int
from ..core.module import Sequential
from ..datasets import adding_problem
from ..layers.output import LastStep, Output
from .base import ComparisonResult, cell_class, make_cell, train_model


def memory_comparison(*, seed=0, lengths=(10, 30), cells=("rnn", "lstm", "gru"), hidden_size=16,
                      batch_size=32, steps=600, lr=2e-2, n_test=500, solved_ratio=0.2, progress=None):
    r"""RNN, LSTM and GRU on the adding problem, with the same budget, as the sequence grows.

    Each cell is trained on :func:`rnncourse.datasets.memory.adding_problem`
    (``Sequential(cell, LastStep, Output)``, one value out) for ``steps`` Adam
    updates on fresh batches, with gradients clipped to norm 1, then scored on
    ``n_test`` held-out sequences of the same length. The baseline always
    answers 1, the mean of the target: its MSE is about 1/6. ``ratio`` is the
    model's MSE over the baseline's: near 1 means nothing was learnt; the task
    counts as solved below ``solved_ratio`` (by default when the MSE is under a
    fifth of the baseline's). ``accuracy`` is the share of test
    sums predicted to within 0.04 (Hochreiter & Schmidhuber's 1997 threshold, which they
    applied to a target rescaled to [0, 1]; here it applies to the sum itself).

    With the defaults, on ``T = 10`` all three learn; on ``T = 30`` the Elman RNN
    stays at the baseline (its gradient from the answer back to the first marked
    value vanishes across some 15-30 steps) while LSTM and GRU solve it. Longer
    sequences need more steps, the LSTM's first (at ``T = 50`` it sometimes
    stays at the baseline for 600 steps where the GRU does not). Every cell
    reads the same training and test sequences of a given length, in the same
    order. Separate generators, made from ``seed``, draw each length's sequences
    (from ``(seed, T)``) and each cell's initial weights (from ``(seed, T, cell)``),
    so an entry does not depend on what else the call compares:
    ``memory_comparison(lengths=(30,), cells=("lstm",))`` reproduces the LSTM row
    of the full comparison exactly.

    It stands in for no real data: it is a controlled probe of how far back a
    network can carry one number.

    Parameters
    ----------
    seed : int
    lengths : sequence of int
        Sequence lengths T to try (each >= 2).
    cells : sequence of {"rnn", "lstm", "gru"}
    hidden_size, batch_size : int
    steps : int
        Adam updates per (length, cell), on ``steps * batch_size`` fresh sequences.
    lr : float
    n_test : int
    solved_ratio : float
        ``solved`` when the test MSE is below this share of the baseline's.
    progress : bool, optional

    Returns
    -------
    ComparisonResult
        Rows in the order ``for T in lengths: for cell in cells``.

    Book page: ``book/variants/comparison``.
    """
    seed = check_int("seed", seed, 0)
    for c in cells:
        cell_class(c)
    rows, histories, models = [], {}, {}
    total = 0.0
    for i, T in enumerate(lengths):
        T = check_positive_int(f"lengths[{i}]", T)
        data_rng = np.random.default_rng([seed, T])                      # the same for every cell
        x_tr, y_tr = adding_problem(steps * batch_size, T, rng=data_rng)
        x_te, y_te = adding_problem(check_positive_int("n_test", n_test), T, rng=data_rng)
        baseline = float(np.mean((y_te - 1.0) ** 2))
        batches = [(x_tr[i:i + batch_size], y_tr[i:i + batch_size]) for i in range(0, len(x_tr), batch_size)]
        for c in cells:
            rng = np.random.default_rng([seed, T, int.from_bytes(c.encode(), "little")])   # this cell's weights
            model = Sequential(make_cell(c, 2, hidden_size, rng), LastStep(), Output(hidden_size, 1, rng=rng))
            history, seconds = train_model(model, batches, loss="mse", epochs=1, lr=lr, clip_norm=1.0,
                                           progress=progress, desc=f"{c} T={T}")
            pred, _ = model.forward(x_te)
            mse = float(np.mean((pred - y_te) ** 2))
            rows.append({"length": T, "cell": c, "mse": mse, "baseline_mse": baseline,
                         "ratio": mse / baseline, "accuracy": float(np.mean(np.abs(pred - y_te) < 0.04)),
                         "solved": mse / baseline < solved_ratio, "seconds": seconds})
            histories[(T, c)] = history
            models[(T, c)] = model
            total += seconds
    return ComparisonResult("adding", rows, histories, models, total)
