"""Which PyTorch model a cell is about, and what its ``torchinfo.summary(...)`` call asks
(standard library only).

The model is, in order: the one the page names (``model-variable``, or ``model-class`` with
the class and its arguments); the one the cell's last ``torchinfo.summary(model, ...)`` call
is given, read when the whole cell has been (a notebook pasted out of order calls it before
it makes the model); the last module the cell makes that no other module holds; else the
last ``nn.Module`` class of the cell that no other class uses, made with its defaults and the
page's defines. The summary call gives the input (``input_size=``, ``input_data=``,
``dtypes=``, and keyword arguments for ``forward``) and the layout (``depth=``,
``col_names=``, ``col_width=``, ``row_settings=``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace

from ...spec import Shape
from ..code.evaluate import Scope, Stop
from ..code.reader import Reader
from ..code.values import Unknown, UserClass, shown
from ..summary import ModelError, SummaryCall
from .library import module_base
from .modules import Sequential, TorchModule, UserModule, named_modules
from .session import torch_session
from .tensors import TorchTensor, dtype_of
from .tree import ForwardInput, input_tensors

# torchinfo.summary's parameters in order (torchinfo.py summary())
SUMMARY_PARAMS = (
    "model", "input_size", "input_data", "batch_dim", "cache_forward_pass", "col_names",
    "col_width", "depth", "device", "dtypes", "mode", "row_settings", "verbose",
)  # fmt: skip
COLUMNS = ("input_size", "output_size", "num_params", "params_percent", "kernel_size",
           "mult_adds", "trainable")  # fmt: skip
ROW_SETTINGS = ("ascii_only", "depth", "var_names", "hide_recursive_layers")
_REQUIRES_INPUT = frozenset({"input_size", "output_size", "mult_adds"})


@dataclass
class TorchPick:
    """The model a cell is about, what it is fed, and how its summary is asked for."""

    model: object
    given: ForwardInput | None = None
    call: SummaryCall = field(default_factory=SummaryCall)


def pick_model(reader: Reader, variable: str | None, model_class: str | None) -> TorchPick | None:
    """The PyTorch model of the cell, or None when the cell makes none (a paste of one
    layer per line, or a Keras cell). Raises ModelError for a ``model-class`` that does
    not make one."""
    session = torch_session(reader)
    summary = _summary_call(reader)
    if model_class is not None:
        model = _from_class(reader, model_class)
        return TorchPick(model, summary.given if summary else None, _call(summary))
    if variable is not None:
        found = reader.module.names.get(variable)
        if not _is_model(found):
            return None
        given = summary.given if summary and summary.model is found else None
        return TorchPick(found, given, _call(summary))
    if summary is not None and _is_model(summary.model):
        return summary
    roots = _roots(session.made)
    if roots:
        return TorchPick(roots[-1], None, _call(summary))
    cls = _outermost_class(reader)
    if cls is None:
        return None
    return TorchPick(_made_with_defaults(reader, cls), None, _call(summary))


def _call(summary: TorchPick | None) -> SummaryCall:
    return summary.call if summary is not None else SummaryCall()


def _is_model(value: object) -> bool:
    return isinstance(value, TorchModule)


def _roots(made: list[object]) -> list[object]:
    """The modules made that no other module made holds, in the order they were made."""
    held: set[int] = set()
    for module in made:
        for path, sub in named_modules(module):
            if path:
                held.add(id(sub))
    return [m for m in made if id(m) not in held and isinstance(m, UserModule | Sequential)]


def _outermost_class(reader: Reader) -> UserClass | None:
    """The last ``nn.Module`` class of the cell that no other class of the cell names."""
    classes = [v for v in reader.module.names.values()
               if isinstance(v, UserClass) and module_base(v) is not None]  # fmt: skip
    named: set[str] = set()
    for cls in classes:
        for node in ast.walk(cls.node):
            if isinstance(node, ast.Name) and node.id != cls.name:
                named.add(node.id)
    outer = [cls for cls in classes if cls.name not in named]
    return (outer or classes)[-1] if classes else None


def _made_with_defaults(reader: Reader, cls: UserClass) -> object:
    """An object of the class made with its defaults (and the page's defines for the
    arguments without one)."""
    call = ast.Call(func=ast.Name(id=cls.name, ctx=ast.Load()), args=[], keywords=[])
    ast.copy_location(call, cls.node)
    return _made(reader, call, reader.module)


def _made(reader: Reader, call: ast.Call, scope: Scope) -> object:
    try:
        return reader.value(call, scope)
    except Stop as stop:
        reader.warn(stop.node, stop.why)
        return reader.unknown(call, stop.why, definable=False)


def _from_class(reader: Reader, text: str) -> object:
    """``model-class``: a class of the cell (made with its defaults) or a call of one with
    its arguments, read in the cell's names."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ModelError(
            f"model-class: {text.strip()!r} is not a class or a call of one, such as "
            "Net or Net(10000, hidden=256)",
            option="model_class",
        ) from None
    if isinstance(node, ast.Name | ast.Attribute):
        node = ast.Call(func=node, args=[], keywords=[])
    if not isinstance(node, ast.Call):
        raise ModelError(
            f"model-class: {text.strip()!r} is not a call of a class", option="model_class"
        )
    cls = reader.value(node.func, reader.module)
    if not isinstance(cls, UserClass) or module_base(cls) is None:
        known = sorted(n for n, v in reader.module.names.items()
                       if isinstance(v, UserClass) and module_base(v) is not None)  # fmt: skip
        raise ModelError(
            f"model-class: {ast.unparse(node.func)} is not an nn.Module class of the cell "
            f"(its classes: {', '.join(known) or 'none'})",
            option="model_class",
        )
    for part in ast.walk(node):  # the line of the class, for what its reading says
        ast.copy_location(part, cls.node)
    return _made(reader, node, reader.module)


