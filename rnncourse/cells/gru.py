r"""The GRU layer (gated recurrent unit): forward and backward, one step and a whole sequence.

Taught on the book page *GRU: two gates, no separate cell* (``book/variants/gru``).

A GRU keeps a single state vector :math:`h_t`. We follow PyTorch's ``nn.GRU``
equations exactly, gate order **r, z, n**:

.. math::

    r_t &= \sigma(W_{xr} x_t + b_{xr} + W_{hr} h_{t-1} + b_{hr}) &&\text{reset gate} \\
    z_t &= \sigma(W_{xz} x_t + b_{xz} + W_{hz} h_{t-1} + b_{hz}) &&\text{update gate} \\
    n_t &= \tanh\big(W_{xn} x_t + b_{xn} + r_t \odot (W_{hn} h_{t-1} + b_{hn})\big) &&\text{new (candidate) state} \\
    h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}

**Two biases.** For r and z the two biases are only ever added, but in the
candidate :math:`n_t` the recurrent bias :math:`b_{hn}` sits *inside* the
product with :math:`r_t` while :math:`b_{xn}` sits outside. The two are
therefore different parameters, and we keep both vectors as PyTorch does:
``b_xh`` (its ``bias_ih_l0``) and ``b_hh`` (its ``bias_hh_l0``). Applying
:math:`r_t` after the matrix product, :math:`r_t \odot (W_{hn} h_{t-1} + b_{hn})`,
is PyTorch's (and cuDNN's) variant; the original paper of Cho et al. (2014) writes
:math:`W_{hn}(r_t \odot h_{t-1})` instead. Some texts also swap the roles of
:math:`z_t` and :math:`1 - z_t`; here :math:`z_t \approx 1` *keeps* the old state.

=====================  ============  =================================  ===========================
rnncourse              shape         *Understanding RNNs*               PyTorch ``nn.GRU``
=====================  ============  =================================  ===========================
``W_xh``               ``(3H, D)``   (not named)                        ``weight_ih_l0``
``W_hh``               ``(3H, H)``   (not named)                        ``weight_hh_l0``
``b_xh``               ``(3H,)``     (not named)                        ``bias_ih_l0``
``b_hh``               ``(3H,)``     (not named)                        ``bias_hh_l0``
rows ``0:H``,  r       ``(N, H)``    (not named)                        ``W_ir``, ``W_hr``, ``b_ir``, ``b_hr``
rows ``H:2H``, z       ``(N, H)``    update gate ("forget + input")     ``W_iz``, ``W_hz``, ``b_iz``, ``b_hz``
rows ``2H:3H``, n      ``(N, H)``    (not named)                        ``W_in``, ``W_hn``, ``b_in``, ``b_hn``
``h``                  ``(N, H)``    hidden state (cell state merged)   ``output``, ``h_n``
=====================  ============  =================================  ===========================

(In the equations :math:`W_{xr}` is PyTorch's ``W_ir`` and :math:`b_{xr}` its ``b_ir``.)

**Gradient path.** :math:`\partial h_t / \partial h_{t-1}` contains the term
:math:`\operatorname{diag}(z_t)`, with no weight matrix: when the update gate is
near 1 the state, and the gradient, pass through the step nearly unchanged, the
GRU's counterpart of the LSTM's cell path.

Backward for one step, with :math:`\text{dh} = \partial L/\partial h_t` and
:math:`\hat n = W_{hn} h_{t-1} + b_{hn}`:

.. math::

    \delta_n &= \text{dh} \odot (1 - z) \odot (1 - n^2), \quad
    \delta_z = \text{dh} \odot (h_{t-1} - n) \odot z (1 - z), \quad
    \delta_r = \delta_n \odot \hat n \odot r (1 - r), \\
    \delta^x &= [\delta_r, \delta_z, \delta_n], \qquad
    \delta^h = [\delta_r, \delta_z, \delta_n \odot r], \\
    \frac{\partial L}{\partial x_t} &= \delta^x W_{xh}, \quad
    \frac{\partial L}{\partial h_{t-1}} = \text{dh} \odot z + \delta^h W_{hh}, \quad
    db_{xh} = \textstyle\sum_n \delta^x, \quad db_{hh} = \textstyle\sum_n \delta^h,

and :math:`dW_{xh} = \delta^{x\top} x_t`, :math:`dW_{hh} = \delta^{h\top} h_{t-1}`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.checks import as_float_array, check_same_dtype
from ..core.activations import sigmoid_unchecked
from . import fast
from .base import GatedLayer, check_cell_weights

#: Names of the three gate blocks of ``W_xh``/``W_hh``/``b_xh``/``b_hh``, in row order (PyTorch's).
GATE_ORDER = ("reset", "update", "new")


class _StepCache(NamedTuple):
    """What one GRU step keeps for its backward pass."""
    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    W_xh: np.ndarray     # (3H, D)
    W_hh: np.ndarray     # (3H, H)
    r: np.ndarray        # reset gate (N, H)
    z: np.ndarray        # update gate
    n: np.ndarray        # new (candidate) state
    hn: np.ndarray       # W_hn h_prev + b_hn, before the reset gate


# ---------------------------------------------------------------------------
# validation shared by the public functions
# ---------------------------------------------------------------------------
def _check_weights(W_xh, W_hh, b_xh, b_hh):
    return check_cell_weights(W_xh, W_hh, {"b_xh": b_xh, "b_hh": b_hh}, blocks=3, order="r, z, n")


# ---------------------------------------------------------------------------
# one time step
# ---------------------------------------------------------------------------
def _step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh):
    H = h_prev.shape[1]
    ax = x @ W_xh.T + b_xh                 # (N, 3H): input parts of r, z, n
    ah = h_prev @ W_hh.T + b_hh            # (N, 3H): recurrent parts of r, z, n
    r = sigmoid_unchecked(ax[:, :H] + ah[:, :H])
    z = sigmoid_unchecked(ax[:, H:2 * H] + ah[:, H:2 * H])
    hn = ah[:, 2 * H:]                     # W_hn h_prev + b_hn
    n = np.tanh(ax[:, 2 * H:] + r * hn)
    h = (1.0 - z) * n + z * h_prev
    return h, _StepCache(x, h_prev, W_xh, W_hh, r, z, n, hn)


def _step_backward(dh, cache):
    x, h_prev, W_xh, W_hh, r, z, n, hn = cache
    H = h_prev.shape[1]
    dn = dh * (1.0 - z) * (1.0 - n * n)    # through tanh: gradient on n's pre-activation
    dax = np.empty((dh.shape[0], 3 * H), dtype=dh.dtype)
    dax[:, :H] = dn * hn * r * (1.0 - r)   # reset gate
    dax[:, H:2 * H] = dh * (h_prev - n) * z * (1.0 - z)   # update gate
    dax[:, 2 * H:] = dn
    dah = dax.copy()
    dah[:, 2 * H:] = dn * r                # the recurrent part of n is scaled by r
    dx = dax @ W_xh
    dh_prev = dh * z + dah @ W_hh          # direct path through z, plus through the gates
    dW_xh = dax.T @ x
    dW_hh = dah.T @ h_prev
    return dx, dh_prev, dW_xh, dW_hh, dax.sum(axis=0), dah.sum(axis=0)


def gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh):
    r"""One GRU time step, PyTorch's equations and gate order (r, z, n).

    .. math::

        r = \sigma(W_{xr} x + b_{xr} + W_{hr} h_{t-1} + b_{hr}), \quad
        z = \sigma(W_{xz} x + b_{xz} + W_{hz} h_{t-1} + b_{hz}), \\
        n = \tanh(W_{xn} x + b_{xn} + r \odot (W_{hn} h_{t-1} + b_{hn})), \quad
        h_t = (1 - z) \odot n + z \odot h_{t-1}.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step for a batch of N sequences.
    h_prev : ndarray, shape (N, H)
        Hidden state from the previous step.
    W_xh : ndarray, shape (3H, D)
        Input-to-hidden weights, row blocks r, z, n (PyTorch's ``weight_ih_l0``).
    W_hh : ndarray, shape (3H, H)
        Hidden-to-hidden weights, same blocks (PyTorch's ``weight_hh_l0``).
    b_xh : ndarray, shape (3H,)
        Input bias (PyTorch's ``bias_ih_l0``).
    b_hh : ndarray, shape (3H,)
        Recurrent bias (PyTorch's ``bias_hh_l0``); its n block is multiplied by r.

    Returns
    -------
    h : ndarray, shape (N, H)
        The new hidden state.
    cache : tuple
        What :func:`gru_step_backward` needs.

    Book page: ``book/variants/gru``.
    """
    W_xh, W_hh, b_xh, b_hh, H, D = _check_weights(W_xh, W_hh, b_xh, b_hh)
    x = as_float_array("x", x, ndim=2, shape=(None, D), copy=True)
    N = x.shape[0]
    h_prev = as_float_array("h_prev", h_prev, shape=(N, H), copy=True)
    check_same_dtype(x=x, h_prev=h_prev, W_xh=W_xh)
    return _step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh)


def gru_step_backward(dh, cache):
    r"""Backward pass of one GRU step (the deltas are written out in :mod:`rnncourse.cells.gru`).

    Parameters
    ----------
    dh : ndarray, shape (N, H)
        Total gradient of the loss with respect to this step's ``h``.
    cache : tuple
        From :func:`gru_step_forward`.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dh_prev : ndarray, shape (N, H)
    dW_xh : ndarray, shape (3H, D)
    dW_hh : ndarray, shape (3H, H)
    db_xh : ndarray, shape (3H,)
    db_hh : ndarray, shape (3H,)

    Book page: ``book/variants/gru``.
    """
    if not isinstance(cache, _StepCache):
        raise TypeError(f"cache must be the cache returned by gru_step_forward, got {type(cache).__name__}")
    dh = as_float_array("dh", dh, shape=cache.h_prev.shape, dtype=cache.h_prev.dtype)
    return _step_backward(dh, cache)


# ---------------------------------------------------------------------------
# a whole sequence
# ---------------------------------------------------------------------------
def gru_forward(x, h0, W_xh, W_hh, b_xh, b_hh):
    r"""Run a GRU over a whole sequence: :func:`gru_step_forward` for :math:`t = 1, \dots, T`.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
        Input sequences, batch first.
    h0 : ndarray, shape (N, H)
        Initial hidden state.
    W_xh : ndarray, shape (3H, D)
        Row blocks r, z, n.
    W_hh : ndarray, shape (3H, H)
    b_xh : ndarray, shape (3H,)
    b_hh : ndarray, shape (3H,)

    Returns
    -------
    h : ndarray, shape (N, T, H)
        Hidden states at every step; ``h[:, -1]`` is the final state.
    cache : list
        One step cache per time step, for :func:`gru_backward`; the gate
        activations of step ``t`` are ``cache[t].r``, ``.z``, ``.n``, each (N, H).

    Book page: ``book/variants/gru``.
    """
    W_xh, W_hh, b_xh, b_hh, H, D = _check_weights(W_xh, W_hh, b_xh, b_hh)
    x = as_float_array("x", x, ndim=3, shape=(None, None, D), copy=True)
    N, T, _ = x.shape
    h0 = as_float_array("h0", h0, shape=(N, H), copy=True)
    check_same_dtype(x=x, h0=h0, W_xh=W_xh)
    h = np.empty((N, T, H), dtype=x.dtype)
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, step_cache = _step_forward(x[:, t], h_prev, W_xh, W_hh, b_xh, b_hh)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache


def gru_backward(dh, cache, dh_T=None):
    r"""Backpropagation through time for :func:`gru_forward`.

    Walks the steps from :math:`T` down to 1; the gradient reaching :math:`h_t`
    is what arrives from above at step :math:`t` plus what step :math:`t+1` sends
    back (directly through :math:`z_{t+1}` and through the three gates).

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Gradient of the loss with respect to every hidden state the layer output.
    cache : list
        From :func:`gru_forward`.
    dh_T : ndarray, shape (N, H), optional
        Extra gradient on the final state ``h[:, -1]`` when it is also used elsewhere.

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dW_xh, dW_hh, db_xh, db_hh : ndarray
        Summed over the steps; shapes as from :func:`gru_step_backward`.

    Book page: ``book/variants/gru``.
    """
    if not isinstance(cache, list) or not cache or not isinstance(cache[0], _StepCache):
        raise TypeError("cache must be the list returned by gru_forward")
    W_xh, W_hh = cache[0].W_xh, cache[0].W_hh
    N, H = cache[0].h_prev.shape
    T, D = len(cache), W_xh.shape[1]
    dh = as_float_array("dh", dh, shape=(N, T, H), dtype=W_xh.dtype)
    dh_next = np.zeros((N, H), dtype=dh.dtype) if dh_T is None else \
        as_float_array("dh_T", dh_T, shape=(N, H), dtype=W_xh.dtype, copy=True)
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dW_xh = np.zeros_like(W_xh)
    dW_hh = np.zeros_like(W_hh)
    db_xh = np.zeros(3 * H, dtype=W_xh.dtype)
    db_hh = np.zeros(3 * H, dtype=W_xh.dtype)
    for t in reversed(range(T)):
        dx[:, t], dh_next, dWx_t, dWh_t, dbx_t, dbh_t = _step_backward(dh[:, t] + dh_next, cache[t])
        dW_xh += dWx_t
        dW_hh += dWh_t
        db_xh += dbx_t
        db_hh += dbh_t
    return dx, dh_next, dW_xh, dW_hh, db_xh, db_hh


# ---------------------------------------------------------------------------
# the layer
# ---------------------------------------------------------------------------
class GRU(GatedLayer):
    r"""A GRU layer following the module protocol; PyTorch's equations and layout.

    .. math:: h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}

    (gates defined in :mod:`rnncourse.cells.gru`). The state is one array (N, H).

    Parameters
    ----------
    input_size, hidden_size, rng, dtype, fast
        As for every cell: D, H, the generator of PyTorch's uniform initialisation, the dtype and
        the choice of kernels, described in :class:`~rnncourse.cells.base.RecurrentLayer`.

    Attributes
    ----------
    params : dict
        ``W_xh`` (3H, D), ``W_hh`` (3H, H), ``b_xh`` (3H,), ``b_hh`` (3H,); row
        blocks r, z, n. ``3 (H D + H H) + 6 H`` numbers in all.
    grads : dict
        Same keys and shapes; accumulated by :meth:`~rnncourse.cells.base.RecurrentLayer.backward`.
    d_state : ndarray, shape (N, H)
        After :meth:`~rnncourse.cells.base.RecurrentLayer.backward`, the gradient with respect to the initial state.

    Examples
    --------
    >>> import numpy as np
    >>> from rnncourse.cells.gru import GRU
    >>> layer = GRU(3, 4, rng=np.random.default_rng(0))
    >>> h, h_T = layer.forward(np.zeros((2, 5, 3)))
    >>> h.shape, h_T.shape, layer.gates["update"].shape
    ((2, 5, 4), (2, 4), (2, 5, 4))

    Book page: ``book/variants/gru``.
    """

    param_names = ("W_xh", "W_hh", "b_xh", "b_hh")
    gate_fields = tuple(zip(GATE_ORDER, ("r", "z", "n")))
    kernels = {False: (gru_forward, gru_backward), True: (fast.gru_forward_fast, fast.gru_backward_fast)}

    def __init__(self, input_size, hidden_size, *, rng, dtype=np.float64, fast=True):
        super().__init__(input_size, hidden_size, rng=rng, dtype=dtype, fast=fast)
        H, D = self.hidden_size, self.input_size
        self.add_param("W_xh", self.uniform_init((3 * H, D)))
        self.add_param("W_hh", self.uniform_init((3 * H, H)))
        self.add_param("b_xh", self.uniform_init(3 * H))
        self.add_param("b_hh", self.uniform_init(3 * H))
