"""Generated models: any mix of good, bad and hostile lines, options and shapes.

Whatever the lines, a model either cannot be read at all (one located ``DirectiveError``) or
gives a summary whose every row is counted or says why not; its totals are the sum of its
rows, flagged when a row is missing, and absent when the framework would not build the model;
both framework texts print; and a Sphinx build of it gives exactly one located warning per
problem and still writes the page. Every model Keras or PyTorch refused when recorded
(``tests/data/refused_models.json``), with any lines after the one that breaks, is refused at
that line and has no total.

Profiles as in ``test_fuzz.py``: ``ci`` (default) and ``thorough`` (``HYPOTHESIS_PROFILE``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docutils.nodes import make_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_lstmparams.constructors import parse_constructor
from sphinxcontrib_lstmparams.directive_options import DirectiveError
from sphinxcontrib_lstmparams.kinds import KINDS, registered
from sphinxcontrib_lstmparams.model.body import parse_model_directive
from sphinxcontrib_lstmparams.model.keras.text import keras_text
from sphinxcontrib_lstmparams.model.printers import layout, summary_text
from sphinxcontrib_lstmparams.model.torch.text import torchinfo_text
from sphinxcontrib_lstmparams.spec import DEFAULT_MODEL_PARTS

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
DATA = Path(__file__).parent / "data"
REFUSED = json.loads((DATA / "refused_models.json").read_text(encoding="utf-8"))["cases"]
Project = Callable[..., Any]

SIZES = st.one_of(st.integers(1, 600), st.sampled_from([0, -1, 10**9, 10**12, 10**40]))
KERAS_LAYERS = [
    "layers.LSTM({u})",
    "layers.LSTM({u}, return_sequences=True)",
    "layers.GRU({u}, reset_after=False, return_sequences=True)",
    "layers.SimpleRNN({u})",
    "layers.Bidirectional(layers.LSTM({u}, return_sequences=True), merge_mode='sum')",
    "layers.Bidirectional(layers.GRU({u}))",
    "layers.Dense({u})",
    "layers.Dense({u}, use_bias=False, name='n{u}')",
    "layers.Embedding({u}, {v})",
    "layers.Dropout(0.5)",
    "layers.Flatten()",
    "layers.RepeatVector({u})",
    "layers.TimeDistributed(layers.Dense({u}))",
    "layers.Conv1D({u}, 3, padding='same')",
    "layers.MaxPooling1D(2)",
    "layers.GlobalAveragePooling1D()",
    "layers.BatchNormalization()",
    "layers.LayerNormalization()",
    "layers.Reshape(({u}, -1))",
    "layers.ConvLSTM1D({u}, 3)",
    "keras.Input(shape=({u}, {v}))",
    # the layers of issue 22: every kind is drawn (test_the_pools_draw_every_kind)
    "layers.Conv1DTranspose({u}, 3, strides=2)",
    "layers.SeparableConv1D({u}, 3, depth_multiplier={v})",
    "layers.DepthwiseConv1D(3, depth_multiplier={u})",
    "layers.GroupNormalization(groups={u})",
    "layers.PReLU(shared_axes=[1])",
    "layers.Normalization(axis={u})",
    "layers.Attention()",
    "layers.MultiHeadAttention({u}, {v})",
    "layers.ZeroPadding1D({u})",
    "layers.Cropping1D(({u}, {v}))",
    "layers.UpSampling1D({u})",
    "layers.MaxPool1D({u})",
    "layers.LeakyReLU()",
    "layers.Masking()",
    "layers.Permute((2, 1))",
    "layers.Lambda(lambda x: x, output_shape=({u}, {v}))",
    "layers.TextVectorization(max_tokens={u}, output_sequence_length={v})",
    "layers.StringLookup(vocabulary=['a', 'b'], output_mode='one_hot')",
    "layers.CategoryEncoding(num_tokens={u})",
    "layers.RNN([layers.LSTMCell({u}), layers.GRUCell({v})])",
    "layers.Bidirectional(layers.LSTM({u}), backward_layer=layers.GRU({v}, go_backwards=True))",
]
TORCH_LAYERS = [
    "nn.LSTM({v}, {u}, batch_first=True)",
    "nn.GRU({v}, {u}, num_layers=2, bidirectional=True)",
    "nn.RNN({v}, {u}, nonlinearity='relu')",
    "nn.LSTMCell({v}, {u})",
    "nn.Linear({v}, {u})",
    "nn.Embedding({u}, {v})",
    "nn.Embedding.from_pretrained(torch.zeros({u}, {v}))",
    "nn.Conv1d({v}, {u}, 3)",
    "nn.BatchNorm1d({v})",
    "nn.LayerNorm({v})",
    "nn.Dropout(0.1)",
    "nn.ReLU()",
    "nn.Flatten()",
    "x[:, -1, :]",
    "x.permute(0, 2, 1)",
    "x.view(x.size(0), -1)",
    "x.mean(1)",
    "nn.ConvTranspose1d({v}, {u}, 3, stride=2)",
    "nn.GroupNorm(2, {v})",
    "nn.InstanceNorm1d({v}, affine=True)",
    "nn.PReLU({v})",
    "nn.EmbeddingBag({u}, {v})",
    "nn.MultiheadAttention({v}, 2)",
    "nn.Bilinear({v}, {v}, {u})",
    "nn.TransformerEncoderLayer({v}, 2, {u}, batch_first=True)",
    "nn.TransformerEncoder(nn.TransformerEncoderLayer({v}, 2, {u}), 2)",
    "nn.Transformer({v}, 2, 1, 1, {u})",
    "nn.ReflectionPad1d({u})",
    "nn.Upsample(scale_factor={u})",
    "nn.AdaptiveAvgPool1d({u})",
    "nn.MaxUnpool1d({u})",
    "nn.PixelShuffle({u})",
    "nn.Unflatten(1, ({u}, -1))",
    "nn.SiLU()",
]
HOSTILE = [
    "",
    "# a comment",
    "layers.LSTM(",
    ")",
    "nn.LSTM(3, 4, foo=1)",
    "layers.Lambda(lambda x: x)",
    "__import__('os').system('true')",
    "\N{RIGHT-TO-LEFT OVERRIDE}nn.Linear(3, 4)",
    "layers.Dense(1, name='a\\\\b %{}$')",
    "nn.Linear(" + "9" * 4400 + ", 1)",
    "x[" * 50,
    ":units: 3",
    "   indented(1,",
    "layers.Dense(2) layers.Dense(3)",
]
OPTIONS = st.lists(
    st.sampled_from(
        [
            ":framework: keras",
            ":framework: pytorch",
            ":framework: onnx",
            ":input-shape: 16, 32",
            ":input-shape: (None, 10, 8)",
            ":input-shape: 4, 10, 8",
            ":input-shape: lots",
            ":model-name: M",
            ":show: all",
            ":show: printed",
            ":show: summary, nothing",
            ":caption: A *model*",
            ":name: m",
            ":class: wide",
            ":units: 3",
        ]
    ),
    max_size=3,
)


def test_the_pools_draw_every_kind() -> None:
    """Every kind that Keras or PyTorch classes build is among the lines drawn."""
    drawn = set()
    for line in KERAS_LAYERS + TORCH_LAYERS:
        if line.startswith(("layers.", "nn.")) and ".from_pretrained(" not in line:
            options = parse_constructor(line.format(u=4, v=4)).options
            drawn.add(KINDS[str(options.get("cell", "lstm"))].name)
    wanted = {
        kind.name
        for kind in registered()
        if any(s.framework in ("keras", "pytorch") for s in kind.signatures)
    }
    # the recurrent cells that differ come from RNN([...]) and Bidirectional(backward_layer=)
    wanted.add(KINDS["stacked_cells"].name)
    assert wanted - drawn == set()


@st.composite
def models(draw: st.DrawFn) -> list[str]:
    keras = draw(st.booleans())
    pool = KERAS_LAYERS if keras else TORCH_LAYERS
    lines = []
    for _ in range(draw(st.integers(0, 7))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(HOSTILE)))
        else:
            line = draw(st.sampled_from(pool))
            lines.append(line.format(u=draw(SIZES), v=draw(SIZES)))
    options = draw(OPTIONS)
    return [*options, *([""] if options else []), *lines]


def check(lines: list[str]) -> Any:
    """The invariants of one model; returns the parsed input (None if unreadable)."""
    try:
        given = parse_model_directive(lines, DEFAULT_MODEL_PARTS, make_id)
    except DirectiveError as error:
        failed: DirectiveError | None = error
    else:
        failed = None
    if failed is not None:
        assert str(failed)
        assert failed.index is None or 0 <= failed.index < max(len(lines), 1)
        return None
    summary = given.summary
    counted = [row for row in summary.rows if row.problem is None]
    assert summary.total == sum(row.params for row in counted)
    assert summary.complete == (len(counted) == len(summary.rows))
    for row in summary.rows:
        assert (row.breakdown is None) == (row.problem is not None)
        assert 0 <= row.line < len(lines) - given.first_layer_line
    drawn = layout(summary)
    assert len(drawn.problems) == len(summary.problems) + len(summary.step_problems)
    text = summary_text(summary)
    totals = "\n".join(drawn.totals)
    assert all(line in text for line in drawn.totals)
    if summary.refused:  # no total, not even a lower bound: the framework stops
        assert "at least" not in totals and "would not build this model" in totals
        assert not re.search(r"\d", totals) and not drawn.sizes
        assert summary.as_dict()["total"] is None
        lines_with_problems = {row.line for row in summary.problems}
        assert summary.refused_at in lines_with_problems | {i for i, _ in summary.step_problems}
    else:
        assert ("at least" in totals) == (not summary.complete)
    if summary.framework == "keras":
        for width in (40, 76, 88):
            lines_of = keras_text(drawn, width).splitlines()
            table = [line for line in lines_of if line[:1] in "┏┃┡│├└"]
            assert all(len(line) == width for line in table)
    else:
        assert torchinfo_text(drawn).startswith("=")
    return given


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=5000 if THOROUGH else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(models())
def test_any_model_reads_as_a_summary_or_one_error(lines: list[str]) -> None:
    check(lines)


@st.composite
def refused_models(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A recorded refused model, then any lines: the framework stops at the recorded line."""
    case = draw(st.sampled_from(REFUSED))
    keras = case["framework"] == "keras"
    pool = [line for line in (KERAS_LAYERS if keras else TORCH_LAYERS) if "Input(" not in line]
    after = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 4)) == 0:
            after.append(draw(st.sampled_from(HOSTILE)))
        else:
            line = draw(st.sampled_from(pool))
            after.append(line.format(u=draw(SIZES), v=draw(SIZES)))
    shape = ", ".join(map(str, case.get("input_shape", [])))
    options = [] if keras else [f":input-shape: {shape}", ""]
    return case, [*options, *case["lines"], *after]


