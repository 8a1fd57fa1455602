"""Dense, Embedding and Dropout: what each computes, gradient checks (float64, < GRAD_TOL), bad input."""
import numpy as np
import pytest

from rnncourse.layers.dense import Dense, dense_backward, dense_forward
from rnncourse.layers.dropout import Dropout
from rnncourse.layers.embedding import Embedding, embedding_backward, embedding_forward
from rnncourse.core.gradcheck import check_function_gradients, check_module_gradients, numerical_gradient, rel_error
from rnncourse.core.module import Sequential
from rnncourse.layers.output import output_forward
from rnncourse.cells.rnn import RNN

from conftest import GRAD_TOL

N, T, D, F = 3, 4, 5, 2
ACTIVATIONS = [None, "tanh", "relu", "sigmoid"]
G = {None: lambda z: z, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0),
     "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}


def stencil(activation):
    """relu has a kink at 0: the two-point stencil is less likely to straddle it (see gradcheck)."""
    return 2 if activation == "relu" else 4


# ---------------------------------------------------------------------------
# Dense
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense_is_the_activation_of_an_affine_map_at_every_step(activation, rng):
    """y[n, t] = g(W x[n, t] + b), written with one matrix-vector product per step."""
    layer = Dense(D, F, activation, rng=rng)
    x = rng.standard_normal((N, T, D))
    y, state = layer.forward(x)
    assert y.shape == (N, T, F) and state is None
    W, b = layer.params["W"], layer.params["b"]
    for n in range(N):
        for t in range(T):
            np.testing.assert_allclose(y[n, t], G[activation](W @ x[n, t] + b), rtol=1e-13, atol=1e-15)
    y2, _ = layer.forward(x[:, 0])             # (N, D) input: the same map without the time axis
    np.testing.assert_array_equal(y2, y[:, 0])


def test_dense_without_activation_is_the_output_layer(rng):
    """The affine part is rnncourse.layers.output.output_forward (the book's y_t = W_hy h_t + b_y)."""
    layer = Dense(D, F, rng=rng)
    x = rng.standard_normal((N, T, D))
    np.testing.assert_array_equal(layer.forward(x)[0], output_forward(x, layer.params["W"], layer.params["b"])[0])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("shape", [(N, T, D), (N, D)])
def test_dense_layer_gradients(activation, shape, rng):
    layer = Dense(D, F, activation, rng=rng)
    errors = check_module_gradients(layer, rng.standard_normal(shape), rng=rng, order=stencil(activation))
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < GRAD_TOL, errors


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense_function_gradients(activation, rng):
    inputs = dict(x=rng.standard_normal((N, T, D)), W=rng.standard_normal((F, D)), b=rng.standard_normal(F),
                  activation=activation)
    errors = check_function_gradients(dense_forward, dense_backward, inputs, rng=rng, order=stencil(activation))
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < GRAD_TOL, errors


def test_dense_init_dtype_and_determinism():
    a = Dense(16, 3, rng=np.random.default_rng(0))
    b = Dense(16, 3, rng=np.random.default_rng(0))
    assert a.params["W"].shape == (3, 16) and a.params["b"].shape == (3,)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
        assert np.abs(a.params[k]).max() <= 1 / np.sqrt(16)    # PyTorch's nn.Linear bound 1/sqrt(in_features)
    c = Dense(16, 3, "tanh", rng=np.random.default_rng(0), dtype=np.float32)
    y, _ = c.forward(np.ones((2, 16), np.float32))
    dx = c.backward(np.ones_like(y))
    assert y.dtype == dx.dtype == c.grads["W"].dtype == np.float32


def test_dense_errors(rng):
    with pytest.raises(ValueError, match="activation must be one of None, 'tanh', 'relu', 'sigmoid'; got 'softmax'"):
        Dense(D, F, "softmax", rng=rng)
    with pytest.raises(ValueError, match="out_features must be a positive int, got 0"):
        Dense(D, 0, rng=rng)
    layer = Dense(D, F, rng=rng)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, 5\) or \(N, 5\) to match W \(2, 5\), "
                                         r"got \(3, 4, 6\)"):
        layer.forward(np.zeros((N, T, D + 1)))
    with pytest.raises(TypeError, match="x must hold floating-point numbers"):
        layer.forward(np.zeros((N, T, D), dtype=np.int64))
    with pytest.raises(ValueError, match="Dense has no state: state must be None, got ndarray"):
        layer.forward(np.zeros((N, T, D)), np.zeros((N, F)))
    with pytest.raises(ValueError, match=r"b must have shape \(2,\), got \(1, 2\)"):
        dense_forward(np.zeros((N, D)), np.zeros((F, D)), np.zeros((1, F)))


