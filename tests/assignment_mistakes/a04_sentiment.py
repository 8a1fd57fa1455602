from . import Mistake, solution_with

_BACKWARD_HALF = "backward_fn(x[:, ::-1])[:, ::-1]"

MISTAKES = [
    *solution_with("a04_sentiment", "bidirectional_answer", "bidirectional_test", [
        ("a04-backward-not-reversed-back", "still in reversed time order", (_BACKWARD_HALF, "backward_fn(x[:, ::-1])")),
        ("a04-halves-swapped", "the forward half comes first", ("[out_f, out_b]", "[out_b, out_f]")),
        ("a04-backward-reads-forwards", "must read the sequence reversed in time", (_BACKWARD_HALF, "backward_fn(x)")),
    ]),
    Mistake("a04-calls-reference-bidirectional", "bidirectional_answer", '''
from rnncourse.models.bidirectional import Bidirectional
from rnncourse.core.module import Module

class FunctionLayer(Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x, state=None):
        return self.fn(x), None

def bidirectional_forward(x, forward_fn, backward_fn):
    return Bidirectional(FunctionLayer(forward_fn), FunctionLayer(backward_fn)).forward(x)[0]
''', "bidirectional_test", "calls rnncourse's own"),
    Mistake("a04-pool-over-padding", "pool_answer", '''
def masked_mean_pool(h, mask):
    return h.mean(axis=1)
''', "pool_test", "you averaged over the padding too"),
    Mistake("a04-pool-divides-by-T", "pool_answer", '''
def masked_mean_pool(h, mask):
    return (h * mask[:, :, None]).sum(axis=1) / h.shape[1]
''', "pool_test", "divide by the number of real steps"),
    *solution_with("a04_sentiment", "deep_answer", "deep_test", [
        ("a04-x-to-every-layer", "read the input x", ("layer.forward(out)", "layer.forward(x)")),
        ("a04-only-top-final-state", "one final state per layer", ("return out, finals", "return out, final")),
    ]),
    Mistake("a04-final-state-to-next-layer", "deep_answer", '''
def deep_rnn_forward(x, layers):
    inp, finals = x, []
    for layer in layers:
        out, final = layer.forward(inp)
        finals.append(final)
        inp = final
    return out, finals
''', "deep_test", "not its final state"),
    Mistake("a04-untrained-classifier", "sentiment_answer", '''
from rnncourse.models.bidirectional import Bidirectional
from rnncourse.models.classifier import SequenceClassifier
from rnncourse.layers.dense import Dense
from rnncourse.layers.embedding import Embedding
from rnncourse.cells.rnn import RNN

def train_sentiment(sentences, labels, *, bidirectional, rng):
    vocab = WordVocab(sentences)
    recurrent = Bidirectional(RNN(8, 8, rng=rng), RNN(8, 8, rng=rng)) if bidirectional else RNN(8, 8, rng=rng)
    model = SequenceClassifier(Embedding(vocab.size, 8, rng=rng), recurrent,
                               Dense(16 if bidirectional else 8, 2, rng=rng))
    return model, lambda s: model.forward(vocab.encode_batch(s)[0])[0].argmax(axis=1)
''', "sentiment_bidirectional_test", "held-out accuracy"),
    Mistake("a04-direction-flag-ignored", "sentiment_answer", '''
from rnncourse.models.bidirectional import Bidirectional
from rnncourse.models.classifier import SequenceClassifier
from rnncourse.layers.dense import Dense
from rnncourse.layers.embedding import Embedding
from rnncourse.core.optim import Adam
from rnncourse.cells.rnn import RNN
from rnncourse.core.train import fit

def train_sentiment(sentences, labels, *, bidirectional, rng):
    vocab = WordVocab(sentences)
    ids, _ = vocab.encode_batch(sentences)
    model = SequenceClassifier(Embedding(vocab.size, 16, rng=rng),
                               Bidirectional(RNN(16, 16, rng=rng), RNN(16, 16, rng=rng)), Dense(32, 2, rng=rng))
    batches = [(ids[i:i + 32], labels[i:i + 32]) for i in range(0, len(labels), 32)]
    fit(model, Adam(model, lr=1e-2), batches, loss="cross_entropy", epochs=5, clip_norm=5.0)
    return model, lambda s: model.forward(vocab.encode_batch(s)[0])[0].argmax(axis=1)
''', "sentiment_forward_test", "must read forwards only"),
]
