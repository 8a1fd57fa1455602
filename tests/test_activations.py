"""Activations: values, derivatives (checked numerically), stability, dtype."""
import warnings

import numpy as np
import pytest

import rnncourse as rc
from rnncourse.core.gradcheck import numerical_gradient, rel_error

from conftest import GRAD_TOL


@pytest.mark.parametrize("f, f_grad", [(rc.tanh, rc.tanh_grad), (rc.sigmoid, rc.sigmoid_grad),
                                       (rc.relu, rc.relu_grad)])
def test_derivative_from_output_matches_numerical_slope(f, f_grad, rng):
    a = rng.standard_normal((4, 5))
    a[np.abs(a) < 1e-2] = 0.5          # keep relu away from its kink (the stencil spans +-2e-3)
    dout = rng.standard_normal(a.shape)
    num = numerical_gradient(lambda: f(a), a, dout)
    assert rel_error(dout * f_grad(f(a)), num) < GRAD_TOL


def test_sigmoid_matches_formula_and_does_not_overflow():
    a = np.array([-1000.0, -30.0, -1.0, 0.0, 2.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # an overflow warning would fail the test
        s = rc.sigmoid(a)
    mid = a[1:5]
    np.testing.assert_allclose(s[1:5], 1 / (1 + np.exp(-mid)), rtol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[1] > 0 and abs(s[1] / np.exp(-30.0) - 1) < 1e-12   # small values keep relative precision


def test_softmax_rows_sum_to_one_and_survive_large_logits():
    a = np.array([[1000.0, 1000.0, 0.0], [-5.0, 0.0, 5.0]])
    p = rc.softmax(a)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(p[0], [0.5, 0.5, 0.0], atol=1e-300)
    lp = rc.log_softmax(a)
    assert np.all(np.isfinite(lp))
    np.testing.assert_allclose(lp[1], np.log(np.exp(a[1]) / np.exp(a[1]).sum()), rtol=1e-12)


@pytest.mark.parametrize("fwd, bwd", [(rc.softmax, rc.softmax_backward),
                                      (rc.log_softmax, rc.log_softmax_backward)])
def test_softmax_vector_jacobian_products(fwd, bwd, rng):
    a = rng.standard_normal((3, 4, 6))
    dout = rng.standard_normal(a.shape)
    num = numerical_gradient(lambda: fwd(a), a, dout)
    assert rel_error(bwd(dout, fwd(a)), num) < GRAD_TOL


@pytest.mark.parametrize("f", [rc.tanh, rc.sigmoid, rc.relu, rc.softmax, rc.log_softmax])
def test_float32_stays_float32(f):
    a = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    assert f(a).dtype == np.float32
