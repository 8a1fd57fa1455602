r"""Visible checks of assignment 5, *A character-level language model* (``assignments/source/a05_char_lm``).

Taught on the book page *Language modelling and text generation*
(``book/applications/language_model``), with clipping from *Training with
backpropagation through time* (``book/bptt``).

The student writes the pieces of a character model around ``rnncourse``'s
layers: the vocabulary and the (input, next-character) pairs, the softmax
cross-entropy, clipping by global norm, one training step, temperature
sampling and generation; then trains a model on
:func:`rnncourse.datasets.text.tiny_corpus`. Answers that call ``rnncourse``'s own
version of what they must write (modules ``language_model``, ``train``,
``bptt``, ``clipping``, ``losses``, and the text helpers of ``datasets.text``
in part 1), or this module and :mod:`rnncourse.grading.char_lm_reference`, earn nothing.

``visible_*`` functions are the tests students see; each failure names the
term or the step that is wrong. The hidden tests, which draw fresh inputs from a
seed, live with the course in ``assignments/graders/a05_char_lm.py``, not in this
package; they use the public ``check_*`` helpers here, which compare with the
references of :mod:`rnncourse.grading.char_lm_reference` at grading time. The training
step is graded by running the student's step and a reference step on two
copies of one seeded model and comparing every parameter after two or three
steps; sampling is graded by replaying the same random generator.
"""
from __future__ import annotations

import math
import numbers
import time
from functools import partial

import numpy as np

from ..core.activations import softmax as _softmax
from ..core.clipping import clip_grads_by_global_norm as _clip_global, clip_grads_by_value as _clip_value
from ..datasets.text import CharVocab as _CharVocab, one_hot as _one_hot
from ..models.language_model import sample as _sample
from ..core.losses import softmax_cross_entropy as _cross_entropy
from ..core.module import Module as _Module
from ..cells.rnn import RNN as _RNN
from . import GradingError, call_student, check_array, diagnose, elapsed, values_match
from .char_lm_reference import (clip_per_tensor, corpus_split, draw_from, generate_variant, generation_model,
                                leave_stale_gradients, make_lm, pairs_reference, random_batch, random_grads,
                                reference_train_step, replay, unigram_cross_entropy)

#: rnncourse modules whose code the answers must not run (they write these parts themselves).
FORBIDDEN = ("models.language_model", "core.train", "core.bptt", "core.clipping", "core.losses", "applications",
             "grading.a05_char_lm", "grading.char_lm_reference")
#: Part 1 writes the vocabulary and the pairs, which ``datasets.text`` has.
FORBIDDEN_TEXT = FORBIDDEN + ("datasets.text",)
#: Seconds ``train_char_lm`` may take (the reference, 20 epochs of batches of 8 chunks, needs 3-7 s).
TIME_LIMIT = 30.0
#: Held-out cross-entropy must be this many nats below the unigram baseline (the reference is 1.1-1.2 below;
#: the 8 epochs of 16 chunks prescribed before, which sampled mostly "the the the", were 0.6 below).
MARGIN = 0.8


# -- small checks ---------------------------------------------------------------------------------
def _check_ids(name, got, expected, *, what="the ids", hint=None):
    """An integer array of the expected shape and values (any integer dtype)."""
    if type(got) is not np.ndarray:
        raise GradingError(f"{name}: {what} must be a numpy array of integer ids, got {type(got).__name__}")
    if not np.issubdtype(got.dtype, np.integer):
        raise GradingError(f"{name}: {what} must hold integers (ids), got dtype {got.dtype}")
    if got.shape != expected.shape:
        raise GradingError(f"{name}: {what} has shape {got.shape}, expected {expected.shape}")
    if not np.array_equal(got.astype(np.int64), expected):
        raise GradingError(f"{name}: {what} has the right shape but wrong values" + (f"; {hint}" if hint else ""))


def _as_scalar(name, got, what="the loss"):
    if isinstance(got, bool) or not isinstance(got, (numbers.Real, np.ndarray)) or np.ndim(got) != 0:
        raise GradingError(f"{name}: {what} must be one number (a float), got {type(got).__name__}"
                           + (f" of shape {np.shape(got)}" if isinstance(got, np.ndarray) else ""))
    value = float(got)
    if not math.isfinite(value):
        raise GradingError(f"{name}: {what} is not finite")
    return value


