"""A character-level language model: one-hot -> LSTM -> output at every step, scored in nats per character against a unigram model.

Taught on the book page ``book/applications/language_model``.
"""
from __future__ import annotations

import math

import numpy as np

from ..core.checks import check_positive_int
from ..core.losses import softmax_cross_entropy
from ..core.module import Sequential
from ..datasets import CharVocab, char_lm_batches, one_hot, tiny_corpus
from ..layers.output import Output
from ..models.language_model import sample
from .base import AppResult, cell_class, make_cell, make_rng, train_model


def char_language_model(*, seed=0, hidden_size=64, seq_len=32, batch_size=16, epochs=40, lr=1e-2,
                        test_fraction=0.1, cell="lstm", prime="The keeper", sample_length=160,
                        temperatures=(0.5, 1.0, 1.5), progress=None):
    r"""A character-level language model on the course's short story.

    The text of :func:`rnncourse.datasets.text.tiny_corpus` is split in two: the first
    ``1 - test_fraction`` trains, the rest is held out. The model reads one-hot
    characters and predicts the next one at every step,

    .. math::

        p(c_{t+1} \mid c_{\le t}) = \operatorname{softmax}(W_{hy} h_t + b_y), \qquad
        h_t = \operatorname{LSTM}(\operatorname{onehot}(c_t), h_{t-1}),

    trained with cross-entropy on random chunks of ``seq_len`` characters (full
    BPTT within a chunk). It is scored by the cross-entropy per character of the
    held-out text, read in one pass from a zero state, against the *unigram*
    baseline that ignores the context (the training text's character
    frequencies, add-one smoothed). One nat is :math:`1/\ln 2` bits.

    It stands in for language models trained on books or the web; 3.6 KB of
    training text is enough for spelling and frequent words, not for grammar.

    Parameters
    ----------
    seed : int
        Seeds the one random generator used for everything.
    hidden_size : int
        H.
    seq_len : int
        Characters per training chunk.
    batch_size : int
    epochs : int
        Passes over the training text (each with fresh chunk boundaries).
    lr : float
        Adam's learning rate.
    test_fraction : float
        Share of the text (at its end) held out, in (0, 0.5].
    cell : {"lstm", "gru", "rnn"}
    prime : str
        Text that starts every sample.
    sample_length : int
        Characters generated per sample.
    temperatures : sequence of float
        One sample per temperature.
    progress : bool, optional
        Passed to :func:`rnncourse.core.train.fit`.

    Returns
    -------
    AppResult
        ``metrics``: ``test_nats_per_char``, ``test_bits_per_char``,
        ``unigram_nats_per_char``, ``unigram_bits_per_char``, ``test_perplexity``,
        ``train_chars``, ``test_chars``. ``examples``: one
        ``{"temperature": tau, "text": prime + sample}`` per temperature.
        ``extras["vocab"]``: the :class:`~rnncourse.datasets.text.CharVocab`.

    Book page: ``book/applications/language_model``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    if not 0.0 < test_fraction <= 0.5:
        raise ValueError(f"test_fraction must be in (0, 0.5], got {test_fraction}")
    text = tiny_corpus()
    vocab = CharVocab(text)            # built on the whole text: held-out characters need an id too
    V = vocab.size
    ids = vocab.encode(text)
    cut = int(round(len(ids) * (1.0 - test_fraction)))
    train_ids, test_ids = ids[:cut], ids[cut:]

    model = Sequential(make_cell(cell, V, check_positive_int("hidden_size", hidden_size), rng),
                       Output(hidden_size, V, rng=rng))

    def batches(epoch):
        x, y = char_lm_batches(train_ids, seq_len, batch_size, rng=rng)
        return [(one_hot(x[i:i + batch_size], V), y[i:i + batch_size]) for i in range(0, len(x), batch_size)]

    history, seconds = train_model(model, batches, loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                                   progress=progress, desc="char LM")

    # held-out: read the test text in one pass; the first input is the last training character
    logits, _ = model.forward(one_hot(ids[cut - 1:-1][None, :], V))
    nats, _ = softmax_cross_entropy(logits, test_ids[None, :])
    counts = np.bincount(train_ids, minlength=V) + 1.0
    unigram = -float(np.mean(np.log(counts / counts.sum())[test_ids]))
    metrics = {"test_nats_per_char": nats, "test_bits_per_char": nats / math.log(2),
               "unigram_nats_per_char": unigram, "unigram_bits_per_char": unigram / math.log(2),
               "test_perplexity": math.exp(nats), "train_chars": int(len(train_ids)),
               "test_chars": int(len(test_ids))}
    examples = []
    for tau in temperatures:
        out = sample(model, vocab.encode(prime), sample_length, vocab_size=V, rng=rng,
                     temperature=float(tau))
        examples.append({"temperature": float(tau), "text": prime + vocab.decode(out)})
    return AppResult("char_language_model", model, history, metrics, examples, seconds,
                     extras={"vocab": vocab, "test_text": vocab.decode(test_ids)})
