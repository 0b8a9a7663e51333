"""Keras models and layers the cell defines as classes (``class Encoder(keras.Model)``, ``class
Block(keras.layers.Layer)``), read where the code says enough (standard library only).

``__init__`` is read with the object as ``self``: the layers it sets as attributes are the
model's layers, in the order they are set (Keras tracks them so). ``call`` is read when the
object is called on Keras tensors: each layer is built by the call that first feeds it, as
in Keras. What a summary of such a model lists is Keras' (keras/src/utils/summary_utils.py):
``model.layers`` in order, each with the shape it was built for (``?`` for a layer that is
built when made and never records one), ``0 (unbuilt)`` for a layer with weights that no
call reached; Keras 3's ``model.build(shape)`` runs no ``call``, so it builds nothing.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from ..code.layers import LayerObject, keras_name
from ..code.library import keras_api
from ..code.values import Dotted, FrameworkObject, Function, Unknown, UserClass, shown
from ..summary import ModelSummary, Row, SummaryCall
from .graph import KerasTensor, Operation, call_node, first_unknown, keras_tensors

if TYPE_CHECKING:
    from ..code.reader import Reader

# what a class of the cell derives from: a model (listed, expand_nested opens it) or a layer
BASES = {"Model": "model", "models.Model": "model", "Layer": "layer", "layers.Layer": "layer"}
# layers built when they are made (Layer._build_at_init, and Reshape): they record no input
# shape, so a subclassed model's summary shows ? for them (keras/src/layers: activations/,
# pooling/, regularization/, core/identity.py, core/masking.py, reshaping/reshape.py)
BUILT_AT_INIT = frozenset(
    {
        "Activation", "ActivityRegularization", "AlphaDropout", "Dropout", "ELU",
        "GaussianDropout", "GaussianNoise", "Identity", "LeakyReLU", "Masking", "ReLU",
        "Softmax", "UnitNormalization", "Reshape", "SpatialDropout1D", "SpatialDropout2D",
        "SpatialDropout3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
        "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D",
        "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
        "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    }
)  # fmt: skip
_STACK = "keras classes being made"  # reader.session: the objects whose __init__ is being read


def keras_base(cls: UserClass) -> str | None:
    """``model`` or ``layer`` when the class derives from Keras' Model or Layer, else None."""
    for base in cls.bases:
        if isinstance(base, UserClass):
            found = keras_base(base)
            if found is not None:
                return found
        elif isinstance(base, Dotted):
            api = keras_api(base.name)
            found = BASES.get(api if api is not None else base.name)
            if found is not None:
                return found
    return None


def _method(cls: UserClass, name: str) -> Function | None:
    """A method of the class or of the cell's classes it derives from."""
    found = cls.names.get(name)
    if isinstance(found, Function):
        return found
    for base in cls.bases:
        if isinstance(base, UserClass):
            inherited = _method(base, name)
            if inherited is not None:
                return inherited
    return None


