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
from .code.reader import DEFINE_HINT, MAX_NESTING, Reader, StepText, UnknownCall
from .code.values import Function, Unknown
from .keras.functional import FunctionalModel, functional_summary
from .keras.library import BadInput, KerasInput, SequentialObject
from .keras.sequential import keras2_notes, layer_item, sequential_chain
from .keras.subclassed import SubclassedModel
from .lines import check_count, split_lines
from .summary import (
    MODEL_FRAMEWORKS,
    ModelError,
    ModelSummary,
    SummaryCall,
    check_title,
    parse_shape,
)
from .torch.cell import COLUMNS, TorchPick, option_input, pick_model
from .torch.modules import Sequential, TorchModule, named_modules
from .torch.printed_tree import looks_like_tree, read_tree
from .torch.steps import is_forward_step
from .torch.tree import ForwardInput, module_summary


def read_model(
    lines: Sequence[str],
    *,
    framework: str | None = None,
    input_shape: object = None,
    title: str | None = None,
    define: Defines = NO_DEFINES,
    variable: str | None = None,
    define_hint: str = DEFINE_HINT,
    model_class: str | None = None,
    depth: int | None = None,
    columns: Sequence[str] | None = None,
) -> ModelSummary:
    """The summary of the model ``lines`` build. Raises :class:`~.summary.ModelError` when no
    model can be read at all; a layer that cannot be counted is a row with its ``problem``,
    and what the reader could not follow is in ``step_problems`` (and ``notes``), each at
    its line (0-based). ``model_class``, ``depth`` and ``columns`` are PyTorch's: the class
    of the cell (and its arguments) that is the model, torchinfo's ``depth=`` and
    ``col_names=``."""
    if title is not None:
        check_title(title)
    chosen: FrameworkName | None = None
    if framework is not None:
        chosen = parse_choice("framework", framework, MODEL_FRAMEWORKS)  # type: ignore[assignment]
    text = "\n".join(lines)
    if not text.strip():
        raise ModelError("no layers: paste the model's code, or write one layer per line")
    layout = _Layout(depth, tuple(columns) if columns is not None else None)
    if chosen == "keras" and (depth is not None or columns is not None):
        layout.refuse_for_keras()
    reader = Reader(define, chosen, define_hint)
    chain: Chain | ModelSummary
    try:
        tree = ast.parse(text)
        _within_nesting(tree)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        if chosen != "keras" and looks_like_tree(lines):
            return _printed_tree(lines, reader, input_shape, title, layout)
        if not _looks_like_lines(lines):
            raise _not_python(error, text) from None
        chain = _lines_chain(lines, reader)
    else:
        reader.source = text
        reader.run(tree)
        picked = None if chosen == "keras" else pick_model(reader, variable, model_class)
        if picked is not None:
            return _torch(reader, picked, input_shape, title, layout)
        if model_class is not None:
            raise ModelError(
                "model-class: the cell defines no nn.Module class to make", option="model_class"
            )
        chain = _chain(reader, variable)
    if isinstance(chain, ModelSummary):  # a graph of layers (a Keras functional model)
        summary = chain
        if depth is not None or columns is not None:
            layout.refuse_for_keras()
        if input_shape is not None:
            raise ModelError(
                "input-shape: the model's keras.Input(...) give its inputs; the option is "
                "for a Sequential or layers one per line",
                option="input_shape",
            )
        check_count([row.line for row in summary.rows])
    else:
        if chain.framework == "keras" and (depth is not None or columns is not None):
            layout.refuse_for_keras()
        if input_shape is not None:
            given = parse_shape(input_shape, chain.framework)
            chain = Chain(chain.framework, chain.items, chain.title, given, chain.call,
                          chain.step_problems, chain.notes)  # fmt: skip
        if chain.framework == "pytorch":
            shaped = chain.input_shape is not None
            chain = replace(chain, call=layout.applied(chain.call, shaped))
        check_count([item.line for item in chain.items if isinstance(item, LayerItem)])
        summary = summarize_chain(chain)
    messages = [(m.line, m.text) for m in reader.messages if m.level == "warning"]
    notes = [(m.line, m.text) for m in reader.messages if m.level == "note"]
    return replace(
        summary,
        title=title or summary.title,
        step_problems=tuple(sorted({*summary.step_problems, *messages})),
        notes=tuple(sorted({*summary.notes, *notes})),
    )


class _Layout:
    """The page's ``depth`` and ``columns`` (torchinfo's), over what the cell's own
    ``summary()`` call says."""

    def __init__(self, depth: int | None, columns: tuple[str, ...] | None) -> None:
        self.depth = depth
        self.columns = columns

    def refuse_for_keras(self) -> None:
        option = "depth" if self.depth is not None else "columns"
        raise ModelError(
            f"{option}: torchinfo's option, for a PyTorch model (Keras' summary has "
            "expand_nested and show_trainable)",
            option=option,
        )

    def applied(self, call: SummaryCall, shaped: bool) -> SummaryCall:
        if self.depth is not None:
            call = replace(call, depth=self.depth)
        if self.columns is not None:
            call = replace(call, col_names=self.columns)
        wanted = set(call.col_names or ()) & {"input_size", "output_size", "mult_adds"}
        if wanted and not shaped:
            if self.columns is not None:
                raise ModelError(
                    f"columns: {', '.join(sorted(wanted))} need an input (give input-shape, "
                    "or summary(model, input_size=...) in the cell)",
                    option="columns",
                )
            call = replace(call, col_names=None)
        return call


