"""The minGRU's own equations: the scan equals the loop, the formula by hand, what the state cannot do.

The protocol (dtypes, gradient checks on both paths, errors, containers) comes from the cell
contract: ``MinGRU`` is in ``tests/support/cells.py``.
"""
import numpy as np
import pytest

from rnncourse.cells.mingru import (MinGRU, mingru_backward, mingru_backward_scan, mingru_forward,
                                    mingru_forward_scan, scan_linear)
from rnncourse.core.activations import sigmoid


@pytest.mark.parametrize("T", [1, 2, 3, 7, 64, 1000])
def test_scan_equals_the_loop_of_the_linear_recurrence(T, rng):
    a = rng.uniform(0.0, 1.0, (T, 2, 3))
    b = rng.standard_normal((T, 2, 3))
    h0 = rng.standard_normal((2, 3))
    h, want = h0, []
    for t in range(T):
        h = a[t] * h + b[t]
        want.append(h)
    np.testing.assert_allclose(scan_linear(a, b, h0), np.array(want), rtol=1e-10, atol=1e-12)


def _weights(rng, D, H, scale=0.7):
    return scale * rng.standard_normal((2 * H, D)), scale * rng.standard_normal(2 * H)


def test_one_step_by_hand(rng):
    """Check the update gate and the candidate: h_1 = (1 - z) h_0 + z (W_h x + b_h)."""
    D, H = 3, 2
    W, b = _weights(rng, D, H)
    x, h0 = rng.standard_normal((1, 1, D)), rng.standard_normal((1, H))
    z = sigmoid(x[:, 0] @ W[:H].T + b[:H])
    cand = x[:, 0] @ W[H:].T + b[H:]
    h, _ = mingru_forward(x, h0, W, b)
    np.testing.assert_allclose(h[:, 0], (1 - z) * h0 + z * cand, rtol=1e-13)


@pytest.mark.parametrize("T", [1, 5, 300, 2000])
def test_scan_and_loop_agree_forward_and_backward_to_1e10(T, rng):
    N, D, H = 2, 3, 4
    W, b = _weights(rng, D, H)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    dh, dh_T = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    h_loop, c_loop = mingru_forward(x, h0, W, b)
    h_scan, c_scan = mingru_forward_scan(x, h0, W, b)
    np.testing.assert_allclose(h_scan, h_loop, rtol=1e-10, atol=1e-12)
    for g_loop, g_scan in zip(mingru_backward(dh, c_loop, dh_T), mingru_backward_scan(dh, c_scan, dh_T)):
        np.testing.assert_allclose(g_scan, g_loop, rtol=1e-10, atol=1e-10)


def test_the_state_is_an_input_driven_average_of_candidates(rng):
    """What the minGRU gives up: h_T is linear in h_0 with a coefficient that depends on x alone."""
    layer = MinGRU(2, 3, rng=rng)
    x = rng.standard_normal((1, 6, 2))
    h_a, _ = layer.forward(x, np.zeros((1, 3)))
    h_b, _ = layer.forward(x, np.ones((1, 3)))
    h_c, _ = layer.forward(x, 2 * np.ones((1, 3)))
    np.testing.assert_allclose(h_c - h_b, h_b - h_a, rtol=1e-12)      # an affine function of h_0


def test_weights_of_the_wrong_layout_are_refused(rng):
    with pytest.raises(ValueError, match=r"W_xh must have 2\*H rows"):
        mingru_forward(np.zeros((1, 2, 3)), np.zeros((1, 2)), np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"b_h must have shape \(4,\)"):
        mingru_forward(np.zeros((1, 2, 3)), np.zeros((1, 2)), np.zeros((4, 3)), np.zeros(3))
