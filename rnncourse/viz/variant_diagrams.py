r"""Diagrams of the variants of part II: the gated cells and the architectures built from layers.

The LSTM and GRU cells (``book/variants/lstm``, ``book/variants/gru``), and the
bidirectional, stacked, RCNN, hierarchical and encoder-decoder networks
(``book/variants/bidirectional``, ``book/variants/deep_rnn``, ``book/variants/rcnn``,
``book/variants/hierarchical``, ``book/applications/translation``). Drawn with the
primitives of :mod:`rnncourse.viz.drawing`, following the conventions of
:mod:`rnncourse.viz.diagrams`.
"""
from __future__ import annotations

from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from .drawing import (_ARROW, _FS, DIAGRAM_COLORS, MAX_STEPS, _arrow, _canvas, _check_steps, _finish, _label,
                      _left, _node, _note, _op, _path_arrow, _right, _up)

__all__ = ["draw_lstm_cell", "draw_gru_cell", "draw_bidirectional", "draw_stacked", "draw_rcnn",
           "draw_hierarchical", "draw_seq2seq"]


def _gate(ax, x, y, symbol, gid):
    return _node(ax, x, y, symbol, "gate", w=0.8, h=0.6, gid=gid, fontsize=11 if symbol == "tanh" else 13,
                 rounding=0.08)


def _cell_frame(ax, x0, x1, y0, y1, kind="hidden"):
    c = DIAGRAM_COLORS[kind]
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.4",
                                facecolor=c["face"], edgecolor=c["edge"], linewidth=1.8, alpha=0.45,
                                zorder=0, gid="cell-frame"))


def draw_lstm_cell():
    r"""One step of an LSTM cell: the four gate layers, the cell line and the output.

    The cell state runs along the top, from :math:`c_{t-1}` to :math:`c_t`,
    changed only by a multiplication with the forget gate and an addition:
    :math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t`. Below, :math:`h_{t-1}` and
    :math:`x_t` feed the four gate layers (yellow): :math:`f_t, i_t, o_t` use a
    sigmoid :math:`\sigma`, the candidate :math:`g_t` a tanh. One matrix product
    computes all four pre-activations, :math:`W_{xh} x_t + W_{hh} h_{t-1} + b_h`
    with 4H rows in the order i, f, g, o (PyTorch's). The output is
    :math:`h_t = o_t \odot \tanh(c_t)`, sent both to the next step and upwards.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; the gate layers carry the gids ``"gate-f"``, ``"gate-i"``,
        ``"gate-g"``, ``"gate-o"``.

    Book page: ``book/variants/lstm``.
    """
    fig, ax = _canvas(-2.4, 12.3, -1.9, 7.6)
    _cell_frame(ax, 0, 10.2, -0.3, 6.0)
    hid = DIAGRAM_COLORS["hidden"]["edge"]
    yc, yb, yg = 5.0, 1.0, 2.5          # cell line, input bus, gate layers
    xf, xi, xg, xo, xt = 2.0, 3.5, 5.0, 6.5, 8.2
    # the cell line: c_{t-1} -> x f_t -> + -> c_t
    _op(ax, xf, yc, r"$\times$")
    add = _op(ax, xg, yc, "$+$")
    _arrow(ax, (-1.2, yc), (xf - 0.26, yc), color=hid, lw=2.2)
    _arrow(ax, (xf + 0.26, yc), (xg - 0.26, yc), color=hid, lw=2.2)
    _arrow(ax, (xg + 0.26, yc), (11.4, yc), color=hid, lw=2.2)
    _note(ax, -1.3, yc, "$c_{t-1}$", ha="right", fontsize=_FS)
    _note(ax, 11.5, yc, "$c_t$", ha="left", fontsize=_FS)
    # the input bus: h_{t-1} from the left, x_t from below
    _path_arrow(ax, [(-1.2, yb), (xo, yb)], head=False)
    _note(ax, -1.3, yb, "$h_{t-1}$", ha="right", fontsize=_FS)
    _path_arrow(ax, [(0.8, -1.3), (0.8, yb)], head=False)
    ax.add_patch(Circle((0.8, yb), 0.07, color=_ARROW, zorder=3))
    _note(ax, 0.8, -1.55, "$x_t$", fontsize=_FS)
    gates = {}
    for x, sym, name in ((xf, r"$\sigma$", "f"), (xi, r"$\sigma$", "i"), (xg, "tanh", "g"),
                         (xo, r"$\sigma$", "o")):
        gates[name] = _gate(ax, x, yg, sym, f"gate-{name}")
        _arrow(ax, (x, yb), gates[name].bottom)
    _label(ax, 4.25, 0.35, r"$W_{xh}\, x_t + W_{hh}\, h_{t-1} + b_h$  (4H rows: i, f, g, o)",
           fontsize=10.5, bg=False)
    # forget gate to the cell line
    _arrow(ax, gates["f"].top, (xf, yc - 0.26))
    _label(ax, xf + 0.12, 3.85, "$f_t$", ha="left", bg=False)
    # input gate times candidate, then added
    mul_i = _op(ax, xg, 3.85, r"$\times$")
    _path_arrow(ax, [gates["i"].top, (xi, 3.85), (xg - 0.26, 3.85)])
    _label(ax, xi - 0.12, 3.4, "$i_t$", ha="right", bg=False)
    _arrow(ax, gates["g"].top, mul_i.bottom)
    _label(ax, xg + 0.12, 3.3, "$g_t$", ha="left", bg=False)
    _arrow(ax, mul_i.top, add.bottom)
    # output: o_t * tanh(c_t)
    tanh_c = _node(ax, xt, 3.85, "tanh", "op", w=0.8, h=0.45, fontsize=11, rounding=0.2, gid="op-node")
    _arrow(ax, (xt, yc), tanh_c.top)
    mul_o = _op(ax, xt, yg, r"$\times$")
    _arrow(ax, tanh_c.bottom, mul_o.top)
    _arrow(ax, gates["o"].right, mul_o.left)
    _label(ax, (xo + xt) / 2, yg + 0.28, "$o_t$", bg=False)
    # h_t to the right and upwards
    _path_arrow(ax, [mul_o.bottom, (xt, yb), (11.4, yb)], color=_ARROW)
    _note(ax, 11.5, yb, "$h_t$", ha="left", fontsize=_FS)
    _arrow(ax, (9.4, yb), (9.4, 7.0), halo=True, zorder=3)
    ax.add_patch(Circle((9.4, yb), 0.07, color=_ARROW, zorder=3))
    _note(ax, 9.4, 7.3, "$h_t$", fontsize=_FS)
    return _finish(fig)


