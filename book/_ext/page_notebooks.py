"""Publish every page of the book as a Jupyter notebook, with a download button on the page.

The pages are MyST Markdown; a reader who wants to run one needs an ``.ipynb``. For
each page this extension

* reads the page's source with jupytext (MyST format: each ``{code-cell}`` becomes a
  code cell, everything else Markdown), the same source the build executes;
* turns the MyST markup that Jupyter cannot render into plain Markdown (:func:`to_markdown`):
  ``{doc}`` links become the page's title, ``{py:func}`` and the like code, ``{glue:text}``
  the value the build computed (read from the executed page's glue data), ``{term}`` its
  text, ``{cite}`` "Author (Year)", exercise and solution blocks bold headings, glossaries
  and the bibliography lists, ``(label)=`` targets nothing;
* inserts the environment check of :func:`rnncourse.environment.check_cell` as the first
  code cell, right under the title: without the right ``rnncourse`` it says what to install;
* writes the notebook, without outputs, to ``_sources/<page>.ipynb`` (every page, after every
  build: the check names the package's current version); while each page's HTML is written
  (``html-page-context``) it sets the page's ``ipynb_source``, so sphinx-book-theme's download
  menu (the download button at the top of every page) offers it as ``.ipynb``. The theme does
  that itself only for pages with launch buttons, which this book does not configure.

A downloaded page runs top to bottom where ``rnncourse`` is installed from the book's wheel
(page *Run it yourself*), with no repository around; ``tests/test_fresh_venv.py`` runs them all.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

#: MyST roles: {name}`content`
ROLE = re.compile(r"\{([a-zA-Z][\w:-]*)\}`([^`]*)`")
#: A fenced MyST directive: ```{name} argument / options and body / ``` (or ::: fences).
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>[^\n]*)\n"
                       r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?", re.S | re.M)
#: A MyST target line: (label)=
TARGET = re.compile(r"^\([\w:.-]+\)=[ \t]*\n", re.M)
#: "text <target>" inside a role
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)

ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
               "seealso", "admonition"}


def _split_options(body: str) -> str:
    """A directive's body without its ``:option: value`` lines (or ``---`` YAML block)."""
    lines = body.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        lines = lines[end + 1:]
    while lines and re.match(r"^:[\w-]+:", lines[0]):
        lines = lines[1:]
    return "\n".join(lines).strip("\n")


def _glossary(body: str) -> str:
    """A glossary directive's body (term lines, then indented definitions) as a Markdown list."""
    items, names, definition = [], [], []
    for line in body.split("\n") + [""]:
        if line.strip() and not line[0].isspace():
            if definition:
                items.append(f"- **{' / '.join(names)}**: {' '.join(definition)}")
                names, definition = [], []
            names.append(line.strip())
        elif line.strip():
            definition.append(line.strip())
    if names:
        items.append(f"- **{' / '.join(names)}**: {' '.join(definition)}")
    return "\n".join(items) + "\n"


def _code(name: str) -> str:
    return f"`{name}`"


def to_markdown(text: str, *, title_of, glue_text, cite_text=None) -> str:
    """The MyST Markdown ``text`` of one Markdown cell as Markdown that Jupyter renders.

    ``title_of(target)`` gives the title of the page a ``{doc}`` role names (relative
    names as in the source); ``glue_text(key, fmt)`` the text a ``{glue:text}`` role
    shows, or None when the build recorded no such value; ``cite_text(keys, textual)``
    the text of a ``{cite:t}`` (textual) or ``{cite:p}`` citation.
    """

    def directive(m):
        name, arg, body = m.group("name"), m.group("arg").strip(), _split_options(m.group("body"))
        body = DIRECTIVE.sub(directive, body)
        if name in ("exercise", "solution", "solution-start"):
            # an exercise's argument is its title; a solution's is the exercise's label
            heading = "Exercise" if name == "exercise" else "Solution"
            if name == "exercise" and arg:
                heading += f": {arg}"
            return f"**{heading}.**\n\n{body}\n".rstrip("\n") + "\n"
        if name == "solution-end":
            return ""
        if name in ADMONITIONS:
            heading = arg if name == "admonition" and arg else name.capitalize()
            quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
            return f"> **{heading}.**\n>\n{quoted}\n"
        if name == "math":
            return f"$$\n{body}\n$$\n"
        if name == "eval-rst":
            return f"```rst\n{body}\n```\n"
        if name == "glossary":
            return _glossary(body)
        if name == "bibliography":
            return getattr(cite_text, "reference_list", lambda: "")()
        return f"```{arg}\n{body}\n```\n" if name in ("code", "code-block") else f"{body}\n"

    def role(m):
        name, content = m.group(1), m.group(2)
        explicit = EXPLICIT.match(content)
        text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, content)
        if name == "doc":
            return f"*{text or title_of(target)}*"
        if name in ("glue:text", "glue"):
            key, _, fmt = target.partition(":")
            shown = glue_text(key, fmt)
            return shown if shown is not None else _code(key)
        if name == "term":
            return text or target
        if name == "ref":
            return f"*{text or target}*"
        if name.startswith("cite"):
            keys = [k.strip() for k in target.split(",") if k.strip()]
            return text or (cite_text(keys, name == "cite:t") if cite_text else f"[{', '.join(keys)}]")
        if name in ("math",):
            return f"${content}$"
        if name.startswith(("py:", "func", "class", "meth", "mod", "attr", "data", "exc", "obj")):
            shown = text or target.lstrip("~")
            if target.startswith("~"):
                shown = shown.rsplit(".", 1)[-1]
            if name.endswith(("func", "meth")) and not shown.endswith(")"):
                shown += "()"
            return _code(shown)
        return text or target

    text = TARGET.sub("", text)
    text = DIRECTIVE.sub(directive, text)
    return ROLE.sub(role, text)


