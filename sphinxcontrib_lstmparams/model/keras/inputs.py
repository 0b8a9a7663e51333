"""What a Keras ``Input`` or ``InputLayer`` feeds the model (keras/src/layers/core/
input_layer.py): ``Input(shape=None, batch_size=None, dtype=None, sparse=None,
batch_shape=None, name=None, ...)``; ``InputLayer`` also takes Keras 2's ``input_shape`` and
``batch_input_shape``. Standard library only."""

from __future__ import annotations

from collections.abc import Mapping

from ...options import describe
from ...spec import OptionError, Shape
from ..summary import parse_shape

# the positional order of keras.Input and keras.layers.InputLayer
INPUT_POSITIONAL = ("shape", "batch_size", "dtype")
INPUT_KEYWORDS = frozenset(
    {
        *INPUT_POSITIONAL,
        "sparse",
        "batch_shape",
        "name",
        "tensor",
        "input_tensor",
        "optional",
        "ragged",
        "input_shape",
        "batch_input_shape",
    }
)


def input_shape_of(values: Mapping[str, object], shown: str) -> tuple[Shape, str]:
    """The shape (with the batch axis: None, or ``batch_size``) and dtype an Input gives, from
    its arguments by name; OptionError naming ``shown`` when there is no shape or a bad one."""
    unknown = sorted(set(values) - INPUT_KEYWORDS)
    if unknown:
        raise OptionError(f"{shown}: unknown keyword {unknown[0]!r}")
    batch = values.get("batch_shape", values.get("batch_input_shape"))
    shape = values.get("shape", values.get("input_shape"))
    if isinstance(batch, tuple | list) and batch:
        full = parse_shape(tuple(batch), "keras", batch=True)
    elif isinstance(shape, tuple | list | int) and not isinstance(shape, bool):
        sizes = tuple(shape) if isinstance(shape, tuple | list) else (shape,)
        full = parse_shape(sizes, "keras", batch=False)
        size = values.get("batch_size")
        if size is not None:
            if not (isinstance(size, int) and not isinstance(size, bool) and 0 < size <= 10**9):
                raise OptionError(f"{shown}: batch_size={describe(size)} is not a batch size")
            full = (size, *full[1:])
    else:
        raise OptionError(f"{shown}: no shape=(...) to start the model from")
    dtype = values.get("dtype")
    word = str(getattr(dtype, "name", dtype)).rpartition(".")[2]  # tf.int32, "int32"
    return full, "float32" if dtype is None else word
