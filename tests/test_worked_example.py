"""The seed article's two-unit example, checked against scalar arithmetic written out by hand."""
import math

import numpy as np

from rnncourse.analysis.worked_example import seed_discrepancies, worked_example


def _by_hand():
    # W_h = [[.5,.2],[.3,.8]], U_h = [[.1,.4],[.6,.7]], b_h = [.1,.2], x1 = (1,0), x2 = (0,1)
    a1 = (0.5 * 1 + 0.2 * 0 + 0.1, 0.3 * 1 + 0.8 * 0 + 0.2)
    h1 = tuple(math.tanh(v) for v in a1)
    uh = (0.1 * h1[0] + 0.4 * h1[1], 0.6 * h1[0] + 0.7 * h1[1])
    a2 = (0.5 * 0 + 0.2 * 1 + uh[0] + 0.1, 0.3 * 0 + 0.8 * 1 + uh[1] + 0.2)
    h2 = tuple(math.tanh(v) for v in a2)
    return a1, h1, uh, a2, h2


def test_every_intermediate_matches_hand_arithmetic():
    a1, h1, uh, a2, h2 = _by_hand()
    s1, s2 = worked_example()["steps"]
    np.testing.assert_allclose(s1["a"], a1, rtol=1e-15)
    np.testing.assert_allclose(s1["h"], h1, rtol=1e-15)
    np.testing.assert_allclose(s2["U_h h_prev"], uh, rtol=1e-15)
    np.testing.assert_allclose(s2["W_h x"], (0.2, 0.8), rtol=1e-15)
    np.testing.assert_allclose(s2["a"], a2, rtol=1e-15)
    np.testing.assert_allclose(s2["h"], h2, rtol=1e-15)
    np.testing.assert_array_equal(s2["h_prev"], s1["h"])


def test_seed_first_step_is_right_and_second_step_is_wrong():
    rows = {r["quantity"]: r["agrees"] for r in seed_discrepancies()}
    assert rows["h_1"] and rows["W_h x_1 + b_h (= preactivation a_1)"]
    assert not rows["U_h h_1"] and not rows["a_2 = W_h x_2 + U_h h_1 + b_h"] and not rows["h_2"]
    # the printed h_2 = (0.515, 0.942) is what tanh gives for the printed (wrong) pre-activation
    np.testing.assert_allclose(np.tanh([0.5702, 1.7552]), [0.515, 0.942], atol=6e-4)
    # and the true h_2 rounds differently
    assert np.round(worked_example()["steps"][1]["h"], 3).tolist() == [round(v, 3) for v in _by_hand()[4]]
