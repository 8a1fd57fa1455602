from . import Mistake

_STEP = '''
def rnn_step_backward(dh, cache):
    x, h_prev, W_xh, W_hh, h_next = cache
    delta = {delta}
    dx = delta @ W_xh
    dh_prev = {dh_prev}
    dW_xh = delta.T @ x
    dW_hh = {dW_hh}
    db_h = delta.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h
'''


def _step(delta="dh * (1.0 - h_next ** 2)", dh_prev="delta @ W_hh", dW_hh="delta.T @ h_prev"):
    return _STEP.format(delta=delta, dh_prev=dh_prev, dW_hh=dW_hh)


_BACKWARD = '''
def rnn_backward(dh, caches):
    N, T, H = dh.shape
    D = caches[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dW_xh, dW_hh, db_h = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dh_next = np.zeros((N, H))
    for t in {loop}:
        dx[:, t], dh_next, dWx, dWh, db = rnn_step_backward({upstream}, caches[t])
        {sums}
    return dx, dh_next, dW_xh, dW_hh, db_h
'''


def _backward(loop="reversed(range(T))", upstream="dh[:, t] + dh_next",
              sums="dW_xh += dWx; dW_hh += dWh; db_h += db"):
    return _BACKWARD.format(loop=loop, upstream=upstream, sums=sums)


_TRUNCATED = '''
def truncated_rnn_backward(x, h0, W_xh, W_hh, b_h, dh, k):
    T = x.shape[1]
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    h = h0
    for start in range(0, {stop}, k):
        chunk = slice(start, min(start + k, T))
        hs, caches = rnn_forward(x[:, chunk], {state}, W_xh, W_hh, b_h)
        _, _, dWx, dWh, db = rnn_backward(dh[:, chunk], caches)
        dW_xh += dWx
        dW_hh += dWh
        db_h += db
        h = hs[:, -1]
    return dW_xh, dW_hh, db_h
'''

_CLIP = '''
def clip_by_global_norm(grads, max_norm):
    {body}
'''

MISTAKES = [
    # 1. one step: the tanh derivative, h_t where h_{t-1} belongs, a transpose, the reference
    Mistake("a02-preactivation-derivative", "step_answer", _step(delta="dh * (1 - np.tanh(h_next) ** 2)"),
            "step_params_test", "as if it were the pre-activation"),
    Mistake("a02-sigmoid-derivative", "step_answer", _step(delta="dh * h_next * (1 - h_next)"),
            "step_params_test", "that is the sigmoid's derivative"),
    Mistake("a02-dWhh-uses-h-next", "step_answer", _step(dW_hh="delta.T @ h_next"),
            "step_params_test", "not with h_next (h_t)"),
    Mistake("a02-dh-prev-transposed", "step_answer", _step(dh_prev="delta @ W_hh.T"),
            "step_inputs_test", "not W_hh.T"),
    Mistake("a02-calls-reference", "step_answer", '''
import rnncourse.cells.rnn
def rnn_step_backward(dh, cache):
    return rnncourse.cells.rnn.rnn_step_backward(dh, tuple(cache) + ("tanh",))
''', "step_params_test", "calls rnncourse's own"),
    # 2. BPTT: the carried gradient, the sums, an off-by-one in time, gradients not reset
    Mistake("a02-forgets-dh-next", "bptt_answer", _backward(upstream="dh[:, t]"),
            "bptt_test", "the gradient from step t+1 is missing"),
    Mistake("a02-overwrites-dW", "bptt_answer", _backward(sums="dW_xh = dWx; dW_hh = dWh; db_h = db"),
            "bptt_test", "as if dW were overwritten at every step"),
    Mistake("a02-skips-first-step", "bptt_answer", _backward(loop="range(T - 1, 0, -1)"),
            "bptt_test", "an off-by-one in time"),
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
    Mistake("a02-one-sided-difference", "numgrad_answer", '''
def numerical_gradient(f, x, eps=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad
''', "numgrad_test", "yours looks one-sided"),
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
    Mistake("a02-clips-each-gradient", "clip_answer", _CLIP.format(body='''
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}, norm'''),
            "clip_test", "you clipped each gradient on its own"),
    Mistake("a02-clips-by-value", "clip_answer", _CLIP.format(body='''
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, norm'''),
            "clip_test", "you clipped every entry by value"),
    Mistake("a02-clip-always-rescales", "clip_answer", _CLIP.format(body='''
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {k: g * max_norm / norm for k, g in grads.items()}, norm'''),
            "clip_test", "small gradients stay unchanged"),
    Mistake("a02-clip-norm-after", "clip_answer", _CLIP.format(body='''
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = min(1.0, max_norm / norm)
    return {k: g * scale for k, g in grads.items()}, norm * scale'''),
            "clip_test", "return the global norm BEFORE clipping"),
    # 5. truncated BPTT
    Mistake("a02-truncation-resets-state", "truncated_answer", _TRUNCATED.format(stop="T", state="h0"),
            "truncated_test", "the hidden state must be carried"),
    Mistake("a02-truncation-drops-last-chunk", "truncated_answer",
            _TRUNCATED.format(stop="T - T % k", state="h"), "truncated_test", "the last, shorter chunk"),
    Mistake("a02-truncation-crosses-edges", "truncated_answer", '''
def truncated_rnn_backward(x, h0, W_xh, W_hh, b_h, dh, k):
    _, caches = rnn_forward(x, h0, W_xh, W_hh, b_h)
    return rnn_backward(dh, caches)[2:]
''', "truncated_test", "the gradient must be cut at every chunk edge"),
    # 6. measuring vanishing gradients
    Mistake("a02-norms-off-by-one", "norms_answer", '''
def state_gradient_norms(caches, dh_T):
    T = len(caches)
    norms = np.zeros(T)
    d = dh_T
    for k in range(T):
        d = rnn_step_backward(d, caches[T - 1 - k])[1]
        norms[k] = np.linalg.norm(d, axis=1).mean()
    return norms
''', "norms_test", "yours look shifted by one step"),
    Mistake("a02-norms-without-tanh", "norms_answer", '''
def state_gradient_norms(caches, dh_T):
    T = len(caches)
    norms = np.zeros(T)
    d = dh_T
    for k in range(T):
        norms[k] = np.linalg.norm(d, axis=1).mean()
        d = d @ caches[0][3]
    return norms
''', "norms_test", "the gradient must go through tanh' at every step"),
    Mistake("a02-wrong-q6", "measure_answer", 'answer_q6 = "B"', "measure_test", "not the right answer"),
]
