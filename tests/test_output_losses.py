"""Output layer and losses over time: gradients, masks, reductions."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.core.gradcheck import check_function_gradients, check_module_gradients, numerical_gradient, rel_error

from conftest import GRAD_TOL


@pytest.mark.parametrize("shape", [(3, 5, 4), (3, 4)])
def test_output_layer_gradients(shape, rng):
    inputs = dict(h=rng.standard_normal(shape), W_hy=rng.standard_normal((2, 4)), b_y=rng.standard_normal(2))
    errors = check_function_gradients(rc.output_forward, rc.output_backward, inputs, rng=rng)
    assert max(errors.values()) < GRAD_TOL, errors


def test_rnn_plus_output_model_gradients(rng):
    model = rc.Sequential(rc.RNN(3, 5, rng=rng), rc.Output(5, 2, rng=rng))
    errors = check_module_gradients(model, rng.standard_normal((2, 4, 3)), rng=rng)
    assert {"x", "0.W_xh", "0.W_hh", "0.b_h", "1.W_hy", "1.b_y"} == set(errors)
    assert max(errors.values()) < GRAD_TOL, errors


def test_many_to_one_model_gradients(rng):
    model = rc.Sequential(rc.RNN(3, 5, rng=rng), rc.LastStep(), rc.Output(5, 2, rng=rng))
    errors = check_module_gradients(model, rng.standard_normal((2, 4, 3)), rng=rng)
    assert max(errors.values()) < GRAD_TOL, errors


def _masked_case(rng):
    logits = rng.standard_normal((3, 5, 4))
    targets = rng.integers(0, 4, (3, 5))
    mask = np.ones((3, 5), bool)
    mask[0, 3:] = False
    mask[2, 1:] = False
    return logits, targets, mask


def test_cross_entropy_value_matches_definition(rng):
    logits, targets, mask = _masked_case(rng)
    loss, _ = rc.softmax_cross_entropy(logits, targets, mask)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    picked = [-np.log(p[n, t, targets[n, t]]) for n in range(3) for t in range(5) if mask[n, t]]
    assert loss == pytest.approx(np.mean(picked), rel=1e-13)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_gradient_and_padding(reduction, rng):
    logits, targets, mask = _masked_case(rng)
    loss, d = rc.softmax_cross_entropy(logits, targets, mask, reduction)
    num = numerical_gradient(lambda: rc.softmax_cross_entropy(logits, targets, mask, reduction)[0], logits)
    assert rel_error(d, num) < GRAD_TOL
    assert not d[~mask].any(), "padded positions must get exactly zero gradient"


def test_cross_entropy_ignores_target_values_under_padding(rng):
    logits, targets, mask = _masked_case(rng)
    other = targets.copy()
    other[~mask] = 999                      # out of range, but masked: must be ignored
    assert rc.softmax_cross_entropy(logits, other, mask)[0] == rc.softmax_cross_entropy(logits, targets, mask)[0]


def test_cross_entropy_many_to_one_shape(rng):
    loss, d = rc.softmax_cross_entropy(rng.standard_normal((4, 3)), np.array([0, 2, 1, 1]))
    assert d.shape == (4, 3) and loss > 0


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_gradient_and_mask(reduction, rng):
    pred, target = rng.standard_normal((3, 5, 2)), rng.standard_normal((3, 5, 2))
    mask = np.ones((3, 5))
    mask[1, 2:] = 0
    loss, d = rc.mse(pred, target, mask, reduction)
    num = numerical_gradient(lambda: rc.mse(pred, target, mask, reduction)[0], pred)
    assert rel_error(d, num) < GRAD_TOL
    keep = mask.astype(bool)
    expected = np.sum((pred - target)[keep] ** 2)
    assert loss == pytest.approx(expected / (keep.sum() * 2) if reduction == "mean" else expected, rel=1e-13)
    assert not d[~keep].any()
