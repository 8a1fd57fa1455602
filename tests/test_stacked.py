"""Stacked (deep) RNNs: equal to the layers applied by hand, dropout between layers, gradients, errors.

The tests parametrised by ``cell`` run with every recurrent layer class of
``support.cells`` (Elman RNN, LSTM, GRU): the container must work whatever a layer's state is.
"""
import numpy as np
import pytest

from rnncourse.models.bidirectional import Bidirectional
from rnncourse.core.gradcheck import check_module_gradients
from rnncourse.cells.rnn import RNN
from rnncourse.models.stacked import Stacked

from conftest import GRAD_TOL
from support.cells import LAYER_CLASSES, flat, random_like

N, T, D, H = 2, 4, 3, 3
T_GRAD = 3          # shorter sequences for the gradient checks of deep gated stacks (time)
CELLS = list(LAYER_CLASSES)


def check_gradients_in_train_mode(module, x, state, rng, monkeypatch):
    """check_module_gradients puts the module in eval mode, where dropout is the identity.

    To check the *training-mode* function, every dropout mask is drawn once and
    frozen (so the function no longer changes between evaluations) and eval() is
    made a no-op for the duration of the check.
    """
    module.train()
    module.forward(x, state)
    module.freeze_dropout()
    monkeypatch.setattr(module, "eval", lambda: module)
    errors = check_module_gradients(module, x, state, rng=rng)
    assert module.training and all(d.training for d in module.dropouts)
    return errors


# ---------------------------------------------------------------------------
# what the stack computes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell", CELLS)
def test_equals_the_layers_applied_by_hand(cell, rng):
    """No dropout: layer l+1 reads layer l's outputs; final_state is the list of every layer's final state."""
    deep = Stacked.build(LAYER_CLASSES[cell], D, H, num_layers=3, rng=rng)
    x = rng.standard_normal((N, T, D))
    state = random_like(deep.forward(x)[1], rng)
    out, finals = deep.forward(x, state)
    h = x
    for layer, s, final in zip(deep.layers, state, finals):
        h, f = layer.forward(h, s)
        for a, b in zip(flat(final), flat(f)):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(out, h)
    assert isinstance(finals, list) and len(finals) == 3


def test_dropout_is_inactive_in_eval_mode(rng):
    deep = Stacked.build(RNN, D, H, num_layers=3, rng=rng, dropout=0.5).eval()
    x = rng.standard_normal((N, T, D))
    out, _ = deep.forward(x)
    h = x
    for layer in deep.layers:
        h, _ = layer.forward(h)
    np.testing.assert_array_equal(out, h)


def test_dropout_in_train_mode_zeros_about_p_and_scales_by_one_over_keep(rng):
    """Between two layers, about p of the entries are zeroed and the rest multiplied by 1/(1-p)."""
    p = 0.3
    deep = Stacked.build(RNN, D, 8, num_layers=2, rng=rng, dropout=p)
    x = rng.standard_normal((200, 10, D))
    out, _ = deep.forward(x)
    mask = deep.dropouts[0].mask
    assert mask.shape == (200, 10, 8)
    assert abs(np.mean(mask == 0) - p) < 0.02                 # 16000 draws: std of the rate is 0.004
    np.testing.assert_allclose(mask[mask != 0], 1 / (1 - p), rtol=1e-15)
    # the second layer reads the first layer's outputs times that mask; nothing is applied after it
    h1, _ = deep.layers[0].forward(x)
    expected, _ = deep.layers[1].forward(h1 * mask)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-15)
    # a new forward draws a new mask
    deep.forward(x)
    assert not np.array_equal(deep.dropouts[0].mask, mask)


def test_no_dropout_modules_for_a_single_layer_or_zero_rate(rng):
    assert Stacked.build(RNN, D, H, num_layers=1, rng=rng, dropout=0.5).dropouts == []
    assert Stacked.build(RNN, D, H, num_layers=3, rng=rng).dropouts == []
    assert len(Stacked.build(RNN, D, H, num_layers=3, rng=rng, dropout=0.5).dropouts) == 2


