"""The mystmd plugin without mystmd: what it declares, the body lines it rebuilds from mystmd's
nodes, its answers to real calls, its messages, its config, and its table against the Sphinx
renderer's.

``tests/data/mystmd_calls.json`` holds what mystmd 1.11.0 sent the plugin for the page stored
with it (saved by a wrapper around ``lstm-params-myst`` during a ``myst build --site``);
``tests/test_myst_build.py`` runs the same code under a real mystmd.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from docutils import nodes

from sphinxcontrib_lstmparams import count_params, myst
from sphinxcontrib_lstmparams.directive_options import DISPLAY_OPTIONS
from sphinxcontrib_lstmparams.kinds import all_options
from sphinxcontrib_lstmparams.mdast import MdastSettings, render, svg_image
from sphinxcontrib_lstmparams.model_options import MODEL_OPTIONS
from sphinxcontrib_lstmparams.numbers import NumberStyle
from sphinxcontrib_lstmparams.options import ALIASES, kebab
from sphinxcontrib_lstmparams.render.table import breakdown_table
from sphinxcontrib_lstmparams.spec import untranslated

DATA = Path(__file__).parent / "data"
RECORDED = json.loads((DATA / "mystmd_calls.json").read_text(encoding="utf-8"))
CALLS = [call["stdin"] for call in RECORDED["calls"]]
DIRECTIVES = [call["stdin"] for call in RECORDED["calls"] if call["kind"] == "directive"]
(ROLE,) = [call["stdin"] for call in RECORDED["calls"] if call["kind"] == "role"]
PLUGIN = [sys.executable, "-m", "sphinxcontrib_lstmparams.myst"]

Node = dict[str, Any]


def plugin(*args: str, stdin: object = None, **env: str) -> Any:
    """Run the plugin as mystmd does: a process, JSON in and out; it must exit 0."""
    done = subprocess.run(
        [*PLUGIN, *args],
        input=json.dumps(stdin).encode() if stdin is not None else b"",
        capture_output=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def text_of(node: Node) -> str:
    if node.get("type") in ("text", "inlineCode", "inlineMath"):
        return str(node["value"])
    return "".join(text_of(child) for child in node.get("children") or [])


# -- what mystmd is told -------------------------------------------------------------------------


def test_declares_every_option_word_of_the_sphinx_directive() -> None:
    spec = plugin()
    directive, model = spec["directives"]
    (role,) = spec["roles"]
    assert directive["name"] == role["name"] == "lstm-params"
    words = {kebab(w) for w in (*all_options(), *ALIASES, *DISPLAY_OPTIONS)}
    assert words <= set(directive["options"]) and "input_dim" in directive["options"]
    assert {o["type"] for n, o in directive["options"].items() if n != "caption"} == {"string"}
    assert directive["options"]["caption"] == {"type": "myst"}  # parsed as inline MyST
    assert directive["arg"]["type"] == directive["body"]["type"] == role["body"]["type"]
    assert model["name"] == "model-summary"
    # its words, and `label`, which mystmd needs to take `{model-summary #name}`
    words = {spelling for w in MODEL_OPTIONS for spelling in (w, kebab(w))}
    assert set(model["options"]) == words | {"label"}
    assert model["options"]["caption"] == {"type": "myst"}
    assert model["arg"]["type"] == model["body"]["type"] == "string"


@pytest.mark.parametrize(
    "args", [["--transform", "x"], ["--role", "model-summary"], ["--directive", "lstm"]]
)
def test_unexpected_arguments_are_refused(args: list[str]) -> None:
    done = subprocess.run([*PLUGIN, *args], capture_output=True, check=False)
    assert done.returncode == 2 and b"unexpected arguments" in done.stderr


# -- body lines, as the Sphinx directive would see them ------------------------------------------


def test_recorded_page() -> None:
    assert RECORDED["mystmd"] == "1.11.0"
    assert [call["node"]["position"]["start"]["line"] for call in DIRECTIVES] == [3, 10, 14, 24, 28]


def test_colon_options_and_a_bare_flag() -> None:
    lines, numbers = myst.body_lines(DIRECTIVES[0]["node"])
    # mystmd puts the flag on line 5; it is the third option, so on line 6
    assert lines == [":units: 8", ":input-dim: 3", ":bidirectional:", ":caption: A *small* one"]
    assert numbers == [4, 5, 6, 7]


def test_a_constructor_as_the_first_line() -> None:
    lines, numbers = myst.body_lines(DIRECTIVES[1]["node"])
    assert lines == ["nn.LSTM(300, 512,", "    num_layers=2)"]
    assert numbers == [10, 11]


def test_a_yaml_block_written_back() -> None:
    lines, numbers = myst.body_lines(DIRECTIVES[2]["node"])
    assert lines == [
        "---",
        'cell: "gru"',
        "units: 7",
        "input-dim: 3",
        "bidirectional:",
        'show: "answer"',
        "---",
    ]
    assert numbers == list(range(15, 22))


def test_the_inline_form() -> None:
    """``{lstm-params #tbl-inline .wide units=8 input-dim=3}``: no Sphinx spelling, so its
    options come first, on the directive's line; ``#`` names the table."""
    lines, numbers = myst.body_lines(DIRECTIVES[3]["node"])
    assert lines == [
        ":name: tbl-inline",
        ":class: wide",
        ":units: 8",
        ":input-dim: 3",
        ":show: table",
    ]
    assert numbers == [24, 24, 24, 24, 25]


def test_a_body_after_a_blank_line_keeps_its_line() -> None:
    lines, numbers = myst.body_lines(DIRECTIVES[4]["node"])
    assert lines == [":units: 8", ":input-dim: 3", "", "stray text"]
    assert numbers == [29, 30, 31, 32]


# -- answers ------------------------------------------------------------------------------------


def test_every_recorded_call_is_answered() -> None:
    answers = [plugin(f"--{c['kind']}", "lstm-params", stdin=c["stdin"]) for c in RECORDED["calls"]]
    blocks = [a[0] for a in answers[:4]]
    assert [b["type"] for b in blocks] == ["div"] * 4
    assert [text_of(b["children"][0]) for b in blocks[:3]] == [
        "Keras LSTM, 8 units, 3 input features, bidirectional has 768 trainable parameters.",
        "PyTorch LSTM, 512 units, 300 input features, 2 stacked layers has 3,768,320 trainable "
        "parameters.",
        "Keras GRU, 7 units, 3 input features, bidirectional has 504 trainable parameters.",
    ]
    caption = blocks[0]["children"][1]["children"][0]
    assert caption == {
        "type": "caption",
        "children": [{"type": "paragraph", "children": (DIRECTIVES[0]["options"]["caption"])}],
    }  # as mystmd parsed it
    assert blocks[3]["class"] == "lstm-params wide"
    (table,) = blocks[3]["children"]
    assert table["label"] == table["identifier"] == "tbl-inline"
    assert answers[-1] == [
        {"type": "span", "class": "lstm-params", "children": [{"type": "text", "value": "384"}]}
    ]


def test_a_mistake_is_an_error_box_and_a_message_for_mystmd_at_its_line() -> None:
    box, carrier = plugin("--directive", "lstm-params", stdin=DIRECTIVES[4])
    message = "lstm-params: line 4 of the directive is not an option (':name: value'): 'stray text'"
    assert box["type"] == "admonition" and box["kind"] == "error"
    assert text_of(box) == "lstm-params" + message
    assert carrier["type"] == "mystRole" and carrier["processed"] is False
    option, body = carrier["children"]
    assert option["type"] == "mystOption" and option["name"] == message
    assert option["position"]["start"]["line"] == 28  # read_fields blames the directive
    assert body == {"type": "mystRoleBody", "value": ""}
    # mystmd then calls our role with the carrier's empty body: nothing comes of it
    assert plugin("--role", "lstm-params", stdin={"name": "lstm-params", "body": ""}) == []


def test_a_bad_option_is_blamed_on_its_line() -> None:
    call = json.loads(json.dumps(DIRECTIVES[0]))
    call["node"]["children"][1]["value"] = "3x"  # :input-dim: on line 5
    _box, carrier = plugin("--directive", "lstm-params", stdin=call)
    option = carrier["children"][0]
    assert option["name"] == (
        "lstm-params: input-dim: '3x' is not a whole number from 1 to 1,000,000,000,000"
    )
    assert option["position"]["start"]["line"] == 5


def test_a_bad_role_shows_the_role_and_refers_to_its_message() -> None:
    call = {**ROLE, "body": "units=8, input-dim=3, peepholes"}
    (reference,) = plugin("--role", "lstm-params", stdin=call)
    message = (
        "lstm-params role: peepholes: Keras LSTM has no peephole weights (ONNX P and TF1 "
        "use_peepholes have them)"
    )
    assert reference["type"] == "crossReference" and reference["identifier"] == message
    assert text_of(reference) == "{lstm-params}`units=8, input-dim=3, peepholes`"
    assert reference["position"] == ROLE["node"]["position"]


@pytest.mark.parametrize("stdin", [b"not json", b"[1, 2]", b'"text"'])
@pytest.mark.parametrize("kind", ["--directive", "--role"])
def test_stdin_that_is_no_call_gives_nothing_and_exits_0(stdin: bytes, kind: str) -> None:
    done = subprocess.run([*PLUGIN, kind, "lstm-params"], input=stdin, capture_output=True)
    assert done.returncode == 0 and json.loads(done.stdout) == []


def test_an_empty_directive_is_a_mistake_as_in_sphinx() -> None:
    box, _carrier = plugin("--directive", "lstm-params", stdin={"name": "lstm-params"})
    assert text_of(box) == "lstm-paramslstm-params: units is required"


def test_a_bug_of_ours_costs_one_directive_not_the_page(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(data: Any, values: Any) -> list[Node]:
        raise KeyError("oops")

    monkeypatch.setattr(myst, "run_directive", broken)
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(DIRECTIVES[0]).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert myst.main(["--directive", "lstm-params"]) == 0
    captured = capsys.readouterr()
    box, carrier = json.loads(captured.out)
    assert text_of(box) == "lstm-paramslstm-params: internal error: KeyError('oops')"
    assert carrier["position"] == DIRECTIVES[0]["node"]["position"]
    assert "Traceback" in captured.err  # for `myst build -d`


# -- config ---------------------------------------------------------------------------------------


def test_config_from_a_script_and_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(config: dict[str, object] | None) -> list[Node]:
        stdin = io.TextIOWrapper(io.BytesIO(json.dumps(DIRECTIVES[0]).encode()))
        monkeypatch.setattr(sys, "stdin", stdin)
        assert myst.main(["--directive", "lstm-params"], config) == 0
        nodes: list[Node] = json.loads(capsys.readouterr().out)
        return nodes

    for name in ("SHOW", "THOUSANDS_SEPARATOR", "DEFAULT_FRAMEWORK", "LANGUAGE"):
        monkeypatch.delenv(f"LSTMPARAMS_{name}", raising=False)
    (block,) = answer({"lstmparams_show": ["answer"], "lstmparams_default_framework": "onnx"})
    assert [text_of(child) for child in block["children"]] == [
        "ONNX LSTM, 8 units, 3 input features, bidirectional has 832 trainable parameters."
    ]
    monkeypatch.setenv("LSTMPARAMS_SHOW", "notes")  # the environment wins
    (block,) = answer({"lstmparams_show": ["answer"]})
    assert [child["type"] for child in block["children"]] == ["list"]
    monkeypatch.setenv("LSTMPARAMS_SHOW", "answer, tabel")
    block, carrier = answer(None)
    assert len(block["children"]) == 5  # the default parts
    assert carrier["children"][0]["name"] == (
        "lstmparams_show: 'answer, tabel' is not a list of distinct parts from answer, table, "
        "formula, notes, diagram, storage (or all); using ['answer', 'table', 'formula', 'notes']"
    )


# -- the same table as the Sphinx renderer's -------------------------------------------------------

CASES = [
    {"units": 256, "input_dim": 4096},
    {"cell": "gru", "units": 64, "input_dim": 32, "framework": "pytorch", "layers": 2},
    {"units": 128, "input_dim": 64, "bidirectional": True, "framework": "onnx", "bias": False},
    {"units": 256, "input_dim": 4096, "proj_size": 64, "framework": "pytorch"},
    {"cell": "rnn", "units": 4, "input_dim": 3},
    {"cell": "convlstm2d", "units": 8, "input_dim": 3, "kernel_size": "3x3"},
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: "-".join(map(str, case.values())))
@pytest.mark.parametrize("separator", [",", "\N{THIN SPACE}"])
def test_the_table_has_the_cells_of_the_docutils_table(
    case: dict[str, Any], separator: str
) -> None:
    breakdown = count_params(**case)
    numbers = NumberStyle(separator)
    docutils_table = breakdown_table(breakdown, untranslated, numbers)
    expected = [
        [entry.astext() for entry in row.findall(nodes.entry)]
        for row in docutils_table.findall(nodes.row)
    ]
    (container,) = render(breakdown, MdastSettings(("table",), numbers))
    rows = list(container["children"][1]["children"])
    assert [[text_of(cell) for cell in row["children"]] for row in rows] == expected
    assert text_of(container["children"][0]) == docutils_table[0].astext()  # the caption


def test_the_diagram_image_is_svg_on_a_white_ground() -> None:
    from sphinxcontrib_lstmparams.cell_diagram import draw

    drawing = draw(count_params(units=8, input_dim=3), untranslated, NumberStyle())
    svg = ElementTree.fromstring(svg_image(drawing))
    first = svg[0]
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert first.tag.endswith("rect") and first.get("fill") == "#ffffff"
    assert first.get("width") == first.get("height") == "100%"


def test_parts_without_a_cell_to_draw_give_nothing() -> None:
    breakdown = count_params(cell="convlstm2d", units=8, input_dim=3, kernel_size="3x3")
    assert render(breakdown, MdastSettings(("diagram", "storage"))) == []
