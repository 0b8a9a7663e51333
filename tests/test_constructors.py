"""Layers written as their frameworks write them: every recorded constructor (each one built
for real by scripts/record_framework_counts.py), the traps of positional arguments, and the
constructor in the directive, the role, MyST and the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import OptionError, count_params
from sphinxcontrib_lstmparams.constructors import ConstructorError, parse_constructor, split_call

Project = Callable[..., Any]  # conftest.build_project, through the `project` fixture


def constructor_cases(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(constructor text, options beside it, the recorded case) for every recorded call."""
    cases = []
    for case in data["cases"]:
        for field in ("constructor", "printed"):
            if field in case:
                beside = dict(case.get("constructor_options") or {})
                if case["framework"] == "onnx":  # an ONNX export of a PyTorch module
                    beside["framework"] = "onnx"
                cases.append((case[field], beside, case))
    return cases


def test_every_recorded_constructor_counts_as_the_framework_did(
    framework_counts: dict[str, Any],
) -> None:
    cases = constructor_cases(framework_counts)
    assert len(cases) > 1500
    wrong = []
    for text, beside, case in cases:
        breakdown = count_params(text, **beside)
        if (breakdown.total, breakdown.spec.framework) != (case["total"], case["framework"]):
            wrong.append((text, beside, breakdown.total, case["total"], breakdown.spec.framework))
    assert not wrong, wrong[:5]


def test_constructor_and_option_words_give_the_same_tensors(
    framework_counts: dict[str, Any],
) -> None:
    """The same recorded layer through both doors: the same tensors, one by one."""
    for text, beside, case in constructor_cases(framework_counts):
        words = count_params(framework=case["framework"], **case["options"])
        pasted = count_params(text, **beside)
        assert pasted.tensors == words.tensors, text


def test_every_framework_and_kind_has_recorded_constructors(
    framework_counts: dict[str, Any],
) -> None:
    seen = {
        (case["framework"], case["options"]["cell"])
        for _t, _b, case in constructor_cases(framework_counts)
    }
    for framework in ("keras", "pytorch", "onnx", "tensorflow-v1", "flax", "flax-nnx"):
        for cell in ("lstm", "gru", "rnn"):
            assert (framework, cell) in seen
    for framework in ("keras", "flax"):
        assert (framework, "convlstm2d") in seen


