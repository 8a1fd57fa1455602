"""The input contract (``rnncourse/core/checks.py``) over every layer and model, with generated cases.

Each entry of ``MODULES`` builds one kind of module from generated sizes and a dtype, with a
valid input; hypothesis then sweeps sizes down to 1, both float dtypes and both paths of the
recurrent cells, and checks the promises: dtypes kept end to end, outputs and caches that do
not alias the caller's arrays, backward once per forward, ``d_outputs`` checked and named,
empty axes and bad dtypes refused naming the argument, a module object used twice refused.
The pure forward/backward functions of the cells and layers get the same treatment in
``FUNCTIONS``. A public layer class without an entry fails ``test_every_module_has_an_entry``.
"""
from __future__ import annotations

import copy
import inspect
import re
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnncourse as rc
from rnncourse.cells import fast
from rnncourse.cells.mingru import MinGRU
from rnncourse.models.attention import AttentionSeq2Seq

DTYPES = st.sampled_from([np.float32, np.float64])
SIZE = st.integers(1, 4)


@dataclass(frozen=True)
class Case:
    module: rc.Module
    x: object                      # the input of forward
    float_input: bool = True       # x is a float array that backward returns a gradient for


@dataclass(frozen=True)
class Spec:
    name: str
    build: Callable                # build(rng, dtype, sizes) -> Case
    dtype_arg: bool = True         # the constructor takes dtype=


def _x(rng, dtype, N, T, D):
    return rng.standard_normal((N, T, D)).astype(dtype)


def _rnn(rng, dtype, s, **kw):
    return Case(rc.RNN(s["D"], s["H"], rng=rng, dtype=dtype, fast=s["fast"], **kw), _x(rng, dtype, s["N"], s["T"], s["D"]))


