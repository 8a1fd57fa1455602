r"""Many-to-one sequence classifier over padded token sequences (e.g. sentiment).

Taught on the book page *Sentiment analysis* (``book/applications/sentiment``).

Token ids are embedded, a recurrent module reads them, the per-step outputs are
pooled into one vector per sequence and a dense layer gives class logits. The
padding id marks where a sequence has ended, so pooling sees only real steps:

.. math::

    \text{mean: } v = \frac{1}{L}\sum_{t=1}^{L} h_t, \qquad
    \text{last: } v = h_L, \qquad
    z = W v + b,

with :math:`L` the real length of the sequence (right padding). ``"last"``
suits a forward RNN; ``"mean"`` suits a bidirectional one, whose backward half
has read the whole sequence at every step.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_int_array, check_choice, check_int
from ..core.module import Module


class SequenceClassifier(Module):
    """Embedding -> recurrent module -> masked pooling over time -> dense head.

    Parameters
    ----------
    embedding : Module
        Token ids (N, T) -> (N, T, E); typically :class:`rnncourse.layers.embedding.Embedding`.
    recurrent : Module
        (N, T, E) -> (N, T, H), any recurrent module (RNN, LSTM, GRU, Bidirectional, Stacked).
    head : Module
        (N, H) -> (N, C) logits; typically :class:`rnncourse.layers.dense.Dense`.
    pad_id : int
        The padding token; every sequence must hold at least one other token, and padding only at the end.
    pooling : {"mean", "last"}

    Notes
    -----
    ``forward(ids)`` returns ``(logits (N, C), recurrent final state)``;
    ``backward(dlogits)`` returns ``None``.

    Book page: ``book/applications/sentiment``.
    """

    def __init__(self, embedding, recurrent, head, pad_id=0, pooling="mean"):
        super().__init__()
        self.embedding = self.add_child("embedding", embedding)
        self.recurrent = self.add_child("recurrent", recurrent)
        self.head = self.add_child("head", head)
        self.pad_id = check_int("pad_id", pad_id, low=0)
        self.pooling = check_choice("pooling", pooling, ("mean", "last"))

    def forward(self, x, state=None):
        ids = as_int_array("x", x, ndim=2)
        mask = ids != self.pad_id
        lengths = mask.sum(axis=1)
        if (lengths == 0).any():
            raise ValueError(f"sequence {int(np.argmin(lengths))} holds only padding (pad_id={self.pad_id})")
        if (mask[:, 1:] & ~mask[:, :-1]).any():
            raise ValueError("padding must come after the tokens (right padding): "
                             "found a token after a pad_id")
        e, _ = self.embedding.forward(ids)
        h, final = self.recurrent.forward(e, state)
        if self.pooling == "mean":
            w = (mask / lengths[:, None]).astype(h.dtype)
        else:
            w = np.zeros(mask.shape, dtype=h.dtype)
            w[np.arange(len(ids)), lengths - 1] = 1.0
        v = np.einsum("nt,nth->nh", w, h)
        logits, _ = self.head.forward(v)
        self._cache = (w, h.shape)
        return logits, final

    def backward(self, d_outputs, d_final_state=None):
        w, h_shape = self._require_cache()
        dv = self.head.backward(d_outputs)
        dh = w[:, :, None] * dv[:, None, :]
        de = self.recurrent.backward(dh, d_final_state)
        self.embedding.backward(de)
        self.d_state = self.recurrent.d_state
        return None
