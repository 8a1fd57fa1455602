"""The built book's pages, checked as files: build, computed values, alt text, math, API.

The whole book is built once per test session (see ``support/book_fixture.py``) with
``-W -n --keep-going``; the browser checks in ``test_browser.py`` reuse the
same build. Those tests are marked ``slow``; the last two tests check the HTML
reader itself on a made-up page and are fast.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import numpy as np
import pytest

from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)
from support.page_checks import parse_page

# the worker that builds the book runs every test that needs it (see addopts in pyproject.toml)
pytestmark = pytest.mark.xdist_group("book")

MATHJAX_LOCAL = "_static/mathjax/tex-mml-chtml.js"


def _page(book, name):
    path = book.html_dir / "book" / f"{name}.html"
    assert path.is_file(), f"{path.relative_to(book.html_dir)} was not written"
    return path


@pytest.mark.slow
def test_book_builds_without_warnings(built_book, record_property):
    """Every page executes and Sphinx reports no warning (-W -n); a failing cell's traceback is shown."""
    record_property("build_seconds", round(built_book.seconds, 1))
    assert built_book.returncode == 0, (
        f"jupyter-book build failed (exit {built_book.returncode}) after {built_book.seconds:.0f} s:\n"
        f"{built_book.log}")
    assert (built_book.html_dir / "index.html").is_file()


def _number(value: float) -> str:
    """A regex for ``value`` printed with 3 or 4 decimals, as a whole number (not part of a longer one)."""
    options = {f"{value:.4f}", f"{value:.3f}"}
    return r"(?<![\d.])(?:" + "|".join(re.escape(o) for o in sorted(options)) + r")(?!\d)"


@pytest.mark.slow
@pytest.mark.parametrize("step", [1, 2])
def test_math_page_shows_the_computed_worked_example(built_book, step):
    """book/math.html prints h_1 and h_2 as the package computes them (not the seed's printed h_2).

    The page writes a state as a vector ``(0.5370, 0.4621)``; the check accepts
    3 or 4 decimals per entry.
    """
    require_html(built_book)
    from rnncourse.analysis.worked_example import worked_example

    h = worked_example()["steps"][step - 1]["h"]
    assert h.shape == (2,)
    text = parse_page(_page(built_book, "math")).plain_text
    pattern = r"\(\s*" + _number(h[0]) + r"\s*,\s*" + _number(h[1]) + r"\s*\)"
    assert re.search(pattern, text), (
        f"book/math.html does not show h_{step} = ({h[0]:.4f}, {h[1]:.4f}) as computed by "
        f"rnncourse.analysis.worked_example.worked_example(); looked for the regex {pattern!r}")
    if step == 2:
        # sanity check of the test itself: the seed's printed h_2 is a different vector
        assert not np.allclose(h, [0.515, 0.942], atol=5e-4)


@pytest.mark.slow
def test_every_image_has_alt_text(built_book):
    """Every <img> on every page carries a non-empty alt text (figures set it via mystnb: image: alt:)."""
    require_html(built_book)
    pages = built_book.pages()
    assert pages, "no HTML pages found"
    missing = []
    n_images = 0
    for path in pages:
        for img in parse_page(path).images:
            n_images += 1
            if not (img.get("alt") or "").strip():
                missing.append(f"{path.relative_to(built_book.html_dir)}: <img src={img.get('src')!r}>")
    assert not missing, f"{len(missing)} of {n_images} images have no alt text:\n" + "\n".join(missing)


@pytest.mark.slow
def test_no_figure_is_shown_as_its_text_repr(built_book):
    """A figure that did not render as an image shows up as the text '<Figure size 600x400 with 1 Axes>'."""
    require_html(built_book)
    bad = [str(p.relative_to(built_book.html_dir)) for p in built_book.pages()
           if re.search(r"<Figure size \d+x\d+ with \d+ Axes>", parse_page(p).plain_text)]
    assert not bad, f"pages printing a Figure's repr instead of the image: {bad}"


@pytest.mark.slow
def test_no_raw_tex_outside_math_containers(built_book):
    """TeX delimiters ($$, \\(, \\[, $x$, \\begin{) only inside math containers or code.

    MathJax is set up by Sphinx to typeset the ``.math`` elements; TeX elsewhere
    would reach the reader as source text.
    """
    require_html(built_book)
    problems = []
    for path in built_book.pages():
        for snippet in parse_page(path).raw_tex():
            problems.append(f"{path.relative_to(built_book.html_dir)}: ...{snippet}...")
    assert not problems, "raw TeX outside math containers:\n" + "\n".join(problems)


