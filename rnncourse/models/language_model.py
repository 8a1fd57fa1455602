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

from ..core.checks import (as_float_array, as_int_array, check_callable, check_instance, check_int,
                           check_positive_float, check_positive_int, check_rng)
from ..datasets.text import one_hot
from ..core.module import Module


def next_char_distribution(logits, temperature=1.0, top_k=None):
    r"""Turn logits into the sampling distribution :math:`\operatorname{softmax}(z/\tau)`, optionally top-k.

    Parameters
    ----------
    logits : ndarray, shape (V,) or (N, V), float32 or float64, finite
    temperature : float > 0
    top_k : int in [1, V], optional
        Keep the ``top_k`` largest logits, zero the rest, renormalise.

    Returns
    -------
    ndarray, shape and dtype of ``logits``, rows summing to 1.

    Book page: ``book/applications/language_model``.
    """
    logits = as_float_array("logits", logits)
    if logits.ndim not in (1, 2):
        raise ValueError(f"logits must have shape (V,) or (N, V), got {logits.shape}")
    tau = check_positive_float("temperature", temperature)
    V = logits.shape[-1]
    k = None if top_k is None else check_int("top_k", top_k, 1, V)
    # Each row is shifted so that its largest logit is 0: exp never overflows, and a logit so far
    # below it that (z - max) / tau overflows to -inf gets probability 0. Computed in float64,
    # returned in the dtype of logits.
    z64 = logits.astype(np.float64)
    with np.errstate(over="ignore", under="ignore"):
        z = (z64 - z64.max(axis=-1, keepdims=True)) / tau
        if k is not None and k < V:
            kth = np.sort(z, axis=-1)[..., -k][..., None]
            z = np.where(z >= kth, z, -np.inf)
        e = np.exp(z)
    return (e / e.sum(axis=-1, keepdims=True)).astype(logits.dtype)


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
    check_instance("model", model, Module, "an rnncourse Module (a layer or a Sequential)")
    V = check_positive_int("vocab_size", vocab_size)
    prime = as_int_array("prime_ids", prime_ids, ndim=1, low=0, high=V)
    n = check_positive_int("length", length)
    check_rng("rng", rng)
    check_positive_float("temperature", temperature)
    if top_k is not None:
        check_int("top_k", top_k, 1, V)
    if encode is not None:
        check_callable("encode", encode)
    else:
        def encode(ids):
            return one_hot(ids, vocab_size)
    was_training = model.training
    model.eval()
    logits, state = model.forward(encode(prime[None, :]))
    if np.shape(logits)[-1:] != (V,):
        raise ValueError(f"vocab_size={V} does not match the model, whose logits have shape {np.shape(logits)}")
    out = []
    for _ in range(n):
        p = next_char_distribution(logits[0, -1], temperature, top_k).astype(np.float64)
        nxt = int(rng.choice(V, p=p / p.sum()))
        out.append(nxt)
        logits, state = model.forward(encode(np.array([[nxt]])), state)
    model.train(was_training)
    return out
