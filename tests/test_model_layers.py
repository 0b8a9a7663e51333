"""Single layers of a model summary against the real frameworks.

``tests/data/model_layers.json`` (``scripts/record_model_layers.py``) holds what Keras 3 and
PyTorch built and ran for one layer line at a time, with realistic options, and for a few
short chains: each layer's output shape, parameters and trainable parameters. ``summarize``
must give the same for every case, without a problem; and every class a layer kind answers
to, for Keras or PyTorch, must have recordings, so that a kind added later is held against
its framework too.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams.constructors import WRAPPER_CLASSES, parse_constructor
from sphinxcontrib_lstmparams.counting import count, parse_spec
from sphinxcontrib_lstmparams.kinds import KINDS, Child, registered
from sphinxcontrib_lstmparams.kinds.named import NamedKind, check_stored, held
from sphinxcontrib_lstmparams.model.printers import summary_text
from sphinxcontrib_lstmparams.model.read import summarize
from sphinxcontrib_lstmparams.model.summary import ModelSummary

DATA = json.loads((Path(__file__).parent / "data" / "model_layers.json").read_text("utf-8"))
# the layers of issue 22 (scripts/record_layer_kinds.py): chains as above, with each layer's
# tensors by name and the printed rows; layers called on several tensors; Keras' refusals
KINDS_DATA = json.loads((Path(__file__).parent / "data" / "layer_kinds.json").read_text("utf-8"))
KIND_CASES: list[dict[str, Any]] = KINDS_DATA["cases"]
CASES: list[dict[str, Any]] = [
    *DATA["cases"],
    *(case for case in KIND_CASES if case["sort"] == "chain"),
]
SEVERAL = [case for case in KIND_CASES if case["sort"] == "several"]

# Cases the package refuses on purpose (the row says why): case name -> the reason.
_SEVERAL = (
    "the layer returns a list of tensors (Keras prints a list of shapes); a model of one "
    "layer per line passes one tensor on, so the row says what it cannot show"
)
EXPECTED_REFUSALS: dict[str, str] = {
    "LSTM(16, return_state=True) on (10, 8)": _SEVERAL,
    "GRU(8, return_sequences=True, return_state=True) on (10, 8)": _SEVERAL,
    "Bidirectional(layers.LSTM(8), merge_mode=None) on (10, 8)": _SEVERAL,
    "ConvLSTM1D(4, 3, return_state=True) on (5, 10, 3)": _SEVERAL,
    "RNN(layers.LSTMCell(8), return_state=True) on (10, 8)": _SEVERAL,
}

# Cases whose output shape only running the framework can know: the package counts the layer
# and leaves the shape after it unknown (case name -> the reason).
SHAPE_NOT_KNOWN: dict[str, str] = {
    "Lambda(lambda x: x * 2) on (10, 8)": (
        "Keras runs a Lambda's function to know its output shape; pasted code is never run, "
        "so without output_shape= the shape is not known"
    ),
}

# Classes a kind answers to that have no recordings here, each with the reason.
NOT_RECORDED: dict[tuple[str, str], str] = {}


def _summary(case: dict[str, Any]) -> ModelSummary:
    if case["framework"] == "keras":
        return summarize([case["input_line"], *case["lines"]], "keras")
    return summarize(case["lines"], "pytorch", input_shape=case["input_shape"])


def _want(case: dict[str, Any]) -> list[tuple[Any, ...]]:
    keras = case["framework"] == "keras"
    return [
        (
            layer["class"],
            layer["name"] if keras else layer["class"],
            tuple(layer["output_shape"]),
            layer["params"],
            layer["trainable"],
        )
        for layer in case["layers"]
    ]


def _got(summary: ModelSummary) -> list[tuple[Any, ...]]:
    return [(r.cls, r.name, r.output_shape, r.params, r.trainable) for r in summary.rows]


FIELDS = ("class", "name", "output shape", "params", "trainable")


def _explain(case: dict[str, Any], summary: ModelSummary) -> str:
    lines = [f"{case['framework']} case {case['name']!r}:"]
    want, got = _want(case), _got(summary)
    if len(want) != len(got):
        lines.append(f"  {len(want)} layers recorded, {len(got)} rows")
    for line, w, g, row in zip(case["lines"], want, got, summary.rows, strict=False):
        if row.problem:
            lines.append(f"  {line}: problem: {row.problem}")
        for field, a, b in zip(FIELDS, w, g, strict=True):
            if a != b:
                lines.append(f"  {line}: {field}: framework {a!r}, package {b!r}")
    if tuple(case["output_shape"]) != summary.output_shape:
        lines.append(
            f"  model output: framework {tuple(case['output_shape'])}, "
            f"package {summary.output_shape}"
        )
    return "\n".join(lines)


def _ids(case: dict[str, Any]) -> str:
    return f"{case['framework']}: {case['name']}"


@pytest.mark.parametrize("case", [c for c in CASES if c["name"] not in EXPECTED_REFUSALS], ids=_ids)
def test_layer_matches_framework(case: dict[str, Any]) -> None:
    summary = _summary(case)
    if case["name"] in SHAPE_NOT_KNOWN:
        assert not summary.problems and summary.output_shape is None
        assert [row[3:] for row in _want(case)] == [row[3:] for row in _got(summary)]
        return
    ok = (
        not summary.problems
        and _want(case) == _got(summary)
        and tuple(case["output_shape"]) == summary.output_shape
    )
    assert ok, _explain(case, summary)


@pytest.mark.parametrize("case", [c for c in CASES if c["name"] in EXPECTED_REFUSALS], ids=_ids)
def test_expected_refusal(case: dict[str, Any]) -> None:
    """A refusal listed above still refuses (if it no longer does, move it to the checks)."""
    summary = _summary(case)
    assert summary.problems, (
        f"{case['name']!r} is counted now; drop it from EXPECTED_REFUSALS\n"
        + _explain(case, summary)
    )


def test_refusals_are_recorded() -> None:
    names = {case["name"] for case in CASES}
    assert sorted(set(EXPECTED_REFUSALS) - names) == []


def _recorded_classes() -> dict[str, set[str]]:
    classes: dict[str, set[str]] = {"keras": set(), "pytorch": set()}
    for case in CASES:
        for layer in case["layers"]:
            classes[case["framework"]].update(layer["classes"])
    for case in SEVERAL:
        classes[case["framework"]].update(case["layer"]["classes"])
    return classes


def test_every_registered_class_is_recorded() -> None:
    recorded = _recorded_classes()
    missing = sorted(
        (signature.framework, cls)
        for kind in registered()
        for signature in kind.signatures
        if signature.framework in recorded
        for cls in (*signature.classes, *signature.aliases)
        if cls not in recorded[signature.framework]
        and (signature.framework, cls) not in NOT_RECORDED
    )
    assert missing == [], (
        "classes the kinds answer to without recordings in tests/data/model_layers.json "
        "(add cases to scripts/record_model_layers.py, or list them in NOT_RECORDED with "
        f"the reason): {missing}"
    )


def test_not_recorded_list_is_current() -> None:
    registered_classes = {
        (signature.framework, cls)
        for kind in registered()
        for signature in kind.signatures
        for cls in signature.classes
    }
    recorded = _recorded_classes()
    stale = sorted(
        key
        for key in NOT_RECORDED
        if key not in registered_classes or key[1] in recorded.get(key[0], set())
    )
    assert stale == []


def test_data_is_from_the_frameworks() -> None:
    assert DATA["generated_by"] == "scripts/record_model_layers.py"
    assert KINDS_DATA["generated_by"] == "scripts/record_layer_kinds.py"
    for data in (DATA, KINDS_DATA):
        assert {"keras", "torch", "python"} <= set(data["versions"])
    assert {case["framework"] for case in CASES} == {"keras", "pytorch"}
    assert len({(c["framework"], c["name"]) for c in CASES}) == len(CASES)


# -- the layers of issue 22: tensors by name, printed rows, several inputs, children ------------

KIND_CHAINS = [case for case in KIND_CASES if case["sort"] == "chain"]

REFUSED = [case for case in KIND_CASES if case["sort"] == "refused"]

# Where our stored tensor's shape is not the framework's, though its name and size are: the
# shape follows the input's, and a kind keeps only its size (input-dim).
SIZE_NOT_SHAPE: dict[tuple[str, str], str] = {
    ("keras", "PReLU"): "alpha has the input's shape after the batch (shared axes as 1)",
    ("keras", "Normalization"): "mean and variance have the shape of the axes kept",
}
# Printed text we do not reproduce yet, each with the reason (case name -> reason).
_NESTED = (
    "torchinfo sizes its first column, and sums its mult-adds, over the rows of every depth; "
    "the nested layout (issue 21) has those rows (kind.children)"
)
PRINTED_DIFFERS: dict[str, str] = {
    **SHAPE_NOT_KNOWN,
    'TransformerEncoderLayer(16, 4, dim_feedforward=64, activation="gelu") on [5, 2, 16]': _NESTED,
    "TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), 2) on [5, 2, 16]": _NESTED,
    "TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, batch_first=True), num_layers=3, "
    "norm=nn.LayerNorm(16)) on [2, 5, 16]": _NESTED,
    "TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 2) | "
    "x[:, 0, :] | Linear(16, 3) on [2, 12, 16]": _NESTED,
}


def _rows_of(text: str, framework: str) -> tuple[list[str], list[str]]:
    """The table's body lines and the totals lines, as the recorder cut them."""
    lines = text.splitlines()
    if framework == "keras":
        start = next(i for i, line in enumerate(lines) if line.startswith("┡"))
        end = next(i for i, line in enumerate(lines) if line.startswith("└"))
        return lines[start + 1 : end], [line for line in lines[end + 1 :] if line.strip()]
    rules = [i for i, line in enumerate(lines) if line.startswith("=")]
    return lines[rules[1] + 1 : rules[2]], lines[rules[2] + 1 : rules[3]]


