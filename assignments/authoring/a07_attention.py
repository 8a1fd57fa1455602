# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 7: attention and decoding
#
# An encoder-decoder squeezes the whole source sentence into one vector. With
# *attention* the decoder looks back at every encoder state at every step and decides
# which ones matter now; and at inference time it has to choose its output one token
# at a time, greedily or by keeping several candidates (*beam search*). In this
# assignment you write, in numpy, one step of additive (Bahdanau) attention forwards
# and backwards, then greedy decoding and beam search for any decoder that can take one
# step. The book's chapter *Machine translation* shows the model these pieces belong to.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). Do not call `rnncourse`'s own attention or decoding
# (`rnncourse.models.attention`, `rnncourse.models.seq2seq`): the grader notices, and
# that part earns no points. `numpy` is all you need. Run the test cell under each
# answer: it tells you what is wrong when something is. More tests run when your work
# is graded, on inputs and sizes you have not seen.
#
# | Part | Points |
# |---|---|
# | 1. attention weights with a padding mask | 4 |
# | 2. the context vector | 2 |
# | 3. the backward pass: scores and keys | 3 |
# | 3. the backward pass: the query | 3 |
# | 4. greedy decoding | 3 |
# | 5. beam search | 5 |
# | 6. concept check (two questions) | 4 |
# | **Total** | **24** |
#
# **Shapes.** A batch holds $N$ source sentences padded to $S$ positions. The encoder's
# states are the *keys* $k_s$, `keys` of shape `(N, S, H_k)`; the decoder's previous
# state $h_{t-1}$ is the *query* $q$, `query` of shape `(N, H)`; $A$ is the size of the
# scoring layer. A boolean `mask` `(N, S)` is `True` at the real source positions.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.core.gradcheck import numerical_gradient, rel_error
from rnncourse.grading import a07_attention as checks

# %% [markdown]
# ## 1. Attention weights with a padding mask (4 points)
#
# Additive attention scores every source position $s$ with a small network of one
# hidden layer, then turns the scores into weights with a softmax over $s$:
#
# $$e_s = v^\top \tanh(k'_s + W_q q), \qquad \alpha_s = \frac{\exp e_s}{\sum_{s'} \exp e_{s'}},$$
#
# where $k'_s = W_k k_s + b_a$ is computed once per sentence (it does not change from one
# decoder step to the next) and given to you as `keys_proj`, shape `(N, S, A)`; `W_q` is
# `(A, H)` and `v` is `(A,)`. The term $W_q q$ is the same for every position $s$ of a
# sentence. Padding positions must get weight exactly 0, and the real positions of each
# sentence weights that sum to 1: give the padding the score $-\infty$ before the softmax
# (`np.where(mask, scores, -np.inf)`; $e^{-\infty} = 0$). Scores can be large, so subtract
# each row's largest score before `np.exp`, as for any softmax.
#
# Write `attention_weights(query, keys_proj, W_q, v, mask)`, returning `alpha` of shape
# `(N, S)`.

# %% nbgrader={"grade": false, "grade_id": "weights_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def attention_weights(query, keys_proj, W_q, v, mask):
    """Additive attention weights alpha (N, S): softmax over s of v . tanh(keys_proj[:, s] + W_q query), padding 0."""
    ### BEGIN SOLUTION
    hidden = np.tanh(keys_proj + np.expand_dims(query @ W_q.T, 1))
    e = np.einsum("nsa,a->ns", hidden, v)
    e = np.where(mask, e, -np.inf)
    w = np.exp(e - np.max(e, axis=1, keepdims=True))
    return w / np.sum(w, axis=1, keepdims=True)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "weights_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_attention_weights(attention_weights)
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.hidden_attention_weights(attention_weights, seed=701)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. The context vector (2 points)
#
# The context is the average of the keys, weighted by attention:
# $c = \sum_s \alpha_s k_s$. Write `attention_context(alpha, keys)`: `alpha` is `(N, S)`,
# `keys` is `(N, S, H_k)`; return `c` of shape `(N, H_k)`. (Padding needs no special
# care here: its weight is 0.)

