"""Whole models: every recorded Keras and torchinfo summary rebuilt from its lines, row by row
and character by character; the lines' rules (names, shapes, steps, problems); the
``model-summary`` directive in reST and MyST and in every builder; the command line and the
Python API.

Ground truth: ``tests/data/model_summaries.json`` (``scripts/record_model_summaries.py``, the
real Keras 3 and torchinfo), whose rules ``tests/data/model_summaries_NOTES.md`` explains.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

from sphinxcontrib_lstmparams import model_summary, summary_text
from sphinxcontrib_lstmparams.model.keras.layout import keras_bytes
from sphinxcontrib_lstmparams.model.keras.names import snake_case
from sphinxcontrib_lstmparams.model.keras.text import keras_text, keras_widths, wrap
from sphinxcontrib_lstmparams.model.lines import split_lines
from sphinxcontrib_lstmparams.model.printers import layout
from sphinxcontrib_lstmparams.model.read import summarize
from sphinxcontrib_lstmparams.model.summary import ModelError, parse_shape
from sphinxcontrib_lstmparams.model.torch.layout import torch_units
from sphinxcontrib_lstmparams.model.torch.steps import StepError, apply_step, is_forward_step
from sphinxcontrib_lstmparams.model.torch.text import torchinfo_text
from sphinxcontrib_lstmparams.spec import OptionError, Refused

TESTS = Path(__file__).parent
DOCS = TESTS.parent / "docs"
DATA = json.loads((TESTS / "data" / "model_summaries.json").read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in DATA["cases"]}
KERAS = sorted(name for name, case in CASES.items() if case["framework"] == "keras")
PYTORCH = sorted(name for name, case in CASES.items() if case["framework"] == "pytorch")
Project = Callable[..., Any]
Compile = Callable[..., str]  # conftest.compile_pdf, through the `pdf` fixture


def torchinfo_as_meant(text: str) -> str:
    """torchinfo 1.8 on Python 3.11+ writes its unit enum's name; we write the unit."""
    return re.sub(r"\(Units\.(MEGA|GIGA|TERA)BYTES\)", lambda m: f"({m[1][0]})", text)


def rebuilt(case: dict[str, Any], with_input: bool = True) -> Any:
    if case["framework"] == "keras":
        return summarize(case["lines"])
    given = case["input_shape"] if with_input else None
    return summarize(case["lines"], input_shape=given, title=case["model_class"])


# -- every recorded model --------------------------------------------------------------------------


def test_the_recordings_cover_the_layers_of_the_issue() -> None:
    classes = {layer["class"] for c in DATA["cases"] for layer in c.get("layers", [])}
    classes |= {row["class"] for c in DATA["cases"] for row in c.get("rows", [])}
    wanted = {
        "Embedding", "Dense", "Dropout", "SpatialDropout1D", "Flatten", "Activation", "Reshape",
        "RepeatVector", "LSTM", "GRU", "SimpleRNN", "Bidirectional", "TimeDistributed",
        "Conv1D", "Conv2D", "MaxPooling1D", "MaxPooling2D", "GlobalMaxPooling1D",
        "GlobalAveragePooling1D", "BatchNormalization", "LayerNormalization", "ConvLSTM1D",
        "ConvLSTM2D", "ConvLSTM3D", "Linear", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Conv1d",
        "Conv2d", "LayerNorm", "BatchNorm1d", "ReLU", "Tanh",
    }  # fmt: skip
    assert wanted <= classes, wanted - classes
    assert len(KERAS) >= 20 and len(PYTORCH) >= 10


@pytest.mark.parametrize("name", KERAS)
def test_keras_rows_and_totals(name: str) -> None:
    case = CASES[name]
    summary = rebuilt(case)
    assert summary.complete, summary.problems
    got = [(r.cls, r.name, list(r.output_shape), r.params, r.trainable) for r in summary.rows]
    want = [  # trainable as the totals count it (a frozen wrapper's weights are trainable)
        (
            layer["class"],
            layer["name"],
            layer["output_shape"],
            layer["params"],
            layer["trainable_in_totals"],
        )
        for layer in case["layers"]
    ]
    assert got == want
    assert (summary.total, summary.trainable, summary.non_trainable) == (
        case["total"],
        case["trainable"],
        case["non_trainable"],
    )
    assert list(summary.input_shape) == case["input_shape"]


