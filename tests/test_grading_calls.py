"""``rnncourse.grading.call_student`` refuses the functions a part asks students to write themselves.

Assignment 1 asks for tanh written with ``np.exp``; an answer that calls ``np.tanh`` (under any
name the notebook gave it) must be refused with a message that says so, the stable exp
formulation must pass, and numpy must be left as it was, whatever the answer did.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from numpy import tanh as renamed_tanh

from rnncourse.grading import GradingError, call_student
from rnncourse.grading.a01_rnn_forward import TANH_FORBIDDEN

A = np.array([[-800.0, -0.5], [0.0, 3.0]])


def stable(a):
    e = np.exp(-2.0 * np.abs(a))
    return np.sign(a) * (1.0 - e) / (1.0 + e)


def through_module(a):
    return np.tanh(a)


def through_import(a):
    return renamed_tanh(a)


def through_default(a, f=np.tanh):
    return f(a)


def _closure():
    f = np.tanh

    def inner(a):
        return f(a)
    return inner


def through_math(a):
    return np.vectorize(math.tanh)(a)


def through_sinh_cosh(a):
    return np.sinh(a) / np.cosh(a)


def test_the_exp_formulation_passes():
    np.testing.assert_allclose(call_student("tanh", stable, A, **TANH_FORBIDDEN), np.tanh(A))


@pytest.mark.parametrize("answer, called", [
    (through_module, "np.tanh"), (through_import, "np.tanh"), (through_default, "np.tanh"),
    (_closure(), "np.tanh"), (np.tanh, "np.tanh"), (through_math, "math.tanh"), (through_sinh_cosh, "np.sinh")])
def test_an_answer_that_calls_a_forbidden_numpy_function_is_refused(answer, called):
    with pytest.raises(GradingError, match=f"tanh calls {called}; this part asks you to compute tanh yourself"):
        call_student("tanh", answer, A, **TANH_FORBIDDEN)
    assert np.tanh is renamed_tanh and type(np.tanh) is np.ufunc, "numpy must be restored"
    assert through_default.__defaults__ == (np.tanh,) and globals()["renamed_tanh"] is np.tanh


def test_numpy_is_restored_when_the_answer_raises():
    def broken(a):
        np.tanh(a)
        raise ValueError("oops")

    with pytest.raises(GradingError, match="raised ValueError: oops"):
        call_student("tanh", broken, A, **TANH_FORBIDDEN)
    assert type(np.tanh) is np.ufunc


def test_other_parts_may_call_np_tanh():
    assert call_student("step", through_module, A).shape == A.shape
