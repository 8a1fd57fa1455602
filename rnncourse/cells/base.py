r"""What every recurrent cell shares: the layer plumbing and the weight checks.

Taught on the book page *Your first RNN* (``book/first_rnn``).

A cell module (:mod:`rnncourse.cells.rnn`, :mod:`~rnncourse.cells.lstm`,
:mod:`~rnncourse.cells.gru`) keeps its own equations: the step and sequence functions
and their backward. Its layer class only *declares* what the plumbing here needs:

* ``param_names``: the parameters in the order the sequence functions take them;
* ``state_names``: the state arrays (``("h",)``, or ``("h", "c")`` for the LSTM);
* ``kernels``: ``{False: (forward, backward), True: (fast_forward, fast_backward)}``,
  the teaching functions and the fused ones of :mod:`rnncourse.cells.fast`, chosen by
  the layer's ``fast`` attribute;
* optionally ``gate_fields`` (gate name, step-cache field), for :attr:`GatedLayer.gates`.

:class:`RecurrentLayer` then does the rest for all of them: initialisation, the checks
of ``x`` and of the states, the fast/teaching dispatch, and the accumulation of the
gradients into ``grads``.
"""
from __future__ import annotations

import numpy as np

from ..core.checks import as_float_array, check_positive_int, check_rng, check_same_dtype
from ..core.module import Module


def check_cell_weights(W_xh, W_hh, biases: dict, *, blocks: int = 1, order: str = ""):
    """Validate a cell's weights: ``W_xh`` (blocks*H, D), ``W_hh`` (blocks*H, H), each bias (blocks*H,).

    Parameters
    ----------
    W_xh, W_hh : ndarray
    biases : dict of str -> ndarray
        The bias arrays by name, e.g. ``{"b_h": b_h}``.
    blocks : int
        Number of stacked gate blocks: 1 (Elman RNN), 4 (LSTM), 3 (GRU).
    order : str
        The blocks' names for the error message, e.g. ``"i, f, g, o"``.

    Returns
    -------
    tuple
        ``(W_xh, W_hh, *biases, H, D)`` as validated arrays and sizes.

    Book page: ``book/first_rnn``.
    """
    W_xh = as_float_array("W_xh", W_xh, ndim=2)
    rows, D = W_xh.shape
    if blocks > 1 and (rows < blocks or rows % blocks):
        raise ValueError(f"W_xh must have {blocks}*H rows (the gate blocks {order} stacked, like "
                         f"PyTorch's weight_ih_l0), got shape {W_xh.shape}")
    H = rows // blocks
    W_hh = as_float_array("W_hh", W_hh, shape=(blocks * H, H))
    checked = {name: as_float_array(name, b, shape=(blocks * H,)) for name, b in biases.items()}
    check_same_dtype(W_xh=W_xh, W_hh=W_hh, **checked)
    return (W_xh, W_hh, *checked.values(), H, D)