# %% nbgrader={"grade": false, "grade_id": "context_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def attention_context(alpha, keys):
    """The context (N, H_k): the keys (N, S, H_k) weighted by alpha (N, S), summed over s."""
    ### BEGIN SOLUTION
    return np.sum(keys * alpha[..., None], axis=1)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "context_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_attention_context(attention_context)
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.hidden_attention_context(attention_context, seed=702)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. The backward pass of one attention step (6 points)
#
# `attention_backward(dcontext, cache)` receives `dcontext`, the gradient of the loss
# with respect to $c$, shape `(N, H_k)`, and the `cache` the forward step kept,
# `(query, keys, a, alpha, W_q, v)`, where `a = tanh(keys_proj + W_q query)` is
# `(N, S, A)`. Go backwards through the forward equations:
#
# 1. $c = \sum_s \alpha_s k_s$ gives the keys a gradient directly,
#    $\partial L / \partial k_s = \alpha_s \, \text{dcontext}$ (`dkeys`, `(N, S, H_k)`; the
#    keys also reach the loss through `keys_proj`, but that path is the caller's: you
#    return `dkeys_proj` for it), and gives each weight
#    $\partial L / \partial \alpha_s = \text{dcontext} \cdot k_s$ (`(N, S)`).
# 2. The softmax: with $g_s = \partial L / \partial \alpha_s$,
#    $\partial L / \partial e_s = \alpha_s \big(g_s - \sum_{s'} \alpha_{s'} g_{s'}\big)$.
# 3. $e_s = v \cdot a_s$: `dv` sums $\frac{\partial L}{\partial e_s} a_s$ over the batch and
#    over $s$, and $\partial L / \partial a_s = \frac{\partial L}{\partial e_s} v$.
# 4. $a_s = \tanh(u_s)$ with $u_s = k'_s + W_q q$: multiply by $1 - a_s^2$ to get
#    $\partial L / \partial u_s$, which is `dkeys_proj`, `(N, S, A)`.
# 5. $W_q q$ is added at every position, so its gradient is
#    $\sum_s \partial L / \partial u_s$ (`(N, A)`); from there `dquery` `(N, H)` and `dW_q`
#    `(A, H)` follow as for a dense layer.
#
# Return `dquery, dkeys, dkeys_proj, dW_q, dv`. Two test cells grade this part: the first
# checks `dkeys`, `dkeys_proj` and `dv`, the second `dquery` and `dW_q`.

# %% nbgrader={"grade": false, "grade_id": "backward_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def attention_backward(dcontext, cache):
    """Backward of one attention step: returns dquery, dkeys, dkeys_proj, dW_q, dv."""
    ### BEGIN SOLUTION
    query, keys, a, alpha, W_q, v = cache
    g_alpha = np.einsum("nh,nsh->ns", dcontext, keys)
    g_e = alpha * (g_alpha - np.sum(alpha * g_alpha, axis=1, keepdims=True))
    g_u = np.einsum("ns,a->nsa", g_e, v) * (1.0 - np.square(a))
    g_query_term = np.sum(g_u, axis=1)
    return (g_query_term @ W_q, np.einsum("ns,nh->nsh", alpha, dcontext), g_u,
            g_query_term.T @ query, np.einsum("ns,nsa->a", g_e, a))
    ### END SOLUTION

# %% [markdown]
# Before you run the graded tests, you can compare your backward pass with numerical
# derivatives of the forward pass (this cell is not graded). It builds a forward step
# from your parts 1 and 2, with the loss $L = \sum c \odot \text{dcontext}$; relative
# errors around `1e-8` or smaller mean your gradients are right.

# %% nbgrader={"grade": false, "grade_id": "gradcheck_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
_rng = np.random.default_rng(0)
_N, _S, _H, _A = 2, 4, 3, 5
_inputs = {"query": _rng.standard_normal((_N, _H)), "keys": _rng.standard_normal((_N, _S, _H)),
           "keys_proj": _rng.standard_normal((_N, _S, _A)), "W_q": _rng.standard_normal((_A, _H)),
           "v": _rng.standard_normal(_A)}
_mask = np.array([[True, True, True, False], [True, True, True, True]])
_dcontext = _rng.standard_normal((_N, _H))


def _forward(query, keys, keys_proj, W_q, v):
    alpha = attention_weights(query, keys_proj, W_q, v, _mask)
    a = np.tanh(keys_proj + (query @ W_q.T)[:, None, :])
    return attention_context(alpha, keys), (query, keys, a, alpha, W_q, v)


