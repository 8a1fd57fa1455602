r"""A 1-D convolution over time and max-pooling, the convolutional half of an RCNN.

Taught on the book page *Recurrent convolutional networks* (``book/variants/rcnn``).

A filter of width :math:`K` slides along the time axis and looks at :math:`K`
consecutive steps at once, so it detects *local* patterns (an edge in a signal,
a short n-gram) wherever they occur. With input channels :math:`c` and output
channels :math:`o`, in PyTorch's layout ``W`` of shape ``(C_out, C_in, K)``:

.. math::

    y_{t,o} = b_o + \sum_{c=1}^{C_{in}} \sum_{k=0}^{K-1} W_{o,c,k}\, x_{t+k-p,\,c},

with zero padding :math:`p` on both ends, so :math:`T_{out} = T + 2p - K + 1`.
Unlike PyTorch, sequences are batch-first and channels-last, ``(N, T, C)``, as
everywhere in ``rnncourse``. The implementation gathers every window of
:math:`K` steps into a matrix ("im2col") so that the whole convolution is one
matrix product; the backward pass scatters the window gradients back.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..core.checks import (as_float_array, check_cache, check_choice, check_float_dtype, check_positive_int,
                           check_rng, check_same_dtype)
from ..core.module import Module


def _pad_time(x, p):
    if p == 0:
        return x
    return np.pad(x, ((0, 0), (p, p), (0, 0)))


class ConvCache(NamedTuple):
    """What :func:`conv1d_forward` keeps for :func:`conv1d_backward`."""

    cols: np.ndarray           #: the input windows, (N, T_out, C_in K)
    W: np.ndarray
    x_shape: tuple
    padding: int


def conv1d_forward(x, W, b, padding=0):
    r"""Convolve along time: ``x`` (N, T, C_in) -> (N, T_out, C_out).

    Parameters
    ----------
    x : ndarray, shape (N, T, C_in)
    W : ndarray, shape (C_out, C_in, K)
    b : ndarray, shape (C_out,)
    padding : int
        Zeros added at both ends of the time axis.

    Returns
    -------
    y : ndarray, shape (N, T + 2*padding - K + 1, C_out)
    cache : ConvCache

    Book page: ``book/variants/rcnn``.
    """
    W = as_float_array("W", W, ndim=3)
    C_out, C_in, K = W.shape
    b = as_float_array("b", b, shape=(C_out,))
    x = as_float_array("x", x, ndim=3, shape=(None, None, C_in), copy=True)
    check_same_dtype(x=x, W=W, b=b)
    if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) or padding < 0:
        raise ValueError(f"padding must be a non-negative int, got {padding!r}")
    N, T, _ = x.shape
    if T + 2 * padding < K:
        raise ValueError(f"x has {T} time steps, fewer than the kernel width K={K} "
                         f"(with padding={padding}); use a longer sequence or more padding")
    xp = _pad_time(x, padding)
    cols = sliding_window_view(xp, K, axis=1)          # (N, T_out, C_in, K)
    T_out = cols.shape[1]
    cols = cols.reshape(N, T_out, C_in * K)
    y = cols @ W.reshape(C_out, C_in * K).T + b
    return y, ConvCache(cols, W, x.shape, padding)


def conv1d_backward(dy, cache):
    r"""Backward of :func:`conv1d_forward`.

    .. math::

        \frac{\partial L}{\partial W_{o,c,k}} = \sum_{n,t} \frac{\partial L}{\partial y_{t,o}} x_{t+k-p,c},
        \qquad
        \frac{\partial L}{\partial x_{s,c}} = \sum_{o,k} \frac{\partial L}{\partial y_{s-k+p,o}} W_{o,c,k}.

    Parameters
    ----------
    dy : ndarray, shape (N, T_out, C_out)
    cache : ConvCache
        From :func:`conv1d_forward`.

    Returns
    -------
    dx : ndarray, shape (N, T, C_in)
    dW : ndarray, shape (C_out, C_in, K)
    db : ndarray, shape (C_out,)

    Book page: ``book/variants/rcnn``.
    """
    cols, W, x_shape, p = check_cache(cache, ConvCache, "conv1d_forward")
    C_out, C_in, K = W.shape
    N, T, _ = x_shape
    T_out = cols.shape[1]
    dy = as_float_array("dy", dy, shape=(N, T_out, C_out), dtype=W.dtype)
    dW = (dy.reshape(-1, C_out).T @ cols.reshape(-1, C_in * K)).reshape(W.shape)
    db = dy.sum(axis=(0, 1))
    dcols = (dy @ W.reshape(C_out, C_in * K)).reshape(N, T_out, C_in, K)
    dxp = np.zeros((N, T + 2 * p, C_in), dtype=dy.dtype)
    for k in range(K):                       # window offset k touches steps t + k
        dxp[:, k:k + T_out] += dcols[..., k]
    return dxp[:, p:p + T], dW, db


class Conv1d(Module):
    r"""A convolution over time as a module, with an optional ReLU.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int
        K, the number of consecutive steps each filter sees.
    padding : int or "same"
        ``"same"`` pads :math:`(K-1)/2` steps on each side (odd K only) so that
        :math:`T_{out} = T`.
    activation : {None, "relu"}
    rng : numpy.random.Generator
        Weights uniform in :math:`\pm 1/\sqrt{C_{in} K}` (PyTorch's default bound).
    dtype : {numpy.float64, numpy.float32}

    Book page: ``book/variants/rcnn``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, padding=0, activation=None, *, rng,
                 dtype=np.float64):
        super().__init__()
        self.in_channels = check_positive_int("in_channels", in_channels)
        self.out_channels = check_positive_int("out_channels", out_channels)
        self.kernel_size = K = check_positive_int("kernel_size", kernel_size)
        if padding == "same":
            if K % 2 == 0:
                raise ValueError(f"padding='same' needs an odd kernel_size, got {K}")
            padding = (K - 1) // 2
        if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) or padding < 0:
            raise ValueError(f"padding must be a non-negative int or 'same', got {padding!r}")
        self.padding = int(padding)
        self.activation = check_choice("activation", activation, (None, "relu"))
        check_rng("rng", rng)
        self.dtype = check_float_dtype("dtype", dtype)
        bound = 1.0 / np.sqrt(self.in_channels * K)
        self.add_param("W", rng.uniform(-bound, bound, (self.out_channels, self.in_channels, K)).astype(self.dtype))
        self.add_param("b", rng.uniform(-bound, bound, self.out_channels).astype(self.dtype))

    def forward(self, x, state=None):
        """``x`` (N, T, C_in) -> ``(y (N, T_out, C_out), None)``."""
        x = as_float_array("x", x, ndim=3, shape=(None, None, self.in_channels), dtype=self.dtype)
        y, cache = conv1d_forward(x, self._params["W"], self._params["b"], self.padding)
        if self.activation == "relu":
            y = np.maximum(y, 0.0)
        self._cache = (cache, y)
        return y, None

    def backward(self, d_outputs, d_final_state=None):
        cache, y = self._require_cache()
        d = as_float_array("d_outputs", d_outputs, shape=y.shape)
        if self.activation == "relu":
            d = d * (y > 0)
        dx, dW, db = conv1d_backward(d, cache)
        self._grads["W"] += dW
        self._grads["b"] += db
        self.d_state = None
        return dx


