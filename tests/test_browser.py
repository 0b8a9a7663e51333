"""The built docs in a real browser: Debian's Chromium, offline, light and dark.

The docs are built (strict, with the local MathJax copy) and served on 127.0.0.1. Chromium,
driven by Playwright, opens every page. Every request to anything but that server is blocked
and recorded, and the test asserts there were none. It also checks that the breakdown tables
show the right cells, that every formula is typeset by MathJax with no error, and that text
stands out from its background in both of the theme's colour schemes.

Needs ``/usr/bin/chromium`` (or ``$CHROMIUM``) and ``docs/_static/mathjax3`` (MathJax 3 from
npm): ``bash .ci/browser-setup`` installs both. Never runs ``playwright install``.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DOCS = Path(__file__).parents[1] / "docs"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
MATHJAX = DOCS / "_static" / "mathjax3" / "tex-chtml.js"
HOW_TO_GET_THEM = "run `bash .ci/browser-setup` (it does both)"

# The pages whose tables are checked cell by cell.
SEED_HEADERS = ["Gate", "Input weights W", "Recurrent weights U", "Biases", "Total"]
NBSP = "\N{NO-BREAK SPACE}"  # products and sums never break inside, nor after "="
SEED_FIRST_ROW = [
    "input gate",
    f"4,096{NBSP}×{NBSP}256 ={NBSP}1,048,576",
    f"256{NBSP}×{NBSP}256 ={NBSP}65,536",
    "256",
    "1,114,368",
]
SEED_TOTAL_ROW = ["Total", "", "", "", "4,457,472"]

# Relative luminance and contrast ratio, as WCAG 2 defines them.
CONTRAST_JS = """
(selector) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const opaqueBackground = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg.length >= 3 && (bg.length === 3 || bg[3] > 0)) return bg;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor);
  };
  const lum = ([r, g, b]) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const el = document.querySelector(selector);
  if (!el) return null;
  const fg = parse(getComputedStyle(el).color), bg = opaqueBackground(el);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {color: fg, background: bg, backgroundLuminance: lum(bg), ratio: (a + 0.05) / (b + 0.05)};
}
"""


class QuietHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection per browser, not one per file

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def tools() -> None:
    """Skip, saying how to get them, when Chromium, MathJax or Playwright are missing."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium, or {HOW_TO_GET_THEM}")
    if not MATHJAX.is_file():
        pytest.skip(f"no offline MathJax at {MATHJAX.parent}: {HOW_TO_GET_THEM}")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright (no browser needed)")


@pytest.fixture(scope="module")
def built_docs(tools: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    command = [sys.executable, "-m", "sphinx", "-N", "-W", "-n", "--keep-going", "-q", "-b", "html"]
    command += ["-D", "mathjax_path=mathjax3/tex-chtml.js", str(DOCS), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (out / "_static" / "mathjax3" / "tex-chtml.js").is_file()
    return out


@pytest.fixture(scope="module")
def site(built_docs: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built_docs))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tools: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
        )
        yield chromium
        chromium.close()


class Visit:
    """A colour scheme's browser context that blocks and records every off-site request."""

    def __init__(self, browser: Any, site: str, scheme: str) -> None:
        self.site = site
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(
            color_scheme=scheme, viewport={"width": 1280, "height": 900}
        )
        self.context.route("**/*", self._route)
        # one tab for all pages: opening a tab per page costs more than the page itself
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.site + "/"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, name: str, typeset: bool = True) -> Any:
        """Load a page; with ``typeset``, wait until MathJax has typeset all of it."""
        self.page.goto(f"{self.site}/{name}", wait_until="load")
        if typeset:
            from playwright.sync_api import TimeoutError as PlaywrightTimeout

            try:
                self.page.wait_for_function(
                    "window.MathJax && MathJax.startup && MathJax.startup.promise",
                    timeout=10_000,
                )
            except PlaywrightTimeout:
                pytest.fail(f"{name}: MathJax never started; blocked requests: {self.blocked}")
            self.page.evaluate("MathJax.startup.promise")
        return self.page


def math_count(html: str) -> int:
    """Math nodes in Sphinx's HTML: display (div) and inline (span) with the class ``math``."""
    return len(re.findall(r'<(?:div|span) class="math notranslate nohighlight"', html))


