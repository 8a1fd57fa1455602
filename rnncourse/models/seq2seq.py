r"""Encoder-decoder (sequence-to-sequence) model with teacher forcing and greedy decoding.

Taught on the book page *Machine translation* (``book/applications/translation``).

The encoder reads the source sequence and hands its final state to the decoder
as the decoder's initial state, the only channel between the two:

.. math::

    s = \operatorname{final}(\operatorname{Enc}(x_1, \dots, x_S)), \qquad
    h^{dec}_0 = s, \qquad
    p(y_t \mid y_{<t}, x) = \operatorname{softmax}(W_{hy} h^{dec}_t + b_y).

*Teacher forcing* (training): the decoder reads the true previous target
``<bos>, y_1, ..., y_{T-1}`` and is scored on ``y_1, ..., y_T``. *Greedy
decoding* (inference): it reads its own most likely previous output, one step at
a time, until ``<eos>`` or a length limit. During training the gradient of the
decoder's initial state is the gradient of the encoder's final state, so one
backward pass trains both.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_int, check_positive_int
from ..core.module import Module


# ---------------------------------------------------------------------------
# decoding, for any model that can take one step
# ---------------------------------------------------------------------------
class evaluating:
    """``with evaluating(model):`` the model in evaluation mode inside the block, in its previous mode after.

    Book page: ``book/applications/translation``.
    """

    def __init__(self, model):
        self.model, self.was_training = model, model.training

    def __enter__(self):
        self.model.eval()
        return self.model

    def __exit__(self, *exc):
        self.model.train(self.was_training)


class Decoding:
    """Greedy and beam decoding for an encoder-decoder that defines ``_decoder(src_ids) -> (step, state)``.

    ``step(prev_ids, state, rows) -> (logits, state)`` is one decoder step, as
    :func:`greedy_search` and :func:`beam_search` take it.

    Book page: ``book/applications/translation``.
    """

    def greedy_decode(self, src_ids, *, bos_id, eos_id, max_len):
        """Decode every source greedily (most likely token at each step).

        Parameters
        ----------
        src_ids : ndarray of int, shape (N, S)
        bos_id, eos_id : int
        max_len : int
            Longest output, ``<eos>`` not counted.

        Returns
        -------
        list of N lists of int
            The decoded ids, up to (not including) ``<eos>``.

        Book page: ``book/applications/translation``.
        """
        with evaluating(self):
            step, state = self._decoder(src_ids)
            return greedy_search(step, state, len(src_ids), bos_id=bos_id, eos_id=eos_id, max_len=max_len)

    def beam_decode(self, src_ids, *, bos_id, eos_id, max_len, beam_width=4):
        """Decode every source with beam search (:func:`beam_search`); returns N lists of ids.

        Book page: ``book/applications/translation``.
        """
        with evaluating(self):
            step, state = self._decoder(src_ids)
            return beam_search(step, state, len(src_ids), bos_id=bos_id, eos_id=eos_id, max_len=max_len,
                               beam_width=beam_width)


def _take(state, rows):
    """The rows ``rows`` of every array in a (nested) state; ``None`` stays ``None``."""
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(_take(s, rows) for s in state)
    return state[rows]


def _check_decoding(N, bos_id, eos_id, max_len):
    return (check_positive_int("N", N), check_int("bos_id", bos_id, low=0), check_int("eos_id", eos_id, low=0),
            check_positive_int("max_len", max_len))


def greedy_search(step, state, N, *, bos_id, eos_id, max_len):
    """Greedy decoding: at every step the most likely next token, until ``<eos>`` or ``max_len`` tokens.

    Parameters
    ----------
    step : callable
        ``step(prev_ids (B,), state, rows (B,)) -> (logits (B, V), new state)``: one decoder step for
        B rows; ``rows`` says which source example each row decodes.
    state : ndarray (N, H), tuple of them, or None
        The decoder's state before the first step.
    N : int
        Number of source examples.
    bos_id, eos_id : int
    max_len : int
        Longest output, ``<eos>`` not counted.

    Returns
    -------
    list of N lists of int
        The decoded ids, up to (not including) ``<eos>``.

    Book page: ``book/applications/translation``.
    """
    N, bos_id, eos_id, max_len = _check_decoding(N, bos_id, eos_id, max_len)
    rows = np.arange(N)
    prev = np.full(N, bos_id)
    out = [[] for _ in range(N)]
    done = np.zeros(N, dtype=bool)
    for _ in range(max_len):
        logits, state = step(prev, state, rows)
        prev = logits.argmax(axis=-1)
        for n in np.flatnonzero(~done):
            if prev[n] == eos_id:
                done[n] = True
            else:
                out[n].append(int(prev[n]))
        if done.all():
            break
    return out


def beam_search(step, state, N, *, bos_id, eos_id, max_len, beam_width=4, length_norm=True):
    r"""Beam search: keep the ``beam_width`` most likely prefixes of every example at each step.

    Each prefix is scored by its log-probability :math:`\sum_t \log p(y_t \mid y_{<t}, x)`; a prefix
    that emits ``<eos>`` is finished. The result is the finished hypothesis with the best score,
    divided by its length (tokens plus ``<eos>``) when ``length_norm`` (otherwise longer outputs
    lose merely for having more factors below 1). With ``beam_width=1`` and ``length_norm=False``
    it is greedy decoding.

    Parameters
    ----------
    step : callable
        As for :func:`greedy_search`.
    state : ndarray (N, H), tuple of them, or None
    N : int
    bos_id, eos_id : int
    max_len : int
        Longest output, ``<eos>`` not counted.
    beam_width : int
    length_norm : bool

    Returns
    -------
    list of N lists of int

    Book page: ``book/applications/translation``.
    """
    N, bos_id, eos_id, max_len = _check_decoding(N, bos_id, eos_id, max_len)
    B = check_positive_int("beam_width", beam_width)
    rows = np.repeat(np.arange(N), B)                         # row n * B + b: beam b of example n
    state = _take(state, rows)
    scores = np.full((N, B), -np.inf)
    scores[:, 0] = 0.0                                        # one live prefix, <bos>, at the start
    prefixes = np.empty((N * B, 0), dtype=np.int64)
    prev = np.full(N * B, bos_id)
    finished = [[] for _ in range(N)]                         # (normalised score, raw score, tokens)

    def finish(n, tokens, score):
        norm = score / (len(tokens) + 1) if length_norm else score
        finished[n].append((norm, score, tokens))

    for t in range(max_len):
        logits, state = step(prev, state, rows)
        z = logits - logits.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        V = logp.shape[1]
        cand = (scores.reshape(N * B, 1) + logp).reshape(N, B * V)
        best = np.argsort(-cand, axis=1, kind="stable")[:, :2 * B]   # room for B live ones after <eos>
        new_scores = np.full((N, B), -np.inf)
        origin = np.zeros((N, B), dtype=np.int64)
        token = np.zeros((N, B), dtype=np.int64)
        for n in range(N):
            kept = 0
            for flat in best[n]:
                s = cand[n, flat]
                if not np.isfinite(s) or kept == B:
                    break
                b, v = divmod(int(flat), V)
                if v == eos_id:
                    finish(n, prefixes[n * B + b].tolist(), s)
                    continue
                new_scores[n, kept], origin[n, kept], token[n, kept] = s, b, v
                kept += 1
        take = (np.arange(N)[:, None] * B + origin).ravel()
        prefixes = np.concatenate([prefixes[take], token.reshape(-1, 1)], axis=1)
        state = _take(state, take)
        scores, prev = new_scores, token.ravel()
        best_done = [max(f)[0] if f else -np.inf for f in finished]
        live_best = scores.max(axis=1) / ((t + 2) if length_norm else 1)
        if all(len(finished[n]) >= B and (length_norm or best_done[n] >= live_best[n]) for n in range(N)):
            break
    for n in range(N):
        if not finished[n]:                                   # nothing ended within max_len: the best prefix
            b = int(np.argmax(scores[n]))
            finish(n, prefixes[n * B + b].tolist(), scores[n, b])
    return [max(f, key=lambda h: h[0])[2] for f in finished]


# ---------------------------------------------------------------------------
# the plain encoder-decoder
# ---------------------------------------------------------------------------
class Seq2Seq(Decoding, Module):
    """Encoder-decoder: source embedding -> encoder RNN -> decoder RNN (from the encoder's state) -> output.

    Parameters
    ----------
    src_embedding : Module
        Source token ids (N, S) -> (N, S, E).
    encoder : Module
        Recurrent module; its final state must fit the decoder's state.
    tgt_embedding : Module
        Target token ids (N, T) -> (N, T, E).
    decoder : Module
        Recurrent module of the same kind and hidden size as the encoder.
    output : Module
        Per-step output layer, decoder outputs -> logits (N, T, V_tgt).

    Notes
    -----
    ``forward(x)`` takes ``x = (src_ids, tgt_in_ids)`` and returns
    ``(logits (N, T, V_tgt), decoder final state)``; ``backward(dlogits)``
    returns ``None`` (token ids have no gradient). Sources should be
    left-padded (padding first) so that the encoder's final state follows the
    last real token.

    Book page: ``book/applications/translation``.
    """

    def __init__(self, src_embedding, encoder, tgt_embedding, decoder, output):
        super().__init__()
        for name, m in [("src_embedding", src_embedding), ("encoder", encoder),
                        ("tgt_embedding", tgt_embedding), ("decoder", decoder), ("output", output)]:
            self.add_child(name, m)
        self.src_embedding, self.encoder = src_embedding, encoder
        self.tgt_embedding, self.decoder, self.output = tgt_embedding, decoder, output

    def encode(self, src_ids):
        """Encoder final state for source ids (N, S)."""
        e, _ = self.src_embedding.forward(src_ids)
        _, s = self.encoder.forward(e)
        return s

    def forward(self, x, state=None):
        if not isinstance(x, (tuple, list)) or len(x) != 2:
            raise TypeError("x must be a pair (src_ids (N, S), tgt_in_ids (N, T)) of integer arrays")
        src, tgt_in = x
        e, _ = self.src_embedding.forward(src)
        enc_out, s = self.encoder.forward(e)
        if np.asarray(tgt_in).shape[0] != np.asarray(src).shape[0]:
            raise ValueError(f"src_ids and tgt_in_ids must have the same batch size N, got "
                             f"{np.asarray(src).shape[0]} and {np.asarray(tgt_in).shape[0]}")
        d, _ = self.tgt_embedding.forward(tgt_in)
        h, final = self.decoder.forward(d, s)
        logits, _ = self.output.forward(h)
        self._cache = enc_out.shape
        return logits, final

    def backward(self, d_outputs, d_final_state=None):
        enc_out_shape = self._require_cache()
        dh = self.output.backward(d_outputs)
        dd = self.decoder.backward(dh, d_final_state)
        self.tgt_embedding.backward(dd)
        # the decoder's initial state was the encoder's final state: its gradient flows back
        de = self.encoder.backward(np.zeros(enc_out_shape, dtype=dh.dtype), self.decoder.d_state)
        self.src_embedding.backward(de)
        self.d_state = None
        return None

    def _decoder(self, src_ids):
        state = self.encode(src_ids)

        def step(prev_ids, state, rows):
            d, _ = self.tgt_embedding.forward(prev_ids[:, None])
            h, state = self.decoder.forward(d, state)
            logits, _ = self.output.forward(h)
            return logits[:, -1], state

        return step, state
