# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Assignment 2: backpropagation through time
#
# In assignment 1 you ran an RNN forwards. Training needs the way back: you will
# write the backward pass of one step, chain the steps into backpropagation
# through time (BPTT), check your gradients numerically, clip them, truncate
# them, and measure how they vanish. Everything here is taught in the book's chapter *Training with
# backpropagation through time*; keep it open next to this notebook.
#
# **Rules.** Write your code where it says `YOUR CODE HERE` (delete the
# `raise NotImplementedError()`). Do not call `rnncourse`'s own implementations of
# the functions you write: the grader notices, and that part earns no points.
# `numpy` is all you need. Run the test cell under each answer: it tells you which
# term is wrong when something is. More tests run when your work is graded, on
# inputs you have not seen, so make your code work for any sizes, not just the
# ones in the visible tests.
#
# Later parts use earlier ones (part 2 calls your step from part 1, and so on).
# The grader tries not to make you pay twice: a later part also earns its points
# when it is right *given* your earlier function, as long as that function returns
# arrays of the right shapes that are not trivially wrong (all zeros, say). If a
# later part fails because of an earlier one, its message tells you so.
#
# | Part | Points |
# |---|---|
# | 1. one step backward | 5 |
# | 2. backpropagation through time | 4 |
# | 3. numerical gradient | 2 |
# | 4. clipping by global norm | 3 |
# | 5. truncated BPTT | 3 |
# | 6. measuring vanishing gradients | 3 |
# | 7. concept check | 2 |
# | **Total** | **22** |
#
# The cell below gives you the forward pass (it is assignment 1's, plus a *cache*:
# what the backward pass will need) and a helper to compare two arrays. Run it first.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
from rnncourse.grading import a02_bptt as checks


def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    """One tanh step for a batch: h_next = tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h).

    x (N, D), h_prev (N, H), W_xh (H, D), W_hh (H, H), b_h (H,).
    Returns h_next (N, H) and cache = (x, h_prev, W_xh, W_hh, h_next).
    """
    h_next = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h_next, (x, h_prev, W_xh, W_hh, h_next)


def rnn_forward(x, h0, W_xh, W_hh, b_h):
    """All hidden states h (N, T, H) for x (N, T, D) from h0 (N, H), and the list of T step caches."""
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    h_prev = h0
    for t in range(T):
        h_prev, cache = rnn_step_forward(x[:, t], h_prev, W_xh, W_hh, b_h)
        h[:, t] = h_prev
        caches.append(cache)
    return h, caches


def rel_error(a, b):
    """Largest relative error max |a - b| / max(1e-8, |a| + |b|), as in the book."""
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

# %% [markdown]
# ## 1. One step backward (5 points)
#
# For a batch, the forward step computes the pre-activation and the new state
#
# $$a = x\,W_{xh}^\top + h_{\text{prev}}\,W_{hh}^\top + b_h, \qquad h_{\text{next}} = \tanh(a),$$
#
# with `x` `(N, D)`, `h_prev` `(N, H)`, `W_xh` `(H, D)`, `W_hh` `(H, H)`, `b_h` `(H,)`.
# `rnn_step_backward(dh, cache)` receives `dh` `(N, H)`, the gradient of the loss
# with respect to `h_next`, and returns the gradients with respect to the five
# inputs of the step: `dx` `(N, D)`, `dh_prev` `(N, H)`, `dW_xh` `(H, D)`,
# `dW_hh` `(H, H)`, `db_h` `(H,)`. Each gradient has the shape of the thing it is
# the gradient of.
#
# Go through the tanh first: $\delta = \partial L / \partial a = \text{dh} \odot \tanh'(a)$.
# The cache holds `h_next`, not `a`; you do not need `a`, because
# $\tanh'(a) = 1 - \tanh(a)^2 = 1 - h_{\text{next}}^2$. Then every gradient is
# `delta` times the factor that multiplies the corresponding input in $a$; let the
# shapes tell you which side of the product it goes on and whether a transpose is
# needed. `b_h` is added to every example, so its gradient sums over the batch; so
# do the weight gradients (a product such as `delta.T @ something` sums over the
# batch by itself). The book derives all of it in the section *Gradients through
# the unrolled network*.
#
# The first test cell checks the parameter gradients (3 points), the second the
# gradients that flow to the step's inputs (2 points).

