"""No measured number is typed by hand into the book's prose, captions or alt texts.

The book promises that every number comes from code run at build time. A value a
page measures reaches its prose through ``glue`` (``{glue:text}`` in the text); an
alt text or a caption, which cannot hold a glued value, states a bound that a
hidden ``claim(...)`` of the page checks, with the same number in the claim's code
("stays below 1e-15" next to ``claim(g.max() < 1e-15, ...)``).

This test reads every page and collects the numbers that look like results
(decimals, powers of ten, percentages) in its paragraphs, alt texts and
captions. Each must occur as a numeric literal of the same value in one of the
page's code cells (a setting such as ``lr=1e-2`` for "0.01", or a bound that a
claim checks), or be declared on the page in a MyST comment that says why it is
typed by hand::

    % typed by hand: 0.2 0.3 -- the question's own data, not a measurement

The declaration is visible to whoever edits the page and to nobody who reads it;
a declared number that no longer occurs is reported as stale.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.page_source import page_blocks

BOOK = Path(__file__).resolve().parents[1] / "book"

#: numbers that look like results: decimals, scientific notation, percentages, powers of ten in TeX
NUMBER_RE = re.compile(r"(?<![\w.^{-])(?:\d+\.\d+(?:e[+-]?\d+)?|\d+e[+-]?\d+|\d+(?:\.\d+)?\s?%|10\^\{?-?\d+\}?)(?![\w.]\d)")
DECLARED_RE = re.compile(r"^%\s*typed by hand:\s*(.*?)\s+--\s+(\S.*)$", re.MULTILINE)
FIGURE_TEXT_RE = re.compile(r"^\s*(?:alt|caption):\s*(.*)$|^:alt:\s*(.*)$", re.MULTILINE)


def normalise(number: str) -> str:
    """The number as it is compared with code: '80 %' -> '80', '10^{-8}' -> '1e-8'."""
    n = number.replace(" ", "").rstrip("%")
    m = re.fullmatch(r"10\^\{?(-?\d+)\}?", n)
    return f"1e{m.group(1)}" if m else n


def typed_numbers(text: str) -> list[tuple[str, str]]:
    """(where, number) of every result-like number in the page's prose, alt texts and captions."""
    found = []
    for kind, body in page_blocks(text):
        if kind == "prose":
            prose = re.sub(r"\{[\w:-]+\}`[^`]*`", "", body)          # roles: {glue:text}`name`, {doc}`x`
            found += [("prose", m.group(0)) for m in NUMBER_RE.finditer(prose) if not prose.startswith("%")]
    for m in FIGURE_TEXT_RE.finditer(text):
        where = "caption" if m.group(0).strip().startswith("caption") else "alt text"
        found += [(where, n.group(0)) for n in NUMBER_RE.finditer(m.group(1) or m.group(2) or "")]
    return found


def code_text(text: str) -> str:
    """The page's code cells without their figure metadata (alt texts and captions)."""
    code = "\n".join(body for kind, body in page_blocks(text) if kind == "code")
    return FIGURE_TEXT_RE.sub("", code)


def declared(text: str) -> dict[str, str]:
    """number -> reason of the page's ``% typed by hand:`` comments."""
    out = {}
    for numbers, reason in DECLARED_RE.findall(text):
        out.update({normalise(n): reason for n in re.findall(r"[\w.^{}+-]+(?:\s?%)?", numbers)})
    return out


CODE_NUMBER_RE = re.compile(r"(?<![\w.])(?:\d+\.\d*|\.\d+|\d+)(?:e[+-]?\d+)?(?![\w.])", re.IGNORECASE)


def values(number: str) -> set[float]:
    """The values a typed number may stand for: '0.001' -> {0.001}; '80 %' -> {80, 0.8}; '10^{-8}' -> {1e-8}."""
    v = float(normalise(number))
    return {v, v / 100} if number.rstrip().endswith("%") else {v}


def code_values(code: str) -> set[float]:
    """Every numeric literal of the code, as a float (``1e-3`` and ``0.001`` are the same value)."""
    return {float(m.group(0)) for m in CODE_NUMBER_RE.finditer(code)}


def undeclared(text: str) -> list[tuple[str, str]]:
    in_code, allowed = code_values(code_text(text)), declared(text)
    return [(where, n) for where, n in typed_numbers(text)
            if normalise(n) not in allowed and not any(v in in_code for v in values(n))]


def test_the_scanner_finds_typed_numbers_and_accepts_code_and_declarations():
    page = ('The loss ends near 0.0123 and 83 % are right, but $10^{-8}$ too.\n\n'
            '```{code-cell} ipython3\n---\nmystnb:\n  image:\n    alt: "falls below 1e-15 at lag 40"\n---\n'
            'claim(g < 1e-15, "below")\nlr = 5e-1\n```\n\nWith lr 0.5 and {glue:text}`x-0.7`.\n\n'
            '% typed by hand: 83 % -- the article\'s figure\n')
    assert undeclared(page) == [("prose", "0.0123"), ("prose", "10^{-8}")]
    assert declared(page) == {"83": "the article's figure"}
    assert normalise("10^{-8}") == "1e-8" and normalise("80 %") == "80"
    assert values("80 %") == {80.0, 0.8} and code_values("x = 1e-3 + a2 * 0.5") == {0.001, 0.5}


@pytest.mark.parametrize("page", sorted(str(p.relative_to(BOOK)) for p in BOOK.rglob("*.md")))
def test_numbers_in_prose_and_figure_texts_come_from_the_code(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    found = undeclared(text)
    assert not found, (
        f"{page}: numbers typed by hand into the prose, alt texts or captions: glue measured values "
        "({glue:text}), state a bound that a claim(...) in a code cell checks with the same number, or "
        "declare a number that is not a measurement with '% typed by hand: N -- why':\n"
        + "\n".join(f"  {where}: {n}" for where, n in found))


@pytest.mark.parametrize("page", sorted(str(p.relative_to(BOOK)) for p in BOOK.rglob("*.md")))
def test_declared_numbers_still_occur(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    present = {normalise(n) for _, n in typed_numbers(text)}
    stale = sorted(set(declared(text)) - present)
    assert not stale, f"{page} declares typed numbers that no longer occur; remove them: {stale}"


@pytest.mark.parametrize("page", sorted(str(p.relative_to(BOOK)) for p in BOOK.rglob("*.md")))
def test_alt_texts_and_captions_hold_no_glued_values(page):
    """A {glue:text} role in an alt text or a caption is never rendered: readers would get the raw role."""
    text = (BOOK / page).read_text(encoding="utf-8")
    found = [m.group(0)[:80] for m in FIGURE_TEXT_RE.finditer(text) if "{glue" in m.group(0)]
    assert not found, f"{page}: glued values in alt texts or captions (state a bound a claim checks): {found}"
