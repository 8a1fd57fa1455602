"""Full and truncated BPTT."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.core.gradcheck import numerical_gradient, rel_error

from conftest import GRAD_TOL

N, T, D, H, O = 2, 9, 3, 4, 2


def _model(seed=0):
    r = np.random.default_rng(seed)
    return rc.Sequential(rc.RNN(D, H, rng=r), rc.Output(H, O, rng=r))


def _grads(model, x, y, truncation, mask=None):
    model.zero_grad()
    loss, _ = rc.run_bptt(model, x, y, "mse", mask=mask, truncation=truncation)
    return loss, {k: v.copy() for k, v in model.grads.items()}


@pytest.mark.parametrize("k", [T, T + 5])
def test_truncated_equals_full_when_chunk_covers_sequence(k, rng):
    x, y = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, O))
    model = _model()
    loss_full, g_full = _grads(model, x, y, None)
    loss_tr, g_tr = _grads(model, x, y, k)
    assert loss_tr == loss_full
    for name in g_full:
        np.testing.assert_array_equal(g_tr[name], g_full[name])


def test_full_bptt_gradient_is_the_true_gradient(rng):
    x, y = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, O))
    model = _model()
    _, g = _grads(model, x, y, None)
    f = lambda: rc.mse(model.forward(x)[0], y)[0]
    for name, p in model.params.items():
        assert rel_error(g[name], numerical_gradient(f, p)) < GRAD_TOL, name


@pytest.mark.parametrize("k", [2, 4])
def test_truncated_gradient_cuts_at_chunk_edges(k, rng):
    """With k < T the gradient is that of the chunk losses with each chunk's start state held constant."""
    x, y = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, O))
    mask = np.ones((N, T))
    mask[1, 6:] = 0
    model = _model()
    loss_tr, g_tr = _grads(model, x, y, k, mask)
    _, g_full = _grads(model, x, y, None, mask)
    # the forward pass is the same as without truncation: the state is carried
    assert loss_tr == pytest.approx(rc.mse(model.forward(x)[0], y, mask)[0], rel=1e-13)
    # start states of each chunk from an unperturbed run, then frozen
    starts, state = [], None
    for s in range(0, T, k):
        starts.append(state)
        _, state = model.forward(x[:, s:s + k], state)
    frozen = [None if st is None else [a.copy() if a is not None else None for a in st] for st in starts]

    def chunked_loss():
        total, m_all = 0.0, mask.sum()
        for c, s in enumerate(range(0, T, k)):
            out, _ = model.forward(x[:, s:s + k], frozen[c])
            m = mask[:, s:s + k]
            total += m.sum() / m_all * rc.mse(out, y[:, s:s + k], m)[0]
        return total

    for name, p in model.params.items():
        assert rel_error(g_tr[name], numerical_gradient(chunked_loss, p)) < GRAD_TOL, name
    assert rel_error(g_tr["0.W_hh"], g_full["0.W_hh"]) > 1e-3, "truncation should change the recurrent gradient"


def test_chunk_of_pure_padding_carries_state_without_gradient(rng):
    x, y = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, O))
    mask = np.ones((N, T))
    mask[:, 3:6] = 0
    model = _model()
    loss, state = rc.run_bptt(model, x, y, mask=mask, truncation=3)
    np.testing.assert_allclose(state[0], model.forward(x)[1][0], rtol=1e-14)
    assert np.isfinite(loss)