def page_notebook(source: Path, *, title_of, glue_text, check_cell: str, cite_text=None):
    """The notebook of one page: its MyST source read by jupytext, Markdown made plain, the check inserted."""
    import jupytext
    import nbformat

    nb = jupytext.read(source, fmt="md:myst")
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = to_markdown(cell.source, title_of=title_of, glue_text=glue_text,
                                      cite_text=cite_text).strip("\n")
            if not cell.source.strip():
                continue
        else:
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    first = 1 if cells and cells[0].cell_type == "markdown" else 0
    cells.insert(first, nbformat.v4.new_code_cell(check_cell, metadata={"tags": ["environment-check"]}))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def _glue_reader(app, docname):
    """``glue_text(key, fmt)`` for one page, from the glue data myst-nb saved when it ran the page."""
    from myst_nb.core.variables import format_plain_text

    path = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.glue.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def glue_text(key, fmt):
        plain = data.get(key, {}).get("data", {}).get("text/plain")
        if plain is None:
            return None
        try:
            return format_plain_text(plain, fmt)
        except (TypeError, ValueError):
            return None

    return glue_text


def author_year(entries):
    """``cite_text(keys, textual)`` for pybtex ``entries``: "Elman (1990)" or "(Gers et al., 2000)"."""

    def authors(key):
        people = entries[key].persons.get("author", [])
        last = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
        if len(last) > 2 or (last and last[-1] == "others"):
            return f"{last[0]} et al."
        return " and ".join(last)

    def cite_text(keys, textual):
        known = [k for k in keys if k in entries]
        if len(known) != len(keys):
            return f"[{', '.join(keys)}]"
        if textual:
            return "; ".join(f"{authors(k)} ({entries[k].fields.get('year', '')})" for k in keys)
        return "(" + "; ".join(f"{authors(k)}, {entries[k].fields.get('year', '')}" for k in keys) + ")"

    def reference_list():
        """Every entry as a Markdown list item, by first author and year."""
        def venue(e):
            f = e.fields
            where = f.get("journal") or f.get("booktitle") or f.get("howpublished") or f.get("publisher") or ""
            where += f" {f['volume']}" if f.get("journal") and f.get("volume") else ""
            where += f"({f['number']})" if f.get("journal") and f.get("number") else ""
            where += f", {f['pages'].replace('--', '–')}" if f.get("pages") else ""
            return where.replace("{", "").replace("}", "")

        items = sorted(entries, key=lambda k: (authors(k), entries[k].fields.get("year", "")))
        return "\n".join(f"- {authors(k)} ({entries[k].fields.get('year', '')}). "
                         f"*{entries[k].fields.get('title', '').replace('{', '').replace('}', '')}*. {venue(entries[k])}."
                         for k in items) + "\n"

    cite_text.reference_list = reference_list
    return cite_text


def _cite_reader(app):
    from pybtex.database import parse_file

    entries = {}
    for bib in getattr(app.config, "bibtex_bibfiles", []) or []:
        entries.update(parse_file(str(Path(app.srcdir) / bib)).entries)
    return author_year(entries)


def _title_reader(app, docname):
    from sphinx.util import docname_join

    def title_of(target):
        name = target.lstrip("/") if target.startswith("/") else docname_join(docname, target)
        title = app.env.titles.get(name)
        return title.astext() if title is not None else target

    return title_of


def _is_page(app, docname) -> bool:
    return docname in app.env.found_docs and Path(app.env.doc2path(docname)).suffix == ".md"


def _offer(app, pagename, templatename, context, doctree):
    """The page's download menu offers its notebook (written by :func:`_write_all`)."""
    if app.builder.format == "html" and _is_page(app, pagename):
        context["ipynb_source"] = f"{pagename}.ipynb"


def _write_all(app, exception):
    """Every page's notebook, written after every build (pages Sphinx did not rewrite included:
    the environment check names the package's current version, which no page's source holds)."""
    if exception is not None or app.builder.format != "html":
        return
    import nbformat
    from rnncourse.environment import check_cell

    cell, cite_text = check_cell(), _cite_reader(app)
    for docname in sorted(d for d in app.env.found_docs if _is_page(app, d)):
        nb = page_notebook(Path(app.env.doc2path(docname)), title_of=_title_reader(app, docname),
                           glue_text=_glue_reader(app, docname), check_cell=cell, cite_text=cite_text)
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def setup(app):
    # before sphinx-book-theme builds its header buttons (priority 501)
    app.connect("html-page-context", _offer, priority=450)
    app.connect("build-finished", _write_all)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
