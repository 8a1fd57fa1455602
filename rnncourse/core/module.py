r"""The module protocol shared by every layer of ``rnncourse``, and a container.

Taught on the book page *Your first RNN* (``book/first_rnn``).

Every layer is a :class:`Module`:

* ``params`` and ``grads``: dicts of named arrays with the same keys and shapes.
  Parameters are updated *in place* by the optimizers; gradients *accumulate*
  across ``backward`` calls until :meth:`Module.zero_grad` (as in PyTorch), which
  is what truncated BPTT over several chunks needs.
* ``forward(x, state=None) -> (outputs, final_state)`` with ``x`` batch-first,
  ``(N, T, D)`` for sequence layers. Layers without a state return ``None``.
* ``backward(d_outputs, d_final_state=None) -> dx``: fills ``grads`` and stores
  the gradient with respect to the initial state in ``d_state``.

:class:`Module` keeps the input contract of :mod:`rnncourse.core.checks` for every
subclass, so that no layer repeats it: each ``forward`` a subclass defines is wrapped to
record the shape and dtype of its outputs, and each ``backward`` to check ``d_outputs``
against them (the error names ``d_outputs``), to refuse a call before ``forward`` or a
second one for the same ``forward``, and to hand the subclass the checked array.
:meth:`Module.add_child` refuses a module object that is already part of this one.

Containers (:class:`Sequential` here, the models of :mod:`rnncourse.models`)
expose their children's parameters under dotted names such as ``"0.W_xh"``; the
arrays are the children's own, so in-place updates reach them.
"""
from __future__ import annotations

import functools
import numbers

import numpy as np

from .checks import as_float_array


class Module:
    """Base class: named parameters, accumulated gradients, train/eval mode.

    Subclasses register arrays with :meth:`add_param` and child modules with
    :meth:`add_child`, and implement :meth:`forward` and :meth:`backward`.

    Book page: ``book/first_rnn``.
    """

    def __init__(self):
        self._params: dict[str, np.ndarray] = {}
        self._grads: dict[str, np.ndarray] = {}
        self._children: dict[str, Module] = {}
        self.training = True
        self.d_state = None
        self._cache = None
        self._outputs_like = None       # (shape, dtype) of the last forward's outputs
        self._cache_used = False        # True once backward has used the last forward's cache
        self._in_backward = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "forward" in cls.__dict__:
            cls.forward = _recording_forward(cls.__dict__["forward"])
        if "backward" in cls.__dict__:
            cls.backward = _checked_backward(cls.__dict__["backward"])

    # -- parameters -----------------------------------------------------
    def add_param(self, name: str, value: np.ndarray) -> np.ndarray:
        """Register a parameter array and a zero gradient of the same shape."""
        self._params[name] = value
        self._grads[name] = np.zeros_like(value)
        return value

    def add_child(self, name: str, module: "Module") -> "Module":
        """Register a sub-module whose parameters appear as ``"name.param"``.

        A module object that is already part of this one (or this module itself) is refused:
        it keeps the cache of one forward, so a second place would overwrite it.
        """
        if not isinstance(module, Module):
            raise TypeError(f"child {name!r} must be an rnncourse Module, got {type(module).__name__}")
        if module is self:
            raise ValueError(f"child {name!r} is the {type(self).__name__} itself")
        for other, existing in self._descendants():
            if existing is module or any(existing is m for _, m in module._descendants()):
                raise ValueError(f"child {name!r} is (or contains) the same object as {other!r}; a module keeps "
                                 "the cache of its last forward, so each position needs its own instance")
        self._children[name] = module
        return module

    def _descendants(self):
        """``(dotted name, module)`` of every module below this one."""
        for cname, child in self._children.items():
            yield cname, child
            for sub, m in child._descendants():
                yield f"{cname}.{sub}", m

    def _collect(self, attr: str) -> dict[str, np.ndarray]:
        out = dict(getattr(self, attr))
        for cname, child in self._children.items():
            for k, v in child._collect(attr).items():
                out[f"{cname}.{k}"] = v
        return out

    @property
    def params(self) -> dict[str, np.ndarray]:
        """All parameters, own and children's (dotted names), as the live arrays."""
        return self._collect("_params")

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """All gradients, with the same keys as :attr:`params`."""
        return self._collect("_grads")

    def num_parameters(self) -> int:
        """Total number of scalar parameters."""
        return int(sum(p.size for p in self.params.values()))

    def zero_grad(self) -> None:
        """Set every gradient to zero (gradients accumulate across ``backward`` calls)."""
        for g in self.grads.values():
            g.fill(0.0)

    def load_params(self, values: dict) -> None:
        """Copy arrays into the parameters, checking names, shapes and dtypes.

        Parameters
        ----------
        values : dict of str -> array_like
            A subset of :attr:`params`'s keys; each value must have the
            parameter's shape and be floating-point.
        """
        params = self.params
        for name, value in values.items():
            if name not in params:
                raise KeyError(f"unknown parameter {name!r}; this module has {sorted(params)}")
            arr = as_float_array(name, value, shape=params[name].shape)
            params[name][...] = arr

    # -- modes ----------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Switch to training mode (dropout active); returns ``self``."""
        self.training = bool(mode)
        for child in self._children.values():
            child.train(mode)
        return self

    def eval(self) -> "Module":
        """Switch to evaluation mode; returns ``self``."""
        return self.train(False)

    # -- protocol -------------------------------------------------------
    def forward(self, x, state=None):
        """Return ``(outputs, final_state)``; subclasses implement it."""
        raise NotImplementedError

    def backward(self, d_outputs, d_final_state=None):
        """Return ``dx`` and accumulate into :attr:`~rnncourse.core.module.Module.grads`; subclasses implement it."""
        raise NotImplementedError

    def __call__(self, x, state=None):
        return self.forward(x, state)

    def _require_cache(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward; "
                               "run forward on a batch first")
        return self._cache


