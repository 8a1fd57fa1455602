r"""Measuring vanishing and exploding gradients.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

Backpropagation through time multiplies the gradient by one Jacobian per step:

.. math::

    \frac{\partial h_T}{\partial h_{T-k}} = \prod_{t=T-k+1}^{T} \frac{\partial h_t}{\partial h_{t-1}}
    = \prod_{t} \operatorname{diag}\big(f'(a_t)\big)\, W_{hh}.

Since :math:`|\tanh'| \le 1`, the norm of this product is at most
:math:`\|W_{hh}\|_2^k`: when the spectral radius :math:`\rho(W_{hh})` is below
one the gradient shrinks geometrically with the lag :math:`k` (vanishing); when
it is well above one and the units are not saturated, it can grow (exploding).
:func:`gradient_norm_by_lag` measures this on any recurrent module: it sends a
gradient into the last output only and reads how much of it reaches the input
of every earlier step.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_positive_float, check_rng
from ..core.module import Module


def spectral_radius(W) -> float:
    r"""Largest absolute eigenvalue :math:`\rho(W)` of a square matrix.

    Parameters
    ----------
    W : ndarray, shape (H, H)

    Returns
    -------
    float

    Book page: ``book/bptt``.
    """
    W = as_float_array("W", W, ndim=2)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square, got shape {W.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def scale_to_spectral_radius(W, rho):
    r"""Return ``W`` rescaled so that its spectral radius is ``rho``: :math:`W \rho / \rho(W)`.

    Parameters
    ----------
    W : ndarray, shape (H, H)
    rho : float > 0

    Returns
    -------
    ndarray, shape (H, H)

    Book page: ``book/bptt``.
    """
    rho = check_positive_float("rho", rho)
    current = spectral_radius(W)
    if current == 0:
        raise ValueError("W has spectral radius 0 (all eigenvalues zero); it cannot be rescaled")
    return W * (rho / current)


def gradient_norm_by_lag(layer: Module, x, *, rng=None):
    r"""Norm of the gradient that reaches each input step from the last output alone.

    A unit-norm gradient :math:`g` is placed on the last output
    :math:`h_T` (nothing on the other steps); after the backward pass the
    norm :math:`\|\partial (g^\top h_T) / \partial x_{T-k}\|` at lag :math:`k`
    shows how strongly step :math:`T-k` can still influence the loss at :math:`T`.
    Averaged over the batch. Parameter gradients the call leaves behind are reset.

    Parameters
    ----------
    layer : Module
        Any recurrent module (RNN, LSTM, GRU, ...), outputs (N, T, H).
    x : ndarray, shape (N, T, D)
    rng : numpy.random.Generator, optional
        Draws the direction :math:`g`; all ones (normalised) when omitted.

    Returns
    -------
    lags : ndarray of int, shape (T_in,)
        :math:`k = 0, \dots, T_{in}-1`, counted over the input steps (an RCNN with
        pooling or a hierarchical RNN has fewer outputs than inputs).
    norms : ndarray, shape (T_in,)
        Mean gradient norm at each lag.

    Book page: ``book/bptt``.
    """
    x = as_float_array("x", x, ndim=3)
    out, _ = layer.forward(x)
    N, _, H = out.shape
    g = np.zeros_like(out)
    if rng is None:
        g[:, -1] = 1.0 / np.sqrt(H)
    else:
        check_rng("rng", rng)
        v = rng.standard_normal((N, H))
        g[:, -1] = v / np.linalg.norm(v, axis=1, keepdims=True)
    layer.zero_grad()
    dx = layer.backward(g)
    layer.zero_grad()
    norms = np.linalg.norm(dx, axis=2).mean(axis=0)        # one per INPUT step t
    # lag k = (last input step) - t; the input may be longer than the output (pooling, chunks)
    return np.arange(norms.size), norms[::-1].copy()
