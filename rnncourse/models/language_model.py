r"""Character-level language modelling: one-hot inputs, next-character targets, sampling.

Taught on the book page *Language modelling and text generation*
(``book/applications/language_model``).

A language model reads characters :math:`c_1, \dots, c_t` and outputs a
distribution over the next one,
:math:`p(c_{t+1} \mid c_{\le t}) = \operatorname{softmax}(W_{hy} h_t + b_y)`.
Trained with cross-entropy over every position, it generates text by feeding
its own samples back in. The *temperature* :math:`\tau` rescales the logits,
:math:`\operatorname{softmax}(z / \tau)`: small :math:`\tau` sharpens the
distribution towards the most likely character, large :math:`\tau` flattens it;
*top-k* sampling keeps only the :math:`k` most likely characters.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import check_positive_float, check_positive_int, check_rng
from ..core.activations import softmax
from ..datasets.text import one_hot
from ..core.module import Module


def next_char_distribution(logits, temperature=1.0, top_k=None):
    r"""Turn logits into the sampling distribution :math:`\operatorname{softmax}(z/\tau)`, optionally top-k.

    Parameters
    ----------
    logits : ndarray, shape (V,) or (N, V)
    temperature : float > 0
    top_k : int, optional
        Keep the ``top_k`` largest logits, zero the rest, renormalise.

    Returns
    -------
    ndarray, shape of ``logits``, rows summing to 1.

    Book page: ``book/applications/language_model``.
    """
    tau = check_positive_float("temperature", temperature)
    z = np.asarray(logits, dtype=np.float64) / tau
    if top_k is not None:
        k = check_positive_int("top_k", top_k)
        if k < z.shape[-1]:
            kth = np.sort(z, axis=-1)[..., -k][..., None]
            z = np.where(z >= kth, z, -np.inf)
    return softmax(np.where(np.isfinite(z), z, -1e300))


def sample(model: Module, prime_ids, length, *, vocab_size, rng, temperature=1.0, top_k=None,
           encode=None):
    """Generate ``length`` new ids from a trained model, feeding each sample back in.

    The model is run over the prime once, then one step at a time with its
    state carried, exactly as at training time but without teacher forcing.

    Parameters
    ----------
    model : Module
        Maps (1, T, V) one-hot inputs (or whatever ``encode`` makes) to logits (1, T, V).
    prime_ids : sequence of int
        At least one id to start from.
    length : int
        Number of ids to generate.
    vocab_size : int
        V.
    rng : numpy.random.Generator
    temperature : float
    top_k : int, optional
    encode : callable, optional
        ``encode(ids (1, T)) -> model input``; one-hot by default.

    Returns
    -------
    list of int
        The generated ids (the prime not included).

    Book page: ``book/applications/language_model``.
    """
    check_rng("rng", rng)
    n = check_positive_int("length", length)
    prime = np.asarray(prime_ids)
    if prime.ndim != 1 or prime.size == 0:
        raise ValueError(f"prime_ids must be a non-empty 1-D sequence of ids, got shape {prime.shape}")
    if encode is None:
        def encode(ids):
            return one_hot(ids, vocab_size)
    was_training = model.training
    model.eval()
    logits, state = model.forward(encode(prime[None, :]))
    out = []
    for _ in range(n):
        p = next_char_distribution(logits[0, -1], temperature, top_k)
        nxt = int(rng.choice(len(p), p=p))
        out.append(nxt)
        logits, state = model.forward(encode(np.array([[nxt]])), state)
    model.train(was_training)
    return out
