"""``make lab``: JupyterLab on the repository, the book's pages opening as notebooks.

The test starts what ``make lab`` starts (``book/lab.py``, i.e. ``jupyter lab`` in the
repository's root) on a free port of 127.0.0.1 without a browser, and asks its REST API
what a person clicking in JupyterLab would get: a page of the book, a MyST Markdown
file, comes back as a notebook with the page's code cells (jupytext), JupyterLab's
default viewer for Markdown is jupytext's notebook, and the kernel is this environment's
Python, where ``rnncourse`` is importable. ``make -n lab`` shows that the student
versions are released first.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support.processes import free_port, stop_process

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "rnncourse-lab-test"


def _get(base, path, timeout=30):
    req = urllib.request.Request(base + path, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("lab")
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "book" / "lab.py"), "--no-browser", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
                             "--ServerApp.port_retries=0"], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(base, "/api/status", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"JupyterLab did not start (exit {proc.poll()}):\n{(home / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base
    finally:
        stop_process(proc, timeout=20)
        log.close()


def test_a_book_page_opens_as_a_notebook(lab):
    import jupytext

    model = _get(lab, "/api/contents/book/math.md?type=notebook&content=1")
    assert model["type"] == "notebook", model["type"]
    code = [c["source"] for c in model["content"]["cells"] if c["cell_type"] == "code"]
    expected = [c.source for c in jupytext.read(ROOT / "book" / "math.md").cells if c.cell_type == "code"]
    assert code == expected and len(code) > 5


def test_markdown_opens_with_jupytext_by_default(lab):
    settings = _get(lab, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # the environment's overrides become the schema's defaults (the user's own settings may still change them)
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers.get("markdown") == "Jupytext Notebook", viewers


def test_the_kernel_is_this_environment(lab):
    specs = _get(lab, "/api/kernelspecs")
    assert specs["default"] in specs["kernelspecs"]
    spec = specs["kernelspecs"]["python3"]["spec"]
    assert spec["language"] == "python"
    # "python" is replaced by the server's own interpreter (this environment, rnncourse importable)
    python = spec["argv"][0]
    assert python in ("python", "python3") or Path(python).resolve().is_relative_to(Path(sys.prefix).resolve()), python
    listing = _get(lab, "/api/contents/assignments")
    assert {"source", "nbgrader_config.py"} <= {item["name"] for item in listing["content"]}


def test_make_lab_releases_the_assignments_first():
    proc = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    release = next(i for i, line in enumerate(lines) if "course.py release" in line)
    start = next(i for i, line in enumerate(lines) if "book/lab.py" in line)
    assert release < start, proc.stdout
