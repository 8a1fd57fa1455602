"""The input contract of ``rnncourse`` (``rnncourse/core/checks.py``) over every public function, property-based.

The layers and models (their constructors, ``forward`` and ``backward``) and the pure cell
functions are swept by ``tests/test_contract_modules.py``; this file covers everything else:
activations, losses, BPTT, clipping, gradient checks, optimisers, ``fit``, sampling and
forecasting, the analysis helpers, the application helpers and every dataset generator.

Each function has one :class:`Entry` in ``ENTRIES``:

* ``valid``: a hypothesis strategy of keyword arguments the function must accept (shapes
  down to 1, float32 and float64, zeros, subnormals, large magnitudes);
* ``check``: what a correct result is (shape, dtype kept, finite, the defining property);
* ``bad``: the spoilt arguments, built from one valid draw: each must raise ``TypeError``
  (wrong kind) or ``ValueError`` (wrong value) as the contract says, with the argument's
  name in the message, and nothing else (no ``IndexError``, ``AttributeError``,
  ``ZeroDivisionError``, and no numpy warning: warnings are errors here).

Adding a function is adding an entry; :func:`test_every_public_function_has_an_entry`
fails for a public function of the covered modules that has none. The number of examples
comes from the hypothesis profile of ``tests/conftest.py`` ("ci" by default,
``HYPOTHESIS_PROFILE=thorough`` for ten times more).
"""
from __future__ import annotations

import inspect
import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import rnncourse as rc
from rnncourse.analysis import memory as a_memory
from rnncourse.analysis import vanishing, worked_example
from rnncourse.applications import base as app_base
from rnncourse.core import activations, bptt, clipping, gradcheck, losses, optim, train
from rnncourse.datasets import memory as d_memory
from rnncourse.datasets import series, text, toy_perception, translation
from rnncourse.models import forecasting, language_model

#: The modules whose public functions (and classes, and the public methods of those) this file sweeps.
MODULES = [activations, losses, bptt, clipping, gradcheck, optim, train, language_model, forecasting,
           vanishing, a_memory, worked_example, app_base, d_memory, series, text, translation, toy_perception]

#: Public names that take no input to check, each with the reason.
EXCLUDED = {
    "core.activations.sigmoid_unchecked": "unchecked by design: the inner-loop sigmoid, called on checked arrays",
    "core.train.History": "a dataclass of the lists fit records",
    "core.train.TrainingDiverged": "an exception class",
    "core.optim.Optimizer.step": "takes no argument (exercised by the optimiser entries)",
    "core.optim.Optimizer.zero_grad": "takes no argument",
    "applications.base.AppResult": "a result dataclass (with its summary method)",
    "applications.base.ComparisonResult": "a result dataclass (with its row and table methods)",
}


def _short(module) -> str:
    return module.__name__.removeprefix("rnncourse.")


def public_names() -> set[str]:
    """``module.name`` of every public function and class defined in ``MODULES``, and ``module.Class.method``."""
    names = set()
    for module in MODULES:
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                names.add(f"{_short(module)}.{name}")
            elif inspect.isclass(obj):
                names.add(f"{_short(module)}.{name}")
                names.update(f"{_short(module)}.{name}.{m}" for m, f in vars(obj).items()
                             if not m.startswith("_") and inspect.isfunction(f))
    return names


# ---------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------
@dataclass
class Entry:
    """One public function: how to call it, valid arguments, a correct result, spoilt arguments."""

    name: str                                   # "module.function" as in public_names()
    call: Callable[..., Any]
    valid: st.SearchStrategy                    # draws a dict of keyword arguments
    check: Callable[[dict, Any], None]
    bad: Callable[[dict], list] | None          # [(changes, exception class, name in the message)]
    weight: float = 1.0                         # share of the profile's examples (slow functions < 1)


ENTRIES: list[Entry] = []


def entry(name, call, valid, check, bad=None, weight=1.0):
    """Add the entry of the public function ``name`` (``bad=None``: it takes no argument to spoil)."""
    ENTRIES.append(Entry(name, call, valid, check, bad, weight))


# ---------------------------------------------------------------------------
# valid arguments
# ---------------------------------------------------------------------------
DTYPES = st.sampled_from([np.float32, np.float64])
BIG = 2.0 ** 100                                 # about 1e30, exact in float32 and float64
rngs = st.integers(0, 2 ** 32 - 1).map(np.random.default_rng)


def floats(dtype, lo=-10.0, hi=10.0):
    return st.floats(lo, hi, width=32 if np.dtype(dtype) == np.float32 else 64)


def farrays(dtype, shape, lo=-10.0, hi=10.0):
    return hnp.arrays(dtype, shape, elements=floats(dtype, lo, hi))


def side(hi=4):
    return st.integers(1, hi)


def shapes(min_dims=0, max_dims=3):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=4)


@st.composite
def any_array(draw, lo=-BIG, hi=BIG, min_dims=0, dtype=None):
    dt = dtype or draw(DTYPES)
    return draw(farrays(dt, draw(shapes(min_dims)), lo, hi))


@st.composite
def masks(draw, shape):
    """None, or a bool / 0-1 int / 0-1 float mask of ``shape`` with at least one real position."""
    kind = draw(st.sampled_from(["none", "bool", "int", "float"]))
    if kind == "none":
        return None
    m = draw(hnp.arrays(bool, shape))
    m.flat[draw(st.integers(0, m.size - 1))] = True
    return m if kind == "bool" else m.astype(np.int64 if kind == "int" else np.float64)


def real_mask(kw_mask, shape):
    return np.ones(shape, bool) if kw_mask is None else np.asarray(kw_mask) != 0


class _Params(rc.Module):
    """A module that is only parameters (gradients set by hand): what an optimiser needs."""

    def __init__(self, values):
        super().__init__()
        for k, v in values.items():
            self.add_param(k, v)


class _Damped(rc.Module):
    """A one-step forecaster: half the last value (any dtype, no parameters)."""

    def forward(self, x, state=None):
        return 0.5 * x[:, -1, :], None


