"""Gradient norm against time lag: the measurement behind the vanishing-gradient figure."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.analysis.vanishing import gradient_norm_by_lag, scale_to_spectral_radius, spectral_radius


def test_spectral_radius_and_rescaling(rng):
    W = np.diag([0.5, -2.0, 1.0])
    assert spectral_radius(W) == pytest.approx(2.0)
    assert spectral_radius(scale_to_spectral_radius(rng.standard_normal((6, 6)), 0.7)) == pytest.approx(0.7)


def test_linear_rnn_gradient_is_a_matrix_power(rng):
    """With relu in its linear region (positive states), dx at lag k is W_xh^T (W_hh^T)^k g."""
    H, D, T = 4, 3, 6
    layer = rc.RNN(D, H, "relu", rng=rng)
    W_hh = scale_to_spectral_radius(np.abs(rng.standard_normal((H, H))), 0.9)
    layer.load_params({"W_hh": W_hh, "W_xh": np.abs(rng.standard_normal((H, D))), "b_h": np.ones(H)})
    x = np.abs(rng.standard_normal((1, T, D)))
    lags, norms = gradient_norm_by_lag(layer, x)
    g = np.ones(H) / np.sqrt(H)
    for k in range(T):
        expected = np.linalg.norm(layer.params["W_xh"].T @ np.linalg.matrix_power(W_hh.T, k) @ g)
        assert norms[k] == pytest.approx(expected, rel=1e-12)
    assert not any(v.any() for v in layer.grads.values()), "the measurement must not leave gradients behind"


def test_small_spectral_radius_vanishes_large_one_does_not(rng):
    x = rng.standard_normal((8, 40, 2)) * 0.1
    result = {}
    for rho in (0.5, 1.5):
        layer = rc.RNN(2, 32, rng=np.random.default_rng(0))
        layer.load_params({"W_hh": scale_to_spectral_radius(layer.params["W_hh"], rho)})
        result[rho] = gradient_norm_by_lag(layer, x)[1]
    assert result[0.5][30] < 1e-6 * result[0.5][0]
    assert result[1.5][30] > 1e-2 * result[1.5][0]
