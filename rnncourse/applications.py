r"""The applications of the course, each trained end to end on its toy data set in seconds.

Taught on the application pages of the book (``book/applications/<name>``) and on
*Comparing RNN, LSTM and GRU* (``book/variants/comparison``).

Every function here does the whole job a book page shows, with parts of
``rnncourse`` only:

1. make training data *and separate held-out data* with :mod:`rnncourse.datasets`;
2. build the model (embeddings, recurrent layers, output layers, encoder-decoder);
3. train it with :func:`rnncourse.train.fit` and Adam, gradients clipped by
   global norm, the learning rate divided by 10 for the last quarter of the
   epochs (:func:`memory_comparison` keeps it constant);
4. score it on the held-out data next to a simple baseline it has to beat;
5. return an :class:`AppResult`: the trained model, the loss history, the
   metrics, a few examples and the training time.

All arguments are keyword-only. One ``numpy.random.default_rng(seed)`` feeds
everything (data, initial weights, shuffling, sampling), so a call is
reproducible. The default sizes are chosen so that each application trains in
about 2 to 10 seconds on one core. The toy data sets keep the *shape* of the
real problem and drop its difficulty: the numbers say that the model learnt the
toy task, nothing about the real one.

===========================  ======================================  =============================
function                     model                                   held-out metric (baseline)
===========================  ======================================  =============================
:func:`char_language_model`  one-hot -> LSTM -> output, every step   nats per character (unigram)
:func:`sentiment`            embedding -> bidirectional GRU -> pool  accuracy (bag of words)
:func:`translation`          encoder GRU -> decoder GRU (seq2seq)    exact match on unseen numbers
:func:`forecasting`          GRU -> last step -> one value           MSE at 1 and 10 steps (naive)
:func:`speech`               bidirectional GRU -> dense, per frame   frame, sequence accuracy
:func:`handwriting`          GRU -> last step -> 10 digits           accuracy (chance)
:func:`captioning`           image features -> GRU decoder           exact caption (majority)
:func:`music`                embedding -> GRU -> next note           accuracy, cadences (bigram)
:func:`bed_exit`             causal GRU -> alarm, every step         precision, recall, lead time
:func:`memory_comparison`    RNN, LSTM, GRU on the adding problem    MSE / baseline against length
===========================  ======================================  =============================
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_positive_float, check_positive_int
from .bidirectional import Bidirectional
from .classifier import SequenceClassifier
from .datasets import (MUSIC_SCALE, CharVocab, WordVocab, adding_problem, bed_exit_toy,
                       caption_vocabulary, char_lm_batches, captioning_toy, encode_translation_pairs,
                       handwriting_toy, image_features, make_windows, music_toy,
                       noisy_periodic_series, number_to_words, number_vocabularies, one_hot,
                       pad_sequences, sentiment_sentences, speech_toy, tiny_corpus,
                       train_test_split_series)
from .dense import Dense
from .embedding import Embedding
from .forecasting import naive_forecast, recursive_forecast, seasonal_naive_forecast
from .gru import GRU
from .language_model import sample
from .losses import softmax_cross_entropy
from .lstm import LSTM
from .module import Module, Sequential
from .optim import Adam
from .output import LastStep, Output
from .rnn import RNN
from .seq2seq import Seq2Seq
from .train import History, fit

__all__ = ["AppResult", "ComparisonResult", "char_language_model", "sentiment", "translation",
           "forecasting", "speech", "handwriting", "captioning", "music", "bed_exit",
           "memory_comparison", "collapse_repeats", "edit_distance"]

#: The recurrent layer classes the applications can use, by name.
CELLS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}


# ---------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------
@dataclass
class AppResult:
    """What an application function returns.

    Attributes
    ----------
    name : str
        The application, e.g. ``"sentiment"``.
    model : Module
        The trained model (in evaluation mode).
    history : History
        The losses recorded by :func:`rnncourse.train.fit`.
    metrics : dict
        Held-out scores of the model and of its baselines.
    examples : list
        A few held-out inputs with the model's outputs (what they are depends on
        the application; see its docstring).
    seconds : float
        Wall-clock time spent in :func:`rnncourse.train.fit`.
    extras : dict
        Anything else a book page may want to plot (vocabularies, test arrays).

    Book page: ``book/applications/language_model``.
    """

    name: str
    model: Module
    history: History
    metrics: dict
    examples: list
    seconds: float
    extras: dict = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        """The metrics as aligned ``name  value`` lines, and the training time."""
        width = max(len(k) for k in self.metrics) if self.metrics else 0
        lines = [f"{self.name}: trained in {self.seconds:.1f} s"]
        for k, v in self.metrics.items():
            lines.append(f"  {k:<{width}}  {_fmt(v)}")
        return "\n".join(lines)

    def __str__(self):
        return self.summary()


@dataclass
class ComparisonResult:
    """What :func:`memory_comparison` returns: one row per (length, cell).

    Attributes
    ----------
    task : str
        ``"adding"``.
    rows : list of dict
        Keys ``length``, ``cell``, ``mse``, ``baseline_mse``, ``ratio``
        (``mse / baseline_mse``), ``accuracy`` (share of test sums predicted to
        within 0.04), ``solved`` (``ratio < solved_ratio``), ``seconds``.
    histories : dict
        The training history of every (length, cell).
    models : dict
        The trained models.
    seconds : float
        Total training time.

    Book page: ``book/variants/comparison``.
    """

    task: str
    rows: list
    histories: dict = field(repr=False)
    models: dict = field(repr=False)
    seconds: float = 0.0

    def row(self, length, cell) -> dict:
        """The row of one (length, cell) pair."""
        for r in self.rows:
            if r["length"] == length and r["cell"] == cell:
                return r
        raise KeyError(f"no row for length={length}, cell={cell!r}")

    def table(self) -> str:
        """The rows as a plain-text table."""
        head = f"{'length':>6}  {'cell':<5} {'test MSE':>9} {'baseline':>9} {'ratio':>6} " \
               f"{'acc':>5} {'solved':>6} {'seconds':>7}"
        lines = [head, "-" * len(head)]
        for r in self.rows:
            lines.append(f"{r['length']:>6}  {r['cell']:<5} {r['mse']:>9.4f} {r['baseline_mse']:>9.4f} "
                         f"{r['ratio']:>6.3f} {r['accuracy']:>5.2f} {str(r['solved']):>6} "
                         f"{r['seconds']:>7.1f}")
        return "\n".join(lines)

    def __str__(self):
        return self.table()


def _fmt(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.4g}"
    return str(v)


# ---------------------------------------------------------------------------
# small shared helpers
# ---------------------------------------------------------------------------
def _rng(seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {seed!r} ({type(seed).__name__})")
    return np.random.default_rng(int(seed))


def _cell(name):
    if name not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}, got {name!r}")
    return CELLS[name]


def _make_cell(name, input_size, hidden_size, rng):
    cls = _cell(name)
    if cls is LSTM:           # forget gate open at the start: the usual trick (Jozefowicz et al. 2015)
        return LSTM(input_size, hidden_size, rng=rng, forget_bias=1.0)
    return cls(input_size, hidden_size, rng=rng)


def _shuffled_batches(rng, n, batch_size, make_batch):
    """``epoch -> list of batches``: a fresh permutation of ``range(n)`` each epoch, cut into batches."""
    def batches(epoch):
        order = rng.permutation(n)
        return [make_batch(order[i:i + batch_size]) for i in range(0, n, batch_size)]
    return batches


def _train(model, batches, *, loss, epochs, lr, clip_norm, progress, desc, decay_fraction=0.25):
    """Adam + :func:`fit`, the learning rate divided by 10 for the last ``decay_fraction`` of the epochs.

    Returns ``(history, seconds)`` (one merged history) and leaves the model in eval mode.
    """
    epochs = check_positive_int("epochs", epochs)
    n_low = int(round(decay_fraction * epochs)) if epochs > 1 else 0
    optimizer = Adam(model, lr=check_positive_float("lr", lr))
    history = History()
    t0 = time.perf_counter()
    for n, rate, label in ((epochs - n_low, lr, desc), (n_low, lr / 10.0, f"{desc} (lr / 10)")):
        if n == 0:
            continue
        optimizer.lr = rate
        part = fit(model, optimizer, batches, loss=loss, epochs=n, clip_norm=clip_norm,
                   progress=progress, desc=label)
        history.step_losses += part.step_losses
        history.epoch_losses += part.epoch_losses
        history.grad_norms += part.grad_norms
    seconds = time.perf_counter() - t0
    model.eval()
    return history, seconds


def _left_pad(ids, mask, pad_id=0):
    """Move every row's real entries to the end (padding first), keeping their order."""
    out = np.full_like(ids, pad_id)
    new_mask = np.zeros_like(mask)
    T = ids.shape[1]
    for i in range(ids.shape[0]):
        k = int(mask[i].sum())
        out[i, T - k:] = ids[i, mask[i]]
        new_mask[i, T - k:] = True
    return out, new_mask


