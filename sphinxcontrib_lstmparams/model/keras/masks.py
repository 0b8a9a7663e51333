"""Keras 3's masks, as far as they change what a summary lists (standard library only).

``Embedding(mask_zero=True)`` attaches a mask to its output, made by a ``NotEqual`` operation
of the graph (a row of its own). The layers that support masking pass the mask on; the ones
whose ``call`` takes a ``mask`` are called with it when they are given one tensor, so the
mask's tensor is in their "Connected to" cell (keras/src/layers/layer.py ``__call__``, steps
6 and 7; each class's ``supports_masking`` and ``compute_mask``).
"""

from __future__ import annotations

# classes whose call takes a mask (keras/src/layers: rnn/, pooling/global_average_pooling1d.py,
# normalization/batch_normalization.py, activations/softmax.py, core/lambda_layer.py)
TAKES_MASK = frozenset(
    {
        "LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
        "Bidirectional", "TimeDistributed", "GlobalAveragePooling1D", "BatchNormalization",
        "Softmax", "Lambda",
    }
)  # fmt: skip
# classes that pass a mask on unchanged (supports_masking = True, compute_mask not their own)
PASSES_MASK = frozenset(
    {
        "Activation", "ActivityRegularization", "AlphaDropout", "BatchNormalization", "Dense",
        "Dropout", "ELU", "GaussianDropout", "GaussianNoise", "GroupNormalization",
        "Identity", "LayerNormalization", "LeakyReLU", "PReLU", "ReLU", "Rescaling",
        "Softmax", "TimeDistributed", "UnitNormalization", "SpatialDropout1D",
        "SpatialDropout2D", "SpatialDropout3D", "Normalization", "Lambda",
        "MultiHeadAttention",
    }
)  # fmt: skip
# attention layers are not called with their inputs' masks as Keras' other layers are (none
# is among their connections); Attention and AdditiveAttention give their output the query's
# mask through a ConvertToTensor operation (attention.py compute_mask), MultiHeadAttention the
# query's own (recorded in tests/data/keras_graphs.json)
CONVERTS_MASK = frozenset({"Attention", "AdditiveAttention"})
# recurrent layers: the mask goes on with the sequence (return_sequences=True), not with a
# last step or the states (rnn.py and bidirectional.py compute_mask)
RECURRENT = frozenset(
    {"LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
     "Bidirectional"}
)  # fmt: skip


def output_masks(cls: str, sequences: bool, outputs: int, apart: bool = False) -> list[bool]:
    """Which of a layer's outputs carry the mask it was fed (the input's own, unchanged);
    ``apart``: a Bidirectional with merge_mode=None, whose first two outputs are sequences."""
    if cls in RECURRENT:
        carried = (2 if apart else 1) if sequences else 0
        return [True] * carried + [False] * (outputs - carried)
    return [cls in PASSES_MASK] + [False] * (outputs - 1)


__all__ = ["CONVERTS_MASK", "PASSES_MASK", "TAKES_MASK", "output_masks"]
