"""Benchmark: grading throughput of a class, PostgreSQL vs SQLite gradebook, 1, 2 and 4 workers.

    sudo .venv/bin/python benchmarks/class_throughput.py [--students 16] [--jobs 1,2,4]
                                                        [--backends sqlite,postgresql] [--json out.json]

For each gradebook and worker count: a fresh copy of the course directory, ``--students``
copies of the solution notebook of the rnn-forward assignment in ``submitted/``, then
``assignments/course.py``'s grade (autograde with N worker processes sharing the gradebook,
feedback, export), timed from start to end. PostgreSQL is Debian's server started on
127.0.0.1 for the run as the system user ``postgres`` (tests/support/class_servers.py), so the
PostgreSQL rows need root; each run gets a new database. Prints notebooks per minute.
A benchmark prints figures; it asserts only that every submission was graded.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "assignments"))
sys.path.insert(0, str(ROOT / "tests"))
import course  # noqa: E402

GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__",
             "downloaded", "similarity", "*.csv")


def assignment_name() -> str:
    names = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir() if p.is_dir())
    return next(n for n in names if "rnn_forward" in n)


def run(n_students: int, assignment: str, jobs: int, db_url: str | None) -> float:
    """Seconds to grade ``n_students`` solution notebooks with ``jobs`` workers into ``db_url`` (None: SQLite)."""
    cwd = os.getcwd()
    saved = os.environ.get("RNNCOURSE_GRADEBOOK_URL")
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "course"
        shutil.copytree(ROOT / "assignments", dest, ignore=shutil.ignore_patterns(*GENERATED))
        nb = dest / "source" / assignment / f"{assignment}.ipynb"
        for i in range(n_students):
            target = dest / "submitted" / f"student{i:03d}" / assignment / nb.name
            target.parent.mkdir(parents=True)
            shutil.copy2(nb, target)
        if db_url:
            os.environ["RNNCOURSE_GRADEBOOK_URL"] = db_url     # read by nbgrader_config.py, here and in the workers
        else:
            os.environ.pop("RNNCOURSE_GRADEBOOK_URL", None)
        try:
            start = time.perf_counter()
            codes = course.grade(dest, assignment, jobs=jobs)
            seconds = time.perf_counter() - start
        finally:
            os.chdir(cwd)
            if saved is None:
                os.environ.pop("RNNCOURSE_GRADEBOOK_URL", None)
            else:
                os.environ["RNNCOURSE_GRADEBOOK_URL"] = saved
        if len(codes) != n_students or not all(codes.values()):
            raise RuntimeError(f"not every submission was graded: {codes}")
        return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--jobs", default="1,2,4", help="comma-separated worker counts")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        jobs = [int(j) for j in args.jobs.split(",")]
        assert jobs and all(j > 0 for j in jobs)
    except (ValueError, AssertionError):
        parser.error(f"--jobs takes positive integers separated by commas, not {args.jobs!r}")
    backends = args.backends.split(",")
    if not set(backends) <= {"sqlite", "postgresql"} or args.students < 1:
        parser.error(f"--backends takes sqlite and/or postgresql, not {args.backends!r}; --students must be >= 1")
    assignment = assignment_name()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.students} solution notebooks of {assignment} per run (autograde + feedback + export)")
    rows = []
    pg = None
    base = None
    try:
        for backend in backends:
            if backend == "postgresql":
                from support import class_servers
                base = class_servers.world_readable_tmpdir("rnncourse-bench-")
                pg = class_servers.PostgresServer(base).start()
            for j in jobs:
                url = None
                if backend == "postgresql":
                    url = pg.create_database(f"bench_{j}", f"bench_{j}", class_servers.new_password())
                seconds = run(args.students, assignment, j, url)
                per_min = args.students / seconds * 60
                rows.append({"backend": backend, "workers": j, "seconds": round(seconds, 1),
                             "notebooks_per_minute": round(per_min, 1)})
                print(f"  {backend:10} {j} worker(s): {seconds:6.1f} s, {per_min:5.1f} notebooks/min", flush=True)
    finally:
        if pg is not None:
            pg.stop()
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"students": args.students, "assignment": assignment, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
