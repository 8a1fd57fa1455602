r"""Visible checks of assignment 3, *LSTM and GRU cells* (``assignments/source/a03_gated_cells``).

Taught on the book pages *LSTM: a memory cell with gates* (``book/variants/lstm``) and
*GRU: two gates, no separate cell* (``book/variants/gru``).

The students write, in numpy and in PyTorch's layout:

* ``lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h) -> (h, c, cache)`` with
  gate rows **i, f, g, o** and ``cache = (x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c)``
  (the layout is fixed so that the backward pass can be graded on its own, with a
  cache built here from the reference);
* ``gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh) -> h`` with gate rows
  **r, z, n** and :math:`n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}))`,
  :math:`h' = (1 - z) \odot n + z \odot h`;
* ``lstm_step_backward(dh, dc, cache) -> (dx, dh_prev, dc_prev, dW_xh, dW_hh, db_h)``.

``visible_*`` functions isolate one gate or one path and say which is wrong;
typical mistakes (gates in another order, ``b_hn`` outside the reset gate,
``z`` and ``1 - z`` swapped, the cell gradient missing what arrives through
``h``) are recognised and named. The hidden tests, which draw fresh inputs from a
seed and compare with :mod:`rnncourse.cells.lstm` and :mod:`rnncourse.cells.gru`, live
with the course in ``assignments/graders/a03_gated_cells.py``, not in this package; they
use the public helpers here (the ``*_weights`` and ``*_case`` functions, :func:`check_lstm_grads`).
"""
from __future__ import annotations

from itertools import permutations

import numpy as np

from ..cells.gru import gru_step_forward as _gru_step
from ..cells.lstm import lstm_step_backward as _lstm_step_backward
from ..cells.lstm import lstm_step_forward as _lstm_step
from . import GradingError, call_student, check_array, name_mistake

_FORBIDDEN = ("cells.lstm", "cells.gru", "cells.fast")
_LSTM_ORDER = ("i", "f", "g", "o")
_GRU_ORDER = ("r", "z", "n")
#: the cache layout the assignment prescribes for lstm_step_forward
CACHE_FIELDS = ("x", "h_prev", "c_prev", "W_xh", "W_hh", "i", "f", "g", "o", "c")
_BIG = 50.0          # a bias of +-50 saturates a sigmoid to 0 or 1 within 2e-22


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


# -------------------------------------------------------------------------------------------------
# LSTM forward
# -------------------------------------------------------------------------------------------------
def _lstm_ref(x, h_prev, c_prev, W_xh, W_hh, b_h):
    """Reference (h, c, cache in the assignment's layout) computed with rnncourse.cells.lstm."""
    (h, c), sc = _lstm_step(x, h_prev, c_prev, W_xh, W_hh, b_h)
    return h, c, (sc.x, sc.h_prev, sc.c_prev, sc.W_xh, sc.W_hh, sc.i, sc.f, sc.g, sc.o, sc.c)


def _lstm_variant(x, h_prev, c_prev, W_xh, W_hh, b_h, order=_LSTM_ORDER, g_act=np.tanh,
                  tanh_c=True, bias=True, use_i=True, use_f=True, h_reads_c_prev=False):
    """The step as a mistaken answer computes it; ``order[k]`` is the gate read from row block k."""
    H = h_prev.shape[1]
    a = x @ W_xh.T + h_prev @ W_hh.T + (b_h if bias else 0.0)
    block = {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(order)}
    i, f, o = _sigmoid(block["i"]), _sigmoid(block["f"]), _sigmoid(block["o"])
    g = g_act(block["g"])
    c = (f if use_f else 1.0) * c_prev + (i if use_i else 1.0) * g
    read = c_prev if h_reads_c_prev else c
    return np.concatenate([o * (np.tanh(read) if tanh_c else read), c], axis=1)


def _lstm_mistakes(*args):
    """Message -> (h, c) side by side; single-term mistakes first, as a saturated gate can make a
    mistaken activation look like a gate permutation."""
    out = {}
    out["the cell candidate g uses tanh, not the sigmoid (only i, f and o are sigmoids)"] = \
        _lstm_variant(*args, g_act=_sigmoid)
    out["the tanh of the cell is missing: h = o * tanh(c)"] = _lstm_variant(*args, tanh_c=False)
    out["the bias b_h is missing: a = x @ W_xh.T + h_prev @ W_hh.T + b_h"] = _lstm_variant(*args, bias=False)
    out["the input gate must scale the candidate: c = f * c_prev + i * g"] = _lstm_variant(*args, use_i=False)
    out["the forget gate must scale the old cell: c = f * c_prev + i * g"] = _lstm_variant(*args, use_f=False)
    out["h must read the new cell state: h = o * tanh(c) with c = c_t, not c_prev"] = \
        _lstm_variant(*args, h_reads_c_prev=True)
    for order in permutations(_LSTM_ORDER):
        if order != _LSTM_ORDER:
            out[f"your gates are in the order {', '.join(order)}; PyTorch's is i, f, g, o (rows 0:H input "
                "gate, H:2H forget gate, 2H:3H cell candidate g, 3H:4H output gate)"] = \
                _lstm_variant(*args, order=order)
    return out


