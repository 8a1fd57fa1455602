# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 5: a character-level language model
#
# A character-level language model reads a text one character at a time and, at
# every step, predicts the next character. Trained on a short story, it learns
# spelling and frequent words, and it can then write new text by feeding its own
# guesses back in. You will write everything around `rnncourse`'s recurrent
# layers: the vocabulary and the training pairs, the loss, gradient clipping, one
# training step, sampling with a temperature, and generation; then you will train
# a model and read what it writes. The book's chapter *Language modelling and text
# generation* covers it, with clipping from *Training with backpropagation through
# time*.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). You may use `rnncourse`'s layers (`LSTM`, `GRU`,
# `RNN`, `Output`, `Sequential`) and optimizers (`Adam`, `SGD`), but not its
# versions of what you write here (the vocabulary and batch helpers of
# `rnncourse.datasets`, `rnncourse.core.losses`, `rnncourse.core.clipping`, `rnncourse.core.train`,
# `rnncourse.core.bptt`, `rnncourse.models.language_model`): the grader notices, and that part
# earns no points. Run the test cell under each answer: it tells you what is wrong
# when something is. More tests run when your work is graded, on inputs you have
# not seen, so make your code work for any sizes.
#
# | Part | Points |
# |---|---|
# | 1. characters to ids, and training pairs | 4 |
# | 2. loss, clipping and one training step | 9 |
# | 3. sampling and generation | 6 |
# | 4. training on a story | 3 |
# | 5. concept check | 2 |
# | **Total** | **24** |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.grading import a05_char_lm as checks

# %% [markdown]
# ## 1. Characters to ids, and training pairs (4 points)
#
# ### 1a. A vocabulary (2 points)
#
# A network reads numbers, not characters. The vocabulary is the list of the
# distinct characters of the text, **sorted** (so that the same text always gives
# the same numbering); a character's id is its position in that list.
#
# - `build_vocab(text)` returns that list of characters, e.g.
#   `build_vocab("hello")` is `['e', 'h', 'l', 'o']`.
# - `encode(text, vocab)` returns the ids of the characters of `text`, a numpy
#   integer array of shape `(len(text),)`: `encode("hole", ['e', 'h', 'l', 'o'])` is
#   `array([1, 3, 2, 0])`. A dict from character to id makes it fast.
# - `decode(ids, vocab)` goes back: it returns the string of the characters
#   `vocab[i]` for every id `i`.

# %% nbgrader={"grade": false, "grade_id": "vocab_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_vocab(text):
    """The distinct characters of text, sorted, as a list of str."""
    ### BEGIN SOLUTION
    return sorted(set(text))
    ### END SOLUTION


def encode(text, vocab):
    """The ids (positions in vocab) of the characters of text: an int array (len(text),)."""
    ### BEGIN SOLUTION
    index = {c: i for i, c in enumerate(vocab)}
    return np.array([index[c] for c in text], dtype=np.int64)
    ### END SOLUTION


def decode(ids, vocab):
    """The string whose characters are vocab[i] for every id i in ids."""
    ### BEGIN SOLUTION
    return "".join(vocab[i] for i in ids)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "vocab_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_vocabulary(build_vocab, encode, decode)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_vocabulary(build_vocab, encode, decode, seed=51)
### END HIDDEN TESTS

# %% [markdown]
# ### 1b. Inputs and next-character targets (2 points)
#
# The model learns from chunks of $T$ consecutive characters. At step $t$ of a
# chunk it reads character $c_t$ and must predict $c_{t+1}$, so the target
# sequence is the input sequence **shifted by one**:
#
# | | | | | |
# |---|---|---|---|---|
# | input `x[i]` | T | h | e | _ |
# | target `y[i]` | h | e | _ | k |
#
# Write `make_lm_pairs(ids, seq_len)`: `ids` is an int array `(L,)` (an encoded
# text) and `seq_len` is $T$. Cut the text into $N = \lfloor (L - 1) / T \rfloor$
# chunks that do not overlap, chunk $i$ starting at position $iT$, and return a
# pair `(x, y)` of int arrays of shape `(N, T)` with
# `x[i, t] = ids[i*T + t]` and `y[i, t] = ids[i*T + t + 1]`. (Why $L - 1$? The last
# target needs one character after its input.)

