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
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams.kinds import registered
from sphinxcontrib_lstmparams.model.read import summarize
from sphinxcontrib_lstmparams.model.summary import ModelSummary

DATA = json.loads((Path(__file__).parent / "data" / "model_layers.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]

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
    return classes


def test_every_registered_class_is_recorded() -> None:
    recorded = _recorded_classes()
    missing = sorted(
        (signature.framework, cls)
        for kind in registered()
        for signature in kind.signatures
        if signature.framework in recorded
        for cls in signature.classes
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
    assert {"keras", "torch", "python"} <= set(DATA["versions"])
    assert {case["framework"] for case in CASES} == {"keras", "pytorch"}
    assert len({(c["framework"], c["name"]) for c in CASES}) == len(CASES)