class MaxPool1d(Module):
    r"""Max over non-overlapping windows of ``kernel_size`` steps: (N, T, C) -> (N, T // k, C).

    Trailing steps that do not fill a window are dropped (as in PyTorch). The
    gradient flows only to the step that held each maximum.

    Book page: ``book/variants/rcnn``.
    """

    def __init__(self, kernel_size):
        super().__init__()
        self.kernel_size = check_positive_int("kernel_size", kernel_size)

    def forward(self, x, state=None):
        x = as_float_array("x", x, ndim=3)
        N, T, C = x.shape
        k = self.kernel_size
        if T < k:
            raise ValueError(f"x has {T} time steps, fewer than the pooling kernel_size {k}")
        Tp = T // k
        windows = x[:, :Tp * k].reshape(N, Tp, k, C)
        arg = windows.argmax(axis=2)                       # (N, Tp, C)
        y = np.take_along_axis(windows, arg[:, :, None, :], axis=2)[:, :, 0]
        self._cache = (x.shape, arg)
        return y, None

    def backward(self, d_outputs, d_final_state=None):
        (N, T, C), arg = self._require_cache()
        k = self.kernel_size
        Tp = T // k
        d = as_float_array("d_outputs", d_outputs, shape=(N, Tp, C))
        dwin = np.zeros((N, Tp, k, C), dtype=d.dtype)
        np.put_along_axis(dwin, arg[:, :, None, :], d[:, :, None, :], axis=2)
        dx = np.zeros((N, T, C), dtype=d.dtype)
        dx[:, :Tp * k] = dwin.reshape(N, Tp * k, C)
        self.d_state = None
        return dx
