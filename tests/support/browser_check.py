"""Open built pages in headless Chromium and report what the live DOM looks like.

No extra Python dependency: Chromium's own ``--dump-dom`` prints the DOM after
the page's scripts ran (``--virtual-time-budget`` lets MathJax finish first), and
``--screenshot`` saves a PNG. For checks that need JavaScript (``img.complete``,
``naturalWidth``) a small harness page, served from the same origin as the book,
loads each page in an iframe, waits for MathJax, inspects the iframe's document
and writes the findings as JSON into its own DOM, which ``--dump-dom`` prints.

Command line (for looking at a page by hand)::

    python tests/support/browser_check.py screenshot _build/html book/math.html /tmp/math.png
    python tests/support/browser_check.py check _build/html book/math.html book/first_rnn.html
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

if __package__:
    from .processes import free_port, stop_process, wait_for_port
else:                                  # run as a script: python tests/support/browser_check.py ...
    from processes import free_port, stop_process, wait_for_port

#: Headless, no sandbox (containers run as root), and no network traffic of its own.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
RESULT_ID = "rnncourse-browser-result"


def find_chromium() -> str | None:
    """The browser to use: $CHROMIUM if set, else the first of CHROMIUM_NAMES on PATH."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if shutil.which(env) else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def on_ci() -> bool:
    """Whether the tests run under CI (``CI`` set to anything but ``""``, ``0``, ``false``, ``no``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium() -> str:
    """The browser for a test; the test is skipped without one, or fails under CI (see :func:`on_ci`)."""
    import pytest

    path = find_chromium()
    if path:
        return path
    message = ("Chromium is not installed (looked for $CHROMIUM and "
               f"{', '.join(CHROMIUM_NAMES)}); install it with `apt-get install -y chromium`")
    if on_ci():
        pytest.fail(message + " -- required when CI is set")
    pytest.skip(message)


@contextlib.contextmanager
def serve(directory: Path, timeout: float = 15.0):
    """Serve ``directory`` with ``python -m http.server`` on 127.0.0.1; yield the base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for_port(port, proc, timeout=timeout, what="http.server", poll=0.1)
        yield base
    finally:
        stop_process(proc, timeout=5)


