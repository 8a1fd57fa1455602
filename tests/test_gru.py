"""GRU, its own equations: gradient checks of the step and sequence functions (float64, relative
error < 1e-7), PyTorch's equations, gate order and layout, the separate recurrent bias b_hn,
the gates, the functions' error messages.

What every cell's layer must do (dtypes, determinism, gradient accumulation, the fast path,
gradient checks of the layer, chunks, the gates dict, error messages) is in test_cells_contract.py."""
import numpy as np
import pytest

from rnncourse.core.gradcheck import check_function_gradients
from rnncourse.cells.gru import GRU, gru_backward, gru_forward, gru_step_backward, gru_step_forward

from conftest import GRAD_TOL

N, T, D, H = 2, 4, 3, 4
R, Z, NEW = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)   # row blocks r, z, n


def _weights(rng, scale=0.5):
    return dict(W_xh=scale * rng.standard_normal((3 * H, D)),
                W_hh=scale * rng.standard_normal((3 * H, H)),
                b_xh=scale * rng.standard_normal(3 * H),
                b_hh=scale * rng.standard_normal(3 * H))


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ---------------------------------------------------------------------------
# gradient checks
# ---------------------------------------------------------------------------
def test_step_gradients(rng):
    """Every input of one step: x, h_prev, W_xh, W_hh and both biases."""
    inputs = dict(x=rng.standard_normal((N, D)), h_prev=rng.standard_normal((N, H)), **_weights(rng))
    errors = check_function_gradients(gru_step_forward, gru_step_backward, inputs, rng=rng)
    assert set(errors) == {"x", "h_prev", "W_xh", "W_hh", "b_xh", "b_hh"}
    assert max(errors.values()) < GRAD_TOL, errors


def test_sequence_gradients_including_final_state(rng):
    """gru_backward with dh on every step plus dh_T on the final state, non-zero h0."""
    def forward(**kw):                     # (N, T + 1, H): every h, then h_T again
        h, cache = gru_forward(**kw)
        return np.concatenate([h, h[:, -1:]], axis=1), cache

    def backward(dout, cache):
        return gru_backward(dout[:, :T], cache, dh_T=dout[:, T])

    inputs = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)), **_weights(rng))
    errors = check_function_gradients(forward, backward, inputs, rng=rng)
    assert set(errors) == {"x", "h0", "W_xh", "W_hh", "b_xh", "b_hh"}
    assert max(errors.values()) < GRAD_TOL, errors


# ---------------------------------------------------------------------------
# the equations, in PyTorch's gate order
# ---------------------------------------------------------------------------
def test_sequence_is_the_step_applied_T_times(rng):
    w = _weights(rng)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    h, _ = gru_forward(x, h0, **w)
    h_prev = h0
    for t in range(T):
        h_prev, _ = gru_step_forward(x[:, t], h_prev, **w)
        np.testing.assert_array_equal(h[:, t], h_prev)


def test_layer_matches_a_plain_loop_in_pytorch_gate_order(rng):
    """One example at a time, matrix-vector products, row blocks r, z, n; b_hn inside r * (...).

    A layer that reads the blocks in another order, or puts b_hn outside the reset gate, fails here.
    """
    layer = GRU(D, H, rng=rng)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    out, h_T = layer.forward(x, h0)
    gates = layer.gates
    W_x, W_h, b_x, b_h = (layer.params[k] for k in ["W_xh", "W_hh", "b_xh", "b_hh"])
    for n in range(N):
        h = h0[n]
        for t in range(T):
            xt = x[n, t]
            r = _sigmoid(W_x[R] @ xt + b_x[R] + W_h[R] @ h + b_h[R])
            z = _sigmoid(W_x[Z] @ xt + b_x[Z] + W_h[Z] @ h + b_h[Z])
            cand = np.tanh(W_x[NEW] @ xt + b_x[NEW] + r * (W_h[NEW] @ h + b_h[NEW]))
            h = (1 - z) * cand + z * h
            np.testing.assert_allclose(out[n, t], h, rtol=1e-12, atol=1e-14)
            for name, value in zip(["reset", "update", "new"], [r, z, cand]):
                np.testing.assert_allclose(gates[name][n, t], value, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(h_T, out[:, -1])


def test_b_hn_acts_only_through_the_reset_gate(rng):
    """With r forced to ~0 (reset bias -40), the recurrent candidate bias b_hn has no effect on h,
    while the input candidate bias b_in does; with r forced to ~1 the two biases act alike."""
    w = _weights(rng)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))

    def h_after(shift_b_in=0.0, shift_b_hn=0.0):
        ww = {k: v.copy() for k, v in w.items()}
        ww["b_xh"][NEW] += shift_b_in
        ww["b_hh"][NEW] += shift_b_hn
        return gru_forward(x, h0, **ww)[0]

    w["b_xh"][R] = -40.0                                     # r ~ 4e-18
    base = h_after()
    np.testing.assert_allclose(h_after(shift_b_hn=1.0), base, rtol=0, atol=1e-14)
    assert np.abs(h_after(shift_b_in=1.0) - base).max() > 1e-2
    _, cache = gru_forward(x, h0, **w)
    *_, db_xh, db_hh = gru_backward(rng.standard_normal((N, T, H)), cache)
    assert np.abs(db_hh[NEW]).max() < 1e-14 and np.abs(db_xh[NEW]).max() > 1e-2

    w["b_xh"][R] = 40.0                                      # r = 1: b_hn adds like b_in
    np.testing.assert_allclose(h_after(shift_b_hn=1.0), h_after(shift_b_in=1.0), rtol=1e-13)


