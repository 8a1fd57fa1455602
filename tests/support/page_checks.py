"""Read built HTML pages with the standard library: images, scripts, math and stray TeX.

Used by ``test_book_pages.py`` on the files Sphinx wrote. Sphinx puts every
formula in a *math container*, ``<span class="math ...">\\(...\\)</span>`` or
``<div class="math ...">\\[...\\]</div>``, and MathJax is configured to typeset
those. TeX delimiters anywhere else in the text (outside code) mean a formula
escaped the Markdown parser, e.g. ``$x$`` inside raw HTML or a table built in
code, and a reader would see the raw source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
             "source", "track", "wbr"}
CODE_TAGS = {"pre", "code", "script", "style", "textarea", "kbd", "samp"}

#: TeX that MathJax (as Sphinx configures it) would not typeset outside a math container,
#: or that shows the dollar syntax survived the Markdown parser.
RAW_TEX = re.compile(
    r"\$\$"                                   # display dollars
    r"|\\\(|\\\)|\\\[|\\\]"                   # \( \) \[ \]
    r"|\\begin\{"                             # environments
    r"|(?<![\\$\w])\$(?=[^\s$\d])[^$\n]{1,200}?(?<![\s\\])\$(?![\w$])"  # $x$ (not "$5", not "$ 5")
)


@dataclass
class PageInfo:
    path: Path
    images: list[dict] = field(default_factory=list)        #: attributes of every <img>
    script_srcs: list[str] = field(default_factory=list)    #: src of every <script src=...>
    math_elements: int = 0                                  #: elements with class "math"
    text_outside_math: list[str] = field(default_factory=list)  #: prose text, not math, not code
    text: list[str] = field(default_factory=list)           #: all text outside script/style

    @property
    def plain_text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))

    def raw_tex(self) -> list[str]:
        """Snippets of text outside math containers and code that look like TeX."""
        hits = []
        for chunk in self.text_outside_math:
            for m in RAW_TEX.finditer(chunk):
                a, b = max(0, m.start() - 40), min(len(chunk), m.end() + 40)
                hits.append(chunk[a:b].replace("\n", " "))
        return hits


class _Parser(HTMLParser):
    def __init__(self, info: PageInfo):
        super().__init__(convert_charrefs=True)
        self.info = info
        self.stack: list[tuple[str, bool]] = []   # (tag, is this element a math container)

    def _in(self, pred) -> bool:
        return any(pred(tag, is_math) for tag, is_math in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.info.images.append(a)
        if tag == "script" and a.get("src"):
            self.info.script_srcs.append(a["src"])
        classes = (a.get("class") or "").split()
        is_math = "math" in classes or tag == "mjx-container"
        if "math" in classes:
            self.info.math_elements += 1
        if tag not in VOID_TAGS:
            self.stack.append((tag, is_math))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        # tolerate unclosed elements (<p>, <li>): pop up to the matching start tag, if any
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not data.strip() or self._in(lambda t, m: t in ("script", "style")):
            return
        self.info.text.append(data)
        if not self._in(lambda t, m: m or t in CODE_TAGS):
            self.info.text_outside_math.append(data)


def parse_page(path: Path, html: str | None = None) -> PageInfo:
    """Parse one page (from ``path``, or from ``html`` when given, e.g. a browser's DOM dump)."""
    info = PageInfo(path=path)
    parser = _Parser(info)
    parser.feed(path.read_text(encoding="utf-8") if html is None else html)
    parser.close()
    return info