class RecurrentLayer(Module):
    r"""Shared base of the recurrent layers (:class:`~rnncourse.cells.rnn.RNN`, LSTM, GRU).

    Holds what every cell has in common: the sizes D and H, the dtype, PyTorch's
    initialisation (every parameter uniform in :math:`[-1/\sqrt{H}, 1/\sqrt{H}]`),
    the zero initial state, the checks of the input ``x`` (N, T, D) and of the state
    arrays (N, H), the choice between the fast and the teaching functions, and the
    accumulation of the gradients. Subclasses register their parameters and set the
    class attributes described in :mod:`rnncourse.cells.base`.

    Parameters
    ----------
    input_size : int
        D.
    hidden_size : int
        H.
    rng : numpy.random.Generator
        Used by :meth:`uniform_init` while the subclass registers its parameters.
    dtype : {numpy.float64, numpy.float32}
    fast : bool
        True (default): run the fused, loop-hoisted kernels of :mod:`rnncourse.cells.fast`.
        False: run the step-by-step teaching functions. Both give the same results
        (to rounding, about 1e-15 relative in float64); the attribute may be changed
        between batches.

    Book page: ``book/first_rnn``.
    """

    param_names: tuple = ()
    state_names: tuple = ("h",)
    kernels: dict = {}

    def __init__(self, input_size, hidden_size, *, rng, dtype=np.float64, fast=True):
        super().__init__()
        if not isinstance(fast, (bool, np.bool_)):
            raise TypeError(f"fast must be True or False, got {fast!r} ({type(fast).__name__})")
        self.fast = bool(fast)
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        self._rng = check_rng("rng", rng)
        self.dtype = np.dtype(dtype)
        if self.dtype.type not in (np.float32, np.float64):
            raise TypeError(f"dtype must be numpy.float64 or numpy.float32, got {self.dtype}")
        self._backward_fn = None
        self._batch_size = None

    def uniform_init(self, shape) -> np.ndarray:
        r"""An array of ``shape`` drawn uniformly from :math:`\pm 1/\sqrt{H}`, in the layer's dtype."""
        k = 1.0 / np.sqrt(self.hidden_size)
        return self._rng.uniform(-k, k, shape).astype(self.dtype)

    def initial_state(self, batch_size: int):
        """Zeros of shape ``(batch_size, H)``; a tuple of such arrays for a cell with several states."""
        zeros = [np.zeros((check_positive_int("batch_size", batch_size), self.hidden_size), self.dtype)
                 for _ in self.state_names]
        return zeros[0] if len(zeros) == 1 else tuple(zeros)

    def check_input(self, x) -> np.ndarray:
        """Validate ``x``: shape (N, T, D) in the layer's dtype, finite."""
        return as_float_array("x", x, ndim=3, shape=(None, None, self.input_size), dtype=self.dtype)

    def check_state(self, name: str, h, batch_size: int) -> np.ndarray:
        """Validate one state array: shape (N, H) in the layer's dtype, finite."""
        return as_float_array(name, h, shape=(batch_size, self.hidden_size), dtype=self.dtype)

    # -- the plumbing ----------------------------------------------------
    def _describe(self, name) -> str:
        if name == "state":
            names = ", ".join(f"{s}0" for s in self.state_names)
            return f"a tuple ({names}) of {len(self.state_names)} (N, H) arrays"
        names = ", ".join(f"d{s}_T" for s in self.state_names)
        return f"a tuple ({names}) (entries may be None)"

    def _as_tuple(self, name, value):
        """``value`` as a tuple with one entry per state (a single state is passed as the array itself)."""
        n = len(self.state_names)
        if n == 1:
            return (value,)
        if not isinstance(value, (tuple, list)) or len(value) != n:
            got = (f"a {type(value).__name__} of length {len(value)}" if isinstance(value, (tuple, list))
                   else f"a {type(value).__name__}")
            raise TypeError(f"{name} must be None or {self._describe(name)}, got {got}")
        return tuple(value)

    def _initial_states(self, state, N) -> tuple:
        if state is None:
            states = self.initial_state(N)
            return states if isinstance(states, tuple) else (states,)
        values = self._as_tuple("state", state)
        if len(values) == 1:
            return (self.check_state("state", values[0], N),)
        return tuple(self.check_state(f"state[{k}] ({s}0)", v, N)
                     for k, (v, s) in enumerate(zip(values, self.state_names)))

    def kernel_args(self) -> tuple:
        """Extra arguments passed after the parameters to the sequence functions (e.g. the nonlinearity)."""
        return ()

    def final_state(self, outputs, cache):
        """The state to carry into the next chunk: ``outputs[:, -1]`` (a copy)."""
        return outputs[:, -1].copy()

    def forward(self, x, state=None):
        """Run the layer over ``x``.

        Parameters
        ----------
        x : ndarray, shape (N, T, D), the layer's dtype
        state : ndarray (N, H), or a tuple of them for a cell with several states; optional
            The initial state; zeros when omitted.

        Returns
        -------
        outputs : ndarray, shape (N, T, H)
            Hidden state at every step.
        final_state : ndarray (N, H), or a tuple like ``state``
            To carry into the next chunk.
        """
        x = self.check_input(x)
        states = self._initial_states(state, x.shape[0])
        forward, self._backward_fn = self.kernels[self.fast]
        params = (self._params[name] for name in self.param_names)
        outputs, self._cache = forward(x, *states, *params, *self.kernel_args())
        self._batch_size = x.shape[0]
        return outputs, self.final_state(outputs, self._cache)

    def _d_final_states(self, d_final_state) -> tuple:
        if d_final_state is None:
            return (None,) * len(self.state_names)
        values = self._as_tuple("d_final_state", d_final_state)
        names = [f"d_final_state (d{self.state_names[0]}_T)"] if len(values) == 1 else \
            [f"d_final_state[{k}] (d{s}_T)" for k, s in enumerate(self.state_names)]
        return tuple(None if d is None else
                     as_float_array(name, d, shape=(self._batch_size, self.hidden_size), dtype=self.dtype)
                     for name, d in zip(names, values))

    def backward(self, d_outputs, d_final_state=None):
        """Backpropagate through time; accumulate ``grads``; return ``dx`` of shape (N, T, D).

        Parameters
        ----------
        d_outputs : ndarray, shape (N, T, H), the layer's dtype
            Gradient with respect to ``outputs``.
        d_final_state : ndarray (N, H), or a tuple like the state (entries may be None); optional
            Gradient with respect to ``final_state`` (when used apart from ``outputs``), the layer's dtype.

        Sets ``d_state``, the gradient with respect to the initial state (same structure as the state).
        """
        cache = self._require_cache()
        d_outputs = as_float_array("dh", d_outputs, dtype=self.dtype)     # the kernels check its shape
        grads = self._backward_fn(d_outputs, cache, *self._d_final_states(d_final_state))
        n = len(self.state_names)
        dx, d_states, d_params = grads[0], grads[1:1 + n], grads[1 + n:]
        for name, g in zip(self.param_names, d_params):
            self._grads[name] += g
        self.d_state = d_states[0] if n == 1 else tuple(d_states)
        return dx


class GatedLayer(RecurrentLayer):
    """A recurrent layer with gates (LSTM, GRU): adds :attr:`gates`, the activations of the last forward.

    Subclasses set ``gate_fields``: ``(gate name, field of the step cache)`` in the order of
    the gate blocks in ``W_xh``.

    Book page: ``book/variants/lstm``.
    """

    gate_fields: tuple = ()

    @property
    def gates(self) -> dict:
        """Gate activations of the last :meth:`~rnncourse.cells.base.RecurrentLayer.forward`, for heatmaps.

        Returns
        -------
        dict of str -> ndarray, each (N, T, H)
            One entry per name of ``gate_fields``.
        """
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.gates is available after forward; "
                               "run forward on a batch first")
        cache = self._cache
        if not isinstance(cache, list):                       # the fast path's time-major buffers
            H = self.hidden_size
            return {name: np.ascontiguousarray(cache.acts[..., k * H:(k + 1) * H].transpose(1, 0, 2))
                    for k, (name, _) in enumerate(self.gate_fields)}
        return {name: np.stack([getattr(step, key) for step in cache], axis=1)
                for name, key in self.gate_fields}