# %% nbgrader={"grade": false, "grade_id": "step_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rnn_step_backward(dh, cache):
    """Backward pass of one tanh step: returns (dx, dh_prev, dW_xh, dW_hh, db_h)."""
    x, h_prev, W_xh, W_hh, h_next = cache
    ### BEGIN SOLUTION
    delta = dh * (1.0 - h_next ** 2)
    dx = delta @ W_xh
    dh_prev = delta @ W_hh
    dW_xh = delta.T @ x
    dW_hh = delta.T @ h_prev
    db_h = delta.sum(axis=0)
    ### END SOLUTION
    return dx, dh_prev, dW_xh, dW_hh, db_h

# %% nbgrader={"grade": true, "grade_id": "step_params_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_step_param_grads(rnn_step_backward)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_step_param_grads(rnn_step_backward, seed=21)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "step_inputs_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_step_input_grads(rnn_step_backward)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_step_input_grads(rnn_step_backward, seed=22)
### END HIDDEN TESTS

# %% [markdown]
# ## 2. Backpropagation through time (4 points)
#
# `rnn_backward(dh, caches)` takes `dh` `(N, T, H)`, where `dh[:, t]` is the
# gradient that reaches the state $h_t$ *from above* (from the loss at step $t$,
# through the output layer), and `caches`, the list of `T` step caches returned by
# `rnn_forward`. It returns `dx` `(N, T, D)`, `dh0` `(N, H)` (the gradient with
# respect to the initial state), `dW_xh` `(H, D)`, `dW_hh` `(H, H)` and `db_h` `(H,)`.
#
# The state $h_t$ is used twice: by the output at step $t$ and by step $t+1$. Its
# total gradient is therefore the sum of both contributions,
#
# $$\frac{\partial L}{\partial h_t} = \text{dh}_t + \underbrace{\delta_{t+1} W_{hh}}_{\text{from step } t+1},$$
#
# and the second term is exactly the `dh_prev` that your `rnn_step_backward`
# returns for step $t+1$. That is why the loop runs backwards in time, from
# $t = T-1$ down to $0$, carrying the `dh_prev` of one step into the next one it
# visits (nothing comes after the last step, so start from zeros). The same weights serve every step,
# so their gradients are the **sums** of the per-step gradients. What is left of
# the carried gradient after step 0 is `dh0`. Use your `rnn_step_backward`.

# %% nbgrader={"grade": false, "grade_id": "bptt_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rnn_backward(dh, caches):
    """BPTT over a whole sequence: returns (dx, dh0, dW_xh, dW_hh, db_h)."""
    ### BEGIN SOLUTION
    N, T, H = dh.shape
    D = caches[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dW_xh = np.zeros((H, D))
    dW_hh = np.zeros((H, H))
    db_h = np.zeros(H)
    dh_next = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_next, dWx, dWh, db = rnn_step_backward(dh[:, t] + dh_next, caches[t])
        dW_xh += dWx
        dW_hh += dWh
        db_h += db
    return dx, dh_next, dW_xh, dW_hh, db_h
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "bptt_test", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
checks.visible_rnn_backward(rnn_backward, rnn_step_backward)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_rnn_backward(rnn_backward, rnn_step_backward, seed=33)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. A numerical gradient (2 points)
#
# A backward pass written by hand must be checked against the slope the function
# really has. For a function `f` that maps an array `x` (any shape) to a number,
# the central difference estimates each entry of the gradient:
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon}.$$
#
# Write `numerical_gradient(f, x, eps=1e-5)`: it returns an array of the shape of
# `x`. Perturb one entry at a time and put it back to its original value before
# moving on (`np.ndindex(x.shape)` yields every index of an array of any shape).
# Use the `eps` you are given.

# %% nbgrader={"grade": false, "grade_id": "numgrad_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of the scalar function f at x (same shape as x)."""
    ### BEGIN SOLUTION
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "numgrad_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_numerical_gradient(numerical_gradient)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_numerical_gradient(numerical_gradient, seed=44)
### END HIDDEN TESTS