@pytest.mark.parametrize("name", KERAS)
@pytest.mark.parametrize(("key", "width"), [("printed", 88), ("printed_76", 76)])
def test_keras_prints_what_keras_printed(name: str, key: str, width: int) -> None:
    assert keras_text(layout(rebuilt(CASES[name])), width) == CASES[name][key]


NARROW = sorted(name for name in KERAS if "narrow_printed" in CASES[name])


@pytest.mark.parametrize("name", NARROW)
def test_keras_narrow_header_as_keras_prints_it(name: str) -> None:
    """At 45 columns or fewer rich wraps the headers, and aligns them to the bottom."""
    assert NARROW
    for width, printed in CASES[name]["narrow_printed"].items():
        assert keras_text(layout(rebuilt(CASES[name])), int(width)) == printed


@pytest.mark.parametrize("name", PYTORCH)
def test_torchinfo_rows_and_totals(name: str) -> None:
    case = CASES[name]
    summary = rebuilt(case)
    assert summary.complete, summary.problems
    leaves = [row for row in case["rows"] if row["depth"] == 1]
    got = [(r.cls, list(r.output_shape), r.params, r.trainable) for r in summary.rows]
    want = [(r["class"], r["output_shape"], r["params"], r["trainable"]) for r in leaves]
    assert got == want
    assert list(summary.output_shape) == case["rows"][0]["output_shape"]
    assert (summary.total, summary.trainable) == (case["total"], case["trainable"])


@pytest.mark.parametrize("name", PYTORCH)
def test_torchinfo_prints_what_torchinfo_printed(name: str) -> None:
    case = CASES[name]
    assert torchinfo_text(layout(rebuilt(case))) == torchinfo_as_meant(case["printed"])
    assert torchinfo_text(layout(rebuilt(case, with_input=False))) == case["printed_no_input"]


def test_the_unit_label_is_the_only_change_to_torchinfo_text() -> None:
    changed = [n for n in PYTORCH if torchinfo_as_meant(CASES[n]["printed"]) != CASES[n]["printed"]]
    assert changed == PYTORCH  # every case has the label; nothing else is rewritten
    assert all("Units." not in torchinfo_as_meant(CASES[n]["printed"]) for n in PYTORCH)


# -- the framework's formats -----------------------------------------------------------------------


def test_keras_byte_sizes_step_at_1024_with_two_decimals() -> None:
    assert [keras_bytes(n) for n in (0, 52, 1023.999, 1024, 1048575, 1048576, 11031044)] == [
        "0.00 B",
        "52.00 B",
        "1024.00 B",
        "1.00 KB",
        "1024.00 KB",
        "1.00 MB",
        "10.52 MB",
    ]


def test_torchinfo_units() -> None:
    assert torch_units(0) == "(M): 0"
    assert torch_units(22_337_415_232) == "(G): 22.34"
    assert torch_units(3_000_000) == "(M): 3"
    assert torch_units(2 * 10**12) == "(T): 2"


def test_keras_column_widths_as_rich_draws_them() -> None:
    assert keras_widths(88) == [36, 27, 15]
    assert keras_widths(76) == [31, 22, 13]
    for width in range(40, 200):  # every line of the table is exactly line_length long
        assert sum(keras_widths(width)) + 3 * 2 + 4 == width


def test_wrap_breaks_at_spaces_and_cuts_long_words() -> None:
    assert wrap("batch_normalization (BatchNormalization)", 36) == [
        "batch_normalization",
        "(BatchNormalization)",
    ]
    assert wrap("a_very_long_convlstm3d_layer_name_without_any_spaces (X)", 36)[0] == (
        "a_very_long_convlstm3d_layer_name_w\N{HORIZONTAL ELLIPSIS}"
    )


