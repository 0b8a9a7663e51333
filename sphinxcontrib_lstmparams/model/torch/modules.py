"""``nn.Module`` objects as the code reader holds them (standard library only): a class of the
cell that derives from ``nn.Module``, ``nn.Sequential``, ``nn.ModuleList``, ``nn.ModuleDict``,
the layers we count, ``nn.Parameter`` and buffers.

Each module keeps what torch keeps: its child modules in the order they were registered (an
attribute set to a module, ``add_module``, a container's items), its own parameters, its
buffers (not parameters: no total counts them) and its plain attributes. Objects have an
identity, so a module set on two attributes, or called twice, is one module, as in torch.
Calling a module reads its ``forward`` (a class of the cell), or does what torch's does (a
``Sequential`` calls its items in turn, a layer gives its output); while the summary's forward
pass is read, the hooks (:mod:`.calls`) see every call, as torchinfo's do.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...constructors import Layer
from ...counting import Breakdown, count, parse_spec
from ...kinds import KINDS, registered
from ...kinds.base import LayerKind
from ...literals import LiteralError, literal_value
from ...spec import OptionError, Shape
from ..code.layers import LayerObject
from ..code.values import FrameworkObject, Function, Unknown, UserClass, shown
from . import shapes
from .composites import ChildModule, ChildWeights, layer_children, own_name, run_children
from .session import torch_session
from .tensors import TorchTensor, first_tensor, step_failed

if TYPE_CHECKING:
    from ..code.reader import Reader

# what a module does for its calls that changes nothing a summary shows: it gives itself
_GIVES_ITSELF = frozenset(
    {"to", "cuda", "cpu", "train", "eval", "float", "double", "half", "bfloat16", "type",
     "apply", "share_memory", "xpu", "mps", "to_empty", "compile"}
)  # fmt: skip
_QUIET = frozenset(
    {"zero_grad", "load_state_dict", "register_forward_hook", "register_forward_pre_hook",
     "register_full_backward_hook", "flatten_parameters", "reset_parameters", "_init_weights",
     "init_weights", "extra_repr", "set_extra_state"}
)  # fmt: skip
# the recurrent layers whose call gives (output, state)
_STATEFUL = frozenset({"LSTM", "GRU", "RNN"})


class TorchParameter(TorchTensor):
    """``nn.Parameter(torch.zeros(1, n, d))``: a tensor that is a parameter of the module it
    is set on."""

    def __init__(self, shape: Shape | None, line: int, requires_grad: bool = True) -> None:
        super().__init__(shape, line, "float32")
        self.requires_grad = requires_grad

    @property
    def numel(self) -> int | None:
        return None if self.shape is None else shapes.product(self.shape)

    def shown(self) -> str:
        return "an nn.Parameter" + ("" if self.shape is None else f" of size {list(self.shape)}")

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "requires_grad":
            return self.requires_grad
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "__setattr__" and args and args[0] == "requires_grad":
            if isinstance(args[1], bool):
                self.requires_grad = args[1]
            return None
        if name == "requires_grad_":
            flag = args[0] if args else kwargs.get("requires_grad", True)
            if isinstance(flag, bool):
                self.requires_grad = flag
            return self
        if name == "numel" and self.numel is not None:
            return self.numel
        return super().method(reader, name, args, kwargs, node)


class LayerWeights(FrameworkObject):
    """The tensors of a layer we count, as one (what ``for p in layer.parameters()`` goes
    over: ``p.requires_grad = False`` freezes the layer)."""

    def __init__(self, layer: TorchLayer) -> None:
        self.layer = layer
        self.line = layer.line

    def shown(self) -> str:
        return f"the weights of {self.layer.cls}"

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "requires_grad":
            return not self.layer.frozen
        if name in ("data", "grad"):
            return self
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "__setattr__" and args and args[0] == "requires_grad":
            if isinstance(args[1], bool):
                self.layer.frozen = not args[1]
            return None
        if name == "requires_grad_":
            flag = args[0] if args else kwargs.get("requires_grad", True)
            if isinstance(flag, bool):
                self.layer.frozen = not flag
            return self
        if name == "numel":
            counted = self.layer.counted()
            if isinstance(counted, Breakdown):
                return counted.total
        if name in ("uniform_", "normal_", "zero_", "fill_", "copy_", "data"):
            return self
        return super().method(reader, name, args, kwargs, node)


class TorchLayer(LayerObject):
    """A layer we count (``nn.LSTM(...)``), made by a constructor call of the cell, as a
    module: called on a tensor, it gives what torch's gives."""

    frozen = False  # requires_grad set False on its weights (from_pretrained: its call)
    _weights: LayerWeights | None = None
    _counted: Breakdown[Any] | OptionError | None = None

    def weights(self) -> LayerWeights:
        if self._weights is None:
            self._weights = LayerWeights(self)
        return self._weights

    def counted(self) -> Breakdown[Any] | OptionError:
        """The layer counted by its kind, or why it cannot be."""
        if self._counted is None:
            try:
                layer = self.layer("pytorch")
                self._counted = count(parse_spec({**layer.options, "framework": layer.framework}))
            except OptionError as error:
                self._counted = error
        return self._counted

    def trains(self) -> bool:
        try:
            given = self.layer("pytorch").call.get("trainable")
        except OptionError:
            given = None
        return not self.frozen and given is not False

    def shown(self) -> str:
        return self.cls

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name in ("weight", "bias") or name.startswith(("weight_", "bias_")):
            return self.weights()
        if name == "training":
            return torch_session(reader).training
        children = dict(layer_children(self))
        if name in children:
            return children[name]
        found = _constructor_argument(self, name)
        if found is not None:
            return found
        return reader.unknown(node, f"is an attribute of {self.cls} the reader does not know")

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name in ("parameters", "named_parameters"):
            weights = self.weights()
            return [("weight", weights)] if name == "named_parameters" else [weights]
        if name == "requires_grad_":
            flag = args[0] if args else kwargs.get("requires_grad", True)
            if isinstance(flag, bool):
                self.frozen = not flag
            return self
        if name in _GIVES_ITSELF:
            return self
        if name in _QUIET or name == "__setattr__":
            if name == "__setattr__" and args and args[0] in ("weight", "bias"):
                reader.note(node, f"{self.cls}.{args[0]} set to another tensor (tied weights) is "
                            "not followed: its parameters are counted as its own")  # fmt: skip
            return None
        if name == "forward":
            return self.called(reader, args, kwargs, node)
        if name in ("children", "modules", "named_children", "named_modules", "buffers"):
            return [self] if name == "modules" else []
        return super().method(reader, name, args, kwargs, node)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        return call_module(reader, self, args, kwargs, node)