# %% [markdown]
# Now use it the way the book does: check your `rnn_step_backward`. The loss
# $L = \sum h_{\text{next}} \odot \text{dh}$ has $\partial L / \partial h_{\text{next}} = \text{dh}$,
# so the numerical slope of $L$ with respect to each input must equal what your
# backward returns. In float64 a correct backward gives relative errors around
# $10^{-8}$ or smaller; anything above $10^{-5}$ points at a bug in that gradient.

# %% nbgrader={"grade": false, "grade_id": "gradcheck_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(5)
N, D, H = 2, 3, 4
inputs = [rng.standard_normal((N, D)), rng.standard_normal((N, H)),
          rng.standard_normal((H, D)), rng.standard_normal((H, H)), rng.standard_normal(H)]
dh = rng.standard_normal((N, H))
h_next, cache = rnn_step_forward(*inputs)
analytic = rnn_step_backward(dh, cache)

for i, name in enumerate(["dx", "dh_prev", "dW_xh", "dW_hh", "db_h"]):
    def loss(v, i=i):
        args = list(inputs)
        args[i] = v
        return np.sum(rnn_step_forward(*args)[0] * dh)
    numeric = numerical_gradient(loss, inputs[i])
    err = rel_error(analytic[i], numeric)
    print(f"{name:8s} relative error {err:.1e}", "ok" if err < 1e-5 else "<- check this gradient")

# %% [markdown]
# ## 4. Clipping by global norm (3 points)
#
# When gradients explode, one update can throw the weights far away. The standard
# cure treats all gradients as one long vector $g$ with the global norm
# $\|g\| = \sqrt{\sum_k \|g_k\|^2}$ (the square root of the sum of the squares of
# *all* entries of *all* gradients) and, if that norm exceeds a threshold
# $\tau$ (`max_norm`), scales every gradient by the same factor:
#
# $$g_k \leftarrow g_k \cdot \min\!\left(1, \frac{\tau}{\|g\|}\right).$$
#
# Write `clip_by_global_norm(grads, max_norm)`: `grads` is a dict such as
# `{"W_xh": ..., "W_hh": ..., "b_h": ...}` of arrays of any shapes. Return a pair
# `(clipped, norm)`: a new dict with the same keys holding the scaled arrays, and
# the global norm *before* clipping (a float, handy for logging how large the
# gradients were).

# %% nbgrader={"grade": false, "grade_id": "clip_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def clip_by_global_norm(grads, max_norm):
    """Scale all gradients by one factor so their global norm is at most max_norm: (clipped, norm)."""
    ### BEGIN SOLUTION
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {name: g * scale for name, g in grads.items()}, norm
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "clip_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_clip(clip_by_global_norm)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_clip(clip_by_global_norm, seed=55)
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Truncated BPTT (3 points)
#
# Truncated BPTT cuts a sequence into chunks of `k` steps (the last chunk is
# shorter when `k` does not divide `T`). It runs the forward pass chunk by chunk,
# **carrying the hidden state** from one chunk to the next, so the states are the
# same as without truncation; but each chunk's backward pass **stops at the chunk's
# first step**: no gradient crosses a chunk edge into the chunk before.
#
# Write `truncated_rnn_backward(x, h0, W_xh, W_hh, b_h, dh, k)` with `x`
# `(N, T, D)`, `h0` `(N, H)`, the weights, `dh` `(N, T, H)` (the gradient from
# above, as in part 2) and the chunk length `k`. Return the weight gradients
# `(dW_xh, dW_hh, db_h)` summed over all chunks (one update per batch, as
# `rnncourse.core.bptt.bptt` does). Use the given `rnn_forward` and your `rnn_backward`:
# the chunk's slice of `dh` and the chunk's caches are all `rnn_backward` needs, and
# since it starts the carried gradient at zero, it cuts the gradient at the chunk
# edge by itself. With `k >= T` you must get exactly part 2's gradients.

