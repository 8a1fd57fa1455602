# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 3: LSTM and GRU cells
#
# An Elman RNN multiplies its gradient by $W_{hh}^\top$ and by $\tanh'$ at every
# step back in time, so what happened twenty steps ago is hard to learn from. The
# gated cells fix this with *gates*: vectors of numbers between 0 and 1 that
# decide, unit by unit, what is written, kept and read. In this assignment you
# write one step of an LSTM (forward and backward) and one step of a GRU, in
# numpy, exactly as PyTorch computes them, so that weights trained in PyTorch
# would give the same numbers in your code. The book's chapters *LSTM: a memory
# cell with gates* and *GRU: two gates, no separate cell* explain the equations.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). Do not call `rnncourse`'s own LSTM or GRU
# functions: the grader notices, and that part earns no points. `numpy` and the
# `sigmoid` defined below are all you need. Run the test cell under each answer:
# it tells you which gate or which term is wrong when something is. More tests
# run when your work is graded, on inputs and sizes you have not seen.
#
# | Part | Points |
# |---|---|
# | 1. LSTM step, forward | 5 |
# | 2. GRU step, forward | 4 |
# | 3. LSTM step, backward: the cell path | 3 |
# | 3. LSTM step, backward: all gradients | 4 |
# | 4. concept check (two questions) | 4 |
# | **Total** | **20** |
#
# **Layout.** Like PyTorch, we stack the weights of all gates into one matrix, so
# that a single matrix product computes every gate's pre-activation. Rows of `x`
# are the $N$ examples of a batch, `D` is the input size and `H` the hidden size.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.core.gradcheck import numerical_gradient, rel_error
from rnncourse.grading import a03_gated_cells as checks


