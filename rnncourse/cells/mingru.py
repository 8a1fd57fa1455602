r"""A minimal GRU (Feng et al. 2024): a recurrence that is linear in its state, so it trains as a parallel scan.

Taught on the book page *Recurrences that train in parallel* (``book/parallel``).

The GRU's gates read the previous state, :math:`z_t = \sigma(W x_t + U h_{t-1} + b)`, and so
does its candidate; step :math:`t` cannot start before step :math:`t-1` is done. The minGRU
drops every :math:`h_{t-1}` from the gate and the candidate:

.. math::

    z_t = \sigma(W_z x_t + b_z), \qquad \tilde h_t = W_{\tilde h} x_t + b_{\tilde h}, \qquad
    h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t .

Write :math:`a_t = 1 - z_t` and :math:`b_t = z_t \odot \tilde h_t`: then
:math:`h_t = a_t \odot h_{t-1} + b_t`, a *linear* recurrence whose coefficients are known for
every step before any state is. Two steps compose into one step of the same form,

.. math::

    (a_2, b_2) \circ (a_1, b_1) = (a_2 a_1,\; a_2 b_1 + b_2),

and that composition is associative, so all the states are prefix "sums" under
:math:`\circ`: a *scan*. :func:`mingru_forward_scan` computes it with :func:`scan_linear`
in :math:`2 \lceil \log_2 T \rceil` dependent rounds (Blelloch's work-efficient scan),
where :func:`mingru_forward` runs the :math:`T` steps one after the other.
The gradient runs backwards through the same kind of recurrence,
:math:`g_t = \partial L/\partial h_t + a_{t+1} \odot g_{t+1}`, so the backward pass is a
reversed scan too.

What the minGRU gives up: its state no longer acts on itself through a nonlinearity. Each
:math:`h_t` is a weighted average of the candidates :math:`\tilde h_s`, :math:`s \le t`, with
weights fixed by the inputs alone; no gate can react to what the state currently holds.
Stacking layers (with nonlinearities between them) recovers some of that expressiveness.

Layout: ``W_xh`` (2H, D) holds the row blocks :math:`W_z` and :math:`W_{\tilde h}`, ``b_h`` (2H,)
the biases, in that order. There is no ``W_hh``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.activations import sigmoid_unchecked
from ..core.checks import as_float_array, check_cache, check_same_dtype
from .base import RecurrentLayer

GATE_ORDER = ("update", "candidate")


class MinGRUCache(NamedTuple):
    """What the forward functions keep for the backward ones (time-major arrays)."""

    x: np.ndarray          #: (T, N, D), a copy of the input
    z: np.ndarray          #: (T, N, H), the update gate
    cand: np.ndarray       #: (T, N, H), the candidate :math:`\tilde h_t`
    hs: np.ndarray         #: (T + 1, N, H), :math:`h_0, \dots, h_T`
    W_xh: np.ndarray


def _check(x, h0, W_xh, b_h):
    W_xh = as_float_array("W_xh", W_xh, ndim=2)
    if W_xh.shape[0] % 2:
        raise ValueError(f"W_xh must have 2*H rows (the blocks z and h~ stacked), got shape {W_xh.shape}")
    H, D = W_xh.shape[0] // 2, W_xh.shape[1]
    b_h = as_float_array("b_h", b_h, shape=(2 * H,))
    x = as_float_array("x", x, ndim=3, shape=(None, None, D), copy=True)
    h0 = as_float_array("h0", h0, shape=(x.shape[0], H), copy=True)
    check_same_dtype(x=x, h0=h0, W_xh=W_xh, b_h=b_h)
    return x, h0, W_xh, b_h, H


def _coefficients(x, W_xh, b_h, H):
    """Every step's gate and candidate at once (they do not depend on the state): time-major (T, N, H)."""
    xs = x.transpose(1, 0, 2)                                  # (T, N, D)
    pre = xs @ W_xh.T + b_h                                   # (T, N, 2H)
    return xs.copy(), sigmoid_unchecked(pre[..., :H]), pre[..., H:].copy()


