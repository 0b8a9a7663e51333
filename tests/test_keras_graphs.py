"""Keras graphs: functional models, branches and merges, shared layers, nested and subclassed
models, "Connected to". Every cell recorded from Keras 3 is read back (never run) row by row,
total by total, and printed character by character at several widths and settings; the
models Keras refuses are one located warning and no total; random graphs built in Keras hold
the invariants (the total is the sum of the distinct layers, a shared layer is one row).

Ground truth: ``tests/data/keras_graphs.json`` (``scripts/record_keras_graphs.py`` runs each
cell in Keras 3.15) and the functional forms of ``tests/data/model_summaries.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import model_summary, summary_text
from sphinxcontrib_lstmparams.model.keras.layout import keras_shapes
from sphinxcontrib_lstmparams.model.keras.merges import MERGES, MergeError, merged_shape
from sphinxcontrib_lstmparams.model.keras.operators import OperatorError, broadcast, indexed
from sphinxcontrib_lstmparams.model.keras.text import keras_widths
from sphinxcontrib_lstmparams.model.layout import listed_rows
from sphinxcontrib_lstmparams.model.summary import ModelError, ModelSummary

DATA = json.loads((Path(__file__).parent / "data" / "keras_graphs.json").read_text("utf-8"))
CASES = {case["name"]: case for case in DATA["cases"]}
BUILT = sorted(name for name, case in CASES.items() if "refused" not in case)
REFUSED = sorted(name for name, case in CASES.items() if "refused" in case)
FUZZ = sorted(name for name in BUILT if name.startswith("fuzz-"))
VARIANTS = [(name, index) for name in BUILT for index in range(len(CASES[name]["printed_at"]))]
SUMMARIES = json.loads((Path(__file__).parent / "data" / "model_summaries.json").read_text("utf-8"))
FUNCTIONAL_FORMS = {c["name"]: c for c in SUMMARIES["cases"] if "printed_functional" in c}

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture
CONF = 'extensions = ["sphinxcontrib_lstmparams"]\n'
_read: dict[str, ModelSummary] = {}


def read(name: str) -> ModelSummary:
    if name not in _read:
        case = CASES[name]
        _read[name] = model_summary(case["code"], define=case["define"])
    return _read[name]


def shown(summary: ModelSummary, settings: dict[str, Any]) -> str:
    """What the summary prints with ``model.summary(**settings)``."""
    call = replace(
        summary.call,
        expand_nested=settings.get("expand_nested"),
        show_trainable=settings.get("show_trainable"),
    )
    return summary_text(replace(summary, call=call), settings.get("line_length"))


def rows_of(summary: ModelSummary, top: bool = True) -> list[Any]:
    listed = []
    for row in summary.rows:
        entry = [row.name, row.cls, keras_shapes(row), row.params, row.trainable, row.unbuilt]
        if top and summary.connected:
            entry.append(list(row.connected_to))
        if row.nested is not None and not row.nested_hidden:
            entry.append(rows_of(row.nested, top=False))
        listed.append(entry)
    return listed


def recorded_rows(rows: list[dict[str, Any]], connected: bool, top: bool = True) -> list[Any]:
    listed = []
    for row in rows:
        entry = [row["name"], row["class"], row["shown_shape"], row["params"], row["trainable"],
                 row["unbuilt"]]  # fmt: skip
        if top and connected:
            entry.append(row["connected_to"])
        if "layers" in row:
            entry.append(recorded_rows(row["layers"], connected, top=False))
        listed.append(entry)
    return listed


# -- every recorded cell ----------------------------------------------------------------------


def test_the_recording_covers_what_the_issue_asks() -> None:
    codes = "\n".join(CASES[name]["code"] for name in BUILT)
    for idiom in ("keras.Input(", 'name="', 'dtype="int32"', "initial_state=", "mask=",
                  "return_state=True", "merge_mode=None", "layers.concatenate(",
                  "Concatenate(axis=1)", "layers.add(", "Add()", "layers.subtract(", "multiply(",
                  "average(", "maximum(", "minimum(", "layers.dot(", "Dot(axes=", "keras.Model(",
                  "inputs=[", "outputs=[", "outputs={", "expand_nested=True",
                  "show_trainable=True", "(keras.Model):", "(layers.Layer):", "a + b",
                  "[:, -1, :]", "mask_zero=True", "lstm(first", "layers.Attention()([",
                  "AdditiveAttention()([", "key_dim=16)(\n    seq, seq",
                  "return_attention_scores=True", "encoder(embed(question))"):  # fmt: skip
        assert idiom in codes, idiom
    assert len(FUZZ) >= 20 and len(REFUSED) >= 5
    assert any(case["framework"] == "keras-jax" for case in CASES.values())
    names = {name.rpartition("-")[0] or name for name in BUILT}
    assert {"seq2seq-character-keras", "siamese-shared", "residual"} <= names


@pytest.mark.parametrize("name", BUILT)
def test_a_recorded_model_gives_keras_rows_totals_and_text(name: str) -> None:
    case = CASES[name]
    summary = read(name)
    assert summary.complete and not summary.step_problems, summary.step_problems
    assert summary.title == case["model_name"]
    assert rows_of(summary) == recorded_rows(case["layers"], summary.connected)
    assert (summary.total, summary.trainable, summary.non_trainable) == (
        case["total"], case["trainable"], case["non_trainable"],
    )  # fmt: skip
    assert shown(summary, case["summary_call"]) == case["printed"]


@pytest.mark.parametrize(("name", "index"), VARIANTS)
def test_a_recorded_model_prints_as_keras_at_other_widths_and_settings(
    name: str, index: int
) -> None:
    variant = CASES[name]["printed_at"][index]
    assert shown(read(name), variant["settings"]) == variant["text"]


@pytest.mark.parametrize("name", sorted(FUNCTIONAL_FORMS))
def test_the_functional_form_of_a_recorded_sequential_prints_as_keras(name: str) -> None:
    """scripts/record_model_summaries.py also built each model that starts with an Input as
    keras.Model(inputs, x), at COLUMNS=100 (Keras' default 108 cut to 96)."""
    case = FUNCTIONAL_FORMS[name]
    first, *rest = case["lines"]
    code = "import keras\nfrom keras import layers\nfrom keras.layers import *\n"
    code += f"inputs = x = {first}\n" + "".join(f"x = {line}(x)\n" for line in rest)
    code += "model = keras.Model(inputs, x)\n"
    summary = model_summary(code)
    assert summary.total == case["total"]
    width = 96 if summary.connected else 88
    assert summary_text(summary, width) == case["printed_functional"]


def test_the_keras_io_seq2seq_pasted_with_its_data_preparation_gives_keras_total() -> None:
    """keras.io examples/nlp/lstm_seq2seq.py from its configuration to its model, as written:
    the reader skips what loads the data, and the two sizes it counts come from the defines
    (the example prints 71 and 93 for its data)."""
    code = (
        SEQ2SEQ_PREPARATION
        + CASES["seq2seq-character-keras-io"]["code"].partition(
            "num_samples = 10000  # Number of samples to train on.\n"
        )[2]
    )
    summary = model_summary(code, define={"num_encoder_tokens": 71, "num_decoder_tokens": 93})
    assert summary.total == 718_173 == CASES["seq2seq-character-keras-io"]["total"]
    assert [row.connected_to for row in summary.rows][3] == (
        "input_layer_1[0][0]", "lstm[0][1]", "lstm[0][2]"
    )  # fmt: skip
    unknown = model_summary(code)
    assert not unknown.complete
    assert any("num_encoder_tokens" in row.problem for row in unknown.problems if row.problem)


# -- models Keras refuses -----------------------------------------------------------------------


@pytest.mark.parametrize("name", REFUSED)
def test_a_model_keras_refuses_is_one_warning_at_its_line_and_no_total(name: str) -> None:
    case = CASES[name]
    summary = read(name)
    warnings = [
        *summary.step_problems,
        *((row.line, row.problem) for row in summary.problems),
    ]
    assert len(warnings) == 1, warnings
    ((line, text),) = warnings
    assert line == case["refused"]["line"] - 1
    said = case["refused"]["message"]  # in Keras' words (an input's check, its own part)
    assert (
        said.partition("incompatible with the layer: ")[2].partition(". Full")[0] or said
    ) in text
    assert summary.refused_at == line and summary.as_dict()["total"] is None
    printed = summary_text(summary)
    assert "Total params: none: Keras would not build this model" in printed
    assert text[:60] in printed


# -- random graphs: the invariants -----------------------------------------------------------------


@pytest.mark.parametrize("name", FUZZ)
def test_a_random_graph_counts_each_layer_once(name: str) -> None:
    case = CASES[name]
    summary = read(name)
    counted = {row.name: row.params for row in summary.rows}
    assert len(counted) == len(summary.rows)  # one row per layer, however often called
    assert summary.total == sum(counted.values()) == case["total"]
    # a layer made once and called k times is one row with k entries in its Connected to
    # (the only rows fed several tensors that are not merges, in these graphs)
    calls = sorted(
        count
        for var in re.findall(r"^(layer\d+|block\d+) = ", case["code"], re.MULTILINE)
        if (count := len(re.findall(rf"\b{var}\(", case["code"]))) > 1
    )
    fed_twice = sorted(
        len(row.connected_to)
        for row in summary.rows
        if row.cls not in MERGES and len(row.connected_to) > 1
    )
    assert fed_twice == calls


def test_the_random_graphs_draw_merges_shared_layers_and_nested_models() -> None:
    codes = [CASES[name]["code"] for name in FUZZ]
    assert sum("keras.Sequential" in code for code in codes) >= 3
    assert sum(bool(re.search(r"^s\d+ = ", code, re.M)) for code in codes) >= 3
    assert sum("layers.concatenate" in code or "Concatenate()" in code for code in codes) >= 3
    assert sum(bool(re.search(r"layers\.(add|multiply|average|maximum)", c)) for c in codes) >= 3


# -- the pieces, on their own ------------------------------------------------------------------


def test_keras_widths_for_four_and_five_columns() -> None:
    assert keras_widths(108, (0.3, 0.56, 0.74, 1.0)) == [29, 25, 15, 26]
    for width in (60, 76, 80, 108, 120, 150):
        for positions in ((0.3, 0.56, 0.74, 1.0), (0.27, 0.504, 0.666, 0.9, 1.0)):
            assert sum(keras_widths(width, positions)) + 3 * len(positions) + 1 == width


def test_merged_shapes_and_keras_words_when_they_do_not_meet() -> None:
    assert merged_shape("Concatenate", [(None, 10, 8), (None, 10, 4)], {}) == (None, 10, 12)
    assert merged_shape("Concatenate", [(None, 10, 8), (None, None, 8)], {"axis": 1}) == (
        None, None, 8,
    )  # fmt: skip
    assert merged_shape("Add", [(None, 1, 8), (None, 5, 8)], {}) == (None, 5, 8)
    assert merged_shape("Dot", [(None, 10, 8), (None, 6, 8)], {"axes": 2}) == (None, 10, 6)
    assert merged_shape("Dot", [(None, 8), (None, 8)], {"axes": 1}) == (None, 1)
    with pytest.raises(MergeError, match="A `Subtract` layer should be called on exactly 2"):
        merged_shape("Subtract", [(None, 8)] * 3, {})
    with pytest.raises(MergeError, match="Inputs have incompatible shapes"):
        merged_shape("Multiply", [(None, 8), (None, 4)], {})


def test_tensor_operator_shapes() -> None:
    assert broadcast((None, 12, 4), ()) == (None, 12, 4)
    assert broadcast((None, 1, 4), (None, 12, 1)) == (None, 12, 4)
    with pytest.raises(OperatorError, match="Cannot broadcast shape"):
        broadcast((None, 8), (None, 4))
    assert indexed((None, 12, 4), (slice(None), -1, slice(None))) == (None, 4)
    assert indexed((None, 12, 4), (Ellipsis, 0)) == (None, 12)
    assert indexed((None, 12, 4), (slice(None), slice(2, None), None)) == (None, 10, 1, 4)
    with pytest.raises(OperatorError, match="out of bounds"):
        indexed((None, 12, 4), (slice(None), 12))


# -- what the reader follows, and says ------------------------------------------------------------

GRAPH = CASES["shared-dense-nested-encoder"]["code"]


def test_a_shared_layer_is_one_row_with_both_calls_and_counted_once() -> None:
    summary = model_summary(GRAPH)
    dense = next(row for row in summary.rows if row.name == "dense")
    assert dense.connected_to == ("encoder[0][0]", "gru[0][0]") and dense.params == 36
    assert [row.name for row in summary.rows].count("dense") == 1
    encoder = next(row for row in summary.rows if row.name == "encoder")
    assert encoder.nested is not None and encoder.params == 16_000 + 800
    assert [row.name for row in listed_rows(summary)][2:5] == ["encoder", "embedding", "lstm"]
    assert summary.total == 16_800 + 36 + 16_000 + 624


def test_what_the_reader_cannot_follow_is_said_at_its_line() -> None:
    code = """\
import keras
from keras import layers

x = keras.Input(shape=(10, 4))
y = layers.LSTM(8)(data)
model = keras.Model(x, y)
"""
    with pytest.raises(ModelError, match=r"^no model: keras.Model.*`data` is not defined") as no:
        model_summary(code)
    assert no.value.line == 4
    unknown = code.replace("(data)", "(x)").replace("(10, 4)", "(10, n)")
    given, fed = model_summary(unknown).problems
    assert (given.line, given.problem) == (
        3, "Input(shape=...): `n` is not defined in the cell: give it with define={'n': ...}"
    )  # fmt: skip
    assert (fed.line, fed.problem) == (
        4, "layers.LSTM: its input width is not known, since the layer before could not be followed"
    )  # fmt: skip
    assert model_summary(unknown, define={"n": 4}).total == 416


def test_expand_nested_from_python_and_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    folded = model_summary(GRAPH, expand_nested=False)
    assert "└ lstm (LSTM)" not in summary_text(folded)
    assert "   └ lstm (LSTM)" in summary_text(model_summary(GRAPH))
    path = tmp_path / "model.py"
    path.write_text(GRAPH.replace("expand_nested=True", ""), encoding="utf-8")
    run = [sys.executable, "-m", "sphinxcontrib_lstmparams", "--model", str(path)]
    plain = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    nested = subprocess.run([*run, "--expand-nested"], capture_output=True, text=True,
                            check=True).stdout  # fmt: skip
    assert "└ lstm" not in plain and "   └ lstm (LSTM)" in nested
    assert "Connected to" in plain


HEAD = "import keras\nfrom keras import layers\n\nx = keras.Input((10, 4))\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("y = layers.Concatenate()(x)\nmodel = keras.Model(x, y)\n", 4,
         "`layers.Concatenate()(x)` calls Concatenate on Input(None, 10, 4), not on a list of "
         "Keras tensors"),
        ("y = layers.Add(bogus=1)([x, x])\nmodel = keras.Model(x, y)\n", 4,
         "`layers.Add(bogus=1)` gives Add the keyword 'bogus', which it does not take"),
        ("y = layers.Dot()([x, x])\nmodel = keras.Model(x, y)\n", 4,
         "`layers.Dot()` is a Dot without its axes"),
        ("y = x + 'a'\nmodel = keras.Model(x, y)\n", 4,
         "`x + 'a'` applies Add to 'a', which is not a tensor"),
        ("y = layers.Dense(2)(3)\nmodel = keras.Model(x, y)\n", 4,
         "`layers.Dense(2)(3)` calls a layer on 3, which is not a Keras tensor"),
        ("model = keras.Model(x, [1, 2])\n", 4, "its outputs are not Keras tensors"),
    ],
)  # fmt: skip
def test_a_graph_the_reader_cannot_make_is_one_error_at_the_line_that_breaks(
    body: str, line: int, message: str
) -> None:
    with pytest.raises(ModelError) as caught:
        model_summary(HEAD + body)
    assert caught.value.line == line and message in str(caught.value)
    assert "define=" not in str(caught.value)  # nothing the author could give would do