def _close(a, b, rtol=1e-6, atol=1e-9):
    return abs(a - b) <= atol + rtol * abs(b)


# -- 1a. vocabulary -------------------------------------------------------------------------------
def check_vocabulary(build_vocab, encode, decode, text, *, explain):
    """Check the vocabulary of ``text``, its ids and the way back; ``explain`` names mistakes.

    Book page: ``book/applications/language_model``.
    """
    ref = _CharVocab(text)
    vocab = call_student("build_vocab", build_vocab, text, forbidden=FORBIDDEN_TEXT)
    if not isinstance(vocab, list) or not all(isinstance(c, str) and len(c) == 1 for c in vocab):
        raise GradingError("build_vocab must return a list of single characters (str of length 1)")
    if explain:
        if len(set(vocab)) != len(vocab):
            raise GradingError("build_vocab: each character must appear once in the vocabulary")
        if sorted(vocab) == ref.id_to_char and vocab != ref.id_to_char:
            raise GradingError("build_vocab: sort the characters (sorted(...)) so that the same text always "
                               "gives the same ids")
    if vocab != ref.id_to_char:
        raise GradingError("build_vocab: the vocabulary must be every distinct character of the text, once, sorted")
    ids = call_student("encode", encode, text, vocab, forbidden=FORBIDDEN_TEXT)
    _check_ids("encode", ids, ref.encode(text), hint="ids[i] is the position of text[i] in vocab" if explain else None)
    back = call_student("decode", decode, ref.encode(text), vocab, forbidden=FORBIDDEN_TEXT)
    if not isinstance(back, str):
        raise GradingError(f"decode must return a str, got {type(back).__name__}")
    if back != text:
        raise GradingError("decode: decoding the ids of a text must give the text back"
                           + ("; join vocab[i] for every id i" if explain else ""))


def visible_vocabulary(build_vocab, encode, decode):
    """The vocabulary of "hello world", its ids and the way back.

    Book page: ``book/applications/language_model``.
    """
    check_vocabulary(build_vocab, encode, decode, "hello world", explain=True)


# -- 1b. (input, next character) pairs ------------------------------------------------------------
def check_pairs(make_lm_pairs, ids, T, *, explain):
    """Check the (input, next id) chunks of length ``T`` cut from ``ids``; ``explain`` names mistakes.

    Book page: ``book/applications/language_model``.
    """
    x_ref, y_ref = pairs_reference(ids, T)
    got = call_student("make_lm_pairs", make_lm_pairs, ids, T, forbidden=FORBIDDEN_TEXT)
    if not isinstance(got, tuple) or len(got) != 2:
        raise GradingError("make_lm_pairs must return a pair (x, y)")
    x, y = got
    if explain and type(x) is np.ndarray and x.ndim == 2 and x.shape[1] == T and x.shape[0] != x_ref.shape[0]:
        if x.shape[0] == len(ids) // T:
            raise GradingError(f"make_lm_pairs: x has {x.shape[0]} rows, expected N = (L - 1) // T = "
                               f"{x_ref.shape[0]}: the last chunk's target needs one character after it")
        if x.shape[0] > x_ref.shape[0]:
            raise GradingError(f"make_lm_pairs: x has {x.shape[0]} rows, expected {x_ref.shape[0]}: the chunks "
                               "must not overlap, chunk i starts at i * T")
    _check_ids("make_lm_pairs", x, x_ref, what="x", hint="x[i] = ids[i*T : (i+1)*T]" if explain else None)
    if explain and type(y) is np.ndarray and y.shape == y_ref.shape:
        if np.array_equal(y, x_ref):
            raise GradingError("make_lm_pairs: y equals x; the target at step t is the NEXT character, "
                               "y[i, t] = ids[i*T + t + 1] (shift by one)")
        if np.array_equal(y, ids[T * np.arange(x_ref.shape[0])[:, None] + np.arange(T) - 1]):
            raise GradingError("make_lm_pairs: y is shifted the wrong way (the previous character); "
                               "y[i, t] = ids[i*T + t + 1]")
        if np.array_equal(y[:, :-1], x_ref[:, 2:]):
            raise GradingError("make_lm_pairs: y is shifted by two; y[i, t] = ids[i*T + t + 1]")
    _check_ids("make_lm_pairs", y, y_ref, what="y",
               hint="y[i, t] = ids[i*T + t + 1], the character after x[i, t]" if explain else None)