def run_chromium(chromium: str, url: str, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Run one headless Chromium on ``url`` with a fresh, throw-away profile."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def dump_dom(chromium: str, url: str, budget_ms: int = 10_000) -> str:
    """The serialized DOM of ``url`` after its scripts ran for ``budget_ms`` of virtual time."""
    return run_chromium(chromium, url, f"--virtual-time-budget={budget_ms}", "--dump-dom").stdout


def screenshot(chromium: str, url: str, out: Path, size=(1200, 2000), budget_ms: int = 10_000) -> Path:
    """Save a PNG of ``url`` as rendered in a ``size`` window after ``budget_ms`` of virtual time."""
    out = Path(out).resolve()
    run_chromium(chromium, url, f"--virtual-time-budget={budget_ms}", f"--window-size={size[0]},{size[1]}",
                 f"--screenshot={out}")
    if not out.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot to {out}")
    return out


# The harness: loads each page (same origin) in an iframe, waits for MathJax and the images,
# and reports per page. Everything it measures comes from the live DOM.
HARNESS = r"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>rnncourse browser check</title></head>
<body>
<iframe id="frame" style="width:1200px;height:2000px;border:0"></iframe>
<pre id="__RESULT__"></pre>
<script>
const PAGES = __PAGES__;
const WANT_TEXT = __WANT_TEXT__;
const PAGE_TIMEOUT_MS = 20000;
const TEX = /\\\(|\\\)|\\\[|\\\]|\$\$/;

function sleep(ms) { return new Promise(r => setTimeout(r, ms)); }
function withTimeout(p, ms, what) {
  return Promise.race([p, sleep(ms).then(() => { throw new Error("timeout: " + what); })]);
}
function load(frame, url) {
  return new Promise((resolve, reject) => {
    frame.onload = () => resolve();
    frame.onerror = () => reject(new Error("iframe error"));
    frame.src = url;
  });
}
function textOutside(node, skip) {
  // text of node's subtree, leaving out elements matched by the selector `skip`
  let out = [];
  const walker = node.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT, {
    acceptNode(t) {
      return t.parentElement && t.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT
                                                               : NodeFilter.FILTER_ACCEPT;
    }});
  while (walker.nextNode()) out.push(walker.currentNode.data);
  return out.join("");
}
async function inspect(frame, url) {
  const r = {url: url, errors: []};
  await withTimeout(load(frame, url), PAGE_TIMEOUT_MS, "page load");
  const win = frame.contentWindow, doc = frame.contentDocument;
  // MathJax loaded from a file, or inlined into the page (the assignments' feedback pages)
  r.has_mathjax_script = !!doc.querySelector('script[src*="mathjax"], script#MathJax-script');
  r.mathjax_src = (doc.querySelector('script[src*="mathjax"]') || {}).src || null;
  if (r.has_mathjax_script) {
    for (let i = 0; i < 200 && !(win.MathJax && win.MathJax.startup && win.MathJax.startup.promise); i++)
      await sleep(50);
    if (win.MathJax && win.MathJax.startup && win.MathJax.startup.promise) {
      await withTimeout(win.MathJax.startup.promise, PAGE_TIMEOUT_MS, "MathJax typesetting");
      r.mathjax_version = win.MathJax.version || null;
    } else {
      r.errors.push("MathJax did not start");
    }
  }
  const imgs = Array.from(doc.images);
  await withTimeout(Promise.all(imgs.map(img => img.complete ? null :
      new Promise(res => { img.addEventListener("load", res); img.addEventListener("error", res); }))),
      PAGE_TIMEOUT_MS, "images");
  r.images = imgs.map(img => ({src: img.getAttribute("src"), alt: img.getAttribute("alt"),
                               complete: img.complete, naturalWidth: img.naturalWidth,
                               naturalHeight: img.naturalHeight}));
  const maths = Array.from(doc.querySelectorAll(".math"));
  r.math_elements = maths.length;
  r.mjx_containers = doc.querySelectorAll("mjx-container").length;
  r.math_without_mjx = maths.filter(m => !m.querySelector("mjx-container")).length;
  r.raw_tex_in_math = maths.map(m => textOutside(m, "mjx-container")).filter(t => TEX.test(t))
                           .map(t => t.slice(0, 120));
  const prose = textOutside(doc.body, "mjx-container, pre, code, script, style, textarea");
  r.raw_tex_in_text = (prose.match(/.{0,40}(\\\(|\\\[|\$\$).{0,40}/g) || []).slice(0, 20);
  // $...$ left over: inline math that was not typeset (pages whose source uses dollar signs)
  r.dollar_math_in_text = (prose.match(/.{0,40}\$[^$\s][^$\n]{0,80}\$.{0,40}/g) || []).slice(0, 20);
  r.external_resources = Array.from(doc.querySelectorAll("script[src], link[href], img[src], iframe[src]"))
      .map(e => e.getAttribute("src") || e.getAttribute("href"))
      .filter(u => /^(https?:)?\/\//.test(u));
  if (WANT_TEXT) r.text = doc.body.innerText;
  // TeX errors (MathJax shows the message in place of the formula) and undefined macros
  // (MathJax's "noundefined" extension prints their name in red instead of failing)
  r.merrors = Array.from(doc.querySelectorAll("mjx-merror"))
                   .map(e => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 120))
                   .concat(Array.from(doc.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]'))
                                .map(e => "undefined macro " + e.textContent.slice(0, 80)));
  return r;
}
(async () => {
  const frame = document.getElementById("frame");
  const results = [];
  for (const url of PAGES) {
    try { results.push(await inspect(frame, url)); }
    catch (e) { results.push({url: url, errors: [String(e)]}); }
  }
  document.getElementById("__RESULT__").textContent = JSON.stringify(results);
})();
</script>
</body></html>
""".replace("__RESULT__", RESULT_ID)


def check_pages(chromium: str, html_dir: Path, pages: list[str], budget_ms: int | None = None,
                want_text: bool = False) -> list[dict]:
    """Inspect ``pages`` (paths relative to ``html_dir``) in one Chromium run; one dict per page.

    ``html_dir`` is served next to the harness (through a symlink, so the build
    is not modified). With ``want_text``, each dict also holds the page's rendered
    text (``innerText``) under ``"text"``.
    """
    budget_ms = budget_ms or 15_000 * max(1, len(pages))
    with tempfile.TemporaryDirectory(prefix="browser-check-") as site:
        site = Path(site)
        (site / "book").symlink_to(Path(html_dir).resolve(), target_is_directory=True)
        harness = (HARNESS.replace("__PAGES__", json.dumps([f"book/{p}" for p in pages]))
                   .replace("__WANT_TEXT__", json.dumps(want_text)))
        (site / "check.html").write_text(harness, encoding="utf-8")
        with serve(site) as base:
            dom = dump_dom(chromium, base + "check.html", budget_ms=budget_ms)
    m = re.search(rf'<pre id="{RESULT_ID}">([\s\S]*?)</pre>', dom)
    if not m or not m.group(1).strip():
        raise RuntimeError("the harness wrote no result (did the virtual-time budget run out?); "
                           f"DOM dump starts with:\n{dom[:2000]}")
    return json.loads(html.unescape(m.group(1)))


def fetch_image_kind(url: str) -> str | None:
    """``"png"``, ``"svg"``, ``"jpeg"`` or ``"gif"`` if ``url`` serves a valid-looking image, else None."""
    with urllib.request.urlopen(url, timeout=10) as resp:
        data = resp.read()
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 33 and data[12:16] == b"IHDR":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return "png" if width > 0 and height > 0 else None
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    head = data[:2000].decode("utf-8", errors="replace").lstrip()
    if re.match(r"(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]", head):
        return "svg"
    return None


def _main(argv: list[str]) -> int:
    chromium = find_chromium()
    if not chromium:
        print("no Chromium found; install it with: apt-get install -y chromium", file=sys.stderr)
        return 2
    if len(argv) == 4 and argv[0] == "screenshot":
        html_dir, page, out = Path(argv[1]), argv[2], Path(argv[3])
        with serve(html_dir) as base:
            print(screenshot(chromium, base + page, out))
        return 0
    if len(argv) >= 3 and argv[0] == "check":
        print(json.dumps(check_pages(chromium, Path(argv[1]), argv[2:]), indent=1))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