def draw_gru_cell():
    r"""One step of a GRU cell (PyTorch's equations): reset and update gates, no separate cell.

    The state runs along the top, from :math:`h_{t-1}` to
    :math:`h_t = z_t \odot h_{t-1} + (1 - z_t) \odot n_t`. Below, the update gate
    :math:`z_t` and the reset gate :math:`r_t` (sigmoids) read :math:`x_t` and
    :math:`h_{t-1}`; the reset gate scales the recurrent part of the candidate,
    :math:`n_t = \tanh(W_{xn} x_t + b_{xn} + r_t \odot (W_{hn} h_{t-1} + b_{hn}))`.
    The three blocks r, z, n are stacked in :math:`W_{xh}` (3H, D) and
    :math:`W_{hh}` (3H, H), with the two biases :math:`b_{xh}` and :math:`b_{hh}`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; the gate layers carry the gids ``"gate-z"``, ``"gate-r"``, ``"gate-n"``.

    Book page: ``book/variants/gru``.
    """
    fig, ax = _canvas(-2.4, 12.3, -1.9, 7.6)
    _cell_frame(ax, 0, 10.2, -0.3, 6.0)
    hid = DIAGRAM_COLORS["hidden"]["edge"]
    ys, yb, yg, yz = 5.0, 1.0, 2.5, 3.9     # state line, input bus, gate layers, z wire
    xz, xr, xm, xn = 2.0, 3.8, 5.6, 7.6
    xkeep, xminus = 5.0, 6.4
    # the state line: h_{t-1} -> x z_t -> + -> h_t
    _op(ax, xkeep, ys, r"$\times$")
    add = _op(ax, xn, ys, "$+$")
    _arrow(ax, (-1.2, ys), (xkeep - 0.26, ys), color=hid, lw=2.2)
    _arrow(ax, (xkeep + 0.26, ys), (xn - 0.26, ys), color=hid, lw=2.2)
    _arrow(ax, (xn + 0.26, ys), (11.4, ys), color=hid, lw=2.2)
    _note(ax, -1.3, ys, "$h_{t-1}$", ha="right", fontsize=_FS)
    _note(ax, 11.5, ys, "$h_t$", ha="left", fontsize=_FS)
    # h_{t-1} down to the bus, x_t from below
    _path_arrow(ax, [(0.4, ys), (0.4, yb), (xn, yb)], head=False)
    ax.add_patch(Circle((0.4, ys), 0.07, color=_ARROW, zorder=3))
    _path_arrow(ax, [(1.0, -1.3), (1.0, yb)], head=False)
    ax.add_patch(Circle((1.0, yb), 0.07, color=_ARROW, zorder=3))
    _note(ax, 1.0, -1.55, "$x_t$", fontsize=_FS)
    gz = _gate(ax, xz, yg, r"$\sigma$", "gate-z")
    gr = _gate(ax, xr, yg, r"$\sigma$", "gate-r")
    gn = _gate(ax, xn, yg, "tanh", "gate-n")
    _arrow(ax, (xz, yb), gz.bottom)
    _arrow(ax, (xr, yb), gr.bottom)
    _arrow(ax, (xn, yb), gn.bottom)
    _label(ax, xn + 0.12, 1.7, "$x$ part", ha="left", fontsize=10, bg=False)
    # reset gate scales the recurrent part of the candidate
    mul_r = _op(ax, xm, yg, r"$\times$")
    _arrow(ax, (xm, yb), mul_r.bottom)
    _label(ax, xm - 0.12, 1.7, "$h$ part", ha="right", fontsize=10, bg=False)
    _arrow(ax, gr.right, mul_r.left)
    _label(ax, (xr + xm) / 2 + 0.1, yg + 0.28, "$r_t$", bg=False)
    _arrow(ax, mul_r.right, gn.left)
    # update gate: z_t keeps the old state, 1 - z_t lets the candidate in
    _path_arrow(ax, [gz.top, (xz, yz), (xkeep, yz), (xkeep, ys - 0.26)])
    _label(ax, xz - 0.12, 3.35, "$z_t$", ha="right", bg=False)
    minus = _op(ax, xminus, yz, "1$-$", fontsize=10, r=0.3)
    _arrow(ax, (xkeep, yz), minus.left)
    ax.add_patch(Circle((xkeep, yz), 0.07, color=_ARROW, zorder=3))
    mul_n = _op(ax, xn, yz, r"$\times$")
    _arrow(ax, minus.right, mul_n.left)
    _arrow(ax, gn.top, mul_n.bottom)
    _label(ax, xn + 0.12, 3.3, "$n_t$", ha="left", bg=False)
    _arrow(ax, mul_n.top, add.bottom)
    _label(ax, 4.6, 0.35, r"$W_{xh}\, x_t + b_{xh}$ and $W_{hh}\, h_{t-1} + b_{hh}$  (3H rows: r, z, n)",
           fontsize=10.5, bg=False)
    # output upwards
    _arrow(ax, (9.4, ys), (9.4, 7.0))
    ax.add_patch(Circle((9.4, ys), 0.07, color=_ARROW, zorder=3))
    _note(ax, 9.4, 7.3, "$h_t$", fontsize=_FS)
    return _finish(fig)


