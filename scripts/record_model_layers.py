#!/usr/bin/env python3
"""Record, from the real frameworks, what single layers (and a few short chains) of a model
give: each layer's output shape, its parameters and how many of them train.

The output, ``tests/data/model_layers.json``, is the ground truth that
``tests/test_model_layers.py`` holds ``sphinxcontrib_lstmparams.model.summarize`` against, one
layer kind and option at a time (``model_summaries.json`` holds whole models and the printed
text).  Every number in the file was produced by the framework: each layer is *built by
evaluating its line*, exactly as a user writes it, and run; nothing is computed from a formula.

Frameworks (the ``framework`` key of each case), each recorded in its own subprocess
(``--worker``) so that Keras' backends and plain PyTorch never share a process:

* ``keras``    Keras 3 with ``KERAS_BACKEND=torch``.  ``input_line`` (``keras.Input(shape=...,
               dtype=...)``) and the ``lines`` are evaluated in a namespace with ``keras``,
               ``layers`` (= ``keras.layers``) and every public class of ``keras.layers`` under
               its bare name, after ``keras.utils.clear_session()`` (fresh names), and put in
               ``keras.Sequential([input, *layers])``.  Per layer: ``layer.output.shape`` (the
               symbolic shape the summary prints), ``layer.count_params()``, and the sizes of
               ``layer.trainable_weights`` / ``layer.non_trainable_weights``.  The model is
               then called on a real batch of 2 (zeros; a ``None`` size of the input made 7)
               and every output must fit the symbolic shape.  With the default ``--check``
               the same cases are rebuilt under ``KERAS_BACKEND=tensorflow`` and must give
               the same layers.
* ``pytorch``  ``torch.nn`` modules, evaluated in a namespace with ``torch``, ``nn`` and
               ``F``.  A line that starts with ``x`` (``x[:, -1, :]``, ``x.permute(0, 2, 1)``)
               is a step done in ``forward``, not a module.  A real forward pass (``eval()``,
               ``torch.no_grad()``) on ``torch.zeros(input_shape, dtype=input_dtype)`` gives
               each module's output shape (the first element of a tuple, as torchinfo shows:
               nn.LSTM's output, nn.LSTMCell's h).  Parameters: ``p.numel()`` over
               ``module.parameters()``, trainable where ``p.requires_grad``; buffers (BatchNorm's
               running statistics) are counted apart, since they are not parameters.  Then
               ``torchinfo.summary`` of the same modules (children of one ``nn.Module``) must
               list the same output shapes and counts.

Setup (outside the repository; the framework venv of ``record_model_summaries.py``)::

    /work/fwvenv/bin/pip install torch==2.13.0 keras tensorflow torchinfo

Rerun (from the repository root)::

    /work/fwvenv/bin/python scripts/record_model_layers.py
    /work/fwvenv/bin/python scripts/record_model_layers.py --framework pytorch --no-check

With ``--framework`` only the named frameworks are rebuilt; the others are kept from the
existing output file.  The output is deterministic (sorted keys, the case order below, no
timings or addresses): a rerun with the same versions gives a byte-identical file.

Case format::

    {"framework": "keras", "name": "Conv1D(16, 3, strides=2) on (20, 8)",
     "input_shape": [20, 8], "input_dtype": "float32",
     "input_line": "keras.Input(shape=(20, 8))",
     "lines": ["layers.Conv1D(16, 3, strides=2)"],
     "layers": [{"line": "layers.Conv1D(16, 3, strides=2)", "class": "Conv1D",
                 "classes": ["Conv1D"], "name": "conv1d", "output_shape": [null, 9, 16],
                 "params": 400, "trainable": 400, "non_trainable": 0}],
     "output_shape": [null, 9, 16]}

    {"framework": "pytorch", "name": "nn.BatchNorm1d(8) on [4, 8, 20]",
     "input_shape": [4, 8, 20], "input_dtype": "float32",
     "lines": ["nn.BatchNorm1d(8)"],
     "layers": [{"line": "nn.BatchNorm1d(8)", "class": "BatchNorm1d",
                 "classes": ["BatchNorm1d"], "output_shape": [4, 8, 20], "params": 16,
                 "trainable": 16, "non_trainable": 0, "buffers": 17}],
     "output_shape": [4, 8, 20]}

Keras' ``input_shape`` leaves out the batch axis (as ``keras.Input(shape=...)`` does);
PyTorch's is torchinfo's ``input_size``, the batch first.  ``classes`` lists the layer's class
and those of the layers it wraps (``Bidirectional``, ``LSTM``), for the coverage test.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "model_layers.json"
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch")
KERAS_CHECK_BACKENDS: tuple[str, ...] = ("tensorflow",)

Case = dict[str, Any]

# --------------------------------------------------------------------------------------------
# the cases: (input, lines); a Keras input is (shape without the batch[, dtype]), a PyTorch
# one (input_size with the batch[, dtype])
# --------------------------------------------------------------------------------------------

Spec = tuple[tuple[Any, ...], list[str]]


def _keras_cases() -> list[Spec]:
    cases: list[Spec] = []

    def add(shape: tuple[Any, ...], *lines: str, dtype: str = "float32") -> None:
        cases.append(((shape, dtype), [f"layers.{line}" for line in lines]))

    # Dense: the last axis, whatever comes before it
    for shape, line in [
        ((8,), "Dense(4)"),
        ((8,), "Dense(4, use_bias=False)"),
        ((8,), 'Dense(1, activation="sigmoid")'),
        ((8,), 'Dense(units=32, kernel_initializer="he_normal")'),
        ((10, 8), "Dense(16)"),
        ((10, 8), 'Dense(16, activation="relu", use_bias=False)'),
        ((None, 8), "Dense(5)"),
        ((4, 5, 8), "Dense(3)"),
        ((8,), "Dense(4, trainable=False)"),
    ]:
        add(shape, line)
    # Embedding: a vector for every word number
    for shape, line in [
        ((10,), "Embedding(100, 8)"),
        ((None,), "Embedding(1000, 64)"),
        ((10,), "Embedding(50, 4, mask_zero=True)"),
        ((10,), "Embedding(input_dim=20000, output_dim=128)"),
        ((10,), 'Embedding(100, 8, embeddings_initializer="uniform")'),
        ((3, 5), "Embedding(30, 6)"),
        ((10,), "Embedding(100, 8, trainable=False)"),
        ((10,), "Embedding(100, 8, input_length=10)"),
    ]:
        add(shape, line, dtype="int32")
    # Conv1D/2D/3D
    for line in [
        "Conv1D(16, 3)",
        "Conv1D(16, 3, strides=2)",
        'Conv1D(16, 3, strides=2, padding="same")',
        'Conv1D(16, 5, padding="same", dilation_rate=2)',
        "Conv1D(16, 3, dilation_rate=3)",
        "Conv1D(16, 3, groups=2)",
        'Conv1D(16, 3, strides=2, padding="same", groups=2)',
        "Conv1D(4, 1, use_bias=False)",
        "Conv1D(16, 4, strides=3)",
        'Conv1D(8, 3, padding="causal")',
        'Conv1D(8, 3, padding="causal", dilation_rate=2)',
        'Conv1D(8, 3, strides=2, padding="causal")',
        "Conv1D(8, kernel_size=(3,), strides=(1,))",
        'Conv1D(filters=8, kernel_size=3, activation="relu")',
    ]:
        add((20, 8), line)
    add((None, 8), "Conv1D(16, 3)")
    add((None, 8), 'Conv1D(16, 3, padding="same")')
    add((8, 20), 'Conv1D(4, 3, data_format="channels_first")')
    add((8, 20), 'Conv1D(4, 3, strides=2, padding="same", data_format="channels_first")')
    for line in [
        "Conv2D(32, 3)",
        'Conv2D(32, (3, 5), strides=(2, 1), padding="same")',
        "Conv2D(8, 3, dilation_rate=2)",
        "Conv2D(6, 3, groups=3)",
        "Conv2D(16, 1, use_bias=False)",
        "Conv2D(16, (5, 5), strides=2)",
        'Conv2D(8, kernel_size=(3, 3), padding="valid", dilation_rate=(2, 1))',
    ]:
        add((28, 28, 3), line)
    add((None, None, 3), 'Conv2D(8, 3, padding="same")')
    add((3, 28, 28), 'Conv2D(4, 3, data_format="channels_first")')
    for line in [
        "Conv3D(4, 3)",
        'Conv3D(4, (1, 3, 3), strides=(1, 2, 2), padding="same")',
        "Conv3D(4, 3, dilation_rate=2, use_bias=False)",
        "Conv3D(4, 3, groups=2)",
    ]:
        add((8, 16, 16, 2), line)
    # normalisation
    for shape, line in [
        ((8,), "BatchNormalization()"),
        ((10, 8), "BatchNormalization()"),
        ((16, 16, 3), "BatchNormalization()"),
        ((4, 4, 4, 2), "BatchNormalization()"),
        ((8,), "BatchNormalization(center=False)"),
        ((8,), "BatchNormalization(scale=False)"),
        ((10, 8), "BatchNormalization(center=False, scale=False)"),
        ((10, 8), "BatchNormalization(momentum=0.9, epsilon=1e-5)"),
        ((10, 8), "BatchNormalization(axis=1)"),
        ((3, 16, 16), "BatchNormalization(axis=1)"),
        ((10, 8), "BatchNormalization(trainable=False)"),
        ((8,), "LayerNormalization()"),
        ((10, 8), "LayerNormalization()"),
        ((4, 4, 8), "LayerNormalization()"),
        ((10, 8), "LayerNormalization(center=False)"),
        ((10, 8), "LayerNormalization(scale=False)"),
        ((10, 8), "LayerNormalization(center=False, scale=False)"),
        ((10, 8), "LayerNormalization(epsilon=1e-6)"),
        ((10, 8), "LayerNormalization(axis=-1)"),
        ((10, 8), "LayerNormalization(axis=[1, 2])"),
        ((10, 8), "LayerNormalization(rms_scaling=True)"),
    ]:
        add(shape, line)
    # layers without weights
    for shape, line in [
        ((10, 8), "Dropout(0.5)"),
        ((8,), "Dropout(0.2)"),
        ((10, 8), "Dropout(rate=0.1, seed=1)"),
        ((10, 8), "Dropout(0.3, noise_shape=(None, 1, 8))"),
        ((10, 8), "SpatialDropout1D(0.2)"),
        ((8, 8, 3), "SpatialDropout2D(0.2)"),
        ((4, 4, 4, 2), "SpatialDropout3D(0.1)"),
        ((4, 5), "Flatten()"),
        ((4, 5, 3), "Flatten()"),
        ((None, 8), "Flatten()"),
        ((4, 5, 3), 'Flatten(data_format="channels_first")'),
        ((10, 8), 'Activation("relu")'),
        ((8,), 'Activation("softmax")'),
        ((10, 8), 'Activation(activation="tanh")'),
        ((20,), "Reshape((4, 5))"),
        ((4, 5), "Reshape((-1,))"),
        ((4, 5), "Reshape((5, -1))"),
        ((4, 6), "Reshape((2, -1, 3))"),
        ((20,), "Reshape(target_shape=(20, 1))"),
        ((None, 8), "Reshape((-1, 4))"),
        ((8,), "RepeatVector(3)"),
        ((8,), "RepeatVector(n=5)"),
    ]:
        add(shape, line)
    for shape, line in [
        ((10, 8), "MaxPooling1D()"),
        ((10, 8), "MaxPooling1D(3)"),
        ((10, 8), "MaxPooling1D(3, strides=1)"),
        ((10, 8), 'MaxPooling1D(pool_size=3, strides=2, padding="same")'),
        ((11, 8), 'MaxPooling1D(2, padding="same")'),
        ((None, 8), "MaxPooling1D()"),
        ((8, 10), 'MaxPooling1D(2, data_format="channels_first")'),
        ((10, 8), "AveragePooling1D(4)"),
        ((10, 8), "AveragePooling1D(pool_size=3, strides=2)"),
        ((28, 28, 3), "MaxPooling2D()"),
        ((28, 28, 3), "MaxPooling2D((2, 3))"),
        ((28, 28, 3), 'MaxPooling2D(3, strides=2, padding="same")'),
        ((28, 28, 3), "AveragePooling2D(pool_size=(2, 2), strides=(1, 1))"),
        ((28, 28, 3), 'AveragePooling2D(3, padding="same")'),
        ((3, 28, 28), 'AveragePooling2D(2, data_format="channels_first")'),
        ((5, 8, 8, 2), "MaxPooling3D()"),
        ((5, 8, 8, 2), 'AveragePooling3D(2, padding="same")'),
        ((10, 8), "GlobalMaxPooling1D()"),
        ((10, 8), "GlobalAveragePooling1D()"),
        ((None, 8), "GlobalAveragePooling1D()"),
        ((10, 8), "GlobalAveragePooling1D(keepdims=True)"),
        ((8, 10), 'GlobalMaxPooling1D(data_format="channels_first")'),
        ((8, 8, 3), "GlobalMaxPooling2D()"),
        ((8, 8, 3), "GlobalAveragePooling2D()"),
        ((8, 8, 3), "GlobalMaxPooling2D(keepdims=True)"),
        ((3, 8, 8), 'GlobalAveragePooling2D(data_format="channels_first")'),
        ((4, 4, 4, 2), "GlobalMaxPooling3D()"),
        ((4, 4, 4, 2), "GlobalAveragePooling3D()"),
    ]:
        add(shape, line)
    # TimeDistributed: the wrapped layer at every step, its weights once
    for shape, line in [
        ((10, 8), "TimeDistributed(layers.Dense(4))"),
        ((10, 8), "TimeDistributed(layers.Dense(4, use_bias=False))"),
        ((None, 8), "TimeDistributed(layers.Dense(2))"),
        ((5, 10, 8), "TimeDistributed(layers.Conv1D(4, 3))"),
        ((5, 4, 3), "TimeDistributed(layers.Flatten())"),
        ((5, 10, 8), "TimeDistributed(layers.GlobalAveragePooling1D())"),
    ]:
        add(shape, line)
    # recurrent layers: their counts are recorded elsewhere; here the output shapes
    for shape, line in [
        ((10, 8), "LSTM(16)"),
        ((10, 8), "LSTM(16, return_sequences=True)"),
        ((None, 8), "LSTM(16)"),
        ((None, 8), "LSTM(16, return_sequences=True)"),
        ((10, 8), "GRU(8)"),
        ((10, 8), "GRU(8, return_sequences=True, reset_after=False)"),
        ((10, 8), "SimpleRNN(4, return_sequences=True)"),
        ((10, 8), "SimpleRNN(4, go_backwards=True)"),
        ((10, 8), "LSTM(16, use_bias=False)"),
        ((10, 8), "Bidirectional(layers.LSTM(8))"),
        ((10, 8), 'Bidirectional(layers.LSTM(8, return_sequences=True), merge_mode="concat")'),
        ((10, 8), 'Bidirectional(layers.LSTM(8, return_sequences=True), merge_mode="sum")'),
        ((10, 8), 'Bidirectional(layers.GRU(8), merge_mode="mul")'),
        ((10, 8), 'Bidirectional(layers.SimpleRNN(4, return_sequences=True), merge_mode="ave")'),
        ((10, 8), "LSTM(16, return_state=True)"),
        ((10, 8), "GRU(8, return_sequences=True, return_state=True)"),
        ((10, 8), "Bidirectional(layers.LSTM(8), merge_mode=None)"),
        ((10, 8), "RNN(layers.LSTMCell(8))"),
        ((10, 8), "RNN(layers.GRUCell(4), return_sequences=True)"),
        ((10, 8), "RNN(layers.SimpleRNNCell(4))"),
        ((5, 10, 3), "ConvLSTM1D(4, 3)"),
        ((5, 10, 3), 'ConvLSTM1D(4, 3, padding="same", return_sequences=True)'),
        ((5, 16, 16, 3), "ConvLSTM2D(8, (3, 3))"),
        ((5, 16, 16, 3), 'ConvLSTM2D(8, 3, strides=2, padding="same", return_sequences=True)'),
        ((5, 16, 16, 3), "ConvLSTM2D(4, 3, dilation_rate=2, return_sequences=True)"),
        ((5, 16, 16, 3), "Bidirectional(layers.ConvLSTM2D(4, 3, return_sequences=True))"),
        ((3, 6, 6, 6, 1), "ConvLSTM3D(2, 3)"),
        ((5, 3, 16, 16), 'ConvLSTM2D(4, 3, data_format="channels_first")'),
        ((5, 3, 10), 'ConvLSTM1D(4, 3, data_format="channels_first", return_sequences=True)'),
        ((5, 10, 3), "ConvLSTM1D(4, 3, return_state=True)"),
        ((10, 8), "RNN(layers.LSTMCell(8), return_state=True)"),
    ]:
        add(shape, line)
    # short chains: the width flows from layer to layer
    add(
        (None,),
        "Embedding(1000, 32)",
        "LSTM(16, return_sequences=True)",
        "GlobalMaxPooling1D()",
        "Dense(1)",
        dtype="int32",
    )
    add(
        (28, 28, 1),
        'Conv2D(8, 3, activation="relu")',
        "MaxPooling2D()",
        "Conv2D(16, 3)",
        "MaxPooling2D()",
        "Flatten()",
        "Dropout(0.5)",
        "Dense(10)",
    )
    add(
        (20, 8),
        'Conv1D(16, 5, padding="same")',
        "BatchNormalization()",
        "MaxPooling1D(2)",
        "Bidirectional(layers.GRU(8, return_sequences=True))",
        "TimeDistributed(layers.Dense(3))",
    )
    add((8,), "Dense(16)", "RepeatVector(5)", "LSTM(8, return_sequences=True)", "Reshape((-1,))")
    add(
        (5, 16, 16, 1),
        'ConvLSTM2D(4, 3, padding="same", return_sequences=True)',
        "BatchNormalization()",
        "ConvLSTM2D(4, 3)",
        "Flatten()",
        "Dense(2)",
    )
    add(
        (3, 12, 12),
        'Conv2D(8, 3, padding="same", data_format="channels_first")',
        "BatchNormalization(axis=1)",
        'MaxPooling2D(data_format="channels_first")',
        'GlobalAveragePooling2D(data_format="channels_first")',
        "Dense(4)",
    )
    return cases


def _pytorch_cases() -> list[Spec]:
    cases: list[Spec] = []

    def add(shape: tuple[int, ...], *lines: str, dtype: str = "float32") -> None:
        cases.append(
            ((shape, dtype), [line if line.startswith("x") else f"nn.{line}" for line in lines])
        )

    for shape, line in [
        ((4, 8), "Linear(8, 16)"),
        ((4, 8), "Linear(8, 16, bias=False)"),
        ((4, 10, 8), "Linear(8, 3)"),
        ((2, 3, 4, 8), "Linear(8, 5)"),
        ((4, 8), "Linear(in_features=8, out_features=2)"),
        ((8,), "Linear(8, 4)"),
    ]:
        add(shape, line)
    for shape, line in [
        ((4, 10), "Embedding(100, 8)"),
        ((4, 10), "Embedding(100, 8, padding_idx=0)"),
        ((4, 10), "Embedding(100, 8, max_norm=1.0)"),
        ((4, 10), "Embedding(num_embeddings=50, embedding_dim=4, scale_grad_by_freq=True)"),
        ((4, 10), "Embedding(100, 8, sparse=True)"),
        ((10,), "Embedding(100, 8)"),
        ((4, 10), "Embedding.from_pretrained(torch.zeros(100, 8))"),
        ((4, 10), "Embedding.from_pretrained(torch.zeros(100, 8), freeze=False)"),
        ((4, 10), "Embedding.from_pretrained(torch.zeros(50, 4), freeze=True, padding_idx=0)"),
        ((4, 10), "Embedding.from_pretrained(torch.zeros((100, 8)))"),
        ((4, 10), "Embedding.from_pretrained(torch.randn(100, 8), freeze=False)"),
    ]:
        add(shape, line, dtype="int64")
    for line in [
        "Conv1d(8, 16, 3)",
        "Conv1d(8, 16, 3, stride=2)",
        "Conv1d(8, 16, 3, padding=1)",
        'Conv1d(8, 16, 3, padding="same")',
        'Conv1d(8, 16, 4, padding="same")',
        'Conv1d(8, 16, 3, padding="valid")',
        "Conv1d(8, 16, 3, dilation=2)",
        'Conv1d(8, 16, 3, padding="same", dilation=2)',
        "Conv1d(8, 16, 3, groups=2)",
        "Conv1d(8, 8, 3, groups=8)",
        "Conv1d(8, 16, 3, bias=False)",
        "Conv1d(8, 16, kernel_size=5, stride=3, padding=2)",
        'Conv1d(8, 16, 3, padding=1, padding_mode="reflect")',
        "Conv1d(8, 4, 1)",
    ]:
        add((4, 8, 20), line)
    for line in [
        "Conv2d(3, 16, 3)",
        "Conv2d(3, 16, (3, 5), stride=(2, 1), padding=(1, 2))",
        'Conv2d(3, 16, 3, padding="same")',
        "Conv2d(3, 16, 3, dilation=2)",
        "Conv2d(3, 6, 3, groups=3)",
        "Conv2d(3, 16, 3, bias=False)",
        "Conv2d(3, 8, kernel_size=5, stride=2)",
        "Conv2d(in_channels=3, out_channels=8, kernel_size=3, stride=1, padding=1)",
    ]:
        add((2, 3, 28, 28), line)
    add((1, 2, 8, 16, 16), "Conv3d(2, 4, 3)")
    add((1, 2, 8, 16, 16), "Conv3d(2, 4, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1))")
    for shape, line in [
        ((4, 8), "BatchNorm1d(8)"),
        ((4, 8, 20), "BatchNorm1d(8)"),
        ((4, 8, 20), "BatchNorm1d(8, affine=False)"),
        ((4, 8, 20), "BatchNorm1d(8, track_running_stats=False)"),
        ((4, 8), "BatchNorm1d(8, eps=1e-3, momentum=0.01)"),
        ((2, 3, 28, 28), "BatchNorm2d(3)"),
        ((2, 3, 28, 28), "BatchNorm2d(3, affine=False)"),
        ((1, 2, 4, 8, 8), "BatchNorm3d(2)"),
        ((4, 8), "LayerNorm(8)"),
        ((4, 10, 8), "LayerNorm(8)"),
        ((4, 10, 8), "LayerNorm(8, elementwise_affine=False)"),
        ((4, 10, 8), "LayerNorm(8, bias=False)"),
        ((4, 10, 8), "LayerNorm(8, eps=1e-6)"),
        ((4, 10, 8), "LayerNorm((10, 8))"),
        ((4, 10, 8), "LayerNorm([10, 8], elementwise_affine=False)"),
        ((2, 3, 4, 5), "LayerNorm([4, 5])"),
    ]:
        add(shape, line)
    for shape, line in [
        ((4, 10, 8), "Dropout(0.5)"),
        ((4, 8), "Dropout(p=0.1)"),
        ((4, 8), "Dropout(p=0.5, inplace=True)"),
        ((4, 8, 20), "Dropout1d(0.2)"),
        ((2, 3, 8, 8), "Dropout2d(0.2)"),
        ((2, 3, 4, 5), "Flatten()"),
        ((2, 3, 4, 5), "Flatten(0)"),
        ((2, 3, 4, 5), "Flatten(1, 2)"),
        ((2, 3, 4, 5), "Flatten(start_dim=2)"),
        ((2, 3, 4, 5), "Flatten(-2, -1)"),
        ((4, 10, 8), "ReLU()"),
        ((4, 10, 8), "ReLU(inplace=True)"),
        ((4, 10, 8), "Tanh()"),
        ((4, 10, 8), "Sigmoid()"),
        ((4, 10, 8), "GELU()"),
        ((4, 10, 8), 'GELU(approximate="tanh")'),
        ((4, 10, 8), "LeakyReLU(0.2)"),
        ((4, 10, 8), "LeakyReLU(negative_slope=0.01)"),
        ((4, 10, 8), "ELU()"),
        ((4, 10, 8), "ELU(alpha=0.5)"),
        ((4, 10, 8), "SELU()"),
        ((4, 10), "Softmax(dim=1)"),
        ((4, 10, 8), "LogSoftmax(dim=-1)"),
        ((4, 10, 8), "Identity()"),
    ]:
        add(shape, line)
    for shape, line in [
        ((4, 8, 20), "MaxPool1d(2)"),
        ((4, 8, 20), "MaxPool1d(3, stride=2)"),
        ((4, 8, 20), "MaxPool1d(3, stride=1, padding=1)"),
        ((4, 8, 21), "MaxPool1d(2, ceil_mode=True)"),
        ((4, 8, 20), "MaxPool1d(3, dilation=2)"),
        ((4, 8, 20), "MaxPool1d(kernel_size=4, stride=2, padding=1)"),
        ((4, 8, 5), "MaxPool1d(2, stride=2, padding=1, ceil_mode=True)"),
        ((4, 8, 20), "MaxPool1d(2, return_indices=True)"),
        ((4, 8, 20), "AvgPool1d(4)"),
        ((4, 8, 20), "AvgPool1d(3, stride=2, padding=1)"),
        ((4, 8, 20), "AvgPool1d(3, ceil_mode=True, count_include_pad=False)"),
        ((2, 3, 28, 28), "MaxPool2d(2)"),
        ((2, 3, 28, 28), "MaxPool2d((2, 3))"),
        ((2, 3, 28, 28), "MaxPool2d(kernel_size=3, stride=2, padding=1)"),
        ((2, 3, 28, 28), "AvgPool2d(2)"),
        ((2, 3, 28, 28), "AvgPool2d(3, stride=1)"),
        ((2, 3, 28, 28), "AvgPool2d(3, stride=2, ceil_mode=True)"),
        ((2, 3, 28, 28), "MaxPool2d(3, stride=2, padding=(0, 1))"),
    ]:
        add(shape, line)
    for shape, line in [
        ((10, 4, 8), "LSTM(8, 16)"),
        ((4, 10, 8), "LSTM(8, 16, batch_first=True)"),
        ((4, 10, 8), "LSTM(8, 16, num_layers=2, bidirectional=True, batch_first=True)"),
        ((4, 10, 8), "LSTM(8, 16, proj_size=4, batch_first=True)"),
        ((10, 4, 8), "LSTM(8, 16, proj_size=4, bidirectional=True)"),
        ((10, 4, 8), "LSTM(8, 16, num_layers=2, dropout=0.2)"),
        ((10, 4, 8), "LSTM(8, 16, bias=False)"),
        ((10, 8), "LSTM(8, 16)"),
        ((4, 10, 8), "LSTM(input_size=8, hidden_size=16, batch_first=True)"),
        ((4, 10, 8), "GRU(8, 16, batch_first=True)"),
        ((10, 4, 8), "GRU(8, 16, bidirectional=True)"),
        ((10, 4, 8), "GRU(8, 16, 3)"),
        ((4, 10, 8), 'RNN(8, 16, nonlinearity="relu", batch_first=True)'),
        ((10, 4, 8), "RNN(8, 16, bidirectional=True)"),
        ((4, 8), "LSTMCell(8, 16)"),
        ((4, 8), "LSTMCell(8, 16, bias=False)"),
        ((8,), "LSTMCell(8, 16)"),
        ((4, 8), "GRUCell(8, 16)"),
        ((4, 8), 'RNNCell(8, 16, nonlinearity="relu")'),
    ]:
        add(shape, line)
    # short chains, with steps done in forward
    add(
        (4, 10),
        "Embedding(100, 16)",
        "LSTM(16, 32, batch_first=True)",
        "x[:, -1, :]",
        "Linear(32, 2)",
        dtype="int64",
    )
    add(
        (2, 1, 28, 28),
        "Conv2d(1, 8, 3, padding=1)",
        "BatchNorm2d(8)",
        "ReLU()",
        "MaxPool2d(2)",
        "Conv2d(8, 16, 3)",
        "ReLU()",
        "Flatten()",
        "Linear(2304, 10)",
    )
    add(
        (4, 8, 20),
        'Conv1d(8, 16, 3, padding="same")',
        "BatchNorm1d(16)",
        "ReLU()",
        "MaxPool1d(2)",
        "x.permute(0, 2, 1)",
        "GRU(16, 8, batch_first=True, bidirectional=True)",
        "LayerNorm(16)",
        "Linear(16, 3)",
    )
    add((4, 10, 8), "LSTM(8, 16, batch_first=True, proj_size=4)", "Linear(4, 2)")
    return cases


KERAS_CASES = _keras_cases()
PYTORCH_CASES = _pytorch_cases()


def _short(line: str) -> str:
    for prefix in ("layers.", "nn."):
        if line.startswith(prefix):
            return line[len(prefix) :]
    return line


def case_name(framework: str, shape: tuple[Any, ...], lines: list[str]) -> str:
    """``Conv1D(16, 3) on (20, 8)``: what a failing test names."""
    body = " | ".join(_short(line) for line in lines)
    if framework == "keras":
        sizes = ", ".join("None" if n is None else str(n) for n in shape)
        return f"{body} on ({sizes}{',' if len(shape) == 1 else ''})"
    return f"{body} on {list(shape)}"


# --------------------------------------------------------------------------------------------
# keras
# --------------------------------------------------------------------------------------------


def shape_list(shape: Any) -> list[Any]:
    return [None if d is None else int(d) for d in shape]


def keras_input_line(shape: tuple[Any, ...], dtype: str) -> str:
    sizes = ", ".join("None" if n is None else str(n) for n in shape)
    text = f"({sizes},)" if len(shape) == 1 else f"({sizes})"
    if dtype == "float32":
        return f"keras.Input(shape={text})"
    return f'keras.Input(shape={text}, dtype="{dtype}")'


def output_shapes(output: Any) -> Any:
    """A tensor's shape; a list of shapes for a layer with several outputs (return_state,
    Bidirectional(merge_mode=None))."""
    if isinstance(output, list | tuple):
        return [shape_list(tensor.shape) for tensor in output]
    return shape_list(output.shape)


def _fits(symbolic: list[Any], real: tuple[int, ...]) -> bool:
    return len(symbolic) == len(real) and all(
        s is None or s == r for s, r in zip(symbolic, real, strict=True)
    )


def keras_record(keras: Any, spec: Spec, run: bool = True) -> Case:
    import numpy as np
    from keras.src.utils import summary_utils

    (shape, dtype), lines = spec
    layers = keras.layers
    ns: dict[str, Any] = {"keras": keras, "layers": layers, "Input": keras.Input}
    for attr in dir(layers):
        if attr[:1].isupper():
            ns[attr] = getattr(layers, attr)
    input_line = keras_input_line(shape, dtype)
    keras.utils.clear_session(free_memory=False)  # fresh names; a gc.collect() each is slow
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inp = eval(input_line, ns)
        objs = [eval(line, ns) for line in lines]
        model = keras.Sequential([inp, *objs])
    assert list(model.layers) == objs, lines
    recorded = []
    for line, layer in zip(lines, model.layers, strict=True):
        trainable = summary_utils.count_params(layer.trainable_weights)
        non_trainable = summary_utils.count_params(layer.non_trainable_weights)
        assert trainable + non_trainable == layer.count_params(), line
        classes = [layer.__class__.__name__]
        inner = getattr(layer, "forward_layer", None) or getattr(layer, "layer", None)
        inner = inner or getattr(layer, "cell", None)
        if inner is not None:
            classes.append(inner.__class__.__name__)
        recorded.append(
            {
                "line": line,
                "class": layer.__class__.__name__,
                "classes": classes,
                "name": layer.name,
                "output_shape": output_shapes(layer.output),
                "params": int(layer.count_params()),
                "trainable": trainable,
                "non_trainable": non_trainable,
            }
        )
    # a real batch through the model: every layer's output must fit its symbolic shape
    if run:
        real_shape = (2, *(7 if n is None else n for n in shape))
        x = np.zeros(real_shape, dtype=dtype)
        for layer, record in zip(model.layers, recorded, strict=True):
            x = layer(x)
            several = isinstance(x, list | tuple)
            outputs = x if several else [x]
            symbolic = record["output_shape"] if several else [record["output_shape"]]
            for tensor, want in zip(outputs, symbolic, strict=True):
                got = tuple(int(n) for n in tensor.shape)
                assert _fits(want, got), (lines, want, got)
    return {
        "framework": "keras",
        "name": case_name("keras", shape, lines),
        "input_shape": list(shape),
        "input_dtype": dtype,
        "input_line": input_line,
        "lines": lines,
        "layers": recorded,
        "output_shape": recorded[-1]["output_shape"],
    }


def worker_keras(backend: str = "torch") -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = backend
    import keras

    assert keras.backend.backend() == backend, keras.backend.backend()
    keras.utils.set_random_seed(0)
    # TensorFlow's CPU kernels take channels_last only: there the shapes stay symbolic
    cases = [
        keras_record(
            keras, spec, backend == "torch" or not any("channels_first" in x for x in spec[1])
        )
        for spec in KERAS_CASES
    ]
    notes = [
        "Recorded with KERAS_BACKEND=torch. Each case is keras.Sequential([input_line, "
        "*lines]) after keras.utils.clear_session(); per layer: layer.output.shape, "
        "count_params(), and the sizes of trainable_weights and non_trainable_weights.",
        "Every case was also run on a real batch of 2 (zeros; a None size of the input made "
        "7): each layer's real output fits its symbolic output_shape.",
        "BatchNormalization's moving mean and variance are non-trainable weights: they count "
        "in params (4 per feature with center and scale).",
        "A layer with several outputs (return_state=True, Bidirectional merge_mode=None) "
        "has a list of shapes as its output_shape.",
    ]
    return {"versions": {"keras": keras.__version__}, "notes": notes, "cases": cases}


def worker_keras_tensorflow() -> dict[str, Any]:
    return worker_keras("tensorflow")


# --------------------------------------------------------------------------------------------
# pytorch
# --------------------------------------------------------------------------------------------


def pytorch_record(spec: Spec) -> Case:
    import torch
    import torch.nn.functional as F
    import torchinfo
    from torch import nn

    (shape, dtype), lines = spec
    ns: dict[str, Any] = {"torch": torch, "nn": nn, "F": F}
    dtypes = {"float32": torch.float32, "int64": torch.int64}
    torch.manual_seed(0)
    steps: list[tuple[str, Any]] = []
    for line in lines:
        if line.startswith("x"):
            steps.append(("op", eval(f"lambda x: {line}", ns)))
        else:
            module = eval(line, ns)
            assert isinstance(module, nn.Module), line
            steps.append(("module", module))

    class Chain(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            for i, (kind, step) in enumerate(steps):
                if kind == "module":
                    self.add_module(f"layer{i}", step)

        def forward(self, x: Any) -> Any:
            for _, step in steps:
                x = step(x)
                if isinstance(x, tuple):
                    x = x[0]
            return x

    model = Chain()
    model.eval()
    x = torch.zeros(*shape, dtype=dtypes[dtype])
    recorded = []
    with torch.no_grad():
        for line, (kind, step) in zip(lines, steps, strict=True):
            x = step(x)
            if isinstance(x, tuple):
                x = x[0]
            if kind != "module":
                continue
            params = list(step.parameters())
            recorded.append(
                {
                    "line": line,
                    "class": type(step).__name__,
                    "classes": [type(step).__name__],
                    "output_shape": list(x.shape),
                    "params": sum(p.numel() for p in params),
                    "trainable": sum(p.numel() for p in params if p.requires_grad),
                    "non_trainable": sum(p.numel() for p in params if not p.requires_grad),
                    "buffers": sum(b.numel() for b in step.buffers()),
                }
            )
    output_shape = list(x.shape)
    # torchinfo, which the summaries copy, must see the same
    stats = torchinfo.summary(
        model, input_size=tuple(shape), dtypes=[dtypes[dtype]], device="cpu", verbose=0
    )
    rows = [info for info in stats.summary_list if info.depth == 1]
    assert len(rows) == len(recorded), lines
    for info, record in zip(rows, recorded, strict=True):
        assert info.class_name == record["class"], (lines, info.class_name)
        assert list(info.output_size) == record["output_shape"], (lines, info.output_size)
        assert info.num_params == record["params"], (lines, info.num_params)
        assert info.trainable_params == record["trainable"], (lines, info.trainable_params)
    return {
        "framework": "pytorch",
        "name": case_name("pytorch", shape, lines),
        "input_shape": list(shape),
        "input_dtype": dtype,
        "lines": lines,
        "layers": recorded,
        "output_shape": output_shape,
    }


def worker_pytorch() -> dict[str, Any]:
    import torch
    import torchinfo

    cases = [pytorch_record(spec) for spec in PYTORCH_CASES]
    notes = [
        "Each case runs torch.zeros(input_shape, dtype=input_dtype) through the modules "
        "(eval(), no_grad()); a module's output_shape is its output's, the first element of "
        "a tuple (nn.LSTM's output, nn.LSTMCell's h), as torchinfo shows it.",
        "params/trainable: numel over module.parameters() (requires_grad); buffers "
        "(BatchNorm's running_mean, running_var, num_batches_tracked) are counted apart and "
        "are not parameters: torchinfo does not count them either.",
        "torchinfo.summary(model, input_size=input_shape, dtypes=[input_dtype]) of the same "
        "modules was checked to list the same output shapes and counts.",
        "Lines starting with x are steps done in forward (no module, no row).",
    ]
    return {
        "versions": {"torch": torch.__version__, "torchinfo": torchinfo.__version__},
        "notes": notes,
        "cases": cases,
    }


WORKERS: dict[str, Callable[[], dict[str, Any]]] = {
    "keras": worker_keras,
    "keras-tensorflow": worker_keras_tensorflow,
    "pytorch": worker_pytorch,
}


# --------------------------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------------------------


def check_keras_backend(backend: str, cases: list[Case], other: dict[str, Any]) -> str:
    """The Keras cases rebuilt under another backend must give the same layers."""
    mine = {c["name"]: c for c in cases}
    for c in other["cases"]:
        if c["layers"] != mine[c["name"]]["layers"]:
            raise AssertionError(f"keras {backend}: {c['name']} differs")
    return (
        f"Every Keras case was rebuilt with KERAS_BACKEND={backend} "
        f"(keras {other['versions']['keras']}): identical layers (the real batch is not run "
        "through channels_first layers there: TensorFlow's CPU kernels take NHWC only)."
    )


def main(argv: list[str] | None = None) -> int:
    check = "skip rebuilding the Keras cases under the tensorflow backend"
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, check=check, argv=argv)
    if args is None:
        return 0  # a worker
    records = kept_records(args, FRAMEWORKS)
    workers = list(args.selected)
    if "keras" in args.selected and args.check:
        workers += [f"keras-{backend}" for backend in KERAS_CHECK_BACKENDS]
    results = run_workers(__file__, workers, {"TF_CPP_MIN_LOG_LEVEL": "3"})
    for fw in args.selected:
        records.record(fw, results[fw])
        if fw == "keras" and args.check:
            for backend in KERAS_CHECK_BACKENDS:
                other = results[f"keras-{backend}"]
                records.notes[fw].append(check_keras_backend(backend, results[fw]["cases"], other))
    names = [(c["framework"], c["name"]) for c in records.all_cases()]
    if len(names) != len(set(names)):
        raise AssertionError("duplicate case names")
    write_records(args.out, __file__, records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
