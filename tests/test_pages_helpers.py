"""rnncourse.pages, the helpers of the book's pages, and the rule that no page keeps its own copy.

The helpers are checked through what they produce (the HTML of a table, the
Markdown of a code block, the number a timer returns with a scripted clock) and
through their error messages. The last tests read the code cells of every page
of the book: a function defined in two pages belongs in the package.
"""
import ast
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from IPython.display import HTML

import rnncourse.pages as pages
from rnncourse.cells import fast, rnn
from rnncourse.pages import (best_of, format_metric, html_table, median_seconds, preformatted, show_metrics,
                             show_source, show_table, source_text)

BOOK = Path(__file__).resolve().parents[1] / "book"


@pytest.fixture
def shown(monkeypatch):
    """Everything the helpers pass to IPython's display, in order."""
    out = []
    monkeypatch.setattr(pages, "display", out.append)
    return out


def _table_cells(markup, tag):
    return re.findall(rf"<{tag}(?: [^>]*)?>(.*?)</{tag}>", markup)


# ---------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------
def test_html_table_layout_and_escaping():
    markup = html_table(["name", "a < b", 3], [(1, "<bos>", 2.5), ["x & y", None, '"q"']])
    assert markup == ('<table class="table"><thead><tr><th>name</th><th>a &lt; b</th><th>3</th></tr></thead>'
                      '<tbody><tr><td>1</td><td>&lt;bos&gt;</td><td>2.5</td></tr>'
                      '<tr><td>x &amp; y</td><td>None</td><td>&quot;q&quot;</td></tr></tbody></table>')


def test_html_table_accepts_generators_and_numpy_rows():
    markup = html_table(("step", "value"), ((t, v) for t, v in enumerate(np.array([0.5, 1.5]))))
    assert _table_cells(markup, "td") == ["0", "0.5", "1", "1.5"]
    assert _table_cells(html_table(["a", "b"], np.arange(4).reshape(2, 2)), "td") == ["0", "1", "2", "3"]
    assert "<tbody></tbody>" in html_table(["only a header"], [])


def test_caption_is_escaped_and_comes_first():
    markup = html_table(["a"], [[1]], caption="Files <a new cell> touches & more")
    assert markup.startswith('<table class="table"><caption>Files &lt;a new cell&gt; touches &amp; more</caption>'
                             '<thead>')


def test_alignment_styles_every_cell_of_a_column():
    markup = html_table(["label", "value", "mid"], [("x", 1, 2), ("y", 3, 4)], align="lrc")
    assert markup.count('style="text-align: right"') == 3    # header and two rows
    assert re.search(r'<th style="text-align: left">label</th><th style="text-align: right">value</th>'
                     r'<th style="text-align: center">mid</th>', markup)
    assert '<td style="text-align: right">3</td>' in markup
    assert "style" not in html_table(["a"], [[1]])            # no alignment asked: the theme's own


def test_html_cells_are_inserted_as_html():
    text = "The keeper <said>\n  & left"
    cell = preformatted(text)
    assert isinstance(cell, HTML)
    markup = html_table(["tau", "text"], [(0.5, cell)])
    assert ('<td><pre style="white-space: pre-wrap; margin: 0">The keeper &lt;said&gt;\n  &amp; left</pre></td>'
            in markup)
    raw = html_table(["file", "what"], [("<code>rnncourse/cells/gru.py</code>", "a <b>cell</b>")], escape=False)
    assert _table_cells(raw, "td") == ["<code>rnncourse/cells/gru.py</code>", "a <b>cell</b>"]
    assert "&lt;" not in raw


def test_show_table_displays_the_table_and_returns_nothing(shown):
    assert show_table(["a", "b"], [(1, "<x>")], caption="c") is None
    assert len(shown) == 1 and isinstance(shown[0], HTML)
    assert shown[0].data == html_table(["a", "b"], [(1, "<x>")], caption="c")


@pytest.mark.parametrize("header, rows, kwargs, error, match", [
    (["a", "b"], [(1, 2), (3,)], {}, ValueError, r"row 1 has 1 cells but the header has 2 columns"),
    (["a"], [(1, 2)], {}, ValueError, r"row 0 has 2 cells but the header has 1 columns"),
    ("ab", [("x", "y")], {}, TypeError, r"header must be a sequence of cells"),
    ([], [], {}, ValueError, r"header must name at least one column"),
    (["a"], ["x"], {}, TypeError, r"row 0 must be a sequence of cells"),
    (["a"], [5], {}, TypeError, r"row 0 must be a sequence of cells"),
    (["a"], 5, {}, TypeError, r"rows must be an iterable of rows"),
    (["a", "b"], [(1, 2)], {"align": "l"}, ValueError, r"one letter l, c or r per column \(2\), got 'l'"),
    (["a", "b"], [(1, 2)], {"align": "lx"}, ValueError, r"got 'lx'"),
    (["a"], [(1,)], {"align": ["l"]}, TypeError, r"align must be a str"),
    (["a"], [(1,)], {"caption": 3}, TypeError, r"caption must be a str"),
    (["a"], [(1,)], {"escape": "no"}, TypeError, r"escape must be True or False"),
])
def test_bad_tables_are_refused_with_a_clear_message(shown, header, rows, kwargs, error, match):
    with pytest.raises(error, match=match):
        html_table(header, rows, **kwargs)
    with pytest.raises(error, match=match):
        show_table(header, rows, **kwargs)
    assert shown == [], "nothing is shown when the table is refused"


