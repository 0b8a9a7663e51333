"""A model of modules -> its summary, as torchinfo would give it (standard library only).

With an input (the page's ``input-shape``, or the cell's own ``torchinfo.summary(model,
input_size=...)``) the model's ``forward`` is read with tensors of that size while the hooks
(:mod:`.calls`) record each module call; without one, every module is a row in the order it
was registered, as torchinfo lists them without running the model. The totals are what
``model.parameters()`` holds: each parameter once, those of modules never called included.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...counting import Breakdown
from ...spec import DTYPE_BYTES, Shape
from ..code.evaluate import Stop
from ..code.reader import Reader
from ..code.values import Unknown
from ..summary import ModelSummary, Row, SummaryCall
from .calls import Call, Hooks
from .modules import (
    LayerWeights,
    TorchLayer,
    TorchParameter,
    UnreadModule,
    module_cls,
    named_modules,
    named_parameters,
    own_parameters,
    parameter_count,
)
from .rows import ModuleInfo, ModuleTree
from .session import torch_session
from .tensors import ELEMENT_BYTES, TorchTensor


@dataclass
class ForwardInput:
    """What the model is called with: its arguments (tensors of a known size), keyword
    arguments, and the line that says so."""

    args: list[object]
    kwargs: dict[str, object] = field(default_factory=dict)
    line: int = 0

    def sizes(self) -> tuple[tuple[Shape, str], ...]:
        """Each input tensor's size and dtype (torchinfo's Input size)."""
        found = []
        for value in self.args:
            if isinstance(value, TorchTensor) and value.shape is not None:
                found.append((value.shape, value.dtype or "float32"))
        return tuple(found)


def module_summary(
    reader: Reader,
    model: object,
    given: ForwardInput | None,
    call: SummaryCall,
    hidden: tuple[str, ...] = (),
) -> ModelSummary:
    """The summary of ``model``, read with ``given`` as its input (or without one)."""
    hooks = Hooks(model)
    session = torch_session(reader)
    session.problems = []
    problems: list[tuple[int, str]] = []
    if given is not None:
        session.hooks, session.training = hooks, False
        name = ast.Name(id=f"{module_cls(model)}.forward", ctx=ast.Load())
        node = ast.Call(func=name, args=[], keywords=[])
        node.lineno, node.col_offset = given.line + 1, 0
        try:
            out = reader.call(model, list(given.args), dict(given.kwargs), node)
            if isinstance(out, Unknown):
                session.problem(
                    out.line, f"`{out.expression}` {out.why}; the model's output is not known"
                )
        except Stop as stop:
            problems.append((reader.line_of(stop.node), stop.why))
        finally:
            session.hooks, session.training = None, True
        calls = hooks.with_input()
        problems += session.problems
    else:
        calls = hooks.without_input()
    rows, root = _rows(calls)
    problems += _not_called(model, calls)
    total, trainable = _totals(model)
    inputs = given.sizes() if given is not None else ()
    dtype = inputs[0][1] if inputs else "float32"
    if given is not None and session.input_dtype and given.args:
        first = given.args[0]
        if isinstance(first, TorchTensor) and first.dtype is None:
            dtype = session.input_dtype
            inputs = ((inputs[0][0], dtype), *inputs[1:]) if inputs else inputs
    output = root.output_size if root is not None else None
    return ModelSummary(
        "pytorch",
        module_cls(model),
        inputs[0][0] if inputs else None,
        dtype,
        output if output and None not in output else None,
        tuple(rows),
        tuple(sorted(set(problems))),
        (),
        call,
        ModuleTree(total, trainable, inputs, root, hidden),
    )


def _rows(calls: list[Call]) -> tuple[list[Row], ModuleInfo | None]:
    """The rows (depth 1 and deeper) and the model's own row."""
    rows: list[Row] = []
    root: ModuleInfo | None = None
    said: set[int] = set()  # modules whose problem a row already says
    for found in calls:
        info = _info(found)
        if found.depth == 0:
            root = root or info
            continue
        module = found.module
        breakdown: Breakdown[Any] | None = None
        problem: str | None = None
        frozen = False
        source = module_cls(module)
        if isinstance(module, TorchLayer):
            source = module.source
            counted = module.counted()
            if isinstance(counted, Breakdown):
                breakdown = counted
                frozen = not module.trains()
            else:
                problem = str(counted)
        elif isinstance(module, UnreadModule):
            problem, source = module.problem, module.source
        elif found.params is None and not info.container:
            problem = "its parameters are not known"
        if problem is not None and id(module) in said:
            problem = None  # said at its first row
        if problem is not None:
            said.add(id(module))
        output = info.output_size
        rows.append(
            Row(
                getattr(module, "line", 0),
                module_cls(module),
                module_cls(module),
                source,
                output if output and None not in output else None,
                breakdown,
                frozen,
                problem,
                info,
            )
        )
    return rows, root


