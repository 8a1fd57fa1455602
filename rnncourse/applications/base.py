"""What every application shares: the result types, training with Adam, and small helpers.

Taught on the application pages of the book (``book/applications/<name>``).

An application module (one per page) builds its data with :mod:`rnncourse.datasets`,
its model from the layers, trains it with :func:`train_model` and returns an
:class:`AppResult` (or a :class:`ComparisonResult`). A new application is a new
module next to the others, built on these pieces.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..cells.gru import GRU
from ..cells.lstm import LSTM
from ..cells.mingru import MinGRU
from ..cells.rnn import RNN
from ..core.checks import (as_int_array, as_mask, check_callable, check_choice, check_instance, check_int,
                           check_positive_float, check_positive_int, check_real, check_rng)
from ..core.module import Module
from ..core.optim import Adam
from ..core.train import History, fit


#: The recurrent layer classes the applications can use, by name.
CELLS = {"rnn": RNN, "lstm": LSTM, "gru": GRU, "mingru": MinGRU}


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
        The losses recorded by :func:`rnncourse.core.train.fit`.
    metrics : dict
        Held-out scores of the model and of its baselines.
    examples : list
        A few held-out inputs with the model's outputs (what they are depends on
        the application; see its docstring).
    seconds : float
        Wall-clock time spent in :func:`rnncourse.core.train.fit`.
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
            lines.append(f"  {k:<{width}}  {format_metric(v)}")
        return "\n".join(lines)

    def __str__(self):
        return self.summary()


@dataclass
class ComparisonResult:
    """What a comparison of models returns: one row per (length, model).

    Attributes
    ----------
    task : str
        ``"adding"`` (:func:`~rnncourse.applications.memory.memory_comparison`) or
        ``"translation-by-length"`` (:func:`~rnncourse.applications.translation.attention_comparison`).
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
        """The rows as a plain-text table (the adding problem's columns, or every key of the rows)."""
        if self.task != "adding":
            keys = list(self.rows[0]) if self.rows else []
            cells = [[format_metric(r[k]) for k in keys] for r in self.rows]
            widths = [max([len(k)] + [len(c[i]) for c in cells]) for i, k in enumerate(keys)]
            lines = ["  ".join(k.rjust(w) for k, w in zip(keys, widths))]
            lines.append("-" * len(lines[0]))
            lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
            return "\n".join(lines)
        head = f"{'length':>6}  {'cell':<6} {'test MSE':>9} {'baseline':>9} {'ratio':>6} " \
               f"{'acc':>5} {'solved':>6} {'seconds':>7}"
        lines = [head, "-" * len(head)]
        for r in self.rows:
            lines.append(f"{r['length']:>6}  {r['cell']:<6} {r['mse']:>9.4f} {r['baseline_mse']:>9.4f} "
                         f"{r['ratio']:>6.3f} {r['accuracy']:>5.2f} {str(r['solved']):>6} "
                         f"{r['seconds']:>7.1f}")
        return "\n".join(lines)

    def __str__(self):
        return self.table()


def format_metric(v):
    """A metric as short text: booleans and integers as they are, floats to 4 significant digits.

    Parameters
    ----------
    v : bool, int, float or object

    Returns
    -------
    str

    Book page: ``book/applications/language_model``.
    """
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.4g}"
    return str(v)


# ---------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------
def make_rng(seed):
    """The one generator of an application: ``numpy.random.default_rng(seed)`` after checking ``seed``.

    Parameters
    ----------
    seed : int >= 0

    Returns
    -------
    numpy.random.Generator

    Book page: ``book/applications/language_model``.
    """
    return np.random.default_rng(check_int("seed", seed, 0))


def cell_class(cell):
    """The recurrent layer class called ``cell`` in :data:`CELLS`; a ValueError names the choices.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}

    Returns
    -------
    type

    Book page: ``book/variants/comparison``.
    """
    return CELLS[check_choice("cell", cell, tuple(sorted(CELLS)))]