def test_keras_names() -> None:
    assert [
        snake_case(c) for c in ("LSTM", "SimpleRNN", "ConvLSTM2D", "Conv1D", "MaxPooling1D")
    ] == [
        "lstm",
        "simple_rnn",
        "conv_lstm2d",
        "conv1d",
        "max_pooling1d",
    ]
    names = [r.name for r in summarize(CASES["wrapper-naming"]["lines"]).rows]
    assert names == ["bidirectional", "lstm_1", "time_distributed", "bidirectional_1", "dense_1"]


# -- lines, shapes and steps -----------------------------------------------------------------------


def test_lines_skip_comments_and_join_calls_over_lines() -> None:
    lines = [
        "# the model",
        "",
        "layers.Bidirectional(  # wrapped",
        "    layers.LSTM(64, name='a#b'),",
        ")",
        "layers.Dense(1),",
    ]
    assert split_lines(lines) == [
        (2, "layers.Bidirectional( layers.LSTM(64, name='a#b'), )"),
        (5, "layers.Dense(1)"),
    ]


def test_an_unclosed_call_does_not_swallow_the_model() -> None:
    summary = summarize(["keras.Input(shape=(3,)", "layers.Dense(2)", "layers.Dense(1)"])
    assert [row.problem is not None for row in summary.rows] == [True, True, True]
    assert "never closed" in (summary.rows[0].problem or "")


@pytest.mark.parametrize(
    ("value", "framework", "shape"),
    [
        ("16, 4096", "keras", (None, 16, 4096)),
        ("(None, 16, 4096)", "keras", (None, 16, 4096)),
        ("(None, 28)", "keras", (None, 28)),
        ("80", "keras", (None, 80)),
        ("[32, 200]", "pytorch", (32, 200)),
        ((8, 20, 300), "pytorch", (8, 20, 300)),
    ],
)
def test_input_shapes(value: object, framework: Any, shape: tuple[int | None, ...]) -> None:
    assert parse_shape(value, framework) == shape


@pytest.mark.parametrize(
    ("value", "framework"),
    [("80 words", "keras"), ("", "keras"), ("(0, 3)", "keras"), ("None, 3", "pytorch"),
     ("1" * 5000, "keras"), ("(" * 200, "keras"), ("1, " * 20, "keras"), ("2.5", "pytorch")],
)  # fmt: skip
def test_bad_input_shapes(value: str, framework: Any) -> None:
    with pytest.raises(OptionError, match="input-shape"):
        parse_shape(value, framework)


@pytest.mark.parametrize(
    ("step", "before", "after"),
    [
        ("x[:, -1, :]", (64, 200, 512), (64, 512)),
        ("x[-1]", (7, 1, 128), (1, 128)),
        ("x[:, :5]", (2, 10, 3), (2, 5, 3)),
        ("x[..., 0]", (2, 10, 3), (2, 10)),
        ("x.permute(0, 2, 1)", (32, 64, 128), (32, 128, 64)),
        ("x.transpose(1, 2)", (32, 64, 128), (32, 128, 64)),
        ("x.view(x.size(0), -1)", (8, 16, 32), (8, 512)),
        ("x.reshape(-1, 64)", (8, 16, 64), (128, 64)),
        ("torch.flatten(x, 1)", (8, 16, 32), (8, 512)),
        ("x.flatten(1).unsqueeze(1)", (8, 16, 32), (8, 1, 512)),
        ("x.squeeze(1)", (8, 1, 5), (8, 5)),
        ("x.contiguous()", (2, 3), (2, 3)),
        ("x[:, -1, :]", (None, None, 512), (None, 512)),
    ],
)
def test_forward_steps(step: str, before: tuple[int, ...], after: tuple[int, ...]) -> None:
    assert is_forward_step(step)
    assert apply_step(step, before) == after


@pytest.mark.parametrize("step", ["x.mean(1)", "x[", "x[..., 0, ...]", "x.view(10**13, -1)"])
def test_steps_we_cannot_follow_say_so(step: str) -> None:
    with pytest.raises(StepError):
        apply_step(step, (2, 3, 4))


