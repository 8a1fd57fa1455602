"""Would copying a code block of the book answer a graded part? The comparison behind ``test_assignment_integrity``.

A student copies a block, renames a few things, reflows it and drops the comments. So both
sides are compared as *normalised statements*:

* one logical line per statement (a statement split over several lines is one); comments,
  docstrings, whitespace and blank lines dropped; numbers compared by value (``1.0`` is ``1``);
* names folded: every bare name (a local variable, a parameter, a helper function such as
  ``sigmoid_unchecked``, which a copy renames to the notebook's ``sigmoid``), and every lookup
  of a constant key (``p["W_xh"]``, which a copy turns into ``W_xh``), becomes a placeholder
  numbered in order of first use within the statement, so ``delta = dh * (1 - h ** 2)`` and
  ``da = g * (1 - out ** 2)`` are the same statement; what a copy keeps stays as it is:
  attributes and methods (``.T``, ``.sum``), ``np.`` functions, builtins, keyword names
  (``axis=``) and the shape of the expression;
* the target of an assignment dropped, and ``return`` read as one (``h = o * np.tanh(c)``
  and ``return o * np.tanh(c)`` are the same statement once copied).

A solution region (the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of an
assignment's source notebook) is *answered* by a block when at least ``THRESHOLD`` of its
statements occur among the block's statements (a statement the block has once answers
one of the solution's). Set-up statements (``x = np.zeros(...)``,
``N, T, H = dh.shape``, ``h_prev = h0``, ``return h``) do not count on the solution's side:
every answer has them in some form, and they say nothing about whether the rest was copied. Regions of fewer than
``MIN_STATEMENTS`` other statements are too short to judge (a one-line ``return`` is not a copy).
Code that does not parse (an excerpt, printed output) is compared as far as it tokenizes.
"""
from __future__ import annotations

import builtins
import io
import json
import keyword
import re
import textwrap
import tokenize
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

THRESHOLD = 0.75
MIN_STATEMENTS = 3
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
#: names a copy keeps: numpy's usual aliases and the builtins
KEPT_NAMES = {"np", "numpy"} | set(dir(builtins))
#: the right-hand sides of set-up statements: allocations, shapes, and bare copies of names (``h_prev = h0``,
#: ``return h``)
SETUP = re.compile(r"^= (np \. (zeros|empty|ones|full|zeros_like|empty_like|ones_like|full_like) \( .* \)"
                   r"|.* \. shape( \[ [^\]]+ \])?|_\d+( , _\d+)*|\[ \] for _\d+ in range \( .* \) \]|\[ \[ \] for .*\])$")


@dataclass(frozen=True)
class Region:
    assignment: str
    grade_id: str
    statements: tuple        #: normalised statements that count (set-up left out), in order
    source: str              #: the region's code, for messages


@dataclass(frozen=True)
class Block:
    page: str                #: the page, relative to the HTML root
    statements: Counter      #: normalised statement -> how often the block has it
    source: str


# -- statements -------------------------------------------------------------------------------------
def _logical_lines(code: str):
    """The token lists of the logical lines of ``code`` (as far as it tokenizes)."""
    lines, current = [], []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(textwrap.dedent(code)).readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
                continue
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if current:
                    lines.append(current)
                current = []
                continue
            current.append(tok)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    if current:
        lines.append(current)
    return lines


def _number(text: str) -> str:
    try:
        return repr(complex(text.replace("_", "")) if text[-1] in "jJ" else float(text.replace("_", "")))
    except ValueError:
        return text


def _without_target(strings):
    """``T = E`` and ``return E`` -> ``= E`` (one ``=`` at depth 0, not a keyword argument); else unchanged."""
    if strings and strings[0] == "return" and len(strings) > 1:
        return ["="] + strings[1:]
    depth = 0
    for i, s in enumerate(strings):
        if s in "([{":
            depth += 1
        elif s in ")]}":
            depth -= 1
        elif s == "=" and depth == 0:
            return strings[i:]
    return strings


def _closes(strings, i):
    """The index of the bracket that closes the one at ``i``."""
    depth = 0
    for j in range(i, len(strings)):
        depth += strings[j] in "([{"
        depth -= strings[j] in ")]}"
        if depth == 0:
            return j
    return -1


