#!/usr/bin/env python3
"""Record what Keras prints for whole code cells, pasted as tutorials write them.

The output, ``tests/data/code_cells.json``, is the ground truth for the code reader of
sphinxcontrib-lstmparams (``model-summary`` with a notebook cell as its body): imports,
values and arithmetic, ``Sequential()`` + ``model.add(...)``, ``Sequential([...])``, Keras 2
idioms on every layer (``input_shape=``, ``input_dim=``, ``batch_input_shape=``,
``input_length=``), builder functions, several models in one cell, ``model.summary(...)``'s
arguments. The tool reads each cell without running it; here each cell is *run*, for real, in
the framework, so the recorded rows, totals and printed text are the framework's own.

Frameworks (``framework`` of a case), each in a fresh subprocess (scripts/recording.py):

* ``keras``   Keras 3 (``KERAS_BACKEND=torch``, ``COLUMNS=100``): ``printed`` is
              ``model.summary(print_fn=...)`` with the cell's own ``line_length`` (88 by
              default); ``printed_76`` at ``line_length=76``. A cell Keras 3 refuses is
              recorded with its error (``refused``).
* ``keras2``  Keras 2 (``tf_keras``, with ``TF_USE_LEGACY_KERAS=1``, the ``keras`` modules the
              cell imports mapped to ``tf_keras``): the same cells, for the Keras 2 idioms
              Keras 3 refuses or reads differently (``LSTM(..., input_length=16)``,
              ``Embedding(..., input_length=...)`` before ``Flatten``). Its rows and totals
              are the counts the tool must give; its printed text is Keras 2's layout, kept
              for the record.

Each case: ``code`` (the cell as pasted), ``define`` (what the tool is given for values the
cell cannot know; the recorder checks each key evaluates to its value after the cell ran),
``prelude`` (code run before the cell to make those values, never shown to the tool),
``model_variable`` (which model, when not the one ``summary()`` is called on), ``source``.

Setup: the framework venv of scripts/record_framework_counts.py with ``tf_keras==2.21.0``::

    /work/fwvenv/bin/python scripts/record_code_cells.py
    /work/fwvenv/bin/python scripts/record_code_cells.py --framework keras
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "code_cells.json"
FRAMEWORKS = ("keras", "keras2")
WORKER_ENV = {"COLUMNS": "100"}

Case = dict[str, Any]

SEED = """\
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation
from keras.layers import Embedding
from keras.layers import LSTM
model = Sequential()
model.add(LSTM(256, input_dim=4096, input_length=16))
model.summary()
"""

CELLS: list[dict[str, Any]] = [
    {
        "name": "seed",
        "source": "the question this project started from (../shared/seed): Keras 2 code",
        "code": SEED,
    },
    {
        "name": "imdb-lstm-keras2-example",
        "source": "Keras 2 examples/imdb_lstm.py, the model cell (max_features=20000, maxlen=80)",
        "code": """\
from keras.models import Sequential
from keras.layers import Dense, Embedding
from keras.layers import LSTM

max_features = 20000
maxlen = 80  # cut texts after this number of words (among top max_features most common words)
batch_size = 32

print('Build model...')
model = Sequential()
model.add(Embedding(max_features, 128))
model.add(LSTM(128, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation='sigmoid'))

# try using different optimizers and different optimizer configs
model.compile(loss='binary_crossentropy',
              optimizer='adam',
              metrics=['accuracy'])
model.build((None, maxlen))
model.summary()
""",
    },
    {
        "name": "mnist-mlp-input-shape",
        "source": "Keras 2 examples/mnist_mlp.py (num_classes=10): Dense(..., input_shape=(784,))",
        "code": """\
import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout

num_classes = 10
model = Sequential()
model.add(Dense(512, activation='relu', input_shape=(784,)))
model.add(Dropout(0.2))
model.add(Dense(512, activation='relu'))
model.add(Dropout(0.2))
model.add(Dense(num_classes, activation='softmax'))

model.summary()

model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
""",
    },
    {
        "name": "mnist-cnn-input-shape",
        "source": "Keras 2 examples/mnist_cnn.py (28x28x1, num_classes=10)",
        "code": """\
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten
from keras.layers import Conv2D, MaxPooling2D

batch_size = 128
num_classes = 10
img_rows, img_cols = 28, 28
input_shape = (img_rows, img_cols, 1)

model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3),
                 activation='relu',
                 input_shape=input_shape))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(num_classes, activation='softmax'))
model.summary()
""",
    },
    {
        "name": "char-rnn-define-len-chars",
        "source": "Keras 2 examples/lstm_text_generation.py (maxlen=40; the text's 57 distinct "
        "characters given with :define: len(chars)=57)",
        "prelude": "import string\nchars = sorted(set(string.ascii_letters + '0123!'))",
        "define": {"len(chars)": 57},
        "code": """\
