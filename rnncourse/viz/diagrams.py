r"""Architecture diagrams of the book, drawn with matplotlib patches and arrows: every one, by name.

Taught on the book pages *Sequential data and why RNNs* (``book/sequential_data``)
and *The architecture of an RNN* (``book/architecture``); the diagrams of the
variants (LSTM, GRU, bidirectional, deep, RCNN, hierarchical, encoder-decoder)
illustrate the pages of part II. This module gathers them under one name; they
live in three modules:

- :mod:`rnncourse.viz.drawing`: the primitives (colours, canvas, boxes, arrows, labels);
- :mod:`rnncourse.viz.rnn_diagrams`: the simple RNN (folded and unrolled, its
  layers neuron by neuron, the input/output patterns, feedforward vs recurrent);
- :mod:`rnncourse.viz.variant_diagrams`: the LSTM and GRU cells and the
  architectures of part II (bidirectional, stacked, RCNN, hierarchical, encoder-decoder).

Every function returns a ``matplotlib.figure.Figure`` and never calls
``plt.show()``. The figure is removed from pyplot's list of open figures before
it is returned, so a notebook shows it once, as the value of the cell; save it
with ``fig.savefig("name.png")``. Nothing is read from disk: boxes, circles and
arrows are matplotlib patches, labels are mathtext.

Conventions shared by every diagram:

- one colour per role (:data:`~rnncourse.viz.drawing.DIAGRAM_COLORS`): inputs green, hidden states
  blue, outputs orange; the second direction of a bidirectional layer purple,
  gate layers yellow, convolution features teal;
- time runs from left to right, information flows upwards (input below, output
  above), as in the equations :math:`h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)`
  and :math:`y_t = g(W_{hy} h_t + b_y)`;
- recurrent arrows (from one step to the next) are drawn in the hidden colour,
  the others in dark grey; a weight label sits next to the arrow it names, and
  the same name at several places means the same parameters;
- initial states (:math:`h_0`) are dashed boxes.

Each box that stands for one time step of a recurrent cell carries the
matplotlib ``gid`` ``"step-cell"`` (``"step-cell-backward"`` for the backward
direction), so a test or a reader can count the steps a figure shows.
"""
from .drawing import DIAGRAM_COLORS, MAX_STEPS  # noqa: F401  (MAX_STEPS: a module attribute, as before the split)
from .rnn_diagrams import draw_feedforward_vs_recurrent, draw_io_patterns, draw_layers, draw_unrolled
from .variant_diagrams import (draw_bidirectional, draw_gru_cell, draw_hierarchical, draw_lstm_cell, draw_rcnn,
                               draw_seq2seq, draw_stacked)

__all__ = [
    "DIAGRAM_COLORS",
    "draw_unrolled",
    "draw_layers",
    "draw_io_patterns",
    "draw_feedforward_vs_recurrent",
    "draw_lstm_cell",
    "draw_gru_cell",
    "draw_bidirectional",
    "draw_stacked",
    "draw_rcnn",
    "draw_hierarchical",
    "draw_seq2seq",
]
