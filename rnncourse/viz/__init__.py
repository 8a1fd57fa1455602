"""Figures of the book, drawn with matplotlib from the package's own computations.

The architecture diagrams are all reachable through :mod:`rnncourse.viz.diagrams`,
which also states their conventions; they are drawn in three modules:
:mod:`rnncourse.viz.drawing` (the primitives: colours, canvas, boxes, arrows),
:mod:`rnncourse.viz.rnn_diagrams` (the simple RNN: folded and unrolled, its layers,
the input/output patterns) and :mod:`rnncourse.viz.variant_diagrams` (the LSTM and
GRU cells, the bidirectional, stacked, RCNN, hierarchical and encoder-decoder
networks). :mod:`rnncourse.viz.plots` draws data (hidden states, gradient norms,
losses, forecasts, gate activations). Every function returns a ``matplotlib.figure.Figure``
and never calls ``plt.show()``; the book pages give each figure its alt text.
"""
from .diagrams import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403
