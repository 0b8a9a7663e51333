"""What a reader meets on a model page, in reST and MyST, in the HTML, the text and the PDF:
the totals in the summary's box (and on its page), one breakdown for identical layers, a
warning box for a model with lines that could not be read, the base of every size unit, a
count quoted in prose, ids that never take an author's, and LaTeX tables that fit their
columns and stay with their headings.

One small project, built once per builder; the browser checks of the same pages (scroll cue,
sticky labels, the totals within the box) are in ``tests/test_themes.py``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import count_params, counting
from sphinxcontrib_lstmparams.spec import OptionError

Project = Callable[..., Any]
Compile = Callable[..., str]

CONF = """\
project = "Model page"
author = "Tests"
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
numfig = True
latex_documents = [("index", "models.tex", "Model page", "Tests", "howto")]
"""

IMDB = """\
   keras.Input(shape=(None,), dtype="int32")
   layers.Embedding(20000, 128)
   layers.Bidirectional(layers.LSTM(64, return_sequences=True))
   layers.Bidirectional(layers.LSTM(64))
   layers.Dense(1, activation="sigmoid")
"""

RST = f"""\
Models in reST
==============

.. model-summary::
   :name: imdb
   :caption: The IMDB classifier

{IMDB}
The classifier has :lstm-params:`model=imdb, expect=2757761` parameters, and its second
recurrent layer :lstm-params:`model=imdb, layer=bidirectional_1`; the GRU model of the MyST
page has :lstm-params:`model=gru`.

.. _imdb-layer-3:

A label of the author's that a breakdown's id would take, after the summary:
:ref:`the label <imdb-layer-3>`.

Without the breakdowns
----------------------

.. model-summary::
   :show: summary

{IMDB}
.. _m-layer-1:

A label before a summary
------------------------

.. model-summary::
   :name: m
   :input-shape: 5, 3

   layers.LSTM(4)
   layers.Dense(1)

See :ref:`m-layer-1`.

A model that cannot be read
---------------------------

.. model-summary::

   layers.Embedding(10000, 64)
   layers.LSTM(64, return_sequence=True)
   layers.Dense(1)

The page goes on.
"""

MYST = """\
# Models in MyST

```{model-summary}
:name: gru
:input-shape: 64, 200

nn.Embedding(25000, 100)
nn.GRU(100, 256, num_layers=2, bidirectional=True, batch_first=True)
x[:, -1, :]
nn.Linear(512, 1)
```

The IMDB classifier of the reST page has {lstm-params}`model=imdb` parameters.

(gru-layer-2)=
## A label of the author's before nothing of ours

