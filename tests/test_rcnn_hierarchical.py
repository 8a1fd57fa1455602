"""Convolution over time, pooling, RCNN and the hierarchical RNN."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.layers.conv import Conv1d, MaxPool1d, conv1d_backward, conv1d_forward
from rnncourse.core.gradcheck import check_function_gradients, check_module_gradients
from rnncourse.models.hierarchical import Hierarchical
from rnncourse.models.rcnn import RCNN

from conftest import GRAD_TOL


@pytest.mark.parametrize("padding", [0, 2])
def test_conv1d_gradients(padding, rng):
    inputs = dict(x=rng.standard_normal((2, 7, 3)), W=rng.standard_normal((4, 3, 3)),
                  b=rng.standard_normal(4), padding=padding)
    errors = check_function_gradients(conv1d_forward, conv1d_backward, inputs, rng=rng)
    assert max(errors.values()) < GRAD_TOL, errors


def test_conv1d_matches_the_sum_definition(rng):
    """y[t, o] = b[o] + sum_c sum_k W[o, c, k] x[t + k - p, c], written as loops."""
    x, W, b = rng.standard_normal((1, 6, 2)), rng.standard_normal((3, 2, 3)), rng.standard_normal(3)
    p = 1
    y, _ = conv1d_forward(x, W, b, p)
    xp = np.concatenate([np.zeros((p, 2)), x[0], np.zeros((p, 2))])
    for t in range(y.shape[1]):
        for o in range(3):
            expected = b[o] + sum(W[o, c, k] * xp[t + k, c] for c in range(2) for k in range(3))
            assert y[0, t, o] == pytest.approx(expected, rel=1e-12)
    assert y.shape == (1, 6 + 2 * p - 3 + 1, 3)


def test_same_padding_keeps_length_and_relu_module_gradients(rng):
    conv = Conv1d(3, 5, 3, padding="same", activation="relu", rng=rng)
    x = rng.standard_normal((2, 8, 3))
    assert conv.forward(x)[0].shape == (2, 8, 5)
    errors = check_module_gradients(conv, x, rng=rng, order=2)      # relu: narrow stencil
    assert max(errors.values()) < GRAD_TOL, errors


def test_maxpool_picks_maxima_and_routes_gradient(rng):
    pool = MaxPool1d(2)
    x = np.array([[[1.0], [3.0], [-2.0], [-5.0], [9.0]]])     # the last step does not fill a window
    y, _ = pool.forward(x)
    np.testing.assert_array_equal(y, [[[3.0], [-2.0]]])
    dx = pool.backward(np.array([[[10.0], [20.0]]]))
    np.testing.assert_array_equal(dx[0, :, 0], [0.0, 10.0, 20.0, 0.0, 0.0])
    errors = check_module_gradients(pool, rng.standard_normal((2, 6, 3)), rng=rng, order=2)
    assert errors["x"] < GRAD_TOL


def test_rcnn_gradients_and_length(rng):
    model = RCNN(Conv1d(2, 4, 3, activation="relu", rng=rng), rc.RNN(4, 5, rng=rng), MaxPool1d(2))
    x = rng.standard_normal((2, 9, 2))
    out, final = model.forward(x)
    assert out.shape == (2, (9 - 3 + 1) // 2, 5) and final.shape == (2, 5)
    errors = check_module_gradients(model, x, rng.standard_normal((2, 5)), rng=rng, order=2)   # relu, max
    assert {"x", "state", "conv.W", "conv.b", "recurrent.W_xh", "recurrent.W_hh", "recurrent.b_h"} == set(errors)
    assert max(errors.values()) < GRAD_TOL, errors


def test_rcnn_rejects_mismatched_sizes(rng):
    with pytest.raises(ValueError, match="reads 3 features per step but the convolution produces conv.out_channels=4"):
        RCNN(Conv1d(2, 4, 3, rng=rng), rc.RNN(3, 5, rng=rng))


def test_hierarchical_equals_lower_then_upper_by_hand(rng):
    lower, upper = rc.RNN(2, 3, rng=rng), rc.RNN(3, 4, rng=rng)
    model = Hierarchical(lower, upper, chunk_size=3)
    x = rng.standard_normal((2, 6, 2))
    out, final = model.forward(x)
    codes = np.stack([lower.forward(x[:, c * 3:(c + 1) * 3])[1] for c in range(2)], axis=1)
    expected, expected_final = upper.forward(codes)
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    np.testing.assert_allclose(final, expected_final, rtol=1e-13)


def test_hierarchical_gradients(rng):
    model = Hierarchical(rc.RNN(2, 3, rng=rng), rc.RNN(3, 4, rng=rng), chunk_size=3)
    errors = check_module_gradients(model, rng.standard_normal((2, 9, 2)), rng.standard_normal((2, 4)), rng=rng)
    assert {"x", "state", "lower.W_hh", "upper.W_hh"} <= set(errors)
    assert max(errors.values()) < GRAD_TOL, errors


def test_hierarchical_length_must_divide(rng):
    model = Hierarchical(rc.RNN(2, 3, rng=rng), rc.RNN(3, 4, rng=rng), chunk_size=4)
    with pytest.raises(ValueError, match="x has T=6 steps, not a multiple of chunk_size=4; pad the sequences to 8"):
        model.forward(np.zeros((1, 6, 2)))


def test_conv_errors(rng):
    with pytest.raises(ValueError, match="padding='same' needs an odd kernel_size, got 4"):
        Conv1d(2, 3, 4, padding="same", rng=rng)
    with pytest.raises(ValueError, match="x has 2 time steps, fewer than the kernel width K=3"):
        conv1d_forward(np.zeros((1, 2, 2)), np.zeros((3, 2, 3)), np.zeros(3))
