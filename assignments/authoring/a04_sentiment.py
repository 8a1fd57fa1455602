# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 4: bidirectional and deep RNNs for sentiment
#
# A forward RNN at step $t$ knows only the words up to $t$. In this assignment you
# give it the rest of the sentence too, by adding a second RNN that reads the
# sentence backwards; you pool its states over the real words of each sentence
# (not the padding); you stack layers into a deep RNN; and then you train a
# sentiment classifier with and without the backward direction and compare them.
# The book's chapters *Bidirectional RNNs*, *Deep RNNs* and *Sentiment analysis*
# cover everything you need.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). In parts 1 to 3 you write, in numpy, what
# `rnncourse`'s `Bidirectional`, `Stacked` and `SequenceClassifier` do inside:
# calling them there earns no points (the grader notices). In part 4 you may use
# every layer of `rnncourse`. Run the test cell under each answer: it tells you
# what is wrong when something is. More tests run when your work is graded, on
# inputs you have not seen, so make your code work for any sizes.
#
# | Part | Points |
# |---|---|
# | 1. both directions | 4 |
# | 2. pooling over the real words | 3 |
# | 3. a deep RNN | 4 |
# | 4. sentiment, bidirectional and forward-only | 6 |
# | 5. concept check | 2 |
# | **Total** | **19** |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.grading import a04_sentiment as checks

# %% [markdown]
# ## 1. Reading in both directions (4 points)
#
# A bidirectional layer runs two independent recurrent layers over the same
# sequence $x_1, \dots, x_T$: one from left to right, one from right to left.
#
# $$\overrightarrow{h}_t = \overrightarrow{\mathrm{cell}}(x_t, \overrightarrow{h}_{t-1}), \qquad
# \overleftarrow{h}_t = \overleftarrow{\mathrm{cell}}(x_t, \overleftarrow{h}_{t+1}), \qquad
# y_t = [\overrightarrow{h}_t \,;\, \overleftarrow{h}_t]$$
#
# $\overrightarrow{h}_t$ has read $x_1, \dots, x_t$ and $\overleftarrow{h}_t$ has
# read $x_t, \dots, x_T$, so $y_t$ sees the whole sentence. Any ordinary
# (left-to-right) layer becomes the backward one if you give it the sequence
# *reversed in time* and then reverse its outputs back, so that position $t$ of
# both halves belongs to $x_t$.
#
# Write `bidirectional_forward(x, forward_fn, backward_fn)`:
#
# - `x` has shape `(N, T, D)`: $N$ sequences of $T$ steps (axis 1 is time).
# - `forward_fn` and `backward_fn` are functions that run one layer left to right:
#   `forward_fn(x)` returns its outputs of shape `(N, T, H_f)`, `backward_fn` returns
#   `(N, T, H_b)` for an input `(N, T, D)`. They have different weights.
# - Return `y` of shape `(N, T, H_f + H_b)`: the forward half first (`y[..., :H_f]`),
#   then the backward half, as PyTorch does.
#
# `x[:, ::-1]` reverses the time axis; `np.concatenate(..., axis=-1)` joins the halves.

# %% nbgrader={"grade": false, "grade_id": "bidirectional_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def bidirectional_forward(x, forward_fn, backward_fn):
    """Outputs (N, T, H_f + H_b) of a forward and a backward layer, aligned in time, forward half first."""
    ### BEGIN SOLUTION
    out_f = forward_fn(x)
    out_b = backward_fn(x[:, ::-1])[:, ::-1]
    return np.concatenate([out_f, out_b], axis=-1)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "bidirectional_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_bidirectional(bidirectional_forward)
### BEGIN HIDDEN TESTS
from graders import a04_sentiment as hidden_tests
hidden_tests.hidden_bidirectional(bidirectional_forward, seed=41)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. Pooling over the real words (3 points)
#
# A classifier needs one vector per sentence. The sentences of a batch have
# different lengths, so they are padded on the right to a common length $T$ and
# a boolean `mask` marks the real words (`True`) and the padding (`False`). The
# recurrent layer still produces states at the padded steps; they mean nothing
# and must not count. The *masked mean* of the states of sentence $n$ with $L_n$
# real words is
#
# $$v_n = \frac{1}{L_n} \sum_{t:\ \mathrm{mask}[n, t]} h_{n,t}.$$
#
# Write `masked_mean_pool(h, mask)`: `h` has shape `(N, T, H)`, `mask` is a boolean
# array `(N, T)` with at least one `True` per row; return `v` of shape `(N, H)`.
# (Tip: `mask[:, :, None]` broadcasts the mask over the `H` features, and
# `mask.sum(axis=1)` counts the real steps of every sentence.)