```{model-summary}
layers.Embedding(10000, 64)
layers.LSTM(64, return_sequence=True)
layers.Dense(1)
```
"""

# Fills most of a page, so that what follows falls near its foot.
FILLER = "Text that fills the page and pushes what follows towards its foot. " * 7 + "\n\n"


def pages_near_the_foot() -> str:
    """The same heading, sentence and summary after more and more text: one of them lands at
    the foot of a page, where the table and its totals or the heading and its table would be
    parted."""
    parts = ["Page breaks\n===========\n\n"]
    for lines in range(10, 26, 3):
        parts.append(f"After {lines} paragraphs\n{'-' * 40}\n\n" + FILLER * lines)
        parts.append(f"Its storage {lines}\n{'~' * 30}\n\nWhere PyTorch keeps it:\n\n")
        parts.append(
            ".. lstm-params::\n   :framework: pytorch\n   :units: 128\n   :input-dim: 64\n"
            "   :layers: 2\n   :bidirectional:\n   :show: storage\n\n"
        )
        parts.append(f".. model-summary::\n\n{IMDB}\n")
    return "".join(parts)


# The tables of every layer kind, and of the recurrent ones in every framework: the PDF must
# set each within the text block. The layers are the ones recorded from Keras and PyTorch
# (tests/data), pasted, the largest three of each kind, and for the recurrent kinds option
# words with every column a framework can have (projection, peepholes, two directions).
DATA = Path(__file__).parent / "data"
VALUES = {"units": "1,024", "input_dim": "4,096", "layers": "2", "proj_size": "256"}


def widest_tables() -> str:
    parts = ["Every layer kind\n================\n\n"]
    by_kind: dict[str, list[tuple[int, str, int]]] = {}
    for name in ("layer_kinds.json", "model_layers.json"):
        for case in json.loads((DATA / name).read_text(encoding="utf-8"))["cases"]:
            if len(case.get("lines", [])) != 1 or not (case.get("input_shape") or [None])[-1]:
                continue
            line, width = case["lines"][0], case["input_shape"][-1]
            try:
                spec = counting.parse_spec(
                    [("input-dim", str(width))], case["framework"], layer=line
                )
                total = counting.count(spec).total
            except (OptionError, ValueError):
                continue
            by_kind.setdefault(spec.cell, []).append((total, line, width))
    for _kind, found in sorted(by_kind.items()):
        for _total, line, width in sorted(found, reverse=True)[:3]:
            parts.append(f".. lstm-params:: {line}\n   :input-dim: {width}\n   :show: table\n\n")
    for cell in ("lstm", "gru", "rnn"):
        for framework in ("keras", "pytorch", "onnx", "tensorflow-v1", "flax"):
            options = {"cell": cell, "framework": framework, **VALUES}
            options |= {"bidirectional": "true", "peepholes": "true"}
            chosen = _buildable(options)
            if chosen is None:
                continue
            body = "".join(
                f"   :{o.replace('_', '-')}:" + ("" if v == "true" else f" {v}") + "\n"
                for o, v in chosen.items()
            )
            parts.append(f".. lstm-params::\n{body}   :show: table, storage\n   :rows: gates\n\n")
    return "".join(parts)


def _buildable(options: dict[str, str]) -> dict[str, str] | None:
    """The options, less those the framework refuses (peepholes in PyTorch ...)."""
    for drop in ([], ["peepholes"], ["proj_size"], ["peepholes", "proj_size"]):
        tried = {o: v for o, v in options.items() if o not in drop}
        words = {o: (True if v == "true" else v.replace(",", "")) for o, v in tried.items()}
        try:
            count_params(**words)
        except (OptionError, TypeError, ValueError):
            continue
        return tried
    return None


INDEX = """\
Model page
==========

.. toctree::

   models
   models_md
   breaks
   kinds
