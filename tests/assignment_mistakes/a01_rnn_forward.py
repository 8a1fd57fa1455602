from . import Mistake, solution_with

_PRE_ACTIVATION = "x @ W_xh.T + h_prev @ W_hh.T + b_h"

MISTAKES = [
    *solution_with("a01_rnn_forward", "step_answer", "step_test", [
        ("a01-wrong-activation", "you used the sigmoid; the hidden state uses tanh",
         (f"tanh({_PRE_ACTIVATION})", f"1 / (1 + np.exp(-({_PRE_ACTIVATION})))")),
        ("a01-missing-bias", "check the bias term", (" + b_h)", ")")),
        ("a01-untransposed-recurrent", "check the recurrent term", ("h_prev @ W_hh.T", "h_prev @ W_hh")),
    ]),
    Mistake("a01-h0-every-step", "sequence_answer", '''
def rnn_forward(x, h0, W_xh, W_hh, b_h):
    return np.stack([rnn_step_forward(x[:, t], h0, W_xh, W_hh, b_h) for t in range(x.shape[1])], axis=1)
''', "sequence_test", "every step must start from the previous step's state"),
    Mistake("a01-off-by-one", "sequence_answer", '''
def rnn_forward(x, h0, W_xh, W_hh, b_h):
    out, h = [], h0
    for t in range(x.shape[1]):
        out.append(h)
        h = rnn_step_forward(x[:, t], h, W_xh, W_hh, b_h)
    return np.stack(out, axis=1)
''', "sequence_test", "looks shifted by one step"),
    Mistake("a01-calls-reference", "step_answer", '''
import rnncourse
def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    return rnncourse.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)[0]
''', "step_test", "calls rnncourse's own"),
    Mistake("a01-calls-fast-kernel", "sequence_answer", '''
from rnncourse.cells.fast import rnn_forward_fast
def rnn_forward(x, h0, W_xh, W_hh, b_h):
    return rnn_forward_fast(x, h0, W_xh, W_hh, b_h)[0]
''', "sequence_test", "calls rnncourse's own"),
    Mistake("a01-naive-tanh", "tanh_answer", '''
def tanh(a):
    return (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a))
''', "tanh_test", "exp(800) overflows"),
    Mistake("a01-calls-np-tanh", "tanh_answer", '''
def tanh(a):
    return np.tanh(a)
''', "tanh_test", "tanh calls np.tanh; this part asks you to compute tanh yourself"),
    Mistake("a01-np-tanh-under-another-name", "tanh_answer", '''
from numpy import tanh as hyperbolic_tangent

def tanh(a):
    return hyperbolic_tangent(np.asarray(a, dtype=float))
''', "tanh_test", "calls np.tanh"),
    Mistake("a01-seed-h2", "example_answer", '''
h1 = np.array([0.537, 0.462])
h2 = np.array([0.515, 0.942])
''', "example_test", "repeats the article's printed value"),
]
