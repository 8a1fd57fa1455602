"""Every assignment through nbgrader's real pipeline, on a copy of the course directory.

One session builds the course once: student versions are generated; for each assignment the
solution notebook, the blank student version and one submission per typical mistake are
autograded in one run (two workers), then feedback is generated and grades exported.
"""
from __future__ import annotations

import csv
import html
import importlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "assignments"))
import build_sources  # noqa: E402
import course  # noqa: E402

# one worker grades the course once for all these tests (see addopts in pyproject.toml)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("assignments")]

ASSIGNMENTS = sorted(p.stem for p in (ROOT / "assignments" / "authoring").glob("*.py"))
# while writing one assignment: RNNCOURSE_ASSIGNMENTS=a02_bptt pytest tests/test_assignments.py
if os.environ.get("RNNCOURSE_ASSIGNMENTS"):
    ASSIGNMENTS = [a for a in ASSIGNMENTS if a in os.environ["RNNCOURSE_ASSIGNMENTS"].split(",")]
GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv")


def mistakes_of(assignment):
    try:
        return importlib.import_module(f"assignment_mistakes.{assignment}").MISTAKES
    except ModuleNotFoundError:
        return []


def _replace_cell(nb, grade_id, code):
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = code.strip("\n") + "\n"
            return nb
    raise KeyError(f"no cell with grade_id {grade_id}")


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory):
    dest = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(ROOT / "assignments", dest, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"))
    course.release(dest)
    for a in ASSIGNMENTS:
        source_nb = dest / "source" / a / f"{a}.ipynb"
        release_nb = dest / "release" / a / f"{a}.ipynb"
        subs = {"solver": json.loads(source_nb.read_text()), "blank": json.loads(release_nb.read_text())}
        for m in mistakes_of(a):
            subs[m.name] = _replace_cell(json.loads(source_nb.read_text()), m.answer_cell, m.code)
        for student, nb in subs.items():
            target = dest / "submitted" / student / a / f"{a}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(nb))
        course.grade(dest, a, jobs=2)
    return dest


def scores(course_dir, assignment, student):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(assignment, assignment, student)
        return {g.name: g.score for g in nb.grades}, {g.name: g.max_score for g in nb.grades}


def feedback_text(course_dir, assignment, student):
    page = (course_dir / "feedback" / student / assignment / f"{assignment}.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_committed_notebooks_match_their_text_versions():
    assert build_sources.main(check=True) == 0, "run `make assignments` and commit the notebooks"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks_and_blank_scores_zero(graded_course, assignment):
    got, maximum = scores(graded_course, assignment, "solver")
    assert got == maximum, {k: (got[k], maximum[k]) for k in got if got[k] != maximum[k]}
    assert 10 <= sum(maximum.values()) <= 25
    blank, _ = scores(graded_course, assignment, "blank")
    assert sum(blank.values()) == 0, blank


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_has_no_solution_and_no_hidden_test(graded_course, assignment):
    text = (graded_course / "release" / assignment / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "hidden_", "seed=", "graders"):
        assert marker not in text, marker
    assert "raise NotImplementedError()" in text


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_reveals_no_hidden_test(graded_course, assignment):
    for student_dir in (graded_course / "feedback").iterdir():
        page = student_dir / assignment / f"{assignment}.html"
        if page.exists():
            text = feedback_text(graded_course, assignment, student_dir.name)
            for marker in ("HIDDEN TESTS", "hidden_tests.", "graders", "seed=", "check_worked_example",
                           "Traceback (most recent call last)"):
                assert marker not in text, (student_dir.name, marker)


@pytest.mark.parametrize("assignment, mistake",
                         [(a, m) for a in ASSIGNMENTS for m in mistakes_of(a)], ids=lambda v: getattr(v, "name", v))
def test_typical_mistake_loses_points_with_a_message(graded_course, assignment, mistake):
    got, maximum = scores(graded_course, assignment, mistake.name)
    assert got[mistake.loses] == 0, f"{mistake.name} kept {got[mistake.loses]} points on {mistake.loses}"
    others = {k: v for k, v in got.items() if k != mistake.loses and v != maximum[k]}
    assert sum(got.values()) > 0, "a single mistake should not cost every point"
    assert mistake.message in feedback_text(graded_course, assignment, mistake.name), others


def test_grades_csv_lists_every_submission(graded_course):
    rows = list(csv.DictReader(open(graded_course / "grades.csv")))
    seen = {(r["assignment"], r["student_id"]) for r in rows}
    for a in ASSIGNMENTS:
        assert (a, "solver") in seen and (a, "blank") in seen


@pytest.fixture(scope="module")
def feedback_in_browser(graded_course):
    """One feedback page with a mistake per assignment, opened in headless Chromium: {assignment: (findings, student)}."""
    from support import browser_check

    chromium = browser_check.require_chromium()
    pages, students = [], {}
    for a in ASSIGNMENTS:
        student = next((m.name for m in mistakes_of(a)), "blank")
        students[a] = student
        pages.append(f"{student}/{a}/{a}.html")
    results = browser_check.check_pages(chromium, graded_course / "feedback", pages, want_text=True)
    return {a: (r, students[a]) for a, r in zip(ASSIGNMENTS, results)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_renders_offline_with_every_part_in_a_browser(graded_course, feedback_in_browser, assignment):
    """The feedback page in a real browser: MathJax from the page itself typesets every formula,
    nothing is loaded from another site, and each graded part shows its score and its message."""
    r, student = feedback_in_browser[assignment]
    page = graded_course / "feedback" / student / assignment / f"{assignment}.html"
    assert r["errors"] == [], r["errors"]
    assert (r.get("mathjax_version") or "").startswith("3."), f"MathJax 3 did not run: {r.get('mathjax_version')}"
    assert r["external_resources"] == [], f"loads from other sites: {r['external_resources']}"
    assert r["mjx_containers"] > 0, "no formula was typeset"
    assert not r["merrors"] and not r["raw_tex_in_text"] and not r["dollar_math_in_text"], \
        (r["merrors"], r["raw_tex_in_text"], r["dollar_math_in_text"])
    source = json.loads((graded_course / "source" / assignment / f"{assignment}.ipynb").read_text())
    n_formulas = sum(len(re.findall(r"\$\$.+?\$\$|\$[^$\n]+\$", "".join(c["source"]), re.S))
                     for c in source["cells"] if c["cell_type"] == "markdown")
    assert r["mjx_containers"] >= n_formulas, f"{r['mjx_containers']} typeset of {n_formulas} formulas"
    got, maximum = scores(graded_course, assignment, student)
    summary = r["text"].split("Part\tScore\tMessage", 1)
    assert len(summary) == 2, "the feedback has no table of parts"
    table = summary[1]
    for grade_id, points in maximum.items():
        assert f"{got[grade_id]:g} / {points:g}" in table, f"{grade_id}: score {got[grade_id]:g} / {points:g} missing"
    assert sum(got.values()) < sum(maximum.values()), f"{student} lost no points: nothing to explain"
    for mistake in mistakes_of(assignment):
        if mistake.name == student:
            assert mistake.message in table, f"the message of {student} is not in the table of parts"
    assert "passed" in table or sum(got.values()) == 0
    for leak in ("HIDDEN TESTS", "hidden_tests", "graders", "seed="):
        assert leak not in r["text"], f"the feedback shows {leak!r}"
    html_text = page.read_text()
    assert "cdnjs" not in html_text and "<script src=" not in html_text
