"""Translation of number words into digits with a GRU encoder-decoder (seq2seq).

Taught on the book page ``book/applications/translation``.
"""
from __future__ import annotations

import numpy as np

from ..datasets import encode_translation_pairs, number_to_words, number_vocabularies
from ..layers.embedding import Embedding
from ..layers.output import Output
from ..models.seq2seq import Seq2Seq
from .base import (AppResult, cell_class, left_pad, make_cell, make_rng, positionwise_accuracy,
                   shuffled_batches, train_model)


def translation(*, seed=0, max_value=999, test_fraction=0.2, embedding_dim=16, hidden_size=48,
                batch_size=32, epochs=20, lr=1e-2, cell="gru", progress=None):
    r"""English number words to digits with an encoder-decoder (sequence to sequence).

    ``"three hundred and twelve"`` -> ``3 1 2``. The numbers ``0 .. max_value``
    are shuffled and a ``test_fraction`` of them is held out, so every test
    number is one the model has *never* seen: it must have learnt how the words
    compose. Sources are left-padded (padding first) so that the encoder's final
    state follows the last word; the decoder starts from it, reads ``<bos>`` and
    the previous digit (teacher forcing in training, its own output in greedy
    decoding) and stops at ``<eos>``
    (:class:`rnncourse.models.seq2seq.Seq2Seq`).

    It stands in for sentence-level machine translation (e.g. WMT English-French);
    here every source has exactly one correct translation.

    Parameters
    ----------
    seed : int
    max_value : int
        Largest number, in [10, 999]; every number up to it is either a
        training or a test pair.
    test_fraction : float
        Share of the numbers held out, in (0, 0.5].
    embedding_dim, hidden_size : int
    batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).

    Returns
    -------
    AppResult
        ``metrics``: ``exact_match`` (whole digit string right), ``token_accuracy``
        (digits right at their position), ``teacher_forced_token_accuracy``,
        ``train_exact_match``, ``n_train``, ``n_test``. ``examples``: dicts
        ``{"source", "target", "predicted"}`` (strings).

    Book page: ``book/applications/translation``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    if not 0.0 < test_fraction <= 0.5:
        raise ValueError(f"test_fraction must be in (0, 0.5], got {test_fraction}")
    if isinstance(max_value, bool) or not isinstance(max_value, (int, np.integer)) or not 10 <= max_value <= 999:
        raise ValueError(f"max_value must be an int in [10, 999], got {max_value!r}")
    values = rng.permutation(max_value + 1)
    n_test = int(round(test_fraction * len(values)))
    splits = {"test": values[:n_test], "train": values[n_test:]}
    src_vocab, tgt_vocab = number_vocabularies(max_value)
    data = {}
    for part, vals in splits.items():
        sources = [number_to_words(int(v)).split() for v in vals]
        targets = [list(str(int(v))) for v in vals]
        src, src_mask, tgt_in, tgt_out, tgt_mask = encode_translation_pairs(sources, targets, src_vocab,
                                                                            tgt_vocab)
        src, _ = left_pad(src, src_mask, src_vocab.pad_id)
        data[part] = (sources, targets, src, tgt_in, tgt_out, tgt_mask)
    E, H = embedding_dim, hidden_size
    model = Seq2Seq(Embedding(src_vocab.size, E, rng=rng), make_cell(cell, E, H, rng),
                    Embedding(tgt_vocab.size, E, rng=rng), make_cell(cell, E, H, rng),
                    Output(H, tgt_vocab.size, rng=rng))
    _, _, src, tgt_in, tgt_out, tgt_mask = data["train"]

    def make_batch(idx):
        return (src[idx], tgt_in[idx]), tgt_out[idx], tgt_mask[idx]

    history, seconds = train_model(model, shuffled_batches(rng, len(src), batch_size, make_batch),
                                   loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                                   progress=progress, desc="translation")
    bos, eos = tgt_vocab.token_to_id["<bos>"], tgt_vocab.token_to_id["<eos>"]

    def decode(part):
        sources, targets, s, t_in, t_out, t_mask = data[part]
        out = model.greedy_decode(s, bos_id=bos, eos_id=eos, max_len=t_out.shape[1] + 2)
        return [tgt_vocab.decode(o) if o else [] for o in out], targets

    predicted, targets = decode("test")
    train_pred, train_targets = decode("train")
    sources, targets, s, t_in, t_out, t_mask = data["test"]
    logits, _ = model.forward((s, t_in))
    tf_acc = float(((logits.argmax(-1) == t_out) & t_mask).sum() / t_mask.sum())
    metrics = {"exact_match": float(np.mean([p == t for p, t in zip(predicted, targets)])),
               "token_accuracy": positionwise_accuracy(predicted, targets),
               "teacher_forced_token_accuracy": tf_acc,
               "train_exact_match": float(np.mean([p == t for p, t in zip(train_pred, train_targets)])),
               "n_train": int(len(splits["train"])), "n_test": int(n_test)}
    examples = [{"source": " ".join(sources[i]), "target": "".join(targets[i]),
                 "predicted": "".join(predicted[i])} for i in range(min(8, n_test))]
    return AppResult("translation", model, history, metrics, examples, seconds,
                     extras={"source_vocab": src_vocab, "target_vocab": tgt_vocab})