def draw_bidirectional(T=4):
    r"""A bidirectional RNN unrolled over ``T`` steps: a forward and a backward layer.

    The forward layer (blue) reads :math:`x_1, \dots, x_T` from :math:`\overrightarrow{h}_0`;
    the backward layer (purple), with its own weights, reads
    :math:`x_T, \dots, x_1` from :math:`\overleftarrow{h}_{T+1}`. Each output
    :math:`y_t` receives both :math:`\overrightarrow{h}_t` (a summary of the
    past) and :math:`\overleftarrow{h}_t` (a summary of the future), concatenated
    :math:`[\overrightarrow{h}_t; \overleftarrow{h}_t]` or summed. Arrows that cross
    a row are drawn with a white outline so the crossing reads as an overpass.

    Parameters
    ----------
    T : int
        Number of time steps drawn, 1 to 12.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; forward cells carry the gid ``"step-cell"``, backward cells
        ``"step-cell-backward"``.

    Raises
    ------
    TypeError
        ``T`` is not an int.
    ValueError
        ``T`` is smaller than 1 or larger than 12.

    Book page: ``book/variants/bidirectional``.
    """
    T = _check_steps("T", T)
    s, x0 = 2.3, 0.0
    xr = x0 + s * (T + 1)
    fig, ax = _canvas(-1.0, xr + 3.9, -0.7, 6.4)
    fwd, bwd = DIAGRAM_COLORS["hidden"]["edge"], DIAGRAM_COLORS["backward"]["edge"]
    yx, yf, ybk, yy = 0.0, 1.9, 3.5, 5.4
    off = 0.28                          # the two rows are staggered so the vertical wires pass beside cells
    fcells, bcells, xs, ys_ = [], [], [], []
    f0 = _node(ax, x0 - off, yf, r"$\overrightarrow{h}_0$", "state", w=0.9, dashed=True, gid="initial-state")
    for t in range(1, T + 1):
        cx = x0 + s * t
        xs.append(_node(ax, cx, yx, f"$x_{{{t}}}$", "input", w=1.2))
        fcells.append(_node(ax, cx - off, yf, rf"$\overrightarrow{{h}}_{{{t}}}$", "hidden", w=0.9,
                            gid="step-cell"))
        bcells.append(_node(ax, cx + off, ybk, rf"$\overleftarrow{{h}}_{{{t}}}$", "backward", w=0.9,
                            gid="step-cell-backward"))
        ys_.append(_node(ax, cx, yy, f"$y_{{{t}}}$", "output", w=1.2))
    bT = _node(ax, x0 + s * (T + 1) + off, ybk, rf"$\overleftarrow{{h}}_{{{T + 1}}}$", "state", w=0.9,
               dashed=True, gid="initial-state")
    # recurrent arrows first, so the vertical wires drawn after them pass over
    prev = f0
    for c in fcells:
        _right(ax, prev, c, r"$\overrightarrow{W}_{hh}$", color=fwd, above=0.55, fontsize=11)
        prev = c
    nxt = bT
    for c in reversed(bcells):
        _left(ax, nxt, c, r"$\overleftarrow{W}_{hh}$", color=bwd, above=0.55, fontsize=11)
        nxt = c
    for xb, fc, bc, yb in zip(xs, fcells, bcells, ys_):
        cx = xb.x
        _arrow(ax, (fc.x, xb.y + xb.h / 2), fc.bottom)                         # x_t -> forward
        _arrow(ax, (cx + 0.5, xb.y + xb.h / 2), (cx + 0.5, bc.y - bc.h / 2), halo=True, zorder=3)
        _arrow(ax, (cx - 0.5, fc.y + fc.h / 2), (cx - 0.5, yb.y - yb.h / 2), color=fwd, halo=True,
               zorder=3)                                                       # forward -> y_t
        _arrow(ax, (bc.x, bc.y + bc.h / 2), (bc.x, yb.y - yb.h / 2), color=bwd)  # backward -> y_t
    xt = xr + 0.9
    _note(ax, xt, yy, r"$y_t = [\overrightarrow{h}_t;\, \overleftarrow{h}_t]$", ha="left")
    _note(ax, xt, ybk, "backward layer", ha="left", color=bwd)
    _note(ax, xt, yf, "forward layer", ha="left", color=fwd)
    _note(ax, xt, yx, "inputs", ha="left")
    return _finish(fig)