def make_cell(cell, input_size, hidden_size, rng):
    """A recurrent layer ``cell`` (D = ``input_size``, H = ``hidden_size``); an LSTM gets ``forget_bias=1``.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    input_size, hidden_size : int
    rng : numpy.random.Generator

    Returns
    -------
    RecurrentLayer

    Book page: ``book/variants/comparison``.
    """
    cls = cell_class(cell)
    if cls is LSTM:           # forget gate open at the start: the usual trick (Jozefowicz et al. 2015)
        return LSTM(input_size, hidden_size, rng=rng, forget_bias=1.0)
    return cls(input_size, hidden_size, rng=rng)


def shuffled_batches(rng, n, batch_size, make_batch):
    """``epoch -> list of batches``: a fresh permutation of ``range(n)`` each epoch, cut into batches.

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws the permutations.
    n, batch_size : int
        Number of examples, and examples per batch (the last batch may be smaller).
    make_batch : callable
        ``make_batch(indices) -> (x, y)`` for an int array of example indices.

    Returns
    -------
    callable
        ``batches(epoch) -> list of (x, y)``, as :func:`rnncourse.core.train.fit` takes it.

    Book page: ``book/applications/language_model``.
    """
    check_rng("rng", rng)
    n = check_positive_int("n", n)
    batch_size = check_positive_int("batch_size", batch_size)
    check_callable("make_batch", make_batch)

    def batches(epoch):
        order = rng.permutation(n)
        return [make_batch(order[i:i + batch_size]) for i in range(0, n, batch_size)]
    return batches


def train_model(model, batches, *, loss, epochs, lr, clip_norm, progress, desc, decay_fraction=0.25):
    """Adam + :func:`~rnncourse.core.train.fit`, the learning rate divided by 10 for the last ``decay_fraction`` of the epochs.

    Parameters
    ----------
    model : Module
    batches : callable or list
        As :func:`~rnncourse.core.train.fit` takes them.
    loss : str
        ``"cross_entropy"`` or ``"mse"``.
    epochs : int
    lr : float
        Adam's learning rate for the first epochs.
    clip_norm : float or None
        Global-norm clipping threshold.
    progress : bool or None
    desc : str
        Label of the progress bar.
    decay_fraction : float
        Share of the epochs trained at ``lr / 10``.

    Returns
    -------
    history : History
        The two parts of training merged into one.
    seconds : float
        Wall-clock training time. The model is left in evaluation mode.

    Book page: ``book/applications/language_model``.
    """
    check_instance("model", model, Module, "an rnncourse Module (a layer or a Sequential)")
    epochs = check_positive_int("epochs", epochs)
    lr = check_positive_float("lr", lr)
    decay_fraction = check_real("decay_fraction", decay_fraction, 0.0, 1.0)
    n_low = int(round(decay_fraction * epochs)) if epochs > 1 else 0
    optimizer = Adam(model, lr=lr)
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


def left_pad(ids, mask, pad_id=0):
    """Move every row's real entries to the end (padding first), keeping their order.

    Parameters
    ----------
    ids : ndarray of int, shape (N, T)
    mask : ndarray of bool (or 0/1), shape (N, T)
        True at real entries.
    pad_id : int >= 0

    Returns
    -------
    ids : ndarray, shape (N, T), dtype of ``ids``
    mask : ndarray of bool, shape (N, T)

    Book page: ``book/applications/translation``.
    """
    ids = as_int_array("ids", ids, ndim=2)
    mask = as_mask("mask", mask, ids.shape)
    pad_id = check_int("pad_id", pad_id, 0)
    out = np.full_like(ids, pad_id)
    new_mask = np.zeros_like(mask)
    T = ids.shape[1]
    for i in range(ids.shape[0]):
        k = int(mask[i].sum())
        out[i, T - k:] = ids[i, mask[i]]
        new_mask[i, T - k:] = True
    return out, new_mask


