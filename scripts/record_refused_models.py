#!/usr/bin/env python3
"""Record the models Keras 3 and PyTorch refuse to build or run: at which line, and what they say.

The output, ``tests/data/refused_models.json``, is the ground truth for the rule that a
``model-summary`` of a model the framework would not build has no total, and for the warning
at the line that breaks (``tests/test_refused_models.py``, and the generated-model fuzz in
``tests/test_model_fuzz.py``).  Each model is built by *evaluating its lines* in the
framework, one at a time, until one raises:

* ``keras``    Keras 3 with ``KERAS_BACKEND=torch``, in a namespace with ``keras`` and
               ``layers``, after ``keras.utils.clear_session()``: the first line is a
               ``keras.Input``, each later line's layer is made (``stage`` "constructor")
               and added to a ``keras.Sequential`` (``stage`` "add": the Sequential builds
               each layer on the shape before it, as ``model.summary()`` would need).  With
               the default ``--check`` the same models are rebuilt under the ``tensorflow``
               and ``jax`` backends and must be refused at the same line with the same
               exception type.
* ``pytorch``  ``torch.nn`` modules in a namespace with ``torch`` and ``nn``; a line that
               starts with ``x`` is a step of ``forward``.  Every module is made (``stage``
               "constructor"), then ``torch.zeros(input_shape)`` is fed through the lines
               (``stage`` "forward"), as ``torchinfo.summary(model, input_size=...)`` runs it
               (torchinfo then stops with "Failed to run torchinfo", the error below it).

``refused_at`` is the 0-based index in ``lines`` of the line that raised; ``error`` keeps the
exception's type and message (Keras' "Exception encountered when calling ..." wrapper reduced
to the message it frames, which Keras prints in bold; anything after a first line break
dropped).  ``says`` is the part of that message the package's warning quotes: the recorder
checks that it is in the message, the tests that it is in the warning (``null`` where the
framework's words would not help the reader, and the warning says why in its own).

Rerun (from the repository root, with the framework venv of ``record_model_summaries.py``)::

    /work/fwvenv/bin/python scripts/record_refused_models.py
    /work/fwvenv/bin/python scripts/record_refused_models.py --framework pytorch

The output is deterministic (sorted keys, the case order below): a rerun with the same
versions gives a byte-identical file.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "refused_models.json"
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch")
KERAS_CHECK_BACKENDS: tuple[str, ...] = ("tensorflow", "jax")

Case = dict[str, Any]

# name, lines (the first a keras.Input), the words of the error the warning quotes
KERAS_MODELS: list[tuple[str, list[str], str | None]] = [
    (
        "bidirectional-of-bidirectional",
        ["keras.Input(shape=(5, 4))", "layers.Bidirectional(layers.Bidirectional(layers.LSTM(3)))"],
        "Unrecognized keyword arguments passed to Bidirectional: {'go_backwards': True}",
    ),
    (
        "bidirectional-of-timedistributed",
        [
            "keras.Input(shape=(5, 4))",
            "layers.Bidirectional(layers.TimeDistributed(layers.LSTM(3)))",
        ],
        "Unrecognized keyword arguments passed to TimeDistributed: {'go_backwards': True}",
    ),
    (
        "bidirectional-of-dense",
        ["keras.Input(shape=(5, 4))", "layers.Bidirectional(layers.Dense(3))"],
        "could not be deserialized properly",
    ),
    (
        "rnn-of-rnn",
        ["keras.Input(shape=(5, 4))", "layers.RNN(layers.RNN(layers.LSTMCell(3)))"],
        "Shapes used to initialize variables must be fully-defined",
    ),
    (
        "rnn-of-lstm-layer",
        ["keras.Input(shape=(5, 4))", "layers.RNN(layers.LSTM(3))"],
        "Shapes used to initialize variables must be fully-defined",
    ),
    (
        "rnn-of-dense",
        ["keras.Input(shape=(5, 4))", "layers.RNN(layers.Dense(3))"],
        "The RNN cell should have a `state_size` attribute",
    ),
    (
        "cell-as-a-layer",
        ["keras.Input(shape=(5, 4))", "layers.LSTMCell(3)"],
        "Layers added to a Sequential model can only have a single required positional argument",
    ),
    (
        "lstm-after-lstm-without-return-sequences",
        ["keras.Input(shape=(5, 4))", "layers.LSTM(3)", "layers.LSTM(3)", "layers.Dense(1)"],
        "expected ndim=3, found ndim=2",
    ),
    (
        "bidirectional-after-bidirectional-without-return-sequences",
        [
            "keras.Input(shape=(5, 4))",
            "layers.Bidirectional(layers.GRU(3))",
            "layers.Bidirectional(layers.GRU(3))",
        ],
        "expected ndim=3, found ndim=2",
    ),
    (
        "lstm-on-2d",
        ["keras.Input(shape=(4,))", "layers.LSTM(3)"],
        "expected ndim=3, found ndim=2",
    ),
    (
        "lstm-on-4d",
        ["keras.Input(shape=(2, 5, 4))", "layers.SimpleRNN(3)"],
        "expected ndim=3, found ndim=4",
    ),
    (
        "convlstm1d-on-3d",
        ["keras.Input(shape=(5, 4))", "layers.ConvLSTM1D(3, 2)"],
        "expected ndim=4, found ndim=3",
    ),
    (
        "timedistributed-lstm-on-3d",
        ["keras.Input(shape=(5, 4))", "layers.TimeDistributed(layers.LSTM(3))"],
        None,  # Keras: "Shapes used to initialize variables must be fully-defined"
    ),
    (
        "timedistributed-on-2d",
        ["keras.Input(shape=(4,))", "layers.TimeDistributed(layers.Dense(3))"],
        "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions",
    ),
    (
        "reshape-3x3-of-10",
        ["keras.Input(shape=(10,))", "layers.Reshape((3, 3))", "layers.Flatten()"],
        "The total size of the tensor must be unchanged",
    ),
    (
        "reshape-two-unknown",
        ["keras.Input(shape=(10,))", "layers.Reshape((-1, -1))"],
        "There must be at most one unknown dimension (-1) in `target_shape`",
    ),
    (
        "reshape-below-minus-one",
        ["keras.Input(shape=(10,))", "layers.Reshape((-2, 5))"],
        "Each dimension in `target_shape` must be a non-negative integer",
    ),
    (
        "reshape-unknown-does-not-divide",
        ["keras.Input(shape=(10,))", "layers.Reshape((-1, 3))"],
        "the input size cannot by divided by the specified dimensions",
    ),
    (
        "repeatvector-negative",
        ["keras.Input(shape=(3,))", "layers.RepeatVector(-3)"],
        "Argument `n` should be a positive integer",
    ),
    (
        "repeatvector-zero",
        ["keras.Input(shape=(3,))", "layers.RepeatVector(0)"],
        "Argument `n` should be a positive integer",
    ),
    (
        "repeatvector-on-3d",
        ["keras.Input(shape=(5, 4))", "layers.RepeatVector(2)"],
        "expected ndim=2, found ndim=3",
    ),
    (
        "conv1d-longer-than-its-input",
        ["keras.Input(shape=(3, 2))", "layers.Conv1D(4, 5)", "layers.Dense(2)"],
        "Computed output size would be zero or negative",
    ),
    (
        "conv2d-longer-than-its-input",
        ["keras.Input(shape=(8, 3, 2))", "layers.Conv2D(4, (3, 4))"],
        "Computed output size would be zero or negative",
    ),
    (
        "maxpooling1d-longer-than-its-input",
        ["keras.Input(shape=(3, 2))", "layers.MaxPooling1D(5)", "layers.Dense(2)"],
        "Computed output size would be zero or negative",
    ),
    (
        "convlstm1d-longer-than-its-input",
        ["keras.Input(shape=(4, 3, 2))", "layers.ConvLSTM1D(4, 5)"],
        "Computed output size would be zero or negative",
    ),
    (
        "conv1d-zero-strides",
        ["keras.Input(shape=(8, 2))", "layers.Conv1D(4, 3, strides=0)"],
        "do not satisfy `value > 0`",
    ),
    (
        "conv1d-zero-dilation",
        ["keras.Input(shape=(8, 2))", "layers.Conv1D(4, 3, dilation_rate=0)"],
        "do not satisfy `value > 0`",
    ),
    (
        "conv1d-zero-kernel",
        ["keras.Input(shape=(8, 2))", "layers.Conv1D(4, 0)"],
        "do not satisfy `value > 0`",
    ),
    (
        "maxpooling1d-zero-pool-size",
        ["keras.Input(shape=(8, 2))", "layers.MaxPooling1D(0)"],
        "do not satisfy `value > 0`",
    ),
    (
        "conv1d-strides-for-two-axes",
        ["keras.Input(shape=(8, 2))", "layers.Conv1D(4, 3, strides=(1, 2))"],
        "argument must be a tuple of 1 integers",
    ),
    (
        "maxpooling1d-zero-strides",
        ["keras.Input(shape=(8, 2))", "layers.MaxPooling1D(2, strides=0)"],
        "division by zero",
    ),
]

# name, input_size (the batch first), lines, the words the warning quotes
PYTORCH_MODELS: list[tuple[str, list[int], list[str], str | None]] = [
    (
        "index-out-of-bounds",
        [32, 6],
        ["nn.Linear(6, 6)", "x[:, 99]", "nn.ReLU()"],
        "index 99 is out of bounds for dimension 1 with size 6",
    ),
    (
        "negative-index-out-of-bounds",
        [32, 6],
        ["x[:, -7]"],
        "index -7 is out of bounds for dimension 1 with size 6",
    ),
    (
        "negative-slice-step",
        [32, 6],
        ["nn.Linear(6, 6)", "x[::-1]"],
        "step must be greater than zero",
    ),
    ("zero-slice-step", [32, 6], ["x[::0]"], "slice step cannot be zero"),
    ("too-many-indices", [32, 6], ["x[0, 0, 0]"], "too many indices for tensor of dimension 2"),
    ("view-two-unknown", [32, 6], ["x.view(-1, -1)"], "only one dimension can be inferred"),
    (
        "view-does-not-fit",
        [32, 6],
        ["x.view(7, -1)"],
        "shape '[7, -1]' is invalid for input of size 192",
    ),
    (
        "view-negative",
        [32, 6],
        ["x.view(-3, 64)"],
        "invalid shape dimension -3 at index 0 of shape [-3, 64]",
    ),
    (
        "transpose-out-of-range",
        [32, 6],
        ["x.transpose(0, 5)"],
        "Dimension out of range (expected to be in range of [-2, 1], but got 5)",
    ),
    (
        "permute-wrong-count",
        [32, 6],
        ["x.permute(0, 2, 1)"],
        "does not match the length of the desired ordering of dimensions",
    ),
    (
        "permute-duplicate-dims",
        [32, 6],
        ["x.permute(0, 0)"],
        "duplicate dims are not allowed",
    ),
    (
        "conv1d-longer-than-its-input",
        [1, 2, 3],
        ["nn.Conv1d(2, 4, 5)", "nn.ReLU()"],
        "Kernel size can't be greater than actual input size",
    ),
    (
        "maxpool1d-longer-than-its-input",
        [1, 2, 3],
        ["nn.MaxPool1d(5)"],
        "Invalid computed output size",
    ),
    ("avgpool1d-longer-than-its-input", [1, 2, 8], ["nn.AvgPool1d(9)"], "Output size is too small"),
    (
        "maxpool1d-zero-kernel",
        [1, 2, 8],
        ["nn.MaxPool1d(0)"],
        "kernel_size must be greater than zero",
    ),
    (
        "maxpool1d-zero-stride",
        [1, 2, 8],
        ["nn.MaxPool1d(2, stride=0)"],
        "stride must be greater than zero",
    ),
    (
        "maxpool1d-zero-dilation",
        [1, 2, 8],
        ["nn.MaxPool1d(2, dilation=0)"],
        "dilation must be greater than zero",
    ),
    (
        "maxpool1d-padding-over-half-the-window",
        [1, 2, 8],
        ["nn.MaxPool1d(2, padding=2)"],
        "padding should be at most half of kernel size",
    ),
    (
        "avgpool1d-zero-stride",
        [1, 2, 8],
        ["nn.AvgPool1d(2, stride=0)"],
        "stride should not be zero",
    ),
    (
        "conv1d-zero-stride",
        [1, 2, 8],
        ["nn.Conv1d(2, 4, 3, stride=0)"],
        "non-positive stride is not supported",
    ),
    (
        "conv1d-zero-dilation",
        [1, 2, 8],
        ["nn.Conv1d(2, 4, 3, dilation=0)"],
        "dilation should be greater than zero",
    ),
    (
        "conv1d-zero-kernel",
        [1, 2, 8],
        ["nn.Conv1d(2, 4, 0)"],
        "kernel size should be greater than zero",
    ),
    (
        "conv1d-negative-padding",
        [1, 2, 8],
        ["nn.Conv1d(2, 4, 3, padding=-1)"],
        "negative padding is not supported",
    ),
    (
        "lstm-reads-another-width",
        [4, 5, 6],
        ["nn.LSTM(6, 3)", "nn.LSTM(6, 3)"],
        "input.size(-1) must be equal to input_size. Expected 6, got 3",
    ),
    (
        "linear-reads-another-width",
        [4, 6],
        ["nn.Linear(5, 3)"],
        None,  # "mat1 and mat2 shapes cannot be multiplied (4x6 and 5x3)"
    ),
]

_KERAS_FRAME = re.compile("\x1b\\[1m(.*?)\x1b\\[0m", re.DOTALL)


def core_message(error: BaseException) -> str:
    """The message a reader sees first: the one Keras frames (and prints in bold) in its
    "Exception encountered when calling ..." wrapper, up to its first line break."""
    text = str(error)
    framed = _KERAS_FRAME.search(text)
    if framed:
        text = framed.group(1)
    return text.strip().split("\n")[0]


def refusal(stage: str, index: int, error: BaseException, says: str | None) -> Case:
    message = core_message(error)
    if says is not None and says not in message:
        raise AssertionError(f"{says!r} is not in the framework's message {message!r}")
    return {
        "refused_at": index,
        "error": {"stage": stage, "type": type(error).__name__, "message": message},
        "says": says,
    }


def keras_record(keras: Any, name: str, lines: list[str], says: str | None) -> Case:
    ns: dict[str, Any] = {"keras": keras, "layers": keras.layers}
    keras.utils.clear_session()
    case: Case = {"framework": "keras", "name": name, "lines": lines}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = keras.Sequential([eval(lines[0], ns)])
        for index, line in enumerate(lines[1:], start=1):
            try:
                layer = eval(line, ns)
            except Exception as error:
                return {**case, **refusal("constructor", index, error, says)}
            try:
                model.add(layer)
            except Exception as error:
                return {**case, **refusal("add", index, error, says)}
    raise AssertionError(f"keras built {name}: {[layer.name for layer in model.layers]}")


def worker_keras(backend: str = "torch") -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = backend
    if backend == "jax":
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import keras

    assert keras.backend.backend() == backend, keras.backend.backend()
    cases = [keras_record(keras, *model) for model in KERAS_MODELS]
    notes = [
        "Recorded with KERAS_BACKEND=torch: the first line (keras.Input) starts a "
        "keras.Sequential, each later line's layer is made and added to it, and the first "
        "that raises is refused_at.",
        "A refused model has no summary at all: model.summary() needs a built model.",
    ]
    return {"versions": {"keras": keras.__version__}, "notes": notes, "cases": cases}


def worker_keras_tensorflow() -> dict[str, Any]:
    return worker_keras("tensorflow")


def worker_keras_jax() -> dict[str, Any]:
    return worker_keras("jax")


def pytorch_record(name: str, shape: list[int], lines: list[str], says: str | None) -> Case:
    import torch
    from torch import nn

    ns: dict[str, Any] = {"torch": torch, "nn": nn}
    case: Case = {"framework": "pytorch", "name": name, "input_shape": shape, "lines": lines}
    steps: list[Callable[[Any], Any]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for index, line in enumerate(lines):
            try:
                steps.append(
                    eval(f"lambda x: {line}", ns) if line.startswith("x") else eval(line, ns)
                )
            except Exception as error:
                return {**case, **refusal("constructor", index, error, says)}
        x = torch.zeros(*shape)
        with torch.no_grad():
            for index, step in enumerate(steps):
                try:
                    x = step(x)
                except Exception as error:
                    return {**case, **refusal("forward", index, error, says)}
                x = x[0] if isinstance(x, tuple) else x
    raise AssertionError(f"torch ran {name}: {tuple(x.shape)}")


def worker_pytorch() -> dict[str, Any]:
    import torch

    torch.manual_seed(0)
    cases = [pytorch_record(*model) for model in PYTORCH_MODELS]
    notes = [
        "Every module is made first (stage constructor), then torch.zeros(input_shape) runs "
        "through the lines (stage forward), the first element of a tuple passed on (nn.LSTM's "
        "output); torchinfo.summary(model, input_size=...) stops with the same error.",
    ]
    return {"versions": {"torch": torch.__version__}, "notes": notes, "cases": cases}


WORKERS: dict[str, Callable[[], dict[str, Any]]] = {
    "keras": worker_keras,
    "keras-tensorflow": worker_keras_tensorflow,
    "keras-jax": worker_keras_jax,
    "pytorch": worker_pytorch,
}


def check_keras_backends(cases: list[Case]) -> list[str]:
    """The other backends refuse every model at the same line, with the same exception."""
    notes = []
    for backend in KERAS_CHECK_BACKENDS:
        print(f"checking keras with the {backend} backend ...", file=sys.stderr, flush=True)
        other = run_workers(__file__, [f"keras-{backend}"])[f"keras-{backend}"]
        mine = {case["name"]: case for case in cases}
        for case in other["cases"]:
            ours = mine[case["name"]]
            if (case["refused_at"], case["error"]["type"]) != (
                ours["refused_at"],
                ours["error"]["type"],
            ):
                raise AssertionError(f"keras {backend}: {case['name']} is refused otherwise")
        notes.append(
            f"Every Keras model was rebuilt with KERAS_BACKEND={backend} (keras "
            f"{other['versions']['keras']}): refused at the same line with the same exception."
        )
    return notes


def main(argv: list[str] | None = None) -> int:
    check = "skip rebuilding the Keras models under the tensorflow and jax backends"
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, check=check, argv=argv)
    if args is None:
        return 0  # a worker
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, args.selected)
    for framework in args.selected:
        records.record(framework, results[framework])
        if framework == "keras" and args.check:
            records.notes[framework] += check_keras_backends(results[framework]["cases"])
    names = [(case["framework"], case["name"]) for case in records.all_cases()]
    if len(names) != len(set(names)):
        raise AssertionError("duplicate case names")
    write_records(args.out, __file__, records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
