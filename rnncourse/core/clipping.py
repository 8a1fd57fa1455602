r"""Gradient clipping, the standard cure for exploding gradients.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

*By value* clamps every entry to :math:`[-c, c]`, which can change the
gradient's direction. *By global norm* rescales all gradients together when their
joint norm :math:`\|g\| = \sqrt{\sum_k \|g_k\|^2}` exceeds a threshold
:math:`\tau`, keeping the direction:

.. math:: g \leftarrow g \cdot \min\!\left(1, \frac{\tau}{\|g\|}\right).

Both act *in place* on a dict of gradient arrays such as ``model.grads``. Clipping
cannot repair a NaN or an infinity: such an entry raises a ``ValueError`` naming it
(``grads['W_hh'] contains 1 NaN ...``).
"""
from __future__ import annotations

import numpy as np

from .checks import check_array_dict, check_positive_float


def _scaled_norm(grads: dict) -> tuple[float, float]:
    """``(m, s)`` with the global norm ``m * s``: ``m`` the largest magnitude, ``s`` the norm of ``g / m``.

    Dividing by ``m`` first keeps the squares from overflowing (entries near 1e200 are finite,
    their squares are not), so a finite gradient always has a meaningful norm.
    """
    m = max((float(np.max(np.abs(g))) for g in grads.values()), default=0.0)
    if m == 0.0:
        return 0.0, 0.0
    return m, float(np.sqrt(sum(float(np.sum(np.square(g.astype(np.float64) / m))) for g in grads.values())))


def global_norm(grads: dict) -> float:
    r"""Joint Euclidean norm :math:`\sqrt{\sum_k \|g_k\|_F^2}` of a dict of arrays.

    Parameters
    ----------
    grads : dict of str -> ndarray
        Finite float arrays, such as ``model.grads``; a NaN or infinity raises a
        ``ValueError`` naming its entry.

    Returns
    -------
    float

    Book page: ``book/bptt``.
    """
    check_array_dict("grads", grads)
    m, s = _scaled_norm(grads)
    return m * s


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
    check_array_dict("grads", grads)
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
    check_array_dict("grads", grads)
    tau = check_positive_float("max_norm", max_norm)
    m, s = _scaled_norm(grads)
    norm = m * s
    if norm > tau:
        scale = (tau / m) / s                 # tau / norm, without forming a norm that may overflow
        for g in grads.values():
            g *= g.dtype.type(scale)
    return norm
