"""No graded part can be answered by copying a code block that the book prints.

The book teaches with real code, and the assignments ask students to write code; the two
must not overlap so much that a student can copy a block of the rendered book (a code
cell, or printed output such as the package source that ``rnncourse.pages.show_source``
shows) into an answer cell. ``support/copy_check.py`` says how a solution region and a
block are compared (statements normalised, names folded, so that a renamed copy still
counts). The slow test reads the book as built by ``support/book_fixture.py``; the fast
ones check the comparison itself.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support import copy_check
from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assignments" / "source"


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_no_graded_part_can_be_copied_from_the_book(built_book):
    require_html(built_book)
    regions = copy_check.solution_regions(SOURCE)
    blocks = copy_check.html_blocks(built_book.html_dir, built_book.pages())
    assert len(blocks) > 100, f"only {len(blocks)} code blocks found in the built book: is the HTML there?"
    found = copy_check.findings(regions, blocks)
    report = []
    for share, region, block in found:
        report.append(f"{region.assignment} {region.grade_id}: {share:.0%} of its statements are in a block of "
                      f"{block.page}:\n{block.source.strip()[:1500]}\n")
    assert not found, ("these graded parts can be answered by copying a block of the book; show another "
                       "example in the book, or derive the equations and leave the code to the assignment:\n\n"
                       + "\n".join(report))


# -- the comparison itself (fast) ---------------------------------------------------------------------
SOLUTION = '''
def rnn_step_backward(dh, cache):
    x, h_prev, W_xh, W_hh, h_next = cache
    ### BEGIN SOLUTION
    delta = dh * (1.0 - h_next ** 2)
    dx = delta @ W_xh
    dh_prev = delta @ W_hh
    dW_xh = delta.T @ x
    dW_hh = delta.T @ h_prev
    db_h = delta.sum(axis=0)
    ### END SOLUTION
    return dx, dh_prev, dW_xh, dW_hh, db_h
'''


def _region(code):
    body = code.split(copy_check.MARKERS[0])[1].split(copy_check.MARKERS[1])[0].split("\n", 1)[1]
    return copy_check.Region("a00", "answer", tuple(s for s in copy_check.statements(body)
                                                    if not copy_check.is_setup(s)), body)


def _block(code):
    from collections import Counter
    return copy_check.Block("page.html", Counter(copy_check.statements(code)), code)


def test_a_renamed_reflowed_copy_still_counts():
    copy = '''
    def step_back(g, c):
        inp, prev, A, B, out = c      # unpack
        d = g * (1 - out**2)
        gx = d @ A
        gh = d @ B
        gA = (d.T
              @ inp)
        gB = d.T @ prev
        return gx, gh, gA, gB, d.sum(axis=0)
    '''
    assert copy_check.copied(_region(SOLUTION), _block(copy)) >= copy_check.THRESHOLD


def test_the_same_equations_written_otherwise_do_not_count():
    other = '''
    delta = np.einsum("nh,nh->nh", dh, 1.0 - h_next * h_next)
    grads = {"x": np.einsum("nh,hd->nd", delta, W_xh), "h": np.einsum("nh,hk->nk", delta, W_hh)}
    grads["W_xh"] = np.einsum("nh,nd->hd", delta, x)
    '''
    assert copy_check.copied(_region(SOLUTION), _block(other)) < copy_check.THRESHOLD


def test_short_regions_and_set_up_statements_are_not_judged():
    short = _region("### BEGIN SOLUTION\nN, T, _ = x.shape\nout = np.zeros((N, T))\nreturn out\n### END SOLUTION\n")
    assert short.statements == ()
    assert copy_check.copied(short, _block("N, T, _ = x.shape\nout = np.zeros((N, T))\nreturn out\n")) == 0.0


def test_a_block_statement_answers_one_solution_statement():
    region = _region("### BEGIN SOLUTION\nfor t in range(T):\n    a += b\n    c += d\n    e += f\n### END SOLUTION\n")
    assert copy_check.copied(region, _block("for k in range(n):\n    total += x\n")) == 0.5


def test_every_solution_region_of_the_course_is_read():
    regions = copy_check.solution_regions(SOURCE)
    cells = sum(nb.read_text().count(copy_check.MARKERS[0]) for nb in SOURCE.glob("*/*.ipynb"))
    assert len(regions) == cells > 0
    assert sum(len(r.statements) >= copy_check.MIN_STATEMENTS for r in regions) >= 20
