"""The recurrent layers' classes in each framework, as their constructors take them.

Parameter order and names are the frameworks' own (PyTorch 2.13 ``torch/nn/modules/rnn.py``,
Keras 3.15 ``keras/src/layers/rnn/*.py``, tf_keras 2.21, TF 2.21
``tensorflow/python/keras/layers/legacy_rnn/rnn_cell_impl.py``, Flax 0.12 ``flax/linen/
recurrent.py`` and ``flax/nnx/nn/recurrent.py``), checked by building every recorded constructor
for real (``scripts/record_framework_counts.py``). The traps: PyTorch's ``nn.RNN`` takes
``nonlinearity`` fourth, where ``nn.LSTM`` takes ``bias``; Keras' ``SimpleRNN`` takes ``use_bias``
third, where ``LSTM`` and ``GRU`` take ``recurrent_activation``.
"""

from __future__ import annotations

from ..signatures import (
    FLAX_LINEN,
    FLAX_NNX,
    KERAS,
    PYTORCH,
    TF1,
    Param,
    Signature,
    dtype_of,
    keras_input_shape,
)

# -- PyTorch --------------------------------------------------------------------------------------

_TORCH_LAYER_HEAD = (Param("input_size", "int", "input_dim"), Param("hidden_size", "int", "units"))
_TORCH_LAYER_TAIL = (
    Param("bias", "bool", "bias"),
    Param("batch_first", "bool", shapes=True),
    Param("dropout"),
    Param("bidirectional", "bool", "bidirectional"),
)
_TORCH_KEYWORDS = (Param("device"), Param("dtype", "any", dtype_of))
_TORCH_REQUIRED = ("input_size", "hidden_size")

PYTORCH_LAYERS = (
    Signature(
        framework="pytorch",
        classes=("LSTM",),
        fixed={"LSTM": {"cell": "lstm"}},
        prefixes=PYTORCH,
        positional=(
            *_TORCH_LAYER_HEAD,
            Param("num_layers", "int", "layers"),
            *_TORCH_LAYER_TAIL,
            Param("proj_size", "int", "proj_size"),
        ),
        keyword_only=_TORCH_KEYWORDS,
        required=_TORCH_REQUIRED,
    ),
    Signature(
        framework="pytorch",
        classes=("GRU",),
        fixed={"GRU": {"cell": "gru"}},
        prefixes=PYTORCH,
        positional=(*_TORCH_LAYER_HEAD, Param("num_layers", "int", "layers"), *_TORCH_LAYER_TAIL),
        keyword_only=_TORCH_KEYWORDS,
        required=_TORCH_REQUIRED,
    ),
    Signature(
        framework="pytorch",
        classes=("RNN",),
        fixed={"RNN": {"cell": "rnn"}},
        prefixes=PYTORCH,
        positional=(
            *_TORCH_LAYER_HEAD,
            Param("num_layers", "int", "layers"),
            Param("nonlinearity", "text"),  # tanh or relu: the same weights
            *_TORCH_LAYER_TAIL,
        ),
        keyword_only=_TORCH_KEYWORDS,
        required=_TORCH_REQUIRED,
    ),
    Signature(
        framework="pytorch",
        classes=("LSTMCell", "GRUCell"),
        fixed={"LSTMCell": {"cell": "lstm"}, "GRUCell": {"cell": "gru"}},
        prefixes=PYTORCH,
        positional=(*_TORCH_LAYER_HEAD, Param("bias", "bool", "bias")),
        keyword_only=_TORCH_KEYWORDS,
        required=_TORCH_REQUIRED,
    ),
    Signature(
        framework="pytorch",
        classes=("RNNCell",),
        fixed={"RNNCell": {"cell": "rnn"}},
        prefixes=PYTORCH,
        positional=(*_TORCH_LAYER_HEAD, Param("bias", "bool", "bias"), Param("nonlinearity")),
        keyword_only=_TORCH_KEYWORDS,
        required=_TORCH_REQUIRED,
    ),
)

# -- Keras 3 and tf.keras -------------------------------------------------------------------------

# keywords that do not change the count: initialisers, regularisers, constraints, dropout,
# what the layer returns and how it runs
KERAS_NEUTRAL = frozenset(
    {
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
        "unit_forget_bias",
        "kernel_regularizer",
        "recurrent_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "recurrent_constraint",
        "bias_constraint",
        "dropout",
        "recurrent_dropout",
        "seed",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "use_cudnn",
        "time_major",
        "implementation",
        "name",
        "trainable",
        "batch_size",
        "activation",
        "recurrent_activation",
    }
)
# how a Keras layer learns its input width: in the call, or from the model around it
KERAS_INPUT = (
    Param("return_sequences", "bool", shapes=True),
    # the output and the states: several tensors, which a model summary refuses
    Param("return_state", "bool", shapes=True),
    Param("input_shape", "sizes", keras_input_shape),
    Param("input_dim", "int", "input_dim"),
    Param("input_length", "int", "timesteps"),
    Param("dtype", "any", dtype_of),
)
_KERAS_GATED = (
    Param("units", "int", "units"),
    Param("activation", "text"),
    Param("recurrent_activation", "text"),
    Param("use_bias", "bool", "bias"),
)

