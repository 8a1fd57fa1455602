"""Bad submissions are graded in one run next to good ones: each gets the score it deserves and a
message the student understands, none stops or corrupts the others, and regrading is stable."""
from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from support import bad_submissions as corpus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "assignments"))
import course  # noqa: E402

# one worker grades the corpus once for all these tests (see addopts in pyproject.toml)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("robustness")]


def _grades(course_dir):
    with open(course_dir / "grades.csv") as f:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(f) if r["assignment"] == corpus.ASSIGNMENT}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    dest = tmp_path_factory.mktemp("robust") / "course"
    shutil.copytree(ROOT / "assignments", dest, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__"))
    for other in (dest / "source").iterdir():          # only assignment 1 is needed here
        if other.name != corpus.ASSIGNMENT:
            shutil.rmtree(other)
    source_nb = json.loads((dest / "source" / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb").read_text())
    corpus.write(dest, source_nb)
    old = os.environ.get("RNNCOURSE_CELL_TIMEOUT")
    # the endless loop costs 5 s per cell it reaches (three), not 60; assignment 1's slowest
    # cell takes 0.2 s
    os.environ["RNNCOURSE_CELL_TIMEOUT"] = "5"
    try:
        course.grade(dest, corpus.ASSIGNMENT, jobs=2)
        first = _grades(dest)
        course.grade(dest, corpus.ASSIGNMENT, jobs=2)   # regrade the same submissions
        second = _grades(dest)
    finally:
        if old is None:
            os.environ.pop("RNNCOURSE_CELL_TIMEOUT", None)
        else:
            os.environ["RNNCOURSE_CELL_TIMEOUT"] = old
    return dest, first, second


@pytest.mark.parametrize("bad", corpus.CORPUS, ids=lambda b: b.name)
def test_each_submission_gets_the_score_it_deserves_and_a_message(graded, bad):
    dest, first, _ = graded
    assert first[bad.name] == bad.score, f"{bad.name}: {first[bad.name]} instead of {bad.score}"
    page = dest / "feedback" / bad.name / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html"
    assert page.is_file(), f"{bad.name} got no feedback"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
    assert bad.message in text
    for leak in ("HIDDEN TESTS", "hidden_tests.", "graders", "seed=", "Traceback (most recent call last)"):
        assert leak not in text, (bad.name, leak)


def test_regrading_gives_identical_scores(graded):
    _, first, second = graded
    assert first == second
    assert set(first) == {b.name for b in corpus.CORPUS}
