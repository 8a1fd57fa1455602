"""Handwriting recognition, toy version: a GRU reads pen strokes and names the digit.

Taught on the book page ``book/applications/handwriting``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..core.module import Sequential
from ..datasets import handwriting_toy
from ..layers.output import LastStep, Output
from .base import AppResult, cell_class, make_cell, make_rng, shuffled_batches, train_model


def _left_pad_floats(x, mask):
    """Move every sequence's real steps to the end of the time axis (zeros first)."""
    out = np.zeros_like(x)
    T = x.shape[1]
    for i in range(len(x)):
        k = int(mask[i].sum())
        out[i, T - k:] = x[i, :k]
    return out


def handwriting(*, seed=0, n_train=500, n_test=300, hidden_size=32, batch_size=32, epochs=10, lr=1e-2,
                cell="gru", progress=None):
    r"""Online handwriting: pen strokes -> which digit, with a many-to-one GRU.

    The strokes of :func:`rnncourse.datasets.toy_perception.handwriting_toy` (pen offsets and
    a pen-up flag per step) are scaled by the training set's offset standard
    deviation and *left*-padded (zeros first), so that every sequence ends on
    its last real step; a GRU reads them and its last hidden state is
    classified into ten digits (``Sequential(GRU, LastStep, Output)``).

    It stands in for pen trajectories from a tablet (e.g. UNIPEN); real
    handwriting has joined letters and far more variety between writers.

    Parameters
    ----------
    seed : int
    n_train, n_test : int
    hidden_size : int
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).

    Returns
    -------
    AppResult
        ``metrics``: ``accuracy``, ``chance_accuracy`` (most frequent training
        digit), ``per_digit_accuracy_min``. ``examples``: dicts
        ``{"label", "predicted"}`` of held-out digits, mistakes first.
        ``extras["confusion"]``: the (10, 10) confusion matrix, rows = truth.

    Book page: ``book/applications/handwriting``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    s_tr, y_tr, m_tr = handwriting_toy(check_positive_int("n_train", n_train), rng=rng)
    s_te, y_te, m_te = handwriting_toy(check_positive_int("n_test", n_test), rng=rng)
    scale = np.array([s_tr[..., :2][m_tr].std(), s_tr[..., :2][m_tr].std(), 1.0])
    x_tr = _left_pad_floats(s_tr / scale, m_tr)
    x_te = _left_pad_floats(s_te / scale, m_te)
    lens_tr = m_tr.sum(axis=1)
    model = Sequential(make_cell(cell, 3, hidden_size, rng), LastStep(), Output(hidden_size, 10, rng=rng))

    def make_batch(idx):
        T = int(lens_tr[idx].max())
        return x_tr[idx, -T:], y_tr[idx]

    history, seconds = train_model(model, shuffled_batches(rng, len(x_tr), batch_size, make_batch),
                                   loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                                   progress=progress, desc="handwriting")
    pred = model.forward(x_te)[0].argmax(axis=1)
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (y_te, pred), 1)
    per_digit = np.diag(confusion) / np.maximum(confusion.sum(axis=1), 1)
    metrics = {"accuracy": float((pred == y_te).mean()),
               "chance_accuracy": float((y_te == np.bincount(y_tr, minlength=10).argmax()).mean()),
               "per_digit_accuracy_min": float(per_digit[confusion.sum(axis=1) > 0].min())}
    order = np.argsort(pred == y_te, kind="stable")[:8]
    examples = [{"label": int(y_te[i]), "predicted": int(pred[i])} for i in order]
    return AppResult("handwriting", model, history, metrics, examples, seconds,
                     extras={"confusion": confusion})
