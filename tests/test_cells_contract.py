"""What every recurrent cell must do, whatever its equations: the contract of a layer.

Each test runs for every cell of ``support.cells.CELLS`` (Elman RNN with tanh and with
relu, LSTM, GRU), and most for both paths, the fused kernels (``fast=True``) and the
step-by-step teaching functions (``fast=False``): dtypes kept end to end and mixed
ones refused, determinism, gradients that accumulate until ``zero_grad``, the two paths
agreeing, the gates, gradient checks, chunks that continue one another, error messages.
A new cell gets all of it by being added to ``CELLS``; its own module (``test_rnn.py``,
...) holds only what is specific to its equations and layout.
"""
import re

import numpy as np
import pytest

from rnncourse.cells.base import GatedLayer
from rnncourse.core.gradcheck import check_module_gradients, rel_error

from conftest import GRAD_TOL
from support.cells import CELLS, pack

N, T, D, H = 2, 4, 3, 4
AGREE_TOL = 1e-10        # the bound between the fast and the teaching path, float64
SHAPES = [(3, 7, 4, 5), (1, 1, 2, 3), (4, 30, 3, 8)]      # (N, T, D, H), with N = 1 and T = 1

each_cell = pytest.mark.parametrize("cell", CELLS, ids=str)
each_path = pytest.mark.parametrize("fast", [True, False], ids=["fast", "teaching"])
each_dtype = pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])


def make_case(layer, rng, N=N, T=T):
    """x, an initial state, upstream gradients on the outputs and on the final state; the layer's dtype."""
    dtype, D, H, n = layer.dtype, layer.input_size, layer.hidden_size, len(layer.state_names)
    x = rng.standard_normal((N, T, D)).astype(dtype)
    state = pack(layer, [rng.standard_normal((N, H)).astype(dtype) for _ in range(n)])
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    d_final = pack(layer, [rng.standard_normal((N, H)).astype(dtype) for _ in range(n)])
    return x, state, dh, d_final


def as_list(state):
    return [state] if isinstance(state, np.ndarray) else list(state)


def cast(value, dtype):
    """An array, or a tuple of arrays, in ``dtype``."""
    return value.astype(dtype) if isinstance(value, np.ndarray) else tuple(cast(v, dtype) for v in value)


def run(layer, x, state=None, dh=None, d_final=None):
    """forward then backward from zeroed gradients: every array the layer returns or keeps, by name."""
    layer.zero_grad()
    out, final = layer.forward(x, state)
    result = {"out": out, **{f"final.{k}": a for k, a in enumerate(as_list(final))}}
    if isinstance(layer, GatedLayer):
        result.update({f"gate.{k}": g for k, g in layer.gates.items()})
    dx = layer.backward(np.ones_like(out) if dh is None else dh, d_final)
    result.update({"dx": dx, **{f"d_state.{k}": a for k, a in enumerate(as_list(layer.d_state))}})
    result.update({f"grad.{k}": g.copy() for k, g in layer.grads.items()})
    return result


def cache_arrays(cache):
    """Every array in a layer's cache (a fast-path named tuple, or a list of step caches)."""
    if isinstance(cache, np.ndarray):
        yield cache
    elif isinstance(cache, (list, tuple)):
        for c in cache:
            yield from cache_arrays(c)


def state_arg(layer, k):
    """How the error messages name entry ``k`` of ``state``."""
    return "state" if len(layer.state_names) == 1 else f"state[{k}] ({layer.state_names[k]}0)"


def d_final_arg(layer, k):
    """How the error messages name entry ``k`` of ``d_final_state``."""
    s = layer.state_names[k]
    return f"d_final_state (d{s}_T)" if len(layer.state_names) == 1 else f"d_final_state[{k}] (d{s}_T)"


def replaced(layer, arrays, k, value):
    """``arrays`` packed as a state of ``layer``, with entry ``k`` replaced by ``value``."""
    arrays = list(arrays)
    arrays[k] = value
    return pack(layer, arrays)


