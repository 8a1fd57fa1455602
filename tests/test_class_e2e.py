"""A whole class, end to end, against real servers started here on loopback.

Servers: PostgreSQL (Debian's, run as the system user ``postgres``) holding the gradebook;
JupyterHub (PyPI) with configurable-http-proxy (npm) and deploy/jupyterhub_config.py, PAM
logins, each user's server spawned as that system user from the single-user environment
(deploy/singleuser_env.py); nbgrader's filesystem exchange. People: one instructor and three
students, each a separate system user with a password.

The journey (the smallest assignment, rnn forward):
1. the instructor generates and releases it through formgrader (hub API, instructor's token);
2. bob fetches it and submits twice (blank, then solved), carol submits a notebook that is
   not JSON, both through the hub's API with their own tokens; alice tries to submit in bob's
   name from her own account;
3. the instructor sets the due date; alice, in headless Chromium, logs in, opens the
   assignment list, fetches, and submits her solved notebook late;
4. the instructor collects (formgrader), autogrades with 2 parallel workers into the
   PostgreSQL gradebook (assignments/course.py, as the instructor's system user), generates
   and releases feedback, and exports grades for Canvas and Moodle;
5. each student fetches their own feedback.

Asserted: the scores, the late penalty, the exports, and that no student can read another's
submission or feedback, submit as someone else, or read the instructor's source notebooks or
gradebook. Needs root (system users); under CI a missing server or browser is a failure.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import class_servers as cs

pytestmark = [pytest.mark.class_e2e, pytest.mark.slow, pytest.mark.xdist_group("class_e2e")]

ROOT = Path(__file__).resolve().parents[1]
COURSE_ID = "rnn-from-scratch"
GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv",
             "__pycache__", "downloaded", "*.csv")


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _require(ok: bool, what: str):
    if not ok:
        if _on_ci():
            pytest.fail(f"{what} -- required when CI is set (.ci/run installs it)", pytrace=False)
        pytest.skip(what)


def assignment_name() -> str:
    """The rnn-forward assignment, whatever the course calls it (read from the course directory)."""
    names = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir() if p.is_dir())
    matches = [n for n in names if "rnn_forward" in n]
    assert matches, f"no rnn_forward assignment among {names}"
    return matches[0]


def solved(released: dict, source: dict) -> dict:
    """The released notebook with every answer cell replaced by the source's solution (markers removed)."""
    answers = {}
    for cell in source["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            answers[meta["grade_id"]] = "\n".join(line for line in text.splitlines()
                                                  if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)
    nb = json.loads(json.dumps(released))
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    assert any(c.get("metadata", {}).get("nbgrader", {}).get("grade_id") in answers for c in nb["cells"])
    return nb


class Browser:
    """Headless Chromium driven by Debian's chromedriver (Selenium), with a fresh profile."""

    def __init__(self, profile: Path):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={profile}"):
            opts.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=opts)
        self.driver.set_page_load_timeout(120)

    def wait(self, condition, timeout=90, what="condition"):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout, poll_frequency=0.25).until(condition, message=what)

    def by_css(self, css, timeout=90):
        from selenium.webdriver.common.by import By
        return self.wait(lambda d: d.find_element(By.CSS_SELECTOR, css), timeout, css)

    def click_text(self, css, text, timeout=90):
        """Click the first visible element matching ``css`` whose text is ``text``."""
        from selenium.webdriver.common.by import By

        def find(d):
            for el in d.find_elements(By.CSS_SELECTOR, css):
                if el.is_displayed() and el.text.strip() == text and el.is_enabled():
                    return el
            return False
        el = self.wait(find, timeout, f"{css} '{text}'")
        el.click()
        return el

    def quit(self):
        self.driver.quit()


def in_browser_login_and_open_assignments(browser: Browser, hub: cs.Hub, name: str, password: str):
    d = browser.driver
    d.get(hub.url + "/hub/login")
    browser.by_css("#username_input").send_keys(name)
    browser.by_css("#password_input").send_keys(password)
    browser.by_css("#login_submit").click()
    # the hub spawns the server and sends the browser on to JupyterLab
    browser.wait(lambda d: f"/user/{name}/lab" in d.current_url, 150, "JupyterLab URL")
    browser.by_css(".lm-MenuBar-itemLabel", 120)
    browser.click_text(".lm-MenuBar-itemLabel", "Nbgrader", 120)
    browser.click_text(".lm-Menu-itemLabel", "Assignment List")
    browser.by_css("#released_assignments_list")


