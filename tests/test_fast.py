"""rnncourse.cells.fast: the fused kernels agree with the step-by-step teaching versions (1e-10 in
float64), pass gradient checks, keep float32 end to end, saturate without warnings, leave
their inputs and caches untouched, and refuse what they cannot use."""
import warnings

import numpy as np
import pytest

from rnncourse.cells import fast
from rnncourse.core.gradcheck import check_function_gradients, rel_error
from rnncourse.cells.gru import GRU, gru_backward, gru_forward
from rnncourse.cells.lstm import LSTM, lstm_backward, lstm_forward
from rnncourse.cells.rnn import RNN, rnn_backward, rnn_forward

from conftest import GRAD_TOL

AGREE_TOL = 1e-10   # the bound between the fast and the teaching version, float64


def _rnn_case(rng, N, T, D, H, scale=0.5):
    w = dict(W_xh=(H, D), W_hh=(H, H), b_h=(H,))
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                **{k: scale * rng.standard_normal(s) for k, s in w.items()})


def _lstm_case(rng, N, T, D, H, scale=0.5):
    w = dict(W_xh=(4 * H, D), W_hh=(4 * H, H), b_h=(4 * H,))
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                c0=rng.standard_normal((N, H)),
                **{k: scale * rng.standard_normal(s) for k, s in w.items()})


def _gru_case(rng, N, T, D, H, scale=0.5):
    w = dict(W_xh=(3 * H, D), W_hh=(3 * H, H), b_xh=(3 * H,), b_hh=(3 * H,))
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                **{k: scale * rng.standard_normal(s) for k, s in w.items()})


# name -> (make inputs, teaching forward, teaching backward, fast forward, fast backward, extra final-state grads)
CELLS = {
    "rnn": (_rnn_case, rnn_forward, rnn_backward, fast.rnn_forward_fast, fast.rnn_backward_fast, ("dh_T",)),
    "lstm": (_lstm_case, lstm_forward, lstm_backward, fast.lstm_forward_fast, fast.lstm_backward_fast,
             ("dh_T", "dc_T")),
    "gru": (_gru_case, gru_forward, gru_backward, fast.gru_forward_fast, fast.gru_backward_fast, ("dh_T",)),
}
SHAPES = [(3, 7, 4, 5), (1, 1, 2, 3), (4, 30, 3, 8)]


def _run(forward, backward, inputs, dh, finals):
    h, cache = forward(**inputs)
    return h, backward(dh, cache, *finals)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "N%d-T%d-D%d-H%d" % s)
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_fast_agrees_with_teaching_version(cell, shape, rng):
    """Outputs and every gradient, with extra gradients on the final state: within 1e-10 in float64."""
    make, fwd, bwd, fwd_fast, bwd_fast, final_names = CELLS[cell]
    N, T, D, H = shape
    inputs = make(rng, N, T, D, H)
    dh = rng.standard_normal((N, T, H))
    finals = [rng.standard_normal((N, H)) for _ in final_names]
    h_ref, grads_ref = _run(fwd, bwd, inputs, dh, finals)
    h, grads = _run(fwd_fast, bwd_fast, inputs, dh, finals)
    assert h.shape == (N, T, H) and h.flags.c_contiguous
    assert rel_error(h, h_ref) < AGREE_TOL
    assert len(grads) == len(grads_ref)
    for k, (g, g_ref) in enumerate(zip(grads, grads_ref)):
        assert g.shape == g_ref.shape, f"gradient {k}"
        assert rel_error(g, g_ref) < AGREE_TOL, f"gradient {k}: {rel_error(g, g_ref):.2e}"


def test_relu_rnn_agrees(rng):
    """The relu branch of the Elman kernel (its derivative is the mask h > 0)."""
    inputs = _rnn_case(rng, 3, 9, 4, 6)
    dh = rng.standard_normal((3, 9, 6))
    h_ref, g_ref = _run(lambda **kw: rnn_forward(**kw, nonlinearity="relu"), rnn_backward, inputs, dh, [])
    h, g = _run(lambda **kw: fast.rnn_forward_fast(**kw, nonlinearity="relu"), fast.rnn_backward_fast,
                inputs, dh, [])
    assert (h_ref == 0).any(), "the case must exercise the flat part of relu"
    assert rel_error(h, h_ref) < AGREE_TOL
    for a, b in zip(g, g_ref):
        assert rel_error(a, b) < AGREE_TOL


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_fast_gradients_pass_the_gradient_check(cell, rng):
    """Hand-written BPTT of the fast kernels against central differences, every input, float64."""
    make, _, _, fwd_fast, bwd_fast, _ = CELLS[cell]
    inputs = make(rng, 2, 4, 3, 4)
    errors = check_function_gradients(fwd_fast, bwd_fast, inputs, rng=rng)   # gradients in input order
    assert set(errors) == set(inputs)
    assert max(errors.values()) < GRAD_TOL, errors


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_float32_end_to_end(cell, rng):
    """float32 in, float32 everywhere out; values close to the float64 teaching version."""
    make, fwd, bwd, fwd_fast, bwd_fast, _ = CELLS[cell]
    inputs = make(rng, 4, 20, 5, 6)
    dh = rng.standard_normal((4, 20, 6))
    h_ref, g_ref = _run(fwd, bwd, inputs, dh, [])
    inputs32 = {k: v.astype(np.float32) for k, v in inputs.items()}
    h, cache = fwd_fast(**inputs32)
    grads = bwd_fast(dh.astype(np.float32), cache)
    for name, value in cache._asdict().items():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32, f"cache.{name} is {value.dtype}"
    assert h.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)
    assert np.max(np.abs(h - h_ref)) < 1e-5
    for g, r in zip(grads, g_ref):
        assert np.max(np.abs(g - r)) < 1e-4 * max(1.0, np.max(np.abs(r)))


