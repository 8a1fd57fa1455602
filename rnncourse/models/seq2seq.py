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

from ..core.checks import check_positive_int
from ..core.module import Module


class Seq2Seq(Module):
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
        max_len = check_positive_int("max_len", max_len)
        was_training = self.training
        self.eval()
        state = self.encode(src_ids)
        N = np.asarray(src_ids).shape[0]
        prev = np.full((N, 1), bos_id)
        out = [[] for _ in range(N)]
        done = np.zeros(N, dtype=bool)
        for _ in range(max_len):
            d, _ = self.tgt_embedding.forward(prev)
            h, state = self.decoder.forward(d, state)
            logits, _ = self.output.forward(h)
            nxt = logits[:, -1].argmax(axis=-1)
            for n in range(N):
                if not done[n]:
                    if nxt[n] == eos_id:
                        done[n] = True
                    else:
                        out[n].append(int(nxt[n]))
            if done.all():
                break
            prev = nxt[:, None]
        self.train(was_training)
        return out
