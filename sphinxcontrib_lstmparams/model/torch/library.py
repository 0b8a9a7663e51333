"""PyTorch as the code reader meets it (standard library only): classes of the cell that
derive from ``nn.Module``, ``nn.Sequential``/``ModuleList``/``ModuleDict``, ``nn.Parameter``,
the layers we count as modules, tensors made with a size and what torch's functions do to
them, ``nn.Embedding.from_pretrained``, and ``torchinfo.summary(...)`` (read when the whole
cell is, so that it finds its model wherever the cell makes it)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ...constructors import Layer
from ...spec import OptionError
from ..code.layers import make_layer
from ..code.library import Library, torch_api
from ..code.values import Dotted, FrameworkObject, Function, Unknown, UserClass
from .modules import (
    ModuleDict,
    ModuleList,
    Sequential,
    TorchLayer,
    TorchModule,
    TorchParameter,
    UserModule,
    as_module,
    fill_sequential,
)
from .session import torch_session
from .tensors import MAKERS, TorchTensor, make_tensor, tensor_function

if TYPE_CHECKING:
    from ..code.reader import Reader

_LIKE = ("zeros_like", "ones_like", "rand_like", "randn_like", "empty_like", "full_like")
# the torch classes a class of the cell may derive from, and what its objects then are
MODULE_BASES = {"nn.Module": "Module", "nn.Sequential": "Sequential",
                "nn.ModuleList": "ModuleList", "nn.ModuleDict": "ModuleDict"}  # fmt: skip
# torch names whose calls change nothing a summary shows
_QUIET = frozenset(
    {"manual_seed", "set_grad_enabled", "set_default_dtype", "save", "load",
     "set_num_threads", "use_deterministic_algorithms", "set_printoptions"}
)  # fmt: skip


class TorchDevice(FrameworkObject):
    """``torch.device("cuda" if ... else "cpu")``: where tensors live, nothing more."""

    def __init__(self, line: int) -> None:
        self.line = line

    def shown(self) -> str:
        return "a torch.device"


def pretrained_embedding(sizes: object, freeze: object, owner: str) -> Layer:
    """``nn.Embedding.from_pretrained(weights, freeze=True)``: the table's size from the
    weights' (vocabulary, units), frozen unless ``freeze=False``; OptionError otherwise."""
    if not (
        isinstance(sizes, tuple | list)
        and len(sizes) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in sizes)
    ):
        raise OptionError(
            f"{owner}.from_pretrained: give the weights as a (vocabulary, units) tensor, such "
            "as torch.zeros(10000, 300), or the size of the one it is given with :define: "
            "(embedding_matrix.shape=(10000, 300))"
        )
    if not isinstance(freeze, bool):
        raise OptionError(f"{owner}.from_pretrained: freeze must be True or False")
    options: dict[str, object] = {
        "cell": "embedding",
        "framework": "pytorch",
        "vocabulary": sizes[0],
        "units": sizes[1],
    }
    return Layer(
        "pytorch", options, f"{owner}.from_pretrained", "Embedding", {"trainable": not freeze}
    )


def module_base(cls: UserClass) -> str | None:
    """What a class of the cell is in torch: Module, Sequential ... (from its first torch
    base), or None when it does not derive from ``nn.Module``."""
    for base in cls.framework_bases():
        api = torch_api(base.name) if isinstance(base, Dotted) else None
        if api in MODULE_BASES:
            return MODULE_BASES[api]
    return None


