"""Serve MathJax from the built book instead of a CDN, so formulas typeset offline.

Sphinx loads MathJax 3 from a CDN by default; with no network every formula stays
raw TeX. The PyPI package ``django-static-mathjax`` (installed by ``make book``
from requirements.txt; it needs no Django) ships MathJax 3.2.2. This extension
copies its ``es5`` bundle into ``_build/html/_static/mathjax`` and points
``mathjax_path`` there.
"""
from __future__ import annotations

import shutil
from pathlib import Path

MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"


def _mathjax_source() -> Path:
    import mathjax  # the top-level package installed by django-static-mathjax

    src = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (src / "tex-mml-chtml.js").is_file():
        raise RuntimeError(f"MathJax's es5 bundle was not found under {src}; "
                           "reinstall with `pip install django-static-mathjax==3.2.2.1`")
    return src


def _set_path(app, config):
    config.mathjax_path = MATHJAX_ENTRY


def _copy(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / "mathjax"
    if not (dest / "tex-mml-chtml.js").is_file():
        shutil.copytree(_mathjax_source(), dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("sre", "*-speech.js", "node-main.js"))


def setup(app):
    _mathjax_source()                       # fail early, with a clear message
    app.connect("config-inited", _set_path)
    app.connect("build-finished", _copy)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
