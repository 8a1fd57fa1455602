"""The core: what every layer and model of the course is built on.

- :mod:`~rnncourse.core.checks`: validation of arguments (the input contract of the package).
- :mod:`~rnncourse.core.module`: the module protocol (``params``, ``grads``, ``forward``,
  ``backward``) and ``Sequential``.
- :mod:`~rnncourse.core.activations`, :mod:`~rnncourse.core.losses`: functions and their derivatives.
- :mod:`~rnncourse.core.bptt`, :mod:`~rnncourse.core.clipping`, :mod:`~rnncourse.core.gradcheck`,
  :mod:`~rnncourse.core.optim`, :mod:`~rnncourse.core.train`: training a module.

Belongs here: something every model needs and that knows no particular layer.
A new optimiser, loss or activation goes in its module here.
"""
