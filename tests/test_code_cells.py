"""Pasted code cells: every cell recorded from real Keras 3 and Keras 2 read back row by row and
character by character; the reader's rules (values, defines, builders, several models, the
flow that recovers); every message at its line; and bounds that no paste can break.

Ground truth: ``tests/data/code_cells.json`` (``scripts/record_code_cells.py`` runs each cell
for real in Keras 3 and in Keras 2, tf_keras).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import count_params, model_summary, summary_text
from sphinxcontrib_lstmparams.cli import main
from sphinxcontrib_lstmparams.model import read_model
from sphinxcontrib_lstmparams.model.code.defines import merge, parse_defines
from sphinxcontrib_lstmparams.model.summary import ModelError, ModelSummary
from sphinxcontrib_lstmparams.spec import OptionError

DATA = json.loads((Path(__file__).parent / "data" / "code_cells.json").read_text("utf-8"))
KERAS3 = {c["name"]: c for c in DATA["cases"] if c["framework"] == "keras"}
KERAS2 = {c["name"]: c for c in DATA["cases"] if c["framework"] == "keras2"}
BUILT = sorted(name for name, case in KERAS3.items() if case.get("built"))
NOT_BY_KERAS3 = sorted(name for name, case in KERAS3.items() if not case.get("built"))


def read(case: dict[str, Any]) -> ModelSummary:
    return model_summary(
        case["code"], define=case["define"], model_variable=case.get("model_variable")
    )


def rows(summary: ModelSummary) -> list[tuple[Any, ...]]:
    return [
        (r.cls, r.name, None if r.output_shape is None else list(r.output_shape), r.params,
         r.trainable)
        for r in summary.rows
    ]  # fmt: skip


def recorded_rows(case: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (x["class"], x["name"], x["output_shape"], x["params"], x["trainable"])
        for x in case["layers"]
    ]


# -- every recorded cell ------------------------------------------------------------------------


def test_the_recording_covers_what_the_issue_asks() -> None:
    codes = "\n".join(case["code"] for case in KERAS3.values())
    for idiom in ("model.add(", "Sequential([", "Sequential(\n", "input_shape=", "input_dim=",
                  "batch_input_shape=", "input_length=", "def build_model", "line_length=",
                  "for i, units in", "model.build("):  # fmt: skip
        assert idiom in codes, idiom
    assert any(case["define"] for case in KERAS3.values())
    assert any("model_variable" in case for case in KERAS3.values())
    assert len(BUILT) >= 30 and len(NOT_BY_KERAS3) >= 3


@pytest.mark.parametrize("name", BUILT)
def test_a_cell_keras_3_builds_gives_its_rows_totals_and_text(name: str) -> None:
    case = KERAS3[name]
    summary = read(case)
    assert summary.complete and not summary.step_problems, summary.step_problems
    assert rows(summary) == recorded_rows(case)
    assert (summary.total, summary.trainable, summary.non_trainable) == (
        case["total"], case["trainable"], case["non_trainable"],
    )  # fmt: skip
    assert summary.title == case["model_name"]
    assert summary_text(summary, case["line_length"]) == case["printed"]
    assert summary_text(summary, 76) == case["printed_76"]


@pytest.mark.parametrize("name", NOT_BY_KERAS3)
def test_a_keras_2_cell_counts_as_keras_2_and_a_note_says_what_keras_3_does(name: str) -> None:
    case, keras2 = KERAS3[name], KERAS2[name]
    summary = read(case)
    assert summary.complete
    assert rows(summary) == recorded_rows(keras2)
    assert summary.total == keras2["total"]
    notes = " ".join(note for _line, note in summary.notes)
    assert "Keras 3" in notes
    if "refused" in case:  # Keras 3's own words
        said = case["refused"]["message"]
        assert said in notes or "input_dim=" in notes, (said, notes)


def test_the_seed_cell_gives_4457472_with_one_note_at_the_layer() -> None:
    summary = read(KERAS3["seed"])
    assert summary.total == 4_457_472
    assert summary.notes == (
        (5, "Keras 3 refuses input_length on LSTM (\u201cUnrecognized keyword arguments passed "
         "to LSTM: {'input_length': 16}\u201d); it is read here as Keras 2 read it"),
    )  # fmt: skip


def test_today_one_layer_per_line_and_arithmetic_in_a_constructor() -> None:
    assert count_params("nn.Linear(64 * 7 * 7, 128)").total == 64 * 7 * 7 * 128 + 128
    assert count_params("keras.layers.Dense(2 ** 7)", input_dim=3).total == 4 * 128
    lines = model_summary("layers.Embedding(20_000, 2 ** 7)\nlayers.LSTM(64 // 2)")
    assert [row.params for row in lines.rows] == [2_560_000, 20_608]


# -- values the cell cannot know -------------------------------------------------------------------

CELL = """\
from keras.models import Sequential
from keras.layers import Dense, Embedding, LSTM, Input

