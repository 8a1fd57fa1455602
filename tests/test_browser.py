"""The built book in a real browser: MathJax typesets every formula and every image loads.

Headless Chromium (Debian's ``chromium``) opens each page of the book built by
``support/book_fixture.py`` (the same build as ``test_book_pages.py``), served on
127.0.0.1 by ``python -m http.server``. The checks run on the live DOM, after
MathJax ran; see ``support/browser_check.py`` for how, without extra dependencies.

Without Chromium the tests are skipped, except under CI (``CI`` set to anything
but ``""``/``0``/``false``), where a missing browser is a failure.
"""
from __future__ import annotations

import os
from urllib.parse import urljoin

import numpy as np
import pytest

from support import browser_check
from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)
from support.page_checks import parse_page

# the worker that builds the book runs every test that needs it (see addopts in pyproject.toml)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")   # session scope: decided before the (session-scoped) book build
def chromium() -> str:
    path = browser_check.find_chromium()
    if path:
        return path
    message = ("Chromium is not installed (looked for $CHROMIUM and "
               f"{', '.join(browser_check.CHROMIUM_NAMES)}); install it with "
               "`apt-get install -y chromium`")
    if _on_ci():
        pytest.fail(message + " -- required when CI is set")
    pytest.skip(message)


@pytest.fixture(scope="module")
def live_pages(chromium, built_book):
    """Every page of the book inspected in one Chromium run: {relative path: findings}."""
    require_html(built_book)
    html_dir = built_book.html_dir
    pages = [p.relative_to(html_dir).as_posix() for p in built_book.pages()]
    results = browser_check.check_pages(chromium, html_dir, pages)
    assert len(results) == len(pages)
    return {page: r for page, r in zip(pages, results)}


def test_pages_load_without_harness_errors(live_pages):
    """Each page loaded, MathJax (where present) finished, images settled, within the time limits."""
    failed = {p: r["errors"] for p, r in live_pages.items() if r.get("errors")}
    assert not failed, f"pages that could not be inspected: {failed}"


def test_mathjax_typesets_every_formula(live_pages, built_book):
    """On every page with formulas, MathJax replaced each .math container by an mjx-container.

    Checked in the live DOM: no .math element is left without MathJax output, no
    raw TeX delimiter remains in one, MathJax reported no TeX error
    (``mjx-merror``), and it was the local copy that ran.
    """
    with_math = {p: r for p, r in live_pages.items() if parse_page(built_book.html_dir / p).math_elements}
    assert with_math, "no page with math found; nothing was checked"
    assert "book/math.html" in with_math, "the math chapter has no formulas?"
    problems = []
    for page, r in with_math.items():
        if not r.get("mathjax_version"):
            problems.append(f"{page}: MathJax did not run (script: {r.get('mathjax_src')})")
            continue
        if "/_static/mathjax/" not in (r.get("mathjax_src") or ""):
            problems.append(f"{page}: MathJax came from {r.get('mathjax_src')}, not the book's _static")
        if r["mjx_containers"] == 0 or r["math_without_mjx"]:
            problems.append(f"{page}: {r['math_without_mjx']} of {r['math_elements']} .math elements "
                            f"have no MathJax output ({r['mjx_containers']} mjx-container in total)")
        if r["raw_tex_in_math"]:
            problems.append(f"{page}: raw TeX left in .math: {r['raw_tex_in_math'][:5]}")
        if r["raw_tex_in_text"]:
            problems.append(f"{page}: raw TeX in the text: {r['raw_tex_in_text'][:5]}")
        if r["merrors"]:
            problems.append(f"{page}: MathJax TeX errors: {r['merrors'][:5]}")
    assert not problems, "\n".join(problems)


def test_every_image_is_loaded(live_pages):
    """Every <img> in the live DOM finished loading with a real size (complete and naturalWidth > 0)."""
    n = 0
    broken = []
    for page, r in live_pages.items():
        for img in r.get("images", []):
            n += 1
            if not (img["complete"] and img["naturalWidth"] > 0 and img["naturalHeight"] > 0):
                broken.append(f"{page}: {img['src']} (complete={img['complete']}, "
                              f"naturalWidth={img['naturalWidth']})")
    assert n > 0, "no image on any page; the check would prove nothing"
    assert not broken, f"{len(broken)} of {n} images did not load:\n" + "\n".join(broken)


def test_every_image_file_is_a_valid_image(built_book):
    """Each image src, fetched over HTTP as the browser would, is a PNG/JPEG/GIF/SVG file."""
    require_html(built_book)
    html_dir = built_book.html_dir
    srcs = set()
    for path in built_book.pages():
        page_url = path.relative_to(html_dir).as_posix()
        for img in parse_page(path).images:
            if img.get("src") and not img["src"].startswith("data:"):
                srcs.add(urljoin(page_url, img["src"]))
    assert srcs, "no image on any page"
    bad = []
    with browser_check.serve(html_dir) as base:
        for src in sorted(srcs):
            try:
                kind = browser_check.fetch_image_kind(base + src)
            except OSError as exc:
                kind, src = None, f"{src} ({exc})"
            if kind is None:
                bad.append(src)
    assert not bad, f"not valid images: {bad}"


def test_math_page_screenshot_is_not_blank(chromium, built_book, tmp_path, record_property):
    """A 1200x2000 screenshot of book/math.html renders (a PNG with real content, not one flat colour)."""
    require_html(built_book)
    import matplotlib.image as mpimg

    with browser_check.serve(built_book.html_dir) as base:
        out = browser_check.screenshot(chromium, base + "book/math.html", tmp_path / "math.png")
    record_property("math_screenshot", str(out))
    pixels = mpimg.imread(out)
    assert pixels.shape[:2] == (2000, 1200), pixels.shape
    assert float(np.std(pixels[..., :3])) > 0.02, "the screenshot is (almost) one flat colour"


def test_browser_check_detects_broken_pages(chromium, built_book, tmp_path):
    """The harness itself can fail: a TeX error, an undefined macro, an unclosed formula and a missing image are caught."""
    require_html(built_book)
    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    (site / "_static" / "mathjax").symlink_to((built_book.html_dir / "_static" / "mathjax").resolve(),
                                              target_is_directory=True)
    (site / "page.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<script>window.MathJax = {"options": {"processHtmlClass": "math"}}</script>'
        '<script defer src="_static/mathjax/tex-mml-chtml.js"></script></head><body>'
        r'<p>good <span class="math">\(a_t = W x_t\)</span></p>'
        r'<p>TeX error <span class="math">\(x_1_2\)</span></p>'
        r'<p>undefined macro <span class="math">\(\notacommand{x}\)</span></p>'
        r'<p>unclosed <span class="math">\(x + 1</span></p>'
        '<img alt="missing" src="_images/does-not-exist.png">'
        '</body></html>', encoding="utf-8")
    (r,) = browser_check.check_pages(chromium, site, ["page.html"])
    assert r["errors"] == [], r
    assert r["mathjax_version"], "MathJax did not run on the synthetic page"
    assert r["math_elements"] == 4
    assert r["mjx_containers"] == 3 and r["math_without_mjx"] == 1, r
    assert r["raw_tex_in_math"] and "x + 1" in r["raw_tex_in_math"][0], r
    assert len(r["merrors"]) == 2, r["merrors"]
    assert "Double subscripts" in r["merrors"][0] and "notacommand" in r["merrors"][1], r["merrors"]
    (img,) = r["images"]
    assert img["complete"] and img["naturalWidth"] == 0, img