def _recording_forward(forward):
    """Wrap a subclass's ``forward``: remember its outputs' shape and dtype, mark the cache as new."""
    @functools.wraps(forward)
    def wrapped(self, x, state=None):
        outputs, final_state = forward(self, x, state)
        self._outputs_like = (outputs.shape, outputs.dtype) if isinstance(outputs, np.ndarray) else None
        self._cache_used = False
        return outputs, final_state
    return wrapped


def _checked_backward(backward):
    """Wrap a subclass's ``backward``: the order of calls and ``d_outputs`` checked once, for every layer."""
    @functools.wraps(backward)
    def wrapped(self, d_outputs, d_final_state=None):
        if self._in_backward:                       # a subclass calling super().backward
            return backward(self, d_outputs, d_final_state)
        self._require_cache()
        if self._cache_used:
            raise RuntimeError(f"{type(self).__name__}.backward was already called for the last forward; "
                               "run forward again (gradients accumulate over forward/backward pairs "
                               "until zero_grad)")
        if self._outputs_like is not None:
            shape, dtype = self._outputs_like
            d_outputs = as_float_array("d_outputs", d_outputs, shape=shape, dtype=dtype)
        self._in_backward = True
        try:
            dx = backward(self, d_outputs, d_final_state)
        finally:
            self._in_backward = False
        self._cache_used = True
        return dx
    return wrapped

    def __repr__(self):
        return f"{type(self).__name__}({self.num_parameters()} parameters)"


class Sequential(Module):
    """Layers applied one after the other, e.g. ``Sequential(RNN(...), Output(...))``.

    ``forward(x, state)`` takes ``state`` as a list with one entry per layer
    (``None`` for a fresh start or a stateless layer) and returns the list of
    final states. ``backward`` runs the layers in reverse; ``d_state`` becomes
    the list of the layers' ``d_state``.

    Book page: ``book/first_rnn``.
    """

    def __init__(self, *layers: Module):
        super().__init__()
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            self.add_child(str(i), layer)
        self.layers = list(layers)

    def forward(self, x, state=None):
        if state is None:
            state = [None] * len(self.layers)
        if not isinstance(state, (list, tuple)) or len(state) != len(self.layers):
            raise ValueError(f"state must be None or a list of {len(self.layers)} per-layer states "
                             f"(one per layer), got {type(state).__name__}"
                             + (f" of length {len(state)}" if isinstance(state, (list, tuple)) else ""))
        finals = []
        out = x
        for layer, s in zip(self.layers, state):
            out, final = layer.forward(out, s)
            finals.append(final)
        self._cache = True
        return out, finals

    def backward(self, d_outputs, d_final_state=None):
        self._require_cache()
        if d_final_state is None:
            d_final_state = [None] * len(self.layers)
        if len(d_final_state) != len(self.layers):
            raise ValueError(f"d_final_state must be a list of {len(self.layers)} entries, "
                             f"got {len(d_final_state)}")
        d = d_outputs
        for layer, dfs in zip(reversed(self.layers), reversed(list(d_final_state))):
            d = layer.backward(d, dfs)
        self.d_state = [layer.d_state for layer in self.layers]
        return d


# ---------------------------------------------------------------------------
# sizes of a layer, as far as its attributes tell them
# ---------------------------------------------------------------------------
def _size_attr(layer, *names):
    for name in names:
        v = getattr(layer, name, None)
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            return int(v)
    return None


def layer_input_size(layer):
    """The size of the vectors ``layer`` reads, or ``None`` when its attributes do not say.

    Read from ``input_size`` (recurrent layers, containers) or ``in_features`` (:class:`~rnncourse.layers.dense.Dense`).

    Book page: ``book/variants/deep_rnn``.
    """
    return _size_attr(layer, "input_size", "in_features")


def layer_output_size(layer):
    """The size of the vectors ``layer`` outputs at each step, or ``None`` when unknown.

    Read from ``output_size`` or ``out_features``; for a recurrent layer that
    has ``input_size`` and ``hidden_size`` (RNN, LSTM, GRU) it is ``hidden_size``.

    Book page: ``book/variants/deep_rnn``.
    """
    size = _size_attr(layer, "output_size", "out_features")
    if size is None and layer_input_size(layer) is not None:
        size = _size_attr(layer, "hidden_size")
    return size


def check_distinct(named_layers):
    """Refuse the same module object twice: a module keeps one cache, the second forward would overwrite it."""
    seen = {}
    for name, layer in named_layers:
        if id(layer) in seen:
            raise ValueError(f"{name} is the same object as {seen[id(layer)]}; a module keeps the cache of "
                             "its last forward, so each position needs its own instance")
        seen[id(layer)] = name
