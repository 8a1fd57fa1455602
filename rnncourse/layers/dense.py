r"""A fully connected layer applied at every time step (a "time-distributed" dense layer).

Taught on the book page *Deep RNNs* (``book/variants/deep_rnn``).

The same weights act on each step's vector independently:

.. math::

    z_t = W x_t + b, \qquad y_t = g(z_t),

with :math:`g` the identity (default), tanh, relu or the sigmoid. The affine
part is :func:`rnncourse.layers.output.output_forward` (the output layer of the book
is this layer with :math:`g` = identity); this module adds the activation.

=============  ==========  ==================================
rnncourse      shape       PyTorch ``nn.Linear``
=============  ==========  ==================================
``W``          ``(F, D)``  ``weight`` (out_features, in_features)
``b``          ``(F,)``    ``bias``
=============  ==========  ==================================

Backward, with :math:`\delta_t = \partial L/\partial z_t = \partial L/\partial y_t
\odot g'(z_t)`: :math:`\partial L/\partial x_t = \delta_t W`,
:math:`\partial L/\partial W = \sum_{n,t} \delta_t^\top x_t`,
:math:`\partial L/\partial b = \sum_{n,t} \delta_t`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.checks import (as_float_array, check_cache, check_choice, check_float_dtype, check_positive_int,
                           check_rng, check_same_dtype)
from ..core.activations import relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad
from ..core.module import Module
from .output import OutputCache, output_backward, output_forward

#: activation name -> (g, g' written in terms of g's output)
ACTIVATIONS = {None: None, "tanh": (tanh, tanh_grad), "relu": (relu, relu_grad),
               "sigmoid": (sigmoid, sigmoid_grad)}


class DenseCache(NamedTuple):
    """What :func:`dense_forward` keeps for :func:`dense_backward`."""

    affine: OutputCache        #: the affine part's cache
    activation: str | None
    y: np.ndarray | None       #: the activation's output (None without one)


def dense_forward(x, W, b, activation=None):
    r"""Affine map and activation at every step: :math:`y_t = g(W x_t + b)`.

    Parameters
    ----------
    x : ndarray, shape (N, T, D) or (N, D)
    W : ndarray, shape (F, D)
    b : ndarray, shape (F,)
    activation : {None, "tanh", "relu", "sigmoid"}
        :math:`g`; ``None`` is the identity.

    Returns
    -------
    y : ndarray, shape (N, T, F) or (N, F)
    cache : DenseCache
        For :func:`dense_backward`.

    Book page: ``book/variants/deep_rnn``.
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, shape=(W.shape[0],))
    x = as_float_array("x", x, copy=True)
    if x.ndim not in (2, 3) or x.shape[-1] != W.shape[1]:
        raise ValueError(f"x must have shape (N, T, {W.shape[1]}) or (N, {W.shape[1]}) to match W {W.shape}, "
                         f"got {x.shape}")
    check_same_dtype(x=x, W=W, b=b)
    z, affine_cache = output_forward(x, W, b)
    if activation is None:
        return z, DenseCache(affine_cache, None, None)
    y = ACTIVATIONS[activation][0](z)
    return y.copy(), DenseCache(affine_cache, activation, y)          # the caller gets its own copy


def dense_backward(dy, cache):
    r"""Backward of :func:`dense_forward`.

    .. math::

        \delta_t = \frac{\partial L}{\partial y_t} \odot g'(z_t), \quad
        \frac{\partial L}{\partial x_t} = \delta_t W, \quad
        \frac{\partial L}{\partial W} = \sum_{n,t} \delta_t^\top x_t, \quad
        \frac{\partial L}{\partial b} = \sum_{n,t} \delta_t.

    Parameters
    ----------
    dy : ndarray, shape (N, T, F) or (N, F)
    cache : DenseCache
        From :func:`dense_forward`.

    Returns
    -------
    dx, dW, db : ndarray
        Shapes of ``x``, (F, D) and (F,): :func:`~rnncourse.layers.output.output_backward` applied
        to :math:`\delta`, with ``x``, ``W``, ``b`` in the places of ``h``, ``W_hy``, ``b_y``.

    Book page: ``book/variants/deep_rnn``.
    """
    affine_cache, activation, y = check_cache(cache, DenseCache, "dense_forward")
    if activation is not None:
        dy = as_float_array("dy", dy, shape=y.shape, dtype=y.dtype)
        dy = dy * ACTIVATIONS[activation][1](y)
    return output_backward(dy, affine_cache)


class Dense(Module):
    r"""A dense layer :math:`y_t = g(W x_t + b)` applied at every time step.

    Parameters
    ----------
    in_features : int
        D, the size of each input vector.
    out_features : int
        F, the size of each output vector.
    activation : {None, "tanh", "relu", "sigmoid"}
        :math:`g`; ``None`` (default) is the identity.
    rng : numpy.random.Generator
        ``W`` and ``b`` are drawn uniformly from :math:`[-1/\sqrt{D}, 1/\sqrt{D}]`,
        as PyTorch's ``nn.Linear`` does.
    dtype : {numpy.float64, numpy.float32}

    Attributes
    ----------
    params : dict
        ``W`` (F, D), ``b`` (F,).
    input_size, output_size : int
        Aliases of ``in_features`` and ``out_features`` (the names
        :class:`rnncourse.models.stacked.Stacked` reads to check sizes).

    Notes
    -----
    ``forward(x, state=None)`` takes ``x`` of shape (N, T, D) or (N, D) and
    returns ``(y, None)``; the layer has no state, so ``state`` and
    ``d_final_state`` must be ``None`` and ``d_state`` is ``None``.

    Book page: ``book/variants/deep_rnn``.
    """

    def __init__(self, in_features, out_features, activation=None, *, rng, dtype=np.float64):
        super().__init__()
        self.in_features = self.input_size = check_positive_int("in_features", in_features)
        self.out_features = self.output_size = check_positive_int("out_features", out_features)
        self.activation = check_choice("activation", activation, tuple(ACTIVATIONS))
        check_rng("rng", rng)
        self.dtype = check_float_dtype("dtype", dtype)
        k = 1.0 / np.sqrt(self.in_features)
        self.add_param("W", rng.uniform(-k, k, (self.out_features, self.in_features)).astype(self.dtype))
        self.add_param("b", rng.uniform(-k, k, self.out_features).astype(self.dtype))

    def forward(self, x, state=None):
        """``x`` (N, T, D) or (N, D) -> ``(y, None)`` with ``y`` (N, T, F) or (N, F)."""
        if state is not None:
            raise ValueError(f"Dense has no state: state must be None, got {type(state).__name__}")
        x = as_float_array("x", x, dtype=self.dtype)
        y, self._cache = dense_forward(x, self._params["W"], self._params["b"], self.activation)
        return y, None

    def backward(self, d_outputs, d_final_state=None):
        """Accumulate ``grads`` and return ``dx`` with the input's shape."""
        cache = self._require_cache()
        if d_final_state is not None:
            raise ValueError("Dense has no state: d_final_state must be None, "
                             f"got {type(d_final_state).__name__}")
        dx, dW, db = dense_backward(d_outputs, cache)
        self._grads["W"] += dW
        self._grads["b"] += db
        self.d_state = None
        return dx

    def __repr__(self):
        return (f"Dense({self.in_features}, {self.out_features}, activation={self.activation!r}; "
                f"{self.num_parameters()} parameters)")