model = Sequential()
model.add(Input((maxlen,)))
model.add(Embedding(max_features, 128))
model.add(LSTM(64))
model.add(Dense(len(classes)))
model.summary()
"""


def test_an_unknown_size_is_one_row_and_the_rows_after_it_still_count() -> None:
    summary = read_model(CELL.splitlines(), define=merge([{"maxlen": 80}]))
    embedding, lstm, dense = summary.rows
    assert embedding.problem == (
        "`max_features` is not defined in the cell: give it with :define: max_features=..."
    )
    assert embedding.output_shape == (None, 80, 128)  # its vocabulary does not shape it
    assert (lstm.problem, lstm.params, lstm.output_shape) == (None, 49_408, (None, 64))
    assert dense.problem == (
        "`classes` is not defined in the cell: give it with :define: classes=..."
    )
    assert summary.total == 49_408 and not summary.complete


def test_defines_by_name_and_by_expression() -> None:
    define = merge([parse_defines("maxlen=80, max_features=20_000, len( classes )=3")])
    summary = read_model(CELL.splitlines(), define=define)
    assert summary.complete and summary.total == 2_560_000 + 49_408 + 195
    by_python = model_summary(CELL, define={"maxlen": 80, "max_features": 20000, "len(classes)": 3})
    assert by_python.total == summary.total


def test_a_define_wins_over_the_cell_and_a_note_says_so() -> None:
    code = "import keras\nunits = 8\n"
    code += "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])"
    summary = model_summary(code, define={"units": 4})
    assert summary.total == 16
    assert summary.notes == ((1, "units = 8 in the cell; the defined 4 is used"),)


def test_a_value_computed_from_what_is_not_known_names_the_variable_to_define() -> None:
    code = """\
import keras
tokenizer = keras.preprocessing.text.Tokenizer(num_words=5000)
vocab_size = len(tokenizer.word_index) + 1
model = keras.Sequential([keras.Input((10,)), keras.layers.Embedding(vocab_size, 8)])
"""
    (row,) = model_summary(code).rows
    assert row.problem == (
        "`vocab_size` is set from `len(tokenizer.word_index) + 1`, which the reader cannot "
        "work out (`tokenizer.word_index` is an attribute the reader does not know): give it "
        "with :define: vocab_size=..."
    ) or row.problem.startswith("`vocab_size` is set from `len(tokenizer.word_index) + 1`")
    assert model_summary(code, define={"vocab_size": 5001}).total == 40_008


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("units", "define: 'units' is not KEY=VALUE"),
        ("units=eight", "define: units = 'eight' is not a Python literal"),
        ("1=2", "define: '1' is a value, not a name or an expression"),
        ("len(=3", "define: 'len(=3' is not KEY=VALUE"),
        ("a b=3", "define: 'a b' is not a name or an expression"),
    ],
)
def test_a_bad_define_is_one_error(text: str, message: str) -> None:
    with pytest.raises(OptionError) as caught:
        merge([parse_defines(text)])
    assert str(caught.value).startswith(message)


# -- what the reader follows ----------------------------------------------------------------------


def test_a_builder_function_is_read_with_its_defaults_and_the_defines() -> None:
    code = """\
from tensorflow import keras

def make(units, layers=2):
    model = keras.Sequential([keras.Input((None, 4))])
    for _ in range(layers - 1):
        model.add(keras.layers.GRU(units, return_sequences=True))
    model.add(keras.layers.GRU(units))
    return model
"""
    unknown = model_summary(code)  # `units` has no default: its rows say how to give it
    assert [row.problem for row in unknown.rows] == [
        "`units` is an argument the call does not give: give it with define={'units': ...}"
    ] * 2
    summary = model_summary(code, define={"units": 8})
    assert [row.params for row in summary.rows] == [336, 432]


def test_one_of_several_models_by_its_variable() -> None:
    code = "import keras\na = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
    code += "b = keras.Sequential([keras.Input((2,)), keras.layers.Dense(5)])\n"
    assert model_summary(code).total == 15  # the last one built
    assert model_summary(code, model_variable="a").total == 3
    with pytest.raises(ModelError, match=r"no model named 'c' \(its models: a, b\)"):
        model_summary(code, model_variable="c")


def test_an_if_on_what_is_not_known_is_a_warning_when_it_builds() -> None:
    code = """\
