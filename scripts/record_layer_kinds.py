#!/usr/bin/env python3
"""Record, from the real frameworks, the layers of issue 22 (attention, transformers,
transposed and separable convolutions, preprocessing, activations, pads ...): for each layer,
its parameters and how many train, its output shape, its tensors as the framework names
them, and its row as ``model.summary()`` / ``torchinfo.summary()`` print it.

The output, ``tests/data/layer_kinds.json``, is what ``tests/test_model_layers.py`` holds the
layer kinds against (beside ``model_layers.json``, written by ``record_model_layers.py``, whose
case format and namespaces this recorder shares).  Nothing in it is computed from a formula:
every layer is built by evaluating its line, exactly as a user writes it, and run.

Three sorts of case (the ``sort`` key):

* ``chain``    one layer, or a short chain, fed one tensor, as ``record_model_layers.py``
               records them (``keras.Sequential([keras.Input(...), *lines])`` under
               ``KERAS_BACKEND=torch``; a ``torch.nn.Module`` whose ``forward`` feeds each
               line's output to the next, the first element of a tuple, and a
               ``MaxPool(return_indices=True)``'s indices to a ``MaxUnpool`` after it).  Per
               layer besides the counts and the output shape: ``weights``, each tensor as
               ``[name, shape, trainable]`` in the framework's order (Keras: the variable's
               path inside the layer; PyTorch: ``named_parameters()``), PyTorch's ``buffers``
               (``[name, shape]``: not parameters, torchinfo does not count them), and the
               printed text: ``printed_rows`` (the table's body lines; Keras at
               ``line_length`` 88, torchinfo at ``depth=1``) and ``printed_totals`` (the lines
               after it up to the sizes).
* ``several``  a layer called on several tensors (Keras ``Attention([query, value])``,
               ``MultiHeadAttention(query, value, key)``; PyTorch ``MultiheadAttention(q, k,
               v)``, ``Bilinear(x1, x2)``, ``Transformer(src, tgt)`` ...): ``inputs`` (their
               shapes, Keras without the batch axis) and ``call`` (which input goes where,
               by index), the layer's counts, output shape and weights.  Keras builds
               ``keras.Model(inputs, layer(...))``; PyTorch a module calling it.
* ``refused``  a line Keras refuses in a ``Sequential`` model, with Keras' message.

For PyTorch modules made of modules (``MultiheadAttention``, ``TransformerEncoderLayer``
...), ``children`` lists ``named_children()`` in registration order: attribute, class,
parameters, and whether ``forward`` called it as a module (a forward hook fired: nn.
MultiheadAttention's ``out_proj`` is used through ``F.multi_head_attention_forward`` and
never called), each with its own children; and ``torchinfo_rows`` the rows torchinfo prints
at ``depth`` 1, 3 (its default) and 10 (a depth that prints what the one before did is left
out), for the nested layout.

Rerun (from the repository root; the framework venv of ``record_model_summaries.py``)::

    /work/fwvenv/bin/python scripts/record_layer_kinds.py
    /work/fwvenv/bin/python scripts/record_layer_kinds.py --framework pytorch

With ``--framework`` only the named frameworks are rebuilt; the others are kept.  The output
is deterministic: a rerun with the same versions gives a byte-identical file.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from record_model_layers import case_name, keras_input_line, output_shapes, shape_list
from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "layer_kinds.json"
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch")
COLUMNS = "100"  # Keras' line_length: min(88, COLUMNS - 4)
DEPTHS = (1, 3, 10)

Case = dict[str, Any]
Chain = tuple[tuple[Any, ...], str, list[str]]  # (input shape, dtype, lines)
# (line, input shapes, call: input index per argument, or a keyword -> index mapping)
Several = tuple[str, list[tuple[Any, ...]], Any]

# --------------------------------------------------------------------------------------------
# Keras
# --------------------------------------------------------------------------------------------


def _keras_chains() -> list[Chain]:
    cases: list[Chain] = []

    def add(shape: tuple[Any, ...], *lines: str, dtype: str = "float32") -> None:
        cases.append((shape, dtype, [f"layers.{line}" for line in lines]))

    # text and category preprocessing: no weights (a vocabulary is not one)
    for line in [
        "TextVectorization(max_tokens=100, output_sequence_length=10)",
        "TextVectorization(max_tokens=100)",
        'TextVectorization(vocabulary=["a", "b", "c"], output_sequence_length=4)',
        'TextVectorization(max_tokens=50, output_mode="multi_hot", pad_to_max_tokens=True)',
        'TextVectorization(vocabulary=["a", "b", "c"], output_mode="count")',
        'TextVectorization(max_tokens=20, output_mode="multi_hot")',
        'TextVectorization(vocabulary=["a", "b"], output_mode="int", split=None)',
    ]:
        add((1,), line, dtype="string")
    for shape, line in [
        ((3,), 'StringLookup(vocabulary=["a", "b", "c"])'),
        ((3,), 'StringLookup(vocabulary=["a", "b", "c"], output_mode="one_hot")'),
        ((1,), 'StringLookup(vocabulary=["a", "b", "c"], output_mode="one_hot")'),
        ((3,), 'StringLookup(vocabulary=["a", "b"], output_mode="multi_hot", num_oov_indices=2)'),
        ((3,), 'StringLookup(vocabulary=["a", "b"], mask_token="", output_mode="count")'),
        ((3,), 'StringLookup(max_tokens=10, output_mode="multi_hot", pad_to_max_tokens=True)'),
        ((3,), "Hashing(num_bins=5)"),
        ((3,), 'Hashing(num_bins=5, output_mode="multi_hot")'),
    ]:
        add(shape, line, dtype="string")
    for shape, line in [
        ((3,), "IntegerLookup(vocabulary=[1, 2, 3])"),
        ((3,), 'IntegerLookup(vocabulary=[1, 2, 3], output_mode="multi_hot")'),
        ((3,), 'IntegerLookup(max_tokens=8, output_mode="count", pad_to_max_tokens=True)'),
        ((3,), "CategoryEncoding(num_tokens=10)"),
        ((3,), 'CategoryEncoding(num_tokens=10, output_mode="one_hot")'),
        ((1,), 'CategoryEncoding(num_tokens=4, output_mode="one_hot")'),
        ((3,), 'CategoryEncoding(num_tokens=6, output_mode="count")'),
        ((3,), 'Hashing(num_bins=4, output_mode="one_hot")'),
    ]:
        add(shape, line, dtype="int64")
    # Normalization: mean, variance and count, none of them trained
    for shape, line in [
        ((8,), "Normalization()"),
        ((10, 8), "Normalization()"),
        ((10, 8), "Normalization(axis=None)"),
        ((10, 8), "Normalization(axis=(1, 2))"),
        ((10, 8), "Normalization(axis=1)"),
        ((4, 4, 3), "Normalization(axis=-1)"),
        ((8,), "Normalization(mean=0.0, variance=1.0)"),
        ((10, 8), "Normalization(invert=True)"),
    ]:
        add(shape, line)
    # image preprocessing
    for shape, line in [
        ((28, 28, 3), "Rescaling(1.0 / 255)"),
        ((8,), "Rescaling(scale=2.0, offset=-1.0)"),
        ((28, 28, 3), "Resizing(14, 16)"),
        ((28, 28, 3), 'Resizing(32, 32, interpolation="nearest", crop_to_aspect_ratio=True)'),
        ((3, 28, 28), 'Resizing(14, 14, data_format="channels_first")'),
        ((28, 28, 3), "CenterCrop(20, 24)"),
        ((3, 28, 28), 'CenterCrop(10, 10, data_format="channels_first")'),
    ]:
        add(shape, line)
    # activations
    for shape, line in [
        ((10, 8), "LeakyReLU()"),
        ((10, 8), "LeakyReLU(negative_slope=0.2)"),
        ((10, 8), "ELU()"),
        ((10, 8), "ELU(alpha=0.5)"),
        ((10, 8), "ReLU()"),
        ((10, 8), "ReLU(max_value=6.0)"),
        ((10, 8), "Softmax()"),
        ((10, 8), "Softmax(axis=1)"),
        ((10, 8), "PReLU()"),
        ((8,), "PReLU()"),
        ((10, 8), "PReLU(shared_axes=[1])"),
        ((6, 6, 3), "PReLU(shared_axes=[1, 2])"),
        ((6, 6, 3), 'PReLU(alpha_initializer="zeros", shared_axes=(2,))'),
        ((4, 5, 6), "PReLU(shared_axes=[1, 2, 3])"),
    ]:
        add(shape, line)
    # transposed, depthwise and separable convolutions
    for line in [
        "Conv1DTranspose(16, 3)",
        "Conv1DTranspose(16, 3, strides=2)",
        'Conv1DTranspose(16, 3, strides=2, padding="same")',
        "Conv1DTranspose(8, 4, strides=2, output_padding=1)",
        'Conv1DTranspose(8, 3, strides=2, padding="same", output_padding=1)',
        "Conv1DTranspose(8, 3, dilation_rate=2, use_bias=False)",
        "Convolution1DTranspose(4, 2)",
        "DepthwiseConv1D(3)",
        "DepthwiseConv1D(3, depth_multiplier=2)",
        'DepthwiseConv1D(5, strides=2, padding="same", use_bias=False)',
        "SeparableConv1D(16, 3)",
        'SeparableConv1D(16, 3, strides=2, padding="same", depth_multiplier=2)',
        "SeparableConv1D(4, 5, dilation_rate=2, use_bias=False)",
        "SeparableConvolution1D(4, 3)",
    ]:
        add((20, 8), line)
    add((None, 8), "Conv1DTranspose(4, 3, strides=2)")
    add((8, 20), 'Conv1DTranspose(4, 3, strides=2, data_format="channels_first")')
    add((8, 20), 'SeparableConv1D(4, 3, data_format="channels_first")')
    for line in [
        "Conv2DTranspose(16, 3)",
        'Conv2DTranspose(16, (3, 5), strides=(2, 1), padding="same")',
        "Conv2DTranspose(8, 3, strides=2, output_padding=1)",
        "Conv2DTranspose(8, 4, strides=2, use_bias=False)",
        "Conv2DTranspose(4, 3, dilation_rate=2)",
        "Convolution2DTranspose(4, 2, strides=2)",
        "DepthwiseConv2D(3)",
        'DepthwiseConv2D((3, 3), strides=2, padding="same", depth_multiplier=4)',
        "DepthwiseConv2D(3, dilation_rate=2, use_bias=False)",
        "SeparableConv2D(32, 3)",
        'SeparableConv2D(32, (3, 3), strides=(2, 2), padding="same", depth_multiplier=2)',
        "SeparableConv2D(8, 3, use_bias=False)",
        "SeparableConvolution2D(8, 1)",
    ]:
        add((28, 28, 3), line)
    add((3, 28, 28), 'Conv2DTranspose(4, 3, strides=2, data_format="channels_first")')
    add((3, 28, 28), 'DepthwiseConv2D(3, data_format="channels_first")')
    add((None, None, 3), 'Conv2DTranspose(8, 3, strides=2, padding="same")')
    for line in [
        "Conv3DTranspose(4, 3)",
        'Conv3DTranspose(4, (1, 3, 3), strides=(1, 2, 2), padding="same")',
        "Convolution3DTranspose(2, 2, strides=2, output_padding=1)",
    ]:
        add((4, 8, 8, 2), line)
    # up-sampling, padding and cropping
    for shape, line in [
        ((10, 8), "UpSampling1D()"),
        ((10, 8), "UpSampling1D(size=3)"),
        ((None, 8), "UpSampling1D(2)"),
        ((8, 8, 3), "UpSampling2D()"),
        ((8, 8, 3), 'UpSampling2D(size=(2, 3), interpolation="bilinear")'),
        ((3, 8, 8), 'UpSampling2D(2, data_format="channels_first")'),
        ((4, 4, 4, 2), "UpSampling3D()"),
        ((4, 4, 4, 2), "UpSampling3D(size=(1, 2, 3))"),
        ((10, 8), "ZeroPadding1D()"),
        ((10, 8), "ZeroPadding1D(padding=(2, 3))"),
        ((8, 8, 3), "ZeroPadding2D()"),
        ((8, 8, 3), "ZeroPadding2D(padding=(2, 1))"),
        ((8, 8, 3), "ZeroPadding2D(((1, 2), (3, 4)))"),
        ((3, 8, 8), 'ZeroPadding2D(2, data_format="channels_first")'),
        ((4, 4, 4, 2), "ZeroPadding3D()"),
        ((4, 4, 4, 2), "ZeroPadding3D(padding=(1, 2, 3))"),
        ((10, 8), "Cropping1D()"),
        ((10, 8), "Cropping1D(cropping=(2, 3))"),
        ((10, 8), "Cropping1D(4)"),
        ((8, 8, 3), "Cropping2D()"),
        ((8, 8, 3), "Cropping2D(cropping=((1, 2), (0, 3)))"),
        ((8, 8, 3), "Cropping2D(2)"),
        ((8, 8, 3), "Cropping2D((1, 2))"),
        ((3, 8, 8), 'Cropping2D(1, data_format="channels_first")'),
        ((6, 6, 6, 2), "Cropping3D()"),
        ((6, 6, 6, 2), "Cropping3D(cropping=(1, 2, 0))"),
    ]:
        add(shape, line)
    # the pooling aliases Keras exports
    for shape, line in [
        ((10, 8), "MaxPool1D()"),
        ((10, 8), 'MaxPool1D(3, strides=2, padding="same")'),
        ((28, 28, 3), "MaxPool2D()"),
        ((28, 28, 3), "MaxPool2D(pool_size=(3, 3), strides=2)"),
        ((4, 8, 8, 2), "MaxPool3D(2)"),
        ((10, 8), "AvgPool1D(2)"),
        ((28, 28, 3), "AvgPool2D(2)"),
        ((4, 8, 8, 2), "AvgPool3D((2, 2, 2))"),
        ((10, 8), "GlobalMaxPool1D()"),
        ((8, 8, 3), "GlobalMaxPool2D()"),
        ((4, 4, 4, 2), "GlobalMaxPool3D()"),
        ((10, 8), "GlobalAvgPool1D()"),
        ((8, 8, 3), "GlobalAvgPool2D(keepdims=True)"),
        ((4, 4, 4, 2), "GlobalAvgPool3D()"),
        ((20, 8), "Convolution1D(4, 3)"),
        ((28, 28, 3), "Convolution2D(4, 3)"),
        ((4, 8, 8, 2), "Convolution3D(2, 3)"),
    ]:
        add(shape, line)
    # the other layers without weights, and the normalisations
    for shape, line in [
        ((10, 8), "Masking()"),
        ((10, 8), "Masking(mask_value=-1.0)"),
        ((10, 8), "Permute((2, 1))"),
        ((4, 5, 6), "Permute(dims=(3, 1, 2))"),
        ((10, 8), "GaussianNoise(0.1)"),
        ((10, 8), "GaussianDropout(0.2)"),
        ((10, 8), "AlphaDropout(0.1)"),
        ((10, 8), "ActivityRegularization(l1=0.01)"),
        ((10, 8), "ActivityRegularization()"),
        ((8, 8, 4), "SpatialDropout2D(0.3)"),
        ((4, 4, 4, 2), "SpatialDropout3D(0.3)"),
        ((10, 8), "GroupNormalization(groups=4)"),
        ((8, 8, 64), "GroupNormalization()"),
        ((10, 8), "GroupNormalization(groups=2, center=False)"),
        ((10, 8), "GroupNormalization(groups=8, scale=False)"),
        ((8, 10), "GroupNormalization(groups=2, axis=1)"),
        ((10, 8), "UnitNormalization()"),
        ((10, 8), "UnitNormalization(axis=1)"),
        ((10, 8), "Lambda(lambda x: x * 2)"),
        ((10, 8), "Lambda(lambda x: x[:, 0], output_shape=(8,))"),
        ((10, 8), "Lambda(lambda x: x, output_shape=(10, 8))"),
    ]:
        add(shape, line)
    # recurrent layers the issue names: RNN over a list of cells, Bidirectional's
    # backward_layer
    for shape, line in [
        ((10, 8), "RNN([layers.LSTMCell(4), layers.LSTMCell(4)])"),
        ((10, 8), "RNN([layers.LSTMCell(16), layers.LSTMCell(8)], return_sequences=True)"),
        ((10, 8), "RNN([layers.LSTMCell(4), layers.GRUCell(3)])"),
        ((10, 8), "RNN(cell=[layers.SimpleRNNCell(4), layers.GRUCell(4, reset_after=False)])"),
        (
            (10, 8),
            "Bidirectional(layers.LSTM(4), backward_layer=layers.LSTM(4, go_backwards=True))",
        ),
        ((10, 8), "Bidirectional(layers.LSTM(4), backward_layer=layers.GRU(4, go_backwards=True))"),
        (
            (10, 8),
            "Bidirectional(layers.LSTM(4, return_sequences=True), "
            "backward_layer=layers.LSTM(6, return_sequences=True, go_backwards=True), "
            'merge_mode="concat")',
        ),
    ]:
        add(shape, line)
    # chains
    add((10,), "Embedding(100, 8, mask_zero=True)", "LSTM(4)", dtype="int32")
    add(
        (None,),
        "Embedding(1000, 16, mask_zero=True)",
        "Bidirectional(layers.LSTM(8, return_sequences=True))",
        "GlobalMaxPool1D()",
        "Dense(1)",
        dtype="int32",
    )
    add((1,), "TextVectorization(max_tokens=1000, output_sequence_length=20)", dtype="string")
    add(
        (1,),
        "TextVectorization(max_tokens=1000, output_sequence_length=20)",
        "Embedding(1000, 16)",
        "LSTM(8)",
        "Dense(1)",
        dtype="string",
    )
    add((20, 8), "Normalization()", "LSTM(4)", "Dense(2)")
    add(
        (28, 28, 1),
        "Rescaling(1.0 / 255)",
        'SeparableConv2D(8, 3, padding="same")',
        "BatchNormalization()",
        "LeakyReLU(0.1)",
        "MaxPool2D()",
        "GlobalAvgPool2D()",
        "Dense(10)",
    )
    add(
        (7, 7, 8),
        'Conv2DTranspose(4, 3, strides=2, padding="same")',
        "ZeroPadding2D(1)",
        "Cropping2D(2)",
        "UpSampling2D()",
        "DepthwiseConv2D(3)",
        "PReLU(shared_axes=[1, 2])",
    )
    add((10, 8), "Masking()", "LSTM(8, return_sequences=True)", "Permute((2, 1))", "Flatten()")
    add((16, 4), "Conv1DTranspose(8, 3, strides=2)", "GroupNormalization(groups=4)", "ELU()")
    return cases


def _keras_several() -> list[Several]:
    # call: indices into the inputs; a list means the layer takes one list argument
    return [
        ("layers.Attention()", [(10, 8), (12, 8)], [[0, 1]]),
        ("layers.Attention()", [(10, 8), (12, 6), (12, 8)], [[0, 1, 2]]),
        ("layers.Attention(use_scale=True)", [(10, 8), (12, 8)], [[0, 1]]),
        ('layers.Attention(score_mode="concat")', [(10, 8), (12, 8)], [[0, 1]]),
        (
            'layers.Attention(use_scale=True, score_mode="concat", dropout=0.1)',
            [(5, 4), (5, 4)],
            [[0, 1]],
        ),
        ("layers.AdditiveAttention()", [(10, 8), (12, 8)], [[0, 1]]),
        ("layers.AdditiveAttention(use_scale=False)", [(10, 8), (12, 8)], [[0, 1]]),
        ("layers.AdditiveAttention()", [(10, 8), (12, 6), (12, 8)], [[0, 1, 2]]),
        ("layers.MultiHeadAttention(num_heads=2, key_dim=4)", [(10, 8), (12, 8)], [0, 1]),
        ("layers.MultiHeadAttention(2, 4)", [(10, 8), (10, 8)], [0, 0]),
        ("layers.MultiHeadAttention(num_heads=8, key_dim=64)", [(16, 512), (16, 512)], [0, 1]),
        ("layers.MultiHeadAttention(2, 4, value_dim=6)", [(10, 8), (12, 8)], [0, 1]),
        ("layers.MultiHeadAttention(2, 4)", [(10, 8), (12, 6), (12, 5)], [0, 1, 2]),
        ("layers.MultiHeadAttention(2, 4, output_shape=16)", [(10, 8), (12, 8)], [0, 1]),
        ("layers.MultiHeadAttention(2, 4, output_shape=(3, 5))", [(10, 8), (12, 8)], [0, 1]),
        ("layers.MultiHeadAttention(2, 4, use_bias=False)", [(10, 8), (12, 8)], [0, 1]),
        ("layers.MultiHeadAttention(2, 4, use_gate=True)", [(10, 8), (12, 8)], [0, 1]),
        ("layers.MultiHeadAttention(3, 2, dropout=0.1)", [(4, 5, 8), (4, 5, 8)], [0, 1]),
        (
            "layers.MultiHeadAttention(2, 4, attention_axes=(1, 2))",
            [(4, 5, 8), (4, 5, 8)],
            [0, 1],
        ),
    ]


def _keras_refused() -> list[Chain]:
    return [
        ((10, 8), "float32", ["layers.Attention()"]),
        ((10, 8), "float32", ["layers.AdditiveAttention()"]),
        ((10, 8), "float32", ["layers.MultiHeadAttention(2, 4)"]),
    ]


# --------------------------------------------------------------------------------------------
# PyTorch
# --------------------------------------------------------------------------------------------


def _pytorch_chains() -> list[Chain]:
    cases: list[Chain] = []

    def add(shape: tuple[int, ...], *lines: str, dtype: str = "float32") -> None:
        cases.append((shape, dtype, [line if line[0] == "x" else f"nn.{line}" for line in lines]))

    for line in [
        "ConvTranspose1d(8, 16, 3)",
        "ConvTranspose1d(8, 16, 3, stride=2)",
        "ConvTranspose1d(8, 16, 3, stride=2, padding=1, output_padding=1)",
        "ConvTranspose1d(8, 4, 4, stride=2, padding=1, bias=False)",
        "ConvTranspose1d(8, 8, 3, groups=4)",
        "ConvTranspose1d(8, 4, 3, dilation=2)",
        "ConvTranspose1d(in_channels=8, out_channels=2, kernel_size=5, stride=3, padding=2)",
    ]:
        add((4, 8, 20), line)
    for line in [
        "ConvTranspose2d(3, 16, 3)",
        "ConvTranspose2d(3, 16, 2, stride=2)",
        "ConvTranspose2d(3, 8, (3, 5), stride=(2, 1), padding=(1, 2), output_padding=(1, 0))",
        "ConvTranspose2d(3, 6, 3, groups=3, bias=False)",
        "ConvTranspose2d(3, 4, 4, stride=2, padding=1, dilation=2)",
    ]:
        add((2, 3, 14, 14), line)
    add((1, 2, 4, 8, 8), "ConvTranspose3d(2, 4, 3)")
    add((1, 2, 4, 8, 8), "ConvTranspose3d(2, 4, (1, 2, 2), stride=(1, 2, 2))")
    for shape, line in [
        ((4, 8, 20), "AdaptiveAvgPool1d(5)"),
        ((4, 8, 20), "AdaptiveMaxPool1d(1)"),
        ((4, 8, 20), "AdaptiveMaxPool1d(7, return_indices=True)"),
        ((2, 3, 28, 28), "AdaptiveAvgPool2d((7, 7))"),
        ((2, 3, 28, 28), "AdaptiveAvgPool2d(1)"),
        ((2, 3, 28, 28), "AdaptiveAvgPool2d((None, 4))"),
        ((2, 3, 28, 28), "AdaptiveMaxPool2d((2, 3))"),
        ((1, 2, 8, 8, 8), "AdaptiveAvgPool3d(2)"),
        ((1, 2, 8, 8, 8), "AdaptiveMaxPool3d((1, 2, 4))"),
        ((1, 2, 8, 8, 8), "AvgPool3d(2)"),
        ((1, 2, 8, 9, 9), "AvgPool3d(3, stride=2, padding=1, ceil_mode=True)"),
        ((1, 2, 8, 8, 8), "MaxPool3d(2)"),
        ((1, 2, 8, 8, 8), "MaxPool3d((1, 2, 2), stride=(1, 2, 2))"),
    ]:
        add(shape, line)
    for shape, line in [
        ((2, 8, 10, 10), "GroupNorm(2, 8)"),
        ((4, 8, 20), "GroupNorm(4, 8, affine=False)"),
        ((4, 8, 20), "GroupNorm(num_groups=1, num_channels=8, eps=1e-3)"),
        ((4, 8, 20), "GroupNorm(2, 8, bias=False)"),
        ((4, 8, 20), "InstanceNorm1d(8)"),
        ((4, 8, 20), "InstanceNorm1d(8, affine=True)"),
        ((4, 8, 20), "InstanceNorm1d(8, track_running_stats=True)"),
        ((4, 8, 20), "InstanceNorm1d(8, affine=True, track_running_stats=True)"),
        ((4, 8, 20), "InstanceNorm1d(8, affine=True, bias=False)"),
        ((2, 3, 8, 8), "InstanceNorm2d(3)"),
        ((2, 3, 8, 8), "InstanceNorm2d(3, affine=True)"),
        ((1, 2, 4, 4, 4), "InstanceNorm3d(2, affine=True, track_running_stats=True)"),
        ((2, 8, 10, 10), "LocalResponseNorm(2)"),
        ((4, 8, 20), "LocalResponseNorm(size=3, alpha=1e-3)"),
    ]:
        add(shape, line)
    for shape, line in [
        ((4, 10, 8), "SiLU()"),
        ((4, 10, 8), "ReLU6()"),
        ((4, 10, 8), "Mish()"),
        ((4, 10, 8), "Hardswish()"),
        ((4, 10, 8), "Softmax(dim=-1)"),
        ((4, 10, 8), "LogSoftmax(1)"),
        ((4, 10, 8), 'GELU("tanh")'),
        ((4, 10, 8), "ELU(0.5)"),
        ((4, 10, 8), "LeakyReLU(0.1, inplace=True)"),
        ((4, 10, 8), "CELU(alpha=0.5)"),
        ((4, 10, 8), "Hardshrink(0.3)"),
        ((4, 10, 8), "Softshrink()"),
        ((4, 10, 8), "Hardsigmoid()"),
        ((4, 10, 8), "Hardtanh(-2.0, 2.0)"),
        ((4, 10, 8), "LogSigmoid()"),
        ((4, 10, 8), "RReLU(0.1, 0.3)"),
        ((4, 10, 8), "Softmin(dim=1)"),
        ((4, 10, 8), "Softplus(beta=2.0)"),
        ((4, 10, 8), "Softsign()"),
        ((4, 10, 8), "Tanhshrink()"),
        ((4, 10, 8), "Threshold(0.1, 20.0)"),
        ((4, 10, 8), "AlphaDropout(0.2)"),
        ((2, 3, 8, 8), "FeatureAlphaDropout(p=0.1)"),
        ((1, 2, 4, 8, 8), "Dropout3d(0.5)"),
        ((4, 10, 8), "PReLU()"),
        ((4, 10, 8), "PReLU(10)"),
        ((2, 3, 8, 8), "PReLU(num_parameters=3, init=0.1)"),
        ((4, 8), "PReLU(8)"),
        ((4, 10, 8), "Identity(54, unused_argument=0.1)"),
    ]:
        add(shape, line)
    for shape, line in [
        ((4, 8, 20), "ReflectionPad1d(2)"),
        ((4, 8, 20), "ReflectionPad1d((1, 3))"),
        ((2, 3, 8, 8), "ReflectionPad2d(1)"),
        ((2, 3, 8, 8), "ReflectionPad2d((1, 2, 3, 4))"),
        ((4, 8, 20), "ReplicationPad1d(3)"),
        ((2, 3, 8, 8), "ReplicationPad2d((2, 0, 1, 1))"),
        ((2, 3, 8, 8), "ZeroPad2d(2)"),
        ((2, 3, 8, 8), "ZeroPad2d((1, 1, 2, 0))"),
        ((4, 8, 20), "ConstantPad1d(2, 3.5)"),
        ((4, 8, 20), "ConstantPad1d((3, 1), value=0.0)"),
        ((2, 3, 8, 8), "ConstantPad2d(1, 0.0)"),
        ((2, 3, 8, 8), "ConstantPad2d(padding=(0, 1, 2, 3), value=1.0)"),
        ((1, 2, 4, 4, 4), "ReflectionPad3d(1)"),
        ((1, 2, 4, 4, 4), "ReplicationPad3d((1, 0, 1, 0, 2, 2))"),
        ((4, 8, 20), "ZeroPad1d(2)"),
        ((1, 2, 4, 4, 4), "ZeroPad3d(1)"),
        ((1, 2, 4, 4, 4), "ConstantPad3d(1, 2.0)"),
        ((4, 8, 20), "CircularPad1d(2)"),
        ((2, 3, 8, 8), "CircularPad2d((1, 0, 2, 1))"),
        ((1, 2, 4, 4, 4), "CircularPad3d(1)"),
    ]:
        add(shape, line)
    for shape, line in [
        ((2, 3, 8, 8), "Upsample(scale_factor=2)"),
        ((2, 3, 8, 8), "Upsample(size=(10, 12))"),
        ((2, 3, 8, 8), 'Upsample(scale_factor=2, mode="bilinear", align_corners=False)'),
        ((2, 3, 8, 8), "Upsample(scale_factor=(1.5, 2))"),
        ((4, 8, 20), "Upsample(scale_factor=3)"),
        ((4, 8, 20), 'Upsample(size=7, mode="linear")'),
        ((1, 2, 4, 4, 4), "Upsample(scale_factor=2)"),
        ((2, 3, 8, 8), "UpsamplingNearest2d(scale_factor=2)"),
        ((2, 3, 8, 8), "UpsamplingBilinear2d(size=(5, 7))"),
        ((2, 8, 5, 5), "PixelShuffle(2)"),
        ((2, 18, 4, 4), "PixelShuffle(upscale_factor=3)"),
        ((2, 3, 8, 8), "PixelUnshuffle(2)"),
        ((4, 60), "Unflatten(1, (3, 4, 5))"),
        ((4, 6, 10), "Unflatten(-1, (2, 5))"),
        ((4, 6, 10), "Unflatten(dim=1, unflattened_size=(2, -1))"),
    ]:
        add(shape, line)
    for shape, line in [
        ((4, 10), "EmbeddingBag(100, 8)"),
        ((4, 10), 'EmbeddingBag(100, 8, mode="sum")'),
        ((4, 10), 'EmbeddingBag(num_embeddings=50, embedding_dim=4, mode="max", padding_idx=0)'),
    ]:
        add(shape, line, dtype="int64")
    # transformer layers fed one tensor
    for shape, line in [
        ((5, 2, 16), "TransformerEncoderLayer(16, 4, 32)"),
        ((2, 5, 16), "TransformerEncoderLayer(d_model=16, nhead=2, batch_first=True)"),
        ((5, 2, 16), "TransformerEncoderLayer(16, 4, 32, norm_first=True, bias=False)"),
        ((5, 2, 16), 'TransformerEncoderLayer(16, 4, dim_feedforward=64, activation="gelu")'),
        ((5, 2, 16), "TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), 2)"),
        (
            (2, 5, 16),
            "TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, batch_first=True), "
            "num_layers=3, norm=nn.LayerNorm(16))",
        ),
    ]:
        add(shape, line)
    # chains
    add(
        (2, 16, 7, 7),
        "ConvTranspose2d(16, 8, 4, stride=2, padding=1)",
        "InstanceNorm2d(8, affine=True)",
        "LeakyReLU(0.2)",
        "ReflectionPad2d(1)",
        "Conv2d(8, 3, 3)",
        "Tanh()",
    )
    add(
        (2, 3, 32, 32),
        "Conv2d(3, 8, 3, padding=1)",
        "GroupNorm(2, 8)",
        "SiLU()",
        "MaxPool2d(2, return_indices=True)",
        "MaxUnpool2d(2)",
        "AdaptiveAvgPool2d(1)",
        "Flatten()",
        "Linear(8, 4)",
    )
    add(
        (4, 8, 20),
        "MaxPool1d(2, stride=2, return_indices=True)",
        "MaxUnpool1d(2, stride=2)",
        "PReLU(8)",
    )
    add(
        (2, 3, 9, 9),
        "MaxPool2d(3, stride=2, padding=1, return_indices=True)",
        "MaxUnpool2d(3, 2, 1)",
    )
    add((1, 2, 4, 8, 8), "MaxPool3d(2, return_indices=True)", "MaxUnpool3d(2)")
    add(
        (2, 12, 16),
        "TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 2)",
        "x[:, 0, :]",
        "Linear(16, 3)",
    )
    add(
        (4, 10),
        "Embedding(100, 16)",
        "TransformerEncoderLayer(16, 4, 64, batch_first=True)",
        "LSTM(16, 8, batch_first=True)",
        "x[:, -1, :]",
        "Linear(8, 2)",
        dtype="int64",
    )
    add((2, 3, 8, 8), "PixelUnshuffle(2)", "Conv2d(12, 4, 1)", "Upsample(scale_factor=2)")
    return cases


def _pytorch_several() -> list[Several]:
    return [
        ("nn.MultiheadAttention(16, 4)", [(5, 2, 16)], [0, 0, 0]),
        ("nn.MultiheadAttention(512, 8)", [(10, 2, 512)], [0, 0, 0]),
        ("nn.MultiheadAttention(16, 4, batch_first=True)", [(2, 5, 16), (2, 7, 16)], [0, 1, 1]),
        ("nn.MultiheadAttention(16, 2, bias=False)", [(5, 2, 16)], [0, 0, 0]),
        ("nn.MultiheadAttention(16, 2, add_bias_kv=True)", [(5, 2, 16)], [0, 0, 0]),
        (
            "nn.MultiheadAttention(16, 4, kdim=8, vdim=6)",
            [(5, 2, 16), (7, 2, 8), (7, 2, 6)],
            [0, 1, 2],
        ),
        (
            "nn.MultiheadAttention(16, 4, kdim=8, vdim=8, bias=False, add_bias_kv=True)",
            [(5, 2, 16), (7, 2, 8)],
            [0, 1, 1],
        ),
        (
            "nn.MultiheadAttention(embed_dim=16, num_heads=4, dropout=0.1, add_zero_attn=True)",
            [(5, 2, 16)],
            [0, 0, 0],
        ),
        ("nn.MultiheadAttention(16, 4, kdim=16, vdim=16)", [(5, 2, 16)], [0, 0, 0]),
        ("nn.Bilinear(8, 6, 4)", [(3, 8), (3, 6)], [0, 1]),
        ("nn.Bilinear(8, 8, 2, bias=False)", [(3, 5, 8)], [0, 0]),
        ("nn.TransformerDecoderLayer(16, 4, 32)", [(5, 2, 16), (7, 2, 16)], [0, 1]),
        (
            "nn.TransformerDecoderLayer(16, 2, 32, batch_first=True, norm_first=True)",
            [(2, 5, 16), (2, 7, 16)],
            [0, 1],
        ),
        (
            "nn.TransformerDecoder(nn.TransformerDecoderLayer(16, 4, 32), 2, nn.LayerNorm(16))",
            [(5, 2, 16), (7, 2, 16)],
            [0, 1],
        ),
        ("nn.Transformer(16, 4, 2, 2, 32)", [(7, 2, 16), (5, 2, 16)], [0, 1]),
        (
            "nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=2, "
            "dim_feedforward=24, batch_first=True, bias=False)",
            [(2, 7, 16), (2, 5, 16)],
            [0, 1],
        ),
        (
            "nn.Transformer(num_encoder_layers=1, num_decoder_layers=1)",
            [(3, 1, 512), (2, 1, 512)],
            [0, 1],
        ),
    ]


# --------------------------------------------------------------------------------------------
# keras workers
# --------------------------------------------------------------------------------------------


def _keras_namespace(keras: Any) -> dict[str, Any]:
    layers = keras.layers
    ns: dict[str, Any] = {"keras": keras, "layers": layers, "Input": keras.Input}
    for attr in dir(layers):
        if attr[:1].isupper():
            ns[attr] = getattr(layers, attr)
    return ns


def _written(line: str) -> str:
    """The class as the line writes it (``MaxPool2D``), before any alias is resolved."""
    match = re.match(r"(?:\w+\.)*(\w+)\(", line)
    assert match, line
    return match.group(1)


def _keras_weights(layer: Any) -> list[list[Any]]:
    """Each weight as [path inside the layer, shape, trainable], in Keras' order."""
    out = []
    for weight in layer.weights:
        parts = weight.path.split("/")
        inside = (
            "/".join(parts[parts.index(layer.name) + 1 :]) if layer.name in parts else weight.path
        )
        out.append([inside, [int(n) for n in weight.shape], bool(weight.trainable)])
    return out