def seq_model(D, H, O, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return rc.Sequential(rc.RNN(D, H, rng=rng, dtype=dtype), rc.Output(H, O, rng=rng, dtype=dtype))


# ---------------------------------------------------------------------------
# spoilt arguments (each returns [(changes, exception, name in message)])
# ---------------------------------------------------------------------------
def _with(v, value):
    out = np.array(v, copy=True)
    out.flat[out.size // 2] = value
    return out


def _other(dtype):
    return np.float32 if np.dtype(dtype) == np.float64 else np.float64


def float_spoilers(v, *, shared=True, extra_dim=True):
    """``[(spoilt value, exception)]`` for the valid float array ``v``: wrong kinds and dtypes, NaN,
    infinities, empty axes, one axis too many (``extra_dim``), the other float dtype (``shared``: the
    call has other float arrays or parameters that fix the dtype)."""
    v = np.asarray(v)
    out = [(None, TypeError), ("abc", TypeError), (object(), TypeError), (v.astype(np.int64), TypeError),
           (v > 0, TypeError), (v.astype(np.float16), TypeError), (v.astype(np.complex128), TypeError),
           (_with(v, np.nan), ValueError), (_with(v, np.inf), ValueError), (_with(v, -np.inf), ValueError)]
    if v.ndim:
        out += [(v[:0], ValueError), (v[..., :0], ValueError)]
    if extra_dim:
        out.append((v[..., None], ValueError))
    if shared:                                   # the other float dtype, values kept finite
        out.append((np.clip(v, -2.0 ** 120, 2.0 ** 120).astype(_other(v.dtype)), TypeError))
    return out


def bad_float(name, v, *, shared=True, extra_dim=True, label=None):
    """A float array argument spoilt as :func:`float_spoilers` says; the message must name ``label or name``."""
    return [({name: b}, exc, label or name) for b, exc in float_spoilers(v, shared=shared, extra_dim=extra_dim)]


def bad_ids(name, v, *, low=None, high=None, extra_dim=True, label=None):
    """An integer array argument (ids, labels): floats, bools, None, empty, out of range."""
    v = np.asarray(v)
    out = [(None, TypeError), ("abc", TypeError), (v.astype(np.float64), TypeError), (v > 0, TypeError),
           (v[:0], ValueError)]
    if extra_dim:
        out.append((v[..., None], ValueError))
    if low is not None:
        out.append((_with(v, low - 1), ValueError))
    if high is not None:
        out.append((_with(v, high), ValueError))
    return [({name: b}, exc, label or name) for b, exc in out]


def bad_int(name, *, low=None, high=None, optional=False):
    out = [(1.5, TypeError), (True, TypeError), ("3", TypeError), (np.float64(2.0), TypeError), ([2], TypeError)]
    if not optional:
        out.append((None, TypeError))
    if low is not None:
        out.append((low - 1, ValueError))
    if high is not None:
        out.append((high + 1, ValueError))
    return [({name: b}, exc, name) for b, exc in out]


def bad_real(name, *, low=None, high=None, low_open=False, high_open=False, optional=False):
    out = [(True, TypeError), ("0.5", TypeError), ([0.5], TypeError), (1j, TypeError),
           (np.nan, ValueError), (np.inf, ValueError), (-np.inf, ValueError)]
    if not optional:
        out.append((None, TypeError))
    if low is not None:
        out.append((low if low_open else low - 0.5, ValueError))
    if high is not None:
        out.append((high if high_open else high + 0.5, ValueError))
    return [({name: b}, exc, name) for b, exc in out]


def bad_positive(name, optional=False):
    return bad_real(name, low=0.0, low_open=True, optional=optional)


def bad_rng(name="rng", optional=False):
    out = [0, np.random.RandomState(0), "rng"] + ([] if optional else [None])
    return [({name: b}, TypeError, name) for b in out]


def bad_module(name):
    return [({name: b}, TypeError, name) for b in (None, "model", {"w": np.ones(2)}, np.ones((2, 3)))]


def bad_callable(name):
    return [({name: b}, TypeError, name) for b in (None, 3, "f")]


def bad_choice(name, choices, label=None):
    return [({name: "no such choice"}, ValueError, label or name), ({name: None}, TypeError, label or name),
            ({name: 3}, TypeError, label or name), ({name: [choices[0]]}, TypeError, label or name)]


def bad_mask(name, shape, label=None):
    ones = np.ones(shape)
    out = [(_with(ones, 2.0), ValueError), (_with(ones, 0.5), ValueError), (_with(ones, np.nan), ValueError),
           (np.zeros(shape, bool), ValueError), (np.ones(tuple(shape) + (1,), bool), ValueError),
           (np.ones(shape, np.complex128), TypeError), (np.full(shape, "1"), TypeError), ("abc", TypeError)]
    return [({name: b}, exc, label or name) for b, exc in out]


def bad_pair(name, low, kind=float):
    """A (low, high) pair of numbers >= low."""
    one = kind(low + 1)
    return [({name: one}, TypeError, name), ({name: None}, TypeError, name), ({name: "ab"}, TypeError, name),
            ({name: (one,)}, ValueError, name), ({name: (one, one, one)}, ValueError, name),
            ({name: (kind(low + 2), one)}, ValueError, name), ({name: (low - 1, one)}, ValueError, f"{name}[0]"),
            ({name: (True, one)}, TypeError, f"{name}[0]"), ({name: (one, "b")}, TypeError, f"{name}[1]")]


# ---------------------------------------------------------------------------
# checks of results
# ---------------------------------------------------------------------------
def fresh(out, *inputs):
    for a in inputs:
        if isinstance(a, np.ndarray):
            assert not np.shares_memory(out, a), "the output shares memory with an input"


def like(out, a, finite=True):
    if np.ndim(a) == 0 and isinstance(out, np.generic):
        out = np.asarray(out)                    # numpy's ufuncs give a scalar for a 0-D array
    assert isinstance(out, np.ndarray) and out.shape == np.shape(a) and out.dtype == np.asarray(a).dtype, \
        (getattr(out, "shape", None), getattr(out, "dtype", None), np.shape(a), np.asarray(a).dtype)
    if finite:
        assert np.all(np.isfinite(out))
    fresh(out, a)


def tol(dtype):
    return 1e-5 if np.dtype(dtype) == np.float32 else 1e-12


# ===========================================================================
# core.activations
# ===========================================================================
def _elementwise(name, fn, lo, hi, lo_out, hi_out):
    def check(kw, out):
        like(out, kw[arg])
        assert np.all((out >= lo_out) & (out <= hi_out))
    arg = "out" if name.endswith("_grad") else "a"
    entry(f"core.activations.{name}", fn, st.fixed_dictionaries({arg: any_array(lo, hi)}), check,
          lambda kw: bad_float(arg, kw[arg], shared=False, extra_dim=False))


_elementwise("tanh", activations.tanh, -BIG, BIG, -1, 1)
_elementwise("tanh_grad", activations.tanh_grad, -1, 1, 0, 1)
_elementwise("sigmoid", activations.sigmoid, -BIG, BIG, 0, 1)
_elementwise("sigmoid_grad", activations.sigmoid_grad, 0, 1, 0, 0.25)
_elementwise("relu", activations.relu, -BIG, BIG, 0, BIG)
_elementwise("relu_grad", activations.relu_grad, -BIG, BIG, 0, 1)


@st.composite
def with_axis(draw, arrays):
    a = draw(arrays)
    return {"a": a, "axis": draw(st.integers(-a.ndim, a.ndim - 1))}


def bad_axis(kw, arg="a"):
    nd = np.ndim(kw[arg])
    return [({"axis": nd}, ValueError, "axis"), ({"axis": -nd - 1}, ValueError, "axis"),
            ({"axis": 0.0}, TypeError, "axis"), ({"axis": None}, TypeError, "axis"),
            ({"axis": True}, TypeError, "axis"),
            ({arg: np.asarray(kw[arg]).reshape(-1)[0]}, ValueError, arg)]           # 0-D: no class axis


def _check_softmax(kw, out):
    like(out, kw["a"])
    assert np.all(out >= 0)
    np.testing.assert_allclose(out.sum(axis=kw["axis"]), 1, rtol=10 * tol(out.dtype))


def _check_log_softmax(kw, out):
    like(out, kw["a"])
    assert np.all(out <= 0)
    np.testing.assert_allclose(np.exp(out.astype(np.float64)).sum(axis=kw["axis"]), 1, rtol=10 * tol(out.dtype))


for _name, _fn, _check in (("softmax", activations.softmax, _check_softmax),
                           ("log_softmax", activations.log_softmax, _check_log_softmax)):
    entry(f"core.activations.{_name}", _fn, with_axis(any_array(min_dims=1)), _check,
          lambda kw: bad_float("a", kw["a"], shared=False, extra_dim=False) + bad_axis(kw))


@st.composite
def backward_args(draw, lo, hi):
    dt = draw(DTYPES)
    shape = draw(shapes(min_dims=1))
    return {"dout": draw(farrays(dt, shape)), "out": draw(farrays(dt, shape, lo, hi)),
            "axis": draw(st.integers(-len(shape), len(shape) - 1))}


def _bad_backward(kw):
    dout = kw["dout"]
    broadcasting = dout[..., :1] if dout.shape[-1] > 1 else dout[None]
    return (bad_float("dout", dout) + [({"dout": broadcasting}, ValueError, "dout")]
            + bad_float("out", kw["out"], shared=False, extra_dim=False) + bad_axis(kw, "out"))


for _name, _fn, _lo in (("softmax_backward", activations.softmax_backward, 0.0),
                        ("log_softmax_backward", activations.log_softmax_backward, -30.0)):
    entry(f"core.activations.{_name}", _fn, backward_args(_lo, 1.0 if _lo == 0 else 0.0),
          lambda kw, out: like(out, kw["out"]), _bad_backward)

entry("core.activations.get_nonlinearity", activations.get_nonlinearity,
      st.fixed_dictionaries({"name": st.sampled_from(["tanh", "relu"])}),
      lambda kw, out: (len(out) == 2 and all(callable(f) for f in out)) or pytest.fail("not a pair"),
      lambda kw: bad_choice("name", ["tanh"], label="nonlinearity"))


# ===========================================================================
# core.losses
# ===========================================================================
@st.composite
def ce_args(draw):
    dt = draw(DTYPES)
    pos = draw(st.sampled_from([(side(),), (side(), side())]))
    pos = tuple(draw(s) for s in pos)
    C = draw(side(5))
    logits = draw(farrays(dt, pos + (C,), -BIG, BIG))
    mask = draw(masks(pos))
    targets = draw(hnp.arrays(np.int64, pos, elements=st.integers(0, C - 1)))
    targets[~real_mask(mask, pos)] = -1                     # padding may hold anything
    return {"logits": logits, "targets": targets, "mask": mask,
            "reduction": draw(st.sampled_from(["mean", "sum"]))}


def _check_loss(pred_key):
    def check(kw, out):
        value, grad = out
        assert isinstance(value, float) and np.isfinite(value) and value >= 0
        like(grad, kw[pred_key])
    return check


def _bad_ce(kw):
    logits, t = kw["logits"], kw["targets"]
    real = np.argwhere(real_mask(kw["mask"], t.shape))[0]
    out_of_range, negative = t.copy(), t.copy()
    out_of_range[tuple(real)], negative[tuple(real)] = logits.shape[-1], -1
    return (bad_float("logits", logits, shared=False, extra_dim=logits.ndim == 3)
            + [({"logits": logits[0]}, ValueError, "logits") if logits.ndim == 2 else
               ({"logits": logits[None, None]}, ValueError, "logits")]
            + bad_ids("targets", t)
            + [({"targets": out_of_range}, ValueError, "targets"), ({"targets": negative}, ValueError, "targets"),
               ({"targets": [[0], [0, 1]]}, ValueError, "targets")]
            + bad_mask("mask", t.shape) + bad_choice("reduction", ["mean"]))


entry("core.losses.softmax_cross_entropy", losses.softmax_cross_entropy, ce_args(), _check_loss("logits"), _bad_ce)


@st.composite
def mse_args(draw):
    dt = draw(DTYPES)
    shape = tuple(draw(side()) for _ in range(draw(st.sampled_from([2, 3]))))
    return {"pred": draw(farrays(dt, shape, -1e3, 1e3)), "target": draw(farrays(dt, shape, -1e3, 1e3)),
            "mask": draw(masks(shape[:-1])), "reduction": draw(st.sampled_from(["mean", "sum"]))}


def _bad_mse(kw):
    pred, target = kw["pred"], kw["target"]
    return (bad_float("pred", pred, shared=False, extra_dim=pred.ndim == 3)
            + bad_float("target", target) + [({"target": target[..., :0]}, ValueError, "target")]
            + bad_mask("mask", pred.shape[:-1]) + bad_choice("reduction", ["mean"]))


entry("core.losses.mse", losses.mse, mse_args(), _check_loss("pred"), _bad_mse)


# ===========================================================================
# core.bptt
# ===========================================================================
entry("core.bptt.get_loss", bptt.get_loss,
      st.fixed_dictionaries({"loss": st.sampled_from(["mse", "cross_entropy", losses.mse])}),
      lambda kw, out: callable(out) or pytest.fail("not callable"),
      lambda kw: bad_choice("loss", ["mse"]))


@st.composite
def bptt_args(draw):
    dt = draw(DTYPES)
    N, T, D, H, O = (draw(side(3)) for _ in range(5))
    loss = draw(st.sampled_from(["mse", "cross_entropy"]))
    y = (draw(farrays(dt, (N, T, O), -3, 3)) if loss == "mse"
         else draw(hnp.arrays(np.int64, (N, T), elements=st.integers(0, O - 1))))
    return {"model": seq_model(D, H, O, dt, draw(st.integers(0, 99))), "x": draw(farrays(dt, (N, T, D), -3, 3)),
            "y": y, "loss": loss, "mask": draw(masks((N, T))),
            "truncation": draw(st.one_of(st.none(), st.integers(1, T + 1)))}


def _check_bptt(kw, out):
    value, state = out
    model, dt = kw["model"], kw["x"].dtype
    assert isinstance(value, float) and np.isfinite(value) and value >= 0
    h = state[0]                                 # a Sequential's state: one entry per layer
    assert h.shape == (kw["x"].shape[0], model.layers[0].hidden_size) and h.dtype == dt
    for g in model.grads.values():
        assert g.dtype == dt and np.all(np.isfinite(g))


def _bad_bptt(kw):
    x, y, N, T = kw["x"], kw["y"], *kw["x"].shape[:2]
    out = bad_module("model") + bad_float("x", x) + bad_mask("mask", (N, T))
    out += bad_int("truncation", low=1, optional=True) + bad_choice("loss", ["mse"])
    if kw["loss"] == "mse":
        out += bad_float("y", y) + [({"y": np.concatenate([y, y], axis=-1)}, ValueError, "y")]
    else:
        C = kw["model"].layers[1].params["b_y"].shape[0]
        real = tuple(np.argwhere(real_mask(kw["mask"], (N, T)))[0])     # padded positions may hold anything
        out += bad_ids("y", y)
        for wrong in (-1, C):
            spoilt = y.copy()
            spoilt[real] = wrong
            out.append(({"y": spoilt}, ValueError, "y"))
    return out


entry("core.bptt.bptt", bptt.bptt, bptt_args(), _check_bptt, _bad_bptt, weight=0.5)


# ===========================================================================
# core.clipping
# ===========================================================================
@st.composite
def grad_dicts(draw):
    dt = draw(DTYPES)
    keys = draw(st.lists(st.sampled_from(["W_xh", "W_hh", "b_h", "0.W_y"]), min_size=1, max_size=3, unique=True))
    return {k: draw(farrays(dt, draw(shapes(min_dims=1, max_dims=2)), -BIG, BIG)) for k in keys}


def _bad_grads(kw):
    g = kw["grads"]
    k = next(iter(g))
    spoilt = [({"grads": {**g, k: b}}, exc, f"grads[{k!r}]")
              for b, exc in float_spoilers(g[k], shared=False, extra_dim=False) if isinstance(b, np.ndarray)]
    return spoilt + [({"grads": None}, TypeError, "grads"), ({"grads": list(g.values())}, TypeError, "grads"),
                     ({"grads": {**g, k: g[k].tolist()}}, TypeError, "grads")]


def _norm64(g):
    return math.hypot(*(float(v) for a in g.values() for v in a.ravel()))     # no overflow, no underflow


entry("core.clipping.global_norm", clipping.global_norm, st.fixed_dictionaries({"grads": grad_dicts()}),
      lambda kw, out: np.testing.assert_allclose(out, _norm64(kw["grads"]), rtol=1e-12), _bad_grads)


@st.composite
def clip_args(draw, key):
    return {"grads": draw(grad_dicts()), key: draw(st.floats(2.0 ** -20, 2.0 ** 20))}


def _check_clip_value(kw, out):
    assert out is kw["grads"]
    for g in out.values():
        assert np.all(np.abs(g) <= np.float32(kw["clip_value"]) * (1 + 1e-7)) and np.all(np.isfinite(g))


def _check_clip_norm(kw, out):
    assert isinstance(out, float) and np.isfinite(out)
    assert _norm64(kw["grads"]) <= kw["max_norm"] * (1 + 1e-5) + 1e-30


entry("core.clipping.clip_grads_by_value", clipping.clip_grads_by_value, clip_args("clip_value"),
      _check_clip_value, lambda kw: _bad_grads(kw) + bad_positive("clip_value"))
entry("core.clipping.clip_grads_by_global_norm", clipping.clip_grads_by_global_norm, clip_args("max_norm"),
      _check_clip_norm, lambda kw: _bad_grads(kw) + bad_positive("max_norm"))


# ===========================================================================
# core.gradcheck
# ===========================================================================
@st.composite
def rel_error_args(draw):
    dt = draw(DTYPES)
    shape = draw(shapes())
    hi = 2.0 ** 1000 if dt == np.float64 else BIG
    return {"a": draw(farrays(dt, shape, -hi, hi)), "b": draw(farrays(dt, shape, -hi, hi))}


def _check_rel_error(kw, out):
    assert isinstance(out, float) and 0 <= out <= 1
    assert gradcheck.rel_error(kw["a"], kw["a"]) == 0


entry("core.gradcheck.rel_error", gradcheck.rel_error, rel_error_args(), _check_rel_error,
      lambda kw: (bad_float("a", kw["a"], shared=False, extra_dim=False) + bad_float("b", kw["b"])))


@st.composite
def numgrad_args(draw):
    x = draw(farrays(np.float64, draw(shapes(max_dims=2)), -3, 3))
    array_out = draw(st.booleans())
    if array_out:
        def f():
            return 2.0 * np.sin(x)
        dout = draw(farrays(np.float64, x.shape, -2, 2))
    else:
        def f():
            return float(np.sum(np.sin(x)))
        dout = None
    order = draw(st.sampled_from([2, 4]))
    eps = draw(st.one_of(st.none(), st.floats(1e-4, 1e-2) if order == 4 else st.floats(1e-6, 1e-3)))
    return {"f": f, "x": x, "dout": dout, "eps": eps, "order": order}


def _check_numgrad(kw, out):
    x = kw["x"]
    expected = np.cos(x) if kw["dout"] is None else 2.0 * np.cos(x) * kw["dout"]
    like(out, x)
    np.testing.assert_allclose(out, expected, atol=1e-5)


def _bad_step_args():
    return (bad_positive("eps", optional=True)
            + [({"order": 3}, ValueError, "order"), ({"order": 4.0}, TypeError, "order"),
               ({"order": True}, TypeError, "order"), ({"order": None}, TypeError, "order"),
               ({"order": "4"}, TypeError, "order")])


def _bad_numgrad(kw):
    x, dout = kw["x"], kw["dout"]
    out = bad_float("x", x, extra_dim=False) + [({"x": x.tolist()}, TypeError, "x")]
    out += bad_callable("f") + _bad_step_args()
    if dout is None:
        out.append(({"dout": np.ones(1)}, ValueError, "dout"))
    else:
        broadcasting = dout[..., :1] if dout.ndim and dout.shape[-1] > 1 else dout[None]
        out += [({"dout": broadcasting}, ValueError, "dout")]
        if dout.ndim:                            # f returns an array: dout is needed
            out.append(({"dout": None}, ValueError, "dout"))
        out += [b for b in bad_float("dout", dout) if b[0]["dout"] is not None]
    return out


entry("core.gradcheck.numerical_gradient", gradcheck.numerical_gradient, numgrad_args(), _check_numgrad,
      _bad_numgrad)


@st.composite
def module_gradcheck_args(draw):
    N, T, D, H = (draw(side(2)) for _ in range(4))
    rng = np.random.default_rng(draw(st.integers(0, 99)))
    module = rc.RNN(D, H, rng=rng)
    state = draw(st.one_of(st.none(), farrays(np.float64, (N, H), -1, 1)))
    return {"module": module, "x": draw(farrays(np.float64, (N, T, D), -2, 2)), "state": state,
            "rng": rng, "eps": None, "order": draw(st.sampled_from([2, 4]))}


def _check_module_gradcheck(kw, out):
    # (a gradient entry near 1e-12 is compared against the 1e-8 floor of rel_error: allow 1e-4)
    assert set(out) >= {"x", "W_xh", "W_hh", "b_h"} and max(out.values()) < 1e-4, out


entry("core.gradcheck.check_module_gradients", gradcheck.check_module_gradients, module_gradcheck_args(),
      _check_module_gradcheck,
      lambda kw: bad_module("module") + bad_rng() + _bad_step_args() + bad_float("x", kw["x"]),
      weight=0.5)


def _tanh_forward(x, W, scale):
    h = np.tanh(scale * (x @ W))
    return h, (x, W, scale, h)


def _tanh_backward(dh, cache):
    x, W, scale, h = cache
    da = scale * dh * (1 - h * h)
    return da @ W.T, x.T @ da


@st.composite
def function_gradcheck_args(draw):
    N, D, H = (draw(side(3)) for _ in range(3))
    inputs = {"x": draw(farrays(np.float64, (N, D), -2, 2)), "W": draw(farrays(np.float64, (D, H), -1, 1)),
              "scale": 0.5}
    return {"forward": _tanh_forward, "backward": _tanh_backward, "inputs": inputs,
            "rng": draw(rngs), "eps": None, "order": 4}


entry("core.gradcheck.check_function_gradients", gradcheck.check_function_gradients, function_gradcheck_args(),
      lambda kw, out: (set(out) == {"x", "W"} and max(out.values()) < 1e-6) or pytest.fail(str(out)),
      lambda kw: (bad_callable("forward") + bad_callable("backward") + bad_rng() + _bad_step_args()
                  + [({"inputs": b}, TypeError, "inputs") for b in (None, [1.0], "x")]
                  + [({"inputs": {**kw["inputs"], "x": kw["inputs"]["x"].astype(np.float32)}}, TypeError,
                      "inputs['x']"),
                     ({"inputs": {**kw["inputs"], "W": _with(kw["inputs"]["W"], np.nan)}}, ValueError,
                      "inputs['W']")]))


# ===========================================================================
# core.optim
# ===========================================================================
@st.composite
def params_module(draw):
    dt = draw(DTYPES)
    return _Params({k: draw(farrays(dt, draw(shapes(min_dims=1, max_dims=2)))) for k in ("w", "b")})


def _optimizer_args(**hyper):
    return st.fixed_dictionaries({"module": params_module(), **hyper})


def _check_optimizer(kw, opt):
    module = kw["module"]
    before = {k: p.copy() for k, p in module.params.items()}
    rng = np.random.default_rng(0)
    for _ in range(2):
        for k, g in module.grads.items():
            g[...] = rng.standard_normal(g.shape)
        opt.step()
    for k, p in module.params.items():
        assert p.dtype == before[k].dtype and np.all(np.isfinite(p))


_LR = st.floats(2.0 ** -20, 1.0)
_UNIT = st.floats(0.0, 0.999)
_EPS = st.floats(2.0 ** -40, 1.0)


def _bad_optimizer(kw):
    return bad_module("module") + bad_positive("lr")


entry("core.optim.Optimizer", optim.Optimizer, _optimizer_args(lr=_LR),
      lambda kw, out: out.lr == kw["lr"] or pytest.fail("lr"), _bad_optimizer)
entry("core.optim.SGD", optim.SGD, _optimizer_args(lr=_LR, momentum=_UNIT), _check_optimizer,
      lambda kw: _bad_optimizer(kw) + bad_real("momentum", low=0.0, high=1.0, high_open=True))
entry("core.optim.Adagrad", optim.Adagrad, _optimizer_args(lr=_LR, eps=_EPS), _check_optimizer,
      lambda kw: _bad_optimizer(kw) + bad_positive("eps"))
entry("core.optim.RMSProp", optim.RMSProp, _optimizer_args(lr=_LR, alpha=st.floats(0.01, 0.999), eps=_EPS),
      _check_optimizer,
      lambda kw: _bad_optimizer(kw) + bad_real("alpha", low=0.0, high=1.0, low_open=True, high_open=True)
      + bad_positive("eps"))
entry("core.optim.Adam", optim.Adam, _optimizer_args(lr=_LR, betas=st.tuples(_UNIT, _UNIT), eps=_EPS),
      _check_optimizer,
      lambda kw: _bad_optimizer(kw) + bad_positive("eps")
      + [({"betas": 0.9}, TypeError, "betas"), ({"betas": None}, TypeError, "betas"),
         ({"betas": "ab"}, TypeError, "betas"), ({"betas": (0.9,)}, ValueError, "betas"),
         ({"betas": (0.9, 0.99, 0.5)}, ValueError, "betas"), ({"betas": (0.9, 1.0)}, ValueError, "betas[1]"),
         ({"betas": (-0.1, 0.9)}, ValueError, "betas[0]"), ({"betas": (np.nan, 0.9)}, ValueError, "betas[0]"),
         ({"betas": (True, 0.9)}, TypeError, "betas[0]"), ({"betas": (0.9, "0.9")}, TypeError, "betas[1]")])


# ===========================================================================
# core.train
# ===========================================================================
@st.composite
def fit_args(draw):
    dt = draw(DTYPES)
    N, T, D, H, O = (draw(side(3)) for _ in range(5))
    model = seq_model(D, H, O, dt, draw(st.integers(0, 99)))
    batches = []
    for _ in range(draw(st.integers(1, 2))):
        b = (draw(farrays(dt, (N, T, D), -2, 2)), draw(farrays(dt, (N, T, O), -2, 2)))
        m = draw(masks((N, T)))
        batches.append(b if m is None else b + (m,))
    clip = st.one_of(st.none(), st.floats(0.1, 10.0))
    return {"model": model, "optimizer": optim.SGD(model, lr=1e-3), "batches": batches, "loss": "mse",
            "epochs": draw(st.integers(1, 2)), "truncation": draw(st.one_of(st.none(), st.integers(1, T))),
            "clip_norm": draw(clip), "clip_value": draw(clip), "progress": False, "desc": "t"}


def _check_fit(kw, hist):
    assert len(hist.step_losses) == len(hist.grad_norms) == kw["epochs"] * len(kw["batches"])
    assert len(hist.epoch_losses) == kw["epochs"] and np.all(np.isfinite(hist.step_losses))


def _bad_fit(kw):
    x, y = kw["batches"][0][:2]
    other = seq_model(1, 1, 1, np.float64)
    out = bad_module("model") + [({"model": other}, ValueError, "optimizer")]
    out += [({"optimizer": b}, TypeError, "optimizer") for b in (None, "adam", other)]
    out += [({"optimizer": optim.SGD(other)}, ValueError, "optimizer")]
    out += [({"batches": None}, TypeError, "batches"), ({"batches": 5}, TypeError, "batches"),
            ({"batches": []}, ValueError, "batches"), ({"batches": [x]}, TypeError, "batches[0]"),
            ({"batches": [(x,)]}, ValueError, "batches[0]"),
            ({"batches": [(_with(x, np.nan), y)]}, ValueError, "x"),
            ({"batches": [(x, y.astype(_other(y.dtype)))]}, TypeError, "y")]
    out += bad_choice("loss", ["mse"]) + bad_int("epochs", low=1) + bad_int("truncation", low=1, optional=True)
    out += bad_positive("clip_norm", optional=True) + bad_positive("clip_value", optional=True)
    out += [({"progress": "yes"}, TypeError, "progress"), ({"progress": 1}, TypeError, "progress"),
            ({"desc": 5}, TypeError, "desc")]
    return out


entry("core.train.fit", train.fit, fit_args(), _check_fit, _bad_fit, weight=0.5)


# ===========================================================================
# models.language_model
# ===========================================================================
@st.composite
def distribution_args(draw):
    dt = draw(DTYPES)
    V = draw(side(6))
    shape = (V,) if draw(st.booleans()) else (draw(side(3)), V)
    return {"logits": draw(farrays(dt, shape, -BIG, BIG)),
            "temperature": draw(st.one_of(st.floats(0.05, 20.0), st.floats(1e-200, 1e200))),
            "top_k": draw(st.one_of(st.none(), st.integers(1, V)))}


def _check_distribution(kw, p):
    like(p, kw["logits"])
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=-1), 1, rtol=1e-5)
    z = np.atleast_2d(kw["logits"])
    q = np.atleast_2d(p)
    assert np.all(q[np.arange(len(z)), z.argmax(-1)] == q.max(-1)), "the likeliest logit is the likeliest id"


