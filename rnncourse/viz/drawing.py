"""Drawing primitives of the architecture diagrams: colours, the canvas, boxes, arrows, labels.

Shared by :mod:`rnncourse.viz.rnn_diagrams` and :mod:`rnncourse.viz.variant_diagrams`;
the conventions they implement are described in :mod:`rnncourse.viz.diagrams`. The
public names are the colour table :data:`DIAGRAM_COLORS` and the step limit
:data:`MAX_STEPS`; the underscore helpers (``_canvas``, ``_node``, ``_arrow``, ...)
are internal to :mod:`rnncourse.viz` and change with the diagrams that use them.
"""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib import patheffects
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ..core.checks import check_positive_int

__all__ = ["DIAGRAM_COLORS", "MAX_STEPS"]

#: Fill and edge colour of every role a diagram box can play.
DIAGRAM_COLORS = {
    "input": {"face": "#d9f0d3", "edge": "#1b7837"},
    "hidden": {"face": "#d1e5f0", "edge": "#2166ac"},
    "backward": {"face": "#e7d4e8", "edge": "#762a83"},
    "output": {"face": "#fddbc7", "edge": "#c0504d"},
    "gate": {"face": "#fff2ae", "edge": "#a6761d"},
    "conv": {"face": "#c7eae5", "edge": "#01665e"},
    "op": {"face": "#ffffff", "edge": "#444444"},
    "state": {"face": "#f0f6fb", "edge": "#2166ac"},
}

#: Colour of arrows that do not cross time (input to hidden, hidden to output).
_ARROW = "#333333"
#: Inches per unit of the diagrams' data coordinates; every diagram has the same scale.
_UNIT = 0.6
#: Largest number of drawn time steps (more would not be legible at book width).
MAX_STEPS = 12
_FS = 13          # font size of node labels
_FS_W = 12        # font size of weight labels
_FS_NOTE = 11     # font size of titles and notes


@dataclass
class _Box:
    """Centre and size of a drawn node; the edge midpoints are where arrows attach."""
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self):
        return (self.x, self.y + self.h / 2)

    @property
    def bottom(self):
        return (self.x, self.y - self.h / 2)

    @property
    def left(self):
        return (self.x - self.w / 2, self.y)

    @property
    def right(self):
        return (self.x + self.w / 2, self.y)


def _canvas(xmin, xmax, ymin, ymax):
    """A figure whose single axes maps data units to ``_UNIT`` inches, axes hidden."""
    fig = plt.figure(figsize=((xmax - xmin) * _UNIT, (ymax - ymin) * _UNIT), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _finish(fig):
    """Remove ``fig`` from pyplot's registry (shown once in a notebook, no leak) and return it."""
    plt.close(fig)
    return fig


def _check_steps(name, value, maximum=MAX_STEPS):
    value = check_positive_int(name, value)
    if value > maximum:
        raise ValueError(f"{name} must be at most {maximum} so the diagram stays legible, got {value}")
    return value


def _node(ax, x, y, label, kind, *, w=1.0, h=0.7, gid=None, fontsize=_FS, dashed=False,
          rounding=0.12):
    c = DIAGRAM_COLORS[kind]
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                           boxstyle=f"round,pad=0,rounding_size={rounding}",
                           facecolor=c["face"], edgecolor=c["edge"], linewidth=1.6,
                           linestyle="--" if dashed else "-", zorder=3)
    patch.set_gid(gid or f"{kind}-node")
    ax.add_patch(patch)
    if label:
        ax.text(x, y, label, ha="center", va="center", fontsize=fontsize, zorder=4)
    return _Box(x, y, w, h)


def _op(ax, x, y, symbol, *, r=0.26, fontsize=14):
    """A pointwise operation (multiply, add, 1 minus) as a small white circle."""
    c = DIAGRAM_COLORS["op"]
    ax.add_patch(Circle((x, y), r, facecolor=c["face"], edgecolor=c["edge"], linewidth=1.4, zorder=3,
                        gid="op-node"))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=fontsize, zorder=4)
    return _Box(x, y, 2 * r, 2 * r)


def _label(ax, x, y, text, *, color=_ARROW, fontsize=_FS_W, ha="center", va="center", bg=True):
    kw = {}
    if bg:
        kw["bbox"] = dict(boxstyle="round,pad=0.08", facecolor="white", edgecolor="none", alpha=0.9)
    return ax.text(x, y, text, ha=ha, va=va, fontsize=fontsize, color=color, zorder=5, **kw)