@pytest.mark.parametrize("cell", sorted(CELLS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturated_gates_are_exact_and_silent(cell, dtype, rng):
    """Pre-activations of +-1000: exp overflows to inf inside the kernel, which is the exact limit;
    no warning escapes, no NaN appears, and the result equals the teaching version."""
    make, fwd, _, fwd_fast, bwd_fast, _ = CELLS[cell]
    inputs = {k: v.astype(dtype) for k, v in make(rng, 3, 5, 4, 4, scale=300.0).items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, cache = fwd_fast(**inputs)
        grads = bwd_fast(np.ones_like(h), cache)
    assert np.isfinite(h).all() and all(np.isfinite(g).all() for g in grads)
    with np.errstate(all="ignore"):
        h_ref, _ = fwd(**inputs)
    # Pre-activations near 1e3 carry a summation-order rounding of ~1e3 * eps; an unsaturated
    # gate passes a quarter of it on, hence the float32 bound.
    np.testing.assert_allclose(h, h_ref, rtol=0, atol=1e-4 if dtype == np.float32 else 1e-12)
    saturated = np.abs(h_ref) > 1 - np.finfo(dtype).eps
    np.testing.assert_array_equal(h[saturated], h_ref[saturated])


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_inputs_and_cache_are_left_untouched(cell, rng):
    """Neither the arguments nor the cache change: a second backward gives the same gradients."""
    make, _, _, fwd_fast, bwd_fast, _ = CELLS[cell]
    inputs = make(rng, 2, 6, 3, 4)
    before = {k: v.copy() for k, v in inputs.items()}
    h, cache = fwd_fast(**inputs)
    dh = rng.standard_normal(h.shape)
    dh_before = dh.copy()
    first = bwd_fast(dh, cache)
    second = bwd_fast(dh, cache)
    for k in inputs:
        np.testing.assert_array_equal(inputs[k], before[k], err_msg=k)
    np.testing.assert_array_equal(dh, dh_before)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_errors_name_the_argument(cell, rng):
    make, fwd, _, fwd_fast, bwd_fast, _ = CELLS[cell]
    inputs = make(rng, 2, 3, 3, 4)
    _, teaching_cache = fwd(**inputs)
    with pytest.raises(TypeError, match=f"cache must be the cache returned by {cell}_forward_fast"):
        bwd_fast(np.zeros((2, 3, 4)), teaching_cache)
    h, cache = fwd_fast(**inputs)
    with pytest.raises(ValueError, match="dh"):
        bwd_fast(np.zeros((2, 4, 4)), cache)
    with pytest.raises(ValueError, match="x"):
        fwd_fast(**{**inputs, "x": np.zeros((2, 0, 3))})
    with pytest.raises(ValueError, match="h0"):
        fwd_fast(**{**inputs, "h0": np.zeros((3, 4))})
    with pytest.raises((TypeError, ValueError), match="dtype|float"):
        fwd_fast(**{**inputs, "x": inputs["x"].astype(np.float32)})


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_layers_use_the_fast_path_and_can_switch(cls, rng):
    """fast=True by default; fast=False gives the teaching path; both agree, gates included."""
    layers = [cls(3, 5, rng=np.random.default_rng(7), fast=flag) for flag in (True, False)]
    assert layers[0].fast is True and cls(3, 5, rng=rng).fast is True
    x = rng.standard_normal((4, 6, 3))
    outs = [layer.forward(x) for layer in layers]
    assert type(layers[0]._cache).__name__.endswith("FastCache")
    assert isinstance(layers[1]._cache, list)
    assert rel_error(outs[0][0], outs[1][0]) < AGREE_TOL
    if cls is not RNN:
        gates = [layer.gates for layer in layers]
        assert gates[0].keys() == gates[1].keys()
        for k in gates[0]:
            assert gates[0][k].shape == (4, 6, 5)
            assert rel_error(gates[0][k], gates[1][k]) < AGREE_TOL
    dx = [layer.backward(np.ones((4, 6, 5))) for layer in layers]
    assert rel_error(dx[0], dx[1]) < AGREE_TOL
    for k in layers[0].grads:
        assert rel_error(layers[0].grads[k], layers[1].grads[k]) < AGREE_TOL, k
    # switching between forward and backward: backward follows the cache it was given
    layers[0].forward(x)
    layers[0].fast = False
    layers[0].zero_grad()
    np.testing.assert_allclose(layers[0].backward(np.ones((4, 6, 5))), dx[0], rtol=1e-12)


def test_fast_flag_is_checked(rng):
    with pytest.raises(TypeError, match="fast must be True or False"):
        LSTM(2, 3, rng=rng, fast="yes")