def visible_lm_pairs(make_lm_pairs):
    """ids 0, 1, ..., 11 cut into chunks of 3: x = [[0 1 2] [3 4 5] [6 7 8]], y = x + 1.

    Book page: ``book/applications/language_model``.
    """
    check_pairs(make_lm_pairs, np.arange(12), 3, explain=True)


# -- 2a. softmax cross-entropy --------------------------------------------------------------------
def check_cross_entropy(softmax_cross_entropy, logits, y, *, explain, what=""):
    """Check the loss and ``dlogits`` of the softmax cross-entropy; ``explain`` names mistakes.

    Book page: ``book/bptt``.
    """
    loss_ref, d_ref = _cross_entropy(logits, y)
    got = call_student("softmax_cross_entropy", softmax_cross_entropy, logits, y, forbidden=FORBIDDEN)
    if not isinstance(got, tuple) or len(got) != 2:
        raise GradingError("softmax_cross_entropy must return a pair (loss, dlogits)")
    loss, d = got
    loss = _as_scalar("softmax_cross_entropy", loss, what="the loss" + what)
    if not _close(loss, loss_ref):
        if explain and _close(loss, loss_ref * y.size):
            raise GradingError("softmax_cross_entropy: the loss must be the MEAN over the N*T positions, not the sum")
        raise GradingError("softmax_cross_entropy: the loss is wrong" + what
                           + ("; L = -mean over (n, t) of log softmax(z[n, t])[y[n, t]]" if explain else ""))
    if explain and type(d) is np.ndarray and d.shape == d_ref.shape:
        p = _softmax(logits)
        diagnose("softmax_cross_entropy", d, {
            "dlogits must be divided by N*T, because the loss is a mean over the N*T positions": d_ref * y.size,
            "dlogits has the wrong sign: it is (softmax(z) - one_hot(y)) / (N*T)": -d_ref,
            "dlogits must subtract 1 at the target class: (softmax(z) - one_hot(y)) / (N*T)": p / y.size,
        })
    check_array("softmax_cross_entropy", d, d_ref, what="dlogits" + what,
                hint="dlogits = (softmax(z) - one_hot(y)) / (N*T)" if explain else None)


def visible_cross_entropy(softmax_cross_entropy):
    """Equal logits (the loss is log V), then random ones, then very large ones.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(7)
    N, T, V = 2, 3, 5
    y = rng.integers(0, V, size=(N, T))
    check_cross_entropy(softmax_cross_entropy, np.zeros((N, T, V)), y, explain=True,
                        what=" for equal logits (it must be log V)")
    check_cross_entropy(softmax_cross_entropy, rng.standard_normal((N, T, V)), y, explain=True)
    check_cross_entropy(softmax_cross_entropy, 1000.0 + 50.0 * rng.standard_normal((N, T, V)), y, explain=True,
                        what=" for very large logits (subtract the largest logit before exp)")


# -- 2b. clipping by global norm ------------------------------------------------------------------
def check_clip(clip_by_global_norm, grads, max_norm, *, explain, what):
    """Check in-place clipping by global norm and the returned norm; ``explain`` names mistakes.

    Book page: ``book/bptt``.
    """
    ref = {k: g.copy() for k, g in grads.items()}
    norm_ref = _clip_global(ref, max_norm)
    mine = {k: g.copy() for k, g in grads.items()}
    arrays = dict(mine)                                  # the arrays themselves, to see in-place changes
    norm = call_student("clip_by_global_norm", clip_by_global_norm, mine, max_norm, forbidden=FORBIDDEN)
    for k in grads:
        if mine[k] is not arrays[k]:
            raise GradingError("clip_by_global_norm must change the gradient arrays in place (g *= scale): "
                               "model.grads gives you a new dict each time, so replacing its entries does not "
                               "reach the model")
    if explain:
        if norm_ref > max_norm:
            wrongs = {
                "you clipped each gradient by its own norm; the global norm is sqrt(sum over ALL the gradients "
                "of their squared entries), and one factor rescales them all": clip_per_tensor(grads, max_norm),
                "you clipped every entry to [-max_norm, max_norm] (clipping by value); rescale all the gradients "
                "by max_norm / global norm instead": _clip_value({k: g.copy() for k, g in grads.items()}, max_norm),
                "the gradient arrays were not changed: rescale them in place (g *= scale) when the global norm "
                "exceeds max_norm": grads,
            }
        else:
            wrongs = {"the gradients must stay unchanged when their global norm is at most max_norm":
                      {k: g * (max_norm / norm_ref) for k, g in grads.items()}}
        for message, wrong in wrongs.items():
            if all(values_match(arrays[k], wrong[k]) for k in grads):
                raise GradingError(f"clip_by_global_norm: {message}")
    for k in grads:
        check_array("clip_by_global_norm", arrays[k], ref[k], what=f"the clipped {k}" + what,
                    hint="g <- g * max_norm / ||g|| when the global norm ||g|| exceeds max_norm" if explain else None)
    value = _as_scalar("clip_by_global_norm", norm, what="the returned norm")
    if not _close(value, norm_ref):
        raise GradingError("clip_by_global_norm must return the global norm measured BEFORE clipping")


def visible_clip(clip_by_global_norm):
    """Small gradients (unchanged), then large ones (rescaled together).

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(8)
    check_clip(clip_by_global_norm, random_grads(rng, 0.1), 5.0, explain=True, what=" (norm below max_norm)")
    check_clip(clip_by_global_norm, random_grads(rng, 3.0), 5.0, explain=True, what=" (norm above max_norm)")