# %% nbgrader={"grade": false, "grade_id": "truncated_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def truncated_rnn_backward(x, h0, W_xh, W_hh, b_h, dh, k):
    """Weight gradients (dW_xh, dW_hh, db_h) of truncated BPTT with chunks of k steps."""
    ### BEGIN SOLUTION
    T = x.shape[1]
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    h = h0
    for start in range(0, T, k):
        chunk = slice(start, min(start + k, T))
        hs, caches = rnn_forward(x[:, chunk], h, W_xh, W_hh, b_h)
        _, _, dWx, dWh, db = rnn_backward(dh[:, chunk], caches)
        dW_xh += dWx
        dW_hh += dWh
        db_h += db
        h = hs[:, -1]
    return dW_xh, dW_hh, db_h
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "truncated_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
checks.visible_truncated(truncated_rnn_backward, rnn_backward)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_truncated(truncated_rnn_backward, rnn_backward, seed=66)
### END HIDDEN TESTS

# %% [markdown]
# Your function computes what the package's `bptt(model, x, y, truncation=k)` does
# for the recurrent layer of a `Sequential(RNN, Output)` model. The cell below
# checks that on a small model, and shows how far the truncated gradient of
# `W_hh` moves away from full BPTT's as the chunks get shorter (the loss itself
# does not change: the forward pass is the same for every `k`).

# %% nbgrader={"grade": false, "grade_id": "truncated_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from rnncourse.core.bptt import bptt
from rnncourse.core.losses import mse
from rnncourse.core.module import Sequential
from rnncourse.layers.output import Output
from rnncourse.cells.rnn import RNN

rng = np.random.default_rng(7)
N, T, D, H = 3, 12, 2, 5
model = Sequential(RNN(D, H, rng=rng), Output(H, 1, rng=rng))
x, y = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, 1))
p = model.params
out, _ = model.forward(x)
_, dout = mse(out, y)
dh = dout @ p["1.W_hy"]                # what the output layer sends to every h_t
h0 = np.zeros((N, H))
full = truncated_rnn_backward(x, h0, p["0.W_xh"], p["0.W_hh"], p["0.b_h"], dh, T)
for k in (12, 6, 3, 1):
    model.zero_grad()
    bptt(model, x, y, "mse", truncation=k)
    mine = truncated_rnn_backward(x, h0, p["0.W_xh"], p["0.W_hh"], p["0.b_h"], dh, k)
    agree = max(rel_error(m, model.grads["0." + n]) for m, n in zip(mine, ["W_xh", "W_hh", "b_h"]))
    change = np.linalg.norm(mine[1] - full[1]) / max(np.linalg.norm(full[1]), 1e-300)
    print(f"k = {k:2d}: error vs rnncourse's bptt {agree:.1e}; dW_hh differs from full BPTT by {change:.0%}")

# %% [markdown]
# ## 6. Measuring vanishing gradients (3 points)
#
# Put a gradient `dh_T` `(N, H)` on the last state $h_T$ only (the loss is
# $L = \sum h_T \odot \text{dh}_T$) and follow it back: step by step,
# $\partial L / \partial h_{t-1}$ is the `dh_prev` your `rnn_step_backward` returns
# for $\partial L / \partial h_t$ and that step's cache.
#
# Write `state_gradient_norms(caches, dh_T)` (`caches` from `rnn_forward`, `T` of
# them). Return `norms`, an array of shape `(T,)` where `norms[k]` is the norm of
# $\partial L / \partial h_{T-k}$ at lag $k$: the norm of each example's `(H,)`
# gradient, averaged over the batch. So `norms[0]` belongs to `dh_T` itself and
# `norms[T-1]` to $h_1$, the first state of the sequence.
#
# (The book's chapter measures the gradient that reaches the *inputs* $x_{T-k}$;
# here you measure it on the states. The story is the same.)

# %% nbgrader={"grade": false, "grade_id": "norms_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def state_gradient_norms(caches, dh_T):
    """norms[k] = mean over the batch of the norm of dL/dh_{T-k}, for k = 0, ..., T-1."""
    ### BEGIN SOLUTION
    T = len(caches)
    norms = np.zeros(T)
    d = dh_T
    for k in range(T):
        norms[k] = np.linalg.norm(d, axis=1).mean()
        d = rnn_step_backward(d, caches[T - 1 - k])[1]
    return norms
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "norms_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
checks.visible_state_gradient_norms(state_gradient_norms, rnn_step_backward)
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.hidden_state_gradient_norms(state_gradient_norms, rnn_step_backward, seed=77)
### END HIDDEN TESTS