def test_update_gate_near_one_keeps_the_state():
    """z = 1 (update bias +40): h_t = h_{t-1}, and backward dh_{t-1} = dh_t * z_t passes unchanged."""
    rng = np.random.default_rng(5)
    steps = 20
    w = _weights(rng)
    w["b_xh"][Z] = 40.0
    x, h0 = rng.standard_normal((N, steps, D)), rng.standard_normal((N, H))
    h, cache = gru_forward(x, h0, **w)
    np.testing.assert_allclose(h, np.broadcast_to(h0[:, None], h.shape), rtol=0, atol=1e-14)
    dh_T = rng.standard_normal((N, H))
    _, dh0, *_ = gru_backward(np.zeros((N, steps, H)), cache, dh_T=dh_T)
    np.testing.assert_allclose(dh0, dh_T, rtol=1e-13)
    w["b_xh"][Z] = -40.0                                     # control: z = 0 replaces the state
    h, _ = gru_forward(x, h0, **w)
    assert np.abs(h[:, 0] - h0).min() > 1e-3


def test_parameter_count_and_shapes():
    layer = GRU(5, 7, rng=np.random.default_rng(0))
    assert layer.num_parameters() == 3 * (7 * 5 + 7 * 7) + 6 * 7
    assert {k: v.shape for k, v in layer.params.items()} == {"W_xh": (21, 5), "W_hh": (21, 7),
                                                            "b_xh": (21,), "b_hh": (21,)}


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
@pytest.fixture
def w3():
    """Weights for H = 3, D = 2."""
    rng = np.random.default_rng(0)
    return dict(W_xh=rng.standard_normal((9, 2)), W_hh=rng.standard_normal((9, 3)),
                b_xh=np.zeros(9), b_hh=np.zeros(9))


def test_error_messages_of_the_functions(w3):
    x, s = np.zeros((4, 5, 2)), np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"W_xh must have 3\*H rows .*got shape \(8, 2\)"):
        gru_forward(x, s, np.zeros((8, 2)), w3["W_hh"], w3["b_xh"], w3["b_hh"])
    with pytest.raises(ValueError, match=r"W_hh must have shape \(9, 3\), got \(3, 3\)"):
        gru_forward(x, s, w3["W_xh"], np.zeros((3, 3)), w3["b_xh"], w3["b_hh"])
    with pytest.raises(ValueError, match=r"b_hh must have shape \(9,\), got \(1, 9\)"):
        gru_forward(x, s, w3["W_xh"], w3["W_hh"], w3["b_xh"], np.zeros((1, 9)))
    with pytest.raises(ValueError, match=r"b_xh must have shape \(9,\), got \(3,\)"):
        gru_forward(x, s, w3["W_xh"], w3["W_hh"], np.zeros(3), w3["b_hh"])
    with pytest.raises(TypeError, match="b_hh has dtype float32 but W_xh has dtype float64"):
        gru_forward(x, s, w3["W_xh"], w3["W_hh"], w3["b_xh"], w3["b_hh"].astype(np.float32))
    with pytest.raises(ValueError, match=r"h0 must have shape \(4, 3\), got \(1, 3\)"):
        gru_forward(x, np.zeros((1, 3)), **w3)
    with pytest.raises(ValueError, match=r"x must be a 3-D array \(\?, \?, 2\), got 2-D"):
        gru_forward(x[:, 0], s, **w3)
    with pytest.raises(ValueError, match="x must hold at least one time step"):
        gru_forward(np.zeros((4, 0, 2)), s, **w3)
    w3["b_hh"][4] = np.inf
    with pytest.raises(ValueError, match="b_hh contains 1 NaN or infinite value"):
        gru_step_forward(x[:, 0], s, **w3)
    w3["b_hh"][4] = 0.0
    h, cache = gru_step_forward(x[:, 0], s, **w3)
    with pytest.raises(ValueError, match=r"dh must have shape \(4, 3\), got \(4, 3, 1\)"):
        gru_step_backward(np.zeros((4, 3, 1)), cache)
    with pytest.raises(TypeError, match="cache must be the list returned by gru_forward"):
        gru_backward(np.zeros((4, 1, 3)), cache)