# %% nbgrader={"grade": false, "grade_id": "pairs_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def make_lm_pairs(ids, seq_len):
    """Non-overlapping chunks x (N, T) and their next-character targets y (N, T), N = (L - 1) // T."""
    ### BEGIN SOLUTION
    T = seq_len
    N = (len(ids) - 1) // T
    x = ids[:N * T].reshape(N, T)
    y = ids[1:N * T + 1].reshape(N, T)
    return x, y
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "pairs_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_lm_pairs(make_lm_pairs)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_lm_pairs(make_lm_pairs, seed=52)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. Loss, clipping and one training step (9 points)
#
# ### 2a. Softmax cross-entropy over time (3 points)
#
# The model outputs logits $z_{n,t} \in \mathbb{R}^V$ for every sequence $n$ and step
# $t$; softmax turns them into a distribution over the next character, and the loss
# is the mean negative log-probability of the right one:
#
# $$L = -\frac{1}{NT} \sum_{n,t} \log \mathrm{softmax}(z_{n,t})_{y_{n,t}}, \qquad
# \frac{\partial L}{\partial z_{n,t}} = \frac{\mathrm{softmax}(z_{n,t}) - \mathrm{onehot}(y_{n,t})}{NT}.$$
#
# Write `softmax_cross_entropy(logits, y)`: `logits` is `(N, T, V)`, `y` an int array
# `(N, T)` of target ids; return a pair `(loss, dlogits)`: the loss as a float and
# its gradient `(N, T, V)`. Subtract the largest logit of each position before
# `exp` (it changes nothing mathematically and keeps `exp` from overflowing), and
# compute $\log \mathrm{softmax}(z)_k = z_k - \log \sum_j e^{z_j}$ directly rather than
# `np.log` of a softmax that may have underflowed to 0.

# %% nbgrader={"grade": false, "grade_id": "loss_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax_cross_entropy(logits, y):
    """Mean cross-entropy over the N*T positions and its gradient: returns (loss, dlogits (N, T, V))."""
    ### BEGIN SOLUTION
    N, T, V = logits.shape
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    n, t = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    loss = -log_p[n, t, y].mean()
    dlogits = np.exp(log_p)
    dlogits[n, t, y] -= 1.0
    return float(loss), dlogits / (N * T)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "loss_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_cross_entropy(softmax_cross_entropy)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_cross_entropy(softmax_cross_entropy, seed=53)
### END HIDDEN TESTS

# %% [markdown]
# ### 2b. Clipping by the global norm (2 points)
#
# Backpropagation through time can produce huge gradients (they *explode*). The
# cure is to rescale **all** the gradients together when their joint norm is too
# large, which shrinks the step but keeps its direction:
#
# $$\|g\| = \sqrt{\textstyle\sum_k \|g_k\|^2}, \qquad
# g_k \leftarrow g_k \cdot \frac{\tau}{\|g\|} \ \text{ for every } k, \ \text{ when } \|g\| > \tau.$$
#
# Write `clip_by_global_norm(grads, max_norm)`: `grads` is a dict of gradient arrays
# (like `model.grads`) and `max_norm` is $\tau$. Change the arrays **in place**
# (`g *= scale`): `model.grads` builds a new dict each time you read it, so putting
# new arrays into that dict would not reach the model. Leave them unchanged when
# $\|g\| \le \tau$, and return $\|g\|$ measured before clipping (a float).

# %% nbgrader={"grade": false, "grade_id": "clip_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def clip_by_global_norm(grads, max_norm):
    """Rescale every array of grads in place so that their global norm is at most max_norm; return the norm before."""
    ### BEGIN SOLUTION
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "clip_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_clip(clip_by_global_norm)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_clip(clip_by_global_norm, seed=54)
### END HIDDEN TESTS

