"""What a layer kind must say about its layers (standard library only)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from ..expression import Expr, Symbol
from ..numbers import NumberStyle
from ..signatures import Signature
from ..spec import FrameworkName, Gettext, OptionError, Shape, Spec, Tensor
from ..table import Rows, Table

S = TypeVar("S", bound=Spec)


@dataclass(frozen=True)
class Child:
    """A module inside a module made of modules (PyTorch's ``named_children()``), for a layout
    that shows them: its attribute, its class, its parameters, whether ``forward`` calls it
    as a module (torchinfo lists only the modules called: MultiheadAttention uses its
    ``out_proj`` through ``F.multi_head_attention_forward``), and its own children."""

    attribute: str
    cls: str
    params: int
    called: bool = True
    children: tuple[Child, ...] = ()


class LayerKind(ABC, Generic[S]):
    """One family of layers, such as the recurrent cells (LSTM, GRU, simple RNN)."""

    name: ClassVar[str]
    cells: ClassVar[tuple[str, ...]]  # the `cell` words it answers to
    options: ClassVar[tuple[str, ...]]  # the option words it reads, besides `cell`
    flags: ClassVar[frozenset[str]] = frozenset()  # options that may be given bare
    # the framework classes it answers to, as pasted constructors write them
    signatures: ClassVar[tuple[Signature, ...]] = ()
    # whether Keras' trainable=False on the layer leaves its weights out of the trainable
    # params of model.summary()'s totals (ConvLSTM's does not: its cell's stay trainable)
    keras_freezes: ClassVar[bool] = True

    @abstractmethod
    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> S:
        """Raw option values (already checked to be ours) -> a spec; OptionError when a value
        is bad or the framework cannot build the layer."""

    @abstractmethod
    def expression(self, spec: S) -> Expr:
        """The count as written by hand, labelled so that it expands into the tensors."""

    @abstractmethod
    def title(self, spec: S, _: Gettext) -> str:
        """What the layer is, in a few words: 'Keras LSTM'."""

    @abstractmethod
    def describe(self, spec: S, _: Gettext, numbers: NumberStyle) -> list[str]:
        """The phrases after the title that name every option changing the count."""

    @abstractmethod
    def symbols(self, spec: S, _: Gettext) -> list[Symbol]:
        """What the formula's letters stand for: ``i`` = 4,096 input features."""

    @abstractmethod
    def table(
        self, spec: S, tensors: Sequence[Tensor], _: Gettext, rows: Rows | None = None
    ) -> Table:
        """The breakdown table, one row per group of tensors, a totals row last; ``rows`` asks
        for one row per gate or per layer (None: what suits the layer)."""

    def notes(
        self, spec: S, tensors: Sequence[Tensor], _: Gettext, numbers: NumberStyle
    ) -> list[str]:
        """The catches this layer's reader should know about."""
        return []

    def option_help(self) -> dict[str, str]:
        """A line of help per option it reads (its values and default), for ``--help``."""
        return {}

    def macs_per_step(self, spec: S, tensors: Sequence[Tensor]) -> int | None:
        """Multiply-accumulates for one step of one sequence; None when it depends on what the
        options do not say."""
        return sum(t.count for t in tensors if not t.is_bias)

    # -- in a model: what the layer reads from the one before, and what it passes on -----------

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        """The size this layer's weights read from its input: the last axis, by default
        (``call``: the constructor's shape-changing arguments)."""
        return shape[-1] if shape else None

    def output_shape(self, spec: S, shape: Shape, call: Mapping[str, object]) -> Shape:
        """The shape the layer passes on for an input of ``shape`` (a model summary's Output
        Shape column); kinds that appear in models override it. ``call`` also holds
        ``class``, the class that reads the input (``RNN`` for ``RNN(LSTMCell(4))``). Raises
        ``spec.Refused`` for an input the framework refuses, ``spec.NotFollowed`` for a size
        beyond what a summary follows; any other OptionError leaves the shape unknown."""
        raise NotImplementedError(f"{self.name} layers have no output shape rule")

    def first_input(self, spec: S, cls: str) -> tuple[Shape, str] | None:
        """What a model that starts with this layer is fed, when the page does not say: the
        shape (None where any size will do) and the dtype; None when the layer cannot tell.
        ``cls`` is the framework's class as written (LSTMCell steps once, LSTM runs a sequence)."""
        return None

    def input_widths(self, spec: S) -> tuple[int, ...]:
        """Features each stacked layer sees per step."""
        return ()

    def children(self, spec: S) -> tuple[Child, ...]:
        """The modules it is made of, in the order the framework registers them (none for a
        layer that holds its tensors itself)."""
        return ()

    # -- called on several tensors (attention's query, value, key) ------------------------------
    # A model whose layers take one tensor each reads a layer through input_width and
    # output_shape. A graph that calls a layer on several tensors (a Keras functional model,
    # a PyTorch forward) reads it through these two instead: the shapes come in the order of
    # the framework's arguments (Keras Attention([query, value, key]), MultiHeadAttention(
    # query, value, key), PyTorch MultiheadAttention(query, key, value)), each with its
    # batch axis. For one tensor they are input_width and output_shape.

    def options_from_inputs(
        self,
        cell: str,
        shapes: Sequence[Shape],
        call: Mapping[str, object],
        framework: FrameworkName,
    ) -> dict[str, object]:
        """The option words the input shapes say (the query's features as ``input_dim``, the
        key's and value's as ``key_input_dim`` and ``value_input_dim``); OptionError when
        the layer is not called on that many tensors."""
        if len(shapes) != 1:
            raise OptionError(f"{self.name} layers take one input, not {len(shapes)}")
        width = self.input_width(cell, shapes[0], call, framework)
        return {} if width is None or "input_dim" not in self.options else {"input_dim": width}

    def output_from_inputs(
        self, spec: S, shapes: Sequence[Shape], call: Mapping[str, object]
    ) -> Shape:
        """The shape the layer passes on when called on ``shapes``."""
        if len(shapes) != 1:
            raise OptionError(f"{self.name} layers take one input, not {len(shapes)}")
        return self.output_shape(spec, shapes[0], call)