@pytest.mark.parametrize(
    "step", ["x[:, :, :, 0]", "x.permute(0, 1)", "x.view(-1, -1)", "x.view(7)", "x[:, 3]"]
)
def test_steps_pytorch_refuses_are_refused(step: str) -> None:
    with pytest.raises(Refused, match="PyTorch refuses it"):
        apply_step(step, (2, 3, 4))


def test_a_step_we_cannot_follow_marks_its_line_and_the_rest_still_counts() -> None:
    summary = summarize(["nn.LSTM(4, 8)", "x.mean(1)", "nn.Linear(8, 2)"], input_shape="2, 5, 4")
    assert [row.cls for row in summary.rows] == ["LSTM", "Linear"]
    assert summary.step_problems == (
        (1, "x.mean(...): not a step we follow; the shapes after it are not known"),
    )
    assert summary.rows[1].params == 18 and summary.rows[1].output_shape is None
    assert summary.complete and summary.total == 448 + 18  # every parameter is counted
    text = summary_text(summary)
    assert "Total params: 466\n" in text and "mult-adds" not in text and "x.mean" in text


# -- what the rows say -----------------------------------------------------------------------------


def test_the_input_follows_from_the_first_layer() -> None:
    keras = summarize(["layers.Embedding(1000, 64)", "layers.LSTM(32)"])
    assert keras.input_shape == (None, None) and keras.rows[1].output_shape == (None, 32)
    torch = summarize(["nn.LSTM(300, 512, num_layers=2)", "nn.Linear(512, 10)"])
    assert torch.input_shape is None and torch.rows[1].params == 5130  # no shapes shown
    assert summarize(["nn.LSTMCell(10, 20)"]).rows[0].output_shape == (None, 20)


def test_a_keras_layer_without_an_input_says_what_to_give() -> None:
    summary = summarize(["layers.LSTM(256)", "layers.Dense(1)"])
    assert "input-shape" in (summary.rows[0].problem or "")
    assert summarize(["layers.LSTM(256)"], input_shape="16, 4096").total == 4_457_472


def test_widths_that_disagree_are_refused_not_guessed() -> None:
    summary = summarize(["nn.LSTM(300, 512)", "nn.Linear(256, 10)"])
    assert summary.rows[1].problem == (
        "nn.Linear reads 256 features, the layer before gives 512 (PyTorch refuses it)"
    )
    assert summary.refused_at == 1 and not summary.complete
    assert "Total params: none: PyTorch would not build this model\n" in summary_text(summary)


def test_frozen_layers() -> None:
    keras = summarize(CASES["frozen-embedding-lstm"]["lines"])
    assert keras.rows[0].frozen and keras.non_trainable == 50_000
    torch = summarize(["nn.Embedding.from_pretrained(torch.zeros(1000, 50), freeze=False)"])
    assert torch.trainable == 50_000
    # Keras 3 counts a frozen wrapper's weights as trainable; the wrapped layer's own
    # trainable=False freezes them (the recorded frozen-wrapper cases print it whole)
    wrapped = summarize(["layers.Bidirectional(layers.LSTM(4), trainable=False)"], None, "3, 2")
    assert wrapped.trainable == wrapped.total == 2 * 4 * (2 * 4 + 4 * 4 + 4)
    inner = summarize(["layers.Bidirectional(layers.LSTM(4, trainable=False))"], None, "3, 2")
    assert inner.trainable == 0 and inner.non_trainable == inner.total


@pytest.mark.parametrize(
    "lines",
    [[], ["", "# nothing"], ["foo(3)"], ["keras.Input(shape=(3,))", "keras.Input(shape=(4,))"]],
)
def test_models_that_cannot_be_read_at_all(lines: list[str]) -> None:
    with pytest.raises(ModelError):
        summarize(lines)


def test_the_seed_cases_as_models() -> None:
    assert summarize(["layers.LSTM(256)"], input_shape="16, 4096").total == 4_457_472
    assert summarize(["layers.SimpleRNN(4)"], input_shape="(None, 5, 3)").total == 32