def trim_right(mask):
    """Length of the longest real prefix in a batch (right padding): the columns worth keeping.

    Parameters
    ----------
    mask : ndarray of bool (or 0/1), shape (N, T), at least one True

    Returns
    -------
    int

    Book page: ``book/applications/sentiment``.
    """
    mask = as_mask("mask", mask, (None, None))
    return int(mask.any(axis=0).nonzero()[0].max()) + 1


def collapse_repeats(ids, blank=None):
    """Merge runs of equal labels, then drop ``blank``: ``[3, 3, 0, 3, 1, 1] -> [3, 3, 1]`` with blank 0.

    This is how a frame labeller's (or a CTC model's) per-frame argmax becomes a
    label sequence. Without a blank two equal neighbours cannot be told apart
    from one long label, which is why CTC adds one.

    Parameters
    ----------
    ids : sequence of int, length T (an empty sequence gives an empty list)
    blank : int, optional
        A label to remove after merging.

    Returns
    -------
    list of int

    Book page: ``book/applications/speech``.
    """
    ids = as_int_array("ids", ids, ndim=1, allow_empty=True)
    if blank is not None:
        blank = check_int("blank", blank)
    out = []
    prev = None
    for k in ids.tolist():
        if k != prev and k != blank:
            out.append(int(k))
        prev = k
    return out


def edit_distance(a, b):
    """Levenshtein distance: the fewest insertions, deletions and substitutions turning ``a`` into ``b``.

    Parameters
    ----------
    a, b : sequences of hashable items
        Lists, tuples, strings or 1-D arrays; either may be empty.

    Returns
    -------
    int

    Book page: ``book/applications/speech``.
    """
    a, b = _items("a", a), _items("b", b)
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def positionwise_accuracy(predicted, targets):
    """Share of positions where the predicted token is the target's; missing and extra tokens count as wrong.

    An example counts ``max(len(predicted), len(target))`` positions: a prediction
    that stops early loses the missing ones, and one that runs on past the target's
    end (``"20"`` for ``"2"``) loses every extra one, so only the exact sequence
    scores 1.

    Parameters
    ----------
    predicted, targets : sequences of sequences of tokens
        One predicted sequence per target (either may be empty, not all targets).

    Returns
    -------
    float

    Book page: ``book/applications/captioning``.
    """
    if isinstance(predicted, (str, bytes)) or not isinstance(predicted, (list, tuple)):
        raise TypeError(f"predicted must be a list of token sequences, got {type(predicted).__name__}")
    if isinstance(targets, (str, bytes)) or not isinstance(targets, (list, tuple)):
        raise TypeError(f"targets must be a list of token sequences, got {type(targets).__name__}")
    if len(predicted) != len(targets):
        raise ValueError(f"predicted and targets must have one sequence each per example, got "
                         f"{len(predicted)} and {len(targets)}")
    predicted = [_items(f"predicted[{i}]", p) for i, p in enumerate(predicted)]
    targets = [_items(f"targets[{i}]", t) for i, t in enumerate(targets)]
    if not any(targets):
        raise ValueError("targets holds no token at all: the accuracy would be 0/0")
    hit = total = 0
    for p, t in zip(predicted, targets):
        total += max(len(t), len(p))
        hit += sum(1 for i, tok in enumerate(t) if i < len(p) and p[i] == tok)
    return hit / total


def _items(name, seq) -> list:
    """The items of a token sequence (list, tuple, string or 1-D array; may be empty) as a list."""
    if isinstance(seq, np.ndarray):
        if seq.ndim != 1:
            raise ValueError(f"{name} must be a 1-D sequence of tokens, got an array of shape {seq.shape}")
        return seq.tolist()
    if not isinstance(seq, (list, tuple, str)):
        raise TypeError(f"{name} must be a sequence of tokens (a list, tuple, str or 1-D array), "
                        f"got {type(seq).__name__}")
    return list(seq)
