"""Speech recognition, toy version: a bidirectional GRU labels every frame of a spectrogram with a phoneme.

Taught on the book page ``book/applications/speech``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..core.module import Sequential
from ..datasets import speech_toy
from ..layers.dense import Dense
from ..models.bidirectional import Bidirectional
from .base import (AppResult, cell_class, collapse_repeats, edit_distance, make_cell, make_rng,
                   shuffled_batches, train_model, trim_right)


def speech(*, seed=0, n_train=400, n_test=100, n_phonemes=5, hidden_size=16, batch_size=32, epochs=10,
           lr=1e-2, cell="gru", progress=None):
    r"""Frame-by-frame phoneme labelling of toy spectrograms with a bidirectional GRU.

    Each frame of :func:`rnncourse.datasets.toy_perception.speech_toy` gets a phoneme label
    from a bidirectional GRU followed by a dense layer (many-to-many, same
    length): the label of a frame may depend on frames after it, and a recorded
    utterance is available whole, so reading it backwards too is allowed. To
    read off the utterance's phoneme *sequence*, take the most likely label of
    every frame, merge repeats and drop the blank (:func:`~rnncourse.applications.base.collapse_repeats`;
    frame labelling has no blank, a CTC model would add one). Padding frames
    are zeros at the end; the backward direction reads them first, in training
    as in testing, and the loss and the scores skip them. Scores: frame
    accuracy, sequence accuracy (the whole collapsed sequence right) and the
    phoneme error rate (edit distance / reference length).

    It stands in for acoustic models on log-mel frames with a phoneme alignment
    (e.g. TIMIT); real phonemes overlap far more and have no clean boundaries.

    Parameters
    ----------
    seed : int
    n_train, n_test : int
    n_phonemes : int
    hidden_size : int
        H per direction.
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).

    Returns
    -------
    AppResult
        ``metrics``: ``frame_accuracy``, ``sequence_accuracy``,
        ``phoneme_error_rate``, ``majority_frame_accuracy`` (always the most
        frequent phoneme). ``examples``: dicts ``{"target", "predicted", "frames"}``
        (label lists, and the per-frame argmax).

    Book page: ``book/applications/speech``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    f_tr, l_tr, m_tr, _ = speech_toy(check_positive_int("n_train", n_train), rng=rng, n_phonemes=n_phonemes)
    f_te, l_te, m_te, seq_te = speech_toy(check_positive_int("n_test", n_test), rng=rng,
                                          n_phonemes=n_phonemes)
    F, H, P = f_tr.shape[2], hidden_size, n_phonemes
    model = Sequential(Bidirectional(make_cell(cell, F, H, rng), make_cell(cell, F, H, rng)),
                       Dense(2 * H, P, rng=rng))

    def make_batch(idx):
        T = trim_right(m_tr[idx])
        return f_tr[idx, :T], l_tr[idx, :T], m_tr[idx, :T]

    history, seconds = train_model(model, shuffled_batches(rng, len(f_tr), batch_size, make_batch),
                                   loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                                   progress=progress, desc="speech")
    logits, _ = model.forward(f_te)
    frames = logits.argmax(-1)
    frame_acc = float((frames == l_te)[m_te].mean())
    decoded = [collapse_repeats(frames[i, m_te[i]]) for i in range(len(f_te))]
    targets = [s.tolist() for s in seq_te]
    errors = sum(edit_distance(d, t) for d, t in zip(decoded, targets))
    majority = np.bincount(l_tr[m_tr], minlength=P).argmax()
    metrics = {"frame_accuracy": frame_acc,
               "sequence_accuracy": float(np.mean([d == t for d, t in zip(decoded, targets)])),
               "phoneme_error_rate": errors / sum(len(t) for t in targets),
               "majority_frame_accuracy": float((l_te[m_te] == majority).mean())}
    examples = [{"target": targets[i], "predicted": decoded[i], "frames": frames[i, m_te[i]].tolist()}
                for i in range(min(6, len(targets)))]
    return AppResult("speech", model, history, metrics, examples, seconds)