def _bad_distribution(kw):
    logits, V = kw["logits"], kw["logits"].shape[-1]
    return (bad_float("logits", logits, shared=False, extra_dim=logits.ndim == 2)
            + [({"logits": logits.reshape(-1)[0]}, ValueError, "logits"), ({"logits": [[[0.5]]]}, ValueError, "logits")]
            + bad_positive("temperature")
            + bad_int("top_k", low=1, high=V, optional=True))


entry("models.language_model.next_char_distribution", language_model.next_char_distribution,
      distribution_args(), _check_distribution, _bad_distribution)


@st.composite
def sample_args(draw):
    V, H = draw(st.integers(2, 5)), draw(side(3))
    prime = draw(st.lists(st.integers(0, V - 1), min_size=1, max_size=4))
    return {"model": seq_model(V, H, V, np.float64, draw(st.integers(0, 99))),
            "prime_ids": prime if draw(st.booleans()) else np.array(prime),
            "length": draw(side(4)), "vocab_size": V, "rng": draw(rngs),
            "temperature": draw(st.floats(0.1, 10.0)), "top_k": draw(st.one_of(st.none(), st.integers(1, V)))}


def _check_sample(kw, out):
    assert isinstance(out, list) and len(out) == kw["length"]
    assert all(isinstance(i, int) and 0 <= i < kw["vocab_size"] for i in out)
    assert kw["model"].training, "the model's mode is restored"


