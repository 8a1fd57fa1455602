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
of every earlier step; :func:`factor_per_step` sums such a curve up as the
average factor by which the norm changes per step of lag.
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


def factor_per_step(lags, norms, first=10, last=50) -> float:
    r"""Average factor by which the gradient norm changes per step of lag: :math:`e^{\text{slope}}`.

    Fits a straight line to :math:`\log(\text{norm})` against the lag over
    ``first <= lag <= last`` (least squares) and returns the exponential of its
    slope: below 1 the gradient vanishes geometrically, above 1 it explodes. The
    first lags are left out, where the norm has not settled into its geometric rate.

    Parameters
    ----------
    lags : ndarray of int, shape (T,)
        :math:`0, 1, \dots, T-1`, as returned by :func:`gradient_norm_by_lag`.
    norms : ndarray, shape (T,)
        Positive gradient norms at those lags.
    first : int
        Smallest lag of the fit, at least 0.
    last : int
        Largest lag of the fit, larger than ``first`` and smaller than T.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        ``lags`` and ``norms`` differ in shape, the range ``first..last`` does
        not hold two lags within the curve, or a norm in it is not positive
        and finite.

    Book page: ``book/variants/elman``.
    """
    lags = np.asarray(lags)
    if lags.ndim != 1 or not (np.issubdtype(lags.dtype, np.integer) or np.issubdtype(lags.dtype, np.floating)):
        raise ValueError(f"lags must be a 1-D array of numbers, got shape {lags.shape} and dtype {lags.dtype}")
    norms = as_float_array("norms", norms, ndim=1, allow_nonfinite=True)
    if lags.shape != norms.shape:
        raise ValueError(f"lags and norms must have the same shape, got {lags.shape} and {norms.shape}")
    if isinstance(first, bool) or isinstance(last, bool) or not (0 <= first < last < lags.size):
        raise ValueError(f"need 0 <= first < last < {lags.size} (the curve's length), got first={first}, "
                         f"last={last}")
    k = slice(int(first), int(last) + 1)
    if not np.all(np.isfinite(norms[k]) & (norms[k] > 0)):
        raise ValueError(f"norms at lags {first}..{last} must be positive and finite to take their log")
    return float(np.exp(np.polyfit(lags[k], np.log(norms[k]), 1)[0]))
