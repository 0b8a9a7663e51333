#!/usr/bin/env python3
"""Record what Keras 3 prints for functional models: branches, merges, shared layers, nested
models, several inputs and outputs, tensor operators, masks, and the models it refuses.

The output, ``tests/data/keras_graphs.json``, is the ground truth for the Keras graph reader
of sphinxcontrib-lstmparams (``model-summary`` with a functional model's cell as its body).
The tool reads each cell without running it; here each cell is *run*, for real, in Keras 3
(``KERAS_BACKEND=torch``, ``COLUMNS=250`` so that Keras' default widths, 88 and 108, are not
cut to the terminal's), and what Keras says of the model is kept:

* ``layers``: each row Keras lists (``model.layers``, or the operations of a functional
  model, ``InputLayer`` and tensor operators included), with its class, its output shapes (of
  its last call, as Keras prints them), its count and trainable count, its "Connected to"
  entries, and for a nested model its own rows (``layers`` again);
* ``total``, ``trainable``, ``non_trainable`` and ``printed``: ``model.summary()`` as the
  cell calls it (its ``line_length``, ``expand_nested``, ``show_trainable``), captured with
  ``print_fn``; ``printed_at``: the same at other settings (``variants`` of the case, and 76,
  the width of an 80-column terminal, for every case);
* ``refused``: for a cell Keras refuses, the error's type, its first line, and the line of
  the cell that raised it.

``fuzz`` cases are random functional graphs (seeded, so a rerun writes the same file): inputs,
layers, merges of tensors whose shapes meet, a layer called twice, a nested ``Sequential``;
each is written as code, run, and recorded as above.

Frameworks (``framework`` of a case), each in a fresh subprocess (scripts/recording.py):

* ``keras``      Keras 3 on the torch backend: every case but the subclassed models;
* ``keras-jax``  Keras 3 on the JAX backend: the subclassed models, whose rows show the shapes
                 their layers were built for, which the torch backend builds for its
                 placeholder batch of 83 (``(83, 20, 8)``) where JAX and TensorFlow keep None.

Setup: the framework venv of scripts/record_framework_counts.py::

    /work/fwvenv/bin/python scripts/record_keras_graphs.py
    /work/fwvenv/bin/python scripts/record_keras_graphs.py --framework keras-jax
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "keras_graphs.json"
FRAMEWORKS = ("keras", "keras-jax")
WORKER_ENV = {"COLUMNS": "250"}
FUZZ_CASES = 20
FUZZ_SEED = 20

Case = dict[str, Any]

# -- cells as their sources write them ------------------------------------------------------------

SEQ2SEQ = """\
import numpy as np
import keras
import os
from pathlib import Path

batch_size = 64  # Batch size for training.
epochs = 100  # Number of epochs to train for.
latent_dim = 256  # Latent dimensionality of the encoding space.
num_samples = 10000  # Number of samples to train on.

# Define an input sequence and process it.
encoder_inputs = keras.Input(shape=(None, num_encoder_tokens))
encoder = keras.layers.LSTM(latent_dim, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)

# We discard `encoder_outputs` and only keep the states.
encoder_states = [state_h, state_c]

# Set up the decoder, using `encoder_states` as initial state.
decoder_inputs = keras.Input(shape=(None, num_decoder_tokens))

# We set up our decoder to return full output sequences,
# and to return internal states as well. We don't use the
# return states in the training model, but we will use them in inference.
decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = keras.layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

# Define the model that will turn
# `encoder_input_data` & `decoder_input_data` into `decoder_target_data`
model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)

model.compile(
    optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"]
)
model.summary()
"""

FUNCTIONAL_GUIDE = """\
import keras
from keras import layers

num_tags = 12  # Number of unique issue tags
num_words = 10000  # Size of vocabulary obtained when preprocessing text data
num_departments = 4  # Number of departments for predictions

title_input = keras.Input(
    shape=(None,), name="title"
)  # Variable-length sequence of ints
body_input = keras.Input(shape=(None,), name="body")  # Variable-length sequence of ints
tags_input = keras.Input(
    shape=(num_tags,), name="tags"
)  # Binary vectors of size `num_tags`

# Embed each word in the title into a 64-dimensional vector
title_features = layers.Embedding(num_words, 64)(title_input)
# Embed each word in the text into a 64-dimensional vector
body_features = layers.Embedding(num_words, 64)(body_input)

# Reduce sequence of embedded words in the title into a single 128-dimensional vector
title_features = layers.LSTM(128)(title_features)
# Reduce sequence of embedded words in the body into a single 32-dimensional vector
body_features = layers.LSTM(32)(body_features)

# Merge all available features into a single large vector via concatenation
x = layers.concatenate([title_features, body_features, tags_input])

# Stick a logistic regression for priority prediction on top of the features
priority_pred = layers.Dense(1, name="priority")(x)
# Stick a department classifier on top of the features
department_pred = layers.Dense(num_departments, name="department")(x)

# Instantiate an end-to-end model predicting both priority and department
model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs={"priority": priority_pred, "department": department_pred},
)
model.summary()
"""

SIAMESE_LSTM = """\
from keras.layers import Input, Embedding, LSTM, Dense, Dot
from keras.models import Model

max_len = 30
vocab_size = 5000
embedding_dim = 64

left_input = Input(shape=(max_len,), dtype="int32", name="left")
right_input = Input(shape=(max_len,), dtype="int32", name="right")

