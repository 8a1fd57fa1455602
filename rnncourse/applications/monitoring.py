"""Patient monitoring: a causal GRU raises an alarm before a patient leaves the bed.

Taught on the book page ``book/applications/monitoring``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, as_int_array, check_positive_int, check_real
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

    Scores on held-out patients (:func:`step_scores`): step accuracy, precision
    and recall of the alarmed steps *before the sit-up starts* (the steps where
    an alarm is still a warning); for the patients who get up, the share for whom the alarm
    fires before the sit-up starts and the median lead (sit-up step minus firing
    step; the labels switch on ``warning_steps`` ahead); for the patients who
    stay (half of whom turn over in bed), the share for whom it fires at all.

    It stands in for wearable or bed-sensor accelerometry used to warn nurses
    that a patient at risk of falling is getting up; real signals are far noisier.

    Parameters
    ----------
    n_train, n_test : int
        Patients (sequences).
    seq_len : int
        Steps per sequence.
    warning_steps : int
        How many steps before the sit-up the alarm label turns on.
    hidden_size : int
    seed, batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`);
        the layer always runs forwards in time only.
    threshold : float
        In (0, 1): a step is alarmed when :math:`p_t >` ``threshold``.
    hold : int
        Consecutive alarmed steps needed before the alarm fires (1 = at once).

    Returns
    -------
    AppResult
        ``metrics``: the scores of :func:`step_scores` (per step, before the
        sit-up; and the inflated ones over every step),
        ``exits_alarmed_before_exit``, ``median_lead_steps`` (patients who get
        up), ``false_alarm_patients`` (share of stayers for whom the alarm
        fires). ``examples``: dicts
        ``{"exit_step", "fires_at", "alarm_prob"}`` for a few test patients
        (-1: no exit / never fires); ``alarm_prob`` has shape (T,).

    Book page: ``book/applications/monitoring``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    thr = check_real("threshold", threshold, 0.0, 1.0, low_open=True, high_open=True)
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
    fires_at = alarm_fires_at(prob, thr, hold)
    exits = e_te >= 0
    before = exits & (fires_at >= 0) & (fires_at < e_te)
    leads = (e_te - fires_at)[before]
    metrics = {**step_scores(alarmed, a_te, e_te),
               "exits_alarmed_before_exit": float(before[exits].mean()) if exits.any() else float("nan"),
               "median_lead_steps": float(np.median(leads)) if leads.size else float("nan"),
               "false_alarm_patients": float((fires_at[~exits] >= 0).mean()) if (~exits).any() else float("nan")}
    examples = [{"exit_step": int(e_te[i]), "fires_at": int(fires_at[i]), "alarm_prob": prob[i]}
                for i in range(min(6, len(e_te)))]
    return AppResult("bed_exit", model, history, metrics, examples, seconds,
                     extras={"x_test": x_te, "alarm_test": a_te, "exit_step_test": e_te})


def alarm_fires_at(prob, threshold=0.5, hold=3):
    """The step at which the alarm policy calls the nurse, per patient.

    A step is alarmed when ``prob > threshold``; the alarm fires at the first step
    that ends ``hold`` consecutive alarmed steps.

    Parameters
    ----------
    prob : ndarray, shape (N, T)
        Alarm probabilities in [0, 1], one per patient and step.
    threshold : float
        In (0, 1).
    hold : int
        >= 1 consecutive alarmed steps (1 = fire at the first alarmed step).

    Returns
    -------
    ndarray, shape (N,), int64
        The firing step of each patient, -1 where the alarm never fires.

    Book page: ``book/applications/monitoring``.
    """
    prob = as_float_array("prob", prob, ndim=2)
    if prob.min() < 0.0 or prob.max() > 1.0:
        raise ValueError(f"prob must hold probabilities in [0, 1], got values from {prob.min():g} to {prob.max():g}")
    thr = check_real("threshold", threshold, 0.0, 1.0, low_open=True, high_open=True)
    hold = check_positive_int("hold", hold)
    alarmed = prob > thr
    # run[:, t] = number of consecutive alarmed steps ending at t; the alarm fires where it reaches `hold`
    run = np.zeros(alarmed.shape, dtype=np.int64)
    for t in range(alarmed.shape[1]):
        run[:, t] = np.where(alarmed[:, t], (run[:, t - 1] if t else 0) + 1, 0)
    fired = run >= hold
    return np.where(fired.any(axis=1), fired.argmax(axis=1), -1).astype(np.int64)


def step_scores(alarmed, alarm, exit_step):
    """Per-step scores of an alarm, counted where a warning can still be given.

    The alarm label of a patient who gets up stays 1 from ``exit_step - W`` to the
    end of the recording, sitting included, so that a model is not trained to
    switch the alarm off once the patient sits. But an alarm raised while the
    patient is sitting up warns nobody, and it is trivially easy (gravity has
    turned). The scores therefore count only the *judged* steps: every step of a
    patient who stays, and the steps before ``exit_step`` of one who gets up. The
    positives among them are the warning period, the ``W`` steps before the sit-up.
    For comparison, the same scores over every step (what counting everything
    would report) carry the suffix ``_all_steps``.

    Parameters
    ----------
    alarmed : ndarray, shape (N, T), bool
        Whether the model alarms at each step.
    alarm : ndarray, shape (N, T), int
        The label, 0 or 1 (:func:`rnncourse.datasets.toy_perception.bed_exit_toy`).
    exit_step : ndarray, shape (N,), int
        First step of the sit-up, -1 for a patient who stays.

    Returns
    -------
    dict of str to float
        ``step_accuracy``, ``precision``, ``recall``, ``majority_step_accuracy``
        (never alarm) over the judged steps; ``step_accuracy_all_steps`` and
        ``recall_all_steps`` over every step.

    Book page: ``book/applications/monitoring``.
    """
    if not isinstance(alarmed, np.ndarray) or alarmed.dtype != bool or alarmed.ndim != 2 or alarmed.size == 0:
        raise TypeError("alarmed must be a non-empty 2-D boolean array (N, T), e.g. prob > threshold, "
                        f"got {type(alarmed).__name__} {getattr(alarmed, 'dtype', '')} {getattr(alarmed, 'shape', '')}")
    N, T = alarmed.shape
    truth = as_int_array("alarm", alarm, shape=(N, T), low=0, high=2).astype(bool)
    exit_step = as_int_array("exit_step", exit_step, shape=(N,), low=-1, high=T)
    steps = np.arange(T)
    judged = np.where(exit_step[:, None] >= 0, steps < exit_step[:, None], True)      # (N, T)
    a, y = alarmed[judged], truth[judged]
    tp = int((a & y).sum())
    return {"step_accuracy": float((a == y).mean()),
            "precision": tp / max(int(a.sum()), 1),
            "recall": tp / max(int(y.sum()), 1),
            "majority_step_accuracy": float((~y).mean()),
            "step_accuracy_all_steps": float((alarmed == truth).mean()),
            "recall_all_steps": int((alarmed & truth).sum()) / max(int(truth.sum()), 1)}
