r"""Fast paths for the RNN, LSTM and GRU layers: the same equations, arranged for speed.

Taught on the book page *From teaching code to fast code* (``book/fast``).

The teaching versions (:func:`rnncourse.cells.rnn.rnn_forward`, :func:`rnncourse.cells.lstm.lstm_forward`,
:func:`rnncourse.cells.gru.gru_forward` and their backward passes) call one step function per time
step, and that function does every matrix product and every elementwise operation of the step.
Only part of that work is truly sequential: what depends on :math:`h_{t-1}` must wait for the
previous step, everything else can be done for all steps at once. The functions here keep the
equations and the results (they agree with the teaching versions to rounding, about
:math:`10^{-15}` relative in float64) and reorganise the work:

1. **One GEMM for every step's input projection.** :math:`W_{xh} x_t + b` does not depend on the
   state, so the inputs of all T steps become the rows of one (T N, D) matrix and a single
   matrix product projects them before the loop.
2. **One GEMM per step for the recurrence, all gates fused.** The gate blocks of ``W_hh`` are
   stacked (i, f, g, o for the LSTM; r, z, n for the GRU), so :math:`W_{hh} h_{t-1}` gives every
   gate's recurrent part in one product of shape (N, 4H) or (N, 3H).
3. **Weight gradients in one GEMM after the backward loop.** :math:`dW_{hh} = \sum_t
   \delta_t h_{t-1}^\top` is a sum of T products; with the deltas of all steps kept in one
   buffer it is a single product over all T N rows, and likewise :math:`dW_{xh}`, :math:`db`
   and :math:`dx`, none of which feeds the recurrence.
4. **Elementwise work hoisted out of the loop.** In the backward pass every factor that only
   depends on forward values (:math:`\sigma' = \sigma(1-\sigma)`, :math:`\tanh' = 1-\tanh^2` and
   their products with other activations) is computed for all steps in a few large array
   operations before the loop; a step then only multiplies the incoming gradient by them.
5. **Time-major buffers, preallocated, ``out=`` arguments.** Step t's batch is one
   contiguous (N, ·) block of a (T, N, ·) buffer (inputs, pre-activations, states, deltas).
   Viewed as a (T N, ·) matrix, the same buffer is what the single GEMMs of points 1 and 3
   need, without a copy; the loop itself allocates nothing.
6. **One exponential for all gates.** With the sigmoid rows of the weights multiplied by
   :math:`-1` and the candidate's rows by :math:`-2` once before the loop (exact operations in
   floating point), ``exp``, ``+ 1`` and ``1 / ·`` over the whole (N, 4H) block give
   :math:`\sigma(a) = 1/(1 + e^{-a})` for the gates and :math:`\sigma(2a)` for the candidate,
   from which :math:`\tanh(a) = 2\sigma(2a) - 1`. On the course's machines numpy's ``exp`` is
   about twice as fast as its ``tanh``, so this beats the textbook trick of computing
   :math:`\sigma(a) = (1 + \tanh(a/2))/2` (``benchmarks/layers.py`` prints both costs).
7. **The input's dtype end to end.** float32 inputs and weights give float32 buffers, products
   and results: half the memory traffic of float64 and twice the SIMD width.

The public functions take the same arguments and return the same values as their teaching
counterparts; only the ``cache`` differs (a named tuple of buffers instead of a list of step
caches). The layers :class:`~rnncourse.cells.rnn.RNN`, :class:`~rnncourse.cells.lstm.LSTM` and
:class:`~rnncourse.cells.gru.GRU` use these functions unless created with ``fast=False``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import check_cell_weights
from ..core.checks import as_float_array, check_same_dtype
from ..core.activations import get_nonlinearity


# ---------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------
def _check_sequence(x, D, states, W_hh):
    """Validate ``x`` (N, T, D) and the initial states (each (N, H)) as the teaching versions do."""
    x = as_float_array("x", x, ndim=3, shape=(None, None, D))
    N, T, _ = x.shape
    checked = {name: as_float_array(name, value, shape=(N, W_hh.shape[1]))
               for name, value in states.items()}
    check_same_dtype(x=x, **checked, W_hh=W_hh)
    return x, N, T, checked


def _input_projection(x, W, b):
    r"""All steps' :math:`W x_t + b` with one GEMM.

    Returns ``a`` (T, N, K), step t's pre-activations as block ``a[t]``, and ``xs`` (T N, D),
    the inputs as rows in time-major order (row t N + n), which the weight gradient reuses.
    """
    N, T, D = x.shape
    xs = np.array(x.transpose(1, 0, 2), order="C", copy=True).reshape(T * N, D)   # a copy: x stays the caller's
    a = xs @ W.T                                         # (T N, K)
    a += b
    return a.reshape(T, N, -1), xs


def _state_buffer(T, h0):
    """A (T+1, N, H) buffer whose block 0 is the initial state h0 (N, H)."""
    hs = np.empty((T + 1,) + h0.shape, h0.dtype)
    hs[0] = h0
    return hs


def _batch_first(a):
    """(T, N, H) -> the layers' (N, T, H) layout: always a new array (for N = 1 or T = 1 the transpose
    is already contiguous, and returning it would let the caller's edits reach the backward cache)."""
    return np.array(a.transpose(1, 0, 2), order="C", copy=True)