def _bad_sample(kw):
    V = kw["vocab_size"]
    out = bad_module("model") + bad_int("length", low=1) + bad_rng() + bad_positive("temperature")
    out += bad_int("top_k", low=1, high=V, optional=True) + bad_int("vocab_size", low=1)
    out += [({"prime_ids": b}, exc, "prime_ids") for b, exc in
            (([], ValueError), ([V], ValueError), ([-1], ValueError), ([0.5], TypeError), (None, TypeError),
             ([[0]], ValueError), ("ab", TypeError), (np.array([True]), TypeError))]
    out += [({"encode": 3}, TypeError, "encode"),
            ({"vocab_size": V + 1, "encode": lambda ids: text.one_hot(ids, V)}, ValueError, "vocab_size")]
    return out


entry("models.language_model.sample", language_model.sample, sample_args(), _check_sample, _bad_sample,
      weight=0.5)


# ===========================================================================
# models.forecasting
# ===========================================================================
@st.composite
def forecast_args(draw, model=False, period=False):
    dt = draw(DTYPES)
    w = draw(side(6))
    kw = {"window": draw(farrays(dt, (draw(side(3)), w, 1), -1e3, 1e3)), "steps": draw(side(5))}
    if model:
        kw["model"] = _Damped()
    if period:
        kw["period"] = draw(st.integers(1, w))
    return kw


def _check_forecast(expected):
    def check(kw, out):
        w = kw["window"]
        assert out.shape == (w.shape[0], kw["steps"]) and out.dtype == w.dtype and np.all(np.isfinite(out))
        fresh(out, w)
        np.testing.assert_allclose(out, expected(kw), rtol=tol(w.dtype))
    return check


def _bad_window(kw):
    w = kw["window"]
    return (bad_float("window", w, shared=False) + [({"window": np.repeat(w, 2, axis=2)}, ValueError, "window")]
            + bad_int("steps", low=1))


entry("models.forecasting.recursive_forecast", forecasting.recursive_forecast, forecast_args(model=True),
      _check_forecast(lambda kw: kw["window"][:, -1] * 0.5 ** np.arange(1, kw["steps"] + 1)),
      lambda kw: bad_module("model") + _bad_window(kw))
entry("models.forecasting.naive_forecast", forecasting.naive_forecast, forecast_args(),
      _check_forecast(lambda kw: np.repeat(kw["window"][:, -1], kw["steps"], axis=1)), _bad_window)
entry("models.forecasting.seasonal_naive_forecast", forecasting.seasonal_naive_forecast, forecast_args(period=True),
      _check_forecast(lambda kw: np.stack([kw["window"][:, kw["window"].shape[1] - kw["period"] + k % kw["period"], 0]
                                           for k in range(kw["steps"])], axis=1)),
      lambda kw: _bad_window(kw) + bad_int("period", low=1)
      + [({"period": kw["window"].shape[1] + 1}, ValueError, "period")])


# ===========================================================================
# analysis
# ===========================================================================
@st.composite
def square(draw, symmetric=False):
    dt = draw(DTYPES)
    H = draw(side())
    W = draw(farrays(dt, (H, H), -10, 10))
    return (W + W.T) / 2 if symmetric else W


def _bad_square(kw):
    W = kw["W"]
    return (bad_float("W", W, shared=False)
            + [({"W": np.concatenate([W, W], axis=0)}, ValueError, "W"), ({"W": W[0]}, ValueError, "W")])


entry("analysis.vanishing.spectral_radius", vanishing.spectral_radius, st.fixed_dictionaries({"W": square()}),
      lambda kw, out: np.testing.assert_allclose(
          out, np.max(np.abs(np.linalg.eigvals(kw["W"].astype(np.float64)))), rtol=1e-3, atol=1e-6),
      _bad_square)


@st.composite
def rescale_args(draw):
    W = draw(square(symmetric=True))
    W = W + np.eye(len(W), dtype=W.dtype) * (1 + np.abs(W).max())     # symmetric, radius >= 1
    return {"W": W, "rho": draw(st.floats(1e-3, 1e3))}


entry("analysis.vanishing.scale_to_spectral_radius", vanishing.scale_to_spectral_radius, rescale_args(),
      lambda kw, out: (like(out, kw["W"]), np.testing.assert_allclose(
          vanishing.spectral_radius(out), kw["rho"], rtol=1e-4 if out.dtype == np.float32 else 1e-10)),
      lambda kw: _bad_square(kw) + bad_positive("rho") + [({"W": np.zeros_like(kw["W"])}, ValueError, "W")])


@st.composite
def lag_args(draw):
    dt = draw(DTYPES)
    N, T, D, H = (draw(side(3)) for _ in range(4))
    return {"layer": rc.RNN(D, H, rng=np.random.default_rng(draw(st.integers(0, 99))), dtype=dt),
            "x": draw(farrays(dt, (N, T, D), -2, 2)), "rng": draw(st.one_of(st.none(), rngs))}


