"""The package's architecture as rules: subpackages with a docstring each, no import cycles,
no function-local imports dodging one, short modules, a small top level."""
import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rnncourse"
MAX_LINES = 600
MAX_TOP_LEVEL_MODULES = 12


def modules():
    """``{dotted name: path}`` of every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imported_modules(name, path, known):
    """Package modules imported by module ``name``: ``[(target, lineno, at_top_level)]``."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.append((t, node.lineno, id(node) in top))
    return found


def test_no_function_local_imports_of_the_package():
    known = modules()
    local = [f"{known[n].relative_to(PACKAGE.parent)}:{line} imports {t}"
             for n in known for t, line, at_top in imported_modules(n, known[n], known) if not at_top]
    assert not local, "imports inside functions (move them to the top; a cycle must be broken instead):\n" \
                      + "\n".join(local)


def test_no_import_cycles():
    known = modules()
    graph = {n: {t for t, *_ in imported_modules(n, known[n], known)} for n in known}
    # a package's __init__ re-exports its modules: only edges between modules count as cycles,
    # so drop edges from a package to its own submodules
    graph = {n: {t for t in ts if not t.startswith(n + ".")} for n, ts in graph.items()}
    state, stack = {}, []

    def visit(n):
        state[n] = "active"
        stack.append(n)
        for t in sorted(graph[n]):
            if state.get(t) == "active":
                cycle = stack[stack.index(t):] + [t]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[n] = "done"

    for n in sorted(graph):
        if n not in state:
            visit(n)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_short_enough_to_read_in_one_sitting(path):
    n = len(path.read_text().splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)} has {n} lines (at most {MAX_LINES}): split it"


def test_top_level_is_small():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, f"{len(top)} modules directly in rnncourse/: {top}"


@pytest.mark.parametrize("init", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_subpackage_says_what_belongs_there(init):
    doc = ast.get_docstring(ast.parse(init.read_text()))
    assert doc and len(doc.split()) >= 15, f"{init.relative_to(PACKAGE.parent)} needs a docstring saying what it holds"


def test_every_module_is_in_the_api_reference():
    api = (PACKAGE.parent / "book" / "api.md").read_text()
    documented = set(re.findall(r"^\.\. automodule:: ([\w.]+)", api, re.M))
    public = {m for m in modules() if not any(part.startswith("_") for part in m.split("."))}
    missing = sorted(public - documented)
    assert not missing, f"book/api.md has no automodule block for {missing}"


def test_docstring_examples_run():
    """The ``Examples`` sections are code a reader copies: they must run and print what they show."""
    import doctest
    import importlib
    failed = {}
    for name in modules():
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
        if result.failed:
            failed[name] = result.failed
    assert not failed, f"failing docstring examples: {failed}"


def test_attribute_comments_have_no_colon():
    """Sphinx's napoleon reads ``#: text: more`` above a constant as ``type: description``, and the
    book build (warnings are errors) then fails on a reference to a class called ``text``."""
    bad = [f"{p.relative_to(PACKAGE.parent)}:{i}" for p in sorted(PACKAGE.rglob("*.py"))
           for i, line in enumerate(p.read_text().splitlines(), 1)
           if line.lstrip().startswith("#:") and ": " in line.lstrip()[2:]]
    assert not bad, f"attribute comments with ': ' (use ';' or a dash): {bad}"