def _scaled_rows(W, H, factors):
    """Copy of ``W`` whose row block k (rows kH:(k+1)H) is multiplied by ``factors[k]`` (exact: powers of 2)."""
    W = W.copy()
    for k, factor in enumerate(factors):
        if factor != 1:
            W[k * H:(k + 1) * H] *= factor
    return W


def _logistic_inplace(a):
    r"""``a <- 1 / (1 + exp(a))`` in place: :math:`\sigma(-a)`. Overflow to inf gives the exact limit 0."""
    np.exp(a, out=a)
    a += 1.0
    np.divide(1.0, a, out=a)


def _check_backward(dh, dh_T, N, H, T, dtype):
    """The upstream gradient (N, T, H), checked, and the carried gradient (N, H) it starts from."""
    dh = as_float_array("dh", dh, shape=(N, T, H), dtype=dtype)
    dh_next = np.zeros((N, H), dtype) if dh_T is None else \
        as_float_array("dh_T", dh_T, shape=(N, H), dtype=dtype, copy=True)
    return dh, dh_next


def _gradients_after_loop(delta_x, delta_h, xs, hs, W_xh):
    r"""The products that do not feed the recurrence, each one GEMM over all T N rows.

    ``delta_x``/``delta_h`` (T, N, K) are the deltas of the input and of the recurrent
    pre-activations (the same array except for the GRU's n block). Returns ``dx`` (N, T, D),
    :math:`dW_{xh} = \sum_t \delta^{x\top}_t x_t`, :math:`dW_{hh} = \sum_t \delta^{h\top}_t h_{t-1}`,
    and the bias gradients :math:`\sum_{t,n} \delta^x`, :math:`\sum_{t,n} \delta^h`.
    """
    T, N, K = delta_x.shape
    dX = delta_x.reshape(T * N, K)                       # views: the buffers are time-major
    dH = delta_h.reshape(T * N, K)
    H_prev = hs[:-1].reshape(T * N, -1)
    dx = _batch_first((dX @ W_xh).reshape(T, N, -1))
    return dx, dX.T @ xs, dH.T @ H_prev, dX.sum(axis=0), dH.sum(axis=0)


# ---------------------------------------------------------------------------
# Elman RNN
# ---------------------------------------------------------------------------
class RNNFastCache(NamedTuple):
    """What :func:`rnn_forward_fast` keeps for :func:`rnn_backward_fast`."""
    xs: np.ndarray       # (T N, D) inputs, time-major rows
    hs: np.ndarray       # (T+1, N, H): hs[0] = h0, hs[t] = h_t
    W_xh: np.ndarray     # (H, D)
    W_hh: np.ndarray     # (H, H)
    nonlinearity: str


