"""A model that is one chain of layers (a Keras ``Sequential``, or PyTorch modules called one
after the other) -> its summary: each layer counted by its kind, fed the shape the one before
passes on (standard library only).

What feeds the chain is a list of items, however they were read: pasted lines one layer per
line (:mod:`.lines`) or a code cell (:mod:`.code`). A layer that cannot be read or counted is
a row marked with what went wrong; the rows after it still show what can be known (a layer
whose output does not depend on its input starts the shapes again), and the totals say they
are incomplete rather than being silently wrong. A layer or a step the framework itself would
refuse (``Refused``: an LSTM on a 2-D input, a view that does not fit) is marked the same way,
and the model has no total at all: the framework would not build it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..constructors import Layer
from ..counting import Breakdown, count, parse_spec
from ..frameworks import refused_by
from ..kinds import KINDS, LayerKind
from ..options import describe
from ..spec import FrameworkName, NotFollowed, OptionError, Refused, Shape
from .summary import (
    DEFAULT_TITLES,
    ModelSummary,
    Row,
    SummaryCall,
    parse_shape,
)
from .torch.steps import StepError, apply_step

# the largest size of an axis passed on (Flatten and RepeatVector multiply sizes; Python
# cannot print an int of more than 4,300 digits)
MAX_AXIS = 10**100


@dataclass(frozen=True)
class LayerItem:
    """A layer of the chain: read (``layer``), or not (``problem`` says why)."""

    line: int  # 0-based, in the text the chain was read from
    source: str  # as written
    cls: str  # the class a summary shows: Bidirectional, LSTM, Linear ("?" if not known)
    name: str  # Keras' layer name, or the class for PyTorch
    layer: Layer | None = None
    problem: str | None = None
    refused: bool = False  # the problem is the framework's own refusal (spec.Refused)
    # for a layer that cannot be counted, one whose output shape is its own (sizes it reads
    # from are not known, the ones it passes on are): the shapes go on past it
    stand_in: Layer | None = None
    stand_in_exact: bool = True  # False: its output shape is only known in part


@dataclass(frozen=True)
class InputItem:
    """What the model is fed: a Keras ``Input``/``InputLayer``, or ``model.build(shape)``."""

    line: int
    shape: Shape | None  # with the batch axis
    dtype: str = "float32"
    exact: bool = True  # False: an input the code does not say whole (its rank, some sizes)


@dataclass(frozen=True)
class StepItem:
    """A step of a PyTorch ``forward`` between modules (``x[:, -1, :]``): no row."""

    line: int
    text: str


@dataclass(frozen=True)
class NestedItem:
    """A model used as a layer of the chain (a Keras model inside a Sequential): its row
    comes from its own summary, fed the shape the layer before passes on (``row_for``);
    ``own_input``: the shape it is built for, which starts the chain when it comes first."""

    line: int
    row_for: Callable[[Shape | None], Row]
    own_input: Shape | None = None


ChainItem = LayerItem | InputItem | StepItem | NestedItem


@dataclass(frozen=True)
class Chain:
    """A chain of layers and what a summary needs besides them."""

    framework: FrameworkName
    items: tuple[ChainItem, ...]
    title: str | None = None  # Keras' model name, the class torchinfo shows
    input_shape: Shape | None = None  # the page's input-shape option, or model.build(...)
    call: SummaryCall = field(default_factory=SummaryCall)
    step_problems: tuple[tuple[int, str], ...] = ()  # found while reading, at their lines
    notes: tuple[tuple[int, str], ...] = ()


@dataclass
class _Flow:
    """What passes from layer to layer."""

    shape: Shape | None
    dtype: str
    started: bool  # a layer or an input came before
    first: Shape | None = None  # what the model is fed, once known
    # after a layer we could not follow, what is still known of the shape (None where a size
    # is not known), for the widths of the layers after it; their shapes show as not known
    partial: Shape | None = None
    refused_at: int | None = None  # the first line the framework refuses

    def refuse(self, line: int) -> None:
        """The framework stops at ``line``; the lines after it are still read and shown."""
        self.shape = self.partial = None
        if self.refused_at is None:
            self.refused_at = line


def summarize_chain(chain: Chain) -> ModelSummary:
    """The summary of the chain. Raises :class:`~.summary.ModelError` for an input after the
    first layer; a layer that cannot be counted is a row with its ``problem``."""
    from .summary import ModelError

    framework = chain.framework
    given = chain.input_shape
    flow = _Flow(given, "float32", False, given)
    rows: list[Row] = []
    problems = list(chain.step_problems)
    for item in chain.items:
        if isinstance(item, InputItem):
            if flow.started:
                raise ModelError("an input after the first layer", item.line)
            if item.exact or given:
                flow.shape = flow.first = given or item.shape
                flow.partial = None
            else:  # the widths go on from what is known of it; the shapes are not known
                flow.shape, flow.partial = None, item.shape
            flow.dtype = item.dtype
            flow.started = True
        elif isinstance(item, NestedItem):
            if not flow.started and flow.shape is None:
                flow.shape = flow.first = item.own_input
            rows.append(item.row_for(flow.shape))
            flow.shape, flow.partial, flow.started = rows[-1].output_shape, None, True
        elif isinstance(item, StepItem):
            # a step has no row (torchinfo lists modules) and no parameters; one we cannot
            # follow leaves the shapes after it unknown, and says so
            if framework != "pytorch":
                problems.append(
                    (item.line, f"{item.text}: a step of a PyTorch forward, not a Keras layer")
                )
                flow.shape = None
            elif flow.shape is not None:
                try:
                    flow.shape = apply_step(item.text, flow.shape)
                except Refused as error:  # its message starts with the step
                    problems.append((item.line, str(error)))
                    flow.refuse(item.line)
                except StepError as error:
                    problems.append((item.line, f"{error}; the shapes after it are not known"))
                    flow.shape = None
            flow.partial = None
            flow.started = True
        else:
            rows.append(_layer(item, framework, flow))
            flow.started = True
    return ModelSummary(
        framework,
        chain.title or DEFAULT_TITLES[framework],
        given if framework == "pytorch" else flow.first,
        flow.dtype,
        flow.shape,
        tuple(rows),
        tuple(sorted(problems)),
        tuple(sorted(chain.notes)),
        chain.call,
        refused_at=flow.refused_at,
    )


def _declared_input(layer: Layer) -> Shape | None:
    """The input a Keras layer declares in its own call, as Keras 2 idioms write it (Keras 3
    still reads some of them, with a warning): ``input_shape=(16, 4096)`` (with
    ``batch_size=32``), ``batch_input_shape=(32, 16, 4096)``, ``input_dim=64`` (with
    ``input_length=16`` on a recurrent layer, the sequence first), an Embedding's
    ``input_length=16``. Raises OptionError for a bad one."""
    call = layer.call
    if "batch_input_shape" in call:
        return parse_shape(tuple(_sizes(call["batch_input_shape"])), "keras", batch=True)
    shape: Shape | None = None
    if "input_shape" in call:
        shape = parse_shape(tuple(_sizes(call["input_shape"])), "keras", batch=False)
    elif "input_dim" in call:  # not the layer's own parameter: Keras' (input_dim,)
        length = call.get("input_length")
        sizes = [call["input_dim"]] if length is None else [length, call["input_dim"]]
        shape = parse_shape(tuple(sizes), "keras", batch=False)
    elif "input_length" in call and layer.options.get("cell") == "embedding":
        shape = parse_shape((call["input_length"],), "keras", batch=False)
    batch = call.get("batch_size")
    if shape is not None and batch is not None:
        shape = parse_shape((batch, *shape[1:]), "keras", batch=True)
    return shape


@dataclass(frozen=True)
class Called:
    """A layer called on a tensor: its row (with the output shape it gives, None when it
    cannot be known), what is still known of its output when its shape is not (for the
    widths of the layers after), and whether the framework refuses the call (the row's
    problem says why)."""

    row: Row
    partial: Shape | None
    refused: bool


def layer_call(
    item: LayerItem,
    framework: FrameworkName,
    shape: Shape | None,
    dtype: str,
    partial: Shape | None = None,
) -> Called:
    """One layer called on a tensor of ``shape`` (a call in a graph of layers, which is fed
    its input rather than the layer before's); ``partial``: what is known of the input when
    its shape is not."""
    flow = _Flow(shape, dtype, True, shape, partial if shape is None else None)
    row = _layer(item, framework, flow)
    row = row if row.output_shape == flow.shape else replace(row, output_shape=flow.shape)
    return Called(row, flow.partial, flow.refused_at is not None)


def _layer(item: LayerItem, framework: FrameworkName, flow: _Flow) -> Row:
    """One layer -> its row; ``flow`` moves on to what it passes to the next layer."""
    row = Row(item.line, item.cls, item.name, item.source)
    layer = item.layer
    if item.refused:
        flow.refuse(item.line)
    if layer is None and item.stand_in is not None:
        shaped = _layer(replace(item, layer=item.stand_in, stand_in=None), framework, flow)
        if not item.stand_in_exact and flow.shape is not None:
            flow.shape, flow.partial = None, flow.shape
            shaped = replace(shaped, output_shape=None)
        return replace(shaped, breakdown=None, frozen=False, problem=item.problem or "not read")
    if layer is None:
        flow.shape = flow.partial = None
        return replace(row, problem=item.problem or "not read")
    several = _several_outputs(layer)
    if several:
        flow.shape = flow.partial = None
        return replace(row, problem=several)
    alone = _cell_alone(layer)
    if alone:
        flow.refuse(item.line)
        return replace(row, problem=str(alone))
    options = {**layer.options, "framework": layer.framework}
    kind: LayerKind[Any] = KINDS[str(options.get("cell", "lstm"))]
    if flow.shape is None and framework == "keras":
        try:
            declared = _declared_input(layer)
        except OptionError as error:
            flow.shape = flow.partial = None
            return replace(row, problem=str(error))
        if declared is not None and not flow.started:
            flow.shape = flow.first = declared
        elif declared is not None:  # after a layer we could not follow: widths only
            flow.partial = declared
    exact = flow.shape is not None
    try:
        step = _per_step(flow.shape if exact else flow.partial, layer)
        width = (
            None
            if step is None
            else kind.input_width(str(options.get("cell")), step, layer.call, framework)
        )
    except OptionError as error:  # an axis= the input does not have
        flow.shape = flow.partial = None
        if isinstance(error, Refused):
            flow.refuse(item.line)
        return replace(row, problem=f"{layer.source}: {error}")
    if "input_dim" in kind.options:
        said = options.get("input_dim")
        if said is None and width is None and flow.started:
            flow.partial = None
            return replace(
                row,
                problem=f"{layer.source}: its input width is not known, since the layer "
                "before could not be followed",
            )
        if said is None and width is None:
            flow.shape = flow.partial = None
            where = "keras.Input(shape=...) first, " if framework == "keras" else ""
            return replace(
                row,
                problem=f"{layer.source}: its input width is not known; give "
                f"{where}input-shape, or input_shape=(...) in the first layer",
            )
        if said is not None and width is not None and said != width:
            why = f"{layer.source} reads {said} features, the layer before gives {width}"
            flow.shape = flow.partial = None
            if framework == "pytorch":  # its weights are made for the width it was given
                flow.refuse(item.line)
                why = str(refused_by("pytorch", why, _torch_width_says(layer, said, width)))
            return replace(row, problem=why)
        if said is None:
            options["input_dim"] = width
    options.pop("input_shape", None)
    try:
        breakdown: Breakdown[Any] = count(parse_spec(options))
    except OptionError as error:
        flow.shape = flow.partial = None
        if isinstance(error, Refused):
            flow.refuse(item.line)
        return replace(row, problem=str(error))
    frozen = layer.call.get("trainable") is False and kind.keras_freezes
    if frozen:
        breakdown = replace(
            breakdown, tensors=tuple(replace(t, trainable=False) for t in breakdown.tensors)
        )
    first = None if flow.started else kind.first_input(breakdown.spec, layer.cls)
    if first is not None:
        flow.dtype = first[1]  # an Input would have started the model with its own
        if flow.shape is None:
            flow.shape = flow.first = first[0]
            exact = True
            step = _per_step(flow.shape, layer)
    if step is None and not exact:
        # its output does not depend on what it is fed (an Embedding's on its width): the
        # widths go on, though the shapes are not known
        fed = kind.first_input(breakdown.spec, layer.cls)
        step = None if fed is None else _per_step(fed[0], layer)
    try:
        out = None if step is None else _applied(kind, breakdown, step, layer)
    except (Refused, NotFollowed) as error:  # refused, or a size beyond what we follow
        if isinstance(error, Refused):
            flow.refuse(item.line)
            error = _in_time_distributed(error, layer, step)
        flow.shape = flow.partial = None
        return replace(row, problem=f"{layer.source}: {error}")
    fed_shape = flow.shape if exact else flow.partial
    if out is not None and fed_shape is not None and "TimeDistributed" in layer.wrappers:
        out = (fed_shape[0], fed_shape[1], *out[1:])
    if exact:
        flow.shape, flow.partial = out, None
        return replace(row, output_shape=out, breakdown=breakdown, frozen=frozen)
    flow.partial = out  # shown as not known, passed on for the next layer's width
    return replace(row, breakdown=breakdown, frozen=frozen)


def _several_outputs(layer: Layer) -> str | None:
    """Why a Keras layer returns a list of tensors (its row would show a list of shapes, and
    the next layer could not take them), or None."""
    if layer.framework != "keras":
        return None
    if layer.call.get("return_state") is True:
        return (
            f"{layer.source}: return_state=True returns the output and the states, several "
            "tensors; a chain of layers passes one on"
        )
    if "merge_mode" in layer.call and layer.call["merge_mode"] is None:
        return (
            f"{layer.source}: merge_mode=None returns each direction apart, two tensors; a "
            "chain of layers passes one on"
        )
    return None


def _sizes(value: object) -> list[object]:
    return list(value) if isinstance(value, tuple | list) else [value]


def _torch_width_says(layer: Layer, said: object, width: int) -> str | None:
    """What PyTorch says when a recurrent layer is given another width than it reads."""
    if layer.cls in ("LSTM", "GRU", "RNN"):
        return f"input.size(-1) must be equal to input_size. Expected {said}, got {width}"
    return None


def _cell_alone(layer: Layer) -> Refused | None:
    """A Keras cell (LSTMCell) outside an RNN: a Sequential model refuses it, since it is
    called with its states too."""
    if layer.framework != "keras" or not layer.cls.endswith("Cell") or "RNN" in layer.wrappers:
        return None
    return refused_by(
        "keras",
        f"{layer.source}: a cell steps once and needs its states; RNN({layer.cls}(...)) runs it",
        "Layers added to a Sequential model can only have a single required positional argument",
    )


def _per_step(shape: Shape | None, layer: Layer) -> Shape | None:
    """TimeDistributed applies its layer to every step: the shape without the time axis."""
    if shape is not None and "TimeDistributed" in layer.wrappers:
        if len(shape) < 3:
            raise refused_by(
                "keras",
                f"TimeDistributed gives its layer one step at a time, of a (batch, steps, ...) "
                f"input; its input has {len(shape)} axes",
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                "dimensions",
            )
        return (shape[0], *shape[2:])
    return shape


def _in_time_distributed(error: Refused, layer: Layer, step: Shape | None) -> Refused:
    """A layer TimeDistributed refuses to give one step of its input: Keras stops with
    words of its own then (not the layer's), which we do not quote."""
    if "TimeDistributed" not in layer.wrappers or step is None:
        return error
    shown = "(" + ", ".join(str(n) for n in step) + ")"
    return refused_by("keras", f"TimeDistributed gives it one step at a time, {shown}; {error.why}")


def _applied(
    kind: LayerKind[Any], breakdown: Breakdown[Any], shape: Shape, layer: Layer
) -> Shape | None:
    """The layer's output shape, or None if its kind cannot tell (the count stands; only the
    shapes from here on are not known). Raises NotFollowed for a size beyond what we follow,
    Refused for an input the framework refuses."""
    # the class that reads the input: RNN runs its cell over a sequence (LSTMCell steps once)
    reader = "RNN" if "RNN" in layer.wrappers else layer.cls
    try:
        result: Shape = kind.output_shape(breakdown.spec, shape, {**layer.call, "class": reader})
    except (Refused, NotFollowed):
        raise
    except (OptionError, ValueError, IndexError, TypeError, ZeroDivisionError):
        return None
    if any(size is not None and size > MAX_AXIS for size in result):
        largest = describe(max(size or 0 for size in result))
        raise NotFollowed(f"its output has more positions on an axis than we follow ({largest})")
    return result
