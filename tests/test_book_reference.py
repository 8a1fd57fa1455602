"""The book's reference pages: glossary, bibliography, and full-text search in a real browser.

* Glossary (``book/glossary.md``): every term is linked to its entry from the place in
  reading order where it is first used (``support/glossary.py`` reads the prose), and each
  entry names the page that teaches it.
* Bibliography (``book/references.bib``, sphinxcontrib-bibtex): every paper the pages cite is
  a citation with an entry, every entry is cited, no paper is named "Author et al., 1997"
  in prose without a citation, and the built bibliography page lists them all.
* Search: Sphinx's own search page, in headless Chromium, finds for each glossary term the
  page that teaches it.
"""
from __future__ import annotations

import re

import pytest

from support import browser_check
from support.book_fixture import built_book, require_html  # noqa: F401  (fixture)
from support.glossary import ROOT, entries, first_uses, prose, toc_pages

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
#: a paper named in running prose: "Name et al., 2024", "Name and Name (1997)", "Name, Name and Name, 2000"
NAMED_PAPER = re.compile(r"(?<![\w'])[A-Z][a-z]+(?: et al\.| and [A-Z][a-z]+|, [A-Z][a-z]+,? and [A-Z][a-z]+)"
                         r",? \(?(?:1[89]\d\d|20[0-4]\d)\)?")
#: the papers the issue names, which the pages must cite
REQUIRED = ("elman1990", "hochreiter1997", "gers2000", "cho2014", "schuster1997", "pascanu2013", "bahdanau2015")


def bib_keys() -> set[str]:
    from pybtex.database import parse_file

    return set(parse_file(str(ROOT / "book" / "references.bib")).entries)


def cited_keys() -> dict[str, list[str]]:
    """{key: [pages citing it]} over every page of the book."""
    found: dict[str, list[str]] = {}
    for page in toc_pages():
        for m in CITE.finditer((ROOT / f"{page}.md").read_text()):
            for key in m.group(1).split(","):
                found.setdefault(key.strip(), []).append(page)
    return found


# ---------------------------------------------------------------------------
# sources (fast)
# ---------------------------------------------------------------------------
def test_every_glossary_term_is_linked_where_first_used():
    uses = first_uses()
    assert len(uses) >= 25, f"only {len(uses)} glossary entries"
    unused = [u.entry.names[0] for u in uses if u.page is None]
    assert not unused, f"glossary terms never used in the book: {unused}"
    unlinked = [f"{u.entry.names[0]!r} first used on {u.page}, not linked: ...{u.text}..." for u in uses if not u.linked]
    assert not unlinked, "link the first use with {term}`...`:\n" + "\n".join(unlinked)


def test_every_glossary_entry_names_the_page_that_teaches_it():
    pages = set(toc_pages())
    for entry in entries():
        assert entry.page in pages, f"{entry.names[0]!r} names no page of the book ({entry.page})"
        text = (ROOT / f"{entry.page}.md").read_text().lower()        # headings included
        assert any(all(word in text for word in name.lower().split()) for name in entry.names), \
            f"{entry.page} never uses the words of {entry.names[0]!r}, yet the glossary says it teaches it"


def test_first_use_detection_can_fail(tmp_path):
    """The glossary check itself: an unlinked earlier use is found, a linked one passes."""
    (tmp_path / "book").mkdir()
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/a\nparts:\n  - chapters:\n"
                                       "      - file: book/b\n      - file: book/glossary\n")
    (tmp_path / "book" / "glossary.md").write_text("# G\n\n```{glossary}\nhidden state\n  The state. {doc}`b`.\n```\n")
    (tmp_path / "book" / "a.md").write_text("# A hidden state heading\n\nCode `hidden state` and $hidden state$.\n\n"
                                            "The hidden states matter.\n")
    (tmp_path / "book" / "b.md").write_text("# B\n\nThe {term}`hidden state <hidden state>` again.\n")
    (use,) = first_uses(tmp_path)
    assert use.page == "book/a" and not use.linked, use
    (tmp_path / "book" / "a.md").write_text("# A\n\nThe {term}`hidden states <hidden state>` matter; the hidden state.\n")
    (use,) = first_uses(tmp_path)
    assert use.page == "book/a" and use.linked, use


def test_every_citation_has_an_entry_and_every_entry_is_cited():
    keys, cited = bib_keys(), cited_keys()
    assert not set(cited) - keys, f"cited but not in book/references.bib: {sorted(set(cited) - keys)}"
    assert not keys - set(cited), f"in book/references.bib but cited nowhere: {sorted(keys - set(cited))}"
    missing = [k for k in REQUIRED if k not in cited]
    assert not missing, f"papers the pages must cite: {missing}"


def test_no_paper_is_named_without_a_citation():
    named = []
    for page in toc_pages():
        for m in NAMED_PAPER.finditer(prose((ROOT / f"{page}.md").read_text())):
            named.append(f"{page}: {m.group(0)!r}")
    assert not named, "cite these with {cite:t} or {cite:p} (and add them to book/references.bib):\n" + "\n".join(named)
    assert NAMED_PAPER.search("as Feng et al., 2024 showed") and NAMED_PAPER.search("Gers, Schmidhuber and Cummins (2000)")
    assert not NAMED_PAPER.search("Elman's 1990 network") and not NAMED_PAPER.search("In 2013 deep LSTMs")