# -- 2c. one training step ------------------------------------------------------------------------
_STEP_MISTAKES = {
    "no_zero": "the gradients were not reset between steps: call model.zero_grad() at the start of every step "
               "(backward ADDS to the gradients)",
    "zero_at_end": "reset the gradients at the START of the step (model.zero_grad() before the forward pass): "
                   "the model may hold gradients from an earlier backward",
    "no_clip": "the gradients were not clipped before the update: clip model.grads by their global norm "
               "between backward and optimizer.step()",
    "per_tensor": "each gradient was clipped by its own norm; clip all of them together by their global norm",
    "params": "you clipped the parameters; clip the gradients (model.grads), not model.params",
    "by_value": "the gradients were clipped by value; clip them by their global norm",
}


def _run_steps(step, model, optimizer, batches, max_norm, *, student):
    losses = []
    for x, y in batches:
        if student:
            loss = call_student("train_step", step, model, optimizer, x, y, max_norm, forbidden=FORBIDDEN)
            losses.append(_as_scalar("train_step", loss, what="the returned loss"))
        else:
            losses.append(step(model, optimizer, x, y, max_norm))
    return losses


def check_train_step(train_step, setup, batches, max_norm, *, stale, explain, what, variants=()):
    """Run the student's step and the reference on identical models; compare losses and every parameter.

    Book page: ``book/bptt``.
    """
    def fresh():
        model, opt = setup()
        if stale is not None:
            leave_stale_gradients(model, *stale)
        return model, opt

    model, opt = fresh()
    before = {k: v.copy() for k, v in model.params.items()}
    losses = _run_steps(train_step, model, opt, batches, max_norm, student=True)
    ref_model, ref_opt = fresh()
    ref_losses = _run_steps(reference_train_step, ref_model, ref_opt, batches, max_norm, student=False)
    got, ref = model.params, ref_model.params
    if all(values_match(got[k], ref[k]) for k in ref):
        if not _close(losses[0], ref_losses[0]):
            raise GradingError("train_step must return the loss of the batch, computed before the update"
                               + (" (check softmax_cross_entropy)" if explain else ""))
        return
    if explain:
        if all(np.array_equal(got[k], before[k]) for k in ref):
            raise GradingError("train_step: the parameters did not change; after the backward pass, "
                               "call optimizer.step()")
        for variant in variants:
            m, o = fresh()
            _run_steps(partial(reference_train_step, variant=variant), m, o, batches, max_norm, student=False)
            wrong = m.params
            if all(values_match(got[k], wrong[k]) for k in ref):
                raise GradingError(f"train_step: {_STEP_MISTAKES[variant]}")
        if not _close(losses[0], ref_losses[0]):
            raise GradingError("train_step: the loss of the first batch is wrong; check the forward pass and "
                               "softmax_cross_entropy")
    name = next(k for k in ref if not values_match(got[k], ref[k]))
    raise GradingError(f"train_step: after the step(s){what} the parameter {name} is wrong"
                       + ("; the order is zero_grad, forward, loss, backward, clip, optimizer.step" if explain else ""))


