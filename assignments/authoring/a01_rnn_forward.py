# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 1: the RNN forward pass
#
# You will write, in numpy, everything an Elman RNN computes on its way forward:
# the activation, one time step, a whole sequence, and the output layer; then you
# will reproduce the worked example of the book's chapter *The math of an RNN*.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). Do not call `rnncourse`'s own implementations of
# the functions you write: the grader notices, and that part earns no points.
# `numpy` is all you need. Run the test cell under each answer: it tells you which
# term is wrong when something is. More tests run when your work is graded, on
# inputs you have not seen, so make your code work for any sizes, not just the
# ones in the visible tests.
#
# | Part | Points |
# |---|---|
# | 1. tanh | 2 |
# | 2. one time step | 4 |
# | 3. a whole sequence | 4 |
# | 4. output layer and softmax | 4 |
# | 5. the worked example | 2 |
# | 6. concept check | 2 |
# | **Total** | **18** |

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.grading import a01_rnn_forward as checks

# %% [markdown]
# ## 1. The activation (2 points)
#
# Write `tanh(a)` for an array of any shape using `np.exp`:
# $\tanh(a) = \frac{e^{a} - e^{-a}}{e^{a} + e^{-a}}$. It must stay finite for very
# large $|a|$: `np.exp(800.0)` overflows, so rewrite the formula so that `exp` only
# ever sees numbers $\le 0$. The point is the formula: an answer that calls `np.tanh`
# (or `np.sinh` and `np.cosh`, or `math.tanh`) earns no points for this part.

# %% nbgrader={"grade": false, "grade_id": "tanh_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tanh(a):
    """Hyperbolic tangent of every entry of ``a`` (any shape); finite for any finite input."""
    ### BEGIN SOLUTION
    e = np.exp(-2.0 * np.abs(a))
    return np.sign(a) * (1.0 - e) / (1.0 + e)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "tanh_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_tanh(tanh)
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.hidden_tanh(tanh, seed=11)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. One time step (4 points)
#
# $$h_t = \tanh(W_{xh} x_t + W_{hh} h_{t-1} + b_h)$$
#
# for a batch: `x` is `(N, D)`, `h_prev` is `(N, H)`, `W_xh` is `(H, D)`, `W_hh` is
# `(H, H)` and `b_h` is `(H,)`; return the new hidden state `(N, H)`. Rows of `x`
# are examples, so $W_{xh} x_t$ for every example at once is `x @ W_xh.T`.

# %% nbgrader={"grade": false, "grade_id": "step_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    """One step of an Elman RNN for a batch: returns h_t of shape (N, H)."""
    ### BEGIN SOLUTION
    return tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "step_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_rnn_step(rnn_step_forward)
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.hidden_rnn_step(rnn_step_forward, seed=2024)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A whole sequence (4 points)
#
# Run your step over time: `x` is `(N, T, D)` and `h0` is `(N, H)`; return all the
# hidden states `h` of shape `(N, T, H)`, where `h[:, t]` is the state *after*
# reading `x[:, t]`. The same weights serve every step.

# %% nbgrader={"grade": false, "grade_id": "sequence_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rnn_forward(x, h0, W_xh, W_hh, b_h):
    """All hidden states (N, T, H) of an Elman RNN run over x (N, T, D) from h0 (N, H)."""
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    h_prev = h0
    for t in range(T):
        h_prev = rnn_step_forward(x[:, t], h_prev, W_xh, W_hh, b_h)
        h[:, t] = h_prev
    return h
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "sequence_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_rnn_sequence(rnn_forward)
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.hidden_rnn_sequence(rnn_forward, seed=77)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. The output layer and softmax (4 points)
#
# The output at every step is $y_t = W_{hy} h_t + b_y$: `h` is `(N, T, H)` (or
# `(N, H)`), `W_hy` is `(O, H)`, `b_y` is `(O,)`. Then `softmax(z)` turns scores into
# probabilities over the last axis; subtract the largest score first so that
# `exp` cannot overflow.

# %% nbgrader={"grade": false, "grade_id": "output_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def output_forward(h, W_hy, b_y):
    """Scores y = W_hy h + b_y at every step: (N, T, H) -> (N, T, O), or (N, H) -> (N, O)."""
    ### BEGIN SOLUTION
    return h @ W_hy.T + b_y
    ### END SOLUTION


def softmax(z):
    """Softmax over the last axis, stable for large scores."""
    ### BEGIN SOLUTION
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "output_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_output(output_forward)
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.hidden_output(output_forward, seed=5)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "softmax_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_softmax(softmax)
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.hidden_softmax(softmax, seed=6)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. The worked example (2 points)
#
# The book's chapter *The math of an RNN* follows a two-unit RNN through two steps:
# $W_h = \begin{bmatrix} 0.5 & 0.2 \\ 0.3 & 0.8 \end{bmatrix}$ (input weights),
# $U_h = \begin{bmatrix} 0.1 & 0.4 \\ 0.6 & 0.7 \end{bmatrix}$ (recurrent weights),
# $b_h = (0.1, 0.2)$, inputs $x_1 = (1, 0)$ then $x_2 = (0, 1)$, from $h_0 = 0$.
# Compute `h1` and `h2` (each of shape `(2,)`) with your functions. The article the
# example comes from prints a wrong $h_2$; yours must be the true one.

# %% nbgrader={"grade": false, "grade_id": "example_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
W_h = np.array([[0.5, 0.2], [0.3, 0.8]])
U_h = np.array([[0.1, 0.4], [0.6, 0.7]])
b = np.array([0.1, 0.2])
hs = rnn_forward(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.zeros((1, 2)), W_h, U_h, b)
h1, h2 = hs[0, 0], hs[0, 1]
### END SOLUTION
print("h1 =", h1, " h2 =", h2)

# %% nbgrader={"grade": true, "grade_id": "example_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert np.shape(h1) == (2,) and np.shape(h2) == (2,), "h1 and h2 must each hold the two hidden units"
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.check_worked_example(h1, h2)
### END HIDDEN TESTS

# %% [markdown]
# ## 6. Concept check (2 points)
#
# An RNN reads sentences of 5 words and then sentences of 50 words. How does the
# number of its parameters change?
#
# - A) It grows ten times, one weight matrix per word.
# - B) It does not change: the same weights are used at every time step.
# - C) It grows by one hidden state per word.
# - D) It depends on the longest sentence seen in training.
#
# Set `answer_q1` to `"A"`, `"B"`, `"C"` or `"D"`.

# %% nbgrader={"grade": false, "grade_id": "concept_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q1 = "B"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "concept_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q1 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a01_rnn_forward as hidden_tests
hidden_tests.check_concept("answer_q1", answer_q1, "a3de5e84412fcadbf92609663966cd5ae8f196cbe489f78739f49d5881fb7c75")
### END HIDDEN TESTS
