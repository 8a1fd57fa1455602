r"""Inverted dropout: randomly silence units while training, do nothing at test time.

Taught on the book page *Deep RNNs* (``book/variants/deep_rnn``), where it is
placed between stacked recurrent layers.

In training mode every entry of the input is kept with probability
:math:`1 - p` and set to zero otherwise; the kept entries are divided by
:math:`1 - p`, so that the expected output equals the input:

.. math::

    m_i \sim \operatorname{Bernoulli}(1 - p), \qquad
    y = \frac{m \odot x}{1 - p}, \qquad
    \mathbb{E}[y] = x.

Because of that rescaling ("inverted" dropout) nothing has to change at test
time: in evaluation mode the layer is the identity. Backward multiplies by the
same mask, :math:`\partial L/\partial x = (m / (1-p)) \odot \partial L/\partial y`.

A layer that draws a fresh mask at every call is not a fixed function, so a
finite-difference gradient check of it in training mode would compare slopes
of different functions. :meth:`Dropout.freeze` keeps the last mask (see
:attr:`Dropout.fixed_mask`) so that such a check is meaningful.
"""
from __future__ import annotations

import numbers

from ..core.checks import as_float_array, check_rng
from ..core.module import Module


def check_probability(name: str, p) -> float:
    """Return ``p`` as a float if it is a number in [0, 1), else raise naming ``name``.

    ``p = 1`` is refused: it would drop everything and divide by zero.

    Book page: ``book/variants/deep_rnn``.
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {p!r} ({type(p).__name__})")
    v = float(p)
    if not (0.0 <= v < 1.0):
        raise ValueError(f"{name} must be in [0, 1) (the probability of zeroing a unit), got {p}")
    return v


def _no_state(name, value, layer):
    if value is not None:
        raise ValueError(f"{layer} has no state: {name} must be None, got {type(value).__name__}")


class Dropout(Module):
    r"""Inverted dropout with drop probability ``p``; the identity in evaluation mode.

    .. math:: y = m \odot x / (1 - p), \quad m_i \sim \operatorname{Bernoulli}(1 - p)

    Parameters
    ----------
    p : float in [0, 1)
        Probability of zeroing each entry. ``p = 0`` makes the layer the
        identity in both modes (and draws nothing from ``rng``).
    rng : numpy.random.Generator
        Draws the masks; the only source of randomness, so a seed fixes them.

    Attributes
    ----------
    mask : ndarray or None
        The scaled mask used by the last training-mode forward (entries 0 or
        :math:`1/(1-p)`, the input's shape and dtype); ``None`` after an
        evaluation-mode forward.
    fixed_mask : ndarray or None
        When set, training-mode forwards use this scaled mask instead of
        drawing a new one (its shape must be the input's). Set it with
        :meth:`freeze` (or assign an array of 0 and :math:`1/(1-p)` directly);
        :meth:`unfreeze` sets it back to ``None``. This exists for gradient
        checks in training mode and for demonstrations; training should leave
        it ``None``.

    Notes
    -----
    ``forward(x, state=None)`` takes ``x`` of any shape, e.g. (N, T, H), and
    returns ``(y, None)`` with ``y`` of the same shape; ``backward`` returns
    ``dx`` of that shape and sets ``d_state = None``. The mode (train or eval)
    in effect at ``forward`` is the one ``backward`` differentiates.

    Examples
    --------
    >>> import numpy as np
    >>> drop = Dropout(0.5, rng=np.random.default_rng(0))
    >>> y, _ = drop.forward(np.ones((2, 4)))     # entries are 0 or 2
    >>> _ = drop.freeze()                        # later train-mode calls reuse this mask
    >>> bool(np.array_equal(drop.forward(np.ones((2, 4)))[0], y))
    True

    Book page: ``book/variants/deep_rnn``.
    """

    def __init__(self, p, *, rng):
        super().__init__()
        self.p = check_probability("p", p)
        self.rng = check_rng("rng", rng)
        self.mask = None
        self.fixed_mask = None

    def freeze(self, mask=None) -> "Dropout":
        """Reuse one mask in every later training-mode forward; returns ``self``.

        Parameters
        ----------
        mask : ndarray, optional
            The scaled mask to use (entries 0 or :math:`1/(1-p)`). Without it,
            the mask of the last training-mode forward is frozen.
        """
        if mask is None:
            if self.mask is None:
                raise RuntimeError("Dropout.freeze() without a mask needs a training-mode forward first "
                                   "(no mask has been drawn yet)")
            mask = self.mask
        self.fixed_mask = as_float_array("mask", mask).copy()
        return self

    def unfreeze(self) -> "Dropout":
        """Go back to drawing a fresh mask at every training-mode forward; returns ``self``."""
        self.fixed_mask = None
        return self

    def forward(self, x, state=None):
        """``x`` (any shape) -> ``(y, None)``; a new mask in training mode unless frozen."""
        _no_state("state", state, "Dropout")
        x = as_float_array("x", x)
        if not self.training or self.p == 0.0:
            self.mask = None
            self._cache = ("identity", x.shape)
            return x.copy(), None
        if self.fixed_mask is not None:
            if self.fixed_mask.shape != x.shape:
                raise ValueError(f"fixed_mask has shape {self.fixed_mask.shape} but x has shape {x.shape}; "
                                 "call unfreeze(), or freeze() after a forward on a batch of this shape")
            mask = self.fixed_mask.astype(x.dtype, copy=False)
        else:
            keep = self.rng.random(x.shape) >= self.p
            mask = keep.astype(x.dtype) / x.dtype.type(1.0 - self.p)
        self.mask = mask
        self._cache = ("mask", mask)
        return x * mask, None

    def backward(self, d_outputs, d_final_state=None):
        """Return ``dx = mask * d_outputs`` (``d_outputs`` itself, copied, in eval mode)."""
        cache = self._require_cache()
        _no_state("d_final_state", d_final_state, "Dropout")
        self.d_state = None
        kind, value = cache
        if kind == "identity":
            return as_float_array("d_outputs", d_outputs, shape=value).copy()
        d = as_float_array("d_outputs", d_outputs, shape=value.shape)
        return d * value

    def __repr__(self):
        return f"Dropout(p={self.p})"