# ---------------------------------------------------------------------------
# dtypes
# ---------------------------------------------------------------------------
@each_dtype
@each_path
@each_cell
def test_dtype_is_kept_end_to_end(cell, fast, dtype, rng):
    """Parameters, outputs, final states, the cache, dx, d_state and grads all keep the layer's dtype;
    float32 agrees with float64 to 1e-5."""
    layer = cell.make(D, H, rng=np.random.default_rng(7), dtype=dtype, fast=fast)
    case = make_case(layer, rng)
    got = run(layer, *case)
    assert all(p.dtype == dtype for p in layer.params.values())
    for name, a in got.items():
        assert a.dtype == dtype, f"{name} is {a.dtype}"
    arrays = list(cache_arrays(layer._cache))
    assert arrays and all(a.dtype == dtype for a in arrays), {a.dtype for a in arrays}
    if dtype == np.float32:
        l64 = cell.make(D, H, rng=np.random.default_rng(7), fast=fast)
        ref = run(l64, *(cast(a, np.float64) for a in case))
        assert got.keys() == ref.keys()
        for name in ref:
            np.testing.assert_allclose(got[name], ref[name], atol=1e-5, err_msg=name)


@each_dtype
@each_cell
def test_mixed_dtypes_are_refused_naming_the_argument(cell, dtype, rng):
    """Nothing is cast silently: x, a state entry, dh or a d_final_state entry of the other dtype raises."""
    other = np.float64 if dtype == np.float32 else np.float32
    layer = cell.make(D, H, rng=rng, dtype=dtype)
    x, state, dh, d_final = make_case(layer, rng)
    expected = f"must have dtype {np.dtype(dtype)} to match the layer's parameters, got {np.dtype(other)}"
    with pytest.raises(TypeError, match=re.escape("x " + expected)):
        layer.forward(x.astype(other))
    for k, s in enumerate(as_list(state)):
        with pytest.raises(TypeError, match=re.escape(f"{state_arg(layer, k)} {expected}")):
            layer.forward(x, replaced(layer, as_list(state), k, s.astype(other)))
    layer.forward(x, state)
    with pytest.raises(TypeError, match=re.escape("dh " + expected)):
        layer.backward(dh.astype(other))
    for k, d in enumerate(as_list(d_final)):
        with pytest.raises(TypeError, match=re.escape(f"{d_final_arg(layer, k)} {expected}")):
            layer.backward(dh, replaced(layer, as_list(d_final), k, d.astype(other)))


# ---------------------------------------------------------------------------
# determinism, accumulation
# ---------------------------------------------------------------------------
@each_cell
def test_same_seed_same_parameters_and_outputs(cell):
    """rng is the only source of randomness; PyTorch's initialisation, uniform in +-1/sqrt(H)."""
    a, b, c = (cell.make(3, 8, rng=np.random.default_rng(seed)) for seed in (0, 0, 1))
    assert list(a.params) == list(a.param_names)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
        assert np.abs(a.params[k]).max() <= 1 / np.sqrt(8)
    assert not np.array_equal(a.params["W_hh"], c.params["W_hh"])
    x = np.random.default_rng(2).standard_normal((2, 5, 3))
    for got, want in zip(run(a, x).values(), run(b, x).values()):
        np.testing.assert_array_equal(got, want)


@each_path
@each_cell
def test_grads_accumulate_until_zero_grad(cell, fast, rng):
    layer = cell.make(D, H, rng=rng, fast=fast)
    x, state, dh, d_final = make_case(layer, rng)
    layer.forward(x, state)
    layer.backward(dh, d_final)
    once = {k: v.copy() for k, v in layer.grads.items()}
    assert all(g.any() for g in once.values())
    layer.forward(x, state)
    layer.backward(dh, d_final)
    for k in once:
        np.testing.assert_allclose(layer.grads[k], 2 * once[k], rtol=1e-14, err_msg=k)
    layer.zero_grad()
    assert all(not g.any() for g in layer.grads.values())


# ---------------------------------------------------------------------------
# the fast and the teaching path
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "N%d-T%d-D%d-H%d" % s)
@each_cell
def test_fast_and_teaching_paths_agree(cell, shape, rng):
    """Outputs, final states, gates, dx, d_state and every gradient, with gradients on the final
    state too: within 1e-10 in float64."""
    N, T, D, H = shape
    fast, teaching = (cell.make(D, H, rng=np.random.default_rng(7), fast=flag) for flag in (True, False))
    case = make_case(fast, rng, N, T)
    got, ref = run(fast, *case), run(teaching, *case)
    assert got.keys() == ref.keys()
    assert got["out"].shape == (N, T, H) and got["out"].flags.c_contiguous and ref["out"].flags.c_contiguous
    if cell.kink and ref["out"].size >= 100:
        assert (ref["out"] == 0).any(), "the case must reach the flat part of the activation"
    for name in ref:
        assert got[name].shape == ref[name].shape, name
        assert rel_error(got[name], ref[name]) < AGREE_TOL, f"{name}: {rel_error(got[name], ref[name]):.2e}"


