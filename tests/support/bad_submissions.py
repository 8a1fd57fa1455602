"""A corpus of bad submissions to assignment 1, each with the score it deserves (out of 18).

Each case turns the solution notebook into what a student might hand in. The
scores follow from which graded cells the damage reaches: assignment 1's cells
are tanh (2), step (4), sequence (4, uses the step), output (2), softmax (2),
worked example (2, uses the sequence) and concept (2).
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Callable

ASSIGNMENT = "a01_rnn_forward"
MAX_SCORE = 18.0


@dataclass(frozen=True)
class Bad:
    name: str
    make: Callable[[dict], "dict | str | None"]   # notebook JSON in -> JSON, raw text, or None (no notebook)
    score: float
    message: str                                     # words the student's feedback must contain


def _cell(nb, grade_id):
    return next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def _answer(grade_id, code):
    def make(nb):
        nb = copy.deepcopy(nb)
        _cell(nb, grade_id)["source"] = code
        return nb
    return make


def _delete(grade_id):
    def make(nb):
        nb = copy.deepcopy(nb)
        nb["cells"] = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id]
        return nb
    return make


def _duplicate(grade_id):
    def make(nb):
        nb = copy.deepcopy(nb)
        i = nb["cells"].index(_cell(nb, grade_id))
        twin = copy.deepcopy(nb["cells"][i])
        twin["id"] = twin.get("id", "x") + "-copy"
        source = "".join(twin["source"]) if isinstance(twin["source"], list) else twin["source"]
        # a student's copy comes from the student version, which has no hidden tests
        twin["source"] = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", source, flags=re.S)
        nb["cells"].insert(i + 1, twin)
        return nb
    return make


STEP = "def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):\n    {}\n"

CORPUS = [
    Bad("solver", lambda nb: nb, 18, "Score: 18.0 / 18.0"),
    Bad("endless-loop", _answer("step_answer", STEP.format("while True:\n        pass")), 8,
        "CellTimeoutError"),
    Bad("kernel-dies", _answer("sequence_answer", "import os\nos._exit(1)\n"), 12, "KernelDied"),
    Bad("import-error", _answer("tanh_answer", "import not_a_real_module\n"), 6, "ModuleNotFoundError"),
    Bad("nan-output", _answer("step_answer", STEP.format("return np.full((x.shape[0], W_hh.shape[0]), np.nan)")),
        8, "contains NaN or infinite values"),
    Bad("wrong-shape", _answer("step_answer", STEP.format("return tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h).T")),
        8, "has shape"),
    Bad("deleted-test-cell", _delete("step_test"), 14, "Score: 14.0 / 18.0"),
    Bad("edited-test-cell", lambda nb: _answer("step_test", "pass\n")(nb), 18, "Score: 18.0 / 18.0"),
    Bad("duplicated-cells", _duplicate("step_test"), 18, "Score: 18.0 / 18.0"),
    Bad("invalid-ipynb", lambda nb: '{"cells": [ this is not json', 0, "is not a valid Jupyter notebook"),
    Bad("missing-notebook", lambda nb: None, 0, "is missing from your submission"),
    Bad("warnings-on-stderr", _answer("step_answer",
        "import sys, warnings\nwarnings.warn('top-level warning')\nprint('debug', file=sys.stderr)\n"
        + STEP.format("warnings.warn('inside')\n    print('debug', file=sys.stderr)\n"
                      "    return tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)")), 18, "Score: 18.0 / 18.0"),
    Bad("redefines-numpy-comparisons", _answer("step_answer",
        "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        + STEP.format("return np.zeros((x.shape[0], W_hh.shape[0]))")), 8, "wrong values"),
    Bad("equal-to-everything", _answer("step_answer",
        "class Anything:\n    shape = property(lambda self: (1, 1))\n    def __eq__(self, other):\n"
        "        return True\n    __array_priority__ = 1000\n\n" + STEP.format("return Anything()")),
        8, "must be a numpy array"),
]


def write(corpus_dir, source_nb: dict) -> None:
    """Write every case under ``corpus_dir/submitted/<name>/a01_rnn_forward/``."""
    for bad in CORPUS:
        folder = corpus_dir / "submitted" / bad.name / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        made = bad.make(source_nb)
        if made is None:
            (folder / "my_notes.txt").write_text("I could not find the notebook, sorry\n")
        elif isinstance(made, str):
            (folder / f"{ASSIGNMENT}.ipynb").write_text(made)
        else:
            (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(made))
