r"""Visible checks of assignment 7, *Attention and decoding* (``assignments/source/a07_attention``).

Taught on the book page *Machine translation* (``book/applications/translation``).

The students write, in numpy:

* ``attention_weights(query, keys_proj, W_q, v, mask) -> alpha`` (N, S): the additive scores
  :math:`e_s = v^\top \tanh(k'_s + W_q q)` and their softmax over the real source positions
  (padding gets weight 0);
* ``attention_context(alpha, keys) -> context`` (N, H_k), :math:`c = \sum_s \alpha_s k_s`;
* ``attention_backward(dcontext, cache) -> (dquery, dkeys, dkeys_proj, dW_q, dv)`` for the
  cache ``(query, keys, a, alpha, W_q, v)`` (``a`` the tanh activations (N, S, A)), the layout of
  :class:`rnncourse.models.attention.AttentionCache`;
* ``greedy_decode(step, state, N, *, bos_id, eos_id, max_len)`` and
  ``beam_decode(step, state, N, *, bos_id, eos_id, max_len, beam_width)`` over a
  ``step(prev_ids, state, rows) -> (logits, state)`` callable, the interface of
  :func:`rnncourse.models.seq2seq.greedy_search`.

The references are :func:`rnncourse.models.attention.additive_attention_forward`,
:func:`~rnncourse.models.attention.additive_attention_backward` and
:func:`rnncourse.models.seq2seq.greedy_search`; beam search is graded on scripted decoders
(:mod:`rnncourse.grading.decoding_reference`): width 1 must be greedy decoding, width 2 must find
the output a trap decoder hides from greedy decoding, and a beam wide enough to keep every
hypothesis must return the best output by the prescribed score. Answers that call
``rnncourse.models.attention`` or ``rnncourse.models.seq2seq`` earn nothing. The hidden tests,
which draw fresh inputs from a seed, live with the course in
``assignments/graders/a07_attention.py``.
"""
from __future__ import annotations

import numpy as np

from ..models.attention import AttentionCache as _AttentionCache
from ..models.attention import additive_attention_backward as _attention_backward
from ..models.attention import additive_attention_forward as _attention_forward
from ..models.seq2seq import greedy_search as _greedy_search
from . import GradingError, call_student, check_array, name_mistake
from .decoding_reference import beam_reference, exhaustive_best, greedy_variant
from .scripted_decoders import BOS, EOS, ScriptedDecoder, discriminating_decoder, trap_decoder

#: rnncourse modules whose code no answer may run; the point is to write them (the scripted decoders the
#: answers are given are in :mod:`~rnncourse.grading.scripted_decoders`, which is allowed).
FORBIDDEN = ("models.attention", "models.seq2seq", "grading.a07_attention", "grading.decoding_reference")
#: The names of what ``attention_backward`` returns, in order.
BACKWARD_NAMES = ("dquery", "dkeys", "dkeys_proj", "dW_q", "dv")


# -------------------------------------------------------------------------------------------------
# 1. scores and weights
# -------------------------------------------------------------------------------------------------
def attention_case(rng, N, S, H, A, H_k=None, *, lengths=None, scale=1.0):
    """Random inputs of one attention step: ``(query, keys, keys_proj, W_q, v, mask)``.

    ``lengths`` (N,) gives each row's real positions (right padding); all positions are real without it.

    Book page: ``book/applications/translation``.
    """
    H_k = H if H_k is None else H_k
    query, keys = rng.standard_normal((N, H)), rng.standard_normal((N, S, H_k))
    keys_proj = scale * rng.standard_normal((N, S, A))
    W_q, v = scale * rng.standard_normal((A, H)) / np.sqrt(H), scale * rng.standard_normal(A)
    lengths = np.full(N, S) if lengths is None else np.asarray(lengths)
    mask = np.arange(S)[None, :] < lengths[:, None]
    return query, keys, keys_proj, W_q, v, mask


def _weights_reference(query, keys_proj, W_q, v, mask):
    keys = np.zeros(keys_proj.shape[:2] + (1,))
    return _attention_forward(query, keys, keys_proj, W_q, v, mask)[1]


