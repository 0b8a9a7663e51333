"""What the code reader asks a framework's library: what a call of one of its names makes
(standard library only); and whose module a dotted name is from.

Each framework's objects and calls live with the framework (``model/keras/library.py``,
``model/torch/library.py``); the layers every framework's constructors read are made by
:mod:`.layers`. :mod:`.libraries` lists them in the order the reader asks them.
"""

from __future__ import annotations

import ast
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from ...spec import FrameworkName

if TYPE_CHECKING:
    from .reader import Reader
    from .values import FrameworkObject, UserClass

# How each framework's modules are written, longest first: what a name from them belongs to.
KERAS_ROOTS = (
    "tensorflow.python.keras",
    "tensorflow.keras",
    "tf.keras",
    "keras.src",
    "tf_keras",
    "keras",
)
TORCH_ROOTS = ("torch.nn.modules", "torch.nn", "torch")


def keras_api(path: str) -> str | None:
    """``tf.keras.layers.LSTM`` -> ``layers.LSTM``; None for a name not from Keras."""
    for root in KERAS_ROOTS:
        if path == root:
            return ""
        if path.startswith(root + "."):
            return path[len(root) + 1 :]
    return None


def torch_api(path: str) -> str | None:
    """``torch.nn.LSTM`` -> ``nn.LSTM``, ``torch.zeros`` -> ``zeros``; None otherwise."""
    if path.startswith("torch.nn.modules."):
        return "nn." + path.rpartition(".")[2]
    if path == "torch.nn" or path.startswith("torch.nn."):
        return path[len("torch.") :]
    if path.startswith("torch."):
        return path[len("torch.") :]
    return None


def framework_of_path(path: str) -> FrameworkName | None:
    """Whose name a dotted path is, when its module says."""
    if keras_api(path) is not None:
        return "keras"
    if torch_api(path) is not None:
        return "pytorch"
    if path.startswith(("flax.linen", "flax.nnx")):
        return "flax"
    return None


def owner_of(path: str) -> str:
    """The top module of a dotted name, for messages (``sklearn``, ``numpy``)."""
    return path.split(".")[0] if "." in path else ""


class Library(ABC):
    """A framework's calls, as the reader meets them."""

    @abstractmethod
    def call(
        self,
        reader: Reader,
        path: str,
        written: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        """What calling ``path`` (written ``written``) makes, or None when it is not this
        library's name."""

    def called(
        self,
        reader: Reader,
        obj: FrameworkObject,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        """What calling an object of the cell's gives (a Keras layer called on a tensor), or
        None when this library does not follow such a call."""
        return None

    def instantiate(
        self,
        reader: Reader,
        cls: UserClass,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        """An object of a class of the cell that derives from this framework's base (a
        ``keras.Model`` or ``nn.Module`` subclass), or None."""
        return None