def rnn_forward_fast(x, h0, W_xh, W_hh, b_h, nonlinearity="tanh"):
    r"""Fast version of :func:`rnncourse.cells.rnn.rnn_forward`; same arguments, same ``h``.

    .. math:: A_t = W_{xh} x_t + b_h \text{ for all } t \text{ (one GEMM)}, \qquad
        h_t = f(A_t + W_{hh} h_{t-1}).

    Same arguments and shapes as :func:`~rnncourse.cells.rnn.rnn_forward`; returns ``(h, cache)``
    with the same ``h`` (N, T, H) and an :class:`RNNFastCache` for :func:`rnn_backward_fast`.

    Book page: ``book/fast``.
    """
    get_nonlinearity(nonlinearity)                       # checks the name
    W_xh, W_hh, b_h, H, D = check_cell_weights(W_xh, W_hh, {"b_h": b_h})
    x, N, T, st = _check_sequence(x, D, {"h0": h0}, W_hh)
    a, xs = _input_projection(x, W_xh, b_h)              # (T, N, H)
    hs = _state_buffer(T, st["h0"])
    W_hh_T = np.ascontiguousarray(W_hh.T)
    rec = np.empty((N, H), x.dtype)
    for t in range(T):
        np.matmul(hs[t], W_hh_T, out=rec)                # the only sequential product
        a[t] += rec
        if nonlinearity == "tanh":
            np.tanh(a[t], out=hs[t + 1])
        else:
            np.maximum(a[t], 0.0, out=hs[t + 1])
    return _batch_first(hs[1:]), RNNFastCache(xs, hs, W_xh, W_hh, nonlinearity)


def rnn_backward_fast(dh, cache, dh_T=None):
    r"""Fast version of :func:`rnncourse.cells.rnn.rnn_backward`; same arguments and results.

    :math:`f'(a_t)` is computed for every step before the loop; the loop only runs
    :math:`\delta_t = (\text{dh}_t + W_{hh}^\top \delta_{t+1}) \odot f'(a_t)`, and the weight
    gradients are one GEMM each afterwards.

    Same arguments, shapes and results as :func:`~rnncourse.cells.rnn.rnn_backward`, except that
    ``cache`` comes from :func:`rnn_forward_fast`.

    Book page: ``book/fast``.
    """
    if not isinstance(cache, RNNFastCache):
        raise TypeError("cache must be the cache returned by rnn_forward_fast")
    xs, hs, W_xh, W_hh, nonlinearity = cache
    T, N, H = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    dh, dh_next = _check_backward(dh, dh_T, N, H, T, hs.dtype)
    h = hs[1:]
    if nonlinearity == "tanh":                           # f'(a_t) of every step, in one buffer
        delta = np.multiply(h, h)
        np.subtract(1.0, delta, out=delta)
    else:
        delta = (h > 0).astype(hs.dtype)
    for t in reversed(range(T)):
        dh_next += dh[:, t]                              # dL/dh_t
        delta[t] *= dh_next                              # delta_t, stored over f'(a_t)
        np.matmul(delta[t], W_hh, out=dh_next)           # dL/dh_{t-1} from this step
    dx, dW_xh, dW_hh, db_h, _ = _gradients_after_loop(delta, delta, xs, hs, W_xh)
    return dx, dh_next, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------------------
# LSTM
# ---------------------------------------------------------------------------
class LSTMFastCache(NamedTuple):
    """What :func:`lstm_forward_fast` keeps for :func:`lstm_backward_fast`.

    ``acts[t]`` (N, 4H) holds the gate activations of step t in PyTorch's block order:
    columns ``0:H`` i, ``H:2H`` f, ``2H:3H`` g, ``3H:4H`` o.
    """
    xs: np.ndarray       # (T N, D) inputs, time-major rows
    hs: np.ndarray       # (T+1, N, H), hs[0] = h0
    cs: np.ndarray       # (T+1, N, H), cs[0] = c0
    acts: np.ndarray     # (T, N, 4H): i, f, g, o
    tanh_c: np.ndarray   # (T, N, H)
    W_xh: np.ndarray     # (4H, D)
    W_hh: np.ndarray     # (4H, H)

    @property
    def c_T(self) -> np.ndarray:
        """The final cell state, (N, H)."""
        return self.cs[-1]