def _weights_variant(query, keys_proj, W_q, v, mask, *, masked=True, pad_score=-np.inf, axis=1, tanh=True,
                     query_term=True):
    """The weights as a mistaken answer computes them (defaults: the right ones, if the scores are moderate)."""
    u = keys_proj + ((query @ W_q.T)[:, None, :] if query_term else 0.0)
    e = (np.tanh(u) if tanh else u) @ v
    if masked:
        e = np.where(mask, e, pad_score)
    with np.errstate(invalid="ignore", over="ignore"):     # a column of padding only gives NaN: no match
        z = np.exp(e - e.max(axis=axis, keepdims=True))
        return z / z.sum(axis=axis, keepdims=True)


def _weights_mistakes(query, keys_proj, W_q, v, mask):
    return {
        "the padding positions must get weight 0: set their scores to -inf before the softmax "
        "(np.where(mask, scores, -np.inf))": _weights_variant(query, keys_proj, W_q, v, mask, masked=False),
        "a padding score of 0 still gets weight after the softmax; set the padding scores to -inf":
            _weights_variant(query, keys_proj, W_q, v, mask, pad_score=0.0),
        "the softmax runs over the source positions of each example (axis 1), not over the batch":
            _weights_variant(query, keys_proj, W_q, v, mask, axis=0),
        "the tanh is missing: e_s = v . tanh(keys_proj[s] + W_q query)":
            _weights_variant(query, keys_proj, W_q, v, mask, tanh=False),
        "the query term W_q query is missing: e_s = v . tanh(keys_proj[s] + W_q query)":
            _weights_variant(query, keys_proj, W_q, v, mask, query_term=False),
    }


def check_weights_case(attention_weights, query, keys_proj, W_q, v, mask, hint=None):
    """Check ``attention_weights`` on one case: named mistakes first, then the values.

    Book page: ``book/applications/translation``.
    """
    ref = _weights_reference(query, keys_proj, W_q, v, mask)
    got = call_student("attention_weights", attention_weights, query, keys_proj, W_q, v, mask, forbidden=FORBIDDEN)
    if type(got) in (tuple, list):
        raise GradingError("attention_weights must return only the weights alpha, an array (N, S)")
    name_mistake("attention_weights", got, ref, _weights_mistakes(query, keys_proj, W_q, v, mask))
    check_array("attention_weights", got, ref, what="the weights alpha", hint=hint)


def visible_attention_weights(attention_weights):
    """Each term on its own, then padding, then scores large enough to overflow a naive softmax.

    Book page: ``book/applications/translation``.
    """
    rng = np.random.default_rng(70)
    N, S, H, A = 2, 4, 3, 5
    query, _, keys_proj, W_q, v, mask = attention_case(rng, N, S, H, A)
    zq, zk = np.zeros_like(query), np.zeros_like(keys_proj)
    cases = [
        ("with query = 0 only keys_proj matters: e_s = v . tanh(keys_proj[s]), softmax over s",
         (zq, keys_proj, W_q, v, mask)),
        ("check the query term: W_q has shape (A, H), so a batch needs query @ W_q.T, the same for every s",
         (query, zk, W_q, v, mask)),
        (None, (query, keys_proj, W_q, v, mask)),
        ("padding positions (mask False) get weight 0, and the real ones still sum to 1",
         (query, keys_proj, W_q, v, np.arange(S)[None, :] < np.array([[2], [4]]))),
        ("scores in the hundreds overflow exp: subtract each row's largest real score before the softmax",
         (query, keys_proj, W_q, 300.0 * v, np.arange(S)[None, :] < np.array([[3], [4]]))),
    ]
    for hint, args in cases:
        check_weights_case(attention_weights, *args, hint=hint)


# -------------------------------------------------------------------------------------------------
# 2. the context and the backward pass
# -------------------------------------------------------------------------------------------------
def check_context_case(attention_context, alpha, keys, hint=None):
    """Check ``attention_context`` on ``alpha`` (N, S) and ``keys`` (N, S, H_k).

    Book page: ``book/applications/translation``.
    """
    ref = np.einsum("ns,nsh->nh", alpha, keys)
    got = call_student("attention_context", attention_context, alpha, keys, forbidden=FORBIDDEN)
    name_mistake("attention_context", got, ref, {
        "the context is the weighted SUM of the keys (the weights already sum to 1), not their mean":
            ref / keys.shape[1],
    })
    check_array("attention_context", got, ref, what="the context", hint=hint)


