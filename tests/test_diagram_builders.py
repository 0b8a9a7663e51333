"""``:show: diagram`` and ``:show: storage`` in every builder, with captions, names and the
default parts.

One geometry, printed per builder: inline SVG in HTML and EPUB, TikZ in LaTeX (and the PDF
compiles), a text drawing in text, man and texinfo, never a hole. The storage map is a table
where tables can hold lines, a text listing where they cannot.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from docutils import nodes

from sphinxcontrib_lstmparams.diagram import cell_width
from sphinxcontrib_lstmparams.spec import DEFAULT_PARTS

Project = Callable[..., Any]
Compile = Callable[..., str]  # conftest.compile_pdf, through the `pdf` fixture

CONF = """\
project = "Diagrams"
author = "Tests"
copyright = "2026, Tests"
version = release = "1.0"
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
numfig = True
man_pages = [("index", "diagrams", "Diagrams", ["Tests"], 7)]
"""
HOSTILE = r"<script>alert(1)</script> & 100% #1 a_b x^2 ~ {x} $5 \\ .TH evil"
PAGE = f"""\
Diagrams
========

.. lstm-params::
   :units: 256
   :input-dim: 4096
   :show: answer, diagram
   :caption: The seed's *cell*
   :name: fig-seed

.. lstm-params::
   :units: 128
   :input-dim: 64
   :layers: 2
   :bidirectional:
   :framework: pytorch
   :show: table, diagram, storage
   :name: tbl-stack

.. lstm-params::
   :cell: gru
   :units: 8
   :input-dim: 3
   :framework: onnx
   :show: storage
   :caption: {HOSTILE}
   :name: map-onnx

.. lstm-params::
   :cell: rnn
   :units: 4
   :input-dim: 3
   :show: diagram
   :caption: {HOSTILE}

