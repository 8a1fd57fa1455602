r"""Visible checks of assignment 4, *Bidirectional and deep RNNs for sentiment* (``assignments/source/a04_sentiment``).

Taught on the book pages *Bidirectional RNNs* (``book/variants/bidirectional``),
*Deep RNNs* (``book/variants/deep_rnn``) and *Sentiment analysis*
(``book/applications/sentiment``).

The student writes, in numpy, the three pieces that
:class:`rnncourse.models.bidirectional.Bidirectional`, :class:`rnncourse.models.stacked.Stacked`
and :class:`rnncourse.models.classifier.SequenceClassifier` put together (both directions
merged, masked mean pooling, layers stacked), then trains a sentiment classifier
from ``rnncourse``'s layers on reviews whose last clause decides
(:func:`rnncourse.datasets.text.review_sentences`) and compares it with a forward-only one.

``visible_*`` functions are the tests students see: small, and each failure
names the term or the step that is wrong. The hidden tests, which draw fresh
inputs from a seed, live with the course in ``assignments/graders/a04_sentiment.py``,
not in this package; they use the public ``check_*`` helpers here, which compute
the references at grading time.
Answers that call ``rnncourse``'s own implementation of what they must write
(modules ``bidirectional``, ``stacked``, ``classifier``) earn nothing.
"""
from __future__ import annotations

import time

import numpy as np

from ..models.bidirectional import Bidirectional as _Bidirectional
from ..datasets.text import review_sentences as _review_sentences
from ..core.module import Module as _Module
from ..cells.rnn import RNN as _RNN
from . import GradingError, call_student, check_array, diagnose, elapsed, values_match

#: rnncourse modules whose code the answers of parts 1-3 must not run.
FORBIDDEN = ("models.bidirectional", "models.stacked", "models.classifier", "applications")
#: Part 4 may use every layer of rnncourse, but not the finished application.
FORBIDDEN_TRAINING = ("applications",)

#: Held-out accuracy the bidirectional classifier must reach (the reference, two GRUs with mean pooling,
#: reached 0.996-1.000 over ten seeds of data and training).
BIDIRECTIONAL_ACCURACY = 0.95
#: Held-out accuracy the forward-only classifier must reach, to show it learnt something (guessing
#: gives 0.5); the reference, one GRU with mean pooling, reached 0.656-0.868 (mean 0.742) on the same seeds.
FORWARD_ONLY_ACCURACY = 0.60
#: Seconds one call of ``train_sentiment`` may take on 2000 reviews (the reference needs 1-4 s on an idle
#: machine, up to 15 s on a busy one).
TIME_LIMIT = 30.0
N_TRAIN, N_TEST = 2000, 500


def _flip(a):
    """Reverse the time axis (axis 1) of a (N, T, ...) array."""
    return np.ascontiguousarray(a[:, ::-1])


def layer_fn(layer):
    """A function (N, T, D) -> (N, T, H) running ``layer`` from a zero state.

    Book page: ``book/variants/bidirectional``.
    """
    def run(x):
        return layer.forward(x)[0]
    return run


# -- 1. both directions ---------------------------------------------------------------------------
def _bidirectional_ref(x, forward_fn, backward_fn):
    return np.concatenate([forward_fn(x), _flip(backward_fn(_flip(x)))], axis=-1)


def _bidirectional_mistakes(x, forward_fn, backward_fn):
    out_f, out_b_rev = forward_fn(x), backward_fn(_flip(x))
    return {
        "the backward half is still in reversed time order: flip the backward layer's outputs back "
        "(out_b[:, ::-1]) so that position t lines up with x_t":
            np.concatenate([out_f, out_b_rev], axis=-1),
        "the halves are concatenated in the wrong order: the forward half comes first, "
        "[forward ; backward]": np.concatenate([_flip(out_b_rev), out_f], axis=-1),
        "the backward layer must read the sequence reversed in time, x[:, ::-1] (axis 1 is time)":
            np.concatenate([out_f, backward_fn(x)], axis=-1),
    }