def visible_attention_context(attention_context):
    """Weights that pick one position, then any weights.

    Book page: ``book/applications/translation``.
    """
    rng = np.random.default_rng(71)
    N, S, H_k = 3, 4, 2
    keys = rng.standard_normal((N, S, H_k))
    one_hot = np.eye(S)[[2, 0, 3]]
    check_context_case(attention_context, one_hot, keys,
                       hint="with all the weight on position s, the context is keys[:, s]")
    alpha = rng.dirichlet(np.ones(S), size=N)
    check_context_case(attention_context, alpha, keys, hint="c = sum_s alpha[:, s] * keys[:, s]")


def backward_case(rng, N, S, H, A, H_k, *, lengths=None, scale=1.0):
    """One attention step run by the reference: ``(dcontext, cache tuple, reference gradients)``.

    Book page: ``book/applications/translation``.
    """
    query, keys, keys_proj, W_q, v, mask = attention_case(rng, N, S, H, A, H_k, lengths=lengths, scale=scale)
    _, _, cache = _attention_forward(query, keys, keys_proj, W_q, v, mask)
    dcontext = rng.standard_normal((N, H_k))
    return dcontext, tuple(cache), _attention_backward(dcontext, cache)


def _backward_variant(dcontext, cache, *, softmax_correction=True, tanh_derivative=True, sum_query=True):
    """The backward as a mistaken answer computes it (defaults: the right one)."""
    query, keys, a, alpha, W_q, v = cache
    dkeys = alpha[:, :, None] * dcontext[:, None, :]
    dalpha = np.einsum("nh,nsh->ns", dcontext, keys)
    dscores = alpha * (dalpha - (alpha * dalpha).sum(axis=1, keepdims=True)) if softmax_correction \
        else alpha * dalpha
    dv = np.einsum("ns,nsa->a", dscores, a)
    du = dscores[:, :, None] * v * ((1.0 - a * a) if tanh_derivative else (1.0 - a))
    du_q = du.sum(axis=1) if sum_query else du.mean(axis=1)
    return du_q @ W_q, dkeys, du, du_q.T @ query, dv


_BACKWARD_MISTAKES = {
    "the softmax backward needs the correction term: dscores = alpha * (dalpha - sum_s(alpha * dalpha))":
        dict(softmax_correction=False),
    "the derivative of tanh is 1 - a**2 (a = tanh(u) from the cache), not 1 - a": dict(tanh_derivative=False),
    "the query term W_q query is added at every source position, so its gradient is summed over s (not "
    "averaged)": dict(sum_query=False),
}


def check_backward(attention_backward, dcontext, cache, ref, names, hints=None):
    """Check the gradients ``names`` of ``attention_backward`` against ``ref``, naming a mistake when one matches.

    Book page: ``book/applications/translation``.
    """
    got = call_student("attention_backward", attention_backward, dcontext, cache, forbidden=FORBIDDEN)
    if type(got) not in (tuple, list) or len(got) != len(BACKWARD_NAMES):
        raise GradingError("attention_backward must return five arrays: dquery, dkeys, dkeys_proj, dW_q, dv")
    wrong = {msg: _backward_variant(dcontext, cache, **kw) for msg, kw in _BACKWARD_MISTAKES.items()}
    for k, name in enumerate(BACKWARD_NAMES):
        if name in names:
            name_mistake("attention_backward", got[k], ref[k], {f"{name}: {m}": w[k] for m, w in wrong.items()})
            check_array("attention_backward", got[k], ref[k], what=name, hint=(hints or {}).get(name))


_BACKWARD_HINTS = {
    "dkeys": "through c = sum_s alpha_s k_s only: dkeys[:, s] = alpha[:, s] * dcontext",
    "dkeys_proj": "dalpha_s = dcontext . k_s, then the softmax backward, then through tanh: "
                  "dkeys_proj = dscores[..., None] * v * (1 - a**2)",
    "dv": "e_s = v . a_s, so dv = sum over n and s of dscores * a",
    "dquery": "the query term is the same at every s: dquery = (sum_s dkeys_proj[:, s]) @ W_q",
    "dW_q": "dW_q = (sum_s dkeys_proj[:, s]).T @ query, shape (A, H)",
}