See :numref:`fig-seed`, :numref:`tbl-stack` and :numref:`map-onnx`.
"""

# builder -> the output file
OUTPUT = {
    "html": "index.html",
    "singlehtml": "index.html",
    "dirhtml": "index.html",
    "epub": "index.xhtml",
    "latex": "diagrams.tex",
    "text": "index.txt",
    "man": "diagrams.7",
    "texinfo": "diagrams.texi",
    "xml": "index.xml",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Project) -> dict[str, Any]:
    """One build per builder of the same page."""
    out = {}
    for builder in (*OUTPUT, "gettext"):
        src = tmp_path_factory.mktemp(builder) / "src"
        out[builder] = project(src, {"index.rst": PAGE}, builder, CONF)
    return out


def output(built: dict[str, Any], builder: str) -> str:
    found = list(built[builder].outdir.rglob(OUTPUT[builder]))
    assert found, builder
    return str(found[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("builder", [*OUTPUT, "gettext"])
def test_every_builder_builds_without_a_warning(built: dict[str, Any], builder: str) -> None:
    assert built[builder].warnings == ""


@pytest.mark.parametrize("builder", ["html", "singlehtml", "dirhtml", "epub"])
def test_html_and_epub_get_inline_svg_in_a_numbered_figure(
    built: dict[str, Any], builder: str
) -> None:
    page = output(built, builder)
    assert page.count("<svg ") == 3 and page.count("</svg>") == 3
    assert page.count("<title>Cell diagram: ") == 3
    figure = re.search(
        r'<figure class="lstm-params-diagram[^"]*" id="fig-seed">(.*?)</figure>', page, re.S
    )
    assert figure, page
    assert (
        "Fig. 1" in figure[1] and "seed\N{RIGHT SINGLE QUOTATION MARK}s <em>cell</em>" in figure[1]
    )
    assert "tikzpicture" not in page and "┌" not in page  # neither of the other printouts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


def test_epub_page_is_well_formed_xhtml(built: dict[str, Any]) -> None:
    root = ElementTree.fromstring(output(built, "epub").encode())
    svgs = root.findall(".//{http://www.w3.org/2000/svg}svg")
    assert len(svgs) == 3


def test_epub_declares_its_pages_with_inline_svg(built: dict[str, Any]) -> None:
    """EPUB 3 wants properties="svg" on those pages (epubcheck OPF-014), in the .epub too."""
    outdir = built["epub"].outdir
    declared = re.compile(r'<item id="[^"]*" href="index.xhtml" [^>]*properties="svg" />')
    assert declared.search((outdir / "content.opf").read_text(encoding="utf-8"))
    [epub] = outdir.glob("*.epub")
    with zipfile.ZipFile(epub) as archive:
        assert declared.search(archive.read("content.opf").decode())
        assert archive.namelist()[0] == "mimetype"
    assert not re.search(r'href="genindex.xhtml" [^>]*svg', (outdir / "content.opf").read_text())


def test_names_go_to_the_table_then_the_diagram_then_the_storage_map(
    built: dict[str, Any],
) -> None:
    doctree = built["html"].doctree()
    named = {node["names"][0]: node for node in doctree.findall(nodes.Element) if node["names"]}
    assert isinstance(named["fig-seed"], nodes.figure)  # no table: the diagram
    assert isinstance(named["tbl-stack"], nodes.table)  # the table, though a diagram follows
    assert "lstm-params-table" in named["tbl-stack"]["classes"]
    assert "lstm-params-storage" in named["map-onnx"]["classes"]  # only the storage map
    page = output(built, "html")
    for name, number in (("fig-seed", "Fig. 1"), ("tbl-stack", "Table 1"), ("map-onnx", "Table 3")):
        assert re.search(rf'href="#{name}"><span class="std std-numref">{number}</span>', page)
    # the unnamed figure and the storage table still get generated captions and numbers
    assert "Cell diagram: PyTorch LSTM, 128 units" in page
    assert "Storage map: PyTorch LSTM, 128 units" in page


def test_latex_gets_tikz(built: dict[str, Any]) -> None:
    tex = output(built, "latex")
    assert r"\usepackage{tikz}" in tex
    assert tex.count(r"\begin{tikzpicture}") == 3
    assert r"\begin{figure}" in tex and r"\label{\detokenize{index:fig-seed}}" in tex
    assert "<svg" not in tex and "┌" not in tex  # neither the SVG nor the text drawing
    assert r"\textless{}script\textgreater{}alert(1)" in tex  # hostile captions escaped
    assert r"\sphinxcode{\sphinxupquote{weight\_ih\_l0}}" in tex  # the storage table


@pytest.mark.skipif(not shutil.which("latexmk"), reason="needs latexmk and pdflatex (TeX Live)")
def test_the_pdf_compiles_with_the_diagrams(built: dict[str, Any], pdf: Compile) -> None:
    outdir = built["latex"].outdir
    pdf(outdir)
    assert (outdir / "diagrams.pdf").stat().st_size > 0
    if shutil.which("pdftotext"):  # the labels are text in the PDF, not an image
        pdf = subprocess.run(
            ["pdftotext", "diagrams.pdf", "-"], cwd=outdir, capture_output=True, text=True
        ).stdout
        assert "element-wise: no parameters" in pdf and "1,114,368" in pdf


@pytest.mark.parametrize("builder", ["text", "man", "texinfo"])
def test_text_builders_get_the_drawing_and_the_listing(built: dict[str, Any], builder: str) -> None:
    page = output(built, builder)
    assert "<svg" not in page and "tikzpicture" not in page
    assert page.count("element") >= 2 and "no parameters" in page
    assert "┌" in page and "►" in page and "h_t" in page
    assert re.search(
        r"weight_ih_l0 \(512, 64\), Input weights W\n +input gate \(i\) +"
        r"\[0:128, :\]",
        page,
    )
    assert "W (1, 24, 3)" in page  # the ONNX storage map


def test_text_fits_80_columns(built: dict[str, Any]) -> None:
    drawing = [line for line in output(built, "text").splitlines() if re.search("[─│┌┐└┘┄┆]", line)]
    assert drawing and max(len(line) for line in drawing) <= 80


def test_man_captions_are_text_of_their_own(built: dict[str, Any]) -> None:
    page = output(built, "man")
    assert "\\fIcell\\fP.UNINDENT" not in page
    lines = page.splitlines()
    assert not any(line.startswith((".TH evil", "'")) for line in lines[1:])
    assert r"$5 \e .TH evil" in page  # the hostile caption, escaped, inside a line


@pytest.mark.skipif(not shutil.which("man"), reason="needs man-db")
def test_man_page_reads_at_80_columns(project: Project, tmp_path: Path) -> None:
    """The drawings and the listings, as ``man`` shows them in an 80-column terminal."""
    layers = [
        ":units: 256\n   :input-dim: 4096",
        ":units: 1024\n   :input-dim: 65536\n   :framework: pytorch\n   :proj-size: 512",
        ":cell: gru\n   :units: 128\n   :input-dim: 64\n   :layers: 3\n   :bidirectional:",
        ":units: 512\n   :input-dim: 300\n   :framework: tensorflow-v1\n   :peepholes:",
    ]
    page = "M\n=\n\n" + "".join(
        f".. lstm-params::\n   {layer}\n   :show: diagram, storage\n\n" for layer in layers
    )
    done = project(tmp_path, {"index.rst": page}, "man", CONF)
    shown = subprocess.run(
        ["man", "-l", str(done.outdir / OUTPUT["man"])],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "80", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    ).stdout
    plain = re.sub(r".\x08", "", shown)
    assert plain.count("element-wise: no parameters") == 4
    assert max(len(line.expandtabs()) for line in plain.splitlines()) <= 80


def test_generated_text_stays_out_of_the_pot(built: dict[str, Any]) -> None:
    pot = "".join(p.read_text() for p in built["gettext"].outdir.glob("*.pot"))
    assert "The seed's *cell*" in pot  # the author's caption is theirs to translate
    for generated in ("Cell diagram", "element-wise", "Storage map", "weight_ih_l0", "<svg"):
        assert generated not in pot


def test_default_parts_are_the_four_of_before(project: Project, tmp_path: Path) -> None:
    page = "T\n=\n\n.. lstm-params::\n   :units: 8\n   :input-dim: 3\n"
    done = project(tmp_path / "default", {"index.rst": page})
    assert tuple(done.app.config.lstmparams_show) == DEFAULT_PARTS
    html = done.output()
    assert "<table" in html and "<svg" not in html and "Storage map" not in html
    everything = project(tmp_path / "all", {"index.rst": page + "   :show: all\n"})
    html = everything.output()
    assert html.count("<svg ") == 1 and "Storage map: Keras LSTM" in html
    configured = project(
        tmp_path / "config", {"index.rst": page}, extra_conf='lstmparams_show = "diagram"\n'
    )
    assert configured.warnings == ""
    assert "<svg " in configured.output() and "<table" not in configured.output()


def test_japanese_labels_keep_the_drawing_aligned(project: Project, tmp_path: Path) -> None:
    page = (
        "T\n=\n\n.. lstm-params::\n   :units: 8\n   :input-dim: 3\n   :layers: 2\n"
        "   :bidirectional:\n   :show: diagram, storage\n"
    )
    conf = CONF + 'language = "ja"\n'
    html = project(tmp_path / "html", {"index.rst": page}, "html", conf)
    assert html.warnings == ""
    shown = html.output()
    for label in ("セルの図", "要素ごとの演算: パラメーターなし", "格納マップ", "入力ゲート (i)"):
        assert label in shown, label
    text = project(tmp_path / "text", {"index.rst": page}, "text", conf)
    lines = text.output("index.txt").splitlines()
    gates = [line for line in lines if " · " in line and "►│" in line]
    assert len(gates) == 4
    # full-width characters take two columns: every box's right border lines up
    assert len({cell_width(line[: line.rindex("├")]) for line in gates}) == 1


@pytest.mark.skipif(not shutil.which("latexmk"), reason="needs latexmk and pdflatex (TeX Live)")
def test_the_largest_layers_still_make_a_pdf(
    project: Project, tmp_path: Path, pdf: Compile
) -> None:
    """Sizes at the option bounds: a drawing wider than the line and taller than a page is
    shrunk to fit, and the storage map of 100 bidirectional layers is a long table."""
    page = (
        "Huge\n====\n\n.. lstm-params::\n   :units: 1_000_000_000_000\n"
        "   :input-dim: 1_000_000_000_000\n   :layers: 100\n   :bidirectional:\n"
        "   :framework: onnx\n   :peepholes:\n   :show: diagram, storage\n\n"
        ".. lstm-params::\n   :units: 999\n   :input-dim: 7\n   :layers: 100\n"
        "   :framework: tensorflow-v1\n   :proj-size: 5\n   :peepholes:\n   :show: diagram\n"
    )
    done = project(tmp_path, {"index.rst": page}, "latex", CONF)
    assert done.warnings == ""
    log = pdf(done.outdir)
    assert "Float too large" not in log  # every figure, caption included, fits a page
