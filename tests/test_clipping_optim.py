"""Gradient clipping and the optimizers, against hand-computed updates."""
import numpy as np
import pytest

import rnncourse as rc


def test_clip_by_value_clamps_each_entry():
    grads = {"a": np.array([-5.0, 0.5, 3.0]), "b": np.array([[2.0]])}
    rc.clip_grads_by_value(grads, 1.0)
    np.testing.assert_array_equal(grads["a"], [-1.0, 0.5, 1.0])
    np.testing.assert_array_equal(grads["b"], [[1.0]])


def test_clip_by_global_norm_keeps_direction_and_returns_old_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0, 4.0]])}    # global norm 5
    norm = rc.clip_grads_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(grads["a"], [0.6, 0.0])
    np.testing.assert_allclose(grads["b"], [[0.0, 0.8]])
    assert rc.global_norm(grads) == pytest.approx(1.0)


def test_clip_by_global_norm_leaves_small_gradients_alone():
    grads = {"a": np.array([0.3, 0.4])}
    rc.clip_grads_by_global_norm(grads, 1.0)
    np.testing.assert_array_equal(grads["a"], [0.3, 0.4])


class _Quadratic(rc.Module):
    """L = 0.5 * ||w||^2 style toy: grads set by hand."""

    def __init__(self, w):
        super().__init__()
        self.add_param("w", np.array(w, dtype=float))


def _step(opt_cls, g_seq, **kw):
    m = _Quadratic([1.0, -2.0])
    opt = opt_cls(m, **kw)
    for g in g_seq:
        m.grads["w"][...] = g
        opt.step()
    return m.params["w"]


def test_sgd_and_momentum():
    g = np.array([0.5, -1.0])
    np.testing.assert_allclose(_step(rc.SGD, [g], lr=0.1), [1.0 - 0.05, -2.0 + 0.1])
    # two steps with momentum 0.9: v1 = g, v2 = 0.9 g + g
    np.testing.assert_allclose(_step(rc.SGD, [g, g], lr=0.1, momentum=0.9),
                               np.array([1.0, -2.0]) - 0.1 * (g + 1.9 * g))


def test_adagrad():
    g1, g2 = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    w = np.array([1.0, -2.0]) - 0.1 * g1 / (np.abs(g1) + 1e-8)
    w = w - 0.1 * g2 / (np.sqrt(g1 ** 2 + g2 ** 2) + 1e-8)
    np.testing.assert_allclose(_step(rc.Adagrad, [g1, g2], lr=0.1), w)


def test_rmsprop():
    g = np.array([1.0, -4.0])
    s = 0.1 * g ** 2
    np.testing.assert_allclose(_step(rc.RMSProp, [g], lr=0.01, alpha=0.9),
                               np.array([1.0, -2.0]) - 0.01 * g / (np.sqrt(s) + 1e-8))


def test_adam_first_step_is_lr_times_sign():
    g = np.array([0.003, -40.0])
    np.testing.assert_allclose(_step(rc.Adam, [g], lr=0.01), np.array([1.0, -2.0]) - 0.01 * np.sign(g),
                               rtol=1e-6)


def test_adam_two_steps_by_hand():
    g1, g2 = np.array([1.0, 2.0]), np.array([-1.0, 0.5])
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    m = (1 - b1) * g1
    v = (1 - b2) * g1 ** 2
    w = np.array([1.0, -2.0]) - lr * (m / (1 - b1)) / (np.sqrt(v / (1 - b2)) + eps)
    m = b1 * m + (1 - b1) * g2
    v = b2 * v + (1 - b2) * g2 ** 2
    w = w - lr * (m / (1 - b1 ** 2)) / (np.sqrt(v / (1 - b2 ** 2)) + eps)
    np.testing.assert_allclose(_step(rc.Adam, [g1, g2], lr=lr), w, rtol=1e-12)


def test_optimizer_refuses_nan_gradient():
    m = _Quadratic([1.0])
    m.grads["w"][...] = np.nan
    with pytest.raises(ValueError, match=r"grads\['w'\] contains 1 NaN .*lower the learning rate"):
        rc.SGD(m, lr=0.1).step()


def test_optimizer_updates_reach_nested_layers(rng):
    model = rc.Sequential(rc.RNN(2, 3, rng=rng), rc.Output(3, 1, rng=rng))
    before = model.layers[0].params["W_hh"].copy()
    for g in model.grads.values():
        g[...] = 1.0
    rc.SGD(model, lr=0.5).step()
    np.testing.assert_allclose(model.layers[0].params["W_hh"], before - 0.5)