@pytest.mark.slow
def test_mathjax_is_served_locally(built_book):
    """Pages with math load MathJax from _static/mathjax/tex-mml-chtml.js of the book, never from a CDN."""
    require_html(built_book)
    html_dir = built_book.html_dir
    local = html_dir / MATHJAX_LOCAL
    assert local.is_file() and local.stat().st_size > 100_000, f"{MATHJAX_LOCAL} missing or truncated"
    pages_with_math = 0
    problems = []
    for path in built_book.pages():
        info = parse_page(path)
        rel = path.relative_to(html_dir).as_posix()
        mathjax_srcs = [s for s in info.script_srcs if "mathjax" in s.lower()]
        for src in mathjax_srcs:
            if urlsplit(src).scheme or src.startswith("//"):
                problems.append(f"{rel}: loads MathJax from {src}")
        if info.math_elements:
            pages_with_math += 1
            # resolve each src against the page's own URL, as a browser would
            resolved = {urlsplit(urljoin(f"http://book/{rel}", s)).path.lstrip("/") for s in mathjax_srcs}
            if MATHJAX_LOCAL not in resolved:
                problems.append(f"{rel}: has {info.math_elements} formulas but no script {MATHJAX_LOCAL} "
                                f"(MathJax scripts: {mathjax_srcs})")
    assert pages_with_math, "no page contains math; the check would prove nothing"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_api_page_documents_rnn_forward(built_book):
    """The API reference has an entry (an anchor and a signature) for rnncourse.cells.rnn.rnn_forward."""
    require_html(built_book)
    html = _page(built_book, "api").read_text(encoding="utf-8")
    entry = re.search(r'<dt[^>]*id="rnncourse\.cells\.rnn\.rnn_forward"[^>]*>([\s\S]*?)</dt>', html)
    assert entry, "book/api.html has no entry with id='rnncourse.cells.rnn.rnn_forward'"
    signature = re.sub(r"<[^>]+>", "", entry.group(1))
    assert "rnn_forward" in signature and "(" in signature, f"unexpected signature: {signature!r}"


SYNTHETIC_PAGE = r"""<html><body>
<p>Fine: <span class="math notranslate nohighlight">\(h_t = f(a_t)\)</span> and</p>
<div class="math notranslate nohighlight">\[y_t = W_{hy} h_t + b_y\]</div>
<p>A price of $5 and $10 is not math. Inline code: <code>r"\(x\)"</code></p>
<pre>print("$$ in a code block is fine")</pre>
<p>Broken: $$a_t = W x$$ here, \(b_h\) there, and a stray $h_{t-1}$ too.</p>
<table><tr><td>\begin{pmatrix} 1 \end{pmatrix}</td></tr></table>
<img src="a.png" alt="A described figure"><img src="b.png"><img src="c.png" alt="  ">
<script>var s = "$$not text$$";</script>
</body></html>"""


def test_page_reader_finds_raw_tex_outside_math(tmp_path):
    """The raw-TeX check flags TeX in prose and tables, but not in math containers, code, scripts or prices."""
    page = tmp_path / "page.html"
    page.write_text(SYNTHETIC_PAGE, encoding="utf-8")
    info = parse_page(page)
    assert info.math_elements == 2
    hits = info.raw_tex()
    joined = " | ".join(hits)
    for expected in ("$$a_t = W x$$", "\\(b_h\\)", "$h_{t-1}$", "\\begin{pmatrix}"):
        assert expected in joined, f"{expected!r} not flagged; hits: {hits}"
    for innocent in ("h_t = f(a_t)", "y_t = W_{hy}", "$5 and", "in a code block", "not text"):
        assert innocent not in joined, f"{innocent!r} wrongly flagged; hits: {hits}"


def test_page_reader_lists_images_without_alt(tmp_path):
    """Images with a missing or blank alt are the ones the alt-text check reports."""
    page = tmp_path / "page.html"
    page.write_text(SYNTHETIC_PAGE, encoding="utf-8")
    images = parse_page(page).images
    assert [img["src"] for img in images] == ["a.png", "b.png", "c.png"]
    assert [img["src"] for img in images if not (img.get("alt") or "").strip()] == ["b.png", "c.png"]


@pytest.mark.slow
def test_published_student_versions_hold_no_solution_or_hidden_test(built_book):
    """The book serves every assignment's student version, and nothing in the book reveals answers."""
    require_html(built_book)
    from pathlib import Path as _Path
    sources = sorted(p.name for p in (_Path(__file__).resolve().parents[1] / "assignments" / "source").iterdir())
    published = built_book.html_dir / "_static" / "assignments"
    assert sorted(p.stem for p in published.glob("*.ipynb")) == sources
    page = _page(built_book, "assignments").read_text()
    for name in sources:
        assert f"_static/assignments/{name}.ipynb" in page
    markers = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden_tests.", "from graders")
    for path in list(published.glob("*.ipynb")) + built_book.pages():
        text = path.read_text(errors="replace")
        for marker in markers:
            assert marker not in text, f"{path.name} contains {marker!r}"


APPLICATIONS = ("language_model", "sentiment", "translation", "speech", "forecasting", "captioning",
                "handwriting", "music", "monitoring")


@pytest.mark.slow
@pytest.mark.parametrize("name", APPLICATIONS)
def test_application_page_shows_its_trained_model(built_book, name):
    """Each application page carries executed output: a metrics table and at least one figure."""
    require_html(built_book)
    path = built_book.html_dir / "book" / "applications" / f"{name}.html"
    assert path.is_file(), f"{name} was not built"
    html = path.read_text()
    outputs = re.findall(r'<div class="cell_output[^"]*">(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert any("<table" in o for o in outputs), f"{name}: no table among the executed outputs"
    assert any("<img" in o for o in outputs), f"{name}: no figure among the executed outputs"
