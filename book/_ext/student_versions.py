"""Publish the student version of every assignment with the book, generated at build time.

At ``builder-inited`` this runs nbgrader's ``generate_assignment`` on a temporary copy
of ``assignments/`` (so the instructor's course directory and gradebook are not
touched); at ``build-finished`` it copies each student notebook to
``_static/assignments/<name>.ipynb`` (Sphinx's own static copying skips ``.ipynb``
files). Solutions and hidden
tests never leave the source notebooks, and the hidden tests' code (``assignments/graders/``)
is never published; a test checks the published copies.

All assignments are generated in one Python process through nbgrader's API, without a
gradebook (``nbgrader generate_assignment --no-db``: the student versions do not
depend on it): 2-3 s, where one ``nbgrader`` command per assignment took 40 s.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COURSE = Path(__file__).resolve().parents[2] / "assignments"


def _sources_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for nb in sorted((COURSE / "source").glob("*/*.ipynb")):
        h.update(nb.name.encode() + nb.read_bytes())
    h.update((COURSE / "nbgrader_config.py").read_bytes())
    return h.hexdigest()


def _generate(app):
    out = Path(app.outdir).parent / "student_versions"
    target = out / "assignments"
    app.env.rnncourse_student_versions = str(target)
    digest = _sources_digest()
    stamp = out / "sources.sha256"
    if stamp.is_file() and stamp.read_text() == digest and any(target.glob("*.ipynb")):
        return                                   # unchanged since the last build
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(COURSE, course, ignore=shutil.ignore_patterns(
            "release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__"))
        bindir = Path(sys.executable).parent
        env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
        # a separate process: nbgrader reads nbgrader_config.py from its working directory
        proc = subprocess.run([sys.executable, __file__, str(course)], cwd=course, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"generating the student versions failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        for source in sorted((course / "source").iterdir()):
            for nb in (course / "release" / source.name).glob("*.ipynb"):
                shutil.copy2(nb, target / nb.name)
    stamp.write_text(digest)


def generate_all(course: Path) -> None:
    """``nbgrader generate_assignment --force --no-db`` for every assignment of ``course``."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.GenerateAssignment.no_database = True      # what --no-db sets
    config.SaveCells.enabled = False
    api = NbGraderAPI(config=config)
    for source in sorted(p.name for p in (course / "source").iterdir() if p.is_dir()):
        result = api.generate_assignment(source, force=True, create=False)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {source} failed:\n"
                               f"{result.get('error', '')}\n{result.get('log', '')[-3000:]}")


def _publish(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / "assignments"
    dest.mkdir(parents=True, exist_ok=True)
    for nb in Path(app.env.rnncourse_student_versions).glob("*.ipynb"):
        shutil.copy2(nb, dest / nb.name)


def setup(app):
    app.connect("builder-inited", _generate)
    app.connect("build-finished", _publish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    generate_all(Path(sys.argv[1]).resolve())