def lstm_forward_fast(x, h0, c0, W_xh, W_hh, b_h):
    r"""Fast version of :func:`rnncourse.cells.lstm.lstm_forward`; same arguments, same ``h``.

    Per step: one GEMM :math:`W_{hh} h_{t-1}` added to the precomputed input part, then one
    ``exp`` over all four blocks (rows scaled by :math:`-1` for i, f, o and :math:`-2` for g
    beforehand) gives :math:`\sigma` for the gates and :math:`g = 2\sigma(2a_g) - 1`.

    Same arguments and shapes as :func:`~rnncourse.cells.lstm.lstm_forward`; returns ``(h, cache)``
    with the same ``h`` (N, T, H) and an :class:`LSTMFastCache` for :func:`lstm_backward_fast`
    (``cache.c_T`` is the final cell state).

    Book page: ``book/fast``.
    """
    W_xh, W_hh, b_h, H, D = check_cell_weights(W_xh, W_hh, {"b_h": b_h}, blocks=4, order="i, f, g, o")
    x, N, T, st = _check_sequence(x, D, {"h0": h0, "c0": c0}, W_hh)
    scale = (-1, -1, -2, -1)                             # i, f, o: sigma(a) from exp(-a); g from exp(-2a)
    acts, xs = _input_projection(x, _scaled_rows(W_xh, H, scale), _scaled_rows(b_h, H, scale))
    W_rec_T = np.ascontiguousarray(_scaled_rows(W_hh, H, scale).T)
    hs, cs = _state_buffer(T, st["h0"]), _state_buffer(T, st["c0"])
    tanh_c = np.empty((T, N, H), x.dtype)
    rec = np.empty((N, 4 * H), x.dtype)
    ig = np.empty((N, H), x.dtype)
    with np.errstate(over="ignore"):                     # exp -> inf is the exact limit sigma = 0
        for t in range(T):
            a = acts[t]                                  # (N, 4H), becomes the activations
            np.matmul(hs[t], W_rec_T, out=rec)           # all four gates' recurrent parts
            a += rec
            _logistic_inplace(a)                         # i, f, o done; g's block holds sigma(2 a_g)
            i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            g *= 2.0
            g -= 1.0                                     # tanh(a_g) = 2 sigma(2 a_g) - 1
            np.multiply(f, cs[t], out=cs[t + 1])         # c_t = f * c_{t-1} + i * g
            np.multiply(i, g, out=ig)
            cs[t + 1] += ig
            np.tanh(cs[t + 1], out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=hs[t + 1])     # h_t = o * tanh(c_t)
    return _batch_first(hs[1:]), LSTMFastCache(xs, hs, cs, acts, tanh_c, W_xh, W_hh)


def lstm_backward_fast(dh, cache, dh_T=None, dc_T=None):
    r"""Fast version of :func:`rnncourse.cells.lstm.lstm_backward`; same arguments and results.

    Before the loop, for all steps at once: :math:`A_t = o_t (1 - \tanh^2 c_t)` and the
    coefficients :math:`K_t = [\,g\,i(1-i);\; c_{t-1} f(1-f);\; i(1-g^2);\; \tanh(c_t)\, o(1-o)\,]`.
    Each step then only computes

    .. math::

        \text{dh} = \text{dh}_t + W_{hh}^\top \delta_{t+1}, \quad
        \bar c = f_{t+1} \odot \bar c_{t+1} + A_t \odot \text{dh}, \quad
        \delta_t = [\bar c;\, \bar c;\, \bar c;\, \text{dh}] \odot K_t .

    Same arguments, shapes and results as :func:`~rnncourse.cells.lstm.lstm_backward`, except that
    ``cache`` comes from :func:`lstm_forward_fast`.

    Book page: ``book/fast``.
    """
    if not isinstance(cache, LSTMFastCache):
        raise TypeError("cache must be the cache returned by lstm_forward_fast")
    xs, hs, cs, acts, tanh_c, W_xh, W_hh = cache
    T, N, H = tanh_c.shape
    dh, dh_next = _check_backward(dh, dh_T, N, H, T, hs.dtype)
    dc = np.zeros((N, H), hs.dtype) if dc_T is None else \
        as_float_array("dc_T", dc_T, shape=(N, H), dtype=hs.dtype, copy=True)
    i, f, g, o = (acts[..., k * H:(k + 1) * H] for k in range(4))
    # Every factor that only depends on the forward pass, for all steps at once, written
    # straight into its buffer (out=) so that no temporary the size of the sequence is made.
    A = np.multiply(tanh_c, tanh_c)
    np.subtract(1.0, A, out=A)
    A *= o                                               # A_t = o (1 - tanh^2 c_t): dc_t / dh_t
    delta = np.empty_like(acts)                          # holds K_t, then delta_t, step by step
    K = delta.reshape(T, N, 4, H)
    for k, (act, factor, kind) in enumerate(((i, g, "sigmoid"), (f, cs[:-1], "sigmoid"),
                                             (g, i, "tanh"), (o, tanh_c, "sigmoid"))):
        Kk = K[:, :, k]
        np.multiply(act, act, out=Kk)
        if kind == "sigmoid":
            np.subtract(act, Kk, out=Kk)                 # sigma' = s - s^2
        else:
            np.subtract(1.0, Kk, out=Kk)                 # tanh' = 1 - g^2
        Kk *= factor                                # i: g s'; f: c_{t-1} s'; g: i tanh'; o: tanh(c) s'

    tmp = np.empty((N, H), hs.dtype)
    for t in reversed(range(T)):
        dh_next += dh[:, t]                              # dL/dh_t
        np.multiply(dh_next, A[t], out=tmp)
        dc += tmp                                        # total dL/dc_t
        K[t, :, :3] *= dc[:, None, :]                    # i, f and g scale with dc ...
        K[t, :, 3] *= dh_next                            # ... o with dh
        dc *= f[t]                                       # the cell path to step t-1
        np.matmul(delta[t], W_hh, out=dh_next)           # dL/dh_{t-1} from this step
    dx, dW_xh, dW_hh, db_h, _ = _gradients_after_loop(delta, delta, xs, hs, W_xh)
    return dx, dh_next, dc, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------------------