def _as_meant(line: str) -> str:
    """torchinfo 1.8 on Python 3.11+ writes its unit enum's name; we write the unit."""
    return re.sub(r"\(Units\.(MEGA|GIGA|TERA)BYTES\)", lambda m: f"({m[1][0]})", line)


@pytest.mark.parametrize("case", KIND_CHAINS, ids=_ids)
def test_printed_rows_match_framework(case: dict[str, Any]) -> None:
    """Every character of the rows and totals Keras' summary() and torchinfo print."""
    summary = _summary(case)
    rows, totals = _rows_of(summary_text(summary), case["framework"])
    want_totals = [_as_meant(line) for line in case["printed_totals"]]
    if case["name"] in PRINTED_DIFFERS:
        assert (rows, totals) != (case["printed_rows"], want_totals), "drop it from PRINTED_DIFFERS"
        return
    assert rows == case["printed_rows"]
    assert totals == want_totals


def _stored_view(kind: NamedKind[Any], spec: Any, framework: str) -> list[list[Any]]:
    sized = (framework, kind.display_name(spec)) in SIZE_NOT_SHAPE
    return [
        [s.full_name, math.prod(s.shape) if sized else list(s.shape)] for s in kind.stored(spec)
    ]


def _recorded_view(weights: list[list[Any]], sized: bool) -> list[list[Any]]:
    return [[name, math.prod(shape) if sized else shape] for name, shape, _ in weights]


