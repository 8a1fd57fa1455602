r"""Diagrams of the simple (Elman) RNN: folded and unrolled, neuron by neuron, the input/output patterns.

Taught on the book pages *Sequential data and why RNNs* (``book/sequential_data``)
and *The architecture of an RNN* (``book/architecture``). Drawn with the primitives
of :mod:`rnncourse.viz.drawing`, following the conventions of :mod:`rnncourse.viz.diagrams`.
"""
from __future__ import annotations

import math

from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.path import Path

from ..core.checks import check_positive_int
from .drawing import (_FS_NOTE, DIAGRAM_COLORS, _arrow, _canvas, _check_steps, _finish, _label, _node, _note,
                      _right, _self_loop, _up)

__all__ = ["draw_unrolled", "draw_layers", "draw_io_patterns", "draw_feedforward_vs_recurrent"]


def draw_unrolled(T=3):
    r"""The folded RNN and the same network unrolled over ``T`` time steps.

    Left: one cell :math:`h_t` with its input :math:`x_t` below (weights
    :math:`W_{xh}`), its output :math:`y_t` above (:math:`W_{hy}`) and a
    self-loop (:math:`W_{hh}`): the state computed at one step is fed back at
    the next. Right, after an equals sign: the loop written out, one copy of
    the cell per step, starting from :math:`h_0`. Every copy carries the *same*
    three weight labels, because every step uses the same parameters
    (parameter sharing):

    .. math::

        h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h), \qquad y_t = g(W_{hy} h_t + b_y).

    Parameters
    ----------
    T : int
        Number of time steps drawn, 1 to 12.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; the ``T`` step cells carry the gid ``"step-cell"``.

    Raises
    ------
    TypeError
        ``T`` is not an int.
    ValueError
        ``T`` is smaller than 1 or larger than 12.

    Book page: ``book/architecture``.
    """
    T = _check_steps("T", T)
    s = 2.2                           # distance between steps
    x0 = 4.3                          # centre of h_0
    fig, ax = _canvas(-0.9, x0 + s * T + 0.9, -0.6, 4.6)
    hid = DIAGRAM_COLORS["hidden"]["edge"]

    # folded network
    xb = _node(ax, 0, 0, "$x_t$", "input")
    hb = _node(ax, 0, 2, "$h_t$", "hidden", gid="folded-cell")
    yb = _node(ax, 0, 4, "$y_t$", "output")
    _up(ax, xb, hb, "$W_{xh}$")
    _up(ax, hb, yb, "$W_{hy}$")
    xo = _self_loop(ax, hb, reach=0.7, gap=0.22)
    _label(ax, xo + 0.1, 2, "$W_{hh}$", color=hid, ha="left", bg=False)
    _note(ax, 2.55, 2, "=", fontsize=28)

    # unrolled network
    prev = _node(ax, x0, 2, "$h_0$", "state", w=0.8, dashed=True, gid="initial-state")
    for t in range(1, T + 1):
        cx = x0 + s * t
        xb = _node(ax, cx, 0, f"$x_{{{t}}}$", "input")
        hb = _node(ax, cx, 2, f"$h_{{{t}}}$", "hidden", gid="step-cell")
        yb = _node(ax, cx, 4, f"$y_{{{t}}}$", "output")
        _up(ax, xb, hb, "$W_{xh}$")
        _up(ax, hb, yb, "$W_{hy}$")
        _right(ax, prev, hb, "$W_{hh}$")
        prev = hb
    return _finish(fig)


def _check_width(name, value, maximum=8):
    value = check_positive_int(name, value)
    if value > maximum:
        raise ValueError(f"{name} must be at most {maximum} so the diagram stays legible, got {value}")
    return value


