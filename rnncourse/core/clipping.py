r"""Gradient clipping, the standard cure for exploding gradients.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

*By value* clamps every entry to :math:`[-c, c]`, which can change the
gradient's direction. *By global norm* rescales all gradients together when their
joint norm :math:`\|g\| = \sqrt{\sum_k \|g_k\|^2}` exceeds a threshold
:math:`\tau`, keeping the direction:

.. math:: g \leftarrow g \cdot \min\!\left(1, \frac{\tau}{\|g\|}\right).

Both act *in place* on a dict of gradient arrays such as ``model.grads``.
"""
from __future__ import annotations

import numpy as np

from .checks import check_positive_float


def _check_grads(grads):
    if not isinstance(grads, dict) or not all(isinstance(g, np.ndarray) for g in grads.values()):
        raise TypeError("grads must be a dict of numpy arrays, such as model.grads")


def global_norm(grads: dict) -> float:
    r"""Joint Euclidean norm :math:`\sqrt{\sum_k \|g_k\|_F^2}` of a dict of arrays.

    Book page: ``book/bptt``.
    """
    _check_grads(grads)
    return float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values())))


def clip_grads_by_value(grads: dict, clip_value: float) -> dict:
    """Clamp every gradient entry to ``[-clip_value, clip_value]`` in place.

    Parameters
    ----------
    grads : dict of str -> ndarray
    clip_value : float > 0

    Returns
    -------
    dict, the same ``grads`` (modified).

    Book page: ``book/bptt``.
    """
    _check_grads(grads)
    c = check_positive_float("clip_value", clip_value)
    for g in grads.values():
        np.clip(g, -c, c, out=g)
    return grads


def clip_grads_by_global_norm(grads: dict, max_norm: float) -> float:
    """Rescale all gradients in place so that their global norm is at most ``max_norm``.

    Parameters
    ----------
    grads : dict of str -> ndarray
    max_norm : float > 0

    Returns
    -------
    float
        The global norm *before* clipping (useful to log exploding steps).

    Book page: ``book/bptt``.
    """
    _check_grads(grads)
    tau = check_positive_float("max_norm", max_norm)
    norm = global_norm(grads)
    if not np.isfinite(norm):
        raise FloatingPointError(f"the gradients' global norm is {norm}; clipping cannot recover NaN or inf "
                                 "(lower the learning rate or check the inputs)")
    if norm > tau:
        scale = tau / norm
        for g in grads.values():
            g *= scale
    return norm
