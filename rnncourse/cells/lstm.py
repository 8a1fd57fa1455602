r"""The LSTM layer (long short-term memory): forward and backward, one step and a whole sequence.

Taught on the book page *LSTM: a memory cell with gates* (``book/variants/lstm``).

An LSTM carries two vectors from step to step: the hidden state :math:`h_t` (what
the layer outputs) and the cell state :math:`c_t` (its memory). Four pre-activations
are computed from the same input and previous hidden state, exactly as in PyTorch's
``nn.LSTM``:

.. math::

    i_t &= \sigma(W_{xi} x_t + W_{hi} h_{t-1} + b_i) &&\text{input gate} \\
    f_t &= \sigma(W_{xf} x_t + W_{hf} h_{t-1} + b_f) &&\text{forget gate} \\
    g_t &= \tanh(W_{xg} x_t + W_{hg} h_{t-1} + b_g) &&\text{cell candidate} \\
    o_t &= \sigma(W_{xo} x_t + W_{ho} h_{t-1} + b_o) &&\text{output gate} \\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
    h_t &= o_t \odot \tanh(c_t)

The four weight blocks are stacked row-wise in the order **i, f, g, o** (PyTorch's
order), so one matrix product computes all four pre-activations at once:
``a = x @ W_xh.T + h_prev @ W_hh.T + b_h`` has shape (N, 4H) and ``a[:, 0:H]``
belongs to the input gate, ``a[:, H:2H]`` to the forget gate, ``a[:, 2H:3H]`` to
the cell candidate and ``a[:, 3H:4H]`` to the output gate.

=====================  ============  ======================  ====================================
rnncourse              shape         *Understanding RNNs*    PyTorch ``nn.LSTM``
=====================  ============  ======================  ====================================
``W_xh``               ``(4H, D)``   (not named)             ``weight_ih_l0``
``W_hh``               ``(4H, H)``   (not named)             ``weight_hh_l0``
``b_h``                ``(4H,)``     (not named)             ``bias_ih_l0 + bias_hh_l0``
rows ``0:H``,  i       ``(N, H)``    input gate              ``W_ii``, ``W_hi``, ``b_ii + b_hi``
rows ``H:2H``, f       ``(N, H)``    forget gate             ``W_if``, ``W_hf``, ``b_if + b_hf``
rows ``2H:3H``, g      ``(N, H)``    (not named)             ``W_ig``, ``W_hg``, ``b_ig + b_hg``
rows ``3H:4H``, o      ``(N, H)``    output gate             ``W_io``, ``W_ho``, ``b_io + b_ho``
``c``                  ``(N, H)``    cell state              ``c_n`` (last step)
``h``                  ``(N, H)``    hidden state            ``output``, ``h_n`` (last step)
=====================  ============  ======================  ====================================

PyTorch keeps two bias vectors, ``bias_ih_l0`` and ``bias_hh_l0``; they are only
ever added together, so we keep their sum as one ``b_h``. To load a trained
PyTorch layer: ``W_xh = weight_ih_l0``, ``W_hh = weight_hh_l0``,
``b_h = bias_ih_l0 + bias_hh_l0``.

**Why the cell keeps gradients alive.** The cell update is *additive*:
:math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t`. Its direct derivative is

.. math:: \frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f_t),
    \qquad\text{so}\qquad
    \frac{\partial L}{\partial c_{t-1}} \ni \frac{\partial L}{\partial c_t} \odot f_t .

Along the cell path the gradient is multiplied by the forget gate only, with no
weight matrix and no :math:`\tanh'` in between, unlike the Elman RNN where every
step multiplies by :math:`W_{hh}^\top` and :math:`f'(a_t)`. When the network keeps
:math:`f_t \approx 1` the gradient reaches far-back steps almost unchanged (the
"constant error carousel"); a positive forget-gate bias (``forget_bias`` of
:class:`LSTM`) makes that the starting point of training.

Backward for one step, with :math:`\bar c_t = \partial L/\partial c_t` the *total*
cell gradient (from step :math:`t+1` plus through :math:`h_t`):

.. math::

    \bar c_t &= \text{dc}_t + \text{dh}_t \odot o_t \odot (1 - \tanh^2 c_t), \qquad
    \frac{\partial L}{\partial c_{t-1}} = \bar c_t \odot f_t, \\
    \delta_i &= \bar c_t \odot g_t \odot i_t(1-i_t), \quad
    \delta_f = \bar c_t \odot c_{t-1} \odot f_t(1-f_t), \\
    \delta_g &= \bar c_t \odot i_t \odot (1-g_t^2), \quad
    \delta_o = \text{dh}_t \odot \tanh(c_t) \odot o_t(1-o_t),

and with :math:`\delta = [\delta_i, \delta_f, \delta_g, \delta_o]` of shape (N, 4H)
the rest is the same as for the Elman RNN: :math:`\partial L/\partial x_t = \delta W_{xh}`,
:math:`\partial L/\partial h_{t-1} = \delta W_{hh}`, :math:`dW_{xh} \mathrel{+}= \delta^\top x_t`,
:math:`dW_{hh} \mathrel{+}= \delta^\top h_{t-1}`, :math:`db_h \mathrel{+}= \sum_n \delta`.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.checks import as_float_array, check_real, check_same_dtype
from ..core.activations import sigmoid_unchecked
from . import fast
from .base import GatedLayer, check_cell_weights

#: Names of the four gate blocks of ``W_xh``/``W_hh``/``b_h``, in row order (PyTorch's).
GATE_ORDER = ("input", "forget", "cell", "output")


class _StepCache(NamedTuple):
    """What one LSTM step keeps for its backward pass (all arrays (N, ·))."""
    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    c_prev: np.ndarray   # (N, H)
    W_xh: np.ndarray     # (4H, D)
    W_hh: np.ndarray     # (4H, H)
    i: np.ndarray        # input gate (N, H)
    f: np.ndarray        # forget gate
    g: np.ndarray        # cell candidate
    o: np.ndarray        # output gate
    c: np.ndarray        # new cell state
    tanh_c: np.ndarray   # tanh(c)


# ---------------------------------------------------------------------------
# validation shared by the public functions
# ---------------------------------------------------------------------------
def _check_weights(W_xh, W_hh, b_h):
    return check_cell_weights(W_xh, W_hh, {"b_h": b_h}, blocks=4, order="i, f, g, o")


def _check_cache(cache, where):
    if not isinstance(cache, list) or not cache or not isinstance(cache[0], _StepCache):
        raise TypeError(f"cache must be the list returned by {where}")
    return cache


# ---------------------------------------------------------------------------
# one time step
# ---------------------------------------------------------------------------
def _step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h):
    H = h_prev.shape[1]
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h          # (N, 4H), blocks i, f, g, o
    i = sigmoid_unchecked(a[:, :H])
    f = sigmoid_unchecked(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid_unchecked(a[:, 3 * H:])
    c = f * c_prev + i * g                           # the additive cell update
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, _StepCache(x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c, tanh_c)


def _step_backward(dh, dc, cache):
    x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c, tanh_c = cache
    H = h_prev.shape[1]
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)       # total gradient reaching c_t
    da = np.empty((dh.shape[0], 4 * H), dtype=dh.dtype)
    da[:, :H] = dc * g * i * (1.0 - i)               # input gate
    da[:, H:2 * H] = dc * c_prev * f * (1.0 - f)     # forget gate
    da[:, 2 * H:3 * H] = dc * i * (1.0 - g * g)      # cell candidate
    da[:, 3 * H:] = dh * tanh_c * o * (1.0 - o)      # output gate
    dc_prev = dc * f                                 # the cell path: only a product with f
    dx = da @ W_xh
    dh_prev = da @ W_hh
    dW_xh = da.T @ x
    dW_hh = da.T @ h_prev
    db_h = da.sum(axis=0)
    return dx, dh_prev, dc_prev, dW_xh, dW_hh, db_h


def lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h):
    r"""One LSTM time step, PyTorch's equations and gate order (i, f, g, o).

    .. math::

        [a_i; a_f; a_g; a_o] = W_{xh} x_t + W_{hh} h_{t-1} + b_h, \quad
        i, f, o = \sigma(a_i), \sigma(a_f), \sigma(a_o), \quad g = \tanh(a_g), \\
        c_t = f \odot c_{t-1} + i \odot g, \qquad h_t = o \odot \tanh(c_t).

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step for a batch of N sequences.
    h_prev : ndarray, shape (N, H)
        Hidden state from the previous step.
    c_prev : ndarray, shape (N, H)
        Cell state from the previous step.
    W_xh : ndarray, shape (4H, D)
        Input-to-hidden weights, row blocks i, f, g, o (PyTorch's ``weight_ih_l0``).
    W_hh : ndarray, shape (4H, H)
        Hidden-to-hidden weights, same row blocks (PyTorch's ``weight_hh_l0``).
    b_h : ndarray, shape (4H,)
        Bias, same blocks; PyTorch's ``bias_ih_l0 + bias_hh_l0`` summed into one vector.

    Returns
    -------
    (h, c) : tuple of ndarray, each shape (N, H)
        The new hidden state and the new cell state, as the pair that
        :class:`LSTM` uses as its state.
    cache : tuple
        What :func:`lstm_step_backward` needs (inputs, gate activations, ``c``, ``tanh(c)``).

    Book page: ``book/variants/lstm``.
    """
    W_xh, W_hh, b_h, H, D = _check_weights(W_xh, W_hh, b_h)
    x = as_float_array("x", x, ndim=2, shape=(None, D), copy=True)
    N = x.shape[0]
    h_prev = as_float_array("h_prev", h_prev, shape=(N, H), copy=True)
    c_prev = as_float_array("c_prev", c_prev, shape=(N, H), copy=True)
    check_same_dtype(x=x, h_prev=h_prev, c_prev=c_prev, W_xh=W_xh)
    h, c, cache = _step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h)
    return (h, c), cache


def lstm_step_backward(dh, dc, cache):
    r"""Backward pass of one LSTM step.

    The cell gradient first collects what arrives through :math:`h_t`:
    :math:`\bar c_t = \text{dc} + \text{dh} \odot o \odot (1 - \tanh^2 c_t)`;
    then :math:`\partial L/\partial c_{t-1} = \bar c_t \odot f` (the additive path)
    and the four gate deltas follow from the product rule (see the module docstring).

    Parameters
    ----------
    dh : ndarray, shape (N, H)
        Total gradient of the loss with respect to this step's ``h``.
    dc : ndarray, shape (N, H)
        Gradient with respect to this step's ``c`` coming from later steps
        (zeros at the last step unless the final cell state is used elsewhere).
    cache : tuple
        From :func:`lstm_step_forward`.

    Returns
    -------
    dx : ndarray, shape (N, D)
    dh_prev : ndarray, shape (N, H)
    dc_prev : ndarray, shape (N, H)
    dW_xh : ndarray, shape (4H, D)
    dW_hh : ndarray, shape (4H, H)
    db_h : ndarray, shape (4H,)

    Book page: ``book/variants/lstm``.
    """
    if not isinstance(cache, _StepCache):
        raise TypeError(f"cache must be the cache returned by lstm_step_forward, got {type(cache).__name__}")
    dh = as_float_array("dh", dh, shape=cache.c.shape, dtype=cache.c.dtype)
    dc = as_float_array("dc", dc, shape=cache.c.shape, dtype=cache.c.dtype)
    return _step_backward(dh, dc, cache)


# ---------------------------------------------------------------------------
# a whole sequence
# ---------------------------------------------------------------------------
def lstm_forward(x, h0, c0, W_xh, W_hh, b_h):
    r"""Run an LSTM over a whole sequence: :func:`lstm_step_forward` for :math:`t = 1, \dots, T`.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
        Input sequences, batch first.
    h0 : ndarray, shape (N, H)
        Initial hidden state.
    c0 : ndarray, shape (N, H)
        Initial cell state.
    W_xh : ndarray, shape (4H, D)
        Row blocks i, f, g, o.
    W_hh : ndarray, shape (4H, H)
    b_h : ndarray, shape (4H,)
        PyTorch's ``bias_ih_l0 + bias_hh_l0``.

    Returns
    -------
    h : ndarray, shape (N, T, H)
        Hidden states at every step; ``h[:, -1]`` is the final hidden state.
    cache : list
        One step cache per time step, for :func:`lstm_backward`; the final cell
        state is ``cache[-1].c`` and the gate activations of step ``t`` are
        ``cache[t].i``, ``.f``, ``.g``, ``.o``, each (N, H).

    Book page: ``book/variants/lstm``.
    """
    W_xh, W_hh, b_h, H, D = _check_weights(W_xh, W_hh, b_h)
    x = as_float_array("x", x, ndim=3, shape=(None, None, D), copy=True)
    N, T, _ = x.shape
    h0 = as_float_array("h0", h0, shape=(N, H), copy=True)
    c0 = as_float_array("c0", c0, shape=(N, H), copy=True)
    check_same_dtype(x=x, h0=h0, c0=c0, W_xh=W_xh)
    h = np.empty((N, T, H), dtype=x.dtype)
    cache = []
    h_prev, c_prev = h0, c0
    for t in range(T):
        h_prev, c_prev, step_cache = _step_forward(x[:, t], h_prev, c_prev, W_xh, W_hh, b_h)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache


def lstm_backward(dh, cache, dh_T=None, dc_T=None):
    r"""Backpropagation through time for :func:`lstm_forward`.

    Walks the steps from :math:`T` down to 1 carrying two gradients: the one on
    the hidden state, :math:`\text{dh}_t + \delta_{t+1} W_{hh}`, and the one on the
    cell state, which step :math:`t+1` hands back as :math:`\bar c_{t+1} \odot f_{t+1}`.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        Gradient of the loss with respect to every hidden state the layer output.
    cache : list
        From :func:`lstm_forward`.
    dh_T : ndarray, shape (N, H), optional
        Extra gradient on the final hidden state (used elsewhere, e.g. by a decoder).
    dc_T : ndarray, shape (N, H), optional
        Gradient on the final cell state (e.g. from the next chunk of truncated BPTT).

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0, dc0 : ndarray, shape (N, H)
    dW_xh, dW_hh, db_h : ndarray
        Summed over the steps; shapes as from :func:`lstm_step_backward`.

    Book page: ``book/variants/lstm``.
    """
    _check_cache(cache, "lstm_forward")
    W_xh, W_hh = cache[0].W_xh, cache[0].W_hh
    N, H = cache[0].h_prev.shape
    T, D = len(cache), W_xh.shape[1]
    dh = as_float_array("dh", dh, shape=(N, T, H), dtype=W_xh.dtype)
    dh_next = np.zeros((N, H), dtype=dh.dtype) if dh_T is None else \
        as_float_array("dh_T", dh_T, shape=(N, H), dtype=W_xh.dtype, copy=True)
    dc_next = np.zeros((N, H), dtype=dh.dtype) if dc_T is None else \
        as_float_array("dc_T", dc_T, shape=(N, H), dtype=W_xh.dtype, copy=True)
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dW_xh = np.zeros_like(W_xh)
    dW_hh = np.zeros_like(W_hh)
    db_h = np.zeros(4 * H, dtype=W_xh.dtype)
    for t in reversed(range(T)):
        dx[:, t], dh_next, dc_next, dWx_t, dWh_t, db_t = _step_backward(
            dh[:, t] + dh_next, dc_next, cache[t])
        dW_xh += dWx_t
        dW_hh += dWh_t
        db_h += db_t
    return dx, dh_next, dc_next, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------------------
# the layer
# ---------------------------------------------------------------------------
class LSTM(GatedLayer):
    r"""An LSTM layer following the module protocol; PyTorch's equations and layout.

    .. math::

        c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)

    (gates defined in :mod:`rnncourse.cells.lstm`). The state is the pair ``(h, c)``.

    Parameters
    ----------
    input_size, hidden_size, rng, dtype, fast
        As for every cell: D, H, the generator of PyTorch's uniform initialisation, the dtype and
        the choice of kernels, described in :class:`~rnncourse.cells.base.RecurrentLayer`.
        PyTorch's two biases are two draws; here the single ``b_h`` is one draw.
    forget_bias : float
        Added to the forget-gate block ``b_h[H:2H]`` after the random draw. The
        default 0 gives PyTorch's initialisation; 1.0 (Jozefowicz et al., 2015)
        starts training with :math:`f_t \approx 0.73`, so the cell remembers and
        gradients flow back along it.

    Attributes
    ----------
    params : dict
        ``W_xh`` (4H, D), ``W_hh`` (4H, H), ``b_h`` (4H,); row blocks i, f, g, o.
        ``4 (H D + H H + H)`` numbers in all.
    grads : dict
        Same keys and shapes; accumulated by :meth:`~rnncourse.cells.base.RecurrentLayer.backward`.
    d_state : tuple of ndarray
        After :meth:`~rnncourse.cells.base.RecurrentLayer.backward`, ``(dh0, dc0)``, each (N, H): the gradient with
        respect to the initial state.

    Examples
    --------
    >>> import numpy as np
    >>> from rnncourse.cells.lstm import LSTM
    >>> layer = LSTM(3, 4, rng=np.random.default_rng(0))
    >>> h, (h_T, c_T) = layer.forward(np.zeros((2, 5, 3)))
    >>> h.shape, h_T.shape, c_T.shape
    ((2, 5, 4), (2, 4), (2, 4))
    >>> layer.gates["forget"].shape
    (2, 5, 4)

    Book page: ``book/variants/lstm``.
    """

    param_names = ("W_xh", "W_hh", "b_h")
    state_names = ("h", "c")
    gate_fields = tuple(zip(GATE_ORDER, ("i", "f", "g", "o")))
    kernels = {False: (lstm_forward, lstm_backward), True: (fast.lstm_forward_fast, fast.lstm_backward_fast)}

    def __init__(self, input_size, hidden_size, *, rng, dtype=np.float64, forget_bias=0.0, fast=True):
        super().__init__(input_size, hidden_size, rng=rng, dtype=dtype, fast=fast)
        self.forget_bias = check_real("forget_bias", forget_bias)
        limit = float(np.finfo(self.dtype).max) / 2                   # room for the random draw added to it
        if abs(self.forget_bias) > limit:
            raise ValueError(f"forget_bias must lie within +-{limit:.3g} to be held in {self.dtype}, "
                             f"got {forget_bias}")
        H, D = self.hidden_size, self.input_size
        self.add_param("W_xh", self.uniform_init((4 * H, D)))
        self.add_param("W_hh", self.uniform_init((4 * H, H)))
        b_h = self.uniform_init(4 * H)
        b_h[H:2 * H] += self.dtype.type(self.forget_bias)
        self.add_param("b_h", b_h)

    def final_state(self, outputs, cache):
        """``(h_T, c_T)``, copies of the last hidden and cell state."""
        c_T = cache.c_T if isinstance(cache, fast.LSTMFastCache) else cache[-1].c
        return outputs[:, -1].copy(), c_T.copy()