def list_row_button(browser: Browser, list_id: str, assignment: str, label: str, timeout=90):
    """The button ``label`` in the row of ``assignment`` in the assignment list ``list_id``."""
    from selenium.webdriver.common.by import By

    def find(d):
        for row in d.find_elements(By.CSS_SELECTOR, f"#{list_id} .list_item"):
            if assignment in row.text:
                for b in row.find_elements(By.TAG_NAME, "button"):
                    if b.text.strip() == label and b.is_enabled():
                        return b
        return False
    return browser.wait(find, timeout, f"{label} button of {assignment} in #{list_id}")


def as_student(journey, name, code: str) -> subprocess.CompletedProcess:
    """Run a Python snippet as the student's system user, with the single-user environment."""
    return cs.as_user(name, [str(journey["env"] / "bin" / "python"), "-c", code], check=False,
                      env={"PATH": f"{journey['env']}/bin:/usr/bin:/bin"})


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    _require(os.geteuid() == 0, "the class test creates system users: run it as root")
    _require(cs.postgres_bindir() is not None, "PostgreSQL is not installed (apt-get install postgresql)")
    _require(bool(shutil.which("chromium") or shutil.which("chromium-browser")), "Chromium is not installed")
    _require(bool(shutil.which("chromedriver")), "chromedriver is not installed (apt-get install chromium-driver)")
    _require(cs.PROXY.exists(), f"configurable-http-proxy is not installed at {cs.PROXY} (make class-deps)")
    _require(Path("/usr/bin/python3").exists(), "/usr/bin/python3 is missing (the single-user environment uses it)")

    t0 = time.perf_counter()
    timings = {}
    base = cs.world_readable_tmpdir("rnncourse-class-")
    tag = "rc" + os.urandom(2).hex()
    names = {"teach": f"{tag}-teach", "alice": f"{tag}-alice", "bob": f"{tag}-bob", "carol": f"{tag}-carol"}
    passwords = {k: cs.new_password() for k in names}
    a = assignment_name()
    exchange = base / "exchange"
    servers = []
    browser = None
    stack = []
    try:
        env_cm = cs.singleuser_env()
        env = env_cm.__enter__()
        stack.append(env_cm)
        timings["single-user environment"] = time.perf_counter() - t0

        (base / "home").mkdir()
        (base / "home").chmod(0o755)
        for k, n in names.items():
            cs.create_user(n, base / "home" / n, passwords[k])

        pg = cs.PostgresServer(base / "pg").start()
        servers.append(pg)
        gradebook_password = cs.new_password()
        gradebook_url = pg.create_database("gradebook", names["teach"], gradebook_password)

        # the instructor's course directory: a private copy of assignments/
        teach = pwd.getpwnam(names["teach"])
        course = Path(teach.pw_dir) / "course"
        shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
        subprocess.run(["chown", "-R", f"{teach.pw_uid}:{teach.pw_gid}", str(course)], check=True)
        course.chmod(0o700)

        hub = cs.Hub(base / "hub", {
            "RNNCOURSE_INSTRUCTORS": names["teach"],
            "RNNCOURSE_STUDENTS": ",".join(names[k] for k in ("alice", "bob", "carol")),
            "RNNCOURSE_SINGLEUSER": str(env), "RNNCOURSE_EXCHANGE": str(exchange),
            "RNNCOURSE_GRADEBOOK_URL": gradebook_url, "RNNCOURSE_CELL_TIMEOUT": "60"}).start()
        servers.append(hub)
        timings["servers up"] = time.perf_counter() - t0

        people = {k: cs.HubUser(hub, names[k], passwords[k]) for k in ("teach", "bob", "carol")}
        for k in ("teach", "bob", "carol"):
            people[k].start_server()
        teacher = people["teach"]

        # 1. generate and release through formgrader
        r = teacher.server("PUT", f"formgrader/api/assignment/{a}", json={})
        r.raise_for_status()
        cs.formgrader_post(teacher, f"assignment/{a}/assign")
        cs.formgrader_post(teacher, f"assignment/{a}/release")
        timings["released"] = time.perf_counter() - t0

        source = json.loads((course / "source" / a / f"{a}.ipynb").read_text())

        def fetch(user):
            r = user.server("POST", "assignments/fetch", json={"course_id": COURSE_ID, "assignment_id": a})
            r.raise_for_status()
            return user.read_contents(f"{a}/{a}.ipynb")["content"]

        def submit(user):
            r = user.server("POST", "assignments/submit", json={"course_id": COURSE_ID, "assignment_id": a})
            r.raise_for_status()
            body = r.json()
            assert not (isinstance(body, dict) and body.get("success") is False), body
            time.sleep(1.1)               # nbgrader's timestamps have one-second resolution

        # 2. bob: blank, then solved; carol: a notebook that is not JSON
        bob_released = fetch(people["bob"])
        submit(people["bob"])
        people["bob"].write_notebook(f"{a}/{a}.ipynb", solved(bob_released, source))
        submit(people["bob"])
        fetch(people["carol"])
        people["carol"].write_text(f"{a}/{a}.ipynb", '{"cells": [ this is not json')
        submit(people["carol"])

        # 3. the due date passes; alice works in the browser and submits late
        due = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        r = teacher.server("PUT", f"formgrader/api/assignment/{a}",
                           json={"duedate_notimezone": due.strftime("%Y-%m-%dT%H:%M:%S"), "duedate_timezone": "UTC"})
        r.raise_for_status()
        time.sleep(1.1)
        browser = Browser(base / "chromium-profile")
        in_browser_login_and_open_assignments(browser, hub, names["alice"], passwords["alice"])
        list_row_button(browser, "released_assignments_list", a, "Fetch").click()
        list_row_button(browser, "fetched_assignments_list", a, "Submit")     # the fetch arrived
        alice = cs.HubUser(hub, names["alice"], passwords["alice"])
        people["alice"] = alice
        alice_released = alice.read_contents(f"{a}/{a}.ipynb")["content"]
        alice.write_notebook(f"{a}/{a}.ipynb", solved(alice_released, source))
        list_row_button(browser, "fetched_assignments_list", a, "Submit").click()
        browser.wait(lambda d: a in d.find_element("css selector", "#submitted_assignments_list").text,
                     90, "the submission listed")
        browser.driver.save_screenshot(str(base / "alice-assignment-list.png"))
        timings["students submitted"] = time.perf_counter() - t0

        # alice tries to submit in bob's name from her own account (nbgrader's CLI in her server)
        student_env = {"PATH": f"{env}/bin:/usr/bin:/bin",
                       "JUPYTER_CONFIG_PATH": str(base / "hub" / "jupyter" / "student"),
                       "RNNCOURSE_EXCHANGE": str(exchange), "RNNCOURSE_COURSE_ID": COURSE_ID}
        # (she submits a blank notebook: collected in bob's name, it would score 0)
        alice.write_notebook(f"{a}/{a}.ipynb", alice_released)
        time.sleep(1.1)
        impersonation = cs.as_user(names["alice"], [f"{env}/bin/nbgrader", "submit", a, f"--student={names['bob']}",
                                                    f"--course={COURSE_ID}"], env=student_env, check=False)
        impersonation_via_hub = alice.api("POST", f"/user/{names['bob']}/assignments/submit",
                                          json={"course_id": COURSE_ID, "assignment_id": a})

        # 4. collect, autograde in parallel into PostgreSQL, feedback, exports
        collected = cs.formgrader_post(teacher, f"assignment/{a}/collect")
        teacher_env = {"PATH": f"{env}/bin:/usr/bin:/bin", "RNNCOURSE_GRADEBOOK_URL": gradebook_url,
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        tg = time.perf_counter()
        grading = cs.as_user(names["teach"], [f"{env}/bin/python", "course.py", "grade", a, "-j", "2"],
                             cwd=course, env=teacher_env)
        timings["autograde + feedback (2 workers)"] = time.perf_counter() - tg
        released_feedback = cs.formgrader_post(teacher, f"assignment/{a}/release_feedback")
        exports = {}
        for lms, plugin in (("canvas", "CanvasExportPlugin"), ("moodle", "MoodleExportPlugin")):
            cs.as_user(names["teach"], [f"{env}/bin/nbgrader", "export", f"--exporter=classroom.exports.{plugin}",
                                        f"--to={lms}.csv"], cwd=course, env=teacher_env)
            exports[lms] = list(csv.reader(open(course / f"{lms}.csv", newline="")))

        # 5. everyone fetches their own feedback
        feedback = {}
        for k in ("alice", "bob", "carol"):
            user = people[k]
            r = user.server("POST", "assignments/fetch_feedback", json={"course_id": COURSE_ID, "assignment_id": a})
            r.raise_for_status()
            pages = []
            r = user.server("GET", f"api/contents/{a}/feedback", params={"content": 1})
            listing = r.json()["content"] if r.status_code == 200 else []      # 404: no feedback for them
            for stamp in listing:
                for page in user.read_contents(stamp["path"])["content"]:
                    if page["name"].endswith(".html"):
                        pages.append(user.read_contents(page["path"], fmt="text")["content"])
            feedback[k] = pages
        timings["feedback fetched"] = time.perf_counter() - t0

        from nbgrader.api import Gradebook
        with Gradebook(gradebook_url, COURSE_ID) as gb:
            grades = {}
            for k in ("alice", "bob", "carol"):
                try:
                    sub = gb.find_submission(a, names[k])
                    grades[k] = {"score": sub.score, "penalty": sub.late_submission_penalty,
                                 "max": sub.max_score, "timestamp": sub.timestamp}
                except Exception:
                    grades[k] = None
            max_score = gb.find_assignment(a).max_score
            duedate = gb.find_assignment(a).duedate

        yield {
            "a": a, "names": names, "passwords": passwords, "people": people, "hub": hub, "pg": pg,
            "env": env, "base": base, "course": course, "exchange": exchange, "gradebook_url": gradebook_url,
            "gradebook_password": gradebook_password, "grades": grades, "max_score": max_score,
            "duedate": duedate, "due": due, "exports": exports, "feedback": feedback, "grading": grading,
            "collected": collected, "released_feedback": released_feedback, "impersonation": impersonation,
            "impersonation_via_hub": impersonation_via_hub, "timings": timings, "student_env": student_env,
            "bob_solution": solved(bob_released, source),
        }
    finally:
        total = time.perf_counter() - t0
        print(f"\nclass e2e: {total:.0f} s; " + ", ".join(f"{k} at {v:.0f} s" for k, v in timings.items()))
        if browser is not None:
            browser.quit()
        for server in reversed(servers):
            server.stop()
        for n in names.values():
            cs.delete_user(n)
        for cm in reversed(stack):
            cm.__exit__(None, None, None)
        if os.environ.get("RNNCOURSE_KEEP_CLASS_DIR"):
            print(f"class e2e files kept in {base}")
        else:
            cs.remove_tree(base)


def late_percent(course: Path) -> float:
    """The course's configured late penalty per day (read from its nbgrader_config.py)."""
    from traitlets.config.loader import PyFileConfigLoader
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "assignments")).load_config()
    return float(cfg.PerDayLatePenalty.percent_per_day)


