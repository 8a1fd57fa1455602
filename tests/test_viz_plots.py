"""rnncourse.viz.plots: the figures draw exactly the data they are given, and refuse bad input.

Each test reads the drawn data back from the returned Figure (image arrays, line
data, legend texts, axis scales) and compares it with the input.
"""
import matplotlib

matplotlib.use("Agg")   # no display needed; must come before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnncourse.viz import plots  # noqa: E402
from rnncourse.viz.plots import (plot_accuracy_vs_length, plot_activations, plot_forecast,  # noqa: E402
                                 plot_gates, plot_gradient_norms, plot_hidden_states,
                                 plot_loss_curves)


def _legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None, "the axes has no legend"
    return [t.get_text() for t in legend.get_texts()]


# --------------------------------------------------------------------------- hidden states
def test_hidden_states_image_is_h_transposed_on_a_scale_centred_at_zero(rng):
    """Time on x, unit on y: the drawn array is h.T; tanh states get the fixed scale [-1, 1]."""
    h = np.tanh(rng.standard_normal((7, 3)))
    fig = plot_hidden_states(h, title="states")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    image = ax.images[0]
    np.testing.assert_array_equal(np.asarray(image.get_array()), h.T)
    assert image.get_clim() == (-1.0, 1.0)
    assert ax.get_title() == "states"
    assert len(fig.axes) == 2, "expected the heatmap and its colour bar"
    # the extent puts step t = 1..T on x and unit 0..H-1 on y
    left, right, bottom, top = image.get_extent()
    assert (left, right) == (0.5, 7.5) and (bottom, top) == (-0.5, 2.5)


def test_hidden_states_beyond_tanh_range_get_a_symmetric_scale(rng):
    """relu states can exceed 1: the scale becomes [-max|h|, max|h|], still centred at 0."""
    h = np.abs(rng.standard_normal((5, 4))) * 3.0
    vmin, vmax = plot_hidden_states(h).axes[0].images[0].get_clim()
    assert vmax == pytest.approx(np.abs(h).max()) and vmin == -vmax


def test_hidden_states_colormap_is_diverging(rng):
    """Zero must map to the neutral middle of the colour map."""
    image = plot_hidden_states(np.tanh(rng.standard_normal((4, 2)))).axes[0].images[0]
    assert image.get_cmap().name == plots.DIVERGING_CMAP


@pytest.mark.parametrize("bad, err, match", [
    (np.zeros((2, 3, 4)), ValueError, r"h must be a 2-D array.*outputs\[0\]"),
    (np.zeros(5), ValueError, "h must be a 2-D array"),
    (np.zeros((0, 3)), ValueError, "must not be empty"),
    (np.array([[np.nan, 0.0]]), ValueError, "NaN or infinite"),
    (np.array([["a", "b"]]), TypeError, "real numbers"),
    (np.ones((2, 2), dtype=bool), TypeError, "real numbers"),
])
def test_hidden_states_refuses_bad_input(bad, err, match):
    with pytest.raises(err, match=match):
        plot_hidden_states(bad)


def test_title_must_be_a_string(rng):
    with pytest.raises(TypeError, match="title must be a str"):
        plot_hidden_states(np.zeros((2, 2)), title=3)


# --------------------------------------------------------------------------- gradient norms
def test_gradient_norms_one_line_per_curve_with_labels_on_a_log_axis():
    lags = np.arange(6)
    curves = {"rho 0.5": 0.5 ** lags, "rho 1.5": 1.5 ** lags, "LSTM": np.linspace(1.0, 0.5, 6)}
    ax = plot_gradient_norms(lags, curves).axes[0]
    assert len(ax.lines) == len(curves)
    for line, (label, norms) in zip(ax.lines, curves.items()):
        np.testing.assert_array_equal(line.get_xdata(), lags)
        np.testing.assert_array_equal(line.get_ydata(), norms)
        assert line.get_label() == label
    assert _legend_texts(ax) == list(curves)
    assert ax.get_yscale() == "log"


def test_gradient_norms_linear_axis_on_request():
    ax = plot_gradient_norms([0, 1], {"a": [1.0, 2.0]}, logy=False).axes[0]
    assert ax.get_yscale() == "linear"


def test_gradient_norms_curves_are_told_apart_without_colour():
    """Consecutive curves differ in line style as well as colour (grey-scale print)."""
    ax = plot_gradient_norms([0, 1], {"a": [1.0, 2.0], "b": [2.0, 3.0]}).axes[0]
    assert ax.lines[0].get_linestyle() != ax.lines[1].get_linestyle()


@pytest.mark.parametrize("lags, curves, err, match", [
    ([0, 1, 2], {"a": [1.0, 2.0]}, ValueError, r"curves\['a'\] has 2 values but lags has 3"),
    ([[0, 1]], {"a": [1.0, 2.0]}, ValueError, "lags must be a 1-D array"),
    ([0, 1], {"a": [[1.0, 2.0]]}, ValueError, r"curves\['a'\] must be a 1-D array"),
    ([0, 1], {}, ValueError, "at least one curve"),
    ([0, 1], [[1.0, 2.0]], TypeError, "curves must be a dict"),
    ([0, 1], {3: [1.0, 2.0]}, TypeError, "must be str"),
    ([0, 1], {"a": [1.0, np.inf]}, ValueError, "NaN or infinite"),
])
def test_gradient_norms_refuses_bad_input(lags, curves, err, match):
    with pytest.raises(err, match=match):
        plot_gradient_norms(lags, curves)