def scan_linear(a, b, h0):
    r"""All states of :math:`h_t = a_t \odot h_{t-1} + b_t` by a work-efficient parallel (Blelloch) scan.

    The steps are padded to a power of two :math:`n` with identity steps :math:`(1, 0)`. The
    *up-sweep* combines neighbours pairwise, level by level, so that the last node of each
    block of :math:`2^d` steps holds their composition; the *down-sweep* hands every node the
    composition of all steps before it (an exclusive prefix), and one last product with the
    step itself gives :math:`h_t`. That is :math:`2 \log_2 n` rounds, each a vectorised
    operation on every :math:`2^d`-th step, and about :math:`2n` compositions in all: the same
    order of work as the loop, in :math:`O(\log T)` dependent rounds instead of :math:`T`.

    Parameters
    ----------
    a, b : ndarray, shape (T, N, H)
    h0 : ndarray, shape (N, H)

    Returns
    -------
    ndarray, shape (T, N, H)
        :math:`h_1, \dots, h_T`.

    Book page: ``book/parallel``.
    """
    T = len(a)
    n = 1 << (T - 1).bit_length()
    A = np.ones((n,) + a.shape[1:], a.dtype)
    B = np.zeros((n,) + b.shape[1:], b.dtype)
    A[:T], B[:T] = a, b
    B[0] += A[0] * h0                                          # fold h0 into the first step
    first_b = B[:T].copy()
    d = 1
    while d < n:                                               # up-sweep
        right, left = slice(2 * d - 1, n, 2 * d), slice(d - 1, n, 2 * d)
        B[right] += A[right] * B[left]                         # (left then right) composed
        A[right] *= A[left]
        d *= 2
    A[-1], B[-1] = 1.0, 0.0                                    # the root's prefix: nothing before it
    d = n // 2
    while d >= 1:                                              # down-sweep
        right, left = slice(2 * d - 1, n, 2 * d), slice(d - 1, n, 2 * d)
        left_A, left_B = A[left].copy(), B[left].copy()        # the left subtree's composition
        A[left], B[left] = A[right], B[right]                  # left child: the parent's prefix
        B[right] = left_A * B[right] + left_B                  # right child: parent's prefix, then left
        A[right] *= left_A
        d //= 2
    return a * B[:T] + first_b                                 # the exclusive prefix, then the step itself


def mingru_forward(x, h0, W_xh, b_h):
    r"""Run a minGRU over a sequence, one step after the other (the teaching loop).

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0 : ndarray, shape (N, H)
    W_xh : ndarray, shape (2H, D)
        Row blocks :math:`W_z`, :math:`W_{\tilde h}`.
    b_h : ndarray, shape (2H,)

    Returns
    -------
    h : ndarray, shape (N, T, H)
    cache : MinGRUCache

    Book page: ``book/parallel``.
    """
    x, h0, W_xh, b_h, H = _check(x, h0, W_xh, b_h)
    xs, z, cand = _coefficients(x, W_xh, b_h, H)
    hs = np.empty((len(xs) + 1,) + h0.shape, h0.dtype)
    hs[0] = h0
    for t in range(len(xs)):
        hs[t + 1] = (1.0 - z[t]) * hs[t] + z[t] * cand[t]
    return hs[1:].transpose(1, 0, 2).copy(), MinGRUCache(xs, z, cand, hs, W_xh)


def mingru_forward_scan(x, h0, W_xh, b_h):
    """The same as :func:`mingru_forward` (same arguments, shapes and results), by :func:`scan_linear`.

    Book page: ``book/parallel``.
    """
    x, h0, W_xh, b_h, H = _check(x, h0, W_xh, b_h)
    xs, z, cand = _coefficients(x, W_xh, b_h, H)
    hs = np.concatenate([h0[None], scan_linear(1.0 - z, z * cand, h0)])
    return hs[1:].transpose(1, 0, 2).copy(), MinGRUCache(xs, z, cand, hs, W_xh)


