"""Keras as the code reader meets it: ``Sequential`` (made empty, from a list, grown with
``add``), ``Input`` and ``InputLayer``, ``Model(inputs, outputs)``, the merge layers, a layer
called on tensors, and what a model's methods do to a summary (standard library only).
Signatures are Keras 3's (keras/src/models/sequential.py, keras/src/models/functional.py,
keras/src/layers/core/input_layer.py)."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from ...spec import OptionError, Shape
from ..code.layers import LayerObject, keras_name
from ..code.library import Library, keras_api
from ..code.values import FrameworkObject, Unknown, UserClass, shown
from ..summary import ModelSummary, Row, SummaryCall, parse_shape
from .functional import FunctionalModel
from .graph import KerasTensor, Operation, call_node, first_unknown, keras_tensors
from .inputs import INPUT_POSITIONAL, input_shape_of
from .merges import MERGE_FUNCTIONS, MERGES, make_merge, merge_function

if TYPE_CHECKING:
    from ..code.reader import Reader

# model methods that change nothing a summary shows
QUIET_MODEL_METHODS = frozenset(
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
MODEL_PARAMS = ("inputs", "outputs", "name", "trainable")
# the keywords of a Layer's constructor that give a Sequential its input (Keras 3 reads
# input_shape and input_dim, with a warning, and makes an InputLayer of them)
_DECLARING = ("input_shape", "input_dim")


class InputOperation(Operation):
    """The ``InputLayer`` an ``Input`` makes: a row of a functional model; ``problem``: why
    its shape is not known (its arguments cannot be read)."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__(name, "InputLayer", line)
        self.problem: str | None = None

    def row(self) -> Row:
        return replace(super().row(), problem=self.problem)


class KerasInput(KerasTensor):
    """What ``keras.Input(...)`` or ``layers.InputLayer(...)`` gives: the model's input, a
    Keras tensor made by an InputLayer."""

    def __init__(self, shape: Shape | None, dtype: str, name: str, line: int) -> None:
        node = call_node(InputOperation(name, line), [], line)
        super().__init__(node, 0, shape, dtype)
        node.outputs = [self]
        self.name = name

    def shown(self) -> str:
        return f"Input{self.shape}"

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "name":
            return self.name
        return super().attribute(reader, name, node)


class BadInput(KerasInput):
    """An ``Input`` whose arguments cannot be read: a warning at its line, and a Keras tensor
    whose shape is not known. ``partial`` is what is still known of its shape (None where a
    size is not), so the widths still go on."""

    def __init__(self, problem: str, name: str, line: int, partial: Shape | None = None) -> None:
        super().__init__(None, "float32", name, line)
        self.problem = problem
        self.partial = partial
        operation = self.node.operation
        assert isinstance(operation, InputOperation)
        operation.problem = problem


