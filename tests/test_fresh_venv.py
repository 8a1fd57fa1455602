"""The course without a clone: what the book publishes, run in a fresh virtual environment.

A student follows the page *Run it yourself*: a new virtual environment, ``pip install`` of
the wheel the book publishes plus JupyterLab, and a notebook (an assignment, or any page
of the book downloaded from its button). These tests do exactly that with the book built
by ``support/book_fixture.py``: one fresh environment per session, outside the
repository (no ``rnncourse`` on any path but the installed wheel, whose dependencies come
from the package index), in which

* every page's notebook runs top to bottom (two at a time);
* every assignment's student version starts, says the environment is ready, and runs its
  visible tests (the first one fails with ``NotImplementedError``, as it should); with the
  solutions filled in, every visible test passes;
* the environment check says in one sentence what to install when ``rnncourse`` is
  missing or has another version.

The fixture records how long the steps took (``record_property``: wheel size, venv
creation, installation, executing every page notebook). It needs the network, for the
packages on the index, like ``make``'s own setup.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from rnncourse.environment import CHECK_CELL_MARKER, wheel_name
from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)
from support.glossary import toc_pages

# the worker that builds the book runs every test that needs it (see addopts in pyproject.toml)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]

INSTALL_TIMEOUT = 900        # seconds, pip install of the wheel and JupyterLab
NOTEBOOK_TIMEOUT = 900       # seconds, one notebook (the slowest page takes well under a minute)
JOBS = 2                     # notebooks executed at once
#: what a student needs besides the wheel (page "Run it yourself")
JUPYTER = "jupyterlab"
#: tools of the course's development environment that a student's environment must not get
DEV_ONLY = ("nbgrader", "jupyter-book", "pytest", "myst-nb", "jupytext", "sphinx")


@dataclass
class FreshVenv:
    path: Path
    wheel: Path
    home: Path                          #: an empty folder outside the repository, the working directory
    times: dict = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    def env(self) -> dict:
        """The environment of a student's shell with the venv activated, and no trace of the repository's."""
        dev_bin = str(Path(sys.executable).parent)
        path = [str(self.bin)] + [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != dev_bin]
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
               and not k.startswith(("JUPYTER", "IPYTHON"))}
        env.update(PATH=os.pathsep.join(path), VIRTUAL_ENV=str(self.path), PIP_DISABLE_PIP_VERSION_CHECK="1",
                   # Jupyter's own folders, fresh: no kernel spec or config of this machine's user
                   JUPYTER_PREFER_ENV_PATH="1", JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
                   JUPYTER_DATA_DIR=str(self.home / ".local-jupyter"), IPYTHONDIR=str(self.home / ".ipython"))
        return env

    def run(self, *args, timeout=600, cwd=None) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], cwd=cwd or self.home, env=self.env(), capture_output=True,
                              text=True, timeout=timeout)

    def execute(self, notebook: Path, out_dir: Path, allow_errors=False) -> tuple[subprocess.CompletedProcess, Path]:
        """``jupyter nbconvert --execute`` as a student would run all cells; the executed copy's path."""
        out_dir.mkdir(parents=True, exist_ok=True)
        args = [self.bin / "jupyter", "nbconvert", "--to", "notebook", "--execute",
                f"--ExecutePreprocessor.timeout={NOTEBOOK_TIMEOUT}", "--output-dir", out_dir,
                "--output", notebook.stem]
        if allow_errors:
            args.append("--allow-errors")
        proc = self.run(*args, notebook, timeout=NOTEBOOK_TIMEOUT + 120, cwd=notebook.parent)
        return proc, out_dir / f"{notebook.stem}.ipynb"


_CACHE: dict[str, FreshVenv] = {}


def published_wheel(book) -> Path:
    wheels = sorted((book.html_dir / "_static" / "dist").glob("*.whl"))
    assert len(wheels) == 1, f"the book publishes {[w.name for w in wheels]} in _static/dist, expected one wheel"
    return wheels[0]


