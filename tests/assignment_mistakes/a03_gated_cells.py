from . import Mistake

_LSTM = '''
def lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h):
    H = h_prev.shape[1]
    a = x @ W_xh.T + h_prev @ W_hh.T{bias}
    i = sigmoid(a[:, {i}])
    f = sigmoid(a[:, {f}])
    g = {g_act}(a[:, {g}])
    o = sigmoid(a[:, {o}])
    c = f * c_prev + i * g
    h = o * {read}
    return h, c, (x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c)
'''
_BLOCKS = {"0": ":H", "1": "H:2 * H", "2": "2 * H:3 * H", "3": "3 * H:"}


def _lstm(order="0123", g_act="np.tanh", read="np.tanh(c)", bias=" + b_h"):
    return _LSTM.format(bias=bias, g_act=g_act, read=read,
                        **{name: _BLOCKS[k] for name, k in zip("ifgo", order)})


_GRU = '''
def gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh):
    H = h_prev.shape[1]
    ax = x @ W_xh.T + b_xh
    ah = h_prev @ W_hh.T + b_hh
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh({n})
    return {h}
'''

_BACKWARD = '''
def lstm_step_backward(dh, dc, cache):
    x, h_prev, c_prev, W_xh, W_hh, i, f, g, o, c = cache
    tanh_c = np.tanh(c)
    dc_total = {dc_total}
    delta = np.concatenate([dc_total * g * i * (1 - i),
                            dc_total * {c_forget} * f * (1 - f),
                            dc_total * i * (1 - g ** 2),
                            dh * tanh_c * o * (1 - o)], axis=1)
    return (delta @ W_xh, delta @ W_hh, dc_total * f,
            delta.T @ x, delta.T @ h_prev, delta.sum(axis=0))
'''

MISTAKES = [
    # LSTM forward: gate order, wrong activation, the cell's tanh, a missing bias, the reference itself
    Mistake("a03-lstm-gate-order", "lstm_answer", _lstm(order="0213"),
            "lstm_test", "your gates are in the order i, g, f, o; PyTorch's is i, f, g, o"),
    Mistake("a03-lstm-candidate-sigmoid", "lstm_answer", _lstm(g_act="sigmoid"),
            "lstm_test", "the cell candidate g uses tanh, not the sigmoid"),
    Mistake("a03-lstm-no-tanh-on-cell", "lstm_answer", _lstm(read="c"),
            "lstm_test", "the tanh of the cell is missing"),
    Mistake("a03-lstm-missing-bias", "lstm_answer", _lstm(bias=""),
            "lstm_test", "the bias b_h is missing"),
    Mistake("a03-lstm-calls-reference", "lstm_answer", '''
from rnncourse.cells import lstm as my_cells
def lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h):
    (h, c), cache = my_cells.lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h)
    return h, c, (x, h_prev, c_prev, W_xh, W_hh, cache.i, cache.f, cache.g, cache.o, cache.c)
''', "lstm_test", "calls rnncourse's own"),
    # GRU forward: b_hn outside the reset gate, z and 1 - z swapped, Cho et al.'s variant
    Mistake("a03-gru-bhn-outside-r", "gru_answer",
            _GRU.format(n="ax[:, 2 * H:] + b_hh[2 * H:] + r * (h_prev @ W_hh[2 * H:].T)",
                        h="(1 - z) * n + z * h_prev"),
            "gru_test", "b_hn must be inside the reset gate's product"),
    Mistake("a03-gru-z-swapped", "gru_answer",
            _GRU.format(n="ax[:, 2 * H:] + r * ah[:, 2 * H:]", h="z * n + (1 - z) * h_prev"),
            "gru_test", "z and 1 - z are swapped"),
    Mistake("a03-gru-reset-before-product", "gru_answer",
            _GRU.format(n="ax[:, 2 * H:] + (r * h_prev) @ W_hh[2 * H:].T + b_hh[2 * H:]",
                        h="(1 - z) * n + z * h_prev"),
            "gru_test", "you applied r before the matrix product"),
    # LSTM backward: the cell gradient without the part through h; c_t where c_{t-1} belongs
    Mistake("a03-backward-no-dh-into-cell", "backward_answer",
            _BACKWARD.format(dc_total="dc", c_forget="c_prev"),
            "cell_path_test", "the cell gradient must also collect what reaches c through h"),
    Mistake("a03-backward-c-for-c-prev", "backward_answer",
            _BACKWARD.format(dc_total="dc + dh * o * (1 - tanh_c ** 2)", c_forget="c"),
            "backward_test", "its delta uses c_prev where you used the new c"),
    Mistake("a03-backward-tanh-grad-of-c", "backward_answer",
            _BACKWARD.format(dc_total="dc + dh * o * (1 - c ** 2)", c_forget="c_prev"),
            "cell_path_test", "the derivative of tanh(c) is 1 - tanh(c)**2"),
]
