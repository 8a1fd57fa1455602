"""nbgrader preprocessors that keep one bad submission from losing its other points.

Taught on the book page *For instructors* (``book/instructors``).

Configured in ``assignments/nbgrader_config.py`` as ``graders.preprocessors.ResilientExecute``
and ``graders.preprocessors.DeduplicateCells`` (this module belongs to the course
directory, not to the ``rnncourse`` package, which does not depend on nbgrader):

* :class:`ResilientExecute` replaces nbgrader's ``Execute``. When a cell kills the
  Python kernel (``os._exit``, a crash in C code, running out of memory), nbgrader
  stops grading the whole notebook and the student gets nothing, not even for
  the parts that worked. Here the cell gets an error output that says what
  happened, a fresh kernel replays the cells before it, and grading goes on.
* :class:`DeduplicateCells` replaces nbgrader's ``DeduplicateIds``. A duplicated
  graded cell makes nbgrader keep the last copy and blank the metadata of the
  others to ``{}``, which its own metadata check then rejects as an "old
  format", failing the submission. Here the extra copies simply become ordinary
  cells.
"""
from __future__ import annotations

import re

from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds, Execute

HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)

KERNEL_DIED = ("KernelDied: the Python kernel stopped while this cell ran (os._exit, a crash, or running "
               "out of memory). Grading went on in a fresh kernel that re-ran the cells above this one.")


class ResilientExecute(Execute):
    """nbgrader's ``Execute`` that survives a kernel dying in one cell.

    Book page: ``book/instructors``.
    """

    def preprocess_cell(self, cell, resources, index):
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self.log.warning("The kernel died in cell %d; restarting and replaying the cells above", index)
            cell.outputs = [NotebookNode(output_type="error", ename="KernelDied", evalue=KERNEL_DIED,
                                         traceback=[KERNEL_DIED])]
            self._restart_and_replay(index)
            return cell, self.resources

    def _restart_and_replay(self, index):
        self._cleanup_kernel()
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()
        # replay quietly, straight through the kernel client: the notebook's cells and their
        # recorded outputs stay as they are
        for earlier in self.nb.cells[:index]:
            if earlier.cell_type != "code" or not earlier.source.strip():
                continue
            msg_id = self.kc.execute(earlier.source, silent=True, store_history=False, allow_stdin=False)
            try:
                self.wait_for_reply(msg_id)
            except DeadKernelError:                  # an earlier cell dies too: stop replaying
                self._cleanup_kernel()
                self.km = self.create_kernel_manager()
                self.start_new_kernel()
                self.start_new_kernel_client()
                return


class DeduplicateCells(DeduplicateIds):
    """nbgrader's ``DeduplicateIds`` that turns extra copies of a cell into ordinary cells.

    Book page: ``book/instructors``.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader["grade_id"]
        if grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists multiple times; the extra copy is ungraded", grade_id)
            del cell.metadata["nbgrader"]
            # an ordinary cell may not hold a hidden-test region (feedback generation refuses it)
            cell.source = HIDDEN_REGION.sub("", cell.source)
        else:
            self.grade_ids.add(grade_id)
        return cell, resources