@pytest.fixture(scope="session")
def fresh_venv(built_book, tmp_path_factory) -> FreshVenv:
    """A new virtual environment with the book's wheel and JupyterLab, as *Run it yourself* says."""
    if "venv" in _CACHE:
        return _CACHE["venv"]
    require_html(built_book)
    wheel = published_wheel(built_book)
    home = tmp_path_factory.mktemp("student")
    shutil.copy2(wheel, home / wheel.name)                  # the downloaded file, next to the student
    venv = FreshVenv(home / "rnn-course", home / wheel.name, home)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "venv", str(venv.path)], capture_output=True, text=True,
                          cwd=home, timeout=300)
    assert proc.returncode == 0, proc.stderr
    venv.times["venv_seconds"] = time.monotonic() - start
    start = time.monotonic()
    proc = venv.run(venv.bin / "pip", "install", "--quiet", "--progress-bar", "off", wheel.name, JUPYTER,
                    timeout=INSTALL_TIMEOUT)
    venv.times["install_seconds"] = time.monotonic() - start
    assert proc.returncode == 0, f"pip install {wheel.name} {JUPYTER}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    _CACHE["venv"] = venv
    return venv


def _page_notebook(book, page: str) -> Path:
    return book.html_dir / "_sources" / f"{page}.ipynb"


def _errors(nb_path: Path) -> list[str]:
    nb = nbformat.read(nb_path, as_version=4)
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def _outputs_text(cell) -> str:
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            out.append("\n".join(o.get("traceback", [])))
        else:
            out.append(str(o.get("data", {}).get("text/plain", "")))
    return "".join(out)