# %% nbgrader={"grade": false, "grade_id": "pool_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def masked_mean_pool(h, mask):
    """Mean of h (N, T, H) over the steps where mask (N, T) is True: returns (N, H)."""
    ### BEGIN SOLUTION
    w = mask[:, :, None].astype(h.dtype)
    return (h * w).sum(axis=1) / w.sum(axis=1)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "pool_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_masked_mean_pool(masked_mean_pool)
### BEGIN HIDDEN TESTS
from graders import a04_sentiment as hidden_tests
hidden_tests.hidden_masked_mean_pool(masked_mean_pool, seed=42)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A deep RNN (4 points)
#
# A deep (stacked) RNN puts recurrent layers on top of each other: the whole
# output *sequence* of layer $l$ is the input sequence of layer $l + 1$, and only
# the first layer reads $x$:
#
# $$h^{(0)}_t = x_t, \qquad h^{(l)}_t = \mathrm{cell}^{(l)}\big(h^{(l-1)}_t,\ h^{(l)}_{t-1}\big), \quad l = 1, \dots, L.$$
#
# Write `deep_rnn_forward(x, layers)`: `x` has shape `(N, T, D)`; `layers` is a list
# of `rnncourse` recurrent layers (`RNN`, `GRU` or `LSTM`), bottom layer first, whose
# sizes fit together. A layer runs with `outputs, final_state = layer.forward(inputs)`
# (from a zero state): `outputs` has shape `(N, T, H)`, and `final_state` is an
# `(N, H)` array (a pair of them for an LSTM). Return a pair
# `(outputs, final_states)`: the top layer's outputs `(N, T, H_top)` and the list of
# every layer's `final_state`, bottom layer first.

# %% nbgrader={"grade": false, "grade_id": "deep_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def deep_rnn_forward(x, layers):
    """Run the layers bottom to top; return (top outputs (N, T, H_top), list of final states)."""
    ### BEGIN SOLUTION
    out, finals = x, []
    for layer in layers:
        out, final = layer.forward(out)
        finals.append(final)
    return out, finals
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "deep_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_deep_rnn(deep_rnn_forward)
### BEGIN HIDDEN TESTS
from graders import a04_sentiment as hidden_tests
hidden_tests.hidden_deep_rnn(deep_rnn_forward, seed=43)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. A sentiment classifier, with and without the backward direction (6 points)
#
# `rnncourse.datasets.review_sentences(n, rng=rng)` makes reviews of three to five
# clauses joined by *and*, each with its own opinion (*not good* is negative, *not bad*
# positive), and a label, 1 (positive) or 0 (negative): **the last clause decides**, as
# the verdict at the end of a review does. The clauses before it agree with it as often
# as not, and nothing before the last word tells which clause is the last. Here are a few:

# %% nbgrader={"grade": false, "grade_id": "data_preview", "locked": true, "schema_version": 3, "solution": false, "task": false}
from rnncourse.datasets import WordVocab, review_sentences

examples, example_labels = review_sentences(4, rng=np.random.default_rng(7))
for tokens, label in zip(examples, example_labels):
    print("positive" if label else "negative", "|", " ".join(tokens))

# %% [markdown]
# Write `train_sentiment(sentences, labels, *, bidirectional, rng)` that trains a
# classifier from `rnncourse`'s layers and returns a pair `(model, predict)`:
#
# - `sentences` is a list of $N$ token lists, `labels` an int array `(N,)`; `rng` is
#   a `numpy.random.Generator`: draw every weight and every shuffle from it.
# - **Words to ids.** `vocab = WordVocab(sentences)` numbers the words (padding is
#   id 0, unknown words map to `<unk>`); `ids, mask = vocab.encode_batch(sentences)`
#   gives right-padded ids `(N, T)` and the mask.
# - **The model.** `SequenceClassifier(embedding, recurrent, head, pad_id=0, pooling="mean")`
#   (in `rnncourse.models.classifier`) chains an `Embedding(V, E, rng=rng)`, a recurrent
#   layer, the masked mean pooling you wrote in part 2, and a `Dense(H_out, 2, rng=rng)`
#   head; `model.forward(ids)` returns `(logits (N, 2), state)`. For the recurrent
#   layer use a `GRU(E, H, rng=rng)` (in `rnncourse.cells.gru`; its update gate lets a
#   state keep what it read many words ago) when `bidirectional` is False, and
#   `Bidirectional(GRU(E, H, rng=rng), GRU(E, H, rng=rng))` when it is True (its outputs
#   have `2 * H` features). Keep mean pooling in both cases, so that the direction is
#   the only difference. Small sizes are enough: `E = H = 16`.
# - **Training.** `fit(model, Adam(model, lr=1e-2), batches, loss="cross_entropy", epochs=4, clip_norm=5.0)`
#   (in `rnncourse.core.train` and `rnncourse.core.optim`) where `batches` is a list of
#   `(ids[b], labels[b])` pairs of 32 sentences, or a function `epoch -> list of batches`
#   so that every epoch is shuffled with `rng.permutation`.
# - **`predict(sentences)`** encodes new sentences with the same `vocab` and returns
#   the predicted labels, an int array `(N,)` (`logits.argmax(axis=1)`).
#
# Each call must finish within 30 seconds (a few seconds is plenty). The tests
# train both versions on 2000 reviews and score them on 500 others: the
# bidirectional model must reach a held-out accuracy of 0.95, and the forward-only
# one 0.60 (it must have learnt something: guessing gives 0.5). Both accuracies and
# training times are printed: compare them.

