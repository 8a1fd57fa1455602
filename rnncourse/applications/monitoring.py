"""Patient monitoring: a causal GRU raises an alarm before a patient leaves the bed.

Taught on the book page ``book/applications/monitoring``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..core.module import Sequential
from ..datasets import bed_exit_toy
from ..layers.output import Output
from .base import AppResult, cell_class, make_cell, make_rng, shuffled_batches, train_model


def bed_exit(*, seed=0, n_train=800, n_test=200, seq_len=60, warning_steps=10, hidden_size=32,
             batch_size=32, epochs=20, lr=1e-2, cell="gru", threshold=0.5, hold=3, progress=None):
    r"""A real-time bed-exit alarm: a *causal* GRU labels every step "about to leave" or not.

    Sequences of :func:`rnncourse.datasets.toy_perception.bed_exit_toy` (3-axis accelerometer
    readings) are read by a unidirectional GRU and an output layer that gives,
    at every step :math:`t`, the probability :math:`p_t` that the alarm label is
    on. A step is *alarmed* when :math:`p_t >` ``threshold``; the alarm *fires*
    (a nurse is called) at the first step that ends ``hold`` consecutive alarmed
    steps, which filters out one-step blips such as a patient turning over.

    **Why causal.** The alarm is useful only if it fires *before* the patient is
    out of bed, while the readings arrive one by one. A bidirectional layer
    would read the future of the recording (the sit-up itself) to decide about
    the present: it would look excellent on recorded data and could not run on
    a ward. A unidirectional layer decides at step :math:`t` from steps
    :math:`\le t` only, exactly what it has in real time.

    Scores on held-out patients: step accuracy, precision and recall of the
    alarmed steps; for the patients who get up, the share for whom the alarm
    fires before the sit-up starts and the median lead (sit-up step minus firing
    step; the labels switch on ``warning_steps`` ahead); for the patients who
    stay (half of whom turn over in bed), the share for whom it fires at all.

    It stands in for wearable or bed-sensor accelerometry used to warn nurses
    that a patient at risk of falling is getting up; real signals are far noisier.

    Parameters
    ----------
    seed : int
    n_train, n_test : int
        Patients (sequences).
    seq_len : int
        Steps per sequence.
    warning_steps : int
        How many steps before the sit-up the alarm label turns on.
    hidden_size : int
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`);
        the layer always runs forwards in time only.
    threshold : float
        In (0, 1): a step is alarmed when :math:`p_t >` ``threshold``.
    hold : int
        Consecutive alarmed steps needed before the alarm fires (1 = at once).

    Returns
    -------
    AppResult
        ``metrics``: ``step_accuracy``, ``precision``, ``recall`` (per step),
        ``exits_alarmed_before_exit``, ``median_lead_steps`` (patients who get
        up), ``false_alarm_patients`` (share of stayers for whom the alarm
        fires), ``majority_step_accuracy`` (never alarm). ``examples``: dicts
        ``{"exit_step", "fires_at", "alarm_prob"}`` for a few test patients
        (-1: no exit / never fires); ``alarm_prob`` has shape (T,).

    Book page: ``book/applications/monitoring``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    thr = float(threshold)
    if not 0.0 < thr < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    hold = check_positive_int("hold", hold)
    x_tr, a_tr, _ = bed_exit_toy(check_positive_int("n_train", n_train), seq_len, rng=rng,
                                 warning_steps=warning_steps)
    x_te, a_te, e_te = bed_exit_toy(check_positive_int("n_test", n_test), seq_len, rng=rng,
                                    warning_steps=warning_steps)
    model = Sequential(make_cell(cell, 3, hidden_size, rng), Output(hidden_size, 2, rng=rng))
    history, seconds = train_model(model, shuffled_batches(rng, len(x_tr), batch_size,
                                                        lambda idx: (x_tr[idx], a_tr[idx])),
                              loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                              progress=progress, desc="bed exit")
    logits, _ = model.forward(x_te)
    prob = 1.0 / (1.0 + np.exp(logits[..., 0] - logits[..., 1]))     # softmax of two classes
    alarmed = prob > thr
    truth = a_te.astype(bool)
    tp = int((alarmed & truth).sum())
    # run[t] = number of consecutive alarmed steps ending at t; the alarm fires where it reaches `hold`
    run = np.zeros(alarmed.shape, dtype=np.int64)
    for t in range(alarmed.shape[1]):
        run[:, t] = np.where(alarmed[:, t], (run[:, t - 1] if t else 0) + 1, 0)
    fired = run >= hold
    fires_at = np.where(fired.any(axis=1), fired.argmax(axis=1), -1)
    exits = e_te >= 0
    before = exits & (fires_at >= 0) & (fires_at < e_te)
    leads = (e_te - fires_at)[before]
    metrics = {"step_accuracy": float((alarmed == truth).mean()),
               "precision": tp / max(int(alarmed.sum()), 1),
               "recall": tp / max(int(truth.sum()), 1),
               "exits_alarmed_before_exit": float(before[exits].mean()) if exits.any() else float("nan"),
               "median_lead_steps": float(np.median(leads)) if leads.size else float("nan"),
               "false_alarm_patients": float((fires_at[~exits] >= 0).mean()) if (~exits).any() else float("nan"),
               "majority_step_accuracy": float((~truth).mean())}
    examples = [{"exit_step": int(e_te[i]), "fires_at": int(fires_at[i]), "alarm_prob": prob[i]}
                for i in range(min(6, len(e_te)))]
    return AppResult("bed_exit", model, history, metrics, examples, seconds,
                     extras={"x_test": x_te, "alarm_test": a_te, "exit_step_test": e_te})
