"""A whole model, one layer per line as its framework writes it -> what ``model.summary()``
(Keras 3) or ``torchinfo.summary()`` (PyTorch) would list: every layer's name, output shape
and parameters, and the totals (standard library only).

Each line is read by :mod:`~sphinxcontrib_lstmparams.constructors` (never run), counted by
its layer kind, and passes its output shape to the next line. A line that cannot be read or
counted becomes a row marked with what went wrong; the rows after it still show what can be
known, and the totals say they are incomplete rather than being silently wrong. A line the
framework itself would refuse (``Refused``: an LSTM on a 2-D input, a view that does not fit)
is marked the same way, and the model has no total at all: the framework would not build it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..constructors import NOT_A_LITERAL, Layer, parse_constructor
from ..counting import Breakdown, count, parse_spec
from ..frameworks import refused_by
from ..kinds import KINDS, LayerKind
from ..options import describe, parse_choice
from ..spec import DTYPE_BYTES, FrameworkName, OptionError, Refused, Shape
from .keras.names import KerasNames
from .torch.steps import StepError, apply_step, is_forward_step

MODEL_FRAMEWORKS: tuple[FrameworkName, ...] = ("keras", "pytorch")
# what each framework calls a model built from these lines, when the page does not say:
# Keras' first Sequential, and the class torchinfo names on its first row
DEFAULT_TITLES: dict[FrameworkName, str] = {"keras": "sequential", "pytorch": "Model"}
MAX_LAYERS = 1_000
MAX_LINE = 2_000  # characters in one layer's call, continuation lines joined
# the largest size of an axis we pass on (Flatten and RepeatVector multiply sizes; Python
# cannot print an int of more than 4,300 digits)
MAX_AXIS = 10**100
# layers whose rows link to a gate-by-gate breakdown
RECURRENT_KINDS = frozenset({"recurrent", "ConvLSTM"})


@dataclass(frozen=True)
class Row:
    """One layer as the summary lists it."""

    line: int  # the body line it starts on (0-based)
    cls: str  # the class the summary shows: Bidirectional, LSTM, Linear
    name: str  # Keras' layer name (lstm, lstm_1), or the class for PyTorch
    source: str  # the line as written
    output_shape: Shape | None = None  # None: not known (a line before it failed)
    breakdown: Breakdown[Any] | None = None  # None: not counted
    frozen: bool = False  # no weight trains (Keras trainable=False, from_pretrained)
    problem: str | None = None

    @property
    def params(self) -> int:
        return 0 if self.breakdown is None else self.breakdown.total

    @property
    def trainable(self) -> int:
        if self.breakdown is None or self.frozen:
            return 0
        return self.breakdown.trainable_total

    @property
    def param_bytes(self) -> int:
        if self.breakdown is None:
            return 0
        return self.breakdown.total * DTYPE_BYTES[self.breakdown.spec.dtype]

    @property
    def trainable_bytes(self) -> int:
        if self.breakdown is None:
            return 0
        return self.trainable * DTYPE_BYTES[self.breakdown.spec.dtype]

    @property
    def recurrent(self) -> bool:
        """A row whose count a gate-by-gate breakdown explains."""
        return self.breakdown is not None and (
            KINDS[self.breakdown.spec.cell].name in RECURRENT_KINDS
        )


@dataclass(frozen=True)
class ModelSummary:
    framework: FrameworkName
    title: str  # Keras' model name, or the class torchinfo shows first
    input_shape: Shape | None  # as given (PyTorch: with the batch), or None
    input_dtype: str  # int64 word numbers or float32 features
    output_shape: Shape | None  # after the last line, forward steps included
    rows: tuple[Row, ...]
    # (line, problem) of the steps between layers we could not follow: no row, no count
    step_problems: tuple[tuple[int, str], ...] = ()
    # the first line (a layer or a step) the framework itself refuses, its problem saying
    # why; None when it would build the model. A refused model has no total.
    refused_at: int | None = None

    @property
    def complete(self) -> bool:
        return all(row.problem is None for row in self.rows)

    @property
    def refused(self) -> bool:
        return self.refused_at is not None

    @property
    def total(self) -> int:
        return sum(row.params for row in self.rows)

    @property
    def trainable(self) -> int:
        return sum(row.trainable for row in self.rows)

    @property
    def non_trainable(self) -> int:
        return self.total - self.trainable

    @property
    def problems(self) -> list[Row]:
        return [row for row in self.rows if row.problem]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (``lstm-params --model FILE --json``)."""
        return {
            "framework": self.framework,
            "model_name": self.title,
            "input_shape": None if self.input_shape is None else list(self.input_shape),
            "input_dtype": self.input_dtype,
            "output_shape": None if self.output_shape is None else list(self.output_shape),
            "complete": self.complete,
            "refused_at": None if self.refused_at is None else self.refused_at + 1,
            "total": None if self.refused else self.total,
            "trainable": None if self.refused else self.trainable,
            "non_trainable": None if self.refused else self.non_trainable,
            "step_problems": [
                {"line": line + 1, "problem": problem} for line, problem in self.step_problems
            ],
            "layers": [
                {
                    "line": row.line + 1,
                    "name": row.name,
                    "class": row.cls,
                    "source": row.source,
                    "output_shape": None if row.output_shape is None else list(row.output_shape),
                    "params": None if row.problem else row.params,
                    "trainable": None if row.problem else row.trainable,
                    "problem": row.problem,
                    "breakdown": row.breakdown.as_dict()
                    if row.recurrent and row.breakdown
                    else None,
                }
                for row in self.rows
            ],
        }