def _check_lags(kw, out):
    lags, norms = out
    T = kw["x"].shape[1]
    assert np.array_equal(lags, np.arange(T)) and np.issubdtype(lags.dtype, np.integer)
    assert norms.shape == (T,) and np.all(np.isfinite(norms)) and np.all(norms >= 0)
    assert not any(g.any() for g in kw["layer"].grads.values()), "parameter gradients are reset"


entry("analysis.vanishing.gradient_norm_by_lag", vanishing.gradient_norm_by_lag, lag_args(), _check_lags,
      lambda kw: bad_module("layer") + bad_float("x", kw["x"]) + bad_rng(optional=True))


@st.composite
def factor_args(draw):
    T = draw(st.integers(3, 30))
    rate = draw(st.floats(0.5, 2.0))
    lags = np.arange(T, dtype=draw(st.sampled_from([np.int64, np.int32])))
    first = draw(st.integers(0, T - 2))
    return {"lags": lags, "norms": 3.0 * rate ** lags.astype(np.float64), "first": first,
            "last": draw(st.integers(first + 1, T - 1)), "_rate": rate}


def _bad_factor(kw):
    lags, norms, first, last = kw["lags"], kw["norms"], kw["first"], kw["last"]
    out = bad_ids("lags", lags) + [({"lags": lags[::-1].copy()}, ValueError, "lags"),
                                                         ({"lags": lags[:-1]}, ValueError, "lags")]
    out += [({"norms": b}, exc, "norms") for b, exc in
            ((None, TypeError), (norms.astype(np.int64), TypeError), (norms[:0], ValueError),
             (norms[:, None], ValueError), (_with(norms, 0.0) if first <= len(norms) // 2 <= last else
                                            np.zeros_like(norms), ValueError))]
    out += bad_int("first", low=0) + bad_int("last", low=0)
    out += [({"first": last}, ValueError, "first"), ({"last": len(lags)}, ValueError, "last")]
    return out


entry("analysis.vanishing.factor_per_step",
      lambda _rate, **kw: vanishing.factor_per_step(**kw), factor_args(),
      lambda kw, out: np.testing.assert_allclose(out, kw["_rate"], rtol=1e-6), _bad_factor)


@st.composite
def array_bytes_args(draw):
    arrays = [np.zeros(draw(side(5)), draw(st.sampled_from([np.float32, np.float64, np.int64]))) for _ in range(3)]
    obj = [arrays[0], (arrays[1], {"a": arrays[0], "b": 3}), None, "s", arrays[2]]
    return {"obj": obj, "exclude": draw(st.lists(st.sampled_from(arrays), max_size=2))}


def _check_array_bytes(kw, out):
    seen = {id(a): a for a in (kw["obj"][0], kw["obj"][1][0], kw["obj"][4])}
    skip = {id(a) for a in kw["exclude"]}
    assert out == sum(a.nbytes for k, a in seen.items() if k not in skip)


entry("analysis.memory.array_bytes", a_memory.array_bytes, array_bytes_args(), _check_array_bytes,
      lambda kw: [({"exclude": b}, TypeError, "exclude") for b in (None, 5, "abc")]
      + [({"exclude": [np.ones(2), 3]}, TypeError, "exclude[1]")])


@st.composite
def cache_bytes_args(draw):
    layer = rc.RNN(2, draw(side()), rng=np.random.default_rng(0))
    if draw(st.booleans()):
        layer.forward(np.zeros((draw(side()), draw(side()), 2)))
    return {"layer": layer}


entry("analysis.memory.cache_bytes", a_memory.cache_bytes, cache_bytes_args(),
      lambda kw, out: (isinstance(out, int) and out >= 0) or pytest.fail(str(out)),
      lambda kw: bad_module("layer"))

entry("analysis.worked_example.worked_example", worked_example.worked_example, st.just({}),
      lambda kw, out: len(out["steps"]) == 2 or pytest.fail("two steps"))
entry("analysis.worked_example.seed_discrepancies", worked_example.seed_discrepancies,
      st.fixed_dictionaries({"decimals": st.integers(0, 12)}),
      lambda kw, out: all(isinstance(r["agrees"], bool) for r in out) or pytest.fail("agrees"),
      lambda kw: bad_int("decimals", low=0))


# ===========================================================================
# applications.base
# ===========================================================================
entry("applications.base.format_metric", app_base.format_metric,
      st.fixed_dictionaries({"v": st.one_of(st.booleans(), st.integers(), st.floats(), st.text(max_size=4),
                                            st.none(), st.just(np.float32(0.5)), st.just(np.int64(3)))}),
      lambda kw, out: isinstance(out, str) or pytest.fail("not a str"))
entry("applications.base.make_rng", app_base.make_rng,
      st.fixed_dictionaries({"seed": st.one_of(st.integers(0, 2 ** 63), st.integers(0, 99).map(np.int64))}),
      lambda kw, out: isinstance(out, np.random.Generator) or pytest.fail("not a Generator"),
      lambda kw: bad_int("seed", low=0))
entry("applications.base.cell_class", app_base.cell_class,
      st.fixed_dictionaries({"cell": st.sampled_from(["rnn", "lstm", "gru"])}),
      lambda kw, out: issubclass(out, rc.Module) or pytest.fail("not a Module class"),
      lambda kw: bad_choice("cell", ["rnn"]))
entry("applications.base.make_cell", app_base.make_cell,
      st.fixed_dictionaries({"cell": st.sampled_from(["rnn", "lstm", "gru"]), "input_size": side(),
                             "hidden_size": side(), "rng": rngs}),
      lambda kw, out: isinstance(out, rc.Module) or pytest.fail("not a Module"),
      lambda kw: bad_choice("cell", ["rnn"]) + bad_int("input_size", low=1) + bad_int("hidden_size", low=1)
      + bad_rng())


def _check_shuffled(kw, out):
    batches = out(0)
    assert all(1 <= len(b) <= kw["batch_size"] for b in batches)
    assert sorted(np.concatenate(batches).tolist()) == list(range(kw["n"]))


entry("applications.base.shuffled_batches", app_base.shuffled_batches,
      st.fixed_dictionaries({"rng": rngs, "n": st.integers(1, 20), "batch_size": st.integers(1, 25),
                             "make_batch": st.just(lambda idx: idx.copy())}),
      _check_shuffled,
      lambda kw: bad_rng() + bad_int("n", low=1) + bad_int("batch_size", low=1) + bad_callable("make_batch"))


@st.composite
def train_model_args(draw):
    dt = draw(DTYPES)
    model = seq_model(1, 2, 1, dt, draw(st.integers(0, 99)))
    x = draw(farrays(dt, (2, 3, 1), -1, 1))
    return {"model": model, "batches": [(x, 0.5 * x)], "loss": "mse", "epochs": draw(st.integers(1, 4)),
            "lr": draw(st.floats(1e-4, 1e-2)), "clip_norm": draw(st.one_of(st.none(), st.just(1.0))),
            "progress": False, "desc": "t", "decay_fraction": draw(st.floats(0.0, 1.0))}


def _check_train_model(kw, out):
    history, seconds = out
    assert len(history.epoch_losses) == kw["epochs"] and seconds >= 0 and not kw["model"].training


entry("applications.base.train_model", app_base.train_model, train_model_args(), _check_train_model,
      lambda kw: bad_module("model") + bad_int("epochs", low=1) + bad_positive("lr")
      + bad_real("decay_fraction", low=0.0, high=1.0) + bad_positive("clip_norm", optional=True)
      + bad_choice("loss", ["mse"]) + [({"batches": None}, TypeError, "batches")],
      weight=0.5)


@st.composite
def padded(draw):
    N, T = draw(side()), draw(side(6))
    mask = draw(hnp.arrays(bool, (N, T)))
    mask[draw(st.integers(0, N - 1)), draw(st.integers(0, T - 1))] = True
    ids = draw(hnp.arrays(draw(st.sampled_from([np.int64, np.int32])), (N, T), elements=st.integers(0, 9)))
    return {"ids": ids, "mask": mask, "pad_id": draw(st.integers(0, 9))}


def _check_left_pad(kw, out):
    ids, mask = out
    assert ids.shape == mask.shape == kw["ids"].shape and ids.dtype == kw["ids"].dtype and mask.dtype == bool
    for i in range(len(ids)):
        k = int(kw["mask"][i].sum())
        assert list(ids[i, ids.shape[1] - k:]) == list(kw["ids"][i, kw["mask"][i]])
        assert list(mask[i]) == [False] * (ids.shape[1] - k) + [True] * k
        assert np.all(ids[i, :ids.shape[1] - k] == kw["pad_id"])


entry("applications.base.left_pad", app_base.left_pad, padded(), _check_left_pad,
      lambda kw: bad_ids("ids", kw["ids"]) + [({"ids": kw["ids"][0]}, ValueError, "ids")]
      + bad_mask("mask", kw["ids"].shape) + bad_int("pad_id", low=0) + [({"pad_id": 1.7}, TypeError, "pad_id")])


def _check_trim_right(kw, out):
    m = kw["mask"]
    assert 1 <= out <= m.shape[1] and not m[:, out:].any() and m[:, out - 1].any()


entry("applications.base.trim_right", app_base.trim_right, padded().map(lambda kw: {"mask": kw["mask"]}),
      _check_trim_right,
      lambda kw: bad_mask("mask", kw["mask"].shape)[:4] + [({"mask": b}, exc, "mask") for b, exc in
                                                          ((None, TypeError), (kw["mask"][0], ValueError),
                                                           (kw["mask"][:0], ValueError))])


def _collapse_reference(ids, blank):
    return [int(k) for k, _ in itertools.groupby(list(ids)) if k != blank]


entry("applications.base.collapse_repeats", app_base.collapse_repeats,
      st.fixed_dictionaries({"ids": st.lists(st.integers(0, 3), max_size=8).flatmap(
          lambda v: st.sampled_from([v, np.array(v, dtype=np.int64)])),
          "blank": st.one_of(st.none(), st.integers(0, 3))}),
      lambda kw, out: out == _collapse_reference(kw["ids"], kw["blank"]) or pytest.fail(str(out)),
      lambda kw: [({"ids": b}, exc, "ids") for b, exc in ((None, TypeError), ([0.5], TypeError), ([True], TypeError),
                                                         ([[1, 2]], ValueError), ("abc", TypeError))]
      + bad_int("blank", optional=True))


