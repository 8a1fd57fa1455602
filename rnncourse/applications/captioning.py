"""Image captioning, toy version: image features start a GRU decoder that writes the caption.

Taught on the book page ``book/applications/captioning``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_int
from ..datasets import caption_vocabulary, captioning_toy, image_features, pad_sequences
from ..layers.dense import Dense
from ..layers.embedding import Embedding
from ..layers.output import Output
from ..models.seq2seq import Seq2Seq
from .base import (AppResult, cell_class, make_cell, make_rng, positionwise_accuracy, shuffled_batches,
                   train_model)


def captioning(*, seed=0, n_train=1000, n_test=200, feature_dim=64, embedding_dim=16, hidden_size=64,
               batch_size=32, epochs=40, lr=1e-2, cell="gru", progress=None):
    r"""Image captioning: fixed image features -> the decoder's first state -> a caption.

    Images of :func:`rnncourse.datasets.toy_perception.captioning_toy` go through the fixed
    feature extractor :func:`~rnncourse.datasets.toy_perception.image_features` (standardised
    with the training set's statistics). The feature vector is the one-step
    "source sentence" of an encoder-decoder
    (:class:`rnncourse.models.seq2seq.Seq2Seq`): a tanh dense layer and one GRU step
    turn it into the decoder's initial state, and the decoder generates the
    caption word by word (teacher forcing in training, greedy decoding on the
    held-out images). This is the *Show and Tell* layout: the image enters once,
    at the start, and everything after is language modelling.

    Within the default budget the colours are learnt almost at once and the
    shapes slowly (they differ only in the mix of edge directions the features
    pool): more than half of the held-out captions come out exactly right, most of
    the rest with one shape word wrong. More epochs and images help; so would
    features that keep more of the shapes' outlines.

    It stands in for photographs with written captions (e.g. MS COCO) and a
    pretrained CNN encoder; here each caption is fully determined by its image.

    Parameters
    ----------
    n_train, n_test : int
    feature_dim : int
        Output size of the dense layer on the image features.
    embedding_dim, hidden_size : int
        E of the caption words; H of the encoder and decoder cells.
    seed, batch_size, epochs, lr, cell, progress
        The training settings every application shares (:mod:`rnncourse.applications`).

    Returns
    -------
    AppResult
        ``metrics``: ``exact_caption_accuracy``, ``token_accuracy`` (words right
        at their position), ``exact_one_shape``, ``exact_two_shapes``,
        ``majority_caption_accuracy`` (always the most frequent training
        caption), ``train_exact_caption_accuracy``. ``examples``: dicts ``{"target", "predicted"}`` (strings).
        ``extras["images"]``: the held-out images, for display.

    Book page: ``book/applications/captioning``.
    """
    rng = make_rng(seed)
    cell_class(cell)
    img_tr, cap_tr = captioning_toy(check_positive_int("n_train", n_train), rng=rng)
    img_te, cap_te = captioning_toy(check_positive_int("n_test", n_test), rng=rng)
    f_tr, f_te = image_features(img_tr), image_features(img_te)
    mu, sd = f_tr.mean(axis=0), f_tr.std(axis=0) + 1e-8
    f_tr, f_te = ((f_tr - mu) / sd)[:, None, :], ((f_te - mu) / sd)[:, None, :]     # (N, 1, F)
    vocab = caption_vocabulary()
    bos, eos = vocab.token_to_id["<bos>"], vocab.token_to_id["<eos>"]
    enc = [vocab.encode(c) for c in cap_tr]
    tgt_in, _ = pad_sequences([[bos] + c for c in enc])
    tgt_out, tgt_mask = pad_sequences([c + [eos] for c in enc])
    F, E, H, V = f_tr.shape[2], embedding_dim, hidden_size, vocab.size
    model = Seq2Seq(Dense(F, feature_dim, "tanh", rng=rng), make_cell(cell, feature_dim, H, rng),
                    Embedding(V, E, rng=rng), make_cell(cell, E, H, rng), Output(H, V, rng=rng))

    def make_batch(idx):
        return (f_tr[idx], tgt_in[idx]), tgt_out[idx], tgt_mask[idx]

    history, seconds = train_model(model, shuffled_batches(rng, len(f_tr), batch_size, make_batch),
                                   loss="cross_entropy", epochs=epochs, lr=lr, clip_norm=5.0,
                                   progress=progress, desc="captioning")

    def decode(features):
        out = model.greedy_decode(features, bos_id=bos, eos_id=eos, max_len=tgt_out.shape[1] + 2)
        return [vocab.decode(o) if o else [] for o in out]

    predicted = decode(f_te)
    train_exact = float(np.mean([p == t for p, t in zip(decode(f_tr), cap_tr)]))
    exact = np.array([p == t for p, t in zip(predicted, cap_te)])
    two = np.array([len(t) > 3 for t in cap_te])
    captions = [" ".join(c) for c in cap_tr]
    most = max(set(captions), key=captions.count)
    metrics = {"exact_caption_accuracy": float(exact.mean()),
               "token_accuracy": positionwise_accuracy(predicted, cap_te),
               "exact_one_shape": float(exact[~two].mean()) if (~two).any() else float("nan"),
               "exact_two_shapes": float(exact[two].mean()) if two.any() else float("nan"),
               "majority_caption_accuracy": float(np.mean([" ".join(c) == most for c in cap_te])),
               "train_exact_caption_accuracy": train_exact}
    examples = [{"target": " ".join(cap_te[i]), "predicted": " ".join(predicted[i])}
                for i in range(min(8, len(cap_te)))]
    return AppResult("captioning", model, history, metrics, examples, seconds,
                     extras={"images": img_te, "vocab": vocab})
