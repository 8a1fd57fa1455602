"""Comparative words in the book's prose rest on a measurement that is checked when the page runs.

A page that says "cheaper", "about the same", "fails" or "beats" about something
it measured keeps a hidden check next to the measurement: ``claim(...)`` from
:mod:`rnncourse.pages` (or a plain ``assert``), which stops the build when the
numbers stop supporting the words. This test reads every page of the book and
fails when a paragraph uses a comparative word while no code cell *before it* on
the same page checks anything. The rule is deliberately simple: it cannot tell
which check belongs to which sentence, but it catches the page that compares
without checking at all, and the paragraph that speaks before anything was
measured. Genuine uses that compare nothing the page measures (a cited result,
a definition, a musical beat) are listed in ``ALLOWED`` with the reason.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.page_source import page_blocks

BOOK = Path(__file__).resolve().parents[1] / "book"

#: comparative words that state the outcome of a comparison
WORDS = ("cheaper", "costlier", "faster", "slower", "beats", "beat", "outperforms", "outperform", "fails",
         "failed", "about the same", "nearly", "better", "worse", "more accurate", "less accurate", "wins",
         "loses")
WORD_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in WORDS) + r")\b", re.IGNORECASE)
CHECK_RE = re.compile(r"\bclaim\(|^\s*assert\b", re.MULTILINE)

#: (page, word) pairs used before the page's first check, for something the page does not measure
ALLOWED = {
    # a baseline a model "must beat": a definition of the evaluation, not a result
    ("applications/forecasting.md", "beat"), ("applications/forecasting.md", "beats"),
    ("applications/language_model.md", "beat"), ("applications/music.md", "beat"),
    # "a faster one (6)": a shorter period; "a fixed beat": music; "slower clock/pace/structure": a time scale
    ("applications/forecasting.md", "faster"), ("variants/deep_rnn.md", "slower"),
    ("variants/hierarchical.md", "slower"),
    # cited results of the literature ({cite} next to them), not measured here
    ("applications/handwriting.md", "beat"),
    # what the page is about to show ("where it fails"), a test that fails, the course's grading
    ("applications/translation.md", "fails"), ("extending.md", "fails"), ("instructors.md", "loses"),
    # advice, not a comparison of models ("the better choice")
    ("faq.md", "better"),
    ("first_rnn.md", "worse"),   # "Worse, the text never says ...": about the tutorial's text
    ("limitations.md", "better"), ("sequential_data.md", "better"),   # where a tool is the better choice
    ("variants/comparison.md", "better"),   # "does much better than that": the definition of learning the task
    ("variants/gru.md", "loses"),   # measured in bptt.md, which it links
    # the late policy's definition; grading throughput from benchmarks/class_throughput.py, a benchmark
    # that starts PostgreSQL and grades a class (minutes), recorded in the README, not run at build time
    ("class.md", "loses"), ("class.md", "slower"),
    ("fast.md", "wins"),   # "which one wins depends on the machine": no verdict
}


def unchecked_comparisons(text: str) -> list[tuple[str, str]]:
    """(word, excerpt) of every comparative word in a paragraph that no earlier code cell checks."""
    found, checked = [], False
    for kind, body in page_blocks(text):
        if kind == "code":
            checked = checked or bool(CHECK_RE.search(body))
            continue
        if checked:
            continue
        prose = re.sub(r"\$[^$]*\$", "", re.sub(r"`[^`]*`", "", body))     # inline code, roles and math
        for m in WORD_RE.finditer(prose):
            found.append((m.group(0).lower(), prose[max(0, m.start() - 50):m.end() + 30]))
    return found


def test_the_scanner_sees_prose_code_and_directives():
    page = ("Intro: the GRU is faster.\n\n```python\nassert x  # verbatim, not a check; slower\n```\n\n"
            "```{exercise}\n:label: ex\nWhich one beats the other?\n```\n\n"
            "```{code-cell} ipython3\nclaim(r > 1, 'faster', r=r)\n```\n\nNow the GRU is faster.\n")
    assert [w for w, _ in unchecked_comparisons(page)] == ["faster", "beats"]
    assert page_blocks("```{code-cell} ipython3\n:tags: [x]\nassert True\n```\n")[0] == ("code", ":tags: [x]\nassert True")


def test_a_plain_assert_counts_as_a_check():
    assert unchecked_comparisons("```{code-cell} ipython3\nassert ratio > 1\n```\n\nIt is cheaper.\n") == []


@pytest.mark.parametrize("page", sorted(str(p.relative_to(BOOK)) for p in BOOK.rglob("*.md")))
def test_comparative_words_rest_on_a_check(page):
    found = [(w, ex) for w, ex in unchecked_comparisons((BOOK / page).read_text(encoding="utf-8"))
             if (page, w) not in ALLOWED]
    assert not found, (f"{page}: comparative words with no claim(...) or assert in a code cell before them; put "
                       "a hidden check next to the measurement (rnncourse.pages.claim), or, for a use that "
                       "compares nothing measured, add it to ALLOWED with the reason:\n"
                       + "\n".join(f"  {w!r}: ...{ex}..." for w, ex in found))


def test_every_allowed_use_still_occurs():
    """The allow-list shrinks with the book: an entry whose word no longer occurs unchecked is removed."""
    stale = [(page, word) for page, word in sorted(ALLOWED)
             if word not in {w for w, _ in unchecked_comparisons((BOOK / page).read_text(encoding="utf-8"))}]
    assert not stale, f"ALLOWED lists uses that no longer occur; remove them: {stale}"


#: pages that execute code but measure nothing the prose judges (a version check, a list of files)
NO_MEASUREMENT = ("intro.md", "run_yourself.md")


def _notebook_pages() -> list[str]:
    return sorted(str(p.relative_to(BOOK)) for p in BOOK.rglob("*.md")
                  if "{code-cell}" in p.read_text(encoding="utf-8"))


PAGES_WITH_COMPARISONS = [p for p in _notebook_pages() if p not in NO_MEASUREMENT]


def test_pages_without_measurements_are_few_and_real():
    assert set(NO_MEASUREMENT) <= set(_notebook_pages())
    assert len(PAGES_WITH_COMPARISONS) >= 29


@pytest.mark.parametrize("page", PAGES_WITH_COMPARISONS)
def test_pages_that_compare_models_use_claim(page):
    text = (BOOK / page).read_text(encoding="utf-8")
    assert any(kind == "code" and "claim(" in body for kind, body in page_blocks(text)), (
        f"{page} compares measurements but never calls rnncourse.pages.claim")
