"""The feedback page a student gets back: formulas typeset offline, and every part's score and message.

Taught on the book page *For instructors* (``book/instructors``).

nbgrader's feedback template loads MathJax 2 from a CDN, so a student who opens the
HTML file offline sees raw TeX; and its summary at the top lists every graded cell as
"Test cell" with a score, which does not say which part it is or what went wrong.
:class:`FeedbackExporter`, configured in ``nbgrader_config.py`` as the exporter of
``nbgrader generate_feedback``, renders nbgrader's own template and then

* replaces the CDN's MathJax with MathJax 3 inlined into the page (its SVG output, which
  needs no font files; from the ``django-static-mathjax`` package that the course's
  environment installs for the book), so the page is one self-contained file;
* replaces the summary with a table of the parts: the heading of each part, its score and
  points, and the message of its check (the error the visible or hidden test raised, or
  "passed"). The messages are those the student sees under the cell; they never print
  hidden tests or expected values, and hidden tests are cleared before this runs
  (``ClearHiddenTests``).
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from nbconvert.exporters import HTMLExporter

#: What nbconvert's ``mathjax()`` macro writes, from its comment to its last comment.
CDN_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
#: nbgrader's summary at the top of the feedback page.
SUMMARY = re.compile(r'<div id="toc">.*?</div>', re.S)

MATHJAX_FILE = "tex-svg-full.js"       # TeX input with every extension, SVG output (no fonts to load)
MATHJAX_CONFIG = {
    "tex": {"inlineMath": [["$", "$"], ["\\(", "\\)"]], "displayMath": [["$$", "$$"], ["\\[", "\\]"]],
            "processEscapes": True, "processEnvironments": True, "tags": "ams"},
    "svg": {"fontCache": "global"},
}


@lru_cache(maxsize=1)
def mathjax_script() -> str:
    """MathJax 3's configuration and code as inline ``<script>`` elements."""
    import mathjax                      # the top-level package of django-static-mathjax

    path = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5" / MATHJAX_FILE
    if not path.is_file():
        raise RuntimeError(f"MathJax was not found at {path}; install django-static-mathjax (requirements.txt)")
    code = path.read_text(encoding="utf-8")
    # inside <script>, "</script" would end the element and "<!--" change how it is parsed
    code = code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return ("<!-- MathJax 3 inlined: formulas render offline -->\n"
            f"<script>window.MathJax = {json.dumps(MATHJAX_CONFIG)};</script>\n"
            f'<script id="MathJax-script">{code}</script>')


def _heading(cell) -> str | None:
    for line in cell.source.splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip()
            return re.sub(r"\s*\(\d+(\.\d+)? points?\)$", "", text)
    return None


def _message(cell) -> str | None:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return None
    evalue = (errors[-1].get("evalue") or "").strip()
    return evalue or errors[-1].get("ename", "error")


def parts(nb) -> list[dict]:
    """Each graded cell of a graded notebook: its part's heading, score, points and message."""
    found, heading = [], None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and _heading(cell):
            heading = _heading(cell)
        if not meta.get("grade"):
            continue
        score, points = float(meta.get("score") or 0), float(meta.get("points") or 0)
        message = _message(cell) if cell.cell_type == "code" else None
        if message is None:
            message = "passed" if score >= points else ""
        found.append({"id": meta.get("grade_id", ""), "part": heading or meta.get("grade_id", ""),
                      "score": score, "points": points, "message": message})
    seen = {}
    for p in found:
        seen[p["part"]] = seen.get(p["part"], 0) + 1
    for p in found:
        if seen[p["part"]] > 1:
            p["part"] = f"{p['part']} ({p['id']})"
    return found


def summary_html(rows: list[dict]) -> str:
    def number(x):
        return f"{x:g}"

    body = "".join(
        f'<tr class="{"passed" if r["score"] >= r["points"] else "failed"}">'
        f'<td><a href="#{html.escape(r["id"])}">{html.escape(r["part"])}</a></td>'
        f'<td class="score">{number(r["score"])} / {number(r["points"])}</td>'
        f'<td class="message">{html.escape(r["message"])}</td></tr>' for r in rows)
    return ('<div id="toc"><table class="table table-condensed rnncourse-parts">'
            "<thead><tr><th>Part</th><th>Score</th><th>Message</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback HTML with MathJax inlined and a table of the parts (see the module).

    Book page: ``book/instructors``.
    """

    def _preprocess(self, nb, resources):
        nb, resources = super()._preprocess(nb, resources)
        resources["rnncourse_parts"] = parts(nb)
        return nb, resources

    def from_notebook_node(self, nb, resources=None, **kw):
        output, resources = super().from_notebook_node(nb, resources, **kw)
        if not CDN_MATHJAX.search(output) or not SUMMARY.search(output):
            raise RuntimeError("the feedback template changed: its MathJax block or its summary was not "
                               "found, so graders/feedback.py can no longer make the page work offline")
        output = CDN_MATHJAX.sub(lambda _: mathjax_script(), output, count=1)
        output = SUMMARY.sub(lambda _: summary_html(resources["rnncourse_parts"]), output, count=1)
        return output, resources