def _constructor_argument(layer: TorchLayer, name: str) -> object:
    """``self.rnn.hidden_size``: an argument of the layer's call, by its torch name."""
    for kind in registered():
        for signature in kind.signatures:
            if signature.framework != "pytorch" or layer.cls not in signature.classes:
                continue
            given: dict[str, ast.expr] = dict(
                zip((p.name for p in signature.positional), layer.call_node.args, strict=False)
            )
            given.update({kw.arg: kw.value for kw in layer.call_node.keywords if kw.arg})
            if name in given:
                try:
                    return literal_value(given[name])
                except (LiteralError, RecursionError):
                    return None
    return None


class UnreadModule(FrameworkObject):
    """What a module attribute holds that the reader cannot make (a class from another
    library, a layer we do not count): a module whose parameters are not known."""

    def __init__(self, cls: str, line: int, problem: str, source: str = "") -> None:
        self.cls = cls
        self.line = line
        self.problem = problem
        self.source = source or cls

    def shown(self) -> str:
        return self.cls

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        return reader.unknown(node, f"is an attribute of {self.cls}, which the reader cannot make")

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name in _GIVES_ITSELF:
            return self
        return super().method(reader, name, args, kwargs, node)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        return call_module(reader, self, args, kwargs, node)


class TorchModule(FrameworkObject):
    """``nn.Module`` and its containers: child modules, parameters, buffers, attributes."""

    def __init__(self, cls: str, line: int) -> None:
        self.cls = cls
        self.line = line
        self.modules: dict[str, object] = {}  # torch's _modules, in registration order
        self.parameters: dict[str, TorchParameter] = {}
        self.buffers: dict[str, object] = {}
        self.values: dict[str, object] = {}  # plain attributes (self.hidden_dim = ...)

    def shown(self) -> str:
        return self.cls

    # -- what torch does with attributes --------------------------------------------------------

    def set_attribute(self, reader: Reader, name: str, value: object, node: ast.AST) -> None:
        """``self.name = value``: a module is registered (in place, if the name was one),
        an ``nn.Parameter`` becomes a parameter, anything else a plain attribute."""
        if isinstance(value, LayerObject) and not isinstance(value, TorchLayer):
            value.__class__ = TorchLayer  # a layer class written bare: torch's all the same
        if isinstance(value, Unknown) and _may_be_module(value):
            value = UnreadModule(
                value.expression.removesuffix("(...)").rpartition(".")[2],
                value.line,
                f"{value.expression} {value.why}: it may make a module, whose parameters "
                "are not known",
                value.expression,
            )
        if isinstance(value, list | tuple) and any(is_module(item) for item in value):
            reader.note(
                node,
                f"{self.cls}.{name} is a plain {type(value).__name__}: torch does not register the "
                "modules in it (nn.ModuleList does), so parameters() and torchinfo leave them out",
            )
        if is_module(value):
            for store in (self.parameters, self.buffers, self.values):
                store.pop(name, None)
            self.modules[name] = value
        elif isinstance(value, TorchParameter):
            for store in (self.modules, self.buffers, self.values):
                store.pop(name, None)
            self.parameters[name] = value
        elif name in self.buffers and isinstance(value, TorchTensor | Unknown):
            self.buffers[name] = value
        elif value is None and name in self.modules:
            self.modules.pop(name)
        else:
            self.modules.pop(name, None)
            self.values[name] = value

    def get_attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "__iter__":  # what a for loop over the module goes through
            kind = getattr(self, "base", type(self).__name__)
            if kind == "ModuleDict":
                return list(self.modules)
            if kind in ("Sequential", "ModuleList"):
                return [m for m in self.modules.values() if m is not None]
            return reader.unknown(node, f"is a {self.cls}, which is not something to loop over")
        for store in (self.values, self.parameters, self.buffers, self.modules):
            if name in store:
                return store[name]
        if name == "training":
            return torch_session(reader).training
        return reader.unknown(node, f"is not set on {self.cls}")

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        return self.get_attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "__setattr__" and len(args) == 2 and isinstance(args[0], str):
            self.set_attribute(reader, args[0], args[1], node)
            return None
        found = self.builtin(reader, name, args, kwargs, node)
        if found is not _NOT_BUILTIN:
            return found
        if name in self.modules or name in self.values:
            target = self.modules.get(name, self.values.get(name))
            return reader.call(target, args, kwargs, node)
        return super().method(reader, name, args, kwargs, node)

    def builtin(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        """What ``nn.Module``'s own methods do; ``_NOT_BUILTIN`` for another name."""
        if name in ("register_buffer", "register_parameter", "add_module", "register_module"):
            key = args[0] if args else kwargs.get("name")
            value = args[1] if len(args) > 1 else next(iter(kwargs.values()), None)
            if not isinstance(key, str):
                return reader.unknown(node, f"{name}() with a name the reader cannot know")
            if name == "register_buffer":
                self.modules.pop(key, None)
                self.buffers[key] = value
            elif name == "register_parameter" and not isinstance(value, TorchParameter):
                self.parameters.pop(key, None)  # register_parameter(name, None)
            else:
                self.set_attribute(reader, key, value, node)
            return None
        if name in ("parameters", "named_parameters"):
            found = list(named_parameters(self))
            return found if name == "named_parameters" else [p for _n, p in found]
        if name in ("children", "named_children"):
            items = list(child_modules(self))
            return items if name == "named_children" else [m for _n, m in items]
        if name in ("modules", "named_modules"):
            every = list(named_modules(self))
            return every if name == "named_modules" else [m for _n, m in every]
        if name in ("buffers", "named_buffers"):
            return list(self.buffers.items()) if name == "named_buffers" else list(
                self.buffers.values()
            )  # fmt: skip
        if name == "requires_grad_":
            flag = args[0] if args else kwargs.get("requires_grad", True)
            if isinstance(flag, bool):
                for _name, param in named_parameters(self):
                    if isinstance(param, TorchParameter):
                        param.requires_grad = flag
                    elif isinstance(param, LayerWeights):
                        param.layer.frozen = not flag
            return self
        if name in _GIVES_ITSELF:
            return self
        if name in _QUIET:
            return None
        if name == "get_submodule" and args and isinstance(args[0], str):
            inner: object = self
            for part in args[0].split(".") if args[0] else []:
                children = dict(child_modules(inner))
                if part not in children:
                    return reader.unknown(node, f"is not a submodule of {self.cls}")
                inner = children[part]
            return inner
        return _NOT_BUILTIN

    # -- calls -------------------------------------------------------------------------------------

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        return call_module(reader, self, args, kwargs, node)

    def forward(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """What the module's forward gives."""
        first = first_tensor(args) or TorchTensor(None, reader.line_of(node))
        return step_failed(reader, node, f"{self.cls} defines no forward to read", first)


_NOT_BUILTIN = object()


class Sequential(TorchModule):
    """``nn.Sequential``: its items called one after the other."""

    def forward(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        value: object = args[0] if len(args) == 1 and not kwargs else tuple(args)
        for _name, child in child_modules(self):
            value = reader.call(child, [value], {}, node)
        return value

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        found = container_method(self, reader, name, args, kwargs, node)
        if found is not _NOT_BUILTIN:
            return found
        return super().method(reader, name, args, kwargs, node)


class ModuleList(TorchModule):
    """``nn.ModuleList``: modules by position, looped over in ``forward``, never called."""

    def forward(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        first = first_tensor(args) or TorchTensor(None, reader.line_of(node))
        return step_failed(reader, node, "a ModuleList is not called (torch refuses it)", first)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        found = container_method(self, reader, name, args, kwargs, node)
        if found is not _NOT_BUILTIN:
            return found
        return super().method(reader, name, args, kwargs, node)


class ModuleDict(TorchModule):
    """``nn.ModuleDict``: modules by name."""

    def forward(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        first = first_tensor(args) or TorchTensor(None, reader.line_of(node))
        return step_failed(reader, node, "a ModuleDict is not called (torch refuses it)", first)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "__getitem__" and args and args[0] in self.modules:
            return self.modules[args[0]]
        if name in ("keys", "values", "items"):
            return {"keys": list(self.modules), "values": list(self.modules.values()),
                    "items": list(self.modules.items())}[name]  # fmt: skip
        if name == "update" and args:
            for key, value in _pairs(args[0]):
                self.set_attribute(reader, str(key), value, node)
            return None
        if name == "__len__":
            return len(self.modules)
        return super().method(reader, name, args, kwargs, node)


def container_method(
    module: TorchModule,
    reader: Reader,
    name: str,
    args: list[object],
    kwargs: dict[str, object],
    node: ast.Call,
) -> object:
    """What a ``Sequential`` or ``ModuleList`` does by position: ``[i]``, ``[a:b]``,
    ``len()``, iteration, ``append``, ``extend``, ``insert``."""
    items = list(module.modules.values())
    if name == "__getitem__" and args:
        index = args[0]
        if (
            isinstance(index, int)
            and not isinstance(index, bool)
            and -len(items) <= index < len(items)
        ):
            return items[index]
        if isinstance(index, slice):
            made = type(module)(module.cls, module.line)
            for number, item in enumerate(items[index]):
                made.modules[str(number)] = item
            return made
        return reader.unknown(node, f"is not an item of the {module.cls}")
    if name == "__len__":
        return len(items)
    if name == "append" and args:
        module.set_attribute(
            reader, str(len(module.modules)), as_module(reader, args[0], node), node
        )
        return module
    if name == "extend" and args:
        for value in _items(args[0]):
            module.set_attribute(
                reader, str(len(module.modules)), as_module(reader, value, node), node
            )
        return module
    if name == "insert" and len(args) == 2 and isinstance(args[0], int):
        items.insert(args[0], as_module(reader, args[1], node))
        module.modules = {str(i): item for i, item in enumerate(items)}
        return None
    return _NOT_BUILTIN


def _items(value: object) -> list[object]:
    if isinstance(value, ModuleList | Sequential):
        return list(value.modules.values())
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _pairs(value: object) -> list[tuple[object, object]]:
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, ModuleDict):
        return list(value.modules.items())
    if isinstance(value, list | tuple):
        return [(p[0], p[1]) for p in value if isinstance(p, list | tuple) and len(p) == 2]
    return []


class UserModule(TorchModule):
    """An object of a class of the cell that derives from ``nn.Module`` (or from one of its
    containers, ``base``): its methods are the class's, read when called."""

    def __init__(self, user_class: UserClass, line: int, base: str = "Module") -> None:
        super().__init__(user_class.name, line)
        self.user_class = user_class
        self.base = base  # the torch class it derives from: Module, Sequential ...
        self.initialized = False  # nn.Module.__init__ ran (torch refuses modules before it)

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name in self.values:
            return self.values[name]
        found = self.user_class.lookup(name)
        if isinstance(found, Function):
            return BoundMethod(self, found)
        if found is not None:
            return found
        return self.get_attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        found = self.user_class.lookup(name)
        if isinstance(found, Function) and name != "__setattr__":
            return reader.call_function(found, [self, *args], kwargs, node)
        if name == "__setattr__" and len(args) == 2 and isinstance(args[0], str):
            if is_module(args[1]) and not self.initialized:
                reader.warn(node, f"{self.cls}: a module set before super().__init__() "
                            "(torch refuses it: call super().__init__() first)")  # fmt: skip
            self.set_attribute(reader, args[0], args[1], node)
            return None
        if self.base in ("Sequential", "ModuleList"):
            found_item = container_method(self, reader, name, args, kwargs, node)
            if found_item is not _NOT_BUILTIN:
                return found_item
        return super().method(reader, name, args, kwargs, node)

    def base_method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "__init__":
            self.initialized = True
            if self.base == "Sequential":
                fill_sequential(reader, self, args, node)
            elif self.base == "ModuleList" and args:
                for value in _items(args[0]):
                    self.set_attribute(
                        reader, str(len(self.modules)), as_module(reader, value, node), node
                    )
            elif self.base == "ModuleDict" and args:
                for key, value in _pairs(args[0]):
                    self.set_attribute(reader, str(key), as_module(reader, value, node), node)
            return None
        if name == "forward" or name == "__call__":
            return self.base_forward(reader, args, kwargs, node)
        found = self.builtin(reader, name, args, kwargs, node)
        if found is not _NOT_BUILTIN:
            return found
        return super().base_method(reader, name, args, kwargs, node)

    def base_forward(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        if self.base == "Sequential":
            return Sequential.forward(self, reader, args, kwargs, node)  # type: ignore[arg-type]
        return TorchModule.forward(self, reader, args, kwargs, node)

    def forward(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        found = self.user_class.lookup("forward")
        if isinstance(found, Function):
            return reader.call_function(found, [self, *args], kwargs, node)
        return self.base_forward(reader, args, kwargs, node)


class BoundMethod(FrameworkObject):
    """A method of a class of the cell on one of its modules (``self.encode``), to be called."""

    def __init__(self, owner: UserModule, function: Function) -> None:
        self.owner = owner
        self.function = function
        self.line = owner.line

    def shown(self) -> str:
        return f"{self.owner.cls}.{self.function.name}"

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        return reader.call_function(self.function, [self.owner, *args], kwargs, node)


# -- what every module answers -------------------------------------------------------------------


# libraries whose calls make whole models (a backbone set on an attribute)
_MODEL_LIBRARIES = ("torchvision", "timm", "transformers", "torchaudio", "segmentation_models")


def _may_be_module(value: Unknown) -> bool:
    """Whether what the reader could not make is likely a module: a call of a class
    (``ResNet(...)``, ``models.resnet18(...)`` from a library of models)."""
    if not value.expression.endswith("(...)"):
        return False
    path = value.expression.removesuffix("(...)")
    last = path.rpartition(".")[2]
    return last[:1].isupper() or path.split(".")[0] in _MODEL_LIBRARIES or "models." in path


def is_module(value: object) -> bool:
    return isinstance(value, TorchModule | TorchLayer | UnreadModule | ChildModule)


def as_module(reader: Reader, value: object, node: ast.AST) -> object:
    """An item given to a container: a module, or one the reader cannot make (counted as not
    known, so that no parameter is silently left out)."""
    if isinstance(value, LayerObject) and not isinstance(value, TorchLayer):
        value.__class__ = TorchLayer
    if is_module(value):
        return value
    if isinstance(value, Unknown):
        return UnreadModule(value.expression.partition("(")[0] or "?", value.line,
                            reader.explain(value), value.expression)  # fmt: skip
    return UnreadModule("?", reader.line_of(node), f"{shown(value)} is not a module")


def fill_sequential(reader: Reader, module: TorchModule, args: list[object], node: ast.AST) -> None:
    """``Sequential(a, b, c)`` or ``Sequential(OrderedDict([("conv", a), ...]))``."""
    if len(args) == 1 and isinstance(args[0], dict):
        for key, value in args[0].items():
            module.set_attribute(reader, str(key), as_module(reader, value, node), node)
        return
    for value in args:
        module.set_attribute(reader, str(len(module.modules)), as_module(reader, value, node), node)


def child_modules(module: object) -> Iterator[tuple[str, object]]:
    """``named_children()``: the registered modules, in order (a layer we count made of
    modules: the ones its kind lists)."""
    if isinstance(module, TorchModule):
        yield from ((name, child) for name, child in module.modules.items() if child is not None)
    elif isinstance(module, TorchLayer):
        yield from layer_children(module)
    elif isinstance(module, ChildModule):
        yield from module.children


def named_modules(module: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    """``named_modules()``: the module and every module under it, each once."""
    seen: set[int] = set()
    stack: list[tuple[str, object]] = [(prefix, module)]
    while stack:
        name, found = stack.pop(0)
        if id(found) in seen:
            continue
        seen.add(id(found))
        yield name, found
        stack[:0] = [(f"{name}.{child}" if name else child, sub)
                     for child, sub in child_modules(found)]  # fmt: skip


def own_parameters(module: object) -> list[tuple[str, object]]:
    """A module's own parameters (not its children's): an ``nn.Parameter`` by its name, a
    layer's weights as one, or a marker for parameters the reader cannot know."""
    if isinstance(module, TorchModule):
        return list(module.parameters.items())
    if isinstance(module, TorchLayer):
        counted = module.counted()
        if isinstance(counted, Breakdown) and counted.total == 0:
            return []
        children = layer_children(module)
        if children and isinstance(counted, Breakdown):  # its children hold the rest
            own = counted.total - sum(child.params for _name, child in children)
            return [(own_name(module), ChildWeights(module, own))] if own else []
        return [("weight", module.weights())]
    if isinstance(module, ChildModule):
        return [(module.own_name, module.weights)] if module.own else []
    if isinstance(module, UnreadModule):
        return [("?", module)]
    return []


def named_parameters(module: object) -> Iterator[tuple[str, object]]:
    """``named_parameters()``: each parameter once, with its dotted name."""
    seen: set[int] = set()
    for path, found in named_modules(module):
        for name, param in own_parameters(found):
            if id(param) not in seen:
                seen.add(id(param))
                yield (f"{path}.{name}" if path else name), param


def parameter_count(param: object) -> tuple[int | None, int | None]:
    """(count, trainable count) of a parameter; None where the reader cannot know it."""
    if isinstance(param, TorchParameter):
        n = param.numel
        return n, (n if param.requires_grad else 0) if n is not None else None
    if isinstance(param, ChildWeights):
        owner = param.module.owner if isinstance(param.module, ChildModule) else param.module
        n = param.numel()
        return n, (n if owner.trains() else 0)
    if isinstance(param, LayerWeights):
        counted = param.layer.counted()
        if not isinstance(counted, Breakdown):
            return None, None
        if not param.layer.trains():
            return counted.total, 0
        return counted.total, counted.trainable_total
    return None, None


def module_cls(module: object) -> str:
    return str(getattr(module, "cls", "?"))


# -- calls ---------------------------------------------------------------------------------------


def call_module(
    reader: Reader, module: object, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> object:
    """A module called: the hooks see it (while the summary's forward pass is read), its
    forward gives the output."""
    session = torch_session(reader)
    hooks = session.hooks
    if hooks is not None:
        hooks.pre(module, node)
        for value in args[:1]:  # what it is given comes from a step the reader cannot follow
            if isinstance(value, Unknown):
                session.problem(
                    value.line,
                    f"`{value.expression}` {value.why}; the shapes after it are not known",
                )
    if isinstance(module, TorchLayer):
        out = layer_output(reader, module, args, kwargs, node)
        if hooks is not None and layer_children(module):
            shapes_in = [a.shape for a in args if isinstance(a, TorchTensor)]
            first = shapes_in[0] if shapes_in else None
            target = shapes_in[1] if len(shapes_in) > 1 else first
            run_children(hooks, module, module, first, target, node)
    elif isinstance(module, TorchModule):
        out = module.forward(reader, args, kwargs, node)
    else:
        out = TorchTensor(None, reader.line_of(node))
    if hooks is not None:
        hooks.post(module, args, out)
    return out


def layer_output(
    reader: Reader,
    module: TorchLayer,
    args: list[object],
    kwargs: dict[str, object],
    node: ast.Call,
) -> object:
    """What a layer we count gives when called on a tensor: its kind's output shape; for a
    recurrent layer its state too, ``(output, (h_n, c_n))`` or ``(output, h_n)``."""
    x = args[0] if args else kwargs.get("input")
    if not isinstance(x, TorchTensor):
        if isinstance(x, Unknown) or x is None:
            return TorchTensor(None, reader.line_of(node))
        return step_failed(reader, node, f"{module.cls} called on {shown(x)}",
                           TorchTensor(None, reader.line_of(node)))  # fmt: skip
    try:
        layer = module.layer("pytorch")
    except OptionError:
        return x.like(None, "float32")  # its row says why; the shapes after it are not known
    cell = str(layer.options.get("cell"))
    kind = KINDS[cell]
    if cell == "embedding" and x.dtype is None:
        torch_session(reader).input_dtype = "int64"  # torchinfo must be given whole numbers
    counted = module.counted()
    if x.shape is None or not isinstance(counted, Breakdown):
        return _stateful(module, layer, x.like(None, "float32"), None)
    several = [a for a in args if isinstance(a, TorchTensor)]
    takes_several = type(kind).output_from_inputs is not LayerKind.output_from_inputs
    if len(several) > 1 and takes_several:  # attention's query, key, value; a decoder's
        if any(a.shape is None for a in several):
            return _stateful(module, layer, x.like(None, "float32"), counted.spec)
        shapes_in = [a.shape for a in several if a.shape is not None]
        try:
            out_shape: Shape | None = kind.output_from_inputs(counted.spec, shapes_in, layer.call)
        except (OptionError, ValueError, IndexError, TypeError) as error:
            return step_failed(reader, node, f"{module.cls}: {error}", x)
        return _stateful(module, layer, x.like(out_shape, "float32"), counted.spec, shapes_in)
    try:
        width = kind.input_width(cell, x.shape, layer.call, "pytorch")
    except OptionError as error:
        return step_failed(reader, node, str(error), x)
    said = layer.options.get("input_dim")
    if width is not None and said is not None and width != said:
        what = "features" if cell != "embedding" else "words"
        return step_failed(
            reader,
            node,
            f"{module.source} reads {said} {what}, it is given {shapes.shown(x.shape)} (torch "
            "refuses it)",
            x,
        )
    try:
        out: Shape | None = kind.output_shape(counted.spec, x.shape, layer.call)
    except (OptionError, ValueError, IndexError, TypeError, ZeroDivisionError) as error:
        return step_failed(reader, node, f"{module.cls} on {shapes.shown(x.shape)}: {error}", x)
    return _stateful(module, layer, x.like(out, "float32"), counted.spec)


def _stateful(
    module: TorchLayer,
    layer: Layer,
    out: TorchTensor,
    spec: Any,
    inputs: list[Shape] | None = None,
) -> object:
    """A recurrent layer's output with its state: nn.LSTM's ``(output, (h_n, c_n))``, nn.GRU's
    and nn.RNN's ``(output, h_n)``, nn.LSTMCell's ``(h, c)``; nn.MultiheadAttention's
    ``(output, weights)``; other layers' output alone."""
    cls = layer.cls
    if cls == "MultiheadAttention":
        return (out, _attention_weights(layer, out, inputs))
    if cls not in _STATEFUL and cls != "LSTMCell":
        return out
    if cls == "LSTMCell":
        return (out, out.like(out.shape))
    state = out.like(None)
    if spec is not None and out.shape is not None and len(out.shape) in (2, 3):
        first = bool(layer.call.get("batch_first"))
        batch = () if len(out.shape) == 2 else (out.shape[0 if first else 1],)
        stacked = spec.layers * spec.directions
        width = spec.proj_size or spec.units
        state = out.like((stacked, *batch, width))
        if cls == "LSTM":
            cell = out.like((stacked, *batch, spec.units))
            return (out, (state, cell))
    if cls == "LSTM":
        return (out, (state, state.like(None)))
    return (out, state)


def _attention_weights(layer: Layer, out: TorchTensor, inputs: list[Shape] | None) -> object:
    """nn.MultiheadAttention's weights, averaged over the heads: (batch, target, source)."""
    query = out.shape
    key = inputs[1] if inputs and len(inputs) > 1 else query
    if query is None or key is None or len(query) != 3 or len(key) != 3:
        return out.like(None)
    if layer.call.get("batch_first"):
        return out.like((query[0], query[1], key[1]))
    return out.like((query[1], query[0], key[0]))


__all__ = [
    "BoundMethod",
    "LayerWeights",
    "ModuleDict",
    "ModuleList",
    "Sequential",
    "TorchLayer",
    "TorchModule",
    "TorchParameter",
    "UnreadModule",
    "UserModule",
    "as_module",
    "call_module",
    "child_modules",
    "fill_sequential",
    "is_module",
    "module_cls",
    "named_modules",
    "named_parameters",
    "own_parameters",
    "parameter_count",
]