def test_carrying_the_final_states_continues_the_sequence(rng):
    """Two chunks with the list of final states carried over give the same outputs as one pass."""
    deep = Stacked.build(RNN, D, H, num_layers=2, rng=rng)
    x = rng.standard_normal((N, 6, D))
    whole, finals = deep.forward(x)
    first, s = deep.forward(x[:, :3])
    second, finals2 = deep.forward(x[:, 3:], s)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, rtol=1e-14, atol=1e-15)
    for a, b in zip(finals, finals2):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def test_build_sizes_kwargs_names_and_seed(rng):
    deep = Stacked.build(RNN, D, 5, num_layers=3, rng=np.random.default_rng(3), nonlinearity="relu")
    assert [layer.input_size for layer in deep.layers] == [D, 5, 5]
    assert all(layer.nonlinearity == "relu" for layer in deep.layers)
    assert deep.input_size == D and deep.output_size == 5 and deep.num_layers == 3
    assert set(deep.params) == {f"{i}.{p}" for i in range(3) for p in ("W_xh", "W_hh", "b_h")}
    assert deep.params["1.W_hh"] is deep.layers[1].params["W_hh"]
    # the same seed gives the same weights and the same dropout masks
    x = rng.standard_normal((N, T, D))
    a = Stacked.build(RNN, D, 5, num_layers=3, rng=np.random.default_rng(3), dropout=0.5)
    b = Stacked.build(RNN, D, 5, num_layers=3, rng=np.random.default_rng(3), dropout=0.5)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    np.testing.assert_array_equal(a.forward(x)[0], b.forward(x)[0])


def test_build_bidirectional_layers_read_twice_the_hidden_size(rng):
    deep = Stacked.build(RNN, D, H, num_layers=2, rng=rng, bidirectional=True)
    assert all(isinstance(layer, Bidirectional) for layer in deep.layers)
    assert deep.layers[1].input_size == 2 * H and deep.output_size == 2 * H
    x = rng.standard_normal((N, T, D))
    out, finals = deep.forward(x)
    assert out.shape == (N, T, 2 * H) and all(isinstance(f, tuple) for f in finals)
    assert "1.backward.W_xh" in deep.params
    errors = check_module_gradients(deep, x, random_like(finals, rng), rng=rng)
    assert max(errors.values()) < GRAD_TOL, errors


# ---------------------------------------------------------------------------
# gradients
# ---------------------------------------------------------------------------
def test_gradients_eval_mode_without_states(rng):
    """state=None: every layer starts from zeros; dropout (p=0.4) is off in eval mode."""
    deep = Stacked.build(RNN, D, H, num_layers=2, rng=rng, dropout=0.4)
    errors = check_module_gradients(deep, rng.standard_normal((N, T, D)), rng=rng)
    assert set(errors) == {"x"} | set(deep.params)
    assert max(errors.values()) < GRAD_TOL, errors


@pytest.mark.parametrize("cell", CELLS)
def test_gradients_eval_mode_with_states(cell, rng):
    """Every parameter of every layer, x, and every layer's initial state (d_state is a list)."""
    deep = Stacked.build(LAYER_CLASSES[cell], D, H, num_layers=2, rng=rng, dropout=0.4)
    x = rng.standard_normal((N, T_GRAD, D))
    state = random_like(deep.forward(x)[1], rng)
    errors = check_module_gradients(deep, x, state, rng=rng)
    assert set(errors) == {"x"} | {f"state.{i}" for i in range(len(flat(state)))} | set(deep.params)
    assert max(errors.values()) < GRAD_TOL, errors
    assert isinstance(deep.d_state, list) and len(deep.d_state) == 2


@pytest.mark.parametrize("cell", CELLS)
def test_gradients_train_mode_with_frozen_dropout(cell, rng, monkeypatch):
    """In training mode the gradient must pass through the same dropout masks as the forward pass."""
    deep = Stacked.build(LAYER_CLASSES[cell], D, H, num_layers=3, rng=rng, dropout=0.5)
    x = rng.standard_normal((N, T_GRAD, D))
    state = random_like(deep.forward(x)[1], rng)
    errors = check_gradients_in_train_mode(deep, x, state, rng, monkeypatch)
    assert all((d.fixed_mask == 0).any() for d in deep.dropouts)   # dropout really was active
    assert set(errors) >= {"x", "state.0"} | set(deep.params)
    assert max(errors.values()) < GRAD_TOL, errors


