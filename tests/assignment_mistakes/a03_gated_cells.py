from . import Mistake, solution_with

_F, _G = "a[:, H:2 * H]", "a[:, 2 * H:3 * H]"
_GRU_N = "r * ah[:, 2 * H:]"
_GRU_H = "(1 - z) * n + z * h_prev"

MISTAKES = [
    # LSTM forward: gate order, wrong activation, the cell's tanh, a missing bias, the reference itself
    *solution_with("a03_gated_cells", "lstm_answer", "lstm_test", [
        ("a03-lstm-gate-order", "your gates are in the order i, g, f, o; PyTorch's is i, f, g, o",
         (f"sigmoid({_F})", f"sigmoid({_G})"), (f"tanh({_G})", f"tanh({_F})")),
        ("a03-lstm-candidate-sigmoid", "the cell candidate g uses tanh, not the sigmoid", ("g = np.tanh(", "g = sigmoid(")),
        ("a03-lstm-no-tanh-on-cell", "the tanh of the cell is missing", ("h = o * np.tanh(c)", "h = o * c")),
        ("a03-lstm-missing-bias", "the bias b_h is missing", (" + b_h\n", "\n")),
    ]),
    Mistake("a03-lstm-calls-reference", "lstm_answer", '''
from rnncourse.cells import lstm as my_cells
def lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h):
    (h, c), cache = my_cells.lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b_h)
    return h, c, (x, h_prev, c_prev, W_xh, W_hh, cache.i, cache.f, cache.g, cache.o, cache.c)
''', "lstm_test", "calls rnncourse's own"),
    # GRU forward: b_hn outside the reset gate, z and 1 - z swapped, Cho et al.'s variant
    *solution_with("a03_gated_cells", "gru_answer", "gru_test", [
        ("a03-gru-bhn-outside-r", "b_hn must be inside the reset gate's product",
         (_GRU_N, "b_hh[2 * H:] + r * (h_prev @ W_hh[2 * H:].T)")),
        ("a03-gru-z-swapped", "z and 1 - z are swapped", (_GRU_H, "z * n + (1 - z) * h_prev")),
        ("a03-gru-reset-before-product", "you applied r before the matrix product",
         (_GRU_N, "(r * h_prev) @ W_hh[2 * H:].T + b_hh[2 * H:]")),
    ]),
    # LSTM backward: the cell gradient without the part through h; c_t where c_{t-1} belongs
    *solution_with("a03_gated_cells", "backward_answer", "cell_path_test", [
        ("a03-backward-no-dh-into-cell", "the cell gradient must also collect what reaches c through h",
         ("dc_total = dc + dh * o * (1 - tanh_c ** 2)", "dc_total = dc")),
        ("a03-backward-tanh-grad-of-c", "the derivative of tanh(c) is 1 - tanh(c)**2",
         ("(1 - tanh_c ** 2)", "(1 - c ** 2)")),
    ]),
    *solution_with("a03_gated_cells", "backward_answer", "backward_test", [
        ("a03-backward-c-for-c-prev", "its delta uses c_prev where you used the new c",
         ("dc_total * c_prev * f", "dc_total * c * f")),
    ]),
]