# ---------------------------------------------------------------------------
# Embedding
# ---------------------------------------------------------------------------
V, E = 7, 3


def test_embedding_looks_up_rows(rng):
    emb = Embedding(V, E, rng=rng)
    idx = rng.integers(0, V, size=(N, T))
    e, state = emb.forward(idx)
    assert e.shape == (N, T, E) and state is None
    for n in range(N):
        for t in range(T):
            np.testing.assert_array_equal(e[n, t], emb.params["W"][idx[n, t]])
    e[0, 0] += 1.0                                   # the output is a copy, not a view of the table
    assert not np.array_equal(e[0, 0], emb.params["W"][idx[0, 0]])
    np.testing.assert_array_equal(emb.forward([1, 2])[0], emb.params["W"][[1, 2]])   # (N,) and lists work


def test_embedding_backward_adds_up_repeated_indices(rng):
    """Row k receives the sum of the gradients of every position holding k; rows never used stay zero."""
    emb = Embedding(V, E, rng=rng)
    idx = np.array([[1, 3, 1, 1], [3, 0, 1, 6]])
    de = rng.standard_normal((2, 4, E))
    emb.forward(idx)
    dx = emb.backward(de)
    assert dx is None and emb.d_state is None          # integer indices have no gradient
    expected = np.zeros((V, E))
    for n in range(2):
        for t in range(4):
            expected[idx[n, t]] += de[n, t]
    np.testing.assert_allclose(emb.grads["W"], expected, rtol=1e-14)
    assert not emb.grads["W"][[2, 4, 5]].any()
    naive = np.zeros((V, E))
    naive[idx] += de                                   # buffered: keeps one addition per repeated index
    assert not np.allclose(naive, expected)
    emb.forward(idx)
    emb.backward(de)                                   # gradients accumulate until zero_grad
    np.testing.assert_allclose(emb.grads["W"], 2 * expected, rtol=1e-14)
    np.testing.assert_allclose(embedding_backward(de, embedding_forward(idx, emb.params["W"])[1]), expected,
                               rtol=1e-14)


def test_embedding_gradient_check(rng):
    """Central differences on the table W (x is integer, so only W can be checked)."""
    emb = Embedding(V, E, rng=rng)
    idx = rng.integers(0, V, size=(N, T))
    idx[0, :2] = 4                                     # make sure one index repeats
    dout = rng.standard_normal((N, T, E))
    emb.forward(idx)
    emb.backward(dout)
    numeric = numerical_gradient(lambda: emb.forward(idx)[0], emb.params["W"], dout)
    assert rel_error(emb.grads["W"], numeric) < GRAD_TOL


def test_embedding_init_is_standard_normal_and_seeded():
    a = Embedding(4000, 4, rng=np.random.default_rng(0))
    W = a.params["W"]
    assert abs(W.mean()) < 0.03 and abs(W.std() - 1.0) < 0.03      # 16000 draws of N(0, 1)
    np.testing.assert_array_equal(W, Embedding(4000, 4, rng=np.random.default_rng(0)).params["W"])
    f32 = Embedding(V, E, rng=np.random.default_rng(0), dtype=np.float32)
    assert f32.forward(np.array([[0, 1]]))[0].dtype == np.float32


def test_embedding_errors(rng):
    emb = Embedding(V, E, rng=rng)
    with pytest.raises(TypeError, match=r"x must hold integer indices \(token ids\), got dtype float64; if the "
                                        r"values are whole numbers convert them with x.astype\(np.int64\)"):
        emb.forward(np.array([[1.0, 2.0]]))
    with pytest.raises(TypeError, match="x must hold integer indices .* got dtype bool"):
        emb.forward(np.array([[True, False]]))
    with pytest.raises(ValueError, match=r"x must hold indices in \[0, 7\) \(num_embeddings=7\), "
                                         r"got values from 0 to 7"):
        emb.forward(np.array([[0, 7]]))
    with pytest.raises(ValueError, match=r"got values from -1 to 2"):      # numpy would read row V-1
        emb.forward(np.array([[2, -1]]))
    with pytest.raises(ValueError, match=r"x must be a 2-D array \(N, T\) or a 1-D array \(N,\) of indices, "
                                         r"got 3-D"):
        emb.forward(np.zeros((1, 2, 3), dtype=int))
    with pytest.raises(RuntimeError, match="Embedding.backward was called before forward"):
        emb.backward(np.zeros((1, 2, E)))
    emb.forward(np.array([[0, 1]]))
    with pytest.raises(ValueError, match=r"d_outputs must have shape \(1, 2, 3\), got \(1, 2\)"):
        emb.backward(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="num_embeddings must be a positive int, got 0"):
        Embedding(0, E, rng=rng)


