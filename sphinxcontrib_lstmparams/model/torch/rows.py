"""What a PyTorch summary knows of each row beyond its layer, for torchinfo's nested layout
(standard library only): where the module sits in the model, what torchinfo measured of its
call, and the model's own totals as ``model.parameters()`` counts them.

A size is a tuple of sizes; ``()`` where torchinfo has none to show (a container never
called, a summary without an input: it prints ``--``); None where the reader could not
follow it (we print ``?``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...spec import Shape

Size = Shape | None


@dataclass(frozen=True)
class ModuleInfo:
    """A row of a model of modules: one module call (or, without an input, one module)."""

    depth: int  # 1 for the model's own modules, 2 under them ...
    depth_index: int  # its number among the rows of its depth (torchinfo's 2-3)
    path: str  # where it is registered: encoder.rnn
    container: bool = False  # made of modules (torchinfo's "not a leaf")
    recursive: bool = False  # the module had a row before (called twice, or found twice)
    executed: bool = True  # forward called it (a container put in above its rows was not)
    input_size: Size = ()
    output_size: Size = ()
    params: int | None = 0  # every parameter of the module, its children's included
    trainable: int | None = 0
    kernel_size: tuple[int, ...] | int | None = None
    macs: int | None = 0  # torchinfo's mult-adds of the call
    output_bytes: int | None = 0  # of its output (the first tensor)
    param_bytes: int | None = 0  # of its parameters (a leaf's, for torchinfo's Params size)

    @property
    def var_name(self) -> str:
        return self.path.rpartition(".")[2]

    def as_dict(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "depth_index": self.depth_index,
            "module_path": self.path,
            "container": self.container,
            "recursive": self.recursive,
            "module_params": self.params,
            "module_trainable": self.trainable,
            "input_size": _listed(self.input_size),
            "output_size": _listed(self.output_size),
        }


@dataclass(frozen=True)
class ModuleTree:
    """The model of a summary of modules: its own row's data and its totals."""

    total: int | None  # sum(p.numel() for p in model.parameters()); None: not known
    trainable: int | None
    inputs: tuple[tuple[Shape, str], ...] = ()  # each input's size and dtype (when run)
    root: ModuleInfo | None = None  # the model's own row (depth 0)
    # modules whose own parameters the paste cannot show (a custom class in a print(model)
    # tree): the totals are at least what the rows add up to
    hidden: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.total,
            "trainable_parameters": self.trainable,
            "inputs": [{"size": list(shape), "dtype": dtype} for shape, dtype in self.inputs],
            "hidden_parameters_in": list(self.hidden),
        }


def _listed(size: Size) -> list[Any] | None:
    return None if size is None else list(size)


__all__ = ["ModuleInfo", "ModuleTree", "Size"]
