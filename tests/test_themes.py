"""Our output in five themes, light and dark, on a desktop and on a phone, in a real browser.

One page of representative directives (a single layer, a 2-layer bidirectional PyTorch GRU, a
PyTorch projection, TF1 peepholes with a projection, a stack with ``:rows: gates``) is built
with alabaster, furo, sphinx-rtd-theme, pydata-sphinx-theme and sphinx-book-theme, and opened
in Debian's Chromium at 1280 and 390 px wide with ``prefers-color-scheme`` light and dark
(pydata and book follow it; furo too; rtd and alabaster have no dark mode and must stay readable
anyway). For each it asserts:

* at 1280 px no table or formula of ours is wider than its container (no scrolling on desktop);
* at both widths every number of the Total column is fully visible: inside the viewport and
  inside every box that clips it;
* at 390 px the page itself never scrolls sideways;
* the labels (caption, header, row labels, the sticky first and last cells, the answer) have a
  contrast of at least 4.5 against their real background, in both schemes;
* the formulas are typeset without error and nothing left the machine.

Every combination's full-page screenshot goes to ``tests/_artifacts/themes/`` (git-ignored),
``THEME-SCHEME-WIDTH.png``; look at them after a change of the stylesheet
(``sphinxcontrib_lstmparams/sphinxext/static/lstm-params.css``).

Skips, saying what to install, without Chromium or the offline MathJax (``bash
.ci/browser-setup``) and per theme when the theme is not installed (``pip install -e
".[test,themes]"``; the themes are an extra of their own, see pyproject.toml).
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _browser_module() -> ModuleType:
    """tests/test_browser.py's helpers (CONTRAST_JS, Visit, ...), without copying them."""
    path = Path(__file__).with_name("test_browser.py")
    spec = importlib.util.spec_from_file_location("_lstmparams_browser_helpers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BROWSER = _browser_module()
CONTRAST_JS: str = BROWSER.CONTRAST_JS
ARTIFACTS = Path(__file__).parent / "_artifacts" / "themes"

# theme name -> the module that must be importable for it
THEMES = {
    "alabaster": "alabaster",
    "furo": "furo",
    "sphinx_rtd_theme": "sphinx_rtd_theme",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
    "sphinx_book_theme": "sphinx_book_theme",
}
SCHEMES = ["light", "dark"]
WIDTHS = [1280, 390]
HEIGHT = 900

PAGE = """\
Our output in this theme
========================

Every block below is written by the ``lstm-params`` directive; this paragraph is the theme's
own text, for comparison.

A single layer
--------------

.. lstm-params::
   :units: 256
   :input-dim: 4096
   :timesteps: 16
   :label: eq-single

A two-layer bidirectional PyTorch GRU
-------------------------------------

.. lstm-params::
   :cell: gru
   :framework: pytorch
   :units: 128
   :input-dim: 64
   :layers: 2
   :bidirectional:

A PyTorch LSTM with a projection
--------------------------------

.. lstm-params::
   :framework: pytorch
   :units: 1024
   :input-dim: 4096
   :proj-size: 256
   :layers: 2

TensorFlow 1 peepholes with a projection
----------------------------------------

.. lstm-params::
   :framework: tensorflow-v1
   :units: 1024
   :input-dim: 4096
   :peepholes:
   :proj-size: 256

A stack, one row per gate
-------------------------

.. lstm-params::
   :units: 256
   :input-dim: 4096
   :layers: 2
   :bidirectional:
   :rows: gates

A whole model
-------------

.. model-summary::
   :show: summary

   keras.Input(shape=(None,), dtype="int32")
   layers.Embedding(20000, 128)
   layers.Bidirectional(layers.LSTM(64, return_sequences=True))
   layers.Bidirectional(layers.LSTM(64))
   layers.Dense(1, activation="sigmoid")
"""

# The model summary's Param # column: right-aligned, the digits' right edges in one line.
PARAM_COLUMN_JS = r"""
() => {
  const cells = [...document.querySelectorAll(
    'table.lstm-params-model-table td.lstm-params-number')];
  return cells.map((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const text = range.getBoundingClientRect();
    const box = td.getBoundingClientRect();
    const pad = parseFloat(getComputedStyle(td).paddingRight);
    return {text: td.innerText.trim(), align: getComputedStyle(td).textAlign,
            right: text.right, gap: box.right - pad - text.right,
            visible: text.width > 0 && text.right <= window.innerWidth + 0.5};
  });
}
"""

CONF = """\
project = "Theme matrix"
# short, so that no theme's own header is wider than a phone
html_title = "Themes"
extensions = ["sphinxcontrib_lstmparams"]
html_theme = {theme!r}
html_static_path = ["_static"]
mathjax_path = "mathjax3/tex-chtml.js"
numfig = True
"""

# What the page measures, in one pass. Boxes are compared in CSS pixels with 1 px of slack.
MEASURE_JS = r"""
(atEnd) => {
  const findings = [];
  const slack = 1;
  const where = (el) => {
    const block = el.closest('div.lstm-params');
    const blocks = Array.from(document.querySelectorAll('div.lstm-params'));
    return `block ${blocks.indexOf(block) + 1}`;
  };
  // every ancestor that clips horizontally, from el up (el included)
  const clippers = (el) => {
    const boxes = [];
    for (let n = el; n && n !== document.documentElement; n = n.parentElement) {
      if (getComputedStyle(n).overflowX !== 'visible') boxes.push(n);
    }
    return boxes;
  };
  const wider = (el) => el.scrollWidth > el.clientWidth + slack;
  // the boxes of the text itself, one per line (an element's own box may be wider)
  const textRects = (el) => {
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0));
    }
    return rects;
  };

  // 1. tables and formulas that need scrolling: every box from them up to our block, and
  //    our block against its parent
  const overflowing = [];
  for (const table of document.querySelectorAll('div.lstm-params table')) {
    for (let n = table.parentElement; n; n = n.parentElement) {
      if (wider(n)) overflowing.push(`${where(table)}: table scrolls in `
        + `${n.tagName}.${n.className} (${n.scrollWidth} > ${n.clientWidth} px)`);
      if (n.matches('div.lstm-params')) break;
    }
  }
  for (const math of document.querySelectorAll('div.lstm-params div.math')) {
    const box = math.getBoundingClientRect();
    const jax = math.querySelector('mjx-container');
    const typeset = math.querySelector('mjx-container > mjx-math') || jax;
    if (wider(math)) overflowing.push(`${where(math)}: formula scrolls (${math.scrollWidth} > `
      + `${math.clientWidth} px)`);
    if (jax) {
      const formula = jax.getBoundingClientRect();
      if (formula.right > box.right + slack || formula.left < box.left - slack)
        overflowing.push(`${where(math)}: formula ${formula.left}..${formula.right} outside `
          + `its box ${box.left}..${box.right}`);
    }
    const eqno = math.querySelector('span.eqno');
    if (eqno && jax) {
      const a = eqno.getBoundingClientRect(), b = typeset.getBoundingClientRect();
      const apart = a.right <= b.left || a.left >= b.right
        || a.bottom <= b.top || a.top >= b.bottom;
      if (!apart) findings.push(`${where(math)}: the equation number overlaps the formula`);
    }
  }
  for (const block of document.querySelectorAll('div.lstm-params')) {
    const parent = block.parentElement.getBoundingClientRect();
    const own = block.getBoundingClientRect();
    if (own.right > parent.right + slack) overflowing.push(`${where(block)}: wider than its parent `
      + `(${own.right} > ${parent.right})`);
  }

  // 2. the Total column: every number fully visible (in a table that scrolls: once scrolled to
  //    its end, where the last column comes to rest)
  const hidden = [];
  const totals = 'div.lstm-params table > tbody > tr > :last-child,'
    + ' div.lstm-params table > thead > tr > :last-child';
  for (const cell of document.querySelectorAll(totals)) {
    const text = cell.innerText.trim();
    const box = cell.closest('div.lstm-params-scroll');
    if (!text || (!atEnd && box && box.scrollWidth > box.clientWidth + slack)) continue;
    for (const r of textRects(cell)) {
      if (r.left < -slack || r.right > window.innerWidth + slack)
        hidden.push(`${where(cell)}: "${text}" off-screen (${r.left}..${r.right})`);
      for (const clip of clippers(cell)) {
        const c = clip.getBoundingClientRect();
        const left = c.left + clip.clientLeft, right = left + clip.clientWidth;
        if (r.left < left - slack || r.right > right + slack)
          hidden.push(`${where(cell)}: "${text}" cut by ${clip.tagName}.${clip.className} `
            + `(${r.left}..${r.right} outside ${left}..${right})`);
      }
    }
    if (cell.scrollWidth > cell.clientWidth + slack)
      hidden.push(`${where(cell)}: "${text}" wider than its cell`);
  }

  // 3. a cell that stays in view while the table scrolls covers what scrolls under it
  const cells = 'div.lstm-params table th, div.lstm-params table td';
  for (const cell of document.querySelectorAll(cells)) {
    if (getComputedStyle(cell).position !== 'sticky') continue;
    const bg = (getComputedStyle(cell).backgroundColor.match(/[\d.]+/g) || []).map(Number);
    if (bg.length < 3 || (bg.length === 4 && bg[3] < 1))
      findings.push(`${where(cell)}: sticky cell "${cell.innerText.trim()}" is see-through `
        + `(${getComputedStyle(cell).backgroundColor})`);
  }

  // 4. lines a number or product was broken over
  const broken = [];
  for (const cell of document.querySelectorAll('div.lstm-params td.lstm-params-number')) {
    const lines = new Set(textRects(cell).map((r) => Math.round(r.top)));
    if (lines.size > 2)
      broken.push(`${where(cell)}: "${cell.innerText.trim()}" on ${lines.size} lines`);
  }

  return {
    overflowing, hidden, broken, findings,
    pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
    blocks: document.querySelectorAll('div.lstm-params').length,
    tables: document.querySelectorAll('div.lstm-params table').length,
  };
}
"""

# On a phone, a table that scrolls says so and shows whole cells: the box is marked as
# scrolling (lstm-params.js) exactly when it does; a fade covers its right edge while more is
# to the right, and only then; no text is cut by the sticky row labels, which stay at the
# box's left edge; text cut by the box's right edge is under the fade. Run with every box at
# the start, after one swipe (the columns snap) and at the end.
SCROLL_JS = r"""
() => {
  const slack = 1;
  const findings = [];
  const textRects = (el) => {
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      rects.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0));
    }
    return rects;
  };
  const boxes = Array.from(document.querySelectorAll('div.lstm-params-scroll'));
  boxes.forEach((box, index) => {
    const at = `table ${index + 1} at ${Math.round(box.scrollLeft)} px`;
    const max = box.scrollWidth - box.clientWidth;
    const scrolls = max > slack;
    if (box.classList.contains('lstm-params-scrolling') !== scrolls)
      findings.push(`${at}: marked ${!scrolls} as scrolling (${max} px to scroll)`);
    const cue = box.querySelector(':scope > div.lstm-params-scroll-cue');
    const shown = cue && Number(getComputedStyle(cue).opacity) > 0.5;
    const more = scrolls && box.scrollLeft < max - 8;
    if (shown !== more) findings.push(`${at}: the fade is ${shown ? 'shown' : 'hidden'} `
      + `with ${Math.round(max - box.scrollLeft)} px to the right`);
    const b = box.getBoundingClientRect();
    const left = b.left + box.clientLeft, right = left + box.clientWidth;
    const rows = Array.from(box.querySelectorAll('table tr'));
    const stub = rows[0] && rows[0].children[0];
    const sticky = stub && getComputedStyle(stub).position === 'sticky';
    const labels = sticky ? stub.getBoundingClientRect().right : left;
    const away = sticky && Math.abs(stub.getBoundingClientRect().left - left) > slack;
    if (away && box.scrollLeft > slack)
      findings.push(`${at}: the row labels left the box's edge`);
    for (const row of rows) {
      Array.from(row.children).forEach((cell, column) => {
        if (column === 0 && sticky) return;
        for (const r of textRects(cell)) {
          if (r.left < labels - slack && r.right > labels + slack)
            findings.push(`${at}: "${cell.innerText.trim()}" cut by the row labels`);
          if (!shown && r.left < right - slack && r.right > right + slack)
            findings.push(`${at}: "${cell.innerText.trim()}" cut at the edge, with no fade`);
        }
      });
    }
  });
  return findings;
}
"""

# A model summary is one box: its table, then its totals right under it, inside the box.
SUMMARY_BOX_JS: str = BROWSER.SUMMARY_BOX_JS

# The labels whose contrast is checked, in every block: the caption, a header, the sticky row
# label and Total cells (head and body), the totals row and the answer sentence.
LABELS = [
    "table caption",
    "table > thead > tr > th:first-child",
    "table > thead > tr > th:nth-child(2)",
    "table > thead > tr > :last-child",
    "table > tbody > tr:first-child > :first-child",
    "table > tbody > tr:first-child > :nth-child(2)",
    "table > tbody > tr:first-child > :last-child",
    "table > tbody > tr.lstm-params-total > :first-child",
    "table > tbody > tr.lstm-params-total > :last-child",
    "> p",
]


@pytest.fixture(scope="module")
def sites(tools: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The page built with every installed theme: theme -> output folder (after the check
    for Chromium and Playwright, so that a machine without them skips at once)."""
    mathjax = BROWSER.MATHJAX.parent
    if not mathjax.is_dir() or not BROWSER.MATHJAX.is_file():
        pytest.skip(f"no offline MathJax at {mathjax}: {BROWSER.HOW_TO_GET_THEM}")
    base = tmp_path_factory.mktemp("themes")
    built = {}
    for theme, module in THEMES.items():
        if importlib.util.find_spec(module) is None:
            continue
        src, out = base / "src" / theme, base / "html" / theme
        (src / "_static").mkdir(parents=True)
        shutil.copytree(mathjax, src / "_static" / "mathjax3")
        (src / "conf.py").write_text(CONF.format(theme=theme), encoding="utf-8")
        (src / "index.rst").write_text(PAGE, encoding="utf-8")
        command = [sys.executable, "-m", "sphinx", "-N", "-W", "-n", "--keep-going", "-q"]
        done = subprocess.run(
            [*command, "-b", "html", str(src), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{theme}:\n{done.stderr}"
        built[theme] = out
    return built


@pytest.fixture(scope="module")
def server(sites: dict[str, Path]) -> Iterator[str]:
    if not sites:
        pytest.skip("no theme installed")
    root = next(iter(sites.values())).parent
    handler = functools.partial(BROWSER.QuietHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def artifacts(request: pytest.FixtureRequest) -> Iterator[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    yield ARTIFACTS
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    shots = len(list(ARTIFACTS.glob("*.png")))
    if reporter is not None and capture is not None and shots:
        with capture.global_and_fixture_disabled():  # printed even when the tests pass
            reporter.write_line(f"\ntheme matrix: {shots} screenshots in {ARTIFACTS}")


def contrast_problems(page: Any) -> list[str]:
    """Every label of every block of ours with a contrast below 4.5, in one round trip."""
    results = page.evaluate(CONTRAST_ALL_JS, LABELS)
    return [
        f"block {r['block']} {r['label']!r}: contrast {r['ratio']:.2f} "
        f"(text {r['color']} on {r['background']})"
        for r in results
        if r["ratio"] < 4.5
    ]


# CONTRAST_JS takes one selector; our blocks are many, so each label's element is marked in
# turn and handed to the shared function by a selector that names it alone.
CONTRAST_ALL_JS = f"""
(labels) => {{
  const contrast = ({CONTRAST_JS});
  const results = [];
  document.querySelectorAll('div.lstm-params').forEach((block, index) => {{
    for (const label of labels) {{
      const el = block.querySelector(label.startsWith('>') ? `:scope ${{label}}` : label);
      if (!el || !el.innerText.trim()) continue;
      el.setAttribute('data-contrast-probe', '');
      try {{
        results.push({{...contrast('[data-contrast-probe]'), block: index + 1, label}});
      }} finally {{
        el.removeAttribute('data-contrast-probe');
      }}
    }}
  }});
  return results;
}}
"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("theme", list(THEMES))
def test_our_output_in_the_theme(
    theme: str,
    scheme: str,
    sites: dict[str, Path],
    server: str,
    artifacts: Path,
    tools: None,
    browser: Any,
) -> None:
    if theme not in sites:
        pytest.skip(f"theme {theme} is not installed: pip install -e '.[test,themes]'")
    problems: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(
            color_scheme=scheme, viewport={"width": width, "height": HEIGHT}
        )

        def route(route: Any) -> None:
            if route.request.url.startswith(server + "/"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server}/{theme}/index.html", wait_until="load")
        page.wait_for_function(
            "window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=10_000
        )
        page.evaluate("MathJax.startup.promise")
        page.evaluate("document.fonts.ready")
        shot = artifacts / f"{theme}-{scheme}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)

        at = f"{width}px"
        for found in page.evaluate(SUMMARY_BOX_JS):
            if not found["inside"] or not 0 <= found["gap"] < 1.5 or found["border"] == "none":
                problems.append(f"{at}: the totals are not in the summary's box: {found}")
        problems += [f"{at} at the start: {p}" for p in page.evaluate(SCROLL_JS)]
        m = page.evaluate(MEASURE_JS, False)
        assert m["blocks"] == 6 and m["tables"] == 6, m
        params = page.evaluate(PARAM_COLUMN_JS)
        assert [p["text"] for p in params] == ["2,560,000", "98,816", "98,816", "129"], params
        for cell in params:
            # flush right: at most a few pixels of the theme's own inner spacing to spare
            if cell["align"] != "right" or not -1 <= cell["gap"] <= 8:
                problems.append(f"{at}: Param # {cell['text']} is not right-aligned: {cell}")
        if len({round(cell["right"]) for cell in params}) > 1:
            problems.append(f"{at}: the Param # digits do not line up: {params}")
        assert page.locator("div.lstm-params div.math mjx-container").count() == 5, at
        assert page.locator("mjx-merror").count() == 0, at
        if width >= 1000:
            problems += [f"{at}: {p}" for p in m["overflowing"]]
        problems += [f"{at}: {p}" for p in m["hidden"] + m["broken"] + m["findings"]]
        if m["pageWidth"] > m["viewport"]:
            problems.append(f"{at}: the page scrolls sideways ({m['pageWidth']} px wide)")
        problems += [f"{at}: {p}" for p in contrast_problems(page)]
        assert len(page.evaluate(CONTRAST_ALL_JS, LABELS)) >= 5 * 8, "labels not found"
        scrolling = page.locator("div.lstm-params-scroll.lstm-params-scrolling").count()
        if width < 1000:  # one swipe, then the end: the columns come to rest whole
            assert scrolling >= 4, f"{at}: {scrolling} tables scroll"
            for step, move in (
                ("after a swipe", "scrollBy({left: 70"),
                ("at the end", "scrollTo({left: 1e6"),
            ):
                page.evaluate(f"() => document.querySelectorAll('div.lstm-params-scroll')"
                              f".forEach((b) => b.{move}, behavior: 'instant'}}))")  # fmt: skip
                page.wait_for_timeout(300)
                problems += [f"{at} {step}: {p}" for p in page.evaluate(SCROLL_JS)]
            end = page.evaluate(MEASURE_JS, True)
            problems += [f"{at} at the end: {p}" for p in end["hidden"] + end["findings"]]
            page.screenshot(
                path=str(artifacts / f"{theme}-{scheme}-{width}-end.png"), full_page=True
            )
        else:
            assert scrolling == 0, f"{at}: {scrolling} tables scroll on a desktop"
        context.close()
    assert not blocked, f"requests that left the machine: {blocked}"
    assert not errors, errors
    assert not problems, f"{theme} {scheme} (screenshots in {artifacts}):\n" + "\n".join(problems)


# The browser and tool checks of tests/test_browser.py, as fixtures of this module too.
tools = BROWSER.tools
browser = BROWSER.browser
