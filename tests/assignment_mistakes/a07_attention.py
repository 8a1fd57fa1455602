from . import Mistake, solution_with

_SCORES = '    e = np.where(mask, e, -np.inf)\n'
_SOFTMAX_E = "g_e = alpha * (g_alpha - np.sum(alpha * g_alpha, axis=1, keepdims=True))"

MISTAKES = [
    # 1. weights: the mask ignored, padding scored 0, the softmax over the batch, no tanh, no max subtracted
    *solution_with("a07_attention", "weights_answer", "weights_test", [
        ("a07-mask-ignored", "the padding positions must get weight 0", (_SCORES, "")),
        ("a07-padding-score-zero", "a padding score of 0 still gets weight", ("-np.inf)", "0.0)")),
        ("a07-softmax-over-batch", "the softmax runs over the source positions of each example",
         ("np.max(e, axis=1, keepdims=True)", "np.max(e, axis=0, keepdims=True)"),
         ("np.sum(w, axis=1, keepdims=True)", "np.sum(w, axis=0, keepdims=True)")),
        ("a07-no-tanh", "the tanh is missing", ("hidden = np.tanh(", "hidden = (")),
        ("a07-softmax-overflows", "scores in the hundreds overflow exp",
         ("w = np.exp(e - np.max(e, axis=1, keepdims=True))", "w = np.exp(e)")),
    ]),
    Mistake("a07-weights-call-reference", "weights_answer", '''
from rnncourse.models import attention as reference

def attention_weights(query, keys_proj, W_q, v, mask):
    keys = np.zeros(keys_proj.shape[:2] + (1,))
    return reference.additive_attention_forward(query, keys, keys_proj, W_q, v, mask)[1]
''', "weights_test", "calls rnncourse's own"),
    # 2. the context: a mean instead of the weighted sum
    *solution_with("a07_attention", "context_answer", "context_test", [
        ("a07-context-mean", "the context is the weighted SUM of the keys", ("np.sum(", "np.mean(")),
    ]),
    # 3. backward: the softmax without its correction term, tanh' = 1 - a, the query term averaged
    *solution_with("a07_attention", "backward_answer", "backward_scores_test", [
        ("a07-softmax-backward-no-correction", "the softmax backward needs the correction term",
         (_SOFTMAX_E, "g_e = alpha * g_alpha")),
        ("a07-tanh-derivative", "the derivative of tanh is 1 - a**2", ("(1.0 - np.square(a))", "(1.0 - a)")),
    ]),
    *solution_with("a07_attention", "backward_answer", "backward_query_test", [
        ("a07-query-gradient-averaged", "so its gradient is summed over s",
         ("g_query_term = np.sum(g_u, axis=1)", "g_query_term = np.mean(g_u, axis=1)")),
    ]),
    Mistake("a07-backward-calls-reference", "backward_answer", '''
from rnncourse.models.attention import AttentionCache, additive_attention_backward

def attention_backward(dcontext, cache):
    return additive_attention_backward(dcontext, AttentionCache(*cache))
''', "backward_scores_test", "calls rnncourse's own"),
    # 4. greedy: <eos> kept, no stop at <eos>, the state not carried, <bos> read at every step
    *solution_with("a07_attention", "greedy_answer", "greedy_test", [
        ("a07-greedy-keeps-eos", "do not append the <eos> token itself",
         ("for n in np.flatnonzero(active & ~ended):", "for n in np.flatnonzero(active):")),
        ("a07-greedy-state-not-carried", "pass the state that step returned to the next call",
         ("logits, state = step(tokens, state, np.arange(N))", "logits, _ = step(tokens, state, np.arange(N))")),
    ]),
    Mistake("a07-greedy-calls-reference", "greedy_answer", '''
from rnncourse.models.seq2seq import greedy_search as greedy_decode
''', "greedy_test", "calls rnncourse's own"),
    # 5. beam: raw scores, the state of the wrong rows, probabilities added, only the best kept
    *solution_with("a07_attention", "beam_answer", "beam_test", [
        ("a07-beam-raw-scores", "compare the finished hypotheses by their score divided by their length",
         ("key=lambda h: h[1] / (len(h[0]) + 1)", "key=lambda h: h[1]")),
        ("a07-beam-state-not-reordered", "every kept hypothesis must continue from the state of the hypothesis",
         ("state = state[np.array(parents)]", "state = state[np.arange(len(parents)) % len(state)]")),
        ("a07-beam-adds-probabilities", "score with log-probabilities",
         ("logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))",
          "logp = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)")),
        ("a07-beam-keeps-one", "your outputs are those of greedy decoding",
         ("[:beam_width]:", "[:1]:")),
    ]),
    Mistake("a07-beam-calls-reference", "beam_answer", '''
from rnncourse.models.seq2seq import beam_search

def beam_decode(step, state, N, *, bos_id, eos_id, max_len, beam_width):
    return beam_search(step, state, N, bos_id=bos_id, eos_id=eos_id, max_len=max_len, beam_width=beam_width)
''', "beam_test", "calls rnncourse's own"),
]
