"""Typical student mistakes per assignment, each graded in the assignment tests.

A module per assignment, named like it (``a01_rnn_forward.py`` for ``a01_rnn_forward``), defines
``MISTAKES``: each entry replaces one answer cell of the solution notebook with
mistaken code and states which graded cell must lose its points and which words
the student's feedback must contain.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    name: str        # short id, used as the student id of the submission
    answer_cell: str  # grade_id of the solution cell to replace
    code: str        # the mistaken code for that cell
    loses: str       # grade_id of the test cell that must score 0
    message: str     # words the feedback must show for that cell
