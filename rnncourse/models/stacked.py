r"""Deep (stacked) RNNs: the output sequence of one recurrent layer is the input of the next.

Taught on the book page *Deep RNNs* (``book/variants/deep_rnn``).

With :math:`L` layers and :math:`h^{(0)}_t = x_t`,

.. math::

    h^{(l)}_t = \operatorname{cell}^{(l)}\big(\tilde h^{(l-1)}_t,\; h^{(l)}_{t-1}\big),
    \qquad l = 1, \dots, L,

where :math:`\tilde h^{(l-1)} = h^{(l-1)}` for the first layer's input and, between
layers, :math:`\tilde h^{(l-1)} = \operatorname{dropout}_p(h^{(l-1)})` (inverted
dropout, only in training mode, never after the last layer; this is PyTorch's
``dropout`` argument of ``nn.RNN``/``nn.LSTM``). The outputs of the stack are
:math:`h^{(L)}_1, \dots, h^{(L)}_T`.

Each layer keeps its own state, so the state of the stack is the list of the
layers' states. Lower layers see the raw input; higher layers work on features
the layers below extracted, which is why depth helps on hard sequence tasks
(at the price of a longer path for the gradient: through time *and* through
the layers).

Backward runs the layers from the top down: the gradient of layer
:math:`l`'s input is the gradient of layer :math:`l-1`'s outputs, multiplied by
the dropout mask that was used in between.
"""
from __future__ import annotations

from ..core.checks import check_positive_int, check_rng
from .bidirectional import Bidirectional
from ..layers.dropout import Dropout, check_probability
from ..core.module import Module, check_distinct, layer_input_size, layer_output_size