def visible_train_step(train_step):
    """One step without clipping; two steps on a model with leftover gradients; three steps with clipping.

    Book page: ``book/bptt``.
    """
    rng = np.random.default_rng(9)
    V, H, N, T = 5, 4, 2, 3
    batches = [random_batch(rng, N, T, V) for _ in range(3)]
    stale = random_batch(rng, N, T, V)

    def setup():
        return make_lm(_RNN, V, H, 10)

    check_train_step(train_step, setup, batches[:1], 1e6, stale=None, explain=True,
                     what=" (one step, max_norm too large to clip)")
    check_train_step(train_step, setup, batches[:2], 1e6, stale=stale, explain=True,
                     what=" (two steps)", variants=("no_zero", "zero_at_end"))
    check_train_step(train_step, setup, batches, 0.05, stale=None, explain=True,
                     what=" (three steps, max_norm=0.05)",
                     variants=("no_clip", "per_tensor", "params", "by_value", "no_zero"))


# -- 3a. sampling with a temperature --------------------------------------------------------------
def check_sample(sample_next, logits, temperature, seed, *, explain, n=200):
    """Replay ``n`` draws of ``sample_next`` with a seeded generator against the reference draws.

    Book page: ``book/applications/language_model``.
    """
    p = _softmax(logits / temperature)

    def student(rng):
        got = call_student("sample_next", sample_next, logits, temperature, rng, forbidden=FORBIDDEN)
        if isinstance(got, bool) or not isinstance(got, numbers.Integral):
            raise GradingError(f"sample_next must return one int (an id), got {type(got).__name__}")
        return int(got)

    try:
        got = replay(student, n, seed)
    except GradingError as err:
        if explain and "raised" in str(err):
            raise GradingError(f"{err}; for large logits subtract the largest one before exp, and pass the "
                               "probabilities (not the logits) to rng.choice") from None
        raise
    if got == replay(draw_from(p), n, seed):
        return
    if explain:
        variants = {"you multiplied the logits by the temperature; divide them: softmax(logits / temperature)":
                    _softmax(logits * temperature),
                    "the temperature is ignored: use softmax(logits / temperature)": _softmax(logits)}
        if np.all(logits > 0):
            variants["you normalised the logits; turn them into probabilities with a softmax first"] = \
                logits / logits.sum()
        for message, q in variants.items():
            if not np.allclose(q, p) and got == replay(draw_from(q), n, seed):
                raise GradingError(f"sample_next: {message}")
        if len(set(got)) == 1 and got[0] == int(np.argmax(logits)):
            raise GradingError("sample_next always returns the most likely id: draw a random sample from the "
                               "probabilities instead")
        freq = np.bincount(got, minlength=len(p)) / n
        if 0.5 * np.abs(freq - p).sum() < 0.12:
            raise GradingError("sample_next: your samples follow the right distribution, but draw each one with "
                               "rng.choice(len(p), p=p) as asked, so that the grader can replay them")
    raise GradingError("sample_next: the samples do not follow softmax(logits / temperature)")


def visible_sample_next(sample_next):
    """Replays 200 draws at temperatures 1, 0.5 and 2 with a fixed generator, then very large logits.

    Book page: ``book/applications/language_model``.
    """
    logits = np.array([1.0, 2.0, 0.5, 3.0])
    for temperature, seed in ((1.0, 11), (0.5, 12), (2.0, 13)):
        check_sample(sample_next, logits, temperature, seed, explain=True)
    check_sample(sample_next, np.array([1000.0, 1001.0, 999.0]), 0.5, 14, explain=True, n=20)


# -- 3b. generation -------------------------------------------------------------------------------
_GENERATE_MISTAKES = {
    "no_state": "carry the state: feed each new id with the state the previous call returned "
                "(model.forward(x, state)), otherwise the model forgets everything before it",
    "first_logits": "sample the first new id from the logits of the LAST prime character (logits[0, -1])",
    "no_feedback": "feed every sampled id back in as the next input",
}


