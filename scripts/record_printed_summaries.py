#!/usr/bin/env python3
"""Record what the tools print for the layouts ``lstm-params --check-printed`` reads back.

The output, ``tests/data/printed_summaries.json``, holds the printed text of small models in
the layouts that ``tests/data/model_summaries.json`` does not keep: Keras 3's "Connected to",
``show_trainable``, ``expand_nested`` and ``Optimizer params``; Keras 2 (tf_keras); torchinfo
at several depths, column sets and row settings, without an input, with shared and frozen
modules; torchsummary. Each case keeps the framework's own totals beside the text, so the
tests can hold the reader to them: every number in the file was printed or computed by the
real tool.

Tools (the ``framework`` key of each case), each recorded in a fresh interpreter of its own:

* ``keras3``       Keras 3 (``KERAS_BACKEND=torch``), ``model.summary(print_fn=...)``,
                   ``COLUMNS=100`` (line length 88, or 108 with "Connected to").
* ``torchinfo``    ``str(torchinfo.summary(model, ...))``.
* ``keras2``       tf_keras (Keras 2 on TensorFlow), ``model.summary(print_fn=...)``.
* ``torchsummary`` ``torchsummary.summary(model, input_size, device="cpu")``, its stdout.

Setup: keras3 and torchinfo run in the framework venv of ``record_model_summaries.py``; keras2
and torchsummary need packages that venv does not have::

    python3 -m venv /work/venvs/printed-fw
    /work/venvs/printed-fw/bin/pip install tensorflow==2.21.0 tf_keras==2.21.0 \\
        torch==2.13.0 torchsummary==1.5.1 torchinfo==1.8.0

Rerun (from the repository root; each run keeps the other interpreter's tools)::

    /work/fwvenv/bin/python scripts/record_printed_summaries.py --framework keras3 \\
        --framework torchinfo
    /work/venvs/printed-fw/bin/python scripts/record_printed_summaries.py \\
        --framework keras2 --framework torchsummary
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "printed_summaries.json"
FRAMEWORKS: tuple[str, ...] = ("keras3", "torchinfo", "keras2", "torchsummary")
WORKER_ENV = {"COLUMNS": "100", "KERAS_BACKEND": "torch", "TF_CPP_MIN_LOG_LEVEL": "3"}

Case = dict[str, Any]


def _keras_case(keras: Any, name: str, model: Any, framework: str, **options: Any) -> Case:
    printed: list[str] = []
    model.summary(print_fn=lambda text, *args, **kwargs: printed.append(text), **options)
    # Keras 3 calls print_fn once with the whole text; Keras 2 once per line
    text = "".join(printed) if framework == "keras3" else "\n".join(printed) + "\n"
    trainable = sum(
        int(keras.ops.size(w)) if framework == "keras3" else int(w.shape.num_elements())
        for w in model.trainable_weights
    )
    non_trainable = sum(
        int(keras.ops.size(w)) if framework == "keras3" else int(w.shape.num_elements())
        for w in model.non_trainable_weights
    )
    return {
        "framework": framework,
        "name": name,
        "options": dict(options),
        "total": trainable + non_trainable,
        "trainable": trainable,
        "non_trainable": non_trainable,
        "printed": text,
    }


def _keras_models(keras: Any, framework: str) -> list[Case]:
    layers = keras.layers
    clear = keras.backend.clear_session
    cases = []

    clear()
    inputs = keras.Input(shape=(None,), dtype="int32", name="tokens")
    embedded = layers.Embedding(1000, 32)(inputs)
    encoded, state_h, state_c = layers.LSTM(64, return_state=True)(embedded)
    repeated = layers.RepeatVector(10)(encoded)
    decoded = layers.LSTM(64, return_sequences=True)(repeated, initial_state=[state_h, state_c])
    outputs = layers.TimeDistributed(layers.Dense(1000))(decoded)
    model = keras.Model(inputs, outputs)
    cases.append(_keras_case(keras, "seq2seq-connected-to", model, framework))

    clear()
    left = keras.Input(shape=(20, 8), name="left")
    right = keras.Input(shape=(20, 8), name="right")
    lstm = layers.LSTM(16)
    merged = layers.concatenate([lstm(left), lstm(right)])
    normed = layers.LayerNormalization()(merged)
    dense = layers.Dense(4, use_bias=False)(normed)
    model = keras.Model([left, right], dense)
    cases.append(_keras_case(keras, "shared-lstm-two-inputs", model, framework))

    clear()
    frozen = layers.Embedding(500, 16, trainable=False)
    model = keras.Sequential(
        [
            keras.Input(shape=(30,)),
            frozen,
            layers.Bidirectional(layers.GRU(24, reset_after=False), merge_mode="sum"),
            layers.BatchNormalization(),
            layers.Dense(3),
        ]
    )
    cases.append(_keras_case(keras, "show-trainable", model, framework, show_trainable=True))

    clear()
    encoder = keras.Sequential(
        [keras.Input(shape=(12, 6)), layers.GRU(32, return_sequences=True), layers.SimpleRNN(16)],
        name="encoder",
    )
    head = keras.Sequential(
        [keras.Input(shape=(16,)), layers.Dense(8), layers.Dense(2)], name="head"
    )
    model = keras.Sequential([keras.Input(shape=(12, 6)), encoder, layers.Dropout(0.1), head])
    cases.append(_keras_case(keras, "nested", model, framework))
    cases.append(_keras_case(keras, "nested-expanded", model, framework, expand_nested=True))
    cases.append(
        _keras_case(
            keras,
            "nested-expanded-trainable",
            model,
            framework,
            expand_nested=True,
            show_trainable=True,
        )
    )

    clear()
    model = keras.Sequential(
        [
            keras.Input(shape=(40, 10)),
            layers.LSTM(20, use_bias=False),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    if framework == "keras3":
        model.optimizer.build(model.trainable_variables)
    cases.append(_keras_case(keras, "compiled-optimizer", model, framework))
    cases.append(_keras_case(keras, "line-length-60", model, framework, line_length=60))
    return cases


def record_keras3() -> dict[str, Any]:
    import keras

    cases = _keras_models(keras, "keras3")
    keras.backend.clear_session()
    model = keras.Sequential(
        [keras.Input(shape=(16,)), keras.layers.Dense(64), keras.layers.Dense(8)]
    )
    model.quantize("int8")
    cases.append(_keras_case(keras, "quantized-int8", model, "keras3"))
    import rich

    return {
        "cases": cases,
        "notes": ["KERAS_BACKEND=torch, COLUMNS=100; model.summary(print_fn=...) kept verbatim"],
        "versions": {
            "keras": keras.__version__,
            "rich": rich.__version__ if hasattr(rich, "__version__") else _version("rich"),
        },
    }


def record_keras2() -> dict[str, Any]:
    import tensorflow as tf
    import tf_keras

    tf.random.set_seed(0)
    cases = _keras_models(tf_keras, "keras2")
    tf_keras.backend.clear_session()
    layers = tf_keras.layers
    model = tf_keras.Sequential(
        [
            layers.Embedding(20000, 128, input_length=80),
            layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
            layers.Bidirectional(layers.LSTM(64)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    cases.append(_keras_case(tf_keras, "imdb-bidirectional", model, "keras2"))
    return {
        "cases": cases,
        "notes": ["tf_keras (Keras 2) on TensorFlow; print_fn called once per line, joined"],
        "versions": {"tf_keras": tf_keras.__version__, "tensorflow": tf.__version__},
    }


def _torch_models() -> list[tuple[str, Any, Any]]:
    import torch
    from torch import nn

    torch.manual_seed(0)

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(100, 16)
            self.encoder = nn.Sequential(nn.Linear(16, 32), nn.LayerNorm(32), nn.ReLU())
            self.lstm = nn.LSTM(32, 24, batch_first=True, bidirectional=True)
            self.head = nn.Sequential(nn.Linear(48, 12), nn.BatchNorm1d(12), nn.Linear(12, 5))

        def forward(self, x: Any) -> Any:
            x = self.encoder(self.embed(x))
            x, _ = self.lstm(x)
            return self.head(x[:, -1, :])

    class WithToken(nn.Module):
        """A container holding parameters itself (a class token), and a shared layer."""

        def __init__(self) -> None:
            super().__init__()
            self.token = nn.Parameter(torch.zeros(1, 1, 8))
            self.proj = nn.Linear(8, 8)
            self.blocks = nn.ModuleList(
                [nn.Sequential(nn.Linear(8, 8), nn.GELU()) for _ in range(2)]
            )
            self.out = nn.Linear(8, 3)

        def forward(self, x: Any) -> Any:
            x = torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)
            x = self.proj(self.proj(x))
            for block in self.blocks:
                x = block(x)
            return self.out(x[:, 0])

    class Frozen(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding.from_pretrained(torch.zeros(50, 10))
            self.gru = nn.GRU(10, 20, num_layers=2, batch_first=True)
            self.fc = nn.Linear(20, 2)

        def forward(self, x: Any) -> Any:
            x, _ = self.gru(self.embed(x))
            return self.fc(x[:, -1])

    return [
        ("tagger", Tagger(), ((4, 7), torch.long)),
        ("with-token", WithToken(), ((2, 5, 8), torch.float32)),
        ("frozen", Frozen(), ((3, 9), torch.long)),
    ]


def record_torchinfo() -> dict[str, Any]:
    import torch
    import torchinfo

    cases = []
    every_column = (
        "input_size",
        "output_size",
        "num_params",
        "params_percent",
        "kernel_size",
        "mult_adds",
        "trainable",
    )
    settings: list[tuple[str, dict[str, Any]]] = [
        ("default", {}),
        ("depth-1", {"depth": 1}),
        ("depth-2", {"depth": 2}),
        ("every-column", {"col_names": every_column}),
        ("input-output", {"col_names": ("input_size", "output_size", "num_params")}),
        ("var-names-ascii", {"row_settings": ("var_names", "ascii_only", "depth")}),
        ("no-depth-row-setting", {"row_settings": ()}),
        ("verbose-2", {"verbose": 2}),
        ("no-input", {"no_input": True}),
    ]
    for name, model, (shape, dtype) in _torch_models():
        for setting, options in settings:
            options = dict(options)
            given = (
                {} if options.pop("no_input", False) else {"input_size": shape, "dtypes": [dtype]}
            )
            with contextlib.redirect_stdout(io.StringIO()):
                stats = torchinfo.summary(
                    model, device="cpu", verbose=options.pop("verbose", 0), **given, **options
                )
            total = sum(p.numel() for p in model.parameters())
            trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
            cases.append(
                {
                    "framework": "torchinfo",
                    "name": f"{name}-{setting}",
                    "options": {
                        k: list(v) if isinstance(v, tuple) else v for k, v in options.items()
                    },
                    "total": total,
                    "trainable": trainable,
                    "non_trainable": total - trainable,
                    "printed": str(stats),
                }
            )
    return {
        "cases": cases,
        "notes": [
            "str(torchinfo.summary(model, device='cpu', ...)); "
            "total = sum of numel() over model.parameters()"
        ],
        "versions": {"torch": torch.__version__, "torchinfo": _version("torchinfo")},
    }


def record_torchsummary() -> dict[str, Any]:
    import torch
    from torch import nn
    from torchsummary import summary

    torch.manual_seed(0)

    class LeNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.bn = nn.BatchNorm2d(6)
            self.pool = nn.MaxPool2d(2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 4 * 4, 120)
            self.norm = nn.LayerNorm(120)
            self.fc2 = nn.Linear(120, 10)

        def forward(self, x: Any) -> Any:
            x = self.pool(torch.relu(self.bn(self.conv1(x))))
            x = self.pool(torch.relu(self.conv2(x)))
            return self.fc2(self.norm(self.fc1(x.flatten(1))))

    models = [
        ("lenet", LeNet(), (1, 28, 28)),
        ("mlp", nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(), nn.Linear(64, 2)), (20,)),
    ]
    cases = []
    for name, model, shape in models:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            summary(model, shape, device="cpu")
        total = sum(p.numel() for p in model.parameters())
        cases.append(
            {
                "framework": "torchsummary",
                "name": name,
                "options": {"input_size": list(shape)},
                "total": total,
                "trainable": total,
                "non_trainable": 0,
                "printed": out.getvalue(),
            }
        )
    return {
        "cases": cases,
        "notes": ["torchsummary.summary(model, input_size, device='cpu'), its stdout"],
        "versions": {"torch": torch.__version__, "torchsummary": _version("torchsummary")},
    }


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


WORKERS = {
    "keras3": record_keras3,
    "torchinfo": record_torchinfo,
    "keras2": record_keras2,
    "torchsummary": record_torchsummary,
}


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, argv=argv)
    if args is None:
        return 0
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, args.selected, WORKER_ENV)
    for framework in args.selected:
        records.record(framework, results[framework])
    write_records(args.out, __file__, records)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("KERAS_BACKEND", "torch")
    sys.exit(main())