# ---------------------------------------------------------------------------
# what the book publishes (no venv needed)
# ---------------------------------------------------------------------------
def test_book_publishes_the_wheel_built_from_the_package(built_book):
    require_html(built_book)
    wheel = published_wheel(built_book)
    assert wheel.name == wheel_name(), f"{wheel.name} != {wheel_name()}"
    package = built_book.src / "rnncourse"
    sources = {p.relative_to(built_book.src).as_posix(): p.read_bytes() for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    with zipfile.ZipFile(wheel) as zf:
        inside = {n: zf.read(n) for n in zf.namelist() if n.startswith("rnncourse/")}
        metadata = next(zf.read(n).decode() for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
    assert set(inside) == set(sources), (f"only in the wheel: {sorted(set(inside) - set(sources))[:5]}; "
                                         f"missing: {sorted(set(sources) - set(inside))[:5]}")
    stale = sorted(n for n in inside if inside[n] != sources[n])
    assert not stale, f"the wheel's files differ from the sources the book was built from: {stale[:5]}"
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    names = {re.split(r"[<>=!~ ;\[]", r)[0].lower() for r in requires}
    assert {"numpy", "matplotlib", "tqdm"} <= names, requires
    assert not names & {"ipython", "jupyterlab", "nbgrader", "jupyter-book"}, requires
    page = (built_book.html_dir / "book" / "run_yourself.html").read_text(encoding="utf-8")
    assert f'href="../_static/dist/{wheel.name}"' in page, "Run it yourself does not link to the wheel"
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert f"pip install {wheel.name} {JUPYTER}" in text, "Run it yourself does not show the install command"


def test_every_page_offers_its_notebook(built_book):
    """Each page's download menu links to ``_sources/<page>.ipynb``: its code cells, the check first, plain Markdown."""
    import jupytext

    require_html(built_book)
    pages = toc_pages(built_book.src)
    assert len(pages) >= 30
    problems = []
    for page in pages:
        html = (built_book.html_dir / f"{page}.html").read_text(encoding="utf-8")
        depth = page.count("/")
        href = "../" * depth + f"_sources/{page}.ipynb"
        if f'href="{href}"' not in html:
            problems.append(f"{page}: no link to {href} on the page")
        path = _page_notebook(built_book, page)
        if not path.is_file():
            problems.append(f"{page}: {path.relative_to(built_book.html_dir)} was not published")
            continue
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        if not code or not code[0].startswith(CHECK_CELL_MARKER):
            problems.append(f"{page}: the first code cell is not the environment check")
        source = jupytext.read(built_book.src / f"{page}.md", fmt="md:myst")
        if code[1:] != [c.source for c in source.cells if c.cell_type == "code"]:
            problems.append(f"{page}: its code cells are not the page's")
        if any("myst_nb" in c for c in code):
            problems.append(f"{page}: imports myst_nb, which a student does not have")
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        left = re.findall(r"\{[\w:-]+\}`[^`]*`|^```\{[\w:-]+\}", markdown, re.M)
        if left:
            problems.append(f"{page}: MyST markup left in the Markdown: {left[:3]}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# in the fresh virtual environment
# ---------------------------------------------------------------------------
def test_fresh_venv_runs_the_installed_wheel_only(fresh_venv, record_property):
    for name, seconds in fresh_venv.times.items():
        record_property(name, round(seconds, 1))
    probe = fresh_venv.home / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys, rnncourse\nprint(sys.prefix)\nprint(rnncourse.__file__)")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), probe)
    proc, out = fresh_venv.execute(probe, fresh_venv.home / "probe-out")
    assert proc.returncode == 0, proc.stderr[-3000:]
    outputs = nbformat.read(out, as_version=4).cells[0].outputs
    assert not [o for o in outputs if o.get("name") == "stderr"], f"importing rnncourse warned: {outputs}"
    prefix, package = "".join(o.text for o in outputs if o.get("name") == "stdout").split()
    assert Path(prefix).resolve() == fresh_venv.path.resolve(), f"the kernel ran in {prefix}"
    assert Path(package).resolve().is_relative_to(fresh_venv.path.resolve()), f"rnncourse came from {package}"
    listed = fresh_venv.run(fresh_venv.bin / "pip", "list", "--format=json")
    installed = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert "rnncourse" in installed and "jupyterlab" in installed
    assert not installed & set(DEV_ONLY), f"a student's environment got {sorted(installed & set(DEV_ONLY))}"


def test_every_page_notebook_runs_in_the_fresh_venv(fresh_venv, built_book, record_property, tmp_path):
    """Every page's published notebook, top to bottom, in a folder with nothing else in it."""
    pages = toc_pages(built_book.src)
    work = tmp_path / "pages"
    notebooks = []
    for page in pages:
        target = work / page.replace("/", "__") / f"{page.rsplit('/', 1)[-1]}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copy2(_page_notebook(built_book, page), target)
        notebooks.append((page, target))

    def run(item):
        page, nb = item
        start = time.monotonic()
        proc, out = fresh_venv.execute(nb, nb.parent / "out")
        return page, proc, out, time.monotonic() - start

    start = time.monotonic()
    with ThreadPoolExecutor(JOBS) as pool:
        results = list(pool.map(run, notebooks))
    total = time.monotonic() - start
    record_property("page_notebooks_seconds", round(total, 1))
    record_property("page_notebooks_slowest", sorted(((round(s, 1), p) for p, _, _, s in results), reverse=True)[:5])
    failed = [f"{page}: exit {proc.returncode}\n{proc.stderr[-1500:]}" for page, proc, _, _ in results
              if proc.returncode != 0]
    assert not failed, f"{len(failed)} of {len(pages)} page notebooks failed:\n" + "\n\n".join(failed)
    for page, _, out, _ in results:
        cells = nbformat.read(out, as_version=4).cells
        first = next(c for c in cells if c.cell_type == "code")
        assert "is installed: ready." in _outputs_text(first), f"{page}: {_outputs_text(first)!r}"
    # no repository around: the pages that show parts of it said so instead
    assignments = nbformat.read(dict((p, o) for p, _, o, _ in results)["book/assignments"], as_version=4)
    shown = "".join(_outputs_text(c) for c in assignments.cells if c.cell_type == "code")
    assert "which is not here" in shown, "the Assignments page found a course directory next to the notebook"


def _solution_version(source: Path) -> nbformat.NotebookNode:
    """The instructor's notebook without its hidden tests: a student's notebook with every answer right."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        cell.source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", "", cell.source, flags=re.S)
        cell.source = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", "", cell.source, flags=re.M)
    return nb


def test_assignments_run_their_visible_tests_in_the_fresh_venv(fresh_venv, built_book, tmp_path):
    published = sorted((built_book.html_dir / "_static" / "assignments").glob("*.ipynb"))
    sources = sorted((built_book.src / "assignments" / "source").glob("*/*.ipynb"))
    assert published and [p.name for p in published] == [s.name for s in sources]
    jobs = []
    for student_version, source in zip(published, sources):
        blank = tmp_path / "blank" / student_version.name
        blank.parent.mkdir(exist_ok=True)
        shutil.copy2(student_version, blank)
        solved = tmp_path / "solved" / source.name
        solved.parent.mkdir(exist_ok=True)
        text = nbformat.writes(_solution_version(source))
        assert "graders" not in text
        solved.write_text(text)
        jobs += [("blank", blank, True), ("solved", solved, False)]

    def run(job):
        kind, nb, allow_errors = job
        return kind, nb, *fresh_venv.execute(nb, nb.parent / "out", allow_errors=allow_errors)

    with ThreadPoolExecutor(JOBS) as pool:
        results = list(pool.map(run, jobs))
    problems = []
    for kind, nb, proc, out in results:
        if proc.returncode != 0:
            problems.append(f"{kind} {nb.name}: exit {proc.returncode}\n{proc.stderr[-1500:]}")
            continue
        executed = nbformat.read(out, as_version=4)
        first = next(c for c in executed.cells if c.cell_type == "code")
        if "is installed: ready." not in _outputs_text(first):
            problems.append(f"{kind} {nb.name}: the environment check said {_outputs_text(first)!r}")
        errors = _errors(out)
        if kind == "solved" and errors:
            problems.append(f"{nb.name} with its solutions: visible tests failed: {errors[:3]}")
        if kind == "blank":
            if not errors or "NotImplementedError" not in errors[0]:
                problems.append(f"{nb.name} as released: expected NotImplementedError first, got {errors[:2]}")
            if any(e.startswith(("ModuleNotFoundError", "ImportError")) for e in errors):
                problems.append(f"{nb.name} as released: import errors {errors}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("installed", [None, "0.0.1"], ids=["missing", "other-version"])
def test_environment_check_says_what_to_install(fresh_venv, built_book, installed, tmp_path):
    """The first cell of a released notebook, where ``rnncourse`` is missing or has another version."""
    released = sorted((built_book.html_dir / "_static" / "assignments").glob("*.ipynb"))[0]
    nb = nbformat.read(released, as_version=4)
    check = next(c for c in nb.cells if c.cell_type == "code")
    hide = ("import sys\nsys.modules['rnncourse'] = None" if installed is None else
            f"import sys, types\nsys.modules['rnncourse'] = types.SimpleNamespace(__version__={installed!r})")
    nb.cells = [nbformat.v4.new_code_cell(hide), check, nbformat.v4.new_code_cell("print('after the check')")]
    path = tmp_path / "check.ipynb"
    nbformat.write(nb, path)
    proc, out = fresh_venv.execute(path, tmp_path / "out", allow_errors=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    cells = nbformat.read(out, as_version=4).cells
    (error,) = [o for o in cells[1].outputs if o.output_type == "error"]
    wheel = wheel_name()
    assert error.traceback == [error.evalue], f"a traceback, not one sentence: {error.traceback}"
    sentence = error.evalue
    assert sentence.count(". ") == 0 and f"pip install {wheel}" in sentence and "Run it yourself" in sentence, sentence
    assert ("not installed" in sentence) if installed is None else (f"{installed} is installed" in sentence), sentence
