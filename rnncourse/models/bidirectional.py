r"""Bidirectional RNNs: one recurrent layer reads the sequence forwards, another backwards.

Taught on the book page *Bidirectional RNNs* (``book/variants/bidirectional``).

A forward layer reads :math:`x_1, \dots, x_T`; a second, independent layer
reads the reversed sequence :math:`x_T, \dots, x_1`. Its outputs are put back
in the original order, so that at every position :math:`t` both summaries
are available:

.. math::

    \overrightarrow{h}_t = \overrightarrow{\operatorname{cell}}(x_t, \overrightarrow{h}_{t-1}),
    \qquad
    \overleftarrow{h}_t = \overleftarrow{\operatorname{cell}}(x_t, \overleftarrow{h}_{t+1}),

    y_t = [\overrightarrow{h}_t ; \overleftarrow{h}_t] \ \text{(concat)}
    \quad\text{or}\quad
    y_t = \overrightarrow{h}_t + \overleftarrow{h}_t \ \text{(sum)}.

:math:`\overrightarrow{h}_t` summarises :math:`x_1, \dots, x_t` (the past) and
:math:`\overleftarrow{h}_t` summarises :math:`x_t, \dots, x_T` (the future). With
concatenation the forward half comes first, as in PyTorch
(``output[..., :H]`` forward, ``output[..., H:]`` backward).

**Only for offline tasks.** :math:`y_t` depends on :math:`x_{t+1}, \dots, x_T`,
so nothing can be output until the whole sequence has been read. That suits
tagging a finished sentence, classifying a recorded signal, or encoding a
source sentence for translation; it rules out real-time prediction (the next
character as it is typed, the next value of a live stream) and language
models that must predict :math:`x_{t+1}` without seeing it.

Backward: the gradient of :math:`y` is split (concat) or copied (sum) into the
two halves; the backward half is reversed in time, sent through the backward
layer, and its input gradient reversed once more before it is added to the
forward layer's: :math:`\partial L/\partial x_t` receives contributions from both
directions.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_choice
from ..core.module import Module, check_distinct, layer_input_size, layer_output_size

MERGE_MODES = ("concat", "sum")


def _pair(name, value, what):
    if value is None:
        return None, None
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        got = type(value).__name__ + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "")
        raise ValueError(f"{name} must be None or a pair ({what}_fwd, {what}_bwd), one per direction, got {got}")
    return value[0], value[1]


class Bidirectional(Module):
    r"""Run one recurrent layer forwards and another backwards in time, and merge their outputs.

    .. math::

        y_t = [\overrightarrow{h}_t ; \overleftarrow{h}_t] \ (\text{concat}), \qquad
        y_t = \overrightarrow{h}_t + \overleftarrow{h}_t \ (\text{sum}),

    with :math:`\overrightarrow{h} = \text{forward\_layer}(x)` and
    :math:`\overleftarrow{h} = \operatorname{reverse}(\text{backward\_layer}(\operatorname{reverse}(x)))`,
    where reverse flips the time axis. The output at step :math:`t` depends on
    the whole sequence, so the layer is only for offline tasks (see the module
    docstring).

    Parameters
    ----------
    forward_layer : Module
        A recurrent module (``RNN``, ``LSTM``, ``GRU``, ``Stacked``, ...) with
        outputs (N, T, H_f) and any state structure.
    backward_layer : Module
        A *separate* recurrent module (its own weights) with outputs (N, T, H_b),
        reading the same D features per step.
    merge : {"concat", "sum"}
        ``"concat"``: outputs (N, T, H_f + H_b), forward half first (PyTorch's
        layout). ``"sum"``: outputs (N, T, H), requires H_f == H_b.

    Attributes
    ----------
    forward_layer, backward_layer : Module
    params : dict
        ``"forward.W_xh"``, ..., ``"backward.W_xh"``, ...: the two layers' own arrays.
    input_size, output_size : int or None
        D and the merged size, when the layers' attributes tell them.
    d_state : tuple
        After :meth:`backward`: ``(d_state_fwd, d_state_bwd)``.

    Notes
    -----
    ``forward(x, state=None)``: ``x`` (N, T, D); ``state`` is ``None`` or a pair
    ``(state_fwd, state_bwd)``, each ``None`` or the initial state of that layer
    (``state_bwd`` is the backward layer's state *before* it reads :math:`x_T`).
    Returns ``(y, (final_fwd, final_bwd))``: ``final_fwd`` is the forward layer's
    state after :math:`x_T`, ``final_bwd`` the backward layer's state after
    :math:`x_1` (the end of the reversed sequence), like PyTorch's ``h_n``.
    ``backward(d_outputs, d_final_state=None)``: ``d_outputs`` of ``y``'s shape,
    ``d_final_state`` ``None`` or a pair; returns ``dx`` (N, T, D).

    Examples
    --------
    >>> import numpy as np
    >>> from rnncourse.cells.rnn import RNN
    >>> rng = np.random.default_rng(0)
    >>> bi = Bidirectional(RNN(3, 4, rng=rng), RNN(3, 4, rng=rng))
    >>> y, (h_fwd, h_bwd) = bi.forward(np.zeros((2, 5, 3)))
    >>> y.shape, h_fwd.shape, h_bwd.shape
    ((2, 5, 8), (2, 4), (2, 4))

    Book page: ``book/variants/bidirectional``.
    """

    def __init__(self, forward_layer, backward_layer, merge="concat"):
        super().__init__()
        for name, layer in (("forward_layer", forward_layer), ("backward_layer", backward_layer)):
            if not isinstance(layer, Module):
                raise TypeError(f"{name} must be an rnncourse Module (a recurrent layer such as RNN), "
                                f"got {type(layer).__name__}")
        check_distinct((("forward_layer", forward_layer), ("backward_layer", backward_layer)))
        self.merge = check_choice("merge", merge, MERGE_MODES)
        in_f, in_b = layer_input_size(forward_layer), layer_input_size(backward_layer)
        if in_f is not None and in_b is not None and in_f != in_b:
            raise ValueError(f"forward_layer reads inputs of size {in_f} but backward_layer reads {in_b}; "
                             "both directions read the same sequence, so their input sizes must be equal")
        out_f, out_b = layer_output_size(forward_layer), layer_output_size(backward_layer)
        if merge == "sum" and out_f is not None and out_b is not None and out_f != out_b:
            raise ValueError(f'merge="sum" adds the two directions, but forward_layer outputs size {out_f} '
                             f'and backward_layer outputs size {out_b}; use equal sizes or merge="concat"')
        self.forward_layer = self.add_child("forward", forward_layer)
        self.backward_layer = self.add_child("backward", backward_layer)
        self.input_size = in_f if in_f is not None else in_b
        if out_f is None or out_b is None:
            self.output_size = None
        else:
            self.output_size = out_f + out_b if merge == "concat" else out_f

    def initial_state(self, batch_size: int) -> tuple:
        """``(initial state of forward_layer, initial state of backward_layer)``; ``None`` where a layer has none."""
        return tuple(layer.initial_state(batch_size) if hasattr(layer, "initial_state") else None
                     for layer in (self.forward_layer, self.backward_layer))

    @staticmethod
    def _check_outputs(name, out, N, T):
        if not isinstance(out, np.ndarray) or out.ndim != 3 or out.shape[:2] != (N, T):
            got = out.shape if isinstance(out, np.ndarray) else type(out).__name__
            raise ValueError(f"{name} must return outputs of shape (N, T, H) = ({N}, {T}, H) for an input "
                             f"of N={N} sequences of T={T} steps, got {got}")

    def forward(self, x, state=None):
        """Run both directions over ``x`` (N, T, D); return ``(y, (final_fwd, final_bwd))``."""
        x = as_float_array("x", x, ndim=3)
        N, T = x.shape[:2]
        s_f, s_b = _pair("state", state, "state")
        out_f, final_f = self.forward_layer.forward(x, s_f)
        out_b_rev, final_b = self.backward_layer.forward(np.ascontiguousarray(x[:, ::-1]), s_b)
        self._check_outputs("forward_layer", out_f, N, T)
        self._check_outputs("backward_layer", out_b_rev, N, T)
        out_b = out_b_rev[:, ::-1]                   # back to the original order: out_b[:, t] has read x_t..x_T
        if self.merge == "concat":
            y = np.concatenate([out_f, out_b], axis=-1)
        else:
            if out_f.shape != out_b.shape:
                raise ValueError(f'merge="sum" needs outputs of equal shape, got {out_f.shape} from forward_layer '
                                 f"and {out_b.shape} from backward_layer")
            y = out_f + out_b
        self._cache = (N, T, out_f.shape[-1], out_b.shape[-1])
        return y, (final_f, final_b)

    def backward(self, d_outputs, d_final_state=None):
        """Route the gradient to both directions; set ``d_state`` (a pair); return ``dx`` (N, T, D)."""
        N, T, H_f, H_b = self._require_cache()
        H_out = H_f + H_b if self.merge == "concat" else H_f
        d = as_float_array("d_outputs", d_outputs, shape=(N, T, H_out))
        d_final_f, d_final_b = _pair("d_final_state", d_final_state, "d_final")
        if self.merge == "concat":
            d_f, d_b = d[..., :H_f], d[..., H_f:]     # the forward half comes first
        else:
            d_f, d_b = d, d                           # a sum passes its gradient to both terms
        dx_f = self.forward_layer.backward(np.ascontiguousarray(d_f), d_final_f)
        dx_b_rev = self.backward_layer.backward(np.ascontiguousarray(d_b[:, ::-1]), d_final_b)
        self.d_state = (self.forward_layer.d_state, self.backward_layer.d_state)
        return dx_f + dx_b_rev[:, ::-1]

    def __repr__(self):
        return (f"Bidirectional({type(self.forward_layer).__name__}, {type(self.backward_layer).__name__}, "
                f"merge={self.merge!r}; {self.num_parameters()} parameters)")