def _unpack_lstm_step(got):
    if type(got) not in (tuple, list) or len(got) != 3:
        raise GradingError("lstm_step_forward must return three things: h, c, cache "
                           f"(got {type(got).__name__}" + (f" of length {len(got)})" if type(got) in (tuple, list)
                                                           else ")"))
    return got


def check_lstm_case(fn, args, hint, check_cache=False, hint_h="h = o * tanh(c), with the new cell state c"):
    """Check the student's ``lstm_step_forward`` on ``args``: mistakes named, then c, h and (optionally) the cache.

    Book page: ``book/variants/lstm``.
    """
    N, H = args[1].shape
    h_ref, c_ref, cache_ref = _lstm_ref(*args)
    h, c, cache = _unpack_lstm_step(call_student("lstm_step_forward", fn, *args, forbidden=_FORBIDDEN))
    if type(h) is np.ndarray and type(c) is np.ndarray and h.shape == c.shape == (N, H):
        name_mistake("lstm_step_forward", np.concatenate([h, c], axis=1), np.concatenate([h_ref, c_ref], axis=1),
                      _lstm_mistakes(*args))
    check_array("lstm_step_forward", c, c_ref, what="the cell state c", hint=hint)
    check_array("lstm_step_forward", h, h_ref, what="the hidden state h", hint=hint_h)
    if check_cache:
        if type(cache) not in (tuple, list) or len(cache) != len(CACHE_FIELDS):
            raise GradingError("lstm_step_forward: cache must be the tuple (x, h_prev, c_prev, W_xh, W_hh, "
                               "i, f, g, o, c), ten entries")
        for name, got, ref in zip(CACHE_FIELDS, cache, cache_ref):
            check_array("lstm_step_forward", got, ref, what=f"cache entry {name}",
                        hint="cache must be (x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c), with the gate "
                             "activations (after the sigmoid or tanh)")


def lstm_weights(rng, D, H, scale=0.5):
    """Random LSTM ``W_xh`` (4H, D), ``W_hh`` (4H, H), ``b_h`` (4H,), each entry ``scale`` times a standard normal.

    Book page: ``book/variants/lstm``.
    """
    return scale * rng.standard_normal((4 * H, D)), scale * rng.standard_normal((4 * H, H)), \
        scale * rng.standard_normal(4 * H)


def visible_lstm_step(lstm_step_forward):
    """One gate at a time (bias-only inputs with saturated gates), then each matrix term, then the cache.

    Book page: ``book/variants/lstm``.
    """
    rng = np.random.default_rng(30)
    N, D, H = 2, 3, 4
    W_xh, W_hh, b_h = lstm_weights(rng, D, H)
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    zx, zh = np.zeros((N, D)), np.zeros((N, H))

    def bias_with(**gates):
        b = b_h.copy()
        for name, value in gates.items():
            k = _LSTM_ORDER.index(name)
            b[k * H:(k + 1) * H] = value
        return b

    cases = [
        ("with the input gate closed (i = 0) the cell must keep f * c_prev: c = f * c_prev + i * g",
         (zx, zh, c, W_xh, W_hh, bias_with(i=-_BIG))),
        ("with the forget gate closed (f = 0) and the input gate open (i = 1) the new cell is the "
         "candidate g = tanh(a_g), nothing of c_prev", (zx, zh, c, W_xh, W_hh, bias_with(i=_BIG, f=-_BIG))),
        ("with the output gate open (o = 1) the hidden state is h = tanh(c)",
         (zx, zh, c, W_xh, W_hh, bias_with(o=_BIG))),
        ("with x = 0 and h_prev = 0 only b_h matters: check the bias term and the four gates",
         (zx, zh, c, W_xh, W_hh, b_h)),
        ("check the input term: W_xh has shape (4H, D), so a batch needs x @ W_xh.T",
         (x, zh, c, W_xh, W_hh, 0 * b_h)),
        ("check the recurrent term: W_hh has shape (4H, H), so a batch needs h_prev @ W_hh.T",
         (zx, h, c, W_xh, W_hh, 0 * b_h)),
    ]
    for k, (hint, args) in enumerate(cases):
        # the output-gate case isolates h; the others isolate c or a term that both depend on
        check_lstm_case(lstm_step_forward, args, hint, hint_h=hint if k >= 2 else None)
    check_lstm_case(lstm_step_forward, (x, h, c, W_xh, W_hh, b_h), None, check_cache=True)