# -- torchinfo.summary(...) ---------------------------------------------------------------------


def _summary_call(reader: Reader) -> TorchPick | None:
    """The cell's last ``torchinfo.summary(model, ...)`` call, read now that the whole cell
    is (with the names as the cell leaves them)."""
    calls = torch_session(reader).summary_calls
    if not calls:
        return None
    node, scope = calls[-1]
    args = [reader.value(arg, scope) for arg in node.args if not isinstance(arg, ast.Starred)]
    kwargs = {kw.arg: reader.value(kw.value, scope) for kw in node.keywords if kw.arg}
    given = dict(zip(SUMMARY_PARAMS, args, strict=False)) | kwargs
    where = reader.line_of(node)
    forward_kwargs = {k: v for k, v in given.items() if k not in SUMMARY_PARAMS}
    return TorchPick(
        given.get("model"),
        _input(reader, given, forward_kwargs, node, where),
        _settings(reader, given, node),
    )


def _input(
    reader: Reader,
    given: dict[str, object],
    forward_kwargs: dict[str, object],
    node: ast.Call,
    line: int,
) -> ForwardInput | None:
    if given.get("batch_dim") is not None:
        reader.note(node, "summary(batch_dim=...): not followed; give the batch in the sizes")
    data = given.get("input_data")
    if data is not None:
        if isinstance(data, Unknown):
            reader.warn(node, f"summary(input_data=...): {reader.explain(data)}")
            return None
        if isinstance(data, TorchTensor):
            return ForwardInput([data], forward_kwargs, line)
        if isinstance(data, dict):
            return ForwardInput(
                [], {**{str(k): v for k, v in data.items()}, **forward_kwargs}, line
            )
        if isinstance(data, list | tuple):
            return ForwardInput(list(data), forward_kwargs, line)
        reader.warn(node, f"summary(input_data={shown(data)}): not tensors the reader can follow")
        return None
    sizes = given.get("input_size")
    if sizes is None:
        return None
    shapes = _sizes(sizes)
    if shapes is None:
        why = reader.explain(sizes) if isinstance(sizes, Unknown) else f"{shown(sizes)} is not"
        reader.warn(node, f"summary(input_size=...): {why} (sizes such as (32, 200), the batch "
                    "first)")  # fmt: skip
        return None
    dtypes = given.get("dtypes")
    words = [dtype_of(d) for d in dtypes] if isinstance(dtypes, list | tuple) else []
    found = [word or "float32" for word in words]
    return ForwardInput(input_tensors(shapes, found, line), forward_kwargs, line)


