"""Layers a cell makes: a call of a framework's layer class, with the values the reader worked
out put in its arguments, read by :mod:`~sphinxcontrib_lstmparams.constructors` as a pasted
constructor is (standard library only).

A layer is an object with an identity (a layer made once and used twice is one layer) and,
in Keras, a name given when it is made (``lstm``, ``lstm_1``: in the order the cell makes
them, a wrapped layer before its wrapper).
"""

from __future__ import annotations

import ast
import copy
from dataclasses import replace
from typing import TYPE_CHECKING

from ...constructors import (
    Layer,
    accepted_prefixes,
    keras_class,
    known_classes,
    not_known,
    parse_call,
)
from ...signatures import NotKnown
from ...spec import FrameworkName, OptionError
from ..keras.names import KerasNames
from .library import Library, framework_of_path, keras_api, torch_api
from .values import Dotted, FrameworkObject, Unknown, shown

if TYPE_CHECKING:
    from .reader import Reader


class LayerObject(FrameworkObject):
    """A layer made by a constructor call of the cell."""

    def __init__(
        self,
        call: ast.Call,
        source: str,
        cls: str,
        line: int,
        framework: FrameworkName | None,
    ) -> None:
        self.call_node = call  # the call with every argument a value (or marked unknown)
        self.source = source  # the call as written
        self.cls = cls  # the class as written: LSTM, Bidirectional
        self.line = line  # 0-based, in the cell
        self.framework = framework  # whose class, where the module says
        self.name: str | None = None  # Keras' name, given when it is made
        self.keywords: dict[str, object] = {}  # the keyword arguments as the cell gives them
        self.parsed: dict[FrameworkName | None, Layer | OptionError] = {}

    def layer(self, framework: FrameworkName | None) -> Layer:
        """The layer as the constructors read it, for ``framework`` (the model's) where the
        class does not say; raises OptionError when it cannot be read."""
        wanted = self.framework or framework
        if wanted not in self.parsed:
            try:
                self.parsed[wanted] = parse_call(self.call_node, wanted)
            except OptionError as error:
                self.parsed[wanted] = error
        found = self.parsed[wanted]
        if isinstance(found, OptionError):
            raise found
        return found

    def stand_in(self, framework: FrameworkName | None) -> tuple[Layer, bool] | None:
        """A layer whose output shape is this one's, when only sizes that do not shape the
        output are unknown (an Embedding's vocabulary, an input width): the model's shapes
        go on past it, though its count is not known. With it, whether its output shape is
        known whole (False when an unknown size is in it, as an ``input_length``: then only
        the widths go on). None when an unknown size shapes its output."""
        if all(getattr(node, "not_known", None) is None for node in ast.walk(self.call_node)):
            return None
        try:
            one, two = (parse_call(_filled(self.call_node, n), self.framework or framework)
                        for n in (1, 2))  # fmt: skip
        except OptionError:
            return None
        options = {*one.options, *two.options}
        if any(one.options.get(k) != two.options.get(k) for k in options - _NOT_SHAPING):
            return None
        unsure = {k for k in {*one.call, *two.call} if one.call.get(k) != two.call.get(k)}
        if unsure - _DECLARING:
            return None
        kept = {k: v for k, v in one.call.items() if k not in unsure}
        return replace(one, call=kept), not unsure

    def shown(self) -> str:
        return self.name or self.cls

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "name" and self.name is not None:
            return self.name
        return super().attribute(reader, name, node)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """A layer called on a tensor: what its framework's library makes of the call (a
        node of a Keras functional model)."""
        for library in reader.libraries:
            made = library.called(reader, self, args, kwargs, node)
            if made is not None:
                return made
        return reader.unknown(
            node, "calls a layer on what is not a tensor of a model the reader follows"
        )


# option words whose size never changes a layer's output shape (what it reads from)
_NOT_SHAPING = frozenset({"vocabulary", "input_dim", "timesteps"})
# what a first layer declares of the model's input: when not known, the widths still go on
_DECLARING = frozenset({"input_shape", "batch_input_shape", "batch_size", "input_length"})


