"""Hidden tests of assignment 5, *A character-level language model* (``source/a05_char_lm``).

Called only from the ``### BEGIN HIDDEN TESTS`` regions of the source notebook's
graded cells, which nbgrader removes from the student version; like the rest of
``graders/``, this module stays with the course directory and is not part of the
``rnncourse`` package. Each ``hidden_*`` function draws fresh inputs from a seed and
checks the answer with the helpers of :mod:`rnncourse.grading.a05_char_lm`.
"""
from __future__ import annotations

import numpy as np

from rnncourse.cells.gru import GRU as _GRU
from rnncourse.cells.lstm import LSTM as _LSTM
from rnncourse.datasets.text import tiny_corpus as _tiny_corpus
from rnncourse.grading import check_choice_answer
from rnncourse.grading.a05_char_lm import (check_clip, check_cross_entropy, check_generate, check_pairs, check_sample,
                                           check_train_step, check_training, check_vocabulary)
from rnncourse.grading.char_lm_reference import make_lm, random_batch, random_grads


def hidden_vocabulary(build_vocab, encode, decode, seed):
    """Random texts, and a slice of the course's corpus.

    Book page: ``book/applications/language_model``.
    """
    rng = np.random.default_rng(seed)
    alphabet = np.array(list("abcdefghijklmnopqrstuvwxyz ABCXYZ.,;!?\n0123"))
    for n in (1, int(rng.integers(20, 80))):
        text = "".join(rng.choice(alphabet, size=n))
        check_vocabulary(build_vocab, encode, decode, text, explain=False)
    start = int(rng.integers(0, 3000))
    check_vocabulary(build_vocab, encode, decode, _tiny_corpus()[start:start + 500], explain=False)


def hidden_lm_pairs(make_lm_pairs, seed):
    """Random ids and chunk lengths, including T = 1 and a text of exactly T + 1 ids.

    Book page: ``book/applications/language_model``.
    """
    rng = np.random.default_rng(seed)
    for L, T in ((int(rng.integers(30, 60)), int(rng.integers(2, 9))), (8, 1), (6, 5)):
        check_pairs(make_lm_pairs, rng.integers(0, 20, size=L), T, explain=False)


def hidden_cross_entropy(softmax_cross_entropy, seed):
    """Random sizes and scales.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for scale in (1.0, 5.0, 300.0):
        N, T, V = (int(v) for v in rng.integers(1, 7, size=3))
        y = rng.integers(0, V, size=(N, T))
        check_cross_entropy(softmax_cross_entropy, scale * rng.standard_normal((N, T, V)), y, explain=False)


def hidden_clip(clip_by_global_norm, seed):
    """Random gradients and thresholds, above and below the norm.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for scale, max_norm in ((0.05, 1.0), (2.0, 1.0), (1.0, 0.3)):
        check_clip(clip_by_global_norm, random_grads(rng, scale), max_norm, explain=False, what="")


def hidden_train_step(train_step, seed):
    """Three steps of a GRU and an LSTM model with momentum, leftover gradients and active clipping.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(seed)
    for cell in (_GRU, _LSTM):
        V, H, N, T = int(rng.integers(3, 8)), int(rng.integers(2, 6)), int(rng.integers(1, 4)), int(rng.integers(2, 6))
        batches = [random_batch(rng, N, T, V) for _ in range(3)]
        stale = random_batch(rng, N, T, V)
        model_seed = int(rng.integers(1 << 31))

        def setup(cell=cell, V=V, H=H, model_seed=model_seed):
            return make_lm(cell, V, H, model_seed, momentum=0.9, lr=0.3)

        check_train_step(train_step, setup, batches, 0.1, stale=stale, explain=False, what="")


def hidden_sample_next(sample_next, seed):
    """Random logits and temperatures.

    Book page: ``book/applications/language_model``.
    """
    rng = np.random.default_rng(seed)
    for temperature in (0.3, 1.0, 1.7):
        logits = 2.0 * rng.standard_normal(int(rng.integers(2, 12)))
        check_sample(sample_next, logits, temperature, int(rng.integers(1 << 31)), explain=False, n=100)


def hidden_generate(generate, seed):
    """Random sizes, primes, lengths and temperatures; GRU and LSTM models.

    Book page: ``book/applications/language_model``.
    """
    rng = np.random.default_rng(seed)
    for cell in (_GRU, _LSTM):
        V, H = int(rng.integers(3, 10)), int(rng.integers(2, 7))
        prime = [int(i) for i in rng.integers(0, V, size=int(rng.integers(1, 6)))]
        check_generate(generate, (V, H, int(rng.integers(1 << 31)), cell), prime, int(rng.integers(5, 25)),
                       float(rng.uniform(0.5, 1.5)), int(rng.integers(1 << 31)), explain=False)


def hidden_char_lm(train_char_lm, seed):
    """Train on the last 90% of the corpus, score the first 10%.

    Book page: ``book/applications/language_model``.
    """
    check_training(train_char_lm, True, seed, show=False)


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/applications/language_model``.
    """
    check_choice_answer(name, answer, digest, choices)
