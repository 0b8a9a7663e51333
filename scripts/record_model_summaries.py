#!/usr/bin/env python3
"""Record what Keras 3's ``model.summary()`` and torchinfo print for whole small models.

The output, ``tests/data/model_summaries.json``, is the ground truth for the ``model-summary``
directive of sphinxcontrib-lstmparams: the page author writes one layer per line, and the docs
print what the framework would print, without the framework installed.  Every number and every
printed character in the file was produced by the real framework: each model is *built by
evaluating its ``lines``* in the framework, so the lines are proven to build it; nothing here is
computed from a formula.

Frameworks (the ``framework`` key of each case), each recorded in its own subprocess
(``--worker``) so that Keras' backends and plain PyTorch never share a process:

* ``keras``    Keras 3 with ``KERAS_BACKEND=torch``.  The lines are evaluated in a namespace
               with ``keras``, ``layers`` (= ``keras.layers``), ``Input`` and every public class
               of ``keras.layers`` under its bare name (``LSTM(64)``), and the results are put in
               ``keras.Sequential([...])``.  When the first line is not ``keras.Input`` /
               ``layers.Input`` / ``layers.InputLayer`` and no layer has ``input_shape=``, the
               model is built with ``model.build(input_shape)``.  ``keras.utils.clear_session()``
               runs before each model, so names start at ``sequential``, ``lstm``, ``dense``...
               as in a fresh session.  ``printed`` is ``model.summary(print_fn=...)`` with
               ``COLUMNS=100`` in the environment (so the default ``line_length`` is
               ``min(88, 100 - 4) = 88``) and the callback's one string kept verbatim (rich
               renders it with ``color_system=None``: no ANSI codes).  For models whose first
               line is ``keras.Input``/``layers.Input``, ``printed_functional`` is the summary
               of ``keras.Model(inp, x)`` built from the same lines (the functional form that
               most keras-io examples use; it has an extra ``InputLayer`` row, and
               with ``mask_zero=True`` a ``NotEqual`` row and the 4-column layout).  The same
               models are rebuilt under the ``tensorflow`` and ``jax`` backends (skipped with
               ``--no-check``) and their printed text must be identical.
* ``pytorch``  ``torch.nn`` layers.  Lines are evaluated in a namespace with ``torch``, ``nn``
               and ``F``.  A line that starts with ``x`` (``x[:, -1, :]``, ``x.permute(0, 2,
               1)``) is a tensor operation done in ``forward`` (not a module: torchinfo shows no
               row for it), as a real model does between layers.  The modules are registered
               as attributes of a small ``nn.Module`` subclass named ``model_class`` whose
               ``forward`` feeds each step's output to the next, taking ``out[0]`` when a layer
               returns a tuple (``nn.LSTM/GRU/RNN`` return ``(output, h_n)``, ``nn.LSTMCell``
               returns ``(h, c)``).  ``printed`` is ``str(torchinfo.summary(model,
               input_size=input_shape, dtypes=[input_dtype], device="cpu", verbose=0))`` with
               torchinfo's defaults otherwise (``depth=3``, ``col_names=("output_size",
               "num_params")``, ``col_width=25``, ``row_settings=("depth",)``, ``mode="eval"``).

Setup (outside the repository; the framework venv of ``record_framework_counts.py``)::

    python3 -m venv /work/fwvenv
    /work/fwvenv/bin/pip install torch==2.13.0        # CPU wheel; never install torch unpinned
    /work/fwvenv/bin/pip install keras tensorflow jax jaxlib torchinfo

    # resolved to: torch 2.13.0+cpu, keras 3.15.1, tensorflow 2.21.0, jax 0.10.2,
    # torchinfo 1.8.0, rich 15.0.0

Rerun (from the repository root)::

    /work/fwvenv/bin/python scripts/record_model_summaries.py
    /work/fwvenv/bin/python scripts/record_model_summaries.py --framework pytorch --no-check

With ``--framework`` only the named frameworks are rebuilt; the others are kept from the
existing output file.  The output is deterministic (sorted keys, stable case order, seeded
torch, no timings or addresses), so a rerun with the same versions gives a byte-identical file.

Case format (keras)::

    {"framework": "keras", "name": "imdb-bidirectional-lstm", "source": "keras-io ...",
     "input_shape": [null, null], "input_dtype": "int32", "built_by": "keras.Input",
     "lines": ["keras.Input(shape=(None,), dtype=\\"int32\\")", "layers.Embedding(20000, 128)",
               ...],
     "layers": [{"name": "embedding", "class": "Embedding", "output_shape": [null, null, 128],
                 "params": 2560000, "trainable": 2560000, "non_trainable": 0,
                 "trainable_in_totals": 2560000}, ...],
     "total": 2757761, "trainable": 2757761, "non_trainable": 0,
     "bytes": {"total": 11031044.0, "trainable": 11031044.0, "non_trainable": 0.0},
     "printed": "Model: \\"sequential\\"\\n┏━━━...", "printed_76": "...",
     "printed_functional": "Model: \\"functional\\"\\n...",
     "warnings": [...]}

A layer's ``trainable`` is the size of its ``trainable_weights``; ``trainable_in_totals`` the
size of those of its weights that ``model.trainable_weights`` holds, which the totals count: they
differ for a wrapper or a ConvLSTM given ``trainable=False`` (Keras sets it on the wrapper, not on
the layer or cell inside, whose weights stay trainable).

Case format (pytorch)::

    {"framework": "pytorch", "name": "lstm-tagger", "source": "...", "model_class": "LSTMTagger",
     "input_shape": [5, 1], "input_dtype": "int64",
     "lines": ["nn.Embedding(9, 6)", "nn.LSTM(6, 6)", "nn.Linear(6, 3)"],
     "steps": [{"line": "nn.Embedding(9, 6)", "kind": "module", "output_shape": [5, 1, 6]}, ...],
     "rows": [{"label": "LSTMTagger", "depth": 0, "depth_index": 1, "class": "LSTMTagger",
               "is_leaf": false, "output_shape": [5, 1, 3], "params": 411, "trainable": 411,
               "params_str": "--", "buffers": 0, "mult_adds": ...},
              {"label": "├─Embedding: 1-1", "depth": 1, ..., "params_str": "54"}, ...],
     "total": 411, "trainable": 411, "non_trainable": 0, "numel": 411, "buffers": 0,
     "torchinfo": {"total_params": 411, "trainable_params": 411, "total_mult_adds": ...,
                   "total_input_bytes": ..., "total_output_bytes": ...,
                   "total_param_bytes": 1644, "layer_name_width": 40, "col_width": 25,
                   "total_width": 90},
     "printed": "=====...\\nLayer (type:depth-idx) ..."}

``rows`` are torchinfo's own LayerInfo objects (the rows it prints, depth <= 3); ``mult_adds``
of a row is LayerInfo.macs (torchinfo sums it over leaf rows only).  ``numel`` is
``sum(p.numel() for p in model.parameters())``; ``buffers`` counts buffer elements (BatchNorm1d
running_mean, running_var and num_batches_tracked), which are not parameters.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "model_summaries.json"
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch")
KERAS_CHECK_BACKENDS: tuple[str, ...] = ("tensorflow", "jax")
COLUMNS = "100"
WORKER_ENV = {"COLUMNS": COLUMNS}  # rich wraps its table to the terminal's width

Case = dict[str, Any]

# --------------------------------------------------------------------------------------------
# the models
# --------------------------------------------------------------------------------------------
# Keras: "lines" are what a page author pastes; "input_shape" (with the batch dimension) is
# only needed when no line gives the input.  "source" names the public example the model is
# taken from (what was left out is said there), or "synthetic" for models that only cover
# layer kinds no tutorial model covers.

KERAS_MODELS: list[dict[str, Any]] = [
    {
        "name": "imdb-bidirectional-lstm",
        "source": "keras-io examples/nlp/bidirectional_lstm_imdb.py "
        "('Bidirectional LSTM on IMDB'), functional model written as lines",
        "narrow": True,
        "lines": [
            'keras.Input(shape=(None,), dtype="int32")',
            "layers.Embedding(20000, 128)",
            "layers.Bidirectional(layers.LSTM(64, return_sequences=True))",
            "layers.Bidirectional(layers.LSTM(64))",
            'layers.Dense(1, activation="sigmoid")',
        ],
    },
    {
        "name": "imdb-lstm",
        "source": "Keras 2 examples/imdb_lstm.py (maxlen=80, max_features=20000); "
        "bare class names as after 'from keras.layers import ...'",
        "lines": [
            'Input(shape=(80,), dtype="int32")',
            "Embedding(20000, 128)",
            "LSTM(128, dropout=0.2, recurrent_dropout=0.2)",
            'Dense(1, activation="sigmoid")',
        ],
    },
    {
        "name": "tf-text-classification-rnn",
        "source": "TensorFlow tutorial text/tutorials/text_classification_rnn (first model), "
        "without the TextVectorization encoder (vocabulary 1000); tf.keras.layers written as "
        "keras.layers",
        "lines": [
            'keras.Input(shape=(None,), dtype="int64")',
            "keras.layers.Embedding(input_dim=1000, output_dim=64, mask_zero=True)",
            "keras.layers.Bidirectional(keras.layers.LSTM(64))",
            "keras.layers.Dense(64, activation='relu')",
            "keras.layers.Dense(1)",
        ],
    },
    {
        "name": "tf-text-classification-rnn-stacked",
        "source": "TensorFlow tutorial text/tutorials/text_classification_rnn (stacked model), "
        "without the TextVectorization encoder",
        "lines": [
            'keras.Input(shape=(None,), dtype="int64")',
            "keras.layers.Embedding(1000, 64, mask_zero=True)",
            "keras.layers.Bidirectional(keras.layers.LSTM(64, return_sequences=True))",
            "keras.layers.Bidirectional(keras.layers.LSTM(32))",
            "keras.layers.Dense(64, activation='relu')",
            "keras.layers.Dropout(0.5)",
            "keras.layers.Dense(1)",
        ],
    },
    {
        "name": "tf-text-generation-gru",
        "source": "TensorFlow tutorial text/tutorials/text_generation (MyModel: vocab_size=66, "
        "embedding_dim=256, rnn_units=1024) as a Sequential; the tutorial's subclassed model "
        "also returns the GRU state, which does not change the counts (4,022,850)",
        "lines": [
            'keras.Input(shape=(None,), dtype="int64")',
            "layers.Embedding(66, 256)",
            "layers.GRU(1024, return_sequences=True)",
            "layers.Dense(66)",
        ],
    },
    {
        "name": "weather-forecast-lstm",
        "source": "keras-io examples/timeseries/timeseries_weather_forecasting.py "
        "(sequence_length=120, 7 features)",
        "lines": [
            "keras.layers.Input(shape=(120, 7))",
            "keras.layers.LSTM(32)",
            "keras.layers.Dense(1)",
        ],
    },
    {
        "name": "addition-rnn",
        "source": "keras-io examples/nlp/addition_rnn.py (MAXLEN=7, 12 chars, DIGITS=3, "
        "num_layers=1): RepeatVector + Dense on a 3-D input",
        "lines": [
            "layers.Input((7, 12))",
            "layers.LSTM(128)",
            "layers.RepeatVector(4)",
            "layers.LSTM(128, return_sequences=True)",
            'layers.Dense(12, activation="softmax")',
        ],
    },
    {
        "name": "lstm-autoencoder",
        "source": "machinelearningmastery 'A Gentle Introduction to LSTM Autoencoders' "
        "(reconstruction LSTM autoencoder; input_shape=(9, 1) given as keras.Input)",
        "lines": [
            "keras.Input(shape=(9, 1))",
            "LSTM(100, activation='relu')",
            "RepeatVector(9)",
            "LSTM(100, activation='relu', return_sequences=True)",
            "TimeDistributed(Dense(1))",
        ],
    },
    {
        "name": "imdb-cnn-lstm",
        "source": "Keras 2 examples/imdb_cnn_lstm.py (maxlen=100; Keras 3 dropped "
        "Embedding(input_length=...), given as keras.Input)",
        "lines": [
            "keras.Input(shape=(100,))",
            "Embedding(20000, 128)",
            "Dropout(0.25)",
            "Conv1D(64, 5, padding='valid', activation='relu', strides=1)",
            "MaxPooling1D(pool_size=4)",
            "LSTM(70)",
            "Dense(1)",
            "Activation('sigmoid')",
        ],
    },
    {
        "name": "next-frame-convlstm2d",
        "source": "keras-io examples/vision/conv_lstm.py ('Next-Frame Video Prediction with "
        "Convolutional LSTMs', frames 64x64x1), functional model written as lines",
        "lines": [
            "layers.Input(shape=(None, 64, 64, 1))",
            'layers.ConvLSTM2D(filters=64, kernel_size=(5, 5), padding="same", '
            'return_sequences=True, activation="relu")',
            "layers.BatchNormalization()",
            'layers.ConvLSTM2D(filters=64, kernel_size=(3, 3), padding="same", '
            'return_sequences=True, activation="relu")',
            "layers.BatchNormalization()",
            'layers.ConvLSTM2D(filters=64, kernel_size=(1, 1), padding="same", '
            'return_sequences=True, activation="relu")',
            'layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")',
        ],
    },
    {
        "name": "rnn-guide-mnist-lstm",
        "source": "keras-io guides/working_with_rnns.py (MNIST model: units=64, input_dim=28, "
        "output_size=10), with the guide's input_shape= argument (Keras 3 warns)",
        "lines": [
            "keras.layers.LSTM(64, input_shape=(None, 28))",
            "keras.layers.BatchNormalization()",
            "keras.layers.Dense(10)",
        ],
    },
    {
        "name": "rnn-guide-gru-simplernn",
        "source": "keras-io guides/working_with_rnns.py (GRU + SimpleRNN model); the guide "
        "gives no input, so the model is built with model.build((None, None))",
        "input_shape": [None, None],
        "lines": [
            "layers.Embedding(input_dim=1000, output_dim=64)",
            "layers.GRU(256, return_sequences=True)",
            "layers.SimpleRNN(128)",
            "layers.Dense(10)",
        ],
    },
    {
        "name": "rnn-guide-bidirectional",
        "source": "keras-io guides/working_with_rnns.py (Bidirectional model, input_shape=(5, "
        "10) on the first layer as in the guide)",
        "lines": [
            "layers.Bidirectional(layers.LSTM(64, return_sequences=True), input_shape=(5, 10))",
            "layers.Bidirectional(layers.LSTM(32))",
            "layers.Dense(10)",
        ],
    },
    {
        "name": "captcha-ocr-crnn",
        "source": "keras-io examples/vision/captcha_ocr.py (img 200x50, 19 characters -> "
        "21 outputs) without the label input and the CTC layer; explicit layer names as there",
        "lines": [
            'layers.Input(shape=(200, 50, 1), name="image", dtype="float32")',
            'layers.Conv2D(32, (3, 3), activation="relu", kernel_initializer="he_normal", '
            'padding="same", name="Conv1")',
            'layers.MaxPooling2D((2, 2), name="pool1")',
            'layers.Conv2D(64, (3, 3), activation="relu", kernel_initializer="he_normal", '
            'padding="same", name="Conv2")',
            'layers.MaxPooling2D((2, 2), name="pool2")',
            'layers.Reshape(target_shape=(50, 768), name="reshape")',
            'layers.Dense(64, activation="relu", name="dense1")',
            "layers.Dropout(0.2)",
            "layers.Bidirectional(layers.LSTM(128, return_sequences=True, dropout=0.25))",
            "layers.Bidirectional(layers.LSTM(64, return_sequences=True, dropout=0.25))",
            'layers.Dense(21, activation="softmax", name="dense2")',
        ],
    },
    {
        "name": "bidirectional-merge-modes",
        "source": "synthetic",
        "lines": [
            "keras.Input(shape=(20, 8))",
            'layers.Bidirectional(layers.LSTM(16, return_sequences=True), merge_mode="sum")',
            'layers.Bidirectional(layers.GRU(16, return_sequences=True), merge_mode="mul")',
            'layers.Bidirectional(layers.SimpleRNN(16), merge_mode="ave")',
            "layers.Dense(4)",
        ],
    },
    {
        "name": "gru-sentiment-spatialdropout",
        "source": "synthetic (Kaggle-style sentiment model)",
        "lines": [
            'keras.Input(shape=(150,), dtype="int32")',
            "layers.Embedding(5000, 100)",
            "layers.SpatialDropout1D(0.2)",
            "layers.GRU(64, return_sequences=True, reset_after=False)",
            "layers.Bidirectional(layers.GRU(32, return_sequences=True))",
            "layers.LayerNormalization()",
            "layers.GlobalAveragePooling1D()",
            'layers.Dense(3, activation="softmax")',
        ],
    },
    {
        "name": "conv1d-lstm-flatten",
        "source": "synthetic",
        "lines": [
            "keras.Input(shape=(50, 4))",
            'layers.Conv1D(32, 3, activation="relu", use_bias=False)',
            "layers.LSTM(16, return_sequences=True)",
            "layers.Flatten()",
            "layers.Dense(8, use_bias=False)",
            'layers.Activation("relu")',
            "layers.Dense(1)",
        ],
    },
    {
        "name": "bigru-globalmax",
        "source": "synthetic",
        "lines": [
            'keras.Input(shape=(None,), dtype="int32")',
            "layers.Embedding(8000, 32)",
            "layers.Bidirectional(layers.GRU(32, return_sequences=True, reset_after=False))",
            "layers.GlobalMaxPooling1D()",
            "layers.Dense(16, activation='relu')",
            "layers.Dense(1, activation='sigmoid')",
        ],
    },
    {
        "name": "inputlayer-simplernn-timedistributed",
        "source": "synthetic",
        "lines": [
            "layers.InputLayer(shape=(30, 16))",
            "layers.SimpleRNN(32, return_sequences=True, use_bias=False)",
            "layers.TimeDistributed(layers.Dense(8))",
            "layers.Reshape((240,))",
            "layers.Dense(1)",
        ],
    },
    {
        "name": "wrapper-naming",
        "source": "synthetic (names taken by the layers inside Bidirectional/TimeDistributed)",
        "lines": [
            "keras.Input(shape=(10, 4))",
            "layers.Bidirectional(layers.LSTM(8, return_sequences=True))",
            "layers.LSTM(8, return_sequences=True)",
            "layers.TimeDistributed(layers.Dense(4))",
            "layers.Bidirectional(layers.GRU(4))",
            "layers.Dense(1)",
        ],
    },
    {
        "name": "long-names-and-shapes",
        "source": "synthetic (rich wraps long names and shapes at spaces and cuts a long word "
        "with an ellipsis)",
        "lines": [
            "keras.Input(shape=(None, 100, 100, 100, 1))",
            'layers.ConvLSTM3D(16, 3, padding="same", return_sequences=True, '
            'name="a_very_long_convlstm3d_layer_name_without_any_spaces")',
            "layers.TimeDistributed(layers.GlobalAveragePooling3D())",
            'layers.Dense(1, name="dense with spaces in a rather long layer name")',
        ],
    },
    {
        "name": "tiny-simplernn",
        "source": "synthetic (byte sizes below 1 KB print in B)",
        "lines": ["keras.Input(shape=(3, 2))", "layers.SimpleRNN(2)", "layers.Dense(1)"],
    },
    {
        "name": "frozen-embedding-lstm",
        "source": "synthetic (a frozen, e.g. pretrained, embedding: non-trainable params)",
        "lines": [
            'keras.Input(shape=(40,), dtype="int32")',
            "layers.Embedding(1000, 50, trainable=False)",
            "layers.LSTM(32)",
            'layers.Dense(2, activation="softmax")',
        ],
    },
    {
        "name": "convlstm1d",
        "source": "synthetic",
        "lines": [
            "keras.Input(shape=(10, 32, 3))",
            'layers.ConvLSTM1D(8, 3, padding="same", return_sequences=True)',
            "layers.ConvLSTM1D(4, 3)",
            "layers.Flatten()",
            "layers.Dense(2)",
        ],
    },
    {
        "name": "convlstm3d",
        "source": "synthetic",
        "lines": [
            "keras.Input(shape=(4, 8, 8, 8, 1))",
            'layers.ConvLSTM3D(4, 3, padding="same")',
            "layers.Flatten()",
            "layers.Dense(2)",
        ],
    },
    {
        "name": "frozen-wrappers",
        "source": "synthetic: trainable=False on a wrapper stays on the wrapper, whose "
        "wrapped layer keeps trainable weights (model.summary() counts them as trainable); "
        "on the wrapped layer it freezes them",
        "narrow": True,
        "lines": [
            "keras.Input(shape=(5, 4))",
            "layers.Bidirectional(layers.LSTM(3, return_sequences=True), trainable=False)",
            "layers.Bidirectional(layers.GRU(2, return_sequences=True, trainable=False))",
            "layers.RNN(layers.LSTMCell(3), return_sequences=True, trainable=False)",
            "layers.RNN(layers.SimpleRNNCell(2, trainable=False), return_sequences=True)",
            "layers.TimeDistributed(layers.Dense(2), trainable=False)",
            "layers.TimeDistributed(layers.Dense(2, trainable=False))",
            "layers.LSTM(2, trainable=False)",
        ],
    },
    {
        "name": "frozen-convlstm",
        "source": "synthetic: ConvLSTM1D/2D(trainable=False) leave their cell's weights "
        "trainable, and model.summary() counts them so",
        "lines": [
            "keras.Input(shape=(3, 6, 6, 1))",
            "layers.ConvLSTM2D(2, 3, return_sequences=True, trainable=False)",
            "layers.Reshape((3, 16, 2))",
            "layers.ConvLSTM1D(2, 3, trainable=False)",
            "layers.Flatten()",
            "layers.Dense(1, trainable=False)",
        ],
    },
]
# the widths at which narrow_printed records a case marked "narrow": Keras wraps the header
NARROW_LINE_LENGTHS = (40, 45)

# PyTorch: "input_shape" includes the batch dimension (torchinfo's input_size);
# "input_dtype" is "float32" (default) or "int64" (token ids for nn.Embedding).

PYTORCH_MODELS: list[dict[str, Any]] = [
    {
        "name": "lstm-tagger",
        "model_class": "LSTMTagger",
        "source": "PyTorch tutorial 'Sequence Models and Long Short-Term Memory Networks' "
        "(LSTMTagger: 9 words, EMBEDDING_DIM=6, HIDDEN_DIM=6, 3 tags); the tutorial's "
        "embeds.view(len(sentence), 1, -1) is replaced by feeding ids of shape (5, 1) "
        "(sequence-first, batch 1) and its F.log_softmax (no module) is left out",
        "input_shape": [5, 1],
        "input_dtype": "int64",
        "lines": ["nn.Embedding(9, 6)", "nn.LSTM(6, 6)", "nn.Linear(6, 3)"],
    },
    {
        "name": "char-rnn-names",
        "model_class": "CharRNN",
        "source": "PyTorch tutorial 'NLP From Scratch: Classifying Names with a Character-Level "
        "RNN' (CharRNN: 58 letters, n_hidden=128, 18 languages; a 7-letter name, batch 1); "
        "the tutorial's hidden[0] equals x[-1] of the output for one layer",
        "input_shape": [7, 1, 58],
        "lines": ["nn.RNN(58, 128)", "x[-1]", "nn.Linear(128, 18)", "nn.LogSoftmax(dim=1)"],
    },
    {
        "name": "imdb-lstm-torch",
        "model_class": "Model",
        "source": "synthetic (the plain chain of the directive's example; Linear on the 3-D "
        "LSTM output)",
        "input_shape": [32, 200],
        "input_dtype": "int64",
        "lines": [
            "nn.Embedding(10000, 128)",
            "nn.LSTM(128, 64, batch_first=True)",
            "nn.Linear(64, 1)",
        ],
    },
    {
        "name": "gru-sentiment",
        "model_class": "GRUSentiment",
        "source": "synthetic (after bentrevett/pytorch-sentiment-analysis: 25,000-word "
        "vocabulary, 2-layer bidirectional GRU, last time step)",
        "input_shape": [64, 200],
        "input_dtype": "int64",
        "lines": [
            "nn.Embedding(25000, 100, padding_idx=0)",
            "nn.GRU(100, 256, num_layers=2, bidirectional=True, batch_first=True, dropout=0.5)",
            "x[:, -1, :]",
            "nn.Dropout(0.5)",
            "nn.Linear(512, 1)",
        ],
    },
    {
        "name": "lstm-timeseries",
        "model_class": "LSTMForecaster",
        "source": "synthetic (one-feature forecasting model, 12-step windows)",
        "input_shape": [32, 12, 1],
        "lines": ["nn.LSTM(1, 50, batch_first=True)", "x[:, -1, :]", "nn.Linear(50, 1)"],
    },
    {
        "name": "mnist-row-lstm-batchnorm",
        "model_class": "Model",
        "source": "PyTorch rewrite of the keras-io working_with_rnns MNIST model (rows as "
        "time steps, LSTM(64), BatchNorm, Dense(10)); BatchNorm1d running stats are buffers",
        "input_shape": [64, 28, 28],
        "lines": [
            "nn.LSTM(28, 64, batch_first=True)",
            "x[:, -1, :]",
            "nn.BatchNorm1d(64)",
            "nn.Linear(64, 10)",
        ],
    },
    {
        "name": "conv1d-lstm-har",
        "model_class": "ConvLSTM",
        "source": "synthetic (UCI-HAR-style: 9 channels x 128 steps, 6 classes); Conv1d wants "
        "(N, C, L), the LSTM (N, L, C): the line x.permute(0, 2, 1) does it in forward",
        "input_shape": [32, 9, 128],
        "lines": [
            "nn.Conv1d(9, 64, kernel_size=3, padding=1)",
            "nn.ReLU()",
            "x.permute(0, 2, 1)",
            "nn.LSTM(64, 100, batch_first=True)",
            "x[:, -1, :]",
            "nn.Dropout(0.5)",
            "nn.Linear(100, 6)",
        ],
    },
    {
        "name": "crnn-ocr",
        "model_class": "CRNN",
        "source": "synthetic (CRNN-style OCR: 32x128 grey image, columns as time steps, "
        "37 classes)",
        "input_shape": [8, 1, 32, 128],
        "lines": [
            "nn.Conv2d(1, 16, kernel_size=3, padding=1)",
            "nn.ReLU()",
            "nn.Flatten(1, 2)",
            "x.permute(0, 2, 1)",
            "nn.LSTM(512, 64, batch_first=True, bidirectional=True)",
            "nn.LayerNorm(128)",
            "nn.Linear(128, 37)",
        ],
    },
    {
        "name": "lstm-proj-bidirectional",
        "model_class": "ProjectedBidirectionalLSTMSequenceClassifier",
        "source": "synthetic (a class name long enough to widen torchinfo's first column)",
        "input_shape": [4, 35],
        "input_dtype": "int64",
        "lines": [
            "nn.Embedding(10000, 128)",
            "nn.LSTM(128, 256, num_layers=2, proj_size=64, batch_first=True, bidirectional=True)",
            "nn.Linear(128, 10)",
        ],
    },
    {
        "name": "frozen-embedding-lstm-torch",
        "model_class": "Model",
        "source": "synthetic (nn.Embedding.from_pretrained freezes the weights by default: "
        "torchinfo prints its Param # in parentheses)",
        "input_shape": [16, 40],
        "input_dtype": "int64",
        "lines": [
            "nn.Embedding.from_pretrained(torch.zeros(1000, 50))",
            "nn.LSTM(50, 32, batch_first=True)",
            "x[:, -1, :]",
            "nn.Linear(32, 2)",
        ],
    },
    {
        "name": "rnn-cells",
        "model_class": "Model",
        "source": "synthetic (the cells of the torch.nn docs examples: LSTMCell(10, 20) on a "
        "(3, 10) input; one time step)",
        "input_shape": [3, 10],
        "lines": [
            "nn.LSTMCell(10, 20)",
            "nn.GRUCell(20, 20)",
            'nn.RNNCell(20, 20, nonlinearity="relu")',
            "nn.Tanh()",
            "nn.Linear(20, 5)",
        ],
    },
    {
        "name": "rnn-relu-nobias",
        "model_class": "Model",
        "source": "synthetic",
        "input_shape": [2, 10, 16],
        "lines": [
            'nn.RNN(16, 32, num_layers=2, nonlinearity="relu", bias=False, batch_first=True)',
            "nn.Tanh()",
            "nn.Linear(32, 4, bias=False)",
        ],
    },
]


# --------------------------------------------------------------------------------------------
# keras
# --------------------------------------------------------------------------------------------

INPUT_PREFIXES = ("keras.Input(", "Input(", "layers.Input(", "keras.layers.Input(")


def shape_list(shape: Any) -> list[Any]:
    return [None if d is None else int(d) for d in shape]


def keras_record(keras: Any, spec: dict[str, Any]) -> Case:
    """Build one Keras model from its lines and record its summary."""
    from keras.src.utils import summary_utils

    layers = keras.layers
    ns: dict[str, Any] = {"keras": keras, "layers": layers, "Input": keras.Input}
    for attr in dir(layers):
        if attr[:1].isupper():
            ns[attr] = getattr(layers, attr)

    def capture(model: Any, line_length: int | None = None) -> str:
        out: list[str] = []
        model.summary(line_length=line_length, print_fn=lambda s, line_break=True: out.append(s))
        assert len(out) == 1, out
        assert "\x1b" not in out[0], "ANSI escape in captured summary"
        return out[0]

    lines: list[str] = spec["lines"]
    keras.utils.clear_session()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        objs = [eval(line, ns) for line in lines]
        model = keras.Sequential(objs)
        first_is_input = lines[0].startswith(INPUT_PREFIXES)
        if first_is_input:
            built_by = "keras.Input"
        elif lines[0].startswith(("layers.InputLayer(", "keras.layers.InputLayer(")):
            built_by = "layers.InputLayer"
        elif "input_shape=" in lines[0]:
            built_by = "input_shape argument"
        else:
            built_by = "model.build(input_shape)"
            model.build(tuple(spec["input_shape"]))
        printed = capture(model)
        printed_76 = capture(model, line_length=76)
        narrow = (
            {str(n): capture(model, n) for n in NARROW_LINE_LENGTHS} if spec.get("narrow") else {}
        )
    case_warnings = sorted({str(w.message) for w in caught})

    assert model.built and model.name == "sequential", (spec["name"], model.name)
    input_shape = shape_list(model.inputs[0].shape)
    if "input_shape" in spec:
        assert input_shape == spec["input_shape"], (spec["name"], input_shape)
    recorded_layers = []
    in_totals = {id(weight) for weight in model.trainable_weights}
    for layer in model.layers:
        trainable = summary_utils.count_params(layer.trainable_weights)
        non_trainable = summary_utils.count_params(layer.non_trainable_weights)
        assert trainable + non_trainable == layer.count_params(), layer.name
        # what the totals count: a wrapper's trainable=False leaves its wrapped layer's
        # weights trainable, and in model.trainable_weights
        counted = [weight for weight in layer.weights if id(weight) in in_totals]
        recorded_layers.append(
            {
                "name": layer.name,
                "class": layer.__class__.__name__,
                "output_shape": shape_list(layer.output.shape),
                "params": int(layer.count_params()),
                "trainable": trainable,
                "non_trainable": non_trainable,
                "trainable_in_totals": summary_utils.count_params(counted),
            }
        )
    trainable = summary_utils.count_params(model.trainable_weights)
    non_trainable = summary_utils.count_params(model.non_trainable_weights)
    assert trainable + non_trainable == model.count_params()
    case: Case = {
        "framework": "keras",
        "name": spec["name"],
        "source": spec["source"],
        "input_shape": input_shape,
        "input_dtype": str(model.inputs[0].dtype),
        "built_by": built_by,
        "lines": lines,
        "layers": recorded_layers,
        "total": int(model.count_params()),
        "trainable": trainable,
        "non_trainable": non_trainable,
        "bytes": {
            "total": summary_utils.weight_memory_size(model.weights),
            "trainable": summary_utils.weight_memory_size(model.trainable_weights),
            "non_trainable": summary_utils.weight_memory_size(model.non_trainable_weights),
        },
        "printed": printed,
        "printed_76": printed_76,
        "warnings": case_warnings,
    }
    if narrow:
        case["narrow_printed"] = narrow

    if first_is_input:
        keras.utils.clear_session()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            objs = [eval(line, ns) for line in lines]
            x = objs[0]
            for layer in objs[1:]:
                x = layer(x)
            functional = keras.Model(objs[0], x)
            case["printed_functional"] = capture(functional)
    return case


def worker_keras(backend: str = "torch") -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = backend
    os.environ["COLUMNS"] = COLUMNS
    if backend == "jax":
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
    from importlib.metadata import version

    import keras

    assert keras.backend.backend() == backend, keras.backend.backend()
    keras.utils.set_random_seed(0)
    cases = [keras_record(keras, spec) for spec in KERAS_MODELS]
    notes = [
        "Recorded with KERAS_BACKEND=torch and COLUMNS=100 in the environment: "
        "print_summary's default line_length is min(88, shutil.get_terminal_size().columns "
        "- 4) = 88 for a Sequential (108 for a non-sequential functional model).",
        "model.summary(print_fn=f) calls f once with the whole captured text (ending in a "
        "newline); printed/printed_functional keep it verbatim.",
        "printed_76 is model.summary(line_length=76): the default when COLUMNS is unset and "
        "stdout is not a terminal, since shutil.get_terminal_size() then falls back to 80 "
        "columns and 80 - 4 = 76.",
        "narrow_printed (the cases marked narrow) is model.summary(line_length=n) for n in "
        f"{NARROW_LINE_LENGTHS}: rich wraps the header cells, and aligns them to the bottom "
        "(body cells to the top).",
        "keras.utils.clear_session() before each model: names are those of a fresh session "
        "(sequential, embedding, lstm, lstm_1, bidirectional, ...).",
        "A Sequential built from keras.Input / InputLayer / input_shape= / model.build() shows "
        "no InputLayer row; the functional form (printed_functional) shows 'input_layer "
        "(InputLayer)' with 0 params, or the Input's name= when given.",
    ]
    versions = {"keras": keras.__version__, "rich": version("rich")}
    return {"versions": versions, "notes": notes, "cases": cases}


def worker_keras_tensorflow() -> dict[str, Any]:
    return worker_keras("tensorflow")


def worker_keras_jax() -> dict[str, Any]:
    return worker_keras("jax")


# --------------------------------------------------------------------------------------------
# pytorch
# --------------------------------------------------------------------------------------------


def pytorch_record(spec: dict[str, Any]) -> Case:
    """Build one PyTorch model from its lines and record torchinfo's summary."""
    import torch
    import torch.nn.functional as F
    import torchinfo
    from torch import nn

    ns: dict[str, Any] = {"torch": torch, "nn": nn, "F": F}
    dtypes = {"float32": torch.float32, "int64": torch.int64}
    dtype_name = spec.get("input_dtype", "float32")

    class Chain(nn.Module):
        """Feeds each step's output to the next; out[0] of a tuple (RNN output, LSTMCell h)."""

        def __init__(self, steps: list[tuple[str, Any]]) -> None:
            super().__init__()
            self.steps = steps
            for i, (kind, step) in enumerate(steps):
                if kind == "module":
                    self.add_module(f"layer{i}", step)

        def forward(self, x: Any) -> Any:
            for _, step in self.steps:
                x = step(x)
                if isinstance(x, tuple):
                    x = x[0]
            return x

    torch.manual_seed(0)
    steps: list[tuple[str, Any]] = []
    for line in spec["lines"]:
        if line.startswith(("x[", "x.")):
            fn = eval(f"lambda x: {line}", ns)
            steps.append(("op", fn))
        else:
            module = eval(line, ns)
            assert isinstance(module, nn.Module), line
            steps.append(("module", module))
    model_cls = type(spec["model_class"], (Chain,), {})
    model = model_cls(steps)
    model.eval()

    # Output shape of every line (ops included), by running the chain once.
    x = torch.rand(*spec["input_shape"]).to(dtypes[dtype_name])
    step_records = []
    with torch.no_grad():
        for line, (kind, step) in zip(spec["lines"], steps, strict=True):
            x = step(x)
            if isinstance(x, tuple):
                x = x[0]
            step_records.append({"line": line, "kind": kind, "output_shape": list(x.shape)})

    stats = torchinfo.summary(
        model,
        input_size=tuple(spec["input_shape"]),
        dtypes=[dtypes[dtype_name]],
        device="cpu",
        verbose=0,
    )
    printed = str(stats)
    assert "\x1b" not in printed and " at 0x" not in printed
    # without an input torchinfo runs no forward pass: modules in the order they were made,
    # the Param # column only
    printed_no_input = str(torchinfo.summary(model, device="cpu", verbose=0))
    fmt = stats.formatting
    rows = []
    for info in stats.summary_list:
        if info.depth > fmt.max_depth:
            continue
        reached = info.depth == fmt.max_depth
        label = fmt.get_start_str(info.depth) + info.get_layer_name(
            fmt.show_var_name, fmt.show_depth
        )
        rows.append(
            {
                "label": label,
                "depth": info.depth,
                "depth_index": info.depth_index,
                "class": info.class_name,
                "is_leaf": info.is_leaf_layer,
                "output_shape": list(info.output_size),
                "params": info.num_params,
                "trainable": info.trainable_params,
                "params_str": info.num_params_to_str(reached),
                "buffers": sum(b.numel() for b in info.module.buffers()),
                "mult_adds": info.macs,
            }
        )
        assert label in printed, label
    numel = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert numel == stats.total_params and trainable == stats.trainable_params
    return {
        "framework": "pytorch",
        "name": spec["name"],
        "source": spec["source"],
        "model_class": spec["model_class"],
        "input_shape": list(spec["input_shape"]),
        "input_dtype": dtype_name,
        "lines": spec["lines"],
        "steps": step_records,
        "rows": rows,
        "total": stats.total_params,
        "trainable": stats.trainable_params,
        "non_trainable": stats.total_params - stats.trainable_params,
        "numel": numel,
        "buffers": sum(b.numel() for b in model.buffers()),
        "torchinfo": {
            "total_params": stats.total_params,
            "trainable_params": stats.trainable_params,
            "total_mult_adds": stats.total_mult_adds,
            "total_input_bytes": stats.total_input,
            "total_output_bytes": stats.total_output_bytes,
            "total_param_bytes": stats.total_param_bytes,
            "layer_name_width": fmt.layer_name_width,
            "col_width": fmt.col_width,
            "total_width": fmt.get_total_width(),
        },
        "printed": printed,
        "printed_no_input": printed_no_input,
    }


