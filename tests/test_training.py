"""An Elman RNN learns the next value of a sine wave; training is deterministic."""
import time
import warnings

import numpy as np
import pytest

import rnncourse as rc
from rnncourse.datasets import sine_next_value


def _train(seed, epochs=200, **kw):
    rng = np.random.default_rng(seed)
    x, y = sine_next_value(64, 20, rng=rng)
    batches = [(x[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)]
    model = rc.Sequential(rc.RNN(1, 16, rng=rng), rc.Output(16, 1, rng=rng))
    hist = rc.fit(model, rc.Adam(model, lr=0.02), batches, loss="mse", epochs=epochs, clip_norm=5.0, **kw)
    return model, hist


def test_sine_next_value_is_learned_in_seconds():
    t0 = time.perf_counter()
    model, hist = _train(0)
    elapsed = time.perf_counter() - t0
    # held-out waves; the first 3 steps are masked out: one or two values cannot tell
    # the phase of a wave, so no model can predict them well
    x, y = sine_next_value(32, 20, rng=np.random.default_rng(99))
    warm = np.ones((32, 20))
    warm[:, :3] = 0
    naive = rc.mse(x, y, warm)[0]                 # "no change" forecast: y_hat_t = x_t, about 0.14
    test_loss = rc.mse(model.forward(x)[0], y, warm)[0]
    assert hist.epoch_losses[-1] < 0.02 < 0.2 < hist.epoch_losses[0]
    assert test_loss < 0.002 and test_loss < naive / 50, (test_loss, naive)
    assert elapsed < 30, f"training took {elapsed:.1f} s"


def test_same_seed_same_weights_and_losses():
    m1, h1 = _train(3, epochs=5)
    m2, h2 = _train(3, epochs=5)
    m3, h3 = _train(4, epochs=5)
    assert h1.step_losses == h2.step_losses
    for k in m1.params:
        np.testing.assert_array_equal(m1.params[k], m2.params[k])
    assert h1.step_losses != h3.step_losses


def test_dataset_targets_are_the_next_inputs():
    x, y = sine_next_value(3, 10, rng=np.random.default_rng(0), noise=0.1)
    assert x.shape == y.shape == (3, 10, 1)
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])


def test_progress_bar_is_quiet_unless_asked(capsys):
    _train(0, epochs=1)
    assert capsys.readouterr().err == ""
    _train(0, epochs=2, progress=True)
    assert "training" in capsys.readouterr().err


def test_truncated_training_and_clip_value_run():
    model, hist = _train(0, epochs=3, truncation=5, clip_value=1.0)
    assert len(hist.step_losses) == 12 and len(hist.grad_norms) == 12
    assert hist.epoch_losses[-1] < hist.epoch_losses[0]


def test_fit_rejects_bad_batches():
    rng = np.random.default_rng(0)
    model = rc.Sequential(rc.RNN(1, 4, rng=rng), rc.Output(4, 1, rng=rng))
    with pytest.raises(TypeError, match=r"batches\[0\] must be a tuple \(x, y\) or \(x, y, mask\)"):
        rc.fit(model, rc.SGD(model), [np.zeros((1, 2, 1))])
    with pytest.raises(ValueError, match="optimizer must be an rnncourse optimizer built on this model"):
        rc.fit(model, rc.SGD(rc.RNN(1, 4, rng=rng)), [])


# ---------------------------------------------------------------------------
# a diverging run keeps its history
# ---------------------------------------------------------------------------
def _exploding_model(rng):
    from rnncourse import RNN, Output, Sequential
    model = Sequential(RNN(1, 8, "relu", rng=rng), Output(8, 1, rng=rng))
    model.params["0.W_hh"][...] = 2.0 * np.eye(8)           # spectral radius 2: activations grow 2^t
    return model


def test_fit_reports_divergence_with_the_history_so_far(rng):
    from rnncourse.core.optim import SGD
    from rnncourse.core.train import TrainingDiverged, fit
    model = _exploding_model(rng)
    x, y = np.ones((4, 30, 1)), np.ones((4, 30, 1))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(TrainingDiverged, match=r"training diverged in epoch \d+, batch 1.*clip_norm") as info:
            fit(model, SGD(model, lr=1.0), [(x, y)], epochs=20)
    err = info.value
    assert isinstance(err, ValueError)                       # callers catching ValueError still work
    assert err.batch == 1 and err.epoch >= 2
    assert len(err.history.step_losses) == err.epoch - 1     # every completed batch is kept
    assert len(err.history.grad_norms) == err.epoch - 1
    assert np.isfinite(err.history.step_losses).all()


def test_fit_still_reports_a_bad_batch_as_such(rng):
    """A NaN in the data is the caller's error, not a divergence: the message names x."""
    from rnncourse.core.optim import SGD
    from rnncourse.core.train import TrainingDiverged, fit
    model = _exploding_model(rng)
    x = np.ones((4, 30, 1))
    x[0, 3, 0] = np.nan
    with pytest.raises(ValueError, match="x contains 1 NaN") as info:
        fit(model, SGD(model, lr=0.01), [(x, np.ones((4, 30, 1)))], epochs=1)
    assert not isinstance(info.value, TrainingDiverged)