"""

SOURCES = {"index.rst": INDEX, "models.rst": RST, "models_md.md": MYST}
# the pages only the PDF needs
LATEX_SOURCES = {"breaks.rst": pages_near_the_foot(), "kinds.rst": widest_tables()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Project) -> dict[str, Any]:
    found = {}
    for builder in ("html", "text", "latex"):
        sources = SOURCES if builder != "latex" else {**SOURCES, **LATEX_SOURCES}
        if builder != "latex":
            sources = {**sources, "index.rst": INDEX.replace("   breaks\n   kinds\n", "")}
        found[builder] = project(tmp_path_factory.mktemp(builder) / "src", sources, builder, CONF)
    return found


# -- the warnings stay as they are -----------------------------------------------------------------


@pytest.mark.parametrize("builder", ["html", "text", "latex"])
def test_the_located_warnings_stay(built: dict[str, Any], builder: str) -> None:
    warnings = built[builder].warnings.splitlines()
    assert [re.sub(r"^.*/", "", w) for w in warnings] == [
        "models.rst:55: WARNING: model-summary: lstm is not counted: layers.LSTM: unknown "
        "keyword 'return_sequence' (it may change the count, so it is not ignored); did you mean "
        "'return_sequences'? [lstmparams.model]",
        "models.rst:56: WARNING: model-summary: dense is not counted: layers.Dense: its input "
        "width is not known, since the layer before could not be followed [lstmparams.model]",
        "models_md.md:20: WARNING: model-summary: lstm is not counted: layers.LSTM: unknown "
        "keyword 'return_sequence' (it may change the count, so it is not ignored); did you mean "
        "'return_sequences'? [lstmparams.model]",
        "models_md.md:21: WARNING: model-summary: dense is not counted: layers.Dense: its input "
        "width is not known, since the layer before could not be followed [lstmparams.model]",
    ]


# -- HTML ------------------------------------------------------------------------------------------


def html(built: dict[str, Any], name: str) -> str:
    return str(built["html"].output(f"{name}.html"))


class Divs(HTMLParser):
    """The inner HTML of every ``div`` with a class, by the depth of its tags."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=False)
        self.wanted, self.found, self.open = wanted, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            classes = (dict(attrs).get("class") or "").split()
            self.open.append(self.getpos() if self.wanted in classes else None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.open:
            start = self.open.pop()
            if start is not None:
                self.found.append((start, self.getpos()))


def divs(page: str, wanted: str) -> list[str]:
    parser = Divs(wanted)
    parser.feed(page)
    lines = page.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return [
        page[offsets[a[0] - 1] + a[1] : offsets[b[0] - 1] + b[1]] for a, b in sorted(parser.found)
    ]


@pytest.mark.parametrize("name", ["models", "models_md"])
def test_the_totals_are_in_the_summarys_box(built: dict[str, Any], name: str) -> None:
    boxes = divs(html(built, name), "lstm-params-model")
    assert len(boxes) == (3 if name == "models" else 1)
    for box in boxes:
        table, totals = box.index("<table"), box.index("lstm-params-model-totals line-block")
        assert table < totals  # under the table, in the same box
        assert box.count("Total params: ") == 1


def test_identical_layers_share_one_breakdown(built: dict[str, Any]) -> None:
    page = html(built, "models")
    first = page.index("The IMDB classifier")
    summary = page[first : page.index('id="without-the-breakdowns"')]
    links = re.findall(r'<a class="reference internal" href="#([^"]+)">98,816</a>', summary)
    assert links == ["imdb-layer-2", "imdb-layer-2"]  # the second row links to the first
    assert summary.count('<p class="rubric">') == 1
    same = re.search(
        r"<strong>bidirectional_1 \(Bidirectional\)</strong>: same as <a[^>]*"
        r'href="#imdb-layer-2">bidirectional \(Bidirectional\)</a>\.',
        summary,
    )
    assert same, summary[-2000:]
    # :show: summary keeps its meaning: no breakdown, and no count links to one
    alone = page[page.index('id="without-the-breakdowns"') : page.index('id="m-layer-1"')]
    assert "<table" in alone and 'class="reference internal"' not in alone
    assert "same as" not in alone and "rubric" not in alone


@pytest.mark.parametrize("name", ["models", "models_md"])
def test_a_model_that_cannot_be_read_is_a_warning_box(built: dict[str, Any], name: str) -> None:
    page = html(built, name)
    (box,) = divs(page, "lstm-params-model-problems")
    assert 'class="lstm-params-model-problems admonition warning"' in box  # the theme's
    line = 55 if name == "models" else 20
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", box)]
    straight = [item.replace("\N{LEFT SINGLE QUOTATION MARK}", "'") for item in items]
    assert [item.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'") for item in straight] == [
        f"line {line}: lstm is not counted: layers.LSTM: unknown keyword 'return_sequence' (it "
        "may change the count, so it is not ignored); did you mean 'return_sequences'?",
        f"line {line + 1}: dense is not counted: layers.Dense: its input width is not known, "
        "since the layer before could not be followed",
    ]
    box = [box]
    assert "This model summary is not shown" in box[0]
    assert "<p>?</p>" not in page and "at least" not in page


@pytest.mark.parametrize("name", ["models", "models_md"])
def test_every_size_says_its_base_once(built: dict[str, Any], name: str) -> None:
    page = html(built, name)
    keras, torch = (
        "Sizes as Keras prints them: 1 KB = 1,024 bytes, 1 MB = 1,024² bytes.",
        "Sizes as torchinfo prints them: 1 MB = 10⁶ bytes.",
    )
    summaries = page.count('<div class="lstm-params-model docutils container">')
    assert page.count(keras) + page.count(torch) == summaries
    assert re.search(r'<abbr title="1 (K|M)iB = 1,024²? bytes">(K|M)iB</abbr>', page)
    assert (torch in page) == (name == "models_md")


def test_a_quote_is_the_summarys_count_linked_to_it(built: dict[str, Any]) -> None:
    page = html(built, "models")
    quote = (
        '<a class="lstm-params lstm-params-quote reference internal" href="{}">'
        '<span class="lstm-params">{}</span></a>'
    )
    for target, count in [
        ("#imdb", "2,757,761"),
        ("#imdb", "98,816"),
        ("models_md.html#gru", "4,233,121"),  # the MyST page's, read after this one
    ]:
        assert quote.format(target, count) in page
    assert quote.format("models.html#imdb", "2,757,761") in html(built, "models_md")


@pytest.mark.parametrize("name", ["models", "models_md"])
def test_ids_are_the_pages_once_and_links_reach_them(built: dict[str, Any], name: str) -> None:
    page = html(built, name)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'href="#([^"]+)"', page):
        assert not target or target in ids, target
    if name == "models":
        # the author's label after the summary: the summary keeps imdb-layer-3, the label
        # gets an id of its own, and the reference to the label reaches the label
        assert re.search(r'<span id="(id\d+)"></span>A label of', page) or "imdb-layer-3" in ids
        ref = re.search(
            r'<a class="reference internal" href="#([^"]+)"><span class="std std-ref">', page
        )
        assert ref and ref[1] != "imdb-layer-3"
        # the author's label before the summary: the label keeps m-layer-1, ours moves aside
        assert 'href="#m-layer-1-2">128</a>' in page and '<span id="m-layer-1"></span>' in page