def _trim_right(mask):
    """Length of the longest real prefix in a batch (right padding)."""
    return int(mask.any(axis=0).nonzero()[0].max()) + 1


def collapse_repeats(ids, blank=None):
    """Merge runs of equal labels, then drop ``blank``: ``[3, 3, 0, 3, 1, 1] -> [3, 3, 1]`` with blank 0.

    This is how a frame labeller's (or a CTC model's) per-frame argmax becomes a
    label sequence. Without a blank two equal neighbours cannot be told apart
    from one long label, which is why CTC adds one.

    Parameters
    ----------
    ids : sequence of int, length T
    blank : int, optional
        A label to remove after merging.

    Returns
    -------
    list of int

    Book page: ``book/applications/speech``.
    """
    out = []
    prev = None
    for k in np.asarray(ids).tolist():
        if k != prev and k != blank:
            out.append(int(k))
        prev = k
    return out


def edit_distance(a, b):
    """Levenshtein distance: the fewest insertions, deletions and substitutions turning ``a`` into ``b``.

    Parameters
    ----------
    a, b : sequences of hashable items

    Returns
    -------
    int

    Book page: ``book/applications/speech``.
    """
    a, b = list(a), list(b)
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _positionwise_accuracy(predicted, targets):
    """Share of target tokens matched at the same position (missing positions count as wrong)."""
    hit = total = 0
    for p, t in zip(predicted, targets):
        total += len(t)
        hit += sum(1 for i, tok in enumerate(t) if i < len(p) and p[i] == tok)
    return hit / total