embedding = Embedding(vocab_size, embedding_dim)
shared_lstm = LSTM(50)

left_output = shared_lstm(embedding(left_input))
right_output = shared_lstm(embedding(right_input))

similarity = Dot(axes=1, normalize=True)([left_output, right_output])
prediction = Dense(1, activation="sigmoid")(similarity)

model = Model(inputs=[left_input, right_input], outputs=prediction, name="siamese")
model.summary()
"""

SIAMESE_SEQUENTIAL = """\
import keras
from keras import layers

encoder = keras.Sequential(
    [
        keras.Input(shape=(20, 8)),
        layers.Bidirectional(layers.GRU(16)),
        layers.Dense(16, activation="relu"),
    ],
    name="encoder",
)

first = keras.Input(shape=(20, 8))
second = keras.Input(shape=(20, 8))
distance = layers.subtract([encoder(first), encoder(second)])
score = layers.Dense(1, activation="sigmoid")(distance)
model = keras.Model([first, second], score)
model.summary()
"""

RESIDUAL_LSTM = """\
import keras
from keras import layers

inputs = keras.Input(shape=(50, 32))
x = layers.LSTM(32, return_sequences=True)(inputs)
y = layers.LSTM(32, return_sequences=True)(x)
x = layers.add([x, y])
y = layers.LSTM(32, return_sequences=True)(x)
x = layers.Add()([x, y])
x = layers.LayerNormalization()(x)
outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling1D()(x))
model = keras.Model(inputs, outputs, name="residual_lstm")
model.summary()
"""

NESTED_ENCODER = """\
import keras
from keras import layers

encoder = keras.Sequential(
    [layers.Embedding(10000, 64), layers.LSTM(64)], name="text_encoder"
)
inputs = keras.Input(shape=(None,), dtype="int32")
features = encoder(inputs)
outputs = layers.Dense(1, activation="sigmoid")(features)
model = keras.Model(inputs, outputs, name="classifier")
model.summary(expand_nested=True)
"""

NESTED_FUNCTIONAL = """\
import keras
from keras import layers

encoder_input = keras.Input(shape=(28, 28), name="img")
x = layers.LSTM(32, return_sequences=True)(encoder_input)
encoder_output = layers.LSTM(16)(x)
encoder = keras.Model(encoder_input, encoder_output, name="encoder")

decoder_input = keras.Input(shape=(16,), name="encoded_img")
x = layers.RepeatVector(28)(decoder_input)
x = layers.LSTM(32, return_sequences=True)(x)
decoder_output = layers.TimeDistributed(layers.Dense(28))(x)
decoder = keras.Model(decoder_input, decoder_output, name="decoder")

autoencoder_input = keras.Input(shape=(28, 28), name="img")
encoded_img = encoder(autoencoder_input)
decoded_img = decoder(encoded_img)
autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")
autoencoder.summary()
"""

SEQUENTIAL_OF_MODELS = """\
import keras
from keras import layers

inner = keras.Sequential([keras.Input((10, 4)), layers.GRU(8, return_sequences=True)])
model = keras.Sequential([inner, layers.LSTM(4), layers.Dense(1)], name="stacked")
model.summary(expand_nested=True)
"""

DEEP_NESTING = """\
import keras
from keras import layers

block = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(8)], name="block")
a = keras.Input((8,))
middle = keras.Model(a, layers.add([a, block(a)]), name="middle")
b = keras.Input((8,))
outer = keras.Model(b, layers.Dense(2)(middle(b)), name="outer")
outer.summary(expand_nested=True, show_trainable=True)
"""

SEVERAL_OUTPUTS = """\
import keras
from keras import layers

tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
x = layers.Embedding(2000, 32)(tokens)
forward, backward = layers.Bidirectional(
    layers.LSTM(16, return_sequences=True), merge_mode=None
)(x)
seq, h, c = layers.LSTM(24, return_sequences=True, return_state=True)(forward)
out, h_f, c_f, h_b, c_b = layers.Bidirectional(layers.LSTM(8, return_state=True))(backward)
gru_out, gru_h = layers.GRU(12, return_state=True)(seq, initial_state=layers.Dense(12)(h))
states = layers.concatenate([h_f, c_f, h_b, c_b, gru_h], name="states")
model = keras.Model(
    inputs=tokens,
    outputs=[out, states, gru_out],
    name="several_outputs",
)
model.summary()
"""

MERGES = """\
import keras
from keras import layers

a = keras.Input(shape=(10, 8))
b = keras.Input(shape=(10, 8))
c = keras.Input(shape=(6, 8))
x = layers.Dense(8)(a)
outputs = [
    layers.concatenate([a, b]),
    layers.Concatenate(axis=1)([a, b, c]),
    layers.add([a, b, x]),
    layers.Add()([a, x]),
    layers.subtract([a, b]),
    layers.Subtract()([b, a]),
    layers.multiply([a, b]),
    layers.Multiply()([a, b]),
    layers.average([a, b, x]),
    layers.Average()([a, b]),
    layers.maximum([a, b]),
    layers.Maximum()([a, b]),
    layers.minimum([a, b]),
    layers.Minimum()([a, b]),
    layers.dot([a, c], axes=2),
    layers.Dot(axes=(1, 1))([a, b]),
    layers.Dot(axes=-1, normalize=True)([layers.Flatten()(a), layers.Flatten()(b)]),
]
model = keras.Model([a, b, c], outputs)
model.summary()
"""

TENSOR_OPERATORS = """\
import keras
from keras import layers