def check_bidirectional(bidirectional_forward, x, forward_fn, backward_fn, H_f, *, explain):
    """Check ``bidirectional_forward`` on ``x`` with the two layer functions; ``explain`` names mistakes.

    Book page: ``book/variants/bidirectional``.
    """
    ref = _bidirectional_ref(x, forward_fn, backward_fn)
    got = call_student("bidirectional_forward", bidirectional_forward, x, forward_fn, backward_fn,
                       forbidden=FORBIDDEN)
    if explain and type(got) is np.ndarray and got.shape[:-1] == ref.shape[:-1] and got.shape != ref.shape:
        raise GradingError(f"bidirectional_forward: y has {got.shape[-1]} features per step, expected "
                           f"H_f + H_b = {ref.shape[-1]}: concatenate the two halves along the last axis")
    if explain and type(got) is np.ndarray and got.shape == ref.shape:
        diagnose("bidirectional_forward", got, _bidirectional_mistakes(x, forward_fn, backward_fn))
        check_array("bidirectional_forward", got[..., :H_f], ref[..., :H_f], what="the forward half y[..., :H_f]",
                    hint="it must be forward_fn(x), unchanged")
        check_array("bidirectional_forward", got[..., H_f:], ref[..., H_f:],
                    what="the backward half y[..., H_f:]",
                    hint="run backward_fn on x reversed in time, then reverse its outputs back")
    check_array("bidirectional_forward", got, ref,
                hint="y[:, t] = [forward output at t ; backward output at t]" if explain else None)


def visible_bidirectional(bidirectional_forward):
    """Running sums as the two 'layers' (readable), then two small RNN layers of different sizes.

    With ``forward_fn`` a running sum over time, the forward half at step t is
    :math:`x_1 + \\dots + x_t` and the backward half must be :math:`x_t + \\dots + x_T`.

    Book page: ``book/variants/bidirectional``.
    """
    x = np.arange(1.0, 7.0).reshape(1, 3, 2)          # N=1, T=3, D=2

    def running_sum(seq):
        return np.cumsum(seq, axis=1)

    check_bidirectional(bidirectional_forward, x, running_sum, running_sum, 2, explain=True)
    rng = np.random.default_rng(3)
    N, T, D, H_f, H_b = 2, 5, 3, 4, 2
    fwd, bwd = _RNN(D, H_f, rng=rng), _RNN(D, H_b, rng=rng)
    x = rng.standard_normal((N, T, D))
    check_bidirectional(bidirectional_forward, x, layer_fn(fwd), layer_fn(bwd), H_f, explain=True)


# -- 2. masked mean pooling -----------------------------------------------------------------------
def pool_reference(h, mask):
    """The masked mean of ``h`` (N, T, H) over the steps where ``mask`` (N, T) is True.

    Book page: ``book/applications/sentiment``.
    """
    w = mask.astype(h.dtype)
    return np.einsum("nt,nth->nh", w, h) / w.sum(axis=1, keepdims=True)


def right_padded_mask(lengths, T):
    """The (N, T) mask of sequences of the given lengths padded on the right.

    Book page: ``book/applications/sentiment``.
    """
    return np.arange(T)[None, :] < np.asarray(lengths)[:, None]


def visible_masked_mean_pool(masked_mean_pool):
    """No padding first (a plain mean over time), then padding whose states are large.

    Book page: ``book/applications/sentiment``.
    """
    rng = np.random.default_rng(4)
    N, T, H = 2, 4, 3
    h = rng.standard_normal((N, T, H))
    mask = np.ones((N, T), dtype=bool)
    got = call_student("masked_mean_pool", masked_mean_pool, h, mask, forbidden=FORBIDDEN)
    check_array("masked_mean_pool", got, pool_reference(h, mask), what="the output without padding",
                hint="with every step real, the result is the mean of h over time (axis 1)")
    mask = right_padded_mask([2, 4], T)
    h[~mask] = 100.0                                  # padded steps hold large values
    got = call_student("masked_mean_pool", masked_mean_pool, h, mask, forbidden=FORBIDDEN)
    if type(got) is np.ndarray and got.shape == (N, H):
        w = mask.astype(float)
        diagnose("masked_mean_pool", got, {
            "you averaged over the padding too: only the steps where mask is True count": h.mean(axis=1),
            "you divided by T, the padded length: divide by the number of real steps of each sequence":
                np.einsum("nt,nth->nh", w, h) / T,
            "you summed the real steps; divide the sum by their number": np.einsum("nt,nth->nh", w, h),
        })
    check_array("masked_mean_pool", got, pool_reference(h, mask), what="the output with padding",
                hint="v_n = (sum over real steps t of h[n, t]) / (number of real steps of sequence n)")


