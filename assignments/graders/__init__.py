"""The instructor's side of the grading: hidden tests and nbgrader plugins, never shipped to students.

What belongs here, and nothing else:

* one module per assignment, named like it (``a01_rnn_forward.py`` for
  ``source/a01_rnn_forward/``): the functions that the ``### BEGIN HIDDEN TESTS``
  regions of that assignment's graded cells call (``hidden_*``, and the concept and
  worked-example checks whose answers only the hidden region holds). Each draws fresh
  inputs from a seed and checks the answer with the public helpers of the visible
  checks, ``rnncourse.grading.<assignment>``, and the shared machinery of
  ``rnncourse.grading`` (``call_student``, ``check_array``, ``diagnose``, ...);
* ``preprocessors.py``: the nbgrader plugins ``ResilientExecute`` and
  ``DeduplicateCells`` that ``nbgrader_config.py`` configures.

The ``rnncourse`` package that students install holds only the visible checks; this
folder is not in its wheel and may import nbgrader. ``nbgrader_config.py`` puts the
course directory on ``sys.path`` (for nbgrader's own process) and on ``PYTHONPATH``
(for the kernels nbgrader starts), so that ``import graders`` works in both when any
nbgrader command runs inside the course directory. Taught on the book page *For
instructors* (``book/instructors``).
"""