a = keras.Input(shape=(12, 4))
b = keras.Input(shape=(12, 4))
x = layers.LSTM(4, return_sequences=True)(a)
total = a + b
scaled = 2 * x - total
halved = -scaled / 2
last = halved[:, -1, :]
first = x[:, 0]
product = last * first
model = keras.Model([a, b], [product, total[:, 2:, :2] ** 2])
model.summary()
"""

MASKS = """\
import keras
from keras import layers

tokens = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(5000, 32, mask_zero=True)(tokens)
x = layers.LSTM(32, return_sequences=True)(x)
x = layers.Dropout(0.2)(x)
x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
pooled = layers.GlobalMaxPooling1D()(x)
last = layers.GRU(8)(x, mask=None)
model = keras.Model(tokens, layers.concatenate([pooled, last]))
model.summary()
"""

CALL_ARGUMENTS = """\
import keras
from keras import layers

sequence = keras.Input((7, 3), name="sequence")
valid = keras.Input((7,), dtype="bool", name="valid")
h = keras.Input((4,), name="h")
c = keras.Input((4,), name="c")
lstm = layers.LSTM(4, return_sequences=True)
first = lstm(sequence, mask=valid, initial_state=[h, c])
second = lstm(first, initial_state=[h, c])
model = keras.Model([sequence, valid, h, c], [first, second])
model.summary()
"""

LINEAR_FUNCTIONAL = """\
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(20000, 128)(inputs)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(64))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()
"""

FROZEN = """\
import keras
from keras import layers

inputs = keras.Input(shape=(40,), dtype="int32")
embedded = layers.Embedding(1000, 16, trainable=False)(inputs)
branch_a = layers.LSTM(8)(embedded)
branch_b = layers.GRU(8)(embedded)
merged = layers.concatenate([branch_a, branch_b])
outputs = layers.Dense(3)(merged)
model = keras.Model(inputs=inputs, outputs=outputs, name="two_branches")
model.summary(show_trainable=True)
"""

KEYWORD_FORMS = """\
import tensorflow as tf

inp = tf.keras.layers.Input(shape=(16, 4), name="series")
context = tf.keras.layers.Input(shape=(3,), name="context")
x = tf.keras.layers.Conv1D(8, 3, padding="same", activation="relu")(inp)
x = tf.keras.layers.MaxPooling1D(2)(x)
x = tf.keras.layers.LSTM(16)(x)
x = tf.keras.layers.Concatenate()([x, context])
out = tf.keras.layers.Dense(1)(x)
model = tf.keras.models.Model(inputs=[inp, context], outputs=[out], name="forecaster")
model.summary(line_length=120)
"""

QUESTION_ANSWER = """\
import keras
from keras import layers

question = keras.Input(shape=(None,), dtype="int32", name="question")
answer = keras.Input(shape=(None,), dtype="int32", name="answer")

embed = layers.Embedding(10000, 64)
encoder = layers.Bidirectional(layers.LSTM(32))
q = encoder(embed(question))
a = encoder(embed(answer))

merged = layers.concatenate([q, a, layers.multiply([q, a])])
hidden = layers.Dense(64, activation="relu")(merged)
score = layers.Dense(1, activation="sigmoid", name="score")(hidden)
topic = layers.Dense(5, activation="softmax", name="topic")(q)

model = keras.Model(inputs=[question, answer], outputs=[score, topic], name="qa_matcher")
model.summary(line_length=76)
"""

SHARED_AND_NESTED = """\
import keras
from keras import layers

tokens = keras.Input(shape=(None,), dtype="int32")
encoder = keras.Sequential([layers.Embedding(1000, 16), layers.LSTM(8)], name="encoder")
shared = layers.Dense(4)
a = shared(encoder(tokens))
b = shared(layers.GRU(8)(layers.Embedding(1000, 16)(tokens)))
model = keras.Model(tokens, layers.concatenate([a, b]))
model.summary(expand_nested=True)
"""

NESTED_OTHER_SHAPE = """\
import keras
from keras import layers

inner_input = keras.Input(shape=(None, 8))
inner = keras.Model(inner_input, layers.LSTM(4, return_sequences=True)(inner_input), name="inner")
stack = keras.Sequential([keras.Input((None, 4)), layers.Dense(3)], name="stack")
x = keras.Input(shape=(20, 8))
y = stack(inner(x))
z = layers.Flatten()(y)
model = keras.Model(x, z)
model.summary(expand_nested=True)
"""

ATTENTION_SEQ2SEQ = """\
import keras
from keras import layers

encoder_inputs = keras.Input(shape=(None,), dtype="int32", name="source")
decoder_inputs = keras.Input(shape=(None,), dtype="int32", name="target")
encoded = layers.Embedding(5000, 64)(encoder_inputs)
encoder_seq, state_h, state_c = layers.LSTM(128, return_sequences=True, return_state=True)(encoded)
decoded = layers.Embedding(5000, 64)(decoder_inputs)
decoder_seq = layers.LSTM(128, return_sequences=True)(decoded, initial_state=[state_h, state_c])
context = layers.Attention()([decoder_seq, encoder_seq])
merged = layers.Concatenate()([decoder_seq, context])
outputs = layers.TimeDistributed(layers.Dense(5000, activation="softmax"))(merged)
model = keras.Model([encoder_inputs, decoder_inputs], outputs, name="attention_seq2seq")
model.summary()
"""

ATTENTION_MASKS = """\
import keras
from keras import layers

