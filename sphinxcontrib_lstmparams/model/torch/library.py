"""PyTorch as the code reader meets it: tensors made with a size (``torch.zeros(V, d)``) and
``nn.Embedding.from_pretrained`` (standard library only). Its modules are layers
(:mod:`~sphinxcontrib_lstmparams.model.code.layers`)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ...constructors import Layer
from ...spec import OptionError, Shape
from ..code.layers import LayerObject
from ..code.library import Library, torch_api
from ..code.values import FrameworkObject, Unknown, shown

if TYPE_CHECKING:
    from ..code.reader import Reader

# torch functions that make a tensor of the size their arguments give
_MAKERS = frozenset({"zeros", "ones", "rand", "randn", "empty", "full", "randint"})


class TorchTensor(FrameworkObject):
    """A tensor the cell makes with a known size (for a weight given to a layer)."""

    def __init__(self, shape: Shape, line: int) -> None:
        self.shape = shape
        self.line = line

    def shown(self) -> str:
        return f"a tensor of size {list(self.shape)}"

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "shape":
            return self.shape
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        if name == "size":
            if not args:
                return self.shape
            if isinstance(args[0], int) and -len(self.shape) <= args[0] < len(self.shape):
                return self.shape[args[0]]
        return super().method(reader, name, args, kwargs, node)


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
        api = torch_api(path)
        if api is None:
            return None
        if api in _MAKERS:
            return self._tensor(reader, api, args, kwargs, node)
        if api.endswith(".from_pretrained"):
            return self._pretrained(reader, api, written, args, kwargs, node)
        return None

    def _tensor(
        self,
        reader: Reader,
        api: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        sizes: object = kwargs.get("size", args[0] if len(args) == 1 else tuple(args))
        if api == "full":
            sizes = args[0] if args else kwargs.get("size")
        if api == "randint":
            sizes = kwargs.get("size", args[-1] if args else None)
        if isinstance(sizes, Unknown):
            return sizes
        if isinstance(sizes, int) and not isinstance(sizes, bool):
            sizes = (sizes,)
        if not (
            isinstance(sizes, tuple | list)
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in sizes)
        ):
            return reader.unknown(node, f"makes a tensor of size {shown(sizes)}")
        return TorchTensor(tuple(sizes), reader.line_of(node))

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
        made = LayerObject(
            node,
            source or " ".join(ast.unparse(node).split()),
            "Embedding",
            reader.line_of(node),
            "pytorch",
        )
        weights = args[0] if args else kwargs.get("embeddings")
        sizes: object = weights.shape if isinstance(weights, TorchTensor) else weights
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


TORCH_LIBRARY = TorchLibrary()