def _keras_layer(layer: Any, line: str) -> dict[str, Any]:
    from keras.src.utils import summary_utils

    trainable = summary_utils.count_params(layer.trainable_weights)
    non_trainable = summary_utils.count_params(layer.non_trainable_weights)
    assert trainable + non_trainable == layer.count_params(), line
    classes = [layer.__class__.__name__, _written(line)]
    for attr in ("forward_layer", "backward_layer", "layer", "cell"):
        inner = getattr(layer, attr, None)
        if inner is not None:
            classes.append(inner.__class__.__name__)
            for cell in getattr(inner, "cells", []):
                classes.append(cell.__class__.__name__)
    return {
        "line": line,
        "class": layer.__class__.__name__,
        "classes": sorted(set(classes)),
        "name": layer.name,
        "output_shape": output_shapes(layer.output),
        "params": int(layer.count_params()),
        "trainable": trainable,
        "non_trainable": non_trainable,
        "weights": _keras_weights(layer),
    }


def _keras_printed(model: Any) -> tuple[list[str], list[str]]:
    """The table's body lines and the totals lines of ``model.summary()``."""
    out: list[str] = []
    model.summary(print_fn=lambda text, line_break=True: out.append(text))
    lines = out[0].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    end = next(i for i, line in enumerate(lines) if line.startswith("└"))
    totals = [line for line in lines[end + 1 :] if line.strip()]
    return lines[start + 1 : end], totals


