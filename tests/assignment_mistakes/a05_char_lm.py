from . import Mistake, solution_with

MISTAKES = [
    *solution_with("a05_char_lm", "pairs_answer", "pairs_test", [
        ("a05-targets-not-shifted", "shift by one", ("y = ids[1:N * T + 1]", "y = ids[:N * T]")),
    ]),
    *solution_with("a05_char_lm", "loss_answer", "loss_test", [
        ("a05-gradient-not-averaged", "dlogits must be divided by N*T", ("dlogits / (N * T)", "dlogits")),
    ]),
    Mistake("a05-clip-each-gradient", "clip_answer", '''
def clip_by_global_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    for g in grads.values():
        n = np.sqrt(np.sum(g * g))
        if n > max_norm:
            g *= max_norm / n
    return total
''', "clip_test", "you clipped each gradient by its own norm"),
    Mistake("a05-clip-calls-reference", "clip_answer", '''
from rnncourse.core.clipping import clip_grads_by_global_norm as clip_by_global_norm
''', "clip_test", "calls rnncourse's own"),
    *solution_with("a05_char_lm", "step_answer", "step_test", [
        ("a05-gradients-not-reset", "the gradients were not reset between steps", ("    model.zero_grad()\n", "")),
        ("a05-clip-parameters", "you clipped the parameters", ("(model.grads,", "(model.params,")),
    ]),
    *solution_with("a05_char_lm", "sample_answer", "sample_test", [
        ("a05-temperature-multiplied", "you multiplied the logits by the temperature",
         ("z = logits / temperature", "z = logits * temperature")),
        ("a05-sample-from-logits", "turn them into probabilities with a softmax", ("np.exp(z - z.max())", "z")),
    ]),
    *solution_with("a05_char_lm", "generate_answer", "generate_test", [
        ("a05-state-not-carried", "carry the state", ("[None], state)", "[None])")),
    ]),
    Mistake("a05-untrained-model", "train_answer", '''
from rnncourse.cells.lstm import LSTM
from rnncourse.core.module import Sequential
from rnncourse.layers.output import Output

def train_char_lm(train_ids, vocab_size, *, rng):
    return Sequential(LSTM(vocab_size, 16, rng=rng), Output(16, vocab_size, rng=rng))
''', "train_test", "not below the unigram baseline"),
]
