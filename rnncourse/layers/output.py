r"""The output layer :math:`y_t = W_{hy} h_t + b_y`, applied at every time step.

Taught on the book page *The math of an RNN* (``book/math``).

The book writes :math:`y_t = g(W_{hy} h_t + b_y)`. This layer computes the
affine part (the *logits* or raw predictions); the output activation :math:`g`
is folded into the loss: softmax into
:func:`rnncourse.core.losses.softmax_cross_entropy` (more stable than a softmax
followed by a log), the identity for :func:`rnncourse.core.losses.mse`.

=============  ==========  =====================  ==============================
rnncourse      shape       *Understanding RNNs*   Goodfellow et al., *Deep Learning*
=============  ==========  =====================  ==============================
``W_hy``       ``(O, H)``  :math:`W_y`            :math:`V`
``b_y``        ``(O,)``    :math:`b_y`            :math:`c`
=============  ==========  =====================  ==============================
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.checks import (as_float_array, check_cache, check_float_dtype, check_positive_int, check_rng,
                           check_same_dtype)
from ..core.module import Module


class OutputCache(NamedTuple):
    """What :func:`output_forward` keeps for :func:`output_backward`: the input ``h`` (a copy) and ``W_hy``."""

    h: np.ndarray
    W_hy: np.ndarray


def output_forward(h, W_hy, b_y):
    r"""Affine output at every step: :math:`y_t = W_{hy} h_t + b_y`.

    Parameters
    ----------
    h : ndarray, shape (N, T, H) or (N, H)
        Hidden states (a whole sequence, or only the last one for many-to-one).
    W_hy : ndarray, shape (O, H)
    b_y : ndarray, shape (O,)

    Returns
    -------
    y : ndarray, shape (N, T, O) or (N, O)
    cache : OutputCache

    Book page: ``book/math``.
    """
    W_hy = as_float_array("W_hy", W_hy, ndim=2)
    O, H = W_hy.shape
    b_y = as_float_array("b_y", b_y, shape=(O,))
    h = as_float_array("h", h, copy=True)
    if h.ndim not in (2, 3) or h.shape[-1] != H:
        raise ValueError(f"h must have shape (N, T, {H}) or (N, {H}) to match W_hy {W_hy.shape}, "
                         f"got {h.shape}")
    check_same_dtype(h=h, W_hy=W_hy, b_y=b_y)
    y = h @ W_hy.T + b_y
    return y, OutputCache(h, W_hy)


def output_backward(dy, cache):
    r"""Backward of :func:`output_forward`.

    .. math::

        \frac{\partial L}{\partial h_t} = \frac{\partial L}{\partial y_t} W_{hy}, \quad
        \frac{\partial L}{\partial W_{hy}} = \sum_{n,t} \frac{\partial L}{\partial y_t}^{\top} h_t, \quad
        \frac{\partial L}{\partial b_y} = \sum_{n,t} \frac{\partial L}{\partial y_t}.

    Parameters
    ----------
    dy : ndarray, shape (N, T, O) or (N, O)
    cache : OutputCache
        From :func:`output_forward`.

    Returns
    -------
    dh : ndarray, shape of ``h``
    dW_hy : ndarray, shape (O, H)
    db_y : ndarray, shape (O,)

    Book page: ``book/bptt``.
    """
    h, W_hy = check_cache(cache, OutputCache, "output_forward")
    dy = as_float_array("dy", dy, shape=h.shape[:-1] + (W_hy.shape[0],), dtype=W_hy.dtype)
    dh = dy @ W_hy
    dy2 = dy.reshape(-1, dy.shape[-1])
    dW_hy = dy2.T @ h.reshape(-1, h.shape[-1])
    db_y = dy2.sum(axis=0)
    return dh, dW_hy, db_y


class Output(Module):
    r"""The output layer as a module: :math:`y_t = W_{hy} h_t + b_y` at every step.

    Parameters
    ----------
    hidden_size : int
        H, size of the incoming hidden state.
    output_size : int
        O, number of outputs (classes, or values to predict).
    rng : numpy.random.Generator
        Weights drawn uniformly from :math:`[-1/\sqrt{H}, 1/\sqrt{H}]`.
    dtype : {numpy.float64, numpy.float32}

    Book page: ``book/first_rnn``.
    """

    def __init__(self, hidden_size, output_size, *, rng, dtype=np.float64):
        super().__init__()
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        self.output_size = check_positive_int("output_size", output_size)
        check_rng("rng", rng)
        self.dtype = check_float_dtype("dtype", dtype)
        k = 1.0 / np.sqrt(self.hidden_size)
        self.add_param("W_hy", rng.uniform(-k, k, (self.output_size, self.hidden_size)).astype(self.dtype))
        self.add_param("b_y", rng.uniform(-k, k, self.output_size).astype(self.dtype))

    def forward(self, x, state=None):
        """``x``: (N, T, H) or (N, H) -> ``(y, None)`` with y (N, T, O) or (N, O)."""
        x = as_float_array("x", x, dtype=self.dtype)
        y, self._cache = output_forward(x, self._params["W_hy"], self._params["b_y"])
        return y, None

    def backward(self, d_outputs, d_final_state=None):
        """Accumulate ``grads`` and return ``dx`` with the input's shape."""
        dh, dW_hy, db_y = output_backward(d_outputs, self._require_cache())
        self._grads["W_hy"] += dW_hy
        self._grads["b_y"] += db_y
        self.d_state = None
        return dh


class LastStep(Module):
    """Keep only the last time step: (N, T, H) -> (N, H), for many-to-one models.

    Book page: ``book/first_rnn``.
    """

    def forward(self, x, state=None):
        x = as_float_array("x", x, ndim=3)
        self._cache = x.shape
        return x[:, -1].copy(), None

    def backward(self, d_outputs, d_final_state=None):
        shape = self._require_cache()
        d = as_float_array("d_outputs", d_outputs, shape=(shape[0], shape[2]))
        dx = np.zeros(shape, dtype=d.dtype)
        dx[:, -1] = d
        self.d_state = None
        return dx