@pytest.mark.parametrize(
    ("body", "at", "said"),
    [
        ("inner = keras.Model(x, layers.Dense(2)(x))\nb = keras.Input((10, 4))\n"
         "model = keras.Model([x, b], inner([x, b]))\n", ("step_problems", 6),
         "functional: Model 'functional' takes 1 input(s), and is called on 2"),
        ("t = keras.Input((None,), dtype='int32')\n"
         "e = layers.Embedding(10, 4, mask_zero=True)(t)\n"
         "model = keras.Model(t, layers.concatenate([e, e]))\n", ("notes", 6),
         "concatenate: Keras merges the masks of its inputs with operations of its own, which "
         "the reader does not list; the mask stops here"),
        ("class M(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
         "        self.d = layers.Dense(2)\n\n    def call(self, t):\n"
         "        return self.d(t)\n\nmodel = M()\nmodel.build((None, 4))\n",
         ("notes", 13),
         "m.build(...): Keras 3 runs no call() to build a subclassed model, so its layers stay "
         "unbuilt (0 (unbuilt), as Keras prints them); call it on keras.Input(shape=...) to "
         "build them"),
    ],
)  # fmt: skip
def test_what_the_graph_tells_the_author_at_its_line(
    body: str, at: tuple[str, int], said: str
) -> None:
    summary = model_summary(HEAD + body)
    field, line = at
    assert (line, said) in getattr(summary, field)