# GRU
# ---------------------------------------------------------------------------
class GRUFastCache(NamedTuple):
    """What :func:`gru_forward_fast` keeps for :func:`gru_backward_fast`.

    ``acts[t]`` (N, 3H) holds r, z and n of step t in PyTorch's block order (columns ``0:H``
    r, ``H:2H`` z, ``2H:3H`` n); ``hn[t]`` (N, H) is :math:`W_{hn} h_{t-1} + b_{hn}`.
    """
    xs: np.ndarray       # (T N, D) inputs, time-major rows
    hs: np.ndarray       # (T+1, N, H), hs[0] = h0
    acts: np.ndarray     # (T, N, 3H): r, z, n
    hn: np.ndarray       # (T, N, H)
    W_xh: np.ndarray     # (3H, D)
    W_hh: np.ndarray     # (3H, H)


def gru_forward_fast(x, h0, W_xh, W_hh, b_xh, b_hh):
    r"""Fast version of :func:`rnncourse.cells.gru.gru_forward`; same arguments, same ``h``.

    One GEMM before the loop gives every step's input part :math:`W_{xh} x_t + b_{xh}` plus,
    for r and z, the recurrent bias (for n the recurrent bias :math:`b_{hn}` stays inside the
    product with :math:`r_t`). Per step: one GEMM :math:`W_{hh} h_{t-1}` for all three blocks
    and one ``exp`` for r and z together (their rows scaled by :math:`-1` beforehand).

    Same arguments and shapes as :func:`~rnncourse.cells.gru.gru_forward`; returns ``(h, cache)``
    with the same ``h`` (N, T, H) and a :class:`GRUFastCache` for :func:`gru_backward_fast`.

    Book page: ``book/fast``.
    """
    W_xh, W_hh, b_xh, b_hh, H, D = check_cell_weights(W_xh, W_hh, {"b_xh": b_xh, "b_hh": b_hh}, blocks=3, order="r, z, n")
    x, N, T, st = _check_sequence(x, D, {"h0": h0}, W_hh)
    scale = (-1, -1, 1)                                  # r, z: sigma(a) from exp(-a); n: plain tanh
    b = b_xh.copy()
    b[:2 * H] += b_hh[:2 * H]                            # for r and z the two biases only add up
    acts, xs = _input_projection(x, _scaled_rows(W_xh, H, scale), _scaled_rows(b, H, scale))
    W_rec_T = np.ascontiguousarray(_scaled_rows(W_hh, H, scale).T)
    b_hn = b_hh[2 * H:]
    hs = _state_buffer(T, st["h0"])
    hn = np.empty((T, N, H), x.dtype)
    rec = np.empty((N, 3 * H), x.dtype)
    tmp = np.empty((N, H), x.dtype)
    with np.errstate(over="ignore"):
        for t in range(T):
            a = acts[t]                                  # (N, 3H), becomes r, z, n
            np.matmul(hs[t], W_rec_T, out=rec)           # recurrent parts of r, z and n
            rz = a[:, :2 * H]
            rz += rec[:, :2 * H]
            _logistic_inplace(rz)
            r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            np.add(rec[:, 2 * H:], b_hn, out=hn[t])      # W_hn h_{t-1} + b_hn
            np.multiply(r, hn[t], out=tmp)
            n += tmp
            np.tanh(n, out=n)                            # n = tanh(W_xn x + b_xn + r * hn)
            np.subtract(hs[t], n, out=tmp)               # h = n + z * (h_{t-1} - n)
            tmp *= z
            np.add(n, tmp, out=hs[t + 1])
    return _batch_first(hs[1:]), GRUFastCache(xs, hs, acts, hn, W_xh, W_hh)