def _tokens():
    return st.one_of(st.lists(st.integers(0, 3), max_size=6), st.text("abc", max_size=6),
                     st.lists(st.integers(0, 3), max_size=6).map(np.array))


def _check_edit_distance(kw, out):
    a, b = list(kw["a"]), list(kw["b"])
    assert isinstance(out, int) and abs(len(a) - len(b)) <= out <= max(len(a), len(b))
    assert (out == 0) == (a == b) and out == app_base.edit_distance(kw["b"], kw["a"])


entry("applications.base.edit_distance", app_base.edit_distance,
      st.fixed_dictionaries({"a": _tokens(), "b": _tokens()}), _check_edit_distance,
      lambda kw: [({k: b}, exc, k) for k in "ab" for b, exc in ((None, TypeError), (5, TypeError),
                                                                 (np.zeros((2, 2)), ValueError))])


@st.composite
def accuracy_args(draw):
    targets = draw(st.lists(st.lists(st.integers(0, 3), max_size=4), min_size=1, max_size=4))
    if not any(targets):
        targets[0] = [1]
    predicted = [draw(st.lists(st.integers(0, 3), max_size=5)) for _ in targets]
    return {"predicted": predicted, "targets": targets}


entry("applications.base.positionwise_accuracy", app_base.positionwise_accuracy, accuracy_args(),
      lambda kw, out: (0 <= out <= 1 and app_base.positionwise_accuracy(kw["targets"], kw["targets"]) == 1)
      or pytest.fail(str(out)),
      lambda kw: [({"predicted": None}, TypeError, "predicted"), ({"targets": None}, TypeError, "targets"),
                  ({"predicted": kw["predicted"] + [[1]]}, ValueError, "predicted"),
                  ({"targets": [[]] * len(kw["targets"])}, ValueError, "targets"),
                  ({"predicted": [5] * len(kw["targets"])}, TypeError, "predicted[0]"),
                  ({"targets": [None] * len(kw["targets"])}, TypeError, "targets[0]")])


# ===========================================================================
# datasets
# ===========================================================================
def dataset(name, fn, valid, check, bad=None, weight=1.0):
    """The entry of a dataset function whose arguments are drawn independently (``rng`` added if it has one)."""
    if "rng" in inspect.signature(fn).parameters:
        valid = {**valid, "rng": rngs}
    entry(f"datasets.{name}", fn, st.fixed_dictionaries(valid), check, bad, weight)


def _check_adding(kw, out):
    x, y = out
    N, T = kw["n"], kw["seq_len"]
    assert x.shape == (N, T, 2) and y.shape == (N, 1) and x.dtype == y.dtype == np.float64
    assert np.all(x[..., 1].sum(axis=1) == 2)
    np.testing.assert_allclose(y[:, 0], (x[..., 0] * x[..., 1]).sum(axis=1))


dataset("memory.adding_problem", d_memory.adding_problem, {"n": side(5), "seq_len": st.integers(2, 10)},
        _check_adding, lambda kw: bad_int("n", low=1) + bad_int("seq_len", low=2) + bad_rng())


def _check_copy(kw, out):
    x, targets, mask = out
    N, S, K, D = kw["n"], kw["seq_len"], kw["n_symbols"], kw["delay"]
    assert x.shape == (N, 2 * S + D, K + 2) and targets.shape == mask.shape == (N, 2 * S + D)
    assert np.array_equal(targets[:, S + D:], x[:, :S].argmax(-1)) and mask.sum() == N * S


dataset("memory.copy_task", d_memory.copy_task,
        {"n": side(), "seq_len": side(), "n_symbols": side(), "delay": side()}, _check_copy,
        lambda kw: bad_int("n", low=1) + bad_int("seq_len", low=1) + bad_int("n_symbols", low=1)
        + bad_int("delay", low=1) + bad_rng())


def _check_sine(kw, out):
    x, y = out
    assert x.shape == y.shape == (kw["n_sequences"], kw["seq_len"], 1) and np.all(np.isfinite(x))
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])


dataset("series.sine_next_value", series.sine_next_value,
        {"n_sequences": side(), "seq_len": side(6), "noise": st.floats(0, 1),
         "period_range": st.tuples(st.floats(0.5, 10), st.floats(0, 10)).map(lambda p: (p[0], p[0] + p[1]))},
        _check_sine,
        lambda kw: bad_int("n_sequences", low=1) + bad_int("seq_len", low=1) + bad_rng()
        + bad_real("noise", low=0.0) + bad_pair("period_range", 0.0)
        + [({"period_range": (0.0, 2.0)}, ValueError, "period_range[0]")])


def _bad_float_list(name, positive, n=1):
    return [({name: b}, exc, lab) for b, exc, lab in
            ((5.0, TypeError, name), ("ab", TypeError, name), (None, TypeError, name), ((), ValueError, name),
             ((True,) * n, TypeError, f"{name}[0]"), ((-1.0,) * n, ValueError, f"{name}[0]"),
             ((np.nan,) * n, ValueError, f"{name}[0]"))
            + (((0.0,) * n, ValueError, f"{name}[0]"),) * positive
            if b is not None or name != "amplitudes"]                  # amplitudes=None: all ones


@st.composite
def periodic_args(draw):
    periods = draw(st.lists(st.floats(0.5, 50), min_size=1, max_size=3))
    return {"length": draw(side(20)), "periods": periods,
            "amplitudes": draw(st.one_of(st.none(), st.lists(st.floats(0, 5), min_size=len(periods),
                                                             max_size=len(periods)))),
            "noise": draw(st.floats(0, 1)), "rng": draw(rngs)}


entry("datasets.series.noisy_periodic_series", series.noisy_periodic_series, periodic_args(),
      lambda kw, out: (out.shape == (kw["length"],) and out.dtype == np.float64 and np.all(np.isfinite(out)))
      or pytest.fail("shape"),
      lambda kw: bad_int("length", low=1) + bad_rng() + bad_real("noise", low=0.0)
      + _bad_float_list("periods", True, len(kw["periods"]))
      + [(c, e, n) for c, e, n in _bad_float_list("amplitudes", False, len(kw["periods"])) if c["amplitudes"] != ()]
      + [({"amplitudes": [1.0] * (len(kw["periods"]) + 1)}, ValueError, "amplitudes")])

dataset("series.price_like_series", series.price_like_series,
        {"length": side(50), "drift": st.floats(-1, 1), "volatility": st.floats(0, 1), "start": st.floats(1e-3, 1e6)},
        lambda kw, out: (out.shape == (kw["length"],) and np.all(out > 0) and np.all(np.isfinite(out)))
        or pytest.fail("price"),
        lambda kw: bad_int("length", low=1) + bad_rng() + bad_real("drift", low=-1.0, high=1.0)
        + bad_real("volatility", low=0.0, high=1.0) + bad_positive("start"))


def _check_rising(kw, out):
    x, y = out
    assert x.shape == (kw["n_sequences"], kw["seq_len"], 1) and y.shape == (kw["n_sequences"],)
    assert set(np.unique(y)) <= {0, 1} and np.all(np.isfinite(x))


dataset("series.rising_or_falling", series.rising_or_falling,
        {"n_sequences": side(), "seq_len": st.integers(2, 8), "noise": st.floats(0, 1),
         "size_range": st.tuples(st.floats(0, 2), st.floats(0, 2)).map(lambda p: (p[0], p[0] + p[1]))},
        _check_rising,
        lambda kw: bad_int("n_sequences", low=1) + bad_int("seq_len", low=2) + bad_rng()
        + bad_real("noise", low=0.0) + bad_pair("size_range", 0.0))


@st.composite
def windows_args(draw):
    dt = draw(DTYPES)
    L = draw(st.integers(2, 30))
    W = draw(st.integers(1, L - 1))
    return {"series": draw(farrays(dt, (L,), -1e3, 1e3)), "window": W, "horizon": draw(st.integers(1, L - W))}


def _check_windows(kw, out):
    x, y = out
    s, W, K = kw["series"], kw["window"], kw["horizon"]
    N = len(s) - W - K + 1
    assert x.shape == (N, W, 1) and y.shape == (N, K) and x.dtype == y.dtype == s.dtype
    fresh(x, s)
    fresh(y, s)
    assert np.array_equal(x[:, :, 0], np.stack([s[i:i + W] for i in range(N)]))


entry("datasets.series.make_windows", series.make_windows, windows_args(), _check_windows,
      lambda kw: bad_float("series", kw["series"], shared=False) + bad_int("window", low=1) + bad_int("horizon", low=1)
      + [({"window": len(kw["series"])}, ValueError, "window")])


@st.composite
def split_args(draw):
    dt = draw(DTYPES)
    L = draw(st.integers(2, 40))
    n_test = draw(st.integers(1, L - 1))
    return {"series": draw(farrays(dt, (L,), -1e3, 1e3)), "test_fraction": n_test / L,
            "context": draw(st.integers(0, L - n_test))}


def _check_split(kw, out):
    train_part, test_part = out
    s, C = kw["series"], kw["context"]
    assert np.array_equal(np.concatenate([train_part, test_part[C:]]), s) and train_part.dtype == s.dtype
    fresh(train_part, s)
    fresh(test_part, s)


entry("datasets.series.train_test_split_series", series.train_test_split_series, split_args(), _check_split,
      lambda kw: bad_float("series", kw["series"], shared=False)
      + bad_real("test_fraction", low=0.0, high=1.0, low_open=True, high_open=True)
      + [({"test_fraction": 0.01 / len(kw["series"])}, ValueError, "test_fraction")]
      + bad_int("context", low=0) + [({"context": len(kw["series"])}, ValueError, "context")])


@st.composite
def one_hot_args(draw):
    V = draw(side(6))
    return {"ids": draw(hnp.arrays(np.int64, draw(shapes(min_dims=1)), elements=st.integers(0, V - 1))),
            "depth": V, "dtype": draw(DTYPES)}


def _check_one_hot(kw, out):
    assert out.shape == kw["ids"].shape + (kw["depth"],) and out.dtype == kw["dtype"]
    assert np.array_equal(out.argmax(-1), kw["ids"]) and np.all(out.sum(-1) == 1)


entry("datasets.text.one_hot", text.one_hot, one_hot_args(), _check_one_hot,
      lambda kw: bad_ids("ids", kw["ids"], low=0, high=kw["depth"], extra_dim=False) + bad_int("depth", low=1)
      + [({"dtype": b}, TypeError, "dtype") for b in (np.int64, np.float16, "complex", bool, None)])