def test_preformatted_needs_text():
    with pytest.raises(TypeError, match="text must be a str"):
        preformatted(3)


# ---------------------------------------------------------------------------
# metrics
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("value, text", [
    (12, "12"), (np.int64(-3), "-3"), (True, "1"), (0.123456, "0.1235"), (np.float32(2.5), "2.500"),
    (1.0, "1.000"), (12345.6, "1.235e+04"), (1e-5, "1.000e-05"), (float("nan"), "nan"),
])
def test_format_metric(value, text):
    assert format_metric(value) == text


@pytest.mark.parametrize("value", ["0.5", None, [1.0], np.zeros(2)])
def test_format_metric_refuses_non_numbers(value):
    with pytest.raises(TypeError, match="a metric must be a number"):
        format_metric(value)


def test_show_metrics_with_a_mapping_a_function_or_nothing(shown):
    metrics = {"accuracy": 0.91234, "epochs": 12, "note<": 1.0}
    show_metrics(metrics, {"accuracy": "share of test sentences right"})
    show_metrics(metrics, lambda name: f"about {name}")
    show_metrics(metrics)
    first, second, third = (_table_cells(s.data, "td") for s in shown)
    assert _table_cells(shown[0].data, "th") == ["metric", "value", "meaning"]
    assert first == ["accuracy", "0.9123", "share of test sentences right", "epochs", "12", "", "note&lt;", "1.000", ""]
    assert second[2::3] == ["about accuracy", "about epochs", "about note&lt;"]
    assert third[2::3] == ["", "", ""]


def test_show_metrics_refuses_bad_arguments(shown):
    with pytest.raises(TypeError, match="metrics must be a mapping"):
        show_metrics([("accuracy", 0.9)])
    with pytest.raises(TypeError, match="meanings must be a mapping or a function"):
        show_metrics({"accuracy": 0.9}, "share right")
    with pytest.raises(TypeError, match="a metric must be a number"):
        show_metrics({"accuracy": "high"})
    assert shown == []


# ---------------------------------------------------------------------------
# the package's source
# ---------------------------------------------------------------------------
def test_source_text_cuts_the_docstring_to_its_summary():
    text = source_text(rnn.rnn_forward)
    lines = text.splitlines()
    assert lines[0].startswith("def rnn_forward(")
    summary = rnn.rnn_forward.__doc__.strip().splitlines()[0]
    assert f'    """{summary} (rest of the docstring omitted)"""' in lines
    assert "Parameters" not in text and "Book page" not in text
    assert not text.endswith("\n")
    ast.parse(text)                                  # still valid Python


def test_source_text_excerpt_runs_from_start_to_stop():
    start, stop = "for t in range(T)", "np.multiply(o, tanh_c[t]"
    lines = source_text(fast.lstm_forward_fast, start, stop).splitlines()
    assert lines[0] == lines[-1] == "    ..."
    assert start in lines[1] and stop in lines[-2]
    assert sum(start in line for line in lines) == 1


def test_source_text_of_a_function_without_docstring_and_of_a_method():
    def plain(x):
        return x + 1

    class Layer:
        def forward(self, x):
            """Double x.

            More text.
            """
            return 2 * x

    assert source_text(plain) == "def plain(x):\n    return x + 1"
    assert source_text(Layer.forward) == ('def forward(self, x):\n    """Double x. (rest of the docstring omitted)"""\n'
                                          '    return 2 * x')


@pytest.mark.parametrize("args, error, match", [
    ((len,), TypeError, r"no Python source for <built-in function len>"),
    ((np.zeros(3),), TypeError, r"no Python source"),
    ((rnn.rnn_forward, "for t in"), ValueError, r"give start and stop together"),
    ((rnn.rnn_forward, None, "return"), ValueError, r"give start and stop together"),
    ((rnn.rnn_forward, "no such line", "return"), ValueError, r"no line of rnn_forward contains start='no such line'"),
    ((rnn.rnn_forward, "def rnn_forward", "no such line"), ValueError,
     r"no line of rnn_forward after 'def rnn_forward' contains stop='no such line'"),
    ((rnn.rnn_forward, 3, "x"), TypeError, r"start must be a str"),
])
def test_source_text_refuses_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        source_text(*args)


def test_show_source_displays_a_python_code_block(shown):
    show_source(rnn.rnn_backward)
    assert len(shown) == 1
    markdown = shown[0].data
    assert markdown == f"```python\n{source_text(rnn.rnn_backward)}\n```"