def draw_stacked(T=4, num_layers=3):
    r"""A deep (stacked) RNN: ``num_layers`` recurrent layers unrolled over ``T`` steps.

    Layer :math:`l` reads the outputs of layer :math:`l - 1` (the inputs
    :math:`x_t` for the first layer) and carries its own state from step to
    step: :math:`h^{(l)}_t = f(W^{(l)}_{xh} h^{(l-1)}_t + W^{(l)}_{hh} h^{(l)}_{t-1} + b^{(l)}_h)`.
    Each layer has its own weights (named on the right) and its own initial
    state :math:`h^{(l)}_0`; the top layer's states give the outputs :math:`y_t`.

    Parameters
    ----------
    T : int
        Number of time steps drawn, 1 to 12.
    num_layers : int
        L, number of recurrent layers, 1 to 6.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; the ``T * num_layers`` cells carry the gid ``"step-cell"``.

    Raises
    ------
    TypeError
        An argument is not an int.
    ValueError
        ``T`` or ``num_layers`` is smaller than 1, or too large to draw.

    Book page: ``book/variants/deep_rnn``.
    """
    T = _check_steps("T", T)
    L = _check_steps("num_layers", num_layers, maximum=6)
    s, dy = 2.2, 1.65
    fig, ax = _canvas(-1.0, s * T + 4.3, -0.6, dy * (L + 1) + 0.6)
    hid = DIAGRAM_COLORS["hidden"]["edge"]
    below = [_node(ax, s * t, 0, f"$x_{{{t}}}$", "input") for t in range(1, T + 1)]
    for l in range(1, L + 1):
        y = dy * l
        prev = _node(ax, 0, y, f"$h^{{({l})}}_0$", "state", w=0.9, dashed=True, gid="initial-state")
        row = []
        for t in range(1, T + 1):
            c = _node(ax, s * t, y, f"$h^{{({l})}}_{{{t}}}$", "hidden", w=1.0, gid="step-cell")
            _up(ax, below[t - 1], c)
            _right(ax, prev, c)
            prev = c
            row.append(c)
        _note(ax, s * T + 0.9, y, f"layer {l}: $W^{{({l})}}_{{xh}}$, $W^{{({l})}}_{{hh}}$", ha="left",
              color=hid)
        below = row
    yo = dy * (L + 1)
    for t in range(1, T + 1):
        _up(ax, below[t - 1], _node(ax, s * t, yo, f"$y_{{{t}}}$", "output"))
    _note(ax, s * T + 0.9, yo, "output: $W_{hy}$", ha="left")
    _note(ax, s * T + 0.9, 0, "inputs", ha="left")
    return _finish(fig)