@st.composite
def pad_args(draw):
    seqs = draw(st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=5), min_size=1, max_size=4))
    longest = max(map(len, seqs))
    return {"sequences": [s if draw(st.booleans()) else np.array(s) for s in seqs],
            "length": draw(st.one_of(st.none(), st.integers(longest, longest + 3))), "pad_id": draw(st.integers(0, 5))}


def _check_pad(kw, out):
    ids, mask = out
    lengths = [len(s) for s in kw["sequences"]]
    assert ids.dtype == np.int64 and mask.dtype == bool and ids.shape == mask.shape
    assert list(mask.sum(axis=1)) == lengths and np.all(ids[~mask] == kw["pad_id"])


def _bad_pad(kw):
    seqs = kw["sequences"]
    longest = max(map(len, seqs))
    out = [({"sequences": b}, exc, name) for b, exc, name in
           ((None, TypeError, "sequences"), ([], ValueError, "sequences"), ("abc", TypeError, "sequences"),
            (np.array([[1]]), TypeError, "sequences"), ([[]], ValueError, "sequences[0]"),
            ([[1.5]], TypeError, "sequences[0]"), (["ab"], TypeError, "sequences[0]"),
            ([[-1]], ValueError, "sequences[0]"), ([[[1]]], ValueError, "sequences[0]"),
            ([None], TypeError, "sequences[0]"), ([[True]], TypeError, "sequences[0]"))]
    out += bad_int("length", low=1, optional=True) + bad_int("pad_id", low=0) + [({"pad_id": 1.7}, TypeError, "pad_id")]
    if longest > 1:
        out.append(({"length": longest - 1}, ValueError, "length"))
    return out


entry("datasets.text.pad_sequences", text.pad_sequences, pad_args(), _check_pad, _bad_pad)

_TEXTS = st.text("abcdefgh .,!", min_size=1, max_size=20)
entry("datasets.text.CharVocab", text.CharVocab, st.fixed_dictionaries({"text": _TEXTS}),
      lambda kw, out: out.size == len(set(kw["text"])) or pytest.fail("size"),
      lambda kw: [({"text": b}, exc, "text") for b, exc in (("", ValueError), (None, TypeError), (["a"], TypeError),
                                                           (b"ab", TypeError), (3, TypeError))])


@st.composite
def char_encode_args(draw):
    t = draw(_TEXTS)
    return {"self": text.CharVocab(t), "text": "".join(draw(st.lists(st.sampled_from(t))))}


entry("datasets.text.CharVocab.encode", lambda self, **kw: self.encode(**kw), char_encode_args(),
      lambda kw, out: (out.dtype == np.int64 and kw["self"].decode(out) == kw["text"]) or pytest.fail("round trip"),
      lambda kw: [({"text": b}, exc, "text") for b, exc in ((None, TypeError), (["a"], TypeError), (5, TypeError),
                                                           (kw["text"] + "~", ValueError))])


@st.composite
def decode_args(draw, vocab):
    v = draw(vocab)
    ids = draw(st.lists(st.integers(0, v.size - 1), max_size=6))
    return {"self": v, "ids": ids if draw(st.booleans()) else np.array(ids, dtype=np.int64)}


def _bad_decode(kw):
    V = kw["self"].size
    return [({"ids": b}, exc, "ids") for b, exc in ((None, TypeError), ([V], ValueError), ([-1], ValueError),
                                                   ([0.5], TypeError), ([[0]], ValueError), ("ab", TypeError),
                                                   (np.array([True]), TypeError))]


_CHAR_VOCABS = _TEXTS.map(text.CharVocab)
entry("datasets.text.CharVocab.decode", lambda self, **kw: self.decode(**kw), decode_args(_CHAR_VOCABS),
      lambda kw, out: (isinstance(out, str) and len(out) == len(kw["ids"])) or pytest.fail("length"), _bad_decode)

_WORDS = st.sampled_from(["the", "food", "was", "good", "not", "<pad>"])
_TOKEN_LISTS = st.lists(st.lists(_WORDS, max_size=4), max_size=4)
_SPECIALS = st.sampled_from([("<pad>", "<unk>"), ("<pad>",), ("<pad>", "<bos>", "<eos>")])


def _check_word_vocab(kw, v):
    words = {w for toks in kw["token_lists"] for w in toks} - set(kw["specials"])
    assert v.pad_id == 0 and v.size == len(kw["specials"]) + len(words)


entry("datasets.text.WordVocab", text.WordVocab,
      st.fixed_dictionaries({"token_lists": _TOKEN_LISTS, "specials": _SPECIALS}), _check_word_vocab,
      lambda kw: [({"token_lists": b}, TypeError, name) for b, name in
                  ((None, "token_lists"), ("a b", "token_lists"), (["a b"], "token_lists[0]"),
                   ([[1]], "token_lists[0]"), (5, "token_lists"))]
      + [({"specials": b}, exc, name) for b, exc, name in
         (((), ValueError, "specials"), (("<unk>",), ValueError, "specials"),
          (("<pad>", "<pad>"), ValueError, "specials"),
          ("<pad>", TypeError, "specials"), (("<pad>", 3), TypeError, "specials[1]"), (None, TypeError, "specials"))])

_WORD_VOCABS = st.builds(text.WordVocab, st.lists(st.lists(_WORDS, min_size=1, max_size=4), min_size=1, max_size=3),
                         specials=_SPECIALS)


@st.composite
def word_encode_args(draw):
    v = draw(_WORD_VOCABS)
    return {"self": v, "tokens": draw(st.lists(st.sampled_from(v.id_to_token), max_size=5))}


entry("datasets.text.WordVocab.encode", lambda self, **kw: self.encode(**kw), word_encode_args(),
      lambda kw, out: kw["self"].decode(out) == kw["tokens"] or pytest.fail("round trip"),
      lambda kw: [({"tokens": b}, TypeError, name) for b, name in ((None, "tokens"), ("a b", "tokens"),
                                                                     ([3], "tokens[0]"), ([["a"]], "tokens[0]"))]
      + ([({"tokens": ["zebra"]}, ValueError, "tokens[0]")] if kw["self"].unk_id is None else []))
entry("datasets.text.WordVocab.decode", lambda self, **kw: self.decode(**kw), decode_args(_WORD_VOCABS),
      lambda kw, out: (isinstance(out, list) and len(out) == len(kw["ids"])) or pytest.fail("length"), _bad_decode)


@st.composite
def encode_batch_args(draw):
    v = draw(_WORD_VOCABS)
    lists = draw(st.lists(st.lists(st.sampled_from(v.id_to_token), min_size=1, max_size=4), min_size=1, max_size=3))
    longest = max(map(len, lists))
    return {"self": v, "token_lists": lists, "length": draw(st.one_of(st.none(), st.integers(longest, longest + 2)))}


entry("datasets.text.WordVocab.encode_batch", lambda self, **kw: self.encode_batch(**kw), encode_batch_args(),
      lambda kw, out: (out[0].shape[0] == len(kw["token_lists"])) or pytest.fail("rows"),
      lambda kw: [({"token_lists": b}, exc, name) for b, exc, name in
                  ((None, TypeError, "token_lists"), ([], ValueError, "token_lists"),
                   (["ab"], TypeError, "token_lists[0]"), ([[3]], TypeError, "token_lists[0]"))]
      + bad_int("length", low=1, optional=True))

entry("datasets.text.tiny_corpus", text.tiny_corpus, st.just({}),
      lambda kw, out: (isinstance(out, str) and len(out) > 1000) or pytest.fail("corpus"))


@st.composite
def char_lm_args(draw):
    T, B = draw(side(5)), draw(side(4))
    L = draw(st.integers(B * T + 1, B * T + 20))
    return {"text_ids": draw(hnp.arrays(np.int64, (L,), elements=st.integers(0, 9))), "seq_len": T,
            "batch_size": B, "rng": draw(rngs)}


def _check_char_lm(kw, out):
    x, y = out
    assert x.shape == y.shape and x.shape[1] == kw["seq_len"] and x.shape[0] % kw["batch_size"] == 0
    assert np.array_equal(y[:, :-1], x[:, 1:])


entry("datasets.text.char_lm_batches", text.char_lm_batches, char_lm_args(), _check_char_lm,
      lambda kw: bad_ids("text_ids", kw["text_ids"]) + bad_int("seq_len", low=1) + bad_int("batch_size", low=1)
      + bad_rng() + [({"text_ids": kw["text_ids"][:kw["seq_len"] * kw["batch_size"]]}, ValueError, "text_ids")])

dataset("text.sentiment_sentences", text.sentiment_sentences,
        {"n": side(6), "p_negation": st.floats(0, 1), "p_contrast": st.floats(0, 1)},
        lambda kw, out: (len(out[0]) == kw["n"] and out[1].shape == (kw["n"],) and set(out[1]) <= {0, 1})
        or pytest.fail("sentences"),
        lambda kw: bad_int("n", low=1) + bad_rng() + bad_real("p_negation", low=0.0, high=1.0)
        + bad_real("p_contrast", low=0.0, high=1.0))

dataset("text.review_sentences", text.review_sentences,
        {"n": side(6), "clauses": st.tuples(side(3), side(3)).map(lambda c: (c[0], c[0] + c[1] - 1)),
         "p_negation": st.floats(0, 1)},
        lambda kw, out: (len(out[0]) == kw["n"] and out[1].shape == (kw["n"],) and set(out[1]) <= {0, 1})
        or pytest.fail("reviews"),
        lambda kw: bad_int("n", low=1) + bad_rng() + bad_real("p_negation", low=0.0, high=1.0)
        + [({"clauses": (0, 2)}, ValueError, "clauses"), ({"clauses": (3, 2)}, ValueError, "clauses"),
           ({"clauses": 3}, TypeError, "clauses")])

dataset("translation.number_to_words", translation.number_to_words, {"value": st.integers(0, 999_999)},
        lambda kw, out: (isinstance(out, str) and out == out.strip() and "  " not in out) or pytest.fail(out),
        lambda kw: bad_int("value", low=0, high=999_999))
dataset("translation.number_translation_pairs", translation.number_translation_pairs,
        {"n": side(5), "max_value": st.integers(1, 999_999)},
        lambda kw, out: (len(out[0]) == len(out[1]) == kw["n"]
                         and all(0 <= int("".join(t)) <= kw["max_value"] for t in out[1])) or pytest.fail("pairs"),
        lambda kw: bad_int("n", low=1) + bad_rng() + bad_int("max_value", low=1, high=999_999))