def _loss():
    return np.sum(_forward(**_inputs)[0] * _dcontext)


# keys_proj is an input of its own here, so the numerical gradient of the keys is the path through c only
_grads = attention_backward(_dcontext, _forward(**_inputs)[1])
for _name, _key in (("dquery", "query"), ("dkeys", "keys"), ("dkeys_proj", "keys_proj"), ("dW_q", "W_q"),
                    ("dv", "v")):
    _num = numerical_gradient(_loss, _inputs[_key])
    _mine = _grads[("dquery", "dkeys", "dkeys_proj", "dW_q", "dv").index(_name)]
    print(f"{_name:10s} relative error {rel_error(np.asarray(_mine, dtype=float), _num):.1e}")

# %% nbgrader={"grade": true, "grade_id": "backward_scores_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_backward_scores(attention_backward)
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.hidden_backward_scores(attention_backward, seed=703)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "backward_query_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_backward_query(attention_backward)
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.hidden_backward_query(attention_backward, seed=704)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Greedy decoding (3 points)
#
# At inference time a decoder has no target to read: it reads its own previous output.
# Here a decoder is any function `step(prev_ids, state, rows) -> (logits, state)` that
# takes one step for a batch of $B$ rows: `prev_ids` `(B,)` are the tokens the rows read
# now, `state` is the decoder's state (an array whose first axis has one row per row of
# `prev_ids`), and `rows` `(B,)` says which source example each row decodes; it returns
# the next-token logits `(B, V)` and the new state. (The tests give you scripted decoders
# whose logits depend only on the example and the tokens read so far, so there is no
# model to train.)
#
# Write `greedy_decode(step, state, N, *, bos_id, eos_id, max_len)` for $N$ examples
# whose initial state `state` has $N$ rows:
#
# - every row first reads `bos_id`; at each step take the most likely token
#   (`logits.argmax(axis=1)`), which is what the row reads at the next step;
# - pass the state that `step` returned to the next call, and `rows = np.arange(N)`;
# - a row is finished at its first `eos_id`, which is not part of its output; stop when
#   every row is finished or after `max_len` steps.
#
# Return a list of $N$ lists of token ids (Python `int`s), without `<eos>`.

# %% nbgrader={"grade": false, "grade_id": "greedy_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def greedy_decode(step, state, N, *, bos_id, eos_id, max_len):
    """The most likely token at every step, for N examples; returns N lists of ids without <eos>."""
    ### BEGIN SOLUTION
    tokens = np.full(N, bos_id)
    results = [[] for _ in range(N)]
    active = np.ones(N, dtype=bool)
    t = 0
    while active.any() and t < max_len:
        logits, state = step(tokens, state, np.arange(N))
        tokens = np.argmax(logits, axis=1)
        ended = active & (tokens == eos_id)
        for n in np.flatnonzero(active & ~ended):
            results[n].append(int(tokens[n]))
        active &= ~ended
        t += 1
    return results
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "greedy_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_greedy(greedy_decode)
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.hidden_greedy(greedy_decode, seed=705)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Beam search (5 points)
#
# The most likely token at each step does not always lead to the most likely output:
# a first word with probability 0.45 may be followed only by unlikely words, while one
# with probability 0.35 starts an output whose every next word is almost certain. Beam
# search keeps the `beam_width` best *hypotheses* (partial outputs) of each example:
#
# - a hypothesis's score is the sum of the log-probabilities of its tokens,
#   $\sum_t \log p(y_t \mid y_{<t})$, with $\log p$ the log-softmax of the logits;
# - at each step, every live hypothesis of an example is extended by every token of the
#   vocabulary, and the `beam_width` candidates with the best scores among all those of
#   the example are kept; a kept candidate whose last token is `eos_id` is *finished*
#   (its output is its tokens without the `<eos>`) and is not extended any more; the
#   others are the live hypotheses of the next step (there may be fewer than
#   `beam_width`, or none);
# - one call of `step` serves all live hypotheses of all examples: stack their last
#   tokens as `prev_ids`, their example indices as `rows`, and their states: a kept
#   candidate continues from the state row of the hypothesis it extends, so index the
#   new state with the rows of the *parents* (`new_state[parents]`);
# - stop when no hypothesis is live or after `max_len` steps. Each example's answer is
#   its finished hypothesis with the best score **divided by its length** (its tokens
#   plus the `<eos>`), so that longer outputs are not penalised just for having more
#   factors below 1; an example with no finished hypothesis answers with its live
#   hypothesis of best score.
#
# At the first step each example has one hypothesis, the empty one with score 0, and
# `state` has one row per example. With `beam_width = 1` this is greedy decoding.
#
# Write `beam_decode(step, state, N, *, bos_id, eos_id, max_len, beam_width)`, returning
# a list of $N$ lists of token ids as in part 4. The tests check that width 1 gives
# greedy decoding, that width 2 finds the output that greedy decoding misses on decoders
# built for it, and that a beam wide enough to keep every hypothesis returns the best
# output.