def draw_rcnn():
    r"""A recurrent convolutional network: convolution over time, pooling, then an RNN.

    Bottom to top: eight input steps :math:`x_1, \dots, x_8`; a 1-D convolution
    with a window of :math:`K = 3` steps and a ReLU gives one feature vector
    :math:`u_t` per step (padding "same"; one window is drawn); max-pooling
    over :math:`k = 2` steps halves the length to :math:`v_1, \dots, v_4`; an
    RNN reads the four pooled vectors, so backpropagation through time covers
    4 steps instead of 8.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; the RNN cells carry the gid ``"step-cell"``.

    Book page: ``book/variants/rcnn``.
    """
    n, k = 8, 2
    s = 1.05
    fig, ax = _canvas(-0.9, s * (n - 1) + 5.6, -0.6, 6.6)
    hid, conv = DIAGRAM_COLORS["hidden"]["edge"], DIAGRAM_COLORS["conv"]["edge"]
    yx, yu, yv, yh = 0.0, 1.75, 3.3, 5.2
    xs = [_node(ax, s * i, yx, f"$x_{{{i + 1}}}$", "input", w=0.8, h=0.6, fontsize=12) for i in range(n)]
    us = [_node(ax, s * i, yu, f"$u_{{{i + 1}}}$", "conv", w=0.8, h=0.6, fontsize=12, gid="conv-feature")
          for i in range(n)]
    # one convolution window: x_2, x_3, x_4 -> u_3 (the others drawn faintly)
    for i in range(n):
        for j in (i - 1, i, i + 1):
            if 0 <= j < n:
                strong = i == 2
                _arrow(ax, (xs[j].x, xs[j].y + 0.3), (us[i].x, us[i].y - 0.3),
                       color=conv if strong else "#c8c8c8", lw=1.5 if strong else 0.8, zorder=1 if not strong
                       else 2, scale=10)
    ax.add_patch(Rectangle((xs[1].x - 0.5, yx - 0.42), 2 * s + 1.0, 0.84, fill=False, edgecolor=conv,
                           linewidth=1.4, linestyle="--", zorder=4, gid="conv-window"))
    vs = []
    for j in range(n // k):
        a, b = us[k * j], us[k * j + 1]
        v = _node(ax, (a.x + b.x) / 2, yv, f"$v_{{{j + 1}}}$", "conv", w=0.8, h=0.6, fontsize=12,
                  gid="pooled-feature")
        _arrow(ax, (a.x, a.y + 0.3), (v.x - 0.2, v.y - 0.3), color=conv, scale=10)
        _arrow(ax, (b.x, b.y + 0.3), (v.x + 0.2, v.y - 0.3), color=conv, scale=10)
        vs.append(v)
    prev = None
    for j, v in enumerate(vs):
        c = _node(ax, v.x, yh, f"$h_{{{j + 1}}}$", "hidden", gid="step-cell")
        _up(ax, v, c, "$W_{xh}$")
        if prev is not None:
            _right(ax, prev, c, "$W_{hh}$", above=0.55)
        prev = c
    xt = s * (n - 1) + 0.8
    _note(ax, xt, yh, "RNN", ha="left", color=hid)
    _note(ax, xt, yv, "MaxPool1d, $k$ = 2", ha="left", color=conv)
    _note(ax, xt, yu, "Conv1d + ReLU, $K$ = 3\n($W$: $C_{out} \\times C_{in} \\times K$)", ha="left",
          color=conv)
    _note(ax, xt, yx, "inputs", ha="left")
    return _finish(fig)


def draw_hierarchical(num_chunks=3, chunk_size=3):
    r"""A hierarchical RNN: a lower RNN encodes each chunk, an upper RNN reads the chunk codes.

    The :math:`C \cdot S` input steps are cut into ``num_chunks`` = :math:`C`
    chunks of ``chunk_size`` = :math:`S` steps. The lower RNN (weights
    :math:`W^{low}`) reads each chunk from a zero state; its last state
    :math:`e_c` is the chunk's code. The upper RNN (weights :math:`W^{up}`)
    reads :math:`e_1, \dots, e_C`, one step per chunk, at a slower time scale.

    Parameters
    ----------
    num_chunks : int
        C, 1 to 5.
    chunk_size : int
        S, 1 to 5; at most 12 input steps in all.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; the lower cells carry the gid ``"step-cell"``, the upper
        cells ``"upper-cell"``.

    Raises
    ------
    TypeError
        An argument is not an int.
    ValueError
        An argument is smaller than 1 or too large to draw.

    Book page: ``book/variants/hierarchical``.
    """
    C = _check_steps("num_chunks", num_chunks, maximum=5)
    S = _check_steps("chunk_size", chunk_size, maximum=5)
    if C * S > MAX_STEPS:
        raise ValueError(f"num_chunks * chunk_size must be at most {MAX_STEPS} so the diagram stays legible, "
                         f"got {C} * {S} = {C * S}")
    s, gap, w = 1.25, 0.75, 0.75
    width = s * (C * S - 1) + gap * (C - 1)
    fig, ax = _canvas(-2.3, width + 3.0, -1.2, 5.2)
    hid = DIAGRAM_COLORS["hidden"]["edge"]
    yx, yl, yu = 0.0, 1.8, 4.4
    upper_prev = _node(ax, -1.6, yu, "$g_0$", "state", w=0.8, dashed=True, gid="initial-state")
    t = 0
    for c in range(C):
        left = c * (S * s + gap)
        xs_ = [left + s * j for j in range(S)]
        ax.add_patch(FancyBboxPatch((xs_[0] - 0.62, -0.5), xs_[-1] - xs_[0] + 1.24, 2.85,
                                    boxstyle="round,pad=0,rounding_size=0.25", facecolor="#f4f4f4",
                                    edgecolor="#bbbbbb", linewidth=1.0, zorder=0, gid="chunk"))
        prev = None
        for j, x in enumerate(xs_):
            t += 1
            xb = _node(ax, x, yx, f"$x_{{{t}}}$", "input", w=w, h=0.6)
            cell = _node(ax, x, yl, f"$h_{{{t}}}$", "hidden", w=w, h=0.6, gid="step-cell")
            _up(ax, xb, cell)
            if prev is None:
                _arrow(ax, (x - 0.62 - 0.0, yl + 0.0), cell.left, color=hid)
                _note(ax, x - 0.72, yl, "0", ha="right", fontsize=11, color=hid)
            else:
                _right(ax, prev, cell, "$W^{low}_{hh}$", above=0.45, fontsize=10)
            prev = cell
        up = _node(ax, xs_[-1], yu, f"$g_{{{c + 1}}}$", "hidden", w=w, h=0.6, gid="upper-cell")
        _up(ax, prev, up, f"$e_{{{c + 1}}}$")
        _right(ax, upper_prev, up, "$W^{up}_{hh}$", above=0.42, fontsize=11)
        upper_prev = up
        _note(ax, (xs_[0] + xs_[-1]) / 2, -0.85, f"chunk {c + 1}", fontsize=10, color="#666666")
    xt = width + 0.9
    _note(ax, xt, yu, "upper RNN", ha="left", color=hid)
    _note(ax, xt, yl, "lower RNN", ha="left", color=hid)
    _note(ax, xt, yx, "inputs", ha="left")
    return _finish(fig)


def _check_tokens(name, tokens, maximum=6):
    if isinstance(tokens, (str, bytes)) or not isinstance(tokens, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple of str tokens, got {type(tokens).__name__}")
    if not 1 <= len(tokens) <= maximum:
        raise ValueError(f"{name} must hold 1 to {maximum} tokens so the diagram stays legible, "
                         f"got {len(tokens)}")
    for i, tok in enumerate(tokens):
        if not isinstance(tok, str) or not tok:
            raise TypeError(f"{name}[{i}] must be a non-empty str, got {tok!r}")
    return list(tokens)


def _plain(token):
    """A token shown as text: mathtext specials escaped."""
    return token.replace("$", r"\$")


def draw_seq2seq(source=("two", "hundred", "and", "five"), target=("2", "0", "5")):
    r"""An encoder-decoder (sequence-to-sequence) network passing its context state.

    The encoder RNN reads the source tokens; its last state
    :math:`s = h^{enc}_S` (the context) is the decoder's initial state, the only
    channel between the two. The decoder reads ``<bos>`` followed by the target
    tokens (the true ones during training, teacher forcing; its own previous
    predictions when translating) and predicts the next target token at every
    step, ending with ``<eos>``. Encoder and decoder have separate weights.

    Parameters
    ----------
    source : sequence of str
        Source tokens, 1 to 6 (default: the number words of the translation task).
    target : sequence of str
        Target tokens, 1 to 5 (``<bos>`` and ``<eos>`` are added).

    Returns
    -------
    fig : matplotlib.figure.Figure
        One axes; encoder cells carry the gid ``"step-cell"``, decoder cells
        ``"decoder-cell"``.

    Raises
    ------
    TypeError
        ``source`` or ``target`` is not a sequence of non-empty str.
    ValueError
        Too few or too many tokens.

    Book page: ``book/applications/translation``.
    """
    src = _check_tokens("source", source)
    tgt = _check_tokens("target", target, maximum=5)
    S, T = len(src), len(tgt) + 1
    s, gap, w = 1.65, 2.1, 1.05
    xdec = s * (S - 1) + gap                       # x of the first decoder step
    right = xdec + s * (T - 1)
    fig, ax = _canvas(-2.2, right + 0.9, -1.1, 5.6)
    hid = DIAGRAM_COLORS["hidden"]["edge"]
    yx, yh, yy = 0.0, 2.0, 4.0
    prev = _node(ax, -1.75, yh, "$0$", "state", w=0.6, dashed=True, gid="initial-state")
    for i, tok in enumerate(src):
        x = s * i
        xb = _node(ax, x, yx, _plain(tok), "input", w=1.4, h=0.6, fontsize=11)
        c = _node(ax, x, yh, f"$h^{{enc}}_{{{i + 1}}}$", "hidden", w=w, gid="step-cell")
        _up(ax, xb, c, "$W^{enc}_{xh}$")
        _right(ax, prev, c, "$W^{enc}_{hh}$", above=0.5, fontsize=11)
        prev = c
    dec_in = ["<bos>"] + tgt
    dec_out = tgt + ["<eos>"]
    for j in range(T):
        x = xdec + s * j
        xb = _node(ax, x, yx, _plain(dec_in[j]), "input", w=w, h=0.6, fontsize=11)
        c = _node(ax, x, yh, f"$h^{{dec}}_{{{j + 1}}}$", "hidden", w=w, gid="decoder-cell")
        yb = _node(ax, x, yy, _plain(dec_out[j]), "output", w=w, h=0.6, fontsize=11)
        _up(ax, xb, c, "$W^{dec}_{xh}$")
        _up(ax, c, yb, "$W_{hy}$")
        if j == 0:
            x0, x1 = prev.x + prev.w / 2, c.x - c.w / 2
            _arrow(ax, (x0, yh), (x1, yh), color=hid, lw=2.6)
            _label(ax, (x0 + x1) / 2, yh + 0.45, r"$s$", color=hid, fontsize=13, bg=False)
        else:
            _right(ax, prev, c, "$W^{dec}_{hh}$", above=0.5, fontsize=11)
        prev = c
    _note(ax, s * (S - 1) / 2, -0.85, "encoder: reads the source", color=hid)
    _note(ax, xdec + s * (T - 1) / 2, -0.85, "decoder: starts from the context $s$", color=hid)
    _note(ax, xdec + s * (T - 1) / 2, 5.05, "predicted next tokens")
    return _finish(fig)