def _normalise(toks) -> str | None:
    """One statement as normalised text; None for a docstring."""
    if all(t.type == tokenize.STRING for t in toks):
        return None
    words = []                              # (text, is a name to fold)
    for i, t in enumerate(toks):
        s = t.string
        prev = toks[i - 1].string if i else ""
        nxt = toks[i + 1].string if i + 1 < len(toks) else ""
        if t.type == tokenize.NUMBER:
            words.append((_number(s), False))
        elif t.type == tokenize.NAME and not keyword.iskeyword(s) and s not in KEPT_NAMES and prev != "." \
                and not (nxt == "=" and prev in ("(", ",")):
            words.append((s, True))
        else:
            words.append((s, False))
    # a constant-key lookup, name [ "key" ], is one name
    merged, i = [], 0
    while i < len(words):
        if words[i][1] and i + 3 < len(words) and words[i + 1][0] == "[" and words[i + 3][0] == "]" \
                and re.fullmatch(r"[rbuRBU]?(['\"]).*\1", words[i + 2][0]):
            merged.append(("".join(w for w, _ in words[i:i + 4]), True))
            i += 4
        else:
            merged.append(words[i])
            i += 1
    strings = [w for w, _ in merged]
    fold = {w for w, f in merged if f}
    strings = _without_target(strings)
    while len(strings) > 3 and strings[0] == "=" and strings[1] == "(" and _closes(strings, 1) == len(strings) - 1:
        strings = ["="] + strings[2:-1]               # (a\n @ b) is a @ b reflowed
    numbering = {}
    return " ".join(numbering.setdefault(w, f"_{len(numbering)}") if w in fold else w for w in strings)


def statements(code: str) -> list[str]:
    """The normalised statements of ``code``, in order."""
    return [s for s in (_normalise(toks) for toks in _logical_lines(code)) if s]


def is_setup(statement: str) -> bool:
    """True for a statement that only allocates an array, reads a shape or copies names."""
    return bool(SETUP.match(statement))


# -- the two sides --------------------------------------------------------------------------------
def solution_regions(source_dir: Path) -> list[Region]:
    """Every solution region of every source notebook under ``source_dir`` (``assignments/source``)."""
    regions = []
    for nb_path in sorted(source_dir.glob("*/*.ipynb")):
        for cell in json.loads(nb_path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            text = "".join(cell["source"])
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
            pattern = re.escape(MARKERS[0]) + r"[^\n]*\n(.*?)^[ \t]*" + re.escape(MARKERS[1])
            for k, match in enumerate(re.finditer(pattern, text, re.S | re.M)):
                body = match.group(1)
                regions.append(Region(nb_path.parent.name, grade_id + (f"#{k + 1}" if k else ""),
                                      tuple(st for st in statements(body) if not is_setup(st)), textwrap.dedent(body)))
    return regions


class _PreBlocks(HTMLParser):
    """The text of every ``<pre>`` element of a page (code cells, printed output, fenced code)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._depth, self._text = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "pre" and self._depth:
            self._depth -= 1
            if not self._depth:
                self.blocks.append("".join(self._text))
                self._text = []

    def handle_data(self, data):
        if self._depth:
            self._text.append(data)


def html_blocks(html_dir: Path, pages) -> list[Block]:
    """Every code block (``<pre>``) of the given HTML pages, normalised."""
    blocks = []
    for page in pages:
        parser = _PreBlocks()
        parser.feed(page.read_text(errors="replace"))
        for text in parser.blocks:
            found = Counter(statements(text))
            if found:
                blocks.append(Block(str(page.relative_to(html_dir)), found, text))
    return blocks


def copied(region: Region, block: Block) -> float:
    """Share of the region's statements that occur in the block, each block statement used once
    (0 for regions too short to judge)."""
    if len(region.statements) < MIN_STATEMENTS:
        return 0.0
    left = Counter(block.statements)
    found = 0
    for s in region.statements:
        if left[s]:
            left[s] -= 1
            found += 1
    return found / len(region.statements)


def findings(regions, blocks, threshold=THRESHOLD):
    """``[(share, region, block)]`` for every region a block answers, worst first."""
    out = [(copied(r, b), r, b) for r in regions for b in blocks]
    return sorted((f for f in out if f[0] >= threshold), key=lambda f: -f[0])