def draw_layers(n_inputs=3, n_hidden=4, n_outputs=2):
    r"""The three layers of an Elman RNN at one time step, neuron by neuron.

    Columns of neurons, left to right: the input layer (:math:`D` = ``n_inputs``
    numbers of :math:`x_t`), the recurrent layer (:math:`H` = ``n_hidden``
    numbers of :math:`h_t`) and the output layer (:math:`O` = ``n_outputs``
    numbers of :math:`y_t`). Every input feeds every hidden neuron
    (:math:`W_{xh}`, shape (H, D)) and every hidden neuron feeds every output
    (:math:`W_{hy}`, shape (O, H)). The recurrent connections (:math:`W_{hh}`,
    shape (H, H)) are drawn on the recurrent layer: a self-loop on each neuron
    and an arc between every pair, each arc standing for the two weights
    :math:`W_{hh}[i, j]` and :math:`W_{hh}[j, i]`; they carry :math:`h_{t-1}`
    into the computation of :math:`h_t`.

    Parameters
    ----------
    n_inputs : int
        D, 1 to 8.
    n_hidden : int
        H, 1 to 8.
    n_outputs : int
        O, 1 to 8.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; neurons carry the gids ``"input-neuron"``, ``"hidden-neuron"``
        and ``"output-neuron"``.

    Raises
    ------
    TypeError
        An argument is not an int.
    ValueError
        An argument is smaller than 1 or larger than 8.

    Book page: ``book/architecture``.
    """
    D = _check_width("n_inputs", n_inputs)
    H = _check_width("n_hidden", n_hidden)
    O = _check_width("n_outputs", n_outputs)
    r, dy = 0.3, 1.25
    xs = {"input": 0.0, "hidden": 4.0, "output": 8.6}
    top = (max(D, H, O) - 1) * dy / 2
    fig, ax = _canvas(-1.6, 10.2, -top - 1.6, top + 2.0)
    hid = DIAGRAM_COLORS["hidden"]["edge"]

    def column(kind, n):
        ys = [top - (max(D, H, O) - n) * dy / 2 - i * dy for i in range(n)]
        c = DIAGRAM_COLORS[kind]
        for y in ys:
            ax.add_patch(Circle((xs[kind], y), r, facecolor=c["face"], edgecolor=c["edge"], linewidth=1.6,
                                zorder=3, gid=f"{kind}-neuron"))
        return ys

    yin, yhid, yout = column("input", D), column("hidden", H), column("output", O)

    def connect(xa, ya_list, xb, yb_list, color):
        for ya in ya_list:
            for yb in yb_list:
                ang = math.atan2(yb - ya, xb - xa)
                start = (xa + r * math.cos(ang), ya + r * math.sin(ang))
                end = (xb - r * math.cos(ang), yb - r * math.sin(ang))
                _arrow(ax, start, end, color=color, lw=0.9, scale=8, zorder=1)

    connect(xs["input"], yin, xs["hidden"], yhid, "#7a7a7a")
    connect(xs["hidden"], yhid, xs["output"], yout, "#7a7a7a")

    # recurrent connections: a self-loop above each neuron, an arc on the right for every pair
    xh = xs["hidden"]
    for y in yhid:
        path = Path([(xh - 0.2, y + 0.24), (xh - 0.55, y + 0.85), (xh + 0.55, y + 0.85), (xh + 0.2, y + 0.24)],
                    [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        loop = FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=9, linewidth=1.4, color=hid,
                               shrinkA=0, shrinkB=0, zorder=2)
        loop.set_gid("self-loop")
        ax.add_patch(loop)
    for i in range(H):
        for j in range(i + 1, H):
            ya, yb = yhid[i], yhid[j]
            ang = math.radians(8 + 60 * (j - i - 1) / max(1, H - 2))   # longer arcs leave further round
            start = (xh + r * math.cos(ang), ya - r * math.sin(ang))
            end = (xh + r * math.cos(ang), yb + r * math.sin(ang))
            ctrl = (xh + 0.3 + 0.55 * (j - i), (ya + yb) / 2)
            arc = FancyArrowPatch(path=Path([start, ctrl, end], [Path.MOVETO, Path.CURVE3, Path.CURVE3]),
                                  arrowstyle="<|-|>", mutation_scale=9, linewidth=1.2, color=hid,
                                  shrinkA=0, shrinkB=0, zorder=2)
            arc.set_gid("lateral-arc")
            ax.add_patch(arc)

    head = top + 1.15
    _note(ax, xs["input"], head, f"input layer\n$x_t$, $D$ = {D}")
    _note(ax, xh, head, f"recurrent layer\n$h_t$, $H$ = {H}", color=hid)
    _note(ax, xs["output"], head, f"output layer\n$y_t$, $O$ = {O}")
    foot = -top - 1.0
    _label(ax, (xs["input"] + xh) / 2, foot, f"$W_{{xh}}$: ({H}, {D})")
    _label(ax, xh, foot, f"$W_{{hh}}$: ({H}, {H})", color=hid)
    _label(ax, (xh + xs["output"]) / 2, foot, f"$W_{{hy}}$: ({O}, {H})")
    return _finish(fig)


def _io_panel(ax, x0, y0, n, inputs, outputs, title, example, *, s=1.15, link=None):
    """One input/output pattern: ``n`` steps, inputs at the steps in ``inputs``, outputs at ``outputs``."""
    cells = []
    for k in range(n):
        cx = x0 + s * k
        hb = _node(ax, cx, y0 + 1.4, "", "hidden", w=0.75, h=0.55, gid="step-cell")
        if k in inputs:
            xb = _node(ax, cx, y0, "", "input", w=0.6, h=0.5)
            _up(ax, xb, hb)
        if k in outputs:
            yb = _node(ax, cx, y0 + 2.8, "", "output", w=0.6, h=0.5)
            _up(ax, hb, yb)
        if cells:
            _right(ax, cells[-1], hb)
        cells.append(hb)
    mid = x0 + s * (n - 1) / 2
    _note(ax, mid, y0 + 3.75, title, fontsize=12, fontweight="bold")
    _note(ax, mid, y0 - 0.75, example, fontsize=_FS_NOTE, color="#444444", va="top")
    if link is not None:   # the hand-over from encoder to decoder
        a, b = cells[link - 1], cells[link]
        _note(ax, (a.x + b.x) / 2, a.y + 0.45, "$s$", fontsize=13, color=DIAGRAM_COLORS["hidden"]["edge"])
    return cells


def draw_io_patterns():
    r"""The five input/output patterns of recurrent networks, each with an example task.

    Each panel is a small unrolled network, time running left to right: green
    boxes are inputs, blue boxes the hidden state at one step, orange boxes
    outputs.

    - one to one: a single input, a single output, no recurrence (image classification);
    - one to many: one input, then an output at every step (image captioning,
      music generation from a seed);
    - many to one: an input at every step, one output after the last
      (sentiment of a sentence);
    - many to many, aligned: an output for every input, at the same step
      (part-of-speech tagging, labelling the frames of a video);
    - many to many, encoder-decoder: the whole input is read first, its summary
      :math:`s` (the last hidden state) is handed over, then the output is
      produced, with a different length (translation).

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; every hidden box carries the gid ``"step-cell"``.

    Book page: ``book/architecture``.
    """
    fig, ax = _canvas(-0.7, 14.0, -7.7, 5.5)
    row1, row2 = 0.0, -6.0
    _io_panel(ax, 0.6, row1, 1, {0}, {0}, "one to one", "image\nclassification")
    _io_panel(ax, 3.2, row1, 4, {0}, {0, 1, 2, 3}, "one to many", "image captioning,\nmusic generation")
    _io_panel(ax, 9.0, row1, 4, {0, 1, 2, 3}, {3}, "many to one", "sentiment analysis")
    _io_panel(ax, 0.6, row2, 4, {0, 1, 2, 3}, {0, 1, 2, 3}, "many to many (aligned)",
              "tagging words,\nlabelling video frames")
    _io_panel(ax, 6.2, row2, 7, {0, 1, 2}, {3, 4, 5, 6}, "many to many (encoder-decoder)",
              "translation", link=3)
    # legend, one line across the top
    ly = 4.95
    for kind, text, lx in (("input", "input $x_t$", 3.6), ("hidden", "hidden state $h_t$", 6.0),
                           ("output", "output $y_t$", 9.2)):
        _node(ax, lx, ly, "", kind, w=0.5, h=0.4, gid="legend")
        _note(ax, lx + 0.4, ly, text, ha="left", fontsize=_FS_NOTE)
    return _finish(fig)


def draw_feedforward_vs_recurrent():
    r"""A feedforward network (no loop) beside a recurrent one (a loop on the hidden layer).

    Left: :math:`x \to h \to y`, computed as
    :math:`y = g(W_{hy} f(W_{xh} x + b_h) + b_y)`; each input is processed on
    its own and nothing is kept for the next one. Right: the same layers with a
    recurrent connection :math:`W_{hh}` on the hidden layer, so the state of
    one step enters the next: :math:`h_t = f(W_{xh} x_t + W_{hh} h_{t-1} + b_h)`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes with both networks.

    Book page: ``book/sequential_data``.
    """
    fig, ax = _canvas(-3.6, 10.6, -1.9, 5.5)
    hid = DIAGRAM_COLORS["hidden"]["edge"]
    # feedforward
    xb = _node(ax, 0, 0, "$x$", "input")
    hb = _node(ax, 0, 2, "$h$", "hidden")
    yb = _node(ax, 0, 4, "$y$", "output")
    _up(ax, xb, hb, "$W_{xh}$")
    _up(ax, hb, yb, "$W_{hy}$")
    _note(ax, 0, 5.05, "feedforward network", fontsize=12, fontweight="bold")
    _note(ax, 0, -1.0, "no loop: each input is processed on its own", fontsize=_FS_NOTE)
    _note(ax, 0, -1.5, r"$y = g(W_{hy}\, f(W_{xh}\, x + b_h) + b_y)$", fontsize=_FS_NOTE)
    # recurrent
    ox = 7.0
    xb = _node(ax, ox, 0, "$x_t$", "input")
    hb = _node(ax, ox, 2, "$h_t$", "hidden")
    yb = _node(ax, ox, 4, "$y_t$", "output")
    _up(ax, xb, hb, "$W_{xh}$")
    _up(ax, hb, yb, "$W_{hy}$")
    xo = _self_loop(ax, hb, reach=0.7, gap=0.22)
    _label(ax, xo + 0.1, 2, "$W_{hh}$", color=hid, ha="left", bg=False)
    _note(ax, ox, 5.05, "recurrent network", fontsize=12, fontweight="bold")
    _note(ax, ox, -1.0, "loop: the state $h_{t-1}$ comes back in", fontsize=_FS_NOTE)
    _note(ax, ox, -1.5, r"$h_t = f(W_{xh}\, x_t + W_{hh}\, h_{t-1} + b_h)$", fontsize=_FS_NOTE)
    ax.plot([3.5, 3.5], [-1.7, 5.3], color="#bbbbbb", linewidth=1, zorder=0)
    return _finish(fig)