TRICKY = [
    # PyTorch: positional order input_size, hidden_size, num_layers, bias, batch_first, dropout,
    # bidirectional, proj_size
    ("nn.LSTM(300, 512, num_layers=2, bidirectional=True)", {}, 9_633_792),
    ("torch.nn.LSTM(4096, 256, 1, True, False, 0.0, True)", {}, 2 * 4_458_496),
    ("LSTM(300, 512, num_layers=2, batch_first=True)", {}, 3_768_320),  # print(model)
    ("nn.GRU(300, 128)", {}, 165_120),
    # nn.RNN's fourth positional is nonlinearity, not bias: both tanh and relu count alike
    ("nn.RNN(3, 4, 2, 'relu')", {}, 76),
    ("nn.RNN(3, 4, 2, 'tanh', False)", {}, 60),
    ("RNNCell(16, 8, bias=False, nonlinearity=relu)", {}, 192),  # as print() writes it
    ("nn.LSTMCell(3, 4)", {}, 144),
    ("nn.LSTM(3, 4, dtype=torch.float16)", {}, 144),
    # Keras: the width from input_shape, the legacy input_dim, or the option beside it
    ("keras.layers.LSTM(256)", {"input_dim": 4096}, 4_457_472),
    ("LSTM(256, input_shape=(16, 4096))", {}, 4_457_472),
    ("tf.keras.layers.LSTM(256, input_dim=4096)", {}, 4_457_472),
    # SimpleRNN's third positional is use_bias; LSTM's is recurrent_activation
    ("keras.layers.SimpleRNN(4, 'tanh', False)", {"input_dim": 3}, 28),
    ("keras.layers.LSTM(4, 'tanh', 'sigmoid', False)", {"input_dim": 3}, 112),
    ("layers.GRU(64, reset_after=False)", {"input_dim": 32}, 18_624),
    ("Bidirectional(LSTM(64), merge_mode='sum')", {"input_dim": 8}, 37_376),
    ("keras.layers.Bidirectional(keras.layers.LSTM(64), 'sum', input_shape=(None, 8))", {}, 37_376),
    ("keras.layers.RNN(keras.layers.GRUCell(4))", {"input_dim": 3}, 108),
    ("keras.layers.ConvLSTM2D(4, 3)", {"input_dim": 3}, 1_024),
    ("ConvLSTM2D(64, (3, 3), input_shape=(None, 64, 64, 32))", {}, 221_440),
    # Flax linen and NNX
    ("nn.LSTMCell(features=4)", {"input_dim": 3}, 128),
    ("nn.GRUCell(4)", {"input_dim": 3}, 100),
    ("nnx.GRUCell(3, 4, rngs=nnx.Rngs(0))", {}, 96),
    ("nn.ConvLSTMCell(4, (3, 3))", {"input_dim": 3}, 1_040),
    (
        "nnx.Bidirectional(nnx.RNN(nnx.SimpleCell(3, 4, rngs=r)), nnx.RNN(nnx.SimpleCell(3, 4)))",
        {},
        64,
    ),
    # TF1 cells
    # kernel (16 + 2) x 32, bias 32, peepholes 3 x 8, projection 8 x 2
    ("tf.compat.v1.nn.rnn_cell.LSTMCell(8, True, None, None, 2)", {"input_dim": 16}, 648),
    (
        "tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(8) for _ in range(2)])",
        {"input_dim": 3},
        696,
    ),
    # ONNX graphs exported from a PyTorch module
    ("nn.LSTM(4096, 256)", {"framework": "onnx"}, 4_458_496),
    # the layers of issue 22 (their counts recorded in tests/data/layer_kinds.json)
    ("nn.MultiheadAttention(512, 8)", {}, 1_050_624),  # 4 (E + 1) E
    ("layers.MultiHeadAttention(8, 64)", {"input_dim": 512}, 1_050_624),
    ("nn.Transformer()", {}, 44_140_544),  # d_model 512, 6 + 6 layers, 2,048 wide
    (
        "nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), num_layers=2, "
        "norm=nn.LayerNorm(16))",
        {},
        4_480,
    ),
    ("layers.MaxPool2D()", {}, 0),  # an alias Keras exports: MaxPooling2D
    ("keras.layers.Convolution1DTranspose(4, 2)", {"input_dim": 8}, 68),
    ("nn.Identity(54, unused_argument=0.1)", {}, 0),  # takes anything, ignores it
    ("RNN([LSTMCell(16), LSTMCell(8)])", {"input_dim": 8}, 2_400),  # cells of their own
    ("Bidirectional(LSTM(4), backward_layer=GRU(4, go_backwards=True))", {"input_dim": 8}, 376),
    ("Bidirectional(LSTM(4), backward_layer=LSTM(4, go_backwards=True))", {"input_dim": 8}, 416),
]


@pytest.mark.parametrize(("text", "beside", "total"), TRICKY)
def test_tricky_constructors(text: str, beside: dict[str, object], total: int) -> None:
    assert count_params(text, **beside).total == total


