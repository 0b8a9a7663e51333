"""How a framework's layer class is called, in our option words (standard library only).

Each layer kind lists the classes it answers to (:attr:`LayerKind.signatures`), taken from the
frameworks' own source: parameter order, which parameters change the count and which do not.
:mod:`sphinxcontrib_lstmparams.constructors` matches a pasted call against them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from .spec import FrameworkName

# What a parameter holds, to tell frameworks apart when a call could be either's:
# PyTorch's `nn.GRUCell(3, 4)` and Keras' `GRUCell(units, activation)` differ in what their
# second argument may be.
Holds = Literal["int", "bool", "text", "sizes", "any"]

# A parameter's meaning: one of our option words, or a function from its value to options
# (Keras' input_shape gives timesteps and input_dim at once).
Meaning = str | Callable[[object], dict[str, object]]


@dataclass(frozen=True)
class Param:
    name: str  # the framework's own word
    holds: Holds = "any"
    means: Meaning | None = None  # None: does not change the count
    # it changes the layer's output shape (return_sequences, padding, pool_size): a model
    # summary needs its value, under the framework's own word
    shapes: bool = False


@dataclass(frozen=True)
class Signature:
    """One class of one framework, as its constructor is written."""

    framework: FrameworkName
    classes: tuple[str, ...]  # class names ("LSTM",) with the options each one fixes
    fixed: Mapping[str, Mapping[str, object]]  # class name -> options the class itself says
    prefixes: tuple[str, ...]  # module paths it is written with; "" for a bare name
    positional: tuple[Param, ...]  # in the framework's order
    keyword_only: tuple[Param, ...] = ()
    required: tuple[str, ...] = ()  # the framework's words that must be given
    # any other keyword is an error; these are accepted and change nothing
    neutral: frozenset[str] = field(default_factory=frozenset)
    # other names the framework exports the same class under (Keras' MaxPool2D is
    # MaxPooling2D): alias -> the class, which the layer is then shown as
    aliases: Mapping[str, str] = field(default_factory=dict)
    # the constructor takes any arguments and ignores them (PyTorch's Identity(*args, **kwargs))
    ignores_arguments: bool = False

    def answers_to(self, cls: str) -> bool:
        """Whether ``cls``, as written, is one of its classes or their aliases."""
        return cls in self.classes or cls in self.aliases

    def class_of(self, cls: str) -> str:
        """The class ``cls`` names: itself, or the class it is an alias of."""
        return self.aliases.get(cls, cls)

    def param(self, name: str) -> Param | None:
        for param in (*self.positional, *self.keyword_only):
            if param.name == name:
                return param
        return Param(name) if name in self.neutral else None


# Module paths people write in front of each framework's classes.
PYTORCH = ("", "nn", "torch.nn")
KERAS = (
    "",
    "layers",
    "keras.layers",
    "tf.keras.layers",
    "tensorflow.keras.layers",
    "keras.src.layers",
)
FLAX_LINEN = ("nn", "linen", "flax.linen")
FLAX_NNX = ("nnx", "flax.nnx")
TF1 = ("tf.compat.v1.nn.rnn_cell", "tf.nn.rnn_cell", "rnn_cell", "tf.contrib.rnn")


@dataclass(frozen=True)
class Dotted:
    """A name written in a call, such as ``torch.float16``: not a literal, but some parameters
    are given that way."""

    name: str


@dataclass(frozen=True)
class NotKnown:
    """An argument the pasted code computes from something it cannot know (data it loads, a
    name it never defines): ``why`` says what and how to give it. A parameter that changes the
    count refuses it with that message; one that only changes the output shape makes the shape
    unknown (testing its truth raises, so no rule can silently take it for a value)."""

    why: str

    def __bool__(self) -> bool:
        raise TypeError(self.why)


def dtype_of(value: object) -> dict[str, object]:
    """``dtype=torch.float16`` or ``dtype="float16"`` -> our dtype word."""
    word = value.name.rpartition(".")[2] if isinstance(value, Dotted) else value
    return {
        "dtype": {"half": "float16", "float": "float32", "double": "float64"}.get(str(word), word)
    }


def keras_input_shape(value: object) -> dict[str, object]:
    """Keras' ``input_shape=(timesteps, features)``: the features, and the timesteps if
    given (None means any length)."""
    if not isinstance(value, tuple | list) or not value:
        return {"input_dim": value}
    options: dict[str, object] = {"input_dim": value[-1]}
    if len(value) > 1 and value[0] is not None:
        options["timesteps"] = value[0]
    return options
