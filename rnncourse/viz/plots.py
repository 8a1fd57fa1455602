r"""Plots of data computed by the package: hidden states, gradient norms, losses, forecasts, gates.

Taught on the book pages *The math of an RNN* (``book/math``), *Training with
backpropagation through time* (``book/bptt``) and *Your first RNN*
(``book/first_rnn``).

Every function takes plain arrays (or dicts of them), checks them, and returns
a ``matplotlib.figure.Figure``. None calls ``plt.show()``. The figure is removed
from pyplot's list of open figures before it is returned, so a notebook shows it
exactly once, as the value of the cell, and a loop that draws many figures does
not keep them all in memory; save one with ``fig.savefig("name.png")``.

Conventions shared by the plots:

- Time steps are numbered as in the book's equations, :math:`t = 1, \dots, T`
  (``h[t - 1]`` in numpy); hidden units keep their array index :math:`0, \dots, H-1`.
- Curves are given as a ``dict`` mapping a legend label to a 1-D sequence; each
  gets its own colour *and* line style, so they stay apart in grey-scale print.
- Bad input raises ``TypeError`` or ``ValueError`` naming the argument, what was
  expected and what arrived.
"""
from __future__ import annotations

import numbers

import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator
import numpy as np

from ..core.activations import relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad

__all__ = [
    "plot_hidden_states",
    "plot_gradient_norms",
    "plot_loss_curves",
    "plot_forecast",
    "plot_gates",
    "plot_accuracy_vs_length",
    "plot_activations",
]

#: Line styles cycled together with the colours, so curves differ without colour too.
LINE_STYLES = ("-", "--", "-.", ":")

#: Diverging colour map for signed values (hidden states), centred at 0.
DIVERGING_CMAP = "RdBu_r"

#: Sequential colour map for values in [0, 1] (gate activations).
SEQUENTIAL_CMAP = "viridis"


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------
def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _as_real_array(name, value, ndim, *, allow_nonfinite=False, hint=""):
    """``value`` as a float64 array of ``ndim`` dimensions (ints accepted, bools and objects not)."""
    if isinstance(value, (str, bytes, dict)) or value is None or isinstance(value, bool):
        raise TypeError(f"{name} must be a {ndim}-D array of numbers, got {_describe(value)}")
    try:
        arr = np.asarray(value)
    except ValueError as err:   # ragged nested lists
        raise ValueError(f"{name} must be a rectangular {ndim}-D array; could not convert it: {err}") from None
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got {arr.ndim}-D with shape {arr.shape}{hint}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not allow_nonfinite and not np.all(np.isfinite(arr)):
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite")
    return arr


def _check_title(title):
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {_describe(title)}")
    return title


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_label_dict(name, curves, *, allow_empty=False):
    if not isinstance(curves, dict):
        raise TypeError(f"{name} must be a dict mapping a label (str) to a sequence of numbers, "
                        f"got {_describe(curves)}")
    if not curves and not allow_empty:
        raise ValueError(f"{name} must hold at least one curve, got an empty dict")
    for label in curves:
        if not isinstance(label, str):
            raise TypeError(f"{name} keys are legend labels and must be str, got {label!r}")
    return curves


def _check_curves(name, curves, *, length=None, length_name=None, allow_nonfinite=False):
    """Every value 1-D; of ``length`` entries when given, else all of one length."""
    _check_label_dict(name, curves)
    out = {}
    for label, values in curves.items():
        arr = _as_real_array(f"{name}[{label!r}]", values, 1, allow_nonfinite=allow_nonfinite)
        if length is None:
            length, length_name = arr.shape[0], f"{name}[{next(iter(curves))!r}]"
        if arr.shape[0] != length:
            raise ValueError(f"{name}[{label!r}] has {arr.shape[0]} values but {length_name} has "
                             f"{length}; every curve needs one value per point")
        out[label] = arr
    return out


def _finish(fig):
    """Remove ``fig`` from pyplot's registry (no second display, no leak) and return it."""
    plt.close(fig)
    return fig


def _style(i):
    return {"color": f"C{i % 10}", "linestyle": LINE_STYLES[i % len(LINE_STYLES)]}


def _heatmap(ax, values, *, cmap, vmin, vmax):
    """Draw ``values`` (T, H) with time on x (1..T) and unit on y (0..H-1, bottom up)."""
    T, H = values.shape
    return ax.imshow(values.T, aspect="auto", origin="lower", cmap=cmap, vmin=vmin, vmax=vmax,
                     interpolation="nearest", extent=(0.5, T + 0.5, -0.5, H - 0.5))