def worker_pytorch() -> dict[str, Any]:
    import torch
    import torchinfo

    torch.manual_seed(0)
    cases = [pytorch_record(spec) for spec in PYTORCH_MODELS]
    notes = [
        "printed = str(torchinfo.summary(model, input_size=input_shape, dtypes=[input_dtype], "
        "device='cpu', verbose=0)); with verbose=1 torchinfo print()s the same text.",
        "printed_no_input = str(torchinfo.summary(model, device='cpu', verbose=0)): no "
        "forward pass, so only the Param # column and no mult-adds or size lines.",
        "The model is an nn.Module subclass named model_class whose children are the line "
        "modules in order (depth 1, no nn.Sequential/ModuleList container), so torchinfo "
        "labels them 'Class: 1-k'; ops lines (x[...], x.permute) have no row.",
        "torchinfo's 'Input size (MB)' is sys.getsizeof(tensor.untyped_storage()) summed over "
        "the inputs: the storage's nbytes plus the Python object overhead "
        "(total_input_bytes records it).",
    ]
    return {
        "versions": {"torch": torch.__version__, "torchinfo": torchinfo.__version__},
        "notes": notes,
        "cases": cases,
    }


WORKERS: dict[str, Callable[[], dict[str, Any]]] = {
    "keras": worker_keras,
    "keras-tensorflow": worker_keras_tensorflow,
    "keras-jax": worker_keras_jax,
    "pytorch": worker_pytorch,
}