def _filled(call: ast.Call, size: int) -> ast.Call:
    """The call with every argument the reader could not work out put as ``size``."""

    class Fill(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.expr:
            return node if not_known(node) is None else ast.copy_location(ast.Constant(size), node)

    filled = Fill().visit(copy.deepcopy(call))
    assert isinstance(filled, ast.Call)
    return filled


def literal_node(value: object, reader: Reader, origin: ast.AST) -> ast.expr:
    """A value as an argument node the constructors read: literals as written, a layer as its
    own call, anything else marked as not known (with what to tell the author)."""
    if isinstance(value, bool | int | float | str) or value is None:
        made: ast.expr = ast.Constant(value)
    elif isinstance(value, tuple | list | set):
        items = [literal_node(item, reader, origin) for item in value]
        if isinstance(value, tuple):
            made = ast.Tuple(elts=items, ctx=ast.Load())
        elif isinstance(value, list):
            made = ast.List(elts=items, ctx=ast.Load())
        else:
            made = ast.Set(elts=items)
    elif isinstance(value, dict):
        made = ast.Dict(
            keys=[literal_node(k, reader, origin) for k in value],
            values=[literal_node(v, reader, origin) for v in value.values()],
        )
    elif isinstance(value, Dotted) and all(part.isidentifier() for part in value.name.split(".")):
        made = ast.parse(value.name, mode="eval").body
    elif isinstance(value, LayerObject):
        made = value.call_node
    else:
        why = (
            reader.explain(value)
            if isinstance(value, Unknown)
            else f"{shown(value)} is not a value the reader can put in a layer"
        )
        made = ast.Name(id="_not_known_", ctx=ast.Load())
        made.not_known = NotKnown(why)  # type: ignore[attr-defined]
    return ast.copy_location(made, origin) if hasattr(origin, "lineno") else made


def canonical_func(path: str) -> str:
    """The class as the constructors read it: ``keras.layers.LSTM`` for any Keras module path
    (``tf.keras.layers.recurrent.LSTM``), ``nn.LSTM`` for PyTorch's, else the path itself."""
    cls = path.rpartition(".")[2]
    if keras_api(path) is not None:
        return f"keras.layers.{cls}"
    if torch_api(path) is not None:
        return f"nn.{cls}"
    return path


def make_layer(
    reader: Reader,
    path: str,
    written: str,
    args: list[object],
    kwargs: dict[str, object],
    node: ast.Call,
    made_as: type[LayerObject] | None = None,
) -> LayerObject:
    """The layer ``path(*args, **kwargs)`` makes, named as Keras names it when it may be
    Keras'; ``made_as``: a framework's own kind of layer object (a PyTorch module)."""
    prefix = written.rpartition(".")[0]
    func_text = written if prefix in accepted_prefixes() else canonical_func(path)
    if not all(part.isidentifier() for part in func_text.split(".")):
        func_text = canonical_func(path)
    func = ast.copy_location(ast.parse(func_text, mode="eval").body, node)
    origins: list[ast.AST] = list(node.args) if len(node.args) == len(args) else [node] * len(args)
    call = ast.Call(
        func=func,
        args=[literal_node(value, reader, at) for value, at in zip(args, origins, strict=True)],
        keywords=[
            ast.keyword(arg=key, value=literal_node(value, reader, _keyword_node(node, key)))
            for key, value in kwargs.items()
        ],
    )
    ast.copy_location(call, node)
    ast.fix_missing_locations(call)
    source = reader.segment(node)
    framework = framework_of_path(path) or reader.framework_of_cell()
    made = (made_as or LayerObject)(
        call,
        source or " ".join(ast.unparse(node).split()),
        path.rpartition(".")[2],
        reader.line_of(node),
        framework_of_path(path),
    )
    made.keywords = dict(kwargs)
    if framework in (None, "keras"):
        made.name = keras_name(reader, keras_class(made.cls), kwargs.get("name"))
    return made


def keras_name(reader: Reader, cls: str, given: object) -> str:
    """The name Keras gives an object it makes: ``name=`` as given, else the next of its
    class's snake-case names in this cell."""
    if isinstance(given, str):
        return given
    names = reader.session.setdefault("keras names", KerasNames())
    assert isinstance(names, KerasNames)
    return names.take(cls)


def _keyword_node(node: ast.Call, key: str) -> ast.AST:
    for keyword in node.keywords:
        if keyword.arg == key:
            return keyword.value
    return node


class LayerLibrary(Library):
    """Calls of a layer class: a class the constructors know, or any class of a framework's
    layers module (which becomes a row that says it is not counted)."""

    def call(
        self,
        reader: Reader,
        path: str,
        written: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        cls = path.rpartition(".")[2]
        if not cls[:1].isupper():
            return None
        api = keras_api(path)
        torch = torch_api(path)
        known = cls in known_classes()
        if api is not None and (api.startswith("layers.") or (known and "." not in api)):
            return make_layer(reader, path, written, args, kwargs, node)
        if torch is not None and torch.startswith("nn."):
            return make_layer(reader, path, written, args, kwargs, node)
        if known and ("." not in path or path.rpartition(".")[0] in accepted_prefixes()):
            return make_layer(reader, path, written, args, kwargs, node)
        return None


LAYER_LIBRARY = LayerLibrary()

__all__ = ["LAYER_LIBRARY", "LayerObject", "canonical_func", "keras_name", "make_layer"]