def _set_log_ylim(ax, arrays):
    """Log y axis with limits set from the data (5 % padding in decades).

    matplotlib's own autoscaling pads the range in log space; for a run that
    diverged to ~1e300 that padding overflows float64 and the axes come out
    empty. Setting the limits here, clamped inside float64, avoids it. Entries
    that are not finite or not positive cannot be drawn on a log axis.
    """
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        ax.set_yscale("log")
        return
    lo, hi = np.log10(values.min()), np.log10(values.max())
    pad = min(0.05 * (hi - lo), 1.0) if hi > lo else 0.5
    bottom, top = max(lo - pad, -305.0), min(hi + pad, 305.0)
    # limits first: they switch autoscaling off, so changing the scale does not autoscale (and overflow)
    ax.set_ylim(10.0 ** bottom, 10.0 ** top)
    ax.set_yscale("log")
    if top - bottom > 30:
        # matplotlib's LogLocator places ticks a stride beyond the view, which overflows near
        # 1e308; over so many decades fixed ticks at about eight decades are clearer anyway
        step = next(n for n in (5, 10, 20, 25, 50, 100) if (top - bottom) / n <= 8)
        first = int(np.ceil(bottom / step)) * step
        ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(first, top + 1e-9, step)))
        ax.yaxis.set_minor_locator(NullLocator())


def _integer_ticks(ax):
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


# ---------------------------------------------------------------------------
# the plots
# ---------------------------------------------------------------------------
def plot_hidden_states(h, *, title=None):
    r"""Heatmap of the hidden states of one sequence: time on x, hidden unit on y.

    The colour map is diverging and centred at 0 (blue negative, red positive,
    white 0). States of a tanh RNN lie in :math:`(-1, 1)`; when every entry does,
    the colour scale is fixed to :math:`[-1, 1]`, so saturated units
    (:math:`|h| \approx 1`) look saturated and two figures can be compared. Otherwise
    (relu states, say) it spans :math:`[-m, m]` with :math:`m = \max |h|`.

    Parameters
    ----------
    h : array_like, shape (T, H)
        Hidden states :math:`h_1, \dots, h_T` of one sequence, one row per step,
        e.g. ``outputs[0]`` for the first sequence of an ``(N, T, H)`` batch.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the image (``ax.images[0].get_array()`` is ``h.T``) and a colour bar.

    Raises
    ------
    ValueError
        ``h`` is not 2-D (a batch ``(N, T, H)`` must be indexed first), is empty, or
        holds NaN or infinities.
    TypeError
        ``h`` does not hold real numbers.

    Book page: ``book/first_rnn``.
    """
    h = _as_real_array("h", h, 2, hint="; pass one sequence of shape (T, H), e.g. outputs[0] of a batch")
    _check_title(title)
    T, H = h.shape
    m = float(np.max(np.abs(h)))
    vlim = 1.0 if m <= 1.0 else m
    fig, ax = plt.subplots(figsize=(min(10.0, 4.0 + 0.12 * T), min(6.0, 2.0 + 0.25 * H)),
                           layout="constrained")
    im = _heatmap(ax, h, cmap=DIVERGING_CMAP, vmin=-vlim, vmax=vlim)
    cbar = fig.colorbar(im, ax=ax)
    cbar.set_label("activation $h_{t,i}$")
    ax.set_xlabel("time step $t$")
    ax.set_ylabel("hidden unit $i$")
    _integer_ticks(ax)
    ax.set_title(title if title is not None else f"Hidden states ($T$ = {T}, $H$ = {H})")
    return _finish(fig)


def plot_gradient_norms(lags, curves, *, title=None, logy=True):
    r"""Gradient norm against lag, one line per model or setting.

    Made for the output of ``rnncourse.analysis.vanishing.gradient_norm_by_lag``: how much
    of a gradient placed on the last output reaches the input :math:`k` steps
    earlier. On a logarithmic axis a geometric decay
    :math:`\|g_k\| \approx c\,\lambda^k` is a straight line of slope
    :math:`\log \lambda`. Zero norms cannot be drawn on a log axis and are left out.

    Parameters
    ----------
    lags : array_like, shape (K,)
        The lags :math:`k` (x axis).
    curves : dict of str -> array_like, shape (K,)
        Legend label -> gradient norm at every lag.
    title : str, optional
    logy : bool
        Logarithmic y axis (default True).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per entry of ``curves``, in order.

    Raises
    ------
    ValueError
        ``lags`` not 1-D, a curve not 1-D or of another length than ``lags``,
        ``curves`` empty, NaN or infinities anywhere.
    TypeError
        ``curves`` not a dict with str keys, ``logy`` not a bool.

    Book page: ``book/bptt``.
    """
    lags = _as_real_array("lags", lags, 1)
    curves = _check_curves("curves", curves, length=lags.shape[0], length_name="lags")
    _check_title(title)
    logy = _check_bool("logy", logy)
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    for i, (label, norms) in enumerate(curves.items()):
        ax.plot(lags, norms, label=label, **_style(i))
    if logy:
        _set_log_ylim(ax, curves.values())
    ax.set_xlabel("lag $k$ (steps between input and loss)")
    ax.set_ylabel(r"gradient norm $\|\partial L_T / \partial x_{T-k}\|$")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title if title is not None else "Gradient norm by lag")
    return _finish(fig)