def test_pages_import_glue_from_the_package():
    """myst_nb is not installed where a student runs a downloaded page: pages use rnncourse.pages.glue."""
    offending = [p for p in toc_pages() if re.search(r"^\s*(from|import)\s+myst_nb\b", (ROOT / f"{p}.md").read_text(), re.M)]
    assert not offending, f"pages importing myst_nb (use `from rnncourse.pages import glue`): {offending}"


# ---------------------------------------------------------------------------
# the built book
# ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_built_glossary_and_bibliography_are_linked(built_book):
    require_html(built_book)
    html_dir = built_book.html_dir
    glossary = (html_dir / "book" / "glossary.html").read_text(encoding="utf-8")
    # each name of an entry is a <dt id="term-..."> whose text is the name
    anchor_of = {re.sub(r"<[^>]+>", "", text).strip().lower(): anchor
                 for anchor, text in re.findall(r'<dt id="(term-[^"]+)"[^>]*>(.*?)<a class="headerlink"', glossary, re.S)}
    assert len(anchor_of) == sum(len(e.names) for e in entries()), sorted(anchor_of)
    linked = set()
    for page in built_book.pages():
        linked |= set(re.findall(r'href="[^"]*glossary\.html#(term-[^"]+)"', page.read_text(encoding="utf-8")))
    unlinked = [e.names[0] for e in entries() if not {anchor_of[n.lower()] for n in e.names} & linked]
    assert not unlinked, f"glossary entries no page links to: {unlinked}"
    bibliography = (html_dir / "book" / "bibliography.html").read_text(encoding="utf-8")
    listed = re.findall(r'<div class="citation" id="([^"]+)"', bibliography)
    assert len(listed) == len(bib_keys()), f"{len(listed)} entries listed, {len(bib_keys())} in references.bib"
    text = " ".join(re.sub(r"<[^>]+>", " ", bibliography).split()).lower()    # the style lower-cases titles
    for title in ("Finding Structure in Time", "Long Short-Term Memory", "Bidirectional Recurrent Neural Networks",
                  "On the Difficulty of Training Recurrent Neural Networks"):
        assert title.lower() in text, title
    lstm = (html_dir / "book" / "variants" / "lstm.html").read_text(encoding="utf-8")
    assert re.search(r'Hochreiter and Schmidhuber\s*\(<a class="reference internal" href="[^"]*bibliography\.html#',
                     lstm), "the citation of Hochreiter and Schmidhuber does not link to the bibliography"


SEARCH_HARNESS = r"""<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
<iframe id="frame" style="width:1200px;height:1600px;border:0"></iframe>
<pre id="__RESULT__"></pre>
<script>
const QUERIES = __QUERIES__;
function sleep(ms) { return new Promise(r => setTimeout(r, ms)); }
async function search(frame, q) {
  await new Promise(resolve => { frame.onload = resolve; frame.src = "book/search.html?q=" + encodeURIComponent(q); });
  const doc = frame.contentDocument;
  for (let i = 0; i < 300; i++) {
    const status = doc.querySelector("#search-results .search-summary, #search-results p");
    if (status && /found|did not match|no documents|Search finished/i.test(status.textContent)) break;
    await sleep(50);
  }
  await sleep(200);
  return {query: q, hrefs: Array.from(doc.querySelectorAll("#search-results ul.search li a"))
                             .map(a => a.getAttribute("href")),
          summary: (doc.querySelector("#search-results") || {textContent: ""}).textContent.slice(0, 200)};
}
(async () => {
  const frame = document.getElementById("frame"), out = [];
  for (const q of QUERIES) {
    try { out.push(await search(frame, q)); } catch (e) { out.push({query: q, error: String(e)}); }
  }
  document.getElementById("__RESULT__").textContent = JSON.stringify(out);
})();
</script></body></html>
""".replace("__RESULT__", browser_check.RESULT_ID)


def run_searches(chromium, html_dir, queries):
    """Type each query into the book's search page (search.html?q=...) in Chromium; the result links of each."""
    import html
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="search-check-") as site:
        site = Path(site)
        (site / "book").symlink_to(Path(html_dir).resolve(), target_is_directory=True)
        (site / "check.html").write_text(SEARCH_HARNESS.replace("__QUERIES__", json.dumps(queries)), encoding="utf-8")
        with browser_check.serve(site) as base:
            dom = browser_check.dump_dom(chromium, base + "check.html", budget_ms=20_000 * len(queries))
    m = re.search(rf'<pre id="{browser_check.RESULT_ID}">([\s\S]*?)</pre>', dom)
    assert m and m.group(1).strip(), f"the search harness wrote no result:\n{dom[:2000]}"
    return json.loads(html.unescape(m.group(1)))


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_search_finds_the_pages_that_teach_each_term(built_book):
    """In a real browser, the book's search finds, for every glossary term, the page the glossary says teaches it."""
    chromium = browser_check.require_chromium()
    require_html(built_book)
    wanted = {e.names[0]: e.page for e in entries()}
    results = run_searches(chromium, built_book.html_dir, list(wanted) + ["zzqxnotaword"])
    by_query = {r["query"]: r for r in results}
    assert not by_query["zzqxnotaword"].get("hrefs"), "a nonsense query found pages: the check would prove nothing"
    missed = []
    for term, page in wanted.items():
        r = by_query[term]
        pages = {re.sub(r"(\.html)?([?#].*)?$", "", h) for h in r.get("hrefs", [])}
        if page not in pages:
            missed.append(f"{term!r}: {page} not among {sorted(pages)[:8]} {r.get('error', '')}")
    assert not missed, "\n".join(missed)