def _torch(
    reader: Reader,
    picked: TorchPick,
    input_shape: object,
    title: str | None,
    layout: _Layout,
) -> ModelSummary:
    """The summary of a model of modules the cell makes."""
    model = picked.model
    if not isinstance(model, TorchModule):
        why = reader.explain(model) if isinstance(model, Unknown) else "it is not a module"
        raise ModelError(f"the model cannot be made: {why}")
    given = picked.given
    if input_shape is not None:
        given = option_input(parse_shape(input_shape, "pytorch"))
    call = layout.applied(picked.call, given is not None)
    summary = module_summary(reader, model, given, call)
    return _with_messages(summary, reader, title)


def _with_messages(summary: ModelSummary, reader: Reader, title: str | None) -> ModelSummary:
    messages = [(m.line, m.text) for m in reader.messages if m.level == "warning"]
    notes = [(m.line, m.text) for m in reader.messages if m.level == "note"]
    return replace(
        summary,
        title=title or summary.title,
        step_problems=tuple(sorted({*summary.step_problems, *messages})),
        notes=tuple(sorted({*summary.notes, *notes})),
    )


def _printed_tree(
    lines: Sequence[str], reader: Reader, input_shape: object, title: str | None, layout: _Layout
) -> ModelSummary:
    """A ``print(model)`` tree: its modules in the order they are printed (torchinfo
    without an input); with an input only when every container is an ``nn.Sequential``
    (whose forward is known)."""
    tree = read_tree(lines)
    given: ForwardInput | None = None
    if input_shape is not None:
        shape = parse_shape(input_shape, "pytorch")
        runs = all(
            isinstance(m, Sequential) or not isinstance(m, TorchModule)
            for _path, m in named_modules(tree.model)
        )
        if runs:
            given = option_input(shape)
        else:
            reader.note(
                0,
                "input-shape: a print(model) tree does not show forward, so the rows are the "
                "modules in the order they are printed, without shapes (torchinfo without an "
                "input)",
            )
    call = layout.applied(SummaryCall(), given is not None)
    for line, note in tree.notes:
        reader.note(line, note)
    hidden = tuple(dict.fromkeys(cls for _line, cls in tree.custom))
    summary = module_summary(reader, tree.model, given, call, hidden)
    if hidden:
        shown = ", ".join(hidden)
        reader.note(
            tree.custom[0][0],
            f"print(model) does not show an nn.Parameter a class of the author's holds "
            f"itself; {shown} may hold more than the rows show, so the totals are at least",
        )
    return _with_messages(summary, reader, title)


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
    return ModelError(
        f"the code nests too deep to read (more than {MAX_NESTING} levels of brackets or "
        "operators in one statement)"
    )


def _within_nesting(tree: ast.AST) -> None:
    """Raise RecursionError when the tree nests deeper than the reader reads (walked without
    recursion, so that the check itself cannot overflow)."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise RecursionError
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


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
    model_class: str | None = None,
    depth: int | None = None,
    columns: Sequence[str] | str | None = None,
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
    says). PyTorch: ``model_class``, the class of the cell that is the model, with its
    arguments if any (``"Seq2Seq(enc, dec, device)"``); ``depth`` and ``columns``,
    torchinfo's ``depth=`` and ``col_names=``. The code is parsed, never run. Raises
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
        model_class=model_class,
        depth=parse_depth(depth) if depth is not None else None,
        columns=parse_columns(columns) if columns is not None else None,
    )
    if expand_nested is not None:
        summary = replace(summary, call=replace(summary.call, expand_nested=expand_nested))
    return summary


def parse_depth(value: object) -> int:
    """torchinfo's ``depth``: a whole number from 0."""
    text = str(value).strip()
    if not text.isdigit() or int(text) > 100:
        raise ModelError(f"depth: {text!r} is not a depth (0, 1, 2 ... torchinfo's default is 3)",
                         option="depth")  # fmt: skip
    return int(text)


def parse_columns(value: object) -> tuple[str, ...]:
    """torchinfo's ``col_names``: words from :data:`~.torch.cell.COLUMNS`, in order, separated
    by commas or spaces."""
    words = value.replace(",", " ").split() if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    for word in words:
        if word not in COLUMNS:
            raise ModelError(
                f"columns: {word!r} is not one of torchinfo's columns ({', '.join(COLUMNS)})",
                option="columns",
            )
    if not words:
        raise ModelError("columns: name at least one column", option="columns")
    return tuple(str(word) for word in words)


def summarize(
    lines: Sequence[str],
    framework: str | None = None,
    input_shape: object = None,
    title: str | None = None,
) -> ModelSummary:
    """:func:`read_model` with the arguments in order (the tests' and recorders' form)."""
    return read_model(lines, framework=framework, input_shape=input_shape, title=title)


__all__ = ["model_summary", "parse_columns", "parse_depth", "read_model", "summarize"]
