"""The libraries the code reader asks, in order: the first to answer a call is right
(standard library only). Keras and PyTorch first, for their models, inputs and tensors; then
the layers every framework's constructors read."""

from __future__ import annotations

from ..keras.library import KERAS_LIBRARY
from ..torch.library import TORCH_LIBRARY
from .layers import LAYER_LIBRARY
from .library import Library

LIBRARIES: tuple[Library, ...] = (KERAS_LIBRARY, TORCH_LIBRARY, LAYER_LIBRARY)
