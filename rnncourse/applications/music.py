"""Music generation: a GRU predicts the next note of a melody, against a bigram baseline.

Taught on the book page ``book/applications/music``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..core.losses import softmax_cross_entropy
from ..core.module import Sequential
from ..datasets import MUSIC_SCALE, music_toy
from ..layers.embedding import Embedding
from ..layers.output import Output
from ..models.language_model import sample
from .base import AppResult, cell_class, make_cell, make_rng, shuffled_batches, train_model


def music(*, seed=0, n_train=1000, n_test=200, seq_len=33, phrase_len=8, embedding_dim=8, hidden_size=48,
          batch_size=16, epochs=12, lr=1e-2, cell="gru", sample_length=32, progress=None):
    r"""A next-note model of melodies, against the bigram (previous note) baseline.

    Melodies of :func:`rnncourse.datasets.toy_perception.music_toy` become scale-degree ids
    (``np.searchsorted(MUSIC_SCALE, pitches)``, 15 classes). An embedding, a GRU
    and an output layer predict the next note at every step (a language model
    over notes). The bigram baseline predicts the note that most often followed
    the current one in training; it knows the random walk's step sizes but not
    *where in the phrase* the melody is, so it misses the cadence (every
    ``phrase_len``-th note is a C), which a recurrent model can learn by counting.

    It stands in for monophonic folk tunes (e.g. the Nottingham collection);
    real melodies have rhythm, keys and repeated motifs.

    Parameters
    ----------
    seed : int
    n_train, n_test : int
        Melodies.
    seq_len : int
        Notes per melody (the model reads ``seq_len - 1`` and predicts as many).
    phrase_len : int
    embedding_dim, hidden_size : int
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).
    sample_length : int
        Notes generated for the example melody.

    Returns
    -------
    AppResult
        ``metrics``: ``accuracy``, ``accuracy_cadence`` (the notes that end a
        phrase), ``bigram_accuracy``, ``bigram_accuracy_cadence``,
        ``unigram_accuracy`` (always the most frequent note),
        ``nats_per_note``, ``bigram_nats_per_note`` (add-one smoothed).
        ``examples``: ``[{"prime": [72], "generated": [...MIDI pitches]}]``.

    Book page: ``book/applications/music``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    L = check_positive_int("phrase_len", phrase_len)
    p_tr = music_toy(check_positive_int("n_train", n_train), seq_len, rng=rng, phrase_len=L)
    p_te = music_toy(check_positive_int("n_test", n_test), seq_len, rng=rng, phrase_len=L)
    ids_tr, ids_te = np.searchsorted(MUSIC_SCALE, p_tr), np.searchsorted(MUSIC_SCALE, p_te)
    C = len(MUSIC_SCALE)
    model = Sequential(Embedding(C, embedding_dim, rng=rng), make_cell(cell, embedding_dim, hidden_size, rng),
                       Output(hidden_size, C, rng=rng))
    history, seconds = train_model(model, shuffled_batches(rng, len(ids_tr), batch_size,
                                                        lambda idx: (ids_tr[idx, :-1], ids_tr[idx, 1:])),
                              loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                              progress=progress, desc="music")
    x, y = ids_te[:, :-1], ids_te[:, 1:]
    logits, _ = model.forward(x)
    pred = logits.argmax(-1)
    nats, _ = softmax_cross_entropy(logits, y)
    pairs = np.zeros((C, C))
    np.add.at(pairs, (ids_tr[:, :-1].ravel(), ids_tr[:, 1:].ravel()), 1.0)
    bigram_pred = pairs.argmax(axis=1)[x]
    smoothed = (pairs + 1.0) / (pairs + 1.0).sum(axis=1, keepdims=True)
    cadence = np.zeros(y.shape, dtype=bool)
    cadence[:, (np.arange(1, seq_len) % L) == L - 1] = True       # y[:, j] is note j + 1
    metrics = {"accuracy": float((pred == y).mean()), "accuracy_cadence": float((pred == y)[cadence].mean()),
               "bigram_accuracy": float((bigram_pred == y).mean()),
               "bigram_accuracy_cadence": float((bigram_pred == y)[cadence].mean()),
               "unigram_accuracy": float((y == np.bincount(ids_tr[:, 1:].ravel(), minlength=C).argmax()).mean()),
               "nats_per_note": nats, "bigram_nats_per_note": float(-np.mean(np.log(smoothed[x, y])))}
    prime = [int(ids_tr[0, 0])]
    gen = sample(model, prime, sample_length, vocab_size=C, rng=rng, encode=lambda ids: ids)
    examples = [{"prime": MUSIC_SCALE[prime].tolist(), "generated": MUSIC_SCALE[gen].tolist()}]
    return AppResult("music", model, history, metrics, examples, seconds)