# %% nbgrader={"grade": false, "grade_id": "beam_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def beam_decode(step, state, N, *, bos_id, eos_id, max_len, beam_width):
    """Beam search for N examples; returns N lists of ids without <eos>."""
    ### BEGIN SOLUTION
    live = [[([], 0.0)] for _ in range(N)]         # per example: (tokens, score) of each live hypothesis
    ended = [[] for _ in range(N)]
    feed, owner = np.full(N, bos_id), np.arange(N)
    for _ in range(max_len):
        logits, state = step(feed, state, owner)
        shifted = logits - np.max(logits, axis=1, keepdims=True)
        logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        parents, survivors, first = [], [[] for _ in range(N)], 0
        for n in range(N):
            count = len(live[n])
            totals = logp[first:first + count] + np.array([[score] for _, score in live[n]]).reshape(count, 1)
            for flat in np.argsort(-totals, axis=None, kind="stable")[:beam_width]:
                i, token = divmod(int(flat), totals.shape[1])
                if token == eos_id:
                    ended[n].append((live[n][i][0], totals[i, token]))
                else:
                    survivors[n].append((live[n][i][0] + [token], totals[i, token]))
                    parents.append(first + i)
            first += count
        live = survivors
        if not parents:
            break
        state = state[np.array(parents)]
        owner = np.array([n for n in range(N) for _ in live[n]])
        feed = np.array([hyp[-1] for n in range(N) for hyp, _ in live[n]])
    answers = []
    for n in range(N):
        if ended[n]:
            answers.append(max(ended[n], key=lambda h: h[1] / (len(h[0]) + 1))[0])
        else:
            answers.append(max(live[n], key=lambda h: h[1])[0])
    return answers
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "beam_test", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": false}
checks.visible_beam(beam_decode)
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.hidden_beam(beam_decode, seed=706)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Concept check (4 points)
#
# **Question 1.** Greedy decoding takes the most likely token at every step. Why can it
# miss the most likely output?
#
# - A) Because the decoder's softmax does not sum to 1 over the vocabulary.
# - B) Because the probability of an output is the product of its steps' probabilities:
#   the most likely first token can lead only to unlikely continuations, while a less
#   likely one starts a continuation that is almost certain.
# - C) Because greedy decoding ignores the attention weights.
# - D) It cannot: taking the most likely token at every step always gives the most likely output.
#
# **Question 2.** Beam search compares finished hypotheses by their score divided by
# their length. Without that division, which outputs would it favour?
#
# - A) Longer ones, because their scores add up more log-probabilities.
# - B) Neither: the scores of all outputs of an example sum to 1.
# - C) Shorter ones, because every token adds a log-probability that is at most 0.
# - D) Those whose tokens are all different.
#
# Set `answer_q1` and `answer_q2` to `"A"`, `"B"`, `"C"` or `"D"`.

# %% nbgrader={"grade": false, "grade_id": "concept_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q1 = "B"
answer_q2 = "C"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "concept_q1_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q1 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.check_concept("answer_q1", answer_q1, "a3de5e84412fcadbf92609663966cd5ae8f196cbe489f78739f49d5881fb7c75")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "concept_q2_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q2 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a07_attention as hidden_tests
hidden_tests.check_concept("answer_q2", answer_q2, "879c991b5c56c5fda016d9c259db06c3cb4a57cb57d6a597a9703e5dd4aa092d")
### END HIDDEN TESTS
