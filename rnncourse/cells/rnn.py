r"""The Elman (vanilla) recurrent layer: forward and backward, one step and a whole sequence.

Taught on the book pages *The math of an RNN* (``book/math``) and *Training with
backpropagation through time* (``book/bptt``).

The hidden-state update is

.. math::

    a_t = W_{xh} x_t + W_{hh} h_{t-1} + b_h, \qquad h_t = f(a_t),

with :math:`f` = tanh (default) or relu. Parameters use PyTorch's layout, so the
code reads as the equation (for a batch, rows are examples: ``x @ W_xh.T``):

=============  ==========  =====================  ==============================
rnncourse      shape       *Understanding RNNs*   Goodfellow et al., *Deep Learning*
=============  ==========  =====================  ==============================
``W_xh``       ``(H, D)``  :math:`W_h`            :math:`U`
``W_hh``       ``(H, H)``  :math:`U_h`            :math:`W`
``b_h``        ``(H,)``    :math:`b_h`            :math:`b`
=============  ==========  =====================  ==============================

PyTorch's ``nn.RNN`` keeps two biases (``b_ih + b_hh``); their sum is our ``b_h``.

Backward, with :math:`\delta_t = \partial L / \partial a_t`, for one step:

.. math::

    \delta_t = \frac{\partial L}{\partial h_t} \odot f'(a_t), \quad
    \frac{\partial L}{\partial x_t} = \delta_t W_{xh}, \quad
    \frac{\partial L}{\partial h_{t-1}} = \delta_t W_{hh}, \quad
    \frac{\partial L}{\partial W_{xh}} \mathrel{+}= \delta_t^\top x_t, \quad
    \frac{\partial L}{\partial W_{hh}} \mathrel{+}= \delta_t^\top h_{t-1}, \quad
    \frac{\partial L}{\partial b_h} \mathrel{+}= \textstyle\sum_n \delta_t.

Over a sequence the gradient reaching :math:`h_t` is the sum of what the layer
above sends at step :math:`t` and what step :math:`t+1` sends back through
:math:`W_{hh}`; that recursion is backpropagation through time.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_choice, check_same_dtype
from ..core.activations import get_nonlinearity, NONLINEARITIES
from . import fast
from .base import RecurrentLayer, check_cell_weights


# ---------------------------------------------------------------------------
# validation shared by the public functions
# ---------------------------------------------------------------------------
def _check_weights(W_xh, W_hh, b_h):
    return check_cell_weights(W_xh, W_hh, {"b_h": b_h})


# ---------------------------------------------------------------------------
# one time step
# ---------------------------------------------------------------------------
def _step_forward(x, h_prev, W_xh, W_hh, b_h, f, nonlinearity):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = f(a)
    return h, (x, h_prev, W_xh, W_hh, h, nonlinearity)


def _check_step_cache(cache, where):
    """A step cache is the tuple ``(x, h_prev, W_xh, W_hh, h, nonlinearity)`` a forward function made."""
    if (not isinstance(cache, tuple) or len(cache) != 6 or cache[5] not in NONLINEARITIES
            or not all(isinstance(a, np.ndarray) for a in cache[:5])):
        raise TypeError(f"cache must be the cache returned by {where}: a tuple (x, h_prev, W_xh, W_hh, h, "
                        f"nonlinearity), got {type(cache).__name__}"
                        + (f" of length {len(cache)}" if isinstance(cache, tuple) else ""))
    return cache


def _step_backward(dh, cache):
    x, h_prev, W_xh, W_hh, h, nonlinearity = cache
    da = dh * NONLINEARITIES[nonlinearity][1](h)   # delta_t = dL/dh_t * f'(a_t)
    dx = da @ W_xh
    dh_prev = da @ W_hh
    dW_xh = da.T @ x
    dW_hh = da.T @ h_prev
    db_h = da.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h, nonlinearity="tanh"):
    r"""One time step of an Elman RNN: :math:`h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)`.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step for a batch of N sequences.
    h_prev : ndarray, shape (N, H)
        Hidden state from the previous step.
    W_xh : ndarray, shape (H, D)
        Input-to-hidden weights.
    W_hh : ndarray, shape (H, H)
        Hidden-to-hidden (recurrent) weights.
    b_h : ndarray, shape (H,)
        Hidden bias.
    nonlinearity : {"tanh", "relu"}

    Returns
    -------
    h : ndarray, shape (N, H)
        The new hidden state.
    cache : tuple
        What :func:`rnn_step_backward` needs.

    Book page: ``book/math``.
    """
    f, _ = get_nonlinearity(nonlinearity)
    W_xh, W_hh, b_h, H, D = _check_weights(W_xh, W_hh, b_h)
    x = as_float_array("x", x, ndim=2, shape=(None, D), copy=True)
    N = x.shape[0]
    h_prev = as_float_array("h_prev", h_prev, shape=(N, H), copy=True)
    check_same_dtype(x=x, h_prev=h_prev, W_xh=W_xh)
    return _step_forward(x, h_prev, W_xh, W_hh, b_h, f, nonlinearity)


def rnn_step_backward(dh, cache):
    r"""Backward pass of one step: from :math:`\partial L/\partial h_t` to every input's gradient.

    Parameters
    ----------
    dh : ndarray, shape (N, H)
        Total gradient of the loss with respect to this step's output ``h``.
    cache : tuple
        From :func:`rnn_step_forward`.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dh_prev : ndarray, shape (N, H)
    dW_xh : ndarray, shape (H, D)
    dW_hh : ndarray, shape (H, H)
    db_h : ndarray, shape (H,)

    Book page: ``book/bptt``.
    """
    h = _check_step_cache(cache, "rnn_step_forward")[4]
    dh = as_float_array("dh", dh, shape=h.shape, dtype=h.dtype)
    return _step_backward(dh, cache)


# ---------------------------------------------------------------------------
# a whole sequence
# ---------------------------------------------------------------------------
def rnn_forward(x, h0, W_xh, W_hh, b_h, nonlinearity="tanh"):
    r"""Run an Elman RNN over a whole sequence (the network unrolled in time).

    .. math:: h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h), \quad t = 1, \dots, T.

    The loop applies the same step (and the same weights) at every time step.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
        Input sequences, batch first.
    h0 : ndarray, shape (N, H)
        Initial hidden state (zeros for a fresh start).
    W_xh : ndarray, shape (H, D)
    W_hh : ndarray, shape (H, H)
    b_h : ndarray, shape (H,)
    nonlinearity : {"tanh", "relu"}

    Returns
    -------
    h : ndarray, shape (N, T, H)
        Hidden states at every step; ``h[:, -1]`` is the final state.
    cache : list
        One step cache per time step, for :func:`rnn_backward`.

    Book page: ``book/math``.
    """
    f, _ = get_nonlinearity(nonlinearity)
    W_xh, W_hh, b_h, H, D = _check_weights(W_xh, W_hh, b_h)
    x = as_float_array("x", x, ndim=3, shape=(None, None, D), copy=True)
    N, T, _ = x.shape
    h0 = as_float_array("h0", h0, shape=(N, H), copy=True)
    check_same_dtype(x=x, h0=h0, W_xh=W_xh)
    h = np.empty((N, T, H), dtype=x.dtype)
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, step_cache = _step_forward(x[:, t], h_prev, W_xh, W_hh, b_h, f, nonlinearity)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache


def rnn_backward(dh, cache, dh_T=None):
    r"""Backpropagation through time for :func:`rnn_forward`.

    Walks the steps from :math:`T` down to 1. The gradient reaching
    :math:`h_t` is what arrives from above at that step plus what step
    :math:`t+1` sends back through :math:`W_{hh}`:

    .. math::

        \frac{\partial L}{\partial h_t} = \text{dh}_t + \delta_{t+1} W_{hh}.

    Weight gradients are summed over all steps, because the same weights are
    used at every step.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Gradient of the loss with respect to every hidden state the layer output.
    cache : list
        From :func:`rnn_forward`.
    dh_T : ndarray, shape (N, H), optional
        Extra gradient on the final state ``h[:, -1]`` when it is also used
        elsewhere (say, by a decoder or the next chunk).

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dW_xh, dW_hh, db_h : ndarray
        Summed over the steps; shapes as from :func:`rnn_step_backward`.

    Book page: ``book/bptt``.
    """
    if not isinstance(cache, list) or not cache:
        raise TypeError("cache must be the list returned by rnn_forward")
    for step in cache:
        _check_step_cache(step, "rnn_forward")
    x0, h_prev0, W_xh, W_hh = cache[0][:4]
    N, H = h_prev0.shape
    T, D = len(cache), W_xh.shape[1]
    dh = as_float_array("dh", dh, shape=(N, T, H), dtype=W_xh.dtype)
    dh_next = np.zeros((N, H), dtype=dh.dtype)
    if dh_T is not None:
        dh_next = as_float_array("dh_T", dh_T, shape=(N, H), dtype=W_xh.dtype, copy=True)
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dW_xh = np.zeros_like(W_xh)
    dW_hh = np.zeros_like(W_hh)
    db_h = np.zeros(H, dtype=W_xh.dtype)
    for t in reversed(range(T)):
        dx[:, t], dh_next, dWx_t, dWh_t, db_t = _step_backward(dh[:, t] + dh_next, cache[t])
        dW_xh += dWx_t
        dW_hh += dWh_t
        db_h += db_t
    return dx, dh_next, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------------------
# the layer
# ---------------------------------------------------------------------------
class RNN(RecurrentLayer):
    r"""An Elman RNN layer following the module protocol.

    .. math:: h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)

    Parameters
    ----------
    input_size, hidden_size, rng, dtype, fast
        As for every cell: D, H, the generator of PyTorch's uniform initialisation, the dtype and
        the choice of kernels, described in :class:`~rnncourse.cells.base.RecurrentLayer`.
    nonlinearity : {"tanh", "relu"}

    Attributes
    ----------
    params : dict
        ``W_xh`` (H, D), ``W_hh`` (H, H), ``b_h`` (H,).
    grads : dict
        Same keys and shapes; accumulated by :meth:`~rnncourse.cells.base.RecurrentLayer.backward`.
    d_state : ndarray, shape (N, H)
        After :meth:`~rnncourse.cells.base.RecurrentLayer.backward`, the gradient with respect to the initial state.

    Examples
    --------
    >>> import numpy as np
    >>> from rnncourse import RNN
    >>> layer = RNN(3, 4, rng=np.random.default_rng(0))
    >>> h, h_T = layer.forward(np.zeros((2, 5, 3)))
    >>> h.shape, h_T.shape
    ((2, 5, 4), (2, 4))

    Book page: ``book/first_rnn``.
    """

    param_names = ("W_xh", "W_hh", "b_h")
    kernels = {False: (rnn_forward, rnn_backward), True: (fast.rnn_forward_fast, fast.rnn_backward_fast)}

    def __init__(self, input_size, hidden_size, nonlinearity="tanh", *, rng, dtype=np.float64, fast=True):
        super().__init__(input_size, hidden_size, rng=rng, dtype=dtype, fast=fast)
        self.nonlinearity = check_choice("nonlinearity", nonlinearity, tuple(NONLINEARITIES))
        H, D = self.hidden_size, self.input_size
        self.add_param("W_xh", self.uniform_init((H, D)))
        self.add_param("W_hh", self.uniform_init((H, H)))
        self.add_param("b_h", self.uniform_init(H))

    def kernel_args(self):
        return (self.nonlinearity,)