import keras
model = keras.Sequential([keras.Input((10, 3))])
if bidirectional:
    model.add(keras.layers.Bidirectional(keras.layers.LSTM(4)))
else:
    model.add(keras.layers.LSTM(4))
if verbose:
    print("built")
"""
    summary = model_summary(code)
    assert summary.step_problems == (
        (2, "cannot tell which branch this if takes (`bidirectional` is not defined in the "
         "cell: give it with define={'bidirectional': ...}); the model is read with the first "
         "branch"),
    )  # fmt: skip
    assert summary.notes[0][0] == 6  # the other if: a note, it builds nothing
    assert model_summary(code, define={"bidirectional": False}).total == 128


# -- bounds: nothing a paste holds can hang or exhaust the reader --------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "x = 10 ** 10 ** 10",
        'x = "a" * 10 ** 9',
        "x = [0] * 10 ** 9",
        "x = [i for i in range(10 ** 9)]",
        "for i in range(10 ** 9):\n    pass",
        "def f(n):\n    return f(n + 1)\nx = f(1)",
        "x = 0\nwhile True:\n    x += 1",
        "x = " + "[" * 90 + "]" * 90,
    ],
)
def test_a_hostile_cell_is_read_fast_and_the_model_still_builds(line: str) -> None:
    code = f"import keras\n{line}\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])"
    if "while True" in line:  # the read stops at its bound, before the model: one error
        with pytest.raises(ModelError, match="more than 50,000 steps"):
            model_summary(code)
        return
    summary = model_summary(code)
    assert summary.total == 8
    for _line, text in (*summary.step_problems, *summary.notes):
        assert len(text) < 400


@pytest.mark.parametrize("deep", ["x = 1" + " + 1" * 5000, "x = 1" + " + 1" * 500])
def test_code_nested_deeper_than_the_reader_reads_is_the_same_error_on_every_python(
    deep: str,
) -> None:
    # Python 3.11 cannot parse the first (a RecursionError), 3.10 and 3.13 can: one message
    with pytest.raises(ModelError, match=r"^the code nests too deep to read \(more than 400"):
        model_summary(f"import keras\n{deep}\n")


def test_brackets_deeper_than_python_parses_are_not_python() -> None:
    with pytest.raises(ModelError, match=r"^not Python: too many nested parentheses"):
        model_summary("import keras\nx = " + "(" * 300 + "1" + ")" * 300 + "\n")


def test_code_as_deep_as_the_reader_reads_is_read() -> None:
    code = "import keras\nx = 1" + " + 1" * 390 + "\nm = keras.Sequential([keras.Input((3,)), "
    summary = model_summary(code + "keras.layers.Dense(x)])")
    assert summary.total == 4 * 391


def test_python_that_does_not_parse_is_one_error_at_its_line_and_column() -> None:
    code = "import keras\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(4)\n"
    with pytest.raises(ModelError) as caught:
        model_summary(code)
    assert caught.value.line == 2
    assert str(caught.value).startswith("not Python: '(' was never closed (column 10)")


def test_a_statement_the_reader_does_not_read_is_a_note_at_its_line() -> None:
    code = """\
import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
match model:
    case _:
        pass
async def train():
    pass
"""
    summary = model_summary(code)
    assert summary.total == 10 and not summary.step_problems
    assert summary.notes == ((2, "skipped: a match statement is not read"),)


def test_notes_and_warnings_in_the_command_line(tmp_path: Path) -> None:
    cell = tmp_path / "cell.py"
    cell.write_text(KERAS3["seed"]["code"].replace("4096", "features"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--model", str(cell), "--define", "features=4096"])
    assert status == 0 and "4,457,472" in out.getvalue()
    assert err.getvalue().startswith("lstm-params: note: line 6: Keras 3 refuses input_length")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--model", str(cell)])
    assert status == 1
    assert (
        "lstm-params: warning: line 6: lstm is not counted: `features` is not defined in "
        "the cell: give it with --define 'features=...'" in err.getvalue()
    )