# %% [markdown]
# Now measure. The cell below builds one tanh RNN with 16 units, rescales its
# $W_{hh}$ to the spectral radius $\rho = 0.5$ and then to $\rho = 1.5$ (the
# largest absolute eigenvalue, see the book's section *Vanishing and exploding
# gradients*), runs both over the same 30-step sequences with a unit-norm `dh_T`,
# and prints and plots your norms.

# %% nbgrader={"grade": false, "grade_id": "norms_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
N, T, D, H = 8, 30, 3, 16
x = rng.standard_normal((N, T, D))
W_xh = 0.3 * rng.standard_normal((H, D)) / np.sqrt(D)
W = rng.standard_normal((H, H)) / np.sqrt(H)
b_h = np.zeros(H)
dh_T = rng.standard_normal((N, H))
dh_T /= np.linalg.norm(dh_T, axis=1, keepdims=True)      # every example's gradient has norm 1
radius_of_W = np.max(np.abs(np.linalg.eigvals(W)))

norms = {}
for rho in (0.5, 1.5):
    _, caches = rnn_forward(x, np.zeros((N, H)), W_xh, W * (rho / radius_of_W), b_h)
    norms[rho] = state_gradient_norms(caches, dh_T)
    print(f"rho = {rho}: " + ", ".join(f"lag {k}: {norms[rho][k]:.1e}" for k in (0, 1, 5, 10, 20, 29)))

for rho, values in norms.items():
    plt.semilogy(np.arange(T), values, marker=".", label=rf"$\rho$ = {rho}")
plt.xlabel("lag k (steps back from the last state)")
plt.ylabel("mean norm of dL/dh at lag k")
plt.legend()
plt.show()

# %% [markdown]
# **Question (1 point).** Read your numbers at lag 29, the first state of the
# sequence. For which spectral radius does more than one thousandth ($10^{-3}$)
# of the gradient placed on $h_T$ still reach $h_1$?
#
# - A) For both.
# - B) Only for $\rho = 0.5$.
# - C) Only for $\rho = 1.5$.
# - D) For neither.
#
# Set `answer_q6` to `"A"`, `"B"`, `"C"` or `"D"`. (Think about what this means for
# learning a dependency of 29 steps, and why a radius above one is no free lunch
# either: part 4 exists for a reason.)

# %% nbgrader={"grade": false, "grade_id": "measure_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q6 = "C"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "measure_test", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
assert answer_q6 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.check_concept("answer_q6", answer_q6, "879c991b5c56c5fda016d9c259db06c3cb4a57cb57d6a597a9703e5dd4aa092d")
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Concept check (2 points)
#
# A classmate checks their BPTT numerically. The gradients with respect to `x` and
# to the initial state `h0` pass the check, but `dW_xh`, `dW_hh` and `db_h` all
# fail it. Which bug fits this pattern?
#
# - A) The gradient from step $t+1$ (`dh_next`) is never added to `dh[:, t]`.
# - B) The weight gradients are overwritten at every step (`dW = ...`) instead of summed (`dW += ...`).
# - C) `dh_prev` is computed with `W_hh.T` instead of `W_hh`.
# - D) The tanh derivative is computed as `1 - np.tanh(h_next) ** 2`.
#
# Set `answer_q7` to `"A"`, `"B"`, `"C"` or `"D"`.

# %% nbgrader={"grade": false, "grade_id": "concept_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
answer_q7 = "B"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "concept_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
assert answer_q7 in ("A", "B", "C", "D"), 'answer with "A", "B", "C" or "D"'
### BEGIN HIDDEN TESTS
from graders import a02_bptt as hidden_tests
hidden_tests.check_concept("answer_q7", answer_q7, "a3de5e84412fcadbf92609663966cd5ae8f196cbe489f78739f49d5881fb7c75")
### END HIDDEN TESTS
