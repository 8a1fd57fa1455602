r"""Reference computations of assignment 2, *Backpropagation through time*.

Taught on the book page *Training with backpropagation through time* (``book/bptt``).

The checks of :mod:`rnncourse.grading.a02_bptt` (and its hidden tests) compare each
answer with these: the notebook's forward pass and its caches
``(x, h_prev, W_xh, W_hh, h_next)``, the true step and sequence backward
(``rnncourse``'s), and the loops of BPTT, truncated BPTT and the gradient norms by lag
written on top of *any* step or sequence backward, so that they can run on the
student's own earlier function. Keyword flags reproduce typical mistakes. The answers
must not call this module (it is in the ``forbidden`` lists of the checks).
"""
from __future__ import annotations

import numpy as np

from ..cells import rnn as _rnn


def notebook_forward(x, h0, W_xh, W_hh, b_h):
    """The notebook's forward pass: all states (N, T, H) and one cache ``(x, h_prev, W_xh, W_hh, h_next)`` per step.

    Book page: ``book/bptt``.
    """
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]))
    caches, h_prev = [], h0
    for t in range(T):
        h_next = np.tanh(x[:, t] @ W_xh.T + h_prev @ W_hh.T + b_h)
        caches.append((x[:, t].copy(), h_prev, W_xh, W_hh, h_next))
        h[:, t] = h_next
        h_prev = h_next
    return h, caches


def reference_step(dh, cache):
    """The true step backward: rnncourse's, on the notebook's cache.

    Book page: ``book/bptt``.
    """
    return _rnn.rnn_step_backward(dh, tuple(cache) + ("tanh",))


def reference_sequence(dh, caches):
    """The true BPTT over the notebook's caches: rnncourse's ``(dx, dh0, dW_xh, dW_hh, db_h)``.

    Book page: ``book/bptt``.
    """
    return _rnn.rnn_backward(dh, [tuple(c) + ("tanh",) for c in caches])


def bptt_loop(step, dh, caches, *, carry=True, accumulate=True, first=0, forward_in_time=False):
    """BPTT over the notebook's caches with a given step backward; the flags reproduce mistakes.

    Book page: ``book/bptt``.
    """
    N, T, H = dh.shape
    D = caches[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dh_next = np.zeros((N, H))
    sums = [np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)]
    fresh = True
    order = range(first, T) if forward_in_time else reversed(range(first, T))
    for t in order:
        g = dh[:, t] + dh_next if carry else dh[:, t]
        dx_t, dh_next, *dW = step(g, caches[t])
        dx[:, t] = dx_t
        sums = list(dW) if (fresh or not accumulate) else [s + d for s, d in zip(sums, dW)]
        fresh = False
    return (dx, dh_next, *sums)


def central_difference(f, x, eps):
    """The central difference the students write, computed by the grader (same formula).

    Book page: ``book/bptt``.
    """
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def one_sided_difference(f, x, eps):
    """The one-sided difference ``(f(x + eps) - f(x)) / eps`` entry by entry (a typical mistake).

    Book page: ``book/bptt``.
    """
    x = x.copy()
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad


def clip_reference(grads, max_norm):
    """``(clipped, norm)``: ``grads`` scaled by ``min(1, max_norm / norm)``, and their global norm.

    Book page: ``book/bptt``.
    """
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = min(1.0, max_norm / norm)
    return {k: g * scale for k, g in grads.items()}, norm


def truncated_bptt(backward, x, h0, W_xh, W_hh, b_h, dh, k, *, carry_state=True, accumulate=True,
                   drop_last=False, carry_gradient=False):
    """Weight gradients of truncated BPTT with a given sequence backward; the flags reproduce mistakes.

    Book page: ``book/bptt``.
    """
    T = x.shape[1]
    starts = list(range(0, T, k))
    if drop_last and T % k:
        starts = starts[:-1]
    h, sums = h0, None
    chunks = []
    for s in starts:
        sl = slice(s, min(s + k, T))
        hs, caches = notebook_forward(x[:, sl], h if carry_state else h0, W_xh, W_hh, b_h)
        chunks.append((dh[:, sl].copy(), caches))
        h = hs[:, -1]
    d_next = None
    for dh_c, caches in reversed(chunks):
        if carry_gradient and d_next is not None:
            dh_c[:, -1] += d_next
        out = backward(dh_c, caches)
        d_next = out[1]
        dW = list(out[2:])
        if sums is None:
            sums = dW                      # the last chunk in time comes first here
        elif accumulate:
            sums = [a + b for a, b in zip(sums, dW)]
    return tuple(sums)


def norms_by_lag(step, caches, dh_T, *, after=False, batch_norm=False, chronological=False):
    """Mean norm of dL/dh_{T-k} for k = 0..T-1 with a given step backward; the flags reproduce mistakes.

    Book page: ``book/bptt``.
    """
    T = len(caches)
    d = dh_T
    norms = np.zeros(T)
    for k in range(T):
        if after:
            d = step(d, caches[T - 1 - k])[1]
        norms[k] = np.linalg.norm(d) if batch_norm else np.linalg.norm(d, axis=1).mean()
        if not after:
            d = step(d, caches[T - 1 - k])[1]
    return norms[::-1].copy() if chronological else norms