# -------------------------------------------------------------------------------------------------
# GRU forward
# -------------------------------------------------------------------------------------------------
def _gru_variant(x, h_prev, W_xh, W_hh, b_xh, b_hh, order=_GRU_ORDER, bhn_inside=True, z_swapped=False,
                 reset_before=False, use_r=True, use_b_xh=True, use_b_hh=True):
    """The GRU step as a mistaken answer computes it; ``order[k]`` is the gate read from row block k."""
    H = h_prev.shape[1]
    ax = x @ W_xh.T + (b_xh if use_b_xh else 0.0)
    ah = h_prev @ W_hh.T + (b_hh if use_b_hh else 0.0)
    sl = {name: slice(k * H, (k + 1) * H) for k, name in enumerate(order)}
    r = _sigmoid(ax[:, sl["r"]] + ah[:, sl["r"]]) if use_r else 1.0
    z = _sigmoid(ax[:, sl["z"]] + ah[:, sl["z"]])
    W_hn, b_hn = W_hh[sl["n"]], (b_hh[sl["n"]] if use_b_hh else 0.0)
    if reset_before:
        n = np.tanh(ax[:, sl["n"]] + (r * h_prev) @ W_hn.T + b_hn)
    elif bhn_inside:
        n = np.tanh(ax[:, sl["n"]] + r * (h_prev @ W_hn.T + b_hn))
    else:
        n = np.tanh(ax[:, sl["n"]] + b_hn + r * (h_prev @ W_hn.T))
    return z * n + (1 - z) * h_prev if z_swapped else (1 - z) * n + z * h_prev


def _gru_mistakes(*args):
    out = {}
    out["z and 1 - z are swapped: h = (1 - z) * n + z * h_prev, so z = 1 keeps the old state"] = \
        _gru_variant(*args, z_swapped=True)
    out["b_hn must be inside the reset gate's product: n = tanh(W_in x + b_in + r * (W_hn h_prev + b_hn))"] = \
        _gru_variant(*args, bhn_inside=False)
    out["you applied r before the matrix product (the original paper's W_hn (r * h_prev)); PyTorch applies "
        "it after: r * (W_hn h_prev + b_hn)"] = _gru_variant(*args, reset_before=True)
    out["the reset gate must multiply the recurrent part of the candidate: r * (W_hn h_prev + b_hn)"] = \
        _gru_variant(*args, use_r=False)
    out["the recurrent bias b_hh is missing"] = _gru_variant(*args, use_b_hh=False)
    out["the input bias b_xh is missing"] = _gru_variant(*args, use_b_xh=False)
    for order in permutations(_GRU_ORDER):
        if order != _GRU_ORDER:
            out[f"your gates are in the order {', '.join(order)}; PyTorch's is r, z, n (rows 0:H reset gate, "
                "H:2H update gate, 2H:3H candidate n)"] = _gru_variant(*args, order=order)
    return out


def check_gru_case(fn, args, hint):
    """Check the student's ``gru_step_forward`` on ``args``: mistakes named, then the new state.

    Book page: ``book/variants/gru``.
    """
    N, H = args[1].shape
    ref = _gru_step(*args)[0]
    got = call_student("gru_step_forward", fn, *args, forbidden=_FORBIDDEN)
    if type(got) in (tuple, list):
        raise GradingError("gru_step_forward must return only the new hidden state h, an array (N, H)")
    name_mistake("gru_step_forward", got, ref, _gru_mistakes(*args))
    check_array("gru_step_forward", got, ref, what="the hidden state h", hint=hint)


def gru_weights(rng, D, H, scale=0.5):
    """Random GRU ``W_xh`` (3H, D), ``W_hh`` (3H, H), ``b_xh`` and ``b_hh`` (3H,), each ``scale`` times N(0, 1).

    Book page: ``book/variants/gru``.
    """
    return (scale * rng.standard_normal((3 * H, D)), scale * rng.standard_normal((3 * H, H)),
            scale * rng.standard_normal(3 * H), scale * rng.standard_normal(3 * H))