dataset("translation.number_vocabularies", translation.number_vocabularies, {"max_value": st.integers(1, 2000)},
        lambda kw, out: all(isinstance(v, text.WordVocab) for v in out) or pytest.fail("vocabularies"),
        lambda kw: bad_int("max_value", low=1, high=999_999), weight=0.5)

_NUMBER_VOCABS = translation.number_vocabularies(999)


@st.composite
def encode_pairs_args(draw):
    sources, targets = translation.number_translation_pairs(draw(side(4)), rng=draw(rngs), max_value=999)
    return {"sources": sources, "targets": targets, "source_vocab": _NUMBER_VOCABS[0],
            "target_vocab": _NUMBER_VOCABS[1]}


def _check_encode_pairs(kw, out):
    src, _, tgt_in, tgt_out, tgt_mask = out
    n = len(kw["sources"])
    assert src.shape[0] == tgt_in.shape[0] == n and tgt_in.shape == tgt_out.shape == tgt_mask.shape
    bos, eos = (kw["target_vocab"].token_to_id[t] for t in ("<bos>", "<eos>"))
    for i, n_real in enumerate(tgt_mask.sum(axis=1)):
        assert tgt_in[i, 0] == bos and tgt_out[i, n_real - 1] == eos
        assert np.array_equal(tgt_in[i, 1:n_real], tgt_out[i, :n_real - 1])


def _bad_encode_pairs(kw):
    n = len(kw["sources"])
    out = []
    for name in ("sources", "targets"):
        out += [({name: b}, exc, lab) for b, exc, lab in
                ((None, TypeError, name), ("one", TypeError, name), ([], ValueError, name),
                 ([["zebra"]] * n, ValueError, f"{name}[0]"), ([[3]] * n, TypeError, f"{name}[0]"),
                 (["one"] * n, TypeError, f"{name}[0]"))]
    out += [({"source_vocab": None}, TypeError, "source_vocab"), ({"target_vocab": "v"}, TypeError, "target_vocab"),
            ({"target_vocab": text.WordVocab([["1"]])}, ValueError, "target_vocab")]
    return out


entry("datasets.translation.encode_translation_pairs", translation.encode_translation_pairs, encode_pairs_args(),
      _check_encode_pairs, _bad_encode_pairs)


def _small_range(lo, hi):
    return st.tuples(st.integers(lo, hi), st.integers(0, 2)).map(lambda p: (p[0], p[0] + p[1]))


def _check_speech(kw, out):
    frames, labels, mask, seqs = out
    N, F = kw["n"], kw["n_freq"]
    assert frames.shape[0] == N and frames.shape[2] == F and labels.shape == mask.shape == frames.shape[:2]
    assert np.all(labels[~mask] == -1) and np.all((labels[mask] >= 0) & (labels[mask] < kw["n_phonemes"]))
    assert all(kw["phones"][0] <= len(s) <= kw["phones"][1] for s in seqs)


dataset("toy_perception.speech_toy", toy_perception.speech_toy,
        {"n": side(3), "n_phonemes": st.integers(2, 6), "n_freq": st.integers(4, 12), "phones": _small_range(1, 3),
         "duration": _small_range(1, 3), "noise": st.floats(0, 1)},
        _check_speech,
        lambda kw: bad_int("n", low=1) + bad_rng() + bad_int("n_phonemes", low=2) + bad_int("n_freq", low=4)
        + bad_pair("phones", 1, int) + bad_pair("duration", 1, int) + bad_real("noise", low=0.0))


def _check_handwriting(kw, out):
    strokes, labels, mask = out
    assert strokes.shape[0] == labels.shape[0] == kw["n"] and strokes.shape[2] == 3 and mask.shape == strokes.shape[:2]
    assert set(labels.tolist()) <= set(kw["digits"]) and np.all(np.isfinite(strokes))


dataset("toy_perception.handwriting_toy", toy_perception.handwriting_toy,
        {"n": side(3), "digits": st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True).map(tuple),
         "jitter": st.floats(0, 0.1)},
        _check_handwriting,
        lambda kw: bad_int("n", low=1) + bad_rng() + bad_real("jitter", low=0.0)
        + [({"digits": b}, exc, name) for b, exc, name in
           (((), ValueError, "digits"), (5, TypeError, "digits"), ((1, 10), ValueError, "digits[1]"),
            ((1, 1), ValueError, "digits"), ((1.0,), TypeError, "digits[0]"), (None, TypeError, "digits"))])


def _check_captioning(kw, out):
    images, captions = out
    S = kw["size"]
    assert images.shape == (kw["n"], 3, S, S) and np.all((images >= 0) & (images <= 1))
    assert all(len(c) in (3, 8) for c in captions)


dataset("toy_perception.captioning_toy", toy_perception.captioning_toy,
        {"n": side(3), "size": st.integers(20, 28), "p_two": st.floats(0, 1), "noise": st.floats(0, 0.2)},
        _check_captioning,
        lambda kw: bad_int("n", low=1) + bad_rng() + bad_int("size", low=20) + bad_real("p_two", low=0.0, high=1.0)
        + bad_real("noise", low=0.0))
dataset("toy_perception.caption_vocabulary", toy_perception.caption_vocabulary, {},
        lambda kw, out: ("<bos>" in out and out.pad_id == 0) or pytest.fail("vocabulary"))


@st.composite
def image_features_args(draw):
    dt = draw(DTYPES)
    G = draw(side(3))
    H, W = (G * draw(st.integers(-(-3 // G), 4)) for _ in range(2))
    return {"images": draw(farrays(dt, (draw(side(2)), draw(side(3)), H, W), 0, 1)), "grid": G}


def _check_features(kw, out):
    N, C = kw["images"].shape[:2]
    assert out.shape == (N, C * 6 * kw["grid"] ** 2) and out.dtype == kw["images"].dtype and np.all(np.isfinite(out))


entry("datasets.toy_perception.image_features", toy_perception.image_features, image_features_args(),
      _check_features,
      lambda kw: bad_float("images", kw["images"], shared=False) + bad_int("grid", low=1)
      + [({"images": kw["images"][..., :2, :]}, ValueError, "images")])


def _check_music(kw, out):
    assert out.shape == (kw["n"], kw["seq_len"]) and np.isin(out, toy_perception.MUSIC_SCALE).all()


dataset("toy_perception.music_toy", toy_perception.music_toy,
        {"n": side(3), "seq_len": side(12), "phrase_len": st.integers(2, 6)}, _check_music,
        lambda kw: bad_int("n", low=1) + bad_int("seq_len", low=1) + bad_rng() + bad_int("phrase_len", low=2))


@st.composite
def bed_exit_args(draw):
    W = draw(side(3))
    return {"n": draw(side(3)), "seq_len": draw(st.integers(2 * W + 8, 2 * W + 14)), "warning_steps": W,
            "p_exit": draw(st.floats(0, 1)), "noise": draw(st.floats(0, 0.1)), "rng": draw(rngs)}


def _check_bed_exit(kw, out):
    x, alarm, exit_step = out
    N, T = kw["n"], kw["seq_len"]
    assert x.shape == (N, T, 3) and alarm.shape == (N, T) and exit_step.shape == (N,) and np.all(np.isfinite(x))
    assert np.all(alarm[exit_step < 0] == 0)


entry("datasets.toy_perception.bed_exit_toy", toy_perception.bed_exit_toy, bed_exit_args(), _check_bed_exit,
      lambda kw: bad_int("n", low=1) + bad_int("seq_len", low=1) + bad_int("warning_steps", low=1) + bad_rng()
      + bad_real("p_exit", low=0.0, high=1.0) + bad_real("noise", low=0.0)
      + [({"seq_len": 2 * kw["warning_steps"] + 7}, ValueError, "seq_len")])


# ---------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------
BY_NAME = {e.name: e for e in ENTRIES}


def test_every_public_function_has_an_entry():
    names = public_names()
    excluded_classes = {n for n in EXCLUDED if n.rsplit(".", 1)[-1][:1].isupper()}
    wanted = {n for n in names if n not in EXCLUDED and not any(n.startswith(c + ".") for c in excluded_classes)}
    missing = sorted(wanted - set(BY_NAME))
    assert not missing, f"public functions without an entry in tests/test_contract_functions.py: {missing}"
    unknown = sorted((set(BY_NAME) | set(EXCLUDED)) - names)
    assert not unknown, f"entries or exclusions for names that are not public functions: {unknown}"
    assert len(BY_NAME) == len(ENTRIES), "one entry per function"


def _examples(entry, share=1.0):
    return max(1, round(settings.default.max_examples * entry.weight * share))


def _describe(changes):
    def show(v):
        if isinstance(v, np.ndarray):
            return f"array(shape={v.shape}, dtype={v.dtype})"
        text = repr(v)
        return text if len(text) < 60 else text[:57] + "..."
    return ", ".join(f"{k}={show(v)}" for k, v in changes.items())


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_valid_arguments_give_a_correct_result(name):
    entry = BY_NAME[name]

    @settings(max_examples=_examples(entry))
    @given(kw=entry.valid)
    def run(kw):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = entry.call(**kw)
        entry.check(kw, out)

    run()


@pytest.mark.parametrize("name", sorted(n for n, e in BY_NAME.items() if e.bad is not None))
def test_bad_arguments_raise_a_named_type_or_value_error(name):
    entry = BY_NAME[name]

    @settings(max_examples=_examples(entry, 0.5))
    @given(kw=entry.valid)
    def run(kw):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")                 # making float16 or int copies may warn
            spoilt = entry.bad(kw)
        for changes, expected, arg in spoilt:
            args = {**kw, **changes}
            call = f"{entry.name}({_describe(changes)})"
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                try:
                    entry.call(**args)
                except Exception as err:  # noqa: BLE001 - any exception is judged below
                    # a TypeError or ValueError only, not one that is also an IndexError (numpy's
                    # AxisError) or an ArithmeticError; warnings turned errors are failures too
                    if not isinstance(err, (TypeError, ValueError)) or isinstance(err, (LookupError, ArithmeticError)):
                        pytest.fail(f"{call} raised {type(err).__name__}: {err}")
                    assert isinstance(err, expected), \
                        f"{call} raised {type(err).__name__}, the contract says {expected.__name__}: {err}"
                    assert arg in str(err), f"{call}: the message does not name {arg!r}: {err}"
                else:
                    raise AssertionError(f"{call} raised nothing")

    run()
