"""The mystmd plugin without mystmd: what it declares, the body lines it rebuilds from mystmd's
nodes, its answers to real calls, its messages, its config, and its table against the Sphinx
renderer's.

``tests/data/mystmd_calls.json`` (the ``lstm-params`` directive and role) and
``tests/data/mystmd_model_calls.json`` (``model-summary``) hold what mystmd 1.11.0 sent the
plugin for the page stored with them, saved by a wrapper around the plugin during a ``myst build
--site`` (``scripts/record_mystmd_calls.py``); ``tests/test_myst_build.py`` runs the same code
under a real mystmd.
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

from sphinxcontrib_lstmparams import count_params
from sphinxcontrib_lstmparams.directive_options import DISPLAY_OPTIONS
from sphinxcontrib_lstmparams.kinds import all_options
from sphinxcontrib_lstmparams.model.body import MODEL_OPTIONS
from sphinxcontrib_lstmparams.model.layout import MODEL_CLASS as MODEL
from sphinxcontrib_lstmparams.model.layout import breakdown_ids, same_breakdowns
from sphinxcontrib_lstmparams.model.printers import layout
from sphinxcontrib_lstmparams.model.read import summarize
from sphinxcontrib_lstmparams.myst import plugin as myst
from sphinxcontrib_lstmparams.myst.mdast import MdastSettings, render, svg_image
from sphinxcontrib_lstmparams.myst.mdast_model import ModelMdastSettings, render_model
from sphinxcontrib_lstmparams.numbers import NumberStyle
from sphinxcontrib_lstmparams.options import ALIASES, kebab
from sphinxcontrib_lstmparams.render import RenderSettings
from sphinxcontrib_lstmparams.render.model import ModelRender, model_nodes
from sphinxcontrib_lstmparams.render.table import breakdown_table
from sphinxcontrib_lstmparams.spec import untranslated

DATA = Path(__file__).parent / "data"
RECORDED = json.loads((DATA / "mystmd_calls.json").read_text(encoding="utf-8"))
MODEL_RECORDED = json.loads((DATA / "mystmd_model_calls.json").read_text(encoding="utf-8"))
MODELS = [call["stdin"] for call in MODEL_RECORDED["calls"]]
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
    role, carrier = spec["roles"]
    assert directive["name"] == role["name"] == "lstm-params"
    # model-summary's messages name it: a role of its name carries them (message_carrier)
    assert carrier["name"] == "model-summary"
    assert spec["transforms"] == [
        {
            "name": "lstm-params-quotes",
            "doc": "The counts {lstm-params}`model=NAME` quotes, once every page is read.",
            "stage": "document",
        }
    ]
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
    "args", [["--transform", "x"], ["--role", "lstm"], ["--directive", "lstm"], ["--model"]]
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
    # the parts themselves, no div around them (myst build --md and --jats drop a div)
    assert [[part["type"] for part in answer] for answer in answers[:4]] == [
        ["paragraph", "container", "math", "paragraph", "list"],
        ["paragraph", "container", "math", "paragraph", "list"],
        ["paragraph"],
        ["container"],
    ]
    assert all("div" not in json.dumps(answer) for answer in answers)
    assert [text_of(answer[0]) for answer in answers[:3]] == [
        "Keras LSTM, 8 units, 3 input features, bidirectional has 768 trainable parameters.",
        "PyTorch LSTM, 512 units, 300 input features, 2 stacked layers has 3,768,320 trainable "
        "parameters.",
        "Keras GRU, 7 units, 3 input features, bidirectional has 504 trainable parameters.",
    ]
    assert {part["class"].split()[0] for answer in answers[:4] for part in answer} == {
        "lstm-params"
    }
    caption = answers[0][1]["children"][0]
    assert caption == {
        "type": "caption",
        "children": [{"type": "paragraph", "children": (DIRECTIVES[0]["options"]["caption"])}],
    }  # as mystmd parsed it
    (table,) = answers[3]
    assert table["class"] == "lstm-params wide lstm-params-table"  # the page's :class: too
    assert table["label"] == table["identifier"] == "tbl-inline"
    assert answers[-1] == [{"type": "text", "value": "384"}]  # text: every export keeps it


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
    parts = answer({"lstmparams_show": ["answer"], "lstmparams_default_framework": "onnx"})
    assert [text_of(part) for part in parts] == [
        "ONNX LSTM, 8 units, 3 input features, bidirectional has 832 trainable parameters."
    ]
    monkeypatch.setenv("LSTMPARAMS_SHOW", "notes")  # the environment wins
    parts = answer({"lstmparams_show": ["answer"]})
    assert [part["type"] for part in parts] == ["list"]
    monkeypatch.setenv("LSTMPARAMS_SHOW", "answer, tabel")
    *parts, carrier = answer(None)
    assert len(parts) == 5  # the default parts
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


# -- model-summary -------------------------------------------------------------------------------


def test_recorded_model_page() -> None:
    assert MODEL_RECORDED["mystmd"] == "1.11.0"
    assert [call["kind"] for call in MODEL_RECORDED["calls"]] == ["directive"] * 6
    assert [call["node"]["position"]["start"]["line"] for call in MODELS] == [3, 14, 26, 30, 37, 43]


def test_model_body_lines_as_the_sphinx_directive_sees_them() -> None:
    lines, numbers = myst.body_lines(MODELS[0]["node"])
    assert lines == [
        ":caption: The *IMDB* classifier",
        ":name: model-imdb",
        "",
        'keras.Input(shape=(None,), dtype="int32")',
        "layers.Embedding(20000, 128)",
        "layers.Bidirectional(",
        "    layers.LSTM(64, return_sequences=True))",  # the indent of a call's next line kept
        'layers.Dense(1, activation="sigmoid")',
    ]
    assert numbers == list(range(4, 12))
    lines, numbers = myst.body_lines(MODELS[1]["node"])  # a YAML block in a ::: fence
    assert lines[:5] == [
        "---",
        'input-shape: "64, 200"',
        'model-name: "GRUSentiment"',
        'show: "all"',
        "---",
    ]
    assert numbers == list(range(15, 24))
    lines, numbers = myst.body_lines(MODELS[2]["node"])  # the first layer on the fence line
    assert (lines, numbers) == (["layers.LSTM(8, input_shape=(5, 3))", "layers.Dense(1)"], [26, 27])
    lines, numbers = myst.body_lines(MODELS[3]["node"])  # {model-summary #model-inline ...}
    assert lines[:4] == [
        ":name: model-inline",
        ":class: wide",
        ":framework: pytorch",
        ":show: summary",
    ]
    assert numbers[:4] == [30, 30, 30, 31]


def model_answers() -> list[list[Node]]:
    return [plugin("--directive", "model-summary", stdin=call) for call in MODELS]


def cells_of(table: Node) -> list[list[str]]:
    return [[text_of(cell) for cell in row["children"]] for row in table["children"]]


def test_every_recorded_model_call_is_answered() -> None:
    keras, torch, fence, inline, bad, refused = model_answers()
    # the parts themselves, no div (myst build --md and --jats drop a div with all it holds)
    assert all("div" not in json.dumps(answer) for answer in model_answers())
    container, *totals, units, rubric = keras[:6]
    assert container["kind"] == "table" and container["label"] == "model-imdb"
    assert container["class"] == (
        "lstm-params lstm-params-models lstm-params-table lstm-params-model-table"
    )
    caption = container["children"][0]["children"][0]["children"]
    assert caption == MODELS[0]["options"]["caption"]  # as mystmd parsed it
    table = container["children"][1]
    assert cells_of(table)[2] == ["bidirectional (Bidirectional)", "(None, None, 128)", "98,816"]
    link = table["children"][2]["children"][2]["children"][0]
    assert link == {
        "type": "crossReference",
        "identifier": "model-imdb-layer-2",
        "label": "model-imdb-layer-2",
        "children": [{"type": "text", "value": "98,816"}],
    }
    # the totals, a paragraph each (JATS allows no line break in a paragraph), and the units
    assert [text_of(line) for line in totals] == [
        "Total params: 2,658,945 (10.14 MB)",
        "Trainable params: 2,658,945 (10.14 MB)",
        "Non-trainable params: 0 (0.00 B)",
    ]
    assert {line["class"] for line in totals} == {
        "lstm-params lstm-params-models lstm-params-model-totals"
    }
    assert text_of(units) == "Sizes as Keras prints them: 1 KB = 1,024 bytes, 1 MB = 1,024² bytes."
    # the breakdown starts with its label, the target of the link
    assert rubric["identifier"] == "model-imdb-layer-2"
    assert text_of(rubric) == "bidirectional (Bidirectional)"
    # the GRU model: summary, printed text and its units, breakdown; unnamed, so its own ids
    types = [part["type"] for part in torch]
    code = torch[types.index("code")]
    assert code["lang"] == "none" and code.get("class", "").endswith("lstm-params-model-printed")
    assert code["value"].startswith("=====") and "GRUSentiment" in code["value"]
    (units,) = [p for p in torch if p.get("class", "").endswith("lstm-params-model-units")]
    assert text_of(units) == "Sizes as torchinfo prints them: 1 MB = 10⁶ bytes."
    sizes = [p for p in torch if p.get("class", "").endswith("lstm-params-model-sizes")]
    assert len(sizes) == 4 and torch.index(units) == torch.index(sizes[-1]) + 1  # said once
    (rubric,) = [p for p in torch if p.get("identifier")]
    assert rubric["identifier"].startswith("lstm-params-model-")
    assert rubric["identifier"].endswith("-layer-2")
    assert text_of(rubric) == "GRU: 1-2"
    assert text_of(fence[0]["children"][1]["children"][0]).startswith("Layer")
    container = inline[0]
    assert container["class"].startswith("lstm-params lstm-params-models wide")
    assert container["label"] == "model-inline"
    assert "crossReference" not in json.dumps(inline)  # :show: summary: no breakdown to link
    # layers that are not counted: a warning box that says what to fix, and a message for
    # mystmd at each of their lines, carried by the role named after the directive
    box, *carriers = bad
    assert box["type"] == "admonition" and box["kind"] == "warning"
    assert [text_of(item) for item in box["children"][1]["children"]] == [
        "line 39: lstm is not counted: layers.LSTM: unknown keyword 'return_sequence' (it may "
        "change the count, so it is not ignored); did you mean 'return_sequences'?",
        "line 40: dense is not counted: layers.Dense: its input width is not known, since the "
        "layer before could not be followed",
    ]
    assert '"?"' not in json.dumps(box) and "tableCell" not in json.dumps(box)  # no ? rows
    assert [c["children"][0]["position"]["start"]["line"] for c in carriers] == [39, 40]
    assert {c["name"] for c in carriers} == {"model-summary"}
    assert carriers[0]["children"][0]["name"] == (
        "model-summary: lstm is not counted: layers.LSTM: unknown keyword 'return_sequence' "
        "(it may change the count, so it is not ignored); did you mean 'return_sequences'?"
    )
    # an option that cannot be read: an error box, and the message at its line
    box, carrier = refused
    assert box["type"] == "admonition" and text_of(box["children"][0]) == "model-summary"
    assert carrier["name"] == "model-summary"
    message = carrier["children"][0]
    assert message["name"] == (
        "model-summary: input-shape: '80 words' is not a shape, such as (None, 16, 4096) or "
        "16, 4096"
    )
    assert message["position"]["start"]["line"] == 44
    # and mystmd's call of the carrier back gives nothing
    assert plugin("--role", "model-summary", stdin={"name": "model-summary", "body": ""}) == []


def test_unnamed_summaries_get_ids_of_their_own() -> None:
    call = json.loads(json.dumps(MODELS[2]))
    first = plugin("--directive", "model-summary", stdin=call)
    assert plugin("--directive", "model-summary", stdin=call) == first  # stable
    call["node"]["position"]["start"]["line"] += 10  # the same lines further down the page
    moved = plugin("--directive", "model-summary", stdin=call)
    ids = [
        part["identifier"] for answer in (first, moved) for part in answer if "identifier" in part
    ]
    assert len(ids) == len(set(ids)) == 2


def test_label_is_refused_as_in_sphinx() -> None:
    call = json.loads(json.dumps(MODELS[0]))
    call["node"]["children"][1]["name"] = "label"
    box, carrier = plugin("--directive", "model-summary", stdin=call)
    assert box["type"] == "admonition"
    assert carrier["children"][0]["name"].startswith("model-summary: unknown option 'label'")
    assert carrier["children"][0]["position"]["start"]["line"] == 5


MODEL_CASES = [
    (["layers.Embedding(1000, 8)", "layers.LSTM(4)", "layers.Dense(1)"], None, ""),
    (["nn.LSTM(3, 8, num_layers=2)", "x[:, -1, :]", "nn.Linear(8, 2)"], "4, 5, 3", "tbl-m"),
    (["layers.LSTM(4, input_shape=(5, 3))", "layers.Frobnicate(2)"], None, ""),
    # two identical layers: one breakdown, the second points to it
    (
        ["layers.Embedding(100, 8)", "layers.LSTM(8, return_sequences=True)", "layers.LSTM(8)"],
        None,
        "",
    ),
]


@pytest.mark.parametrize(("lines", "shape", "name"), MODEL_CASES)
@pytest.mark.parametrize("separator", [",", "\N{THIN SPACE}"])
def test_a_model_summary_has_the_parts_of_the_docutils_one(
    lines: list[str], shape: str | None, name: str, separator: str
) -> None:
    summary = summarize(lines, input_shape=shape)
    numbers = NumberStyle(separator)
    parts = ("summary", "printed", "breakdowns")
    ids = breakdown_ids(summary, name or "m", parts)
    same = same_breakdowns(summary)
    described = layout(summary, numbers)
    breakdown = ("answer", "table", "notes")
    sphinx = model_nodes(
        summary,
        described,
        ModelRender(parts, numbers, RenderSettings(breakdown, numbers), ids, same=same),
        untranslated,
    )
    mdast = render_model(
        summary,
        described,
        ModelMdastSettings(
            parts, numbers, MdastSettings(breakdown, numbers), ids, name=name, same=same
        ),
    )
    (table,) = sphinx[0].findall(nodes.table)
    rows = [[e.astext() for e in row.findall(nodes.entry)] for row in table.findall(nodes.row)]
    container = mdast[0]
    assert cells_of(container["children"][1]) == rows
    assert text_of(container["children"][0]) == table[0].astext()  # the caption
    assert container.get("label", "") == name
    # the lines under the table: Sphinx's line blocks, a paragraph a line for mystmd
    lines_after = [
        [line.astext() for line in block.findall(nodes.line)]
        for block in sphinx[0].findall(nodes.line_block)
    ]
    classes = [p.get("class") for p in mdast if str(p.get("class")).startswith(f"{MODEL}-")]
    grouped = [
        [text_of(p) for p in mdast if p.get("class") == kind]
        for kind in dict.fromkeys(classes)
        if not kind.endswith(("-units", "-printed", "-rubric", "-same"))
    ]
    assert grouped == lines_after
    assert len(lines_after) == 1 + bool(described.sizes)
    units = [p.astext() for p in sphinx[0].children if isinstance(p, nodes.paragraph)]
    assert [text_of(p) for p in mdast if p.get("class") == f"{MODEL}-units"] == units
    printed = [b for b in sphinx if isinstance(b, nodes.literal_block)]
    assert [p["value"] for p in mdast if p["type"] == "code"] == [b.astext() for b in printed]
    references = [r["refid"] for r in table.findall(nodes.reference)]
    links = [link["identifier"] for link in _of_type(container, "crossReference")]
    assert links == references == [ids[same.get(k, k)] for k in sorted(ids)]
    # each breakdown's label (a rubric, or the line of a layer that repeats one) and its id
    heads = [p for p in mdast if p.get("identifier") and p["type"] == "paragraph"]
    labels = [d[0].astext() for d in sphinx[1:] if isinstance(d, nodes.container)]
    assert [text_of(p) for p in heads] == labels
    assert [p["identifier"] for p in heads] == [i for d in sphinx for i in d["ids"]]
    assert len(labels) == len(ids) and len(same) == (lines == MODEL_CASES[3][0])
    if same:
        assert labels[1] == "lstm_1 (LSTM): same as lstm (LSTM)."
        assert _of_type(heads[1], "crossReference")[0]["identifier"] == heads[0]["identifier"]


def _lines(paragraph: Node) -> list[str]:
    lines = [""]
    for child in paragraph["children"]:
        if child["type"] == "break":
            lines.append("")
        else:
            lines[-1] += text_of(child)
    return lines


def _of_type(node: Node, kind: str) -> list[Node]:
    found = [node] if node.get("type") == kind else []
    for child in node.get("children") or []:
        found += _of_type(child, kind)
    return found


# -- :expect: as in Sphinx ------------------------------------------------------------------------


def _with_expect(value: str) -> Node:
    call: Node = json.loads(json.dumps(DIRECTIVES[0]))  # :units: 8, :input-dim: 3, ... lines 4-7
    children = call["node"]["children"]
    at = max(i for i, child in enumerate(children) if child.get("type") == "mystOption") + 1
    option = {"type": "mystOption", "name": "expect", "location": "colon", "value": value}
    children.insert(at, {**option, "children": []})
    return call


def test_a_stale_expect_is_printed_by_mystmd_at_its_line_and_the_count_still_shows() -> None:
    answer, *parts, carrier = plugin("--directive", "lstm-params", stdin=_with_expect("700"))
    assert "768" in text_of(answer) and carrier["type"] == "mystRole"
    option = carrier["children"][0]
    assert option["name"] == "lstm-params: :expect: 700 does not match the count, 768 (68 more)"
    assert option["position"]["start"]["line"] == 8
    agreed = plugin("--directive", "lstm-params", stdin=_with_expect("768"))
    assert [node["type"] for node in agreed] == [answer["type"], *(p["type"] for p in parts)]


def test_a_stale_expect_in_the_role_keeps_the_count_and_refers_to_the_message() -> None:
    (reference,) = plugin(
        "--role", "lstm-params", stdin={**ROLE, "body": "units=8, input-dim=3, expect=9"}
    )
    assert reference["type"] == "crossReference" and text_of(reference) == "384"
    assert (
        reference["identifier"]
        == "lstm-params role: expect=9 does not match the count, 384 (375 more)"
    )
    (count,) = plugin(
        "--role", "lstm-params", stdin={**ROLE, "body": "units=8, input-dim=3, expect=384"}
    )
    assert count == {"type": "text", "value": "384"}


# -- quotes of named summaries --------------------------------------------------------------------


def test_a_quote_is_answered_once_every_page_is_read(tmp_path: Path) -> None:
    """The role leaves a reference to the summary; the summary's directive keeps its counts
    in a file of the build; the transform, which mystmd runs on each page after every page's
    directives and roles, puts the count in (or the message mystmd reports as a reference it
    cannot resolve)."""
    kept = {"LSTMPARAMS_MYST_MODELS": str(tmp_path / "models.json")}
    role = {**ROLE, "body": "model=Model-IMDB, layer=bidirectional, expect=98816"}
    (placeholder,) = plugin("--role", "lstm-params", stdin=role, **kept)
    assert placeholder["type"] == "crossReference" and placeholder["identifier"] == "model-imdb"
    assert (
        text_of(placeholder) == "{lstm-params}`model=Model-IMDB, layer=bidirectional, expect=98816`"
    )
    quotes = [
        placeholder,
        *plugin("--role", "lstm-params", stdin={**ROLE, "body": "model=model-imdb"}, **kept),
        *plugin("--role", "lstm-params", stdin={**ROLE, "body": "model=model-imdb, expect=7"}),
        *plugin("--role", "lstm-params", stdin={**ROLE, "body": "model=nope"}),
        *plugin("--role", "lstm-params", stdin={**ROLE, "body": "model=model-imdb, layer=x"}),
        *plugin("--role", "lstm-params", stdin={**ROLE, "body": "model=model-imbd, layer=x"}),
        *plugin("--role", "lstm-params", stdin={**ROLE, "body": "model=model-imdb, layer=dens"}),
    ]
    page = {"type": "root", "children": [{"type": "paragraph", "children": quotes}]}
    plugin("--directive", "model-summary", stdin=MODELS[0], **kept)  # named model-imdb
    answered = plugin("--transform", "lstm-params-quotes", stdin=page, **kept)
    found = _of_type(answered, "crossReference")
    assert [text_of(node) for node in found] == [
        "98,816",
        "2,658,945",
        "2,658,945",
        "{lstm-params}`model=nope`",
        "{lstm-params}`model=model-imdb, layer=x`",
        "{lstm-params}`model=model-imbd, layer=x`",
        "{lstm-params}`model=model-imdb, layer=dens`",
    ]
    assert [node["identifier"] for node in found] == [
        "model-imdb",  # a link to the summary's table
        "model-imdb",
        "lstm-params role: expect=7 does not match the count, 2,658,945 (2,658,938 more)",
        "lstm-params role: model=nope: no model summary has that :name:",
        "lstm-params role: model=model-imdb, layer=x: that model has no such layer",
        "lstm-params role: model=model-imbd: no model summary has that :name:; did you mean "
        "'model-imdb'?",
        "lstm-params role: model=model-imdb, layer=dens: that model has no such layer; did you "
        "mean 'dense'?",
    ]
    assert "lstmParamsQuote" not in json.dumps(answered)
    # a page without a quote comes back unchanged (mystmd merges the empty answer)
    assert plugin("--transform", "lstm-params-quotes", stdin={"type": "root"}, **kept) == {}


def test_quote_mistakes_are_the_sphinx_roles() -> None:
    for body, message in [
        ("model=imdb, units=3", "units: not a word of a quote (model, layer, expect)"),
        ("model=imdb, model=b", "model: given twice"),
        ("model=", "model: empty"),
    ]:
        (reference,) = plugin("--role", "lstm-params", stdin={**ROLE, "body": body})
        assert reference["identifier"].startswith(f"lstm-params role: {message}")
    # the role that carries model-summary's messages is no role for a page
    (reference,) = plugin(
        "--role", "model-summary", stdin={**ROLE, "name": "model-summary", "body": "imdb"}
    )
    assert reference["identifier"] == (
        "model-summary role: a directive, not a role; {lstm-params}`model=NAME` quotes a summary"
    )


def test_a_pasted_cell_with_the_sites_define_from_the_environment() -> None:
    """mystmd has no conf.py: LSTMPARAMS_DEFINE gives the site's values, as
    ``lstmparams_define`` does in Sphinx."""
    call = json.loads(json.dumps(MODELS[2]))
    body = (
        "import keras\n"
        "model = keras.Sequential([keras.Input((vocab_size,)), keras.layers.Dense(units)])"
    )
    call["arg"] = call["node"]["args"] = ""
    call["body"] = call["node"]["value"] = body
    call["node"]["children"] = [
        child for child in call["node"]["children"] if child["type"] == "mystDirectiveBody"
    ]
    call["node"]["children"][0]["value"] = body
    answer = plugin("--directive", "model-summary", stdin=call)
    assert "vocab_size` is not defined in the cell" in json.dumps(answer)
    (table, *_rest) = plugin(
        "--directive", "model-summary", stdin=call, LSTMPARAMS_DEFINE="vocab_size=10, units=4"
    )
    assert "44" in {text_of(cell) for cell in _cells(table)}  # (10 + 1) x 4


def _cells(node: Node) -> list[Node]:
    found = [node] if node.get("type") == "tableCell" else []
    for child in node.get("children") or []:
        found += _cells(child)
    return found
