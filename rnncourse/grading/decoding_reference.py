r"""Reference decoders for the checks of assignment 7 (``assignments/source/a07_attention``).

Taught on the book page *Machine translation* (``book/applications/translation``).

:func:`beam_reference` is the beam search the assignment prescribes and :func:`greedy_variant`
greedy decoding, each with the typical mistakes as options, so that a wrong answer can be
named; :func:`exhaustive_best` finds the best output by enumerating them all. They run on the
scripted decoders of :mod:`rnncourse.grading.scripted_decoders`. An answer that calls this
module earns nothing (it is among the modules the checks of assignment 7 forbid).
"""
from __future__ import annotations

import numpy as np

from .scripted_decoders import sequence_scores


def log_softmax(z):
    """Log-probabilities of the logits ``z`` over the last axis.

    Book page: ``book/applications/translation``.
    """
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def greedy_variant(step, state, N, *, bos_id, eos_id, max_len, keep_eos=False, stop=True, carry_state=True,
                   feed_back=True):
    """Greedy decoding, right by default; each option reproduces one typical mistake.

    ``keep_eos``: ``<eos>`` is appended to the output; ``stop=False``: a row goes on after its
    ``<eos>``; ``carry_state=False``: every step gets the first state; ``feed_back=False``: every
    step reads ``<bos>``.

    Book page: ``book/applications/translation``.
    """
    rows, first = np.arange(N), state
    prev = np.full(N, bos_id)
    out = [[] for _ in range(N)]
    done = np.zeros(N, dtype=bool)
    for _ in range(max_len):
        logits, new_state = step(prev, state, rows)
        state = new_state if carry_state else first
        best = logits.argmax(axis=1)
        for n in range(N):
            if done[n]:
                continue
            if best[n] == eos_id:
                if keep_eos:
                    out[n].append(int(best[n]))
                done[n] = stop
            else:
                out[n].append(int(best[n]))
        if done.all():
            break
        if feed_back:
            prev = best
    return out


def beam_reference(step, state, N, *, bos_id, eos_id, max_len, beam_width, normalise=True, reorder_state=True,
                   log_probs=True):
    """The beam search of assignment 7; each option (``False``) reproduces one typical mistake.

    At every step every live hypothesis of an example is extended by every token, scored by the sum
    of its log-probabilities, and the ``beam_width`` best candidates of the example are kept; those
    that end with ``<eos>`` are finished (without the ``<eos>``), the others stay live. The answer is
    the finished hypothesis with the best score divided by its length (tokens plus ``<eos>``); an
    example with none after ``max_len`` steps answers with its best live hypothesis.

    ``normalise=False``: the raw score decides; ``reorder_state=False``: a kept hypothesis gets the
    state of the row at its position rather than its parent's; ``log_probs=False``: probabilities
    are added instead of log-probabilities.

    Book page: ``book/applications/translation``.
    """
    live = [[((), 0.0)] for _ in range(N)]            # per example: (tokens, score)
    rows = np.arange(N)
    prev = np.full(N, bos_id)
    finished = [[] for _ in range(N)]
    for _ in range(max_len):
        logits, new_state = step(prev, state, rows)
        scores = log_softmax(logits) if log_probs else np.exp(log_softmax(logits))
        next_live, parents, next_rows, next_prev = [[] for _ in range(N)], [], [], []
        r = 0
        for n in range(N):
            cands = []
            for tokens, score in live[n]:
                for v in range(logits.shape[1]):
                    cands.append((score + scores[r, v], tokens, v, r))
                r += 1
            cands.sort(key=lambda c: -c[0])
            for score, tokens, v, parent in cands[:beam_width]:
                if v == eos_id:
                    finished[n].append((tokens, score))
                else:
                    next_live[n].append((tokens + (v,), score))
                    parents.append(parent)
                    next_rows.append(n)
                    next_prev.append(v)
        live = next_live
        if not parents:
            break
        take = np.array(parents) if reorder_state else np.arange(len(parents)) % len(new_state)
        state, rows, prev = new_state[take], np.array(next_rows), np.array(next_prev)
    answers = []
    for n in range(N):
        if finished[n]:
            key = (lambda h: h[1] / (len(h[0]) + 1)) if normalise else (lambda h: h[1])
            answers.append(list(max(finished[n], key=key)[0]))
        else:
            answers.append(list(max(live[n], key=lambda h: h[1])[0]))
    return answers


def exhaustive_best(decoder, N, max_len):
    """The output of every example with the best length-normalised score, found by enumerating them all.

    Book page: ``book/applications/translation``.
    """
    best = []
    for n in range(N):
        scores = sequence_scores(decoder, n, max_len)
        best.append(list(max(scores, key=lambda t: scores[t] / (len(t) + 1))))
    return best