def summary_call(
    reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> SummaryCall:
    """``model.summary(line_length=..., expand_nested=..., show_trainable=...)`` read."""
    given = dict(zip(SUMMARY_PARAMS, args, strict=False)) | kwargs
    line_length = given.get("line_length")
    expand = given.get("expand_nested")
    trainable = given.get("show_trainable")
    for key, value in given.items():
        if isinstance(value, Unknown):
            reader.note(node, f"model.summary({key}=...): {reader.explain(value)}")
    if "positions" in given or "layer_range" in given:
        reader.note(node, "model.summary(): positions and layer_range are not drawn")
    return SummaryCall(
        line_length if isinstance(line_length, int) and 40 <= line_length <= 1000 else None,
        expand if isinstance(expand, bool) else None,
        trainable if isinstance(trainable, bool) else None,
    )


class SequentialObject(FrameworkObject, Operation):
    """A ``keras.Sequential``: its layers in order, each with the line it was made on. Called
    on a tensor, it is one operation of a functional model."""

    def __init__(self, name: str, line: int) -> None:
        Operation.__init__(self, name, "Sequential", line)
        self.items: list[tuple[int, object]] = []  # (line, layer or input or what was added)
        self.build_shape: Shape | None = None  # model.build(input_shape)
        self.build_line = 0
        self.call = SummaryCall()
        self.problems: list[tuple[int, str]] = []
        self.frozen = False
        self.built = False
        self.declared = False  # its first layer declares the input (Keras 2's input_shape=)
        self.as_layer: ModelSummary | None = None  # its summary, built by its first call

    def shown(self) -> str:
        return f"Sequential {self.name!r}"

    def holds(self, model: SequentialObject) -> bool:
        """Whether ``model`` is this Sequential or one of the Sequentials inside it."""
        return self is model or any(
            isinstance(value, SequentialObject) and value.holds(model) for _l, value in self.items
        )

    def has_input(self) -> bool:
        """Whether its first layer is an InputLayer (an Input, or Keras 2's input_shape=)."""
        return self.declared or any(isinstance(v, KerasInput) for _line, v in self.items[:1])

    def knows_input(self) -> bool:
        """Whether Keras can build it before it is called: it has an InputLayer, or its first
        layer is a model that has one."""
        first = self.items[0][1] if self.items else None
        nested = isinstance(first, SequentialObject) and first.knows_input()
        return self.has_input() or nested or isinstance(first, FunctionalModel)

    def add(self, reader: Reader, value: object, node: ast.AST, rebuild: bool = True) -> None:
        """Sequential.add: Keras makes an InputLayer of a first layer's input_shape, and
        builds the model again (a new Functional, which takes a name) once it has an input
        and a layer."""
        line = value.line if isinstance(value, FrameworkObject) else reader.line_of(node)
        if isinstance(value, SequentialObject) and value.holds(self):
            reader.warn(node, f"{self.shown()} cannot hold itself; this add is not read")
            return
        declares = isinstance(value, LayerObject) and any(k in value.keywords for k in _DECLARING)
        if not self.items and declares:
            keras_name(reader, "InputLayer", None)
            self.declared = True
        self.items.append((line, value))
        if rebuild:
            self.rebuilt(reader)

    def rebuilt(self, reader: Reader) -> None:
        if self.knows_input() and len(self.items) + self.declared > 1:
            self.build_names(reader)

    def build_names(self, reader: Reader) -> None:
        """What Sequential.build makes, in order: an InputLayer when it has none, then the
        Functional it runs (each takes a name)."""
        if not self.has_input():
            keras_name(reader, "InputLayer", None)
        keras_name(reader, "Functional", None)
        self.built = True

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "name":
            return self.name
        if name == "layers":
            return [value for _line, value in self.items if isinstance(value, LayerObject)]
        if name == "trainable":
            return not self.frozen
        return super().attribute(reader, name, node)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """The Sequential used as a layer: built on its first call (for the input it is given,
        when it has none of its own), one node of the outer model."""
        from .sequential import sequential_chain

        given = args[0] if args else kwargs.get("inputs")
        unknown = first_unknown(given)
        if unknown is not None:
            return unknown
        if not isinstance(given, KerasTensor):
            return reader.unknown(
                node, f"calls {self.shown()} on {shown(given)}, not a tensor", definable=False
            )
        if not self.built:
            self.build_names(reader)
        if self.as_layer is None:
            from ..chain import summarize_chain

            chain = sequential_chain(self, reader)
            if not self.has_input() and chain.input_shape is None and given.shape is not None:
                chain = replace(chain, input_shape=given.shape)
            self.as_layer = summarize_chain(chain)
        made = call_node(self, [given], reader.line_of(node))
        shape = self.as_layer.output_shape
        if given.shape is not None and given.shape != self.as_layer.input_shape:
            shape = self._shapes_for(reader, given.shape)
        (output,) = made.add_outputs([shape], "float32")
        return output

    def _shapes_for(self, reader: Reader, shape: Shape) -> Shape | None:
        """Keras calls its layers on the tensor it is given: the output for that shape."""
        from ..chain import summarize_chain
        from .sequential import sequential_chain

        chain = replace(sequential_chain(self, reader), input_shape=shape)
        return summarize_chain(chain).output_shape

    def row(self) -> Row:
        nested = self.as_layer
        return Row(self.line, self.cls, self.name, self.cls, nested=nested, frozen=self.frozen)

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
                self.rebuilt(reader)
            return None
        if name == "summary":
            self.call = summary_call(reader, args, kwargs, node)
            reader.summarized.append((self, reader.line_of(node)))
            return None
        if name == "build":
            self._build(reader, args[0] if args else kwargs.get("input_shape"), node)
            return None
        if name == "__setattr__" and args and args[0] == "trainable":
            self.frozen = args[1] is False
            return None
        if name in QUIET_MODEL_METHODS:
            return None
        return super().method(reader, name, args, kwargs, node)

    def _build(self, reader: Reader, shape: object, node: ast.Call) -> None:
        if isinstance(shape, Unknown):
            reader.warn(node, f"model.build(...): {reader.explain(shape)}")
            return
        try:
            sizes = tuple(shape) if isinstance(shape, tuple | list) else (shape,)
            self.build_shape = parse_shape(sizes, "keras", batch=True)
            self.build_line = reader.line_of(node)
            if self.items:
                self.build_names(reader)
        except OptionError as error:
            reader.warn(node, f"model.build({shown(shape)}): {error}")


class KerasLibrary(Library):
    """keras.Sequential, keras.Input and keras.layers.InputLayer, keras.Model, the merge
    layers, however they are imported; and a Keras layer called on tensors."""

    def called(
        self,
        reader: Reader,
        obj: FrameworkObject,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        if not isinstance(obj, LayerObject) or obj.framework not in (None, "keras"):
            return None
        if obj.framework is None and reader.framework_of_cell() == "pytorch":
            return None
        from .calls import call_layer

        return call_layer(reader, obj, args, kwargs, node)

    def call(
        self,
        reader: Reader,
        path: str,
        written: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        if path == "super" and not args:
            from .subclassed import current_super

            return current_super(reader)
        api = keras_api(path)
        if api is None and "." in path:
            return None
        bare = api is None  # Sequential(...) with no import: Keras' if the page is not PyTorch's
        if bare and reader.framework_of_cell() == "pytorch":
            return None
        name = path if api is None else api
        if name in ("Sequential", "models.Sequential"):
            return self._sequential(reader, args, kwargs, node)
        if name in ("Input", "layers.Input", "layers.InputLayer", "InputLayer"):
            return self._input(reader, path.rpartition(".")[2], args, kwargs, node)
        if name in ("Model", "models.Model"):
            return self._model(reader, args, kwargs, node)
        cls = name.rpartition(".")[2]
        if name in (cls, f"layers.{cls}") and cls in MERGES:
            return make_merge(reader, cls, args, kwargs, node)
        if name in (cls, f"layers.{cls}") and cls in MERGE_FUNCTIONS and not bare:
            return merge_function(reader, cls, args, kwargs, node)
        return None

    def instantiate(
        self,
        reader: Reader,
        cls: UserClass,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        """An object of a class deriving from keras.Model or keras.layers.Layer: its
        __init__ read with it as ``self``."""
        from .subclassed import SubclassedModel, keras_base

        kind = keras_base(cls)
        if kind is None:
            return None
        made = SubclassedModel(cls, kind, reader.line_of(node))
        made.make(reader, args, kwargs, node)
        if kind == "model":
            reader.made.append(made)
        return made

    def _model(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        from .functional import FunctionalModel, GraphError, flattened, map_graph, unreached_output

        given = dict(zip(MODEL_PARAMS, args, strict=False)) | kwargs
        inputs_given, outputs_given = given.get("inputs"), given.get("outputs")
        for value in (inputs_given, outputs_given):
            unknown = first_unknown(value)
            if unknown is not None:  # said where it comes from, the line that breaks
                reader.warn(unknown.line, f"keras.Model(...): {reader.explain(unknown)}")
                return unknown
        inputs = list(keras_tensors(inputs_given))
        outputs = [(path, v) for path, v in flattened(outputs_given) if isinstance(v, KerasTensor)]
        line = reader.line_of(node)
        name = keras_name(reader, "Functional", given.get("name"))
        if not inputs or not outputs:
            what = "inputs" if not inputs else "outputs"
            reader.warn(node, f"keras.Model(...): its {what} are not Keras tensors")
            return reader.unknown(node, f"has no {what} that are Keras tensors", definable=False)
        problem = None
        graph = None
        try:
            graph = map_graph(inputs, [tensor for _path, tensor in outputs])
            path = unreached_output(graph, inputs, outputs)
            if path is not None:
                problem = f"Output with path `{path}` is not connected to `inputs`"
        except GraphError as error:
            problem = str(error)
        model = FunctionalModel(name, line, inputs, outputs, graph, problem)
        model.frozen = given.get("trainable") is False
        reader.made.append(model)
        return model

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
                model.add(reader, layer, at, rebuild=False)
            if model.items:
                model.rebuilt(reader)
        model.frozen = given.get("trainable") is False
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
        name = keras_name(reader, "InputLayer", given.get("name"))
        for key, value in given.items():
            unknown = first_unknown(value) if key in _SIZES else None
            if unknown is not None:
                problem = f"{cls}({key}=...): {reader.explain(unknown)}"
                return BadInput(problem, name, line, _partial(value, key))
        try:
            shape, dtype = input_shape_of(
                {k: v for k, v in given.items() if not isinstance(v, Unknown)}, cls
            )
        except OptionError as error:
            return BadInput(str(error), name, line)
        return KerasInput(shape, dtype, name, line)


def _partial(value: object, key: str) -> Shape | None:
    """What is known of an Input's shape when some size is not (its rank, its other sizes)."""
    if not isinstance(value, tuple | list):
        return None
    sizes = tuple(None if isinstance(n, Unknown) or not isinstance(n, int) else n for n in value)
    return sizes if key in ("batch_shape", "batch_input_shape") else (None, *sizes)


KERAS_LIBRARY = KerasLibrary()