def visible_gru_step(gru_step_forward):
    """The update gate at 1 and at 0, the reset gate closed, each term, then everything.

    Book page: ``book/variants/gru``.
    """
    rng = np.random.default_rng(31)
    N, D, H = 2, 3, 4
    W_xh, W_hh, b_xh, b_hh = gru_weights(rng, D, H)
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    zx, zh = np.zeros((N, D)), np.zeros((N, H))

    def with_gate(b, name, value):
        b = b.copy()
        k = _GRU_ORDER.index(name)
        b[k * H:(k + 1) * H] = value
        return b

    cases = [
        ("with the update gate z = 1 the GRU keeps its state: h = (1 - z) * n + z * h_prev = h_prev",
         (x, h, W_xh, W_hh, with_gate(b_xh, "z", _BIG), b_hh)),
        ("with the update gate z = 0 the new state is the candidate n: h = (1 - z) * n + z * h_prev = n",
         (x, h, W_xh, W_hh, with_gate(b_xh, "z", -_BIG), b_hh)),
        ("with the reset gate closed (r = 0) the candidate ignores W_hn h_prev + b_hn: "
         "n = tanh(W_in x + b_in + r * (W_hn h_prev + b_hn))",
         (x, h, W_xh, W_hh, with_gate(b_xh, "r", -_BIG), b_hh)),
        ("with x = 0 and h_prev = 0 only the biases matter: check b_xh and b_hh", (zx, zh, W_xh, W_hh, b_xh, b_hh)),
        ("check the input term: W_xh has shape (3H, D), so a batch needs x @ W_xh.T",
         (x, zh, W_xh, W_hh, 0 * b_xh, 0 * b_hh)),
        ("check the recurrent term: W_hh has shape (3H, H), so a batch needs h_prev @ W_hh.T",
         (zx, h, W_xh, W_hh, 0 * b_xh, 0 * b_hh)),
        (None, (x, h, W_xh, W_hh, b_xh, b_hh)),
    ]
    for hint, args in cases:
        check_gru_case(gru_step_forward, args, hint)


# -------------------------------------------------------------------------------------------------
# LSTM backward
# -------------------------------------------------------------------------------------------------
_GRAD_NAMES = ("dx", "dh_prev", "dc_prev", "dW_xh", "dW_hh", "db_h")


def _lstm_backward_variant(dh, dc, cache, *, dh_to_c=True, dtanh_of_c=False, dc_prev_f=True,
                           dc_prev_total=True, sig_grad_tanh=False, c_for_c_prev=False, o_uses_c=False,
                           order=_LSTM_ORDER):
    """Backward of one step as a mistaken answer computes it (defaults: the right one)."""
    x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c = cache
    tc = np.tanh(c)
    dtanh = 1.0 - c * c if dtanh_of_c else 1.0 - tc * tc
    dct = dc + dh * o * dtanh if dh_to_c else dc
    sg = (lambda s: 1.0 - s * s) if sig_grad_tanh else (lambda s: s * (1.0 - s))
    delta = {"i": dct * g * sg(i), "f": dct * (c if c_for_c_prev else c_prev) * sg(f),
             "g": dct * i * (1.0 - g * g), "o": dh * (c if o_uses_c else tc) * sg(o)}
    da = np.concatenate([delta[name] for name in order], axis=1)
    dc_prev = (dct if dc_prev_total else dc) * (f if dc_prev_f else 1.0)
    return da @ W_xh, da @ W_hh, dc_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0)


_BACKWARD_MISTAKES = {
    "the cell gradient must also collect what reaches c through h = o * tanh(c): "
    "dc_total = dc + dh * o * (1 - tanh(c)**2)": dict(dh_to_c=False),
    "the derivative of tanh(c) is 1 - tanh(c)**2, not 1 - c**2": dict(dtanh_of_c=True),
    "dc_prev = dc_total * f: along the cell path the gradient is multiplied by the forget gate":
        dict(dc_prev_f=False),
    "dc_prev must use the total cell gradient (dc plus the part arriving through h), times f":
        dict(dc_prev_total=False),
    "the gates i, f, o are sigmoids: their derivative is s * (1 - s), not 1 - s**2": dict(sig_grad_tanh=True),
    "the forget gate multiplies c_prev (c_{t-1}), so its delta uses c_prev where you used the new c":
        dict(c_for_c_prev=True),
    "h = o * tanh(c), so the output gate's delta is dh * tanh(c) * o * (1 - o) (you used c, not tanh(c))":
        dict(o_uses_c=True),
}