def sigmoid(a):
    """The logistic sigmoid 1 / (1 + exp(-a)), written so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))

# %% [markdown]
# ## 1. One LSTM step, forward (5 points)
#
# The four pre-activations come from one product, stacked in PyTorch's order
# **i, f, g, o** (input gate, forget gate, cell candidate, output gate):
#
# $$a = W_{xh} x_t + W_{hh} h_{t-1} + b_h \qquad (N, 4H),$$
#
# where rows `0:H` of `W_xh` (shape `(4H, D)`), `W_hh` (shape `(4H, H)`) and `b_h`
# (shape `(4H,)`) belong to $i$, rows `H:2H` to $f$, `2H:3H` to $g$ and `3H:4H` to
# $o$. Then
#
# $$i = \sigma(a_i), \quad f = \sigma(a_f), \quad g = \tanh(a_g), \quad o = \sigma(a_o),$$
# $$c_t = f \odot c_{t-1} + i \odot g, \qquad h_t = o \odot \tanh(c_t).$$
#
# (PyTorch stores two bias vectors, `bias_ih_l0` and `bias_hh_l0`; they are always
# added together, so one `b_h` is their sum.)
#
# Return `h, c, cache`: `h` and `c` are `(N, H)`, and `cache` must be the tuple
# `(x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c)` holding what the backward pass
# of part 3 needs (the gates *after* their sigmoid or tanh, each `(N, H)`). The
# grader checks the cache too, and grades part 3 with a cache in this layout.

# %% nbgrader={"grade": false, "grade_id": "lstm_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h):
    """One LSTM step: returns h (N, H), c (N, H) and cache = (x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c)."""
    ### BEGIN SOLUTION
    H = h_prev.shape[1]
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c, (x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c)
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "lstm_test", "locked": true, "points": 5, "schema_version": 3, "solution": false, "task": false}
checks.visible_lstm_step(lstm_step_forward)
### BEGIN HIDDEN TESTS
from graders import a03_gated_cells as hidden_tests
hidden_tests.hidden_lstm_step(lstm_step_forward, seed=303)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. One GRU step, forward (4 points)
#
# A GRU has no separate cell: its one state $h$ is both memory and output. Its
# gates are stacked in PyTorch's order **r, z, n** (reset gate, update gate, new
# candidate): `W_xh` is `(3H, D)`, `W_hh` is `(3H, H)`, and there are two biases,
# `b_xh` and `b_hh`, each `(3H,)`. Write $W_{ir}, b_{ir}$ for rows `0:H` of
# `W_xh`, `b_xh`, and $W_{hr}, b_{hr}$ for rows `0:H` of `W_hh`, `b_hh`; likewise
# `H:2H` for $z$ and `2H:3H` for $n$.
#
# $$r = \sigma(W_{ir} x + b_{ir} + W_{hr} h_{t-1} + b_{hr}), \qquad
#   z = \sigma(W_{iz} x + b_{iz} + W_{hz} h_{t-1} + b_{hz}),$$
# $$n = \tanh\big(W_{in} x + b_{in} + r \odot (W_{hn} h_{t-1} + b_{hn})\big), \qquad
#   h_t = (1 - z) \odot n + z \odot h_{t-1}.$$
#
# Two details matter. The recurrent bias $b_{hn}$ sits *inside* the product with
# $r$ while $b_{in}$ sits outside: this is why the GRU keeps two bias vectors.
# And $z \approx 1$ *keeps* the old state (some texts swap $z$ and $1 - z$; PyTorch
# does not). Return the new hidden state `h`, shape `(N, H)`, and nothing else.

# %% nbgrader={"grade": false, "grade_id": "gru_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh):
    """One GRU step: returns the new hidden state h of shape (N, H)."""
    ### BEGIN SOLUTION
    H = h_prev.shape[1]
    ax = x @ W_xh.T + b_xh
    ah = h_prev @ W_hh.T + b_hh
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    return (1 - z) * n + z * h_prev
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "gru_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_gru_step(gru_step_forward)
### BEGIN HIDDEN TESTS
from graders import a03_gated_cells as hidden_tests
hidden_tests.hidden_gru_step(gru_step_forward, seed=304)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. One LSTM step, backward (7 points)
#
# `lstm_step_backward(dh, dc, cache)` receives `dh`, the gradient of the loss with
# respect to this step's $h_t$, and `dc`, the gradient with respect to $c_t$ that
# comes back from the next step (both `(N, H)`), and the `cache` of part 1. Go
# backwards through the forward equations:
#
# 1. $c_t$ receives gradient along two routes: directly from the next step
#    (`dc`) and through $h_t = o \odot \tanh(c_t)$. Their sum is the *total* cell
#    gradient $\bar c = \text{dc} + \text{dh} \odot o \odot (1 - \tanh^2 c_t)$.
# 2. The cell path: $c_t = f \odot c_{t-1} + \dots$, so
#    $\partial L / \partial c_{t-1} = \bar c \odot f$.
# 3. The deltas of the four pre-activations, each `(N, H)`, using
#    $\sigma' = \sigma(1 - \sigma)$ and $\tanh' = 1 - \tanh^2$:
#    $\delta_i = \bar c \odot g \odot i(1-i)$,
#    $\delta_f = \bar c \odot c_{t-1} \odot f(1-f)$,
#    $\delta_g = \bar c \odot i \odot (1-g^2)$,
#    $\delta_o = \text{dh} \odot \tanh(c_t) \odot o(1-o)$.
# 4. Stack them as `delta = [δ_i, δ_f, δ_g, δ_o]`, shape `(N, 4H)`; the rest is the
#    same as for a dense layer: `dx = delta @ W_xh` `(N, D)`,
#    `dh_prev = delta @ W_hh` `(N, H)`, `dW_xh = delta.T @ x` `(4H, D)`,
#    `dW_hh = delta.T @ h_prev` `(4H, H)`, `db_h = delta.sum(axis=0)` `(4H,)`.
#
# Return `dx, dh_prev, dc_prev, dW_xh, dW_hh, db_h`. Two test cells grade this
# part: the first checks only `dc_prev` (the cell path), the second all six.

# %% nbgrader={"grade": false, "grade_id": "backward_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def lstm_step_backward(dh, dc, cache):
    """Backward of one LSTM step: returns dx, dh_prev, dc_prev, dW_xh, dW_hh, db_h."""
    ### BEGIN SOLUTION
    x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c = cache
    tanh_c = np.tanh(c)
    dc_total = dc + dh * o * (1 - tanh_c ** 2)
    delta = np.concatenate([dc_total * g * i * (1 - i),
                            dc_total * c_prev * f * (1 - f),
                            dc_total * i * (1 - g ** 2),
                            dh * tanh_c * o * (1 - o)], axis=1)
    return (delta @ W_xh, delta @ W_hh, dc_total * f,
            delta.T @ x, delta.T @ h_prev, delta.sum(axis=0))
    ### END SOLUTION

# %% [markdown]
# Before you run the graded tests, you can check your backward pass against
# numerical derivatives of your forward pass (this cell is not graded). With the
# loss $L = \sum (h \odot \text{dh}) + \sum (c \odot \text{dc})$, the numerical
# gradient of $L$ with respect to each input must agree with yours: relative
# errors around `1e-8` or smaller mean your two functions agree.

# %% nbgrader={"grade": false, "grade_id": "gradcheck_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
_rng = np.random.default_rng(0)
_N, _D, _H = 2, 3, 4
_inputs = {"x": _rng.standard_normal((_N, _D)), "h_prev": _rng.standard_normal((_N, _H)),
           "c_prev": _rng.standard_normal((_N, _H)), "W_xh": 0.5 * _rng.standard_normal((4 * _H, _D)),
           "W_hh": 0.5 * _rng.standard_normal((4 * _H, _H)), "b_h": 0.5 * _rng.standard_normal(4 * _H)}
_dh, _dc = _rng.standard_normal((_N, _H)), _rng.standard_normal((_N, _H))


def _loss():
    h, c, _ = lstm_step_forward(**_inputs)
    return np.sum(h * _dh) + np.sum(c * _dc)


_grads = lstm_step_backward(_dh, _dc, lstm_step_forward(**_inputs)[2])
for _name, _k in (("dx", "x"), ("dh_prev", "h_prev"), ("dc_prev", "c_prev"),
                  ("dW_xh", "W_xh"), ("dW_hh", "W_hh"), ("db_h", "b_h")):
    _num = numerical_gradient(_loss, _inputs[_k])
    _mine = _grads[("dx", "dh_prev", "dc_prev", "dW_xh", "dW_hh", "db_h").index(_name)]
    print(f"{_name:8s} relative error {rel_error(np.asarray(_mine, dtype=float), _num):.1e}")

# %% nbgrader={"grade": true, "grade_id": "cell_path_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_lstm_cell_path(lstm_step_backward)
### BEGIN HIDDEN TESTS
from graders import a03_gated_cells as hidden_tests
hidden_tests.hidden_lstm_cell_path(lstm_step_backward, seed=305)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "backward_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_lstm_backward(lstm_step_backward)
### BEGIN HIDDEN TESTS
from graders import a03_gated_cells as hidden_tests
hidden_tests.hidden_lstm_backward(lstm_step_backward, seed=306)
### END HIDDEN TESTS

# %% [markdown]
# ## 4. Concept check (4 points)
#
# **Question 1.** In your backward pass, the gradient reaching $c_{t-1}$ along the
# cell path is $\bar c_t \odot f_t$. Over many steps this is why an LSTM can learn
# from events far in the past, where an Elman RNN struggles. Why?
#
# - A) The sigmoid's derivative is at least 1, so the gradient grows on the way back.
# - B) Along the cell path the gradient is multiplied only by the forget gate, with
#   no weight matrix and no $\tanh'$ factor; where the network keeps $f_t \approx 1$
#   it passes through many steps almost unchanged.
# - C) The cell state always lies in $(-1, 1)$, so its gradient cannot become small.
# - D) The LSTM clips its gradients to norm 1 at every step.
#
# **Question 2.** In the layout of this notebook (LSTM: `W_xh`, `W_hh`, one `b_h`;
# GRU: `W_xh`, `W_hh`, `b_xh`, `b_hh`), an LSTM layer and a GRU layer both read
# inputs of size $D = 10$ with $H = 20$ hidden units. The LSTM has
# $4H(D + H + 1) = 2480$ parameters. How many does the GRU have?
#
# - A) 1860
# - B) 2480
# - C) 1920
# - D) 3720
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
from graders import a03_gated_cells as hidden_tests
hidden_tests.check_concept("answer_q1", answer_q1, "a3de5e84412fcadbf92609663966cd5ae8f196cbe489f78739f49d5881fb7c75")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "concept_q2_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q2 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a03_gated_cells as hidden_tests
hidden_tests.check_concept("answer_q2", answer_q2, "879c991b5c56c5fda016d9c259db06c3cb4a57cb57d6a597a9703e5dd4aa092d")
### END HIDDEN TESTS