def plot_loss_curves(curves, *, xlabel="epoch", ylabel="loss", logy=True, title=None):
    r"""Training curves (loss, gradient norm, ...) of one or more runs.

    Curves may have different lengths; each is drawn against :math:`1, 2, \dots`.
    A run that diverged may contain NaN or infinite values: they cannot be drawn,
    so the line stops there and the legend label says where, e.g.
    ``"no clipping (non-finite from 37)"``. On a log axis, values
    :math:`\le 0` are left out too.

    Parameters
    ----------
    curves : dict of str -> array_like, shape (n_i,)
        Legend label -> values, one per epoch (or per step).
    xlabel, ylabel : str
        Axis labels.
    logy : bool
        Logarithmic y axis (default True).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per entry of ``curves``, in order; the legend label of a curve
        that stops being finite says from which point on.

    Raises
    ------
    ValueError
        ``curves`` empty, a curve not 1-D or empty, or a curve with no finite value.
    TypeError
        ``curves`` not a dict with str keys, labels not str, ``logy`` not a bool.

    Book page: ``book/bptt``.
    """
    curves = _check_label_dict("curves", curves)
    values = {label: _as_real_array(f"curves[{label!r}]", v, 1, allow_nonfinite=True)
              for label, v in curves.items()}
    for name, text in (("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, got {_describe(text)}")
    _check_title(title)
    logy = _check_bool("logy", logy)
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    for i, (label, v) in enumerate(values.items()):
        finite = np.isfinite(v)
        if not finite.any():
            raise ValueError(f"curves[{label!r}] has no finite value to draw")
        if not finite.all():
            first = int(np.argmin(finite)) + 1
            label = f"{label} (non-finite from {first})"
        # non-finite entries become gaps (NaN is skipped silently, inf would upset the scaling)
        ax.plot(np.arange(1, v.shape[0] + 1), np.where(finite, v, np.nan), label=label, **_style(i))
    if logy:
        _set_log_ylim(ax, values.values())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    if title is not None:
        ax.set_title(title)
    return _finish(fig)


def plot_forecast(history, truth, predictions, *, title=None):
    r"""A series' recent past, then the true future and one or more forecasts of it.

    The history occupies steps :math:`0, \dots, L-1`, the future steps
    :math:`L, \dots, L+H_z-1`; a dotted vertical line marks where the forecasts
    begin. The truth is drawn in black with dots, each forecast in its own
    colour, line style and marker.

    Parameters
    ----------
    history : array_like, shape (L,)
        The values the forecaster read.
    truth : array_like, shape (Hz,), or None
        What really came next (None when it is unknown).
    predictions : dict of str -> array_like, shape (Hz,)
        Legend label -> forecast of the next ``Hz`` values. May be empty when
        ``truth`` is given.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes; its lines are the history, the truth (if given), then the
        forecasts in order.

    Raises
    ------
    ValueError
        An input not 1-D or empty, a forecast of another length than ``truth``
        (or than the other forecasts), nothing to show after the history, NaN
        or infinities.
    TypeError
        ``predictions`` not a dict with str keys.

    Book page: ``book/first_rnn``.
    """
    history = _as_real_array("history", history, 1)
    _check_label_dict("predictions", predictions, allow_empty=True)
    if truth is None:
        if not predictions:
            raise ValueError("nothing to show after the history: give truth, predictions, or both")
        preds = _check_curves("predictions", predictions)
    else:
        truth = _as_real_array("truth", truth, 1)
        preds = _check_curves("predictions", predictions, length=truth.shape[0],
                              length_name="truth") if predictions else {}
    _check_title(title)
    L = history.shape[0]
    Hz = truth.shape[0] if truth is not None else next(iter(preds.values())).shape[0]
    t_hist = np.arange(L)
    t_future = np.arange(L, L + Hz)
    fig, ax = plt.subplots(figsize=(7.0, 3.8), layout="constrained")
    ax.plot(t_hist, history, color="0.45", linestyle="-", label="history (input)")
    if truth is not None:
        ax.plot(t_future, truth, color="black", linestyle="-", marker="o", markersize=3.5,
                label="truth")
    markers = ("s", "^", "D", "v", "P", "X")
    for i, (label, p) in enumerate(preds.items()):
        ax.plot(t_future, p, marker=markers[i % len(markers)], markersize=3.5, label=label,
                **_style(i))
    ax.axvline(L - 0.5, color="0.3", linestyle=":", linewidth=1.0)
    ax.set_xlabel("time step")
    ax.set_ylabel("value")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title if title is not None else f"Forecast of the next {Hz} step" + ("s" if Hz > 1 else ""))
    return _finish(fig)