def test_gradient_norms_logy_must_be_bool():
    with pytest.raises(TypeError, match="logy must be True or False"):
        plot_gradient_norms([0, 1], {"a": [1.0, 2.0]}, logy="yes")


# --------------------------------------------------------------------------- loss curves
def test_loss_curves_draw_each_run_against_1_to_n_with_axis_labels():
    curves = {"clipped": [1.0, 0.5, 0.25], "unclipped": [1.0, 3.0, 9.0, 27.0]}
    ax = plot_loss_curves(curves, xlabel="step", ylabel="MSE", title="runs").axes[0]
    assert len(ax.lines) == 2
    for line, values in zip(ax.lines, curves.values()):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, len(values) + 1))
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert _legend_texts(ax) == ["clipped", "unclipped"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("step", "MSE", "runs")
    assert ax.get_yscale() == "log"
    assert plot_loss_curves(curves, logy=False).axes[0].get_yscale() == "linear"


def test_loss_curves_mark_a_diverged_run_in_the_legend():
    """A run whose loss became NaN or inf is still drawn up to there; its label says from which point."""
    ax = plot_loss_curves({"ok": [1.0, 0.5], "boom": [1.0, 1e3, np.inf, np.nan]}).axes[0]
    assert _legend_texts(ax) == ["ok", "boom (non-finite from 3)"]
    y = np.asarray(ax.lines[1].get_ydata(), dtype=float)
    np.testing.assert_array_equal(y[:2], [1.0, 1e3])
    assert np.isnan(y[2:]).all(), "non-finite entries must become gaps"


def test_loss_curves_near_float_max_still_render(tmp_path):
    """A diverged run reaching 1e301 must not empty the axes: the log limits cover the data, no overflow."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # an overflow while scaling or drawing would raise here
        fig = plot_loss_curves({"diverged": [20.0, 1e150, 1.9e301, np.inf], "fine": [0.5, 0.1, 0.02]})
        fig.savefig(tmp_path / "diverged.png")
    low, high = fig.axes[0].get_ylim()
    assert np.isfinite(low) and np.isfinite(high)
    assert low < 0.02 and high > 1.9e301


@pytest.mark.parametrize("curves, err, match", [
    ({"a": [np.nan, np.nan]}, ValueError, "no finite value"),
    ({"a": []}, ValueError, "must not be empty"),
    ({"a": [[1.0], [2.0]]}, ValueError, "must be a 1-D array"),
    ({"a": ["x", "y"]}, TypeError, "real numbers"),
    ({}, ValueError, "at least one curve"),
])
def test_loss_curves_refuse_bad_input(curves, err, match):
    with pytest.raises(err, match=match):
        plot_loss_curves(curves)


# --------------------------------------------------------------------------- forecast
def test_forecast_draws_history_then_truth_and_forecasts_after_it():
    history, truth = np.arange(5.0), np.array([5.0, 6.0, 7.0])
    preds = {"RNN": np.array([5.1, 5.9, 7.2]), "last value": np.full(3, 4.0)}
    ax = plot_forecast(history, truth, preds).axes[0]
    assert len(ax.lines) >= 4
    hist, tru, p1, p2 = ax.lines[:4]
    np.testing.assert_array_equal(hist.get_xdata(), np.arange(5))
    np.testing.assert_array_equal(hist.get_ydata(), history)
    for line, values in ((tru, truth), (p1, preds["RNN"]), (p2, preds["last value"])):
        np.testing.assert_array_equal(line.get_xdata(), [5, 6, 7])   # the future follows the history
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert _legend_texts(ax)[-2:] == ["RNN", "last value"]
    assert "truth" in _legend_texts(ax)


def test_forecast_without_truth_or_without_predictions():
    ax = plot_forecast([0.0, 1.0], None, {"f": [2.0, 3.0]}).axes[0]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [2.0, 3.0])
    ax = plot_forecast([0.0, 1.0], [2.0], {}).axes[0]
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [2.0])


@pytest.mark.parametrize("history, truth, preds, err, match", [
    ([0.0, 1.0], [1.0, 2.0, 3.0], {"f": [1.0, 2.0]}, ValueError, r"predictions\['f'\] has 2 values but truth has 3"),
    ([[0.0, 1.0]], [1.0], {}, ValueError, "history must be a 1-D array"),
    ([0.0, 1.0], [[1.0]], {}, ValueError, "truth must be a 1-D array"),
    ([0.0, 1.0], None, {}, ValueError, "nothing to show"),
    ([0.0, 1.0], None, {"a": [1.0], "b": [1.0, 2.0]}, ValueError, r"predictions\['b'\] has 2 values"),
    ([0.0, 1.0], [1.0], [1.0], TypeError, "predictions must be a dict"),
])
def test_forecast_refuses_bad_input(history, truth, preds, err, match):
    with pytest.raises(err, match=match):
        plot_forecast(history, truth, preds)


# --------------------------------------------------------------------------- gates
def test_gates_one_heatmap_per_gate_on_a_shared_0_to_1_scale(rng):
    gates = {name: rng.uniform(0.0, 1.0, (6, 3)) for name in ("input", "forget", "output")}
    fig = plot_gates(gates)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 3
    for ax, (name, g) in zip(heatmaps, gates.items()):
        np.testing.assert_array_equal(np.asarray(ax.images[0].get_array()), g.T)
        assert ax.images[0].get_clim() == (0.0, 1.0)
        assert name in ax.get_ylabel()


@pytest.mark.parametrize("gates, err, match", [
    ({"input": np.full((4, 2), 0.5), "cell": np.full((4, 2), -0.5)}, ValueError, "outside \\[0, 1\\].*'cell'"),
    ({"input": np.full((4, 2), 0.5), "forget": np.full((4, 3), 0.5)}, ValueError, "has shape \\(4, 3\\)"),
    ({"input": np.full((1, 4, 2), 0.5)}, ValueError, r"2-D array.*gates\[name\]\[0\]"),
    ({}, ValueError, "at least one"),
])
def test_gates_refuse_bad_input(gates, err, match):
    with pytest.raises(err, match=match):
        plot_gates(gates)


# --------------------------------------------------------------------------- accuracy vs length
def test_accuracy_vs_length_lines_and_chance_level():
    lengths = [5, 10, 20]
    curves = {"RNN": [1.0, 0.8, 0.5], "LSTM": [1.0, 1.0, 0.9]}
    ax = plot_accuracy_vs_length(lengths, curves, chance=0.5).axes[0]
    assert len(ax.lines) == 3, "two models and the chance line"
    for line, acc in zip(ax.lines, curves.values()):
        np.testing.assert_array_equal(line.get_xdata(), lengths)
        np.testing.assert_array_equal(line.get_ydata(), acc)
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), [0.5, 0.5])
    assert _legend_texts(ax)[:2] == ["RNN", "LSTM"]
    assert ax.get_ylim()[0] == 0.0
    assert len(plot_accuracy_vs_length(lengths, curves).axes[0].lines) == 2


@pytest.mark.parametrize("kwargs, err, match", [
    (dict(curves={"a": [50.0, 60.0]}), ValueError, "divide percentages by 100"),
    (dict(curves={"a": [0.5]}), ValueError, "has 1 values but lengths has 2"),
    (dict(curves={"a": [0.5, 0.6]}, chance=2.0), ValueError, "chance must be in"),
    (dict(curves={"a": [0.5, 0.6]}, chance="half"), TypeError, "chance must be a number"),
])
def test_accuracy_vs_length_refuses_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        plot_accuracy_vs_length([5, 10], **kwargs)


# --------------------------------------------------------------------------- activations
def test_activations_draw_the_package_functions_and_derivatives():
    fig = plot_activations(x_range=(-2.0, 2.0), num=41)
    ax_f, ax_d = fig.axes
    a = np.linspace(-2.0, 2.0, 41)
    tanh_line, sigmoid_line, relu_line = ax_f.lines[:3]   # then the a = 0 and f = 0 guide lines
    np.testing.assert_allclose(tanh_line.get_ydata(), np.tanh(a), rtol=0, atol=1e-15)
    np.testing.assert_allclose(sigmoid_line.get_ydata(), 1 / (1 + np.exp(-a)), rtol=0, atol=1e-15)
    np.testing.assert_allclose(relu_line.get_ydata(), np.maximum(a, 0), rtol=0, atol=0)
    d_tanh = ax_d.lines[0]
    np.testing.assert_allclose(d_tanh.get_ydata(), 1 - np.tanh(a) ** 2, rtol=0, atol=1e-15)
    assert _legend_texts(ax_f) == ["tanh", "sigmoid", "relu"]


@pytest.mark.parametrize("kwargs, err, match", [
    (dict(x_range=(1.0, -1.0)), ValueError, "low < high"),
    (dict(x_range=3.0), TypeError, "pair"),
    (dict(num=1), ValueError, "at least 2"),
])
def test_activations_refuse_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        plot_activations(**kwargs)


# --------------------------------------------------------------------------- every plot
def test_no_figure_is_left_open_in_pyplot(rng):
    """Figures are returned, not kept in pyplot's registry: a notebook shows each once, nothing leaks."""
    before = set(plt.get_fignums())
    plot_hidden_states(np.zeros((3, 2)))
    plot_gradient_norms([0, 1], {"a": [1.0, 0.5]})
    plot_loss_curves({"a": [1.0, 0.5]})
    plot_forecast([0.0], [1.0], {"f": [1.0]})
    plot_gates({"g": np.full((3, 2), 0.5)})
    plot_accuracy_vs_length([1, 2], {"a": [0.5, 0.6]})
    plot_activations()
    assert set(plt.get_fignums()) == before


def test_all_names_are_exported():
    assert set(plots.__all__) == {name for name in dir(plots) if name.startswith("plot_")}