# ---------------------------------------------------------------------------
# the container
# ---------------------------------------------------------------------------
class Stacked(Module):
    r"""A deep RNN: recurrent layers applied one on top of the other, with dropout in between.

    .. math::

        h^{(l)}_t = \operatorname{cell}^{(l)}\big(\operatorname{dropout}_p(h^{(l-1)}_t),\;
        h^{(l)}_{t-1}\big), \qquad h^{(0)}_t = x_t \ \text{(no dropout on the input)}.

    Parameters
    ----------
    layers : list of Module
        Recurrent modules following the protocol (``RNN``, ``LSTM``, ``GRU``,
        ``Bidirectional``, ...), any state structure. Layer :math:`l+1` must
        read vectors of the size layer :math:`l` outputs; this is checked from
        the layers' ``input_size``/``hidden_size``/``output_size`` attributes
        where they exist.
    dropout : float in [0, 1)
        Probability of inverted dropout on the outputs of every layer except
        the last, active only in training mode.
    rng : numpy.random.Generator, optional
        Draws the dropout masks; required when ``dropout > 0``.

    Attributes
    ----------
    layers : list of Module
    dropouts : list of Dropout
        The ``L - 1`` dropout modules between the layers (empty when
        ``dropout == 0``). To check gradients in training mode, call
        :meth:`freeze_dropout` after one training-mode forward.
    input_size, output_size : int or None
        The first layer's input size and the last layer's output size.
    params : dict
        The layers' parameters as ``"0.W_xh"``, ``"1.W_xh"``, ...

    Notes
    -----
    ``forward(x, state=None)``: ``x`` (N, T, D); ``state`` is ``None`` or a list
    with one entry per layer (each ``None`` or that layer's state). Returns
    ``outputs`` (N, T, H_L), the last layer's outputs, and ``final_state``, the
    list of every layer's final state. ``backward(d_outputs,
    d_final_state=None)`` takes ``d_final_state`` as ``None`` or a list with one
    entry per layer, returns ``dx`` (N, T, D) and sets ``d_state`` to the list
    of the layers' ``d_state``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnncourse.cells.rnn import RNN
    >>> rng = np.random.default_rng(0)
    >>> deep = Stacked.build(RNN, 3, 8, num_layers=2, rng=rng, dropout=0.2)
    >>> out, finals = deep.forward(np.zeros((4, 5, 3)))
    >>> out.shape, [h.shape for h in finals]
    ((4, 5, 8), [(4, 8), (4, 8)])

    Book page: ``book/variants/deep_rnn``.
    """

    def __init__(self, layers, dropout=0.0, rng=None):
        super().__init__()
        if isinstance(layers, Module) or not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be a list of rnncourse modules, got {type(layers).__name__}")
        if not layers:
            raise ValueError("layers must hold at least one layer, got an empty list")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layers[{i}] must be an rnncourse Module (a recurrent layer such as RNN), "
                                f"got {type(layer).__name__}")
        check_distinct((f"layers[{i}]", layer) for i, layer in enumerate(layers))
        for i in range(len(layers) - 1):
            out_size, in_size = layer_output_size(layers[i]), layer_input_size(layers[i + 1])
            if out_size is not None and in_size is not None and out_size != in_size:
                raise ValueError(f"layers[{i + 1}] ({type(layers[i + 1]).__name__}) reads inputs of size {in_size} "
                                 f"but layers[{i}] ({type(layers[i]).__name__}) outputs size {out_size}; "
                                 f"layer {i + 1}'s input_size must equal layer {i}'s output size")
        self.dropout = check_probability("dropout", dropout)
        if self.dropout > 0 and rng is None:
            raise TypeError(f"rng is required when dropout > 0 (got dropout={dropout}): pass "
                            "rng=np.random.default_rng(seed) so the dropout masks are reproducible")
        self.rng = None if rng is None else check_rng("rng", rng)
        self.layers = list(layers)
        for i, layer in enumerate(self.layers):
            self.add_child(str(i), layer)
        self.dropouts = []
        if self.dropout > 0:
            for i in range(len(self.layers) - 1):
                self.dropouts.append(self.add_child(f"dropout{i}", Dropout(self.dropout, rng=self.rng)))
        self.num_layers = len(self.layers)
        self.input_size = layer_input_size(self.layers[0])
        self.output_size = layer_output_size(self.layers[-1])

    @classmethod
    def build(cls, cell_class, input_size, hidden_size, num_layers, *, rng, dropout=0.0,
              bidirectional=False, dropout_rng=None, **kwargs):
        r"""Build ``num_layers`` layers of one class, like PyTorch's ``nn.RNN(..., num_layers=L)``.

        Layer 0 is ``cell_class(input_size, hidden_size, rng=rng, **kwargs)``; the
        others read ``hidden_size`` features (``2 * hidden_size`` when
        ``bidirectional``). All weights are drawn from ``rng``, layer by layer,
        and the dropout masks from ``dropout_rng`` (by default the same ``rng``).
        A comparison of models with and without dropout passes a separate
        ``dropout_rng``, so that drawing masks does not change what ``rng``
        draws for anything else.

        Parameters
        ----------
        cell_class : type
            A recurrent Module class taking ``(input_size, hidden_size, *, rng, ...)``,
            e.g. ``RNN``, ``LSTM``, ``GRU``.
        input_size : int
            D, the size of the input vectors.
        hidden_size : int
            H, the hidden size of every layer.
        num_layers : int
            L.
        rng : numpy.random.Generator
        dropout : float in [0, 1)
            Between layers, training mode only.
        bidirectional : bool
            Make every layer a concat-merged :class:`~rnncourse.models.bidirectional.Bidirectional`
            of two ``cell_class`` layers (outputs of size 2H), as
            ``nn.RNN(..., bidirectional=True)`` does.
        dropout_rng : numpy.random.Generator, optional
            Draws the dropout masks; by default ``rng``.
        **kwargs
            Passed to every ``cell_class`` call, e.g. ``nonlinearity="relu"``,
            ``dtype=np.float32``.

        Returns
        -------
        Stacked

        Book page: ``book/variants/deep_rnn``.
        """
        if not (isinstance(cell_class, type) and issubclass(cell_class, Module)):
            raise TypeError("cell_class must be a Module class such as RNN (the class, not an instance), "
                            f"got {cell_class!r}")
        input_size = check_positive_int("input_size", input_size)
        hidden_size = check_positive_int("hidden_size", hidden_size)
        num_layers = check_positive_int("num_layers", num_layers)
        check_rng("rng", rng)
        if not isinstance(bidirectional, bool):
            raise TypeError(f"bidirectional must be True or False, got {bidirectional!r}")
        layers = []
        size = input_size
        for _ in range(num_layers):
            if bidirectional:
                layers.append(Bidirectional(cell_class(size, hidden_size, rng=rng, **kwargs),
                                            cell_class(size, hidden_size, rng=rng, **kwargs)))
                size = 2 * hidden_size
            else:
                layers.append(cell_class(size, hidden_size, rng=rng, **kwargs))
                size = hidden_size
        if dropout_rng is not None:
            check_rng("dropout_rng", dropout_rng)
        return cls(layers, dropout=dropout, rng=rng if dropout_rng is None else dropout_rng)

    def initial_state(self, batch_size: int) -> list:
        """The list of each layer's ``initial_state(batch_size)`` (``None`` for a layer without one)."""
        return [layer.initial_state(batch_size) if hasattr(layer, "initial_state") else None
                for layer in self.layers]

    def freeze_dropout(self) -> "Stacked":
        """Freeze every dropout mask drawn by the last training-mode forward (for gradient checks)."""
        for drop in self.dropouts:
            drop.freeze()
        return self

    def unfreeze_dropout(self) -> "Stacked":
        """Draw fresh dropout masks again at every training-mode forward."""
        for drop in self.dropouts:
            drop.unfreeze()
        return self

    def _per_layer(self, name, value):
        if value is None:
            return [None] * self.num_layers
        if not isinstance(value, (list, tuple)) or len(value) != self.num_layers:
            got = type(value).__name__ + (f" of length {len(value)}" if isinstance(value, (list, tuple)) else "")
            raise ValueError(f"{name} must be None or a list of {self.num_layers} per-layer entries "
                             f"(one per layer, each None or that layer's state), got {got}")
        return list(value)

    def forward(self, x, state=None):
        """Run every layer in turn; return ``(outputs of the last layer, list of final states)``."""
        states = self._per_layer("state", state)
        out = x
        finals = []
        for l, (layer, s) in enumerate(zip(self.layers, states)):
            if l > 0 and self.dropouts:
                out, _ = self.dropouts[l - 1].forward(out)
            out, final = layer.forward(out, s)
            finals.append(final)
        self._cache = True
        return out, finals

    def backward(self, d_outputs, d_final_state=None):
        """Backpropagate from the top layer down; set ``d_state`` (a list); return ``dx``."""
        self._require_cache()
        d_finals = self._per_layer("d_final_state", d_final_state)
        d = d_outputs
        for l in reversed(range(self.num_layers)):
            d = self.layers[l].backward(d, d_finals[l])
            if l > 0 and self.dropouts:
                d = self.dropouts[l - 1].backward(d)
        self.d_state = [layer.d_state for layer in self.layers]
        return d

    def __repr__(self):
        inner = ", ".join(type(layer).__name__ for layer in self.layers)
        return f"Stacked([{inner}], dropout={self.dropout}; {self.num_parameters()} parameters)"
