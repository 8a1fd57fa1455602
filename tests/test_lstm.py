"""LSTM, its own equations: gradient checks of the step and sequence functions (float64, relative
error < 1e-7), PyTorch's equations, gate order and layout, the additive cell path, forget_bias,
the gates, the functions' error messages.

What every cell's layer must do (dtypes, determinism, gradient accumulation, the fast path,
gradient checks of the layer, chunks, the gates dict, d_final_state entries that are None,
error messages) is in test_cells_contract.py."""
import numpy as np
import pytest

from rnncourse.core.gradcheck import check_function_gradients, check_module_gradients
from rnncourse.cells.lstm import (LSTM, lstm_backward, lstm_forward, lstm_step_backward,
                            lstm_step_forward)

from conftest import GRAD_TOL

N, T, D, H = 2, 4, 3, 4


def _weights(rng, scale=0.5):
    return dict(W_xh=scale * rng.standard_normal((4 * H, D)),
                W_hh=scale * rng.standard_normal((4 * H, H)),
                b_h=scale * rng.standard_normal(4 * H))


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ---------------------------------------------------------------------------
# gradient checks
# ---------------------------------------------------------------------------
def test_step_gradients(rng):
    """Every input of one step: x, h_prev, c_prev and the three parameters, upstream on both h and c."""
    def forward(**kw):                     # both outputs stacked: (2, N, H)
        (h, c), cache = lstm_step_forward(**kw)
        return np.stack([h, c]), cache

    def backward(dout, cache):
        return lstm_step_backward(dout[0], dout[1], cache)

    inputs = dict(x=rng.standard_normal((N, D)), h_prev=rng.standard_normal((N, H)),
                  c_prev=rng.standard_normal((N, H)), **_weights(rng))
    errors = check_function_gradients(forward, backward, inputs, rng=rng)
    assert set(errors) == {"x", "h_prev", "c_prev", "W_xh", "W_hh", "b_h"}
    assert max(errors.values()) < GRAD_TOL, errors


def test_sequence_gradients_including_final_state(rng):
    """lstm_backward with dh on every step plus dh_T and dc_T on the final state, non-zero h0 and c0."""
    def forward(**kw):                     # (N, T + 2, H): every h, then h_T again, then c_T
        h, cache = lstm_forward(**kw)
        return np.concatenate([h, h[:, -1:], cache[-1].c[:, None]], axis=1), cache

    def backward(dout, cache):
        return lstm_backward(dout[:, :T], cache, dh_T=dout[:, T], dc_T=dout[:, T + 1])

    inputs = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                  c0=rng.standard_normal((N, H)), **_weights(rng))
    errors = check_function_gradients(forward, backward, inputs, rng=rng)
    assert set(errors) == {"x", "h0", "c0", "W_xh", "W_hh", "b_h"}
    assert max(errors.values()) < GRAD_TOL, errors


def test_layer_gradients_with_forget_bias(rng):
    """forget_bias = 1 only moves the starting point (f near 0.73): x, the initial (h0, c0) and
    every parameter still check (forget_bias = 0 is the contract's case)."""
    layer = LSTM(D, H, rng=rng, forget_bias=1.0)
    state = (rng.standard_normal((N, H)), rng.standard_normal((N, H)))
    errors = check_module_gradients(layer, rng.standard_normal((N, T, D)), state, rng=rng)
    assert set(errors) == {"x", "state.0", "state.1", "W_xh", "W_hh", "b_h"}
    assert max(errors.values()) < GRAD_TOL, errors


# ---------------------------------------------------------------------------
# the equations, in PyTorch's gate order
# ---------------------------------------------------------------------------
def test_sequence_is_the_step_applied_T_times(rng):
    w = _weights(rng)
    x, h0, c0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    h, cache = lstm_forward(x, h0, c0, **w)
    h_prev, c_prev = h0, c0
    for t in range(T):
        (h_prev, c_prev), _ = lstm_step_forward(x[:, t], h_prev, c_prev, **w)
        np.testing.assert_array_equal(h[:, t], h_prev)
    np.testing.assert_array_equal(cache[-1].c, c_prev)


