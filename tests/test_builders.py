"""Every builder: standard nodes only, so each one builds the directive without a warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

# builder -> (output file, text the reader must find in it)
BUILDERS = {
    "html": ("index.html", "<strong>4,457,472</strong>"),
    "dirhtml": ("index.html", "<strong>4,457,472</strong>"),
    "singlehtml": ("index.html", "<strong>4,457,472</strong>"),
    "latex": ("basic.tex", r"\sphinxstylestrong{4,457,472}"),
    "text": ("index.txt", "  = 4 × ((4,096 + 1) × 256 + 256²)\n     = 4,457,472"),
    "man": ("basic.1", "4,457,472"),
    "texinfo": ("basic.texi", "= 4 × ((4,096 + 1) × 256 + 256²)"),
    "epub": ("index.xhtml", "<strong>4,457,472</strong>"),
    "xml": ("index.xml", ">4,457,472</strong> trainable parameters"),
    "gettext": ("index.pot", 'msgid "Keras reports :lstm-params:`units=256, input-dim=4096`'),
}


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_builder(
    builder: str, make_app: type[SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "basic"
    src.mkdir()
    for file in (rootdir / "test-basic").iterdir():
        (src / file.name).write_bytes(file.read_bytes())
    app = make_app(builder, srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    name, expected = BUILDERS[builder]
    outdir = Path(app.outdir)
    found = list(outdir.rglob(name))
    assert found, sorted(p.name for p in outdir.rglob("*"))
    assert expected in found[0].read_text(encoding="utf-8")


def test_latex_has_the_table_and_the_math(
    make_app: type[SphinxTestApp], rootdir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "basic"
    src.mkdir()
    for file in (rootdir / "test-basic").iterdir():
        (src / file.name).write_bytes(file.read_bytes())
    app = make_app("latex", srcdir=src)
    app.build()
    tex = (Path(app.outdir) / "basic.tex").read_text(encoding="utf-8")
    assert r"\sphinxstyletheadfamily" in tex and "Input weights W" in tex
    # no line break inside a product or a number, nor after "=": no-break spaces there
    assert "4,096\N{NO-BREAK SPACE}×\N{NO-BREAK SPACE}256 =\N{NO-BREAK SPACE}1,048,576" in tex
    assert r"4 \times \left(\left(4{,}096 + 1\right) \times 256 + 256^2\right)" in tex
    assert r"\begin{equation}\label{equation:index:eq-seed}" in tex
    assert "P = 4 ×" not in tex  # the plain-text formula is for text, man and texinfo only
    # a real stub column only first; numbers right-aligned, in widths that fit the page
    # (Sphinx 7.4 writes tabulary for a table with a column spec, Sphinx 8+ tabular)
    start = re.search(r"\\begin\{tabulary?\}", tex)
    assert start, "no tabular"
    table = tex[start.start() : tex.index(r"\end{tabula", start.start())]
    assert table.count(r"\sphinxstyletheadfamily") == 5 + 5  # the header row, the row labels
    spec = r"{|>{\sphinxlstmparamslabel}\X{87}{449}|>{\sphinxlstmparamsnumber}\X{129}{449}|"
    assert spec in tex and r"\usepackage{sphinxlstmparams}" in tex
    assert (Path(app.outdir) / "sphinxlstmparams.sty").is_file()