# %% [markdown]
# ### 2c. One training step (4 points)
#
# The model is an `rnncourse` module, for example
# `Sequential(LSTM(V, H, rng=rng), Output(H, V, rng=rng))`: `model.forward(x)` takes
# one-hot inputs `x` of shape `(N, T, V)` and returns `(logits, final_state)` with
# logits `(N, T, V)`; `model.backward(dlogits)` computes the gradients by
# backpropagation through time and **adds** them to the arrays of `model.grads`;
# `model.zero_grad()` sets them to zero; `optimizer.step()` updates the parameters
# from `model.grads`.
#
# Write `train_step(model, optimizer, x, y, max_norm=5.0)` doing one step, in this
# order, and returning the loss (a float):
#
# 1. zero the gradients (the model may arrive with gradients left from an earlier
#    backward pass, and `backward` only adds to them);
# 2. forward pass, then your `softmax_cross_entropy` of the logits and `y` `(N, T)`;
# 3. backward pass with `dlogits`;
# 4. clip `model.grads` by their global norm with your `clip_by_global_norm`;
# 5. `optimizer.step()`.
#
# The test runs your step and a reference step on two identical models for up to
# three steps and compares every parameter.

# %% nbgrader={"grade": false, "grade_id": "step_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_step(model, optimizer, x, y, max_norm=5.0):
    """One training step on one-hot inputs x (N, T, V) and targets y (N, T); returns the loss before the update."""
    ### BEGIN SOLUTION
    model.zero_grad()
    logits, _ = model.forward(x)
    loss, dlogits = softmax_cross_entropy(logits, y)
    model.backward(dlogits)
    clip_by_global_norm(model.grads, max_norm)
    optimizer.step()
    return loss
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "step_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_train_step(train_step)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_train_step(train_step, seed=55)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Sampling and generation (6 points)
#
# ### 3a. The next character, with a temperature (3 points)
#
# To write, the model samples the next character from its predicted distribution.
# The *temperature* $\tau > 0$ reshapes that distribution first:
#
# $$p = \mathrm{softmax}(z / \tau).$$
#
# $\tau = 1$ keeps the model's distribution; $\tau < 1$ sharpens it towards the
# likely characters; $\tau > 1$ flattens it towards uniform.
#
# Write `sample_next(logits, temperature, rng)`: `logits` is `(V,)`, `rng` a
# `numpy.random.Generator`. Compute $p$ (stably: subtract the largest value before
# `exp`), then draw the id with exactly **one** call `rng.choice(len(p), p=p)` and
# return it as an `int`. (The grader replays your draws with a generator in the same
# state, so other ways of drawing, even correct ones, will not match.)

# %% nbgrader={"grade": false, "grade_id": "sample_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sample_next(logits, temperature, rng):
    """One id drawn from softmax(logits / temperature) with rng.choice."""
    ### BEGIN SOLUTION
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "sample_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_sample_next(sample_next)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_sample_next(sample_next, seed=56)
### END HIDDEN TESTS

# %% [markdown]
# ### 3b. Generating text (3 points)
#
# Write `generate(model, prime_ids, length, vocab_size, temperature, rng)` returning
# a list of `length` new ids (the prime not included):
#
# 1. run the model once over the prime: one-hot inputs of shape `(1, T_prime, V)`
#    (`np.eye(V)[ids]` makes one-hot rows), from a zero state; keep the logits and
#    the final state it returns;
# 2. repeat `length` times: draw the next id with your `sample_next` from the logits
#    of the **last** position, `logits[0, -1]`; append it; feed it to the model as a
#    one-hot input of shape `(1, 1, V)` **together with the state** it returned last
#    time (`model.forward(x, state)`), which gives the logits and the state for the
#    next round.

# %% nbgrader={"grade": false, "grade_id": "generate_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generate(model, prime_ids, length, vocab_size, temperature, rng):
    """length new ids sampled from the model after reading prime_ids, each fed back in."""
    ### BEGIN SOLUTION
    eye = np.eye(vocab_size)
    logits, state = model.forward(eye[np.asarray(prime_ids)][None])
    out = []
    for _ in range(length):
        nxt = sample_next(logits[0, -1], temperature, rng)
        out.append(nxt)
        logits, state = model.forward(eye[[nxt]][None], state)
    return out
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "generate_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_generate(generate)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_generate(generate, seed=57)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Training on a story (3 points)
#
# `rnncourse.datasets.tiny_corpus()` returns a short story of about 4,000
# characters. Write `train_char_lm(train_ids, vocab_size, *, rng)` that trains a
# model on the encoded text `train_ids` (an int array) and returns it:
#
# - the model: `Sequential(LSTM(V, H, rng=rng), Output(H, V, rng=rng))` with
#   `H = 64` (imports below), and `Adam(model, lr=2e-2)`;
# - every epoch: cut the text with your `make_lm_pairs` into chunks of 32 characters
#   (starting at a random offset `rng.integers(32)`, so that the chunk boundaries
#   move), shuffle the chunks with `rng.permutation`, and run your `train_step` on
#   batches of 8 chunks (one-hot inputs `np.eye(V)[x]`, targets `y`);
# - 20 epochs (the story is short: an epoch is only about 14 updates, and the model
#   needs a few hundred to spell whole words); draw everything random from `rng`.
#
# It must finish within 30 seconds (it takes a few). The test trains it on 90% of the
# story and measures the cross-entropy on the other 10%, read in one pass: it must be
# at least 0.8 nats per character below the *unigram* baseline, which predicts every
# character from its frequency alone and ignores the context.