tokens = keras.Input((None,), dtype="int32")
x = layers.Embedding(1000, 32, mask_zero=True)(tokens)
seq = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
attended, scores = layers.MultiHeadAttention(num_heads=2, key_dim=16)(
    seq, seq, return_attention_scores=True
)
additive = layers.AdditiveAttention()([seq, attended])
pooled = layers.GlobalAveragePooling1D()(additive)
model = keras.Model(tokens, [pooled, scores])
model.summary()
"""

KERAS2_GUIDE = """\
from keras.layers import Input, Embedding, LSTM, Dense, concatenate
from keras.models import Model

main_input = Input(shape=(100,), dtype='int32', name='main_input')
x = Embedding(output_dim=512, input_dim=10000, input_length=100)(main_input)
lstm_out = LSTM(32)(x)
auxiliary_output = Dense(1, activation='sigmoid', name='aux_output')(lstm_out)
auxiliary_input = Input(shape=(5,), name='aux_input')
x = concatenate([lstm_out, auxiliary_input])
x = Dense(64, activation='relu')(x)
x = Dense(64, activation='relu')(x)
x = Dense(64, activation='relu')(x)
main_output = Dense(1, activation='sigmoid', name='main_output')(x)
model = Model(inputs=[main_input, auxiliary_input], outputs=[main_output, auxiliary_output])
model.summary()
"""

CELLS: list[dict[str, Any]] = [
    {
        "name": "keras2-guide-multi-input-output",
        "source": "Keras 2 docs, 'Getting started with the Keras functional API': multi-input "
        "and multi-output models (Embedding's input_length, which Keras 3 ignores)",
        "code": KERAS2_GUIDE,
        "variants": [{"line_length": 100}],
    },
    {
        "name": "attention-seq2seq",
        "source": "synthetic, after the keras.io seq2seq with Luong attention pattern: "
        "Attention over the encoder LSTM's outputs, the decoder started from its states",
        "code": ATTENTION_SEQ2SEQ,
        "variants": [{"line_length": 140}],
    },
    {
        "name": "attention-layers-and-masks",
        "source": "synthetic: MultiHeadAttention on several positional tensors with its scores, "
        "AdditiveAttention on a list, and the masks they are given",
        "code": ATTENTION_MASKS,
        "variants": [],
    },
    {
        "name": "nested-called-on-other-shapes",
        "source": "synthetic: nested models built for (None, None, ...) called on sequences of "
        "20 steps: their rows give the shapes of the call, their own layers those they were "
        "built with",
        "code": NESTED_OTHER_SHAPE,
        "variants": [],
    },
    {
        "name": "question-answer-shared-encoder",
        "source": "synthetic, for docs/models.rst: two inputs through one shared Embedding and "
        "Bidirectional LSTM, a branch to a second output",
        "code": QUESTION_ANSWER,
        "variants": [{"line_length": 108}, {"show_trainable": True}],
    },
    {
        "name": "shared-dense-nested-encoder",
        "source": "synthetic: a Sequential encoder without an Input and a Dense shared by two "
        "branches",
        "code": SHARED_AND_NESTED,
        "variants": [{"expand_nested": False}],
    },
    {
        "name": "seq2seq-character-keras-io",
        "source": "keras.io examples/nlp/lstm_seq2seq.py (Keras 3, last modified 2023/11/22): "
        "the configuration and 'Build the model'; its data has 71 input and 93 output "
        "characters (the example's printed output)",
        "define": {"num_encoder_tokens": 71, "num_decoder_tokens": 93},
        "code": SEQ2SEQ,
        "variants": [{"line_length": 120}, {"show_trainable": True}],
    },
    {
        "name": "functional-guide-ticket-model",
        "source": "keras.io guides/functional_api.py: 'Models with multiple inputs and outputs'",
        "code": FUNCTIONAL_GUIDE,
        "variants": [{"line_length": 90}, {"line_length": 150}],
    },
    {
        "name": "siamese-shared-lstm",
        "source": "synthetic, after the Siamese LSTM (MaLSTM) pattern: one Embedding and one "
        "LSTM called on both sentences, cosine similarity by Dot(normalize=True)",
        "code": SIAMESE_LSTM,
        "variants": [{"line_length": 60}],
    },
    {
        "name": "siamese-shared-sequential",
        "source": "synthetic: a Sequential encoder called on two inputs, subtract",
        "code": SIAMESE_SEQUENTIAL,
        "variants": [{"expand_nested": True}, {"expand_nested": True, "line_length": 90}],
    },
    {
        "name": "residual-lstm",
        "source": "synthetic: residual connections around stacked LSTMs, add and Add",
        "code": RESIDUAL_LSTM,
        "variants": [{"line_length": 100}],
    },
    {
        "name": "nested-sequential-encoder",
        "source": "synthetic: a Sequential without an Input used as a layer of a functional "
        "model (built on its first call)",
        "code": NESTED_ENCODER,
        "variants": [{"expand_nested": False}, {"show_trainable": True, "expand_nested": True}],
    },
    {
        "name": "nested-functional-autoencoder",
        "source": "keras.io guides/functional_api.py 'All models are callable, just like "
        "layers', with LSTMs for the convolutions",
        "code": NESTED_FUNCTIONAL,
        "variants": [{"expand_nested": True}, {"expand_nested": True, "line_length": 80}],
    },
    {
        "name": "sequential-of-models",
        "source": "synthetic: a Sequential whose first layer is a Sequential",
        "code": SEQUENTIAL_OF_MODELS,
        "variants": [{"expand_nested": False}],
    },
    {
        "name": "nested-two-levels",
        "source": "synthetic: a Sequential in a Model in a Model",
        "code": DEEP_NESTING,
        "variants": [{"expand_nested": True}, {"expand_nested": False}],
    },
    {
        "name": "several-outputs",
        "source": "synthetic: merge_mode=None, return_state on LSTM, Bidirectional and GRU, "
        "initial_state, a named merge, several outputs",
        "code": SEVERAL_OUTPUTS,
        "variants": [{"line_length": 140}],
    },
    {
        "name": "merges",
        "source": "synthetic: every merge, as a function and as a class",
        "code": MERGES,
        "variants": [],
    },
    {
        "name": "tensor-operators",
        "source": "synthetic: Python operators on Keras tensors, which Keras 3 makes operations",
        "code": TENSOR_OPERATORS,
        "variants": [],
    },
    {
        "name": "masks",
        "source": "synthetic: Embedding(mask_zero=True): its NotEqual and the layers that "
        "take the mask; mask=None stops it",
        "code": MASKS,
        "variants": [],
    },
    {
        "name": "call-arguments",
        "source": "synthetic: mask= and initial_state= given as tensors; one layer called twice",
        "code": CALL_ARGUMENTS,
        "variants": [],
    },
    {
        "name": "linear-functional",
        "source": "keras.io examples/nlp/bidirectional_lstm_imdb.py, with tensorflow.keras "
        "imports: a chain, which Keras prints without Connected to",
        "code": LINEAR_FUNCTIONAL,
        "variants": [{"show_trainable": True}],
    },
    {
        "name": "frozen-branches",
        "source": "synthetic: a frozen Embedding feeding two branches; show_trainable",
        "code": FROZEN,
        "variants": [{"show_trainable": False}, {"line_length": 80}],
    },
    {
        "name": "keyword-forms",
        "source": "synthetic: tf.keras.layers.Input, Concatenate(), "
        "tf.keras.models.Model(inputs=[...], outputs=[...], name=...)",
        "code": KEYWORD_FORMS,
        "variants": [],
    },
]

SUBCLASSED_CLASSIFIER = """\
import keras
from keras import layers