# %% nbgrader={"grade": false, "grade_id": "sentiment_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
from rnncourse.models.bidirectional import Bidirectional
from rnncourse.models.classifier import SequenceClassifier
from rnncourse.layers.dense import Dense
from rnncourse.layers.embedding import Embedding
from rnncourse.core.optim import Adam
from rnncourse.cells.gru import GRU
from rnncourse.core.train import fit


def train_sentiment(sentences, labels, *, bidirectional, rng):
    """Train a sentiment classifier on token lists; return (model, predict)."""
    ### BEGIN SOLUTION
    vocab = WordVocab(sentences)
    ids, _ = vocab.encode_batch(sentences)
    E = H = 16
    if bidirectional:
        recurrent, out_size = Bidirectional(GRU(E, H, rng=rng), GRU(E, H, rng=rng)), 2 * H
    else:
        recurrent, out_size = GRU(E, H, rng=rng), H
    model = SequenceClassifier(Embedding(vocab.size, E, rng=rng), recurrent, Dense(out_size, 2, rng=rng),
                               pad_id=vocab.pad_id, pooling="mean")

    def batches(epoch):
        order = rng.permutation(len(labels))
        return [(ids[order[i:i + 32]], labels[order[i:i + 32]]) for i in range(0, len(order), 32)]

    fit(model, Adam(model, lr=1e-2), batches, loss="cross_entropy", epochs=4, clip_norm=5.0)
    model.eval()

    def predict(new_sentences):
        new_ids, _ = vocab.encode_batch(new_sentences)
        logits, _ = model.forward(new_ids)
        return logits.argmax(axis=1)

    return model, predict
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "sentiment_bidirectional_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_sentiment(train_sentiment, bidirectional=True)
### BEGIN HIDDEN TESTS
from graders import a04_sentiment as hidden_tests
hidden_tests.hidden_sentiment(train_sentiment, seed=44, bidirectional=True)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "sentiment_forward_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_sentiment(train_sentiment, bidirectional=False)
### BEGIN HIDDEN TESTS
from graders import a04_sentiment as hidden_tests
hidden_tests.hidden_sentiment(train_sentiment, seed=45, bidirectional=False)
### END HIDDEN TESTS

# %% [markdown]
# **Look at the two numbers.** With mean pooling, the forward-only model averages
# states that, all through the review, have not yet read the clause that decides it:
# at every *and* it cannot tell whether the clause it just read was the last one. The
# backward half of the bidirectional model reads the review from its end, so every
# one of its states has read the deciding clause first. If you want to see more (not
# graded): train the forward-only model with `pooling="last"`, which keeps only the
# state after the last real word, the only one that has read the whole review.

# %% [markdown]
# ## 5. Concept check (2 points)
#
# A phone keyboard suggests the next word while you type. Why can a bidirectional
# RNN not make that suggestion?
#
# - A) It has twice as many weights as a forward RNN, too many to run on a phone.
# - B) Its backward layer cannot be trained by backpropagation through time.
# - C) Its output at step $t$ depends on the inputs after $t$, which have not been typed yet.
# - D) Its forward and backward states cancel out when they are concatenated.
#
# Set `answer_q1` to `"A"`, `"B"`, `"C"` or `"D"`.

# %% nbgrader={"grade": false, "grade_id": "concept_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q1 = "C"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "concept_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q1 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a04_sentiment as hidden_tests
hidden_tests.check_concept("answer_q1", answer_q1, "879c991b5c56c5fda016d9c259db06c3cb4a57cb57d6a597a9703e5dd4aa092d")
### END HIDDEN TESTS