def _check_weights(layer: dict[str, Any], breakdown: Any, framework: str) -> None:
    kind = KINDS[breakdown.spec.cell]
    if not isinstance(kind, NamedKind):
        return  # the kinds from before issue 22 name their tensors in their own words
    sized = (framework, kind.display_name(breakdown.spec)) in SIZE_NOT_SHAPE
    assert _stored_view(kind, breakdown.spec, framework) == _recorded_view(layer["weights"], sized)
    stored = kind.stored(breakdown.spec)
    trainable = [all(t.trainable for t in held(s, breakdown.tensors)) for s in stored]
    assert trainable == [flag for _name, _shape, flag in layer["weights"]]
    assert check_stored(stored, breakdown.tensors) == []


@pytest.mark.parametrize("case", KIND_CHAINS, ids=_ids)
def test_tensors_are_named_as_the_framework_names_them(case: dict[str, Any]) -> None:
    summary = _summary(case)
    for layer, row in zip(case["layers"], summary.rows, strict=True):
        assert row.breakdown is not None, row.problem
        _check_weights(layer, row.breakdown, case["framework"])


def _called_on(case: dict[str, Any]) -> list[tuple[int | None, ...]]:
    """The input shapes in the order of the layer's arguments (a list argument flattened),
    Keras' with the batch axis."""
    order = [i for arg in case["call"] for i in (arg if isinstance(arg, list) else [arg])]
    batch = (None,) if case["framework"] == "keras" else ()
    return [(*batch, *case["inputs"][i]) for i in order]


