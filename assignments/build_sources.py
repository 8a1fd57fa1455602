"""Build nbgrader source notebooks from their text versions.

The assignments are written as jupytext "percent" scripts in ``authoring/``
(readable diffs, nbgrader metadata in each cell header). This script writes
``source/<assignment>/<assignment>.ipynb`` from each, with no outputs. Run it
after editing an authoring file (``make assignments``); a test checks that the
committed notebooks match their text versions.
"""
from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent


def build_notebook(script: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(script, fmt="py:percent")
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
