"""Keras as the code reader meets it: ``Sequential`` (made empty, from a list, grown with
``add``), ``Input`` and ``InputLayer``, and what a model's methods do to a summary
(standard library only). Signatures are Keras 3's (keras/src/models/sequential.py,
keras/src/layers/core/input_layer.py)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ...spec import OptionError, Shape
from ..code.layers import LayerObject, keras_name
from ..code.library import Library, keras_api
from ..code.values import FrameworkObject, Unknown, shown
from ..summary import SummaryCall, parse_shape
from .inputs import INPUT_POSITIONAL, input_shape_of

if TYPE_CHECKING:
    from ..code.reader import Reader

# model methods that change nothing a summary shows
_QUIET = frozenset(
    {
        "compile", "fit", "evaluate", "predict", "save", "save_weights", "load_weights",
        "train_on_batch", "test_on_batch", "predict_on_batch", "fit_generator", "reset_states",
        "to_json", "get_config", "get_weights", "set_weights", "count_params",
    }
)  # fmt: skip
SEQUENTIAL_PARAMS = ("layers", "trainable", "name")
# an Input's arguments that give its size
_SIZES = frozenset({"shape", "batch_shape", "batch_size", "input_shape", "batch_input_shape"})
SUMMARY_PARAMS = (
    "line_length", "positions", "print_fn", "expand_nested", "show_trainable", "layer_range",
)  # fmt: skip


class KerasInput(FrameworkObject):
    """What ``keras.Input(...)`` or ``layers.InputLayer(...)`` gives: the model's input."""

    def __init__(self, shape: Shape, dtype: str, name: str, line: int) -> None:
        self.shape = shape
        self.dtype = dtype
        self.name = name
        self.line = line

    def shown(self) -> str:
        return f"Input{self.shape}"

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "shape":
            return self.shape
        if name == "dtype":
            return self.dtype
        return super().attribute(reader, name, node)


class BadInput(FrameworkObject):
    """An ``Input`` whose arguments cannot be read: a warning at its line. ``partial`` is what
    is still known of its shape (None where a size is not), so the widths still go on."""

    def __init__(self, problem: str, line: int, partial: Shape | None = None) -> None:
        self.problem = problem
        self.line = line
        self.partial = partial


class SequentialObject(FrameworkObject):
    """A ``keras.Sequential``: its layers in order, each with the line it was made on."""

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line
        self.items: list[tuple[int, object]] = []  # (line, layer or input or what was added)
        self.build_shape: Shape | None = None  # model.build(input_shape)
        self.build_line = 0
        self.call = SummaryCall()
        self.problems: list[tuple[int, str]] = []

    def shown(self) -> str:
        return f"Sequential {self.name!r}"

    def add(self, reader: Reader, value: object, node: ast.AST) -> None:
        line = value.line if isinstance(value, FrameworkObject) else reader.line_of(node)
        self.items.append((line, value))

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "name":
            return self.name
        if name == "layers":
            return [value for _line, value in self.items if isinstance(value, LayerObject)]
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "add":
            layer = args[0] if args else kwargs.get("layer")
            self.add(reader, layer, node.args[0] if node.args else node)
            return None
        if name == "pop":
            if self.items:
                self.items.pop()
            return None
        if name == "summary":
            self._summary(reader, args, kwargs, node)
            return None
        if name == "build":
            self._build(reader, args[0] if args else kwargs.get("input_shape"), node)
            return None
        if name in _QUIET:
            return None
        return super().method(reader, name, args, kwargs, node)

    def _summary(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> None:
        given = dict(zip(SUMMARY_PARAMS, args, strict=False)) | kwargs
        line_length = given.get("line_length")
        expand = given.get("expand_nested")
        trainable = given.get("show_trainable")
        for key, value in given.items():
            if isinstance(value, Unknown):
                reader.note(node, f"model.summary({key}=...): {reader.explain(value)}")
        if "positions" in given or "layer_range" in given:
            reader.note(node, "model.summary(): positions and layer_range are not drawn")
        self.call = SummaryCall(
            line_length if isinstance(line_length, int) and 40 <= line_length <= 1000 else None,
            expand if isinstance(expand, bool) else None,
            trainable if isinstance(trainable, bool) else None,
        )
        reader.summarized.append((self, reader.line_of(node)))

    def _build(self, reader: Reader, shape: object, node: ast.Call) -> None:
        if isinstance(shape, Unknown):
            reader.warn(node, f"model.build(...): {reader.explain(shape)}")
            return
        try:
            sizes = tuple(shape) if isinstance(shape, tuple | list) else (shape,)
            self.build_shape = parse_shape(sizes, "keras", batch=True)
            self.build_line = reader.line_of(node)
        except OptionError as error:
            reader.warn(node, f"model.build({shown(shape)}): {error}")


class KerasLibrary(Library):
    """keras.Sequential, keras.Input and keras.layers.InputLayer, however they are imported."""

    def call(
        self,
        reader: Reader,
        path: str,
        written: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        api = keras_api(path)
        if api is None and "." in path:
            return None
        bare = api is None  # Sequential(...) with no import: Keras' if the page is not PyTorch's
        if bare and reader.framework_of_cell() == "pytorch":
            return None
        name = path if bare else api
        if name in ("Sequential", "models.Sequential"):
            return self._sequential(reader, args, kwargs, node)
        if name in ("Input", "layers.Input", "layers.InputLayer", "InputLayer"):
            return self._input(reader, path.rpartition(".")[2], args, kwargs, node)
        return None

    def _sequential(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> SequentialObject:
        given = dict(zip(SEQUENTIAL_PARAMS, args, strict=False)) | kwargs
        name = keras_name(reader, "Sequential", given.get("name"))
        model = SequentialObject(name, reader.line_of(node))
        layers = given.get("layers")
        if isinstance(layers, Unknown):
            reader.warn(node, f"Sequential(layers): {reader.explain(layers)}")
        elif isinstance(layers, list | tuple):
            list_node = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "layers"), node
            )  # fmt: skip
            items = list_node.elts if isinstance(list_node, ast.List | ast.Tuple) else []
            for index, layer in enumerate(layers):
                at = items[index] if len(items) == len(layers) else list_node
                model.add(reader, layer, at)
        reader.made.append(model)
        return model

    def _input(
        self,
        reader: Reader,
        cls: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> FrameworkObject:
        given = dict(zip(INPUT_POSITIONAL, args, strict=False)) | kwargs
        line = reader.line_of(node)
        for key, value in given.items():
            unknown = _unknown_in(value) if key in _SIZES else None
            if unknown is not None:
                problem = f"{cls}({key}=...): {reader.explain(unknown)}"
                return BadInput(problem, line, _partial(value, key))
        try:
            shape, dtype = input_shape_of(
                {k: v for k, v in given.items() if not isinstance(v, Unknown)}, cls
            )
        except OptionError as error:
            return BadInput(str(error), line)
        return KerasInput(shape, dtype, keras_name(reader, "InputLayer", given.get("name")), line)


def _unknown_in(value: object) -> Unknown | None:
    """The first value not known in a size or a tuple of sizes."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, tuple | list):
        return next((item for item in value if isinstance(item, Unknown)), None)
    return None


def _partial(value: object, key: str) -> Shape | None:
    """What is known of an Input's shape when some size is not (its rank, its other sizes)."""
    if not isinstance(value, tuple | list):
        return None
    sizes = tuple(None if isinstance(n, Unknown) or not isinstance(n, int) else n for n in value)
    return sizes if key in ("batch_shape", "batch_input_shape") else (None, *sizes)


KERAS_LIBRARY = KerasLibrary()