class SentimentModel(keras.Model):
    def __init__(self, vocab_size=10000, units=64, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab_size, 128)
        self.lstm = layers.Bidirectional(layers.LSTM(units, return_sequences=True))
        self.pool = layers.GlobalMaxPooling1D()
        self.dropout = layers.Dropout(0.5)
        self.classifier = layers.Dense(1, activation="sigmoid")

    def call(self, inputs, training=False):
        x = self.embedding(inputs)
        x = self.lstm(x)
        x = self.pool(x)
        x = self.dropout(x, training=training)
        return self.classifier(x)


model = SentimentModel(units=32)
model(keras.Input(shape=(200,), dtype="int32"))
model.summary()
"""

SUBCLASSED_LAYERS = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(100, 8)
        self.conv = layers.Conv1D(4, 3, padding="same")
        self.pool = layers.MaxPooling1D(2)
        self.drop = layers.Dropout(0.1)
        self.flat = layers.Flatten()
        self.rep = layers.RepeatVector(2)
        self.reshape = layers.Reshape((2, 40))
        self.act = layers.Activation("relu")
        self.cat = layers.Concatenate()
        self.norm = layers.LayerNormalization()
        self.blocks = [layers.Dense(5), layers.Dense(5)]
        self.unused = layers.Dense(3)

    def call(self, x):
        x = self.pool(self.conv(self.embed(x)))
        x = self.drop(x)
        f = self.flat(x)
        r = self.act(self.reshape(self.rep(f)))
        c = self.norm(self.cat([r, r]))
        for block in self.blocks:
            c = block(c)
        return c


model = Net(name="net")
model(keras.Input((20,)))
model.summary()
"""

SUBCLASSED_BUILD = """\
import tensorflow as tf


class Forecaster(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.lstm = tf.keras.layers.LSTM(32)
        self.out = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.lstm(x))


model = Forecaster()
model.build(input_shape=(None, 24, 7))
model.summary()
"""

SUBCLASSED_NESTED = """\
import keras
from keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.dense(x))


class Encoder(keras.Model):
    def __init__(self, units, depth=2):
        super().__init__(name="encoder")
        self.lstm = layers.LSTM(units, return_sequences=True)
        self.blocks = [ResidualBlock(units) for _ in range(depth)]

    def call(self, x):
        x = self.lstm(x)
        for block in self.blocks:
            x = block(x)
        return x


inputs = keras.Input(shape=(30, 6))
x = Encoder(16)(inputs)
x = ResidualBlock(16, name="head_block")(x)
outputs = layers.Dense(3)(layers.GlobalAveragePooling1D()(x))
model = keras.Model(inputs, outputs)
model.summary(expand_nested=True)
"""