def check_generate(generate, model_args, prime, length, temperature, seed, *, explain):
    """Check ``generate`` on a seeded model (``generation_model(*model_args)``) by replaying the reference.

    Book page: ``book/applications/language_model``.
    """
    V = model_args[0]
    ref = _sample(generation_model(*model_args), prime, length, vocab_size=V, rng=np.random.default_rng(seed),
                  temperature=temperature)
    got = call_student("generate", generate, generation_model(*model_args), list(prime), length, V, temperature,
                       np.random.default_rng(seed), forbidden=FORBIDDEN)
    if isinstance(got, np.ndarray):
        if got.ndim != 1 or not np.issubdtype(got.dtype, np.integer):
            raise GradingError("generate must return a list of ints (or a 1-D int array)")
        got = got.tolist()
    if not isinstance(got, list) or not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in got):
        raise GradingError(f"generate must return a list of ints, got {type(got).__name__}")
    if len(got) != length:
        if explain and len(got) == length + len(prime):
            raise GradingError("generate: return only the `length` new ids, without the prime")
        raise GradingError(f"generate: asked for {length} ids, got {len(got)}")
    got = [int(i) for i in got]
    if got == ref:
        return
    if explain:
        for variant, message in _GENERATE_MISTAKES.items():
            wrong = generate_variant(generation_model(*model_args), prime, length, V, temperature,
                                     np.random.default_rng(seed), variant)
            if wrong != ref and got == wrong:
                raise GradingError(f"generate: {message}")
    raise GradingError("generate: the generated ids are wrong"
                       + ("; run the prime once, then one step per new id with the state carried, sampling each "
                          "id with your sample_next" if explain else ""))


def visible_generate(generate):
    """A small GRU model with fixed weights: 30 ids after a prime of 3, replayed with a fixed generator.

    Book page: ``book/applications/language_model``.
    """
    check_generate(generate, (6, 5, 15), [0, 3, 1], 30, 1.0, 16, explain=True)
    check_generate(generate, (6, 5, 15), [2], 10, 0.7, 17, explain=True)


# -- 4. training on the corpus --------------------------------------------------------------------
def held_out_cross_entropy(model, held_ids, V):
    """Mean cross-entropy (nats per character) of predicting ``held_ids[1:]`` from ``held_ids[:-1]``.

    The text is read in one pass from a zero state, in evaluation mode.

    Book page: ``book/applications/language_model``.
    """
    if isinstance(model, _Module):
        model.eval()
    x = _one_hot(held_ids[None, :-1], V)
    got = call_student("model.forward", model.forward, x, forbidden=FORBIDDEN)
    logits = got[0] if isinstance(got, tuple) else got
    if type(logits) is not np.ndarray or logits.shape != (1, len(held_ids) - 1, V):
        shape = logits.shape if isinstance(logits, np.ndarray) else type(logits).__name__
        raise GradingError(f"the trained model must map one-hot inputs (N, T, V) to logits (N, T, V) "
                           f"with V = {V}; for (1, {len(held_ids) - 1}, {V}) it returned {shape}")
    if not np.all(np.isfinite(logits)):
        raise GradingError("the trained model's logits contain NaN or infinite values")
    return float(_cross_entropy(logits, held_ids[None, 1:])[0])


def check_training(train_char_lm, held_out_first, seed, *, show):
    """Train with ``train_char_lm`` within the time limit and beat the unigram baseline on held-out text.

    Book page: ``book/applications/language_model``.
    """
    train, held, V = corpus_split(held_out_first)
    start, cpu_start = time.perf_counter(), time.process_time()
    model = call_student("train_char_lm", train_char_lm, train, V, rng=np.random.default_rng(seed),
                         forbidden=FORBIDDEN)
    seconds = elapsed(start, cpu_start)
    if not isinstance(model, _Module):
        raise GradingError(f"train_char_lm must return the trained rnncourse model (a Module such as a "
                           f"Sequential), got {type(model).__name__}")
    if seconds > TIME_LIMIT:
        raise GradingError(f"train_char_lm took {seconds:.1f} s; it must finish in {TIME_LIMIT:.0f} s "
                           "(fewer epochs, shorter chunks or a smaller hidden size)")
    nats = held_out_cross_entropy(model, held, V)
    baseline = unigram_cross_entropy(train, held, V)
    if show:
        print(f"held-out cross-entropy {nats:.3f} nats/char (unigram baseline {baseline:.3f}), "
              f"trained in {seconds:.1f} s")
    if not nats < baseline - MARGIN:
        raise GradingError("train_char_lm: the held-out cross-entropy is not below the unigram baseline by "
                           f"{MARGIN} nats; train longer (more epochs) or check train_step")


def visible_char_lm(train_char_lm):
    """Train on the first 90% of the corpus, score the last 10% against the unigram baseline; print both.

    Book page: ``book/applications/language_model``.
    """
    check_training(train_char_lm, False, 0, show=True)
