"""Seq2seq, sequence classifier, language-model sampling and forecasting helpers: gradients and behaviour."""
import numpy as np
import pytest

import rnncourse as rc
from rnncourse.models.classifier import SequenceClassifier
from rnncourse.layers.dense import Dense
from rnncourse.layers.embedding import Embedding
from rnncourse.models.forecasting import naive_forecast, recursive_forecast, seasonal_naive_forecast
from rnncourse.core.gradcheck import numerical_gradient, rel_error
from rnncourse.datasets import one_hot
from rnncourse.models.language_model import next_char_distribution, sample
from rnncourse.cells.lstm import LSTM
from rnncourse.models.seq2seq import Seq2Seq

from conftest import GRAD_TOL


def _check_params(model, run, loss, rng):
    """Parameter gradients of a model whose input is token ids, against central differences.

    The upstream gradient is the loss gradient at the logits; the numerical side differentiates
    sum(logits * dlogits), which is the chain rule's own definition and keeps rounding error low.
    """
    model.zero_grad()
    _, dlogits = loss(run())
    model.backward(dlogits)
    analytic = {k: v.copy() for k, v in model.grads.items()}
    return {k: rel_error(analytic[k], numerical_gradient(run, p, dlogits)) for k, p in model.params.items()}


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_seq2seq_gradients_reach_the_encoder(cell, rng):
    make = (lambda i, h: rc.RNN(i, h, rng=rng)) if cell == "rnn" else (lambda i, h: LSTM(i, h, rng=rng))
    model = Seq2Seq(Embedding(6, 3, rng=rng), make(3, 4), Embedding(5, 3, rng=rng), make(3, 4),
                    rc.Output(4, 5, rng=rng))
    src = rng.integers(0, 6, (2, 4))
    tgt_in, tgt_out = rng.integers(0, 5, (2, 3)), rng.integers(0, 5, (2, 3))
    errors = _check_params(model, lambda: model.forward((src, tgt_in))[0],
                           lambda z: rc.softmax_cross_entropy(z, tgt_out), rng)
    assert max(errors.values()) < GRAD_TOL, errors
    assert model.grads["encoder.W_xh"].any() and model.grads["src_embedding.W"].any()


def test_seq2seq_greedy_decode_stops_at_eos(rng):
    model = Seq2Seq(Embedding(6, 3, rng=rng), rc.RNN(3, 4, rng=rng), Embedding(5, 3, rng=rng),
                    rc.RNN(3, 4, rng=rng), rc.Output(4, 5, rng=rng))
    model.output.params["b_y"][...] = [0, 0, 0, 50.0, 0]      # token 3 always wins
    assert model.greedy_decode(np.zeros((2, 3), int), bos_id=1, eos_id=2, max_len=4) == [[3] * 4] * 2
    model.output.params["b_y"][...] = [0, 0, 50.0, 0, 0]      # <eos> at once
    assert model.greedy_decode(np.zeros((1, 3), int), bos_id=1, eos_id=2, max_len=4) == [[]]


@pytest.mark.parametrize("pooling", ["mean", "last"])
def test_classifier_gradients_and_padding_is_ignored(pooling, rng):
    model = SequenceClassifier(Embedding(7, 3, rng=rng), rc.RNN(3, 4, rng=rng), Dense(4, 2, rng=rng),
                               pad_id=0, pooling=pooling)
    ids = np.array([[3, 4, 5, 0, 0], [1, 2, 6, 6, 2]])
    y = np.array([1, 0])
    errors = _check_params(model, lambda: model.forward(ids)[0], lambda z: rc.softmax_cross_entropy(z, y), rng)
    assert max(errors.values()) < GRAD_TOL, errors
    # the embedding of the padding id receives no gradient: padded steps do not reach the output
    # (with "last", steps after the last real token do not either)
    model.zero_grad()
    model.backward(rc.softmax_cross_entropy(model.forward(ids)[0], y)[1])
    assert not model.grads["embedding.W"][0].any()
    # so logits of a padded sequence equal those of the same sequence without padding
    short = model.forward(ids[:1, :3])[0]
    np.testing.assert_allclose(model.forward(ids)[0][:1], short, rtol=1e-12)


def test_classifier_rejects_bad_padding(rng):
    model = SequenceClassifier(Embedding(7, 3, rng=rng), rc.RNN(3, 4, rng=rng), Dense(4, 2, rng=rng))
    with pytest.raises(ValueError, match="padding must come after the tokens"):
        model.forward(np.array([[0, 3, 4]]))
    with pytest.raises(ValueError, match="sequence 0 holds only padding"):
        model.forward(np.array([[0, 0, 0]]))


def test_temperature_and_top_k():
    z = np.array([1.0, 2.0, 3.0, 4.0])
    cold, hot = next_char_distribution(z, 0.1), next_char_distribution(z, 10.0)
    assert cold[3] > 0.99 and hot.max() - hot.min() < 0.1
    p = next_char_distribution(z, 1.0, top_k=2)
    np.testing.assert_allclose(p, [0, 0, np.exp(3) / (np.exp(3) + np.exp(4)), np.exp(4) / (np.exp(3) + np.exp(4))])


def test_sampling_is_deterministic_and_follows_the_model(rng):
    model = rc.Sequential(rc.RNN(4, 5, rng=rng), rc.Output(5, 4, rng=rng))
    a = sample(model, [0, 1], 20, vocab_size=4, rng=np.random.default_rng(3))
    b = sample(model, [0, 1], 20, vocab_size=4, rng=np.random.default_rng(3))
    assert a == b and len(a) == 20 and set(a) <= {0, 1, 2, 3}
    model.layers[1].params["b_y"][...] = [0, 0, 100.0, 0]
    assert sample(model, [0], 5, vocab_size=4, rng=rng, temperature=0.5) == [2] * 5
    np.testing.assert_array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


def test_forecast_baselines_and_recursion(rng):
    w = np.arange(1.0, 7.0).reshape(1, 6, 1)
    np.testing.assert_array_equal(naive_forecast(w, 3), [[6.0, 6.0, 6.0]])
    np.testing.assert_array_equal(seasonal_naive_forecast(w, 5, period=3), [[4.0, 5.0, 6.0, 4.0, 5.0]])

    class AddOne(rc.Module):        # a "model" that predicts last value + 1
        def forward(self, x, state=None):
            return x[:, -1, :] + 1.0, None

    np.testing.assert_array_equal(recursive_forecast(AddOne(), w, 4), [[7.0, 8.0, 9.0, 10.0]])