# -- 3. a deep RNN --------------------------------------------------------------------------------
def _spy(layer):
    """Make ``layer`` record a copy of every input its ``forward`` receives (the type stays the same)."""
    seen = []
    original = layer.forward

    def forward(x, state=None):
        seen.append(np.array(x, copy=True) if isinstance(x, np.ndarray) else x)
        return original(x, state)

    layer.forward = forward
    return seen


def _deep_ref(x, layers):
    out, finals = x, []
    for layer in layers:
        out, final = layer.forward(out)
        finals.append(final)
    return out, finals


def _state_parts(state):
    return list(state) if isinstance(state, (tuple, list)) else [state]


def _explain_layer_inputs(x, inputs, *, require_all):
    """Name the mistake when a layer above the first did not read the output sequence below it."""
    for l in range(len(inputs)):
        if require_all and not inputs[l]:
            raise GradingError(f"deep_rnn_forward: layer {l} was never run; call layers[l].forward "
                               "once for every layer, bottom to top")
    T = x.shape[1]
    for l in range(1, len(inputs)):
        if not inputs[l] or not isinstance(inputs[l][0], np.ndarray):
            continue
        seen = inputs[l][0]
        if seen.shape == x.shape and values_match(seen, x):
            raise GradingError(f"deep_rnn_forward: layer {l} read the input x; layer l+1 must read the "
                               "output sequence of layer l (only layer 0 reads x)")
        if T > 1 and (seen.ndim == 2 or seen.shape[1:2] == (1,)):
            raise GradingError(f"deep_rnn_forward: layer {l} read a single state of shape {seen.shape}; pass "
                               "the whole output sequence (N, T, H) of the layer below, not its final state")
        if T > 1 and seen.ndim == 3 and _allclose_rows(seen):
            raise GradingError(f"deep_rnn_forward: layer {l} read the same vector at every step (the final "
                               "state repeated?); pass the whole output sequence of the layer below")


def check_deep(deep_rnn_forward, x, make_layers, *, explain):
    """Check ``deep_rnn_forward`` on ``x`` with fresh layers from ``make_layers()``; ``explain`` names mistakes.

    Book page: ``book/variants/deep_rnn``.
    """
    ref_out, ref_finals = _deep_ref(x, make_layers())
    layers = make_layers()
    inputs = [_spy(layer) for layer in layers]
    L = len(layers)
    try:
        got = call_student("deep_rnn_forward", deep_rnn_forward, x, layers, forbidden=FORBIDDEN)
    except GradingError:
        if explain:                   # a wrong input to a layer often makes it raise: say which
            _explain_layer_inputs(x, inputs, require_all=False)
        raise
    if not isinstance(got, tuple) or len(got) != 2:
        raise GradingError("deep_rnn_forward must return a pair (outputs, final_states), got "
                           f"{type(got).__name__}" + (f" of length {len(got)}" if isinstance(got, tuple) else ""))
    out, finals = got
    if explain:
        _explain_layer_inputs(x, inputs, require_all=True)
    check_array("deep_rnn_forward", out, ref_out, what="the outputs (the top layer's output sequence)",
                hint="run the layers bottom to top, each on the previous layer's output sequence" if explain else None)
    if not isinstance(finals, (list, tuple)) or len(finals) != L:
        raise GradingError(f"deep_rnn_forward: final_states must be a list with one final state per layer "
                           f"({L} here), bottom layer first; got {type(finals).__name__}"
                           + (f" of length {len(finals)}" if isinstance(finals, (list, tuple)) else ""))
    for l, (got_state, ref_state) in enumerate(zip(finals, ref_finals)):
        ref_parts, got_parts = _state_parts(ref_state), _state_parts(got_state)
        if len(got_parts) != len(ref_parts):
            raise GradingError(f"deep_rnn_forward: final_states[{l}] must be what layers[{l}].forward returned "
                               "as its final state")
        for g, r in zip(got_parts, ref_parts):
            check_array("deep_rnn_forward", g, r, what=f"final_states[{l}]",
                        hint=f"final_states[{l}] is the final state layers[{l}].forward returned" if explain else None)


def _allclose_rows(seq):
    """True when every time step of ``seq`` (N, T, H) holds the same vector as the last one."""
    return values_match(seq, np.broadcast_to(seq[:, -1:], seq.shape).copy())