def test_on_time_resubmission_scores_full_marks(journey):
    g = journey["grades"]["bob"]
    assert g is not None, journey["grading"].stdout
    assert g["max"] == journey["max_score"] > 0
    assert g["score"] == journey["max_score"], "bob's second (solved) submission was graded"
    assert g["penalty"] == 0
    assert g["timestamp"] <= journey["duedate"]


def test_late_submission_loses_the_policy_penalty(journey):
    g = journey["grades"]["alice"]
    assert g is not None
    assert g["timestamp"] > journey["duedate"]
    assert g["score"] == journey["max_score"], "alice's late notebook is fully correct"
    expected = round(journey["max_score"] * late_percent(journey["course"]) / 100.0, 4)
    assert expected > 0
    assert g["penalty"] == pytest.approx(expected)


def test_broken_notebook_scores_zero_with_a_reason(journey):
    g = journey["grades"]["carol"]
    assert g is None or g["score"] == 0
    (page,) = journey["feedback"]["carol"]        # exactly one page, hers
    assert "not a valid Jupyter notebook" in page
    assert "Score: 0" in page


def test_each_student_receives_their_own_feedback(journey):
    a = journey["a"]
    for k in ("alice", "bob"):
        (page,) = journey["feedback"][k]
        assert a in page
        text = re.sub(r"<[^>]+>", " ", page)
        assert journey["names"][k] in text or "Score" in text
        for marker in ("HIDDEN TESTS", "BEGIN SOLUTION", "Traceback (most recent call last)"):
            assert marker not in page
    # each page is the student's own: bob's shows full marks, alice's the penalty
    bob, alice = journey["feedback"]["bob"][0], journey["feedback"]["alice"][0]
    assert bob != alice


