r"""The attention weights of an encoder-decoder as a heatmap.

Taught on the book page *Machine translation* (``book/applications/translation``).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .plots import SEQUENTIAL_CMAP, _as_real_array, _check_title, _finish

__all__ = ["plot_alignment"]


def _check_tokens(name, tokens, n):
    if not isinstance(tokens, (list, tuple)) or not all(isinstance(t, str) for t in tokens):
        raise TypeError(f"{name} must be a list of str, got {tokens!r}")
    if len(tokens) != n:
        raise ValueError(f"{name} has {len(tokens)} tokens but the weights have {n} along that axis")
    return list(tokens)


def plot_alignment(alpha, source_tokens, output_tokens, *, title=None):
    r"""Attention weights :math:`\alpha_{t,s}`: output step :math:`t` down, source position :math:`s` across.

    Parameters
    ----------
    alpha : array_like, shape (T, S)
        One sequence's weights (rows sum to 1), e.g. ``model.alignment[n]`` of
        :class:`~rnncourse.models.attention.AttentionSeq2Seq`.
    source_tokens : list of str, length S
        The source words (``"<pad>"`` where padded).
    output_tokens : list of str, length T
        The token produced at each step.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes whose image is ``alpha`` (``images[0].get_array()``), with a colour bar from 0 to 1.

    Book page: ``book/applications/translation``.
    """
    alpha = _as_real_array("alpha", alpha, 2, hint="; pass one sequence's weights (T, S)")
    if alpha.min() < 0.0 or alpha.max() > 1.0 + 1e-9:
        raise ValueError(f"alpha has values in [{alpha.min():.3g}, {alpha.max():.3g}]; attention weights lie in [0, 1]")
    T, S = alpha.shape
    source_tokens = _check_tokens("source_tokens", source_tokens, S)
    output_tokens = _check_tokens("output_tokens", output_tokens, T)
    _check_title(title)
    fig, ax = plt.subplots(figsize=(1.0 + 0.75 * S, 1.2 + 0.45 * T), layout="constrained")
    im = ax.imshow(alpha, cmap=SEQUENTIAL_CMAP, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    ax.set_xticks(np.arange(S), source_tokens, rotation=45, ha="right")
    ax.set_yticks(np.arange(T), output_tokens)
    ax.set_xlabel("source word $s$")
    ax.set_ylabel("output step $t$")
    fig.colorbar(im, ax=ax, label=r"weight $\alpha_{t,s}$")
    ax.set_title(title if title is not None else "Where the decoder looks")
    return _finish(fig)