def _backward(dh, cache, dh_T, state_gradients):
    x, z, cand, hs, W_xh = check_cache(cache, MinGRUCache, "mingru_forward or mingru_forward_scan")
    T, N, H = z.shape
    dh = as_float_array("dh", dh, shape=(N, T, H), dtype=W_xh.dtype).transpose(1, 0, 2)
    dh = dh.copy()
    if dh_T is not None:
        dh[-1] += as_float_array("dh_T", dh_T, shape=(N, H), dtype=W_xh.dtype)
    g = state_gradients(1.0 - z, dh)                           # dL/dh_t, every step, (T, N, H)
    dz = g * (cand - hs[:-1])                                  # h_t = h_{t-1} + z (h~ - h_{t-1})
    dcand = g * z
    dpre = np.concatenate([dz * z * (1.0 - z), dcand], axis=-1)   # (T, N, 2H)
    flat = dpre.reshape(T * N, 2 * H)
    dx = (dpre @ W_xh).transpose(1, 0, 2).copy()
    dW_xh = flat.T @ x.reshape(T * N, -1)
    db_h = flat.sum(axis=0)
    dh0 = (1.0 - z[0]) * g[0]
    return dx, dh0, dW_xh, db_h


def _state_gradients_loop(a, dh):
    g = np.empty_like(dh)
    carry = np.zeros_like(dh[0])
    for t in reversed(range(len(dh))):
        g[t] = dh[t] + carry                                   # dL/dh_t
        carry = a[t] * g[t]                                    # what reaches h_{t-1}
    return g


def _state_gradients_scan(a, dh):
    # g_t = dh_t + a_{t+1} g_{t+1}: a linear recurrence run backwards in time
    a_next = np.concatenate([a[1:], np.zeros_like(a[:1])])
    return scan_linear(a_next[::-1], dh[::-1], np.zeros_like(dh[0]))[::-1]


def mingru_backward(dh, cache, dh_T=None):
    """Backward of the minGRU, one step after the other.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Gradient with respect to every output.
    cache : MinGRUCache
    dh_T : ndarray, shape (N, H), optional
        Gradient with respect to the final state, when it is used apart from the outputs.

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dW_xh : ndarray, shape (2H, D)
    db_h : ndarray, shape (2H,)

    Book page: ``book/parallel``.
    """
    return _backward(dh, cache, dh_T, _state_gradients_loop)


def mingru_backward_scan(dh, cache, dh_T=None):
    """The same as :func:`mingru_backward` (same arguments, shapes and results), by a reversed scan.

    Book page: ``book/parallel``.
    """
    return _backward(dh, cache, dh_T, _state_gradients_scan)


class MinGRU(RecurrentLayer):
    r"""A minGRU layer following the module protocol.

    .. math:: h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde h_t,\quad
              z_t = \sigma(W_z x_t + b_z),\quad \tilde h_t = W_{\tilde h} x_t + b_{\tilde h}

    Parameters
    ----------
    input_size, hidden_size, rng, dtype, fast
        As for every cell (:class:`~rnncourse.cells.base.RecurrentLayer`); here ``fast`` chooses
        the parallel scan (default) or, with False, the step-by-step loop.

    Attributes
    ----------
    params : dict
        ``W_xh`` (2H, D), ``b_h`` (2H,); row blocks z, h~. ``2 H (D + 1)`` numbers in all.
    grads : dict
        Same keys and shapes; accumulated by :meth:`~rnncourse.cells.base.RecurrentLayer.backward`.
    d_state : ndarray, shape (N, H)
        After backward, the gradient with respect to the initial state.

    Examples
    --------
    >>> import numpy as np
    >>> from rnncourse.cells.mingru import MinGRU
    >>> layer = MinGRU(3, 4, rng=np.random.default_rng(0))
    >>> h, h_T = layer.forward(np.zeros((2, 5, 3)))
    >>> h.shape, h_T.shape
    ((2, 5, 4), (2, 4))

    Book page: ``book/parallel``.
    """

    param_names = ("W_xh", "b_h")
    kernels = {False: (mingru_forward, mingru_backward), True: (mingru_forward_scan, mingru_backward_scan)}

    def __init__(self, input_size, hidden_size, *, rng, dtype=np.float64, fast=True):
        super().__init__(input_size, hidden_size, rng=rng, dtype=dtype, fast=fast)
        H, D = self.hidden_size, self.input_size
        self.add_param("W_xh", self.uniform_init((2 * H, D)))
        self.add_param("b_h", self.uniform_init(2 * H))
