"""Bad input raises an error that names the argument, what was expected and what arrived."""
import numpy as np
import pytest

import rnncourse as rc

H, D = 3, 2


@pytest.fixture
def w(rng):
    return dict(W_xh=rng.standard_normal((H, D)), W_hh=rng.standard_normal((H, H)), b_h=np.zeros(H))


def test_wrong_rank_of_x(w):
    with pytest.raises(ValueError, match=r"x must be a 3-D array \(\?, \?, 2\), got 2-D with shape \(4, 2\)"):
        rc.rnn_forward(np.zeros((4, 2)), np.zeros((4, H)), **w)


def test_mismatched_input_size(w):
    with pytest.raises(ValueError, match=r"x must have shape \(\?, \?, 2\), got \(4, 5, 3\)"):
        rc.rnn_forward(np.zeros((4, 5, 3)), np.zeros((4, H)), **w)


def test_h0_batch_mismatch_is_not_broadcast(w):
    with pytest.raises(ValueError, match=r"h0 must have shape \(4, 3\), got \(1, 3\)"):
        rc.rnn_forward(np.zeros((4, 5, D)), np.zeros((1, H)), **w)


def test_bias_of_wrong_shape_is_not_broadcast(w):
    w["b_h"] = np.zeros((1, H))
    with pytest.raises(ValueError, match=r"b_h must have shape \(3,\), got \(1, 3\)"):
        rc.rnn_step_forward(np.zeros((4, D)), np.zeros((4, H)), **w)


def test_non_square_recurrent_weights(w):
    w["W_hh"] = np.zeros((H, H + 1))
    with pytest.raises(ValueError, match=r"W_hh must have shape \(3, 3\), got \(3, 4\)"):
        rc.rnn_step_forward(np.zeros((4, D)), np.zeros((4, H)), **w)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_are_refused(bad, w):
    x = np.zeros((4, 5, D))
    x[1, 2, 0] = bad
    with pytest.raises(ValueError, match="x contains 1 NaN or infinite value"):
        rc.rnn_forward(x, np.zeros((4, H)), **w)


def test_integer_input_is_refused_with_a_fix(w):
    with pytest.raises(TypeError, match=r"x must hold floating-point numbers .* got dtype int64; "
                                        r"convert it with x.astype\(np.float64\)"):
        rc.rnn_forward(np.zeros((4, 5, D), dtype=np.int64), np.zeros((4, H)), **w)


def test_mixed_float_dtypes_are_refused(w):
    with pytest.raises(TypeError, match="h0 has dtype float32 but x has dtype float64"):
        rc.rnn_forward(np.zeros((4, 5, D)), np.zeros((4, H), np.float32), **w)


def test_layer_dtype_mismatch(rng):
    layer = rc.RNN(D, H, rng=rng, dtype=np.float32)
    with pytest.raises(TypeError, match="x must have dtype float32 to match the layer's parameters, got float64"):
        layer.forward(np.zeros((1, 2, D)))


def test_layer_state_shape(rng):
    layer = rc.RNN(D, H, rng=rng)
    with pytest.raises(ValueError, match=r"state must have shape \(2, 3\), got \(3,\)"):
        layer.forward(np.zeros((2, 4, D)), np.zeros(H))


def test_layer_constructor_arguments(rng):
    with pytest.raises(ValueError, match="nonlinearity must be one of 'tanh', 'relu'; got 'sigmoid'"):
        rc.RNN(D, H, "sigmoid", rng=rng)
    with pytest.raises(ValueError, match="hidden_size must be a positive int, got 0"):
        rc.RNN(D, 0, rng=rng)
    with pytest.raises(TypeError, match="input_size must be a positive int, got 2.5"):
        rc.RNN(2.5, H, rng=rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        rc.RNN(D, H, rng=42)


def test_backward_before_forward(rng):
    with pytest.raises(RuntimeError, match="RNN.backward was called before forward"):
        rc.RNN(D, H, rng=rng).backward(np.zeros((1, 1, H)))


def test_backward_with_wrong_gradient_shape(rng):
    layer = rc.RNN(D, H, rng=rng)
    layer.forward(np.zeros((2, 4, D)))
    with pytest.raises(ValueError, match=r"d_outputs must have shape \(2, 4, 3\), got \(2, 3\)"):
        layer.backward(np.zeros((2, H)))


def test_empty_sequence(w):
    with pytest.raises(ValueError, match=r"x must not be empty: .* got shape \(\d+, 0, \d+\)"):
        rc.rnn_forward(np.zeros((4, 0, D)), np.zeros((4, H)), **w)


def test_loss_errors():
    logits = np.zeros((2, 3, 4))
    with pytest.raises(TypeError, match=r"targets must hold integers \(ids or labels\), got dtype float64"):
        rc.softmax_cross_entropy(logits, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"targets must have shape \(2, 3\), got \(2,\)"):
        rc.softmax_cross_entropy(logits, np.zeros(2, int))
    with pytest.raises(ValueError, match=r"targets must be class indices in \[0, 4\); found 4"):
        rc.softmax_cross_entropy(logits, np.full((2, 3), 4))
    with pytest.raises(ValueError, match="mask marks no position as real"):
        rc.softmax_cross_entropy(logits, np.zeros((2, 3), int), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"target must have shape \(2, 3, 4\), got \(2, 3, 1\)"):
        rc.mse(logits, np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match=r"mask must have shape \(2, 3\) \(one entry per position\), got \(2, 3, 4\)"):
        rc.mse(logits, logits, np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum'; got 'avg'"):
        rc.mse(logits, logits, reduction="avg")


def test_clipping_and_optimizer_arguments(rng):
    with pytest.raises(ValueError, match="max_norm must be a finite positive number, got -1"):
        rc.clip_grads_by_global_norm({"a": np.ones(2)}, -1)
    with pytest.raises(TypeError, match="grads must be a dict of numpy arrays"):
        rc.clip_grads_by_value([np.ones(2)], 1.0)
    with pytest.raises(ValueError, match="lr must be a finite positive number, got 0"):
        rc.Adam(rc.RNN(D, H, rng=rng), lr=0)
    with pytest.raises(TypeError, match="module must be an rnncourse Module"):
        rc.SGD({"w": np.ones(2)}, lr=0.1)


def test_gradcheck_refuses_float32(rng):
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        rc.numerical_gradient(lambda: 0.0, np.zeros(2, np.float32))


def test_truncation_argument(rng):
    model = rc.Sequential(rc.RNN(D, H, rng=rng), rc.Output(H, 1, rng=rng))
    with pytest.raises(ValueError, match="truncation must be a positive int, got 0"):
        rc.run_bptt(model, np.zeros((1, 4, D)), np.zeros((1, 4, 1)), truncation=0)
    with pytest.raises(ValueError, match="loss must be one of"):
        rc.run_bptt(model, np.zeros((1, 4, D)), np.zeros((1, 4, 1)), loss="hinge")


def test_load_params_checks_names_and_shapes(rng):
    layer = rc.RNN(D, H, rng=rng)
    with pytest.raises(KeyError, match="unknown parameter 'W'"):
        layer.load_params({"W": np.zeros((H, D))})
    with pytest.raises(ValueError, match=r"W_hh must have shape \(3, 3\), got \(2, 2\)"):
        layer.load_params({"W_hh": np.zeros((2, 2))})