class SubclassedModel(FrameworkObject, Operation):
    """An object of a class of the cell deriving from keras.Model or keras.layers.Layer."""

    def __init__(self, cls: UserClass, kind: str, line: int) -> None:
        Operation.__init__(self, "", cls.name, line)
        self.user_class = cls
        self.kind = kind  # "model" or "layer"
        self.attributes: dict[str, object] = {}
        self.tracked: list[object] = []  # its layers, in the order __init__ sets them
        self.named = False
        self.called_once = False
        self.call = SummaryCall()
        self.problems: list[tuple[int, str]] = []
        self.reader: Reader | None = None  # the reader that made it (for its layers' rows)
        self.own_params: list[tuple[int, bool]] = []  # add_weight's: size, trainable

    def take_name(self, reader: Reader, given: object) -> None:
        """Keras names the object when its __init__ calls super().__init__(name=...)."""
        if not self.named:
            self.name = keras_name(reader, self.cls, given)
            self.named = True

    def shown(self) -> str:
        return f"{self.cls} {self.name!r}" if self.name else self.cls

    def make(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.AST
    ) -> None:
        """Read ``__init__`` with this object as ``self``."""
        self.reader = reader
        init = _method(self.user_class, "__init__")
        stack = reader.session.setdefault(_STACK, [])
        assert isinstance(stack, list)
        stack.append(self)
        try:
            if init is not None:
                reader.call_function(init, [self, *args], kwargs, node)
        finally:
            stack.pop()
        self.take_name(reader, kwargs.get("name"))

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name in self.attributes:
            return self.attributes[name]
        if name == "name":
            return self.name
        if name == "layers":
            return list(self.layers())
        found = self.user_class.names.get(name) or _method(self.user_class, name)
        if isinstance(found, Function):
            return _BoundMethod(self, found)
        if found is not None:
            return found
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        from .library import QUIET_MODEL_METHODS, summary_call

        if name == "__setattr__" and args and isinstance(args[0], str):
            self._set(args[0], args[1] if len(args) > 1 else None)
            return None
        if name in self.attributes:  # self.lstm(x): the layer it holds, called
            return reader.call(self.attributes[name], args, kwargs, node)
        own = _method(self.user_class, name)
        if own is not None:
            return reader.call_function(own, [self, *args], kwargs, node)
        if name == "summary":
            self.call = summary_call(reader, args, kwargs, node)
            reader.summarized.append((self, reader.line_of(node)))
            return None
        if name == "add_weight":  # a weight of its own, counted when its shape is known
            return self._add_weight(reader, args, kwargs, node)
        if name == "build":
            if not self.called_once:
                reader.note(
                    node,
                    f"{self.name}.build(...): Keras 3 runs no call() to build a subclassed "
                    "model, so its layers stay unbuilt (0 (unbuilt), as Keras prints them); "
                    "call it on keras.Input(shape=...) to build them",
                )
            return None
        if name in QUIET_MODEL_METHODS:
            return None
        return super().method(reader, name, args, kwargs, node)

    def _add_weight(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """Layer.add_weight(shape=None, initializer=None, dtype=None, trainable=True, ...)."""
        given = dict(zip(("shape", "initializer", "dtype", "trainable"), args, strict=False))
        given |= kwargs
        shape = given.get("shape", ())
        sizes = tuple(shape) if isinstance(shape, tuple | list) else (shape,)
        if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in sizes):
            written = next((k.value for k in node.keywords if k.arg == "shape"), None)
            written = written or (node.args[0] if node.args else None)
            text = ast.unparse(written) if written is not None else shown(shape)
            self.problems.append(
                (
                    reader.line_of(node),
                    f"{self.cls} makes a weight with add_weight(shape={text}), whose size the "
                    "reader does not know",
                )
            )
            return Weight(())  # the call goes on: the layers it feeds still count
        count = 1
        for size in sizes:
            count *= int(size)
        self.own_params.append((count, given.get("trainable", True) is not False))
        return Weight(tuple(int(n) for n in sizes))

    def _set(self, attribute: str, value: object) -> None:
        if attribute == "trainable":
            self.frozen = value is False
        self.attributes[attribute] = value
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is self or (isinstance(item, SubclassedModel) and item.holds(self)):
                continue  # Keras' tracker does not hold a model inside itself
            if _is_layer(item) and not any(item is seen for seen in self.tracked):
                self.tracked.append(item)

    def holds(self, other: SubclassedModel) -> bool:
        return any(
            item is other or (isinstance(item, SubclassedModel) and item.holds(other))
            for item in self.tracked
        )

    def layers(self) -> list[object]:
        return list(self.tracked)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """Called on Keras tensors: ``call`` read with them; the object is one node of the
        graph the tensors belong to, and is built."""
        unknown = first_unknown([args, kwargs])
        if unknown is not None:
            return unknown
        tensors = [*keras_tensors(list(args)), *keras_tensors(kwargs)]
        call = _method(self.user_class, "call")
        if not tensors:
            return reader.unknown(
                node, f"calls {self.shown()} on {shown(args)}, not on tensors", definable=False
            )
        if call is None:
            return reader.unknown(node, f"{self.cls} has no call() to read", definable=False)
        build = _method(self.user_class, "build")
        if build is not None and not self.called_once:  # Keras builds it on its first call
            first = tensors[0].shape
            reader.call_function(build, [self, first if first is not None else None], {}, node)
        result = reader.call_function(call, [self, *args], kwargs, node)
        self.called_once = True
        outputs = list(keras_tensors(result))
        problem = None
        if not outputs:
            why = reader.explain(result) if isinstance(result, Unknown) else shown(result)
            problem = f"{self.cls}.call() gives what the reader cannot follow ({why})"
            self.problems.append((reader.line_of(node), problem))
        made = call_node(self, tensors, reader.line_of(node))
        shapes = [tensor.shape for tensor in outputs] or [None]
        made_outputs = made.add_outputs(shapes, "float32")
        if isinstance(result, list | tuple) and len(made_outputs) > 1:
            return list(made_outputs)
        return made_outputs[0]

    def row(self) -> Row:
        summary = self.summary()
        problem = next((text for _line, text in self.problems), None)
        own = (sum(n for n, _t in self.own_params), sum(n for n, t in self.own_params if t))
        return Row(self.line, self.cls, self.name, self.cls, nested=summary, frozen=self.frozen,
                   problem=problem, nested_hidden=self.kind == "layer",
                   own_params=own)  # fmt: skip

    def summary(self) -> ModelSummary:
        assert self.reader is not None
        rows = [_layer_row(item, self.reader) for item in self.tracked]
        return ModelSummary(
            "keras", self.name, None, "float32", None, tuple(rows),
            tuple(sorted(self.problems)), (), self.call,
        )  # fmt: skip


