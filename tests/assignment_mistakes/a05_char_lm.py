from . import Mistake

_STEP = '''
def train_step(model, optimizer, x, y, max_norm=5.0):
{zero}    logits, _ = model.forward(x)
    loss, dlogits = softmax_cross_entropy(logits, y)
    model.backward(dlogits)
    clip_by_global_norm({clipped}, max_norm)
    optimizer.step()
    return loss
'''

_SAMPLE = '''
def sample_next(logits, temperature, rng):
    {body}
    return int(rng.choice(len(p), p=p))
'''

MISTAKES = [
    Mistake("a05-targets-not-shifted", "pairs_answer", '''
def make_lm_pairs(ids, seq_len):
    N = (len(ids) - 1) // seq_len
    x = ids[:N * seq_len].reshape(N, seq_len)
    return x, x.copy()
''', "pairs_test", "shift by one"),
    Mistake("a05-gradient-not-averaged", "loss_answer", '''
def softmax_cross_entropy(logits, y):
    N, T, V = logits.shape
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    n, t = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    d = np.exp(log_p)
    d[n, t, y] -= 1.0
    return float(-log_p[n, t, y].mean()), d
''', "loss_test", "dlogits must be divided by N*T"),
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
    Mistake("a05-gradients-not-reset", "step_answer", _STEP.format(zero="", clipped="model.grads"),
            "step_test", "the gradients were not reset between steps"),
    Mistake("a05-clip-parameters", "step_answer",
            _STEP.format(zero="    model.zero_grad()\n", clipped="model.params"),
            "step_test", "you clipped the parameters"),
    Mistake("a05-temperature-multiplied", "sample_answer",
            _SAMPLE.format(body="z = logits * temperature\n    p = np.exp(z - z.max())\n    p /= p.sum()"),
            "sample_test", "you multiplied the logits by the temperature"),
    Mistake("a05-sample-from-logits", "sample_answer",
            _SAMPLE.format(body="p = logits / temperature\n    p = p / p.sum()"),
            "sample_test", "turn them into probabilities with a softmax"),
    Mistake("a05-state-not-carried", "generate_answer", '''
def generate(model, prime_ids, length, vocab_size, temperature, rng):
    eye = np.eye(vocab_size)
    logits, _ = model.forward(eye[np.asarray(prime_ids)][None])
    out = []
    for _ in range(length):
        nxt = sample_next(logits[0, -1], temperature, rng)
        out.append(nxt)
        logits, _ = model.forward(eye[[nxt]][None])
    return out
''', "generate_test", "carry the state"),
    Mistake("a05-untrained-model", "train_answer", '''
from rnncourse.cells.lstm import LSTM
from rnncourse.core.module import Sequential
from rnncourse.layers.output import Output

def train_char_lm(train_ids, vocab_size, *, rng):
    return Sequential(LSTM(vocab_size, 16, rng=rng), Output(16, vocab_size, rng=rng))
''', "train_test", "not below the unigram baseline"),
]
