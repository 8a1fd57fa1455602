"""Publish the student version of every assignment with the book, generated at build time.

At ``builder-inited`` this runs nbgrader's ``generate_assignment`` on a temporary copy
of ``assignments/`` (so the instructor's course directory and gradebook are not
touched); at ``build-finished`` it copies each student notebook to
``_static/assignments/<name>.ipynb`` (Sphinx's own static copying skips ``.ipynb``
files). Solutions and hidden
tests never leave the source notebooks; a test checks the published copies.
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
        for source in sorted((course / "source").iterdir()):
            proc = subprocess.run([str(bindir / "nbgrader"), "generate_assignment", source.name, "--force"],
                                  cwd=course, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"nbgrader generate_assignment {source.name} failed:\n{proc.stderr[-3000:]}")
            for nb in (course / "release" / source.name).glob("*.ipynb"):
                shutil.copy2(nb, target / nb.name)
    stamp.write_text(digest)


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
