"""Run nbgrader's own commands on a course directory, for the Makefile and the tests.

``python assignments/course.py release`` generates every student version;
``python assignments/course.py grade ASSIGNMENT [-j N]`` autogrades every submission
of one assignment (N students in parallel processes over the one gradebook),
generates feedback and exports grades.csv. nbgrader reads ``nbgrader_config.py``
only from the working directory, so every command runs inside the course directory.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course`` with this interpreter's bin directory first on PATH."""
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run([os.path.join(bindir, "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def assignments(course: Path) -> list[str]:
    return sorted(p.name for p in (course / "source").iterdir() if p.is_dir())


def release(course: Path) -> None:
    """Generate the student version of every assignment into ``release/``."""
    api = api_for(course)
    for a in assignments(course):
        _check(api.generate_assignment(a, force=True), f"generate_assignment {a}")
        print(f"released {a}")


def students(course: Path, assignment: str) -> list[str]:
    sub = course / "submitted"
    return sorted(p.name for p in sub.iterdir() if (p / assignment).is_dir()) if sub.is_dir() else []


def api_for(course: Path):
    """nbgrader's Python API on ``course`` with its ``nbgrader_config.py`` (saves a process per command)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    os.chdir(course)
    # nbgrader runs `alembic` as a program every time it opens the gradebook
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return NbGraderAPI(config=config)


def _check(result, what):
    if not result["success"]:
        raise RuntimeError(f"{what} failed:\n{result.get('error', '')}\n{result.get('log', '')}")


def _worker(course: Path, assignment: str, names: list[str]) -> int:
    """Autograde ``names`` in this process through nbgrader's Python API (imported once)."""
    import json

    api = api_for(course)
    for student in names:
        for attempt in range(5):
            result = api.autograde(assignment, student, force=True, create=True)
            text = (result.get("error") or "") + (result.get("log") or "")
            if result["success"] or "database is locked" not in text:
                break
            time.sleep(0.5 * (attempt + 1))     # another worker holds the SQLite gradebook
        print(json.dumps({"student": student, "success": bool(result["success"])}), flush=True)
    return 0


def unreadable(course: Path, assignment: str, student: str) -> str | None:
    """Why a submission cannot be autograded (a notebook missing or not a notebook), or None."""
    import nbformat

    folder = course / "submitted" / student / assignment
    for source in sorted((course / "source" / assignment).glob("*.ipynb")):
        path = folder / source.name
        if not path.is_file():
            others = ", ".join(sorted(p.name for p in folder.iterdir())) or "nothing"
            return (f"the notebook {source.name} is missing from your submission (it holds: {others}); "
                    "submit the notebook you downloaded, under its original name")
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception as err:                  # not JSON, or not a valid notebook
            return (f"{source.name} is not a valid Jupyter notebook ({type(err).__name__}: "
                    f"{str(err).splitlines()[0][:200]}); open it in Jupyter, save it, and submit again")
    return None


def _write_rejection(course: Path, assignment: str, student: str, reason: str) -> None:
    import html

    folder = course / "feedback" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted((course / "source" / assignment).glob("*.ipynb")):
        (folder / source.with_suffix(".html").name).write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{assignment}: not graded</title></head>"
            f"<body><h1>{html.escape(assignment)}: your submission could not be graded</h1>"
            f"<p>Score: 0. Reason: {html.escape(reason)}.</p></body></html>\n")


def autograde(course: Path, assignment: str, jobs: int = 1) -> dict[str, bool]:
    """Autograde every submission of ``assignment``; returns whether each one went through.

    Students are split over ``jobs`` worker processes that share the one gradebook.
    A submission that fails (an invalid notebook, say) is reported and the others go on.
    """
    import json

    names = students(course, assignment)
    if not names:
        return {}
    rejected = {s: why for s in names if (why := unreadable(course, assignment, s))}
    for student, why in rejected.items():
        _write_rejection(course, assignment, student, why)
    names = [s for s in names if s not in rejected]
    # the gradebook must know the assignment's notebooks (generate_assignment records them; it
    # rewrites the same student version) and every student before parallel writers start
    api = api_for(course)
    _check(api.generate_assignment(assignment, force=True), f"generate_assignment {assignment}")
    with api.gradebook as gb:
        for s in names + list(rejected):
            gb.update_or_create_student(s)
    done = {s: False for s in rejected}
    if not names:
        return done
    jobs = max(1, min(jobs, len(names)))
    chunks = [names[i::jobs] for i in range(jobs)]
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    procs = [subprocess.Popen([sys.executable, __file__, "--course", str(course), "_worker", assignment, *chunk],
                              cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for chunk in chunks]
    for proc in procs:
        out, err = proc.communicate()
        for line in out.splitlines():
            if line.startswith("{"):
                row = json.loads(line)
                done[row["student"]] = row["success"]
        if proc.returncode != 0:
            raise RuntimeError(f"an autograde worker failed ({proc.returncode}):\n{err[-3000:]}")
    return done


def grade(course: Path, assignment: str, jobs: int = 1) -> dict[str, bool]:
    """Autograde, generate feedback and export ``grades.csv``."""
    codes = autograde(course, assignment, jobs)
    api = api_for(course)
    for student, ok in codes.items():
        if ok:   # feedback for each graded submission (the rejected ones already have theirs)
            result = api.generate_feedback(assignment, student, force=True)
            if not result["success"]:
                print(f"feedback for {student} failed:\n{result.get('log', '')[-2000:]}", file=sys.stderr)
    nbgrader(course, "export")
    return codes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path.cwd() if (Path.cwd() / "nbgrader_config.py").is_file() else HERE
    parser.add_argument("--course", type=Path, default=default,
                        help="course directory (default: the current directory if it holds "
                             "nbgrader_config.py, else assignments/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("release", help="generate the student versions")
    g = sub.add_parser("grade", help="autograde, feedback, export")
    g.add_argument("assignment")
    g.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    w = sub.add_parser("_worker", help=argparse.SUPPRESS)
    w.add_argument("assignment")
    w.add_argument("students", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "_worker":
        return _worker(args.course.resolve(), args.assignment, args.students)
    if args.command == "release":
        release(args.course)
        return 0
    t0 = time.perf_counter()
    codes = grade(args.course.resolve(), args.assignment, args.jobs)
    failed = [s for s, ok in codes.items() if not ok]
    print(f"graded {len(codes)} submission(s) of {args.assignment} in {time.perf_counter() - t0:.1f} s "
          f"with {args.jobs} worker(s); grades in {args.course / 'grades.csv'}")
    if failed:
        print("nbgrader reported problems for:", ", ".join(failed), "(see their feedback)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
