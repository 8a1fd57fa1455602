from . import Mistake, solution_with

_DELTA = "dh * (1.0 - h_next ** 2)"
_CENTRAL = ("f_plus = f(x)\n        x[i] = old - eps\n        f_minus = f(x)\n        x[i] = old\n"
            "        grad[i] = (f_plus - f_minus) / (2 * eps)")
_NORM_THEN_STEP = ("        norms[k] = np.linalg.norm(d, axis=1).mean()\n"
                   "        d = rnn_step_backward(d, caches[T - 1 - k])[1]\n")

MISTAKES = [
    # 1. one step: the tanh derivative, h_t where h_{t-1} belongs, a transpose, the reference
    *solution_with("a02_bptt", "step_answer", "step_params_test", [
        ("a02-preactivation-derivative", "as if it were the pre-activation",
         (_DELTA, "dh * (1 - np.tanh(h_next) ** 2)")),
        ("a02-sigmoid-derivative", "that is the sigmoid's derivative", (_DELTA, "dh * h_next * (1 - h_next)")),
        ("a02-dWhh-uses-h-next", "not with h_next (h_t)", ("delta.T @ h_prev", "delta.T @ h_next")),
    ]),
    *solution_with("a02_bptt", "step_answer", "step_inputs_test", [
        ("a02-dh-prev-transposed", "not W_hh.T", ("dh_prev = delta @ W_hh", "dh_prev = delta @ W_hh.T")),
    ]),
    Mistake("a02-calls-reference", "step_answer", '''
import rnncourse.cells.rnn
def rnn_step_backward(dh, cache):
    return rnncourse.cells.rnn.rnn_step_backward(dh, tuple(cache) + ("tanh",))
''', "step_params_test", "calls rnncourse's own"),
    # 2. BPTT: the carried gradient, the sums, an off-by-one in time, gradients not reset
    *solution_with("a02_bptt", "bptt_answer", "bptt_test", [
        ("a02-forgets-dh-next", "the gradient from step t+1 is missing", ("dh[:, t] + dh_next", "dh[:, t]")),
        ("a02-overwrites-dW", "as if dW were overwritten at every step",
         ("dW_xh += dWx", "dW_xh = dWx"), ("dW_hh += dWh", "dW_hh = dWh"), ("db_h += db", "db_h = db")),
        ("a02-skips-first-step", "an off-by-one in time", ("reversed(range(T))", "range(T - 1, 0, -1)")),
    ]),
    Mistake("a02-gradients-not-reset", "bptt_answer", '''
grads = {}
def rnn_backward(dh, caches):
    N, T, H = dh.shape
    D = caches[0][0].shape[1]
    if not grads:
        grads.update(W_xh=np.zeros((H, D)), W_hh=np.zeros((H, H)), b_h=np.zeros(H))
    dx = np.zeros((N, T, D))
    dh_next = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_next, dWx, dWh, db = rnn_step_backward(dh[:, t] + dh_next, caches[t])
        grads["W_xh"] += dWx
        grads["W_hh"] += dWh
        grads["b_h"] += db
    return dx, dh_next, grads["W_xh"], grads["W_hh"], grads["b_h"]
''', "bptt_test", "not kept from an earlier call"),
    # 3. numerical gradient
    *solution_with("a02_bptt", "numgrad_answer", "numgrad_test", [
        ("a02-one-sided-difference", "yours looks one-sided",
         ("    for i in", "    f0 = f(x)\n    for i in"), (_CENTRAL, "grad[i] = (f(x) - f0) / eps\n        x[i] = old")),
    ]),
    Mistake("a02-not-restored", "numgrad_answer", '''
def numerical_gradient(f, x, eps=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        f_plus = f(x)
        x[i] -= 2 * eps
        grad[i] = (f_plus - f(x)) / (2 * eps)
    return grad
''', "numgrad_test", "put each entry back to its original value"),
    # 4. clipping the wrong quantity
    *solution_with("a02_bptt", "clip_answer", "clip_test", [
        ("a02-clips-each-gradient", "you clipped each gradient on its own",
         ("g * scale", "g * min(1.0, max_norm / np.linalg.norm(g))")),
        ("a02-clips-by-value", "you clipped every entry by value", ("g * scale", "np.clip(g, -max_norm, max_norm)")),
        ("a02-clip-always-rescales", "small gradients stay unchanged",
         ("min(1.0, max_norm / norm) if norm > 0 else 1.0", "max_norm / norm")),
        ("a02-clip-norm-after", "return the global norm BEFORE clipping", ("}, norm", "}, norm * scale")),
    ]),
    # 5. truncated BPTT
    *solution_with("a02_bptt", "truncated_answer", "truncated_test", [
        ("a02-truncation-resets-state", "the hidden state must be carried", ("x[:, chunk], h,", "x[:, chunk], h0,")),
        ("a02-truncation-drops-last-chunk", "the last, shorter chunk", ("range(0, T, k)", "range(0, T - T % k, k)")),
    ]),
    Mistake("a02-truncation-crosses-edges", "truncated_answer", '''
def truncated_rnn_backward(x, h0, W_xh, W_hh, b_h, dh, k):
    _, caches = rnn_forward(x, h0, W_xh, W_hh, b_h)
    return rnn_backward(dh, caches)[2:]
''', "truncated_test", "the gradient must be cut at every chunk edge"),
    # 6. measuring vanishing gradients
    *solution_with("a02_bptt", "norms_answer", "norms_test", [
        ("a02-norms-off-by-one", "yours look shifted by one step",
         (_NORM_THEN_STEP, "".join(reversed(_NORM_THEN_STEP.splitlines(keepends=True))))),
        ("a02-norms-without-tanh", "the gradient must go through tanh' at every step",
         ("rnn_step_backward(d, caches[T - 1 - k])[1]", "d @ caches[0][3]")),
    ]),
    Mistake("a02-wrong-q6", "measure_answer", 'answer_q6 = "B"', "measure_test", "not the right answer"),
]
