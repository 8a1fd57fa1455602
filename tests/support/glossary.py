"""Read the glossary and the prose of the book's pages, in reading order.

``book/glossary.md`` holds one Sphinx ``glossary`` directive. Each entry starts with one
or more unindented lines, the names of the term (``BPTT`` and ``backpropagation through
time`` are one entry), followed by the indented definition, which names the page that
teaches the term with a ``{doc}`` link. :func:`entries` reads them.

:func:`prose` reduces a page's MyST source to the text a reader reads as running prose:
no front matter, code cells, code blocks, inline code, math, headings, labels or
directive options, and no roles except ``{term}``, which are kept as ``\\x00TERM:<term>\\x00``
markers in place of their text. :func:`first_uses` finds, for every entry, the first
place in reading order (``_toc.yml``) where one of its names is used, and whether that
place is a ``{term}`` link to the entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = "book/glossary"

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_FENCE = re.compile(r"^(?P<f>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=f)[ \t]*$", re.S | re.M)
_TERM = re.compile(r"\{term\}`([^`]*)`")
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_MARK = re.compile(r"\x00TERM:([^\x00]*)\x00")


@dataclass(frozen=True)
class Entry:
    names: tuple[str, ...]      #: the entry's term lines; names[0] is its main name
    definition: str
    page: str | None            #: the docname the definition's first {doc} link names

    def pattern(self) -> re.Pattern:
        """Any of the names, as whole words, case-insensitive, optionally plural."""
        alts = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in sorted(self.names, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alts})(?:s|es)?(?![\w-])", re.I)


def toc_pages(root: Path = ROOT) -> list[str]:
    """Every page's docname in reading order: the root, then the chapters of each part."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
            pages.extend(s["file"] for s in chapter.get("sections", []))
    return pages


def entries(root: Path = ROOT) -> list[Entry]:
    """The glossary's entries, in the order they are written."""
    text = (root / f"{GLOSSARY}.md").read_text()
    m = re.search(r"^```\{glossary\}[^\n]*\n(.*?)^```\s*$", text, re.S | re.M)
    assert m, f"{GLOSSARY}.md has no glossary directive"
    found, names, body = [], [], []

    def close():
        if names:
            definition = "\n".join(body).strip()
            page = re.search(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`", definition)
            found.append(Entry(tuple(names), definition, _resolve(GLOSSARY, page.group(1)) if page else None))

    for line in m.group(1).splitlines():
        if not line.strip() or line.startswith(":"):
            if body:
                body.append("")
            continue
        if line[0].isspace():
            body.append(line.strip())
        else:
            if body:
                close()
                names, body = [], []
            names.append(line.strip())
    close()
    return found


def _resolve(docname: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = docname.split("/")[:-1] + target.split("/")
    out = []
    for p in parts:
        if p == "..":
            out.pop()
        elif p != ".":
            out.append(p)
    return "/".join(out)


def prose(text: str) -> str:
    """The running prose of a MyST page, with ``{term}`` roles as markers (see the module's docstring)."""
    text = _FRONT.sub("", text)

    def fence(m):
        info = m.group("info").strip()
        directive = re.match(r"\{([\w:-]+)\}", info)
        if directive and directive.group(1) not in ("code-cell", "eval-rst", "code", "code-block", "math",
                                                    "glossary", "bibliography", "raw"):
            body = re.sub(r"^:[\w-]+:.*$", "", m.group("body"), flags=re.M)     # options
            return _FENCE.sub(fence, body)
        return ""

    text = _FENCE.sub(fence, text)
    text = re.sub(r"^\s*#+ .*$", "", text, flags=re.M)              # headings
    text = re.sub(r"^\([\w:.-]+\)=\s*$", "", text, flags=re.M)     # (label)=
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$\n]+?\$", " ", text)

    def term(m):
        content = m.group(1)
        target = re.search(r"<([^<>]+)>$", content)
        return f"\x00TERM:{(target.group(1) if target else content).strip()}\x00"

    text = _TERM.sub(term, text)
    text = _ROLE.sub(" ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)                          # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)                        # link targets
    return text


@dataclass(frozen=True)
class FirstUse:
    entry: Entry
    page: str | None           #: where a name of the entry is first used (None: nowhere)
    text: str                  #: the words around it
    linked: bool               #: whether that use is a {term} link to this entry


def first_uses(root: Path = ROOT) -> list[FirstUse]:
    """For every glossary entry, its first use in the book's prose in reading order."""
    pages = [p for p in toc_pages(root) if p != GLOSSARY]
    texts = {p: prose((root / f"{p}.md").read_text()) for p in pages}
    out = []
    for entry in entries(root):
        names = {n.lower() for n in entry.names}
        pattern = entry.pattern()
        result = FirstUse(entry, None, "", False)
        for page in pages:
            text = texts[page]
            hits = []
            for m in _MARK.finditer(text):                 # {term} links to this entry
                if m.group(1).lower() in names:
                    hits.append((m.start(), True, m))
            plain = _MARK.sub(lambda m: "\x00" * len(m.group(0)), text)     # same offsets, no words
            for m in pattern.finditer(plain):
                hits.append((m.start(), False, m))
            if hits:
                start, linked, m = min(hits, key=lambda h: h[0])
                around = _MARK.sub(lambda k: f"{{term}}`{k.group(1)}`", text[max(0, start - 60):start + 80])
                result = FirstUse(entry, page, " ".join(around.split()), linked)
                break
        out.append(result)
    return out