def test_mixed_layers_in_one_stack(rng):
    """An RNN under a Bidirectional pair: states of different structures in one list."""
    deep = Stacked([RNN(D, 4, rng=rng), Bidirectional(RNN(4, H, rng=rng), RNN(4, H, rng=rng), merge="sum")])
    x = rng.standard_normal((N, T, D))
    out, finals = deep.forward(x)
    assert out.shape == (N, T, H) and isinstance(finals[0], np.ndarray) and isinstance(finals[1], tuple)
    errors = check_module_gradients(deep, x, random_like(finals, rng), rng=rng)
    assert max(errors.values()) < GRAD_TOL, errors


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------
def test_layer_sizes_must_chain(rng):
    with pytest.raises(ValueError, match=r"layers\[1\] \(RNN\) reads inputs of size 5 but layers\[0\] \(RNN\) "
                                         r"outputs size 4"):
        Stacked([RNN(D, 4, rng=rng), RNN(5, H, rng=rng)])
    with pytest.raises(ValueError, match=r"layers\[1\] \(RNN\) reads inputs of size 3 but layers\[0\] "
                                         r"\(Bidirectional\) outputs size 6"):
        Stacked([Bidirectional(RNN(D, H, rng=rng), RNN(D, H, rng=rng)), RNN(H, H, rng=rng)])


def test_constructor_errors(rng):
    layer = RNN(D, D, rng=rng)
    with pytest.raises(ValueError, match=r"layers\[1\] is the same object as layers\[0\]"):
        Stacked([layer, layer])
    with pytest.raises(ValueError, match="layers must hold at least one layer"):
        Stacked([])
    with pytest.raises(TypeError, match="layers must be a list of rnncourse modules, got RNN"):
        Stacked(layer)
    with pytest.raises(TypeError, match=r"layers\[1\] must be an rnncourse Module .* got str"):
        Stacked([layer, "RNN"])
    with pytest.raises(TypeError, match="rng is required when dropout > 0"):
        Stacked([RNN(D, H, rng=rng), RNN(H, H, rng=rng)], dropout=0.2)
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\) .* got 1.0"):
        Stacked([layer], dropout=1.0, rng=rng)
    with pytest.raises(TypeError, match="cell_class must be a Module class"):
        Stacked.build(layer, D, H, 2, rng=rng)
    with pytest.raises(ValueError, match="num_layers must be a positive int, got 0"):
        Stacked.build(RNN, D, H, 0, rng=rng)


def test_state_must_be_a_list_per_layer(rng):
    deep = Stacked.build(RNN, D, H, num_layers=2, rng=rng)
    x = rng.standard_normal((N, T, D))
    with pytest.raises(ValueError, match=r"state must be None or a list of 2 per-layer entries .* got ndarray"):
        deep.forward(x, np.zeros((N, H)))
    with pytest.raises(ValueError, match="got list of length 3"):
        deep.forward(x, [None] * 3)
    deep.forward(x)
    with pytest.raises(ValueError, match="d_final_state must be None or a list of 2 per-layer entries"):
        deep.backward(np.zeros((N, T, H)), [None])


def test_build_draws_dropout_masks_from_dropout_rng():
    """A separate dropout_rng leaves the weights as rng alone draws them, and draws the masks itself."""
    import numpy as np
    from rnncourse.cells.rnn import RNN
    from rnncourse.models.stacked import Stacked
    plain = Stacked.build(RNN, 3, 4, 2, rng=np.random.default_rng(0))
    masked = Stacked.build(RNN, 3, 4, 2, rng=np.random.default_rng(0), dropout=0.5,
                           dropout_rng=np.random.default_rng(1))
    for name, value in plain.params.items():
        np.testing.assert_array_equal(value, masked.params[name])
    assert masked.rng is not None and all(d.rng is masked.rng for d in masked.dropouts)
    with pytest.raises(TypeError, match="dropout_rng"):
        Stacked.build(RNN, 3, 4, 2, rng=np.random.default_rng(0), dropout=0.5, dropout_rng=1)
