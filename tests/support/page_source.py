"""Reading a book page's MyST source: its code cells and its paragraphs, in order.

Used by the tests that hold the prose to the computation (test_book_claims.py,
test_book_numbers.py).
"""
from __future__ import annotations

import re


def page_blocks(text: str) -> list[tuple[str, str]]:
    """A MyST page as ("code", source) for code cells and ("prose", paragraph) for paragraphs.

    Plain code blocks (```python) are skipped; the bodies of directives such as
    ``{exercise}`` are prose; option lines (``:label:``) are skipped.
    """
    blocks, para, code = [], [], []
    fence = kind = None
    directives = []                                  # fences of the open directives, innermost last
    for line in text.splitlines():
        s = line.strip()
        if fence is not None:
            if s.startswith(fence) and not s.strip("`~"):
                if kind == "code":
                    blocks.append(("code", "\n".join(code)))
                fence, code = None, []
            elif kind == "code":
                code.append(line)
            continue
        m = re.match(r"^(`{3,}|~{3,})(.*)$", s)
        if m:
            if para:
                blocks.append(("prose", " ".join(para)))
                para = []
            info = m.group(2).strip()
            if not info and directives and m.group(1) == directives[-1]:
                directives.pop()                     # the end of a directive
            elif info.startswith("{code-cell}"):
                fence, kind = m.group(1), "code"
            elif info.startswith("{"):               # a directive: its body is prose
                directives.append(m.group(1))
            else:                                    # a verbatim block
                fence, kind = m.group(1), "verbatim"
            continue
        if not s:
            if para:
                blocks.append(("prose", " ".join(para)))
                para = []
        elif not s.startswith(":"):
            para.append(s)
    if para:
        blocks.append(("prose", " ".join(para)))
    return blocks
