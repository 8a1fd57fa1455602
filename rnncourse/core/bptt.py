r"""Backpropagation through time over a whole sequence, full or truncated.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

*Full BPTT* runs the model over all :math:`T` steps, then backpropagates from
step :math:`T` to step 1. *Truncated BPTT* with length :math:`k` cuts the
sequence into chunks of :math:`k` steps. The hidden state is **carried** from
one chunk to the next (so the forward pass is the same as without truncation),
but the gradient is **cut** at each chunk edge: chunk :math:`c`'s backward pass
stops at its first step and sends nothing into chunk :math:`c-1`. Memory then
grows with :math:`k` instead of :math:`T`, at the price of gradients that see at
most :math:`k` steps back.

Each chunk's mean loss is weighted by its share of the real (unmasked)
positions, so the total is the mean over the whole sequence and, when
:math:`k \ge T`, the gradients equal those of full BPTT exactly.
"""
from __future__ import annotations

import numpy as np

from .checks import as_float_array, as_int_array, as_mask, check_choice, check_instance, check_positive_int
from .losses import mse, softmax_cross_entropy
from .module import Module

LOSSES = {"mse": mse, "cross_entropy": softmax_cross_entropy}


def get_loss(loss):
    """Return a loss function from its name (``"mse"``, ``"cross_entropy"``) or pass a callable through.

    A callable must have the signature ``loss(pred, target, mask) -> (value, dpred)``.

    Book page: ``book/bptt``.
    """
    if callable(loss):
        return loss
    if not isinstance(loss, str):
        raise TypeError(f"loss must be one of {sorted(LOSSES)} or a callable (pred, target, mask) -> "
                        f"(value, dpred); got {loss!r} ({type(loss).__name__})")
    return LOSSES[check_choice("loss", loss, tuple(sorted(LOSSES)))]


def _check_targets(loss, y, out, mask):
    """``y`` and ``mask`` checked against the model's output ``out`` as the named loss reads them.

    The errors name ``y`` (the loss functions would say ``target``/``targets``). A callable
    loss gets ``y`` as it is. Returns ``(y, mask)``; the mask is ``None`` or a bool array.
    """
    if not isinstance(out, np.ndarray) or out.ndim < 2:
        raise ValueError(f"the model's output must be an array (N, ..., O), got {type(out).__name__}")
    positions = out.shape[:-1]
    m = None if mask is None else as_mask("mask", mask, positions)
    if loss == "mse":
        y = as_float_array("y", y, shape=out.shape, dtype=out.dtype, dtype_of="the model's output")
    elif loss == "cross_entropy":
        y = as_int_array("y", y, shape=positions)
        C = out.shape[-1]
        real = np.ones(positions, dtype=bool) if m is None else m
        bad = real & ((y < 0) | (y >= C))
        if bad.any():
            raise ValueError(f"y must hold class indices in [0, {C}) (the model's {C} outputs); "
                             f"found {int(y[bad].flat[0])}")
    return y, m


def bptt(model: Module, x, y, loss="mse", mask=None, state=None, truncation=None):
    r"""Forward and backward over a batch of sequences; gradients accumulate into ``model.grads``.

    Parameters
    ----------
    model : Module
        A sequence model mapping (N, T, D) to per-step outputs (N, T, O), e.g.
        ``Sequential(RNN(D, H, rng=rng), Output(H, O, rng=rng))``.
    x : ndarray, shape (N, T, D), or any input the model reads (full BPTT only)
    y : ndarray, shape (N, T, O) for ``"mse"``, int (N, T) for ``"cross_entropy"``
    loss : {"mse", "cross_entropy"} or callable
    mask : ndarray, shape (N, T), optional
        1 for real steps, 0 for padding.
    state : optional
        Initial state (as the model's ``forward`` takes it); zeros when None.
    truncation : int, optional
        Chunk length :math:`k` for truncated BPTT; ``None`` means full BPTT.

    Returns
    -------
    loss : float
        The mean loss over all real positions.
    final_state
        The model's state after the last step, to carry into the next batch
        of the same sequences.

    Notes
    -----
    The caller zeroes gradients (``model.zero_grad()``) before, and applies the
    optimizer after.

    Book page: ``book/bptt``.
    """
    check_instance("model", model, Module, "an rnncourse Module (a layer or a Sequential)")
    loss_fn = get_loss(loss)
    if truncation is None:
        # full BPTT: one forward over every step, one backward from the last step to the first.
        # x may be anything the model reads (token ids, or a (source, target) pair for seq2seq).
        out, state = model.forward(x, state)
        y, m = _check_targets(loss, y, out, mask)
        value, dout = loss_fn(out, y, m)
        model.backward(dout)
        return float(value), state
    k = check_positive_int("truncation", truncation)
    x = as_float_array("x", x, ndim=3)
    N, T = x.shape[:2]
    m = np.ones((N, T), dtype=bool) if mask is None else as_mask("mask", mask, (N, T))
    if not isinstance(loss, str):
        y = np.asarray(y)
        if y.shape[:2] != (N, T):
            raise ValueError(f"y must start with the shape (N, T) = {(N, T)} of x, got {y.shape}")
    total = int(m.sum())
    loss_value = 0.0
    for start in range(0, T, k):
        sl = slice(start, min(start + k, T))
        out, state = model.forward(x[:, sl], state)
        if start == 0 and isinstance(loss, str):
            # the first chunk's output says what y must be (O outputs or C classes per step):
            # all of y is checked now, before any gradient is computed
            if not isinstance(out, np.ndarray) or out.ndim != 3:
                raise ValueError("truncated BPTT needs a model with one output per step (N, T, O), got "
                                 f"{getattr(out, 'shape', type(out).__name__)}")
            y, _ = _check_targets(loss, y, np.empty((N, T, out.shape[-1]), dtype=out.dtype), m)
        m_c = m[:, sl]
        if not m_c.any():
            continue                       # only padding here: the state moves on, no gradient
        value, dout = loss_fn(out, y[:, sl], m_c)
        weight = float(m_c.sum()) / total  # a Python float keeps dout's dtype (float32 stays float32)
        loss_value += weight * value
        model.backward(dout * weight)      # d_final_state=None: the gradient is cut at the chunk edge
    return float(loss_value), state
