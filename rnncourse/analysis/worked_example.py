r"""The two-unit worked example of the article *Understanding Recurrent Neural Networks (RNNs)*, computed.

Taught on the book page *The math of an RNN* (``book/math``).

A tanh RNN with two hidden units and two inputs, in the article's notation
:math:`h_t = \tanh(W_h x_t + U_h h_{t-1} + b_h)` (our ``W_xh``, ``W_hh``, ``b_h``),

.. math::

    W_h = \begin{bmatrix} 0.5 & 0.2 \\ 0.3 & 0.8 \end{bmatrix}, \quad
    U_h = \begin{bmatrix} 0.1 & 0.4 \\ 0.6 & 0.7 \end{bmatrix}, \quad
    b_h = \begin{bmatrix} 0.1 \\ 0.2 \end{bmatrix},

reads :math:`x_1 = (1, 0)^\top`, then :math:`x_2 = (0, 1)^\top`, from
:math:`h_0 = 0`. The article's printed second step does not follow from its own
numbers; :func:`seed_discrepancies` lists where, so the book can say so with the
figures this package computes.
"""
from __future__ import annotations

import numpy as np

from ..cells.rnn import rnn_forward
from ..core.checks import check_int

#: The example's parameters and inputs, as the article gives them.
W_h = np.array([[0.5, 0.2], [0.3, 0.8]])
U_h = np.array([[0.1, 0.4], [0.6, 0.7]])
b_h = np.array([0.1, 0.2])
X = np.array([[1.0, 0.0], [0.0, 1.0]])        # x_1, x_2 as rows
H0 = np.zeros(2)

#: What the article prints for each intermediate quantity (quoted, to compare against).
SEED_PRINTED = {
    "W_h x_1 + b_h (= preactivation a_1)": (1, "a", np.array([0.6, 0.5])),
    "h_1": (1, "h", np.array([0.537, 0.462])),
    "U_h h_1": (2, "U_h h_prev", np.array([0.1854, 0.7552])),
    "a_2 = W_h x_2 + U_h h_1 + b_h": (2, "a", np.array([0.5702, 1.7552])),
    "h_2": (2, "h", np.array([0.515, 0.942])),
}


def worked_example():
    """Every intermediate quantity of the example, step by step.

    Returns
    -------
    dict
        ``"W_h"`` (2, 2), ``"U_h"`` (2, 2), ``"b_h"`` (2,), ``"x"`` (2, 2) with
        rows :math:`x_1, x_2`, ``"h0"`` (2,), and ``"steps"``: a list of two
        dicts with keys ``"t"``, ``"x"``, ``"h_prev"``, ``"W_h x"``,
        ``"U_h h_prev"``, ``"a"`` (the pre-activation) and ``"h"``, each a (2,)
        array. The final states are also checked against
        :func:`rnncourse.cells.rnn.rnn_forward`, the package's own layer code.

    Book page: ``book/math``.
    """
    steps = []
    h_prev = H0.copy()
    for t, x_t in enumerate(X, start=1):
        Wx = W_h @ x_t
        Uh = U_h @ h_prev
        a = Wx + Uh + b_h
        h = np.tanh(a)
        steps.append({"t": t, "x": x_t, "h_prev": h_prev, "W_h x": Wx, "U_h h_prev": Uh, "a": a, "h": h})
        h_prev = h
    # the same numbers through the package's sequence function (batch of one)
    h_seq, _ = rnn_forward(X[None], H0[None], W_h, U_h, b_h, "tanh")
    assert np.allclose(h_seq[0], [s["h"] for s in steps], rtol=0, atol=1e-15)
    return {"W_h": W_h, "U_h": U_h, "b_h": b_h, "x": X, "h0": H0, "steps": steps}


def seed_discrepancies(decimals=4):
    """Compare the article's printed figures with the computed ones.

    Parameters
    ----------
    decimals : int
        A printed figure counts as right when the computed value rounds to it at
        the number of decimals the article printed (at most ``decimals``).

    Returns
    -------
    list of dict
        One dict per quantity: ``"quantity"``, ``"printed"``, ``"computed"``,
        ``"agrees"`` (bool).

    Book page: ``book/math``.
    """
    decimals = check_int("decimals", decimals, 0)
    ex = worked_example()
    rows = []
    for label, (t, key, printed) in SEED_PRINTED.items():
        computed = ex["steps"][t - 1][key]
        places = min(decimals, max(len(f"{v:.10g}".split(".")[-1]) for v in printed))
        agrees = bool(np.all(np.abs(np.round(computed, places) - printed) < 0.5 * 10.0 ** -places + 1e-12))
        rows.append({"quantity": label, "printed": printed, "computed": computed, "agrees": agrees})
    return rows
