r"""Reference computations of assignment 5, *A character-level language model*.

Taught on the book page *Language modelling and text generation*
(``book/applications/language_model``), with clipping and the training step from
*Training with backpropagation through time* (``book/bptt``).

The checks of :mod:`rnncourse.grading.a05_char_lm` (and its hidden tests) compare
each answer with these: the (input, next character) pairs, seeded models and batches,
a reference training step, sampling replayed from a seeded generator, generation and
the corpus split. A ``variant`` argument reproduces a typical mistake. The answers
must not call this module (it is in the ``forbidden`` lists of the checks).
"""
from __future__ import annotations

import numpy as np

from ..cells.gru import GRU as _GRU
from ..core.activations import softmax as _softmax
from ..core.clipping import clip_grads_by_global_norm as _clip_global, clip_grads_by_value as _clip_value
from ..core.losses import softmax_cross_entropy as _cross_entropy
from ..core.module import Sequential as _Sequential
from ..core.optim import SGD as _SGD
from ..datasets.text import CharVocab as _CharVocab, one_hot as _one_hot, tiny_corpus as _tiny_corpus
from ..layers.output import Output as _Output


def pairs_reference(ids, T):
    """The (input, next id) chunks ``(x, y)`` of length ``T`` cut from ``ids``, without overlap.

    Book page: ``book/applications/language_model``.
    """
    N = (len(ids) - 1) // T
    starts = T * np.arange(N)
    cols = np.arange(T)
    return ids[starts[:, None] + cols], ids[starts[:, None] + cols + 1]


def random_grads(rng, scale):
    """A dict of three random gradients (an RNN layer's), each entry ``scale`` times N(0, 1).

    Book page: ``book/bptt``.
    """
    return {"W_xh": scale * rng.standard_normal((4, 3)), "W_hh": scale * rng.standard_normal((4, 4)),
            "b_h": scale * rng.standard_normal(4)}


def clip_per_tensor(grads, max_norm):
    """Each gradient clipped by its own norm (a typical mistake: clipping is global).

    Book page: ``book/bptt``.
    """
    out = {}
    for k, g in grads.items():
        n = np.sqrt(np.sum(g * g))
        out[k] = g * (max_norm / n) if n > max_norm else g.copy()
    return out


def make_lm(cell, V, H, seed, *, momentum=0.0, lr=0.5):
    """A seeded ``(model, SGD optimizer)``: ``Sequential(cell(V, H), Output(H, V))``.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    model = _Sequential(cell(V, H, rng=rng), _Output(H, V, rng=rng))
    return model, _SGD(model, lr=lr, momentum=momentum)


def leave_stale_gradients(model, x, y):
    """Run one backward pass without an update, so that the model holds leftover gradients.

    Book page: ``book/bptt``.
    """
    logits, _ = model.forward(x)
    model.backward(3.0 * _cross_entropy(logits, y)[1])


def reference_train_step(model, optimizer, x, y, max_norm, variant="right"):
    """One training step done right, or with the mistake ``variant`` names; returns the loss.

    Book page: ``book/bptt``.
    """
    if variant != "no_zero" and variant != "zero_at_end":
        model.zero_grad()
    logits, _ = model.forward(x)
    loss, d = _cross_entropy(logits, y)
    model.backward(d)
    grads = model.grads
    if variant == "per_tensor":
        for g in grads.values():
            n = float(np.sqrt(np.sum(g * g)))
            if n > max_norm:
                g *= max_norm / n
    elif variant == "params":
        _clip_global(model.params, max_norm)
    elif variant == "by_value":
        _clip_value(grads, max_norm)
    elif variant != "no_clip":
        _clip_global(grads, max_norm)
    optimizer.step()
    if variant == "zero_at_end":
        model.zero_grad()
    return loss


def random_batch(rng, N, T, V):
    """A random one-hot batch ``(x, y)`` of ``N`` sequences of ``T`` ids among ``V``, y the next ids.

    Book page: ``book/applications/language_model``.
    """
    ids = rng.integers(0, V, size=(N, T + 1))
    return _one_hot(ids[:, :-1], V), ids[:, 1:]


def replay(choose, n, seed):
    """``n`` samples, each ``choose(rng)``, from one generator seeded with ``seed``.

    Book page: ``book/applications/language_model``.
    """
    rng = np.random.default_rng(seed)
    return [choose(rng) for _ in range(n)]


def draw_from(p):
    """A function ``rng -> id`` drawing one id from the probabilities ``p`` (as the students must).

    Book page: ``book/applications/language_model``.
    """
    return lambda rng: int(rng.choice(len(p), p=p))


def generation_model(V, H, seed, cell=_GRU):
    """A seeded ``Sequential(cell(V, H), Output(H, V))`` with large weights, so that the state matters.

    Book page: ``book/applications/language_model``.
    """
    rng = np.random.default_rng(seed)
    model = _Sequential(cell(V, H, rng=rng), _Output(H, V, rng=rng))
    for name, p in model.params.items():                # larger weights: the state matters for the next id
        p *= 4.0 if name.startswith("1.") else 2.5
    return model


def generate_variant(model, prime, length, V, temperature, rng, variant):
    """Ids generated with the mistake ``variant`` names (no_state, first_logits, no_feedback).

    Book page: ``book/applications/language_model``.
    """
    logits, state = model.forward(_one_hot(np.asarray(prime)[None, :], V))
    out = []
    pos = 0 if variant == "first_logits" else -1
    for _ in range(length):
        p = _softmax(logits[0, pos] / temperature)
        nxt = int(rng.choice(len(p), p=p))
        out.append(nxt)
        pos = -1
        fed = prime[-1] if variant == "no_feedback" else nxt
        logits, state = model.forward(_one_hot(np.array([[fed]]), V), None if variant == "no_state" else state)
    return out


def corpus_split(held_out_first):
    """``(train_ids, held_ids, V)``: the corpus cut 90/10, the held-out part first or last.

    Book page: ``book/applications/language_model``.
    """
    text = _tiny_corpus()
    vocab = _CharVocab(text)
    ids = vocab.encode(text)
    cut = int(round(0.1 * len(ids))) if held_out_first else int(round(0.9 * len(ids)))
    train, held = (ids[cut:], ids[:cut]) if held_out_first else (ids[:cut], ids[cut:])
    return train, held, vocab.size


def unigram_cross_entropy(train_ids, held_ids, V):
    """Cross-entropy of ``held_ids[1:]`` under the training text's add-one-smoothed character frequencies.

    Book page: ``book/applications/language_model``.
    """
    counts = np.bincount(train_ids, minlength=V) + 1.0
    return -float(np.mean(np.log(counts / counts.sum())[held_ids[1:]]))