SUBCLASSED: list[dict[str, Any]] = [
    {
        "name": "subclassed-classifier",
        "source": "synthetic, after the keras.io 'Making new layers and models via "
        "subclassing' guide: layers in __init__, used in call; built by a call on keras.Input",
        "code": SUBCLASSED_CLASSIFIER,
        "variants": [],
    },
    {
        "name": "subclassed-layer-kinds",
        "source": "synthetic: which layers record the shape they are built for (? for the "
        "ones built when made), a list of layers, a layer never called",
        "code": SUBCLASSED_LAYERS,
        "variants": [],
    },
    {
        "name": "subclassed-build-only",
        "source": "synthetic: model.build(input_shape) on a subclassed model, which Keras 3 "
        "leaves unbuilt",
        "code": SUBCLASSED_BUILD,
        "variants": [],
    },
    {
        "name": "subclassed-in-functional",
        "source": "synthetic: a custom Layer and a subclassed Model (super().__init__(name=...)) "
        "as layers of a functional model; expand_nested opens the model, not the layer",
        "code": SUBCLASSED_NESTED,
        "variants": [{"expand_nested": False}],
    },
]

# models Keras refuses to build: the error, and the line that raises it
REFUSED: list[dict[str, Any]] = [
    {
        "name": "refused-concatenate-shapes",
        "source": "synthetic: concatenate along the last axis of sequences of other lengths",
        "code": "import keras\nfrom keras import layers\n\na = keras.Input((10, 8))\n"
        "b = keras.Input((5, 8))\nx = layers.concatenate([a, b])\n"
        "model = keras.Model([a, b], x)\n",
    },
    {
        "name": "refused-add-shapes",
        "source": "synthetic: add of tensors of different widths",
        "code": "import keras\nfrom keras import layers\n\na = keras.Input((8,))\n"
        "x = layers.Dense(4)(a)\ny = layers.add([a, x])\nmodel = keras.Model(a, y)\n",
    },
    {
        "name": "refused-lstm-rank",
        "source": "synthetic: an LSTM called on a vector",
        "code": "import keras\nfrom keras import layers\n\na = keras.Input((8,))\n"
        "x = layers.Dense(4)(a)\ny = layers.LSTM(4)(x)\nmodel = keras.Model(a, y)\n",
    },
    {
        "name": "refused-shared-width",
        "source": "synthetic: a Dense made for 8 features called again on 4",
        "code": "import keras\nfrom keras import layers\n\na = keras.Input((8,))\n"
        "b = keras.Input((4,))\ndense = layers.Dense(2)\nx = dense(a)\ny = dense(b)\n"
        "model = keras.Model([a, b], [x, y])\n",
    },
    {
        "name": "refused-disconnected",
        "source": "synthetic: an output that does not come from the model's inputs",
        "code": "import keras\nfrom keras import layers\n\na = keras.Input((8,))\n"
        "b = keras.Input((8,))\ny = layers.Dense(2)(b)\nmodel = keras.Model(a, y)\n",
    },
    {
        "name": "refused-dot-axes",
        "source": "synthetic: dot over axes of different sizes",
        "code": "import keras\nfrom keras import layers\n\na = keras.Input((10, 8))\n"
        "b = keras.Input((6, 4))\nx = layers.Dot(axes=2)([a, b])\nmodel = keras.Model([a, b], x)\n",
    },
]


# -- random graphs --------------------------------------------------------------------------------


