"""Option words -> LayerSpec: every bad value is one OptionError naming option, value, rule."""

from __future__ import annotations

import pytest

from sphinxcontrib_lstmparams.counting import parse_spec
from sphinxcontrib_lstmparams.directive_options import DirectiveError, parse_parts, read_fields
from sphinxcontrib_lstmparams.options import (
    MAX_LAYERS,
    MAX_SIZE,
    read_field_lines,
    read_role_text,
)
from sphinxcontrib_lstmparams.spec import OptionError


def test_defaults_and_kebab_or_snake_spelling() -> None:
    spec = parse_spec({"units": "256", "input-dim": "4096"})
    assert (spec.cell, spec.framework, spec.layers, spec.bias) == ("lstm", "keras", 1, True)
    assert parse_spec({"units": 256, "input_dim": 4096}) == spec


def test_pytorch_spellings_are_aliases() -> None:
    spec = parse_spec({"hidden_size": 8, "input-size": 3, "num_layers": "2", "cell": "gru"})
    assert (spec.units, spec.input_dim, spec.layers) == (8, 3, 2)


def test_numbers_with_separators() -> None:
    assert parse_spec({"units": "4_096", "input_dim": "1,024"}).units == 4096


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"units": "abc", "input_dim": 3}, "units: 'abc' is not a whole number"),
        ({"units": "0", "input_dim": 3}, "units: 0 is not a whole number from 1"),
        ({"units": "-1", "input_dim": 3}, "units: '-1' is not a whole number"),
        ({"units": "1e3", "input_dim": 3}, "units: '1e3' is not a whole number"),
        ({"units": "2.5", "input_dim": 3}, "units: '2.5'"),
        ({"units": "\uff14", "input_dim": 3}, "units: '\uff14' is not"),  # fullwidth 4
        ({"units": True, "input_dim": 3}, "units: True is not a whole number"),
        ({"units": MAX_SIZE + 1, "input_dim": 3}, "is not a whole number from 1 to"),
        ({"units": 4, "input_dim": 3, "layers": MAX_LAYERS + 1}, f"layers: {MAX_LAYERS + 1}"),
        ({"units": 4}, "input-dim is required"),
        ({"input_dim": 4}, "units is required"),
        ({"units": 4, "input_dim": 3, "cell": "lstmx"}, "cell: 'lstmx' is not one of lstm"),
        ({"units": 4, "input_dim": 3, "framework": "jax"}, "framework: 'jax' is not one of"),
        ({"units": 4, "input_dim": 3, "bias": "maybe"}, "bias: 'maybe' is not true or false"),
        ({"units": 4, "input_dim": 3, "bias": ""}, "bias: '' is not true or false"),
        ({"units": 4, "input_dim": 3, "dtype": "float8"}, "dtype: 'float8' is not one of"),
        ({"units": 4, "input_dim": 3, "unit": 4}, "unknown option 'unit'; did you mean"),
    ],
)
def test_bad_values_name_the_option_and_the_rule(options: dict[str, object], fragment: str) -> None:
    with pytest.raises(OptionError) as caught:
        parse_spec(options)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"framework": "pytorch", "peepholes": True}, "peepholes: PyTorch LSTM has no peephole"),
        ({"framework": "keras", "peepholes": True}, "peepholes: Keras LSTM has no peephole"),
        ({"reset_after": "true"}, "reset-after: applies to GRU cells only"),
        ({"framework": "pytorch", "proj_size": 8}, "PyTorch requires proj_size < hidden_size"),
        ({"framework": "keras", "proj_size": 2}, "proj-size: Keras LSTM has no output projection"),
        ({"cell": "gru", "proj_size": 2}, "proj-size: applies to LSTM cells only"),
        ({"cell": "gru", "framework": "pytorch", "reset_after": "false"}, "reset gate after"),
        ({"cell": "gru", "framework": "tensorflow-v1", "reset_after": "true"}, "gate before"),
        ({"framework": "tensorflow-v1", "bias": "false"}, "always have biases"),
        ({"merge_mode": "sum"}, "merge-mode: applies to bidirectional layers only"),
        ({"merge_mode": "sum", "bidirectional": True, "framework": "pytorch"}, "concatenates"),
    ],
)
def test_impossible_combinations_are_refused(options: dict[str, object], fragment: str) -> None:
    with pytest.raises(OptionError) as caught:
        parse_spec({"units": 8, "input_dim": 3, **options})
    assert fragment in str(caught.value)


def test_duplicates_are_refused_even_through_an_alias() -> None:
    with pytest.raises(OptionError, match=r"units: given twice \(as 'units' and 'hidden-size'\)"):
        parse_spec([("units", "8"), ("input-dim", "3"), ("hidden-size", "8")])


def test_reset_after_takes_the_framework_default() -> None:
    assert parse_spec({"units": 8, "input_dim": 3, "cell": "gru"}).reset_after is True
    tf1 = parse_spec({"units": 8, "input_dim": 3, "cell": "gru", "framework": "tensorflow-v1"})
    assert tf1.reset_after is False


def test_flags_are_true_when_bare_and_accept_words() -> None:
    assert parse_spec({"units": 8, "input_dim": 3, "bidirectional": ""}).bidirectional
    assert not parse_spec({"units": 8, "input_dim": 3, "bidirectional": "no"}).bidirectional


def test_directive_body_lines_and_continuations() -> None:
    lines = [":units: 256", ":caption: A long", "   caption", ":bidirectional:"]
    assert read_field_lines(lines) == [
        ("units", "256", 0),
        ("caption", "A long caption", 1),
        ("bidirectional", "", 3),
    ]


def test_myst_yaml_block_is_yaml() -> None:
    block = ["---", 'units: "4"  # quoted', "input-dim: &w 3", "caption: |", "  two", "  lines"]
    assert read_fields([*block, "bidirectional:", "---"]) == [
        ("units", "4", 1),
        ("input-dim", "3", 2),
        ("caption", "two\nlines", 3),
        ("bidirectional", "", 6),
    ]


@pytest.mark.parametrize(
    ("lines", "index", "message"),
    [
        (["---", "units: [1, 2]", "---"], 1, "line 2 of the directive: an option takes one value"),
        (["---", "units: 8", "  x: : y", "---"], 2, "the option block is not YAML: mapping"),
        (["---", "units 8", "---"], 1, "the option block must be 'name: value' lines"),
        (["---", "units: 8"], 0, "the option block has no closing '---'"),
        (["---", "units: 8", "---", "junk"], 3, "line 4 of the directive is not an option"),
    ],
)
def test_bad_yaml_blocks_point_at_their_line(lines: list[str], index: int, message: str) -> None:
    with pytest.raises(DirectiveError) as caught:
        read_fields(lines)
    assert caught.value.index == index and str(caught.value).startswith(message)


def test_stray_body_text_is_an_error() -> None:
    with pytest.raises(OptionError, match="line 2 of the directive is not an option"):
        read_field_lines([":units: 4", "units 4"])


def test_role_text() -> None:
    assert read_role_text("units=256, input-dim=4,096, bidirectional") == [
        ("units", "256"),
        ("input-dim", "4,096"),
        ("bidirectional", ""),
    ]


def test_parts() -> None:
    assert parse_parts("show", "formula, table") == ("formula", "table")
    assert parse_parts("show", "all") == (
        "answer",
        "table",
        "formula",
        "notes",
        "diagram",
        "storage",
    )
    assert parse_parts("show", "storage diagram") == ("storage", "diagram")
    with pytest.raises(OptionError, match="show: 'tabel'"):
        parse_parts("show", "tabel")