def gru_backward_fast(dh, cache, dh_T=None):
    r"""Fast version of :func:`rnncourse.cells.gru.gru_backward`; same arguments and results.

    With :math:`K^n_t = (1 - z)(1 - n^2)` computed for all steps before the loop, every
    recurrent delta of a step is the incoming gradient times a precomputed coefficient,
    :math:`\delta^h_t = [K^n \hat n\, r(1-r);\; (h_{t-1} - n)\, z(1-z);\; K^n r] \odot \text{dh}`,
    so a step is one multiplication, one GEMM and
    :math:`\text{dh}_{t-1} = z \odot \text{dh} + W_{hh}^\top \delta^h_t`. The input-side deltas
    :math:`\delta^x` differ from :math:`\delta^h` only in the n block (:math:`K^n \odot \text{dh}`,
    without the factor r) and are formed after the loop.

    Same arguments, shapes and results as :func:`~rnncourse.cells.gru.gru_backward`, except that
    ``cache`` comes from :func:`gru_forward_fast`.

    Book page: ``book/fast``.
    """
    if not isinstance(cache, GRUFastCache):
        raise TypeError("cache must be the cache returned by gru_forward_fast")
    xs, hs, acts, hn, W_xh, W_hh = cache
    T, N, H = hn.shape
    dh, dh_next = _check_backward(dh, dh_T, N, H, T, hs.dtype)
    r, z, n = (acts[..., k * H:(k + 1) * H] for k in range(3))
    # Coefficients for all steps at once, written straight into their buffers (out=).
    Kn = np.multiply(n, n)
    np.subtract(1.0, Kn, out=Kn)
    Kn *= 1.0 - z                                        # (1 - z)(1 - n^2): d(pre-activation of n) / dh_t
    delta_h = np.empty_like(acts)                        # holds the coefficients, then delta^h_t
    K = delta_h.reshape(T, N, 3, H)
    Kr, Kz = K[:, :, 0], K[:, :, 1]
    np.multiply(r, r, out=Kr)
    np.subtract(r, Kr, out=Kr)
    Kr *= hn
    Kr *= Kn                                             # reset gate: Kn hn r(1 - r)
    np.multiply(z, z, out=Kz)
    np.subtract(z, Kz, out=Kz)
    Kz *= hs[:-1] - n                                    # update gate: (h_{t-1} - n) z(1 - z)
    np.multiply(Kn, r, out=K[:, :, 2])                   # candidate, recurrent side (times r)
    dh_all = np.empty((T, N, H), hs.dtype)               # dL/dh_t of every step, for delta^x
    rec = np.empty((N, H), hs.dtype)
    for t in reversed(range(T)):
        d = dh_all[t]
        np.add(dh_next, dh[:, t], out=d)                 # dL/dh_t
        K[t] *= d[:, None, :]                            # delta^h_t, all three blocks
        np.matmul(delta_h[t], W_hh, out=rec)
        np.multiply(d, z[t], out=dh_next)                # dL/dh_{t-1}: the direct path through z ...
        dh_next += rec                                   # ... plus the path through the gates
    delta_x = delta_h.copy()
    np.multiply(dh_all, Kn, out=delta_x[..., 2 * H:])    # n block without the factor r
    dx, dW_xh, dW_hh, db_xh, db_hh = _gradients_after_loop(delta_x, delta_h, xs, hs, W_xh)
    return dx, dh_next, dW_xh, dW_hh, db_xh, db_hh