MODULES = [
    Spec("RNN", lambda rng, dt, s: _rnn(rng, dt, s)),
    Spec("RNN-relu", lambda rng, dt, s: _rnn(rng, dt, s, nonlinearity="relu")),
    Spec("LSTM", lambda rng, dt, s: Case(rc.LSTM(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                                         _x(rng, dt, s["N"], s["T"], s["D"]))),
    Spec("GRU", lambda rng, dt, s: Case(rc.GRU(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                                        _x(rng, dt, s["N"], s["T"], s["D"]))),
    Spec("MinGRU", lambda rng, dt, s: Case(MinGRU(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                                           _x(rng, dt, s["N"], s["T"], s["D"]))),
    Spec("Output", lambda rng, dt, s: Case(rc.Output(s["D"], s["H"], rng=rng, dtype=dt),
                                           _x(rng, dt, s["N"], s["T"], s["D"]))),
    Spec("Dense", lambda rng, dt, s: Case(rc.Dense(s["D"], s["H"], "tanh", rng=rng, dtype=dt),
                                          _x(rng, dt, s["N"], s["T"], s["D"]))),
    Spec("Embedding", lambda rng, dt, s: Case(rc.Embedding(s["D"] + 1, s["H"], rng=rng, dtype=dt),
                                              rng.integers(0, s["D"] + 1, (s["N"], s["T"])), float_input=False)),
    Spec("Conv1d", lambda rng, dt, s: Case(rc.Conv1d(s["D"], s["H"], 2, padding=1, rng=rng, dtype=dt),
                                           _x(rng, dt, s["N"], s["T"], s["D"]))),
    Spec("MaxPool1d", lambda rng, dt, s: Case(rc.MaxPool1d(1), _x(rng, dt, s["N"], s["T"], s["D"])), dtype_arg=False),
    Spec("Dropout", lambda rng, dt, s: Case(rc.Dropout(0.5, rng=rng), _x(rng, dt, s["N"], s["T"], s["D"])),
         dtype_arg=False),
    Spec("LastStep", lambda rng, dt, s: Case(rc.LastStep(), _x(rng, dt, s["N"], s["T"], s["D"])), dtype_arg=False),
    Spec("Sequential", lambda rng, dt, s: Case(
        rc.Sequential(rc.GRU(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"]), rc.Output(s["H"], 2, rng=rng, dtype=dt)),
        _x(rng, dt, s["N"], s["T"], s["D"])), dtype_arg=False),
    Spec("Stacked", lambda rng, dt, s: Case(
        rc.Stacked.build(rc.LSTM, s["D"], s["H"], 2, rng=rng, dtype=dt, fast=s["fast"]),
        _x(rng, dt, s["N"], s["T"], s["D"])), dtype_arg=False),
    Spec("Bidirectional", lambda rng, dt, s: Case(
        rc.Bidirectional(rc.RNN(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                         rc.GRU(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"])),
        _x(rng, dt, s["N"], s["T"], s["D"])), dtype_arg=False),
    Spec("RCNN", lambda rng, dt, s: Case(
        rc.RCNN(rc.Conv1d(s["D"], 3, 1, rng=rng, dtype=dt), rc.RNN(3, s["H"], rng=rng, dtype=dt, fast=s["fast"])),
        _x(rng, dt, s["N"], s["T"], s["D"])), dtype_arg=False),
    Spec("Hierarchical", lambda rng, dt, s: Case(
        rc.Hierarchical(rc.RNN(s["D"], s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                        rc.GRU(s["H"], 2, rng=rng, dtype=dt, fast=s["fast"]), chunk_size=2),
        _x(rng, dt, s["N"], 2 * s["T"], s["D"])), dtype_arg=False),
    Spec("SequenceClassifier", lambda rng, dt, s: Case(
        rc.SequenceClassifier(rc.Embedding(s["D"] + 2, 3, rng=rng, dtype=dt),
                              rc.GRU(3, s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                              rc.Dense(s["H"], 2, rng=rng, dtype=dt), pad_id=0),
        rng.integers(1, s["D"] + 2, (s["N"], s["T"])), float_input=False), dtype_arg=False),
    Spec("Seq2Seq", lambda rng, dt, s: Case(
        rc.Seq2Seq(rc.Embedding(5, 3, rng=rng, dtype=dt), rc.GRU(3, s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                   rc.Embedding(4, 3, rng=rng, dtype=dt), rc.GRU(3, s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                   rc.Output(s["H"], 4, rng=rng, dtype=dt)),
        (rng.integers(0, 5, (s["N"], s["T"])), rng.integers(0, 4, (s["N"], s["D"]))), float_input=False),
        dtype_arg=False),
    Spec("AttentionSeq2Seq", lambda rng, dt, s: Case(
        AttentionSeq2Seq(rc.Embedding(5, 3, rng=rng, dtype=dt), rc.GRU(3, s["H"], rng=rng, dtype=dt, fast=s["fast"]),
                         rc.Embedding(4, 3, rng=rng, dtype=dt), 3, 4, rng=rng, src_pad_id=0),
        (rng.integers(1, 5, (s["N"], s["T"])), rng.integers(0, 4, (s["N"], s["D"]))), float_input=False),
        dtype_arg=False),
]
IDS = [m.name for m in MODULES]

sizes = st.fixed_dictionaries({"N": SIZE, "T": SIZE, "D": SIZE, "H": SIZE, "fast": st.booleans(),
                               "seed": st.integers(0, 2**16)})


def _spec(name):
    return next(m for m in MODULES if m.name == name)


def _case(spec, dtype, s):
    return spec.build(np.random.default_rng(s["seed"]), dtype, s)


def test_every_module_has_an_entry():
    classes = {c for m in (rc.cells, rc.layers, rc.models) for sub in vars(m).values() if inspect.ismodule(sub)
               for c in vars(sub).values()
               if inspect.isclass(c) and issubclass(c, rc.Module) and c.__module__ == sub.__name__}
    covered = {type(_case(m, np.float64, dict(N=1, T=2, D=2, H=2, fast=True, seed=0)).module) for m in MODULES}
    abstract = {rc.cells.base.RecurrentLayer, rc.cells.base.GatedLayer}
    missing = sorted(c.__name__ for c in classes - covered - abstract)
    assert not missing, f"no entry in MODULES for {missing}"


@pytest.mark.parametrize("name", IDS)
@given(dtype=DTYPES, s=sizes)
def test_dtype_is_kept_end_to_end(name, dtype, s):
    case = _case(_spec(name), dtype, s)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # no overflow or invalid-value warnings either
        out, _ = case.module.forward(case.x)
        assert out.dtype == dtype and np.all(np.isfinite(out))
        dx = case.module.backward(np.ones_like(out))
    if case.float_input:
        assert dx.dtype == dtype and dx.shape == case.x.shape
    for key, g in case.module.grads.items():
        assert g.dtype == case.module.params[key].dtype == dtype, key
        assert np.all(np.isfinite(g)), key


@pytest.mark.parametrize("name", IDS)
@given(dtype=DTYPES, s=sizes)
def test_editing_inputs_or_outputs_after_forward_changes_no_gradient(name, dtype, s):
    case = _case(_spec(name), dtype, s)
    out, final = case.module.forward(case.x)
    d_out = np.random.default_rng(s["seed"] + 1).standard_normal(out.shape).astype(dtype)
    reference = copy.deepcopy(case.module)
    dx_ref = reference.backward(d_out)
    # the caller edits everything it holds, in place
    for arr in [out, *(np.atleast_1d(a) for a in _arrays(final)), *_arrays(case.x)]:
        arr[...] = arr * 3 + 1 if arr.dtype.kind == "f" else 0
    dx = case.module.backward(d_out)
    # equal up to rounding (a copy may sit at another alignment, and BLAS then sums in another order);
    # an edit reaching the cache would change the values by far more
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    if case.float_input:
        np.testing.assert_allclose(dx, dx_ref, **tol)
    for key, g in case.module.grads.items():
        np.testing.assert_allclose(g, reference.grads[key], err_msg=key, **tol)


def _arrays(value):
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    return []


@pytest.mark.parametrize("name", IDS)
@given(dtype=DTYPES, s=sizes)
def test_backward_once_per_forward_and_d_outputs_checked(name, dtype, s):
    case = _case(_spec(name), dtype, s)
    module = case.module
    with pytest.raises(RuntimeError, match="backward was called before forward"):
        module.backward(np.zeros(1, dtype))
    out, _ = module.forward(case.x)
    other = np.float64 if dtype == np.float32 else np.float32
    with pytest.raises(TypeError, match=r"^d_outputs must have dtype"):
        module.backward(np.ones(out.shape, other))
    with pytest.raises(ValueError, match=r"^d_outputs must have shape"):
        module.backward(np.ones(out.shape + (1,), dtype))
    with pytest.raises(ValueError, match=r"^d_outputs contains 1 NaN"):
        bad = np.ones_like(out)
        bad.flat[0] = np.nan
        module.backward(bad)
    with pytest.raises(TypeError, match=r"^d_outputs must be a numpy array"):
        module.backward(None)
    module.backward(np.ones_like(out))               # the failed calls did not use up the cache
    grads = {k: g.copy() for k, g in module.grads.items()}
    with pytest.raises(RuntimeError, match="backward was already called for the last forward"):
        module.backward(np.ones_like(out))
    for key, g in module.grads.items():              # the refused call changed nothing
        np.testing.assert_array_equal(g, grads[key], err_msg=key)
    module.forward(case.x)
    module.backward(np.ones_like(out))               # a new forward, a new backward: accumulates
    for key, g in module.grads.items():
        np.testing.assert_allclose(g, 2 * grads[key], rtol=1e-5 if dtype == np.float32 else 1e-12, err_msg=key)


@pytest.mark.parametrize("name", [m.name for m in MODULES if m.name not in ("Seq2Seq", "AttentionSeq2Seq")])
@given(dtype=DTYPES, s=sizes, axis=st.sampled_from([0, 1]))
def test_empty_axes_are_refused_naming_x(name, dtype, s, axis):
    case = _case(_spec(name), dtype, s)
    x = np.take(case.x, [], axis=axis)
    with pytest.raises(ValueError, match=r"^x must not be empty"):
        case.module.forward(x)


@pytest.mark.parametrize("name", [m.name for m in MODULES
                                  if m.name not in ("Embedding", "SequenceClassifier", "Seq2Seq", "AttentionSeq2Seq")])
@given(s=sizes, bad=st.sampled_from([np.int64, np.float16, np.bool_, np.complex128]))
def test_inputs_of_other_kinds_are_refused_naming_x(name, s, bad):
    case = _case(_spec(name), np.float64, s)
    with pytest.raises(TypeError, match=r"^x must"):
        case.module.forward(case.x.astype(bad))


@pytest.mark.parametrize("name", [m.name for m in MODULES if m.dtype_arg])
@given(bad=st.sampled_from([np.int64, np.float16, bool, np.complex64, "int32", 3]))
def test_layer_dtype_must_be_float32_or_float64(name, bad):
    spec = _spec(name)
    s = dict(N=1, T=2, D=2, H=2, fast=True, seed=0)
    with pytest.raises(TypeError, match=r"^dtype must be numpy.float64 or numpy.float32"):
        spec.build(np.random.default_rng(0), bad, s)


@given(s=sizes)
def test_a_module_object_used_twice_is_refused(s):
    rng = np.random.default_rng(s["seed"])
    layer = rc.RNN(s["D"], s["D"], rng=rng)
    with pytest.raises(ValueError, match=r"child '1' is \(or contains\) the same object as '0'"):
        rc.Sequential(layer, layer)
    with pytest.raises(ValueError, match=r"the same object as 'lower'"):
        rc.Hierarchical(layer, layer, chunk_size=1)
    inner = rc.Sequential(layer, rc.Output(s["D"], 2, rng=rng))
    with pytest.raises(ValueError, match=r"the same object as '0.0'"):
        rc.Sequential(inner, layer)
    with pytest.raises(ValueError, match=r"is the Sequential itself"):
        inner.add_child("self", inner)


# -- fast and teaching paths agree on generated shapes -----------------------------------------
@pytest.mark.parametrize("name", ["RNN", "RNN-relu", "LSTM", "GRU", "MinGRU"])
@given(dtype=DTYPES, s=sizes)
def test_fast_and_teaching_paths_agree_in_value_and_dtype(name, dtype, s):
    results = []
    for path in (True, False):
        case = _case(_spec(name), dtype, {**s, "fast": path})
        out, final = case.module.forward(case.x)
        d_out = np.random.default_rng(s["seed"] + 7).standard_normal(out.shape).astype(dtype)
        dx = case.module.backward(d_out)
        results.append([out, *_arrays(final), dx, *case.module.grads.values(), *_arrays(case.module.d_state)])
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for a, b in zip(*results):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


# -- the pure functions of the cells and layers -------------------------------------------------
def _cell_args(name, rng, dtype, N, T, D, H):
    blocks = {"rnn": 1, "lstm": 4, "gru": 3}[name]
    x = rng.standard_normal((N, T, D)).astype(dtype)
    states = [rng.standard_normal((N, H)).astype(dtype) for _ in range(2 if name == "lstm" else 1)]
    W = [rng.standard_normal((blocks * H, D)).astype(dtype), rng.standard_normal((blocks * H, H)).astype(dtype)]
    b = [rng.standard_normal(blocks * H).astype(dtype) for _ in range(2 if name == "gru" else 1)]
    return x, states, W + b


SEQUENCE_FUNCTIONS = {
    "rnn": (rc.rnn_forward, rc.rnn_backward), "lstm": (rc.lstm_forward, rc.lstm_backward),
    "gru": (rc.gru_forward, rc.gru_backward),
    "rnn_fast": (fast.rnn_forward_fast, fast.rnn_backward_fast),
    "lstm_fast": (fast.lstm_forward_fast, fast.lstm_backward_fast),
    "gru_fast": (fast.gru_forward_fast, fast.gru_backward_fast),
}


@pytest.mark.parametrize("name", list(SEQUENCE_FUNCTIONS))
@given(dtype=DTYPES, s=sizes, which=st.integers(0, 10))
def test_sequence_functions_refuse_mixed_dtypes_naming_the_argument(name, dtype, s, which):
    forward, backward = SEQUENCE_FUNCTIONS[name]
    x, states, params = _cell_args(name.split("_")[0], np.random.default_rng(s["seed"]), dtype,
                                   s["N"], s["T"], s["D"], s["H"])
    args = [x, *states, *params]
    names = list(inspect.signature(forward).parameters)[:len(args)]
    k = which % len(args)
    other = np.float64 if dtype == np.float32 else np.float32
    bad = list(args)
    bad[k] = bad[k].astype(other)
    with pytest.raises(TypeError, match=rf"\b{names[k]}\b.*dtype|dtype.*\b{names[k]}\b"):
        forward(*bad)
    h, cache = forward(*args)
    with pytest.raises(TypeError, match=r"^dh must have dtype"):
        backward(h.astype(other), cache)
    with pytest.raises(TypeError, match=r"^cache must be the"):
        backward(h, [("not", "a", "cache")])
    with pytest.raises(TypeError, match=r"^cache must be the"):
        backward(h, None)


STEP_FUNCTIONS = {"rnn": (rc.rnn_step_forward, rc.rnn_step_backward),
                  "lstm": (rc.lstm_step_forward, rc.lstm_step_backward),
                  "gru": (rc.gru_step_forward, rc.gru_step_backward)}


@pytest.mark.parametrize("name", list(STEP_FUNCTIONS))
@given(dtype=DTYPES, s=sizes)
def test_step_functions_keep_the_dtype_and_check_the_cache(name, dtype, s):
    forward, backward = STEP_FUNCTIONS[name]
    x, states, params = _cell_args(name, np.random.default_rng(s["seed"]), dtype, s["N"], 1, s["D"], s["H"])
    *outs, cache = forward(x[:, 0], *states, *params)
    outs = _arrays(outs)                                    # the LSTM returns ((h, c), cache)
    assert all(o.dtype == dtype for o in outs)
    grads = backward(*[np.ones_like(o) for o in outs], cache)
    assert all(g.dtype == dtype for g in grads)
    other = np.float64 if dtype == np.float32 else np.float32
    with pytest.raises(TypeError, match=r"must have dtype"):
        backward(*[np.ones(o.shape, other) for o in outs], cache)
    with pytest.raises(TypeError, match=r"^cache must be the"):
        backward(*[np.ones_like(o) for o in outs], ("x",))


LAYER_FUNCTIONS = {
    "output": (lambda rng, dt, N, D, H: (rng.standard_normal((N, D)).astype(dt), rng.standard_normal((H, D)).astype(dt),
                                          rng.standard_normal(H).astype(dt)), rc.output_forward, rc.output_backward),
    "dense": (lambda rng, dt, N, D, H: (rng.standard_normal((N, D)).astype(dt), rng.standard_normal((H, D)).astype(dt),
                                         rng.standard_normal(H).astype(dt)), rc.dense_forward, rc.dense_backward),
    "conv1d": (lambda rng, dt, N, D, H: (rng.standard_normal((N, 3, D)).astype(dt),
                                          rng.standard_normal((H, D, 2)).astype(dt), rng.standard_normal(H).astype(dt)),
               rc.conv1d_forward, rc.conv1d_backward),
}


@pytest.mark.parametrize("name", list(LAYER_FUNCTIONS))
@given(dtype=DTYPES, s=sizes, which=st.integers(0, 2))
def test_layer_functions_keep_the_dtype_and_refuse_mixed_ones(name, dtype, s, which):
    make, forward, backward = LAYER_FUNCTIONS[name]
    args = make(np.random.default_rng(s["seed"]), dtype, s["N"], s["D"], s["H"])
    y, cache = forward(*args)
    assert y.dtype == dtype
    grads = backward(np.ones_like(y), cache)
    assert all(g.dtype == dtype for g in grads)
    other = np.float64 if dtype == np.float32 else np.float32
    bad = list(args)
    bad[which] = bad[which].astype(other)
    names = list(inspect.signature(forward).parameters)
    with pytest.raises(TypeError, match=rf"\b{re.escape(names[which])}\b"):
        forward(*bad)
    with pytest.raises(TypeError, match=r"must have dtype"):
        backward(np.ones(y.shape, other), cache)
    with pytest.raises(TypeError, match=r"^cache must be the"):
        backward(np.ones_like(y), ("x",))


def test_hypothesis_profile_is_loaded():
    from hypothesis import settings
    assert settings().max_examples > 0 and settings().derandomize
