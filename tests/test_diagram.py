"""The cell diagram: one geometry, printed as SVG, TikZ and text.

Snapshots (``tests/test_diagram/NAME.svg|.tex|.txt``) keep the three printouts of five layers
under review: an LSTM, a GRU, a simple RNN, a projected LSTM and a bidirectional stack. After an
intended change, regenerate with ``pytest tests/test_diagram.py --force-regen`` and look at the
diff (and at the pictures: docs/usage.rst shows them).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_lstmparams import count_params
from sphinxcontrib_lstmparams.cell_diagram import MAX_COLUMNS, draw, math
from sphinxcontrib_lstmparams.diagram import (
    Box,
    Drawing,
    Path,
    Run,
    Text,
    as_text,
    cell_width,
    latex_escape,
    overlaps,
    to_svg,
    to_text,
    to_tikz,
)
from sphinxcontrib_lstmparams.frameworks import FRAMEWORK_NAMES, FRAMEWORKS
from sphinxcontrib_lstmparams.kinds.recurrent import gate_label
from sphinxcontrib_lstmparams.numbers import NumberStyle
from sphinxcontrib_lstmparams.spec import OptionError

SVG = "{http://www.w3.org/2000/svg}"
CASES: dict[str, dict[str, Any]] = {
    "lstm": {"units": 256, "input_dim": 4096},
    "gru": {"cell": "gru", "units": 256, "input_dim": 4096},
    "simple-rnn": {"cell": "rnn", "units": 4, "input_dim": 3},
    "projected-lstm": {"units": 256, "input_dim": 4096, "framework": "pytorch", "proj_size": 64},
    "bidirectional-stack": {
        "units": 128,
        "input_dim": 64,
        "layers": 3,
        "bidirectional": True,
        "framework": "pytorch",
    },
}


def drawing(_: Any = str, **options: Any) -> Drawing:
    return draw(count_params(**options), _, NumberStyle())


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize(("printer", "extension"), [(to_svg, ".svg"), (to_tikz, ".tex")])
def test_svg_and_tikz_snapshots(
    name: str, printer: Any, extension: str, file_regression: Any
) -> None:
    file_regression.check(printer(drawing(**CASES[name])), basename=name, extension=extension)


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_snapshots(name: str, file_regression: Any) -> None:
    file_regression.check(to_text(drawing(**CASES[name])), basename=name, extension=".txt")


def test_the_seed_drawing_reads_like_the_table() -> None:
    text = to_text(drawing(units=256, input_dim=4096))
    lines = text.splitlines()
    assert lines[0].split() == [
        "x_t",
        "4,096",
        "features",
        "h_t\u22121",
        "256",
        "c_t\u22121",
        "256",
    ]
    titles = [re.search(r"│ (\w[\w ]*?) [a-z] · ", line) for line in lines]
    assert [t[1] for t in titles if t] == [
        "input gate",
        "forget gate",
        "cell candidate",
        "output gate",
    ]
    assert text.count("W 4096 × 256   U 256 × 256   b 256") == 4
    assert text.count("1,114,368") == 4
    assert "element-wise: no parameters" in text
    assert "c_t = f ⊙ c_t\u22121 + i ⊙ g" in text and "h_t = o ⊙ tanh(c_t)" in text
    assert re.search(r"┆◄┘", text) and re.search(
        r"┆◄──┘", text
    )  # the gates and the cell state come in
    assert lines[-1].split() == ["h_t", "256", "c_t", "256"]


@pytest.mark.parametrize("framework", FRAMEWORK_NAMES)
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_boxes_follow_the_frameworks_gate_order(framework: str, cell: str) -> None:
    text = to_text(drawing(cell=cell, units=8, input_dim=3, framework=framework))
    order = FRAMEWORKS[framework].gate_order[cell]  # type: ignore[index]
    found = [text.index(f"│ {gate_label(gate, str)} ") for gate in order]
    assert found == sorted(found)


def test_gru_marks_where_the_reset_gate_acts() -> None:
    after = to_text(drawing(cell="gru", units=8, input_dim=3))
    before = to_text(drawing(cell="gru", units=8, input_dim=3, reset_after=False))
    assert "r ⊙ (U h_t\u22121 + b)" in after and "b 8 + 8" in after
    assert "r ⊙ h_t\u22121" in before and "b 8 + 8" not in before
    assert "h_t = z ⊙ h_t\u22121 + (1 \u2212 z) ⊙ n" in before


def test_projection_and_peepholes_are_drawn() -> None:
    text = to_text(
        drawing(units=16, input_dim=8, framework="tensorflow-v1", proj_size=4, peepholes=True)
    )
    assert "h_t\u22121 4" in text and "U 4 × 16" in text  # the recurrent weights read p values
    assert "m_t = o ⊙ tanh(c_t)" in text and re.search(r"│ projection +64 │", text)
    assert text.count("peephole 16") == 3  # input, forget and output gates
    assert re.search(r"h_t 4 +c_t 16", text)


def test_a_stack_shows_what_each_layer_sees() -> None:
    keras = to_text(drawing(units=128, input_dim=64, layers=2, bidirectional=True))
    assert "Layer 1, forward" in keras and "Layers and directions" in keras
    assert "layer 1 · forward" in keras and "layer 1 · backward" in keras
    assert "sees 64" in keras and "concatenated: 256" in keras and "sees 256" in keras
    assert "output: 256 features" in keras
    summed = to_text(
        drawing(units=128, input_dim=64, layers=2, bidirectional=True, merge_mode="sum")
    )
    assert "merged (sum): 128" in summed and "sees 128" in summed
    tf1 = to_text(
        drawing(units=8, input_dim=4, layers=2, bidirectional=True, framework="tensorflow-v1")
    )
    assert "each direction on its own: 8" in tf1 and "outputs: 8 per direction" in tf1
    # a label too wide to fit between the arrows takes two lines
    wrapped = to_text(
        drawing(units=128, input_dim=4, layers=2, bidirectional=True, framework="tensorflow-v1")
    )
    assert re.search(r"│ each direction on its own: +│\n +│ 128 +│", wrapped)
    deep = to_text(drawing(units=8, input_dim=3, layers=100))
    assert "layers 2 to 100" in deep and "parameters each" in deep
    assert len(deep.splitlines()) < 60  # deeper layers that see the same width share a box


def test_svg_is_well_formed_accessible_and_inert() -> None:
    svg = to_svg(drawing(units=256, input_dim=4096, layers=2, bidirectional=True))
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert root[0].text == (
        "Cell diagram: Keras LSTM, 256 units, 4,096 input features, 2 stacked layers, bidirectional"
    )
    assert "input gate i · \u03c3: W 4096 × 256, U 256 × 256, b 256; 1,114,368 parameters." in (
        root[1].text or ""
    )
    everything = list(root.iter())
    assert not any(e.get("id") for e in everything)  # several diagrams share a page
    assert {e.tag.removeprefix(SVG) for e in everything} <= {
        "svg",
        "title",
        "desc",
        "rect",
        "path",
        "text",
        "tspan",
    }
    assert not any(a.startswith("on") for e in everything for a in e.attrib)
    texts = root.findall(f"{SVG}text")
    assert texts and all(t.get("fill") == "currentColor" for t in texts)
    assert root.get("stroke") == "currentColor"
    # colours only from the page: currentColor, or the theme's brand colour falling back to it
    assert set(re.findall(r"#[0-9a-fA-F]{3,6}\b|rgb\(", svg)) == set()
    assert "stroke-dasharray" in svg  # the element-wise part, which has no parameters


def test_svg_scales_and_keeps_the_grid() -> None:
    shown = drawing(units=256, input_dim=4096)
    root = ElementTree.fromstring(to_svg(shown))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.get("style") == "max-width:100%;height:auto"
    assert len(root.findall(f"{SVG}rect")) == sum(isinstance(i, Box) for i in shown.items)
    # the gaps between W, U and b survive: SVG collapses spaces, so each item is placed
    assert len(root.findall(f"{SVG}text")) == sum(isinstance(i, Text) for i in shown.items)


def test_tikz_is_one_picture_that_fits_the_line() -> None:
    tikz = to_tikz(drawing(units=256, input_dim=4096, framework="onnx", peepholes=True))
    first, second = tikz.splitlines()[:2]
    assert first == r"\resizebox{!}{\ifdim\height>.8\textheight.8\textheight\else\height\fi}{%"
    assert second == r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{%"
    assert tikz.count(r"\begin{tikzpicture}") == tikz.count(r"\end{tikzpicture}") == 1
    assert "handle active characters in code" in tikz  # babel shorthands (French ;:!?)
    assert tikz.count("{") == tikz.count("}")
    # symbols pdflatex cannot set from UTF-8 are math; nothing else is left unescaped
    assert r"\ensuremath{\odot}" in tikz and r"\ensuremath{\sigma}" in tikz and "⊙" not in tikz
    assert r"\textsubscript{t\ensuremath{-}1}" in tikz
    assert not re.search(r"[^\x00-\x7f]", tikz)


def test_latex_escape() -> None:
    assert latex_escape(r"100% & #1 a_b x^2 ~ {x} $5 \ <b>|") == (
        r"100\% \& \#1 a\_b x\textasciicircum{}2 \textasciitilde{} \{x\} \$5 \textbackslash{} "
        r"\textless{}b\textgreater{}\textbar{}"
    )


def test_text_printer_joins_lines_into_box_drawing() -> None:
    shown = Drawing(
        8,
        4,
        "t",
        "d",
        (
            Box(2, 0, 6, 2),
            Path(((0, 1), (1, 1)), arrow=True),
            Path(((6, 1), (7, 1), (7, 3), (4, 3)), arrow=True, dashed=True),
            Text(3, 1, (Run("ab"),)),
        ),
    )
    assert to_text(shown) == "  ┌───┐\n─►│ab ├┐\n  └───┘┆\n    ◄┄┄┘\n"
    assert overlaps(shown) == []
    clash = Drawing(4, 1, "t", "d", (Path(((0, 0), (3, 0))), Text(1, 0, (Run("x"),))))
    assert overlaps(clash) == ["'x' sits on a line"]


def test_math_labels() -> None:
    assert math("c_t = f ⊙ c_{t\u22121}") == (
        Run("c", "var"),
        Run("t", "sub"),
        Run(" = "),
        Run("f", "var"),
        Run(" ⊙ "),
        Run("c", "var"),
        Run("t\u22121", "sub"),
    )
    assert as_text(math("o ⊙ tanh(c_t)")) == "o ⊙ tanh(c_t)"  # words stay words


# -- any layer: nothing overlaps, and real sizes fit a man page at 80 columns ---------------------

LAYERS = st.fixed_dictionaries(
    {
        "framework": st.sampled_from(FRAMEWORK_NAMES),
        "cell": st.sampled_from(["lstm", "gru", "rnn"]),
        "units": st.integers(1, 10**6),
        "input_dim": st.integers(1, 10**6),
        "layers": st.integers(1, 100),
        "bidirectional": st.booleans(),
        "bias": st.booleans(),
        "proj_size": st.sampled_from([0, 0, 1, 500]),
        "peepholes": st.booleans(),
        "merge_mode": st.sampled_from(["concat", "concat", "ave"]),
    }
)


def buildable(options: dict[str, Any]) -> Any:
    try:
        return count_params(**options)
    except OptionError:
        return None


@given(options=LAYERS)
@settings(max_examples=300, deadline=None)
def test_real_sizes_fit_and_never_overlap(options: dict[str, Any]) -> None:
    breakdown = buildable(options)
    if breakdown is None:
        return
    shown = draw(breakdown, str, NumberStyle())
    assert overlaps(shown) == []
    assert shown.columns <= MAX_COLUMNS
    text = to_text(shown)
    assert max(cell_width(line) for line in text.splitlines()) <= shown.columns
    assert len(text.splitlines()) == shown.rows


@given(
    size=st.integers(10**6, 10**12),
    options=LAYERS,
    separator=st.sampled_from([",", "", "\u00a0", " ", "'", "_"]),
)
@settings(max_examples=100, deadline=None)
def test_huge_sizes_and_odd_separators_never_overlap(
    size: int, options: dict[str, Any], separator: str
) -> None:
    breakdown = buildable({**options, "units": size, "input_dim": size})
    if breakdown is not None:
        assert overlaps(draw(breakdown, str, NumberStyle(separator))) == []


def wide(message: str) -> str:
    """A stand-in translation twice as wide: every letter full-width, as in Japanese."""
    pieces = re.split(r"(\{[^}]*\})", message)  # placeholders stay as they are
    return "".join(
        piece
        if piece.startswith("{")
        else "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in piece)
        for piece in pieces
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_wide_translations_keep_the_layout(name: str) -> None:
    shown = drawing(wide, **CASES[name])
    assert overlaps(shown) == []
    text = to_text(shown)
    assert wide("element-wise") in text or CASES[name].get("cell") == "rnn"
    assert max(cell_width(line) for line in text.splitlines()) <= shown.columns