def test_hostile_lines_never_crash() -> None:
    lines = [
        "layers.Dense(" + "9" * 5000 + ")",
        "layers.Dense(" * 300,
        "nn.Linear(10**100, 3)",
        "layers.Dense(1, name='\N{RIGHT-TO-LEFT OVERRIDE}evil\u0000')",
        "__import__('os').system('echo hi')",
        "layers.Lambda(lambda x: x)",
        "x" + "[0]" * 500,
        "layers.Reshape((-1, -1))",
        "layers.Dense(2)",
    ]
    summary = summarize(lines, framework="keras", input_shape="3")
    assert len(summary.rows) == len(lines) - 1  # every line is a row, but the step
    assert not summary.complete
    for row in summary.rows:
        assert row.problem is None or len(row.problem) < 2_000
    text = summary_text(summary)
    assert "at least" in text


# -- the Python API --------------------------------------------------------------------------------


def test_python_api() -> None:
    summary = model_summary(
        """
        keras.Input(shape=(None,), dtype="int32")
        layers.Embedding(20000, 128)
        layers.Bidirectional(layers.LSTM(64))
        layers.Dense(1)
        """
    )
    assert summary.total == 2_658_945
    assert summary_text(summary).splitlines()[-3] == " Total params: 2,658,945 (10.14 MB)"
    data = summary.as_dict()
    assert data["layers"][1]["breakdown"]["total"] == 98_816
    assert json.loads(json.dumps(data)) == data


# -- the directive ---------------------------------------------------------------------------------

CONF = """\
project = "Models"
author = "Tests"
copyright = "2026, Tests"
version = release = "1.0"
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
numfig = True
man_pages = [("index", "models", "Models", ["Tests"], 7)]
"""
PAGE = """\
Models
======

.. model-summary::
   :caption: The *IMDB* classifier
   :name: tbl-imdb

   keras.Input(shape=(None,), dtype="int32")
   layers.Embedding(20000, 128)
   layers.Bidirectional(layers.LSTM(64, return_sequences=True))
   layers.Bidirectional(layers.LSTM(64))
   layers.Dense(1, activation="sigmoid")

.. model-summary::
   :input-shape: 64, 200
   :model-name: GRUSentiment
   :show: all

   nn.Embedding(25000, 100, padding_idx=0)
   nn.GRU(100, 256, num_layers=2, bidirectional=True, batch_first=True, dropout=0.5)
   x[:, -1, :]
   nn.Dropout(0.5)
   nn.Linear(512, 1)

See :numref:`tbl-imdb`.

The seed, pasted as its question wrote it:

.. model-summary::
   :show: summary

   from keras.models import Sequential
   from keras.layers import Dense, Dropout, Activation
   from keras.layers import Embedding
   from keras.layers import LSTM
   model = Sequential()
   model.add(LSTM(256, input_dim=4096, input_length=16))
   model.summary()

.. toctree::

   seed
"""
SEED_MD = """\
# The seed in MyST

```{model-summary}
:show: summary

from keras.models import Sequential
from keras.layers import LSTM
model = Sequential()
model.add(LSTM(256, input_dim=4096, input_length=16))
model.summary()
```
"""
OUTPUT = {
    "html": "index.html",
    "latex": "models.tex",
    "text": "index.txt",
    "man": "models.7",
    "texinfo": "models.texi",
    "epub": "index.xhtml",
    "xml": "index.xml",
    "singlehtml": "index.html",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, project: Project) -> dict[str, Any]:
    return {
        builder: project(
            tmp_path_factory.mktemp(builder) / "src",
            {"index.rst": PAGE, "seed.md": SEED_MD},
            builder,
            CONF,
        )
        for builder in OUTPUT
    }


