r"""Losses over time, each returning ``(loss, gradient)``.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

Sequences in a batch often have different lengths; they are padded to a common
``T`` and a *mask* marks the real positions (1) and the padding (0). Padded
positions add nothing to the loss and receive zero gradient. ``reduction="mean"``
averages over the real positions; ``"sum"`` adds them up.
"""
from __future__ import annotations

import numpy as np

from .checks import as_float_array, as_int_array, as_mask, check_choice
from .activations import log_softmax


def _check_mask(mask, shape):
    """The mask as bool (all True when None), checked by :func:`rnncourse.core.checks.as_mask`."""
    return np.ones(shape, dtype=bool) if mask is None else as_mask("mask", mask, shape)


def softmax_cross_entropy(logits, targets, mask=None, reduction="mean"):
    r"""Softmax followed by cross-entropy, at every (unmasked) position.

    .. math::

        L = -\frac{1}{|M|}\sum_{(n,t) \in M} \log \operatorname{softmax}(z_{n,t})_{c_{n,t}},
        \qquad
        \frac{\partial L}{\partial z_{n,t}} = \frac{\operatorname{softmax}(z_{n,t}) - \mathbf{1}_{c_{n,t}}}{|M|}.

    Parameters
    ----------
    logits : ndarray, shape (N, T, C) or (N, C)
        Raw scores :math:`z` from the output layer.
    targets : ndarray of int, shape (N, T) or (N,)
        Class indices in ``[0, C)``.
    mask : ndarray of bool or 0/1, shape of ``targets``, optional
        1 for real positions, 0 for padding.
    reduction : {"mean", "sum"}

    Returns
    -------
    loss : float
    dlogits : ndarray, shape of ``logits``

    Book page: ``book/bptt``.
    """
    check_choice("reduction", reduction, ("mean", "sum"))
    logits = as_float_array("logits", logits)
    if logits.ndim not in (2, 3):
        raise ValueError(f"logits must have shape (N, T, C) or (N, C), got {logits.shape}")
    C = logits.shape[-1]
    t = as_int_array("targets", targets, shape=logits.shape[:-1])
    m = _check_mask(mask, t.shape)
    bad = m & ((t < 0) | (t >= C))
    if bad.any():
        raise ValueError(f"targets must be class indices in [0, {C}); found {int(t[bad].flat[0])}")
    t_safe = np.where(m, t, 0)
    logp = log_softmax(logits)
    picked = np.take_along_axis(logp, t_safe[..., None], axis=-1)[..., 0]
    scale = 1.0 / int(m.sum()) if reduction == "mean" else 1.0     # Python floats: the loss is a float
    loss = -float(np.sum(picked[m])) * scale
    d = np.exp(logp)
    np.put_along_axis(d, t_safe[..., None], np.take_along_axis(d, t_safe[..., None], axis=-1) - 1.0, axis=-1)
    d *= (m[..., None] * scale).astype(d.dtype)
    return loss, d


def mse(pred, target, mask=None, reduction="mean"):
    r"""Mean squared error at every (unmasked) position.

    .. math::

        L = \frac{1}{|M|}\sum_{i \in M} (\hat y_i - y_i)^2, \qquad
        \frac{\partial L}{\partial \hat y_i} = \frac{2(\hat y_i - y_i)}{|M|},

    where :math:`M` counts every scalar entry that is not padding.

    Parameters
    ----------
    pred : ndarray, shape (N, T, O) or (N, O)
    target : ndarray, shape of ``pred``
    mask : ndarray of bool or 0/1, shape ``pred.shape[:-1]``, optional
        One entry per position (all O outputs of a position share it).
    reduction : {"mean", "sum"}

    Returns
    -------
    loss : float
    dpred : ndarray, shape of ``pred``

    Book page: ``book/bptt``.
    """
    check_choice("reduction", reduction, ("mean", "sum"))
    pred = as_float_array("pred", pred)
    if pred.ndim not in (2, 3):
        raise ValueError(f"pred must have shape (N, T, O) or (N, O), got {pred.shape}")
    target = as_float_array("target", target, shape=pred.shape, dtype=pred.dtype, dtype_of="pred")
    m = _check_mask(mask, pred.shape[:-1])
    w = np.broadcast_to(m[..., None], pred.shape).astype(pred.dtype)
    diff = (pred - target) * w
    scale = 1.0 / float(w.sum()) if reduction == "mean" else 1.0   # a Python float keeps dpred's dtype
    loss = float(np.sum(diff * diff)) * scale
    return loss, (2.0 * scale) * diff
