r"""Hierarchical RNN: a lower RNN encodes each chunk, an upper RNN runs over the chunk codes.

Taught on the book page *Hierarchical RNNs* (``book/variants/hierarchical``).

A long sequence of :math:`T = C \cdot S` steps is cut into :math:`C` chunks of
:math:`S` steps (characters into words, samples into segments). The lower RNN
reads each chunk from a zero state; its final hidden state :math:`e_c` is the
chunk's code. The upper RNN reads the :math:`C` codes:

.. math::

    e_c = \operatorname{final}\big(\operatorname{RNN}_{low}(x_{(c-1)S+1 : cS})\big), \qquad
    g_c = \operatorname{RNN}_{up}(e_1, \dots, e_c).

No gradient path is longer than :math:`S + C` steps instead of :math:`C S`,
and the upper level works at a slower time scale.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_positive_int
from ..core.module import Module


def _hidden(final_state):
    """The hidden part of a final state: the array itself, or ``h`` of an LSTM's ``(h, c)``."""
    return final_state[0] if isinstance(final_state, tuple) else final_state


class Hierarchical(Module):
    """Two-level RNN over fixed-size chunks.

    Parameters
    ----------
    lower : Module
        Recurrent module applied to every chunk, (N*C, S, D) -> final state with hidden (N*C, H_low).
    upper : Module
        Recurrent module over chunk codes, (N, C, H_low) -> (N, C, H_up).
    chunk_size : int
        S, steps per chunk; the input length must be a multiple of it.

    Notes
    -----
    ``forward(x, state)``: ``x`` (N, T, D) with ``T = C * chunk_size``; ``state`` is the
    upper RNN's initial state; returns the upper outputs (N, C, H_up) and final state.
    Parameters appear as ``lower.*`` and ``upper.*``.

    Book page: ``book/variants/hierarchical``.
    """

    def __init__(self, lower: Module, upper: Module, chunk_size: int):
        super().__init__()
        self.lower = self.add_child("lower", lower)
        self.upper = self.add_child("upper", upper)
        self.chunk_size = check_positive_int("chunk_size", chunk_size)

    def forward(self, x, state=None):
        x = as_float_array("x", x, ndim=3)
        N, T, D = x.shape
        S = self.chunk_size
        if T % S:
            raise ValueError(f"x has T={T} steps, not a multiple of chunk_size={S}; "
                             f"pad the sequences to {S * -(-T // S)} steps")
        C = T // S
        low_out, low_final = self.lower.forward(x.reshape(N * C, S, D))
        codes = _hidden(low_final).reshape(N, C, -1)
        out, final = self.upper.forward(codes, state)
        self._cache = (N, C, low_out.shape, low_final)
        return out, final

    def backward(self, d_outputs, d_final_state=None):
        N, C, low_out_shape, low_final = self._require_cache()
        d_codes = self.upper.backward(d_outputs, d_final_state)
        d_h = d_codes.reshape(N * C, -1)
        # only the hidden part of the lower final state was used (not an LSTM's cell)
        d_low_final = (d_h,) + (None,) * (len(low_final) - 1) if isinstance(low_final, tuple) else d_h
        dx = self.lower.backward(np.zeros(low_out_shape, dtype=d_h.dtype), d_low_final)
        self.d_state = self.upper.d_state
        return dx.reshape(N, C * self.chunk_size, -1)