def test_a_keras_2_keyword_on_a_called_layer_is_read_as_keras_2_with_a_note() -> None:
    summary = model_summary(HEAD + "y = layers.LSTM(8, input_length=10)(x)\n"
                            "model = keras.Model(x, y)\n")  # fmt: skip
    assert summary.total == 416 and summary.notes == (
        (4, "Keras 3 refuses input_length on LSTM (\u201cUnrecognized keyword arguments passed "
         "to LSTM: {'input_length': 10}\u201d); it is read here as Keras 2 read it"),
    )  # fmt: skip
    # an Embedding's input_length, which Keras 3 ignores, says nothing: the Input gives it
    assert not read("keras2-guide-multi-input-output").notes


def test_a_model_inside_itself_is_refused_without_a_crash() -> None:
    sequential = model_summary(
        "import keras\nfrom keras import layers\n"
        "s = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n"
        "t = keras.Sequential([s])\ns.add(t)\ns.summary()\n"
    )
    assert sequential.total == 10 and sequential.step_problems == (
        (4, "Sequential 'sequential' cannot hold itself; this add is not read"),
    )
    subclassed = model_summary(
        "import keras\nfrom keras import layers\n\nclass M(keras.Model):\n"
        "    def __init__(self):\n        super().__init__()\n        self.me = self\n"
        "        self.d = layers.Dense(2)\n\nm = M()\nm.summary()\n"
    )
    assert [row.name for row in subclassed.rows] == ["dense"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("y = layers.MultiHeadAttention(2, 3)(x)", "layers.MultiHeadAttention is called on a "
         "query alone; it takes query and value (and key)"),
        ("y = layers.Attention()([x])", "layers.Attention is called on a list of 1; Attention "
         "takes [query, value] or [query, value, key]"),
        ("y = layers.Dense(2)([x, x])", "layers.Dense: Dense layers take one input, not 2"),
    ],
)  # fmt: skip
def test_a_layer_called_on_the_wrong_number_of_tensors_says_so(body: str, problem: str) -> None:
    summary = model_summary(HEAD + body + "\nmodel = keras.Model(x, y)\n")
    assert [(row.line, row.problem) for row in summary.problems] == [(4, problem)]


