"""Elman RNN, its own equations: the step and sequence functions (gradient checks of every
input and parameter, float64, relative error < 1e-7) and the layer against the book's equation.

What every cell's layer must do (dtypes, determinism, gradient accumulation, the fast path,
gradient checks of the layer, chunks, error messages) is in test_cells_contract.py."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.core.gradcheck import check_function_gradients

from conftest import GRAD_TOL

N, T, D, H = 3, 5, 4, 6


def _weights(rng, scale=0.5):
    return dict(W_xh=scale * rng.standard_normal((H, D)), W_hh=scale * rng.standard_normal((H, H)),
                b_h=scale * rng.standard_normal(H))


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_step_gradients(nonlinearity, rng):
    inputs = dict(x=rng.standard_normal((N, D)), h_prev=rng.standard_normal((N, H)), **_weights(rng),
                  nonlinearity=nonlinearity)
    # relu has a kink at 0: the narrow two-point stencil is less likely to straddle it
    order = 2 if nonlinearity == "relu" else 4
    errors = check_function_gradients(rc.rnn_step_forward, rc.rnn_step_backward, inputs, rng=rng, order=order)
    assert set(errors) == {"x", "h_prev", "W_xh", "W_hh", "b_h"}
    assert max(errors.values()) < GRAD_TOL, errors


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_sequence_gradients(nonlinearity, rng):
    inputs = dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)), **_weights(rng),
                  nonlinearity=nonlinearity)
    order = 2 if nonlinearity == "relu" else 4
    errors = check_function_gradients(rc.rnn_forward, rc.rnn_backward, inputs, rng=rng, order=order)
    assert set(errors) == {"x", "h0", "W_xh", "W_hh", "b_h"}
    assert max(errors.values()) < GRAD_TOL, errors


def test_sequence_backward_adds_gradient_on_final_state(rng):
    """dh_T is the gradient on h[:, -1] from outside; it must add to dh[:, -1]."""
    w = _weights(rng)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    _, cache = rc.rnn_forward(x, h0, **w)
    dh = rng.standard_normal((N, T, H))
    extra = rng.standard_normal((N, H))
    via_arg = rc.rnn_backward(dh, cache, dh_T=extra)
    dh2 = dh.copy()
    dh2[:, -1] += extra
    via_sum = rc.rnn_backward(dh2, cache)
    for a, b in zip(via_arg, via_sum):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-14)


def test_sequence_is_the_step_applied_T_times(rng):
    w = _weights(rng)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    h, _ = rc.rnn_forward(x, h0, **w)
    h_prev = h0
    for t in range(T):
        h_prev, _ = rc.rnn_step_forward(x[:, t], h_prev, **w)
        np.testing.assert_array_equal(h[:, t], h_prev)


def test_layer_matches_the_book_equation(rng):
    """h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), one example, written with plain matrix-vector products."""
    layer = rc.RNN(D, H, rng=rng)
    x = rng.standard_normal((1, T, D))
    h, h_T = layer.forward(x)
    p = layer.params
    h_prev = np.zeros(H)
    for t in range(T):
        h_prev = np.tanh(p["W_xh"] @ x[0, t] + p["W_hh"] @ h_prev + p["b_h"])
    np.testing.assert_allclose(h[0, -1], h_prev, rtol=1e-13)
    np.testing.assert_array_equal(h_T, h[:, -1])
