"""Run nbgrader's own commands on a course directory, for the Makefile and the tests.

``python assignments/course.py release`` generates every student version;
``python assignments/course.py grade ASSIGNMENT [-j N]`` autogrades every submission
of one assignment (N worker processes over the one gradebook, each taking the next
submission when it is done with one, and writing its feedback), and exports grades.csv.
nbgrader reads ``nbgrader_config.py`` only from the working directory, so every command
runs inside the course directory.
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


def students_of(course: Path, assignment: str, only: list[str] | None = None) -> list[str]:
    """The students with a submission of ``assignment``; with ``only``, those of them listed there."""
    names = students(course, assignment)
    if only is None:
        return names
    missing = sorted(set(only) - set(names))
    if missing:
        raise ValueError(f"no submission of {assignment} from: {', '.join(missing)}")
    return [s for s in names if s in set(only)]


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


def _autograde_one(api, assignment: str, student: str) -> bool:
    for attempt in range(5):
        result = api.autograde(assignment, student, force=True, create=True)
        text = (result.get("error") or "") + (result.get("log") or "")
        if result["success"] or "database is locked" not in text:
            return bool(result["success"])
        time.sleep(0.5 * (attempt + 1))     # another worker holds the SQLite gradebook
    return False


def _worker(course: Path) -> int:
    """Grade submissions through nbgrader's Python API (imported once), one per line of stdin.

    Each line is ``{"assignment": ..., "student": ..., "feedback": bool}``; the submission
    is autograded and, with ``feedback`` and when that worked, its feedback generated. One
    JSON line per submission goes to stdout.
    """
    import json

    api = api_for(course)
    while line := sys.stdin.readline():
        task = json.loads(line)
        assignment, student = task["assignment"], task["student"]
        ok = _autograde_one(api, assignment, student)
        feedback_log = None
        if ok and task.get("feedback"):
            result = api.generate_feedback(assignment, student, force=True)
            if not result["success"]:
                feedback_log = (result.get("log") or "")[-2000:]
        print(json.dumps({"student": student, "success": ok, "feedback_log": feedback_log}), flush=True)
    return 0


def _run_workers(course: Path, tasks: list[dict], jobs: int) -> list[dict]:
    """Hand ``tasks`` to ``jobs`` worker processes, the next one to whichever is free first."""
    import json
    import tempfile
    import threading
    from collections import deque

    pending = deque(tasks)
    results: list[dict] = []
    lock = threading.Lock()
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))

    def take():
        with lock:
            return pending.popleft() if pending else None

    def drive(proc):
        task = take()
        while task is not None:
            proc.stdin.write(json.dumps(task) + "\n")
            proc.stdin.flush()
            while (line := proc.stdout.readline()) and not line.startswith("{"):
                pass                                  # not a result line
            if not line:                              # the worker died: leave the rest to the others
                with lock:
                    pending.appendleft(task)
                break
            with lock:
                results.append(json.loads(line))
            task = take()
        proc.stdin.close()

    with tempfile.TemporaryFile("w+") as log:       # stderr to a file: a full pipe would block a worker
        procs = [subprocess.Popen([sys.executable, __file__, "--course", str(course), "_worker"],
                                  cwd=course, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=log, text=True)
                 for _ in range(max(1, min(jobs, len(tasks))))]
        threads = [threading.Thread(target=drive, args=(proc,)) for proc in procs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = [proc.wait() for proc in procs]
        if any(codes) or pending:
            log.seek(0)
            raise RuntimeError(f"an autograde worker failed ({codes}), {len(pending)} submission(s) "
                               f"left ungraded:\n{log.read()[-3000:]}")
    return results


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
    # `nbgrader release_feedback` names the released page after the submission's secret and
    # timestamp: keep them beside the page, as nbgrader's generate_feedback does
    for name in ("timestamp.txt", "submission_secret.txt"):
        src = course / "submitted" / student / assignment / name
        if src.is_file():
            (folder / name).write_bytes(src.read_bytes())


def autograde(course: Path, assignment: str, jobs: int = 1, students: list[str] | None = None,
              feedback: bool = False) -> dict[str, bool]:
    """Autograde every submission of ``assignment`` (or only ``students``'); whether each went through.

    ``jobs`` worker processes share the one gradebook; each takes the next submission
    when it is done with one. With ``feedback``, a worker also generates the feedback of
    each submission it graded. A submission that fails (an invalid notebook, say) is
    reported and the others go on.
    """
    names = students_of(course, assignment, students)
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
    tasks = [{"assignment": assignment, "student": s, "feedback": feedback} for s in names]
    for row in _run_workers(course, tasks, jobs):
        done[row["student"]] = row["success"]
        if row.get("feedback_log") is not None:
            print(f"feedback for {row['student']} failed:\n{row['feedback_log']}", file=sys.stderr)
    return done


def export(course: Path) -> None:
    """``nbgrader export`` (grades.csv), run in this process rather than as a new program."""
    from nbgrader.apps.exportapp import ExportApp

    api_for(course)                                # working directory, PATH
    app = ExportApp()
    app.initialize(["--log-level=WARN"])           # reads nbgrader_config.py, as the command does
    app.start()


def grade(course: Path, assignment: str, jobs: int = 1, students: list[str] | None = None) -> dict[str, bool]:
    """Autograde, generate feedback and export ``grades.csv`` (``students``: only these)."""
    codes = autograde(course, assignment, jobs, students, feedback=True)
    export(course)
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
    sub.add_parser("_worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "_worker":
        return _worker(args.course.resolve())
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