def test_a_custom_layer_counts_its_layers_and_says_what_it_makes_itself() -> None:
    code = """\
import keras
from keras import layers


class Scaled(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.dense = layers.Dense(units)

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],))

    def call(self, x):
        return self.dense(x * self.scale)


inputs = keras.Input((10, 8))
model = keras.Model(inputs, Scaled(4)(inputs))
"""
    summary = model_summary(code)
    scaled = summary.rows[1]
    assert (scaled.name, scaled.cls, scaled.output_shape) == ("scaled", "Scaled", (None, 10, 4))
    assert scaled.params == 36 + 8 and scaled.problem is None
    assert "Total params: 44 (176.00 B)" in summary_text(summary)
    unknown = model_summary(code.replace("(input_shape[-1],)", "(size,)"))
    assert unknown.rows[1].problem == (
        "Scaled makes a weight with add_weight(shape=(size,)), whose size the reader does not know"
    )
    assert "Total params: at least 36" in summary_text(unknown)


# -- in a page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Any:
    body = "\n".join(f"   {line}" for line in GRAPH.replace("model.summary(expand_nested=True)",
                                                           "").splitlines())  # fmt: skip
    refused = "\n".join("   " + line for line in CASES["refused-add-shapes"]["code"].splitlines())
    rst = (
        "Graphs\n======\n\n.. model-summary::\n   :expand-nested:\n   :name: shared\n"
        f"   :show: summary, printed, breakdowns\n\n{body}\n\n"
        f".. model-summary::\n\n{refused}\n"
    )
    return project(tmp_path_factory.mktemp("graphs") / "src", {"index.rst": rst}, "html", CONF)


