"""Figures of the book, drawn with matplotlib from the package's own computations.

Two modules: :mod:`rnncourse.viz.diagrams` draws the architecture diagrams
(folded and unrolled RNN, layers, input/output patterns, the variants' cells);
:mod:`rnncourse.viz.plots` draws data (hidden states, gradient norms, losses,
forecasts, gate activations). Every function returns a ``matplotlib.figure.Figure``
and never calls ``plt.show()``; the book pages give each figure its alt text.
"""
from .diagrams import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403