class _Graph:
    """Code for a random functional model, with the shapes each tensor has (no batch axis)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines = ["import keras", "from keras import layers", ""]
        self.tensors: dict[str, tuple[int, ...]] = {}
        self.used: set[str] = set()
        self.shared: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = []  # var, in, out
        self.count = 0

    def new(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def add(self, name: str, shape: tuple[int, ...], code: str) -> None:
        self.lines.append(f"{name} = {code}")
        self.tensors[name] = shape

    def layer(self) -> None:
        rng = self.rng
        name, shape = rng.choice(sorted(self.tensors.items()))
        self.used.add(name)
        width = rng.choice([4, 6, 8])
        out = self.new("x")
        if len(shape) == 2 and rng.random() < 0.7:
            kind = rng.choice(["LSTM", "GRU", "SimpleRNN", "Bidirectional", "Conv1D"])
            sequences = rng.random() < 0.5
            if kind == "Conv1D":
                self.add(out, (*shape[:1], width),
                         f'layers.Conv1D({width}, 3, padding="same")({name})')  # fmt: skip
                return
            inner = f"layers.{'LSTM' if kind == 'Bidirectional' else kind}({width}"
            inner += ", return_sequences=True)" if sequences else ")"
            made = f"layers.Bidirectional({inner})" if kind == "Bidirectional" else inner
            size = width * (2 if kind == "Bidirectional" else 1)
            result = (shape[0], size) if sequences else (size,)
            if rng.random() < 0.25:  # made once, called later (and maybe again)
                var = self.new("layer")
                self.lines.append(f"{var} = {made}")
                self.shared.append((var, shape, result))
                self.add(out, result, f"{var}({name})")
            else:
                self.add(out, result, f"{made}({name})")
            return
        kind = rng.choice(["Dense", "Dense", "Dropout", "LayerNormalization"])
        if kind == "Dense":
            if rng.random() < 0.3:
                var = self.new("layer")
                self.lines.append(f"{var} = layers.Dense({width})")
                self.shared.append((var, shape, (*shape[:-1], width)))
                self.add(out, (*shape[:-1], width), f"{var}({name})")
            else:
                self.add(out, (*shape[:-1], width), f"layers.Dense({width})({name})")
        elif kind == "Dropout":
            self.add(out, shape, f"layers.Dropout(0.1)({name})")
        else:
            self.add(out, shape, f"layers.LayerNormalization()({name})")

    def merge(self) -> bool:
        rng = self.rng
        by_shape: dict[tuple[int, ...], list[str]] = {}
        for name, shape in sorted(self.tensors.items()):
            by_shape.setdefault(shape, []).append(name)
        groups = [names for names in by_shape.values() if len(names) > 1]
        kind = rng.choice(["add", "multiply", "average", "maximum", "minimum", "subtract",
                           "concatenate", "Concatenate", "Add"])  # fmt: skip
        if kind in ("concatenate", "Concatenate"):
            ranks: dict[tuple[int, ...], list[str]] = {}
            for name, shape in sorted(self.tensors.items()):
                ranks.setdefault(shape[:-1], []).append(name)
            groups = [names for names in ranks.values() if len(names) > 1]
        if not groups:
            return False
        group = rng.choice(groups)
        count = 2 if kind == "subtract" else rng.randint(2, min(3, len(group)))
        chosen = rng.sample(group, count)
        self.used.update(chosen)
        out = self.new("m")
        listed = ", ".join(chosen)
        first = self.tensors[chosen[0]]
        if kind in ("concatenate", "Concatenate"):
            width = sum(self.tensors[name][-1] for name in chosen)
            call = "layers.concatenate" if kind == "concatenate" else "layers.Concatenate()"
            self.add(out, (*first[:-1], width), f"{call}([{listed}])")
        elif kind == "Add":
            self.add(out, first, f"layers.Add()([{listed}])")
        else:
            self.add(out, first, f"layers.{kind}([{listed}])")
        return True

    def reuse(self) -> bool:
        """A layer made earlier, called again on another tensor of the shape it was made for."""
        for var, shape, result in self.rng.sample(self.shared, len(self.shared)):
            fits = [n for n, s in sorted(self.tensors.items())
                    if s == shape and not self.lines[-1].endswith(f"{var}({n})")]  # fmt: skip
            if fits:
                name = self.rng.choice(fits)
                self.used.add(name)
                self.add(self.new("s"), result, f"{var}({name})")
                return True
        return False

    def nested(self) -> None:
        """A small Sequential, called as a layer."""
        name, shape = self.rng.choice(sorted(self.tensors.items()))
        self.used.add(name)
        width = self.rng.choice([3, 5])
        var = self.new("block")
        self.lines.append(
            f"{var} = keras.Sequential([layers.Dense({width}), layers.Dense({width})], "
            f'name="{var}")'
        )
        out = self.new("n")
        self.add(out, (*shape[:-1], width), f"{var}({name})")


def fuzz_cells(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cells = []
    for number in range(count):
        graph = _Graph(rng)
        inputs = []
        for index in range(rng.randint(1, 3)):
            shape = rng.choice([(10, 4), (10, 6), (8,), (6,)])
            name = f"input{index}"
            sizes = ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "")
            graph.add(name, shape, f"keras.Input(shape=({sizes}))")
            inputs.append(name)
        for _step in range(rng.randint(3, 9)):
            roll = rng.random()
            if roll < 0.25 and graph.merge():
                continue
            if roll < 0.4 and graph.shared and graph.reuse():
                continue
            if roll < 0.48:
                graph.nested()
                continue
            graph.layer()
        for name in inputs:  # an input nothing reads: give it a Dense, so the model uses it
            if name not in graph.used:
                graph.used.add(name)
                out = graph.new("x")
                graph.add(out, (*graph.tensors[name][:-1], 2), f"layers.Dense(2)({name})")
        outputs = [name for name in graph.tensors if name not in graph.used]
        graph.lines.append(f"model = keras.Model([{', '.join(inputs)}], [{', '.join(outputs)}])")
        graph.lines.append("model.summary()")
        cells.append(
            {
                "name": f"fuzz-{number:02d}",
                "source": f"generated (seed {seed}, graph {number})",
                "code": "\n".join(graph.lines) + "\n",
                "variants": [],
            }
        )
    return cells


# -- recording ------------------------------------------------------------------------------------


def shape_list(shape: Any) -> list[Any]:
    return [None if d is None else int(d) for d in shape]


def _connections(layer: Any, relevant: list[Any] | None) -> list[str]:
    """summary_utils.print_summary's get_connections, as a list."""
    found = []
    for node in layer._inbound_nodes:
        if relevant and node not in relevant:
            continue
        for tensor in node.input_tensors:
            history = tensor._keras_history
            found.append(f"{history.operation.name}[{history.node_index}][{history.tensor_index}]")
    return found


