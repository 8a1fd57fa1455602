r"""Additive attention (Bahdanau et al. 2015) and an encoder-decoder that uses it.

Taught on the book page *Machine translation* (``book/applications/translation``).

The plain encoder-decoder (:mod:`rnncourse.models.seq2seq`) squeezes the whole source
into the encoder's final state. With attention the decoder looks back at *every*
encoder state at every step. Before step :math:`t` it scores each source position
:math:`s` against its previous state :math:`h_{t-1}`,

.. math::

    e_{t,s} = v^\top \tanh(W_q h_{t-1} + W_k k_s + b_a), \qquad
    \alpha_{t,s} = \frac{\exp e_{t,s}}{\sum_{s'} \exp e_{t,s'}}, \qquad
    c_t = \sum_s \alpha_{t,s} k_s,

where :math:`k_s` is the encoder's state at position :math:`s` (padding positions
get :math:`\alpha = 0`). The context :math:`c_t` joins the embedded previous token
as the GRU's input, :math:`h_t = \mathrm{GRU}([y_{t-1}; c_t], h_{t-1})`, and the
output layer reads :math:`[h_t; c_t]`. The weights :math:`\alpha_{t,\cdot}` are the
*alignment* the book draws as a heatmap.

Because :math:`c_t` depends on :math:`h_{t-1}`, the decoder runs one step at a time
with :func:`~rnncourse.cells.gru.gru_step_forward`; its backward walks the steps in
reverse, adding the gradient that reaches :math:`h_{t-1}` through the attention
query to the one through the recurrence.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..cells.gru import gru_step_backward, gru_step_forward
from ..core.activations import softmax
from ..core.checks import as_float_array, as_int_array, check_cache, check_int, check_positive_int, check_same_dtype
from ..core.module import Module
from ..layers.embedding import Embedding
from ..layers.output import Output
from .seq2seq import Decoding


class AttentionCache(NamedTuple):
    """What :func:`additive_attention_forward` keeps for its backward."""

    query: np.ndarray      #: (N, H_q)
    keys: np.ndarray       #: (N, S, H_k)
    a: np.ndarray          #: (N, S, A), the tanh activations
    alpha: np.ndarray      #: (N, S), the attention weights
    W_q: np.ndarray
    v: np.ndarray


def additive_attention_forward(query, keys, keys_proj, W_q, v, mask=None):
    r"""One step of additive attention: scores, weights and the context vector.

    Parameters
    ----------
    query : ndarray, shape (N, H_q)
        :math:`h_{t-1}`, the decoder's previous state.
    keys : ndarray, shape (N, S, H_k)
        :math:`k_s`, the encoder's states.
    keys_proj : ndarray, shape (N, S, A)
        :math:`W_k k_s + b_a`, computed once per source sequence.
    W_q : ndarray, shape (A, H_q)
    v : ndarray, shape (A,)
    mask : ndarray of bool, shape (N, S), optional
        True at real source positions; every row needs at least one. Padding gets weight 0.

    Returns
    -------
    context : ndarray, shape (N, H_k)
        :math:`c_t = \sum_s \alpha_{t,s} k_s`.
    alpha : ndarray, shape (N, S)
        The attention weights; each row sums to 1.
    cache : AttentionCache

    Book page: ``book/applications/translation``.
    """
    query = as_float_array("query", query, ndim=2)
    keys = as_float_array("keys", keys, ndim=3, shape=(query.shape[0], None, None))
    N, S, _ = keys.shape
    W_q = as_float_array("W_q", W_q, ndim=2, shape=(None, query.shape[1]))
    A = W_q.shape[0]
    keys_proj = as_float_array("keys_proj", keys_proj, shape=(N, S, A))
    v = as_float_array("v", v, shape=(A,))
    check_same_dtype(query=query, keys=keys, keys_proj=keys_proj, W_q=W_q, v=v)
    a = np.tanh(keys_proj + (query @ W_q.T)[:, None, :])          # (N, S, A)
    scores = a @ v                                                # (N, S)
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != (N, S):
            raise ValueError(f"mask must be a bool array of shape {(N, S)}, got {mask.dtype} {mask.shape}")
        if not mask.any(axis=1).all():
            raise ValueError("mask must keep at least one source position in every row")
        scores = np.where(mask, scores, -np.inf)
    alpha = softmax(scores, axis=1) if mask is None else _masked_softmax(scores)
    context = np.einsum("ns,nsh->nh", alpha, keys)
    return context, alpha, AttentionCache(query.copy(), keys.copy(), a, alpha, W_q, v)


def _masked_softmax(scores):
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)                                                 # exp(-inf) = 0 at padding
    return e / e.sum(axis=1, keepdims=True)


def additive_attention_backward(dcontext, cache):
    r"""Backward of :func:`additive_attention_forward`.

    Parameters
    ----------
    dcontext : ndarray, shape (N, H_k)
        Gradient with respect to the context :math:`c_t`.
    cache : AttentionCache

    Returns
    -------
    dquery : ndarray, shape (N, H_q)
    dkeys : ndarray, shape (N, S, H_k)
        Through the weighted sum only (the path through ``keys_proj`` is ``dkeys_proj``).
    dkeys_proj : ndarray, shape (N, S, A)
    dW_q : ndarray, shape (A, H_q)
    dv : ndarray, shape (A,)

    Book page: ``book/applications/translation``.
    """
    query, keys, a, alpha, W_q, v = check_cache(cache, AttentionCache, "additive_attention_forward")
    dcontext = as_float_array("dcontext", dcontext, shape=(keys.shape[0], keys.shape[2]), dtype=keys.dtype)
    dkeys = alpha[:, :, None] * dcontext[:, None, :]              # c = sum_s alpha_s k_s
    dalpha = np.einsum("nh,nsh->ns", dcontext, keys)
    dscores = alpha * (dalpha - (alpha * dalpha).sum(axis=1, keepdims=True))   # softmax backward
    dv = np.einsum("ns,nsa->a", dscores, a)
    du = dscores[:, :, None] * v * (1.0 - a * a)                  # through tanh: (N, S, A)
    du_q = du.sum(axis=1)                                         # the query term is the same for every s
    return du_q @ W_q, dkeys, du, du_q.T @ query, dv


class _Step(NamedTuple):
    attention: AttentionCache
    gru: tuple


class AttentionSeq2Seq(Decoding, Module):
    r"""Encoder-decoder with additive attention; a GRU decoder run step by step.

    Parameters
    ----------
    src_embedding : Embedding
        Source ids (N, S) -> (N, S, E_src).
    encoder : Module
        A recurrent layer over the embedded source whose outputs (N, S, H) are the keys and
        whose final state (N, H) starts the decoder: a GRU or an RNN of hidden size H.
    tgt_embedding : Embedding
        Target ids (N, T) -> (N, T, E_tgt).
    attention_size : int
        A, the size of the scoring layer.
    output_size : int
        V_tgt, the number of target tokens.
    rng : numpy.random.Generator
    src_pad_id : int, optional
        Source positions holding this id get no attention.

    Notes
    -----
    ``forward((src_ids, tgt_in_ids))`` returns ``(logits (N, T, V_tgt), decoder final state)``;
    ``backward(dlogits)`` returns ``None``. Parameters: the children's, and the decoder's
    ``W_xh`` (3H, E_tgt + H), ``W_hh`` (3H, H), ``b_xh``, ``b_hh`` (3H,), the attention's
    ``W_q`` (A, H), ``W_k`` (A, H), ``b_a`` (A,), ``v`` (A,); the output layer reads
    :math:`[h_t; c_t]` (2H). After ``forward``, the attribute ``alignment`` holds the weights
    :math:`\alpha` (N, T, S).

    Book page: ``book/applications/translation``.
    """

    def __init__(self, src_embedding, encoder, tgt_embedding, attention_size, output_size, *, rng,
                 src_pad_id=None):
        super().__init__()
        for name, m in (("src_embedding", src_embedding), ("tgt_embedding", tgt_embedding)):
            if not isinstance(m, Embedding):
                raise TypeError(f"{name} must be an rnncourse Embedding, got {type(m).__name__}")
        H = check_positive_int("encoder.hidden_size", getattr(encoder, "hidden_size", None))
        if getattr(encoder, "input_size", None) != src_embedding.embedding_dim:
            raise ValueError(f"encoder reads {getattr(encoder, 'input_size', None)} features per step but "
                             f"src_embedding gives {src_embedding.embedding_dim}")
        self.src_embedding = self.add_child("src_embedding", src_embedding)
        self.encoder = self.add_child("encoder", encoder)
        self.tgt_embedding = self.add_child("tgt_embedding", tgt_embedding)
        A = check_positive_int("attention_size", attention_size)
        V = check_positive_int("output_size", output_size)
        self.src_pad_id = None if src_pad_id is None else check_int("src_pad_id", src_pad_id, low=0)
        self.hidden_size, self.dtype = H, encoder.dtype
        E = tgt_embedding.embedding_dim
        k = 1.0 / np.sqrt(H)
        for name, shape in (("W_xh", (3 * H, E + H)), ("W_hh", (3 * H, H)), ("b_xh", (3 * H,)),
                            ("b_hh", (3 * H,)), ("W_q", (A, H)), ("W_k", (A, H)), ("b_a", (A,)), ("v", (A,))):
            self.add_param(name, rng.uniform(-k, k, shape).astype(self.dtype))
        self.output = self.add_child("output", Output(2 * H, V, rng=rng, dtype=self.dtype))
        self.alignment = None

    # -- the pieces the training pass and the decoders share ----------------
    def _encode(self, src_ids):
        src_ids = as_int_array("src_ids", src_ids, ndim=2)
        e, _ = self.src_embedding.forward(src_ids)
        keys, h0 = self.encoder.forward(e)
        p = self._params
        keys_proj = keys @ p["W_k"].T + p["b_a"]
        mask = None if self.src_pad_id is None else src_ids != self.src_pad_id
        return keys, keys_proj, mask, h0

    def _step(self, emb_t, h_prev, keys, keys_proj, mask):
        p = self._params
        context, alpha, att_cache = additive_attention_forward(h_prev, keys, keys_proj, p["W_q"], p["v"], mask)
        h, gru_cache = gru_step_forward(np.concatenate([emb_t, context], axis=1), h_prev,
                                        p["W_xh"], p["W_hh"], p["b_xh"], p["b_hh"])
        return h, context, alpha, _Step(att_cache, gru_cache)

    # -- the module protocol ---------------------------------------------
    def forward(self, x, state=None):
        if not isinstance(x, (tuple, list)) or len(x) != 2:
            raise TypeError("x must be a pair (src_ids (N, S), tgt_in_ids (N, T)) of integer arrays")
        if state is not None:
            raise ValueError("state must be None: the decoder starts from the encoder's final state")
        keys, keys_proj, mask, h = self._encode(x[0])
        tgt_in = as_int_array("tgt_in_ids", x[1], ndim=2, shape=(keys.shape[0], None))
        emb, _ = self.tgt_embedding.forward(tgt_in)
        outs, alphas, steps = [], [], []
        for t in range(emb.shape[1]):
            h, context, alpha, step = self._step(emb[:, t], h, keys, keys_proj, mask)
            outs.append(np.concatenate([h, context], axis=1))
            alphas.append(alpha)
            steps.append(step)
        logits, _ = self.output.forward(np.stack(outs, axis=1))
        self.alignment = np.stack(alphas, axis=1)
        self._cache = (steps, keys.shape)
        return logits, h.copy()

    def backward(self, d_outputs, d_final_state=None):
        steps, keys_shape = self._require_cache()
        p, g = self._params, self._grads
        d_out = self.output.backward(d_outputs)                      # (N, T, 2H)
        H, E = self.hidden_size, self.tgt_embedding.embedding_dim
        N, T = d_out.shape[:2]
        dh = np.zeros((N, H), self.dtype) if d_final_state is None else \
            as_float_array("d_final_state", d_final_state, shape=(N, H), dtype=self.dtype).copy()
        d_keys = np.zeros(keys_shape, self.dtype)
        d_keys_proj = np.zeros(keys_shape[:2] + (p["W_k"].shape[0],), self.dtype)
        d_emb = np.empty((N, T, E), self.dtype)
        for t in reversed(range(T)):
            dh += d_out[:, t, :H]
            dz, dh_prev, dW_xh, dW_hh, db_xh, db_hh = gru_step_backward(dh, steps[t].gru)
            for name, grad in (("W_xh", dW_xh), ("W_hh", dW_hh), ("b_xh", db_xh), ("b_hh", db_hh)):
                g[name] += grad
            d_emb[:, t] = dz[:, :E]
            dcontext = d_out[:, t, H:] + dz[:, E:]
            dq, dk, dkp, dW_q, dv = additive_attention_backward(dcontext, steps[t].attention)
            g["W_q"] += dW_q
            g["v"] += dv
            d_keys += dk
            d_keys_proj += dkp
            dh = dh_prev + dq                                        # through the recurrence and the query
        self.tgt_embedding.backward(d_emb)
        g["W_k"] += np.einsum("nsa,nsh->ah", d_keys_proj, self.encoder_keys)
        g["b_a"] += d_keys_proj.sum(axis=(0, 1))
        d_keys += d_keys_proj @ p["W_k"]
        de = self.encoder.backward(d_keys, dh)                       # the decoder started from h_S
        self.src_embedding.backward(de)
        self.d_state = None
        return None

    @property
    def encoder_keys(self):
        """The encoder's states (N, S, H) of the last forward (the keys the attention scored)."""
        steps, _ = self._require_cache()
        return steps[0].attention.keys

    # -- decoding ------------------------------------------------------------
    def _decoder(self, src_ids):
        keys, keys_proj, mask, h0 = self._encode(src_ids)

        def step(prev_ids, state, rows):
            h_prev, _ = state
            emb, _ = self.tgt_embedding.forward(prev_ids[:, None])
            h, context, alpha, _ = self._step(emb[:, 0], h_prev, keys[rows], keys_proj[rows],
                                              None if mask is None else mask[rows])
            logits, _ = self.output.forward(np.concatenate([h, context], axis=1)[:, None])
            return logits[:, 0], (h, alpha)

        return step, (h0, None)