# ---------------------------------------------------------------------------
# timing, with a scripted clock
# ---------------------------------------------------------------------------
@pytest.fixture
def clock(monkeypatch):
    """perf_counter returns 0, then the end of each call: calls take 3, 1, 2, 5, 4 ms."""
    ticks = iter(np.cumsum([0, 3, 0, 1, 0, 2, 0, 5, 0, 4]) / 1e3)
    monkeypatch.setattr(pages.time, "perf_counter", lambda: float(next(ticks)))
    calls = []
    return calls


def test_best_of_is_the_fastest_call_in_milliseconds(clock):
    assert best_of(lambda: clock.append(1), repeats=5) == pytest.approx(1.0)
    assert len(clock) == 5


def test_median_seconds_is_the_median_call_in_seconds(clock):
    assert median_seconds(lambda: clock.append(1), repeats=5) == pytest.approx(0.003)
    assert len(clock) == 5


def test_timers_on_a_real_clock():
    assert 0 <= best_of(lambda: None, repeats=3) < 50
    assert 0 <= median_seconds(lambda: None) < 0.05


@pytest.mark.parametrize("timer", [best_of, median_seconds])
@pytest.mark.parametrize("fn, repeats, error, match", [
    (None, 3, TypeError, r"fn must be callable"),
    (lambda: None, 0, ValueError, r"repeats must be a positive int, got 0"),
    (lambda: None, 2.5, TypeError, r"repeats must be a positive int"),
    (lambda: None, True, TypeError, r"repeats must be a positive int"),
])
def test_timers_refuse_bad_arguments(timer, fn, repeats, error, match):
    with pytest.raises(error, match=match):
        timer(fn, repeats=repeats)


# ---------------------------------------------------------------------------
# the book's pages keep no copies
# ---------------------------------------------------------------------------
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def code_cells(text):
    """The code of every code cell of a MyST notebook page, options and magics blanked out."""
    for match in CODE_CELL.finditer(text):
        lines = match.group(1).splitlines()
        if lines and lines[0].strip() == "---":                         # YAML block of options
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
            lines = [""] * (end + 1) + lines[end + 1:]
        yield "\n".join("" if line.startswith((":", "%", "!")) else line for line in lines)


def defined_names(text):
    """Functions and classes a page defines at the top level of its cells (not nested ones)."""
    names = set()
    for code in code_cells(text):
        tree = ast.parse(code)
        names |= {node.name for node in tree.body
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names


def book_pages():
    return sorted(BOOK.rglob("*.md"))


def test_the_scanner_reads_code_cells_only():
    page = ('# Title\n\n```python\ndef in_a_plain_block(): pass\n```\n\n'
            '```{code-cell} ipython3\n:tags: [hide-input]\n\ndef helper():\n    def nested(): pass\n```\n\n'
            '```{code-cell} ipython3\n---\ntags: [remove-input]\n---\n%matplotlib inline\nclass Thing: pass\n```\n')
    assert defined_names(page) == {"helper", "Thing"}


def test_no_function_is_defined_in_more_than_one_page():
    pages_by_name = defaultdict(list)
    for path in book_pages():
        for name in defined_names(path.read_text(encoding="utf-8")):
            pages_by_name[name].append(str(path.relative_to(BOOK.parent)))
    assert len(pages_by_name) > 50, "the scan found almost no definitions: is it reading the pages?"
    shared = {name: where for name, where in sorted(pages_by_name.items()) if len(where) > 1}
    assert not shared, ("defined in more than one page (move it to rnncourse/pages.py, or to "
                        "rnncourse.analysis / rnncourse.datasets if it measures or makes data, and import it):\n"
                        + "\n".join(f"  {name}: {', '.join(where)}" for name, where in shared.items()))


def test_no_page_redefines_a_helper_of_the_package():
    helpers = set(pages.__all__)
    found = {str(path.relative_to(BOOK.parent)): sorted(defined_names(path.read_text(encoding="utf-8")) & helpers)
             for path in book_pages()}
    found = {page: names for page, names in found.items() if names}
    assert not found, f"pages define their own copy of a helper of rnncourse.pages: {found}"


# ---------------------------------------------------------------------------
# claims
# ---------------------------------------------------------------------------
def test_claim_passes_silently_when_the_measurement_supports_it():
    assert pages.claim(np.float64(2.0) > 1.5, "the hierarchy is faster", ratio=2.0) is None
    assert pages.claim(np.array([True]), "a one-element array is one truth value") is None


def test_claim_fails_with_the_statement_and_the_measured_values():
    with pytest.raises(AssertionError, match=r"'the hierarchy is cheaper'.*ratio = 1\.0.*t = 64"):
        pages.claim(1.0 > 1.2, "the hierarchy is cheaper", ratio=1.0, t=64)
    with pytest.raises(AssertionError, match="no values given"):
        pages.claim(False, "the GRU beats the LSTM")


@pytest.mark.parametrize("condition, message, match", [
    (np.array([True, False]), "x", "one truth value"),
    (0.5, "x", "True or False"),
    (None, "x", "True or False"),
    (True, "", "non-empty str"),
    (True, 3, "non-empty str"),
])
def test_claim_refuses_what_is_not_one_truth_value_and_a_statement(condition, message, match):
    with pytest.raises(TypeError, match=match):
        pages.claim(condition, message)