def _rows(keras: Any, model: Any, summary_utils: Any, relevant: list[Any] | None) -> list[Case]:
    """What Keras lists for ``model``: the operations of a functional model, else its layers."""
    functional = isinstance(model, keras.src.models.Functional) and not isinstance(
        model, keras.Sequential
    )
    listed = model._operations if functional else model.layers
    rows = []
    for layer in listed:
        row: Case = {"name": layer.name, "class": layer.__class__.__name__}
        if layer._inbound_nodes:
            outputs = layer._inbound_nodes[-1].output_tensors
            row["output_shapes"] = [shape_list(t.shape) for t in outputs]
        else:
            row["output_shapes"] = None
        shown = summary_utils.format_layer_shape(layer)
        row["shown_shape"] = re.sub(r"\[color\(\d+\)\]|\[/\]", "", shown)
        row["unbuilt"] = hasattr(layer, "built") and not layer.built
        weights = getattr(layer, "weights", None)
        if weights is not None and getattr(layer, "built", True):
            row["params"] = int(layer.count_params()) if weights else 0
            row["trainable"] = int(summary_utils.count_params(layer.trainable_weights))
        else:
            row["params"] = row["trainable"] = 0
        row["connected_to"] = _connections(layer, relevant)
        if hasattr(layer, "layers") and layer.layers:
            row["layers"] = _rows(keras, layer, summary_utils, relevant)
        rows.append(row)
    return rows


def record_cell(keras: Any, summary_utils: Any, cell: dict[str, Any], framework: str) -> Case:
    """Run the cell, find the model it summarizes, and keep what Keras says of it."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    summarized: list[tuple[Any, dict[str, Any]]] = []
    original = keras.Model.summary

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        summarized.append((self, kwargs))

    keras.utils.clear_session()
    case: Case = {
        "framework": framework,
        "name": cell["name"],
        "source": cell["source"],
        "code": cell["code"],
        "define": cell.get("define", {}),
    }
    keras.Model.summary = spy
    try:
        with (
            warnings.catch_warnings(record=True),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            warnings.simplefilter("always")
            namespace.update(case["define"])
            exec(compile(cell["code"], "<cell>", "exec"), namespace)
            if summarized:
                model, call = summarized[-1]
            else:
                model, call = namespace["model"], {}
    except Exception as error:  # the framework refuses the cell: that is the record
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<cell>"]
        case["refused"] = {
            "type": type(error).__name__,
            "message": str(error).strip().splitlines()[0],
            "line": frames[-1].lineno if frames else None,
        }
        return case
    finally:
        keras.Model.summary = original

    def capture(**kwargs: Any) -> str:
        out: list[str] = []
        model.summary(print_fn=lambda s, line_break=True: out.append(s), **kwargs)
        return str(out[0])

    relevant = None
    if isinstance(model, keras.src.models.Functional) and not isinstance(model, keras.Sequential):
        relevant = [node for nodes in model._nodes_by_depth.values() for node in nodes]
    trainable = int(summary_utils.count_params(model.trainable_weights))
    non_trainable = int(summary_utils.count_params(model.non_trainable_weights))
    asked = {k: call[k] for k in ("line_length", "expand_nested", "show_trainable") if k in call}
    variants = [*cell.get("variants", [])]
    if not cell["name"].startswith("fuzz-"):
        variants.append({"line_length": 76})
    case.update(
        {
            "model_name": model.name,
            "class": model.__class__.__name__,
            "layers": _rows(keras, model, summary_utils, relevant),
            "total": int(model.count_params()),
            "trainable": trainable,
            "non_trainable": non_trainable,
            "summary_call": asked,
            "printed": capture(**asked),
            "printed_at": [
                {"settings": {**asked, **variant}, "text": capture(**{**asked, **variant})}
                for variant in variants
                if {**asked, **variant} != asked
            ],
        }
    )
    return case


def worker_keras(backend: str = "torch") -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = backend
    import keras
    from keras.src.utils import summary_utils

    keras.utils.set_random_seed(0)
    cells = [*CELLS, *REFUSED, *fuzz_cells(FUZZ_CASES, FUZZ_SEED)]
    if backend == "jax":
        cells = SUBCLASSED
    cases = []
    for cell in cells:
        case = record_cell(
            keras, summary_utils, cell, "keras" if backend == "torch" else "keras-jax"
        )
        if cell["name"].startswith("fuzz-") and "refused" in case:
            raise AssertionError(f"{cell['name']} is refused: {case['refused']}\n{cell['code']}")
        if not cell["name"].startswith("refused-") and "refused" in case:
            raise AssertionError(f"{cell['name']} is refused: {case['refused']}")
        cases.append(case)
    notes = [
        "Each cell is run with exec in a fresh namespace (its defines set first) after "
        "keras.utils.clear_session(); model.summary is replaced by a spy that keeps the model "
        "the cell summarizes and its arguments, then the summary is captured with print_fn.",
        "COLUMNS=250, so that Keras' default line_length (88 for a chain, 108 with Connected "
        "to, 12 more with show_trainable) is not cut to the terminal's width less 4.",
        "output_shapes: of the layer's last call (summary_utils.format_layer_shape); "
        "connected_to: get_connections over the model's own nodes; a nested model's rows "
        "are its own layers, as expand_nested lists them.",
    ]
    from importlib.metadata import version

    return {"versions": {"keras": keras.__version__, "rich": version("rich")}, "notes": notes,
            "cases": cases}  # fmt: skip


def worker_keras_jax() -> dict[str, Any]:
    """Subclassed models under JAX: a subclassed model's rows show the shapes its layers
    were built for, and the torch backend builds them for its placeholder batch of 83
    where JAX and TensorFlow keep None."""
    return worker_keras("jax")


WORKERS = {"keras": worker_keras, "keras-jax": worker_keras_jax}


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, argv=argv)
    if args is None:
        return 0
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, args.selected, WORKER_ENV)
    for fw in args.selected:
        records.record(fw, results[fw])
    write_records(args.out, __file__, records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
