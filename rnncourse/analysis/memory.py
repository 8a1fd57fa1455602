r"""Memory a layer keeps for its backward pass, measured in bytes.

Taught on the book pages *Training with backpropagation through time*
(``book/bptt``) and *Limitations of RNNs* (``book/limitations``).

To run the backward pass, every step keeps what it needs from the forward pass
(its input, the previous and the new state, for gated cells the gates and the
cell), so the cache grows linearly with the sequence length :math:`T`. For the
Elman RNN in float64 it is :math:`8\,(T N (D + H) + N H)` bytes: :math:`x_t` and
:math:`h_t` for every step, plus :math:`h_0` once. :func:`cache_bytes` measures
it by adding up ``nbytes`` of every array a module holds in its cache after a
forward pass, each array counted once however often it is referenced, and the
parameters (which a cache may refer to) left out.
"""
from __future__ import annotations

import numpy as np

from ..core.module import Module

__all__ = ["array_bytes", "cache_bytes"]


def _arrays_in(obj, found: dict) -> dict:
    """Every ndarray inside nested lists, tuples (named or not) and dicts, by id."""
    if isinstance(obj, np.ndarray):
        found[id(obj)] = obj
    elif isinstance(obj, dict):
        for v in obj.values():
            _arrays_in(v, found)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _arrays_in(v, found)
    return found


def array_bytes(obj, exclude=()) -> int:
    """Bytes of the distinct arrays inside ``obj``, each counted once.

    Parameters
    ----------
    obj : ndarray, or list, tuple or dict nesting them
        E.g. the final state of a layer, ``h`` or ``(h, c)``. Anything else
        inside (numbers, strings, None) counts zero bytes.
    exclude : iterable of ndarray
        Arrays not to count (by identity), e.g. the parameters.

    Returns
    -------
    int

    Book page: ``book/limitations``.
    """
    skip = {id(a) for a in exclude}
    return int(sum(a.nbytes for key, a in _arrays_in(obj, {}).items() if key not in skip))


def cache_bytes(layer: Module) -> int:
    """Bytes of the arrays a module keeps for its backward pass (parameters excluded, no double counting).

    Measured after a forward pass: the arrays in the module's cache and in
    those of its child modules (for a :class:`~rnncourse.core.module.Sequential`,
    a stacked or a bidirectional network), each array counted once.

    Parameters
    ----------
    layer : Module
        A module after its forward pass (before it, the cache is empty: 0 bytes).

    Returns
    -------
    int

    Raises
    ------
    TypeError
        ``layer`` is not an rnncourse Module.

    Book page: ``book/limitations``.
    Book page: ``book/bptt``.
    """
    if not isinstance(layer, Module):
        raise TypeError(f"layer must be an rnncourse Module, got {type(layer).__name__}")
    caches, params, todo = [], [], [layer]
    while todo:
        module = todo.pop()
        caches.append(module._cache)
        params.extend(module._params.values())
        todo.extend(module._children.values())
    return array_bytes(caches, exclude=params)
