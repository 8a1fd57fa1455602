"""Bidirectional: the backward half is the backward layer run on the reversed sequence, gradients, errors.

The tests parametrised by ``cell`` run with every recurrent layer class of
``support.cells`` (Elman RNN, LSTM with its state a tuple (h, c), GRU): the container
must not care what a state looks like.
"""
import numpy as np
import pytest

from rnncourse.models.bidirectional import Bidirectional
from rnncourse.core.gradcheck import check_module_gradients
from rnncourse.cells.rnn import RNN

from conftest import GRAD_TOL
from support.cells import LAYER_CLASSES, flat, random_like

N, T, D, H = 2, 4, 3, 3
CELLS = list(LAYER_CLASSES)


def make_bi(name, rng, merge="concat", hidden_b=H):
    cls = LAYER_CLASSES[name]
    return Bidirectional(cls(D, H, rng=rng), cls(D, hidden_b, rng=rng), merge=merge)


def first_array(state):
    """h from a state that is h itself or (h, c)."""
    return state if isinstance(state, np.ndarray) else state[0]


# ---------------------------------------------------------------------------
# what the layer computes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell", CELLS)
def test_concat_is_forward_half_then_reversed_backward_run(cell, rng):
    """y[..., :H] is the forward layer on x; y[..., H:] is the backward layer on x[:, ::-1], reversed back."""
    bi = make_bi(cell, rng)
    x = rng.standard_normal((N, T, D))
    y, (final_f, final_b) = bi.forward(x)
    assert y.shape == (N, T, 2 * H)
    out_f, ref_final_f = bi.forward_layer.forward(x)
    out_b_rev, ref_final_b = bi.backward_layer.forward(x[:, ::-1].copy())
    np.testing.assert_array_equal(y[..., :H], out_f)
    np.testing.assert_array_equal(y[..., H:], out_b_rev[:, ::-1])
    for got, want in zip(flat(final_f) + flat(final_b), flat(ref_final_f) + flat(ref_final_b)):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("cell", CELLS)
def test_final_states_are_after_x_T_forwards_and_after_x_1_backwards(cell, rng):
    """final_fwd's h is the output at t = T; final_bwd's h is the backward half's output at t = 1."""
    bi = make_bi(cell, rng)
    y, (final_f, final_b) = bi.forward(rng.standard_normal((N, T, D)))
    np.testing.assert_array_equal(first_array(final_f), y[:, -1, :H])
    np.testing.assert_array_equal(first_array(final_b), y[:, 0, H:])


def test_sum_merge_adds_the_two_directions(rng):
    bi = make_bi("RNN", rng, merge="sum")
    x = rng.standard_normal((N, T, D))
    y, _ = bi.forward(x)
    assert y.shape == (N, T, H) and bi.output_size == H
    expected = bi.forward_layer.forward(x)[0] + bi.backward_layer.forward(x[:, ::-1].copy())[0][:, ::-1]
    np.testing.assert_allclose(y, expected, rtol=1e-15, atol=1e-15)


def test_initial_states_go_to_their_own_direction(rng):
    """state_bwd is the backward layer's state before it reads x_T (the first step of the reversed run)."""
    bi = make_bi("RNN", rng)
    x = rng.standard_normal((N, T, D))
    s_f, s_b = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    y, _ = bi.forward(x, (s_f, s_b))
    np.testing.assert_array_equal(y[..., :H], bi.forward_layer.forward(x, s_f)[0])
    np.testing.assert_array_equal(y[..., H:], bi.backward_layer.forward(x[:, ::-1].copy(), s_b)[0][:, ::-1])


def test_forward_half_ignores_the_future_backward_half_sees_it(rng):
    """Changing only x_T leaves the forward half at t < T unchanged but changes the backward half at t = 1."""
    bi = make_bi("RNN", rng)
    x = rng.standard_normal((N, T, D))
    y1, _ = bi.forward(x)
    x[:, -1] += 1.0
    y2, _ = bi.forward(x)
    np.testing.assert_array_equal(y1[:, :-1, :H], y2[:, :-1, :H])
    assert np.abs(y1[:, 0, H:] - y2[:, 0, H:]).min() > 0


def test_different_hidden_sizes_concatenate(rng):
    bi = make_bi("RNN", rng, hidden_b=5)
    y, _ = bi.forward(rng.standard_normal((N, T, D)))
    assert y.shape == (N, T, H + 5) and bi.output_size == H + 5 and bi.input_size == D


def test_parameters_are_the_two_layers_own_arrays(rng):
    bi = make_bi("RNN", rng)
    names = set(bi.params)
    assert names == {f"{d}.{p}" for d in ("forward", "backward") for p in ("W_xh", "W_hh", "b_h")}
    assert bi.params["forward.W_xh"] is bi.forward_layer.params["W_xh"]
    assert bi.params["backward.b_h"] is bi.backward_layer.params["b_h"]
    assert bi.num_parameters() == 2 * RNN(D, H, rng=rng).num_parameters()


