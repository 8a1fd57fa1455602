"""Hidden tests of assignment 7, *Attention and decoding* (``source/a07_attention``).

Called as :mod:`graders` describes; checks from :mod:`rnncourse.grading.a07_attention`, on
fresh inputs of random sizes (a few milliseconds each).
"""
from __future__ import annotations

import numpy as np

from rnncourse.grading import check_choice_answer
from rnncourse.grading.a07_attention import (BACKWARD_NAMES, attention_case, backward_case, beam_cases, check_backward,
                                             check_beam_case, check_context_case, check_greedy_case, check_weights_case,
                                             greedy_cases)


def _sizes(rng):
    """N, S, H, A, H_k, and right-padded lengths with at least one real position per row."""
    N, S, H, A, H_k = (int(v) for v in rng.integers(1, 6, size=5))
    return N, S, H, A, H_k, rng.integers(1, S + 1, size=N)


def hidden_attention_weights(attention_weights, seed):
    """Random sizes and padding, and scores large enough to overflow a naive softmax.

    Book page: ``book/applications/translation``.
    """
    rng = np.random.default_rng(seed)
    for scale in (1.0, 1.0, 200.0):
        N, S, H, A, H_k, lengths = _sizes(rng)
        query, _, keys_proj, W_q, v, mask = attention_case(rng, N, S, H, A, H_k, lengths=lengths)
        check_weights_case(attention_weights, query, keys_proj, W_q, scale * v, mask)


def hidden_attention_context(attention_context, seed):
    """Random weights and keys of random sizes.

    Book page: ``book/applications/translation``.
    """
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, S, _, _, H_k, _ = _sizes(rng)
        check_context_case(attention_context, rng.dirichlet(np.ones(S), size=N), rng.standard_normal((N, S, H_k)))


def _hidden_backward(attention_backward, seed, names):
    rng = np.random.default_rng(seed)
    for _ in range(3):
        N, S, H, A, H_k, lengths = _sizes(rng)
        dcontext, cache, ref = backward_case(rng, N, S, H, A, H_k, lengths=lengths)
        check_backward(attention_backward, dcontext, cache, ref, names)


def hidden_backward_scores(attention_backward, seed):
    """dkeys, dkeys_proj and dv on random sizes with padding.

    Book page: ``book/applications/translation``.
    """
    _hidden_backward(attention_backward, seed, ("dkeys", "dkeys_proj", "dv"))


def hidden_backward_query(attention_backward, seed):
    """All five gradients on random sizes with padding.

    Book page: ``book/applications/translation``.
    """
    _hidden_backward(attention_backward, seed, BACKWARD_NAMES)


def hidden_greedy(greedy_decode, seed):
    """Fresh scripted decoders of random sizes and lengths.

    Book page: ``book/applications/translation``.
    """
    for decoder, N, max_len, _ in greedy_cases(np.random.default_rng(seed), hidden=True):
        check_greedy_case(greedy_decode, decoder, N, max_len)


def hidden_beam(beam_decode, seed):
    """Fresh trap decoders, batches of several examples, width 1 and an exhaustive beam.

    Book page: ``book/applications/translation``.
    """
    for case in beam_cases(np.random.default_rng(seed), hidden=True):
        check_beam_case(beam_decode, *case)


def check_concept(name, answer, digest, choices=("A", "B", "C", "D")):
    """A multiple-choice concept question; the right answer is stored only as a digest.

    Book page: ``book/applications/translation``.
    """
    check_choice_answer(name, answer, digest, choices)
