"""Architecture diagrams: each returns a Figure, draws one box per step, names the weights, saves as PNG.

The diagrams are checked through what they put on the axes: patches carry a
``gid`` naming their role (``"step-cell"`` for one time step of a recurrent
cell) and labels are mathtext strings, so the tests count steps and look for
weight names without comparing images.
"""
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rnncourse.viz import diagrams  # noqa: E402

ALL = [getattr(diagrams, name) for name in diagrams.__all__ if name.startswith("draw_")]


def _gids(fig, gid):
    return [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.mark.parametrize("draw", ALL, ids=lambda f: f.__name__)
def test_returns_a_figure_that_saves_as_png(draw):
    """Default arguments: a Figure with an axes, writable as a PNG, and not left open in pyplot."""
    before = set(plt.get_fignums())
    fig = draw()
    assert isinstance(fig, Figure)
    assert len(fig.axes) >= 1
    assert set(plt.get_fignums()) == before, "the figure must be closed in pyplot before it is returned"
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(buf.getvalue()) > 2_000          # something was drawn


def test_every_public_name_is_exported():
    assert "DIAGRAM_COLORS" in diagrams.__all__
    for name in diagrams.__all__:
        assert hasattr(diagrams, name), name
    assert len(ALL) == 11


def test_diagrams_gathers_the_three_diagram_modules():
    """viz.diagrams re-exports exactly the public names of the modules the diagrams live in."""
    from rnncourse import viz
    from rnncourse.viz import drawing, rnn_diagrams, variant_diagrams

    assert set(diagrams.__all__) == {"DIAGRAM_COLORS"} | set(rnn_diagrams.__all__) | set(variant_diagrams.__all__)
    for module in (rnn_diagrams, variant_diagrams):
        for name in module.__all__:
            assert getattr(diagrams, name) is getattr(module, name) is getattr(viz, name), name
    assert diagrams.DIAGRAM_COLORS is drawing.DIAGRAM_COLORS is viz.DIAGRAM_COLORS


@pytest.mark.parametrize("T", [1, 3, 5])
def test_unrolled_draws_T_cells_with_the_same_weights_at_every_step(T):
    """Parameter sharing: W_xh, W_hh, W_hy appear once on the folded cell and once per step."""
    fig = diagrams.draw_unrolled(T=T)
    assert len(_gids(fig, "step-cell")) == T
    assert len(_gids(fig, "folded-cell")) == 1
    assert len(_gids(fig, "initial-state")) == 1
    texts = _texts(fig)
    for w in ("$W_{xh}$", "$W_{hh}$", "$W_{hy}$"):
        assert texts.count(w) == T + 1, (w, texts.count(w))
    assert f"$h_{{{T}}}$" in texts and f"$x_{{{T}}}$" in texts and f"$y_{{{T}}}$" in texts
    assert f"$h_{{{T + 1}}}$" not in texts
    assert "$h_t$" in texts and "$h_0$" in texts


def test_unrolled_figure_grows_with_T():
    """The scale is fixed, so more steps make a wider figure (never squeezed boxes)."""
    w3 = diagrams.draw_unrolled(T=3).get_size_inches()[0]
    w5 = diagrams.draw_unrolled(T=5).get_size_inches()[0]
    assert w5 > w3


def test_layers_draws_each_neuron_and_every_recurrent_connection():
    """H self-loops and H(H-1)/2 arcs (each for W_hh[i, j] and W_hh[j, i]); shapes in the labels."""
    fig = diagrams.draw_layers(n_inputs=3, n_hidden=4, n_outputs=2)
    assert len(_gids(fig, "input-neuron")) == 3
    assert len(_gids(fig, "hidden-neuron")) == 4
    assert len(_gids(fig, "output-neuron")) == 2
    assert len(_gids(fig, "self-loop")) == 4
    assert len(_gids(fig, "lateral-arc")) == 6
    texts = _texts(fig)
    assert "$W_{xh}$: (4, 3)" in texts
    assert "$W_{hh}$: (4, 4)" in texts
    assert "$W_{hy}$: (2, 4)" in texts
    fig = diagrams.draw_layers(n_inputs=2, n_hidden=1, n_outputs=5)
    assert len(_gids(fig, "hidden-neuron")) == 1 and len(_gids(fig, "lateral-arc")) == 0
    assert len(_gids(fig, "output-neuron")) == 5


def test_io_patterns_has_five_panels_with_their_example_tasks():
    fig = diagrams.draw_io_patterns()
    text = " ".join(_texts(fig))
    for title in ("one to one", "one to many", "many to one", "many to many (aligned)",
                  "many to many (encoder-decoder)"):
        assert title in text
    for task in ("image\nclassification", "captioning", "music generation", "sentiment", "tagging",
                 "video frames", "translation"):
        assert task in text
    # hidden boxes per panel: 1 + 4 + 4 + 4 + 7
    assert len(_gids(fig, "step-cell")) == 20


def test_feedforward_vs_recurrent_only_the_rnn_has_a_loop():
    """W_hh is the one thing the recurrent network adds: named once, on the right panel."""
    texts = _texts(diagrams.draw_feedforward_vs_recurrent())
    assert texts.count("$W_{hh}$") == 1
    assert texts.count("$W_{xh}$") == 2 and texts.count("$W_{hy}$") == 2
    assert "feedforward network" in texts and "recurrent network" in texts


def test_lstm_and_gru_cells_draw_their_gates():
    fig = diagrams.draw_lstm_cell()
    for g in "figo":
        assert len(_gids(fig, f"gate-{g}")) == 1, g
    texts = " ".join(_texts(fig))
    for s in ("$c_{t-1}$", "$c_t$", "$h_{t-1}$", "$f_t$", "$i_t$", "$g_t$", "$o_t$", "W_{xh}", "W_{hh}",
              "4H rows"):
        assert s in texts, s
    fig = diagrams.draw_gru_cell()
    for g in "zrn":
        assert len(_gids(fig, f"gate-{g}")) == 1, g
    texts = " ".join(_texts(fig))
    for s in ("$z_t$", "$r_t$", "$n_t$", "b_{xh}", "b_{hh}", "3H rows"):
        assert s in texts, s


@pytest.mark.parametrize("T", [2, 4])
def test_bidirectional_draws_T_forward_and_T_backward_cells(T):
    fig = diagrams.draw_bidirectional(T=T)
    assert len(_gids(fig, "step-cell")) == T
    assert len(_gids(fig, "step-cell-backward")) == T
    texts = _texts(fig)
    assert texts.count(r"$\overrightarrow{W}_{hh}$") == T
    assert texts.count(r"$\overleftarrow{W}_{hh}$") == T
    assert rf"$\overleftarrow{{h}}_{{{T + 1}}}$" in texts      # the backward layer starts after the end


@pytest.mark.parametrize("T, L", [(4, 3), (2, 1), (5, 2)])
def test_stacked_draws_T_times_L_cells_and_names_each_layers_weights(T, L):
    fig = diagrams.draw_stacked(T=T, num_layers=L)
    assert len(_gids(fig, "step-cell")) == T * L
    assert len(_gids(fig, "initial-state")) == L
    text = " ".join(_texts(fig))
    for l in range(1, L + 1):
        assert f"$W^{{({l})}}_{{hh}}$" in text
    assert f"$W^{{({L + 1})}}_{{hh}}$" not in text


def test_rcnn_pools_eight_steps_to_four_recurrent_steps():
    fig = diagrams.draw_rcnn()
    assert len(_gids(fig, "conv-feature")) == 8
    assert len(_gids(fig, "pooled-feature")) == 4
    assert len(_gids(fig, "step-cell")) == 4
    assert _texts(fig).count("$W_{hh}$") == 3


@pytest.mark.parametrize("C, S", [(3, 3), (2, 4)])
def test_hierarchical_draws_C_chunks_of_S_steps(C, S):
    fig = diagrams.draw_hierarchical(num_chunks=C, chunk_size=S)
    assert len(_gids(fig, "step-cell")) == C * S
    assert len(_gids(fig, "upper-cell")) == C
    assert len(_gids(fig, "chunk")) == C
    texts = _texts(fig)
    assert texts.count("$W^{up}_{hh}$") == C
    assert texts.count("$W^{low}_{hh}$") == C * (S - 1)     # the lower RNN restarts in every chunk


def test_seq2seq_encoder_and_decoder_lengths_follow_the_tokens():
    fig = diagrams.draw_seq2seq(source=["a", "b"], target=["x", "y", "z"])
    assert len(_gids(fig, "step-cell")) == 2
    assert len(_gids(fig, "decoder-cell")) == 4                # <bos> + 3 targets in, 3 targets + <eos> out
    texts = _texts(fig)
    assert "<bos>" in texts and "<eos>" in texts and "$s$" in texts
    assert texts.count("$W^{enc}_{hh}$") == 2 and texts.count("$W^{dec}_{hh}$") == 3


@pytest.mark.parametrize("call, name", [
    (lambda: diagrams.draw_unrolled(T=0), "T"),
    (lambda: diagrams.draw_unrolled(T=13), "T"),
    (lambda: diagrams.draw_bidirectional(T=0), "T"),
    (lambda: diagrams.draw_stacked(T=0), "T"),
    (lambda: diagrams.draw_stacked(T=3, num_layers=0), "num_layers"),
    (lambda: diagrams.draw_layers(n_hidden=0), "n_hidden"),
    (lambda: diagrams.draw_layers(n_inputs=9), "n_inputs"),
    (lambda: diagrams.draw_hierarchical(num_chunks=0), "num_chunks"),
    (lambda: diagrams.draw_hierarchical(num_chunks=4, chunk_size=4), "num_chunks \\* chunk_size"),
    (lambda: diagrams.draw_seq2seq(source=[]), "source"),
])
def test_bad_sizes_raise_value_error_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: diagrams.draw_unrolled(T=2.5), "T"),
    (lambda: diagrams.draw_unrolled(T=True), "T"),
    (lambda: diagrams.draw_stacked(num_layers="3"), "num_layers"),
    (lambda: diagrams.draw_seq2seq(source="two hundred"), "source"),
    (lambda: diagrams.draw_seq2seq(target=["1", 2]), "target"),
])
def test_wrong_types_raise_type_error_naming_the_argument(call, name):
    with pytest.raises(TypeError, match=f"^{name}"):
        call()