def _sizes(value: object) -> list[Shape] | None:
    """torchinfo's get_correct_input_sizes: ``(2, 3)`` or ``[2, 3]`` is one input,
    ``[(2, 3), (2, 5)]`` two."""

    def whole(size: object) -> bool:
        return isinstance(size, int) and not isinstance(size, bool) and 0 < size <= 10**9

    if isinstance(value, tuple | list) and value and all(whole(n) for n in value):
        return [tuple(value)]
    if (
        isinstance(value, tuple | list)
        and value
        and all(isinstance(s, tuple | list) and s and all(whole(n) for n in s) for s in value)
    ):
        return [tuple(s) for s in value if isinstance(s, tuple | list)]
    return None


def _settings(reader: Reader, given: dict[str, object], node: ast.Call) -> SummaryCall:
    """depth=, col_names=, col_width=, row_settings= as torchinfo reads them; what it would
    refuse is said, and left out."""
    depth = given.get("depth")
    names = given.get("col_names")
    width = given.get("col_width")
    rows = given.get("row_settings")
    call = SummaryCall()
    if depth is not None:
        if isinstance(depth, int) and not isinstance(depth, bool) and 0 <= depth <= 100:
            call = replace(call, depth=depth)
        else:
            reader.warn(node, f"summary(depth={shown(depth)}): not a depth torchinfo takes")
    if names is not None:
        if isinstance(names, list | tuple) and all(n in COLUMNS for n in names):
            has_input = given.get("input_size") is not None or given.get("input_data") is not None
            if not has_input and set(names) & _REQUIRES_INPUT:
                reader.warn(node, "summary(col_names=...): torchinfo refuses input_size, "
                            "output_size and mult_adds without an input")  # fmt: skip
            else:
                call = replace(call, col_names=tuple(str(n) for n in names))
        else:
            reader.warn(node, f"summary(col_names={shown(names)}): torchinfo's columns are "
                        f"{', '.join(COLUMNS)}")  # fmt: skip
    if width is not None:
        if isinstance(width, int) and not isinstance(width, bool) and 0 < width <= 200:
            call = replace(call, col_width=width)
        else:
            reader.warn(node, f"summary(col_width={shown(width)}): not a width torchinfo takes")
    if rows is not None:
        if isinstance(rows, list | tuple | set) and all(r in ROW_SETTINGS for r in rows):
            call = replace(call, row_settings=tuple(sorted(str(r) for r in rows)))
        else:
            reader.warn(node, f"summary(row_settings={shown(rows)}): torchinfo's are "
                        f"{', '.join(ROW_SETTINGS)}")  # fmt: skip
    if given.get("verbose") == 2:
        reader.note(node, "summary(verbose=2): the weights under each layer are not drawn")
    if given.get("mode") == "train":
        reader.note(node, "summary(mode='train'): read as torchinfo's default, eval")
    return call


def option_input(shape: Shape, line: int = 0) -> ForwardInput:
    """The page's ``input-shape``: one tensor of that size, its dtype what the model's first
    layer needs (whole numbers for an Embedding)."""
    return ForwardInput([TorchTensor(tuple(shape), line, None)], {}, line)


__all__ = ["COLUMNS", "ROW_SETTINGS", "TorchPick", "option_input", "pick_model"]
