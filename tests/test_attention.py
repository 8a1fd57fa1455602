"""Additive attention and the attention encoder-decoder: gradients, weights, masks; greedy and beam search."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.core.gradcheck import check_function_gradients, numerical_gradient, rel_error
from rnncourse.layers.embedding import Embedding
from rnncourse.models.attention import AttentionSeq2Seq, additive_attention_backward, additive_attention_forward
from rnncourse.models.seq2seq import Seq2Seq, beam_search, greedy_search

from conftest import GRAD_TOL

N, S, H_q, H_k, A = 3, 5, 4, 6, 7


def _inputs(rng):
    # moderate scales: tanh far from saturation, so that no gradient entry is tiny next to its rounding
    return dict(query=rng.standard_normal((N, H_q)), keys=rng.standard_normal((N, S, H_k)),
                keys_proj=0.5 * rng.standard_normal((N, S, A)), W_q=0.3 * rng.standard_normal((A, H_q)),
                v=rng.standard_normal(A))


@pytest.mark.parametrize("masked", [False, True])
def test_additive_attention_gradients(masked, rng):
    mask = np.ones((N, S), dtype=bool)
    mask[0, :2] = mask[2, :4] = False                  # left padding, as the sources have it
    m = mask if masked else None

    def forward(**kw):
        context, _, cache = additive_attention_forward(**kw, mask=m)
        return context, cache

    errors = check_function_gradients(forward, additive_attention_backward, _inputs(rng), rng=rng)
    assert max(errors.values()) < GRAD_TOL, errors


def test_attention_weights_are_a_distribution_that_skips_padding(rng):
    mask = np.ones((N, S), dtype=bool)
    mask[1, :3] = False
    context, alpha, _ = additive_attention_forward(**_inputs(rng), mask=mask)
    np.testing.assert_allclose(alpha.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(alpha[1, :3] == 0.0) and np.all(alpha[1, 3:] > 0)
    keys = _inputs(np.random.default_rng(1234))["keys"]            # the same draw as above (fixture seed)
    np.testing.assert_allclose(context, np.einsum("ns,nsh->nh", alpha, keys), rtol=1e-12)


def test_attention_refuses_a_row_without_positions_and_mixed_dtypes(rng):
    with pytest.raises(ValueError, match="mask must keep at least one source position in every row"):
        additive_attention_forward(**_inputs(rng), mask=np.zeros((N, S), dtype=bool))
    bad = _inputs(rng)
    bad["v"] = bad["v"].astype(np.float32)
    with pytest.raises(TypeError, match="v has dtype float32"):
        additive_attention_forward(**bad)


def _model(rng, V_src=7, V_tgt=6, E=3, H=4, pad=0):
    return AttentionSeq2Seq(Embedding(V_src, E, rng=rng), rc.GRU(E, H, rng=rng), Embedding(V_tgt, E, rng=rng),
                            attention_size=5, output_size=V_tgt, rng=rng, src_pad_id=pad)


def test_attention_seq2seq_gradients_of_every_parameter(rng):
    model = _model(rng)
    src = rng.integers(1, 7, (2, 4))
    src[0, 0] = 0                                       # one padded position
    tgt_in = rng.integers(0, 6, (2, 3))
    dlogits = rng.standard_normal((2, 3, 6))

    def run():
        return model.forward((src, tgt_in))[0]

    model.zero_grad()
    run()
    model.backward(dlogits)
    analytic = {k: v.copy() for k, v in model.grads.items()}
    errors = {k: rel_error(analytic[k], numerical_gradient(run, p, dlogits)) for k, p in model.params.items()}
    assert max(errors.values()) < GRAD_TOL, errors
    assert {"W_q", "W_k", "b_a", "v", "encoder.W_xh", "src_embedding.W"} <= set(errors)


def test_alignment_is_recorded_and_ignores_padding(rng):
    model = _model(rng)
    src = np.array([[0, 0, 3, 4], [1, 2, 3, 4]])
    model.forward((src, np.array([[1, 2, 3], [1, 2, 3]])))
    assert model.alignment.shape == (2, 3, 4)
    np.testing.assert_allclose(model.alignment.sum(axis=2), 1.0, rtol=1e-12)
    assert np.all(model.alignment[0, :, :2] == 0.0)


def _scripted_step(table):
    """A decoder whose next-token log-probabilities depend only on the prefix: ``table[prefix]``."""
    V = len(next(iter(table.values())))

    def step(prev, state, rows):
        prefixes = np.empty(len(prev), dtype=object)     # the state: each row's prefix, led by <bos>
        prefixes[:] = [p + (int(t),) for p, t in zip(state, prev)]
        logits = np.array([np.log(table.get(p[1:], np.full(V, 1.0 / V))) for p in prefixes])
        return logits, prefixes

    return step


def test_beam_search_finds_what_greedy_misses():
    # token 0 = <eos>; greedy takes 1 (p 0.6) and then can only end badly; 2 (p 0.4) leads to a sure end
    table = {(): [0.0001, 0.6, 0.3999], (1,): [0.3, 0.35, 0.35], (2,): [0.99, 0.005, 0.005]}
    table = {k: np.array(v) for k, v in table.items()}
    for k in [(1, 1), (1, 2)]:
        table[k] = np.array([0.9, 0.05, 0.05])
    start = np.empty(1, dtype=object)
    start[0] = ()
    greedy = greedy_search(_scripted_step(table), start, 1, bos_id=9, eos_id=0, max_len=4)
    beam = beam_search(_scripted_step(table), start, 1, bos_id=9, eos_id=0, max_len=4, beam_width=2,
                       length_norm=False)

    def logp(seq):
        prefix, total = (), 0.0
        for tok in list(seq) + [0]:
            total += np.log(table[prefix][tok])
            prefix += (tok,)
        return total

    assert beam == [[2]] and greedy[0][0] == 1
    assert logp(beam[0]) > logp(greedy[0])


@pytest.mark.parametrize("kind", ["plain", "attention"])
def test_beam_of_width_one_without_normalisation_is_greedy(kind, rng):
    if kind == "plain":
        model = Seq2Seq(Embedding(7, 3, rng=rng), rc.GRU(3, 4, rng=rng), Embedding(6, 3, rng=rng),
                        rc.GRU(3, 4, rng=rng), rc.Output(4, 6, rng=rng))
    else:
        model = _model(rng)
    src = rng.integers(1, 7, (5, 4))
    greedy = model.greedy_decode(src, bos_id=1, eos_id=2, max_len=6)
    step, state = model._decoder(src)
    beam = beam_search(step, state, 5, bos_id=1, eos_id=2, max_len=6, beam_width=1, length_norm=False)
    assert beam == greedy
    wide = model.beam_decode(src, bos_id=1, eos_id=2, max_len=6, beam_width=3)
    assert len(wide) == 5 and all(len(s) <= 6 and 2 not in s for s in wide)


def test_decoding_arguments_are_checked(rng):
    model = _model(rng)
    with pytest.raises(TypeError, match="bos_id must be an int"):
        model.greedy_decode(np.ones((1, 2), int), bos_id=1.5, eos_id=2, max_len=3)
    with pytest.raises(ValueError, match="beam_width must be a positive int"):
        model.beam_decode(np.ones((1, 2), int), bos_id=1, eos_id=2, max_len=3, beam_width=0)
