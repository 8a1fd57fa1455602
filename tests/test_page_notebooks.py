"""The conversion of a book page into the notebook readers download (book/_ext/page_notebooks.py).

Fast checks of the pieces, on small inputs and on the real pages' sources: MyST markup
becomes Markdown that Jupyter renders, the environment check comes first, and the code
cells are the page's own. ``test_fresh_venv.py`` runs the notebooks the built book publishes.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import page_notebooks as pn  # noqa: E402

from rnncourse.environment import CHECK_CELL_MARKER, check_cell  # noqa: E402
from support.glossary import toc_pages  # noqa: E402

TITLES = {"bptt": "Backpropagation through time", "variants/lstm": "LSTM"}


def convert(text, glue=None):
    return pn.to_markdown(text, title_of=lambda t: TITLES.get(t, t),
                          glue_text=lambda k, fmt: None if k not in (glue or {}) else format((glue or {})[k], fmt),
                          cite_text=lambda keys, textual: ("T:" if textual else "P:") + ",".join(keys))


def test_roles_become_plain_markdown():
    assert convert("see {doc}`bptt` and {doc}`the LSTM <variants/lstm>`") == \
        "see *Backpropagation through time* and *the LSTM*"
    assert convert("{py:func}`rnncourse.core.clipping.clip_grads_by_global_norm`") == \
        "`rnncourse.core.clipping.clip_grads_by_global_norm()`"
    assert convert("{py:class}`~rnncourse.cells.lstm.LSTM`") == "`LSTM`"
    assert convert("{term}`hidden states <hidden state>` and {term}`BPTT`") == "hidden states and BPTT"
    assert convert("{cite:t}`elman1990` {cite:p}`a,b`") == "T:elman1990 P:a,b"
    assert convert("loss {glue:text}`loss:.2f`, {glue:text}`missing`", glue={"loss": 0.1234}) == "loss 0.12, `missing`"
    assert convert("{ref}`the derivation <bptt-derivation>`") == "*the derivation*"


def test_directives_and_targets_become_plain_markdown():
    text = ("(bptt-derivation)=\n"
            "```{exercise}\n:label: ex-1\nDo {doc}`bptt`.\n```\n"
            "```{solution-start} ex-1\n:class: dropdown\n```\nBecause.\n```{solution-end}\n```\n"
            "```{note}\nMind the gap.\n```\n"
            "```{eval-rst}\n.. automodule:: rnncourse\n```\n")
    out = convert(text)
    assert "(bptt-derivation)=" not in out and ":label:" not in out and ":class:" not in out
    assert "**Exercise.**\n\nDo *Backpropagation through time*." in out
    assert "**Solution.**" in out and "Because." in out and "solution-end" not in out
    assert "> **Note.**\n>\n> Mind the gap." in out
    assert "```rst\n.. automodule:: rnncourse\n```" in out
    assert not re.search(r"```\{", out)


def test_author_year_citations():
    from pybtex.database import parse_file

    cite = pn.author_year(parse_file(str(ROOT / "book" / "references.bib")).entries)
    assert cite(["elman1990"], True) == "Elman (1990)"
    assert cite(["hochreiter1997"], False) == "(Hochreiter and Schmidhuber, 1997)"
    assert cite(["gers2000", "amodei2016"], False) == "(Gers et al., 2000; Amodei et al., 2016)"
    assert cite(["nosuchkey"], True) == "[nosuchkey]"


@pytest.mark.parametrize("page", toc_pages(), ids=lambda p: p)
def test_every_page_converts(page):
    """Each page: the check first after the title, the page's code cells unchanged, no MyST left."""
    import jupytext

    nb = pn.page_notebook(ROOT / f"{page}.md", title_of=lambda t: t, glue_text=lambda k, f: "1",
                          check_cell=check_cell(), cite_text=lambda keys, textual: "Someone (2000)")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0].startswith(CHECK_CELL_MARKER)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    source = jupytext.read(ROOT / f"{page}.md", fmt="md:myst")
    assert code[1:] == [c.source for c in source.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    left = re.findall(r"\{[\w:-]+\}`[^`]*`|^```\{[\w:-]+\}|^\([\w:.-]+\)=$", markdown, re.M)
    assert not left, left[:5]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