def visible_backward_scores(attention_backward):
    """dkeys, dkeys_proj and dv: the weighted sum, the softmax and the tanh, on two small cases.

    Book page: ``book/applications/translation``.
    """
    rng = np.random.default_rng(72)
    for lengths in (None, [2, 4]):
        dcontext, cache, ref = backward_case(rng, 2, 4, 3, 5, 2, lengths=lengths)
        check_backward(attention_backward, dcontext, cache, ref, ("dkeys", "dkeys_proj", "dv"), _BACKWARD_HINTS)


def visible_backward_query(attention_backward):
    """dquery and dW_q, the path through the query term.

    Book page: ``book/applications/translation``.
    """
    rng = np.random.default_rng(73)
    dcontext, cache, ref = backward_case(rng, 3, 4, 2, 5, 3, lengths=[4, 1, 3])
    check_backward(attention_backward, dcontext, cache, ref, ("dquery", "dW_q"), _BACKWARD_HINTS)


# -------------------------------------------------------------------------------------------------
# 3. greedy decoding
# -------------------------------------------------------------------------------------------------
def _as_outputs(name, got, N, max_len):
    """The answer as N lists of int token ids, or a message that says what is wrong."""
    if type(got) not in (list, tuple) or len(got) != N:
        raise GradingError(f"{name} must return a list of N = {N} lists of token ids (one per example), got "
                           f"{type(got).__name__}" + (f" of length {len(got)}" if type(got) in (list, tuple) else ""))
    out = []
    for n, ids in enumerate(got):
        if type(ids) not in (list, tuple) and not (type(ids) is np.ndarray and ids.ndim == 1):
            raise GradingError(f"{name}: output {n} must be a list of token ids, got {type(ids).__name__}")
        ids = list(ids)
        if not all(isinstance(t, (int, np.integer)) and not isinstance(t, bool) for t in ids):
            raise GradingError(f"{name}: output {n} must hold integer token ids")
        if len(ids) > max_len:
            raise GradingError(f"{name}: output {n} has {len(ids)} tokens, more than max_len = {max_len}")
        out.append([int(t) for t in ids])
    return out


_GREEDY_MISTAKES = {
    "the outputs must stop before <eos>: do not append the <eos> token itself": dict(keep_eos=True),
    "a row is finished at its first <eos>: append nothing to it after that": dict(stop=False),
    "pass the state that step returned to the next call (each call continues the previous one)":
        dict(carry_state=False),
    "each step must read the token chosen at the step before (only the first reads <bos>)": dict(feed_back=False),
}


def check_greedy_case(greedy_decode, decoder, N, max_len, hint=None):
    """Run ``greedy_decode`` on a scripted decoder and compare with :func:`rnncourse.models.seq2seq.greedy_search`.

    Book page: ``book/applications/translation``.
    """
    kw = dict(bos_id=BOS, eos_id=EOS, max_len=max_len)
    ref = _greedy_search(decoder, decoder.initial_state(N), N, **kw)
    got = call_student("greedy_decode", greedy_decode, decoder, decoder.initial_state(N), N, forbidden=FORBIDDEN,
                       **kw)
    got = _as_outputs("greedy_decode", got, N, max_len)
    if got != ref:
        for msg, options in _GREEDY_MISTAKES.items():
            wrong = greedy_variant(decoder, decoder.initial_state(N), N, **kw, **options)
            if wrong != ref and [w[:max_len] for w in wrong] == got:
                raise GradingError(f"greedy_decode: {msg}")
        raise GradingError("greedy_decode: the outputs are not the most likely token at every step"
                           + (f"; {hint}" if hint else ""))


def greedy_cases(rng, hidden=False):
    """Scripted decoders for greedy decoding: ``[(decoder, N, max_len, hint)]``.

    Book page: ``book/applications/translation``.
    """
    cases = []
    for N, V, max_len in ((1, 5, 6), (3, 6, 8), (4, 5, 3)):
        if hidden:
            N, V, max_len = int(rng.integers(1, 6)), int(rng.integers(4, 9)), int(rng.integers(2, 10))
        decoder = ScriptedDecoder(V, max_len, int(rng.integers(1 << 30)), scale=1.0)
        hint = {1: "one example: feed each chosen token back in until <eos>",
                3: "a batch: each row stops at its own <eos>, the others go on",
                4: "max_len cuts the outputs that have not ended by then"}[N] if not hidden else None
        cases.append((decoder, N, max_len, hint))
    return cases


