"""The defects of an expert reading of the book (issue 16) stay fixed in the rendered pages.

Each phrase below was false where the book printed it: a number the page's own
output contradicted, an alt text describing an older run, a comparison the
measurement did not support, a wrong statement. The check reads the built HTML
(the prose, glued values and alt texts as a reader gets them), so a phrase
that comes back through a glued value or an unchanged alt text is caught too.
"""
from __future__ import annotations

import html
import re

import pytest

from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)
from support.page_checks import parse_page

pytestmark = [pytest.mark.xdist_group("book"), pytest.mark.slow]

#: page -> phrases (regular expressions, matched on the page's text with tags removed, and on its alt texts)
WRONG = {
    "first_rnn.html": [r"After the 50th epoch the loss lies", r"nearly interchangeable",
                       r"learns the rule within", r"[Ss]eed article", r"Keras \(seed\)"],
    "bptt.html": [r"1e301", r"non-finite from epoch 17", r"1e150 at update 128", r"about twenty orders"],
    "variants/hierarchical.html": [r"is cheaper in numpy", r"after (\d+) of the \1 epochs"],
    "variants/deep_rnn.html": [r"time stays about the same"],
    "variants/comparison.html": [r"after about 110 updates", r"until about update 340",
                                 r"used by Hochreiter and Schmidhuber, is the"],
    "variants/rcnn.html": [r"4 or 8, which shortens the recurrence to about 22 or 11 steps"],
    "variants/gru.html": [r"solves the vanishing-gradient problem"],
    "quiz.html": [r"A, vanishing gradients\."],
    "sequential_data.html": [r"its first layer has one\s+weight per pixel"],
    "applications/forecasting.html": [r"j-24, \\dots, j-1"],
    "applications/translation.html": [r"two of its 48 dimensions"],
    "limitations.html": [r"accidental preference"],
    "architecture.html": [r"[Ss]eed article", r"seed 001"],
}


def _reader_text(path) -> str:
    """What a reader reads on a page: its text without tags, plus every alt text, unescaped."""
    raw = path.read_text(encoding="utf-8")
    alts = " ".join(re.findall(r'alt="([^"]*)"', raw))
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", raw, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text + " " + alts))


@pytest.mark.parametrize("page", sorted(WRONG))
def test_the_wrong_phrases_are_gone(built_book, page):
    require_html(built_book)
    path = built_book.html_dir / "book" / page
    assert path.is_file(), f"{page} was not built"
    text = _reader_text(path)
    found = [p for p in WRONG[page] if re.search(p, text)]
    assert not found, f"{page} still says what issue 16 found wrong: {found}"


def test_forecasting_proof_renders_as_math(built_book):
    """Exercise 18.1's proof: the line starting with '+' once became a list item with raw \\( in it."""
    require_html(built_book)
    path = built_book.html_dir / "book" / "applications" / "forecasting.html"
    raw = path.read_text(encoding="utf-8")
    start = raw.index("independent noise of variance")
    proof = raw[start:raw.index("The seasonal naive forecast is", start)]
    assert "<li" not in proof and "<ul" not in proof, "part of the proof renders as a list item"
    assert 'class="math' in proof, "the proof's equation is not in a math container"
    raw_tex = [s for s in parse_page(path).raw_tex() if "sigma" in s or "hat s" in s]
    assert not raw_tex, f"raw TeX in the proof: {raw_tex}"


def test_no_page_refers_to_the_sources_by_their_file_numbers(built_book):
    """'seed article 004' means something to the course's authors only: readers get titles (the API page too)."""
    require_html(built_book)
    pages = sorted(built_book.html_dir.rglob("*.html"))
    assert len(pages) > 30
    found = {str(p.relative_to(built_book.html_dir)): m.group(0) for p in pages
             if (m := re.search(r"[Ss]eed article|\(seed 00\d\)|seed 00\d\b", _reader_text(p)))}
    assert not found, f"pages naming a source by its file number: {found}"


def test_monitoring_scores_the_warning_period(built_book):
    """The step scores once counted every step after the sit-up too; the page now scores the warning period."""
    require_html(built_book)
    text = _reader_text(built_book.html_dir / "book" / "applications" / "monitoring.html")
    assert "steps before the sit-up whose alarmed state" in text and "recall_all_steps" in text
    assert "Counting every step instead would report a recall of" in text
