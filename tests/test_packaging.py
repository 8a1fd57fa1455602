"""What students install holds no hidden test, and the course directory grades on its own.

Every student installs ``rnncourse``, so the wheel must hold the package only: no hidden
test (they live in ``assignments/graders/``, outside the package), no nbgrader plugin and
no import of nbgrader, which the package does not depend on. On the instructor's side,
``assignments/nbgrader_config.py`` alone must make ``graders`` importable, so that
nbgrader's own commands grade in the course directory with no wrapper (no ``course.py``,
no ``make``). And each assignment has one name, used by every file that belongs to it.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "assignments"
ASSIGNMENTS = sorted(p.stem for p in (COURSE / "authoring").glob("*.py"))
GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__")
IMPORTS_OUTSIDE = re.compile(r"^\s*(import|from)\s+(nbgrader|graders)\b", re.M)


def hidden_test_names() -> set[str]:
    """Names of the functions the hidden regions call: every function of ``assignments/graders``."""
    names = set()
    for path in (COURSE / "graders").glob("a*.py"):
        tree = ast.parse(path.read_text())
        names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("hidden_")}
    return names


def _env_without_course():
    """This environment without a PYTHONPATH (grading in this process may have set one)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def test_every_assignment_has_one_name_in_every_file():
    assert ASSIGNMENTS, "no assignment found"
    for a in ASSIGNMENTS:
        assert re.fullmatch(r"a\d\d_[a-z0-9_]+", a), a
        for path in (COURSE / "source" / a / f"{a}.ipynb", ROOT / "rnncourse" / "grading" / f"{a}.py",
                     COURSE / "graders" / f"{a}.py", ROOT / "tests" / "assignment_mistakes" / f"{a}.py"):
            assert path.is_file(), f"{a}: {path.relative_to(ROOT)} is missing"
        cells = json.loads((COURSE / "source" / a / f"{a}.ipynb").read_text())["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        assert any(f"from rnncourse.grading import {a} as checks" in c for c in code), f"{a}: setup cell"
        hidden = [re.search(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", c, re.S) for c in code]
        hidden = [m.group(1) for m in hidden if m]
        assert hidden, f"{a} has no hidden test"
        for region in hidden:
            assert region.startswith(f"from graders import {a} as hidden_tests\n"), (a, region)
        outside = [re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", c, flags=re.S) for c in code]
        assert not [c for c in outside if "graders" in c or "hidden_" in c], f"{a}: graders outside a hidden region"
    extra = {p.stem for p in (COURSE / "graders").glob("a*.py")} - set(ASSIGNMENTS)
    assert not extra, f"graders without an assignment: {extra}"


def test_the_package_does_not_import_nbgrader_or_the_graders(tmp_path):
    """``import rnncourse`` and every module of it, where nbgrader and ``graders`` cannot be imported."""
    code = (
        "import sys\n"
        "sys.modules['nbgrader'] = None\n"          # any `import nbgrader...` now raises ImportError
        "sys.modules['graders'] = None\n"
        "import importlib, pkgutil\n"
        "import rnncourse\n"
        f"for a in {ASSIGNMENTS!r}:\n"
        "    importlib.import_module('rnncourse.grading.' + a)\n"
        "for m in pkgutil.walk_packages(rnncourse.__path__, 'rnncourse.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('imported', len(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_env_without_course(),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.slow
def test_wheel_holds_the_package_only(tmp_path):
    """``pip wheel . --no-deps``: only rnncourse, no hidden test, no graders, no nbgrader import."""
    src = tmp_path / "src"                         # a copy: an in-tree build would write build/ here
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "rnncourse", src / "rnncourse", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(COURSE, src / "assignments", ignore=shutil.ignore_patterns(*GENERATED))
    out = tmp_path / "wheel"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                           "--no-index", "-q", "-w", str(out)], cwd=tmp_path, env=_env_without_course(),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("rnncourse-*.whl")
    hidden = hidden_test_names()
    assert len(hidden) >= 30, sorted(hidden)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert any(n == "rnncourse/grading/a01_rnn_forward.py" for n in names)
        outside = [n for n in names if not n.startswith(("rnncourse/", "rnncourse-"))]
        assert not outside, f"the wheel holds more than rnncourse: {outside[:10]}"
        assert not [n for n in names if "graders" in n.split("/")], "the wheel holds graders"
        for name in names:
            if name.endswith("METADATA"):
                requires = [line for line in zf.read(name).decode().splitlines() if line.startswith("Requires-Dist")]
                assert not [r for r in requires if "nbgrader" in r.lower()], "rnncourse must not depend on nbgrader"
            if not name.endswith(".py"):
                continue
            text = zf.read(name).decode()
            assert not IMPORTS_OUTSIDE.search(text), f"{name} imports nbgrader or graders"
            assert "def hidden_" not in text, f"{name} defines a hidden test"
            leaked = sorted(h for h in hidden if re.search(rf"\b{h}\b", text))
            assert not leaked, f"{name} names hidden tests: {leaked}"


@pytest.mark.slow
def test_plain_nbgrader_commands_grade_in_the_course_directory(tmp_path):
    """``nbgrader generate_assignment``, ``autograde`` and ``generate_feedback`` as an instructor types them.

    No course.py, no make, no PYTHONPATH: nbgrader_config.py alone must make the hidden
    tests (imported by the kernels) and the plugins (imported by nbgrader) importable.
    """
    from nbgrader.api import Gradebook

    a = "a01_rnn_forward"
    course = tmp_path / "course"
    shutil.copytree(COURSE, course, ignore=shutil.ignore_patterns(*GENERATED))
    env = _env_without_course()
    nbgrader = str(Path(sys.executable).parent / "nbgrader")

    def run(*args):
        proc = subprocess.run([nbgrader, *args], cwd=course, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"nbgrader {' '.join(args)}:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        return proc

    run("generate_assignment", a, "--force")
    released = (course / "release" / a / f"{a}.ipynb").read_text()
    assert "graders" not in released and "hidden_" not in released
    submission = course / "submitted" / "solver" / a / f"{a}.ipynb"
    submission.parent.mkdir(parents=True)
    shutil.copy2(course / "source" / a / f"{a}.ipynb", submission)
    run("autograde", a, "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(a, a, "solver")
        got = {g.name: g.score for g in nb.grades}
        maximum = {g.name: g.max_score for g in nb.grades}
    assert got == maximum and sum(maximum.values()) > 0, got
    run("generate_feedback", a, "--force")
    feedback = (course / "feedback" / "solver" / a / f"{a}.html").read_text()
    total = sum(maximum.values())
    assert f"Score: {total:.1f} / {total:.1f}" in feedback
    for leak in ("HIDDEN TESTS", "graders", "hidden_tests."):
        assert leak not in feedback, leak


def test_readme_names_the_wheel_students_install():
    """The README's commands for students name the wheel the book publishes for this version."""
    from rnncourse.environment import wheel_name

    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"rnncourse-[\w.]+-py3-none-any\.whl", readme))
    assert named == {wheel_name()}, f"README names {sorted(named)}, the book publishes {wheel_name()}"