def rows(page: Any, table: str) -> list[list[str]]:
    cells: list[list[str]] = page.eval_on_selector_all(
        f"{table} tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('th, td'), c => c.innerText.trim()))",
    )
    return cells


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_offline_and_typeset(
    browser: Any, site: str, built_docs: Path, scheme: str
) -> None:
    visit = Visit(browser, site, scheme)
    pages = sorted(path.name for path in built_docs.glob("*.html"))
    assert {"index.html", "tutorial.html", "usage.html", "conventions.html", "myst.html"} <= set(
        pages
    )
    typeset = 0
    for name in pages:
        expected = math_count((built_docs / name).read_text(encoding="utf-8"))
        page = visit.open(name, typeset=expected > 0)
        containers = page.locator("mjx-container").count()
        assert containers == expected, f"{name}: {containers} of {expected} formulas typeset"
        assert page.locator("mjx-merror").count() == 0, f"{name}: MathJax error"
        # every math element holds its typeset form, none is left as raw TeX
        untypeset = page.eval_on_selector_all(
            ".math", "els => els.filter(e => !e.querySelector('mjx-container')).length"
        )
        assert untypeset == 0, f"{name}: {untypeset} formulas left as TeX"
        # none is wider than the page's column on a desktop (the last "= 4,457,472" of the
        # tutorial's one-line formula was hidden behind a scrollbar in furo)
        wide = page.eval_on_selector_all(
            "div.math",
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1"
            " || (e.parentElement.scrollWidth > e.parentElement.clientWidth + 1))"
            ".map(e => e.innerText.slice(0, 60))",
        )
        assert wide == [], f"{name}: formulas wider than the column: {wide}"
        # and none sits in a box that scrolls vertically (docs/_static/custom.css)
        scrolling = page.eval_on_selector_all(
            "div.math-wrapper",
            "els => els.filter(e => getComputedStyle(e).overflowY !== 'hidden'"
            " && e.scrollHeight > e.clientHeight).length",
        )
        assert scrolling == 0, f"{name}: {scrolling} formulas with a vertical scrollbar"
        typeset += containers
    assert typeset > 20  # the site has many formulas; 0 would mean MathJax never ran
    assert visit.blocked == [], f"requests that left the machine: {visit.blocked}"
    assert visit.errors == []
    visit.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tables_and_formulas_read_well(browser: Any, site: str, scheme: str) -> None:
    visit = Visit(browser, site, scheme)
    page = visit.open("index.html")

    # the seed's table: numbered caption, header row, a gate row, the totals row
    table = "table#tbl-landing-seed"
    caption = page.locator(f"{table} caption").inner_text()
    assert caption.startswith("Table 1") and "Parameters of a Keras LSTM" in caption
    assert page.locator(f"{table} thead th").all_inner_texts() == SEED_HEADERS
    body = rows(page, f"{table} tbody")
    assert body[0] == SEED_FIRST_ROW
    assert [row[0] for row in body[:4]] == [
        "input gate",
        "forget gate",
        "cell candidate",
        "output gate",
    ]
    assert body[-1] == SEED_TOTAL_ROW
    assert page.locator("div.lstm-params p strong").first.inner_text() == "4,457,472"
    # the numbered formula, typeset with the numbers in
    formula = page.locator("div.lstm-params div.math mjx-container[display='true']")
    assert formula.count() == 1
    assert page.locator("div.lstm-params div.math span.eqno").inner_text().startswith("(1)")
    assert "4457472" in re.sub(r"\D", "", formula.inner_text())

    # text on the page, in a table cell and in a formula stands out from its background
    backgrounds = []
    for selector in (
        "article p",
        f"{table} tbody td",
        f"{table} thead th",
        "div.lstm-params mjx-container",
    ):
        result = page.evaluate(CONTRAST_JS, selector)
        assert result, f"{selector} not found"
        assert result["color"][:3] != result["background"][:3], (scheme, selector, result)
        assert result["ratio"] >= 4.5, (scheme, selector, result)
        backgrounds.append(result["backgroundLuminance"])
    # and the theme really is in the requested scheme
    assert (
        all(lum > 0.5 for lum in backgrounds)
        if scheme == "light"
        else all(lum < 0.1 for lum in backgrounds)
    )

    # the side-by-side framework table on the conventions page: the role in every cell
    page = visit.open("conventions.html", typeset=False)
    overview = rows(page, "table#tbl-conventions-overview")
    assert overview[0] == ["framework", "LSTM", "GRU", "simple RNN"]
    assert overview[1] == ["Keras (keras)", "4,457,472", "3,343,872", "1,114,368"]
    assert overview[2] == ["PyTorch (pytorch)", "4,458,496", "3,343,872", "1,114,624"]

    # the models page: each summary one box with its totals inside, right under the table; the
    # sentence that quotes a summary links to it; the second identical layer points to the first
    page = visit.open("models.html")
    boxes = page.evaluate(SUMMARY_BOX_JS)
    assert len(boxes) >= 4 and all(b["inside"] and 0 <= b["gap"] < 1.5 for b in boxes), boxes
    quote = page.locator("a.lstm-params-quote").first
    assert quote.inner_text() == "652,449" and quote.get_attribute("href") == "#model-sentiment"
    same = page.locator("div.lstm-params-model-same a.reference").first
    assert same.inner_text() == "bidirectional (Bidirectional)"
    assert same.get_attribute("href") == "#model-imdb-layer-2"
    assert page.evaluate("document.querySelectorAll('.lstm-params-scrolling').length") == 0

    # the benchmarks plot (transparent, black text) is shown inverted in the dark scheme, so
    # that it is not a white box and its text is light
    page = visit.open("benchmarks.html", typeset=False)
    plot = page.locator("img.invert-when-dark")
    assert plot.count() == 1 and plot.get_attribute("src").endswith(".svg")
    shown = plot.evaluate("img => getComputedStyle(img).filter")
    assert ("invert(1)" in shown) if scheme == "dark" else shown == "none", (scheme, shown)
    assert visit.blocked == [], f"requests that left the machine: {visit.blocked}"
    assert visit.errors == []
    visit.context.close()


