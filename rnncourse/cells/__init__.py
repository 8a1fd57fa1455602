"""The recurrent cells: one module per cell with its equations, on a shared base.

- :mod:`~rnncourse.cells.base`: the layer plumbing every cell shares (``RecurrentLayer``,
  ``GatedLayer``) and the weight checks.
- :mod:`~rnncourse.cells.rnn`, :mod:`~rnncourse.cells.lstm`, :mod:`~rnncourse.cells.gru`: each
  cell's step and sequence functions, their backward, and its layer class.
- :mod:`~rnncourse.cells.mingru`: a minimal GRU whose recurrence is linear in the state, computed
  by a step loop or by a parallel scan.
- :mod:`~rnncourse.cells.fast`: the fused kernels the layers run by default.

A new recurrent variant is a new module here: its step/sequence functions with
``(out, cache)`` / ``backward(dout, cache)``, and a layer class that declares its
``param_names``, ``state_names`` and ``kernels`` on :class:`~rnncourse.cells.base.RecurrentLayer`.
"""