def visible_deep_rnn(deep_rnn_forward):
    """Three RNN layers with D = H, so that a wrong input to a layer still runs and can be named.

    Book page: ``book/variants/deep_rnn``.
    """
    N, T, D = 2, 4, 3
    x = np.random.default_rng(5).standard_normal((N, T, D))

    def make_layers():
        rng = np.random.default_rng(6)
        return [_RNN(D, D, rng=rng) for _ in range(3)]

    check_deep(deep_rnn_forward, x, make_layers, explain=True)


# -- 4. the sentiment classifier ------------------------------------------------------------------
def _contains(module, cls):
    if isinstance(module, cls):
        return True
    return any(_contains(child, cls) for child in getattr(module, "_children", {}).values())


def _train_and_score(train_sentiment, data_seed, train_seed, *, bidirectional):
    rng = np.random.default_rng(data_seed)
    sentences, labels = _review_sentences(N_TRAIN, rng=rng)
    test_sentences, test_labels = _review_sentences(N_TEST, rng=rng)
    start, cpu_start = time.perf_counter(), time.process_time()
    got = call_student("train_sentiment", train_sentiment, sentences, labels, bidirectional=bidirectional,
                       rng=np.random.default_rng(train_seed), forbidden=FORBIDDEN_TRAINING)
    seconds = elapsed(start, cpu_start)
    if not isinstance(got, tuple) or len(got) != 2:
        raise GradingError("train_sentiment must return a pair (model, predict)")
    model, predict = got
    if not isinstance(model, _Module):
        raise GradingError(f"train_sentiment: model must be an rnncourse Module (e.g. a SequenceClassifier), "
                           f"got {type(model).__name__}")
    has_bi = _contains(model, _Bidirectional)
    if bidirectional and not has_bi:
        raise GradingError("train_sentiment: with bidirectional=True the model must contain a Bidirectional layer")
    if not bidirectional and has_bi:
        raise GradingError("train_sentiment: with bidirectional=False the model must read forwards only "
                           "(no Bidirectional layer)")
    if seconds > TIME_LIMIT:
        raise GradingError(f"train_sentiment took {seconds:.1f} s on {N_TRAIN} sentences; it must finish in "
                           f"{TIME_LIMIT:.0f} s (use fewer epochs or a smaller model)")
    pred = call_student("predict", predict, test_sentences, forbidden=FORBIDDEN_TRAINING)
    if type(pred) is not np.ndarray:
        raise GradingError(f"predict must return a numpy array of labels, got {type(pred).__name__}")
    if pred.shape != test_labels.shape:
        raise GradingError(f"predict must return one label per sentence, shape {test_labels.shape}, "
                           f"got {pred.shape}")
    if not (np.issubdtype(pred.dtype, np.integer) or pred.dtype == bool):
        raise GradingError(f"predict must return integer labels 0 or 1, got dtype {pred.dtype}")
    if not np.all((pred == 0) | (pred == 1)):
        raise GradingError("predict must return labels 0 (negative) or 1 (positive) only")
    return float(np.mean(pred.astype(np.int64) == test_labels)), seconds


def check_sentiment(train_sentiment, data_seed, train_seed, *, bidirectional, show):
    """Train with the student's ``train_sentiment`` on fresh sentences and require the held-out accuracy.

    Book page: ``book/applications/sentiment``.
    """
    accuracy, seconds = _train_and_score(train_sentiment, data_seed, train_seed, bidirectional=bidirectional)
    kind = "bidirectional" if bidirectional else "forward-only"
    if show:
        print(f"{kind} model: held-out accuracy {accuracy:.3f}, trained in {seconds:.1f} s")
    need = BIDIRECTIONAL_ACCURACY if bidirectional else FORWARD_ONLY_ACCURACY
    if accuracy < need:
        raise GradingError(f"train_sentiment ({kind}): the held-out accuracy "
                           + (f"{accuracy:.3f} " if show else "") + f"is below {need:.2f}; train longer or "
                           "check the model (GRU layers, padding id 0, mean pooling, a Dense head with 2 outputs)")


def visible_sentiment(train_sentiment, *, bidirectional):
    """Train on 2000 generated reviews, score on 500 others; print the accuracy and the time.

    Book page: ``book/applications/sentiment``.
    """
    check_sentiment(train_sentiment, 2024, 0, bidirectional=bidirectional, show=True)