@each_cell
def test_fast_is_the_default_and_backward_follows_its_cache(cell, rng):
    """fast=True unless asked; the flag may change between forward and backward: backward uses
    the functions that made the cache."""
    assert cell.make(D, H, rng=rng).fast is True
    layers = [cell.make(D, H, rng=np.random.default_rng(7), fast=flag) for flag in (True, False)]
    x = rng.standard_normal((N, T, D))
    for layer in layers:
        layer.forward(x)
    assert type(layers[0]._cache).__name__.endswith("FastCache")
    assert isinstance(layers[1]._cache, list)
    dx = [run(layer, x)["dx"] for layer in layers]
    for layer, want in zip(layers, dx):
        layer.forward(x)
        layer.fast = not layer.fast
        layer.zero_grad()
        np.testing.assert_array_equal(layer.backward(np.ones((N, T, H))), want)


@each_path
@each_cell
def test_gates_are_the_last_forwards_activations(cell, fast, rng):
    """A gated cell's ``gates``: the gates the cell declares, in block order, each (N, T, H) and inside
    its activation's open range; an error before any forward. A cell without gates has no ``gates``."""
    layer = cell.make(D, H, rng=rng, fast=fast)
    assert isinstance(layer, GatedLayer) == bool(cell.gates)
    if not cell.gates:
        return
    with pytest.raises(RuntimeError, match=f"{type(layer).__name__}.gates is available after forward"):
        layer.gates
    layer.forward(3 * rng.standard_normal((N, T, D)))
    gates = layer.gates
    assert list(gates) == list(cell.gates)
    for name, g in gates.items():
        low, high = cell.gates[name]
        assert g.shape == (N, T, H) and np.all((g > low) & (g < high)), name


# ---------------------------------------------------------------------------
# gradients
# ---------------------------------------------------------------------------
@each_path
@each_cell
def test_layer_gradients_with_and_without_initial_state(cell, fast, rng):
    """x, every parameter and (second call) every entry of the initial state, with random upstream
    gradients on the outputs and on the final state; float64, relative error < GRAD_TOL."""
    layer = cell.make(D, H, rng=rng, fast=fast)
    x, state, _, _ = make_case(layer, rng)
    errors = check_module_gradients(layer, x, rng=rng, order=cell.order)
    assert set(errors) == {"x", *layer.param_names}
    assert max(errors.values()) < GRAD_TOL, errors
    errors = check_module_gradients(layer, x, state, rng=rng, order=cell.order)
    n = len(layer.state_names)
    states = {"state"} if n == 1 else {f"state.{k}" for k in range(n)}
    assert set(errors) == {"x", *states, *layer.param_names}
    assert max(errors.values()) < GRAD_TOL, errors