def page(built: dict[str, Any], builder: str) -> str:
    found = list(built[builder].outdir.rglob(OUTPUT[builder]))
    assert found, builder
    return str(found[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("builder", sorted(OUTPUT))
def test_every_builder_without_a_warning(built: dict[str, Any], builder: str) -> None:
    assert built[builder].warnings == ""
    text = page(built, builder)
    assert "2,757,761" in text and "4,233,121" in text and "98,816" in text
    assert text.count("4,457,472") >= (2 if builder in ("html", "xml", "epub") else 3)


def test_the_seed_cell_counts_in_rest_and_myst_with_a_note_that_is_no_warning(
    built: dict[str, Any],
) -> None:
    html = built["html"]
    assert "4,457,472" in html.output("seed.html")
    status = re.sub(r"\x1b\[[0-9;]*m", "", html.app.status.getvalue())
    notes = [line for line in status.splitlines() if "Keras 3 refuses input_length" in line]
    assert [note.split(": model-summary:")[0].rpartition("/")[2] for note in notes] == [
        "index.rst:37",
        "seed.md:9",
    ]


def test_html_links_each_recurrent_count_to_its_breakdown(built: dict[str, Any]) -> None:
    html = page(built, "html")
    links = re.findall(r'<a class="reference internal" href="#([^"]+)"[^>]*>([\d,]+)</a>', html)
    assert [count for _id, count in links] == ["98,816", "98,816", "1,732,608"]
    for target, _count in links:
        assert html.count(f'id="{target}"') == 1
    assert "Table 1" in html and "The <em>IMDB</em> classifier" in html
    assert '<td class="lstm-params-number"><p>--</p></td>' in html  # not smartened to a dash
    # the second Bidirectional(LSTM(64)) repeats the first: one breakdown, and a line for it
    assert html.count('class="rubric"') == 2 and "same as" in html


def test_the_printed_part_is_the_framework_text(built: dict[str, Any]) -> None:
    doctree = built["html"].doctree()
    blocks = [b.astext() for b in doctree.findall(nodes.literal_block) if "Param #" in b.astext()]
    summary = summarize(
        [line.strip() for line in PAGE.split(":show: all")[1].split("See")[0].splitlines()],
        input_shape="64, 200",
        title="GRUSentiment",
    )
    assert blocks == [summary_text(summary, 76)]
    assert blocks[0] == torchinfo_as_meant(CASES["gru-sentiment"]["printed"])


def test_text_builder_fits_80_columns(built: dict[str, Any]) -> None:
    text = page(built, "text")
    summary = text[: text.index("Total params")]  # the Keras summary's table
    tables = [line for line in summary.splitlines() if line.startswith(("+", "|"))]
    assert len(tables) > 8 and max(len(line) for line in tables) <= 80
    assert "Total params: 2,757,761 (10.52 MB)" in text


def test_latex_right_aligns_the_counts(built: dict[str, Any]) -> None:
    tex = page(built, "latex")
    assert r"\sphinxlstmparamsnumber" in tex and "Param \\#" in tex
    assert r"\hyperref[\detokenize{index:lstm-params-model" in tex or r"\hyperref" in tex


@pytest.mark.skipif(not shutil.which("latexmk"), reason="needs latexmk and pdflatex (TeX Live)")
def test_the_pdf_compiles(built: dict[str, Any], pdf: Compile) -> None:
    outdir = built["latex"].outdir
    log = pdf(outdir)
    assert "Overfull \\hbox" not in log
    if shutil.which("pdftotext"):
        pdf = subprocess.run(
            ["pdftotext", "-layout", "models.pdf", "-"], cwd=outdir, capture_output=True, text=True
        ).stdout
        assert "Total params: 2,757,761 (10.52 MB)" in pdf and "bidirectional_1" in pdf


@pytest.mark.skipif(not shutil.which("man"), reason="needs man-db")
def test_man_page_reads_at_80_columns(built: dict[str, Any]) -> None:
    done = subprocess.run(
        ["man", "--warnings", "-l", str(built["man"].outdir / OUTPUT["man"])],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "80", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    plain = re.sub(r".\x08", "", done.stdout)
    assert "bidirectional_1 (Bidirectional)" in plain and "Total params: 2,757,761" in plain
    assert done.stderr == ""


def test_myst_gives_the_same_tree_as_rest(project: Project, tmp_path: Path) -> None:
    body = """\
:caption: A model
:input-shape: 16, 4096

layers.LSTM(256)
layers.Dense(10)
"""
    rst = "R\n=\n\n.. model-summary::\n" + "".join(f"   {line}\n" for line in body.splitlines())
    myst = f"# R\n\n```{{model-summary}}\n{body}```\n"
    built = project(tmp_path, {"index.rst": "I\n=\n\n.. toctree::\n\n   r\n   m\n", "r.rst": rst,
                               "m.md": myst}, "html", CONF)  # fmt: skip
    assert built.warnings == ""
    trees = [built.doctree(name) for name in ("r", "m")]
    texts = [next(iter(tree.findall(nodes.table))).astext() for tree in trees]
    assert texts[0] == texts[1] and "4,457,472" in texts[0]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (":frame: keras\n\nlayers.Dense(1)", 5, "unknown option 'frame'; did you mean 'framew"),
        (":show: table\n\nlayers.Dense(1, input_dim=3)", 5, "show: 'table' is not a list"),
        (":input-shape: 80 words\n\nlayers.Dense(1)", 5, "input-shape: '80 words' is not a shape"),
        ("", 4, "no layers"),
        ("layers.Dense(1, input_dim=3)\nlayers.LSTM(4, foo=1)", 6, "lstm is not counted: "
         "layers.LSTM: unknown keyword 'foo'"),
        (":input-shape: 4, 4\n\nnn.Linear(4, 2)\nx.mean(1)\nnn.Linear(2, 1)", 8,
         "model-summary: x.mean(...): not a step we follow; the shapes after it are not known"),
    ],
)  # fmt: skip
def test_warnings_name_the_file_and_line(
    project: Project, tmp_path: Path, body: str, line: int, message: str
) -> None:
    rst = "T\n=\n\n.. model-summary::\n" + "".join(
        f"   {b}\n" if b else "\n" for b in body.splitlines()
    )
    rst += "\nAfter.\n"
    built = project(tmp_path / "r", {"index.rst": rst}, "html", CONF)
    assert f"index.rst:{line}: WARNING: model-summary: " in built.warnings, built.warnings
    assert message in built.warnings
    assert built.warnings.count("WARNING") == 1
    assert "After." in built.output()
    myst = "# T\n\n```{model-summary}\n" + body + "\n```\n\nAfter.\n"
    again = project(tmp_path / "m", {"index.md": myst}, "html", CONF)
    # the MyST body starts a line sooner (no title underline)
    assert f"index.md:{line - 1}: WARNING: model-summary: " in again.warnings, again.warnings
    assert message in again.warnings and "After." in again.output()


def test_minus_w_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(CONF)
    (tmp_path / "index.rst").write_text("T\n=\n\n.. model-summary::\n\n   nn.Linear(3, 2, foo=1)\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(tmp_path),
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and "Linear is not counted" in done.stderr


def test_two_summaries_on_a_page_get_their_own_ids(project: Project, tmp_path: Path) -> None:
    one = ".. model-summary::\n   :input-shape: 3, 2\n\n   layers.LSTM(4)\n\n"
    built = project(tmp_path, {"index.rst": "T\n=\n\n" + one * 2}, "html", CONF)
    ids = re.findall(r'id="(lstm-params-model-[^"]+)"', built.output())
    assert len(ids) == 2 and len(set(ids)) == 2


def test_counts_link_only_to_breakdowns_that_are_shown(project: Project, tmp_path: Path) -> None:
    page = ".. model-summary::\n   :input-shape: 3, 2\n   :show: summary, printed\n\n"
    built = project(
        tmp_path, {"index.rst": "T\n=\n\n" + page + "   layers.LSTM(4)\n"}, "html", CONF
    )
    assert "<td" in built.output() and 'class="reference internal"' not in built.output()


# -- the command line ------------------------------------------------------------------------------


def run(*arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(TESTS.parent)},
    )


def test_cli_model_file_and_stdin(tmp_path: Path) -> None:
    case = CASES["imdb-bidirectional-lstm"]
    path = tmp_path / "model.txt"
    path.write_text("\n".join(case["lines"]) + "\n")
    done = run("--model", str(path), "--line-length", "88")
    assert done.returncode == 0 and done.stdout == case["printed"]
    piped = run("--model", "-", "--json", stdin="\n".join(case["lines"]))
    data = json.loads(piped.stdout)
    assert data["total"] == case["total"] and data["printed"].startswith('Model: "sequential"')


def test_cli_model_problems_and_errors(tmp_path: Path) -> None:
    done = run("--model", "-", stdin="nn.LSTM(3, 4)\nnn.Lambda(5, 1)\n")
    assert done.returncode == 1 and "Total params: at least 144" in done.stdout
    assert done.stderr.startswith("lstm-params: warning: line 2: Lambda is not counted: nn.Lambda ")
    for arguments, message in [
        (("--model", str(tmp_path / "none")), "--model: cannot read"),
        (("--model", "-", "--units", "3"), "--units: not with --model"),
        (("--units", "3", "--input-dim", "4", "--breakdowns"), "--breakdowns: only with --model"),
        (("--model", "-", "--line-length", "5"), "--line-length: '5' is not a width"),
    ]:
        done = run(*arguments, stdin="nn.LSTM(3, 4)\n")
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1


def test_the_docs_show_the_recorded_summaries() -> None:
    """models.rst shows each example next to what the framework printed for the same lines."""
    pairs = {"model-keras": "imdb-bidirectional-lstm", "model-pytorch": "gru-sentiment"}
    for snippet, name in pairs.items():
        source = (DOCS / "snippets" / "rst" / f"{snippet}.rst").read_text(encoding="utf-8")
        lines = [line.strip() for line in source.split("\n\n", 1)[1].splitlines() if line.strip()]
        assert lines == CASES[name]["lines"]
        printed = (DOCS / "snippets" / "printed" / f"{name}.txt").read_text(encoding="utf-8")
        key = "printed_76" if CASES[name]["framework"] == "keras" else "printed"
        assert printed.rstrip("\n") == CASES[name][key].rstrip("\n")


HOSTILE = r"""\
Hostile
=======

.. model-summary::
   :caption: 100% #1 a_b x^2 ~ {x} $5 \\ .TH evil -- "q"
   :input-shape: 1000000000, 1000000000

   layers.Dense(1000000, name="a_b%c#d&e$f{g}h~i^j\\k -- .TH x")
   layers.Dense(3, name="\N{RIGHT-TO-LEFT OVERRIDE}ltr")
   layers.Reshape((3, -1))
   layers.Bidirectional(layers.LSTM(1000000, return_sequences=True), merge_mode="ave")
   layers.TimeDistributed(layers.Dense(2, name="inner"), name="outer_%_name")
   layers.MyLayer(lambda x: x)
   layers.Dense(1)

.. model-summary::
   :input-shape: 999999999, 1
   :show: all

   nn.LSTM(1, 1000000, num_layers=100, bidirectional=True, batch_first=True, proj_size=3)
   x.flatten(1)
   nn.Linear(6, 1)
"""


@pytest.mark.parametrize("builder", ["html", "latex", "text", "man", "texinfo", "epub"])
def test_hostile_models_build_in_every_builder(
    project: Project, tmp_path: Path, builder: str, pdf: Compile
) -> None:
    built = project(tmp_path, {"index.rst": HOSTILE}, builder, CONF)
    warnings = built.warnings.splitlines()
    assert len(warnings) == 2 and all("WARNING: model-summary: " in w for w in warnings)
    assert "index.rst:14: WARNING: model-summary: my_layer is not counted" in warnings[0]
    assert "index.rst:15: WARNING: model-summary: dense is not counted" in warnings[1]
    if builder == "latex" and shutil.which("latexmk"):
        pdf(built.outdir)
    if builder == "man":
        page = (built.outdir / OUTPUT["man"]).read_text(encoding="utf-8")
        assert not any(line.startswith((".TH x", ".TH evil")) for line in page.splitlines()[1:])
