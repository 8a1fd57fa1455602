"""Typical student mistakes per assignment, each graded in the assignment tests.

A module per assignment, named like it (``a01_rnn_forward.py`` for ``a01_rnn_forward``), defines
``MISTAKES``: each entry replaces one answer cell of the solution notebook with
mistaken code and states which graded cell must lose its points and which words
the student's feedback must contain.

Most mistakes are a small change to the solution itself: :func:`solution_with` makes them from
the solution cell of ``assignments/authoring/<assignment>.py`` and a few ``(old, new)`` edits,
so the corpus never keeps a second copy of a solution. A mistake that rewrites the whole
answer spells its code out.
"""
from dataclasses import dataclass
from pathlib import Path

AUTHORING = Path(__file__).resolve().parents[2] / "assignments" / "authoring"
_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class Mistake:
    name: str        # short id, used as the student id of the submission
    answer_cell: str  # grade_id of the solution cell to replace
    code: str        # the mistaken code for that cell
    loses: str       # grade_id of the test cell that must score 0
    message: str     # words the feedback must show for that cell


def solution(assignment, grade_id):
    """The code of the solution cell ``grade_id`` in ``assignments/authoring/<assignment>.py``,
    without nbgrader's solution markers (a student's answer has none)."""
    text = (AUTHORING / f"{assignment}.py").read_text()
    for cell in text.split("\n# %%")[1:]:
        header, _, body = cell.partition("\n")
        if f'"grade_id": "{grade_id}"' in header:
            return "".join(line for line in body.splitlines(keepends=True) if line.strip() not in _MARKERS)
    raise KeyError(f"{assignment} has no cell with grade_id {grade_id}")


def edited(assignment, grade_id, *edits):
    """The solution of ``grade_id`` with each ``(old, new)`` edit made; ``old`` must occur exactly once."""
    code = solution(assignment, grade_id)
    for old, new in edits:
        found = code.count(old)
        if found != 1:
            raise ValueError(f"{assignment} {grade_id}: {old!r} occurs {found} times in the solution, not once")
        code = code.replace(old, new)
    return code


def solution_with(assignment, answer_cell, loses, rows):
    """One :class:`Mistake` per row ``(name, message, *edits)``: the solution of ``answer_cell`` with
    the edits, which makes the test cell ``loses`` score 0 with ``message`` in the feedback."""
    return [Mistake(name, answer_cell, edited(assignment, answer_cell, *edits), loses, message)
            for name, message, *edits in rows]
