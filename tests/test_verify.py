"""``lstmparams_verify`` without the frameworks: the config value, how a framework's tensors
are matched to the page's and compared, and the build's side (locations, the info lines, the
cache) with a stand-in builder. ``test_verify_frameworks.py`` builds the real layers."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import count_params, parse_spec, verify
from sphinxcontrib_lstmparams.settings import read_settings
from sphinxcontrib_lstmparams.sphinxext import verification
from sphinxcontrib_lstmparams.verify import (
    Built,
    RealTensor,
    cache_key,
    compare,
    covers,
    given_options,
    packed_shape,
    report,
    torch_tensor,
)

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture
TYPE = r"(?: \[lstmparams\.verify\])?$"  # Sphinx 7 prints no [type.subtype] suffix


# -- the config value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (["torch", "keras"], ("torch", "keras")),
        (("Keras",), ("keras",)),
        (["pytorch", "torch"], ("torch",)),
        ("torch, keras", ("torch", "keras")),
        ([], ()),
        ("", ()),
    ],
)
def test_verify_names_frameworks(value: object, read: tuple[str, ...]) -> None:
    settings, messages = read_settings({"lstmparams_verify": value})
    assert messages == [] and settings.verify == read


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "lstmparams_verify: True is not a list of frameworks (torch, keras)"),
        (["torch", "jax"], "lstmparams_verify: 'jax' is not a framework it can build layers in"),
        (["torch", 3], "lstmparams_verify: ['torch', 3] is not a list of frameworks"),
        ("onnx", "lstmparams_verify: 'onnx' is not a framework it can build layers in"),
    ],
)
def test_a_bad_verify_value_is_one_warning_and_off(
    tmp_path: Path, project: Project, value: object, message: str
) -> None:
    page = "T\n=\n\n.. lstm-params::\n   :units: 256\n   :input-dim: 4096\n"
    built = project(tmp_path, {"index.rst": page}, extra_conf=f"lstmparams_verify = {value!r}\n")
    found = [line for line in built.warnings.splitlines() if "WARNING" in line]
    assert len(found) == 1 and message in found[0] and "; using []" in found[0], found
    assert "<strong>4,457,472</strong>" in built.output()
    assert built.app.config.lstmparams_verify == []


# -- what each library builds and how its tensors are placed -------------------------------------


def test_each_library_builds_its_own_frameworks_layers() -> None:
    torch_layer = count_params("nn.GRU(3, 4)").spec
    keras_layer = count_params(cell="gru", units=4, input_dim=3).spec
    conv = count_params(cell="convlstm1d", units=4, input_dim=3, kernel_size=3).spec
    flax_conv = count_params(
        cell="convlstm1d", units=4, input_dim=3, kernel_size=3, framework="flax"
    )
    onnx = count_params(units=4, input_dim=3, framework="onnx").spec
    assert covers("torch", torch_layer) and not covers("keras", torch_layer)
    assert covers("keras", keras_layer) and covers("keras", conv)
    assert not covers("torch", keras_layer) and not covers("torch", conv)
    for library in verify.LIBRARIES:
        assert not covers(library, onnx) and not covers(library, flax_conv.spec)


def test_torch_names_say_layer_direction_and_kind() -> None:
    assert torch_tensor("weight_ih_l0", (16, 3)) == RealTensor(
        "weight_ih_l0", (16, 3), 1, "forward", ("input_weights",), True
    )
    assert torch_tensor("bias_hh_l2_reverse", (16,)) == RealTensor(
        "bias_hh_l2_reverse", (16,), 3, "backward", ("recurrent_bias",), False
    )
    assert torch_tensor("weight_hr_l0", (2, 4)).kinds == ("projection",)
    assert torch_tensor("weight_xy_l0", (2, 4)).layer is None


def test_the_options_given_are_the_words_and_the_constructor() -> None:
    words = [("cell", "gru"), ("Units", "8"), ("input_size", "3"), ("timesteps", "5")]
    assert given_options(words, None) == {"cell", "units", "input_dim", "timesteps"}
    assert given_options([("input-dim", "3")], "keras.layers.GRU(8, reset_after=False)") == {
        "cell",
        "units",
        "reset_after",
        "input_dim",
        "framework",
    }


def test_one_cache_entry_per_layer_the_library_builds_alike() -> None:
    plain = parse_spec({"units": 8, "input_dim": 3})
    longer = parse_spec({"units": 8, "input_dim": 3, "timesteps": 50, "dtype": "float16"})
    given = frozenset({"units", "input_dim"})
    key = cache_key("keras", "3", plain, given)
    assert cache_key("keras", "3", longer, given | {"timesteps", "dtype"}) == key
    assert cache_key("keras", "4", plain, given) != key  # another version
    assert cache_key("keras", "3", plain, given | {"bias"}) != key  # bias=True said out loud
    conv = parse_spec({"cell": "convlstm2d", "units": 4, "input_dim": 3, "kernel_size": 3})
    shaped = parse_spec(
        {"cell": "convlstm2d", "units": 4, "input_dim": 3, "kernel_size": 3, "input_shape": "8x8"}
    )
    assert cache_key("keras", "3", conv, given) == cache_key("keras", "3", shaped, given)


# -- comparing ----------------------------------------------------------------------------------


def as_torch(spec_options: dict[str, object], bias_hh: bool = True) -> tuple[Any, Built]:
    """A spec's breakdown, and the tensors PyTorch stores for it, written out by hand."""
    breakdown = count_params(framework="pytorch", **spec_options)
    spec = breakdown.spec
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[spec.cell]
    tensors, width = [], spec.input_dim
    for layer in range(spec.layers):
        for suffix in ("", "_reverse")[: spec.directions]:
            names = {
                f"weight_ih_l{layer}{suffix}": (gates * spec.units, width),
                f"weight_hh_l{layer}{suffix}": (gates * spec.units, spec.units),
                f"bias_ih_l{layer}{suffix}": (gates * spec.units,),
            }
            if bias_hh:
                names[f"bias_hh_l{layer}{suffix}"] = (gates * spec.units,)
            tensors += [torch_tensor(name, shape) for name, shape in names.items()]
        width = spec.units * spec.directions
    total = sum(tensor.count for tensor in tensors)
    return breakdown, Built("torch", "2", "torch.nn.X(...)", total, tuple(tensors))


