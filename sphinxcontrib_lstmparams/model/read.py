"""What was pasted -> the model's summary (standard library only).

The paste may be a code cell as a notebook holds it (imports, values, ``model =
Sequential()``, ``model.add(...)``, a builder function, ``model.summary()``) or the model's
layers one per line; both are Python, read by the code reader (:mod:`.code`), never run.
Text that is not Python as a whole is read line by line, each line a layer, so that one broken
line is one row that says so and the others still count.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..constructors import looks_like_constructor, parse_constructor
from ..options import parse_choice
from ..spec import FrameworkName, OptionError
from .chain import Chain, ChainItem, InputItem, LayerItem, StepItem, summarize_chain
from .code.defines import NO_DEFINES, Defines, merge
from .code.evaluate import Stop
from .code.layers import LayerObject, keras_name
from .code.reader import DEFINE_HINT, Reader, StepText, UnknownCall
from .code.values import Function
from .keras.functional import FunctionalModel, functional_summary
from .keras.library import BadInput, KerasInput, SequentialObject
from .keras.sequential import keras2_notes, layer_item, sequential_chain
from .keras.subclassed import SubclassedModel
from .lines import split_lines
from .summary import MAX_LAYERS, MODEL_FRAMEWORKS, ModelError, ModelSummary, parse_shape
from .torch.steps import is_forward_step


def read_model(
    lines: Sequence[str],
    *,
    framework: str | None = None,
    input_shape: object = None,
    title: str | None = None,
    define: Defines = NO_DEFINES,
    variable: str | None = None,
    define_hint: str = DEFINE_HINT,
) -> ModelSummary:
    """The summary of the model ``lines`` build. Raises :class:`~.summary.ModelError` when no
    model can be read at all; a layer that cannot be counted is a row with its ``problem``,
    and what the reader could not follow is in ``step_problems`` (and ``notes``), each at
    its line (0-based)."""
    chosen: FrameworkName | None = None
    if framework is not None:
        chosen = parse_choice("framework", framework, MODEL_FRAMEWORKS)  # type: ignore[assignment]
    text = "\n".join(lines)
    if not text.strip():
        raise ModelError("no layers: paste the model's code, or write one layer per line")
    reader = Reader(define, chosen, define_hint)
    chain: Chain | ModelSummary
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        if not _looks_like_lines(lines):
            raise _not_python(error, text) from None
        chain = _lines_chain(lines, reader)
    else:
        reader.source = text
        reader.run(tree)
        chain = _chain(reader, variable)
    if isinstance(chain, ModelSummary):  # a graph of layers (a Keras functional model)
        summary = chain
        if input_shape is not None:
            raise ModelError(
                "input-shape: the model's keras.Input(...) give its inputs; the option is "
                "for a Sequential or layers one per line",
                option="input_shape",
            )
        if len(summary.rows) > MAX_LAYERS:
            raise ModelError(f"more than {MAX_LAYERS:,} layers: a summary lists fewer")
    else:
        if input_shape is not None:
            given = parse_shape(input_shape, chain.framework)
            chain = Chain(chain.framework, chain.items, chain.title, given, chain.call,
                          chain.step_problems, chain.notes)  # fmt: skip
        if sum(isinstance(item, LayerItem) for item in chain.items) > MAX_LAYERS:
            raise ModelError(f"more than {MAX_LAYERS:,} layers: a summary lists fewer")
        summary = summarize_chain(chain)
    messages = [(m.line, m.text) for m in reader.messages if m.level == "warning"]
    notes = [(m.line, m.text) for m in reader.messages if m.level == "note"]
    return replace(
        summary,
        title=title or summary.title,
        step_problems=tuple(sorted({*summary.step_problems, *messages})),
        notes=tuple(sorted({*summary.notes, *notes})),
    )


def _not_python(error: Exception, text: str) -> ModelError:
    """One error at the line (and column) where the paste stops being Python."""
    if isinstance(error, SyntaxError) and error.lineno:
        column = f" (column {error.offset})" if error.offset else ""
        return ModelError(
            f"not Python: {error.msg}{column}; the code is parsed as Python, never run",
            error.lineno - 1,
        )
    if isinstance(error, ValueError):  # a NUL byte (Python 3.10 raises ValueError)
        return ModelError("not Python: the text holds a character Python source cannot hold")
    return ModelError("not Python: the code nests too deep to read")


def _looks_like_lines(lines: Sequence[str]) -> bool:
    """Whether text that is not Python as a whole is one layer per line (so each line is read
    on its own): every line a call of a class, an input, or a step on ``x``."""
    try:
        layers = split_lines(lines)
    except ModelError:
        return True  # too many layers: said as such by the line reader
    return bool(layers) and all(
        looks_like_constructor(text) or is_forward_step(text) for _index, text in layers
    )


def _lines_chain(lines: Sequence[str], reader: Reader) -> Chain:
    """Each line read on its own, in one session (Keras' names go on from line to line); a
    line that is not Python is a row that says why."""
    broken: list[tuple[int, object]] = []
    for index, text in split_lines(lines):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            broken.append((index, _Broken(text, reader)))
            continue
        reader.line_offset = index
        reader.source = text
        reader.run(tree)
    reader.loose = sorted([*reader.loose, *broken], key=lambda pair: pair[0])
    return _loose_chain(reader)


class _Broken:
    """A line that is not Python, in a paste of one layer per line: Keras would still have
    made (and named) the layer, if only its count is beyond us."""

    def __init__(self, text: str, reader: Reader) -> None:
        self.text = text
        cls = text.partition("(")[0].strip().rpartition(".")[2]
        self.cls = cls if cls.isidentifier() else "?"
        self.name = self.cls
        if self.cls != "?" and reader.framework_of_cell() != "pytorch":
            self.name = keras_name(reader, self.cls, None)

    def problem(self) -> str:
        try:
            parse_constructor(self.text)
        except OptionError as error:
            return str(error)
        return "not a Python call"  # pragma: no cover - parse_constructor refuses it


def _chain(reader: Reader, variable: str | None) -> Chain | ModelSummary:
    """The chain of the model the cell is about (or, for a graph of layers, its summary):
    the one ``variable`` names; else the last one ``model.summary()`` is called on; else
    the last one made; else what a builder function returns; else the layers written one
    per line."""
    models = reader.models_by_name()
    model: object = None
    if variable is not None:
        model = models.get(variable)
        if model is None:
            found = reader.module.names.get(variable)
            model = _built_by(reader, found) if isinstance(found, Function) else None
        if model is None:
            known = ", ".join(sorted(models)) or "none"
            raise ModelError(
                f"model-variable: the cell has no model named {variable!r} (its models: {known})",
                option="model_variable",
            )
    elif reader.summarized:
        model = reader.summarized[-1][0]
    elif reader.made:
        model = reader.made[-1]
    else:
        for function in reversed([v for v in reader.module.names.values()
                                  if isinstance(v, Function)]):  # fmt: skip
            model = _built_by(reader, function)
            if model is not None:
                break
    if isinstance(model, SequentialObject):
        return sequential_chain(model, reader)
    if isinstance(model, FunctionalModel):
        return functional_summary(model)
    if isinstance(model, SubclassedModel):
        return model.summary()
    if model is not None:
        raise ModelError(f"{type(model).__name__}: a model the reader cannot summarize yet")
    return _loose_chain(reader)


def _built_by(reader: Reader, function: Function) -> object:
    """The model a builder function returns when called with its defaults (and the author's
    defines for its arguments), or None."""
    node = function.node
    call = ast.Call(func=ast.Name(id=function.name, ctx=ast.Load()), args=[], keywords=[])
    ast.copy_location(call, node)
    before = len(reader.made)
    try:
        result = reader.call_function(function, [], {}, call)
    except Stop as stop:
        reader.warn(stop.node, stop.why)
        return None
    if isinstance(result, SequentialObject | FunctionalModel | SubclassedModel):
        return result
    return reader.made[-1] if len(reader.made) > before else None


def _loose_chain(reader: Reader) -> Chain:
    """The layers written one per line (expression lines), in order."""
    values: list[tuple[int, object]] = []
    for line, value in reader.loose:
        if isinstance(value, tuple):  # `layers.Dense(1),`: a trailing comma
            values.extend((line, item) for item in value)
        else:
            values.append((line, value))
    if not any(isinstance(value, _CHAIN_VALUES) for _line, value in values):
        if reader.stop is not None:  # the read stopped before any model was made
            raise ModelError(reader.stop.text, reader.stop.line)
        warned = [m for m in reader.messages if m.level == "warning"]
        if warned:  # what kept the model from being made (keras.Model of what is not known)
            raise ModelError(f"no model: {warned[0].text}", warned[0].line)
        raise ModelError(
            "no model: the code builds none (write model = keras.Sequential(...), or one "
            "layer per line)"
        )
    framework = reader.framework or _framework_of(reader, values)
    items: list[ChainItem] = []
    made: list[tuple[ChainItem, LayerObject]] = []
    for line, value in values:
        if isinstance(value, LayerObject):
            items.append(layer_item(value, reader, framework))
            made.append((items[-1], value))
        elif isinstance(value, BadInput):
            raise ModelError(value.problem, line)  # a paste of lines: as the line reader did
        elif isinstance(value, KerasInput):
            items.append(InputItem(line, value.shape, value.dtype))
        elif isinstance(value, StepText):
            items.append(StepItem(line, value.text))
        elif isinstance(value, _Broken):
            name = value.name if framework == "keras" else value.cls
            items.append(LayerItem(line, value.text, value.cls, name, problem=value.problem()))
        elif isinstance(value, UnknownCall):
            items.append(LayerItem(line, value.text, value.cls, value.cls,
                                   problem=reader.explain(value.unknown)))  # fmt: skip
    notes = keras2_notes([i for i, _ in made], [o for _, o in made]) if framework == "keras" else []
    return Chain(framework, tuple(items), notes=tuple(notes))


# what a paste of one layer per line is made of
_CHAIN_VALUES = (LayerObject, KerasInput, BadInput, StepText, _Broken, UnknownCall)


def _framework_of(reader: Reader, values: Sequence[tuple[int, object]]) -> FrameworkName:
    """Whose layers a paste of one per line writes: the first that says, else the imports."""
    for _line, value in values:
        if isinstance(value, StepText):
            return "pytorch"
        if isinstance(value, KerasInput | BadInput):
            return "keras"
        if isinstance(value, LayerObject):
            if value.framework in MODEL_FRAMEWORKS:
                return value.framework
            try:
                found = value.layer(None).framework
            except OptionError:
                continue
            if found in MODEL_FRAMEWORKS:
                return found
    guessed = reader.framework_of_cell()
    if guessed is not None:
        return guessed
    # nothing could be read: the module they are written with, so that their own errors show
    for _line, value in values:
        text = value.source if isinstance(value, LayerObject) else getattr(value, "text", "")
        module = text.partition("(")[0].rpartition(".")[0]
        if module.split(".")[0] == "nn" or module.startswith("torch.nn"):
            return "pytorch"
        if module in ("layers", "keras.layers", "tf.keras.layers", "keras"):
            return "keras"
    raise ModelError(
        "framework: cannot tell it from the code; write the module (nn.LSTM, layers.LSTM) "
        "or give the framework, keras or pytorch",
        option="framework",
    )


def model_summary(
    code: str | Sequence[str],
    *,
    framework: str | None = None,
    input_shape: object = None,
    model_name: str | None = None,
    define: Mapping[str, object] | None = None,
    model_variable: str | None = None,
    expand_nested: bool | None = None,
) -> ModelSummary:
    """What ``model.summary()`` (Keras) or ``torchinfo.summary()`` (PyTorch) would list for
    the model ``code`` builds: a code cell as written, or the layers one per line::

        model_summary('''
            from keras.models import Sequential
            from keras.layers import LSTM
            model = Sequential()
            model.add(LSTM(256, input_dim=4096, input_length=16))
            model.summary()
        ''').total  # 4,457,472

    ``define``: values the code uses but cannot know (``{"max_features": 20000,
    "len(chars)": 60}``). ``input_shape``: Keras style ``(None, 16, 4096)`` or ``(16,
    4096)``, or torchinfo's ``input_size`` with the batch (``(32, 200)``). ``model_variable``:
    which of several models (its variable's name). ``expand_nested``: Keras' option, a
    nested model's layers listed under its row (default: as the code's ``model.summary()``
    says). The code is parsed, never run. Raises
    :class:`~.summary.ModelError` when no model can be read; a layer that cannot be counted
    is a row with its ``problem``.
    """
    text = code if isinstance(code, str) else "\n".join(code)
    lines = textwrap.dedent(text).splitlines()  # a paste inside a triple-quoted string
    summary = read_model(
        lines,
        framework=framework,
        input_shape=input_shape,
        title=model_name,
        define=merge([define or {}]),
        variable=model_variable,
        define_hint="define={{{key!r}: ...}}",
    )
    if expand_nested is not None:
        summary = replace(summary, call=replace(summary.call, expand_nested=expand_nested))
    return summary


def summarize(
    lines: Sequence[str],
    framework: str | None = None,
    input_shape: object = None,
    title: str | None = None,
) -> ModelSummary:
    """:func:`read_model` with the arguments in order (the tests' and recorders' form)."""
    return read_model(lines, framework=framework, input_shape=input_shape, title=title)


__all__ = ["model_summary", "read_model", "summarize"]