BAD = [
    ("nn.LSTM(units, 4)", "'units' is not a literal value"),
    ("nn.LSTM(3, 4, num_layer=2)", "unknown keyword 'num_layer'"),
    ("nn.LSTM(3, 4, 1, True, False, 0.0, False, 0, 9)", "at most 8 positional arguments"),
    ("nn.LSTM(3)", "hidden_size missing"),
    ("keras.layers.LSTM(4, 'tanh', False)", "recurrent_activation takes no 'False'"),
    ("nn.LazyLinear(512)", "nn.LazyLinear is not a layer we count (the classes we know"),
    ("nn.LSTM(300, 512", "not a Python call"),
    ("__import__('os').system('true')", "is not a class name"),
    ("nn.LSTM(*sizes)", "*args and **kwargs cannot be read"),
    ("Bidirectional(LSTM(4), backward_layer=4)", "backward_layer needs a layer call"),
    ("layers.AveragePooling2D()", "pool_size missing"),  # Keras' has no default
    ("nn.MultiheadAttention(3, 2)", "heads: 2 does not divide embed_dim 3"),
    ("nn.TransformerEncoder(nn.LSTM(3, 4), 2)", "must be nn.TransformerEncoderLayer"),
    (
        "nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4), 2, nn.LayerNorm(8))",
        "norm=nn.LayerNorm(8) is counted when it is nn.LayerNorm(d_model)",
    ),
    ("nn.Transformer(custom_encoder=enc)", "custom_encoder: a module of your own is not counted"),
    ("nn.GroupNorm(2, 3)", "groups: 2 does not divide the 3 channels"),
    ("nn.LSTM(3, 4, proj_size=4)", "PyTorch requires proj_size < hidden_size"),
    ("x" * 3000 + "(1)", "too long to read"),
    # Python 3.10 raises ValueError, not SyntaxError, for these two
    ("nn.LSTM(3,\x00 4)", "not a Python call: '\\x00' cannot be in Python source"),
    ("nn.LSTM(3, \ud800)", "not a Python call: '\\ud800' cannot be in Python source"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_constructors_say_what_and_why(text: str, message: str) -> None:
    with pytest.raises(OptionError, match=re.escape(message)):
        count_params(text, input_dim=3)


def test_an_option_beside_the_constructor_may_add_but_not_contradict() -> None:
    with pytest.raises(
        OptionError, match=r"units: 128 disagrees with nn.LSTM\(...\), which says 512"
    ):
        count_params("nn.LSTM(300, 512)", units=128)
    assert count_params("nn.LSTM(300, 512)", units="512", timesteps=7).spec.timesteps == 7
    with pytest.raises(OptionError, match=re.escape("nn.LSTM is PyTorch, not Keras")):
        count_params("nn.LSTM(300, 512)", framework="keras")
    with pytest.raises(OptionError, match=re.escape("input-dim is required: keras.layers.LSTM")):
        count_params("keras.layers.LSTM(256)")


def test_pasted_code_is_never_run(tmp_path: Path) -> None:
    flag = tmp_path / "ran"
    text = f"nn.LSTM(3, 4, dropout=open({str(flag)!r}, 'w').close())"
    count_params(text)  # dropout does not change the count: accepted unread
    with pytest.raises(ConstructorError):
        parse_constructor(f"nn.LSTM(open({str(flag)!r}, 'w').close(), 4)")
    assert not flag.exists()


def test_split_call_keeps_parentheses_inside_strings() -> None:
    assert split_call("nn.RNN(3, 4, nonlinearity=')'), dtype=float16") == (
        "nn.RNN(3, 4, nonlinearity=')')",
        "dtype=float16",
    )
    assert split_call("units=8, input-dim=3") == (None, "units=8, input-dim=3")


# -- in pages and on the command line -----------------------------------------------------------


def test_constructor_in_the_directive_the_role_and_myst(tmp_path: Path, project: Project) -> None:
    rst = (
        "T\n=\n\n"
        ".. lstm-params:: nn.LSTM(4096, 256, num_layers=2,\n"
        "                         bidirectional=True)\n"
        "   :caption: Pasted\n\n"
        ".. lstm-params:: keras.layers.LSTM(256)\n"
        "   :input-dim: 4096\n\n"
        "A role: :lstm-params:`nn.GRU(300, 128)` and :lstm-params:`LSTM(256), input-dim=4096`.\n\n"
        ".. lstm-params:: nn.LSTM(300, 512)\n"
        "   :units: 128\n\n"
        ".. lstm-params:: nn.LazyLinear(512)\n"
    )
    md = "---\norphan: true\n---\n# M\n\n```{lstm-params} nn.GRU(300, 128)\n:show: answer\n```\n"
    built = project(tmp_path, {"index.rst": rst, "md.md": md})
    warnings = [w for w in built.warnings.splitlines() if "WARNING" in w]
    assert len(warnings) == 2, warnings
    assert "index.rst:14: WARNING: lstm-params: units: '128' disagrees with nn.LSTM" in warnings[0]
    assert "index.rst:16: WARNING: lstm-params: nn.LazyLinear is not a layer" in warnings[1]
    assert '"The layers it knows"' in warnings[1]  # not a list of every class
    html = built.output()
    assert "<strong>10,493,952</strong>" in html and "Pasted" in html
    assert "<strong>4,457,472</strong>" in html
    assert '<span class="lstm-params">165,120</span>' in html
    assert '<span class="lstm-params">4,457,472</span>' in html
    assert "<strong>165,120</strong>" in built.output("md.html")


def test_constructor_on_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", "nn.LSTM(4096, 256)", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and '"total": 4458496' in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_lstmparams", "nn.LSTM(300, 512"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == "lstm-params: error: not a Python call: '(' was never closed\n"