# A model summary's box and where its totals are (as tests/test_themes.py checks them).
SUMMARY_BOX_JS = r"""
() => Array.from(document.querySelectorAll('div.lstm-params-model')).map((box) => {
  const b = box.getBoundingClientRect();
  const table = box.querySelector('table').getBoundingClientRect();
  const totals = box.querySelector('div.lstm-params-model-totals').getBoundingClientRect();
  const em = parseFloat(getComputedStyle(box).fontSize);
  const inside = (r) => r.top >= b.top - 1 && r.bottom <= b.bottom + 1
    && r.left >= b.left - 1 && r.right <= b.right + 1;
  return {inside: inside(table) && inside(totals), gap: (totals.top - table.bottom) / em,
          border: getComputedStyle(box).borderTopStyle};
})
"""


# -- the cell diagram: inline SVG in the theme's colours ------------------------------------------

DIAGRAM_JS = """
(selector) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (x, y) => {
    const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  const svg = document.querySelector(selector);
  if (!svg) return null;
  let background = null;
  for (let node = svg; node && !background; node = node.parentElement) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg.length === 3 || (bg.length === 4 && bg[3] > 0)) background = bg;
  }
  background = background || parse(getComputedStyle(document.documentElement).backgroundColor);
  const rects = Array.from(svg.querySelectorAll('rect')).map((r) => r.getBBox());
  const view = svg.viewBox.baseVal;
  return Array.from(svg.querySelectorAll('text')).map((t) => {
    const fill = parse(getComputedStyle(t).fill);
    const box = t.getBBox();
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    const inside = rects.filter(
      (r) => r.x <= cx && cx <= r.x + r.width && r.y <= cy && cy <= r.y + r.height);
    const fits = inside.every((r) => r.x <= box.x && box.x + box.width <= r.x + r.width);
    const onCanvas = box.x >= 0 && box.x + box.width <= view.width
      && box.y >= 0 && box.y + box.height <= view.height;
    return {text: t.textContent, fill, background, ratio: ratio(fill, background), fits, onCanvas,
            rendered: box.width > 0 && box.height > 0};
  });
}
"""


# -- the README's screenshot ------------------------------------------------------------------

README = Path(__file__).parents[1] / "README.md"
README_SHOT = DOCS / "readme" / "seed-furo-light.png"
README_SHOT_TEXT = README_SHOT.with_suffix(".txt")
README_ARTIFACTS = Path(__file__).parent / "_artifacts" / "readme"
UPDATE_README = "LSTMPARAMS_UPDATE_README_SHOT"
REGENERATE = (
    f"{UPDATE_README}=1 python -m pytest tests/test_browser.py -k readme"
    f" (then look at {README_SHOT.relative_to(DOCS.parent)} and commit it with its .txt)"
)

