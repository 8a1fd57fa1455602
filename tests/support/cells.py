"""The recurrent cells the tests run over, and helpers for states of any structure.

``CELLS`` is the one list: the cell contract (``test_cells_contract.py``), the fast
kernels' tests (``test_fast.py``) and the containers' tests (``test_bidirectional.py``,
``test_stacked.py``, through ``LAYER_CLASSES``) are parametrised over it, so a new
cell gets every one of those tests by being added here. What is specific to one
cell's equations stays in that cell's own test module (``test_rnn.py``, ...).

A state is ``None``, an array (N, H), or nested tuples/lists of them: ``(h, c)`` for
the LSTM, a list per layer for a stack, a pair per direction for a bidirectional layer.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import numpy as np

from rnncourse.cells.gru import GRU
from rnncourse.cells.lstm import LSTM
from rnncourse.cells.rnn import RNN


@dataclass
class Cell:
    """A recurrent cell as the tests build it: a layer class and its cell-specific options."""

    name: str                                     # the pytest id
    cls: type                                     # a rnncourse.cells.base.RecurrentLayer subclass
    options: dict = field(default_factory=dict)   # passed to the constructor, e.g. the nonlinearity
    kink: bool = False                            # a non-smooth activation (relu): see ``order``
    gates: dict = field(default_factory=dict)     # gate name -> open range of its values, in block order

    def make(self, input_size, hidden_size, *, rng, **kwargs):
        """The layer, with ``rng``, ``dtype``, ``fast``... passed on."""
        return self.cls(input_size, hidden_size, rng=rng, **self.options, **kwargs)

    @property
    def order(self) -> int:
        """Stencil for the numerical gradients: 2 where a kink could fall between the wider four points."""
        return 2 if self.kink else 4

    def __str__(self):
        return self.name


CELLS = [
    Cell("rnn-tanh", RNN, {"nonlinearity": "tanh"}),
    Cell("rnn-relu", RNN, {"nonlinearity": "relu"}, kink=True),
    Cell("lstm", LSTM, gates={"input": (0, 1), "forget": (0, 1), "cell": (-1, 1), "output": (0, 1)}),
    Cell("gru", GRU, gates={"reset": (0, 1), "update": (0, 1), "new": (-1, 1)}),
]

#: Each layer class once, for tests of the containers (whose ids are the class names).
LAYER_CLASSES = {cls.__name__: cls for cls in dict.fromkeys(cell.cls for cell in CELLS)}


def flat(state) -> list:
    """The arrays of a state, in order."""
    if state is None:
        return []
    return [state] if isinstance(state, np.ndarray) else [a for s in state for a in flat(s)]


def random_like(struct, rng, scale=0.5):
    """A random state with the structure of ``struct`` (None, an array, or nested tuples/lists)."""
    if struct is None:
        return None
    if isinstance(struct, np.ndarray):
        return (scale * rng.standard_normal(struct.shape)).astype(struct.dtype)
    return type(struct)(random_like(s, rng, scale) for s in struct)


def pack(layer, arrays):
    """One array per state of ``layer``, as the layer takes them: the array itself, or a tuple."""
    arrays = tuple(arrays)
    assert len(arrays) == len(layer.state_names)
    return arrays[0] if len(arrays) == 1 else arrays


def kernel_inputs(cell, rng, N, T, D, H, *, scale=0.5, dtype=np.float64) -> dict:
    """Keyword arguments for the cell's sequence functions, teaching or fast (they share names).

    ``x`` (N, T, D) and the initial states (N, H) standard normal, every parameter
    ``scale`` times standard normal (drawn from ``rng`` in that order), then the layer's
    options (e.g. the nonlinearity).
    """
    layer = cell.make(D, H, rng=np.random.default_rng(0))      # for the names and shapes only
    forward = layer.kernels[False][0]
    arrays = ([rng.standard_normal((N, T, D))] + [rng.standard_normal((N, H)) for _ in layer.state_names]
              + [scale * rng.standard_normal(layer.params[k].shape) for k in layer.param_names])
    values = [a.astype(dtype) for a in arrays] + list(layer.kernel_args())
    return dict(zip(inspect.signature(forward).parameters, values))
