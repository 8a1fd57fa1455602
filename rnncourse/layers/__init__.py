"""The other layers: everything that is not a recurrent cell but sits in a model.

- :mod:`~rnncourse.layers.output`: the output layer ``y_t = W_hy h_t + b_y`` and ``LastStep``.
- :mod:`~rnncourse.layers.dense`, :mod:`~rnncourse.layers.embedding`,
  :mod:`~rnncourse.layers.dropout`, :mod:`~rnncourse.layers.conv`.

A new non-recurrent layer (a ``Module`` with ``forward``/``backward``) goes here.
"""
