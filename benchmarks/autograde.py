"""Benchmark: autograde time per notebook and for a whole class, with and without parallel workers.

    .venv/bin/python benchmarks/autograde.py [--students 30] [--assignment a01_rnn_forward]

Copies the course directory to a temporary folder, submits the solution notebook for
``--students`` students, and grades the class twice through ``assignments/course.py``:
with one worker and with two. Prints the wall time of each run and the time per
notebook. A benchmark prints figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "assignments"))
import course  # noqa: E402

GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__")


def run(n_students: int, assignment: str, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "course"
        shutil.copytree(ROOT / "assignments", dest, ignore=shutil.ignore_patterns(*GENERATED))
        nb = dest / "source" / assignment / f"{assignment}.ipynb"
        for i in range(n_students):
            target = dest / "submitted" / f"student{i:03d}" / assignment / nb.name
            target.parent.mkdir(parents=True)
            shutil.copy2(nb, target)
        start = time.perf_counter()
        codes = course.grade(dest, assignment, jobs=jobs)
        seconds = time.perf_counter() - start
        cwd = os.getcwd()
        os.chdir(ROOT)
        assert all(codes.values()) and len(codes) == n_students, codes
        os.chdir(cwd)
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--assignment", default="a01_rnn_forward")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.students} submissions of {args.assignment} (autograde + feedback + export)")
    for jobs in (1, 2):
        seconds = run(args.students, args.assignment, jobs)
        print(f"  {jobs} worker(s): {seconds:6.1f} s in all, {seconds / args.students:5.2f} s per notebook")


if __name__ == "__main__":
    main()
