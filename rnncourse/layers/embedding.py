r"""Embedding: turn integer token ids into learned vectors by looking up rows of a table.

Taught on the book page *Embeddings* (``book/applications/sentiment``).

A vocabulary of :math:`V` tokens gets a table :math:`W \in \mathbb{R}^{V \times E}`;
token :math:`k` is represented by row :math:`W_k`. For a batch of index sequences,

.. math::

    e_{n,t} = W_{x_{n,t}}, \qquad x_{n,t} \in \{0, \dots, V-1\}.

This is the same as multiplying a one-hot vector :math:`o(x_{n,t})` by
:math:`W`, without ever building the one-hot vectors. Seen that way the
backward pass follows: only the rows that were looked up receive gradient, and
a row used several times receives the *sum* of the gradients of all its uses,

.. math::

    \frac{\partial L}{\partial W_k} = \sum_{(n,t):\, x_{n,t} = k} \frac{\partial L}{\partial e_{n,t}}.

In numpy ``dW[x] += de`` would be wrong here: with repeated indices the
buffered assignment keeps only one of the additions. ``np.add.at(dW, x, de)``
adds every one of them.

The indices are integers, not a function of anything learned, so they have no
gradient: :meth:`Embedding.backward` returns ``None`` as ``dx``. An embedding
is therefore the first layer of a model.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.checks import as_float_array, check_cache, check_float_dtype, check_positive_int, check_rng
from ..core.module import Module


def check_indices(name: str, x, num_embeddings: int) -> np.ndarray:
    """Return ``x`` as an integer array of indices in ``[0, num_embeddings)``, else raise.

    Floats (even whole-valued ones) and booleans are refused, and so are
    negative indices: numpy would silently read them from the end of the table.

    Parameters
    ----------
    name : str
        The argument's name, used in the error message.
    x : array_like of int, shape (N, T) or (N,)
    num_embeddings : int
        V, the number of rows of the table.

    Returns
    -------
    ndarray of int, the shape of ``x``

    Book page: ``book/applications/sentiment``.
    """
    if isinstance(x, (list, tuple)):
        try:
            x = np.asarray(x)
        except ValueError as err:
            raise ValueError(f"{name} must be a rectangular array of integer indices; "
                             f"could not convert it: {err}") from None
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy array of integer indices (token ids), "
                        f"got a {type(x).__name__}")
    if x.dtype.kind not in "iu":
        hint = (f"; if the values are whole numbers convert them with {name}.astype(np.int64)"
                if x.dtype.kind == "f" else "")
        raise TypeError(f"{name} must hold integer indices (token ids), got dtype {x.dtype}{hint}")
    if x.ndim not in (1, 2):
        raise ValueError(f"{name} must be a 2-D array (N, T) or a 1-D array (N,) of indices, "
                         f"got {x.ndim}-D with shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} must not be empty: every axis needs at least one entry, got shape {x.shape}")
    if x.min() < 0 or x.max() >= num_embeddings:
        raise ValueError(f"{name} must hold indices in [0, {num_embeddings}) (num_embeddings={num_embeddings}), "
                         f"got values from {x.min()} to {x.max()}")
    return x


class EmbeddingCache(NamedTuple):
    """What :func:`embedding_forward` keeps for :func:`embedding_backward`."""

    x: np.ndarray              #: the ids (a copy)
    shape: tuple               #: (V, E)
    dtype: np.dtype


def embedding_forward(x, W):
    r"""Look up one row of ``W`` per index: :math:`e_{n,t} = W_{x_{n,t}}`.

    Parameters
    ----------
    x : ndarray of int, shape (N, T) or (N,)
        Token ids in ``[0, V)``.
    W : ndarray, shape (V, E)
        The embedding table.

    Returns
    -------
    e : ndarray, shape (N, T, E) or (N, E)
        A copy of the looked-up rows.
    cache : EmbeddingCache
        For :func:`embedding_backward`.

    Book page: ``book/applications/sentiment``.
    """
    W = as_float_array("W", W, ndim=2)
    x = check_indices("x", x, W.shape[0]).copy()          # the cache keeps its own ids
    return W[x], EmbeddingCache(x, W.shape, W.dtype)


def embedding_backward(de, cache):
    r"""Gradient of the table: :math:`\partial L/\partial W_k = \sum_{x_{n,t}=k} \partial L/\partial e_{n,t}`.

    Parameters
    ----------
    de : ndarray, shape (N, T, E) or (N, E)
        Gradient with respect to the looked-up vectors.
    cache : EmbeddingCache
        From :func:`embedding_forward`.

    Returns
    -------
    dW : ndarray, shape (V, E)
        Rows never looked up are zero; repeated indices add up. (The indices
        themselves have no gradient, so this is the only output.)

    Book page: ``book/applications/sentiment``.
    """
    x, (V, E), dtype = check_cache(cache, EmbeddingCache, "embedding_forward")
    de = as_float_array("de", de, shape=x.shape + (E,), dtype=dtype)
    dW = np.zeros((V, E), dtype=dtype)
    np.add.at(dW, x, de)
    return dW


class Embedding(Module):
    r"""A learned lookup table from token ids (N, T) to vectors (N, T, E).

    .. math:: e_{n,t} = W_{x_{n,t}}

    Parameters
    ----------
    num_embeddings : int
        V, the vocabulary size (indices run from 0 to V-1).
    embedding_dim : int
        E, the size of each vector.
    rng : numpy.random.Generator
        The table is drawn from :math:`\mathcal{N}(0, 1)`, as PyTorch's
        ``nn.Embedding`` does.
    dtype : {numpy.float64, numpy.float32}

    Attributes
    ----------
    params : dict
        ``W`` (V, E).
    output_size : int
        E (read by :class:`rnncourse.models.stacked.Stacked` to check sizes).

    Notes
    -----
    ``forward(x, state=None)`` takes integer indices ``x`` of shape (N, T) (or
    (N,)) and returns ``(e, None)`` with ``e`` of shape (N, T, E) (or (N, E)).
    ``backward(d_outputs)`` accumulates into ``grads["W"]`` with
    ``np.add.at`` and **returns None**: integer indices have no gradient, so
    nothing flows further down and the embedding must be a model's first
    layer. The layer has no state (``state``/``d_final_state`` must be
    ``None``; ``d_state`` is ``None``).

    Examples
    --------
    >>> import numpy as np
    >>> emb = Embedding(10, 3, rng=np.random.default_rng(0))
    >>> e, _ = emb.forward(np.array([[1, 2, 1]]))
    >>> e.shape, bool(np.array_equal(e[0, 0], emb.params["W"][1]))
    ((1, 3, 3), True)

    Book page: ``book/applications/sentiment``.
    """

    def __init__(self, num_embeddings, embedding_dim, *, rng, dtype=np.float64):
        super().__init__()
        self.num_embeddings = check_positive_int("num_embeddings", num_embeddings)
        self.embedding_dim = self.output_size = check_positive_int("embedding_dim", embedding_dim)
        check_rng("rng", rng)
        self.dtype = check_float_dtype("dtype", dtype)
        self.add_param("W", rng.standard_normal((self.num_embeddings, self.embedding_dim)).astype(self.dtype))

    def forward(self, x, state=None):
        """Integer ``x`` (N, T) -> ``(e, None)`` with ``e`` (N, T, E)."""
        if state is not None:
            raise ValueError(f"Embedding has no state: state must be None, got {type(state).__name__}")
        e, self._cache = embedding_forward(x, self._params["W"])
        return e, None

    def backward(self, d_outputs, d_final_state=None):
        """Accumulate ``grads["W"]`` (repeated indices add up) and return ``None``: indices have no gradient."""
        x, (V, E), dtype = self._require_cache()
        if d_final_state is not None:
            raise ValueError("Embedding has no state: d_final_state must be None, "
                             f"got {type(d_final_state).__name__}")
        de = as_float_array("d_outputs", d_outputs, shape=x.shape + (E,), dtype=dtype)
        np.add.at(self._grads["W"], x, de)
        self.d_state = None
        return None

    def __repr__(self):
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"
