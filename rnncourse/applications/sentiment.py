"""Sentiment classification: embedding -> bidirectional GRU -> masked mean pooling, against a bag-of-words baseline.

Taught on the book page ``book/applications/sentiment``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..datasets import WordVocab, sentiment_sentences
from ..layers.dense import Dense
from ..layers.embedding import Embedding
from ..models.bidirectional import Bidirectional
from ..models.classifier import SequenceClassifier
from .base import AppResult, cell_class, make_cell, make_rng, shuffled_batches, train_model, trim_right


def _bag_of_words(token_ids, V):
    """Counts of every word id (padding id 0 dropped): (N, T) -> (N, V)."""
    counts = np.zeros((token_ids.shape[0], V))
    np.add.at(counts, (np.repeat(np.arange(token_ids.shape[0]), token_ids.shape[1]), token_ids.ravel()), 1.0)
    counts[:, 0] = 0.0
    return counts


def sentiment(*, seed=0, n_train=2000, n_test=500, embedding_dim=16, hidden_size=16, batch_size=32,
              epochs=5, lr=1e-2, cell="gru", progress=None):
    r"""Sentence sentiment with a bidirectional recurrent classifier, against a bag of words.

    Sentences of :func:`rnncourse.datasets.text.sentiment_sentences` (negation, and
    "A *but* B" where B decides) are embedded, read by a bidirectional GRU in
    both directions, mean-pooled over the real words and classified by a dense
    layer (:class:`rnncourse.models.classifier.SequenceClassifier`). The baseline is a
    logistic regression on word counts (a :class:`~rnncourse.layers.dense.Dense` layer
    on a bag of words, trained by the same loop). Word order is lost in a bag:
    "the room was good but the view was not good" and "the room was not good but
    the view was good" are the same bag with opposite labels, and *not* flips
    whichever opinion word it meets, which no single weight per word can do.
    So the baseline should stay far below the RNN, worst on *but* sentences.

    Training and test sentences are drawn separately; the generator's space of
    sentences is finite, so some test sentences also occur in training.
    ``accuracy_unseen`` scores only those that do not.

    It stands in for film or product reviews with a rating (e.g. IMDb, SST).

    Parameters
    ----------
    seed : int
    n_train, n_test : int
        Numbers of training and held-out sentences.
    embedding_dim, hidden_size : int
        E, and H per direction.
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).

    Returns
    -------
    AppResult
        ``metrics``: ``accuracy``, ``accuracy_unseen``, ``unseen_fraction``,
        ``accuracy_contrast`` (sentences with *but*), ``accuracy_negated`` (with
        *not*), ``bow_accuracy``, ``bow_accuracy_contrast``, ``bow_accuracy_negated``.
        ``examples``: dicts ``{"sentence", "label", "predicted", "p_positive"}``.

    Book page: ``book/applications/sentiment``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    train_s, y_tr = sentiment_sentences(check_positive_int("n_train", n_train), rng=rng)
    test_s, y_te = sentiment_sentences(check_positive_int("n_test", n_test), rng=rng)
    vocab = WordVocab(train_s)                        # <pad> = 0, <unk> for words never seen in training
    x_tr, m_tr = vocab.encode_batch(train_s)
    x_te, _ = vocab.encode_batch(test_s)
    V, E, H = vocab.size, embedding_dim, hidden_size
    model = SequenceClassifier(Embedding(V, E, rng=rng),
                               Bidirectional(make_cell(cell, E, H, rng), make_cell(cell, E, H, rng)),
                               Dense(2 * H, 2, rng=rng), pad_id=vocab.pad_id, pooling="mean")

    def make_batch(idx):
        return x_tr[idx][:, :trim_right(m_tr[idx])], y_tr[idx]

    history, seconds = train_model(model, shuffled_batches(rng, len(y_tr), batch_size, make_batch),
                                   loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                                   progress=progress, desc="sentiment")
    logits, _ = model.forward(x_te)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = p[:, 1] / p.sum(axis=1)
    pred = (p > 0.5).astype(np.int64)

    # baseline: logistic regression on word counts, trained by the same loop
    bow = Dense(V, 2, rng=rng)
    b_tr, b_te = _bag_of_words(x_tr, V), _bag_of_words(x_te, V)
    train_model(bow, shuffled_batches(rng, len(y_tr), batch_size, lambda idx: (b_tr[idx], y_tr[idx])),
                loss="cross_entropy", epochs=2 * epochs, lr=lr, clip_norm=None, progress=False, desc="bag of words")
    bow_pred = bow.forward(b_te)[0].argmax(axis=1)

    seen = {tuple(s) for s in train_s}
    unseen = np.array([tuple(s) not in seen for s in test_s])
    contrast = np.array(["but" in s for s in test_s])
    negated = np.array(["not" in s for s in test_s])
    correct, bow_correct = pred == y_te, bow_pred == y_te
    metrics = {"accuracy": correct.mean(),
               "accuracy_unseen": correct[unseen].mean() if unseen.any() else float("nan"),
               "unseen_fraction": unseen.mean(),
               "accuracy_contrast": correct[contrast].mean(), "accuracy_negated": correct[negated].mean(),
               "bow_accuracy": bow_correct.mean(), "bow_accuracy_contrast": bow_correct[contrast].mean(),
               "bow_accuracy_negated": bow_correct[negated].mean()}
    metrics = {k: float(v) for k, v in metrics.items()}
    examples = [{"sentence": " ".join(test_s[i]), "label": int(y_te[i]), "predicted": int(pred[i]),
                 "p_positive": float(p[i])} for i in range(min(8, len(test_s)))]
    return AppResult("sentiment", model, history, metrics, examples, seconds,
                     extras={"vocab": vocab, "bow_model": bow})