def test_float32_layers_give_float32_outputs_and_gradients(rng):
    bi = Bidirectional(RNN(D, H, rng=rng, dtype=np.float32), RNN(D, H, rng=rng, dtype=np.float32))
    y, _ = bi.forward(rng.standard_normal((N, T, D)).astype(np.float32))
    dx = bi.backward(np.ones_like(y))
    assert y.dtype == dx.dtype == np.float32


# ---------------------------------------------------------------------------
# gradients
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("merge", ["concat", "sum"])
def test_gradients_without_initial_state(merge, rng):
    """state=None: both directions start from zeros (the cells' state types are covered below)."""
    bi = make_bi("RNN", rng, merge=merge)
    errors = check_module_gradients(bi, rng.standard_normal((N, T, D)), rng=rng)
    assert set(errors) == {"x"} | set(bi.params)
    assert max(errors.values()) < GRAD_TOL, errors


@pytest.mark.parametrize("merge", ["concat", "sum"])
@pytest.mark.parametrize("cell", CELLS)
def test_gradients_with_initial_states_of_both_directions(cell, merge, rng):
    """d_state is a pair (d_state_fwd, d_state_bwd); with (h, c) states it nests."""
    bi = make_bi(cell, rng, merge=merge)
    x = rng.standard_normal((N, T, D))
    state = random_like(bi.forward(x)[1], rng)
    errors = check_module_gradients(bi, x, state, rng=rng)
    n_state = len(flat(state))
    assert {f"state.{i}" for i in range(n_state)} <= set(errors)
    assert max(errors.values()) < GRAD_TOL, errors
    assert isinstance(bi.d_state, tuple) and len(bi.d_state) == 2


def test_backward_routes_each_half_to_its_own_direction(rng):
    """A gradient on the forward half only leaves the backward layer's gradients at zero, and vice versa."""
    bi = make_bi("RNN", rng)
    x = rng.standard_normal((N, T, D))
    d = np.zeros((N, T, 2 * H))
    d[..., :H] = rng.standard_normal((N, T, H))
    bi.forward(x)
    bi.zero_grad()
    bi.backward(d)
    assert all(not g.any() for k, g in bi.grads.items() if k.startswith("backward."))
    assert all(g.any() for k, g in bi.grads.items() if k.startswith("forward."))
    d = d[..., ::-1].copy()   # now only the backward half is non-zero
    bi.forward(x)
    bi.zero_grad()
    bi.backward(d)
    assert all(not g.any() for k, g in bi.grads.items() if k.startswith("forward."))


def test_gradient_on_final_states_only(rng):
    """d_outputs = 0 and a gradient on final_bwd alone: it reaches x_1 (the last input the backward layer read)."""
    bi = make_bi("RNN", rng)
    x = rng.standard_normal((N, T, D))
    bi.forward(x)
    dx = bi.backward(np.zeros((N, T, 2 * H)), (None, rng.standard_normal((N, H))))
    assert np.abs(dx[:, 0]).min() > 0
    assert isinstance(bi.d_state, tuple) and bi.d_state[1].shape == (N, H)


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------
def test_constructor_errors(rng):
    with pytest.raises(ValueError, match="merge must be one of 'concat', 'sum'; got 'max'"):
        make_bi("RNN", rng, merge="max")
    with pytest.raises(ValueError, match=r'merge="sum" adds the two directions, but forward_layer outputs size 3 '
                                         r"and backward_layer outputs size 5"):
        make_bi("RNN", rng, merge="sum", hidden_b=5)
    with pytest.raises(ValueError, match="forward_layer reads inputs of size 3 but backward_layer reads 4"):
        Bidirectional(RNN(3, H, rng=rng), RNN(4, H, rng=rng))
    layer = RNN(D, H, rng=rng)
    with pytest.raises(ValueError, match="backward_layer is the same object as forward_layer"):
        Bidirectional(layer, layer)
    with pytest.raises(TypeError, match="backward_layer must be an rnncourse Module .* got ufunc"):
        Bidirectional(layer, np.tanh)


def test_state_must_be_a_pair(rng):
    bi = make_bi("RNN", rng)
    x = rng.standard_normal((N, T, D))
    with pytest.raises(ValueError, match=r"state must be None or a pair \(state_fwd, state_bwd\), one per "
                                         r"direction, got ndarray"):
        bi.forward(x, np.zeros((N, H)))
    with pytest.raises(ValueError, match="got tuple of length 3"):
        bi.forward(x, (None, None, None))


def test_input_and_gradient_shapes_are_checked(rng):
    bi = make_bi("RNN", rng)
    with pytest.raises(ValueError, match=r"x must be a 3-D array, got 2-D with shape \(2, 3\)"):
        bi.forward(np.zeros((N, D)))
    with pytest.raises(RuntimeError, match="Bidirectional.backward was called before forward"):
        bi.backward(np.zeros((N, T, 2 * H)))
    bi.forward(rng.standard_normal((N, T, D)))
    with pytest.raises(ValueError, match=r"d_outputs must have shape \(2, 4, 6\), got \(2, 4, 3\)"):
        bi.backward(np.zeros((N, T, H)))