from keras.models import Sequential
from keras.layers import Dense, Activation
from keras.layers import LSTM

maxlen = 40
print('Build model...')
model = Sequential()
model.add(LSTM(128, input_shape=(maxlen, len(chars))))
model.add(Dense(len(chars)))
model.add(Activation('softmax'))
model.summary()
""",
    },
    {
        "name": "embedding-input-length-flatten",
        "source": "machinelearningmastery 'How to Use Word Embedding Layers for Deep Learning "
        "with Keras' (vocab_size=50, max_length=4): Embedding(input_length=) + Flatten + Dense",
        "code": """\
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Flatten, Embedding

vocab_size = 50
max_length = 4
# define the model
model = Sequential()
model.add(Embedding(vocab_size, 8, input_length=max_length))
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
# compile the model
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
# summarize the model
print(model.summary())
""",
    },
    {
        "name": "univariate-lstm-n-steps",
        "source": "machinelearningmastery 'How to Develop LSTM Models for Time Series "
        "Forecasting' (stacked LSTM, n_steps=3, n_features=1)",
        "code": """\
from numpy import array
from keras.models import Sequential
from keras.layers import LSTM
from keras.layers import Dense

n_steps = 3
# reshape from [samples, timesteps] into [samples, timesteps, features]
n_features = 1
# define model
model = Sequential()
model.add(LSTM(50, activation='relu', return_sequences=True, input_shape=(n_steps, n_features)))
model.add(LSTM(50, activation='relu'))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
model.summary()
""",
    },
    {
        "name": "sequential-list-with-input",
        "source": "keras.io guides/sequential_model.py: Sequential([...]) with keras.Input and "
        "names",
        "code": """\
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        layers.Dense(2, activation="relu", name="layer1"),
        layers.Dense(3, activation="relu", name="layer2"),
        layers.Dense(4, name="layer3"),
    ],
    name="my_sequential",
)
model.summary()
""",
    },
    {
        "name": "values-arithmetic-and-loop",
        "source": "synthetic: sizes from values and arithmetic, layers added in a for loop",
        "code": """\
import tensorflow as tf

VOCAB = 5_000
EMBED = 2 ** 6
HIDDEN = [128, 64, 32]
n_layers = len(HIDDEN)