# ---------------------------------------------------------------------------
# language model
# ---------------------------------------------------------------------------
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
        Passed to :func:`rnncourse.train.fit`.

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
    rng = _rng(seed)
    _cell(cell)
    if not 0.0 < test_fraction <= 0.5:
        raise ValueError(f"test_fraction must be in (0, 0.5], got {test_fraction}")
    text = tiny_corpus()
    vocab = CharVocab(text)            # built on the whole text: held-out characters need an id too
    V = vocab.size
    ids = vocab.encode(text)
    cut = int(round(len(ids) * (1.0 - test_fraction)))
    train_ids, test_ids = ids[:cut], ids[cut:]

    model = Sequential(_make_cell(cell, V, check_positive_int("hidden_size", hidden_size), rng),
                       Output(hidden_size, V, rng=rng))

    def batches(epoch):
        x, y = char_lm_batches(train_ids, seq_len, batch_size, rng=rng)
        return [(one_hot(x[i:i + batch_size], V), y[i:i + batch_size]) for i in range(0, len(x), batch_size)]

    history, seconds = _train(model, batches, loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
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


# ---------------------------------------------------------------------------
# sentiment
# ---------------------------------------------------------------------------
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
    layer (:class:`rnncourse.classifier.SequenceClassifier`). The baseline is a
    logistic regression on word counts (a :class:`~rnncourse.dense.Dense` layer
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
    batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    progress : bool, optional

    Returns
    -------
    AppResult
        ``metrics``: ``accuracy``, ``accuracy_unseen``, ``unseen_fraction``,
        ``accuracy_contrast`` (sentences with *but*), ``accuracy_negated`` (with
        *not*), ``bow_accuracy``, ``bow_accuracy_contrast``, ``bow_accuracy_negated``.
        ``examples``: dicts ``{"sentence", "label", "predicted", "p_positive"}``.

    Book page: ``book/applications/sentiment``.
    """
    rng = _rng(seed)
    _cell(cell)
    train_s, y_tr = sentiment_sentences(check_positive_int("n_train", n_train), rng=rng)
    test_s, y_te = sentiment_sentences(check_positive_int("n_test", n_test), rng=rng)
    vocab = WordVocab(train_s)                        # <pad> = 0, <unk> for words never seen in training
    x_tr, m_tr = vocab.encode_batch(train_s)
    x_te, _ = vocab.encode_batch(test_s)
    V, E, H = vocab.size, embedding_dim, hidden_size
    model = SequenceClassifier(Embedding(V, E, rng=rng),
                               Bidirectional(_make_cell(cell, E, H, rng), _make_cell(cell, E, H, rng)),
                               Dense(2 * H, 2, rng=rng), pad_id=vocab.pad_id, pooling="mean")

    def make_batch(idx):
        return x_tr[idx][:, :_trim_right(m_tr[idx])], y_tr[idx]

    history, seconds = _train(model, _shuffled_batches(rng, len(y_tr), batch_size, make_batch),
                              loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                              progress=progress, desc="sentiment")
    logits, _ = model.forward(x_te)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = p[:, 1] / p.sum(axis=1)
    pred = (p > 0.5).astype(np.int64)

    # baseline: logistic regression on word counts, trained by the same loop
    bow = Dense(V, 2, rng=rng)
    b_tr, b_te = _bag_of_words(x_tr, V), _bag_of_words(x_te, V)
    _train(bow, _shuffled_batches(rng, len(y_tr), batch_size, lambda idx: (b_tr[idx], y_tr[idx])),
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


# ---------------------------------------------------------------------------
# translation
# ---------------------------------------------------------------------------
def translation(*, seed=0, max_value=999, test_fraction=0.2, embedding_dim=16, hidden_size=48,
                batch_size=32, epochs=20, lr=1e-2, cell="gru", progress=None):
    r"""English number words to digits with an encoder-decoder (sequence to sequence).

    ``"three hundred and twelve"`` -> ``3 1 2``. The numbers ``0 .. max_value``
    are shuffled and a ``test_fraction`` of them is held out, so every test
    number is one the model has *never* seen: it must have learnt how the words
    compose. Sources are left-padded (padding first) so that the encoder's final
    state follows the last word; the decoder starts from it, reads ``<bos>`` and
    the previous digit (teacher forcing in training, its own output in greedy
    decoding) and stops at ``<eos>``
    (:class:`rnncourse.seq2seq.Seq2Seq`).

    It stands in for sentence-level machine translation (e.g. WMT English-French);
    here every source has exactly one correct translation.

    Parameters
    ----------
    seed : int
    max_value : int
        Largest number, in [10, 999]; every number up to it is either a
        training or a test pair.
    test_fraction : float
        Share of the numbers held out, in (0, 0.5].
    embedding_dim, hidden_size : int
    batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    progress : bool, optional

    Returns
    -------
    AppResult
        ``metrics``: ``exact_match`` (whole digit string right), ``token_accuracy``
        (digits right at their position), ``teacher_forced_token_accuracy``,
        ``train_exact_match``, ``n_train``, ``n_test``. ``examples``: dicts
        ``{"source", "target", "predicted"}`` (strings).

    Book page: ``book/applications/translation``.
    """
    rng = _rng(seed)
    _cell(cell)
    if not 0.0 < test_fraction <= 0.5:
        raise ValueError(f"test_fraction must be in (0, 0.5], got {test_fraction}")
    if isinstance(max_value, bool) or not isinstance(max_value, (int, np.integer)) or not 10 <= max_value <= 999:
        raise ValueError(f"max_value must be an int in [10, 999], got {max_value!r}")
    values = rng.permutation(max_value + 1)
    n_test = int(round(test_fraction * len(values)))
    splits = {"test": values[:n_test], "train": values[n_test:]}
    src_vocab, tgt_vocab = number_vocabularies(max_value)
    data = {}
    for part, vals in splits.items():
        sources = [number_to_words(int(v)).split() for v in vals]
        targets = [list(str(int(v))) for v in vals]
        src, src_mask, tgt_in, tgt_out, tgt_mask = encode_translation_pairs(sources, targets, src_vocab,
                                                                            tgt_vocab)
        src, _ = _left_pad(src, src_mask, src_vocab.pad_id)
        data[part] = (sources, targets, src, tgt_in, tgt_out, tgt_mask)
    E, H = embedding_dim, hidden_size
    model = Seq2Seq(Embedding(src_vocab.size, E, rng=rng), _make_cell(cell, E, H, rng),
                    Embedding(tgt_vocab.size, E, rng=rng), _make_cell(cell, E, H, rng),
                    Output(H, tgt_vocab.size, rng=rng))
    _, _, src, tgt_in, tgt_out, tgt_mask = data["train"]

    def make_batch(idx):
        return (src[idx], tgt_in[idx]), tgt_out[idx], tgt_mask[idx]

    history, seconds = _train(model, _shuffled_batches(rng, len(src), batch_size, make_batch),
                              loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                              progress=progress, desc="translation")
    bos, eos = tgt_vocab.token_to_id["<bos>"], tgt_vocab.token_to_id["<eos>"]

    def decode(part):
        sources, targets, s, t_in, t_out, t_mask = data[part]
        out = model.greedy_decode(s, bos_id=bos, eos_id=eos, max_len=t_out.shape[1] + 2)
        return [tgt_vocab.decode(o) if o else [] for o in out], targets

    predicted, targets = decode("test")
    train_pred, train_targets = decode("train")
    sources, targets, s, t_in, t_out, t_mask = data["test"]
    logits, _ = model.forward((s, t_in))
    tf_acc = float(((logits.argmax(-1) == t_out) & t_mask).sum() / t_mask.sum())
    metrics = {"exact_match": float(np.mean([p == t for p, t in zip(predicted, targets)])),
               "token_accuracy": _positionwise_accuracy(predicted, targets),
               "teacher_forced_token_accuracy": tf_acc,
               "train_exact_match": float(np.mean([p == t for p, t in zip(train_pred, train_targets)])),
               "n_train": int(len(splits["train"])), "n_test": int(n_test)}
    examples = [{"source": " ".join(sources[i]), "target": "".join(targets[i]),
                 "predicted": "".join(predicted[i])} for i in range(min(8, n_test))]
    return AppResult("translation", model, history, metrics, examples, seconds,
                     extras={"source_vocab": src_vocab, "target_vocab": tgt_vocab})


# ---------------------------------------------------------------------------
# forecasting
# ---------------------------------------------------------------------------
def forecasting(*, seed=0, length=1500, periods=(6.0, 24.0), noise=0.1, window=24, horizon=10,
                hidden_size=24, batch_size=32, epochs=20, lr=1e-2, cell="gru", progress=None):
    r"""One-step forecaster on a noisy periodic series, and a recursive multi-step forecast.

    A series from :func:`rnncourse.datasets.series.noisy_periodic_series` is split in
    time (the last 20 % tests, :func:`~rnncourse.datasets.series.train_test_split_series`),
    standardised with the training part's mean and standard deviation, and cut
    into windows of ``window`` values. The model reads a window and predicts the
    next value; for ``horizon`` steps it feeds its predictions back in
    (:func:`rnncourse.forecasting.recursive_forecast`), so its errors compound.
    It is compared with the naive forecast (last value) and the seasonal naive
    forecast (the value one season earlier; the season is the least common
    multiple of the integer ``periods``), on every test window, at the first and
    the last step of the horizon. Errors are reported in the series' own units.

    It stands in for measurements with daily and sub-daily rhythms (electricity
    demand, temperature); the toy has no trend, no regime change, no gaps.

    Parameters
    ----------
    seed : int
    length : int
        Length of the whole series.
    periods : sequence of float
        Periods of the sine components; whole numbers for the seasonal baseline.
    noise : float
        Standard deviation of the noise (the best possible one-step MSE is ``noise**2``).
    window : int
        Values the model reads; at least the season.
    horizon : int
        Steps of the recursive forecast.
    hidden_size, batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    progress : bool, optional

    Returns
    -------
    AppResult
        ``metrics``: for ``k`` in (1, ``horizon``), ``mse_model_h{k}``,
        ``mse_naive_h{k}``, ``mse_seasonal_h{k}`` and the same with ``mae``;
        ``noise_floor_mse`` (``noise**2``); ``season``. ``examples``: one dict
        per plotted test window, ``{"past", "truth", "model", "naive",
        "seasonal"}`` arrays in the series' units.

    Book page: ``book/applications/forecasting``.
    """
    rng = _rng(seed)
    _cell(cell)
    W = check_positive_int("window", window)
    K = check_positive_int("horizon", horizon)
    if any(float(p) != int(p) for p in periods):
        raise ValueError(f"periods must be whole numbers for the seasonal baseline, got {periods}")
    season = int(np.lcm.reduce([int(p) for p in periods]))
    if W < season:
        raise ValueError(f"window={W} must hold one season ({season} steps) for the seasonal baseline")
    series = noisy_periodic_series(length, rng=rng, periods=tuple(float(p) for p in periods), noise=noise)
    train, test = train_test_split_series(series, 0.2, context=W)
    mu, sd = float(train.mean()), float(train.std())
    x_tr, y_tr = make_windows((train - mu) / sd, W, 1)
    x_te, y_te = make_windows((test - mu) / sd, W, K)
    model = Sequential(_make_cell(cell, 1, hidden_size, rng), LastStep(), Output(hidden_size, 1, rng=rng))
    history, seconds = _train(model, _shuffled_batches(rng, len(x_tr), batch_size,
                                                        lambda idx: (x_tr[idx], y_tr[idx])),
                              loss="mse", epochs=epochs, lr=lr, clip_norm=5.0, progress=progress,
                              desc="forecasting")
    forecasts = {"model": recursive_forecast(model, x_te, K), "naive": naive_forecast(x_te, K),
                 "seasonal": seasonal_naive_forecast(x_te, K, season)}
    metrics = {}
    for k in sorted({1, K}):
        err = {name: (f[:, k - 1] - y_te[:, k - 1]) * sd for name, f in forecasts.items()}
        for name, e in err.items():
            metrics[f"mse_{name}_h{k}"] = float(np.mean(e ** 2))
        for name, e in err.items():
            metrics[f"mae_{name}_h{k}"] = float(np.mean(np.abs(e)))
    metrics["noise_floor_mse"] = float(noise) ** 2
    metrics["season"] = season
    examples = []
    for i in np.linspace(0, len(x_te) - 1, 3).astype(int):
        ex = {"past": x_te[i, :, 0] * sd + mu, "truth": y_te[i] * sd + mu}
        ex.update({name: f[i] * sd + mu for name, f in forecasts.items()})
        examples.append(ex)
    return AppResult("forecasting", model, history, metrics, examples, seconds,
                     extras={"series": series, "mean": mu, "std": sd})


# ---------------------------------------------------------------------------
# speech
# ---------------------------------------------------------------------------
def speech(*, seed=0, n_train=400, n_test=100, n_phonemes=5, hidden_size=16, batch_size=32, epochs=10,
           lr=1e-2, cell="gru", progress=None):
    r"""Frame-by-frame phoneme labelling of toy spectrograms with a bidirectional GRU.

    Each frame of :func:`rnncourse.datasets.toy_perception.speech_toy` gets a phoneme label
    from a bidirectional GRU followed by a dense layer (many-to-many, same
    length): the label of a frame may depend on frames after it, and a recorded
    utterance is available whole, so reading it backwards too is allowed. To
    read off the utterance's phoneme *sequence*, take the most likely label of
    every frame, merge repeats and drop the blank (:func:`collapse_repeats`;
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
    batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    progress : bool, optional

    Returns
    -------
    AppResult
        ``metrics``: ``frame_accuracy``, ``sequence_accuracy``,
        ``phoneme_error_rate``, ``majority_frame_accuracy`` (always the most
        frequent phoneme). ``examples``: dicts ``{"target", "predicted", "frames"}``
        (label lists, and the per-frame argmax).

    Book page: ``book/applications/speech``.
    """
    rng = _rng(seed)
    _cell(cell)
    f_tr, l_tr, m_tr, _ = speech_toy(check_positive_int("n_train", n_train), rng=rng, n_phonemes=n_phonemes)
    f_te, l_te, m_te, seq_te = speech_toy(check_positive_int("n_test", n_test), rng=rng,
                                          n_phonemes=n_phonemes)
    F, H, P = f_tr.shape[2], hidden_size, n_phonemes
    model = Sequential(Bidirectional(_make_cell(cell, F, H, rng), _make_cell(cell, F, H, rng)),
                       Dense(2 * H, P, rng=rng))

    def make_batch(idx):
        T = _trim_right(m_tr[idx])
        return f_tr[idx, :T], l_tr[idx, :T], m_tr[idx, :T]

    history, seconds = _train(model, _shuffled_batches(rng, len(f_tr), batch_size, make_batch),
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


# ---------------------------------------------------------------------------
# handwriting
# ---------------------------------------------------------------------------
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
    hidden_size, batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    progress : bool, optional

    Returns
    -------
    AppResult
        ``metrics``: ``accuracy``, ``chance_accuracy`` (most frequent training
        digit), ``per_digit_accuracy_min``. ``examples``: dicts
        ``{"label", "predicted"}`` of held-out digits, mistakes first.
        ``extras["confusion"]``: the (10, 10) confusion matrix, rows = truth.

    Book page: ``book/applications/handwriting``.
    """
    rng = _rng(seed)
    _cell(cell)
    s_tr, y_tr, m_tr = handwriting_toy(check_positive_int("n_train", n_train), rng=rng)
    s_te, y_te, m_te = handwriting_toy(check_positive_int("n_test", n_test), rng=rng)
    scale = np.array([s_tr[..., :2][m_tr].std(), s_tr[..., :2][m_tr].std(), 1.0])
    x_tr = _left_pad_floats(s_tr / scale, m_tr)
    x_te = _left_pad_floats(s_te / scale, m_te)
    lens_tr = m_tr.sum(axis=1)
    model = Sequential(_make_cell(cell, 3, hidden_size, rng), LastStep(), Output(hidden_size, 10, rng=rng))

    def make_batch(idx):
        T = int(lens_tr[idx].max())
        return x_tr[idx, -T:], y_tr[idx]

    history, seconds = _train(model, _shuffled_batches(rng, len(x_tr), batch_size, make_batch),
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


# ---------------------------------------------------------------------------
# captioning
# ---------------------------------------------------------------------------
def captioning(*, seed=0, n_train=1000, n_test=200, feature_dim=64, embedding_dim=16, hidden_size=64,
               batch_size=32, epochs=40, lr=1e-2, cell="gru", progress=None):
    r"""Image captioning: fixed image features -> the decoder's first state -> a caption.

    Images of :func:`rnncourse.datasets.toy_perception.captioning_toy` go through the fixed
    feature extractor :func:`~rnncourse.datasets.toy_perception.image_features` (standardised
    with the training set's statistics). The feature vector is the one-step
    "source sentence" of an encoder-decoder
    (:class:`rnncourse.seq2seq.Seq2Seq`): a tanh dense layer and one GRU step
    turn it into the decoder's initial state, and the decoder generates the
    caption word by word (teacher forcing in training, greedy decoding on the
    held-out images). This is the *Show and Tell* layout: the image enters once,
    at the start, and everything after is language modelling.

    Within the default budget the colours are learnt almost at once and the
    shapes slowly (they differ only in the mix of edge directions the features
    pool): about half of the held-out captions come out exactly right, most of
    the rest with one shape word wrong. More epochs and images help; so would
    features that keep more of the shapes' outlines.

    It stands in for photographs with written captions (e.g. MS COCO) and a
    pretrained CNN encoder; here each caption is fully determined by its image.

    Parameters
    ----------
    seed : int
    n_train, n_test : int
    feature_dim : int
        Output size of the dense layer on the image features.
    embedding_dim, hidden_size : int
    batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    progress : bool, optional

    Returns
    -------
    AppResult
        ``metrics``: ``exact_caption_accuracy``, ``token_accuracy`` (words right
        at their position), ``exact_one_shape``, ``exact_two_shapes``,
        ``majority_caption_accuracy`` (always the most frequent training
        caption), ``train_exact_caption_accuracy``. ``examples``: dicts ``{"target", "predicted"}`` (strings).
        ``extras["images"]``: the held-out images, for display.

    Book page: ``book/applications/captioning``.
    """
    rng = _rng(seed)
    _cell(cell)
    img_tr, cap_tr = captioning_toy(check_positive_int("n_train", n_train), rng=rng)
    img_te, cap_te = captioning_toy(check_positive_int("n_test", n_test), rng=rng)
    f_tr, f_te = image_features(img_tr), image_features(img_te)
    mu, sd = f_tr.mean(axis=0), f_tr.std(axis=0) + 1e-8
    f_tr, f_te = ((f_tr - mu) / sd)[:, None, :], ((f_te - mu) / sd)[:, None, :]     # (N, 1, F)
    vocab = caption_vocabulary()
    bos, eos = vocab.token_to_id["<bos>"], vocab.token_to_id["<eos>"]
    enc = [vocab.encode(c) for c in cap_tr]
    tgt_in, _ = pad_sequences([[bos] + c for c in enc])
    tgt_out, tgt_mask = pad_sequences([c + [eos] for c in enc])
    F, E, H, V = f_tr.shape[2], embedding_dim, hidden_size, vocab.size
    model = Seq2Seq(Dense(F, feature_dim, "tanh", rng=rng), _make_cell(cell, feature_dim, H, rng),
                    Embedding(V, E, rng=rng), _make_cell(cell, E, H, rng), Output(H, V, rng=rng))

    def make_batch(idx):
        return (f_tr[idx], tgt_in[idx]), tgt_out[idx], tgt_mask[idx]

    history, seconds = _train(model, _shuffled_batches(rng, len(f_tr), batch_size, make_batch),
                              loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                              progress=progress, desc="captioning")

    def decode(features):
        out = model.greedy_decode(features, bos_id=bos, eos_id=eos, max_len=tgt_out.shape[1] + 2)
        return [vocab.decode(o) if o else [] for o in out]

    predicted = decode(f_te)
    train_exact = float(np.mean([p == t for p, t in zip(decode(f_tr), cap_tr)]))
    exact = np.array([p == t for p, t in zip(predicted, cap_te)])
    two = np.array([len(t) > 3 for t in cap_te])
    captions = [" ".join(c) for c in cap_tr]
    most = max(set(captions), key=captions.count)
    metrics = {"exact_caption_accuracy": float(exact.mean()),
               "token_accuracy": _positionwise_accuracy(predicted, cap_te),
               "exact_one_shape": float(exact[~two].mean()) if (~two).any() else float("nan"),
               "exact_two_shapes": float(exact[two].mean()) if two.any() else float("nan"),
               "majority_caption_accuracy": float(np.mean([" ".join(c) == most for c in cap_te])),
               "train_exact_caption_accuracy": train_exact}
    examples = [{"target": " ".join(cap_te[i]), "predicted": " ".join(predicted[i])}
                for i in range(min(8, len(cap_te)))]
    return AppResult("captioning", model, history, metrics, examples, seconds,
                     extras={"images": img_te, "vocab": vocab})


# ---------------------------------------------------------------------------
# music
# ---------------------------------------------------------------------------
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
    embedding_dim, hidden_size, batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
    sample_length : int
        Notes generated for the example melody.
    progress : bool, optional

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
    rng = _rng(seed)
    _cell(cell)
    L = check_positive_int("phrase_len", phrase_len)
    p_tr = music_toy(check_positive_int("n_train", n_train), seq_len, rng=rng, phrase_len=L)
    p_te = music_toy(check_positive_int("n_test", n_test), seq_len, rng=rng, phrase_len=L)
    ids_tr, ids_te = np.searchsorted(MUSIC_SCALE, p_tr), np.searchsorted(MUSIC_SCALE, p_te)
    C = len(MUSIC_SCALE)
    model = Sequential(Embedding(C, embedding_dim, rng=rng), _make_cell(cell, embedding_dim, hidden_size, rng),
                       Output(hidden_size, C, rng=rng))
    history, seconds = _train(model, _shuffled_batches(rng, len(ids_tr), batch_size,
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


# ---------------------------------------------------------------------------
# bed exit
# ---------------------------------------------------------------------------
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
    hidden_size, batch_size, epochs : int
    lr : float
    cell : {"gru", "lstm", "rnn"}
        Always run forwards in time only.
    threshold : float
        In (0, 1): a step is alarmed when :math:`p_t >` ``threshold``.
    hold : int
        Consecutive alarmed steps needed before the alarm fires (1 = at once).
    progress : bool, optional

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
    rng = _rng(seed)
    _cell(cell)
    thr = float(threshold)
    if not 0.0 < thr < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    hold = check_positive_int("hold", hold)
    x_tr, a_tr, _ = bed_exit_toy(check_positive_int("n_train", n_train), seq_len, rng=rng,
                                 warning_steps=warning_steps)
    x_te, a_te, e_te = bed_exit_toy(check_positive_int("n_test", n_test), seq_len, rng=rng,
                                    warning_steps=warning_steps)
    model = Sequential(_make_cell(cell, 3, hidden_size, rng), Output(hidden_size, 2, rng=rng))
    history, seconds = _train(model, _shuffled_batches(rng, len(x_tr), batch_size,
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


# ---------------------------------------------------------------------------
# memory: RNN vs LSTM vs GRU
# ---------------------------------------------------------------------------
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
    sums predicted to within 0.04 (the criterion of Hochreiter & Schmidhuber 1997).

    With the defaults, on ``T = 10`` all three learn; on ``T = 30`` the Elman RNN
    stays at the baseline (its gradient from the answer back to the first marked
    value vanishes across some 15-30 steps) while LSTM and GRU solve it. Longer
    sequences need more steps, the LSTM's first (at ``T = 50`` it sometimes
    stays at the baseline for 600 steps where the GRU does not). Every cell
    reads the same training and test sequences of a given length.

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
    rng = _rng(seed)
    for c in cells:
        _cell(c)
    rows, histories, models = [], {}, {}
    total = 0.0
    for i, T in enumerate(lengths):
        T = check_positive_int(f"lengths[{i}]", T)
        x_tr, y_tr = adding_problem(steps * batch_size, T, rng=rng)
        x_te, y_te = adding_problem(check_positive_int("n_test", n_test), T, rng=rng)
        baseline = float(np.mean((y_te - 1.0) ** 2))
        batches = [(x_tr[i:i + batch_size], y_tr[i:i + batch_size]) for i in range(0, len(x_tr), batch_size)]
        for c in cells:
            model = Sequential(_make_cell(c, 2, hidden_size, rng), LastStep(), Output(hidden_size, 1, rng=rng))
            history, seconds = _train(model, batches, loss="mse", epochs=1, lr=lr, clip_norm=1.0,
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