def _info(found: Call) -> ModuleInfo:
    leaf = found.leaf
    module = found.module
    return ModuleInfo(
        depth=found.depth,
        depth_index=found.depth_index or 0,
        path=found.path or found.var_name,
        container=not leaf,
        recursive=found.recursive,
        executed=found.executed,
        input_size=found.input_size,
        output_size=found.output_size,
        params=found.params,
        trainable=found.trainable,
        kernel_size=_kernel(module),
        macs=_macs(found) if found.executed else 0,
        output_bytes=found.output_bytes,
        param_bytes=_param_bytes(module, found.params) if leaf else 0,
    )


def _kernel(module: object) -> tuple[int, ...] | int | None:
    """LayerInfo.get_kernel_size: a convolution's kernel as torch keeps it (a tuple), a
    pooling layer's as it was given."""
    if not isinstance(module, TorchLayer):
        return None
    counted = module.counted()
    if isinstance(counted, Breakdown):
        spec = counted.spec
        kernel = getattr(spec, "kernel_size", None)
        if isinstance(kernel, tuple):
            return kernel
    try:
        given = module.layer("pytorch").call.get("kernel_size")
    except Exception:
        return None
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    if isinstance(given, tuple | list) and all(isinstance(n, int) for n in given):
        return tuple(given)
    return None


def _param_bytes(module: object, params: int | None) -> int | None:
    if params is None:
        return None
    if isinstance(module, TorchLayer):
        counted = module.counted()
        if isinstance(counted, Breakdown):
            return counted.total * DTYPE_BYTES[counted.spec.dtype]
    return params * 4


def _macs(found: Call) -> int | None:
    """LayerInfo.calculate_macs: for each parameter by torch's name, a ``weight`` or
    ``bias`` of the module itself costs its count once per batch item (per output position
    in a convolution); any other name with weight or bias in it (an RNN's ``weight_ih_l0``, a
    child's ``fc.weight``) its count per batch item and step; other parameters nothing."""
    size = found.output_size
    if size is None or (size and None in size):
        return None
    sizes = [n or 0 for n in size]
    total = 0
    module = found.module
    for name, param in named_parameters(module):
        n, _trainable = parameter_count(param)
        if n is None:
            return None
        torch_name = name
        if isinstance(param, LayerWeights) and param.layer is module:
            torch_name = _layer_weight_name(param.layer)
        if torch_name in ("weight", "bias"):
            if "Conv" in module_cls(module):
                total += n * math.prod(sizes[:1] + sizes[2:])
            else:
                total += (sizes[0] if sizes else 0) * n
        elif "weight" in torch_name or "bias" in torch_name:
            total += math.prod(sizes[:2]) * n
    return total


def _layer_weight_name(layer: TorchLayer) -> str:
    """What torch calls a layer's parameters, as far as calculate_macs tells them apart: the
    recurrent layers' carry their layer and direction (weight_ih_l0)."""
    counted = layer.counted()
    if isinstance(counted, Breakdown) and counted.spec.cell in ("lstm", "gru", "rnn"):
        return "weight_ih_l0"
    return "weight"


def _not_called(model: object, calls: list[Call]) -> list[tuple[int, str]]:
    """Modules with no row whose parameters cannot be counted: said where they are made."""
    listed = {id(found.module) for found in calls}
    problems = []
    for path, module in named_modules(model):
        if id(module) in listed or not path:
            continue
        why: str | None = None
        if isinstance(module, UnreadModule):
            why = module.problem
        elif isinstance(module, TorchLayer):
            counted = module.counted()
            why = None if isinstance(counted, Breakdown) else str(counted)
        if why is not None:
            problems.append(
                (
                    getattr(module, "line", 0),
                    f"{path} is not counted: {why} (forward never calls it)",
                )
            )
    for path, module in named_modules(model):
        for name, param in own_parameters(module):
            if isinstance(param, TorchParameter) and param.numel is None:
                where = f"{path}.{name}" if path else name
                problems.append(
                    (param.line, f"the nn.Parameter {where} has a size the reader cannot follow")
                )
    return problems


def _totals(model: object) -> tuple[int | None, int | None]:
    """``sum(p.numel() for p in model.parameters())`` and of those that require grad."""
    total: int | None = 0
    trainable: int | None = 0
    for _name, param in named_parameters(model):
        n, t = parameter_count(param)
        total = None if total is None or n is None else total + n
        trainable = None if trainable is None or t is None else trainable + t
    return total, trainable


def input_tensors(sizes: list[Shape], dtypes: Sequence[str | None], line: int) -> list[object]:
    """torchinfo's input_size: one tensor of each size (``torch.rand(*size).type(dtype)``)."""
    return [
        TorchTensor(tuple(size), line, dtypes[i] if i < len(dtypes) else "float32")
        for i, size in enumerate(sizes)
    ]


def element_bytes(dtype: str) -> int:
    return ELEMENT_BYTES.get(dtype, 4)


__all__ = ["ForwardInput", "element_bytes", "input_tensors", "module_summary"]