@pytest.mark.parametrize(
    "options",
    [
        {"units": 4, "input_dim": 3},
        {"cell": "gru", "units": 8, "input_dim": 16, "layers": 3, "bidirectional": True},
        {"cell": "rnn", "units": 256, "input_dim": 4096, "layers": 2},
    ],
)
def test_tensors_that_match_the_page_agree(options: dict[str, object]) -> None:
    breakdown, built = as_torch(options)
    assert compare(breakdown, built) == []


def test_a_framework_with_other_biases_disagrees_on_total_and_tensors() -> None:
    breakdown, built = as_torch({"units": 4, "input_dim": 3}, bias_hh=False)
    assert compare(breakdown, built) == [
        "128 parameters, where the page counts 144",
        "the page's recurrent bias of layer 1 (forward, 16 parameters) are in no tensor of torch",
    ]


def test_a_wrong_shape_and_an_unknown_tensor_are_named() -> None:
    breakdown, built = as_torch({"units": 4, "input_dim": 3, "layers": 2})
    tensors = list(built.tensors)
    tensors[4] = torch_tensor("weight_ih_l1", (16, 8))  # a deeper layer that saw 8 features
    tensors.append(RealTensor("scale", (1,), None, None, ()))
    total = sum(tensor.count for tensor in tensors)
    problems = compare(breakdown, Built("torch", "2", "nn.LSTM(3, 4, 2)", total, tuple(tensors)))
    assert problems == [
        "369 parameters, where the page counts 304",
        "weight_ih_l1 is (16, 8), the page's make (16, 4)",
        "scale (1,) is not on the page",
    ]
    message = report(Built("torch", "2.13.0", "nn.LSTM(3, 4, 2)", total, ()), problems)
    assert message == (
        "torch 2.13.0 disagrees with this count. nn.LSTM(3, 4, 2): 369 parameters, where the "
        "page counts 304; weight_ih_l1 is (16, 8), the page's make (16, 4); scale (1,) is not "
        "on the page"
    )


def test_a_library_that_cannot_build_the_layer_says_why() -> None:
    breakdown = count_params(units=4, input_dim=3)
    built = Built("keras", "3.0", "", error="ValueError: no")
    assert compare(breakdown, built) == ["keras cannot build it: ValueError: no"]
    assert report(built, compare(breakdown, built)) == (
        "keras 3.0 disagrees with this count: keras cannot build it: ValueError: no"
    )


def test_keras_packs_gates_on_the_last_axis_and_two_biases_in_rows() -> None:
    gru = count_params(cell="gru", units=16, input_dim=8).tensors  # Keras: reset_after=True
    kernels = [t for t in gru if t.kind == "input_weights"]
    biases = [[t for t in gru if t.kind == kind] for kind in ("input_bias", "recurrent_bias")]
    assert packed_shape([kernels], transposed=False) == (8, 48)
    assert packed_shape([kernels], transposed=True) == (48, 8)
    assert packed_shape(biases, transposed=False) == (2, 48)
    conv = count_params(cell="convlstm2d", units=4, input_dim=3, kernel_size="3x5").tensors
    assert packed_shape([[t for t in conv if t.kind == "input_weights"]], False) == (3, 5, 3, 16)
    # tensors that are not one gate's slice of one stored tensor
    assert packed_shape([[kernels[0], biases[0][0]]], False) is None
    assert packed_shape([], False) is None