class TorchLibrary(Library):
    def call(
        self,
        reader: Reader,
        path: str,
        written: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        if path in ("torchinfo.summary", "torchsummary.summary"):
            torch_session(reader).summary_calls.append((node, reader.module))
            return None if path == "torchsummary.summary" else _NOTHING
        api = torch_api(path)
        if api is None:
            return None
        name = api.rpartition(".")[2]
        if api in MAKERS or api in _LIKE:
            return make_tensor(reader, api, args, kwargs, node)
        if api.endswith(".from_pretrained"):
            return self._pretrained(reader, api, written, args, kwargs, node)
        if api == "device":
            return TorchDevice(reader.line_of(node))
        if api.startswith(("nn.init.", "nn.utils.")) or name in _QUIET:
            return _NOTHING
        if api.startswith(("nn.functional.", "functional.")) or "." not in api:
            return tensor_function(reader, api, args, kwargs, node)
        if api in ("nn.Sequential", "nn.ModuleList", "nn.ModuleDict", "nn.Module"):
            return self._container(reader, api, args, kwargs, node)
        if api in ("nn.Parameter", "nn.parameter.Parameter"):
            data = args[0] if args else kwargs.get("data")
            grad = kwargs.get("requires_grad", args[1] if len(args) > 1 else True)
            shape = data.shape if isinstance(data, TorchTensor) else None
            return TorchParameter(shape, reader.line_of(node), grad is not False)
        if api.rpartition(".")[0] in MODULE_BASES and isinstance(
            args[0] if args else None, UserModule
        ):  # nn.Module.__init__(self), nn.Sequential.__init__(self, *layers)
            owner = args[0]
            assert isinstance(owner, UserModule)
            owner.base_method(reader, name, args[1:], kwargs, node)
            return _NOTHING
        if api.startswith("nn.") and name[:1].isupper() and api.count(".") == 1:
            return make_layer(reader, path, written, args, kwargs, node, TorchLayer)
        return None

    def instantiate(
        self,
        reader: Reader,
        cls: UserClass,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object | None:
        base = module_base(cls)
        if base is None:
            return None
        module = UserModule(cls, reader.line_of(node), base)
        torch_session(reader).made.append(module)
        init = cls.lookup("__init__")
        if isinstance(init, Function):
            reader.call_function(init, [module, *args], kwargs, node)
        else:
            module.base_method(reader, "__init__", args, kwargs, node)
        return module

    def _container(
        self,
        reader: Reader,
        api: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> TorchModule:
        line = reader.line_of(node)
        cls = api.rpartition(".")[2]
        made: TorchModule
        if cls == "Sequential":
            made = Sequential(cls, line)
            fill_sequential(reader, made, args, node)
        elif cls == "ModuleList":
            made = ModuleList(cls, line)
            given = args[0] if args else kwargs.get("modules")
            for value in given if isinstance(given, list | tuple) else []:
                made.set_attribute(
                    reader, str(len(made.modules)), as_module(reader, value, node), node
                )
            if isinstance(given, Unknown):
                made.set_attribute(reader, "0", as_module(reader, given, node), node)
        elif cls == "ModuleDict":
            made = ModuleDict(cls, line)
            given = args[0] if args else kwargs.get("modules")
            pairs = given.items() if isinstance(given, dict) else (
                [tuple(p) for p in given if isinstance(p, list | tuple) and len(p) == 2]
                if isinstance(given, list | tuple) else []
            )  # fmt: skip
            for key, value in pairs:
                made.set_attribute(reader, str(key), as_module(reader, value, node), node)
        else:
            made = TorchModule(cls, line)
        torch_session(reader).made.append(made)
        return made

    def _pretrained(
        self,
        reader: Reader,
        api: str,
        written: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        owner = written.removesuffix(".from_pretrained")
        source = reader.segment(node)
        made = TorchLayer(
            node,
            source or " ".join(ast.unparse(node).split()),
            "Embedding",
            reader.line_of(node),
            "pytorch",
        )
        weights = args[0] if args else kwargs.get("embeddings")
        sizes: object = weights.shape if isinstance(weights, TorchTensor) else weights
        if isinstance(sizes, tuple) and None in sizes:
            sizes = reader.unknown(node, "is the size of weights the reader could not follow",
                                   f"{ast.unparse(node.args[0]) if node.args else 'embeddings'}"
                                   ".shape")  # fmt: skip
        try:
            if api.rpartition(".")[0].rpartition(".")[2] != "Embedding":
                raise OptionError(f"{owner}.from_pretrained: only nn.Embedding's is counted")
            if isinstance(sizes, Unknown):
                raise OptionError(f"{owner}.from_pretrained: {reader.explain(sizes)}")
            found: Layer | OptionError = pretrained_embedding(
                sizes, kwargs.get("freeze", True), owner
            )
        except OptionError as error:
            found = error
        made.parsed = {None: found, "pytorch": found}
        return made


class _Nothing(FrameworkObject):
    """What a call made for what it does gives (``nn.init.xavier_uniform_(w)``,
    ``torchinfo.summary(model)`` while the cell is read): nothing a summary shows."""

    def shown(self) -> str:
        return "None"


_NOTHING = _Nothing()

TORCH_LIBRARY = TorchLibrary()

__all__ = ["TORCH_LIBRARY", "TorchDevice", "TorchLibrary", "module_base", "pretrained_embedding"]
