"""Docstring conventions of rnncourse, turned into links when the API reference is built.

Every public docstring of the package ends with a line ``Book page: ``book/<page>``.``
naming the page that teaches it. Left where it is, numpydoc's parser would take the
line for one more entry of the preceding section; this hook lifts it out before
napoleon runs and puts a link to the page right under the summary line. A page
that does not exist (yet) is named in plain text, so the build stays warning-free.
"""
from __future__ import annotations

import re

BOOK_PAGE = re.compile(r"^\s*Book page:\s*``([^`]+)``\.?\s*$")


def _lift_book_page(app, what, name, obj, options, lines):
    pages = [m.group(1) for m in map(BOOK_PAGE.match, lines) if m]
    if not pages:
        return
    lines[:] = [line for line in lines if not BOOK_PAGE.match(line)]
    while lines and not lines[-1].strip():
        lines.pop()
    found = app.env.found_docs
    refs = [f":doc:`/{p}`" if p in found else f"``{p}``" for p in pages]
    # after the summary paragraph
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    lines[end:end] = ["", f"*Taught on:* {', '.join(refs)}"]


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    # run before napoleon (priority 500) parses the sections
    app.connect("autodoc-process-docstring", _lift_book_page, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