@pytest.mark.filterwarnings("ignore")
@settings(
    max_examples=2000 if THOROUGH else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(refused_models())
def test_a_model_the_framework_refuses_has_no_total(
    drawn: tuple[dict[str, Any], list[str]],
) -> None:
    case, lines = drawn
    given = check(lines)
    if given is None:  # a line after it that is not Python makes the paste unreadable
        assert case["lines"][-1:] != lines[-1:], lines  # (one error, and no total)
        return
    start = lines.index(case["lines"][0]) - given.first_layer_line  # after the options
    assert given.summary.refused_at == start + case["refused_at"], given.summary


@pytest.fixture(scope="module")
def pages() -> list[list[str]]:
    """A fixed sample of generated models, for a real build."""
    examples: list[list[str]] = []

    @settings(max_examples=60 if THOROUGH else 12, deadline=None, database=None)
    @given(models())
    def collect(lines: list[str]) -> None:
        examples.append(lines)

    collect()
    return examples


def test_generated_models_build_with_one_warning_per_problem(
    pages: list[list[str]], project: Project, tmp_path: Path
) -> None:
    text = "Fuzz\n====\n\n"
    expected = 0
    starts = []
    for lines in pages:
        text += ".. model-summary::\n"
        starts.append(text.count("\n") + 1)
        text += "".join(f"   {line}\n" if line else "\n" for line in lines) + "\nAfter.\n\n"
        given = check(lines)
        if given is None:
            expected += 1
        else:
            expected += len(given.summary.problems) + len(given.summary.step_problems)
    built = project(tmp_path, {"index.rst": text}, "html")
    warnings = [line for line in built.warnings.splitlines() if "WARNING" in line]
    ours = [line for line in warnings if "WARNING: model-summary: " in line]
    # docutils may add its own for markup in a caption; ours are one per problem
    assert len(ours) == expected, built.warnings
    assert all(re.search(r"index\.rst:\d+: WARNING", line) for line in ours)
    assert built.output().count("After.") == len(pages)
