"""The course's class plugins (assignments/classroom/) on a real course directory with nbgrader.

- the late policy (nbgrader LateSubmissionPlugin);
- ``nbgrader zip_collect`` on Canvas and Moodle downloads: several students, a resubmission,
  a file of the wrong name, a file in neither format;
- the Canvas and Moodle exports' columns and identities;
- the similarity report: a copy with renamed variables and a copy with reordered functions
  are flagged, independent correct solutions are not.
The whole journey through JupyterHub and PostgreSQL is tests/test_class_e2e.py.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "assignments"))
import course as course_tools  # noqa: E402
from classroom.late import PerDayLatePenalty  # noqa: E402
from classroom.lms_collect import LmsFileNameCollector, split_attempt  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("classroom")]

GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "__pycache__",
             "downloaded", "similarity", "*.csv")


def rnn_forward_assignment() -> str:
    names = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir() if p.is_dir())
    return next(n for n in names if "rnn_forward" in n)


A = rnn_forward_assignment()


@pytest.fixture(scope="module")
def small_course(tmp_path_factory):
    """A copy of the course directory with the rnn-forward assignment generated (SQLite gradebook)."""
    dest = tmp_path_factory.mktemp("classroom") / "course"
    shutil.copytree(ROOT / "assignments", dest, ignore=shutil.ignore_patterns(*GENERATED))
    api = course_tools.api_for(dest)
    course_tools._check(api.generate_assignment(A, force=True), f"generate_assignment {A}")
    os.chdir(ROOT)
    return dest


def nbgrader(course: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True)


# ---------------------------------------------------------------------------------------------
# late policy
# ---------------------------------------------------------------------------------------------

def test_late_penalty_per_started_day_with_grace_and_cap():
    p = PerDayLatePenalty(percent_per_day=10, grace_minutes=15, max_percent=30)
    assert p.late_submission_penalty("s", 20.0, 0) == 0
    assert p.late_submission_penalty("s", 20.0, 15 * 60) == 0                 # within the grace period
    assert p.late_submission_penalty("s", 20.0, 15 * 60 + 1) == pytest.approx(2.0)   # one started day
    assert p.late_submission_penalty("s", 20.0, 86400 + 15 * 60 + 1) == pytest.approx(4.0)
    assert p.late_submission_penalty("s", 20.0, 30 * 86400) == pytest.approx(6.0)    # capped at 30 %
    assert p.late_submission_penalty("s", 0.0, 5 * 86400) == 0


def test_late_penalty_refuses_negative_settings_naming_them():
    with pytest.raises(Exception, match="percent_per_day"):
        PerDayLatePenalty(percent_per_day=-5)
    with pytest.raises(Exception, match="grace_minutes"):
        PerDayLatePenalty(grace_minutes=-1)


def test_course_config_selects_the_class_plugins():
    from traitlets.config.loader import PyFileConfigLoader
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "assignments")).load_config()
    assert cfg.AssignLatePenalties.plugin_class == "classroom.late.PerDayLatePenalty"
    assert cfg.ZipCollectApp.collector_plugin == "classroom.lms_collect.LmsFileNameCollector"
    assert cfg.ExchangeFactory.collect == "classroom.exchange.OwnerCheckedCollect"
    assert cfg.PerDayLatePenalty.percent_per_day > 0


# ---------------------------------------------------------------------------------------------
# zip_collect on LMS downloads
# ---------------------------------------------------------------------------------------------

def test_file_names_of_both_lms_are_understood():
    c = LmsFileNameCollector()
    assert c.parse(f"smithalice_12345_67890_{A}.ipynb") == {
        "student_id": "smithalice", "file_id": f"{A}.ipynb", "rank": (0, 67890)}
    assert c.parse(f"jonesbob_LATE_222_70000_{A}-2.ipynb")["rank"] == (2, 70000)
    assert c.parse(f"Alice Smith_4711_assignsubmission_file_{A}.ipynb")["student_id"] == "alicesmith"
    assert c.parse(f"Alice Smith_4711_assignsubmission_file_/{A}.ipynb")["file_id"] == f"{A}.ipynb"
    assert c.parse("README.txt") is None and c.parse(f"{A}.ipynb") is None
    assert split_attempt(f"{A} (3).ipynb") == (f"{A}.ipynb", 3)
    assert split_attempt(f"{A}.ipynb") == (f"{A}.ipynb", 0)


def _marked_notebook(course: Path, mark: str) -> str:
    nb = json.loads((course / "release" / A / f"{A}.ipynb").read_text())
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": f"marker {mark}"})
    return json.dumps(nb)


def _zip_collect(course: Path, files: dict[str, str], zipname: str) -> tuple[subprocess.CompletedProcess, Path]:
    for sub in ("submitted", "downloaded"):
        shutil.rmtree(course / sub, ignore_errors=True)
    archive = course / "downloaded" / A / "archive"
    archive.mkdir(parents=True)
    with zipfile.ZipFile(archive / zipname, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return nbgrader(course, "zip_collect", A), course / "submitted"


def _marker_of(path: Path) -> str:
    return json.loads(path.read_text())["cells"][0]["source"]


def test_zip_collect_canvas_download(small_course):
    c = small_course
    files = {
        f"smithalice_1001_50001_{A}.ipynb": _marked_notebook(c, "alice"),
        f"jonesbob_1002_50002_{A}.ipynb": _marked_notebook(c, "bob first"),
        f"jonesbob_LATE_1002_50107_{A}-1.ipynb": _marked_notebook(c, "bob second"),  # resubmission
        f"leecarol_1003_50003_{A}.ipynb": _marked_notebook(c, "carol"),
        "kimdave_1004_50004_homework.ipynb": _marked_notebook(c, "dave"),              # wrong name
        "notes.txt": "not a submission",
        "random.ipynb": _marked_notebook(c, "stray"),                                     # neither format
    }
    proc, submitted = _zip_collect(c, files, "submissions.zip")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in submitted.iterdir()) == ["jonesbob", "kimdave", "leecarol", "smithalice"]
    assert _marker_of(submitted / "smithalice" / A / f"{A}.ipynb") == "marker alice"
    assert _marker_of(submitted / "jonesbob" / A / f"{A}.ipynb") == "marker bob second"
    assert _marker_of(submitted / "leecarol" / A / f"{A}.ipynb") == "marker carol"
    # the wrong name is collected as it is; grading then says what is missing
    assert not (submitted / "kimdave" / A / f"{A}.ipynb").exists()
    why = course_tools.unreadable(c, A, "kimdave")
    assert f"{A}.ipynb is missing" in why and "homework.ipynb" in why
    assert course_tools.unreadable(c, A, "jonesbob") is None


def test_zip_collect_moodle_download_flat_and_in_folders(small_course):
    c = small_course
    files = {
        f"Alice Smith_4711_assignsubmission_file_{A}.ipynb": _marked_notebook(c, "alice"),
        f"Bob Jones_4712_assignsubmission_file_{A}.ipynb": _marked_notebook(c, "bob first"),
        f"Bob Jones_4712_assignsubmission_file_{A} (1).ipynb": _marked_notebook(c, "bob second"),
        f"Carol Lee_4713_assignsubmission_file_/{A}.ipynb": _marked_notebook(c, "carol"),   # folder mode
        "Dave Kim_4714_assignsubmission_file_my notebook.ipynb": _marked_notebook(c, "dave"),
        "index.html": "<html></html>",
    }
    proc, submitted = _zip_collect(c, files, "moodle.zip")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in submitted.iterdir()) == ["alicesmith", "bobjones", "carollee", "davekim"]
    assert _marker_of(submitted / "alicesmith" / A / f"{A}.ipynb") == "marker alice"
    assert _marker_of(submitted / "bobjones" / A / f"{A}.ipynb") == "marker bob second"
    assert _marker_of(submitted / "carollee" / A / f"{A}.ipynb") == "marker carol"
    assert "is missing" in course_tools.unreadable(c, A, "davekim")


def test_zip_collect_maps_canvas_ids_through_the_gradebook(small_course):
    from nbgrader.api import Gradebook
    c = small_course
    with Gradebook(f"sqlite:///{c / 'gradebook.db'}") as gb:
        gb.update_or_create_student("alice", first_name="Alice", last_name="Smith", lms_user_id="1001")
    proc, submitted = _zip_collect(c, {f"smithalice_1001_50001_{A}.ipynb": _marked_notebook(c, "alice")}, "s.zip")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [p.name for p in submitted.iterdir()] == ["alice"]


# ---------------------------------------------------------------------------------------------
# exports
# ---------------------------------------------------------------------------------------------

def test_exports_list_every_student_with_lms_identities(small_course, tmp_path):
    from nbgrader.api import Gradebook
    c = small_course
    with Gradebook(f"sqlite:///{c / 'gradebook.db'}") as gb:
        gb.update_or_create_student("alice", first_name="Alice", last_name="Smith", lms_user_id="1001",
                                    email="alice@example.org")
        gb.update_or_create_student("bob", first_name="Bob", last_name="Jones", email="bob@example.org")
        max_score = gb.find_assignment(A).max_score
    for plugin, name in (("CanvasExportPlugin", "canvas.csv"), ("MoodleExportPlugin", "moodle.csv")):
        proc = nbgrader(c, "export", f"--exporter=classroom.exports.{plugin}", f"--to={tmp_path / name}")
        assert proc.returncode == 0, proc.stdout + proc.stderr
    canvas = list(csv.reader(open(tmp_path / "canvas.csv")))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) == max_score
    rows = {r[3]: r for r in canvas[2:]}
    assert rows["alice"][:2] == ["Smith, Alice", "1001"] and rows["alice"][5] == "0"   # no submission: 0
    assert rows["bob"][:2] == ["Jones, Bob", ""]
    moodle = list(csv.reader(open(tmp_path / "moodle.csv")))
    assert moodle[0] == ["First name", "Last name", "ID number", "Email address", A]
    assert ["Alice", "Smith", "alice", "alice@example.org", "0"] in moodle


def test_export_of_an_unknown_assignment_names_the_argument(small_course, tmp_path):
    proc = nbgrader(small_course, "export", "--exporter=classroom.exports.MoodleExportPlugin",
                    f"--to={tmp_path / 'x.csv'}", "--assignment=['no_such_assignment']")
    assert proc.returncode != 0
    assert "--assignment" in proc.stdout + proc.stderr and "no_such_assignment" in proc.stdout + proc.stderr


# ---------------------------------------------------------------------------------------------
# similarity report
# ---------------------------------------------------------------------------------------------

# Two solutions written independently of the reference (and of each other).
INDEPENDENT_B = {
    "tanh_answer": '''
def tanh(a):
    a = np.asarray(a, dtype=float)
    out = np.empty_like(a)
    pos = a >= 0
    z = np.exp(-2 * a[pos])
    out[pos] = (1 - z) / (1 + z)
    z = np.exp(2 * a[~pos])
    out[~pos] = (z - 1) / (z + 1)
    return out
''',
    "step_answer": '''
def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    pre = np.dot(x, W_xh.T)
    pre += np.dot(h_prev, W_hh.T)
    pre += b_h
    return tanh(pre)
''',
    "sequence_answer": '''
def rnn_forward(x, h0, W_xh, W_hh, b_h):
    states = []
    h = h0
    for step in range(x.shape[1]):
        h = rnn_step_forward(x[:, step, :], h, W_xh, W_hh, b_h)
        states.append(h)
    return np.stack(states, axis=1)
''',
    "output_answer": '''
def output_forward(h, W_hy, b_y):
    return np.einsum("...h,oh->...o", h, W_hy) + b_y


def softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    ex = np.exp(shifted)
    return ex / np.sum(ex, axis=-1, keepdims=True)
''',
    "example_answer": '''
Wx = np.array([[0.5, 0.2], [0.3, 0.8]])
Wh = np.array([[0.1, 0.4], [0.6, 0.7]])
bias = np.array([0.1, 0.2])
inputs = np.array([[[1.0, 0.0], [0.0, 1.0]]])
all_h = rnn_forward(inputs, np.zeros((1, 2)), Wx, Wh, bias)
h1 = all_h[0, 0]
h2 = all_h[0, 1]
print("h1 =", h1, " h2 =", h2)
''',
    "concept_answer": 'answer_q1 = "B"\n',
}

INDEPENDENT_C = {
    "tanh_answer": '''
def tanh(a):
    # 2 sigmoid(2a) - 1, with the exponent clipped so that it never overflows
    return 2.0 / (1.0 + np.exp(np.clip(-2.0 * np.asarray(a, dtype=float), -700, 700))) - 1.0
''',
    "step_answer": '''
def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    z = np.matmul(x, np.transpose(W_xh)) + np.matmul(h_prev, np.transpose(W_hh)) + b_h
    return tanh(z)
''',
    "sequence_answer": '''
def rnn_forward(x, h0, W_xh, W_hh, b_h):
    n, steps, _ = x.shape
    result = np.empty((n, steps, W_hh.shape[0]))
    state = h0.copy()
    t = 0
    while t < steps:
        state = rnn_step_forward(x[:, t, :], state, W_xh, W_hh, b_h)
        result[:, t, :] = state
        t += 1
    return result
''',
    "output_answer": '''
def output_forward(h, W_hy, b_y):
    return np.tensordot(h, W_hy, axes=([-1], [1])) + b_y


def softmax(z):
    m = z.max(-1)[..., None]
    p = np.exp(z - m)
    p /= p.sum(-1)[..., None]
    return p
''',
    "example_answer": '''
hs = rnn_forward(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.zeros((1, 2)),
                 np.array([[0.5, 0.2], [0.3, 0.8]]), np.array([[0.1, 0.4], [0.6, 0.7]]), np.array([0.1, 0.2]))
h1, h2 = hs[0][0], hs[0][1]
print("h1 =", h1, " h2 =", h2)
''',
    "concept_answer": 'answer_q1 = "B"\n',
}


def _reference_answers() -> dict[str, str]:
    nb = json.loads((ROOT / "assignments" / "source" / A / f"{A}.ipynb").read_text())
    out = {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            text = "".join(cell["source"])
            out[meta["grade_id"]] = "\n".join(l for l in text.splitlines() if "SOLUTION" not in l) + "\n"
    return out


def _renamed(answers: dict[str, str]) -> dict[str, str]:
    """The same code with every local variable renamed (what a copier does first)."""
    renames = {"e": "expo", "N": "batch", "T": "steps", "h_prev": "previous", "h": "states", "t": "k",
               "W_h": "Wa", "U_h": "Ua", "b": "bias_vec", "hs": "all_states", "z": "scores"}
    out = {}
    for gid, code in answers.items():
        for old, new in renames.items():
            code = re.sub(rf"(?<![\w.]){re.escape(old)}(?!\w)", new, code)
        out[gid] = code
    return out


def _reordered(answers: dict[str, str]) -> dict[str, str]:
    """The same functions in another order: all moved into the first answer cell, last one first."""
    funcs = []
    for gid in ("output_answer", "sequence_answer", "step_answer", "tanh_answer"):
        blocks = re.split(r"\n(?=def )", answers[gid].strip("\n"))
        funcs.extend(reversed(blocks))
    out = dict(answers)
    out["tanh_answer"] = "\n\n\n".join(b.strip("\n") for b in funcs) + "\n"
    for gid in ("step_answer", "sequence_answer", "output_answer"):
        out[gid] = "pass\n"
    return out


def _functions(answers: dict[str, str]) -> dict:
    ns = {"np": np}
    for gid in ("tanh_answer", "step_answer", "sequence_answer", "output_answer"):
        exec(textwrap.dedent(answers[gid]), ns)
    return ns


def test_planted_solutions_are_correct():
    """The independent solutions are right (they agree with the reference), so they must not be flagged."""
    rng = np.random.default_rng(0)
    ref = _functions(_reference_answers())
    x, h0 = rng.normal(size=(3, 5, 4)), rng.normal(size=(3, 6))
    W_xh, W_hh, b = rng.normal(size=(6, 4)), rng.normal(size=(6, 6)), rng.normal(size=6)
    W_hy, b_y = rng.normal(size=(2, 6)), rng.normal(size=2)
    for other in (INDEPENDENT_B, INDEPENDENT_C, _renamed(_reference_answers()), _reordered(INDEPENDENT_B)):
        f = _functions(other)
        hs = f["rnn_forward"](x, h0, W_xh, W_hh, b)
        np.testing.assert_allclose(hs, ref["rnn_forward"](x, h0, W_xh, W_hh, b), atol=1e-12)
        np.testing.assert_allclose(f["softmax"](f["output_forward"](hs, W_hy, b_y)),
                                   ref["softmax"](ref["output_forward"](hs, W_hy, b_y)), atol=1e-12)
        np.testing.assert_allclose(f["tanh"](np.array([-800.0, -1.0, 0.0, 2.0, 800.0])),
                                   np.tanh([-800.0, -1.0, 0.0, 2.0, 800.0]), atol=1e-12)


def test_similarity_flags_copies_not_independent_solutions(small_course):
    from classroom.similarity import report
    c = small_course
    shutil.rmtree(c / "submitted", ignore_errors=True)
    released = json.loads((c / "release" / A / f"{A}.ipynb").read_text())
    reference = _reference_answers()
    subs = {
        "ref": reference,                         # the original
        "renamer": _renamed(reference),           # copied, variables renamed
        "indep_b": INDEPENDENT_B,
        "reorderer": _reordered(INDEPENDENT_B),   # copied from indep_b, functions reordered
        "indep_c": INDEPENDENT_C,
    }
    for student, answers in subs.items():
        nb = json.loads(json.dumps(released))
        for cell in nb["cells"]:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell["source"] = answers[gid]
        path = c / "submitted" / student / A / f"{A}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(nb))
    (c / "submitted" / "broken" / A).mkdir(parents=True)
    (c / "submitted" / "broken" / A / f"{A}.ipynb").write_text("{ not a notebook")
    # the blank template itself never counts as shared code
    (c / "submitted" / "blank1" / A).mkdir(parents=True)
    (c / "submitted" / "blank2" / A).mkdir(parents=True)
    shutil.copy(c / "release" / A / f"{A}.ipynb", c / "submitted" / "blank1" / A)
    shutil.copy(c / "release" / A / f"{A}.ipynb", c / "submitted" / "blank2" / A)

    threshold = 0.5
    pairs = report(c, A, threshold=threshold)
    sim = {frozenset((p.student_a, p.student_b)): p.similarity for p in pairs}
    flagged = {k for k, s in sim.items() if s >= threshold}
    print({tuple(sorted(k)): round(v, 2) for k, v in sim.items()})
    assert frozenset(("ref", "renamer")) in flagged
    assert frozenset(("indep_b", "reorderer")) in flagged
    assert flagged == {frozenset(("ref", "renamer")), frozenset(("indep_b", "reorderer"))}, sim
    # the margins classroom/similarity.py's docstring states: copies above 0.9, independent work below 0.35
    copies = {frozenset(("ref", "renamer")), frozenset(("indep_b", "reorderer"))}
    assert all(sim[k] > 0.9 for k in copies), sim
    assert all(s < 0.35 for k, s in sim.items() if k not in copies), sim
    assert (c / "similarity" / f"{A}.html").is_file()
    rows = list(csv.DictReader(open(c / "similarity" / f"{A}.csv")))
    assert {frozenset((r["student_a"], r["student_b"])) for r in rows if r["flagged"] == "1"} == flagged