KERAS_LAYERS = (
    Signature(
        framework="keras",
        classes=("LSTM", "LSTMCell"),
        fixed={"LSTM": {"cell": "lstm"}, "LSTMCell": {"cell": "lstm"}},
        prefixes=KERAS,
        positional=_KERAS_GATED,
        keyword_only=KERAS_INPUT,
        required=("units",),
        neutral=KERAS_NEUTRAL,
    ),
    Signature(
        framework="keras",
        classes=("GRU", "GRUCell"),
        fixed={"GRU": {"cell": "gru"}, "GRUCell": {"cell": "gru"}},
        prefixes=KERAS,
        positional=_KERAS_GATED,
        keyword_only=(*KERAS_INPUT, Param("reset_after", "bool", "reset_after")),
        required=("units",),
        neutral=KERAS_NEUTRAL,
    ),
    Signature(
        framework="keras",
        classes=("SimpleRNN", "SimpleRNNCell"),
        fixed={"SimpleRNN": {"cell": "rnn"}, "SimpleRNNCell": {"cell": "rnn"}},
        prefixes=KERAS,
        positional=(
            Param("units", "int", "units"),
            Param("activation", "text"),
            Param("use_bias", "bool", "bias"),
        ),
        keyword_only=KERAS_INPUT,
        required=("units",),
        neutral=KERAS_NEUTRAL,
    ),
)

# -- TensorFlow 1 (tf.compat.v1.nn.rnn_cell) -------------------------------------------------------

TF1_CELLS = (
    Signature(
        framework="tensorflow-v1",
        classes=("LSTMCell",),
        fixed={"LSTMCell": {"cell": "lstm"}},
        prefixes=TF1,
        positional=(
            Param("num_units", "int", "units"),
            Param("use_peepholes", "bool", "peepholes"),
            Param("cell_clip"),
            Param("initializer"),
            Param("num_proj", "int", "proj_size"),
            Param("proj_clip"),
            Param("num_unit_shards"),
            Param("num_proj_shards"),
            Param("forget_bias"),
            Param("state_is_tuple"),
            Param("activation"),
            Param("reuse"),
            Param("name"),
            Param("dtype"),
        ),
        required=("num_units",),
    ),
    Signature(
        framework="tensorflow-v1",
        classes=("BasicLSTMCell",),
        fixed={"BasicLSTMCell": {"cell": "lstm"}},
        prefixes=TF1,
        positional=(
            Param("num_units", "int", "units"),
            Param("forget_bias"),
            Param("state_is_tuple"),
            Param("activation"),
            Param("reuse"),
            Param("name"),
            Param("dtype"),
        ),
        required=("num_units",),
    ),
    Signature(
        framework="tensorflow-v1",
        classes=("GRUCell",),
        fixed={"GRUCell": {"cell": "gru"}},
        prefixes=TF1,
        positional=(
            Param("num_units", "int", "units"),
            Param("activation"),
            Param("reuse"),
            Param("kernel_initializer"),
            Param("bias_initializer"),
            Param("name"),
            Param("dtype"),
        ),
        required=("num_units",),
    ),
    Signature(
        framework="tensorflow-v1",
        classes=("BasicRNNCell",),
        fixed={"BasicRNNCell": {"cell": "rnn"}},
        prefixes=TF1,
        positional=(
            Param("num_units", "int", "units"),
            Param("activation"),
            Param("reuse"),
            Param("name"),
            Param("dtype"),
        ),
        required=("num_units",),
    ),
)

# -- Flax linen and NNX ---------------------------------------------------------------------------

_FLAX_CELLS = {
    "LSTMCell": {"cell": "lstm"},
    "OptimizedLSTMCell": {"cell": "lstm"},
    "GRUCell": {"cell": "gru"},
    "SimpleCell": {"cell": "rnn"},
}
# initialisers, activations, dtypes of the computation, random number streams
FLAX_NEUTRAL = frozenset(
    {
        "gate_fn",
        "activation_fn",
        "kernel_init",
        "recurrent_kernel_init",
        "bias_init",
        "dtype",
        "param_dtype",
        "carry_init",
        "parent",
        "name",
        "rngs",
        "keep_rngs",
        "residual",
        "kernel_metadata",
        "recurrent_kernel_metadata",
        "bias_metadata",
        "promote_dtype",
        "dot_general",
    }
)

FLAX_CELLS = (
    Signature(
        framework="flax",
        classes=tuple(_FLAX_CELLS),
        fixed=_FLAX_CELLS,
        prefixes=FLAX_LINEN,
        positional=(Param("features", "int", "units"),),
        required=("features",),
        neutral=FLAX_NEUTRAL,
    ),
    Signature(
        framework="flax-nnx",
        classes=tuple(_FLAX_CELLS),
        fixed=_FLAX_CELLS,
        prefixes=FLAX_NNX,
        positional=(
            Param("in_features", "int", "input_dim"),
            Param("hidden_features", "int", "units"),
        ),
        required=("in_features", "hidden_features"),
        neutral=FLAX_NEUTRAL,
    ),
)

SIGNATURES = (*PYTORCH_LAYERS, *KERAS_LAYERS, *TF1_CELLS, *FLAX_CELLS)
