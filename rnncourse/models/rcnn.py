r"""Recurrent convolutional network (RCNN): convolution over time, then a recurrent layer.

Taught on the book page *Recurrent convolutional networks* (``book/variants/rcnn``).

The convolution finds short local patterns at every position (its receptive
field is :math:`K` steps); optional pooling shortens the sequence by a factor
:math:`k`; the recurrent layer then models how those patterns follow each other
over the whole sequence:

.. math::

    u = \operatorname{relu}(\operatorname{conv}_K(x)), \quad
    v = \operatorname{maxpool}_k(u), \quad
    h_t = \operatorname{RNN}(v)_t.

Pooling by :math:`k` divides the number of recurrent steps, and so the length
of the backpropagation path through time, by :math:`k`.
"""
from __future__ import annotations

from ..layers.conv import Conv1d, MaxPool1d
from ..core.module import Module


class RCNN(Module):
    """Conv1d (+ReLU) -> optional MaxPool1d -> any recurrent module.

    Parameters
    ----------
    conv : Conv1d
        The convolution; its ``out_channels`` must equal the recurrent layer's input size.
    recurrent : Module
        An RNN, LSTM, GRU, Bidirectional or Stacked module.
    pool : MaxPool1d, optional

    Notes
    -----
    ``state`` and ``final_state`` are the recurrent layer's; ``d_state`` too.
    Parameters appear as ``conv.W``, ``conv.b``, ``recurrent.W_xh``, ...

    Book page: ``book/variants/rcnn``.
    """

    def __init__(self, conv: Conv1d, recurrent: Module, pool: MaxPool1d | None = None):
        super().__init__()
        if not isinstance(conv, Conv1d):
            raise TypeError(f"conv must be an rnncourse Conv1d, got {type(conv).__name__}")
        if pool is not None and not isinstance(pool, MaxPool1d):
            raise TypeError(f"pool must be None or an rnncourse MaxPool1d, got {type(pool).__name__}")
        in_size = getattr(recurrent, "input_size", None)
        if in_size is not None and in_size != conv.out_channels:
            raise ValueError(f"the recurrent layer reads {in_size} features per step but the convolution "
                             f"produces conv.out_channels={conv.out_channels}")
        self.conv = self.add_child("conv", conv)
        self.pool = pool
        if pool is not None:
            self.add_child("pool", pool)
        self.recurrent = self.add_child("recurrent", recurrent)

    def forward(self, x, state=None):
        """``x`` (N, T, C_in) -> ``(outputs of the recurrent layer, its final state)``."""
        u, _ = self.conv.forward(x)
        if self.pool is not None:
            u, _ = self.pool.forward(u)
        out, final = self.recurrent.forward(u, state)
        self._cache = True
        return out, final

    def backward(self, d_outputs, d_final_state=None):
        self._require_cache()
        d = self.recurrent.backward(d_outputs, d_final_state)
        if self.pool is not None:
            d = self.pool.backward(d)
        self.d_state = self.recurrent.d_state
        return self.conv.backward(d)