class ModelError(OptionError):
    """A model that cannot be read at all (no layers, no framework, a bad input line);
    ``line`` is the body line (0-based) when one is to blame."""

    def __init__(self, message: str, line: int | None = None, option: str | None = None) -> None:
        super().__init__(message, option)
        self.line = line


# -- lines ---------------------------------------------------------------------------------------


def _code(line: str) -> str:
    """A line without its ``# comment`` (a ``#`` inside quotes stays)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def split_lines(lines: Sequence[str]) -> list[tuple[int, str]]:
    """The body's layers, each with the line it starts on: blank lines and ``#`` comments
    skipped, a trailing comma dropped, a call continued over lines until its brackets close.
    A line indented no deeper than an unclosed call's first line starts a layer of its own
    (the unclosed one is then reported, not the whole model swallowed)."""
    layers: list[tuple[int, str]] = []
    pending: list[str] = []
    start = indent = 0
    for index, line in enumerate(lines):
        _check_count(layers)
        text = _code(line).strip()
        if not text:
            continue
        depth = len(line) - len(line.lstrip())
        if pending and depth <= indent and text[0] not in ")]}":
            layers.append((start, " ".join(pending)))
            pending = []
        if not pending:
            start, indent = index, depth
        pending.append(text)
        joined = " ".join(pending)
        if len(joined) > MAX_LINE:  # its row says it is too long to read
            layers.append((start, joined[: MAX_LINE + 1]))
            pending = []
            continue
        if sum(joined.count(c) for c in "([{") <= sum(joined.count(c) for c in ")]}"):
            layers.append((start, joined.rstrip(",").strip()))
            pending = []
    if pending:
        layers.append((start, " ".join(pending)))
    _check_count(layers)
    return layers


def _check_count(layers: list[tuple[int, str]]) -> None:
    """At most MAX_LAYERS lines of layers and steps (checked as they are read, so that a
    huge body stops early); the error is at the first line past the limit."""
    if len(layers) > MAX_LAYERS:
        raise ModelError(
            f"more than {MAX_LAYERS:,} layers: a summary lists fewer", layers[MAX_LAYERS][0]
        )


# -- the input ----------------------------------------------------------------------------------


def parse_shape(value: object, framework: FrameworkName, batch: bool | None = None) -> Shape:
    """``(None, 16, 4096)``, ``16, 4096`` (Keras: the batch axis is added) or ``[32, 200]``
    (torchinfo's input_size, the batch first). ``batch``: whether the value starts with the
    batch axis (None: for Keras, when it starts with None)."""
    text = str(value).strip()
    try:
        parsed = ast.literal_eval(text if text.startswith(("(", "[")) else f"({text},)")
    except NOT_A_LITERAL:
        parsed = None
    sizes = list(parsed) if isinstance(parsed, tuple | list) else None
    bad = f"input-shape: {describe(value)} is not a shape, such as (None, 16, 4096) or 16, 4096"
    if not sizes or len(sizes) > 8:
        raise OptionError(bad, "input_shape")
    for size in sizes:
        if size is not None and not (
            isinstance(size, int) and not isinstance(size, bool) and 0 < size <= 10**9
        ):
            raise OptionError(bad, "input_shape")
    if framework == "keras" and (batch is False or (batch is None and sizes[0] is not None)):
        sizes.insert(0, None)  # Keras' shapes start with the batch axis, which is None
    elif framework == "pytorch" and None in sizes:
        raise OptionError(
            f"input-shape: {describe(value)}: torchinfo feeds a real tensor, so every size "
            "must be a number (the batch first), such as 32, 200",
            "input_shape",
        )
    return tuple(sizes)


def _input_call(text: str) -> ast.Call | None:
    """``keras.Input(shape=(80,), dtype="int32")`` or ``layers.InputLayer(...)``."""
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func).rpartition(".")[2]
        if name in ("Input", "InputLayer"):
            return node
    return None


def _keras_input(call: ast.Call) -> tuple[Shape, str]:
    """The shape and dtype an Input line gives."""
    values: dict[str, Any] = {}
    try:
        for index, arg in enumerate(call.args[:2]):
            values[("shape", "batch_size")[index]] = ast.literal_eval(arg)
        for keyword in call.keywords:
            if keyword.arg in ("shape", "input_shape", "batch_shape", "dtype"):
                values[keyword.arg] = ast.literal_eval(keyword.value)
    except NOT_A_LITERAL:
        raise ModelError(
            f"{describe(ast.unparse(call))}: not a literal value (numbers, strings, tuples); "
            "pasted code is read, never run"
        ) from None
    shape = values.get("shape", values.get("input_shape"))
    if isinstance(values.get("batch_shape"), tuple | list):
        shape = tuple(values["batch_shape"])[1:]
    if not isinstance(shape, tuple | list):
        raise ModelError(f"{ast.unparse(call)}: no shape=(...) to start the model from")
    return parse_shape(tuple(shape), "keras", batch=False), str(values.get("dtype", "float32"))


# -- the model ------------------------------------------------------------------------------------


def _framework_of(layers: list[tuple[int, str]]) -> FrameworkName:
    for _index, text in layers:
        if is_forward_step(text):
            return "pytorch"
        if _input_call(text) is not None:
            return "keras"
        try:
            framework = parse_constructor(text).framework
        except OptionError:
            continue
        if framework in MODEL_FRAMEWORKS:
            return framework
    # no line could be read: the module they are written with, so that their own errors show
    for _index, text in layers:
        module = text.partition("(")[0].rpartition(".")[0]
        if module.split(".")[0] == "nn" or module.startswith("torch.nn"):
            return "pytorch"  # nn.LSTM, nn.Embedding.from_pretrained
        if module in ("layers", "keras.layers", "tf.keras.layers", "keras"):
            return "keras"
    raise ModelError(
        "framework: cannot tell it from the lines; write the module (nn.LSTM, layers.LSTM) "
        "or give the framework, keras or pytorch",
        option="framework",
    )


@dataclass
class _Flow:
    """What passes from line to line."""

    shape: Shape | None
    dtype: str
    started: bool  # a layer or an input line came before
    first: Shape | None = None  # what the model is fed, once known
    refused_at: int | None = None  # the first line the framework refuses

    def refuse(self, line: int) -> None:
        """The framework stops at ``line``; the lines after it are still read and shown."""
        self.shape = None
        if self.refused_at is None:
            self.refused_at = line


def model_summary(
    code: str | Sequence[str],
    *,
    framework: str | None = None,
    input_shape: object = None,
    model_name: str | None = None,
) -> ModelSummary:
    """What ``model.summary()`` (Keras) or ``torchinfo.summary()`` (PyTorch) would list for
    the model whose layers ``code`` writes, one per line::

        model_summary('''
            keras.Input(shape=(None,), dtype="int32")
            layers.Embedding(20000, 128)
            layers.Bidirectional(layers.LSTM(64))
            layers.Dense(1)
        ''').total  # 2,658,945

    ``input_shape``: Keras style ``(None, 16, 4096)`` or ``(16, 4096)``, or torchinfo's
    ``input_size`` with the batch (``(32, 200)``); without it the input follows from the
    first layer. The text is parsed, never run. Raises :class:`ModelError` when the model
    cannot be read at all; a layer that cannot be counted is a row with its ``problem``.
    """
    lines = code.splitlines() if isinstance(code, str) else list(code)
    return summarize(lines, framework, input_shape, model_name)


def summarize(
    lines: Sequence[str],
    framework: str | None = None,
    input_shape: object = None,
    title: str | None = None,
) -> ModelSummary:
    """The summary of the model the lines build. Raises :class:`ModelError` when the model as
    a whole cannot be read; a line that cannot becomes a row with its ``problem``."""
    if title is not None:
        _check_title(title)
    layers = split_lines(lines)
    if not layers:
        raise ModelError("no layers: write one layer per line, as in the framework")
    if framework is None:
        chosen = _framework_of(layers)
    else:
        chosen = parse_choice("framework", framework, MODEL_FRAMEWORKS)  # type: ignore[assignment]
    given = None if input_shape is None else parse_shape(input_shape, chosen)
    flow = _Flow(given, "float32", False, given)
    names = KerasNames()
    rows: list[Row] = []
    notes: list[tuple[int, str]] = []
    for index, text in layers:
        keras_input = _input_call(text) if chosen == "keras" else None
        if keras_input is not None:
            if flow.started:
                raise ModelError(f"{text}: an input after the first layer", index)
            try:
                shape, flow.dtype = _keras_input(keras_input)
            except ModelError as error:
                raise ModelError(str(error), index) from None
            flow.shape = flow.first = given or shape
            flow.started = True
            continue
        if is_forward_step(text):
            # a step has no row (torchinfo lists modules) and no parameters; one we cannot
            # follow leaves the shapes after it unknown, and says so
            if chosen != "pytorch":
                notes.append((index, f"{text}: a step of a PyTorch forward, not a Keras layer"))
                flow.shape = None
            elif flow.shape is not None:
                try:
                    flow.shape = apply_step(text, flow.shape)
                except Refused as error:
                    notes.append((index, f"{text}: {error}"))
                    flow.refuse(index)
                except StepError as error:
                    notes.append((index, f"{error}; the shapes after it are not known"))
                    flow.shape = None
            flow.started = True
            continue
        rows.append(_layer(index, text, chosen, flow, names))
        flow.started = True
    return ModelSummary(
        chosen,
        title or DEFAULT_TITLES[chosen],
        given if chosen == "pytorch" else flow.first,
        flow.dtype,
        flow.shape,
        tuple(rows),
        tuple(notes),
        flow.refused_at,
    )


# C0 and C1 controls, DEL, and the bidirectional overrides a terminal would obey
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _check_title(title: str) -> None:
    """A model name is printed as the framework's text, in a terminal too: no control
    characters (an escape sequence would act on the reader's terminal)."""
    found = _CONTROL.search(title)
    if found:
        raise ModelError(
            f"model-name: {describe(title)} holds the control character U+{ord(found.group()):04X}",
            option="model_name",
        )


def _layer(index: int, text: str, framework: FrameworkName, flow: _Flow, names: KerasNames) -> Row:
    """One layer line -> its row; ``flow`` moves on to what it passes to the next line."""
    try:
        layer = _pretrained(text, framework) or parse_constructor(text, framework)
    except OptionError as error:
        flow.shape = None
        if isinstance(error, Refused):
            flow.refuse(index)
        shown = text.partition("(")[0].strip().removesuffix(".from_pretrained")
        shown = shown.rpartition(".")[2]
        shown = shown if shown.isidentifier() else "?"
        # Keras would still have made (and named) the layer, if only the count is beyond us
        named = names.take(shown) if framework == "keras" and shown != "?" else shown
        return Row(
            index,
            shown,
            named,
            text,
            problem=str(error),
        )
    shown = layer.wrappers[0] if layer.wrappers else layer.cls
    name = names.of(layer) if framework == "keras" else shown
    row = Row(index, shown, name, text)
    several = _several_outputs(layer)
    if several:
        flow.shape = None
        return replace(row, problem=several)
    alone = _cell_alone(layer)
    if alone:
        flow.refuse(index)
        return replace(row, problem=str(alone))
    options = {**layer.options, "framework": layer.framework}
    kind: LayerKind[Any] = KINDS[str(options.get("cell", "lstm"))]
    if not flow.started and flow.shape is None and "input_shape" in layer.call:
        try:
            shape = tuple(_sizes(layer.call["input_shape"]))
            flow.shape = parse_shape(shape, "keras", batch=False)
            flow.first = flow.shape
        except OptionError as error:
            flow.shape = None
            return replace(row, problem=str(error))
    try:
        step = _per_step(flow.shape, layer)
        width = (
            None
            if step is None
            else kind.input_width(str(options.get("cell")), step, layer.call, framework)
        )
    except OptionError as error:  # an axis= the input does not have
        if isinstance(error, Refused):
            flow.refuse(index)
        flow.shape = None
        return replace(row, problem=f"{layer.source}: {error}")
    if "input_dim" in kind.options:
        said = options.get("input_dim")
        if said is None and width is None and flow.started:
            return replace(
                row,
                problem=f"{layer.source}: its input width is not known, since the line "
                "before could not be followed",
            )
        if said is None and width is None:
            flow.shape = None
            where = "keras.Input(shape=...) first, " if framework == "keras" else ""
            return replace(
                row,
                problem=f"{layer.source}: its input width is not known; give "
                f"{where}input-shape, or input_shape=(...) in the first layer",
            )
        if said is not None and width is not None and said != width:
            why = f"{layer.source} reads {said} features, the layer before gives {width}"
            if framework == "pytorch":  # its weights are made for the width it was given
                flow.refuse(index)
                why = str(refused_by("pytorch", why, _torch_width_says(layer, said, width)))
            flow.shape = None
            return replace(row, problem=why)
        if said is None:
            options["input_dim"] = width
    options.pop("input_shape", None)
    try:
        breakdown: Breakdown[Any] = count(parse_spec(options))
    except OptionError as error:
        flow.shape = None
        if isinstance(error, Refused):
            flow.refuse(index)
        return replace(row, problem=str(error))
    frozen = layer.call.get("trainable") is False and kind.keras_freezes
    if frozen:
        breakdown = replace(
            breakdown, tensors=tuple(replace(t, trainable=False) for t in breakdown.tensors)
        )
    first = None if flow.started else kind.first_input(breakdown.spec, layer.cls)
    if first is not None:
        flow.dtype = first[1]  # an Input line would have started the model with its own
        if flow.shape is None:
            flow.shape = flow.first = first[0]
            step = _per_step(flow.shape, layer)
    try:
        out = None if step is None else _applied(kind, breakdown, step, layer)
    except OptionError as error:  # refused, or a size beyond what we follow
        if isinstance(error, Refused):
            flow.refuse(index)
            error = _in_time_distributed(error, layer, step)
        flow.shape = None
        return replace(row, problem=f"{layer.source}: {error}")
    if out is not None and flow.shape is not None and "TimeDistributed" in layer.wrappers:
        out = (flow.shape[0], flow.shape[1], *out[1:])
    flow.shape = out
    return replace(row, output_shape=out, breakdown=breakdown, frozen=frozen)


def _several_outputs(layer: Layer) -> str | None:
    """Why a Keras layer returns a list of tensors (its row would show a list of shapes, and
    the next line could not take them), or None."""
    if layer.framework != "keras":
        return None
    if layer.call.get("return_state"):
        return (
            f"{layer.source}: return_state=True returns the output and the states, several "
            "tensors; a model of one layer per line passes one on"
        )
    if "merge_mode" in layer.call and layer.call["merge_mode"] is None:
        return (
            f"{layer.source}: merge_mode=None returns each direction apart, two tensors; a "
            "model of one layer per line passes one on"
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
    shapes from here on are not known). Raises OptionError for a size beyond what we follow,
    Refused for an input the framework refuses."""
    # the class that reads the input: RNN runs its cell over a sequence (LSTMCell steps once)
    reader = "RNN" if "RNN" in layer.wrappers else layer.cls
    try:
        result: Shape = kind.output_shape(breakdown.spec, shape, {**layer.call, "class": reader})
    except OptionError:
        raise
    except (ValueError, IndexError, TypeError, ZeroDivisionError):
        return None
    if any(size is not None and size > MAX_AXIS for size in result):
        largest = describe(max(size or 0 for size in result))
        raise OptionError(f"its output has more positions on an axis than we follow ({largest})")
    return result


def _pretrained(text: str, framework: FrameworkName) -> Layer | None:
    """PyTorch's ``nn.Embedding.from_pretrained(torch.zeros(V, d), freeze=True)``: the table's
    size from the tensor's, frozen unless ``freeze=False``."""
    if framework != "pytorch" or ".from_pretrained(" not in text:
        return None
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None  # the constructor parser says what is wrong
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    owner = ast.unparse(node.func.value)
    if owner.rpartition(".")[2] != "Embedding":
        raise OptionError(f"{owner}.from_pretrained: only nn.Embedding's is counted")
    weights = node.args[0] if node.args else None
    sizes: list[object] = []
    if isinstance(weights, ast.Call):
        try:
            sizes = [ast.literal_eval(arg) for arg in weights.args]
        except NOT_A_LITERAL:
            sizes = []
        if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
            sizes = list(sizes[0])  # torch.zeros((V, d)) takes its size as one tuple too
    if len(sizes) != 2 or not all(isinstance(n, int) and n > 0 for n in sizes):
        raise OptionError(
            f"{owner}.from_pretrained: give the weights as a (vocabulary, units) tensor, such "
            "as torch.zeros(10000, 300); a variable's size cannot be read"
        )
    freeze = True
    for keyword in node.keywords:
        if keyword.arg == "freeze":
            try:
                freeze = bool(ast.literal_eval(keyword.value))
            except NOT_A_LITERAL:
                raise OptionError("from_pretrained: freeze must be True or False") from None
    options: dict[str, object] = {
        "cell": "embedding",
        "framework": "pytorch",
        "vocabulary": sizes[0],
        "units": sizes[1],
    }
    return Layer(
        "pytorch", options, f"{owner}.from_pretrained", "Embedding", {"trainable": not freeze}
    )


__all__ = [
    "ModelError",
    "ModelSummary",
    "Row",
    "model_summary",
    "parse_shape",
    "split_lines",
    "summarize",
]
