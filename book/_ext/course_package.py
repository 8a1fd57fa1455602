"""Publish the package ``rnncourse`` with the book, as a wheel built at build time.

A student needs ``rnncourse`` to run an assignment or a page, and nothing else of the
repository. At ``builder-inited`` this extension builds the wheel from the repository's
own ``pyproject.toml`` and ``rnncourse/`` (``pip wheel --no-deps --no-build-isolation``, on
a copy, so that no ``build/`` folder appears in the tree); at ``build-finished`` it copies
it to ``_static/dist/``, where the page *Run it yourself* links to it. The wheel holds the
package only; its dependencies (numpy, matplotlib, tqdm) come from the package index when
it is installed.

The wheel is rebuilt only when its sources change (their digest is kept beside it in
``_build/wheel/``). The build fails if the wheel is not named
:func:`rnncourse.environment.wheel_name` of the package being documented: the page and
the environment check of every notebook name that file.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: What the wheel is built from (the README is the package's long description).
SOURCES = ("pyproject.toml", "README.md", "rnncourse")
DIST = "dist"        # under _static/


def _source_files():
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _digest() -> str:
    h = hashlib.sha256()
    for path in _source_files():
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def build_wheel(out: Path) -> Path:
    """Build the wheel of the repository's package into ``out`` (emptied first); its path."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        for path in _source_files():
            dest = src / path.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                               "--no-index", "--quiet", "--disable-pip-version-check", "--wheel-dir", str(out)],
                              capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"building the rnncourse wheel failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    wheels = sorted(out.glob("*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"pip wheel wrote {[w.name for w in wheels]}, expected one wheel")
    return wheels[0]


def _build(app):
    from rnncourse.environment import wheel_name

    out = Path(app.outdir).parent / "wheel"
    digest = _digest()
    stamp = out / "sources.sha256"
    wheels = sorted(out.glob("*.whl")) if out.is_dir() else []
    if not (stamp.is_file() and stamp.read_text() == digest and len(wheels) == 1):
        wheels = [build_wheel(out)]
        stamp.write_text(digest)
    expected = wheel_name()
    if wheels[0].name != expected:
        raise RuntimeError(f"the wheel built from {ROOT} is {wheels[0].name}, but the package imported by the "
                           f"build expects {expected}: reinstall it (`make bootstrap`) or fix its version")
    app.env.rnncourse_wheel = str(wheels[0])


def _publish(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / DIST
    dest.mkdir(parents=True, exist_ok=True)
    wheel = Path(app.env.rnncourse_wheel)
    for old in dest.glob("rnncourse-*.whl"):
        if old.name != wheel.name:
            old.unlink()
    shutil.copy2(wheel, dest / wheel.name)


def setup(app):
    app.connect("builder-inited", _build)
    app.connect("build-finished", _publish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