def test_layer_matches_a_plain_loop_in_pytorch_gate_order(rng):
    """One example at a time, matrix-vector products, row blocks i, f, g, o of W_xh/W_hh/b_h.

    A layer that reads the blocks in another order (i, f, o, g, say) fails here.
    """
    layer = LSTM(D, H, rng=rng, forget_bias=0.5)
    x = rng.standard_normal((N, T, D))
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    out, (h_T, c_T) = layer.forward(x, (h0, c0))
    gates = layer.gates
    p = layer.params
    blk = {name: slice(k * H, (k + 1) * H) for k, name in enumerate("ifgo")}
    for n in range(N):
        h, c = h0[n], c0[n]
        for t in range(T):
            pre = {k: p["W_xh"][s] @ x[n, t] + p["W_hh"][s] @ h + p["b_h"][s] for k, s in blk.items()}
            i, f, g, o = _sigmoid(pre["i"]), _sigmoid(pre["f"]), np.tanh(pre["g"]), _sigmoid(pre["o"])
            c = f * c + i * g
            h = o * np.tanh(c)
            np.testing.assert_allclose(out[n, t], h, rtol=1e-12, atol=1e-14)
            for name, value in zip(["input", "forget", "cell", "output"], [i, f, g, o]):
                np.testing.assert_allclose(gates[name][n, t], value, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(c_T[n], c, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(h_T, out[:, -1])


def test_forget_gate_carries_the_cell_unchanged():
    """Input gate closed (b_i = -40), forget gate open (b_f = +40): c_t = c_{t-1} for T steps,
    and backward the cell gradient passes unchanged too (dc_{t-1} = dc_t * f_t with f_t = 1)."""
    rng = np.random.default_rng(5)
    steps = 20
    w = _weights(rng)
    w["b_h"][:H] = -40.0          # i ~ 4e-18
    w["b_h"][H:2 * H] = 40.0      # f = 1 in float64
    x = rng.standard_normal((N, steps, D))
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    h, cache = lstm_forward(x, h0, c0, **w)
    for t in range(steps):
        np.testing.assert_allclose(cache[t].c, c0, rtol=0, atol=1e-14)
        np.testing.assert_allclose(h[:, t], cache[t].o * np.tanh(c0), rtol=1e-14)
    dc_T = rng.standard_normal((N, H))
    _, _, dc0, *_ = lstm_backward(np.zeros((N, steps, H)), cache, dc_T=dc_T)
    np.testing.assert_allclose(dc0, dc_T, rtol=1e-14)
    # control: with the forget gate closed the cell forgets c0 at the first step
    w["b_h"][H:2 * H] = -40.0
    _, cache = lstm_forward(x, h0, c0, **w)
    assert np.abs(cache[0].c - c0).min() > 1e-3


def test_forget_bias_shifts_only_the_forget_block():
    base = LSTM(D, H, rng=np.random.default_rng(3))
    shifted = LSTM(D, H, rng=np.random.default_rng(3), forget_bias=1.0)
    expected = np.zeros(4 * H)
    expected[H:2 * H] = 1.0
    np.testing.assert_allclose(shifted.params["b_h"] - base.params["b_h"], expected, atol=1e-15)
    np.testing.assert_array_equal(shifted.params["W_hh"], base.params["W_hh"])


def test_parameter_count_and_shapes():
    layer = LSTM(5, 7, rng=np.random.default_rng(0))
    assert layer.num_parameters() == 4 * (7 * 5 + 7 * 7 + 7)
    assert {k: v.shape for k, v in layer.params.items()} == {"W_xh": (28, 5), "W_hh": (28, 7),
                                                            "b_h": (28,)}


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
@pytest.fixture
def w3():
    """Weights for H = 3, D = 2."""
    rng = np.random.default_rng(0)
    return dict(W_xh=rng.standard_normal((12, 2)), W_hh=rng.standard_normal((12, 3)), b_h=np.zeros(12))


def test_error_messages_of_the_functions(w3):
    x, s = np.zeros((4, 5, 2)), np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"W_xh must have 4\*H rows .*got shape \(6, 2\)"):
        lstm_forward(x, s, s, np.zeros((6, 2)), w3["W_hh"], w3["b_h"])
    with pytest.raises(ValueError, match=r"W_hh must have shape \(12, 3\), got \(12, 4\)"):
        lstm_forward(x, s, s, w3["W_xh"], np.zeros((12, 4)), w3["b_h"])
    with pytest.raises(ValueError, match=r"b_h must have shape \(12,\), got \(3,\)"):
        lstm_forward(x, s, s, w3["W_xh"], w3["W_hh"], np.zeros(3))
    with pytest.raises(ValueError, match=r"x must have shape \(\?, \?, 2\), got \(4, 5, 3\)"):
        lstm_forward(np.zeros((4, 5, 3)), s, s, **w3)
    with pytest.raises(ValueError, match=r"c0 must have shape \(4, 3\), got \(1, 3\)"):
        lstm_forward(x, s, np.zeros((1, 3)), **w3)
    with pytest.raises(ValueError, match="x must hold at least one time step"):
        lstm_forward(np.zeros((4, 0, 2)), s, s, **w3)
    with pytest.raises(TypeError, match="c0 has dtype float32 but x has dtype float64"):
        lstm_forward(x, s, s.astype(np.float32), **w3)
    with pytest.raises(TypeError, match=r"x must hold floating-point numbers .* got dtype int64"):
        lstm_forward(x.astype(np.int64), s, s, **w3)
    bad = s.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="c_prev contains 1 NaN or infinite value"):
        lstm_step_forward(x[:, 0], s, bad, **w3)
    (_, _), cache = lstm_step_forward(x[:, 0], s, s, **w3)
    with pytest.raises(ValueError, match=r"dc must have shape \(4, 3\), got \(4, 2\)"):
        lstm_step_backward(s, np.zeros((4, 2)), cache)
    _, cache = lstm_forward(x, s, s, **w3)
    with pytest.raises(ValueError, match=r"dc_T must have shape \(4, 3\), got \(3,\)"):
        lstm_backward(np.zeros((4, 5, 3)), cache, dc_T=np.zeros(3))
    with pytest.raises(TypeError, match="cache must be the list returned by lstm_forward"):
        lstm_backward(np.zeros((4, 5, 3)), cache[0])


def test_forget_bias_is_checked():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="forget_bias must be a finite number, got nan"):
        LSTM(2, 3, rng=rng, forget_bias=float("nan"))
    with pytest.raises(TypeError, match="forget_bias must be a number, got '1'"):
        LSTM(2, 3, rng=rng, forget_bias="1")