# What the screenshot shows, in words: the block's answer, caption, table, formula and notes.
DESCRIBE_JS = """
(block) => {
  const text = (el) => el ? el.innerText.replace(/\\s+/g, ' ').trim() : '';
  const lines = [];
  lines.push('answer: ' + text(block.querySelector(':scope > p')));
  lines.push('caption: ' + text(block.querySelector('table caption')));
  for (const row of block.querySelectorAll('table tr'))
    lines.push('row: ' + Array.from(row.children, (cell) => text(cell) || '-').join(' | '));
  for (const item of MathJax.startup.document.getMathItemsWithin(block))
    if (item.display) lines.push('formula: ' + item.math.replace(/\\s+/g, ' ').trim());
  const eqno = block.querySelector('span.eqno');
  if (eqno) lines.push('equation number: ' + eqno.firstChild.textContent.trim());
  for (const p of block.querySelectorAll(':scope > p:not(:first-child)'))
    lines.push('line: ' + text(p));
  for (const li of block.querySelectorAll('ul li')) lines.push('note: ' + text(li));
  return lines.join('\\n');
}
"""


def png_pixels(data: bytes) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    idat = b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IDAT":
            idat += body
        chunks[kind] = body
        offset += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * step
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (
                    line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        rows.append(line)
        previous = line
    return [tuple(row[x : x + 3]) for row in rows for x in range(0, stride, step)]  # type: ignore[misc]


def luminance(rgb: tuple[int, int, int]) -> float:
    def linear(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_cell_diagram_reads_in_both_schemes(
    browser: Any, site: str, scheme: str, tmp_path: Path
) -> None:
    visit = Visit(browser, site, scheme)
    page = visit.open("tutorial.html")
    figure = page.locator("figure#fig-tutorial-seed")
    assert figure.locator("figcaption").inner_text().startswith("Fig. 1")
    assert figure.locator("svg > title").count() == 1 and figure.locator("svg > desc").count() == 1
    shot = tmp_path / f"diagram-{scheme}.png"
    figure.locator("svg").screenshot(path=str(shot))
    labels = page.evaluate(DIAGRAM_JS, "figure#fig-tutorial-seed svg")
    assert labels and len(labels) > 20
    for label in labels:  # every label drawn, legible, inside its box and the picture
        assert label["rendered"] and label["fits"] and label["onCanvas"], (scheme, label)
        assert label["ratio"] >= 4.5, (scheme, label)
    background = labels[0]["background"]
    assert (luminance(tuple(background[:3])) > 0.5) == (scheme == "light")

    # and in the pixels: a label's own screenshot has ink that stands out from the page
    label = page.locator("figure#fig-tutorial-seed svg text", has_text="element-wise")
    pixels = png_pixels(label.screenshot())
    page_lum = luminance(tuple(background[:3]))
    ink = [
        p
        for p in pixels
        if (max(luminance(p), page_lum) + 0.05) / (min(luminance(p), page_lum) + 0.05) >= 3
    ]
    assert len(ink) > len(pixels) // 20, (scheme, len(ink), len(pixels))
    assert shot.stat().st_size > 0
    assert visit.blocked == [] and visit.errors == []
    visit.context.close()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_readme_screenshot_is_current(browser: Any, site: str) -> None:
    """The README shows the seed example as this build renders it (furo, light, 1280 px).

    The screenshot is made here from the built docs, with a text file of what it shows (every
    cell, the formula, the notes, its size in pixels). The test fails when the committed text
    differs from the current build's, so the picture cannot silently drift from the code."""
    visit = Visit(browser, site, "light")  # a 1280 px wide window
    page = visit.open("index.html")
    page.evaluate("document.fonts.ready")
    block = page.locator("div.lstm-params").first
    README_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = README_ARTIFACTS / README_SHOT.name
    block.screenshot(path=str(shot), animations="disabled")
    width, height = png_size(shot.read_bytes())
    described = block.evaluate(DESCRIBE_JS)
    assert visit.blocked == [] and visit.errors == []
    visit.context.close()
    text = (
        f"{README_SHOT.name}: the seed example of docs/index.rst as the HTML build renders it\n"
        f"(furo, light, 1280 px wide window), {width} x {height} px. Made by {__name__}.\n"
        f"{described}\n"
    )
    assert "row: Total | - | - | - | 4,457,472" in text and "formula: " in text, text
    if os.environ.get(UPDATE_README):
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        README_SHOT.write_bytes(shot.read_bytes())
        README_SHOT_TEXT.write_text(text, encoding="utf-8")
    committed = README_SHOT_TEXT.read_text(encoding="utf-8") if README_SHOT_TEXT.exists() else ""
    assert committed == text, f"the README's screenshot is out of date: {REGENERATE}"
    assert png_size(README_SHOT.read_bytes()) == (width, height), REGENERATE
    assert f"]({README_SHOT.relative_to(DOCS.parent)})" in README.read_text(encoding="utf-8")