class Weight(FrameworkObject):
    """A weight a custom layer makes (``self.add_weight(shape=(8,))``): in ``call`` it is
    a tensor of that shape, which is not a node of the graph."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "shape":
            return self.shape
        return super().attribute(reader, name, node)

    def operate(
        self,
        reader: Reader,
        op: ast.operator | ast.unaryop,
        other: object,
        reflected: bool,
        node: ast.AST,
    ) -> object:
        if isinstance(other, KerasTensor):  # w * x: the tensor's operation, the other way
            return other.operate(reader, op, self, not reflected, node)
        return super().operate(reader, op, other, reflected, node)


class _BoundMethod(FrameworkObject):
    """A method of the cell's class, bound to its object (``self.block(x)`` inside call)."""

    def __init__(self, owner: SubclassedModel, function: Function) -> None:
        self.owner = owner
        self.function = function

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        return reader.call_function(self.function, [self.owner, *args], kwargs, node)


class Super(FrameworkObject):
    """``super()`` inside the __init__ of a Keras class: ``super().__init__(name=...)``
    names the object, as Keras' own __init__ does."""

    def __init__(self, owner: SubclassedModel) -> None:
        self.owner = owner

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "__init__":
            given = kwargs.get("name")
            self.owner.take_name(reader, None if isinstance(given, Unknown) else given)
            if kwargs.get("trainable") is False:
                self.owner.frozen = True
            return None
        return super().method(reader, name, args, kwargs, node)


def current_super(reader: Reader) -> Super | None:
    """``super()`` while a Keras class's __init__ is read."""
    stack = reader.session.get(_STACK)
    return Super(stack[-1]) if isinstance(stack, list) and stack else None


def _is_layer(value: object) -> bool:
    from .functional import FunctionalModel
    from .library import SequentialObject
    from .merges import MergeLayer

    return isinstance(
        value, LayerObject | MergeLayer | SequentialObject | FunctionalModel | SubclassedModel
    )


def _layer_row(item: object, reader: Reader) -> Row:
    """A layer's row in a subclassed model: the shape it was built for (? for one built when
    made), or ? and ``0 (unbuilt)`` when no call reached it."""
    from .calls import layer_operation
    from .merges import MergeLayer

    if isinstance(item, LayerObject):
        operation = layer_operation(reader, item)
        if operation.built is None:
            return Row(operation.line, operation.cls, operation.name, operation.item.source,
                       unbuilt=operation.cls not in BUILT_AT_INIT)  # fmt: skip
        first = operation.nodes[0].outputs[0].shape if operation.nodes else None
        return replace(
            operation.built, output_shape=None if operation.cls in BUILT_AT_INIT else first
        )
    assert isinstance(item, Operation)
    row = item.row()
    last = item.nodes[-1] if item.nodes else None
    # a class of the cell has no compute_output_shape Keras could ask: ?
    shape = None if last is None or isinstance(item, SubclassedModel) else last.outputs[0].shape
    return replace(row, output_shape=shape, unbuilt=last is None and isinstance(item, MergeLayer))


__all__ = ["BUILT_AT_INIT", "SubclassedModel", "Super", "current_super", "keras_base"]