model = tf.keras.Sequential()
model.add(tf.keras.layers.Embedding(VOCAB + 1, EMBED // 2 * 2))
for i, units in enumerate(HIDDEN):
    model.add(tf.keras.layers.LSTM(units, return_sequences=i < n_layers - 1))
model.add(tf.keras.layers.Dense(VOCAB % 7 + max(3, 1), activation="softmax"))
model.build(input_shape=(None, 30))
model.summary(line_length=100)
""",
    },
    {
        "name": "builder-function-called",
        "source": "synthetic: a builder function with defaults, called in the cell",
        "code": """\
from tensorflow import keras
from tensorflow.keras import layers


def build_model(units=64, dropout=0.2, bidirectional=True, vocab_size=10000):
    model = keras.Sequential(name="classifier")
    model.add(layers.Embedding(vocab_size, 32))
    recurrent = layers.GRU(units, dropout=dropout)
    if bidirectional:
        model.add(layers.Bidirectional(recurrent))
    else:
        model.add(recurrent)
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


model = build_model(units=32)
model.build((None, 100))
model.summary()
""",
    },
    {
        "name": "builder-function-not-called",
        "source": "synthetic: a builder that is only defined (a notebook calls it later); its "
        "defaults build the model",
        "model_variable": "build_model",
        "code": """\
import keras
from keras import layers


def build_model(n_steps=24, n_features=7, units=32):
    inputs = keras.Input(shape=(n_steps, n_features))
    model = keras.Sequential([inputs, layers.LSTM(units), layers.Dense(1)])
    return model
""",
    },
    {
        "name": "two-models-summary-of-one",
        "source": "synthetic: two models in a cell; model.summary() is called on the second",
        "code": """\
import keras
from keras import layers

encoder = keras.Sequential([keras.Input((10, 8)), layers.LSTM(16)])
decoder = keras.Sequential([keras.Input((None, 16)), layers.GRU(16, return_sequences=True),
                            layers.TimeDistributed(layers.Dense(8))])
decoder.summary()
""",
    },
    {
        "name": "two-models-picked-by-name",
        "source": "synthetic: the model-variable option picks the first of two models",
        "model_variable": "encoder",
        "code": """\
import keras
from keras import layers

encoder = keras.Sequential([keras.Input((10, 8)), layers.LSTM(16)])
decoder = keras.Sequential([keras.Input((None, 16)), layers.GRU(16, return_sequences=True)])
decoder.summary()
""",
    },
    {
        "name": "define-data-sizes",
        "source": "synthetic: sizes from loaded data, given with :define:",
        "prelude": "import numpy as np\nx_train = np.zeros((100, 12, 9))\nmax_features = 8000",
        "define": {"x_train.shape[1:]": [12, 9], "max_features": 8000},
        "code": """\
import keras
from keras import layers

model = keras.Sequential()
model.add(layers.Input(shape=x_train.shape[1:]))
model.add(layers.Conv1D(32, 3, activation="relu"))
model.add(layers.GlobalMaxPooling1D())
model.add(layers.Dense(max_features // 100))
model.summary()
""",
    },
    {
        "name": "batch-input-shape-stateful",
        "source": "Keras 2 examples/lstm_stateful.py (batch_size=25, lahead=1): "
        "batch_input_shape on a stateful LSTM",
        "code": """\
from keras.models import Sequential
from keras.layers import Dense, LSTM

batch_size = 25
lahead = 1
model = Sequential()
model.add(LSTM(20,
               input_shape=(lahead, 1),
               batch_size=batch_size,
               stateful=True))
model.add(Dense(1))
model.summary()
""",
    },
]

# Keras 2's input_shape= on the first layer of every kind the tool counts (Keras 3 still reads
# it, with a warning): each a one-layer-then-Dense model.
_FIRST_LAYERS = [
    ("dense", "Dense(8, input_shape=(16,))"),
    ("dense-3d", "Dense(8, input_shape=(5, 16))"),
    ("conv1d", "Conv1D(4, 3, input_shape=(20, 6))"),
    ("conv2d", "Conv2D(4, (3, 3), input_shape=(12, 12, 3))"),
    ("conv3d", "Conv3D(2, 3, input_shape=(6, 6, 6, 1))"),
    ("lstm", "LSTM(8, input_shape=(10, 5))"),
    ("gru", "GRU(8, input_shape=(10, 5))"),
    ("simplernn", "SimpleRNN(8, input_shape=(10, 5))"),
    ("bidirectional", "Bidirectional(LSTM(8), input_shape=(10, 5))"),
    ("timedistributed", "TimeDistributed(Dense(8), input_shape=(10, 5))"),
    ("embedding", "Embedding(100, 8, input_shape=(10,))"),
    ("flatten", "Flatten(input_shape=(4, 4))"),
    ("dropout", "Dropout(0.5, input_shape=(16,))"),
    ("batchnorm", "BatchNormalization(input_shape=(16,))"),
    ("layernorm", "LayerNormalization(input_shape=(10, 16))"),
    ("maxpool1d", "MaxPooling1D(2, input_shape=(10, 4))"),
    ("globalavg1d", "GlobalAveragePooling1D(input_shape=(10, 4))"),
    ("reshape", "Reshape((4, 4), input_shape=(16,))"),
    ("repeat", "RepeatVector(3, input_shape=(8,))"),
    ("activation", "Activation('relu', input_shape=(16,))"),
    ("dense-input-dim", "Dense(8, input_dim=16)"),
    ("lstm-input-dim", "LSTM(8, input_dim=5)"),
    ("convlstm2d", "ConvLSTM2D(2, (3, 3), input_shape=(None, 8, 8, 1))"),
    ("dense-batch-input-shape", "Dense(8, batch_input_shape=(4, 16))"),
]
for _name, _first in _FIRST_LAYERS:
    _then = (
        "Flatten()" if _name in ("conv2d", "conv3d", "convlstm2d", "repeat", "reshape") else None
    )
    CELLS.append(
        {
            "name": f"keras2-first-{_name}",
            "source": "synthetic: Keras 2's way to give the input, on the first layer of a kind",
            "code": "from keras.models import Sequential\n"
            "from keras.layers import *\n\n"
            "model = Sequential()\n"
            f"model.add({_first})\n"
            + (f"model.add({_then})\n" if _then else "")
            + "model.add(Dense(2))\nmodel.summary()\n",
        }
    )


def shape_list(shape: Any) -> list[Any]:
    return [None if d is None else int(d) for d in shape]


def _eval_define(key: str, namespace: dict[str, Any]) -> Any:
    value = eval(key, dict(namespace))  # the recorder runs the framework; the tool never does
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, tuple):
        value = list(value)
    return value


def record_cell(keras: Any, summary_utils: Any, cell: dict[str, Any], flavour: str) -> Case:
    """Run the cell, find the model it summarizes, and keep what Keras says of it."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    summarized: list[tuple[Any, dict[str, Any]]] = []
    original = keras.Model.summary

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        summarized.append((self, kwargs))

    (getattr(keras.utils, "clear_session", None) or keras.backend.clear_session)()
    case: Case = {
        "framework": flavour,
        "name": cell["name"],
        "source": cell["source"],
        "code": cell["code"],
        "define": cell.get("define", {}),
    }
    if "model_variable" in cell:
        case["model_variable"] = cell["model_variable"]
    keras.Model.summary = spy
    try:
        with (
            warnings.catch_warnings(record=True) as caught,
            contextlib.redirect_stdout(io.StringIO()),
        ):
            warnings.simplefilter("always")
            exec(cell.get("prelude", ""), namespace)
            for key, value in case["define"].items():
                assert _eval_define(key, namespace) == value, (cell["name"], key)
            exec(cell["code"], namespace)
            variable = cell.get("model_variable")
            if variable is not None:
                found = namespace[variable]
                model = found() if callable(found) and not isinstance(found, keras.Model) else found
                call: dict[str, Any] = {}
            elif summarized:
                model, call = summarized[-1]
            else:
                raise AssertionError(f"{cell['name']}: no model.summary() in the cell")
    except Exception as error:  # the framework refuses the cell: that is the record
        keras.Model.summary = original
        case["refused"] = {"type": type(error).__name__, "message": str(error)}
        return case
    finally:
        keras.Model.summary = original
    case["warnings"] = sorted({str(w.message).splitlines()[0] for w in caught})

    def capture(line_length: int | None) -> str:
        out: list[str] = []
        model.summary(line_length=line_length, print_fn=lambda s, line_break=True: out.append(s))
        return "\n".join(out) if flavour == "keras2" else out[0]

    if not model.built:  # Keras 3 prints '?' and '0 (unbuilt)': nothing is counted
        case.update(
            {
                "model_name": model.name,
                "built": False,
                "layers": [{"name": x.name, "class": x.__class__.__name__} for x in model.layers],
                "line_length": call.get("line_length"),
                "printed": capture(call.get("line_length")),
            }
        )
        return case
    layers = []
    for layer in model.layers:
        trainable = summary_utils.count_params(layer.trainable_weights)
        non_trainable = summary_utils.count_params(layer.non_trainable_weights)
        layers.append(
            {
                "name": layer.name,
                "class": layer.__class__.__name__,
                "output_shape": shape_list(layer.output.shape),
                "params": int(layer.count_params()),
                "trainable": int(trainable),
                "non_trainable": int(non_trainable),
            }
        )
    trainable = int(summary_utils.count_params(model.trainable_weights))
    non_trainable = int(summary_utils.count_params(model.non_trainable_weights))
    case.update(
        {
            "model_name": model.name,
            "built": True,
            "input_shape": shape_list(model.inputs[0].shape),
            "layers": layers,
            "total": int(model.count_params()),
            "trainable": trainable,
            "non_trainable": non_trainable,
            "line_length": call.get("line_length"),
            "printed": capture(call.get("line_length")),
        }
    )
    if flavour == "keras":
        case["printed_76"] = capture(76)
    return case


def worker_keras() -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = "torch"
    import keras
    from keras.src.utils import summary_utils

    keras.utils.set_random_seed(0)
    cases = [record_cell(keras, summary_utils, cell, "keras") for cell in CELLS]
    notes = [
        "Each cell is run with exec in a fresh namespace after keras.utils.clear_session(), "
        "its prelude first; model.summary is replaced by a spy that keeps the model (and its "
        "arguments) the cell summarizes, then the summary is captured with print_fn.",
        "A cell Keras 3 refuses keeps the error as 'refused'.",
    ]
    from importlib.metadata import version

    return {"versions": {"keras": keras.__version__, "rich": version("rich")}, "notes": notes,
            "cases": cases}  # fmt: skip


def worker_keras2() -> dict[str, Any]:
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tf_keras

    for name in list(sys.modules):
        if name.startswith("tf_keras"):
            sys.modules["keras" + name[len("tf_keras") :]] = sys.modules[name]
    import tf_keras.layers
    import tf_keras.models

    sys.modules["keras"] = tf_keras
    sys.modules["keras.layers"] = tf_keras.layers
    sys.modules["keras.models"] = tf_keras.models
    summary_utils = _Keras2Counts()
    tf_keras.utils.set_random_seed(0)
    cases = [record_cell(tf_keras, summary_utils, cell, "keras2") for cell in CELLS]
    notes = [
        "Keras 2 (tf_keras) with TF_USE_LEGACY_KERAS=1, so tensorflow.keras is tf_keras too; "
        "the cells' `keras` imports are mapped to tf_keras.",
    ]
    return {"versions": {"tf_keras": tf_keras.__version__}, "notes": notes, "cases": cases}


class _Keras2Counts:
    @staticmethod
    def count_params(weights: Any) -> int:
        import numpy as np

        return int(sum(np.prod(w.shape) for w in weights))


WORKERS = {"keras": worker_keras, "keras2": worker_keras2}


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
    raise SystemExit(main())
