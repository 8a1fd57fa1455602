r"""Scripted decoders for the checks of assignment 7 (``assignments/source/a07_attention``).

Taught on the book page *Machine translation* (``book/applications/translation``).

The checks of :mod:`rnncourse.grading.a07_attention` (and its hidden tests) grade a student's
greedy decoding and beam search without a trained model: a :class:`ScriptedDecoder` is a
``step(prev_ids, state, rows) -> (logits, state)`` callable, the interface of
:func:`rnncourse.models.seq2seq.greedy_search`, whose next-token logits are a fixed function
of the example and of the prefix read so far. Its state *is* that prefix, so an answer that
does not hand each hypothesis its own state gets the logits of another prefix.
:func:`trap_decoder` builds one on which greedy decoding misses the most likely output, and
:func:`discriminating_decoder` one on which forgetting the length normalisation of beam search
changes the answer. (The answers run these decoders, so this module is not among the ones
they must not call; the references are in :mod:`rnncourse.grading.decoding_reference`.)
"""
from __future__ import annotations

import numpy as np

#: Token ids of every scripted decoder; 0 is ``<bos>``, 1 is ``<eos>``, the others are words.
BOS, EOS = 0, 1


class ScriptedDecoder:
    """A decoder for ``N`` examples whose logits at every step depend only on (example, prefix).

    Parameters
    ----------
    V : int
        Number of tokens (``<bos>`` = 0, ``<eos>`` = 1, words 2 .. V-1); ``<bos>`` is never likely.
    max_len : int
        The longest output a decoding may ask for; ``step`` refuses a hypothesis longer than that.
    seed : int
        Draws the logits of every prefix not listed in ``script``.
    scale : float
        Standard deviation of those logits (small: a nearly flat distribution).
    script : dict, optional
        ``{(example, prefix): probabilities (V,)}``: prefixes whose next-token distribution is set.

    Notes
    -----
    ``step(prev_ids (B,), state (B, max_len + 1), rows (B,)) -> (logits (B, V), state)``: the state
    row holds the ids fed so far (``<bos>`` first), -1 after them. ``initial_state(N)`` is the state
    before the first step. ``calls`` counts the calls.

    Book page: ``book/applications/translation``.
    """

    def __init__(self, V, max_len, seed, scale=0.5, script=None):
        self.V, self.max_len, self.seed, self.scale = V, max_len, seed, scale
        self.script = dict(script or {})
        self.calls = 0

    def initial_state(self, N):
        return np.full((N, self.max_len + 1), -1, dtype=np.int64)

    def logits(self, example, prefix):
        """The next-token logits (V,) after ``prefix`` (a tuple of ids starting with ``<bos>``)."""
        if (example, prefix) in self.script:
            z = np.log(np.maximum(self.script[(example, prefix)], 1e-12))
        else:
            gen = np.random.default_rng([self.seed, example + 1, *(p + 1 for p in prefix)])
            z = self.scale * gen.standard_normal(self.V)
        z = z.astype(np.float64)
        z[BOS] = -30.0
        return z

    def __call__(self, prev_ids, state, rows):
        self.calls += 1
        prev = np.asarray(prev_ids)
        rows = np.asarray(rows)
        if prev.ndim != 1 or not np.issubdtype(prev.dtype, np.integer):
            raise ValueError(f"step: prev_ids must be a 1-D array of token ids, got {prev.dtype} {prev.shape}")
        B = prev.shape[0]
        if rows.shape != (B,) or not np.issubdtype(rows.dtype, np.integer):
            raise ValueError(f"step: rows must be an int array of shape ({B},), one example index per row of "
                             f"prev_ids, got {rows.dtype} {rows.shape}")
        state = np.asarray(state)
        if state.shape != (B, self.max_len + 1):
            raise ValueError(f"step: state must have one row per row of prev_ids, shape ({B}, "
                             f"{self.max_len + 1}); got {state.shape}")
        if np.any(prev < 0) or np.any(prev >= self.V):
            raise ValueError(f"step: prev_ids must be ids in [0, {self.V})")
        new_state = state.copy()
        out = np.empty((B, self.V))
        for i in range(B):
            fed = [int(t) for t in state[i] if t >= 0]
            if len(fed) == self.max_len + 1:
                raise ValueError(f"step: a hypothesis was extended more than max_len = {self.max_len} times")
            new_state[i, len(fed)] = int(prev[i])
            out[i] = self.logits(int(rows[i]), tuple(fed) + (int(prev[i]),))
        return out, new_state



def _log_softmax(z):
    z = z - z.max()
    return z - np.log(np.exp(z).sum())


def sequence_scores(decoder, example, max_len):
    """Every output of at most ``max_len`` steps that ends with ``<eos>``: ``{tokens: log-probability}``.

    Book page: ``book/applications/translation``.
    """
    out, frontier = {}, [((), (BOS,), 0.0)]
    for _ in range(max_len):
        grown = []
        for tokens, prefix, total in frontier:
            logp = _log_softmax(decoder.logits(example, prefix))
            out[tokens] = total + logp[EOS]
            grown += [(tokens + (t,), prefix + (t,), total + logp[t]) for t in range(2, decoder.V)]
        frontier = grown
    return out


def trap_decoder(rng, N, V, max_len):
    """A decoder on which greedy decoding misses each example's most likely output.

    For every example the most likely first word leads to nearly flat distributions, while the
    second most likely one starts a short path of almost certain words that ends with ``<eos>``:
    greedy decoding takes the first, a beam of width 2 keeps both and finds the path.

    Returns
    -------
    decoder : ScriptedDecoder
    paths : list of N lists of int
        The outputs a right beam search of width 2 or more returns.

    Book page: ``book/applications/translation``.
    """
    script, paths = {}, []
    for n in range(N):
        first, good = (int(t) for t in rng.choice(np.arange(2, V), size=2, replace=False))
        path = [good] + [int(t) for t in rng.integers(2, V, size=int(rng.integers(1, max(2, max_len - 2))))]
        p = np.full(V, 0.2 / (V - 3))
        p[[BOS, first, good]] = 0.0, 0.45, 0.35
        script[(n, (BOS,))] = p
        prefix = (BOS,)
        for t, nxt in zip(path, path[1:] + [EOS]):
            prefix += (t,)
            q = np.full(V, 0.05 / (V - 2))
            q[BOS], q[nxt] = 0.0, 0.95
            script[(n, prefix)] = q
        paths.append(path)
    return ScriptedDecoder(V, max_len, int(rng.integers(1 << 30)), scale=0.3, script=script), paths


def discriminating_decoder(rng, N, V, max_len, wrong_answers):
    """A random decoder on which each typical mistake of beam search changes the answer.

    Tries seeds from ``rng`` until ``wrong_answers(decoder)``, the outputs of every mistaken
    search (a list of N lists each), all differ from the best outputs by length-normalised score,
    found by enumeration; ``<eos>`` is likely enough that most outputs end.

    Returns
    -------
    decoder : ScriptedDecoder
    best : list of N lists of int

    Book page: ``book/applications/translation``.
    """
    for _ in range(500):
        decoder = ScriptedDecoder(V, max_len, int(rng.integers(1 << 30)), scale=1.0)
        best = []
        for n in range(N):
            scores = sequence_scores(decoder, n, max_len)
            best.append(list(max(scores, key=lambda t: scores[t] / (len(t) + 1))))
        if all(wrong != best for wrong in wrong_answers(decoder)):
            return decoder, best
    raise RuntimeError("no discriminating decoder found")   # pragma: no cover (500 tries are plenty)