def test_embedding_rnn_dense_model_gradients(rng):
    """Sequential(Embedding, RNN, Dense): every parameter, including the table, by central differences."""
    model = Sequential(Embedding(V, E, rng=rng), RNN(E, 4, rng=rng), Dense(4, F, "tanh", rng=rng))
    idx = rng.integers(0, V, size=(2, T))
    out, _ = model.forward(idx)
    dout = rng.standard_normal(out.shape)
    model.zero_grad()
    assert model.backward(dout) is None                 # nothing below the embedding
    for name, p in model.params.items():
        numeric = numerical_gradient(lambda: model.forward(idx)[0], p, dout)
        assert rel_error(model.grads[name], numeric) < GRAD_TOL, name


# ---------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------
def test_dropout_is_the_identity_in_eval_mode(rng):
    drop = Dropout(0.5, rng=rng).eval()
    x = rng.standard_normal((N, T, D))
    y, state = drop.forward(x)
    np.testing.assert_array_equal(y, x)
    assert y is not x and state is None
    np.testing.assert_array_equal(drop.backward(x), x)


def test_dropout_rate_and_scaling_in_train_mode(rng):
    """About p of the entries become 0, the others x / (1 - p), so the mean is kept."""
    p = 0.25
    drop = Dropout(p, rng=rng)
    x = np.ones((100, 200))
    y, _ = drop.forward(x)
    assert abs(np.mean(y == 0) - p) < 0.01            # 20000 draws: std of the rate is 0.003
    np.testing.assert_allclose(y[y != 0], 1 / (1 - p), rtol=1e-15)
    assert abs(y.mean() - 1.0) < 0.02
    np.testing.assert_array_equal(y, x * drop.mask)
    d = rng.standard_normal(x.shape)
    np.testing.assert_array_equal(drop.backward(d), d * drop.mask)   # the same mask on the way back


def test_dropout_backward_uses_the_mode_of_its_forward(rng):
    drop = Dropout(0.5, rng=rng)
    x = rng.standard_normal((N, T, D))
    drop.forward(x)
    drop.eval()
    d = np.ones_like(x)
    np.testing.assert_array_equal(drop.backward(d), drop.mask)


def test_dropout_gradients_in_eval_and_train_mode(rng, monkeypatch):
    x = rng.standard_normal((N, T, D))
    drop = Dropout(0.5, rng=rng)
    errors = check_module_gradients(drop, x, rng=rng)      # eval mode: the identity
    assert set(errors) == {"x"} and errors["x"] < GRAD_TOL
    # train mode: check_module_gradients would switch to eval, so the mask is frozen and eval() disabled
    drop.train()
    drop.forward(x)
    drop.freeze()
    assert (drop.fixed_mask == 0).any()
    monkeypatch.setattr(drop, "eval", lambda: drop)
    errors = check_module_gradients(drop, x, rng=rng)
    assert drop.training and errors["x"] < GRAD_TOL, errors


def test_dropout_freeze_and_unfreeze(rng):
    drop = Dropout(0.5, rng=rng)
    x = rng.standard_normal((50, 20))
    with pytest.raises(RuntimeError, match="needs a training-mode forward first"):
        drop.freeze()
    y1, _ = drop.forward(x)
    drop.freeze()
    np.testing.assert_array_equal(drop.forward(x)[0], y1)
    with pytest.raises(ValueError, match=r"fixed_mask has shape \(50, 20\) but x has shape \(5, 20\)"):
        drop.forward(x[:5])
    drop.unfreeze()
    assert not np.array_equal(drop.forward(x)[0], y1)


def test_dropout_seed_and_zero_rate():
    x = np.ones((10, 10))
    a, _ = Dropout(0.5, rng=np.random.default_rng(3)).forward(x)
    b, _ = Dropout(0.5, rng=np.random.default_rng(3)).forward(x)
    np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(3)
    y, _ = Dropout(0.0, rng=rng).forward(x)
    np.testing.assert_array_equal(y, x)
    assert rng.random() == np.random.default_rng(3).random()      # p = 0 draws nothing


def test_dropout_errors(rng):
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\) \(the probability of zeroing a unit\), got 1"):
        Dropout(1, rng=rng)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\) .* got -0.1"):
        Dropout(-0.1, rng=rng)
    with pytest.raises(TypeError, match=r"p must be a number in \[0, 1\), got '0.5' \(str\)"):
        Dropout("0.5", rng=rng)
    with pytest.raises(TypeError, match=r"p must be a number in \[0, 1\), got True"):
        Dropout(True, rng=rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        Dropout(0.5, rng=None)
    with pytest.raises(ValueError, match="Dropout has no state: state must be None"):
        Dropout(0.5, rng=rng).forward(np.zeros(3), np.zeros(3))