def _backward_mistakes(dh, dc, cache):
    out = [(msg, _lstm_backward_variant(dh, dc, cache, **kw)) for msg, kw in _BACKWARD_MISTAKES.items()]
    for order in permutations(_LSTM_ORDER):
        if order != _LSTM_ORDER:
            out.append((f"stack the gate deltas in PyTorch's order i, f, g, o (yours look like "
                        f"{', '.join(order)})", _lstm_backward_variant(dh, dc, cache, order=order)))
    return out


def lstm_backward_case(fn, N, D, H, rng, *, dh_zero=False, dc_zero=False, scale=0.5):
    """Run the student's ``lstm_step_backward`` on a random step: ``(got, reference, named mistakes)``.

    Book page: ``book/variants/lstm``.
    """
    W_xh, W_hh, b_h = lstm_weights(rng, D, H, scale)
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    dh = np.zeros((N, H)) if dh_zero else rng.standard_normal((N, H))
    dc = np.zeros((N, H)) if dc_zero else rng.standard_normal((N, H))
    (_, _), sc = _lstm_step(x, h, c, W_xh, W_hh, b_h)
    ref = _lstm_step_backward(dh, dc, sc)
    cache = (sc.x, sc.h_prev, sc.c_prev, sc.W_xh, sc.W_hh, sc.i, sc.f, sc.g, sc.o, sc.c)
    got = call_student("lstm_step_backward", fn, dh, dc, cache, forbidden=_FORBIDDEN)
    if type(got) not in (tuple, list) or len(got) != 6:
        raise GradingError("lstm_step_backward must return six arrays: dx, dh_prev, dc_prev, dW_xh, dW_hh, db_h")
    return got, ref, _backward_mistakes(dh, dc, cache)


def check_lstm_grads(got, ref, mistakes, names=_GRAD_NAMES, hints=None):
    """Check the gradients listed in ``names`` of ``lstm_step_backward``, naming a mistake when one matches.

    Book page: ``book/variants/lstm``.
    """
    for k, name in enumerate(_GRAD_NAMES):
        if name not in names:
            continue
        g = got[k]
        name_mistake("lstm_step_backward", g, ref[k], {f"{name}: {msg}": wrong[k] for msg, wrong in mistakes})
        check_array("lstm_step_backward", g, ref[k], what=name, hint=(hints or {}).get(name))


_GRAD_HINTS = {
    "dx": "dx = delta @ W_xh, where delta (N, 4H) stacks the pre-activation deltas of i, f, g, o",
    "dh_prev": "dh_prev = delta @ W_hh",
    "dc_prev": "dc_prev = (dc + dh * o * (1 - tanh(c)**2)) * f",
    "dW_xh": "dW_xh = delta.T @ x, shape (4H, D)",
    "dW_hh": "dW_hh = delta.T @ h_prev, shape (4H, H)",
    "db_h": "db_h = delta summed over the batch, shape (4H,)",
}


def visible_lstm_cell_path(lstm_step_backward):
    """The cell path alone: ``dc_prev`` when only ``dc`` arrives, then when only ``dh`` arrives.

    Book page: ``book/variants/lstm``.
    """
    rng = np.random.default_rng(32)
    got, ref, mistakes = lstm_backward_case(lstm_step_backward, 2, 3, 4, rng, dh_zero=True)
    check_lstm_grads(got, ref, mistakes, names=("dc_prev",),
                     hints={"dc_prev": "with dh = 0 only the cell path carries gradient: dc_prev = dc * f"})
    got, ref, mistakes = lstm_backward_case(lstm_step_backward, 2, 3, 4, rng, dc_zero=True)
    check_lstm_grads(got, ref, mistakes, names=("dc_prev",),
                     hints={"dc_prev": "with dc = 0 the cell gradient comes only through h = o * tanh(c): "
                                       "dc_prev = dh * o * (1 - tanh(c)**2) * f"})


def visible_lstm_backward(lstm_step_backward):
    """All six gradients, first with only ``dc`` arriving (no output-gate term), then with both.

    Book page: ``book/variants/lstm``.
    """
    rng = np.random.default_rng(33)
    got, ref, mistakes = lstm_backward_case(lstm_step_backward, 2, 3, 4, rng, dh_zero=True)
    check_lstm_grads(got, ref, mistakes, hints={k: v + " (here dh = 0: only the cell path)"
                                                for k, v in _GRAD_HINTS.items()})
    got, ref, mistakes = lstm_backward_case(lstm_step_backward, 3, 2, 5, rng)
    check_lstm_grads(got, ref, mistakes, hints=_GRAD_HINTS)