# -- text ------------------------------------------------------------------------------------------


def test_the_text_builder(built: dict[str, Any]) -> None:
    text = (built["text"].outdir / "models.txt").read_text(encoding="utf-8")
    summary = text[: text.index("-[ bidirectional (Bidirectional) ]-")]
    assert max(len(line) for line in summary.splitlines()) <= 80
    table_end = summary.rindex("+\n")
    assert summary[table_end:].lstrip("+\n").startswith("   Total params: 2,757,761 (10.52 MB)")
    assert "Sizes as Keras prints them: 1 KB = 1,024 bytes, 1 MB = 1,024² bytes." in summary
    assert "**bidirectional_1 (Bidirectional)**: same as bidirectional\n(Bidirectional)." in text
    assert "Warning:\n\n  This model summary is not shown" in text
    assert "The classifier has 2,757,761 parameters, and its second" in text
    # the binary unit says its base after its first use on the page only
    assert text.count("KiB (1 KiB = 1,024 bytes)") == 1 and text.count("KiB") > 1


# -- LaTeX and the PDF -----------------------------------------------------------------------------


def tex(built: dict[str, Any]) -> str:
    return str((built["latex"].outdir / "models.tex").read_text(encoding="utf-8"))


def test_latex_keeps_the_totals_with_their_table(built: dict[str, Any]) -> None:
    source = tex(built)
    kept = re.findall(
        r"\\begingroup\\sphinxlstmparamskeeptogether(.*?)\\endgroup", source, re.DOTALL
    )
    assert kept and all("Total params: " in k and "tabular" in k for k in kept)
    assert len(kept) == source.count("Total params: ")


def test_latex_lets_a_tall_table_break_and_keeps_headings_with_tables(
    built: dict[str, Any],
) -> None:
    source = tex(built)
    assert source.count(r"\begin{longtable}") >= 6  # the storage maps, 16 rows of 4 lines
    sections = re.findall(
        r"\\needspace\{\d+\\baselineskip\}\s*\\(sub)*section\{Its storage", source
    )
    assert len(sections) == 6


@pytest.mark.skipif(not shutil.which("latexmk"), reason="needs latexmk and pdflatex (TeX Live)")
def test_the_pdf(built: dict[str, Any], pdf: Compile) -> None:
    outdir = built["latex"].outdir
    log = pdf(outdir)
    # every kind's widest table fits its columns: no cell is set wider than its column
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*\n.*\n", log)[:5]
    if not shutil.which("pdftotext"):
        return
    pages = subprocess.run(
        ["pdftotext", "-layout", "models.pdf", "-"], cwd=outdir, capture_output=True, text=True
    ).stdout.split("\f")
    # the totals are on the page of their table's last row
    with_rows = [
        i for i, p in enumerate(pages) if re.search(r"dense \(Dense\) +\(None, 1\) +129", p)
    ]
    with_totals = [i for i, p in enumerate(pages) if "Total params: 2,757,761" in p]
    assert len(with_rows) >= 6 and with_rows == with_totals
    # and a heading is on the page where its table starts (the storage map's, 16 rows of
    # four lines, went to the next page whole and left the heading and the sentence behind)
    for number, page in enumerate(pages):
        for heading in re.finditer(r"Its storage (\d+)", page):
            assert "Storage map" in page[heading.end() :], f"page {number}: {heading[0]}"
