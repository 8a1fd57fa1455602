"""Gradient norm against time lag: the measurement behind the vanishing-gradient figure."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.analysis.memory import array_bytes, cache_bytes
from rnncourse.analysis.vanishing import (factor_per_step, gradient_norm_by_lag, scale_to_spectral_radius,
                                          spectral_radius)


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


def test_factor_per_step_recovers_a_geometric_rate():
    lags = np.arange(60)
    assert factor_per_step(lags, 3.0 * 0.8 ** lags) == pytest.approx(0.8, rel=1e-12)
    assert factor_per_step(lags, 1e-3 * 1.1 ** lags, first=0, last=59) == pytest.approx(1.1, rel=1e-12)
    # only lags first..last are fitted: a different rate outside them is ignored
    norms = np.where(lags < 10, 1.0, 0.5 ** lags)
    assert factor_per_step(lags, norms) == pytest.approx(0.5, rel=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(lags=np.arange(20), norms=np.ones(19)), "same shape"),
    (dict(lags=np.arange(60), norms=np.ones(60), first=50, last=10), "first < last"),
    (dict(lags=np.arange(30), norms=np.ones(30)), "first < last < 30"),
    (dict(lags=np.arange(60), norms=np.r_[np.ones(30), np.zeros(30)]), "positive"),
])
def test_factor_per_step_refuses_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        factor_per_step(**kwargs)


@pytest.mark.parametrize("cell", [rc.RNN, rc.LSTM, rc.GRU])
def test_cache_bytes_counts_each_cached_array_once_and_no_parameter(cell, rng):
    N, T, D, H = 4, 7, 3, 5
    layer = cell(D, H, rng=rng)
    assert cache_bytes(layer) == 0, "nothing is cached before the forward pass"
    _, final = layer.forward(rng.standard_normal((N, T, D)))
    measured = cache_bytes(layer)
    if cell is rc.RNN:     # x_t and h_t per step, h_0 once
        assert measured == 8 * (T * N * (D + H) + N * H)
    else:                  # the gated cells keep more per step, still linear in T
        layer.forward(rng.standard_normal((N, 2 * T, D)))
        longer = cache_bytes(layer)
        layer.forward(rng.standard_normal((N, 3 * T, D)))
        assert cache_bytes(layer) - longer == longer - measured > 8 * T * N * (D + H)
    assert array_bytes(final) == 8 * N * H * (2 if cell is rc.LSTM else 1)


def test_cache_bytes_adds_up_child_modules_and_refuses_other_objects(rng):
    rnn, out = rc.RNN(3, 5, rng=rng), rc.Output(5, 2, rng=rng)
    model = rc.Sequential(rnn, out)
    model.forward(rng.standard_normal((2, 4, 3)))
    assert cache_bytes(model) >= cache_bytes(rnn) > 0
    shared = np.zeros(10)
    assert array_bytes([shared, (shared, {"a": shared}), 3, None]) == 80
    assert array_bytes([shared, np.ones(2)], exclude=[shared]) == 16
    with pytest.raises(TypeError, match="Module"):
        cache_bytes(np.zeros(3))