def keras_chain(keras: Any, case: Chain) -> Case:
    import numpy as np

    shape, dtype, lines = case
    ns = _keras_namespace(keras)
    input_line = keras_input_line(shape, dtype)
    keras.utils.clear_session(free_memory=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inp = eval(input_line, ns)
        objs = [eval(line, ns) for line in lines]
        model = keras.Sequential([inp, *objs])
        rows, totals = _keras_printed(model)
    recorded = [_keras_layer(layer, line) for line, layer in zip(lines, model.layers, strict=True)]
    # a real batch: every output fits its symbolic shape (a lookup without a vocabulary, or
    # strings, cannot be run on zeros)
    if dtype != "string" and not any("Lookup" in line for line in lines):
        x = np.zeros((2, *(7 if n is None else n for n in shape)), dtype=dtype)
        for layer, record in zip(model.layers, recorded, strict=True):
            x = layer(x)
            got = [int(n) for n in x.shape]
            want = record["output_shape"]
            fits = len(got) == len(want) and all(
                w is None or w == g for w, g in zip(want, got, strict=True)
            )
            if not fits:  # Keras' symbolic shape (what it prints) is not what it computes
                record["real_output_shape"] = got
    return {
        "sort": "chain",
        "framework": "keras",
        "name": case_name("keras", shape, lines),
        "input_shape": list(shape),
        "input_dtype": dtype,
        "input_line": input_line,
        "lines": lines,
        "layers": recorded,
        "output_shape": recorded[-1]["output_shape"],
        "printed_rows": rows,
        "printed_totals": totals,
    }


def keras_several(keras: Any, case: Several) -> Case:
    line, shapes, call = case
    ns = _keras_namespace(keras)
    keras.utils.clear_session(free_memory=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs = [keras.Input(shape=s) for s in shapes]
        layer = eval(line, ns)
        args = [[inputs[i] for i in a] if isinstance(a, list) else inputs[a] for a in call]
        output = layer(*args)
        keras.Model(inputs, output)
    record = _keras_layer(layer, line)
    record["output_shape"] = shape_list(output.shape)
    sizes = ", ".join(str(list(s)) for s in shapes)
    return {
        "sort": "several",
        "framework": "keras",
        "name": f"{line.removeprefix('layers.')} on {sizes} as {call}",
        "inputs": [list(s) for s in shapes],
        "call": call,
        "line": line,
        "layer": record,
    }


def keras_refused(keras: Any, case: Chain) -> Case:
    import numpy as np

    shape, dtype, lines = case
    ns = _keras_namespace(keras)
    keras.utils.clear_session(free_memory=False)
    message = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = keras.Sequential([eval(keras_input_line(shape, dtype), ns)])
            for line in lines:
                model.add(eval(line, ns))
            model(np.zeros((2, *shape), dtype=dtype))
    except ValueError as error:
        message = str(error).split("\n")[0]
    assert message, lines
    return {
        "sort": "refused",
        "framework": "keras",
        "name": case_name("keras", shape, lines) + " in a Sequential",
        "input_shape": list(shape),
        "input_dtype": dtype,
        "lines": lines,
        "error": message,
    }


def worker_keras() -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = "torch"
    os.environ["COLUMNS"] = COLUMNS
    import keras

    keras.utils.set_random_seed(0)
    cases = [keras_chain(keras, case) for case in _keras_chains()]
    cases += [keras_several(keras, case) for case in _keras_several()]
    cases += [keras_refused(keras, case) for case in _keras_refused()]
    notes = [
        "Recorded with KERAS_BACKEND=torch. chain: keras.Sequential([input_line, *lines]) "
        "after keras.utils.clear_session(); per layer: layer.output.shape, count_params(), "
        "the sizes of trainable_weights and non_trainable_weights, and each weight as "
        "[its path inside the layer, shape, trainable]. Every case but the string ones was "
        "run on a real batch of 2 (zeros; a None size made 7): each output fits its shape.",
        "printed_rows/printed_totals: model.summary() with COLUMNS=100 (line_length 88): the "
        "table's body lines (between the header and the bottom border) and the totals lines.",
        "several: keras.Model(inputs, layer(*call)), inputs = keras.Input(shape=s) for each "
        "shape of `inputs`; call lists the input index per argument (a list: one list "
        "argument, as Attention takes [query, value, key]).",
        "refused: the first line of the ValueError Keras raises when the layer is added to, "
        "or run in, a Sequential model.",
        "classes lists the class, the class as written (an alias such as MaxPool2D) and the "
        "classes of the layers it wraps or holds (cells), for the coverage test.",
    ]
    return {"versions": {"keras": keras.__version__}, "notes": notes, "cases": cases}


# --------------------------------------------------------------------------------------------
# pytorch workers
# --------------------------------------------------------------------------------------------


def _torch_weights(module: Any) -> tuple[list[list[Any]], list[list[Any]]]:
    weights = [
        [name, list(p.shape), bool(p.requires_grad)] for name, p in module.named_parameters()
    ]
    buffers = [[name, list(b.shape)] for name, b in module.named_buffers()]
    return weights, buffers


def _torch_layer(module: Any, line: str, output: Any) -> dict[str, Any]:
    params = list(module.parameters())
    weights, buffers = _torch_weights(module)
    return {
        "line": line,
        "class": type(module).__name__,
        "classes": sorted({type(module).__name__, _written(line)}),
        "output_shape": list(output.shape),
        "params": sum(p.numel() for p in params),
        "trainable": sum(p.numel() for p in params if p.requires_grad),
        "non_trainable": sum(p.numel() for p in params if not p.requires_grad),
        "weights": weights,
        "buffers": buffers,
    }


def _children(module: Any, called: set[int]) -> list[dict[str, Any]]:
    """``named_children()`` in registration order, each with its own children."""
    out = []
    for name, child in module.named_children():
        record: dict[str, Any] = {
            "attribute": name,
            "class": type(child).__name__,
            "params": sum(p.numel() for p in child.parameters()),
            "called": id(child) in called,
        }
        if _composite(child):
            record["children"] = _children(child, called)
        out.append(record)
    return out


def _depth_rows(printed: dict[int, str]) -> dict[str, list[str]]:
    """The rows at each depth; a depth that prints what the one before did is left out."""
    rows: dict[str, list[str]] = {}
    previous: list[str] | None = None
    for depth in DEPTHS:
        lines = _torchinfo_lines(printed[depth])[0]
        if lines != previous:
            rows[str(depth)] = lines
        previous = lines
    return rows


def _composite(module: Any) -> bool:
    return any(True for _ in module.children())


def _torchinfo_lines(text: str) -> tuple[list[str], list[str]]:
    """torchinfo's row lines (after the header) and totals lines (up to the sizes)."""
    lines = text.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("=")]
    rows = lines[rules[1] + 1 : rules[2]]
    totals = lines[rules[2] + 1 : rules[3]]
    return rows, totals


def pytorch_chain(case: Chain) -> Case:
    import torch
    import torch.nn.functional as F
    import torchinfo
    from torch import nn

    shape, dtype, lines = case
    ns: dict[str, Any] = {"torch": torch, "nn": nn, "F": F}
    dtypes = {"float32": torch.float32, "int64": torch.int64}
    torch.manual_seed(0)
    steps: list[tuple[str, Any]] = []
    for line in lines:
        if line.startswith("x"):
            steps.append(("op", eval(f"lambda x: {line}", ns)))
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = eval(line, ns)
            steps.append(("module", module))

    def run(x: Any, record: list[Any] | None = None) -> Any:
        indices = None
        for _, step in steps:
            unpool = type(step).__name__.startswith("MaxUnpool")
            x = step(x, indices) if unpool else step(x)
            indices = None
            if isinstance(x, tuple):
                x, indices = x[0], (x[1] if len(x) > 1 else None)
            if record is not None:
                record.append(x)
        return x

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            for i, (kind, step) in enumerate(steps):
                if kind == "module":
                    self.add_module(f"layer{i}", step)

        def forward(self, x: Any) -> Any:
            return run(x)

    model = Model()
    model.eval()
    outputs: list[Any] = []
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run(torch.zeros(*shape, dtype=dtypes[dtype]), outputs)
    recorded = []
    for line, (kind, step), output in zip(lines, steps, outputs, strict=True):
        if kind == "module":
            layer = _torch_layer(step, line, output)
            if _composite(step):
                layer["children"] = _children(step, _called(step, model, shape, dtypes[dtype]))
            recorded.append(layer)
    printed: dict[int, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for depth in DEPTHS:
            stats = torchinfo.summary(
                model,
                input_size=tuple(shape),
                dtypes=[dtypes[dtype]],
                device="cpu",
                verbose=0,
                depth=depth,
            )
            printed[depth] = str(stats)
            if depth == 1:
                rows1 = [info for info in stats.summary_list if info.depth == 1]
                assert len(rows1) == len(recorded), lines
                for info, record in zip(rows1, recorded, strict=True):
                    assert info.num_params == record["params"], (lines, info.num_params)
                    assert list(info.output_size) == record["output_shape"], lines
    rows, totals = _torchinfo_lines(printed[1])
    result: Case = {
        "sort": "chain",
        "framework": "pytorch",
        "name": case_name("pytorch", shape, lines),
        "input_shape": list(shape),
        "input_dtype": dtype,
        "lines": lines,
        "layers": recorded,
        "output_shape": list(outputs[-1].shape),
        "printed_rows": rows,
        "printed_totals": totals,
    }
    if any("children" in layer for layer in recorded):
        result["torchinfo_rows"] = _depth_rows(printed)
    return result


def _called(module: Any, model: Any, shape: Any, dtype: Any, inputs: Any = None) -> set[int]:
    """The ids of the modules inside ``module`` that a forward pass calls as modules."""
    import torch

    called: set[int] = set()
    hooks = [
        sub.register_forward_hook(lambda m, i, o: called.add(id(m))) for sub in module.modules()
    ]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model(*(inputs if inputs is not None else [torch.zeros(*shape, dtype=dtype)]))
    for hook in hooks:
        hook.remove()
    return called


def pytorch_several(case: Several) -> Case:
    import torch
    import torchinfo
    from torch import nn

    line, shapes, call = case
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = eval(line, {"torch": torch, "nn": nn})

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layer0 = module

        def forward(self, *xs: Any) -> Any:
            out = self.layer0(*(xs[i] for i in call))
            return out[0] if isinstance(out, tuple) else out

    model = Model()
    model.eval()
    inputs = [torch.zeros(*s) for s in shapes]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        output = model(*inputs)
    record = _torch_layer(module, line, output)
    if _composite(module):
        record["children"] = _children(module, _called(module, model, None, None, inputs))
    printed = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for depth in DEPTHS:
            stats = torchinfo.summary(
                model, input_data=inputs, device="cpu", verbose=0, depth=depth
            )
            printed[depth] = str(stats)
    sizes = ", ".join(str(list(s)) for s in shapes)
    return {
        "sort": "several",
        "framework": "pytorch",
        "name": f"{line.removeprefix('nn.')} on {sizes} as {call}",
        "inputs": [list(s) for s in shapes],
        "call": call,
        "line": line,
        "layer": record,
        "torchinfo_rows": _depth_rows(printed),
    }


def worker_pytorch() -> dict[str, Any]:
    import torch
    import torchinfo

    cases = [pytorch_chain(case) for case in _pytorch_chains()]
    cases += [pytorch_several(case) for case in _pytorch_several()]
    notes = [
        "chain: torch.zeros(input_shape, dtype=input_dtype) through the modules (eval(), "
        "no_grad()); a tuple passes its first element on, and its second (a MaxPool's "
        "indices) to a MaxUnpool right after it. weights: named_parameters() as [name, "
        "shape, requires_grad]; buffers: named_buffers() as [name, shape] (not parameters).",
        "printed_rows/printed_totals: str(torchinfo.summary(model, input_size, dtypes, "
        "depth=1)): the rows after the header and the totals lines (Total params ... "
        "Total mult-adds). torchinfo_rows: the rows at depth 1, 3 (its default) and 10, for "
        "cases with a module made of modules.",
        "children: named_children() in registration order with their parameters and whether "
        "the forward pass called them as modules (a forward hook fired).",
        "several: a module whose forward calls the layer with the inputs of `call` (input "
        "indices per positional argument), the first element of a tuple as its output.",
    ]
    return {
        "versions": {"torch": torch.__version__, "torchinfo": torchinfo.__version__},
        "notes": notes,
        "cases": cases,
    }


WORKERS: dict[str, Callable[[], dict[str, Any]]] = {
    "keras": worker_keras,
    "pytorch": worker_pytorch,
}


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, argv=argv)
    if args is None:
        return 0  # a worker
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, list(args.selected), {"TF_CPP_MIN_LOG_LEVEL": "3"})
    for fw in args.selected:
        records.record(fw, results[fw])
    names = [(c["framework"], c["name"]) for c in records.all_cases()]
    if len(names) != len(set(names)):
        raise AssertionError("duplicate case names")
    write_records(args.out, __file__, records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