def plot_gates(gates, *, title=None):
    r"""One heatmap per gate of a gated cell (LSTM, GRU), on one shared colour scale 0..1.

    Each gate's activations over one sequence are drawn like
    :func:`plot_hidden_states` (time on x, unit on y), with a sequential colour map
    from 0 (gate closed, dark) to 1 (gate open, bright). Only gates belong here:
    the candidate values of an LSTM (``"cell"``) or GRU (``"new"``) lie in
    :math:`(-1, 1)` and are refused; plot them with :func:`plot_hidden_states`.

    Parameters
    ----------
    gates : dict of str -> array_like, shape (T, H)
        Gate name -> activations of one sequence, every entry in [0, 1], all of
        one shape. From a layer's ``gates()`` (shape (N, T, H)), take one
        sequence: ``{k: v[0] for k, v in lstm.gates.items() if k != "cell"}``.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes per gate, top to bottom in the order of ``gates`` (each with
        ``images[0].get_array()`` equal to the gate's transpose), and a colour bar.

    Raises
    ------
    ValueError
        ``gates`` empty, a gate not 2-D, of another shape than the first, or with
        values outside [0, 1], NaN or infinities.
    TypeError
        ``gates`` not a dict with str keys.

    Book page: ``book/bptt``.
    """
    _check_label_dict("gates", gates)
    arrays = {}
    shape = None
    for name, g in gates.items():
        a = _as_real_array(f"gates[{name!r}]", g, 2,
                           hint="; pass one sequence of shape (T, H), e.g. gates[name][0] of a batch")
        if shape is None:
            shape, first = a.shape, name
        elif a.shape != shape:
            raise ValueError(f"gates[{name!r}] has shape {a.shape} but gates[{first!r}] has shape "
                             f"{shape}; every gate must be (T, H) for the same sequence")
        lo, hi = float(a.min()), float(a.max())
        if lo < 0.0 or hi > 1.0:
            raise ValueError(f"gates[{name!r}] has values in [{lo:.3g}, {hi:.3g}], outside [0, 1]: only "
                             "sigmoid gates belong here (a candidate such as the LSTM's 'cell' or the "
                             "GRU's 'new' lies in (-1, 1); draw it with plot_hidden_states)")
        arrays[name] = a
    _check_title(title)
    T, H = shape
    n = len(arrays)
    fig, axes = plt.subplots(n, 1, sharex=True, squeeze=False, layout="constrained",
                             figsize=(min(10.0, 4.5 + 0.12 * T), n * min(2.6, 1.1 + 0.12 * H) + 0.6))
    axes = axes[:, 0]
    for ax, (name, a) in zip(axes, arrays.items()):
        im = _heatmap(ax, a, cmap=SEQUENTIAL_CMAP, vmin=0.0, vmax=1.0)
        ax.set_ylabel(f"{name}\nunit $i$")
        _integer_ticks(ax)
    axes[-1].set_xlabel("time step $t$")
    cbar = fig.colorbar(im, ax=list(axes))
    cbar.set_label("gate value (0 closed, 1 open)")
    fig.suptitle(title if title is not None else "Gate activations")
    return _finish(fig)