def test_the_docs_table_has_keras_columns_nested_rows_and_links(page: Any) -> None:
    html = page.output()
    assert '<th class="head"><p>Connected to</p></th>' in html
    assert "encoder[0][0], gru[0][0]" in html
    assert "└ lstm (LSTM)" in html  # the nested model's rows, as expand-nested asks
    for layer in ("lstm (LSTM)", "gru (GRU)"):
        assert layer in html
    links = re.findall(r'href="#(shared-layer-\d+)"', html)
    assert len(links) == 2 and all(f'id="{target}"' in html for target in links)


def test_a_refused_model_in_a_page_is_one_warning_at_its_line(page: Any) -> None:
    warnings = [w for w in page.warnings.splitlines() if "WARNING" in w]
    assert len(warnings) == 1, warnings
    line = 21 + CASES["refused-add-shapes"]["refused"]["line"]
    assert f"index.rst:{line}" in warnings[0] and "Inputs have incompatible shapes" in warnings[0]
    assert "none: Keras would not build this model" in page.output()


SEQ2SEQ_PREPARATION = """\
import numpy as np
import keras
import os
from pathlib import Path

fpath = keras.utils.get_file(origin="http://www.manythings.org/anki/fra-eng.zip")
dirpath = Path(fpath).parent.absolute()
os.system(f"unzip -q {fpath} -d {dirpath}")

batch_size = 64  # Batch size for training.
epochs = 100  # Number of epochs to train for.
latent_dim = 256  # Latent dimensionality of the encoding space.
num_samples = 10000  # Number of samples to train on.
# Path to the data txt file on disk.
data_path = os.path.join(dirpath, "fra.txt")

# Vectorize the data.
input_texts = []
target_texts = []
input_characters = set()
target_characters = set()
with open(data_path, "r", encoding="utf-8") as f:
    lines = f.read().split("\\n")
for line in lines[: min(num_samples, len(lines) - 1)]:
    input_text, target_text, _ = line.split("\\t")
    # We use "tab" as the "start sequence" character
    # for the targets, and "\\n" as "end sequence" character.
    target_text = "\\t" + target_text + "\\n"
    input_texts.append(input_text)
    target_texts.append(target_text)
    for char in input_text:
        if char not in input_characters:
            input_characters.add(char)
    for char in target_text:
        if char not in target_characters:
            target_characters.add(char)

input_characters = sorted(list(input_characters))
target_characters = sorted(list(target_characters))
num_encoder_tokens = len(input_characters)
num_decoder_tokens = len(target_characters)
max_encoder_seq_length = max([len(txt) for txt in input_texts])
max_decoder_seq_length = max([len(txt) for txt in target_texts])

print("Number of samples:", len(input_texts))
print("Number of unique input tokens:", num_encoder_tokens)
print("Number of unique output tokens:", num_decoder_tokens)
"""


def test_the_docs_show_what_keras_printed_for_the_same_cell() -> None:
    """models.rst shows the functional example next to what Keras printed for that cell."""
    docs = Path(__file__).parents[1] / "docs" / "snippets"
    case = CASES["question-answer-shared-encoder"]
    source = (docs / "rst" / "model-graph.rst").read_text(encoding="utf-8")
    body = source.split("\n\n", 1)[1]
    assert "\n".join(line[3:] for line in body.splitlines()) == case["code"].rstrip("\n")
    printed = (docs / "printed" / "qa-matcher.txt").read_text(encoding="utf-8")
    assert printed == case["printed"]
    assert shown(read("question-answer-shared-encoder"), case["summary_call"]) == printed