@each_path
@each_cell
def test_carrying_the_final_state_equals_one_long_run(cell, fast, rng):
    """Two chunks, the final state of the first starting the second, are one run over the whole
    sequence; backward, d_state of the second chunk fed to the first as d_final_state gives the
    long run's dx, d_state and (summed) gradients."""
    first, second, whole = (cell.make(D, H, rng=np.random.default_rng(7), fast=fast) for _ in range(3))
    x, state, dh, d_final = make_case(whole, rng, T=7)
    k = 3
    out1, final1 = first.forward(x[:, :k], state)
    out2, final2 = second.forward(x[:, k:], final1)
    out, final = whole.forward(x, state)
    close = dict(rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(np.concatenate([out1, out2], axis=1), out, **close)
    for a, b in zip(as_list(final2), as_list(final)):
        np.testing.assert_allclose(a, b, **close)
    dx2 = second.backward(dh[:, k:], d_final)
    dx1 = first.backward(dh[:, :k], second.d_state)
    dx = whole.backward(dh, d_final)
    np.testing.assert_allclose(np.concatenate([dx1, dx2], axis=1), dx, **close)
    for a, b in zip(as_list(first.d_state), as_list(whole.d_state)):
        np.testing.assert_allclose(a, b, **close)
    for name in whole.grads:
        np.testing.assert_allclose(first.grads[name] + second.grads[name], whole.grads[name], **close,
                                   err_msg=name)


@each_cell
def test_none_in_d_final_state_means_zero(cell, rng):
    """d_final_state=None, or None for one entry of it, is a zero gradient there; the entries do matter."""
    layer = cell.make(D, H, rng=rng)
    x, _, dh, d_final = make_case(layer, rng)
    entries = as_list(d_final)
    zero = np.zeros((N, H))
    cases = [(None, pack(layer, [zero] * len(entries)))]
    if len(entries) > 1:
        cases += [(replaced(layer, entries, k, None), replaced(layer, entries, k, zero))
                  for k in range(len(entries))]
    for with_none, with_zeros in cases:
        for name, a in run(layer, x, None, dh, with_none).items():
            np.testing.assert_array_equal(a, run(layer, x, None, dh, with_zeros)[name], err_msg=name)
    for k in range(len(entries)):
        assert not np.allclose(run(layer, x, None, dh, replaced(layer, entries, k, zero))["dx"],
                               run(layer, x, None, dh, d_final)["dx"])


# ---------------------------------------------------------------------------
# error messages
# ---------------------------------------------------------------------------
@each_cell
def test_error_messages_name_the_argument(cell):
    """Bad x, state, upstream gradients, and backward before forward: the message names the argument."""
    layer = cell.make(2, 3, rng=np.random.default_rng(0))
    name, n = type(layer).__name__, len(layer.state_names)
    with pytest.raises(RuntimeError, match=f"{name}.backward was called before forward; run forward"):
        layer.backward(np.zeros((1, 1, 3)))
    x = np.zeros((2, 4, 2))
    with pytest.raises(ValueError, match=r"x must have shape \(\?, \?, 2\), got \(2, 4, 3\)"):
        layer.forward(np.zeros((2, 4, 3)))
    with pytest.raises(ValueError, match=r"x must be a 3-D array \(\?, \?, 2\), got 2-D with shape \(4, 2\)"):
        layer.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="x must hold at least one time step"):
        layer.forward(np.zeros((2, 0, 2)))
    with pytest.raises(TypeError, match=r"x must hold floating-point numbers .* got dtype int64"):
        layer.forward(x.astype(np.int64))
    bad = x.copy()
    bad[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match="x contains 1 NaN or infinite value"):
        layer.forward(bad)
    states = [np.zeros((2, 3))] * n
    with pytest.raises((TypeError, ValueError), match=r"^state must"):      # one entry too many
        layer.forward(x, tuple(states) + (np.zeros((2, 3)),))
    if n > 1:                                                               # one array for several
        names = ", ".join(f"{s}0" for s in layer.state_names)
        message = re.escape(f"state must be None or a tuple ({names})") + ".* got a ndarray"
        with pytest.raises(TypeError, match=message):
            layer.forward(x, states[0])
    for k in range(n):
        message = f"{state_arg(layer, k)} must have shape (2, 3), got (3,)"
        with pytest.raises(ValueError, match=re.escape(message)):
            layer.forward(x, replaced(layer, states, k, np.zeros(3)))
    layer.forward(x)
    with pytest.raises(ValueError, match=r"dh must have shape \(2, 4, 3\), got \(2, 3\)"):
        layer.backward(np.zeros((2, 3)))
    with pytest.raises((TypeError, ValueError), match=r"^d_final_state"):
        layer.backward(np.zeros((2, 4, 3)), tuple(states) + (np.zeros((2, 3)),))
    if n > 1:
        names = ", ".join(f"d{s}_T" for s in layer.state_names)
        with pytest.raises(TypeError, match=re.escape(f"d_final_state must be None or a tuple ({names})")):
            layer.backward(np.zeros((2, 4, 3)), states[0])
    for k in range(n):
        message = f"{d_final_arg(layer, k)} must have shape (2, 3), got (3,)"
        with pytest.raises(ValueError, match=re.escape(message)):
            layer.backward(np.zeros((2, 4, 3)), replaced(layer, states, k, np.zeros(3)))


@each_cell
def test_constructor_arguments_are_checked(cell):
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="hidden_size must be a positive int, got 0"):
        cell.make(2, 0, rng=rng)
    with pytest.raises(TypeError, match="input_size must be a positive int, got 2.5"):
        cell.make(2.5, 3, rng=rng)
    for bad in (42, None):
        with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
            cell.make(2, 3, rng=bad)
    with pytest.raises(TypeError, match="dtype must be numpy.float64 or numpy.float32, got float16"):
        cell.make(2, 3, rng=rng, dtype=np.float16)
    with pytest.raises(TypeError, match="fast must be True or False"):
        cell.make(2, 3, rng=rng, fast="yes")