# --------------------------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------------------------


def check_keras_backends(cases: list[Case]) -> list[str]:
    """Rebuild the Keras models under the other backends; the summaries must be identical."""
    notes = []
    for backend in KERAS_CHECK_BACKENDS:
        print(f"checking keras with the {backend} backend ...", file=sys.stderr, flush=True)
        other = run_workers(__file__, [f"keras-{backend}"], WORKER_ENV)[f"keras-{backend}"]
        mine = {c["name"]: c for c in cases}
        for c in other["cases"]:
            for key in (
                "printed",
                "printed_76",
                "narrow_printed",
                "printed_functional",
                "layers",
                "total",
                "bytes",
            ):
                if c.get(key) != mine[c["name"]].get(key):
                    raise AssertionError(f"keras {backend}: {c['name']} differs in {key}")
        notes.append(
            f"Every Keras case was rebuilt with KERAS_BACKEND={backend} "
            f"(keras {other['versions']['keras']}): identical printed text, layers and totals."
        )
    return notes


def main(argv: list[str] | None = None) -> int:
    check = "skip rebuilding the Keras models under the tensorflow and jax backends"
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, check=check, argv=argv)
    if args is None:
        return 0  # a worker
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, args.selected, WORKER_ENV)
    for fw in args.selected:
        records.record(fw, results[fw])
        if fw == "keras" and args.check:
            records.notes[fw] += check_keras_backends(results[fw]["cases"])
    names = [(c["framework"], c["name"]) for c in records.all_cases()]
    if len(names) != len(set(names)):
        raise AssertionError("duplicate case names")
    write_records(args.out, __file__, records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