def test_exports_for_canvas_and_moodle(journey):
    n, a, m = journey["names"], journey["a"], journey["max_score"]
    penalty = journey["grades"]["alice"]["penalty"]
    canvas = journey["exports"]["canvas"]
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and canvas[0][5] == a
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) == m
    by_login = {row[3]: float(row[5]) for row in canvas[2:]}
    assert by_login == {n["alice"]: pytest.approx(m - penalty), n["bob"]: m, n["carol"]: 0.0}
    moodle = journey["exports"]["moodle"]
    assert moodle[0] == ["First name", "Last name", "ID number", "Email address", a]
    assert {row[2]: float(row[4]) for row in moodle[1:]} == by_login


def test_no_one_submits_in_someone_elses_name(journey):
    # through the hub: alice's token does not reach bob's server
    assert journey["impersonation_via_hub"].status_code == 403
    # from her own account, nbgrader lets her *claim* to be bob; collection refuses it and
    # keeps bob's own (solved) submission
    assert journey["impersonation"].returncode == 0, journey["impersonation"].stderr
    submitted = journey["course"] / "submitted" / journey["names"]["bob"] / journey["a"] / f"{journey['a']}.ipynb"
    nb = json.loads(submitted.read_text())
    def answers_of(notebook):
        return ["".join(c["source"]) for c in notebook["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    answers, expected = answers_of(nb), answers_of(journey["bob_solution"])
    assert answers == expected
    assert journey["grades"]["bob"]["score"] == journey["max_score"]


def test_students_cannot_reach_other_servers_or_formgrader(journey):
    alice, n = journey["people"]["alice"], journey["names"]
    assert alice.api("GET", f"/user/{n['bob']}/api/contents").status_code == 403
    assert alice.api("GET", f"/user/{n['bob']}/api/contents/{journey['a']}/feedback").status_code == 403
    assert alice.api("GET", f"/user/{n['teach']}/formgrader/api/assignments").status_code == 403
    assert alice.api("GET", f"/user/{n['teach']}/api/contents/course/source").status_code == 403
    # her own server has no formgrader
    assert alice.server("GET", "formgrader/api/assignments").status_code == 404
    # the instructor's does
    assert journey["people"]["teach"].server("GET", "formgrader/api/assignments").status_code == 200


def test_students_cannot_read_other_files_or_the_gradebook(journey):
    n, a = journey["names"], journey["a"]
    course_inbound = journey["exchange"] / COURSE_ID / "inbound"
    course_feedback = journey["exchange"] / COURSE_ID / "feedback"
    bob_home = Path(pwd.getpwnam(n["bob"]).pw_dir)
    teach_course = journey["course"]
    assert any(course_inbound.iterdir()) and any(course_feedback.iterdir())   # as root: there is something
    probes = {
        "list the exchange's submissions": f"import os; os.listdir({str(course_inbound)!r})",
        "list the exchange's feedback": f"import os; os.listdir({str(course_feedback)!r})",
        "read bob's notebook": f"open({str(bob_home / a / (a + '.ipynb'))!r}).read()",
        "list bob's home": f"import os; os.listdir({str(bob_home)!r})",
        "read the source notebook": f"open({str(teach_course / 'source' / a / (a + '.ipynb'))!r}).read()",
        "list the course directory": f"import os; os.listdir({str(teach_course)!r})",
        "read the collected submissions": f"import os; os.listdir({str(teach_course / 'submitted')!r})",
    }
    for what, code in probes.items():
        out = as_student(journey, n["alice"], code)
        assert out.returncode != 0 and "PermissionError" in out.stderr, f"alice could {what}: {out.stdout}{out.stderr}"
    # the gradebook: without the instructor's password PostgreSQL refuses her
    port = journey["pg"].port
    for user, password in ((n["teach"], ""), (n["alice"], ""), (n["teach"], "guess")):
        code = (f"import psycopg; psycopg.connect(host='127.0.0.1', port={port}, dbname='gradebook', "
                f"user={user!r}, password={password!r}, connect_timeout=10)")
        out = as_student(journey, n["alice"], code)
        assert out.returncode != 0 and "OperationalError" in out.stderr, out.stderr
    # the probe itself can succeed: the instructor reads her course and the gradebook
    ok = cs.as_user(n["teach"], [str(journey["env"] / "bin" / "python"), "-c",
                                 f"import os, psycopg; os.listdir({str(teach_course)!r}); "
                                 f"psycopg.connect({journey['gradebook_url']!r}).close()"],
                    env={"PATH": f"{journey['env']}/bin:/usr/bin:/bin"}, check=False)
    assert ok.returncode == 0, ok.stderr


def test_no_student_fetches_anothers_feedback(journey):
    n, a = journey["names"], journey["a"]
    out = cs.as_user(n["alice"], [f"{journey['env']}/bin/nbgrader", "fetch_feedback", a, f"--student={n['bob']}",
                                  f"--course={COURSE_ID}"], env=journey["student_env"], check=False)
    alice_home = Path(pwd.getpwnam(n["alice"]).pw_dir)
    pages = sorted(p.read_text() for p in (alice_home / a / "feedback").rglob("*.html"))
    # alice has only her own page (the one fetched earlier), none of bob's
    assert pages == journey["feedback"]["alice"], out.stdout + out.stderr
    assert journey["feedback"]["bob"][0] not in pages
