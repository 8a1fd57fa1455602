"""Build nbgrader source notebooks from their text versions.

The assignments are written as jupytext "percent" scripts in ``authoring/``
(readable diffs, nbgrader metadata in each cell header). This script writes
``source/<assignment>/<assignment>.ipynb`` from each, with no outputs. Run it
after editing an authoring file (``make assignments``) or changing the package's
version; a test checks that the committed notebooks match their text versions.

Before the first code cell (the setup cell, which imports ``rnncourse``) it inserts
the environment check of :func:`rnncourse.environment.check_cell`, written for the
package's current version and locked like the setup cell: a student who opens the
released notebook without ``rnncourse``, or with another version, is told in one
sentence what to install instead of getting a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
from rnncourse.environment import check_cell

HERE = Path(__file__).resolve().parent
#: nbgrader metadata of the inserted environment check: locked, not graded
ENVIRONMENT_CELL = {"grade": False, "grade_id": "environment", "locked": True, "schema_version": 3,
                    "solution": False, "task": False}


def build_notebook(script: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(script, fmt="py:percent")
    first_code = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    nb.cells.insert(first_code, nbformat.v4.new_code_cell(check_cell(), metadata={"nbgrader": ENVIRONMENT_CELL}))
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        meta = {"nbgrader": cell.metadata["nbgrader"]} if "nbgrader" in cell.metadata else {}
        cell.metadata = meta
        cell["id"] = f"cell-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(nb)
    return nb


def target_for(script: Path) -> Path:
    return HERE / "source" / script.stem / f"{script.stem}.ipynb"


def main(check: bool = False) -> int:
    stale = []
    for script in sorted((HERE / "authoring").glob("*.py")):
        text = nbformat.writes(build_notebook(script)) + "\n"
        target = target_for(script)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target.relative_to(HERE)))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            print(f"wrote {target.relative_to(HERE)}")
    if stale:
        print("out of date (run `make assignments`):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