def _arrow(ax, start, end, *, color=_ARROW, rad=0.0, lw=1.5, style="-|>", dashed=False, halo=False,
           zorder=2, scale=14):
    arrow = FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=scale, linewidth=lw,
                            color=color, shrinkA=0, shrinkB=0, connectionstyle=f"arc3,rad={rad}",
                            linestyle="--" if dashed else "-", zorder=zorder)
    if halo:
        arrow.set_path_effects([patheffects.withStroke(linewidth=5, foreground="white")])
    ax.add_patch(arrow)
    return arrow


def _path_arrow(ax, points, *, color=_ARROW, lw=1.5, head=True, zorder=2):
    """A polyline through ``points``, with an arrowhead at the last point when ``head``."""
    codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)
    arrow = FancyArrowPatch(path=Path(points, codes), arrowstyle="-|>" if head else "-",
                            mutation_scale=14, linewidth=lw, color=color, shrinkA=0, shrinkB=0,
                            zorder=zorder)
    ax.add_patch(arrow)
    return arrow


def _self_loop(ax, box, *, side="right", reach=0.6, gap=0.2, color=None):
    """The recurrent connection of a folded cell: leaves the box and comes back into it."""
    color = color or DIAGRAM_COLORS["hidden"]["edge"]
    sgn = 1 if side == "right" else -1
    xe = box.x + sgn * box.w / 2
    xo = xe + sgn * reach
    points = [(xe, box.y + gap), (xo, box.y + gap), (xo, box.y - gap), (xe, box.y - gap)]
    # a rounded rectangle through the four points: quadratic corners
    verts = [points[0], (xo - sgn * 0.12, box.y + gap), (xo, box.y + gap), (xo, box.y + gap - 0.12),
             (xo, box.y - gap + 0.12), (xo, box.y - gap), (xo - sgn * 0.12, box.y - gap), points[3]]
    codes = [Path.MOVETO, Path.LINETO, Path.CURVE3, Path.CURVE3, Path.LINETO, Path.CURVE3, Path.CURVE3,
             Path.LINETO]
    arrow = FancyArrowPatch(path=Path(verts, codes), arrowstyle="-|>", mutation_scale=14, linewidth=1.6,
                            color=color, shrinkA=0, shrinkB=0, zorder=2)
    ax.add_patch(arrow)
    return xo


def _up(ax, lower, upper, label=None, *, color=_ARROW, label_side="right", dx=0.0):
    """A vertical arrow from the top of ``lower`` to the bottom of ``upper``, labelled beside its middle."""
    x = lower.x + dx
    y0, y1 = lower.y + lower.h / 2, upper.y - upper.h / 2
    _arrow(ax, (x, y0), (x, y1), color=color)
    if label:
        off = 0.1 if label_side == "right" else -0.1
        _label(ax, x + off, (y0 + y1) / 2, label, color=color, ha="left" if label_side == "right" else "right",
               bg=False)


def _right(ax, left, right, label=None, *, color=None, above=0.3, fontsize=_FS_W):
    """A horizontal recurrent arrow from ``left`` to ``right``, labelled above its middle."""
    color = color or DIAGRAM_COLORS["hidden"]["edge"]
    x0, x1 = left.x + left.w / 2, right.x - right.w / 2
    _arrow(ax, (x0, left.y), (x1, right.y), color=color)
    if label:
        _label(ax, (x0 + x1) / 2, left.y + above, label, color=color, fontsize=fontsize, bg=False)


def _left(ax, right, left, label=None, *, color=None, above=0.3, fontsize=_FS_W):
    """A horizontal arrow pointing left (backward direction of a bidirectional layer)."""
    color = color or DIAGRAM_COLORS["backward"]["edge"]
    x0, x1 = right.x - right.w / 2, left.x + left.w / 2
    _arrow(ax, (x0, right.y), (x1, left.y), color=color)
    if label:
        _label(ax, (x0 + x1) / 2, right.y + above, label, color=color, fontsize=fontsize, bg=False)


def _note(ax, x, y, text, *, fontsize=_FS_NOTE, ha="center", va="center", color="#222222", **kw):
    return ax.text(x, y, text, ha=ha, va=va, fontsize=fontsize, color=color, zorder=5, **kw)