def visible_greedy(greedy_decode):
    """One example, then a batch whose rows end at different steps, then outputs cut by ``max_len``.

    Book page: ``book/applications/translation``.
    """
    for decoder, N, max_len, hint in greedy_cases(np.random.default_rng(74)):
        check_greedy_case(greedy_decode, decoder, N, max_len, hint)


# -------------------------------------------------------------------------------------------------
# 4. beam search
# -------------------------------------------------------------------------------------------------
_BEAM_MISTAKES = {
    "compare the finished hypotheses by their score divided by their length (tokens + <eos>); the raw sum of "
    "log-probabilities favours short outputs": dict(normalise=False),
    "every kept hypothesis must continue from the state of the hypothesis it extends (index the new state with "
    "the parents' rows)": dict(reorder_state=False),
    "score with log-probabilities (log_softmax of the logits), summed along the hypothesis, not probabilities":
        dict(log_probs=False),
}


def check_beam_case(beam_decode, decoder, N, max_len, beam_width, expected, message):
    """Run ``beam_decode`` and require ``expected``; a typical mistake is named when it explains the answer.

    Book page: ``book/applications/translation``.
    """
    kw = dict(bos_id=BOS, eos_id=EOS, max_len=max_len)
    got = call_student("beam_decode", beam_decode, decoder, decoder.initial_state(N), N, beam_width=beam_width,
                       forbidden=FORBIDDEN, **kw)
    got = _as_outputs("beam_decode", got, N, max_len)
    if got == expected:
        return
    if beam_width > 1 and got == _greedy_search(decoder, decoder.initial_state(N), N, **kw):
        raise GradingError(f"beam_decode: with beam_width = {beam_width} your outputs are those of greedy decoding; "
                           "keep the beam_width best hypotheses of each example at every step, not only the best")
    for msg, options in _BEAM_MISTAKES.items():
        if got == beam_reference(decoder, decoder.initial_state(N), N, beam_width=beam_width, **kw, **options):
            raise GradingError(f"beam_decode: {msg}")
    raise GradingError(f"beam_decode: {message}")


def beam_cases(rng, hidden=False):
    """``[(decoder, N, max_len, beam_width, expected, message)]``: width 1, traps, and a search that keeps everything.

    Book page: ``book/applications/translation``.
    """
    N1, N2 = (int(rng.integers(2, 5)), int(rng.integers(1, 4))) if hidden else (3, 2)
    kw = dict(bos_id=BOS, eos_id=EOS)
    cases = []
    greedy = ScriptedDecoder(6, 6, int(rng.integers(1 << 30)), scale=1.0)
    cases.append((greedy, N1, 6, 1, _greedy_search(greedy, greedy.initial_state(N1), N1, max_len=6, **kw),
                  "with beam_width = 1 beam search is greedy decoding: keep the single best candidate at each step"))
    for width in (2, 3):
        trap, paths = trap_decoder(rng, N2, 6, 6)
        assert paths == beam_reference(trap, trap.initial_state(N2), N2, max_len=6, beam_width=width, **kw)
        cases.append((trap, N2, 6, width, paths,
                      f"with beam_width = {width} the search must find the output greedy decoding misses (a "
                      "second-best first word followed by almost certain ones)"))
    def mistaken(decoder):
        return [beam_reference(decoder, decoder.initial_state(N2), N2, max_len=3, beam_width=12, **kw, **options)
                for options in _BEAM_MISTAKES.values()]

    wide, best = discriminating_decoder(rng, N2, 4, 3, mistaken)
    assert best == exhaustive_best(wide, N2, 3) == beam_reference(wide, wide.initial_state(N2), N2, max_len=3,
                                                                  beam_width=12, **kw)
    cases.append((wide, N2, 3, 12, best,
                  "a beam of 12 keeps every hypothesis here, so it must return the output with the best "
                  "score / (tokens + 1) among all those that end with <eos>"))
    return cases


def visible_beam(beam_decode):
    """Width 1 against greedy decoding, widths 2 and 3 on trap decoders, and an exhaustive beam.

    Book page: ``book/applications/translation``.
    """
    for case in beam_cases(np.random.default_rng(75)):
        check_beam_case(beam_decode, *case)