# -- the build's side, with a stand-in for the framework -----------------------------------------

PAGE = """\
T
=

.. lstm-params:: nn.LSTM(3, 4)

.. lstm-params::
   :framework: pytorch
   :cell: gru
   :units: 8
   :input-dim: 16
   :layers: 3
   :bidirectional:

A role :lstm-params:`framework=pytorch, units=4, input-dim=3, timesteps=9` and a Keras layer
:lstm-params:`units=4, input-dim=3`.

.. toctree::

   md
"""
MD = """\
# M

```{lstm-params}
:framework: pytorch
:cell: rnn
:units: 256
:input-dim: 4096
:layers: 2
```
"""


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """torch, as written out by :func:`as_torch`; each layer it builds is listed."""
    built: list[Any] = []

    def build_torch(spec: Any, given: frozenset[str]) -> tuple[str, str, int, list[RealTensor]]:
        built.append(spec)
        options = {"cell": spec.cell, "units": spec.units, "input_dim": spec.input_dim}
        options |= {"layers": spec.layers, "bidirectional": spec.bidirectional}
        _breakdown, real = as_torch(options, bias_hh=spec.cell != "rnn")
        return "2.13.0-stand-in", real.call, real.total, list(real.tensors)

    monkeypatch.setattr(verification, "load", lambda library: f"{library}-stand-in")
    monkeypatch.setitem(verify.BUILDERS, "torch", build_torch)
    monkeypatch.setattr(verification, "BUILT", {})
    return built


def infos(built: Any) -> list[str]:
    status = built.app.status.getvalue()
    return re.findall(r"lstmparams_verify: [^\n]*", status)


def test_each_disagreeing_count_is_a_warning_at_its_line(
    tmp_path: Path, project: Project, stand_in: list[Any]
) -> None:
    built = project(
        tmp_path, {"index.rst": PAGE, "md.md": MD}, extra_conf='lstmparams_verify = ["torch"]\n'
    )
    found = [line for line in built.warnings.splitlines() if "WARNING" in line]
    assert len(found) == 1, found  # the stand-in's simple RNN has one bias, PyTorch's two
    assert re.search(
        r"md\.md:3: WARNING: lstm-params: torch 2\.13\.0-stand-in disagrees with this count\. "
        r"torch\.nn\.X\(\.\.\.\): 1,245,696 parameters, where the page counts 1,246,208; "
        r"the page's recurrent bias of layer 1 \(forward, 256 parameters\) are in no tensor of "
        rf"torch; the page's recurrent bias of layer 2 .* are in no tensor of torch{TYPE}",
        found[0],
    ), found
    # the nn.LSTM directive and the role are one layer, built once; the Keras role is not torch's
    assert len(stand_in) == 3
    assert infos(built) == [
        "lstmparams_verify: 4 layers (3 distinct) checked against torch torch-stand-in in "
        + re.search(r"in (\d+\.\d s \(import \d+\.\d s\))", infos(built)[0])[1]  # type: ignore[index]
        + ": 1 disagree"
    ]


def test_verification_is_off_by_default(
    tmp_path: Path, project: Project, stand_in: list[Any]
) -> None:
    built = project(tmp_path, {"index.rst": PAGE, "md.md": MD})
    assert built.warnings == "" and stand_in == [] and infos(built) == []


def test_a_framework_that_cannot_be_imported_is_one_info_line(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    monkeypatch.setitem(sys.modules, "keras", None)
    built = project(
        tmp_path,
        {"index.rst": PAGE, "md.md": MD},
        extra_conf='lstmparams_verify = ["torch", "keras"]\n',
    )
    assert built.warnings == ""
    lines = infos(built)
    assert len(lines) == 2, lines
    assert lines[0].startswith("lstmparams_verify: torch cannot be imported (ModuleNotFoundError")
    assert lines[0].endswith("; 4 layers not checked against it")
    assert lines[1].endswith("; 1 layer not checked against it")


def test_a_framework_without_layers_on_the_site_is_not_imported(
    tmp_path: Path, project: Project, stand_in: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keras", None)
    page = "T\n=\n\n:lstm-params:`units=4, input-dim=3, framework=onnx`\n"
    built = project(tmp_path, {"index.rst": page}, extra_conf='lstmparams_verify = "torch"\n')
    assert built.warnings == "" and stand_in == []
    assert infos(built) == ["lstmparams_verify: no layer on the site for torch to build"]


def test_suppress_warnings_silences_verify_but_not_its_count(
    tmp_path: Path, project: Project, stand_in: list[Any]
) -> None:
    conf = 'lstmparams_verify = ["torch"]\nsuppress_warnings = ["lstmparams.verify"]\n'
    built = project(tmp_path, {"index.rst": PAGE, "md.md": MD}, extra_conf=conf)
    assert built.warnings == ""
    assert infos(built)[0].endswith(": 1 disagree")