def _several(case: dict[str, Any]) -> tuple[Any, Any, tuple[int | None, ...]]:
    """The layer counted from its line and the shapes it is called on, through the hook."""
    layer = parse_constructor(case["line"], case["framework"])
    options: dict[str, object] = {**layer.options, "framework": layer.framework}
    kind = KINDS[str(options["cell"])]
    shapes = _called_on(case)
    for word, value in kind.options_from_inputs(
        str(options["cell"]), shapes, layer.call, layer.framework
    ).items():
        assert options.get(word, value) == value, (word, options[word], value)
        options[word] = value
    breakdown = count(parse_spec(options))
    return kind, breakdown, kind.output_from_inputs(breakdown.spec, shapes, layer.call)


@pytest.mark.parametrize("case", SEVERAL, ids=_ids)
def test_layer_on_several_inputs_matches_framework(case: dict[str, Any]) -> None:
    _kind, breakdown, output = _several(case)
    recorded = case["layer"]
    assert (breakdown.total, breakdown.trainable_total) == (
        recorded["params"],
        recorded["trainable"],
    )
    assert list(output) == recorded["output_shape"]
    _check_weights(recorded, breakdown, case["framework"])


def _children_view(children: tuple[Child, ...]) -> list[dict[str, Any]]:
    out = []
    for child in children:
        item: dict[str, Any] = {
            "attribute": child.attribute,
            "class": child.cls,
            "params": child.params,
            "called": child.called,
        }
        if child.children:
            item["children"] = _children_view(child.children)
        out.append(item)
    return out


def _with_children() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = [
        (case, layer) for case in KIND_CHAINS for layer in case["layers"] if "children" in layer
    ]
    return found + [(case, case["layer"]) for case in SEVERAL if "children" in case["layer"]]


@pytest.mark.parametrize(("case", "layer"), _with_children(), ids=lambda x: x.get("line", ""))
def test_children_as_pytorch_registers_and_calls_them(
    case: dict[str, Any], layer: dict[str, Any]
) -> None:
    """A module made of modules lists them as named_children() does, and says which ones its
    forward calls (torchinfo shows only those)."""
    if case["sort"] == "several":
        kind, breakdown, _output = _several(case)
    else:
        summary = _summary(case)
        row = summary.rows[[entry["line"] for entry in case["layers"]].index(layer["line"])]
        assert row.breakdown is not None
        kind, breakdown = KINDS[row.breakdown.spec.cell], row.breakdown
    assert _children_view(kind.children(breakdown.spec)) == layer["children"]


@pytest.mark.parametrize("case", REFUSED, ids=_ids)
def test_several_input_layer_refused_in_a_sequential_as_keras_does(case: dict[str, Any]) -> None:
    summary = summarize([keras_input_line(case), *case["lines"]], "keras")
    (row,) = summary.rows
    assert row.problem is not None
    # Keras' own words for why, then ours for what the model is
    assert case["error"].split(".")[0].split(",")[0] in row.problem
    assert "at least" in summary_text(summary)


def keras_input_line(case: dict[str, Any]) -> str:
    sizes = ", ".join(str(n) for n in case["input_shape"])
    return f"keras.Input(shape=({sizes}{',' if len(case['input_shape']) == 1 else ''}))"


def test_the_docs_list_every_class_the_kinds_answer_to() -> None:
    """docs/models.rst's list is written from the registry by docs/_ext/known_layers.py: every
    class and alias of Keras and PyTorch, and the wrappers, are on it."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "docs" / "_ext"))
    try:
        from known_layers import layer_groups  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    for framework in ("keras", "pytorch"):
        listed = " ".join(shown for _group, classes in layer_groups(framework) for shown in classes)
        names = set(re.findall(r"\w+", listed))
        wanted = {
            cls
            for kind in registered()
            for signature in kind.signatures
            if signature.framework == framework
            for cls in (*signature.classes, *signature.aliases)
        }
        assert wanted - names == set(), framework
        assert set(WRAPPER_CLASSES[framework]) <= names
    page = (Path(__file__).parents[1] / "docs" / "models.rst").read_text(encoding="utf-8")
    assert ".. known-layers:: keras\n" in page and ".. known-layers:: pytorch\n" in page