# %% nbgrader={"grade": false, "grade_id": "train_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
from rnncourse.cells.lstm import LSTM
from rnncourse.core.module import Sequential
from rnncourse.core.optim import Adam
from rnncourse.layers.output import Output


def train_char_lm(train_ids, vocab_size, *, rng):
    """Train an LSTM character model on train_ids (L,) with your train_step; return the model."""
    ### BEGIN SOLUTION
    V, H, T, B = vocab_size, 64, 32, 8
    model = Sequential(LSTM(V, H, rng=rng), Output(H, V, rng=rng))
    optimizer = Adam(model, lr=2e-2)
    eye = np.eye(V)
    for epoch in range(20):
        x, y = make_lm_pairs(train_ids[int(rng.integers(T)):], T)
        order = rng.permutation(len(x))
        for i in range(0, len(order) - B + 1, B):
            batch = order[i:i + B]
            train_step(model, optimizer, eye[x[batch]], y[batch], max_norm=5.0)
    return model
    ### END SOLUTION

# %% [markdown]
# Your model, trained on the first 90% of the story, writes after the prime
# *The keeper* at two temperatures, and counts how many of the words it wrote occur
# in the story (this cell is not graded; it takes a few seconds):

# %% nbgrader={"grade": false, "grade_id": "samples", "locked": true, "schema_version": 3, "solution": false, "task": false}
from rnncourse.datasets import tiny_corpus

story = tiny_corpus()
story_vocab = build_vocab(story)
story_ids = encode(story, story_vocab)
lm = train_char_lm(story_ids[:int(0.9 * len(story_ids))], len(story_vocab), rng=np.random.default_rng(0))
story_words = set(story.split())
for temperature in (0.5, 1.0):
    new_ids = generate(lm, encode("The keeper", story_vocab), 200, len(story_vocab), temperature,
                       np.random.default_rng(1))
    sample = "The keeper" + decode(new_ids, story_vocab)
    words = sample.split()[2:-1]                     # the prime and a last word that may be cut off
    print(f"--- temperature {temperature}: {sum(w in story_words for w in words)} of {len(words)} "
          "words occur in the story ---")
    print(sample)

# %% nbgrader={"grade": true, "grade_id": "train_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_char_lm(train_char_lm)
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.hidden_char_lm(train_char_lm, seed=58)
### END HIDDEN TESTS

# %% [markdown]
# Compare the two samples: at $\tau = 0.5$ the model keeps to the words it knows best
# and repeats its favourites; at $\tau = 1$ it invents more, and misspells more. (With
# far fewer updates, a few dozen, even $\tau = 0.5$ gives mostly "the the the": the
# model has learnt the most frequent word and little else.)
#
# ## 5. Concept check (2 points)
#
# You sample from your model at temperature $\tau = 0.2$ instead of $\tau = 1$. What
# changes?
#
# - A) The text becomes more random: rare characters appear much more often.
# - B) Nothing: dividing every logit by the same number leaves the softmax unchanged.
# - C) The model predicts held-out text better, so its cross-entropy goes down.
# - D) The samples keep to the most likely characters, so the text gets more repetitive.
#
# Set `answer_q1` to `"A"`, `"B"`, `"C"` or `"D"`.

# %% nbgrader={"grade": false, "grade_id": "concept_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q1 = "D"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "concept_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q1 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a05_char_lm as hidden_tests
hidden_tests.check_concept("answer_q1", answer_q1, "cdd73cf438fcd9a097f2d00f9e9485b4061361eb68227e6ec2b0291ecd229be2")
### END HIDDEN TESTS
