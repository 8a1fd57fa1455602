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

from .checks import as_float_array, check_positive_int
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
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)} or a callable "
                         f"(pred, target, mask) -> (value, dpred); got {loss!r}")
    return LOSSES[loss]


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
    loss_fn = get_loss(loss)
    if truncation is None:
        # full BPTT: one forward over every step, one backward from the last step to the first.
        # x may be anything the model reads (token ids, or a (source, target) pair for seq2seq).
        out, state = model.forward(x, state)
        value, dout = loss_fn(out, y, mask)
        model.backward(dout)
        return float(value), state
    k = check_positive_int("truncation", truncation)
    x = as_float_array("x", x, ndim=3)
    N, T = x.shape[:2]
    y = np.asarray(y)
    if y.shape[:2] != (N, T):
        raise ValueError(f"y must start with the shape (N, T) = {(N, T)} of x, got {y.shape}")
    m = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask)
    if m.shape != (N, T):
        raise ValueError(f"mask must have shape (N, T) = {(N, T)}, got {m.shape}")
    m = m.astype(bool)
    total = m.sum()
    if total == 0:
        raise ValueError("mask marks no position as real (all zeros)")
    loss_value = 0.0
    for start in range(0, T, k):
        sl = slice(start, min(start + k, T))
        out, state = model.forward(x[:, sl], state)
        m_c = m[:, sl]
        if not m_c.any():
            continue                       # only padding here: the state moves on, no gradient
        value, dout = loss_fn(out, y[:, sl], m_c)
        weight = m_c.sum() / total
        loss_value += weight * value
        model.backward(dout * weight)      # d_final_state=None: the gradient is cut at the chunk edge
    return float(loss_value), state
