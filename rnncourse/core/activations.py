r"""Activation functions and their derivatives.

Taught on the book page *The math of an RNN* (``book/math``). Each activation
``f`` comes with ``f_grad(out)``, its derivative written in terms of the
activation's *output*, which is what the backward pass of a recurrent layer
keeps in its cache:

.. math::

    \tanh'(a) = 1 - \tanh^2(a), \qquad
    \sigma'(a) = \sigma(a)\,(1 - \sigma(a)), \qquad
    \operatorname{relu}'(a) = [a > 0].

All functions work elementwise on arrays of any shape and keep the dtype.
"""
from __future__ import annotations

import numpy as np

from .checks import as_float_array, check_choice, check_int, check_like


def tanh(a):
    r"""Hyperbolic tangent, :math:`\tanh(a) = (e^{a} - e^{-a}) / (e^{a} + e^{-a})`.

    Parameters
    ----------
    a : ndarray, any shape, float

    Returns
    -------
    ndarray, same shape and dtype as ``a``, values in (-1, 1).

    Book page: ``book/math``.
    """
    a = as_float_array("a", a)
    return np.tanh(a)


def tanh_grad(out):
    r"""Derivative of tanh from its output: :math:`1 - \tanh^2(a)` with ``out = tanh(a)``.

    Parameters
    ----------
    out : ndarray, any shape, float. The value ``tanh(a)``.

    Returns
    -------
    ndarray, same shape as ``out``.

    Book page: ``book/math``.
    """
    out = as_float_array("out", out)
    return 1.0 - out * out


def sigmoid(a):
    r"""Logistic sigmoid :math:`\sigma(a) = 1 / (1 + e^{-a})`, computed without overflow.

    For :math:`a \ge 0` it evaluates ``1 / (1 + exp(-a))``, for :math:`a < 0` the
    equal ``exp(a) / (1 + exp(a))``; either way ``exp`` only sees non-positive
    numbers, so ``sigmoid(-1000.0)`` is ``0.0`` with no overflow warning and
    small values keep their relative precision.

    Parameters
    ----------
    a : ndarray, any shape, float

    Returns
    -------
    ndarray, same shape and dtype as ``a``, values in [0, 1].

    Book page: ``book/math``.
    """
    return sigmoid_unchecked(as_float_array("a", a))


def sigmoid_unchecked(a):
    """The stable sigmoid of :func:`sigmoid` without input checks, for use inside time loops.

    Book page: ``book/math``.
    """
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def sigmoid_grad(out):
    r"""Derivative of the sigmoid from its output: :math:`\sigma(a)(1 - \sigma(a))`.

    Parameters
    ----------
    out : ndarray, any shape, float. The value ``sigmoid(a)``.

    Book page: ``book/math``.
    """
    out = as_float_array("out", out)
    return out * (1.0 - out)


def relu(a):
    r"""Rectified linear unit :math:`\max(0, a)`.

    Parameters
    ----------
    a : ndarray, any shape, float

    Returns
    -------
    ndarray, same shape and dtype as ``a``.

    Book page: ``book/math``.
    """
    a = as_float_array("a", a)
    return np.maximum(a, 0.0).astype(a.dtype, copy=False)


def relu_grad(out):
    r"""Derivative of relu from its output: 1 where ``out > 0``, else 0.

    The derivative at exactly 0 is taken as 0 (as PyTorch does).

    Book page: ``book/math``.
    """
    out = as_float_array("out", out)
    return (out > 0).astype(out.dtype)


def _check_axis(axis, a, name) -> int:
    """``axis`` as an int naming one of the axes of the array ``a`` (negative counts from the end)."""
    if a.ndim == 0:
        raise ValueError(f"{name} must have at least one axis (the classes), got a 0-D array")
    return check_int("axis", axis, -a.ndim, a.ndim - 1)


def softmax(a, axis: int = -1):
    r"""Softmax along ``axis``: :math:`\operatorname{softmax}(a)_k = e^{a_k} / \sum_j e^{a_j}`.

    The maximum is subtracted first, so large logits do not overflow.

    Parameters
    ----------
    a : ndarray, any shape, float. Logits.
    axis : int. The axis holding the classes (default: the last).

    Returns
    -------
    ndarray, same shape as ``a``; entries in [0, 1] summing to 1 along ``axis``.

    Book page: ``book/math``.
    """
    a = as_float_array("a", a)
    axis = _check_axis(axis, a, "a")
    z = a - np.max(a, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(a, axis: int = -1):
    r"""Logarithm of the softmax, :math:`a_k - \log \sum_j e^{a_j}`, computed stably.

    Use it for cross-entropy: ``log(softmax(a))`` underflows to ``-inf`` where
    this stays finite.

    Parameters
    ----------
    a : ndarray, any shape, float. Logits.
    axis : int. The axis holding the classes.

    Returns
    -------
    ndarray, same shape as ``a``, entries <= 0.

    Book page: ``book/math``.
    """
    a = as_float_array("a", a)
    axis = _check_axis(axis, a, "a")
    z = a - np.max(a, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def softmax_backward(dout, out, axis: int = -1):
    r"""Vector-Jacobian product of the softmax.

    With :math:`p = \operatorname{softmax}(a)` and upstream gradient :math:`g = \partial L/\partial p`,

    .. math:: \frac{\partial L}{\partial a} = p \odot \left(g - \textstyle\sum_k g_k p_k\right).

    Parameters
    ----------
    dout : ndarray, same shape as ``out``. Gradient with respect to the softmax output.
    out : ndarray. The softmax output ``p``.

    Returns
    -------
    ndarray, same shape: gradient with respect to the logits.

    Book page: ``book/math``.
    """
    out = as_float_array("out", out)
    dout = check_like("dout", dout, out, like_name="out")
    axis = _check_axis(axis, out, "out")
    return out * (dout - np.sum(dout * out, axis=axis, keepdims=True))


def log_softmax_backward(dout, out, axis: int = -1):
    r"""Vector-Jacobian product of log-softmax.

    With :math:`\ell = \operatorname{log\_softmax}(a)` and :math:`g = \partial L/\partial \ell`,

    .. math:: \frac{\partial L}{\partial a} = g - e^{\ell} \textstyle\sum_k g_k.

    Parameters
    ----------
    dout : ndarray, same shape as ``out``. Gradient with respect to the log-softmax output.
    out : ndarray. The log-softmax output.

    Book page: ``book/math``.
    """
    out = as_float_array("out", out)
    dout = check_like("dout", dout, out, like_name="out")
    axis = _check_axis(axis, out, "out")
    return dout - np.exp(out) * np.sum(dout, axis=axis, keepdims=True)


#: The hidden-state nonlinearities a recurrent layer accepts, each name mapped to the pair (f, f_grad).
NONLINEARITIES = {"tanh": (np.tanh, lambda out: 1.0 - out * out),
                  "relu": (lambda a: np.maximum(a, 0.0), lambda out: (out > 0).astype(out.dtype))}


def get_nonlinearity(name: str):
    """Return ``(f, f_grad)`` for a hidden-state nonlinearity name (``"tanh"`` or ``"relu"``).

    The pair works on arrays already validated by the caller (no checks, for speed
    inside the time loop).

    Book page: ``book/math``.
    """
    check_choice("nonlinearity", name, tuple(NONLINEARITIES))
    return NONLINEARITIES[name]