def plot_accuracy_vs_length(lengths, curves, *, chance=None, title=None):
    r"""Accuracy against sequence length (or lag), one line per model, with the chance level.

    Parameters
    ----------
    lengths : array_like, shape (K,)
        Sequence lengths (x axis).
    curves : dict of str -> array_like, shape (K,)
        Model label -> accuracy at each length, as a fraction in [0, 1].
    chance : float, optional
        Accuracy of guessing, in [0, 1], drawn as a dashed horizontal line.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per model (markers at the measured lengths),
        then the chance line if given; y from 0 to 1.

    Raises
    ------
    ValueError
        Lengths not 1-D, a curve of another length, accuracies outside [0, 1]
        (percentages must be divided by 100), ``chance`` outside [0, 1].
    TypeError
        ``curves`` not a dict with str keys, ``chance`` not a number.

    Book page: ``book/first_rnn``.
    """
    lengths = _as_real_array("lengths", lengths, 1)
    curves = _check_curves("curves", curves, length=lengths.shape[0], length_name="lengths")
    for label, acc in curves.items():
        if acc.min() < 0.0 or acc.max() > 1.0:
            raise ValueError(f"curves[{label!r}] has values in [{acc.min():.3g}, {acc.max():.3g}]; "
                             "accuracies must be fractions in [0, 1] (divide percentages by 100)")
    if chance is not None:
        if isinstance(chance, bool) or not isinstance(chance, numbers.Real):
            raise TypeError(f"chance must be a number in [0, 1] or None, got {chance!r}")
        if not 0.0 <= float(chance) <= 1.0:
            raise ValueError(f"chance must be in [0, 1], got {chance}")
    _check_title(title)
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    markers = ("o", "s", "^", "D", "v", "P")
    for i, (label, acc) in enumerate(curves.items()):
        ax.plot(lengths, acc, marker=markers[i % len(markers)], markersize=4, label=label, **_style(i))
    if chance is not None:
        ax.axhline(float(chance), color="0.4", linestyle="--", linewidth=1.0,
                   label=f"chance ({float(chance):.2g})")
    ax.set_ylim(0.0, 1.02)
    ax.set_xlabel("sequence length")
    ax.set_ylabel("accuracy")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title if title is not None else "Accuracy by sequence length")
    return _finish(fig)


def plot_activations(*, x_range=(-4.0, 4.0), num=401, title=None):
    r"""The hidden-layer activations tanh, sigmoid and relu (left) and their derivatives (right).

    Both panels are computed with :mod:`rnncourse.core.activations`: the functions
    themselves and the ``*_grad`` derivatives written in terms of the output
    (:math:`1 - \tanh^2`, :math:`\sigma(1 - \sigma)`, :math:`[a > 0]`).

    Parameters
    ----------
    x_range : (float, float)
        Interval of pre-activations :math:`a` to draw, low < high.
    num : int
        Number of points, at least 2.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, each with one line per activation (tanh, sigmoid, relu, in that order).

    Raises
    ------
    ValueError
        ``x_range`` not increasing or not finite, ``num`` < 2.
    TypeError
        ``x_range`` not a pair of numbers, ``num`` not an int.

    Book page: ``book/math``.
    """
    if (not isinstance(x_range, (tuple, list)) or len(x_range) != 2
            or any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in x_range)):
        raise TypeError(f"x_range must be a pair (low, high) of numbers, got {x_range!r}")
    lo, hi = float(x_range[0]), float(x_range[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x_range must be finite with low < high, got {x_range!r}")
    if isinstance(num, bool) or not isinstance(num, numbers.Integral):
        raise TypeError(f"num must be an int, got {num!r}")
    if num < 2:
        raise ValueError(f"num must be at least 2, got {num}")
    _check_title(title)
    a = np.linspace(lo, hi, int(num))
    funcs = (("tanh", tanh, tanh_grad), ("sigmoid", sigmoid, sigmoid_grad), ("relu", relu, relu_grad))
    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9.0, 3.6), layout="constrained")
    for i, (name, f, f_grad) in enumerate(funcs):
        out = f(a)
        ax_f.plot(a, out, label=name, **_style(i))
        d = f_grad(out)
        # relu's derivative jumps from 0 to 1 at a = 0: break the line there instead of a vertical stroke
        jump = np.flatnonzero(np.abs(np.diff(d)) > 0.5) + 1
        ax_d.plot(np.insert(a, jump, np.nan), np.insert(d, jump, np.nan), label=name, **_style(i))
    for ax, what in ((ax_f, "$f(a)$"), (ax_d, "$f'(a)$")):
        ax.axhline(0.0, color="0.6", linewidth=0.8)
        ax.axvline(0.0, color="0.6", linewidth=0.8)
        ax.set_xlabel("pre-activation $a$")
        ax.set_ylabel(what)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    ax_f.set_title("activation")
    ax_d.set_title("derivative")
    ax_f.set_ylim(-1.2, max(1.2, min(hi, 4.0) + 0.2))
    if title is not None:
        fig.suptitle(title)
    return _finish(fig)
